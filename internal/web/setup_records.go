package web

import (
	"errors"
	"maps"
	"net/http"
	"strconv"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
)

// The forms of a program's descriptor records and catalog services:
// GET/POST setup/programs/{id}/{kind}/{rid} ("new" adds one). Each kind
// builds its fields, loads a stored record into them, and reads them back
// into a record the store saves.

type setupKind struct {
	noun string // "grant"
	// fields adds the form's fields; ps is the program.
	fields func(f *recordForm, ps *store.ProgramSetup, residential []option)
	// load fills the values from the record rid; false when there is none.
	load func(f *recordForm, ps *store.ProgramSetup, rid string) bool
	// save reads the values into a record (rid "" for a new one) and saves it.
	save func(r *http.Request, st *store.Store, f *recordForm, ps *store.ProgramSetup, rid string) error
	// intro, when set, is shown above the form.
	intro string
	// defaults are a new record's starting values.
	defaults map[string]string
	// residential: fields needs the other residential programs' options.
	residential bool
}

var setupKinds = map[string]setupKind{
	"grants":       {noun: "grant", fields: grantFields, load: grantLoad, save: grantSave},
	"cocs":         {noun: "CoC", fields: cocFields, load: cocLoad, save: cocSave},
	"inventory":    {noun: "inventory", fields: inventoryFields, load: inventoryLoad, save: inventorySave},
	"hmis":         {noun: "HMIS participation", fields: hmisFields, load: hmisLoad, save: hmisSave},
	"ce":           {noun: "CE participation", fields: ceFields, load: ceLoad, save: ceSave},
	"affiliations": {noun: "affiliation", fields: affFields, load: affLoad, save: affSave, residential: true},
	"services": {noun: "service", fields: serviceFields, load: serviceLoad, save: serviceSave,
		intro:    "A HUD service (HMIS CSV Services.csv: a record type and the type provided) is exported to HUD; any other service is the program's own.",
		defaults: map[string]string{"default_units": "1", "active": "1"}},
}

// setupRecordForm serves GET setup/programs/{id}/{kind}/{rid}.
func (s *Server) setupRecordForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	k, ps, f, err := s.setupKindForm(r, rq)
	if err != nil {
		return err
	}
	rid := r.PathValue("rid")
	if rid != "new" && !k.load(f, &ps, rid) {
		return errPageNotFound
	}
	if rid == "new" {
		maps.Copy(f.Values, k.defaults)
	}
	return s.renderSetupRecord(w, r, rq, http.StatusOK, k, &ps, f)
}

// setupRecordSave serves POST setup/programs/{id}/{kind}/{rid}.
func (s *Server) setupRecordSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	k, ps, f, err := s.setupKindForm(r, rq)
	if err != nil {
		return err
	}
	rid := r.PathValue("rid")
	if rid == "new" {
		rid = ""
	} else if !k.load(newRecordForm(), &ps, rid) {
		return errPageNotFound
	}
	if err := f.read(r); err != nil {
		return err
	}
	err = k.save(r, rq.Site.Store, f, &ps, rid)
	if err == nil && len(f.Errors) == 0 {
		http.Redirect(w, r, rq.base()+"/"+setupProgramsPath+"/"+ps.Project.ProjectID+"?saved=1#"+r.PathValue("kind"), http.StatusSeeOther)
		return nil
	}
	if err != nil {
		if ok, err := f.takeErr(err); !ok {
			return err
		}
	}
	return s.renderSetupRecord(w, r, rq, http.StatusUnprocessableEntity, k, &ps, f)
}

func (s *Server) setupKindForm(r *http.Request, rq *request) (setupKind, store.ProgramSetup, *recordForm, error) {
	k, ok := setupKinds[r.PathValue("kind")]
	if !ok {
		return k, store.ProgramSetup{}, nil, errPageNotFound
	}
	ps, err := rq.Site.Store.FindProgramSetup(r.Context(), r.PathValue("id"))
	if err != nil {
		return k, ps, nil, err
	}
	var residential []option
	if k.residential {
		progs, err := rq.Site.Store.SetupPrograms(r.Context())
		if err != nil {
			return k, ps, nil, err
		}
		for _, p := range progs {
			full, err := store.FindRecordByID[hmis.Project](r.Context(), rq.Site.Store, p.ProjectID)
			if err == nil && p.ProjectID != ps.Project.ProjectID && hmis.ResidentialProjectType(full.ProjectType, full.RRHSubType) {
				residential = append(residential, option{p.ProjectID, p.ProjectName + " (" + p.OrganizationName + ")"})
			}
		}
	}
	f := newRecordForm()
	k.fields(f, &ps, residential)
	return k, ps, f, nil
}

