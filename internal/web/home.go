package web

import (
	"net/http"

	"github.com/hearth-hmis/hearth/internal/config"
)

// sitesPage is the chooser at /: which database to work in.
type sitesPage struct {
	Shell
	Sites []config.Site
}

func (s *Server) siteList(w http.ResponseWriter, r *http.Request) error {
	p := sitesPage{Shell: Shell{Title: "Choose a site"}}
	for _, st := range s.reg.All() {
		p.Sites = append(p.Sites, st.Site)
	}
	return s.render(w, r, http.StatusOK, "sites", &p)
}

// dashboardPage is the first page after sign-in, as in ClientTrack: the
// site's branding and what the database holds.
type dashboardPage struct {
	Shell
	Heading        string
	AdministeredBy string
	Counts         []countItem
	Reminders      *calendarReminders // calendar_reminders.go: today, follow-ups, annual assessments due
}

type countItem struct {
	Label string
	Value int
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, rq *request) error {
	sh, err := s.shell(r, rq, "home", rq.base()+"/", "Welcome to Hearth — "+rq.Site.Title)
	if err != nil {
		return err
	}
	c, err := rq.Site.Store.DashboardCounts(r.Context())
	if err != nil {
		return err
	}
	p := dashboardPage{Shell: sh, Heading: rq.Site.Heading, AdministeredBy: rq.Site.AdministeredBy, Counts: []countItem{
		{"Clients", c.Clients},
		{"Households", c.Households},
		{"Enrollments", c.Enrollments},
		{"Active enrollments", c.ActiveEnrollments},
		{"Programs", c.Projects},
		{"Organizations", c.Organizations},
		{"Services", c.Services},
	}}
	if p.Reminders, err = s.calendarReminders(r, rq); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "dashboard", &p)
}

// comingPage stands in for a menu option that is not built yet: it wears
// the shell and says honestly what will be there.
type comingPage struct {
	Shell
	Description string
}

func (s *Server) coming(tab string, it menuItem) siteHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		sh, err := s.shell(r, rq, tab, rq.base()+"/"+it.Path, it.Label)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, "coming", &comingPage{Shell: sh, Description: it.Coming})
	}
}
