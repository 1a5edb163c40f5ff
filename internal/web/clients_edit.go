package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Edit Client Information (issue 4): the fields of Add New Client
// (partials/client_fields.html), prefilled from the record, checked by
// the same rule (hmis.Client.Validate) and saved by store.UpdateClient,
// which decides who may change the client (access.Decide) and audits
// the change (field names, never PII values). Below the form, the
// history of changes from the audit log. Users who may see the client
// but not change it (a release shares it, a read-only role) see the form
// disabled; a client they may not see is "not found".

const (
	editMenuPath   = "clients/edit"
	notesMenuPath  = "clients/notes"
	familyMenuPath = "clients/family"
)

type clientEditPage struct {
	Shell
	Form          *clientForm
	Name          string
	DashboardHref string
	ReadOnly      bool
	Saved         bool
	History       []historyRow
	Extra         []extraField // the HMIS's own client fields (store/client_fields.go)
	ExtraAction   string
	ExtraSaved    bool
	ExtraError    string
}

// extraField is one of the HMIS's own client fields on the edit form.
type extraField struct {
	ID, Label, Kind, Value, Error string
	Choices                       []string
	Hidden                        bool // a sensitive value, masked (piiSensitive*)
}

type historyRow struct{ When, Who, What, Detail string }

// noClientPage is a client menu option opened with no client yet.
type noClientPage struct {
	Shell
	FindHref string
}

// lastClient runs show for the client the user opened last (the Clients
// tab's menu options), or says to find a client first.
func (s *Server) lastClient(menuPath, title string, show func(http.ResponseWriter, *http.Request, *request, string) error) siteHandler {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		recent, err := rq.Site.Store.RecentClients(r.Context(), 1)
		if err != nil {
			return err
		}
		if len(recent) > 0 {
			return show(w, r, rq, recent[0].PersonalID)
		}
		p := noClientPage{FindHref: rq.base() + "/" + findPath}
		if p.Shell, err = s.shell(r, rq, "clients", rq.base()+"/"+menuPath, title); err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, "client_none", &p)
	}
}

// findVisibleClient loads the client the path names, or errNoClient.
func findVisibleClient(r *http.Request, rq *request, id string) (store.ClientDetail, error) {
	if id == "" || len(id) > 64 {
		return store.ClientDetail{}, errNoClient
	}
	c, err := rq.Site.Store.FindClientByID(r.Context(), id)
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		return c, errNoClient
	}
	return c, err
}

// clientDisplayName is the client's full name for headings.
func clientDisplayName(c *hmis.Client) string {
	name := strings.Join(strings.Fields(strings.Join([]string{c.FirstName, c.MiddleName, c.LastName, c.NameSuffix}, " ")), " ")
	if name == "" {
		return "Client without a name"
	}
	return name
}

func (s *Server) editClientPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showEditClient(w, r, rq, r.PathValue("personalID"))
}

func (s *Server) showEditClient(w http.ResponseWriter, r *http.Request, rq *request, id string) error {
	c, err := findVisibleClient(r, rq, id)
	if err != nil {
		return err
	}
	if err := rq.Site.Store.Audit(r.Context(), "read", "client", id, "edit form"); err != nil {
		return err
	}
	f := &clientForm{Values: clientFormValues(&c.Client), Races: clientFormRaces(&c.Client), Errors: map[string]string{}}
	return s.renderEditClient(w, r, rq, http.StatusOK, c, f, r.URL.Query().Get("saved") != "")
}

func (s *Server) renderEditClient(w http.ResponseWriter, r *http.Request, rq *request, status int, c store.ClientDetail, f *clientForm, saved bool) error {
	return s.renderEditClientWith(w, r, rq, status, c, f, saved, nil)
}

