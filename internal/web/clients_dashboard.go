package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
)

// The Client Dashboard (issue 4), laid out as ClientTrack's "John
// Lennon's Dashboard": a header bar with the name, birth date, age and
// flags; the client's information; Enrollments and Services tables,
// newest first; the household; how far the record is shared. Opening it
// is audited ("read client"), which also feeds Recent Clients.

const (
	dashboardPath = "clients/dashboard"
	recentPath    = "home/recent"
)

// errNoClient is the answer for a client that does not exist and for one
// the user may not see: the same page, the same status.
var errNoClient = &hmis.Error{Code: hmis.ENOTFOUND, Message: "There is no client at this address, or you may not see this client."}

type clientDashboard struct {
	Shell
	Empty    bool // Client Dashboard opened with no client yet
	Added    bool // just added
	Client   store.ClientDetail
	Name     string
	DOB      string
	Age      string
	Flags    []string
	Facts    []fact
	Sharing  string
	Enrolls  []enrollmentRow
	Services []serviceRow
	Members  []memberRow
	FindHref string
	// Links to the client's other pages (clients_edit.go, clients_notes.go,
	// clients_family.go).
	EditHref, NotesHref, FamilyHref string
	SharingHref                     string // clients_sharing.go
	EnrollmentsHref, ServicesHref   string
	SSNRevealAction                 string // clients_ssn.go: "" unless the user may see the full SSN
	// pii_client.go: reveal the sensitive fields ("" unless permitted and
	// some are hidden); the photo (or its placeholder).
	SensitiveRevealAction string
	Photo                 piiPhotoView
	// RestrictionPrompt asks, right after the intake, which restriction
	// applies (clients_sharing.go); empty otherwise.
	RestrictionPrompt []option
	CalendarHref      string          // calendar.go
	Upcoming          []upcomingRow   // the client's next appointments (30 days)
	Workflows         clientWorkflows // start an intake; paused ones (workflows.go)
}

type fact struct{ Label, Value string }

type enrollmentRow struct {
	store.ClientEnrollment
	Entry, Exit string
}

type serviceRow struct {
	store.ServiceRow
	Date, Type, Units, Total, Organization string
}

// upcomingRow is one of the client's next appointments.
type upcomingRow struct{ When, Title, Href string }

type memberRow struct {
	store.HouseholdMember
	Href, Name, DOB, Relationship string
}

func (s *Server) clientDashboardPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showClient(w, r, rq, r.PathValue("personalID"))
}

// currentClient is the Client Dashboard menu option: the client opened
// last, or a pointer to Find Client.
func (s *Server) currentClient(w http.ResponseWriter, r *http.Request, rq *request) error {
	recent, err := rq.Site.Store.RecentClients(r.Context(), 1)
	if err != nil {
		return err
	}
	if len(recent) > 0 {
		return s.showClient(w, r, rq, recent[0].PersonalID)
	}
	p := clientDashboard{Empty: true, FindHref: rq.base() + "/" + findPath}
	if p.Shell, err = s.shell(r, rq, "clients", rq.base()+"/"+dashboardPath, "Client Dashboard"); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "client_dashboard", &p)
}

