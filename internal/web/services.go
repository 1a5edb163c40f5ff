package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Services (issue 5 point 6): Clients → Services lists the current
// client's services under each enrollment and records one from the
// enrollment's program catalog; Clients → Service Roster records the same
// service for many enrolled clients of a program at once. The store
// decides who may see and record (store/services.go) and audits both.

const (
	servicesMenuPath  = "clients/services"
	serviceRosterPath = "clients/roster"
)

type clientServicesPage struct {
	Shell
	Name, DashboardHref, Action string
	CanAdd, CanChange           bool
	Added, Removed              bool
	Rows                        []svcRow
	ByEnrollment                []svcGroup // Rows by enrollment
	Form                        *recordForm
	Removing                    *svcRow // the service whose removal is being confirmed
	Changed                     bool    // a service was edited
	Editing                     *svcEdit
}

// svcGroup is one enrollment's services.
type svcGroup struct {
	Heading      string
	EnrollmentID string // the group's anchor: #enrollment-<id> (the dashboard links there)
	Rows         []svcRow
}

type svcRow struct {
	ID, Date, End, Name, HUD, Program, Units, Amount, Provider, RemoveHref string
	EditHref, Note                                                         string
	Restricted                                                             bool
}

func (s *Server) clientServicesPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showClientServices(w, r, rq, r.PathValue("personalID"))
}

func (s *Server) showClientServices(w http.ResponseWriter, r *http.Request, rq *request, id string) error {
	c, err := findVisibleClient(r, rq, id)
	if err != nil {
		return err
	}
	f, err := s.serviceForm(r, rq, c.PersonalID)
	if err != nil {
		return err
	}
	f.Values["date_provided"] = usDate(hmis.DateOf(time.Now()))
	if rq.Account != nil {
		f.Values["provider_org"] = rq.Account.OrganizationID
	}
	return s.renderClientServices(w, r, rq, http.StatusOK, c, f)
}

// serviceForm is the form to record a service: the "service" select
// pairs an enrollment with a service of its program's catalog.
func (s *Server) serviceForm(r *http.Request, rq *request, personalID string) (*recordForm, error) {
	ctx := r.Context()
	st := rq.Site.Store
	f := newRecordForm()
	enrolls, err := st.FindClientEnrollments(ctx, personalID)
	if err != nil {
		return nil, err
	}
	var groups []optGroup
	for _, e := range enrolls {
		// Only the enrollments the user may record on: every one of a
		// client they may change, or those of their organization's
		// programs for a client it serves (store.EnrollmentAccess).
		if lv, err := st.EnrollmentAccess(ctx, personalID, e.EnrollmentID); err != nil {
			return nil, err
		} else if lv < access.Editable {
			continue
		}
		cat, err := st.ProgramCatalog(ctx, e.ProjectID)
		if err != nil {
			return nil, err
		}
		if len(cat) == 0 {
			continue
		}
		label := e.ProjectName + ", entered " + usDate(e.EntryDate)
		if !e.ExitDate.IsZero() {
			label += ", exited " + usDate(e.ExitDate)
		}
		g := optGroup{Label: label}
		for _, k := range cat {
			name := k.Name
			if k.HUD() {
				name += " (HUD: " + catalogHUDLabel(k) + ")"
			}
			g.Options = append(g.Options, option{e.EnrollmentID + "|" + k.ID, name})
		}
		groups = append(groups, g)
	}
	f.add(rfield{Name: "service", Label: "Service (by enrollment)", Kind: "grouped",
		Options: []option{{"", "- Select -"}}, Groups: groups})
	f.date("date_provided", "Date provided")
	f.date("end_date", "End date (optional, for a service over several days)")
	f.text("units", "Units", "Empty: the service's default units.")
	f.text("amount", "$ Total", "Empty: the service's default amount.")
	orgOpts, err := serviceProviderOptions(ctx, st)
	if err != nil {
		return nil, err
	}
	f.sel("provider_org", "Provider organization", orgOpts)
	f.text("note", "Note (optional)", "")
	return f, nil
}

