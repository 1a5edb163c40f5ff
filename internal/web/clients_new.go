package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/search"
)

// Add New Client (issue 4): the search comes first (clientSearchPage with
// intake set); its "Add a new client" opens this form, prefilled with
// what was searched. Before saving, the search runs again on what was
// typed: likely duplicates are shown with their reasons, and the user
// says "this is the same person" (to their dashboard) or "new person"
// (recorded in the audit log).

// hiddenMatchNotice is all a user learns of a client they may not see
// that matches strongly what they typed (store.DuplicateHint): that it
// exists. The one deliberate exception to "not found" (docs/security.md).
const hiddenMatchNotice = "A possible match exists in another organization — ask your HMIS administrator."

// option is one choice of a select or a checkbox group.
type option struct {
	Value, Label string
}

// hudOptions lists a HUD code list's current codes with their labels.
func hudOptions[T interface {
	~int
	Label() string
	Retired() bool
}](vs []T) []option {
	out := make([]option, 0, len(vs))
	for _, v := range vs {
		if !v.Retired() {
			out = append(out, option{strconv.Itoa(int(v)), v.Label()})
		}
	}
	return out
}

// raceFields are 3.04's race and ethnicity checkboxes, in HUD's order.
var raceFields = []option{
	{"am_ind_ak_native", "American Indian, Alaska Native, or Indigenous"},
	{"asian", "Asian or Asian American"},
	{"black_af_american", "Black, African American, or African"},
	{"hispanic_latinao", "Hispanic/Latina/e/o"},
	{"mid_east_n_african", "Middle Eastern or North African"},
	{"native_hi_pacific", "Native Hawaiian or Pacific Islander"},
	{"white", "White"},
}

// clientFormFields are the form's text and select fields.
var clientFormFields = []string{"first_name", "middle_name", "last_name", "name_suffix", "name_data_quality",
	"ssn", "ssn_data_quality", "dob", "dob_data_quality", "race_none", "additional_race_ethnicity",
	"veteran_status", "sex"}

// clientForm is Add New Client's form: what was typed, field by field,
// so that nothing typed is lost when a field is refused.
type clientForm struct {
	Shell
	Action   string
	Values   map[string]string
	Races    map[string]bool
	Errors   map[string]string
	Error    string
	Warning  string // an unlikely DOB (over 110 years old)
	DOBCheck string // the DOB the user confirmed despite the warning

	Duplicates []clientResult // likely duplicates of what was typed
	// HiddenMatch is the hidden-duplicate notice (hiddenMatchNotice) when
	// what was typed matches strongly a client of another organization
	// that the user may not see; nothing else about that client is shown.
	HiddenMatch string
	SearchHref  string

	RaceFields, NameDQ, SSNDQ, DOBDQ, RaceNone, Veteran, Sex []option
}

func (s *Server) newClientSearch(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.clientSearchPage(w, r, rq, true)
}

func (s *Server) newClientForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	v := r.URL.Query()
	if v.Get("searched") == "" {
		// Search first: the form is reached from a search's results only.
		http.Redirect(w, r, rq.base()+"/"+intakePath, http.StatusSeeOther)
		return nil
	}
	f := clientForm{Values: map[string]string{}, Races: map[string]bool{}}
	for _, k := range clientFormFields {
		f.Values[k] = clip(strings.TrimSpace(v.Get(k)), 100)
	}
	return s.renderClientForm(w, r, rq, http.StatusOK, &f)
}

func (s *Server) renderClientForm(w http.ResponseWriter, r *http.Request, rq *request, status int, f *clientForm) error {
	var err error
	action := rq.base() + "/" + intakePath
	if f.Shell, err = s.shell(r, rq, "clients", action, "Add New Client"); err != nil {
		return err
	}
	f.Action = action + "/form"
	f.SearchHref = action
	f.RaceFields = raceFields
	f.NameDQ = hudOptions(hud.NameDataQualityValues())
	f.SSNDQ = hudOptions(hud.SSNDataQualityValues())
	f.DOBDQ = hudOptions(hud.DOBDataQualityValues())
	f.RaceNone = hudOptions(hud.RaceNoneValues())
	f.Veteran = hudOptions(hud.NoYesReasonsForMissingDataValues())
	f.Sex = hudOptions(hud.SexValues())
	return s.render(w, r, status, "client_new", f)
}