func (s *Server) renderEditClientWith(w http.ResponseWriter, r *http.Request, rq *request, status int, c store.ClientDetail, f *clientForm,
	saved bool, extra *extraOverride) error {
	ctx := r.Context()
	level, err := rq.Site.Store.ClientAccess(ctx, c.PersonalID)
	if err != nil {
		return err
	}
	history, err := rq.Site.Store.ClientHistory(ctx, c.PersonalID)
	if err != nil {
		return err
	}
	p := clientEditPage{Form: f, Name: clientDisplayName(&c.Client), DashboardHref: clientHref(rq, c.PersonalID),
		ReadOnly: level < access.Editable, Saved: saved}
	if p.Shell, err = s.shell(r, rq, "clients", rq.base()+"/"+editMenuPath, "Edit "+p.Name); err != nil {
		return err
	}
	f.Shell = p.Shell
	f.Action = clientHref(rq, c.PersonalID) + "/edit"
	if c.SSN != "" && hmis.SSNDigits(f.Values["ssn"]) == hmis.SSNDigits(c.SSN) {
		f.Values["ssn"] = maskSSN(c.SSN) // shown again: still the last four only
	}
	piiMaskFormDOB(r, rq, c.DOB, f.Values) // the year only, without the DOB permission (pii_client.go)
	fillClientOptions(f)
	var typed, errs map[string]string
	if extra != nil {
		typed, errs = extra.typed, extra.errs
		p.ExtraError = "The other information was not saved: correct the fields marked below."
	}
	if err := s.fillExtraFields(r, rq, &p, c.PersonalID, typed, errs); err != nil {
		return err
	}
	p.ExtraSaved = r.URL.Query().Get("saved") == "fields"
	for _, h := range history {
		p.History = append(p.History, historyRow{When: datetime(h.At), Who: h.Actor, What: historyAction(h.Action), Detail: h.Detail})
	}
	return s.render(w, r, status, "client_edit", &p)
}

// fillExtraFields puts the site's client fields on the edit page, with
// the client's values, or with typed values and their errors after a
// refused save.
func (s *Server) fillExtraFields(r *http.Request, rq *request, p *clientEditPage, id string, typed, errs map[string]string) error {
	defs, err := rq.Site.Store.ClientFieldDefs(r.Context(), false)
	if err != nil {
		return err
	}
	values := typed
	if values == nil {
		if values, err = rq.Site.Store.ClientFieldValues(r.Context(), id); err != nil {
			return err
		}
	}
	p.ExtraAction = clientHref(rq, id) + "/fields"
	p.Extra = p.Extra[:0]
	for _, d := range defs {
		p.Extra = append(p.Extra, extraField{ID: d.ID, Label: d.Label, Kind: d.Kind, Choices: d.Choices,
			Value: values[d.ID], Error: errs["field_"+d.ID], Hidden: d.Sensitive && values[d.ID] == store.SensitiveFieldMask})
	}
	return nil
}

// saveClientFields saves the "Other information" form of the edit page.
func (s *Server) saveClientFields(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := findVisibleClient(r, rq, r.PathValue("personalID"))
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	defs, err := rq.Site.Store.ClientFieldDefs(r.Context(), false)
	if err != nil {
		return err
	}
	typed := map[string]string{}
	for _, d := range defs {
		typed[d.ID] = clip(r.PostFormValue("field_"+d.ID), 2*store.MaxClientFieldValue)
	}
	err = rq.Site.Store.SetClientFieldValues(r.Context(), c.PersonalID, typed)
	var e *hmis.Error
	switch {
	case err == nil:
		http.Redirect(w, r, clientHref(rq, c.PersonalID)+"/edit?saved=fields#other-heading", http.StatusSeeOther)
		return nil
	case errors.As(err, &e) && e.Code == hmis.EINVALID && len(e.Fields) > 0:
		f := &clientForm{Values: clientFormValues(&c.Client), Races: clientFormRaces(&c.Client), Errors: map[string]string{}}
		return s.renderEditClientExtra(w, r, rq, c, f, typed, e.Fields)
	case errors.As(err, &e) && e.Code == hmis.ENOTFOUND:
		return errNoClient
	}
	return err
}

