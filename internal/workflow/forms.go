package workflow

import (
	"slices"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// This file turns a Definition into the pages a case manager fills in:
// the fields of each element (with HUD's code lists), asked once for the
// household or once per member as the element's subject says.

// Kinds of fields.
const (
	KindSelect = "select" // a HUD code list
	KindDate   = "date"   // MM/DD/YYYY
	KindMoney  = "money"  // dollars
	KindCheck  = "check"  // a Yes box (a 1.7 source)
	KindText   = "text"
	KindYear   = "year"   // YYYY
	KindNumber = "number" // a whole number, 0 or more
)

// Field is one question on a page.
type Field struct {
	Name     string // the form name, unique in the workflow: "income_from_any_source"
	Label    string
	Element  string // the HUD element it belongs to: "4.02"
	Kind     string
	List     string // the hud.Lists code of a select
	Required bool   // an answer is needed (the element is required and the field is its main question)
}

// Options returns the current values of a select field's list.
func (f Field) Options() []hud.ListValue {
	l := hud.Lists[f.List]
	if l == nil {
		return nil
	}
	out := l.Current()
	if ex := notIn[f.Name]; len(ex) > 0 {
		out = slices.DeleteFunc(slices.Clone(out), func(v hud.ListValue) bool { return slices.Contains(ex, v.Key) })
	}
	return out
}

// Valid reports whether v is one of the field's answers.
func (f Field) Valid(v string) bool {
	l := hud.Lists[f.List]
	return l != nil && l.Valid(v) && !slices.Contains(notIn[f.Name], v)
}

// notIn are the codes of list 3.12.1 a column does not allow (FY2026
// columns.csv validation notes; Eva reports them as "Invalid Living
// Situation value", "Invalid Current Living Situation", "Invalid
// Destination value"): destination-only codes are no prior or current
// living situation, and a family member's or friend's place (335, 336) or
// "worker unable to determine" (37) no destination.
var notIn = map[string][]string{
	"living_situation":         {"312", "313", "327", "422", "423", "426", "30", "17", "24", "37"},
	"current_living_situation": {"312", "313", "327", "422", "423", "426", "30", "24"},
	FieldDestination:           {"336", "335", "37"},
	"past_destination":         {"336", "335", "37"},
}

// Page is one page of a running workflow: a step of the definition, or
// the pages every workflow has around them (the information date of an
// update, annual or post-exit assessment; the review).
type Page struct {
	Name      string
	Elements  []Element
	Household []Field // asked once for the household
	Member    []Field // asked of each member the field's element is asked of
	// Notice lists elements this page does not collect yet (the federal
	// partner elements without a form), so nobody believes they were asked.
	Notice []string
	Review bool // the last page
}

// Household field names.
const (
	FieldEntryDate   = "entry_date"
	FieldExitDate    = "exit_date"
	FieldInfoDate    = "information_date"
	FieldMoveInDate  = "move_in_date"
	FieldCoC         = "enrollment_coc"
	FieldDestination = "destination"
	// Occurrence elements asked of members (4.13, 4.14).
	FieldEngagementDate = "engagement_date"
	FieldBedNight       = "bed_night"
)

// incomeSources are the 4.02 sources the workflow asks (amount fields).
var incomeSources = []struct{ name, label string }{
	{"earned_amount", "Earned income (employment)"},
	{"unemployment_amount", "Unemployment insurance"},
	{"ssi_amount", "Supplemental Security Income (SSI)"},
	{"ssdi_amount", "Social Security Disability Insurance (SSDI)"},
	{"va_service_amount", "VA service-connected disability compensation"},
	{"tanf_amount", "Temporary Assistance for Needy Families (TANF)"},
	{"ga_amount", "General assistance"},
	{"soc_sec_amount", "Retirement income from Social Security"},
	{"pension_amount", "Pension or retirement income from a former job"},
	{"child_support_amount", "Child support"},
	{"alimony_amount", "Alimony or other spousal support"},
	{"other_income_amount", "Other source"},
}

var benefitSources = []struct{ name, label string }{
	{"snap", "Supplemental Nutrition Assistance Program (SNAP)"},
	{"wic", "Special Supplemental Nutrition Program for Women, Infants, and Children (WIC)"},
	{"tanf_child_care", "TANF child care services"},
	{"tanf_transportation", "TANF transportation services"},
	{"other_tanf", "Other TANF-funded services"},
	{"other_benefits", "Other source"},
}

var insuranceSources = []struct{ name, label string }{
	{"medicaid", "Medicaid"},
	{"medicare", "Medicare"},
	{"schip", "State Children’s Health Insurance Program"},
	{"vha", "Veteran’s Health Administration (VHA)"},
	{"employer", "Employer-provided health insurance"},
	{"cobra", "Health insurance obtained through COBRA"},
	{"private_pay", "Private pay health insurance"},
	{"state_health", "State health insurance for adults"},
	{"indian_health", "Indian Health Services program"},
	{"other_insurance", "Other"},
}

// disabilities are 4.05–4.10 with their DisabilityType (list 1.3).
var disabilities = []struct {
	element, label string
	typ            hud.DisabilityType
}{
	{"4.05", "Physical disability (4.05)", 5},
	{"4.06", "Developmental disability (4.06)", 6},
	{"4.07", "Chronic health condition (4.07)", 7},
	{"4.08", "HIV/AIDS (4.08)", 8},
	{"4.09", "Mental health disorder (4.09)", 9},
	{"4.10", "Substance use disorder (4.10)", 10},
}

// memberFields returns the per-member fields of element e.
func memberFields(e Element) []Field {
	req := e.Required
	switch e.ID {
	case "3.07":
		return []Field{{"veteran_status", "Veteran status (3.07)", e.ID, KindSelect, "1.8", req}}
	case "4.21":
		return []Field{{"sex", "Sex (4.21)", e.ID, KindSelect, "4.21", req}}
	case "3.15":
		return []Field{{"relationship", "Relationship to head of household (3.15)", e.ID, KindSelect, "3.15.1", req}}
	case "3.917":
		return []Field{
			{"living_situation", "Prior living situation (3.917.1)", e.ID, KindSelect, "3.12.1", req},
			{"rental_subsidy", "Rental subsidy type, when the living situation is a rental with a subsidy (3.917.A)", e.ID, KindSelect, "3.12.A", false},
			{"length_of_stay", "Length of stay in the prior living situation (3.917.2)", e.ID, KindSelect, "3.917.2", req},
			// 3.917B only (Pages drops it for ES, SO and SH): asked after a short institutional, temporary or permanent stay.
			{"previous_street_essh", "On the night before, stayed on the streets, in emergency shelter or in a safe haven (3.917.2C)", e.ID, KindSelect, "1.7", false},
			{"date_to_street", "Approximate date this episode of homelessness started (3.917.3, MM/DD/YYYY)", e.ID, KindDate, "", false},
			{"times_homeless", "Times homeless on the street, in ES or SH in the past three years (3.917.4)", e.ID, KindSelect, "3.917.4", false},
			{"months_homeless", "Total months homeless in the past three years (3.917.5)", e.ID, KindSelect, "3.917.5", false},
		}
	case "4.02":
		fs := []Field{{"income_from_any_source", "Income from any source (4.02)", e.ID, KindSelect, "1.8", req}}
		for _, s := range incomeSources {
			fs = append(fs, Field{s.name, s.label + ", monthly $", e.ID, KindMoney, "", false})
		}
		return append(fs, Field{"total_monthly_income", "Total monthly income $", e.ID, KindMoney, "", false})
	case "4.03":
		fs := []Field{{"benefits_from_any_source", "Non-cash benefits from any source (4.03)", e.ID, KindSelect, "1.8", req}}
		for _, s := range benefitSources {
			fs = append(fs, Field{s.name, s.label, e.ID, KindCheck, "", false})
		}
		return fs
	case "4.04":
		fs := []Field{{"insurance_from_any_source", "Covered by health insurance (4.04)", e.ID, KindSelect, "1.8", req}}
		for _, s := range insuranceSources {
			fs = append(fs, Field{s.name, s.label, e.ID, KindCheck, "", false})
		}
		return fs
	case "3.08":
		return []Field{{"disabling_condition", "Disabling condition (3.08)", e.ID, KindSelect, "1.8", req}}
	case "4.05", "4.06", "4.07", "4.08", "4.09", "4.10":
		for _, d := range disabilities {
			if d.element != e.ID {
				continue
			}
			list := "1.8"
			if e.ID == "4.10" {
				list = "4.10.2"
			}
			n := "dis_" + strings.ReplaceAll(e.ID, ".", "_")
			fs := []Field{{n, d.label, e.ID, KindSelect, list, req}}
			if e.ID != "4.06" && e.ID != "4.08" { // HUD asks "expected to be of long-continued and indefinite duration" of the others
				fs = append(fs, Field{n + "_impairs", "If yes: expected to be of long-continued and indefinite duration and to substantially impair independent living", e.ID, KindSelect, "1.8", false})
			}
			return fs
		}
	case "4.11":
		return []Field{
			{"dv_survivor", "Survivor of domestic violence (4.11)", e.ID, KindSelect, "1.8", req},
			{"dv_when", "If yes: when the experience occurred (4.11.A)", e.ID, KindSelect, "4.11.A", false},
			{"dv_fleeing", "If yes: currently fleeing (4.11.B)", e.ID, KindSelect, "1.8", false},
		}
	case "4.13": // occurrence: the date the client engaged, once per stay
		return []Field{{FieldEngagementDate, "Date of engagement, once the client has engaged (4.13, MM/DD/YYYY)", e.ID, KindDate, "", false}}
	case "4.12": // occurrence: one record per contact, dated the information date
		return []Field{
			{"current_living_situation", "Current living situation at this contact (4.12)", e.ID, KindSelect, "3.12.1", req},
			{"cls_subsidy", "If a rental with a subsidy: rental subsidy type (4.12.A)", e.ID, KindSelect, "3.12.A", false},
			// 4.12.B–F: only after an institutional, temporary or permanent situation (followups.go).
			{"cls_leave_14_days", "If in an institution, a temporary or a permanent place: is the client going to have to leave it within 14 days? (4.12.B)", e.ID, KindSelect, "1.8", false},
			{"cls_subsequent_residence", "If leaving within 14 days: has a subsequent residence been identified? (4.12.C)", e.ID, KindSelect, "1.8", false},
			{"cls_resources_to_obtain", "If leaving within 14 days: does the household have the resources or support networks to obtain other permanent housing? (4.12.D)", e.ID, KindSelect, "1.8", false},
			{"cls_lease_own_60_day", "If leaving within 14 days: has the client had a lease or ownership interest in a permanent housing unit in the last 60 days? (4.12.E)", e.ID, KindSelect, "1.8", false},
			{"cls_moved_two_or_more", "If leaving within 14 days: has the client moved two or more times in the last 60 days? (4.12.F)", e.ID, KindSelect, "1.8", false},
			// 4.12.3: coordinated entry only (Pages drops it for other types).
			{"cls_verified_by", "Living situation verified by (4.12.3, coordinated entry)", e.ID, KindText, "", false},
			{"cls_location_details", "Location details (4.12.4)", e.ID, KindText, "", false},
		}
	case "4.14": // occurrence: a Services record (RecordType 200) for the night
		return []Field{{FieldBedNight, "Stayed the night of this date (4.14 bed night; at intake HUD requires one on the start date)", e.ID, KindCheck, "", req}}
	case "3.12":
		return []Field{
			{FieldDestination, "Destination (3.12)", e.ID, KindSelect, "3.12.1", req},
			{"destination_subsidy", "Rental subsidy type, when the destination is a rental with a subsidy (3.12.A)", e.ID, KindSelect, "3.12.A", false},
			{"other_destination", "Other destination, when the destination is Other (3.12.B)", e.ID, KindText, "", false},
		}
	}
	return partnerFormFields(e)
}

// shown reports whether the element has a form (or is shown read-only, as
// 3.01–3.04 on the identity page).
func shown(id string) bool {
	switch id {
	case "3.01", "3.02", "3.03", "3.04", "3.10", "3.11", "3.16", "3.20":
		return true
	}
	return len(memberFields(Element{ID: id})) > 0
}

// Pages returns the pages of a workflow of definition d for a program of
// type pt: an information-date page first for update, annual and post-exit
// assessments, the definition's steps, and a review page last.
func Pages(d Definition, pt hud.ProjectType) []Page {
	var out []Page
	switch d.Stage {
	case Update, Annual, PostExit:
		out = append(out, Page{Name: "Information date", Household: []Field{
			{FieldInfoDate, "Date of this " + strings.ToLower(d.Stage.Label()) + " (information date, MM/DD/YYYY)", "5.04", KindDate, "", true}}})
	}
	for _, s := range d.Steps {
		p := Page{Name: s.Name, Elements: s.Elements}
		for _, e := range s.Elements {
			switch e.ID {
			case "3.10":
				p.Household = append(p.Household, Field{FieldEntryDate, "Project start date (3.10, MM/DD/YYYY)", e.ID, KindDate, "", true})
				if d.Stage == Intake {
					// A stay entered after it ended (retroactive entry).
					p.Household = append(p.Household,
						Field{FieldExitDate, "Project exit date, only for a stay that has already ended (3.11, MM/DD/YYYY)", "3.11", KindDate, "", false},
						Field{"past_destination", "Destination of that ended stay (3.12)", "3.12", KindSelect, "3.12.1", false})
				}
			case "3.16":
				p.Household = append(p.Household, Field{FieldCoC, "Enrollment CoC (3.16)", e.ID, KindSelect, "", e.Required})
			case "3.11":
				p.Household = append(p.Household, Field{FieldExitDate, "Project exit date (3.11, MM/DD/YYYY)", e.ID, KindDate, "", true})
			case "3.20": // occurrence: asked of the head, never required (the household may not have moved in)
				p.Household = append(p.Household, Field{FieldMoveInDate, "Housing move-in date, once the household has moved in and if it is not recorded (3.20, MM/DD/YYYY)", e.ID, KindDate, "", false})
			case "4.14":
				fs := memberFields(e)
				fs[0].Required = fs[0].Required && d.Stage == Intake // a bed night on the start date; later ones as they happen
				p.Member = append(p.Member, fs...)
			case "4.12":
				fs := memberFields(e)
				if pt != hud.ProjectTypeCoordinatedEntry { // 4.12.3 VerifiedBy: null unless ProjectType = 14
					fs = slices.DeleteFunc(fs, func(f Field) bool { return f.Name == "cls_verified_by" })
				}
				p.Member = append(p.Member, fs...)
			case "3.917":
				fs := memberFields(e)
				if is3917A(pt) { // 3.917A asks the homelessness history of everyone, without 2C
					fs = slices.DeleteFunc(fs, func(f Field) bool { return f.Name == "previous_street_essh" })
					// 3.917A (ES, SO, SH): 3.917.3–3.917.5 are required of every
					// head and adult (Eva errors "Missing Approximate Date
					// Homeless", "Missing Months or Times Homeless").
					for i := range fs {
						switch fs[i].Name {
						case "date_to_street", "times_homeless", "months_homeless":
							fs[i].Required = e.Required
						}
					}
				}
				p.Member = append(p.Member, fs...)
			default:
				p.Member = append(p.Member, memberFields(e)...)
			}
			if !shown(e.ID) {
				p.Notice = append(p.Notice, e.ID)
			}
		}
		out = append(out, p)
	}
	return append(out, Page{Name: "Review", Review: true})
}

// Person is a household member in a running workflow.
type Person struct {
	PersonalID   string
	Name         string
	DOB          hmis.Date
	EnrollmentID string // update, annual, exit, post-exit: the member's enrollment
	Veteran      bool
	HIVAIDS      bool // the enrollment's last HIV/AIDS (4.08) answer is Yes
}

// Adult reports whether p is 18 or older on day; an unknown date of birth
// counts as an adult (HUD asks adults' questions when the age is unknown).
func (p Person) Adult(day hmis.Date) bool {
	if p.DOB.IsZero() || day.IsZero() {
		return true
	}
	return p.DOB.AgeOn(day) >= 18
}

// Key is the form name of a member's field: "PERSONALID.field".
func Key(personalID, field string) string { return personalID + "." + field }