func (s *Server) renderSetupRecord(w http.ResponseWriter, r *http.Request, rq *request, status int, k setupKind, ps *store.ProgramSetup, f *recordForm) error {
	base := rq.base() + "/" + setupProgramsPath + "/" + ps.Project.ProjectID
	rid := r.PathValue("rid")
	p := setupFormPage{Heading: "Add " + article(k.noun) + k.noun + ": " + ps.Project.ProjectName, Back: base, BackLabel: "Back to the program",
		Action: base + "/" + r.PathValue("kind") + "/" + rid, Submit: "Save " + k.noun, Intro: k.intro, Form: f}
	if rid != "new" {
		p.Heading = "Edit " + k.noun + ": " + ps.Project.ProjectName
	}
	f.fill()
	var err error
	if p.Shell, err = s.shell(r, rq, "home", rq.base()+"/"+setupProgramsPath, p.Heading); err != nil {
		return err
	}
	return s.render(w, r, status, "setup_form", &p)
}

// setupFind returns the record of xs whose ID (read by id) is rid.
func setupFind[T any](xs []T, rid string, id func(*T) string) (T, bool) {
	for i := range xs {
		if id(&xs[i]) == rid {
			return xs[i], true
		}
	}
	var zero T
	return zero, false
}

func article(noun string) string {
	if noun == "inventory" || noun == "HMIS participation" || noun == "CE participation" {
		return ""
	}
	if strings.ContainsRune("aeiouAEIOU", rune(noun[0])) {
		return "an "
	}
	return "a "
}

// Grants (2.06).

func grantFields(f *recordForm, _ *store.ProgramSetup, _ []option) {
	f.sel(hmis.FieldFunder, "Funding source (2.06.1)", hudOptions(hud.FundingSourceValues()))
	f.text(hmis.FieldOtherFunder, "Other funder (2.06.A)", "Only for “Local or Other Funding Source”.")
	f.text(hmis.FieldGrantID, "Grant ID (2.06.2)", "")
	f.date(hmis.FieldStartDate, "Grant start date (2.06.3)")
	f.date(hmis.FieldEndDate, "Grant end date (2.06.4)")
}

func grantLoad(f *recordForm, ps *store.ProgramSetup, rid string) bool {
	x, ok := setupFind(ps.Funders, rid, func(x *hmis.Funder) string { return x.FunderID })
	if !ok {
		return false
	}
	f.Values[hmis.FieldFunder] = codeStr(x.Funder)
	f.Values[hmis.FieldOtherFunder] = x.OtherFunder
	f.Values[hmis.FieldGrantID] = x.GrantID
	f.Values[hmis.FieldStartDate] = dateStr(x.StartDate)
	f.Values[hmis.FieldEndDate] = dateStr(x.EndDate)
	return true
}

func grantSave(r *http.Request, st *store.Store, f *recordForm, ps *store.ProgramSetup, rid string) error {
	x, ok := setupFind(ps.Funders, rid, func(x *hmis.Funder) string { return x.FunderID })
	if !ok {
		x = hmis.Funder{FunderID: rid, ProjectID: ps.Project.ProjectID}
	}
	x.Funder = hudCode[hud.FundingSource](f, hmis.FieldFunder)
	x.OtherFunder = f.Values[hmis.FieldOtherFunder]
	x.GrantID = f.Values[hmis.FieldGrantID]
	x.StartDate = f.dateVal(hmis.FieldStartDate)
	x.EndDate = f.dateVal(hmis.FieldEndDate)
	if len(f.Errors) > 0 {
		return nil
	}
	return st.SaveFunder(r.Context(), &x)
}

// CoC and geography (2.03).

func cocOptions() []option {
	var out []option
	for _, v := range hud.Lists["2.03.1"].Current() {
		out = append(out, option{v.Key, v.Key + " " + v.Label})
	}
	return out
}

