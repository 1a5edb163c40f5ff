package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // America/New_York without the system's zone files

	"github.com/hearth-hmis/hearth/internal/calendar"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// icsComponent is one parsed iCalendar component.
type icsComponent struct {
	Name  string
	Props []icsProp
	Subs  []*icsComponent
}

type icsProp struct {
	Name   string
	Params map[string]string
	Value  string
}

func (c *icsComponent) get(name string) []icsProp {
	var out []icsProp
	for _, p := range c.Props {
		if p.Name == name {
			out = append(out, p)
		}
	}
	return out
}

// parseICS is a small RFC 5545 parser for the tests: it checks CRLF line
// ends and the 75-octet limit, unfolds, splits names, parameters and
// values, and nests BEGIN/END. It fails the test on any violation.
func parseICS(t *testing.T, body string) *icsComponent {
	t.Helper()
	if !strings.HasSuffix(body, "\r\n") {
		t.Fatal("ics: does not end with CRLF")
	}
	raw := strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n")
	var lines []string
	for i, l := range raw {
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("ics line %d: a bare CR or LF", i+1)
		}
		if len(l) > 75 {
			t.Fatalf("ics line %d: %d octets (limit 75)", i+1, len(l))
		}
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			if len(lines) == 0 {
				t.Fatal("ics: continuation before any line")
			}
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	nameRE := regexp.MustCompile(`^[A-Za-z0-9-]+$`)
	var stack []*icsComponent
	var root *icsComponent
	for i, l := range lines {
		// name *(";" param) ":" value; params may be quoted.
		colon, inQuote := -1, false
		for j, r := range l {
			if r == '"' {
				inQuote = !inQuote
			}
			if r == ':' && !inQuote {
				colon = j
				break
			}
		}
		if colon < 0 {
			t.Fatalf("ics line %d: no colon: %q", i+1, l)
		}
		head, value := l[:colon], l[colon+1:]
		parts := strings.Split(head, ";")
		p := icsProp{Name: strings.ToUpper(parts[0]), Params: map[string]string{}, Value: value}
		if !nameRE.MatchString(p.Name) {
			t.Fatalf("ics line %d: bad name %q", i+1, p.Name)
		}
		for _, prm := range parts[1:] {
			k, v, ok := strings.Cut(prm, "=")
			if !ok || !nameRE.MatchString(k) {
				t.Fatalf("ics line %d: bad parameter %q", i+1, prm)
			}
			p.Params[strings.ToUpper(k)] = v
		}
		switch p.Name {
		case "BEGIN":
			c := &icsComponent{Name: value}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.Subs = append(top.Subs, c)
			} else if root != nil {
				t.Fatal("ics: two top-level components")
			} else {
				root = c
			}
			stack = append(stack, c)
		case "END":
			if len(stack) == 0 || stack[len(stack)-1].Name != value {
				t.Fatalf("ics line %d: END:%s does not close the open component", i+1, value)
			}
			stack = stack[:len(stack)-1]
		default:
			if len(stack) == 0 {
				t.Fatalf("ics line %d: property outside a component", i+1)
			}
			top := stack[len(stack)-1]
			top.Props = append(top.Props, p)
		}
	}
	if len(stack) != 0 || root == nil || root.Name != "VCALENDAR" {
		t.Fatal("ics: not one closed VCALENDAR")
	}
	return root
}