func (s *Server) renderClientServices(w http.ResponseWriter, r *http.Request, rq *request, status int, c store.ClientDetail, f *recordForm) error {
	return s.renderClientServicesEdit(w, r, rq, status, c, f, nil)
}

// renderClientServicesEdit renders the page; edit is the edit form as
// posted (nil: opened from ?edit=ID, or none).
func (s *Server) renderClientServicesEdit(w http.ResponseWriter, r *http.Request, rq *request, status int, c store.ClientDetail, f *recordForm, edit *svcEdit) error {
	ctx := r.Context()
	st := rq.Site.Store
	p := clientServicesPage{Name: clientDisplayName(&c.Client), DashboardHref: clientHref(rq, c.PersonalID),
		Action: clientHref(rq, c.PersonalID) + "/services", Added: r.URL.Query().Get("added") != "",
		Removed: r.URL.Query().Get("removed") != "", Changed: r.URL.Query().Get("changed") != "", Form: f}
	level, err := st.ClientAccess(ctx, c.PersonalID)
	if err != nil {
		return err
	}
	p.CanChange = level >= access.Editable
	// A client served by the user's organization: services of its own
	// programs' enrollments (the form offers only those).
	p.CanAdd = level >= access.Intake && len(f.Fields) > 0 && len(f.Fields[0].Groups) > 0
	rows, err := st.FindClientServiceRows(ctx, c.PersonalID)
	if err != nil {
		return err
	}
	// A client the user's organization serves: its own programs' services
	// may be removed (store.EnrollmentAccess).
	ownEnrollment := map[string]bool{}
	if !p.CanChange && level >= access.Intake {
		for _, v := range rows {
			if _, done := ownEnrollment[v.EnrollmentID]; done || v.EnrollmentID == "" {
				continue
			}
			lv, err := st.EnrollmentAccess(ctx, c.PersonalID, v.EnrollmentID)
			if err != nil {
				return err
			}
			ownEnrollment[v.EnrollmentID] = lv >= access.Editable
		}
	}
	for _, v := range rows {
		row := svcRow{ID: v.ID, Date: usDate(v.DateProvided), End: usDate(v.EndDate), Name: v.Name, Program: v.ProjectName,
			Amount: dollars(v.Amount), Provider: v.ProviderName, Restricted: v.RestrictedToOrg != ""}
		row.Note = v.Note
		canRemove := p.CanChange || ownEnrollment[v.EnrollmentID]
		if canRemove {
			row.RemoveHref = p.Action + "?" + url.Values{"remove": {v.ID}}.Encode()
			if p.CanChange && !v.Version.IsZero() { // recorded here (imported HUD records are removed, not edited)
				row.EditHref = p.Action + "?" + url.Values{"edit": {v.ID}}.Encode() + "#edit-service-heading"
			}
		}
		if v.RecordType != nil {
			row.HUD = v.RecordType.Label()
			if l := store.TypeProvidedLabel(v.RecordType, v.TypeProvided); l != "" {
				row.HUD += ": " + l
			}
		}
		if v.Units > 0 {
			row.Units = strconv.Itoa(v.Units) + " " + v.Unit
		}
		p.Rows = append(p.Rows, row)
		if canRemove && r.Method == http.MethodGet && v.ID == r.URL.Query().Get("remove") {
			p.Removing = &p.Rows[len(p.Rows)-1]
		}
	}
	if p.Removing != nil {
		rm := *p.Removing
		p.Removing = &rm
	}
	if p.ByEnrollment, err = serviceGroups(ctx, st, c.PersonalID, rows, p.Rows); err != nil {
		return err
	}
	if p.Editing, err = s.svcEditSection(r, rq, c.PersonalID, p.CanChange, p.Action, rows, edit); err != nil {
		return err
	}
	f.fill()
	if p.Shell, err = s.shell(r, rq, "clients", rq.base()+"/"+servicesMenuPath, "Services: "+p.Name); err != nil {
		return err
	}
	return s.render(w, r, status, "client_services", &p)
}

