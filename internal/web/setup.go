package web

import (
	"net/http"
	"strconv"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Setup (issue 5 point 1), for HMIS administrators only (routes through
// Server.admin; the menu group is hidden from everyone else): the
// organizations, the programs with their HUD descriptor records (2.02
// Project, 2.03 ProjectCoC, 2.06 Funder, 2.07 Inventory, 2.08 HMIS and 2.09
// CE participation, Affiliation) and each program's service catalog. The
// store validates (hmis/setup.go) and audits every save; the forms show
// its messages next to the fields and keep what was typed.

const (
	setupOrgsPath     = "setup/organizations"
	setupProgramsPath = "setup/programs"
)

// setupListPage lists organizations or programs.
type setupListPage struct {
	Shell
	AddHref, AddLabel string
	Saved             bool
	Orgs              []setupOrgRow
	Programs          []setupProgramRow
}

type setupOrgRow struct {
	Name, Common, VSP, Href string
	Programs                int
}

type setupProgramRow struct {
	Name, Href, Organization, Type, Operating string
	Grants                                    int
}

// setupFormPage is the page of one record's form.
type setupFormPage struct {
	Shell
	Heading, Intro  string
	Back, BackLabel string
	Action, Submit  string
	Form            *recordForm
}

func (s *Server) setupOrganizations(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	orgs, err := store.FindRecords[hmis.Organization](ctx, rq.Site.Store, store.RecordFilter{})
	if err != nil {
		return err
	}
	progs, err := rq.Site.Store.SetupPrograms(ctx)
	if err != nil {
		return err
	}
	count := map[string]int{}
	for _, p := range progs {
		count[p.OrganizationID]++
	}
	p := setupListPage{AddHref: rq.base() + "/" + setupOrgsPath + "/new", AddLabel: "Add an organization",
		Saved: r.URL.Query().Get("saved") != ""}
	for _, o := range orgs {
		vsp := ""
		if o.VictimServiceProvider != nil {
			vsp = o.VictimServiceProvider.Label()
		}
		p.Orgs = append(p.Orgs, setupOrgRow{Name: o.OrganizationName, Common: o.OrganizationCommonName, VSP: vsp,
			Href: rq.base() + "/" + setupOrgsPath + "/" + o.OrganizationID, Programs: count[o.OrganizationID]})
	}
	if p.Shell, err = s.shell(r, rq, "home", rq.base()+"/"+setupOrgsPath, "Organizations"); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "setup_organizations", &p)
}

func (s *Server) setupPrograms(w http.ResponseWriter, r *http.Request, rq *request) error {
	progs, err := rq.Site.Store.SetupPrograms(r.Context())
	if err != nil {
		return err
	}
	p := setupListPage{AddHref: rq.base() + "/" + setupProgramsPath + "/new", AddLabel: "Add a program"}
	for _, pr := range progs {
		row := setupProgramRow{Name: pr.ProjectName, Href: rq.base() + "/" + setupProgramsPath + "/" + pr.ProjectID,
			Organization: pr.OrganizationName, Grants: pr.Grants, Operating: period(pr.OperatingStartDate, pr.OperatingEndDate)}
		if row.Name == "" {
			row.Name = "Program " + pr.ProjectID
		}
		if pr.ProjectType != nil {
			row.Type = pr.ProjectType.Label()
		}
		p.Programs = append(p.Programs, row)
	}
	if p.Shell, err = s.shell(r, rq, "home", rq.base()+"/"+setupProgramsPath, "Programs"); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "setup_programs", &p)
}

// period writes "01/02/2020 – 12/31/2025" or "from 01/02/2020".
func period(start, end hmis.Date) string {
	if end.IsZero() {
		if start.IsZero() {
			return ""
		}
		return "from " + usDate(start)
	}
	return usDate(start) + " – " + usDate(end)
}

// Organizations (2.01).

func orgForm() *recordForm {
	f := newRecordForm()
	f.text(hmis.FieldOrganizationName, "Organization name (2.01.2)", "")
	f.text(hmis.FieldOrganizationCommonName, "Common name", "The name staff use, if it differs.")
	f.sel(hmis.FieldVictimServiceProvider, "Victim service provider (2.01.3)", noYes())
	return f
}