// checkICS checks the properties RFC 5545 requires and the RRULE syntax.
func checkICS(t *testing.T, cal *icsComponent) {
	t.Helper()
	one := func(c *icsComponent, name string) string {
		ps := c.get(name)
		if len(ps) != 1 {
			t.Errorf("%s has %d %s, want 1", c.Name, len(ps), name)
			return ""
		}
		return ps[0].Value
	}
	if one(cal, "VERSION") != "2.0" || one(cal, "PRODID") == "" {
		t.Error("VCALENDAR: VERSION 2.0 and PRODID are required")
	}
	stampRE := regexp.MustCompile(`^\d{8}T\d{6}Z$`)
	dateTimeRE := regexp.MustCompile(`^\d{8}(T\d{6}Z?)?$`)
	tzids := map[string]bool{}
	for _, c := range cal.Subs {
		if c.Name == "VTIMEZONE" {
			tzids[one(c, "TZID")] = true
			for _, s := range c.Subs {
				for _, n := range []string{"DTSTART", "TZOFFSETFROM", "TZOFFSETTO"} {
					one(s, n)
				}
			}
		}
	}
	uids := map[string]bool{}
	for _, c := range cal.Subs {
		if c.Name != "VEVENT" {
			continue
		}
		uid := one(c, "UID")
		if uids[uid] {
			t.Errorf("UID %s twice", uid)
		}
		uids[uid] = true
		if s := one(c, "DTSTAMP"); !stampRE.MatchString(s) {
			t.Errorf("DTSTAMP %q is not a UTC date-time", s)
		}
		for _, name := range []string{"DTSTART", "DTEND", "EXDATE"} {
			for _, p := range c.get(name) {
				if !dateTimeRE.MatchString(p.Value) {
					t.Errorf("%s %q", name, p.Value)
				}
				if tz := p.Params["TZID"]; tz != "" && !tzids[tz] {
					t.Errorf("%s uses TZID %s without a VTIMEZONE", name, tz)
				}
				if p.Params["VALUE"] == "DATE" && len(p.Value) != 8 {
					t.Errorf("%s;VALUE=DATE %q", name, p.Value)
				}
			}
		}
		one(c, "DTSTART")
		for _, r := range c.get("RRULE") {
			checkRRULE(t, r.Value)
		}
	}
}

// checkRRULE checks an RRULE value against RFC 5545's grammar for the
// parts Hearth writes.
func checkRRULE(t *testing.T, v string) {
	t.Helper()
	seen := map[string]bool{}
	for _, part := range strings.Split(v, ";") {
		k, val, ok := strings.Cut(part, "=")
		if !ok || seen[k] {
			t.Errorf("RRULE %q: bad or repeated part %q", v, part)
			continue
		}
		seen[k] = true
		switch k {
		case "FREQ":
			if !regexp.MustCompile(`^(SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)$`).MatchString(val) {
				t.Errorf("RRULE FREQ %q", val)
			}
		case "INTERVAL", "COUNT":
			if n, err := strconv.Atoi(val); err != nil || n < 1 {
				t.Errorf("RRULE %s %q", k, val)
			}
		case "UNTIL":
			if !regexp.MustCompile(`^\d{8}(T\d{6}Z)?$`).MatchString(val) {
				t.Errorf("RRULE UNTIL %q", val)
			}
		case "BYDAY":
			if !regexp.MustCompile(`^(SU|MO|TU|WE|TH|FR|SA)(,(SU|MO|TU|WE|TH|FR|SA))*$`).MatchString(val) {
				t.Errorf("RRULE BYDAY %q", val)
			}
		default:
			t.Errorf("RRULE %q: part %s is not one Hearth writes", v, k)
		}
	}
	if !seen["FREQ"] || seen["COUNT"] && seen["UNTIL"] {
		t.Errorf("RRULE %q: FREQ required, COUNT and UNTIL exclusive", v)
	}
}

