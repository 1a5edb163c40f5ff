package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/calendar"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// The private iCalendar feed (issue 8): /{site}/calendar/feed/{token}.ics
// holds the user's events (owner or attendee) and the annual assessments
// due for the user's enrollments, as RFC 5545 that calendar programs
// subscribe to. The token in the URL is the credential (stored hashed,
// revocable on the settings page); the feed reads as the token's account
// (actor via "ical"), so the store applies the same access rule and
// audits client events as on the pages. Clients appear by their initials
// only unless the user chose full names on the settings page; event
// notes, which may hold anything, are left out unless names are on too.

const (
	// feedPast and feedFuture bound the events the feed holds.
	feedPast   = 180 * 24 * time.Hour
	feedFuture = 2 * 366 * 24 * time.Hour
)

type calendarSettingsPage struct {
	Shell
	Settings store.CalendarSettings
	FeedURL  string // shown once, right after it was made
	Notice   string
}

func (s *Server) calendarSettings(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderCalendarSettings(w, r, rq, "", "")
}

func (s *Server) renderCalendarSettings(w http.ResponseWriter, r *http.Request, rq *request, feedURL, notice string) error {
	cs, err := rq.Site.Store.FindCalendarSettings(r.Context())
	if err != nil {
		return err
	}
	p := calendarSettingsPage{Settings: cs, FeedURL: feedURL, Notice: notice}
	switch r.URL.Query().Get("saved") {
	case "names":
		p.Notice = "Your setting was saved."
	case "revoked":
		p.Notice = "The subscription link was revoked: calendar programs using it now get an error."
	}
	if p.Shell, err = s.shell(r, rq, "home", rq.base()+"/"+calendarPath, "Calendar settings"); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "calendar_settings", &p)
}

// calendarSettingsPost handles the settings page's three forms.
func (s *Server) calendarSettingsPost(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	st := rq.Site.Store
	switch r.PostFormValue("action") {
	case "names":
		if err := st.SetCalendarShowClientNames(ctx, r.PostFormValue("show_client_names") == "1"); err != nil {
			return err
		}
		http.Redirect(w, r, rq.base()+"/"+calendarPath+"/settings?saved=names", http.StatusSeeOther)
		return nil
	case "new":
		token, err := st.NewCalendarFeedToken(ctx)
		if err != nil {
			return err
		}
		// The link is shown on this response only: the token is not stored.
		w.Header().Set("Cache-Control", "no-store")
		return s.renderCalendarSettings(w, r, rq, feedURL(r, rq, token),
			"Your new subscription link is below. Copy it now: Hearth does not keep it and cannot show it again.")
	case "revoke":
		if err := st.RevokeCalendarFeed(ctx); err != nil {
			return err
		}
		http.Redirect(w, r, rq.base()+"/"+calendarPath+"/settings?saved=revoked", http.StatusSeeOther)
		return nil
	}
	return &hmis.Error{Code: hmis.EINVALID, Message: "Unknown action."}
}

// feedURL is the absolute feed URL for token, on the host the request
// came to.
func feedURL(r *http.Request, rq *request, token string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + rq.base() + "/calendar/feed/" + token + ".ics"
}

