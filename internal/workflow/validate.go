package workflow

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// Run is a workflow in progress: what the pages are checked against and
// the HUD records are built from.
type Run struct {
	Stage   Stage
	Project Project
	Def     Definition
	Members []Person
	Values  map[string]string // every page's answers by form name
	Today   hmis.Date
	// EntryDate is the household's project start (update, annual, exit,
	// post-exit): the stay the dates must fall in.
	EntryDate hmis.Date
	// ExitDate is the stay's exit (post-exit).
	ExitDate hmis.Date
	// CoCs are the program's CoC codes (2.03), the choices of 3.16.
	CoCs []string
}

// Date returns the household date field name as a date (zero when empty
// or not a date).
func (r *Run) Date(name string) hmis.Date {
	d, _ := ParseUSDate(r.Values[name])
	return d
}

// Day is the information date of the records the workflow writes: the
// project start (intake), the exit date (exit) or the assessment date.
func (r *Run) Day() hmis.Date {
	switch r.Stage {
	case Intake:
		return r.Date(FieldEntryDate)
	case Exit:
		return r.Date(FieldExitDate)
	}
	return r.Date(FieldInfoDate)
}

// HoH reports whether p is the head of household (3.15 = 1).
func (r *Run) HoH(p Person) bool { return r.Values[Key(p.PersonalID, "relationship")] == "1" }

// Asks reports whether element e is asked of member p.
func (r *Run) Asks(e Element, p Person) bool {
	day := r.Day()
	if day.IsZero() {
		day = r.Today
	}
	m := Member{HoH: r.HoH(p), Adult: p.Adult(day), Veteran: p.Veteran || r.Values[Key(p.PersonalID, "veteran_status")] == "1",
		HIVAIDS: r.Values[Key(p.PersonalID, "dis_4_08")] == "1" || (r.Values[Key(p.PersonalID, "dis_4_08")] == "" && p.HIVAIDS)}
	return AskedOf(e.AskedOf, m)
}

// ParseUSDate reads MM/DD/YYYY (or YYYY-MM-DD).
func ParseUSDate(s string) (hmis.Date, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return hmis.Date{}, false
	}
	for _, layout := range []string{"01/02/2006", "1/2/2006", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= 1900 {
			return hmis.DateOf(t), true
		}
	}
	return hmis.Date{}, false
}

