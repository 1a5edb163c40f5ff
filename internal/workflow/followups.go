package workflow

import (
	"fmt"
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

// Trigger is one answer that opens a follow-up: the member's answer to
// the field named Field is Value.
type Trigger struct{ Field, Value string }

// FollowUp is when a follow-up field is asked.
type FollowUp struct {
	When     []Trigger // any of them
	Required bool      // answered whenever it is asked (in a required element)
}

// followUps are the follow-up fields by form name (FY2026 columns.csv).
var followUps = map[string]FollowUp{
	// R1.A CountOutreachReferralApproaches: null unless R1.1 = 7 (Outreach Project).
	"outreach_approaches": {[]Trigger{{"referral_source", "7"}}, true},
	// R6.A EmploymentType when R6.1 = 1; R6.B NotEmployedReason when R6.1 = 0.
	"employment_type":     {[]Trigger{{"employed", "1"}}, true},
	"not_employed_reason": {[]Trigger{{"employed", "0"}}, true},
	// R10.A DueDate: null unless R10.1 = 1.
	"due_date": {[]Trigger{{"pregnancy", "1"}}, true},
	// R15.A, R15.B, R15.C: null unless R15.1 = 1; R15.D: null unless R15.C = 1.
	"exchange_for_sex_recent":        {[]Trigger{{"exchange_for_sex", "1"}}, true},
	"exchange_for_sex_count":         {[]Trigger{{"exchange_for_sex", "1"}}, true},
	"forced_exchange_for_sex":        {[]Trigger{{"exchange_for_sex", "1"}}, true},
	"forced_exchange_for_sex_recent": {[]Trigger{{"forced_exchange_for_sex", "1"}}, true},
	// R16.A, R16.B: null unless R16.1 = 1 or R16.2 = 1.
	"coerced_to_continue_work": {[]Trigger{{"workplace_violence", "1"}, {"workplace_promise", "1"}}, true},
	"labor_exploit_recent":     {[]Trigger{{"workplace_violence", "1"}, {"workplace_promise", "1"}}, true},
	// R17.A EarlyExitReason: null unless R17.1 = 3 (expelled or involuntarily discharged).
	"early_exit_reason": {[]Trigger{{"completion_status", "3"}}, true},
	// R18.A (three types) and R18.B SessionCountAtExit: null unless R18.1 = 1.
	"individual_counseling": {[]Trigger{{"counseling", "1"}}, true},
	"family_counseling":     {[]Trigger{{"counseling", "1"}}, true},
	"group_counseling":      {[]Trigger{{"counseling", "1"}}, true},
	"session_count":         {[]Trigger{{"counseling", "1"}}, true},
	// W3.B NoADAPReason: null unless W3.3 = 0; W3.C NoRyanWhiteReason: null unless W3.4 = 0.
	"no_adap_reason":       {[]Trigger{{"adap", "0"}}, true},
	"no_ryan_white_reason": {[]Trigger{{"ryan_white", "0"}}, true},
	// W4.A/W4.B when the T-cell count is available (W4.1 = 1); W4.C/W4.D
	// when the viral load is available (W4.3 = 1).
	"tcell_count":       {[]Trigger{{"tcell_available", "1"}}, true},
	"tcell_source":      {[]Trigger{{"tcell_available", "1"}}, true},
	"viral_load":        {[]Trigger{{"viral_load_available", "1"}}, true},
	"viral_load_source": {[]Trigger{{"viral_load_available", "1"}}, true},
	// 4.12.A CLSSubsidyType when 4.12 = 435 (rental by client, with ongoing housing subsidy).
	"cls_subsidy": {[]Trigger{{"current_living_situation", "435"}}, true},
	// C3.A when not enrolled (C3.2 = 0); C3.B when enrolled (C3.2 = 1 or 2).
	"most_recent_ed_status": {[]Trigger{{"current_school_attend", "0"}}, true},
	"current_ed_status":     {[]Trigger{{"current_school_attend", "1"}, {"current_school_attend", "2"}}, true},
}

// FollowUp returns when field f is asked, if it is a follow-up.
func (f Field) FollowUp() (FollowUp, bool) {
	fu, ok := followUps[f.Name]
	return fu, ok
}

// Asked reports whether follow-up fu is asked with the answers of member
// personalID in values.
func (fu FollowUp) Asked(values map[string]string, personalID string) bool {
	for _, t := range fu.When {
		if strings.TrimSpace(values[Key(personalID, t.Field)]) == t.Value {
			return true
		}
	}
	return false
}

// checkFollowUp applies follow-up field f's rule to member p: it returns
// the error (if any) and whether the field's own checks should still run
// (only when it is asked and answered).
func (r *Run) checkFollowUp(f Field, fu FollowUp, p Person) (msg string, checkValue bool) {
	v := r.v(p, f.Name)
	asked := fu.Asked(r.Values, p.PersonalID)
	switch {
	case !asked && v != "":
		return "Leave this empty: it is asked only when " + r.triggerText(f, fu) + ".", false
	case asked && v == "" && f.Required:
		return "Answer this: " + r.triggerText(f, fu) + ".", false
	}
	return "", asked && v != ""
}

// triggerText says when follow-up f is asked: “Employed (R6)” is “Yes”.
func (r *Run) triggerText(f Field, fu FollowUp) string {
	var fields []Field
	if e, ok := r.Def.Element(f.Element); ok {
		fields = memberFields(e)
	} else {
		fields = memberFields(Element{ID: f.Element})
	}
	var parts []string
	for _, t := range fu.When {
		label, value := t.Field, t.Value
		for _, g := range fields {
			if g.Name != t.Field {
				continue
			}
			label = g.Label
			if l := hud.Lists[g.List]; l != nil {
				if s := l.Label(t.Value); s != "" {
					value = s
				}
			}
		}
		parts = append(parts, fmt.Sprintf("“%s” is “%s”", label, value))
	}
	return strings.Join(parts, " or ")
}
