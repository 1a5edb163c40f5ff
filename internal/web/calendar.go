package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// The Calendar (issue 8): Home → Calendar shows the user's own events
// (owner or attendee) and the annual assessments due for the enrollments
// the user may see; Clients → Calendar shows the current client's events
// and annual assessments. Day, week and month views, rendered on the
// server; the navigation links are plain links that htmx turns into
// swaps of the main content (and back-button friendly URLs). Times are
// shown in the server's zone. The store decides who sees what
// (store/calendar.go).

const (
	calendarPath           = "home/calendar"
	clientCalendarMenuPath = "clients/calendar"
	// monthCellItems is how many items a month cell lists before "n more".
	monthCellItems = 3
)

type calendarPage struct {
	Shell
	Heading       string
	ClientName    string // the client calendar's client
	DashboardHref string
	View          string
	RangeLabel    string
	PrevHref      string
	NextHref      string
	TodayHref     string
	Views         []navLink
	NewHref       string
	SettingsHref  string
	ToggleHref    string
	Assessments   bool
	Days          []calDay   // day and week views
	Weeks         [][]calDay // month view
	WeekdayNames  []string
	Count         int
	Swapped       bool // an htmx navigation: focus the range heading
	Notice        string
}

type calDay struct {
	Date    hmis.Date
	Label   string // "Mon 11/30"
	Long    string // "Monday, November 30, 2026"
	Href    string // the day view
	Today   bool
	InMonth bool
	Items   []calItem
	More    int
}

type calItem struct {
	Time     string
	Title    string
	Href     string
	Clients  string
	Location string
	Repeats  bool
	FollowUp bool
	Kind     string // "event" or "assessment"
	Status   string // assessments: due, overdue, upcoming
	sortKey  time.Time
	allDay   bool
}

// calendarRange is a view's days.
type calendarRange struct {
	view        string
	anchor      hmis.Date
	first, last hmis.Date // inclusive
}

func readCalendarRange(r *http.Request) calendarRange {
	q := r.URL.Query()
	cr := calendarRange{view: q.Get("view")}
	if cr.view != "day" && cr.view != "month" {
		cr.view = "week"
	}
	cr.anchor = hmis.DateOf(time.Now())
	if d, err := hmis.ParseDate(clip(q.Get("date"), 10)); err == nil && d.Time().Year() > 1900 && d.Time().Year() < 2200 {
		cr.anchor = d
	}
	a := cr.anchor.Time()
	switch cr.view {
	case "day":
		cr.first, cr.last = cr.anchor, cr.anchor
	case "week":
		cr.first = cr.anchor.AddDays(-mondayIndex(a.Weekday()))
		cr.last = cr.first.AddDays(6)
	case "month":
		first := hmis.NewDate(a.Year(), a.Month(), 1)
		last := first.AddDate(0, 1, -1)
		cr.first = first.AddDays(-mondayIndex(first.Time().Weekday()))
		cr.last = last.AddDays(6 - mondayIndex(last.Time().Weekday()))
	}
	return cr
}

func mondayIndex(d time.Weekday) int { return (int(d) + 6) % 7 }

// localMidnight is the start of d in the server's zone.
func localMidnight(d hmis.Date) time.Time {
	t := d.Time()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.Local)
}

func (cr calendarRange) step(n int) hmis.Date {
	switch cr.view {
	case "day":
		return cr.anchor.AddDays(n)
	case "week":
		return cr.anchor.AddDays(7 * n)
	}
	a := cr.anchor.Time()
	return hmis.NewDate(a.Year(), a.Month(), 1).AddDate(0, n, 0)
}

func (cr calendarRange) label() string {
	f, l := cr.first.Time(), cr.last.Time()
	switch cr.view {
	case "day":
		return f.Format("Monday, January 2, 2006")
	case "month":
		return cr.anchor.Time().Format("January 2006")
	}
	if f.Year() != l.Year() {
		return "Week of " + f.Format("January 2, 2006") + " – " + l.Format("January 2, 2006")
	}
	if f.Month() != l.Month() {
		return "Week of " + f.Format("January 2") + " – " + l.Format("January 2, 2006")
	}
	return "Week of " + f.Format("January 2") + " – " + l.Format("2, 2006")
}

