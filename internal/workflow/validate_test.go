package workflow

import (
	"strconv"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// esgRun is an intake of a household of three (two adults, a child) into
// an ESG emergency shelter.
func esgRun(t *testing.T) (*Run, []Page) {
	t.Helper()
	p := Project{ID: "p", Type: hud.ProjectTypeEmergencyShelterEntryExit, Funders: []int{8}}
	d, err := Derive(p, Intake)
	if err != nil {
		t.Fatal(err)
	}
	r := &Run{Stage: Intake, Project: p, Def: d, Today: hmis.MustDate("2026-06-10"), CoCs: []string{"CA-500"},
		Members: []Person{
			{PersonalID: "a", Name: "Ana", DOB: hmis.MustDate("1990-01-01")},
			{PersonalID: "b", Name: "Ben", DOB: hmis.MustDate("1988-05-05")},
			{PersonalID: "c", Name: "Cy", DOB: hmis.MustDate("2018-03-03")},
		},
		Values: map[string]string{"a.relationship": "1", "b.relationship": "3", "c.relationship": "2"}}
	return r, Pages(d, p.Type)
}

func page(t *testing.T, pages []Page, name string) Page {
	for _, p := range pages {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no page %q", name)
	return Page{}
}

func TestValidate_Rules(t *testing.T) {
	r, pages := esgRun(t)
	if last := pages[len(pages)-1]; !last.Review {
		t.Error("the last page is the review")
	}
	hh := page(t, pages, StepHousehold)
	if errs := r.Validate(hh); len(errs) != 0 {
		t.Errorf("one head: %v", errs)
	}
	r.Values["b.relationship"] = "1"
	if errs := r.Validate(hh); errs["b.relationship"] == "" || len(errs) != 1 {
		t.Errorf("second head of household: %v", errs)
	}
	r.Values["b.relationship"] = "3"

	en := page(t, pages, StepEnrollment)
	r.Values[FieldEntryDate] = "06/01/2026"
	r.Values[FieldCoC] = "CA-500"
	r.Values[FieldExitDate] = "05/01/2026"
	r.Values["past_destination"] = "410"
	if errs := r.Validate(en); errs[FieldExitDate] == "" {
		t.Errorf("exit before start: %v", errs)
	}
	r.Values[FieldExitDate], r.Values["past_destination"] = "", ""
	r.Values[FieldEntryDate] = "07/01/2026"
	if errs := r.Validate(en); errs[FieldEntryDate] == "" {
		t.Errorf("start in the future: %v", errs)
	}
	r.Values[FieldEntryDate] = "06/01/2026"
	r.Values[FieldCoC] = "XX-999"
	if errs := r.Validate(en); errs[FieldCoC] == "" {
		t.Errorf("a CoC not the program's: %v", errs)
	}
	r.Values[FieldCoC] = "CA-500"
	if errs := r.Validate(en); len(errs) != 0 {
		t.Errorf("valid enrollment: %v", errs)
	}
	r.CoCs = nil
	if errs := r.Validate(en); !strings.Contains(errs[FieldCoC], "no CoC code") {
		t.Errorf("a program without CoC codes: %v", errs)
	}
	r.CoCs = []string{"CA-500"}

	// Income is asked of the adults only: the child's fields are not required.
	inc := page(t, pages, StepIncome)
	errs := r.Validate(inc)
	if errs["a.income_from_any_source"] == "" || errs["b.income_from_any_source"] == "" || errs["c.income_from_any_source"] != "" {
		t.Errorf("income asked of adults only: %v", errs)
	}
	for _, p := range []string{"a", "b"} {
		r.Values[p+".income_from_any_source"] = "0"
		r.Values[p+".benefits_from_any_source"] = "0"
	}
	r.Values["a.income_from_any_source"] = "1"
	r.Values["a.earned_amount"] = "1200"
	r.Values["a.ssi_amount"] = "300.50"
	r.Values["a.total_monthly_income"] = "1400"
	if errs := r.Validate(inc); errs["a.total_monthly_income"] == "" {
		t.Errorf("total not matching the sources: %v", errs)
	}
	r.Values["a.total_monthly_income"] = "1500.50"
	r.Values["b.earned_amount"] = "10"
	if errs := r.Validate(inc); errs["b.income_from_any_source"] == "" || errs["a.total_monthly_income"] != "" {
		t.Errorf("a source with income from any source No: %v", errs)
	}
	r.Values["b.earned_amount"] = ""
	r.Values["a.snap"] = "1"
	if errs := r.Validate(inc); errs["a.benefits_from_any_source"] == "" {
		t.Errorf("a benefit ticked with No: %v", errs)
	}
	r.Values["a.benefits_from_any_source"] = "1"
	if errs := r.Validate(inc); len(errs) != 0 {
		t.Errorf("valid income: %v", errs)
	}

	dis := page(t, pages, StepDisabilities)
	for _, p := range []string{"a", "b", "c"} {
		for _, d := range []string{"4_05", "4_06", "4_07", "4_08", "4_09", "4_10"} {
			r.Values[p+".dis_"+d] = "0"
		}
		r.Values[p+".disabling_condition"] = "0"
	}
	if errs := r.Validate(dis); len(errs) != 0 {
		t.Errorf("no disabilities: %v", errs)
	}
	r.Values["c.dis_4_09"] = "1"
	if errs := r.Validate(dis); errs["c.dis_4_09_impairs"] == "" {
		t.Errorf("4.09 Yes without the impairment answer: %v", errs)
	}
	r.Values["c.dis_4_09_impairs"] = "1"
	if errs := r.Validate(dis); errs["c.disabling_condition"] == "" {
		t.Errorf("DisablingCondition No with an impairing 4.09: %v", errs)
	}
	r.Values["c.disabling_condition"] = "1"
	if errs := r.Validate(dis); len(errs) != 0 {
		t.Errorf("consistent: %v", errs)
	}

	// The records: one enrollment each, one household, stage 1, the
	// income record of the child holds insurance only.
	for _, p := range []string{"a", "b", "c"} {
		r.Values[p+".insurance_from_any_source"] = "0"
	}
	n := 0
	recs := r.Build(func() string { n++; return string(rune('A' + n)) })
	if len(recs.Enrollments) != 3 || recs.Enrollments[0].HouseholdID != recs.Enrollments[2].HouseholdID {
		t.Fatalf("enrollments %+v", recs.Enrollments)
	}
	if len(recs.Income) != 3 || len(recs.Disabilities) != 18 || len(recs.Health) != 2 {
		t.Errorf("income %d disabilities %d health %d", len(recs.Income), len(recs.Disabilities), len(recs.Health))
	}
	a := recs.Income[0]
	if *a.DataCollectionStage != 1 || a.InformationDate != hmis.MustDate("2026-06-01") || *a.TotalMonthlyIncome != 150050 ||
		*a.Earned != 1 || *a.Unemployment != 0 || *a.SNAP != 1 || *a.WIC != 0 {
		t.Errorf("income of the head %+v", a)
	}
	if c := recs.Income[2]; c.IncomeFromAnySource != nil || c.InsuranceFromAnySource == nil {
		t.Errorf("the child's record %+v", c)
	}
	if e := recs.Enrollments[2]; e.LivingSituation != nil || *e.DisablingCondition != 1 {
		t.Errorf("the child's enrollment %+v", e)
	}
}

// The federal partners' elements are asked and stored: an RHY
// transitional living intake of one youth.
func TestPartners_RHY(t *testing.T) {
	p := Project{ID: "p", Type: hud.ProjectTypeTransitionalHousing, Funders: []int{24}}
	d, err := Derive(p, Intake)
	if err != nil {
		t.Fatal(err)
	}
	pages := Pages(d, p.Type)
	rhy := page(t, pages, StepRHY)
	if len(rhy.Notice) != 0 {
		t.Errorf("RHY elements without a form: %v", rhy.Notice)
	}
	r := &Run{Stage: Intake, Project: p, Def: d, Today: hmis.MustDate("2026-06-10"),
		Members: []Person{{PersonalID: "y", Name: "Yo", DOB: hmis.MustDate("2007-01-01")}},
		Values:  map[string]string{"y.relationship": "1", FieldEntryDate: "06/01/2026"}}
	errs := r.Validate(rhy)
	for _, f := range []string{"referral_source", "last_grade", "school_status", "employed", "general_health", "dental_health",
		"mental_health", "pregnancy", "former_ward_child_welfare", "former_ward_juvenile_justice", "unemployment_fam", "incarcerated_parent"} {
		if errs["y."+f] == "" {
			t.Errorf("%s not required: %v", f, errs)
		}
	}
	for k, v := range map[string]string{"referral_source": "1", "last_grade": "2", "school_status": "1", "employed": "1",
		"general_health": "1", "dental_health": "2", "mental_health": "3", "pregnancy": "0",
		"former_ward_child_welfare": "0", "former_ward_juvenile_justice": "0", "unemployment_fam": "0",
		"mental_health_fam": "0", "physical_disability_fam": "0", "substance_use_fam": "0", "insufficient_income": "1",
		"incarcerated_parent": "0"} {
		r.Values["y."+k] = v
	}
	if errs := r.Validate(rhy); errs["y.employment_type"] == "" || len(errs) != 1 {
		t.Errorf("employed without the type: %v", errs)
	}
	r.Values["y.employment_type"] = "2"
	if errs := r.Validate(rhy); len(errs) != 0 {
		t.Errorf("valid RHY step: %v", errs)
	}
	n := 0
	recs := r.Build(func() string { n++; return "id" + string(rune('a'+n)) })
	e := recs.Enrollments[0]
	if *e.ReferralSource != 1 || *e.InsufficientIncome != 1 || *e.FormerWardChildWelfare != 0 {
		t.Errorf("enrollment %+v", e)
	}
	if len(recs.Employment) != 1 || *recs.Employment[0].LastGradeCompleted != 2 || *recs.Employment[0].EmploymentType != 2 ||
		*recs.Employment[0].DataCollectionStage != 1 {
		t.Errorf("employment %+v", recs.Employment)
	}
	if len(recs.Health) != 1 || *recs.Health[0].MentalHealthStatus != 3 || recs.Health[0].DomesticViolenceSurvivor != nil {
		t.Errorf("health %+v", recs.Health)
	}
}

// Eva's checks at entry: errors block (start before the operating period
// or before a member's birth, a household of children only); warnings
// (unknown answers) are returned to be confirmed.
func TestEvaChecks(t *testing.T) {
	r, pages := esgRun(t)
	r.Project.OperatingStart = hmis.MustDate("2026-01-01")
	en := page(t, pages, StepEnrollment)
	r.Values[FieldCoC] = "CA-500"
	r.Values[FieldEntryDate] = "12/01/2025"
	if errs := r.Validate(en); !strings.Contains(errs[FieldEntryDate], "started operating") {
		t.Errorf("before the operating period: %v", errs)
	}
	r.Values[FieldEntryDate] = "06/01/2026"
	r.Members[2].DOB = hmis.MustDate("2026-06-05")
	if errs := r.Validate(en); !strings.Contains(errs[FieldEntryDate], "date of birth") {
		t.Errorf("before a member's birth: %v", errs)
	}
	r.Members[2].DOB = hmis.MustDate("2018-03-03")

	kids := &Run{Stage: Intake, Project: r.Project, Def: r.Def, Today: r.Today, Values: map[string]string{"k1.relationship": "1", "k2.relationship": "4"},
		Members: []Person{{PersonalID: "k1", Name: "K1", DOB: hmis.MustDate("2016-01-01")}, {PersonalID: "k2", Name: "K2", DOB: hmis.MustDate("2019-01-01")}}}
	if errs := kids.Validate(page(t, pages, StepHousehold)); !strings.Contains(errs["k1.relationship"], "12 or older") {
		t.Errorf("children only: %v", errs)
	}

	lv := page(t, pages, StepLiving)
	for _, p := range []string{"a", "b"} {
		r.Values[p+".living_situation"] = "116"
		r.Values[p+".length_of_stay"] = "2"
		r.Values[p+".times_homeless"] = "1"
		r.Values[p+".months_homeless"] = "101"
	}
	if ws := r.Warnings(lv); len(ws) != 0 {
		t.Errorf("known answers flagged: %v", ws)
	}
	r.Values["b.living_situation"] = "99"
	r.Values["a.date_to_street"] = "06/05/2026"
	ws := r.Warnings(lv)
	var issues []string
	for _, w := range ws {
		issues = append(issues, w.Issue+"@"+w.Field)
	}
	if strings.Join(issues, ",") != "Homelessness Start Date Later Than Entry@a.date_to_street,Unknown Residence Prior@b.living_situation" {
		t.Errorf("warnings %v", issues)
	}
}

// HOPWA's W4 at an annual assessment is asked of the member whose stay
// records HIV/AIDS, and stored on an HIV/AIDS record of the stage; V1 is
// asked of veterans at intake and kept on the client.
func TestPartners_HOPWAAndVA(t *testing.T) {
	p := Project{ID: "p", Type: hud.ProjectTypePHPermanentSupportiveHousing, Funders: []int{15}}
	d, err := Derive(p, Annual)
	if err != nil {
		t.Fatal(err)
	}
	pages := Pages(d, p.Type)
	r := &Run{Stage: Annual, Project: p, Def: d, Today: hmis.MustDate("2026-06-10"), EntryDate: hmis.MustDate("2025-06-01"),
		Members: []Person{{PersonalID: "h", Name: "H", DOB: hmis.MustDate("1980-01-01"), EnrollmentID: "E1", HIVAIDS: true},
			{PersonalID: "o", Name: "O", DOB: hmis.MustDate("1982-01-01"), EnrollmentID: "E2"}},
		Values: map[string]string{"h.relationship": "1", "o.relationship": "3", FieldInfoDate: "06/01/2026"}}
	hopwa := page(t, pages, StepHOPWA)
	errs := r.Validate(hopwa)
	if errs["h.tcell_available"] == "" || errs["o.tcell_available"] != "" {
		t.Errorf("W4 asked of the member with HIV/AIDS only: %v", errs)
	}
	r.Values["h.tcell_available"], r.Values["h.viral_load_available"] = "1", "0"
	// W4.A/W4.B follow an available count; W4.C/W4.D only an available load.
	errs = r.Validate(hopwa)
	if errs["h.tcell_count"] == "" || errs["h.tcell_source"] == "" || errs["h.viral_load"] != "" {
		t.Errorf("W4 follow-ups: %v", errs)
	}
	r.Values["h.tcell_count"], r.Values["h.tcell_source"] = "1600", "1"
	if errs = r.Validate(hopwa); errs["h.tcell_count"] != "Enter a whole number from 0 to 1500." {
		t.Errorf("W4.A range: %v", errs)
	}
	r.Values["h.tcell_count"], r.Values["h.viral_load"] = "350", "40"
	if errs = r.Validate(hopwa); errs["h.viral_load"] == "" {
		t.Errorf("a viral load that is not available: %v", errs)
	}
	r.Values["h.tcell_count"], r.Values["h.viral_load"] = "350", ""
	if errs = r.Validate(hopwa); len(errs) != 0 {
		t.Errorf("W4 answered: %v", errs)
	}
	n := 0
	recs := r.Build(func() string { n++; return "x" + strconv.Itoa(n) })
	if len(recs.Disabilities) == 1 && (recs.Disabilities[0].TCellCount == nil || *recs.Disabilities[0].TCellCount != 350 ||
		recs.Disabilities[0].TCellSource == nil || *recs.Disabilities[0].TCellSource != 1) {
		t.Errorf("W4.A/W4.B not stored: %+v", recs.Disabilities[0])
	}
	if len(recs.Disabilities) != 1 || *recs.Disabilities[0].DisabilityType != 8 || *recs.Disabilities[0].TCellCountAvailable != 1 ||
		*recs.Disabilities[0].DataCollectionStage != 5 || recs.Disabilities[0].EnrollmentID != "E1" {
		t.Errorf("annual HIV/AIDS record %+v", recs.Disabilities)
	}

	va := Project{ID: "v", Type: hud.ProjectTypePHRapidReHousing, Funders: []int{33}}
	vd, err := Derive(va, Intake)
	if err != nil {
		t.Fatal(err)
	}
	id := page(t, Pages(vd, va.Type), StepIdentity)
	vr := &Run{Stage: Intake, Project: va, Def: vd, Today: hmis.MustDate("2026-06-10"),
		Members: []Person{{PersonalID: "v", Name: "V", DOB: hmis.MustDate("1970-01-01")}},
		Values:  map[string]string{"v.relationship": "1", FieldEntryDate: "06/01/2026", "v.veteran_status": "1", "v.sex": "1"}}
	errs = vr.Validate(id)
	if errs["v.year_entered_service"] == "" || errs["v.military_branch"] == "" {
		t.Errorf("V1 not asked of a veteran: %v", errs)
	}
	vr.Values["v.year_entered_service"], vr.Values["v.year_separated"] = "1990", "2030"
	vr.Values["v.military_branch"], vr.Values["v.discharge_status"] = "1", "1"
	if errs := vr.Validate(id); errs["v.year_separated"] == "" || len(errs) != 1 {
		t.Errorf("a year in the future: %v", errs)
	}
	vr.Values["v.year_separated"] = "1994"
	if errs := vr.Validate(id); len(errs) != 0 {
		t.Errorf("valid V1: %v", errs)
	}
	vrecs := vr.Build(func() string { n++; return "y" + strconv.Itoa(n) })
	if c := vrecs.Clients["v"]; c.YearEnteredService == nil || *c.YearEnteredService != 1990 || *c.MilitaryBranch != 1 || *c.VeteranStatus != 1 {
		t.Errorf("client answers %+v", c)
	}
	vr.Values["v.veteran_status"] = "0"
	if errs := vr.Validate(id); errs["v.year_entered_service"] != "" {
		t.Errorf("V1 asked of a non-veteran: %v", errs)
	}
}

// Every element of every stage of every project type and funder has a
// form: no page says an element is not collected.
func TestPages_EveryElementHasAForm(t *testing.T) {
	for pt := hud.ProjectType(0); pt <= 14; pt++ {
		if pt == 5 {
			continue // not a project type
		}
		for _, f := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 30,
			33, 35, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 53, 54, 55, 56} {
			for _, st := range Stages {
				d, err := Derive(Project{ID: "p", Type: pt, Funders: []int{f}}, st)
				if err != nil {
					t.Fatal(err)
				}
				for _, pg := range Pages(d, pt) {
					if len(pg.Notice) > 0 {
						t.Errorf("type %d funder %d %s: %s without a form: %v", pt, f, st, pg.Name, pg.Notice)
					}
				}
			}
		}
	}
}