func (s *Server) setupOrgForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	f := orgForm()
	id := r.PathValue("id")
	if id != "new" {
		o, err := store.FindRecordByID[hmis.Organization](r.Context(), rq.Site.Store, id)
		if err != nil {
			return err
		}
		f.Values[hmis.FieldOrganizationName] = o.OrganizationName
		f.Values[hmis.FieldOrganizationCommonName] = o.OrganizationCommonName
		f.Values[hmis.FieldVictimServiceProvider] = codeStr(o.VictimServiceProvider)
	}
	return s.renderOrgForm(w, r, rq, http.StatusOK, id, f)
}

func (s *Server) renderOrgForm(w http.ResponseWriter, r *http.Request, rq *request, status int, id string, f *recordForm) error {
	p := setupFormPage{Heading: "Edit organization", Back: rq.base() + "/" + setupOrgsPath, BackLabel: "Back to organizations",
		Action: rq.base() + "/" + setupOrgsPath + "/" + id, Submit: "Save organization", Form: f}
	if id == "new" {
		p.Heading = "Add an organization"
	}
	f.fill()
	var err error
	if p.Shell, err = s.shell(r, rq, "home", rq.base()+"/"+setupOrgsPath, p.Heading); err != nil {
		return err
	}
	return s.render(w, r, status, "setup_form", &p)
}

func (s *Server) setupOrgSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	f := orgForm()
	if err := f.read(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	var o hmis.Organization
	if id != "new" {
		var err error
		if o, err = store.FindRecordByID[hmis.Organization](ctx, rq.Site.Store, id); err != nil {
			return err
		}
	}
	o.OrganizationName = f.Values[hmis.FieldOrganizationName]
	o.OrganizationCommonName = f.Values[hmis.FieldOrganizationCommonName]
	o.VictimServiceProvider = hudCode[hud.NoYes](f, hmis.FieldVictimServiceProvider)
	if len(f.Errors) == 0 {
		err := rq.Site.Store.SaveOrganization(ctx, &o)
		if err == nil {
			http.Redirect(w, r, rq.base()+"/"+setupOrgsPath+"?saved=1", http.StatusSeeOther)
			return nil
		}
		if ok, err := f.takeErr(err); !ok {
			return err
		}
	}
	return s.renderOrgForm(w, r, rq, http.StatusUnprocessableEntity, id, f)
}

// Programs (2.02).

func (s *Server) projectForm(r *http.Request, rq *request) (*recordForm, error) {
	orgs, err := store.FindRecords[hmis.Organization](r.Context(), rq.Site.Store, store.RecordFilter{})
	if err != nil {
		return nil, err
	}
	var orgOpts []option
	for _, o := range orgs {
		orgOpts = append(orgOpts, option{o.OrganizationID, o.OrganizationName})
	}
	f := newRecordForm()
	f.sel(hmis.FieldProjectOrganization, "Organization (2.01)", orgOpts)
	f.text(hmis.FieldProjectName, "Program name (2.02.2)", "")
	f.text(hmis.FieldProjectCommonName, "Common name", "")
	f.date(hmis.FieldOperatingStartDate, "Operating start date (2.02.3)")
	f.date(hmis.FieldOperatingEndDate, "Operating end date (2.02.4), if it closed")
	f.sel(hmis.FieldContinuumProject, "Continuum project (2.02.5)", noYes())
	f.sel(hmis.FieldProjectType, "Project type (2.02.6)", hudOptions(hud.ProjectTypeValues()))
	f.sel(hmis.FieldRRHSubType, "RRH subtype (2.02.A; rapid re-housing only)", hudOptions(hud.RRHSubTypeValues()))
	f.sel(hmis.FieldHousingType, "Housing type (2.02.D; residential programs)", hudOptions(hud.HousingTypeValues()))
	f.sel(hmis.FieldResidentialAffiliation, "Affiliated with a residential program (2.02.B; services-only programs)", noYes())
	f.sel(hmis.FieldTargetPopulation, "Target population (2.02.7)", hudOptions(hud.TargetPopulationValues()))
	return f, nil
}