// nextWeekday is the date of the next d after today.
func nextWeekday(d time.Weekday) time.Time {
	t := time.Now().AddDate(0, 0, 1)
	for t.Weekday() != d {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

func TestCalendar_EventsViewsAndFeed(t *testing.T) {
	a := newTestApp(t, nil)
	seedClients(t, a)
	b := a.browser(t)
	b.signIn("live", "casey")
	b.get("/live/clients/lennon01") // a recent client

	// The menu options are real pages now.
	for _, path := range []string{"/live/home/calendar", "/live/clients/calendar", "/live/clients/lennon01/calendar"} {
		res := b.get(path)
		if res.Status != http.StatusOK || strings.Contains(res.Body, "not built yet") {
			t.Fatalf("%s: status %d", path, res.Status)
		}
	}
	res := b.get("/live/home/calendar/new?client=lennon01")
	if res.Status != http.StatusOK {
		t.Fatalf("new event form: status %d", res.Status)
	}
	wantContains(t, "new event form", res.Body, `name="title"`, `id="client-lennon01"`, "checked", "Lennon, John")

	mon := nextWeekday(time.Monday)
	day := mon.Format(time.DateOnly)
	form := url.Values{"title": {"Housing plan review"}, "start_date": {day}, "start_time": {"10:00"}, "end_date": {day},
		"end_time": {"09:30"}, "location": {"Room 2, Main St"}, "client": {"lennon01"}}
	// An end before the start: refused, the message on the end field, what
	// was typed kept.
	res = b.post("/live/home/calendar/new", form)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("end before start: status %d", res.Status)
	}
	wantContains(t, "end before start", res.Body, `id="end_date-error"`, "must end after it starts", `value="Housing plan review"`,
		`value="Room 2, Main St"`, `aria-describedby="end_date-error"`)

	form.Set("end_time", "11:00")
	form.Set("repeat", "WEEKLY")
	form["byday"] = []string{"MO", "WE"}
	form.Set("repeat_count", "6")
	form.Set("notes", "Bring ID; discuss the voucher")
	res = b.post("/live/home/calendar/new", form)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("create: status %d\n%s", res.Status, res.Body)
	}
	eventURL := strings.TrimSuffix(res.Header.Get("Location"), "?saved=1")
	res = b.get(eventURL)
	wantContains(t, "event page", res.Body, "Housing plan review", "Every week on Mon, Wed, 6 times", "Lennon, John", "Cancel this one")

	for _, view := range []string{"week", "month"} {
		for _, path := range []string{"/live/home/calendar", "/live/clients/lennon01/calendar"} {
			res := b.get(path + "?view=" + view + "&date=" + day)
			wantContains(t, path+" "+view, res.Body, "Housing plan review", "with Lennon, John")
			if n := strings.Count(res.Body, ">Housing plan review<"); view == "week" && n != 2 {
				t.Errorf("%s week: %d occurrences shown, want 2 (Monday and Wednesday)", path, n)
			}
		}
	}
	// The other organization may not see the client, nor the event.
	o := a.browser(t)
	o.signIn("live", "other")
	if res := o.get(eventURL); res.Status != http.StatusNotFound {
		t.Errorf("other org, event: status %d", res.Status)
	}
	if res := o.get("/live/clients/lennon01/calendar"); res.Status != http.StatusNotFound {
		t.Errorf("other org, client calendar: status %d", res.Status)
	}

	// The feed: a new link, shown once.
	res = b.post("/live/home/calendar/settings", url.Values{"action": {"new"}})
	feed := regexp.MustCompile(`value="(http[^"]+\.ics)"`).FindStringSubmatch(res.Body)
	if res.Status != http.StatusOK || feed == nil {
		t.Fatalf("new feed link: status %d", res.Status)
	}
	path := strings.TrimPrefix(feed[1], a.srv.URL)
	anon := a.browser(t) // no session: the token is the credential
	res = anon.get(path)
	if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("feed: status %d, %s", res.Status, res.Header.Get("Content-Type"))
	}
	cal := parseICS(t, res.Body)
	checkICS(t, cal)
	var ev *icsComponent
	for _, c := range cal.Subs {
		if c.Name == "VEVENT" && strings.HasPrefix(c.get("SUMMARY")[0].Value, "Housing plan review") {
			ev = c
		}
	}
	if ev == nil {
		t.Fatalf("feed lacks the event:\n%s", res.Body)
	}
	if got := ev.get("SUMMARY")[0].Value; got != `Housing plan review (J.L.)` {
		t.Errorf("SUMMARY %q: initials only by default", got)
	}
	if got := ev.get("RRULE")[0].Value; got != "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6" {
		t.Errorf("RRULE %q", got)
	}
	if got := ev.get("LOCATION")[0].Value; got != `Room 2\, Main St` {
		t.Errorf("LOCATION %q (escaped)", got)
	}
	wantNotContains(t, "feed, initials only", res.Body, "Lennon", "voucher")
	// Opting in: full names and notes.
	b.post("/live/home/calendar/settings", url.Values{"action": {"names"}, "show_client_names": {"1"}})
	res = anon.get(path)
	wantContains(t, "feed with names", res.Body, "Housing plan review (John Lennon)", `Bring ID\; discuss the voucher`)

	// Revoked: 404 with a clear message.
	b.post("/live/home/calendar/settings", url.Values{"action": {"revoke"}})
	res = anon.get(path)
	if res.Status != http.StatusNotFound || !strings.Contains(res.Body, "revoked") {
		t.Errorf("revoked feed: status %d, %q", res.Status, res.Body)
	}
	if res := anon.get("/live/calendar/feed/nope.ics"); res.Status != http.StatusNotFound || strings.Contains(res.Body, "revoked") {
		t.Errorf("unknown feed: status %d, %q", res.Status, res.Body)
	}

	// Change it: the form comes filled in; only the owner may.
	res = b.get(eventURL + "/edit")
	wantContains(t, "edit form", res.Body, `value="Housing plan review"`, `value="`+day+`"`, `value="10:00"`, `id="byday-MO" type="checkbox" name="byday" value="MO" checked`)
	if res := o.get(eventURL + "/edit"); res.Status != http.StatusNotFound {
		t.Errorf("other org, edit: status %d", res.Status)
	}
	form.Set("title", "Housing plan review (moved)")
	form.Set("start_time", "13:00")
	form.Set("end_time", "12:00")
	if res := b.post(eventURL+"/edit", form); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "must end after it starts") {
		t.Errorf("edit, end before start: status %d", res.Status)
	}
	form.Set("end_time", "14:00")
	if res := b.post(eventURL+"/edit", form); res.Status != http.StatusSeeOther {
		t.Fatalf("edit: status %d", res.Status)
	}
	wantContains(t, "after editing", b.get(eventURL).Body, "Housing plan review (moved)", "1:00 PM – 2:00 PM")

	// Cancel one occurrence from the event's page.
	res = b.get(eventURL)
	occ := regexp.MustCompile(`name="occurrence" value="([^"]+)"`).FindStringSubmatch(res.Body)
	if occ == nil {
		t.Fatal("no occurrence to cancel")
	}
	res = b.post(eventURL+"/cancel", url.Values{"occurrence": {occ[1]}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("cancel: status %d", res.Status)
	}
	wantContains(t, "after cancelling", b.get(res.Header.Get("Location")).Body, "1 occurrence cancelled", "The occurrence was cancelled.")
	if res := o.post(eventURL+"/cancel", url.Values{"occurrence": {occ[1]}}); res.Status != http.StatusNotFound {
		t.Errorf("other org cancels: status %d", res.Status)
	}

	// A follow-up from yesterday is overdue on the dashboard until done.
	y := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	res = b.post("/live/home/calendar/new", url.Values{"title": {"Call the landlord"}, "start_date": {y}, "all_day": {"1"},
		"follow_up": {"1"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("follow-up event: status %d", res.Status)
	}
	fuURL := strings.TrimSuffix(res.Header.Get("Location"), "?saved=1")
	res = b.get("/live/")
	wantContains(t, "dashboard", res.Body, "Reminders", "Today’s events", "Overdue follow-ups", "Call the landlord",
		"Annual assessments due")
	b.post(fuURL+"/followup", url.Values{"done": {"1"}})
	wantNotContains(t, "dashboard after done", b.get("/live/").Body, "Call the landlord")
	res = b.post(fuURL+"/delete", nil)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("delete: status %d", res.Status)
	}
	wantContains(t, "after deleting", b.get(res.Header.Get("Location")).Body, "The event was deleted.")
	if res := b.get(fuURL); res.Status != http.StatusNotFound {
		t.Errorf("deleted event: status %d", res.Status)
	}
}

// TestWriteFeed_ZonesAndAllDay: an event entered in New York gets TZID
// and a VTIMEZONE with both 2026 changes; an all-day series writes DATE
// values, an all-day UNTIL and a DATE EXDATE; a long title folds.
func TestWriteFeed_ZonesAndAllDay(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no zone data: %v", err)
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	start := time.Date(2026, 3, 2, 9, 30, 0, 0, ny)
	day := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	evs := []store.Event{
		{ID: "e1", Title: strings.Repeat("Weekly check-in, housing search; ", 4), TimeZone: "America/New_York",
			Start: start, End: start.Add(time.Hour), Rule: calendar.Rule{Freq: calendar.Weekly, Count: 10},
			Clients: []store.EventClient{{PersonalID: "p1", FirstName: "Ana", LastName: "Órla"}}, DateUpdated: now},
		{ID: "e2", Title: "Food bank shift", AllDay: true, TimeZone: "America/New_York", Start: day, End: day.AddDate(0, 0, 1),
			Rule:      calendar.Rule{Freq: calendar.Monthly, Until: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)},
			Cancelled: []time.Time{day.AddDate(0, 1, 0)}, DateUpdated: now},
	}
	body := string(writeFeed("live", "River Valley HMIS", now, evs, nil, false))
	cal := parseICS(t, body)
	checkICS(t, cal)
	wantContains(t, "feed", body, "BEGIN:VTIMEZONE\r\nTZID:America/New_York", "TZOFFSETTO:-0400", "TZOFFSETTO:-0500",
		"DTSTART;TZID=America/New_York:20260302T093000", "DTEND;TZID=America/New_York:20260302T103000",
		"DTSTART;VALUE=DATE:20260303", "DTEND;VALUE=DATE:20260304", "RRULE:FREQ=MONTHLY;UNTIL=20261231",
		"EXDATE;VALUE=DATE:20260403", "RRULE:FREQ=WEEKLY;COUNT=10")
	var summary string
	for _, c := range cal.Subs {
		if c.Name == "VEVENT" && c.get("UID")[0].Value == "e1@hearth-live" {
			summary = c.get("SUMMARY")[0].Value
		}
	}
	if want := calendar.Text(evs[0].Title + " (A.Ó.)"); summary != want {
		t.Errorf("folded SUMMARY unfolds to %q, want %q", summary, want)
	}
}