// calendarFeed serves the feed. Unknown and revoked tokens are 404 with a
// message saying which; no session is involved.
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request, rq *request) error {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		return feedError(w, http.StatusNotFound, "There is no calendar feed at this address.")
	}
	acct, cs, err := rq.Site.Store.CalendarFeedAccount(r.Context(), token)
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		return feedError(w, http.StatusNotFound, hmis.ErrorMessage(err))
	} else if err != nil {
		return err
	}
	ctx := hmis.NewContext(r.Context(), acct.Actor("ical"))
	st := rq.Site.Store
	now := time.Now()
	from, to := now.Add(-feedPast), now.Add(feedFuture)
	evs, err := st.FindEvents(ctx, store.EventQuery{From: from, To: to})
	if err != nil {
		return err
	}
	today := hmis.DateOf(now)
	due, err := st.DueAnnualAssessmentsFor(ctx, today.AddDays(-store.AnnualWindowDays-366), today.AddDays(90), store.AnnualFilter{OwnPrograms: true})
	if err != nil {
		return err
	}
	body := writeFeed(rq.Site.Slug, rq.Site.Title, now, evs, due, cs.ShowClientNames)
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="hearth-calendar.ics"`)
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
	return nil
}

// feedError answers a feed request with a plain message: calendar
// programs show the status, a person opening the link reads the text.
func feedError(w http.ResponseWriter, status int, msg string) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(msg + "\n"))
	return nil
}

// writeFeed writes the VCALENDAR.
func writeFeed(slug, title string, now time.Time, evs []store.Event, due []store.AnnualAssessment, names bool) []byte {
	var c calendar.ICS
	c.Line("BEGIN", "VCALENDAR")
	c.Line("VERSION", "2.0")
	c.Line("PRODID", "-//Hearth HMIS//Calendar//EN")
	c.Line("CALSCALE", "GREGORIAN")
	c.Line("METHOD", "PUBLISH")
	c.Line("X-WR-CALNAME", calendar.Text("Hearth: "+title))
	// Time zones: one VTIMEZONE per zone used that is not UTC, over the
	// years the events span.
	zones := map[string][2]int{}
	for _, e := range evs {
		if e.AllDay || e.Zone() == time.UTC {
			continue
		}
		y0, y1 := e.Start.Year(), now.Add(feedFuture).Year()
		if r, ok := zones[e.TimeZone]; ok {
			y0, y1 = min(y0, r[0]), max(y1, r[1])
		}
		zones[e.TimeZone] = [2]int{y0, y1}
	}
	for name, yr := range zones {
		c.VTimezone(name, calendar.Location(name), yr[0], yr[1])
	}
	stamp := calendar.UTCStamp(now)
	who := func(cs []store.EventClient) string {
		var out []string
		for _, cl := range cs {
			if names {
				out = append(out, strings.TrimSpace(cl.FirstName+" "+cl.LastName))
			} else {
				out = append(out, cl.Initials())
			}
		}
		return strings.Join(out, ", ")
	}
	for _, e := range evs {
		c.Line("BEGIN", "VEVENT")
		c.Line("UID", e.ID+"@hearth-"+slug)
		c.Line("DTSTAMP", stamp)
		c.Line("LAST-MODIFIED", calendar.UTCStamp(e.DateUpdated))
		dt := func(name string, t time.Time) {
			switch {
			case e.AllDay:
				c.Line(name+";VALUE=DATE", calendar.DateStamp(t.UTC()))
			case e.Zone() == time.UTC:
				c.Line(name, calendar.UTCStamp(t))
			default:
				c.Line(name+";TZID="+e.TimeZone, calendar.LocalStamp(t.In(e.Zone())))
			}
		}
		dt("DTSTART", e.Start)
		dt("DTEND", e.End)
		if rule := e.Rule.RRULE(e.AllDay, e.Zone()); rule != "" {
			c.Line("RRULE", rule)
			for _, x := range e.Cancelled {
				dt("EXDATE", x)
			}
		}
		summary := e.Title
		if w := who(e.Clients); w != "" {
			summary += " (" + w + ")"
		}
		c.Line("SUMMARY", calendar.Text(summary))
		if e.Location != "" {
			c.Line("LOCATION", calendar.Text(e.Location))
		}
		if names && e.Notes != "" {
			c.Line("DESCRIPTION", calendar.Text(e.Notes))
		}
		c.Line("STATUS", "CONFIRMED")
		c.Line("TRANSP", "OPAQUE")
		c.Line("END", "VEVENT")
	}
	for _, a := range due {
		c.Line("BEGIN", "VEVENT")
		c.Line("UID", "annual-"+a.EnrollmentID+"-"+strconv.Itoa(a.Year)+"@hearth-"+slug)
		c.Line("DTSTAMP", stamp)
		c.Line("DTSTART;VALUE=DATE", calendar.DateStamp(a.Anniversary.Time()))
		c.Line("DTEND;VALUE=DATE", calendar.DateStamp(a.Anniversary.AddDays(1).Time()))
		name := store.EventClient{FirstName: a.FirstName, LastName: a.LastName}
		client := name.Initials()
		if names {
			client = strings.TrimSpace(a.FirstName + " " + a.LastName)
		}
		c.Line("SUMMARY", calendar.Text("Annual assessment "+a.Status+": "+client))
		c.Line("DESCRIPTION", calendar.Text("HUD annual assessment (data collection stage 5), window "+
			a.WindowStart.Format("01/02/2006")+" to "+a.WindowEnd.Format("01/02/2006")+"."))
		c.Line("TRANSP", "TRANSPARENT")
		c.Line("END", "VEVENT")
	}
	c.Line("END", "VCALENDAR")
	return c.Bytes()
}
