package web

import (
	"net/http"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// The dashboard's reminders (issue 8): today's events, overdue
// follow-ups, and the annual assessments due or overdue (HUD: within 30
// days of each anniversary of the head of household's start) for the
// enrollments the user may see.

// reminderAssessments is how many assessments the dashboard lists.
const reminderAssessments = 10

type calendarReminders struct {
	Today           []calItem
	FollowUps       []calItem
	Assessments     []calItem
	MoreAssessments int
	CalendarHref    string
}

func (s *Server) calendarReminders(r *http.Request, rq *request) (*calendarReminders, error) {
	ctx := r.Context()
	st := rq.Site.Store
	now := time.Now()
	today := hmis.DateOf(now)
	rem := &calendarReminders{CalendarHref: rq.base() + "/" + calendarPath}
	from, to := localMidnight(today), localMidnight(today.AddDays(1))
	evs, err := st.FindEvents(ctx, store.EventQuery{From: from, To: to})
	if err != nil {
		return nil, err
	}
	for _, o := range store.Occurrences(evs, from, to) {
		rem.Today = append(rem.Today, s.eventItem(rq, o, today))
	}
	overdue, err := st.OverdueFollowUps(ctx, now)
	if err != nil {
		return nil, err
	}
	for _, o := range overdue {
		it := s.eventItem(rq, o, hmis.DateOf(o.Start.Local()))
		it.Time = usDate(hmis.DateOf(o.Start.Local()))
		rem.FollowUps = append(rem.FollowUps, it)
	}
	// Due now (the window is open) and overdue (closed in the last year).
	due, err := st.DueAnnualAssessmentsFor(ctx, today.AddDays(-store.AnnualWindowDays-366), today.AddDays(store.AnnualWindowDays),
		store.AnnualFilter{OwnPrograms: true})
	if err != nil {
		return nil, err
	}
	for _, a := range due {
		if a.Status == store.AnnualUpcoming {
			continue
		}
		if len(rem.Assessments) == reminderAssessments {
			rem.MoreAssessments++
			continue
		}
		it := assessmentItem(rq, a)
		it.Time = "By " + usDate(a.WindowEnd)
		rem.Assessments = append(rem.Assessments, it)
	}
	return rem, nil
}