// serviceGroups puts a client's services under their enrollments, newest
// enrollment first (the rows are in the order of services).
func serviceGroups(ctx context.Context, st *store.Store, personalID string, services []store.ServiceRow, rows []svcRow) ([]svcGroup, error) {
	enrolls, err := st.FindClientEnrollments(ctx, personalID)
	if err != nil {
		return nil, err
	}
	index := map[string]int{}
	var out []svcGroup
	for _, e := range enrolls {
		h := e.ProjectName + ", entered " + usDate(e.EntryDate)
		if !e.ExitDate.IsZero() {
			h += ", exited " + usDate(e.ExitDate)
		}
		index[e.EnrollmentID] = len(out)
		out = append(out, svcGroup{Heading: h, EnrollmentID: e.EnrollmentID})
	}
	for i, v := range services {
		g, ok := index[v.EnrollmentID]
		if !ok {
			index[v.EnrollmentID] = len(out)
			g = len(out)
			out = append(out, svcGroup{Heading: v.ProjectName, EnrollmentID: v.EnrollmentID})
		}
		out[g].Rows = append(out[g].Rows, rows[i])
	}
	kept := out[:0]
	for _, g := range out {
		if len(g.Rows) > 0 {
			kept = append(kept, g)
		}
	}
	return kept, nil
}

// readServiceValues reads the shared fields of a service form.
func readServiceValues(f *recordForm) store.NewService {
	n := store.NewService{DateProvided: f.dateVal("date_provided"), EndDate: f.dateVal("end_date"),
		Amount: f.money("amount"), ProviderOrg: f.Values["provider_org"], Note: f.Values["note"]}
	if f.Values["date_provided"] == "" {
		f.Errors["date_provided"] = "Enter the date the service was provided."
	}
	if u := f.intVal("units"); u != nil {
		if *u < 1 {
			f.Errors["units"] = "Units are a whole number from 1."
		}
		n.Units = *u
	}
	return n
}

func (s *Server) addClientService(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := findVisibleClient(r, rq, r.PathValue("personalID"))
	if err != nil {
		return err
	}
	if r.PostFormValue("op") == "update" {
		return s.svcUpdate(w, r, rq, c)
	}
	if id := r.PostFormValue("remove"); id != "" {
		err := rq.Site.Store.RemoveService(r.Context(), c.PersonalID, clip(id, 64))
		if hmis.ErrorCode(err) == hmis.ENOTFOUND {
			return &hmis.Error{Code: hmis.ENOTFOUND, Message: "Service not found."}
		} else if err != nil {
			return err
		}
		http.Redirect(w, r, clientHref(rq, c.PersonalID)+"/services?removed=1", http.StatusSeeOther)
		return nil
	}
	f, err := s.serviceForm(r, rq, c.PersonalID)
	if err != nil {
		return err
	}
	if err := f.read(r); err != nil {
		return err
	}
	n := readServiceValues(f)
	enrollment, catalog, ok := strings.Cut(f.Values["service"], "|")
	if !ok {
		f.Errors["service"] = "Choose the service and the enrollment it is for."
	}
	n.EnrollmentID, n.CatalogID = enrollment, catalog
	if len(f.Errors) == 0 {
		_, err = rq.Site.Store.RecordService(r.Context(), c.PersonalID, n)
		var e *hmis.Error
		switch {
		case err == nil:
			http.Redirect(w, r, clientHref(rq, c.PersonalID)+"/services?added=1", http.StatusSeeOther)
			return nil
		case errors.As(err, &e) && e.Code == hmis.ENOTFOUND:
			return errNoClient
		}
		if ok, err := f.takeErr(err); !ok {
			return err
		}
		for _, k := range []string{"enrollment_id", "catalog_id"} {
			if msg, ok := f.Errors[k]; ok {
				delete(f.Errors, k)
				f.Errors["service"] = msg
			}
		}
	}
	return s.renderClientServices(w, r, rq, http.StatusUnprocessableEntity, c, f)
}

