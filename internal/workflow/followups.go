package workflow

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hud"
)

// Follow-up questions: fields of an element that HUD asks only after a
// given answer to another field of the same element and member (the
// FY2026 HMIS CSV states them as "Null unless R15.1 = 1"). A follow-up is
// shown only when one of its triggers holds, must then be answered when
// HUD requires it (its element is required and the follow-up is), and
// must be empty otherwise. The web page hides it until its trigger holds
// and empties it when the trigger changes (static/workflow_followups.js).

// Trigger is an answer that opens a follow-up: the member's answer to the
// field named Field is one of Values, and each of And holds too.
type Trigger struct {
	Field  string
	Values []string
	And    []Trigger
}

func on(field string, values ...string) Trigger { return Trigger{Field: field, Values: values} }

func (t Trigger) and(u ...Trigger) Trigger { t.And = append(t.And, u...); return t }

// FollowUp is when a follow-up field is asked.
type FollowUp struct {
	When     []Trigger // any of them
	Required bool      // answered whenever it is asked (in a required element)
}

// followUps are the follow-up fields by form name (FY2026 columns.csv).
var followUps = map[string]FollowUp{
	// R1.A CountOutreachReferralApproaches: null unless R1.1 = 7 (Outreach Project).
	"outreach_approaches": {[]Trigger{on("referral_source", "7")}, true},
	// R6.A EmploymentType when R6.1 = 1; R6.B NotEmployedReason when R6.1 = 0.
	"employment_type":     {[]Trigger{on("employed", "1")}, true},
	"not_employed_reason": {[]Trigger{on("employed", "0")}, true},
	// R10.A DueDate: null unless R10.1 = 1.
	"due_date": {[]Trigger{on("pregnancy", "1")}, true},
	// R15.A, R15.B, R15.C: null unless R15.1 = 1; R15.D: null unless R15.C = 1.
	"exchange_for_sex_recent":        {[]Trigger{on("exchange_for_sex", "1")}, true},
	"exchange_for_sex_count":         {[]Trigger{on("exchange_for_sex", "1")}, true},
	"forced_exchange_for_sex":        {[]Trigger{on("exchange_for_sex", "1")}, true},
	"forced_exchange_for_sex_recent": {[]Trigger{on("forced_exchange_for_sex", "1")}, true},
	// R16.A, R16.B: null unless R16.1 = 1 or R16.2 = 1.
	"coerced_to_continue_work": {[]Trigger{on("workplace_violence", "1"), on("workplace_promise", "1")}, true},
	"labor_exploit_recent":     {[]Trigger{on("workplace_violence", "1"), on("workplace_promise", "1")}, true},
	// R17.A EarlyExitReason: null unless R17.1 = 3 (expelled or involuntarily discharged).
	"early_exit_reason": {[]Trigger{on("completion_status", "3")}, true},
	// R18.A (three types) and R18.B SessionCountAtExit: null unless R18.1 = 1.
	"individual_counseling": {[]Trigger{on("counseling", "1")}, true},
	"family_counseling":     {[]Trigger{on("counseling", "1")}, true},
	"group_counseling":      {[]Trigger{on("counseling", "1")}, true},
	"session_count":         {[]Trigger{on("counseling", "1")}, true},
	// W3.B NoADAPReason: null unless W3.3 = 0; W3.C NoRyanWhiteReason: null unless W3.4 = 0.
	"no_adap_reason":       {[]Trigger{on("adap", "0")}, true},
	"no_ryan_white_reason": {[]Trigger{on("ryan_white", "0")}, true},
	// W4.A/W4.B when the T-cell count is available (W4.1 = 1); W4.C/W4.D
	// when the viral load is available (W4.3 = 1).
	"tcell_count":       {[]Trigger{on("tcell_available", "1")}, true},
	"tcell_source":      {[]Trigger{on("tcell_available", "1")}, true},
	"viral_load":        {[]Trigger{on("viral_load_available", "1")}, true},
	"viral_load_source": {[]Trigger{on("viral_load_available", "1")}, true},
	// 4.12.A CLSSubsidyType when 4.12 = 435 (rental by client, with ongoing housing subsidy).
	"cls_subsidy": {[]Trigger{on("current_living_situation", "435")}, true},
	// 4.12.B LeaveSituation14Days: null unless 4.12 is an institutional,
	// temporary or permanent situation; 4.12.C–F: null unless 4.12.B = 1.
	"cls_leave_14_days":        {[]Trigger{on("current_living_situation", clsHoused...)}, true},
	"cls_subsequent_residence": {[]Trigger{on("cls_leave_14_days", "1")}, true},
	"cls_resources_to_obtain":  {[]Trigger{on("cls_leave_14_days", "1")}, true},
	"cls_lease_own_60_day":     {[]Trigger{on("cls_leave_14_days", "1")}, true},
	"cls_moved_two_or_more":    {[]Trigger{on("cls_leave_14_days", "1")}, true},
	// C3.A when not enrolled (C3.2 = 0); C3.B when enrolled (C3.2 = 1 or 2).
	"most_recent_ed_status": {[]Trigger{on("current_school_attend", "0")}, true},
	"current_ed_status":     {[]Trigger{on("current_school_attend", "1"), on("current_school_attend", "2")}, true},
}