// createClient saves the new client, unless the form needs correcting or
// the duplicate check has not been answered.
func (s *Server) createClient(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, c, today, err := readClientForm(r)
	if err != nil {
		return err
	}
	if len(f.Errors) > 0 {
		f.Error = "The client was not saved: correct the fields marked below."
		return s.renderClientForm(w, r, rq, http.StatusUnprocessableEntity, f)
	}
	if warn := c.DOBWarning(today); warn != "" && r.PostFormValue("dob_confirmed") != f.Values["dob"] {
		f.Warning, f.DOBCheck = warn, f.Values["dob"]
		return s.renderClientForm(w, r, rq, http.StatusOK, f)
	}

	// The duplicate check: the search on what was typed.
	q := search.Query{First: c.FirstName, Middle: c.MiddleName, Last: c.LastName, DOB: c.DOB}
	if digits := hmis.SSNDigits(c.SSN); len(digits) == 9 {
		q.SSN4 = digits[5:]
		if !strings.ContainsAny(digits, "xX") {
			q.SSN = digits
		}
	}
	var dups []clientResult
	if !q.Empty() {
		ms, err := rq.Site.Store.SearchClients(r.Context(), q, 10)
		if err != nil {
			return err
		}
		n := 0
		for _, m := range ms {
			if m.Score >= search.DuplicateThreshold {
				ms[n] = m
				n++
			}
		}
		if dups, err = s.clientResults(r, rq, ms[:n]); err != nil {
			return err
		}
	}
	// The hidden-duplicate notice: existence only, on a strong match
	// (name with DOB, or SSN), audited and rate-limited by the store. Not
	// asked again once the user has answered "new person".
	hidden := false
	if r.PostFormValue("decision") != "new" && !q.Empty() {
		if hidden, err = rq.Site.Store.DuplicateHint(r.Context(), q); err != nil {
			return err
		}
	}
	if (len(dups) > 0 || hidden) && r.PostFormValue("decision") != "new" {
		for i := range dups {
			// "This is the same person" opens the client and records the
			// decision (showClient audits it).
			dups[i].Href += "?" + url.Values{"from": {"intake-same"}}.Encode()
		}
		f.Duplicates = dups
		if hidden {
			f.HiddenMatch = hiddenMatchNotice
		}
		if f.Values["dob"] != "" && c.DOBWarning(today) != "" {
			f.DOBCheck = f.Values["dob"]
		}
		return s.renderClientForm(w, r, rq, http.StatusOK, f)
	}
	created, err := rq.Site.Store.CreateClientDespite(r.Context(), c, len(dups))
	if err != nil {
		var e *hmis.Error
		if errors.As(err, &e) && e.Code == hmis.EINVALID && len(e.Fields) > 0 {
			f.Errors, f.Error = e.Fields, "The client was not saved: correct the fields marked below."
			return s.renderClientForm(w, r, rq, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	http.Redirect(w, r, clientHref(rq, created.PersonalID)+"?"+url.Values{"added": {"1"}}.Encode(), http.StatusSeeOther)
	return nil
}

// client reads the form into a client, marking what cannot be read
// (an impossible date, a code that is not a number) in f.Errors.
func (f *clientForm) client(today hmis.Date) hmis.Client {
	v := f.Values
	c := hmis.Client{FirstName: v["first_name"], MiddleName: v["middle_name"], LastName: v["last_name"],
		NameSuffix: v["name_suffix"], SSN: hmis.SSNDigits(v["ssn"]), AdditionalRaceEthnicity: v["additional_race_ethnicity"]}
	if v["dob"] != "" {
		d, ok := parseClientDate(v["dob"])
		if !ok {
			f.Errors[hmis.FieldDOB] = "Enter a real date as MM/DD/YYYY, e.g. 10/09/1940."
		}
		c.DOB = d
	}
	// A data quality left blank follows from the field: filled in means
	// complete, empty is asked.
	if v["name_data_quality"] == "" && v["first_name"] != "" && v["last_name"] != "" {
		v["name_data_quality"] = "1"
	}
	if v["ssn_data_quality"] == "" && v["ssn"] != "" && !strings.ContainsAny(v["ssn"], "xX") {
		v["ssn_data_quality"] = "1"
	}
	if v["dob_data_quality"] == "" && v["dob"] != "" {
		v["dob_data_quality"] = "1"
	}
	c.NameDataQuality = formCode[hud.NameDataQuality](f, "name_data_quality")
	c.SSNDataQuality = formCode[hud.SSNDataQuality](f, "ssn_data_quality")
	c.DOBDataQuality = formCode[hud.DOBDataQuality](f, "dob_data_quality")
	c.RaceNone = formCode[hud.RaceNone](f, "race_none")
	c.VeteranStatus = formCode[hud.NoYesReasonsForMissingData](f, "veteran_status")
	c.Sex = formCode[hud.Sex](f, "sex")
	races := []**hud.NoYes{&c.AmIndAKNative, &c.Asian, &c.BlackAfAmerican, &c.HispanicLatinao, &c.MidEastNAfrican,
		&c.NativeHIPacific, &c.White}
	for i, rf := range raceFields {
		yes := hud.NoYes(0)
		if f.Races[rf.Value] && c.RaceNone == nil {
			yes = 1
		}
		*races[i] = &yes
	}
	if c.RaceNone != nil {
		for _, rf := range raceFields {
			if f.Races[rf.Value] {
				f.Errors[hmis.FieldRace] = "Choose races and ethnicities, or say why there is no answer; not both."
			}
		}
	}
	return c
}

// formCode reads a HUD code from a select; "" is no answer.
func formCode[T ~int](f *clientForm, name string) *T {
	s := f.Values[name]
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f.Errors[name] = "Choose one of the listed answers."
		return nil
	}
	v := T(n)
	return &v
}

// parseClientDate reads a date as case managers type it: 10/09/1940,
// 10/9/1940, 10-9-1940 or 1940-10-09. An impossible date (02/30/1990)
// is refused.
func parseClientDate(s string) (hmis.Date, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"1/2/2006", "01/02/2006", "1-2-2006", "2006-01-02", "2006-1-2"} {
		if t, err := time.Parse(layout, s); err == nil {
			return hmis.DateOf(t), true
		}
	}
	return hmis.Date{}, false
}

// selectField is what the select-field template needs.
type selectField struct {
	Name, Label, Error, Value string
	Options                   []option
}

// clientTextField is a text field of the client form, as typed.
func clientTextField(f *clientForm, name, label, autocomplete string) formField {
	return formField{Name: name, Label: label, Autocomplete: autocomplete, Error: f.Errors[name], Value: f.Values[name]}
}

// clientSelectField is a select of the client form, as chosen.
func clientSelectField(f *clientForm, name, label string, opts []option) selectField {
	return selectField{Name: name, Label: label, Error: f.Errors[name], Value: f.Values[name], Options: opts}
}

// readClientForm reads the client form (Add New Client and Edit Client
// Information) and validates it as HUD's 3.01-3.07 and 4.21 say; f keeps
// every typed value and the message for each field in error.
func readClientForm(r *http.Request) (f *clientForm, c hmis.Client, today hmis.Date, err error) {
	if err := r.ParseForm(); err != nil {
		return nil, c, today, &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	f = &clientForm{Values: map[string]string{}, Races: map[string]bool{}, Errors: map[string]string{}}
	for _, k := range clientFormFields {
		f.Values[k] = clip(strings.TrimSpace(r.PostFormValue(k)), 200)
	}
	for _, rf := range raceFields {
		f.Races[rf.Value] = r.PostFormValue(rf.Value) != ""
	}
	today = hmis.DateOf(time.Now())
	c = f.client(today)
	if err := c.ValidateOn(today); err != nil {
		var e *hmis.Error
		if !errors.As(err, &e) {
			return nil, c, today, err
		}
		for k, msg := range e.Fields {
			if _, ok := f.Errors[k]; !ok { // what could not be read says why first
				f.Errors[k] = msg
			}
		}
	}
	return f, c, today, nil
}