func cocFields(f *recordForm, _ *store.ProgramSetup, _ []option) {
	f.sel(hmis.FieldCoCCode, "Continuum of Care (2.03.1)", cocOptions())
	f.text(hmis.FieldGeocode, "Geocode (2.03.2)", "Six digits, from HUD's geographic codes.")
	f.text(hmis.FieldAddress1, "Address (2.03.3)", "")
	f.text(hmis.FieldCity, "City (2.03.5)", "")
	f.text(hmis.FieldState, "State (2.03.6)", "Two letters, such as OR.")
	f.text(hmis.FieldZIP, "ZIP code (2.03.7)", "Five digits.")
	f.sel(hmis.FieldGeographyType, "Geography type (2.03.8)", hudOptions(hud.GeographyTypeValues()))
}

func cocLoad(f *recordForm, ps *store.ProgramSetup, rid string) bool {
	x, ok := setupFind(ps.CoCs, rid, func(x *hmis.ProjectCoC) string { return x.ProjectCoCID })
	if !ok {
		return false
	}
	f.Values[hmis.FieldCoCCode] = x.CoCCode
	f.Values[hmis.FieldGeocode] = x.Geocode
	f.Values[hmis.FieldAddress1] = x.Address1
	f.Values[hmis.FieldCity] = x.City
	f.Values[hmis.FieldState] = x.State
	f.Values[hmis.FieldZIP] = x.ZIP
	f.Values[hmis.FieldGeographyType] = codeStr(x.GeographyType)
	return true
}

func cocSave(r *http.Request, st *store.Store, f *recordForm, ps *store.ProgramSetup, rid string) error {
	x, ok := setupFind(ps.CoCs, rid, func(x *hmis.ProjectCoC) string { return x.ProjectCoCID })
	if !ok {
		x = hmis.ProjectCoC{ProjectCoCID: rid, ProjectID: ps.Project.ProjectID}
	}
	x.CoCCode = f.Values[hmis.FieldCoCCode]
	x.Geocode = f.Values[hmis.FieldGeocode]
	x.Address1 = f.Values[hmis.FieldAddress1]
	x.City = f.Values[hmis.FieldCity]
	x.State = strings.ToUpper(f.Values[hmis.FieldState])
	x.ZIP = f.Values[hmis.FieldZIP]
	x.GeographyType = hudCode[hud.GeographyType](f, hmis.FieldGeographyType)
	if len(f.Errors) > 0 {
		return nil
	}
	return st.SaveProjectCoC(r.Context(), &x)
}

// Inventory (2.07).

func inventoryFields(f *recordForm, ps *store.ProgramSetup, _ []option) {
	var cocs []option
	for _, c := range ps.CoCs {
		cocs = append(cocs, option{c.CoCCode, c.CoCCode + " " + hud.Lists["2.03.1"].Label(c.CoCCode)})
	}
	f.sel(hmis.FieldCoCCode, "Continuum of Care (2.07.3)", cocs)
	f.sel(hmis.FieldHouseholdType, "Household type (2.07.4)", hudOptions(hud.HouseholdTypeValues()))
	f.sel(hmis.FieldAvailability, "Availability (2.07.6; emergency shelters)", hudOptions(hud.AvailabilityValues()))
	f.sel(hmis.FieldESBedType, "Bed type (2.07.5; emergency shelters)", hudOptions(hud.BedTypeValues()))
	f.text(hmis.FieldUnitInventory, "Units (2.07.15)", "")
	f.text(hmis.FieldBedInventory, "Total beds (2.07.14)", "Equal to the sum of the beds below.")
	var probe hmis.Inventory
	for _, b := range probe.DedicatedBeds() {
		f.text(b.Field, b.Label, "")
	}
	f.date(hmis.FieldStartDate, "Inventory start date (2.07.1)")
	f.date(hmis.FieldEndDate, "Inventory end date (2.07.2)")
}

func inventoryLoad(f *recordForm, ps *store.ProgramSetup, rid string) bool {
	x, ok := setupFind(ps.Inventory, rid, func(x *hmis.Inventory) string { return x.InventoryID })
	if !ok {
		return false
	}
	f.Values[hmis.FieldCoCCode] = x.CoCCode
	f.Values[hmis.FieldHouseholdType] = codeStr(x.HouseholdType)
	f.Values[hmis.FieldAvailability] = codeStr(x.Availability)
	f.Values[hmis.FieldESBedType] = codeStr(x.ESBedType)
	f.Values[hmis.FieldUnitInventory] = intStr(x.UnitInventory)
	f.Values[hmis.FieldBedInventory] = intStr(x.BedInventory)
	for _, b := range x.DedicatedBeds() {
		f.Values[b.Field] = intStr(*b.N)
	}
	f.Values[hmis.FieldStartDate] = dateStr(x.InventoryStartDate)
	f.Values[hmis.FieldEndDate] = dateStr(x.InventoryEndDate)
	return true
}

