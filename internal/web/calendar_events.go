package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/calendar"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Calendar events (issue 8): the form to make or change an event, the
// event's page (details, upcoming occurrences, cancel one, follow-up
// done, delete). The store validates and decides access; the form keeps
// what was typed and shows each message on its field.

type eventFormPage struct {
	Shell
	Heading   string
	Action    string
	CancelURL string
	Editing   bool
	Values    map[string]string
	Errors    map[string]string
	Error     string
	Staff     []checkOption
	Clients   []checkOption
	Weekdays  []checkOption
	Repeats   []option
}

var weekdayOrder = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// eventForm is the form as typed.
type eventForm struct {
	values  map[string]string
	staff   []string
	clients []string
	days    []string
}

func readEventForm(r *http.Request) eventForm {
	f := eventForm{values: map[string]string{}}
	for _, k := range []string{"title", "start_date", "start_time", "end_date", "end_time", "location", "notes",
		"repeat", "repeat_interval", "repeat_count", "repeat_until"} {
		limit := 40
		switch k {
		case "title":
			limit = store.MaxEventTitle * 4
		case "location":
			limit = store.MaxEventLocation * 4
		case "notes":
			limit = store.MaxEventNotes * 4
		}
		f.values[k] = clip(strings.TrimSpace(r.PostFormValue(k)), limit)
	}
	for _, k := range []string{"all_day", "follow_up"} {
		if r.PostFormValue(k) != "" {
			f.values[k] = "1"
		}
	}
	f.staff = clipAll(r.PostForm["staff"])
	f.clients = clipAll(r.PostForm["client"])
	f.days = clipAll(r.PostForm["byday"])
	return f
}

func clipAll(vs []string) []string {
	var out []string
	for i, v := range vs {
		if i >= store.MaxEventAttendees+1 {
			break
		}
		out = append(out, clip(strings.TrimSpace(v), 64))
	}
	return out
}

// parseTypedDate reads a date from a date input (2026-11-30) or as typed
// (11/30/2026).
func parseTypedDate(s string) (hmis.Date, bool) { return parseClientDate(s) }

// parseTypedTime reads "14:30", "2:30 PM" or "2:30pm".
func parseTypedTime(s string) (h, m int, ok bool) {
	s = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	for _, layout := range []string{"15:04", "15:04:05", "3:04PM", "3PM"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Hour(), t.Minute(), true
		}
	}
	return 0, 0, false
}

// input converts the form into the store's input; errs holds what could
// not be read.
func (f eventForm) input() (store.EventInput, map[string]string) {
	errs := map[string]string{}
	v := f.values
	in := store.EventInput{Title: v["title"], Location: v["location"], Notes: v["notes"], AllDay: v["all_day"] != "",
		FollowUp: v["follow_up"] != "", StaffIDs: f.staff, ClientIDs: f.clients, TimeZone: calendar.ZoneName()}
	at := func(dateField, timeField string, required bool) time.Time {
		d, ok := parseTypedDate(v[dateField])
		if v[dateField] == "" {
			if required {
				errs[dateField] = "Give the date."
			}
			return time.Time{}
		}
		if !ok {
			errs[dateField] = "Enter a real date as MM/DD/YYYY."
			return time.Time{}
		}
		h, m := 0, 0
		if !in.AllDay {
			var ok bool
			if h, m, ok = parseTypedTime(v[timeField]); !ok {
				if v[timeField] == "" {
					errs[timeField] = "Give the time, or make the event all day."
				} else {
					errs[timeField] = "Enter a time such as 9:30 AM or 14:30."
				}
				return time.Time{}
			}
		}
		t := d.Time()
		return time.Date(t.Year(), t.Month(), t.Day(), h, m, 0, 0, time.Local)
	}
	in.Start = at("start_date", "start_time", true)
	endDate := v["end_date"]
	if endDate == "" {
		// The end's date defaults to the start's.
		v["end_date"] = v["start_date"]
	}
	in.End = at("end_date", "end_time", !in.AllDay)
	if endDate == "" {
		v["end_date"] = ""
	}
	switch v["repeat"] {
	case "", calendar.Daily, calendar.Weekly, calendar.Monthly:
		in.Rule.Freq = v["repeat"]
	default:
		errs["repeat"] = "Choose how the event repeats."
	}
	if in.Rule.Repeats() {
		if s := v["repeat_interval"]; s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				errs["repeat_interval"] = "Give a whole number, 1 or more."
			}
			in.Rule.Interval = n
		}
		if s := v["repeat_count"]; s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				errs["repeat_count"] = "Give a whole number, 1 or more."
			}
			in.Rule.Count = n
		}
		if s := v["repeat_until"]; s != "" {
			d, ok := parseTypedDate(s)
			if !ok {
				errs["repeat_until"] = "Enter a real date as MM/DD/YYYY."
			}
			in.Rule.Until = d.Time()
		}
		for _, d := range f.days {
			wd, ok := calendar.ParseDayCode(d)
			if !ok {
				errs["repeat_byday"] = "Choose weekdays from the list."
				continue
			}
			in.Rule.ByDay = append(in.Rule.ByDay, wd)
		}
	}
	return in, errs
}