func projectValues(f *recordForm, p *hmis.Project) {
	f.Values[hmis.FieldProjectOrganization] = p.OrganizationID
	f.Values[hmis.FieldProjectName] = p.ProjectName
	f.Values[hmis.FieldProjectCommonName] = p.ProjectCommonName
	f.Values[hmis.FieldOperatingStartDate] = dateStr(p.OperatingStartDate)
	f.Values[hmis.FieldOperatingEndDate] = dateStr(p.OperatingEndDate)
	f.Values[hmis.FieldContinuumProject] = codeStr(p.ContinuumProject)
	f.Values[hmis.FieldProjectType] = codeStr(p.ProjectType)
	f.Values[hmis.FieldRRHSubType] = codeStr(p.RRHSubType)
	f.Values[hmis.FieldHousingType] = codeStr(p.HousingType)
	f.Values[hmis.FieldResidentialAffiliation] = codeStr(p.ResidentialAffiliation)
	f.Values[hmis.FieldTargetPopulation] = codeStr(p.TargetPopulation)
}

func readProject(f *recordForm, p *hmis.Project) {
	p.OrganizationID = f.Values[hmis.FieldProjectOrganization]
	p.ProjectName = f.Values[hmis.FieldProjectName]
	p.ProjectCommonName = f.Values[hmis.FieldProjectCommonName]
	p.OperatingStartDate = f.dateVal(hmis.FieldOperatingStartDate)
	p.OperatingEndDate = f.dateVal(hmis.FieldOperatingEndDate)
	p.ContinuumProject = hudCode[hud.NoYes](f, hmis.FieldContinuumProject)
	p.ProjectType = hudCode[hud.ProjectType](f, hmis.FieldProjectType)
	p.RRHSubType = hudCode[hud.RRHSubType](f, hmis.FieldRRHSubType)
	p.HousingType = hudCode[hud.HousingType](f, hmis.FieldHousingType)
	p.ResidentialAffiliation = hudCode[hud.NoYes](f, hmis.FieldResidentialAffiliation)
	p.TargetPopulation = hudCode[hud.TargetPopulation](f, hmis.FieldTargetPopulation)
}

// setupProjectForm serves GET setup/programs/new and .../{id}/edit.
func (s *Server) setupProjectForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := s.projectForm(r, rq)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if id != "" {
		ps, err := rq.Site.Store.FindProgramSetup(r.Context(), id)
		if err != nil {
			return err
		}
		projectValues(f, &ps.Project)
	}
	return s.renderProjectForm(w, r, rq, http.StatusOK, id, f)
}

func (s *Server) renderProjectForm(w http.ResponseWriter, r *http.Request, rq *request, status int, id string, f *recordForm) error {
	list := rq.base() + "/" + setupProgramsPath
	p := setupFormPage{Heading: "Add a program", Back: list, BackLabel: "Back to programs", Action: list + "/new",
		Submit: "Save program", Form: f,
		Intro: "HUD's project descriptor data (2.02). Grants, CoCs, inventory and the service catalog are added on the program's page once it is saved."}
	if id != "" {
		p.Heading, p.Back, p.BackLabel, p.Action, p.Intro = "Edit program", list+"/"+id, "Back to the program", list+"/"+id+"/edit", ""
	}
	f.fill()
	var err error
	if p.Shell, err = s.shell(r, rq, "home", list, p.Heading); err != nil {
		return err
	}
	return s.render(w, r, status, "setup_form", &p)
}

func (s *Server) setupProjectSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	f, err := s.projectForm(r, rq)
	if err != nil {
		return err
	}
	if err := f.read(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	var p hmis.Project
	if id != "" {
		ps, err := rq.Site.Store.FindProgramSetup(ctx, id)
		if err != nil {
			return err
		}
		p = ps.Project
	}
	readProject(f, &p)
	if len(f.Errors) == 0 {
		err := rq.Site.Store.SaveProject(ctx, &p)
		if err == nil {
			http.Redirect(w, r, rq.base()+"/"+setupProgramsPath+"/"+p.ProjectID+"?saved=1", http.StatusSeeOther)
			return nil
		}
		if ok, err := f.takeErr(err); !ok {
			return err
		}
	}
	return s.renderProjectForm(w, r, rq, http.StatusUnprocessableEntity, id, f)
}

// The program's page: its descriptor data and a table per record kind.

type setupProgramPage struct {
	Shell
	Name, Organization, EditHref, ListHref string
	Saved                                  bool
	Facts                                  []fact
	Sections                               []setupSection
}

type setupSection struct {
	ID, Heading, AddHref, AddLabel, Empty string
	Columns                               []string
	Rows                                  []setupRow
}

type setupRow struct {
	Href  string
	Cells []string
}