// The roster: one service for many enrolled clients of a program.

type serviceRosterPage struct {
	Shell
	Action       string
	Programs     []option
	ProgramID    string
	Date         string
	DateError    string
	Chosen       bool
	Entries      []rosterRow
	Form         *recordForm
	Saved        int
	EnrollError  string
	NoCatalog    bool
	ProgramError string
}

type rosterRow struct {
	EnrollmentID, Name, Entered, Error string
	Checked                            bool
}

// serviceRosterPrograms are the programs of the Clients tab's menu (a grant in
// force) that have a service catalog.
func (s *Server) serviceRosterPrograms(r *http.Request, rq *request) ([]option, error) {
	menu, err := rq.Site.Store.ProgramMenu(r.Context())
	if err != nil {
		return nil, err
	}
	var out []option
	seen := map[string]bool{}
	for _, g := range menu {
		for _, p := range g.Programs {
			if seen[p.ProjectID] {
				continue
			}
			seen[p.ProjectID] = true
			out = append(out, option{p.ProjectID, programName(p) + " (" + p.OrganizationName + ")"})
		}
	}
	return out, nil
}

func (s *Server) serviceRoster(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	p := serviceRosterPage{ProgramID: clip(q.Get("program"), 64), Date: clip(strings.TrimSpace(q.Get("date")), 20)}
	if p.Date == "" {
		p.Date = usDate(hmis.DateOf(time.Now()))
	}
	if n, err := strconv.Atoi(q.Get("saved")); err == nil {
		p.Saved = n
	}
	f := newRecordForm()
	return s.renderServiceRoster(w, r, rq, http.StatusOK, &p, f, nil)
}

func (s *Server) renderServiceRoster(w http.ResponseWriter, r *http.Request, rq *request, status int, p *serviceRosterPage, f *recordForm, checked map[string]bool) error {
	ctx := r.Context()
	st := rq.Site.Store
	p.Action = rq.base() + "/" + serviceRosterPath
	var err error
	if p.Programs, err = s.serviceRosterPrograms(r, rq); err != nil {
		return err
	}
	known := false
	for _, o := range p.Programs {
		known = known || o.Value == p.ProgramID
	}
	on, ok := parseClientDate(p.Date)
	if !ok {
		p.DateError = "Enter a real date as MM/DD/YYYY."
	}
	if p.ProgramID != "" && !known {
		p.ProgramError = "Choose one of the programs."
	}
	if known && ok {
		p.Chosen = true
		cat, err := st.ProgramCatalog(ctx, p.ProgramID)
		if err != nil {
			return err
		}
		var opts []option
		for _, k := range cat {
			name := k.Name
			if k.HUD() {
				name += " (HUD: " + catalogHUDLabel(k) + ")"
			}
			opts = append(opts, option{k.ID, name})
		}
		p.NoCatalog = len(opts) == 0
		if len(f.Fields) == 0 {
			f.sel("catalog_id", "Service", opts)
			f.text("units", "Units per client", "Empty: the service's default units.")
			f.text("amount", "Amount per client ($)", "Empty: the service's default amount.")
			f.date("end_date", "End date (optional)")
		}
		roster, err := st.ProgramRoster(ctx, p.ProgramID, on)
		if err != nil {
			return err
		}
		for _, e := range roster {
			p.Entries = append(p.Entries, rosterRow{EnrollmentID: e.EnrollmentID, Name: caseName(e.FirstName, e.LastName),
				Entered: usDate(e.EntryDate), Checked: checked[e.EnrollmentID], Error: f.Errors[store.RosterFieldPrefix+e.EnrollmentID]})
		}
		for k := range f.Errors {
			if strings.HasPrefix(k, store.RosterFieldPrefix) {
				delete(f.Errors, k)
				if p.EnrollError == "" {
					p.EnrollError = "Some of the clients chosen cannot have this service on this date: see the messages next to them."
				}
			}
		}
		if msg, ok := f.Errors["enrollments"]; ok {
			delete(f.Errors, "enrollments")
			p.EnrollError = msg
		}
	}
	f.fill()
	p.Form = f
	if p.Shell, err = s.shell(r, rq, "clients", rq.base()+"/"+serviceRosterPath, "Service Roster"); err != nil {
		return err
	}
	return s.render(w, r, status, "service_roster", p)
}