// fieldFor maps the store's field names onto the form's.
func fieldFor(k string) string {
	switch k {
	case "start":
		return "start_date"
	case "end":
		return "end_date"
	case "clients", "attendees":
		return "client"
	}
	return k
}

func (s *Server) newEventForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	f := eventForm{values: map[string]string{}}
	if d, err := hmis.ParseDate(clip(r.URL.Query().Get("date"), 10)); err == nil {
		f.values["start_date"] = d.String()
	} else {
		f.values["start_date"] = hmis.DateOf(time.Now()).String()
	}
	f.values["start_time"], f.values["end_time"] = "09:00", "10:00"
	if c := clip(r.URL.Query().Get("client"), 64); c != "" {
		if _, err := findVisibleClient(r, rq, c); err != nil {
			return err
		}
		f.clients = []string{c}
	}
	return s.renderEventForm(w, r, rq, http.StatusOK, "", f, map[string]string{})
}

func (s *Server) renderEventForm(w http.ResponseWriter, r *http.Request, rq *request, status int, id string, f eventForm, errs map[string]string) error {
	ctx := r.Context()
	p := eventFormPage{Heading: "New event", Action: rq.base() + "/" + calendarPath + "/new", CancelURL: rq.base() + "/" + calendarPath,
		Values: f.values, Errors: errs, Editing: id != ""}
	if id != "" {
		p.Heading, p.Action, p.CancelURL = "Change event", eventHref(rq, id)+"/edit", eventHref(rq, id)
	}
	for _, k := range []string{"title", "start_date", "start_time", "end_date", "end_time", "location", "notes",
		"repeat", "repeat_interval", "repeat_count", "repeat_until", "all_day", "follow_up"} {
		if _, ok := p.Values[k]; !ok {
			p.Values[k] = "" // the templates pass each one on
		}
	}
	if len(errs) > 0 {
		p.Error = "The event was not saved: correct the fields marked below."
	}
	accounts, err := rq.Site.Store.FindAccounts(ctx)
	if err != nil {
		return err
	}
	for _, a := range accounts {
		if a.Disabled || a.ID == rq.Account.ID {
			continue
		}
		p.Staff = append(p.Staff, checkOption{a.ID, a.DisplayName() + " (" + a.Username + ")", contains(f.staff, a.ID)})
	}
	// Clients: those already chosen, then the user's recent clients.
	seen := map[string]bool{}
	for _, id := range f.clients {
		c, err := rq.Site.Store.FindClientByID(ctx, id)
		if hmis.ErrorCode(err) == hmis.ENOTFOUND {
			continue
		} else if err != nil {
			return err
		}
		seen[id] = true
		p.Clients = append(p.Clients, checkOption{id, personName(c.FirstName, "", c.LastName), true})
	}
	recent, err := rq.Site.Store.RecentClients(ctx, 15)
	if err != nil {
		return err
	}
	for _, c := range recent {
		if !seen[c.PersonalID] {
			seen[c.PersonalID] = true
			p.Clients = append(p.Clients, checkOption{c.PersonalID, personName(c.FirstName, "", c.LastName), false})
		}
	}
	for _, d := range weekdayOrder {
		code := calendar.DayCode(d)
		p.Weekdays = append(p.Weekdays, checkOption{code, d.String(), contains(f.days, code)})
	}
	p.Repeats = []option{{"", "Does not repeat"}, {calendar.Daily, "Daily"}, {calendar.Weekly, "Weekly"}, {calendar.Monthly, "Monthly"}}
	if p.Shell, err = s.shell(r, rq, "home", rq.base()+"/"+calendarPath, p.Heading); err != nil {
		return err
	}
	return s.render(w, r, status, "calendar_event_form", &p)
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// createEvent saves a new event, or shows the form again as typed.
func (s *Server) createEvent(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.saveEventForm(w, r, rq, "")
}

func (s *Server) saveEventForm(w http.ResponseWriter, r *http.Request, rq *request, id string) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	f := readEventForm(r)
	in, errs := f.input()
	if len(errs) == 0 {
		var e store.Event
		var err error
		if id == "" {
			e, err = rq.Site.Store.CreateEvent(r.Context(), in)
		} else {
			e, err = rq.Site.Store.UpdateEvent(r.Context(), id, in)
		}
		var he *hmis.Error
		switch {
		case err == nil:
			http.Redirect(w, r, eventHref(rq, e.ID)+"?saved=1", http.StatusSeeOther)
			return nil
		case errors.As(err, &he) && he.Code == hmis.EINVALID && len(he.Fields) > 0:
			for k, msg := range he.Fields {
				errs[fieldFor(k)] = msg
			}
		case errors.As(err, &he) && he.Code == hmis.ENOTFOUND && id == "":
			errs["client"] = "One of these clients does not exist or you may not see them."
		default:
			return err
		}
	}
	return s.renderEventForm(w, r, rq, http.StatusUnprocessableEntity, id, f, errs)
}