func inventorySave(r *http.Request, st *store.Store, f *recordForm, ps *store.ProgramSetup, rid string) error {
	x, ok := setupFind(ps.Inventory, rid, func(x *hmis.Inventory) string { return x.InventoryID })
	if !ok {
		x = hmis.Inventory{InventoryID: rid, ProjectID: ps.Project.ProjectID}
	}
	x.CoCCode = f.Values[hmis.FieldCoCCode]
	x.HouseholdType = hudCode[hud.HouseholdType](f, hmis.FieldHouseholdType)
	x.Availability = hudCode[hud.Availability](f, hmis.FieldAvailability)
	x.ESBedType = hudCode[hud.BedType](f, hmis.FieldESBedType)
	x.UnitInventory = f.intVal(hmis.FieldUnitInventory)
	x.BedInventory = f.intVal(hmis.FieldBedInventory)
	for _, b := range x.DedicatedBeds() {
		*b.N = f.intVal(b.Field)
	}
	x.InventoryStartDate = f.dateVal(hmis.FieldStartDate)
	x.InventoryEndDate = f.dateVal(hmis.FieldEndDate)
	if len(f.Errors) > 0 {
		return nil
	}
	return st.SaveInventory(r.Context(), &x)
}

// HMIS participation (2.08).

func hmisFields(f *recordForm, _ *store.ProgramSetup, _ []option) {
	f.sel(hmis.FieldHMISParticipationType, "HMIS participation type (2.08.1)", hudOptions(hud.HMISParticipationTypeValues()))
	f.date(hmis.FieldStartDate, "Participation start date (2.08.2)")
	f.date(hmis.FieldEndDate, "Participation end date (2.08.3)")
}

func hmisLoad(f *recordForm, ps *store.ProgramSetup, rid string) bool {
	x, ok := setupFind(ps.HMISParticipations, rid, func(x *hmis.HMISParticipation) string { return x.HMISParticipationID })
	if !ok {
		return false
	}
	f.Values[hmis.FieldHMISParticipationType] = codeStr(x.HMISParticipationType)
	f.Values[hmis.FieldStartDate] = dateStr(x.HMISParticipationStatusStartDate)
	f.Values[hmis.FieldEndDate] = dateStr(x.HMISParticipationStatusEndDate)
	return true
}

func hmisSave(r *http.Request, st *store.Store, f *recordForm, ps *store.ProgramSetup, rid string) error {
	x, ok := setupFind(ps.HMISParticipations, rid, func(x *hmis.HMISParticipation) string { return x.HMISParticipationID })
	if !ok {
		x = hmis.HMISParticipation{HMISParticipationID: rid, ProjectID: ps.Project.ProjectID}
	}
	x.HMISParticipationType = hudCode[hud.HMISParticipationType](f, hmis.FieldHMISParticipationType)
	x.HMISParticipationStatusStartDate = f.dateVal(hmis.FieldStartDate)
	x.HMISParticipationStatusEndDate = f.dateVal(hmis.FieldEndDate)
	if len(f.Errors) > 0 {
		return nil
	}
	return st.SaveHMISParticipation(r.Context(), &x)
}

// CE participation (2.09).

var ceKinds = []struct{ field, label string }{
	{"prevention_assessment", "Prevention assessment (2.09.A)"},
	{"crisis_assessment", "Crisis assessment (2.09.A)"},
	{"housing_assessment", "Housing assessment (2.09.A)"},
	{"direct_services", "Direct services (2.09.A)"},
}

func ceFields(f *recordForm, _ *store.ProgramSetup, _ []option) {
	f.sel(hmis.FieldAccessPoint, "Access point (2.09.1)", noYes())
	for _, k := range ceKinds {
		f.check(k.field, k.label+": offered at this access point")
	}
	f.sel(hmis.FieldReceivesReferrals, "Receives referrals (2.09.2)", noYes())
	f.date(hmis.FieldStartDate, "Participation start date (2.09.3)")
	f.date(hmis.FieldEndDate, "Participation end date (2.09.4)")
}

func (c *ceRecord) kinds() []**hud.NoYes {
	return []**hud.NoYes{&c.PreventionAssessment, &c.CrisisAssessment, &c.HousingAssessment, &c.DirectServices}
}