// calendarHref is the calendar at base with a view, date and toggle.
func calendarHref(base, view string, d hmis.Date, assessments bool) string {
	v := url.Values{"view": {view}, "date": {d.String()}}
	if !assessments {
		v.Set("assessments", "0")
	}
	return base + "?" + v.Encode()
}

// homeCalendar is Home → Calendar.
func (s *Server) homeCalendar(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showCalendar(w, r, rq, "")
}

// clientCalendarPage is /clients/{personalID}/calendar.
func (s *Server) clientCalendarPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showCalendar(w, r, rq, r.PathValue("personalID"))
}

func (s *Server) showClientCalendar(w http.ResponseWriter, r *http.Request, rq *request, id string) error {
	return s.showCalendar(w, r, rq, id)
}

func (s *Server) showCalendar(w http.ResponseWriter, r *http.Request, rq *request, personalID string) error {
	ctx := r.Context()
	st := rq.Site.Store
	cr := readCalendarRange(r)
	p := calendarPage{View: cr.view, RangeLabel: cr.label(), Assessments: r.URL.Query().Get("assessments") != "0",
		SettingsHref: rq.base() + "/" + calendarPath + "/settings", Swapped: r.Header.Get("HX-Request") == "true"}
	if r.URL.Query().Get("deleted") != "" {
		p.Notice = "The event was deleted."
	}
	base := rq.base() + "/" + calendarPath
	tab, menu := "home", rq.base()+"/"+calendarPath
	p.Heading = "Calendar"
	p.NewHref = rq.base() + "/" + calendarPath + "/new"
	if personalID != "" {
		c, err := findVisibleClient(r, rq, personalID)
		if err != nil {
			return err
		}
		p.ClientName = clientDisplayName(&c.Client)
		p.Heading = "Calendar: " + p.ClientName
		p.DashboardHref = clientHref(rq, c.PersonalID)
		base = clientHref(rq, c.PersonalID) + "/calendar"
		tab, menu = "clients", rq.base()+"/"+clientCalendarMenuPath
		p.NewHref += "?client=" + url.QueryEscape(c.PersonalID)
	}
	from, to := localMidnight(cr.first), localMidnight(cr.last.AddDays(1))
	evs, err := st.FindEvents(ctx, store.EventQuery{From: from, To: to, PersonalID: personalID})
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		return errNoClient
	} else if err != nil {
		return err
	}
	items := map[hmis.Date][]calItem{}
	for _, o := range store.Occurrences(evs, from, to) {
		first, last := occurrenceDays(o)
		for d := first; !d.After(last); d = d.AddDays(1) {
			if d.Before(cr.first) || d.After(cr.last) {
				continue
			}
			items[d] = append(items[d], s.eventItem(rq, o, d))
		}
	}
	if p.Assessments {
		// A client's calendar: theirs; a staff calendar: the programs of
		// the user's organization.
		due, err := st.DueAnnualAssessmentsFor(ctx, cr.first, cr.last, store.AnnualFilter{PersonalID: personalID, OwnPrograms: personalID == ""})
		if err != nil {
			return err
		}
		for _, a := range due {
			if personalID != "" && a.PersonalID != personalID {
				continue
			}
			items[a.Anniversary] = append(items[a.Anniversary], assessmentItem(rq, a))
		}
	}
	today := hmis.DateOf(time.Now())
	for d := cr.first; !d.After(cr.last); d = d.AddDays(1) {
		t := d.Time()
		day := calDay{Date: d, Label: t.Format("Mon 1/2"), Long: t.Format("Monday, January 2, 2006"),
			Href: calendarHref(base, "day", d, p.Assessments), Today: d.Equal(today),
			InMonth: t.Month() == cr.anchor.Time().Month(), Items: sortItems(items[d])}
		p.Count += len(day.Items)
		if cr.view == "month" && len(day.Items) > monthCellItems {
			day.More = len(day.Items) - monthCellItems
			day.Items = day.Items[:monthCellItems]
		}
		if cr.view == "month" {
			if mondayIndex(t.Weekday()) == 0 {
				p.Weeks = append(p.Weeks, nil)
			}
			p.Weeks[len(p.Weeks)-1] = append(p.Weeks[len(p.Weeks)-1], day)
		} else {
			p.Days = append(p.Days, day)
		}
	}
	p.WeekdayNames = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	p.PrevHref = calendarHref(base, cr.view, cr.step(-1), p.Assessments)
	p.NextHref = calendarHref(base, cr.view, cr.step(1), p.Assessments)
	p.TodayHref = calendarHref(base, cr.view, today, p.Assessments)
	p.ToggleHref = calendarHref(base, cr.view, cr.anchor, !p.Assessments)
	for _, v := range []string{"day", "week", "month"} {
		p.Views = append(p.Views, navLink{Label: strings.ToUpper(v[:1]) + v[1:], Href: calendarHref(base, v, cr.anchor, p.Assessments),
			Current: v == cr.view})
	}
	if p.Shell, err = s.shell(r, rq, tab, menu, p.Heading); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "calendar", &p)
}