// Validate checks page pg of the run and returns the errors by form name
// (empty when the page may be saved). Rules: the element rules (required
// for this funder and this person), HUD's code lists, the conditional
// rules of each element, and the stay rules that one page can see.
func (r *Run) Validate(pg Page) map[string]string {
	errs := map[string]string{}
	for _, f := range pg.Household {
		r.check(errs, f.Name, f)
	}
	for _, f := range pg.Member {
		for _, p := range r.Members {
			if !r.Asks(Element{ID: f.Element, AskedOf: r.subject(f.Element)}, p) {
				continue
			}
			if fu, ok := r.FollowUpOf(f); ok { // followups.go
				msg, checkValue := r.checkFollowUp(f, fu, p)
				if msg != "" {
					errs[Key(p.PersonalID, f.Name)] = msg
				}
				if !checkValue {
					continue
				}
			}
			r.check(errs, Key(p.PersonalID, f.Name), f)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	r.stayRules(pg, errs)
	for _, e := range pg.Elements {
		for _, p := range r.Members {
			if r.Asks(e, p) {
				r.elementRules(e.ID, p, errs)
			}
		}
	}
	if hasElement(pg, "3.15") {
		r.oneHead(errs)
		r.oldestUnder12(errs)
	}
	r.evaErrors(pg, errs) // evachecks.go
	return errs
}

// oldestUnder12 is Eva's "Oldest Household Member Under 12" (an error):
// a household needs someone older, or its members are not all enrolled.
func (r *Run) oldestUnder12(errs map[string]string) {
	day := r.Day()
	if day.IsZero() {
		day = r.Today
	}
	for _, p := range r.Members {
		if p.DOB.IsZero() || p.DOB.AgeOn(day) >= 12 {
			return
		}
	}
	if len(r.Members) > 0 {
		k := Key(r.Members[0].PersonalID, "relationship")
		if errs[k] == "" {
			errs[k] = "Nobody in this household is 12 or older: enroll the adult or older member with the children, or correct a date of birth."
		}
	}
}

// Warning is a data-quality warning (Eva): the answer is allowed but
// incomplete or unexpected, so the case manager confirms it and the
// confirmation is recorded.
type Warning struct {
	Field string // the form name it is about
	Issue string // Eva's issue name
	Text  string
}

// unknown reports whether a 1.8-style answer is "doesn't know", "prefers
// not to answer" or "data not collected".
func unknown(v string) bool { return v == "8" || v == "9" || v == "99" }

// Warnings returns page pg's data-quality warnings (valid answers HUD's
// data-quality tools flag): unknown answers to 3.08, 3.12, 3.917 and a
// homelessness start date after the project start.
func (r *Run) Warnings(pg Page) []Warning {
	var out []Warning
	add := func(p Person, field, issue, text string) {
		out = append(out, Warning{Field: Key(p.PersonalID, field), Issue: issue, Text: p.Name + ": " + text})
	}
	for _, e := range pg.Elements {
		for _, p := range r.Members {
			if !r.Asks(e, p) {
				continue
			}
			switch e.ID {
			case "3.08":
				if unknown(r.v(p, "disabling_condition")) {
					add(p, "disabling_condition", "Unknown Disabling Condition", "disabling condition is not known (3.08).")
				}
			case "3.12":
				if unknown(r.v(p, FieldDestination)) || r.v(p, FieldDestination) == "30" {
					add(p, FieldDestination, "Unknown Destination", "the destination is not known (3.12).")
				}
			case "3.917":
				if unknown(r.v(p, "living_situation")) {
					add(p, "living_situation", "Unknown Residence Prior", "the prior living situation is not known (3.917).")
				}
				if unknown(r.v(p, "length_of_stay")) {
					add(p, "length_of_stay", "Unknown Length of Stay", "the length of stay is not known (3.917.2).")
				}
				if unknown(r.v(p, "times_homeless")) || unknown(r.v(p, "months_homeless")) {
					add(p, "times_homeless", "Unknown Months or Times Homeless", "times or months homeless are not known (3.917.4, 3.917.5).")
				}
				start := r.Date(FieldEntryDate)
				if d, ok := ParseUSDate(r.v(p, "date_to_street")); ok && !start.IsZero() && d.After(start) {
					add(p, "date_to_street", "Homelessness Start Date Later Than Entry", "homelessness started after the project start date (3.917.3).")
				}
			}
		}
	}
	return append(out, r.evaWarnings(pg)...) // evachecks.go
}

func hasElement(pg Page, id string) bool {
	for _, e := range pg.Elements {
		if e.ID == id {
			return true
		}
	}
	return false
}

// ElementOf returns element id as the run asks it (the organization's
// questions: of the subject their element id names).
func (r *Run) ElementOf(id string) Element { return Element{ID: id, AskedOf: r.subject(id)} }

// subject is the asked_of of element id in the run's definition.
func (r *Run) subject(id string) string {
	if IsOwnElement(id) { // the organization's questions: their subject
		return ownSubject(id)
	}
	if e, ok := r.Def.Element(id); ok {
		return e.AskedOf
	}
	return hud.SubjectAllClients
}

// check validates one answer's form: required, list code, date, money.
func (r *Run) check(errs map[string]string, key string, f Field) {
	v := strings.TrimSpace(r.Values[key])
	if f.Name == FieldCoC && len(r.CoCs) == 0 && f.Required {
		errs[key] = "This program has no CoC code (2.03) to choose from: ask your HMIS administrator to add the program's CoC."
		return
	}
	if v == "" {
		if f.Required {
			switch f.Kind {
			case KindSelect:
				errs[key] = "Choose an answer: HUD requires " + f.Element + " for this program."
			default:
				errs[key] = "Enter this: HUD requires " + f.Element + " for this program."
			}
		}
		return
	}
	switch f.Kind {
	case KindSelect:
		if f.List == "" {
			if f.Name == FieldCoC && !contains(r.CoCs, v) {
				errs[key] = "Choose one of the program's CoC codes."
			}
			return
		}
		if !f.Valid(v) { // forms.go: the list, less the codes the column does not allow
			errs[key] = "Choose one of the answers in the list."
		}
	case KindDate:
		d, ok := ParseUSDate(v)
		switch {
		case !ok:
			errs[key] = "Enter a real date as MM/DD/YYYY."
		case f.Name == "due_date": // R10.A: an expected date, up to ten months ahead
			if d.After(r.Today.AddDays(300)) {
				errs[key] = "A due date is at most ten months from today."
			}
		case d.After(r.Today):
			errs[key] = "The date cannot be in the future."
		}
	case KindMoney:
		m, err := hmis.ParseMoney(strings.ReplaceAll(strings.TrimPrefix(v, "$"), ",", ""))
		if err != nil {
			errs[key] = "Enter an amount in dollars, such as 450 or 450.50."
		} else if m < 0 {
			errs[key] = "An amount cannot be negative."
		}
	case KindYear:
		y, err := strconv.Atoi(v)
		if err != nil || len(v) != 4 || y < 1900 || y > r.Today.Time().Year() {
			errs[key] = "Enter a year as YYYY, not in the future."
		}
	case KindNumber:
		max := numberMax[f.Name] // partners.go: W4.A and W4.C allow more
		if max == 0 {
			max = 1000
		}
		lo := numberMin[f.Name] // R18.B, R18.2: 1 or more
		if n, err := strconv.Atoi(v); err != nil || n < lo || n > max {
			errs[key] = fmt.Sprintf("Enter a whole number from %d to %d.", lo, max)
		}
	case KindCheck:
		if v != "1" {
			errs[key] = "Tick the box or leave it empty."
		}
	case KindText:
		max := 50 // 3.12.B OtherDestination: S50
		switch {
		case IsOwnElement(f.Element):
			max = 500
		case textMax[f.Name] > 0:
			max = textMax[f.Name]
		}
		if len([]rune(v)) > max {
			errs[key] = fmt.Sprintf("At most %d characters.", max)
		}
	}
}

// textMax are the lengths of the text fields longer than S50 (FY2026
// columns.csv): 4.12.3 VerifiedBy S200, 4.12.4 LocationDetails S250.
var textMax = map[string]int{"cls_verified_by": 200, "cls_location_details": 250}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// stayRules: the dates of a stay (3.10, 3.11, 3.20, 5.04).
func (r *Run) stayRules(pg Page, errs map[string]string) {
	has := map[string]bool{}
	for _, f := range pg.Household {
		has[f.Name] = true
	}
	entry := r.EntryDate
	if r.Stage == Intake {
		entry = r.Date(FieldEntryDate)
	}
	exit := r.Date(FieldExitDate)
	// Eva "Enrollment Before/After Operating Period" and "Incorrect DOB
	// or Entry Date" (errors).
	if has[FieldEntryDate] && !entry.IsZero() {
		switch {
		case !r.Project.OperatingStart.IsZero() && entry.Before(r.Project.OperatingStart):
			errs[FieldEntryDate] = "The program started operating on " + r.Project.OperatingStart.Format("01/02/2006") + " (2.02.3): a stay cannot start before."
		case !r.Project.OperatingEnd.IsZero() && entry.After(r.Project.OperatingEnd):
			errs[FieldEntryDate] = "The program stopped operating on " + r.Project.OperatingEnd.Format("01/02/2006") + " (2.02.4): a stay cannot start after."
		}
		for _, p := range r.Members {
			if !p.DOB.IsZero() && entry.Before(p.DOB) {
				errs[FieldEntryDate] = "The project start date is before " + p.Name + "’s date of birth (3.03)."
			}
		}
	}
	if has[FieldExitDate] && !exit.IsZero() && !entry.IsZero() && exit.Before(entry) {
		errs[FieldExitDate] = fmt.Sprintf("The exit date cannot be before the project start date (%s).", entry.Format("01/02/2006"))
	}
	if has["past_destination"] && !exit.IsZero() && r.Values["past_destination"] == "" {
		errs["past_destination"] = "Choose the destination of the stay that ended (3.12)."
	}
	if has["past_destination"] && exit.IsZero() && r.Values["past_destination"] != "" {
		errs["past_destination"] = "A destination is only recorded with an exit date."
	}
	if has[FieldMoveInDate] {
		if mi := r.Date(FieldMoveInDate); !mi.IsZero() {
			switch { // the field is on a page only where 3.20 is asked (Pages)
			case !entry.IsZero() && mi.Before(entry):
				errs[FieldMoveInDate] = "The move-in date cannot be before the project start date."
			case !exit.IsZero() && mi.After(exit):
				errs[FieldMoveInDate] = "The move-in date cannot be after the exit date."
			}
		}
	}
	if has[FieldInfoDate] {
		d := r.Date(FieldInfoDate)
		switch {
		case d.IsZero():
		case !entry.IsZero() && d.Before(entry):
			errs[FieldInfoDate] = fmt.Sprintf("The information date cannot be before the project start date (%s).", entry.Format("01/02/2006"))
		case r.Stage == PostExit && !r.ExitDate.IsZero() && d.Before(r.ExitDate):
			errs[FieldInfoDate] = fmt.Sprintf("A post-exit assessment is dated on or after the exit (%s).", r.ExitDate.Format("01/02/2006"))
		case r.Stage == PostExit && !r.ExitDate.IsZero() && d.After(r.ExitDate.AddDays(180)):
			errs[FieldInfoDate] = "HUD collects post-exit data up to 180 days after the exit."
		}
	}
}

// oneHead: exactly one head of household (3.15).
func (r *Run) oneHead(errs map[string]string) {
	var heads []Person
	for _, p := range r.Members {
		if r.HoH(p) {
			heads = append(heads, p)
		}
	}
	switch {
	case len(heads) == 0 && len(r.Members) > 0:
		errs[Key(r.Members[0].PersonalID, "relationship")] = "Choose the head of household: a household has exactly one (3.15 Self)."
	case len(heads) > 1:
		for _, p := range heads[1:] {
			errs[Key(p.PersonalID, "relationship")] = "A household has exactly one head of household: " + heads[0].Name + " already is."
		}
	}
}

func (r *Run) v(p Person, f string) string { return strings.TrimSpace(r.Values[Key(p.PersonalID, f)]) }

// elementRules are HUD's conditional rules of one element for one member.
func (r *Run) elementRules(id string, p Person, errs map[string]string) {
	k := func(f string) string { return Key(p.PersonalID, f) }
	switch id {
	case "3.917":
		if r.v(p, "living_situation") == "435" && r.v(p, "rental_subsidy") == "" {
			errs[k("rental_subsidy")] = "Choose the rental subsidy type (3.917.A): the living situation is a rental with a subsidy."
		}
		if r.v(p, "living_situation") != "435" && r.v(p, "rental_subsidy") != "" {
			errs[k("rental_subsidy")] = "A rental subsidy type goes only with “Rental by client, with ongoing housing subsidy”."
		}
		// 3.917A (ES, SO, SH): 3.917.3–3.917.5 are required fields (Pages).
	case "4.02":
		any := r.v(p, "income_from_any_source")
		var sum hmis.Money
		n := 0
		for _, s := range incomeSources {
			if m := money(r.v(p, s.name)); m > 0 {
				sum += m
				n++
			}
		}
		total, hasTotal := money(r.v(p, "total_monthly_income")), r.v(p, "total_monthly_income") != ""
		switch {
		case any == "1" && n == 0:
			errs[k("income_from_any_source")] = "Income from any source is Yes: enter the amount of at least one source."
		case any != "1" && n > 0:
			errs[k("income_from_any_source")] = "Sources have amounts: income from any source must be Yes."
		case hasTotal && total != sum:
			errs[k("total_monthly_income")] = fmt.Sprintf("The total must equal the sources, $%s.", sum)
		}
	case "4.03":
		r.anySource(p, "benefits_from_any_source", benefitSources, "Non-cash benefits", errs)
	case "4.04":
		r.anySource(p, "insurance_from_any_source", insuranceSources, "Health insurance", errs)
	case "4.05", "4.06", "4.07", "4.08", "4.09", "4.10":
		n := "dis_" + strings.ReplaceAll(id, ".", "_")
		if id == "4.06" || id == "4.08" {
			return
		}
		yes := r.v(p, n) == "1" || (id == "4.10" && (r.v(p, n) == "2" || r.v(p, n) == "3"))
		if yes && r.v(p, n+"_impairs") == "" {
			errs[k(n+"_impairs")] = "Answer this: the disability is Yes."
		}
		if !yes && r.v(p, n+"_impairs") != "" {
			errs[k(n+"_impairs")] = "Leave this empty unless the disability is Yes."
		}
	case "3.08":
		// HUD: a disabling condition is Yes when 4.06 or 4.08 is Yes, or a
		// 4.05/4.07/4.09/4.10 condition is expected to be long-continued and
		// to impair independent living.
		var because string
		for _, d := range disabilities {
			n := "dis_" + strings.ReplaceAll(d.element, ".", "_")
			yes := r.v(p, n) == "1" || (d.element == "4.10" && (r.v(p, n) == "2" || r.v(p, n) == "3"))
			if yes && (d.element == "4.06" || d.element == "4.08" || r.v(p, n+"_impairs") == "1") {
				because = d.label
				break
			}
		}
		if because != "" && r.v(p, "disabling_condition") != "1" {
			errs[k("disabling_condition")] = "Disabling condition must be Yes: " + because + " is a disabling condition."
		}
	case "4.11":
		yes := r.v(p, "dv_survivor") == "1"
		for _, f := range []string{"dv_when", "dv_fleeing"} {
			if yes && r.v(p, f) == "" {
				errs[k(f)] = "Answer this: the client is a survivor of domestic violence."
			}
			if !yes && r.v(p, f) != "" {
				errs[k(f)] = "Leave this empty unless the client is a survivor."
			}
		}
	// W4, C3 and R6 follow-ups: followups.go.
	case "3.12":
		d := r.v(p, FieldDestination)
		if d == "435" && r.v(p, "destination_subsidy") == "" {
			errs[k("destination_subsidy")] = "Choose the rental subsidy type (3.12.A) of the destination."
		}
		if d != "435" && r.v(p, "destination_subsidy") != "" {
			errs[k("destination_subsidy")] = "A subsidy type goes only with “Rental by client, with ongoing housing subsidy”."
		}
		if d == "17" && r.v(p, "other_destination") == "" {
			errs[k("other_destination")] = "Describe the other destination (3.12.B)."
		}
	}
}

func (r *Run) anySource(p Person, anyField string, sources []struct{ name, label string }, what string, errs map[string]string) {
	n := 0
	for _, s := range sources {
		if r.v(p, s.name) == "1" {
			n++
		}
	}
	any := r.v(p, anyField)
	switch {
	case any == "1" && n == 0:
		errs[Key(p.PersonalID, anyField)] = what + " from any source is Yes: tick at least one source."
	case any != "1" && n > 0:
		errs[Key(p.PersonalID, anyField)] = "Sources are ticked: " + strings.ToLower(what) + " from any source must be Yes."
	}
}

// money parses an amount the form checked already; 0 when empty.
func money(s string) hmis.Money {
	if s == "" {
		return 0
	}
	m, _ := hmis.ParseMoney(strings.ReplaceAll(strings.TrimPrefix(s, "$"), ",", ""))
	return m
}

func code[T ~int](s string) *T {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return nil
	}
	t := T(n)
	return &t
}