type ceRecord struct{ *hmis.CEParticipation }

func ceLoad(f *recordForm, ps *store.ProgramSetup, rid string) bool {
	x, ok := setupFind(ps.CEParticipations, rid, func(x *hmis.CEParticipation) string { return x.CEParticipationID })
	if !ok {
		return false
	}
	f.Values[hmis.FieldAccessPoint] = codeStr(x.AccessPoint)
	f.Values[hmis.FieldReceivesReferrals] = codeStr(x.ReceivesReferrals)
	for i, p := range (&ceRecord{&x}).kinds() {
		if *p != nil && **p == 1 {
			f.Values[ceKinds[i].field] = "1"
		}
	}
	f.Values[hmis.FieldStartDate] = dateStr(x.CEParticipationStatusStartDate)
	f.Values[hmis.FieldEndDate] = dateStr(x.CEParticipationStatusEndDate)
	return true
}

func ceSave(r *http.Request, st *store.Store, f *recordForm, ps *store.ProgramSetup, rid string) error {
	x, ok := setupFind(ps.CEParticipations, rid, func(x *hmis.CEParticipation) string { return x.CEParticipationID })
	if !ok {
		x = hmis.CEParticipation{CEParticipationID: rid, ProjectID: ps.Project.ProjectID}
	}
	x.AccessPoint = hudCode[hud.NoYes](f, hmis.FieldAccessPoint)
	x.ReceivesReferrals = hudCode[hud.NoYes](f, hmis.FieldReceivesReferrals)
	access := x.AccessPoint != nil && *x.AccessPoint == 1
	for i, p := range (&ceRecord{&x}).kinds() {
		switch {
		case f.Values[ceKinds[i].field] != "":
			*p = new(hud.NoYes(1))
		case access: // 2.09.A: 0 when the option is not selected
			*p = new(hud.NoYes(0))
		default:
			*p = nil
		}
	}
	x.CEParticipationStatusStartDate = f.dateVal(hmis.FieldStartDate)
	x.CEParticipationStatusEndDate = f.dateVal(hmis.FieldEndDate)
	if len(f.Errors) > 0 {
		return nil
	}
	return st.SaveCEParticipation(r.Context(), &x)
}

// Affiliations (2.02.C).

func affFields(f *recordForm, _ *store.ProgramSetup, residential []option) {
	f.sel(hmis.FieldResProjectID, "Residential program (2.02.C)", residential)
}

func affLoad(f *recordForm, ps *store.ProgramSetup, rid string) bool {
	x, ok := setupFind(ps.Affiliations, rid, func(x *hmis.Affiliation) string { return x.AffiliationID })
	if !ok {
		return false
	}
	f.Values[hmis.FieldResProjectID] = x.ResProjectID
	return true
}

func affSave(r *http.Request, st *store.Store, f *recordForm, ps *store.ProgramSetup, rid string) error {
	x := hmis.Affiliation{AffiliationID: rid, ProjectID: ps.Project.ProjectID, ResProjectID: f.Values[hmis.FieldResProjectID]}
	if old, ok := setupFind(ps.Affiliations, rid, func(x *hmis.Affiliation) string { return x.AffiliationID }); ok {
		x.DateCreated = old.DateCreated
	}
	return st.SaveAffiliation(r.Context(), &x)
}

// The service catalog.

// hudServiceGroups are the HUD service types, one option group per
// RecordType (list 1.4), each option "RecordType:TypeProvided".
func hudServiceGroups() []optGroup {
	var out []optGroup
	for _, rt := range hud.Lists["1.4"].Current() {
		l := store.TypeProvidedList(hud.RecordType(rt.Code))
		if l == nil {
			continue
		}
		g := optGroup{Label: rt.Label + " (record type " + rt.Key + ")"}
		for _, tp := range l.Current() {
			g.Options = append(g.Options, option{rt.Key + ":" + tp.Key, tp.Label})
		}
		out = append(out, g)
	}
	return out
}

// subTypeGroups are the SSVF sub-types, one option group per type that
// has them, each option "TypeProvided:SubTypeProvided".
func subTypeGroups() []optGroup {
	var out []optGroup
	types := store.TypeProvidedList(144)
	for _, tp := range types.Current() {
		l := store.SubTypeList(144, tp.Code)
		if l == nil {
			continue
		}
		g := optGroup{Label: "SSVF: " + tp.Label}
		for _, v := range l.Current() {
			g.Options = append(g.Options, option{tp.Key + ":" + v.Key, v.Label})
		}
		out = append(out, g)
	}
	return out
}