// renderEditClientExtra is the edit page after a refused "Other
// information" save: the typed values and their errors.
func (s *Server) renderEditClientExtra(w http.ResponseWriter, r *http.Request, rq *request, c store.ClientDetail, f *clientForm,
	typed, errs map[string]string) error {
	rec := &extraOverride{typed: typed, errs: errs}
	return s.renderEditClientWith(w, r, rq, http.StatusUnprocessableEntity, c, f, false, rec)
}

// extraOverride carries typed values into renderEditClient.
type extraOverride struct{ typed, errs map[string]string }

// historyAction names an audited change for the history table.
func historyAction(a string) string {
	switch a {
	case "create":
		return "Added"
	case "update":
		return "Changed"
	case "delete":
		return "Deleted"
	case "client.restrict":
		return "Sharing changed"
	case "release.add":
		return "Release added"
	case "release.revoke":
		return "Release revoked"
	}
	return a
}

// updateClient saves the edit form, or shows it again with every value
// as typed and the fields to correct marked.
func (s *Server) updateClient(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := findVisibleClient(r, rq, r.PathValue("personalID"))
	if err != nil {
		return err
	}
	// Refuse a read-only user before reading the form (the store decides
	// again when saving).
	if level, err := rq.Site.Store.ClientAccess(r.Context(), c.PersonalID); err != nil {
		return err
	} else if level < access.Editable {
		return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "You may see this client but not change their information."}
	}
	keepMaskedSSN(r, &c.Client)
	piiKeepMaskedDOB(r, rq, c.DOB)
	f, typed, today, err := readClientForm(r)
	if err != nil {
		return err
	}
	if len(f.Errors) > 0 {
		f.Error = "The changes were not saved: correct the fields marked below."
		return s.renderEditClient(w, r, rq, http.StatusUnprocessableEntity, c, f, false)
	}
	if warn := typed.DOBWarning(today); warn != "" && typed.DOB != c.DOB && r.PostFormValue("dob_confirmed") != f.Values["dob"] {
		f.Warning, f.DOBCheck = warn, f.Values["dob"]
		return s.renderEditClient(w, r, rq, http.StatusOK, c, f, false)
	}
	updated := c.Client
	applyClientForm(&updated, &typed)
	if _, err := rq.Site.Store.UpdateClient(r.Context(), updated); err != nil {
		var e *hmis.Error
		if errors.As(err, &e) && e.Code == hmis.EINVALID && len(e.Fields) > 0 {
			f.Errors, f.Error = e.Fields, "The changes were not saved: correct the fields marked below."
			return s.renderEditClient(w, r, rq, http.StatusUnprocessableEntity, c, f, false)
		}
		if e != nil && e.Code == hmis.ENOTFOUND {
			return errNoClient
		}
		return err
	}
	http.Redirect(w, r, clientHref(rq, c.PersonalID)+"/edit?saved=1", http.StatusSeeOther)
	return nil
}

// applyClientForm copies the fields the client form holds from src to
// dst, leaving the rest of the record (IDs, other HUD fields) as stored.
func applyClientForm(dst, src *hmis.Client) {
	dst.FirstName, dst.MiddleName, dst.LastName, dst.NameSuffix = src.FirstName, src.MiddleName, src.LastName, src.NameSuffix
	dst.NameDataQuality = src.NameDataQuality
	dst.SSN, dst.SSNDataQuality = src.SSN, src.SSNDataQuality
	dst.DOB, dst.DOBDataQuality = src.DOB, src.DOBDataQuality
	dst.AmIndAKNative, dst.Asian, dst.BlackAfAmerican = src.AmIndAKNative, src.Asian, src.BlackAfAmerican
	dst.HispanicLatinao, dst.MidEastNAfrican = src.HispanicLatinao, src.MidEastNAfrican
	dst.NativeHIPacific, dst.White, dst.RaceNone = src.NativeHIPacific, src.White, src.RaceNone
	dst.AdditionalRaceEthnicity = src.AdditionalRaceEthnicity
	dst.VeteranStatus, dst.Sex = src.VeteranStatus, src.Sex
}