// clsHoused are the current living situations after which 4.12.B is asked
// (FY2026 columns.csv, LeaveSituation14Days: "Null unless
// CurrentLivingSituation in c(215, 206, 207, 225, 204, 205, 302, 329, 314,
// 332, 336, 335, 410, 435, 421, 411)"): institutional, temporary and
// permanent situations.
var clsHoused = []string{"215", "206", "207", "225", "204", "205", "302", "329", "314", "332", "336", "335", "410", "435", "421", "411"}

// FollowUp returns when field f is asked, if it is a follow-up.
func (f Field) FollowUp() (FollowUp, bool) {
	fu, ok := followUps[f.Name]
	return fu, ok
}

// 3.917B (every project type but ES, SO and SH, which ask 3.917A): the
// "break" questions. 3.917.2C (on the night before, stayed on the streets,
// in ES or SH) after an institutional stay of less than 90 days or a
// temporary or permanent one of less than 7 nights; 3.917.3–3.917.5 (the
// homelessness history) after a homeless situation or 2C = Yes. Eva
// reports each missing one as an error ("Missing Previously Unsheltered,
// ES, SH", "Missing Approximate Date Homeless", "Missing Months or Times
// Homeless").
var (
	institutional      = []string{"204", "205", "206", "207", "215", "225"}
	temporaryPermanent = []string{"302", "314", "329", "332", "335", "336", "410", "411", "421", "435"}
	priorHomeless      = []string{"101", "116", "118"}
	b917Break          = FollowUp{[]Trigger{
		on("living_situation", institutional...).and(on("length_of_stay", "10", "11", "2", "3")),
		on("living_situation", temporaryPermanent...).and(on("length_of_stay", "10", "11")),
	}, true}
	b917History = FollowUp{[]Trigger{on("living_situation", priorHomeless...), on("previous_street_essh", "1")}, true}
)

// is3917A reports whether programs of type pt ask 3.917A (ES, SO, SH).
func is3917A(pt hud.ProjectType) bool {
	switch pt {
	case hud.ProjectTypeEmergencyShelterEntryExit, hud.ProjectTypeEmergencyShelterNightByNight,
		hud.ProjectTypeStreetOutreach, hud.ProjectTypeSafeHaven:
		return true
	}
	return false
}

// FollowUpOf returns when field f is asked in this run, if it is a
// follow-up: the partner follow-ups, and 3.917B's questions.
func (r *Run) FollowUpOf(f Field) (FollowUp, bool) {
	if fu, ok := f.FollowUp(); ok {
		return fu, true
	}
	if f.Element != "3.917" || is3917A(r.Project.Type) {
		return FollowUp{}, false
	}
	switch f.Name {
	case "previous_street_essh":
		return b917Break, true
	case "date_to_street", "times_homeless", "months_homeless":
		return b917History, true
	}
	return FollowUp{}, false
}