// occurrenceDays are the first and last days an occurrence covers, in
// the server's zone (all-day events: their own dates).
func occurrenceDays(o store.Occurrence) (hmis.Date, hmis.Date) {
	if o.Event.AllDay {
		s, e := o.Start.UTC(), o.End.UTC().AddDate(0, 0, -1)
		return hmis.NewDate(s.Year(), s.Month(), s.Day()), hmis.NewDate(e.Year(), e.Month(), e.Day())
	}
	last := o.End.Add(-time.Nanosecond)
	if last.Before(o.Start) {
		last = o.Start
	}
	return hmis.DateOf(o.Start.Local()), hmis.DateOf(last.Local())
}

func clockTime(t time.Time) string { return t.Local().Format("3:04 PM") }

func (s *Server) eventItem(rq *request, o store.Occurrence, d hmis.Date) calItem {
	e := o.Event
	it := calItem{Title: e.Title, Href: eventHref(rq, e.ID), Location: e.Location, Repeats: e.Rule.Repeats(),
		FollowUp: e.FollowUp, Kind: "event", sortKey: o.Start, allDay: e.AllDay}
	if e.AllDay {
		it.Time = "All day"
	} else {
		first, last := occurrenceDays(o)
		switch {
		case first.Equal(d) && last.Equal(d):
			it.Time = clockTime(o.Start) + " – " + clockTime(o.End)
		case first.Equal(d):
			it.Time = "From " + clockTime(o.Start)
		case last.Equal(d):
			it.Time = "Until " + clockTime(o.End)
		default:
			it.Time = "All day"
		}
	}
	var names []string
	for _, c := range e.Clients {
		names = append(names, personName(c.FirstName, "", c.LastName))
	}
	it.Clients = strings.Join(names, "; ")
	return it
}

func assessmentItem(rq *request, a store.AnnualAssessment) calItem {
	program := a.ProjectName
	if program == "" {
		program = "Program " + a.ProjectID
	}
	return calItem{Time: "All day", Title: "Annual assessment " + a.Status + " (" + program + ")",
		Href: clientHref(rq, a.PersonalID) + "/assessments", Clients: personName(a.FirstName, "", a.LastName),
		Location: "Window " + usDate(a.WindowStart) + " – " + usDate(a.WindowEnd), Kind: "assessment", Status: a.Status, allDay: true}
}

func sortItems(items []calItem) []calItem {
	// All-day first, then by start; a stable insertion sort (few items).
	for i := 1; i < len(items); i++ {
		for j := i; j > 0 && itemLess(items[j], items[j-1]); j-- {
			items[j], items[j-1] = items[j-1], items[j]
		}
	}
	return items
}

func itemLess(a, b calItem) bool {
	if a.allDay != b.allDay {
		return a.allDay
	}
	return a.sortKey.Before(b.sortKey)
}

func eventHref(rq *request, id string) string {
	return rq.base() + "/" + calendarPath + "/events/" + url.PathEscape(id)
}

// whenText says when an event's first occurrence is.
func whenText(e *store.Event) string {
	if e.AllDay {
		last := e.End.AddDate(0, 0, -1)
		if last.Equal(e.Start) {
			return e.Start.Format("Monday, January 2, 2006") + ", all day"
		}
		return e.Start.Format("Monday, January 2, 2006") + " – " + last.Format("Monday, January 2, 2006") + ", all day"
	}
	s, en := e.Start.Local(), e.End.Local()
	if hmis.DateOf(s).Equal(hmis.DateOf(en)) {
		return fmt.Sprintf("%s, %s – %s", s.Format("Monday, January 2, 2006"), clockTime(s), clockTime(en))
	}
	return fmt.Sprintf("%s %s – %s %s", s.Format("Monday, January 2, 2006"), clockTime(s), en.Format("Monday, January 2, 2006"), clockTime(en))
}