// eventPage is one event.
type eventPage struct {
	Shell
	Event       store.Event
	When        string
	Repeat      string
	Clients     []navLink
	Staff       []string
	Mine        bool // the owner: may change, delete, cancel occurrences
	CanFollowUp bool
	FollowUp    string // "", "Not done yet", "Done on ..."
	Upcoming    []occurrenceRow
	Base        string
	Notice      string
	NotesLines  []string
}

type occurrenceRow struct {
	When, Value string
}

func (s *Server) eventPageHandler(w http.ResponseWriter, r *http.Request, rq *request) error {
	id := r.PathValue("id")
	e, err := rq.Site.Store.FindEvent(r.Context(), id)
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		return &hmis.Error{Code: hmis.ENOTFOUND, Message: "There is no event at this address, or you may not see it."}
	} else if err != nil {
		return err
	}
	p := eventPage{Event: e, When: whenText(&e), Repeat: e.Rule.Describe(), Base: eventHref(rq, e.ID),
		Mine: e.OwnerAccountID == rq.Account.ID}
	switch {
	case r.URL.Query().Get("saved") != "":
		p.Notice = "The event was saved."
	case r.URL.Query().Get("cancelled") != "":
		p.Notice = "The occurrence was cancelled."
	case r.URL.Query().Get("followup") != "":
		p.Notice = "The follow-up was updated."
	}
	for _, c := range e.Clients {
		p.Clients = append(p.Clients, navLink{Label: personName(c.FirstName, "", c.LastName), Href: clientHref(rq, c.PersonalID)})
	}
	p.CanFollowUp = p.Mine
	for _, st := range e.Staff {
		p.Staff = append(p.Staff, st.Name)
		p.CanFollowUp = p.CanFollowUp || st.AccountID == rq.Account.ID
	}
	if e.FollowUp {
		p.FollowUp = "Not done yet"
		if !e.FollowUpDone.IsZero() {
			p.FollowUp = "Done " + datetime(e.FollowUpDone)
		}
	}
	for _, line := range strings.Split(e.Notes, "\n") {
		p.NotesLines = append(p.NotesLines, strings.TrimRight(line, "\r"))
	}
	if e.Rule.Repeats() {
		now := time.Now()
		for i, o := range store.Occurrences([]store.Event{e}, now, now.AddDate(1, 0, 0)) {
			if i >= 10 {
				break
			}
			row := occurrenceRow{Value: o.Start.UTC().Format(time.RFC3339)}
			if e.AllDay {
				row.When = o.Start.UTC().Format("Monday, January 2, 2006")
			} else {
				row.When = o.Start.Local().Format("Monday, January 2, 2006") + ", " + clockTime(o.Start)
			}
			p.Upcoming = append(p.Upcoming, row)
		}
	}
	if p.Shell, err = s.shell(r, rq, "home", rq.base()+"/"+calendarPath, e.Title); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "calendar_event", &p)
}