// TestCalendar_ServedClient: hidden01 is ORG2's client, served by ORG1
// (E9 in ORG1's P1). ORG1's case manager makes an event with them from
// the client calendar; it is on the client calendar for ORG1 and ORG2;
// ORG2's own event with hidden01 is not shown to ORG1.
func TestCalendar_ServedClient(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	ctx := storetest.Context(t)
	must(t, store.CreateRecord(ctx, st, &hmis.Enrollment{EnrollmentID: "E9", PersonalID: "hidden01", ProjectID: "P1",
		EntryDate: hmis.DateOf(time.Now()).AddDays(-3), HouseholdID: "H9", RelationshipToHoH: new(hud.RelationshipToHoH(1))}))
	b := a.browser(t)
	b.signIn("live", "casey")
	o := a.browser(t)
	o.signIn("live", "other")
	res := b.get("/live/home/calendar/new?client=hidden01")
	wantContains(t, "new event form", res.Body, `id="client-hidden01"`, "checked")
	mon := nextWeekday(time.Monday)
	day := mon.Format(time.DateOnly)
	form := url.Values{"title": {"Bed search"}, "start_date": {day}, "start_time": {"10:00"}, "end_date": {day},
		"end_time": {"11:00"}, "client": {"hidden01"}}
	if res := b.post("/live/home/calendar/new", form); res.Status != http.StatusSeeOther {
		t.Fatalf("ORG1's event with the served client: %d %s", res.Status, res.Body)
	}
	form.Set("title", "Harbor check-in")
	if res := o.post("/live/home/calendar/new", form); res.Status != http.StatusSeeOther {
		t.Fatalf("ORG2's event: %d %s", res.Status, res.Body)
	}
	path := "/live/clients/hidden01/calendar?view=week&date=" + day
	page := b.get(path)
	wantContains(t, "ORG1's client calendar", page.Body, "Bed search")
	wantNotContains(t, "ORG1's client calendar", page.Body, "Harbor check-in")
	wantContains(t, "ORG2's client calendar", o.get(path).Body, "Bed search", "Harbor check-in")
}