// caseName is "Last, First".
func caseName(first, last string) string {
	switch {
	case last == "":
		return first
	case first == "":
		return last
	}
	return last + ", " + first
}

func (s *Server) saveServiceRoster(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	p := serviceRosterPage{ProgramID: clip(r.PostFormValue("program"), 64), Date: clip(strings.TrimSpace(r.PostFormValue("date")), 20)}
	f := newRecordForm()
	f.sel("catalog_id", "Service", nil) // options are filled when the page is rendered
	f.text("units", "", "")
	f.text("amount", "", "")
	f.text("end_date", "", "")
	if err := f.read(r); err != nil {
		return err
	}
	n := readServiceValues(f)
	delete(f.Errors, "date_provided")
	f.Values["date_provided"] = p.Date
	n.DateProvided = f.dateVal("date_provided")
	n.CatalogID = f.Values["catalog_id"]
	n.ProviderOrg = ""
	checked := map[string]bool{}
	var ids []string
	for _, id := range r.PostForm["enrollment"] {
		if id = clip(id, 64); id != "" && !checked[id] && len(ids) < 2000 {
			checked[id] = true
			ids = append(ids, id)
		}
	}
	if len(f.Errors) == 0 {
		count, err := rq.Site.Store.RecordRoster(r.Context(), store.RosterService{ProjectID: p.ProgramID, EnrollmentIDs: ids, NewService: n})
		if err == nil {
			http.Redirect(w, r, rq.base()+"/"+serviceRosterPath+"?program="+url.QueryEscape(p.ProgramID)+"&date="+url.QueryEscape(p.Date)+"&saved="+strconv.Itoa(count), http.StatusSeeOther)
			return nil
		}
		if ok, err := f.takeErr(err); !ok {
			return err
		}
	}
	// Render with the real fields, keeping what was typed and the errors.
	values, errs := f.Values, f.Errors
	f = newRecordForm()
	f.Values, f.Errors = values, errs
	if msg, ok := errs["date_provided"]; ok {
		p.DateError = msg
		delete(errs, "date_provided")
	}
	return s.renderServiceRoster(w, r, rq, http.StatusUnprocessableEntity, &p, f, checked)
}

// serviceRoutes adds the Services menu option and the roster.
func (s *Server) serviceRoutes(sm *http.ServeMux) {
	sm.Handle("GET /{site}/"+servicesMenuPath, s.page(s.lastClient(servicesMenuPath, "Services", s.showClientServices)))
	sm.Handle("GET /{site}/"+serviceRosterPath, s.page(s.serviceRoster))
	sm.Handle("POST /{site}/"+serviceRosterPath, s.page(s.saveServiceRoster))
}

// serviceProviderOptions lists the organizations a service can be
// provided by (the record and edit forms).
func serviceProviderOptions(ctx context.Context, st *store.Store) ([]option, error) {
	orgs, err := store.FindRecords[hmis.Organization](ctx, st, store.RecordFilter{})
	if err != nil {
		return nil, err
	}
	var out []option
	for _, o := range orgs {
		out = append(out, option{o.OrganizationID, o.OrganizationName})
	}
	return out, nil
}