func (s *Server) showClient(w http.ResponseWriter, r *http.Request, rq *request, id string) error {
	ctx := r.Context()
	st := rq.Site.Store
	if id == "" || len(id) > 64 {
		return errNoClient
	}
	c, err := st.FindClientByID(ctx, id)
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		return errNoClient
	} else if err != nil {
		return err
	}
	detail := ""
	if r.URL.Query().Get("from") == "intake-same" {
		// The user chose this client as the one they were about to add
		// again (Add New Client's duplicate check, issue 4 item 2).
		detail = "chosen at intake as the same person"
	}
	if err := st.Audit(ctx, "read", "client", id, detail); err != nil {
		return err
	}
	enrolls, err := st.FindClientEnrollments(ctx, id)
	if err != nil {
		return err
	}
	// Every service the user may see, HUD and the programs' own, with
	// their units and amounts (the view's one audit row is above).
	services, err := st.FindClientServiceRowsUnaudited(ctx, id)
	if err != nil {
		return err
	}
	// The household: the client's family when one is recorded (Family,
	// store/families.go), else the people of their latest shared
	// enrollment household.
	family, err := st.ClientFamilyGroupUnaudited(ctx, id) // the view's one audit row is below
	if err != nil {
		return err
	}
	var members []store.HouseholdMember
	if len(family.Members) <= 1 && family.Hidden == 0 {
		if members, err = st.FindClientHousehold(ctx, id); err != nil {
			return err
		}
	} else {
		for _, m := range family.Members {
			if m.Self {
				continue
			}
			rel := m.Relationship
			members = append(members, store.HouseholdMember{PersonalID: m.PersonalID, FirstName: m.FirstName, LastName: m.LastName,
				DOB: m.DOB, Relationship: &rel})
		}
	}
	today := hmis.DateOf(time.Now())
	name := strings.TrimSpace(strings.Join([]string{c.FirstName, c.MiddleName, c.LastName, c.NameSuffix}, " "))
	if name == "" {
		name = "Client without a name"
	}
	p := clientDashboard{Client: c, Name: strings.Join(strings.Fields(name), " "), DOB: usDate(c.DOB), Age: age(c.DOB, today),
		Added: r.URL.Query().Get("added") != "", FindHref: rq.base() + "/" + findPath}
	p.EditHref, p.NotesHref, p.FamilyHref = clientHref(rq, id)+"/edit", clientHref(rq, id)+"/notes", clientHref(rq, id)+"/family"
	p.SharingHref = clientHref(rq, id) + "/sharing"
	p.EnrollmentsHref = clientHref(rq, id) + "/enrollments" // each enrollment row links to its row there
	p.ServicesHref = clientHref(rq, id) + "/services"       // each service to its enrollment's services
	p.CalendarHref = clientHref(rq, id) + "/calendar"
	// Upcoming appointments: the next five occurrences in 30 days
	// (calendar.go; FindEvents audits the read of the client's calendar).
	now := time.Now()
	evs, err := st.FindEvents(ctx, store.EventQuery{From: now, To: now.AddDate(0, 0, 30), PersonalID: id})
	if err != nil {
		return err
	}
	for _, o := range store.Occurrences(evs, now, now.AddDate(0, 0, 30)) {
		if len(p.Upcoming) == 5 {
			break
		}
		when := o.Start.Local().Format("Mon 01/02/2006 3:04 PM")
		if o.Event.AllDay {
			when = o.Start.Format("Mon 01/02/2006") + ", all day"
		}
		p.Upcoming = append(p.Upcoming, upcomingRow{When: when, Title: o.Event.Title, Href: eventHref(rq, o.Event.ID)})
	}
	if p.Workflows, err = s.clientWorkflows(r, rq, id); err != nil {
		return err
	}
	if p.Shell, err = s.shell(r, rq, "clients", rq.base()+"/"+dashboardPath, p.Name+"’s Dashboard"); err != nil {
		return err
	}
	open := 0
	for _, e := range enrolls {
		row := enrollmentRow{ClientEnrollment: e, Entry: usDate(e.EntryDate), Exit: usDate(e.ExitDate)}
		if row.CaseName == "" {
			row.CaseName = "—"
		}
		if row.ProjectName == "" {
			row.ProjectName = "Program " + e.ProjectID
		}
		if e.ExitDate.IsZero() {
			open++
		}
		p.Enrolls = append(p.Enrolls, row)
	}
	for _, v := range services {
		row := serviceRow{ServiceRow: v, Date: usDate(v.DateProvided), Type: v.Name, Units: "—", Total: dollars(v.Amount),
			Organization: v.ProviderName}
		if v.CatalogID == "" && v.RecordType != nil && v.RecordType.Label() != "" { // a HUD record alone (imported)
			row.Type = joinNonEmpty(": ", v.RecordType.Label(), v.Name)
		}
		if row.Type == "" {
			row.Type = "Service"
		}
		if v.Units > 0 { // imported HUD records carry no units
			row.Units = strconv.Itoa(v.Units) + " " + v.Unit
		}
		if row.Organization == "" {
			row.Organization = v.OrganizationName
		}
		p.Services = append(p.Services, row)
	}
	for _, m := range members {
		row := memberRow{HouseholdMember: m, Href: clientHref(rq, m.PersonalID), Name: personName(m.FirstName, "", m.LastName), DOB: piiDOB(r, rq, m.DOB)}
		if m.Relationship != nil {
			row.Relationship = m.Relationship.Label()
		}
		p.Members = append(p.Members, row)
	}
	p.Flags = clientFlags(&c.Client, today, open)
	p.Facts = clientFacts(&c.Client, today)
	// The HMIS's own fields (limited English, marital status, ...).
	defs, err := st.ClientFieldDefs(ctx, false)
	if err != nil {
		return err
	}
	extra, err := st.ClientFieldValues(ctx, id)
	if err != nil {
		return err
	}
	hiddenFields := false
	for _, d := range defs {
		v := extra[d.ID]
		switch {
		case v == "":
			v = "Not recorded"
		case d.Sensitive && v == store.SensitiveFieldMask:
			v, hiddenFields = "Hidden (sensitive)", true
		case d.Kind == store.FieldYesNo && v == "yes":
			v = "Yes"
		case d.Kind == store.FieldYesNo && v == "no":
			v = "No"
		}
		p.Facts = append(p.Facts, fact{Label: d.Label, Value: v})
	}
	p.Sharing = sharingLabel(c)
	if err := piiDashboard(r, rq, &p, hiddenFields); err != nil {
		return err
	}
	if p.SSNRevealAction, err = ssnRevealAction(r, rq, c); err != nil {
		return err
	}
	if p.Added {
		p.RestrictionPrompt = restrictionPrompt(r, c)
	}
	return s.render(w, r, http.StatusOK, "client_dashboard", &p)
}