// Required reports whether field f needs an answer when it is asked: its
// own flag, or a follow-up HUD requires in a required element.
func (r *Run) Required(f Field) bool {
	if f.Required {
		return true
	}
	fu, ok := r.FollowUpOf(f)
	e, in := r.Def.Element(f.Element)
	return ok && fu.Required && in && e.Required
}

// checkFollowUp applies follow-up field f's rule to member p: it returns
// the error (if any) and whether the field's own checks should still run
// (only when it is asked and answered).
func (r *Run) checkFollowUp(f Field, fu FollowUp, p Person) (msg string, checkValue bool) {
	v := r.v(p, f.Name)
	asked := r.asked(fu, p.PersonalID)
	switch {
	case !asked && v != "":
		return "Leave this empty: it is asked only when " + r.triggerText(f, fu) + ".", false
	case asked && v == "" && r.Required(f):
		return "Answer this: " + r.triggerText(f, fu) + ".", false
	}
	return "", asked && v != ""
}

// asked reports whether follow-up fu is asked of member pid: a trigger
// holds, reading a follow-up that is not asked itself as unanswered (the
// page empties it), so R15.D follows R15.C only while R15.C is asked.
func (r *Run) asked(fu FollowUp, pid string) bool {
	var holds func(t Trigger) bool
	holds = func(t Trigger) bool {
		v := strings.TrimSpace(r.Values[Key(pid, t.Field)])
		if up, ok := r.followUpNamed(t.Field); ok && !r.asked(up, pid) {
			v = ""
		}
		if !slices.Contains(t.Values, v) {
			return false
		}
		for _, u := range t.And {
			if !holds(u) {
				return false
			}
		}
		return true
	}
	for _, t := range fu.When {
		if holds(t) {
			return true
		}
	}
	return false
}

// followUpNamed is FollowUpOf the field called name.
func (r *Run) followUpNamed(name string) (FollowUp, bool) {
	if fu, ok := followUps[name]; ok {
		return fu, true
	}
	return r.FollowUpOf(Field{Name: name, Element: "3.917"})
}

// followUpSays says in words when the follow-ups whose triggers are long
// lists of answers are asked.
var followUpSays = map[string]string{
	"previous_street_essh": "the prior living situation is an institution and the stay was under 90 days, or a temporary or permanent place and the stay was under 7 nights (3.917.2A/2B)",
	"date_to_street":       "the prior living situation is homeless (shelter, a place not meant for habitation, safe haven) or 3.917.2C is Yes",
	"times_homeless":       "the prior living situation is homeless (shelter, a place not meant for habitation, safe haven) or 3.917.2C is Yes",
	"months_homeless":      "the prior living situation is homeless (shelter, a place not meant for habitation, safe haven) or 3.917.2C is Yes",
	"cls_leave_14_days":    "the current living situation is an institution, a temporary or a permanent place (4.12)",
}

// triggerText says when follow-up f is asked: “Employed (R6)” is “Yes”.
func (r *Run) triggerText(f Field, fu FollowUp) string {
	if s := followUpSays[f.Name]; s != "" {
		return s
	}
	var fields []Field
	if e, ok := r.Def.Element(f.Element); ok {
		fields = memberFields(e)
	} else {
		fields = memberFields(Element{ID: f.Element})
	}
	var parts []string
	var text func(t Trigger) string
	text = func(t Trigger) string {
		label, values := t.Field, slices.Clone(t.Values)
		for _, g := range fields {
			if g.Name != t.Field {
				continue
			}
			label = g.Label
			if l := hud.Lists[g.List]; l != nil {
				for i, v := range t.Values {
					if s := l.Label(v); s != "" {
						values[i] = s
					}
				}
			}
		}
		var s string
		if len(values) > 3 { // a group of living situations
			s = fmt.Sprintf("“%s” is one of %d answers", label, len(values))
		} else {
			s = fmt.Sprintf("“%s” is “%s”", label, strings.Join(values, "” or “"))
		}
		for _, u := range t.And {
			s += " and " + text(u)
		}
		return s
	}
	for _, t := range fu.When {
		parts = append(parts, text(t))
	}
	return strings.Join(parts, ", or ")
}
