package web

import (
	"net/http"

	"github.com/hearth-hmis/hearth/internal/config"
	"github.com/hearth-hmis/hearth/internal/hmis"
)

// The shell is the frame of every signed-in page, laid out the way
// ClientTrack users know it: four tabs along the top, each switching the
// menu groups and menu options in the left-hand navigation.

// menuItem is one menu option. Path is relative to the site ("" is the
// dashboard). Coming, when set, says what the page will hold: the option
// is not built yet and renders the shared "coming" page. Admin options
// are shown to HMIS administrators only (their routes answer "not found"
// to everyone else, see Server.admin).
type menuItem struct {
	Label  string
	Path   string
	Coming string
	Admin  bool
	Desk   bool // the support desk: HMIS administrators and the HMIS support role
}

type menuGroup struct {
	Label string
	Items []menuItem
}

type tabDef struct {
	Key    string
	Label  string
	Groups []menuGroup
}

// tabs is the navigation table. The Clients tab also gets one group per
// funder family from the site's programs (see programGroups).
var tabs = []tabDef{
	{Key: "home", Label: "Home", Groups: []menuGroup{{Label: "Home", Items: []menuItem{
		{Label: "Dashboard", Path: ""},
		{Label: "Calendar", Path: calendarPath},
		{Label: "My Profile", Path: "profile"},
		{Label: "Recent Clients", Path: "home/recent"},
		{Label: "Reports", Path: reportsPath},
		{Label: "Paused Applications", Path: pausedPath},
		{Label: "Import HMIS CSV", Path: importPath, Admin: true},
		{Label: "Export HMIS CSV", Path: exportPath, Admin: true},
		{Label: "Audit Log", Path: auditPath, Desk: true},
	}}, {Label: "Setup", Items: []menuItem{
		{Label: "Users", Path: usersPath, Admin: true},
		{Label: "Organizations", Path: setupOrgsPath, Admin: true},
		{Label: "Programs", Path: setupProgramsPath, Admin: true},
		{Label: "Assessments", Path: setupAssessmentsPath, Admin: true},
		{Label: "Workflows", Path: workflowAdminPath, Admin: true},
	}}}},
	{Key: "clients", Label: "Clients", Groups: []menuGroup{{Label: "Case Management", Items: []menuItem{
		{Label: "Add New Client", Path: "clients/new"},
		{Label: "Client Dashboard", Path: "clients/dashboard"},
		{Label: "Find Client", Path: "clients/find"},
		{Label: "Case Notes", Path: "clients/notes"},
		{Label: "Edit Client Information", Path: "clients/edit"},
		{Label: "Family", Path: "clients/family"},
		{Label: "Assessments", Path: assessmentsMenuPath},
		{Label: "Enrollments", Path: enrollmentsMenuPath},
		{Label: "Services", Path: servicesMenuPath},
		{Label: "Service Roster", Path: serviceRosterPath},
		{Label: "Data Completeness", Path: qualityMenuPath},
		{Label: "Program Data Quality", Path: programQualityMenuPath},
		{Label: "Calendar", Path: clientCalendarMenuPath},
		{Label: "Duplicates", Path: duplicatesPath, Admin: true},
		{Label: "Merges", Path: mergesPath, Admin: true},
		{Label: "Client Fields", Path: clientFieldsPath, Admin: true},
		{Label: "MOU Agreements", Path: mousPath, Admin: true},
	}}}},
	{Key: "housing", Label: "Housing", Groups: []menuGroup{{Label: "Bed Management", Items: []menuItem{
		{Label: "Bed Board", Path: boardPath},
		{Label: "Check-In / Check-Out", Path: checkinPath},
		{Label: "Nightly Roster", Path: rosterPath},
		{Label: "Utilization", Path: utilizationPath},
		{Label: "Inventory", Path: inventoryPath, Admin: true},
	}}}},
	{Key: "support", Label: "Support", Groups: []menuGroup{{Label: "Support", Items: []menuItem{
		{Label: "My Tickets", Path: ticketsPath},
		{Label: "New Ticket", Path: newTicketPath},
		{Label: "Help", Path: helpPath},
		{Label: "Ticket Queue", Path: queuePath, Desk: true},
	}}}},
}

// Shell is the data the layout needs; every page struct embeds it.
type Shell struct {
	Title     string
	Site      *config.Site  // nil on the site chooser and site-less errors
	Account   *hmis.Account // nil when signed out
	Base      string        // "/live"
	Tabs      []navLink     // empty when signed out
	Groups    []navGroup    // the current tab's menu groups
	MenuLabel string        // accessible name of the left-hand navigation
	Unread    int           // unread notifications (support.go)
	ActingFor string        // the organization the user acts for (memberships.go), always shown
	ActingOpt []option      // the organizations the user may switch to (several memberships)
	HelpHref  string        // "Get help with this page": New Ticket for the current page
}

type navLink struct {
	Label   string
	Href    string
	Detail  string // a second line, e.g. a program's organization
	Current bool
}

type navGroup struct {
	Label string
	Items []navLink
}

// shell returns the frame of a signed-in page on tab, with the menu
// option at href marked current. The Clients tab reads the site's programs
// on every request: nothing is cached, so the menu is never stale.
func (s *Server) shell(r *http.Request, rq *request, tab, href, title string) (Shell, error) {
	sh := s.bareShell(rq, title)
	sh.HelpHref = helpLink(rq, r.URL.Path)
	unread, err := rq.Site.Store.CountUnreadNotifications(r.Context())
	if err != nil {
		return sh, err
	}
	sh.Unread = unread
	if sh.ActingFor, sh.ActingOpt, err = s.actingFor(r, rq); err != nil {
		return sh, err
	}
	for _, t := range tabs {
		if t.Key != tab {
			continue
		}
		sh.MenuLabel = t.Label + " menu"
		for _, g := range t.Groups {
			ng := navGroup{Label: g.Label}
			for _, it := range g.Items {
				if it.Admin && !isAdmin(rq) || it.Desk && !isDesk(rq) {
					continue
				}
				h := sh.Base + "/" + it.Path
				ng.Items = append(ng.Items, navLink{Label: it.Label, Href: h, Current: h == href})
			}
			if len(ng.Items) > 0 { // a group of admin options only is hidden from others
				sh.Groups = append(sh.Groups, ng)
			}
		}
	}
	if tab == "clients" {
		groups, err := s.programGroups(r, rq, href)
		if err != nil {
			return sh, err
		}
		sh.Groups = append(sh.Groups, groups...)
	}
	for i := range sh.Tabs {
		sh.Tabs[i].Current = tabs[i].Key == tab
	}
	return sh, nil
}

// bareShell is the frame without a menu: sign-in and error pages. On a
// signed-in request it still has the tabs, none of them current.
func (s *Server) bareShell(rq *request, title string) Shell {
	sh := Shell{Title: title}
	if rq == nil {
		return sh
	}
	sh.Site = &rq.Site.Site
	sh.Base = rq.base()
	sh.Account = rq.Account
	if rq.Account != nil {
		for _, t := range tabs {
			first := t.Groups[0].Items[0]
			sh.Tabs = append(sh.Tabs, navLink{Label: t.Label, Href: sh.Base + "/" + first.Path})
		}
	}
	return sh
}