// clientFlags are the short notes of the header bar.
func clientFlags(c *hmis.Client, today hmis.Date, open int) []string {
	var fs []string
	if c.VeteranStatus != nil && *c.VeteranStatus == 1 {
		fs = append(fs, "Veteran")
	}
	if !c.DOB.IsZero() && c.DOB.AgeOn(today) < 18 {
		fs = append(fs, "Minor")
	}
	switch {
	case open == 1:
		fs = append(fs, "Enrolled in 1 program")
	case open > 1:
		fs = append(fs, "Enrolled in "+thousands(open)+" programs")
	}
	if c.NameDataQuality != nil && *c.NameDataQuality != 1 || c.DOBDataQuality != nil && *c.DOBDataQuality != 1 ||
		c.SSNDataQuality != nil && *c.SSNDataQuality != 1 {
		fs = append(fs, "Incomplete identity data")
	}
	return fs
}

// clientFacts is the information panel.
func clientFacts(c *hmis.Client, today hmis.Date) []fact {
	label := func(l interface{ Label() string }, ok bool) string {
		if !ok {
			return "Not recorded"
		}
		return l.Label()
	}
	dob := usDate(c.DOB)
	if dob == "" {
		dob = "Not recorded"
	}
	if c.DOBDataQuality != nil {
		dob += " (" + c.DOBDataQuality.Label() + ")"
	}
	ageText := age(c.DOB, today)
	if ageText == "" {
		ageText = "Unknown"
	}
	var races []string
	for _, r := range []struct {
		v     *hud.NoYes
		label string
	}{
		{c.AmIndAKNative, raceFields[0].Label}, {c.Asian, raceFields[1].Label}, {c.BlackAfAmerican, raceFields[2].Label},
		{c.HispanicLatinao, raceFields[3].Label}, {c.MidEastNAfrican, raceFields[4].Label},
		{c.NativeHIPacific, raceFields[5].Label}, {c.White, raceFields[6].Label},
	} {
		if r.v != nil && *r.v == 1 {
			races = append(races, r.label)
		}
	}
	if c.RaceNone != nil {
		races = append(races, c.RaceNone.Label())
	}
	if c.AdditionalRaceEthnicity != "" {
		races = append(races, c.AdditionalRaceEthnicity)
	}
	race := strings.Join(races, "; ")
	if race == "" {
		race = "Not recorded"
	}
	ssn := "Not recorded"
	if m := maskSSN(c.SSN); m != "" {
		ssn = m
	}
	return []fact{
		{"Date of birth", dob},
		{"Age", ageText},
		{"Sex", label(c.Sex, c.Sex != nil)},
		{"Race and ethnicity", race},
		{"Veteran status", label(c.VeteranStatus, c.VeteranStatus != nil)},
		{"SSN", ssn},
	}
}

// sharingLabel says how far the record is shared.
func sharingLabel(c store.ClientDetail) string {
	org := c.OrganizationName
	if org == "" {
		org = "no organization"
	}
	switch c.Restriction {
	case store.RestrictionGlobal:
		return "Shared with every organization of the HMIS (entered by " + org + ")."
	case store.RestrictionRelease:
		return "Shared by the client's releases of information; belongs to " + org + "."
	}
	return "Seen by " + org + " only."
}

// recentPage is Recent Clients on the Home tab.
type recentPage struct {
	Shell
	Clients []recentRow
}

type recentRow struct{ Href, Name, DOB, Age string }

func (s *Server) recentClients(w http.ResponseWriter, r *http.Request, rq *request) error {
	sh, err := s.shell(r, rq, "home", rq.base()+"/"+recentPath, "Recent Clients")
	if err != nil {
		return err
	}
	recent, err := rq.Site.Store.RecentClients(r.Context(), 20)
	if err != nil {
		return err
	}
	p := recentPage{Shell: sh}
	today := hmis.DateOf(time.Now())
	for _, c := range recent {
		p.Clients = append(p.Clients, recentRow{Href: clientHref(rq, c.PersonalID), Name: personName(c.FirstName, "", c.LastName),
			DOB: piiDOB(r, rq, c.DOB), Age: age(c.DOB, today)})
	}
	return s.render(w, r, http.StatusOK, "client_recent", &p)
}