func (s *Server) setupProgram(w http.ResponseWriter, r *http.Request, rq *request) error {
	ps, err := rq.Site.Store.FindProgramSetup(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	pr := ps.Project
	base := rq.base() + "/" + setupProgramsPath + "/" + pr.ProjectID
	p := setupProgramPage{Name: pr.ProjectName, Organization: ps.OrganizationName, EditHref: base + "/edit",
		ListHref: rq.base() + "/" + setupProgramsPath, Saved: r.URL.Query().Get("saved") != ""}
	label := func(l interface{ Label() string }, ok bool) string {
		if !ok {
			return ""
		}
		return l.Label()
	}
	p.Facts = []fact{
		{"Organization", ps.OrganizationName},
		{"Operating (2.02.3–2.02.4)", period(pr.OperatingStartDate, pr.OperatingEndDate)},
		{"Continuum project (2.02.5)", label(derefOr(pr.ContinuumProject), pr.ContinuumProject != nil)},
		{"Project type (2.02.6)", label(derefOr(pr.ProjectType), pr.ProjectType != nil)},
		{"RRH subtype (2.02.A)", label(derefOr(pr.RRHSubType), pr.RRHSubType != nil)},
		{"Housing type (2.02.D)", label(derefOr(pr.HousingType), pr.HousingType != nil)},
		{"Residential affiliation (2.02.B)", label(derefOr(pr.ResidentialAffiliation), pr.ResidentialAffiliation != nil)},
		{"Target population (2.02.7)", label(derefOr(pr.TargetPopulation), pr.TargetPopulation != nil)},
	}
	sec := func(kind, heading, add, empty string, cols ...string) *setupSection {
		p.Sections = append(p.Sections, setupSection{ID: kind, Heading: heading, AddHref: base + "/" + kind + "/new",
			AddLabel: add, Empty: empty, Columns: cols})
		return &p.Sections[len(p.Sections)-1]
	}
	row := func(sc *setupSection, kind, id string, cells ...string) {
		sc.Rows = append(sc.Rows, setupRow{Href: base + "/" + kind + "/" + id, Cells: cells})
	}
	g := sec("grants", "Grants (2.06)", "Add a grant", "No grants yet.", "Funder (2.06.1)", "Grant ID (2.06.2)", "Dates (2.06.3–2.06.4)")
	for _, x := range ps.Funders {
		name := label(derefOr(x.Funder), x.Funder != nil)
		if x.OtherFunder != "" {
			name += ": " + x.OtherFunder
		}
		row(g, "grants", x.FunderID, name, x.GrantID, period(x.StartDate, x.EndDate))
	}
	c := sec("cocs", "CoC and geography (2.03)", "Add a CoC", "No CoC yet: add one before the inventory.", "CoC (2.03.1)", "Geocode (2.03.2)", "Address")
	for _, x := range ps.CoCs {
		row(c, "cocs", x.ProjectCoCID, x.CoCCode+" "+hud.Lists["2.03.1"].Label(x.CoCCode), x.Geocode, joinNonEmpty(", ", x.Address1, x.City, x.State, x.ZIP))
	}
	if hmis.ResidentialProjectType(pr.ProjectType, pr.RRHSubType) {
		v := sec("inventory", "Bed and unit inventory (2.07)", "Add inventory", "No inventory yet.", "Household type (2.07.4)", "Beds (2.07.14)", "Units (2.07.15)", "Dates (2.07.1–2.07.2)")
		for _, x := range ps.Inventory {
			row(v, "inventory", x.InventoryID, label(derefOr(x.HouseholdType), x.HouseholdType != nil), intStr(x.BedInventory), intStr(x.UnitInventory),
				period(x.InventoryStartDate, x.InventoryEndDate))
		}
	}
	h := sec("hmis", "HMIS participation (2.08)", "Add HMIS participation", "No HMIS participation recorded.", "Participation (2.08.1)", "Dates (2.08.2–2.08.3)")
	for _, x := range ps.HMISParticipations {
		row(h, "hmis", x.HMISParticipationID, label(derefOr(x.HMISParticipationType), x.HMISParticipationType != nil),
			period(x.HMISParticipationStatusStartDate, x.HMISParticipationStatusEndDate))
	}
	ce := sec("ce", "Coordinated entry participation (2.09)", "Add CE participation", "No CE participation recorded.", "Access point (2.09.1)", "Receives referrals (2.09.2)", "Dates (2.09.3–2.09.4)")
	for _, x := range ps.CEParticipations {
		row(ce, "ce", x.CEParticipationID, label(derefOr(x.AccessPoint), x.AccessPoint != nil), label(derefOr(x.ReceivesReferrals), x.ReceivesReferrals != nil),
			period(x.CEParticipationStatusStartDate, x.CEParticipationStatusEndDate))
	}
	if hmis.ServicesOnlyProjectType(pr.ProjectType, pr.RRHSubType) && pr.ResidentialAffiliation != nil && *pr.ResidentialAffiliation == 1 {
		a := sec("affiliations", "Affiliated residential programs (2.02.C)", "Add an affiliation", "No affiliation yet.", "Residential program")
		for _, x := range ps.Affiliations {
			name := x.ResProjectID
			if rp, err := store.FindRecordByID[hmis.Project](r.Context(), rq.Site.Store, x.ResProjectID); err == nil {
				name = rp.ProjectName
			}
			row(a, "affiliations", x.AffiliationID, name)
		}
	}
	k := sec("services", "Service catalog", "Add a service", "No services in the catalog yet.", "Service", "HUD record type and type provided", "Unit", "Default units", "Default amount", "Offered")
	for _, x := range ps.Catalog {
		offered := "Yes"
		if !x.Active {
			offered = "No"
		}
		row(k, "services", x.ID, x.Name, catalogHUDLabel(x), x.Unit, strconv.Itoa(x.DefaultUnits), dollars(x.DefaultAmount), offered)
	}
	if p.Shell, err = s.shell(r, rq, "home", p.ListHref, "Program setup: "+pr.ProjectName); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "setup_program", &p)
}