// clientFormValues is the client form prefilled from a stored client.
func clientFormValues(c *hmis.Client) map[string]string {
	code := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	ssn := maskSSN(c.SSN) // the last four only (clients_ssn.go)
	return map[string]string{
		"first_name": c.FirstName, "middle_name": c.MiddleName, "last_name": c.LastName, "name_suffix": c.NameSuffix,
		"name_data_quality": code(intCode(c.NameDataQuality)), "ssn": ssn, "ssn_data_quality": code(intCode(c.SSNDataQuality)),
		"dob": usDate(c.DOB), "dob_data_quality": code(intCode(c.DOBDataQuality)), "race_none": code(intCode(c.RaceNone)),
		"additional_race_ethnicity": c.AdditionalRaceEthnicity, "veteran_status": code(intCode(c.VeteranStatus)),
		"sex": code(intCode(c.Sex)),
	}
}

// intCode is a HUD code as a plain *int.
func intCode[T ~int](p *T) *int {
	if p == nil {
		return nil
	}
	v := int(*p)
	return &v
}

// clientFormRaces is the form's race checkboxes from a stored client.
func clientFormRaces(c *hmis.Client) map[string]bool {
	out := map[string]bool{}
	for i, v := range []*hud.NoYes{c.AmIndAKNative, c.Asian, c.BlackAfAmerican, c.HispanicLatinao, c.MidEastNAfrican,
		c.NativeHIPacific, c.White} {
		out[raceFields[i].Value] = v != nil && *v == 1
	}
	return out
}

// fillClientOptions gives the client form its choices (as Add New
// Client's renderClientForm does).
func fillClientOptions(f *clientForm) {
	f.RaceFields = raceFields
	f.NameDQ = hudOptions(hud.NameDataQualityValues())
	f.SSNDQ = hudOptions(hud.SSNDataQualityValues())
	f.DOBDQ = hudOptions(hud.DOBDataQualityValues())
	f.RaceNone = hudOptions(hud.RaceNoneValues())
	f.Veteran = hudOptions(hud.NoYesReasonsForMissingDataValues())
	f.Sex = hudOptions(hud.SexValues())
}

// clientSubpage serves GET /{site}/clients/{personalID}/{page}: the
// client's edit, notes and family pages.
func (s *Server) clientSubpage(w http.ResponseWriter, r *http.Request, rq *request) error {
	switch r.PathValue("page") {
	case "edit":
		return s.editClientPage(w, r, rq)
	case "notes":
		return s.clientNotesPage(w, r, rq)
	case "family":
		return s.clientFamilyPage(w, r, rq)
	case "sharing":
		return s.clientSharingPage(w, r, rq)
	case "signature":
		return s.releaseSignature(w, r, rq)
	case "services":
		return s.clientServicesPage(w, r, rq)
	case "assessments":
		return s.clientAssessmentsPage(w, r, rq)
	case "quality":
		return s.clientQualityPage(w, r, rq)
	case "calendar":
		return s.clientCalendarPage(w, r, rq)
	case "enrollments":
		return s.clientEnrollmentsPage(w, r, rq)
	case "photo":
		return s.piiPhoto(w, r, rq)
	}
	return errPageNotFound
}

// clientSubpagePost serves the forms of the client's edit and notes pages.
func (s *Server) clientSubpagePost(w http.ResponseWriter, r *http.Request, rq *request) error {
	switch r.PathValue("page") {
	case "edit":
		return s.updateClient(w, r, rq)
	case "notes":
		return s.addClientNote(w, r, rq)
	case "family":
		return s.changeClientFamily(w, r, rq)
	case "fields":
		return s.saveClientFields(w, r, rq)
	case "sharing":
		return s.clientSharingPost(w, r, rq)
	case "ssn":
		return s.revealSSN(w, r, rq)
	case "sensitive":
		return s.piiRevealSensitive(w, r, rq)
	case "photo":
		return s.piiPhotoPost(w, r, rq)
	case "services":
		return s.addClientService(w, r, rq)
	case "assessments":
		return s.addClientAssessment(w, r, rq)
	}
	return errPageNotFound
}