// editEventForm shows the form filled with the event.
func (s *Server) editEventForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	id := r.PathValue("id")
	e, err := rq.Site.Store.FindEvent(r.Context(), id)
	if err != nil {
		return err
	}
	if e.OwnerAccountID != rq.Account.ID {
		return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only the person who made this event may change it."}
	}
	f := eventForm{values: map[string]string{"title": e.Title, "location": e.Location, "notes": e.Notes, "repeat": e.Rule.Freq}}
	if e.AllDay {
		f.values["all_day"] = "1"
		f.values["start_date"] = e.Start.UTC().Format(time.DateOnly)
		f.values["end_date"] = e.End.UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	} else {
		s, en := e.Start.Local(), e.End.Local()
		f.values["start_date"], f.values["start_time"] = s.Format(time.DateOnly), s.Format("15:04")
		f.values["end_date"], f.values["end_time"] = en.Format(time.DateOnly), en.Format("15:04")
	}
	if e.FollowUp {
		f.values["follow_up"] = "1"
	}
	if e.Rule.Repeats() {
		f.values["repeat_interval"] = strconv.Itoa(max(e.Rule.Interval, 1))
		if e.Rule.Count > 0 {
			f.values["repeat_count"] = strconv.Itoa(e.Rule.Count)
		}
		if !e.Rule.Until.IsZero() {
			f.values["repeat_until"] = e.Rule.Until.Format(time.DateOnly)
		}
		for _, d := range e.Rule.ByDay {
			f.days = append(f.days, calendar.DayCode(d))
		}
	}
	for _, st := range e.Staff {
		f.staff = append(f.staff, st.AccountID)
	}
	for _, c := range e.Clients {
		f.clients = append(f.clients, c.PersonalID)
	}
	return s.renderEventForm(w, r, rq, http.StatusOK, id, f, map[string]string{})
}

func (s *Server) updateEvent(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.saveEventForm(w, r, rq, r.PathValue("id"))
}

func (s *Server) deleteEvent(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := rq.Site.Store.DeleteEvent(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	http.Redirect(w, r, rq.base()+"/"+calendarPath+"?deleted=1", http.StatusSeeOther)
	return nil
}

func (s *Server) cancelOccurrence(w http.ResponseWriter, r *http.Request, rq *request) error {
	id := r.PathValue("id")
	at, err := time.Parse(time.RFC3339, clip(r.PostFormValue("occurrence"), 40))
	if err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "Choose an occurrence to cancel."}
	}
	e, err := rq.Site.Store.FindEvent(r.Context(), id)
	if err != nil {
		return err
	}
	if !e.AllDay {
		at = at.In(e.Zone())
	}
	if err := rq.Site.Store.CancelOccurrence(r.Context(), id, at); err != nil {
		return err
	}
	http.Redirect(w, r, eventHref(rq, id)+"?cancelled=1", http.StatusSeeOther)
	return nil
}

func (s *Server) eventFollowUp(w http.ResponseWriter, r *http.Request, rq *request) error {
	id := r.PathValue("id")
	if err := rq.Site.Store.SetFollowUpDone(r.Context(), id, r.PostFormValue("done") == "1"); err != nil {
		return err
	}
	to := eventHref(rq, id) + "?followup=1"
	if next := r.PostFormValue("next"); next != "" {
		to = safeNext(rq.base(), next)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