// derefOr returns a labeller for a code pointer (a zero code when nil,
// which the caller does not show).
func derefOr[T interface{ Label() string }](p *T) interface{ Label() string } {
	if p == nil {
		var z T
		return z
	}
	return *p
}

func intStr(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

func dollars(m *hmis.Money) string {
	if m == nil {
		return ""
	}
	return "$" + m.String()
}

func joinNonEmpty(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}

// catalogHUDLabel is "Bed Night: Bed night" or "Not a HUD service".
func catalogHUDLabel(c store.CatalogEntry) string {
	if c.RecordType == nil {
		return "Not a HUD service"
	}
	out := c.RecordType.Label()
	if c.TypeProvided != nil {
		if l := store.TypeProvidedList(*c.RecordType); l != nil {
			if v, ok := l.LookupCode(*c.TypeProvided); ok {
				out += ": " + v.Label
			}
			if l := store.SubTypeList(*c.RecordType, *c.TypeProvided); l != nil && c.SubType != nil {
				out += " (" + l.Label(strconv.Itoa(*c.SubType)) + ")"
			}
		}
	}
	if c.OtherType != "" {
		out += " (" + c.OtherType + ")"
	}
	return out
}

// setupRoutes adds Setup's routes, administrators only.
func (s *Server) setupRoutes(sm *http.ServeMux) {
	sm.Handle("GET /{site}/"+setupOrgsPath, s.admin(s.setupOrganizations))
	sm.Handle("GET /{site}/"+setupOrgsPath+"/{id}", s.admin(s.setupOrgForm))
	sm.Handle("POST /{site}/"+setupOrgsPath+"/{id}", s.admin(s.setupOrgSave))
	sm.Handle("GET /{site}/"+setupProgramsPath, s.admin(s.setupPrograms))
	sm.Handle("GET /{site}/"+setupProgramsPath+"/new", s.admin(s.setupProjectForm))
	sm.Handle("POST /{site}/"+setupProgramsPath+"/new", s.admin(s.setupProjectSave))
	sm.Handle("GET /{site}/"+setupProgramsPath+"/{id}", s.admin(s.setupProgram))
	sm.Handle("GET /{site}/"+setupProgramsPath+"/{id}/edit", s.admin(s.setupProjectForm))
	sm.Handle("POST /{site}/"+setupProgramsPath+"/{id}/edit", s.admin(s.setupProjectSave))
	sm.Handle("GET /{site}/"+setupProgramsPath+"/{id}/{kind}/{rid}", s.admin(s.setupRecordForm))
	sm.Handle("POST /{site}/"+setupProgramsPath+"/{id}/{kind}/{rid}", s.admin(s.setupRecordSave))
}