func serviceFields(f *recordForm, _ *store.ProgramSetup, _ []option) {
	f.text("name", "Service name", "As case managers will see it, such as “Hot meal”.")
	f.add(rfield{Name: "hud_type", Label: "HUD service (record type and type provided)", Kind: "grouped",
		Options: []option{{"", "Not a HUD service (the program's own)"}}, Groups: hudServiceGroups()})
	f.add(rfield{Name: "sub_type", Label: "SSVF sub-type (V2.A–V2.C; only for the SSVF types that have one)", Kind: "grouped",
		Options: []option{{"", "- None -"}}, Groups: subTypeGroups()})
	f.text("other_type", "Description of an “other” type (V2.D, V8.A, C2.A)", "Only for “other” SSVF, voucher tracking and Moving On types; at most 50 characters.")
	f.text("unit", "Unit of measure", "Such as meal, night, hour or session.")
	f.text("default_units", "Default units", "")
	f.text("default_amount", "Default amount ($)", "Financial assistance amounts are exported for HOPWA and SSVF financial assistance.")
	f.check("active", "Offered (recordable by case managers)")
}

func serviceLoad(f *recordForm, ps *store.ProgramSetup, rid string) bool {
	x, ok := setupFind(ps.Catalog, rid, func(x *store.CatalogEntry) string { return x.ID })
	if !ok {
		return false
	}
	f.Values["name"] = x.Name
	if x.RecordType != nil && x.TypeProvided != nil {
		f.Values["hud_type"] = codeStr(x.RecordType) + ":" + strconv.Itoa(*x.TypeProvided)
	}
	if x.SubType != nil && x.TypeProvided != nil {
		f.Values["sub_type"] = strconv.Itoa(*x.TypeProvided) + ":" + strconv.Itoa(*x.SubType)
	}
	f.Values["other_type"] = x.OtherType
	f.Values["unit"] = x.Unit
	f.Values["default_units"] = strconv.Itoa(x.DefaultUnits)
	f.Values["default_amount"] = moneyStr(x.DefaultAmount)
	if x.Active {
		f.Values["active"] = "1"
	}
	return true
}

func serviceSave(r *http.Request, st *store.Store, f *recordForm, ps *store.ProgramSetup, rid string) error {
	c := store.CatalogEntry{ID: rid, ProjectID: ps.Project.ProjectID, Name: f.Values["name"], Unit: f.Values["unit"],
		Active: f.Values["active"] != ""}
	if v := f.Values["hud_type"]; v != "" {
		rt, tp, ok := strings.Cut(v, ":")
		a, err1 := strconv.Atoi(rt)
		b, err2 := strconv.Atoi(tp)
		if !ok || err1 != nil || err2 != nil {
			f.Errors["hud_type"] = "Choose one of the listed HUD services."
		} else {
			c.RecordType, c.TypeProvided = new(hud.RecordType(a)), &b
		}
	}
	c.OtherType = f.Values["other_type"]
	if v := f.Values["sub_type"]; v != "" {
		tp, sub, ok := strings.Cut(v, ":")
		a, err1 := strconv.Atoi(tp)
		b, err2 := strconv.Atoi(sub)
		switch {
		case !ok || err1 != nil || err2 != nil:
			f.Errors["sub_type"] = "Choose one of the listed sub-types."
		case c.TypeProvided == nil || *c.TypeProvided != a || c.RecordType == nil || *c.RecordType != 144:
			f.Errors["sub_type"] = "Choose a sub-type of the HUD service chosen above."
		default:
			c.SubType = &b
		}
	}
	if n := f.intVal("default_units"); n != nil {
		c.DefaultUnits = *n
	}
	c.DefaultAmount = f.money("default_amount")
	if len(f.Errors) > 0 {
		return nil
	}
	err := st.SaveCatalogEntry(r.Context(), &c)
	var e *hmis.Error
	if errors.As(err, &e) && e.Code == hmis.EINVALID {
		// The store's record_type and type_provided are one field here.
		for _, k := range []string{"record_type", "type_provided"} {
			if msg, ok := e.Fields[k]; ok {
				delete(e.Fields, k)
				e.Fields["hud_type"] = msg
			}
		}
	}
	return err
}
