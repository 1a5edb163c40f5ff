package report

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

func ptr[T any](v T) *T { return &v }

// The Glossary's Annual Assessment example: report 10/1/2017-9/30/2018, a
// HoH who started 6/1/2016 has been in 2 years; the anniversary is
// 6/1/2018, and records from 30 days before to 30 days after count.
func TestAnnualAssessment(t *testing.T) {
	d := hmis.MustDate
	ds := &hmis.Dataset{
		Projects: []hmis.Project{{ProjectID: "P", ProjectType: ptr(hud.ProjectTypePHPermanentSupportiveHousing)}},
		Clients:  []hmis.Client{{PersonalID: "1", DOB: d("1970-01-01")}, {PersonalID: "2", DOB: d("1971-01-01")}, {PersonalID: "3", DOB: d("1972-01-01")}},
		Enrollments: []hmis.Enrollment{
			{EnrollmentID: "E1", PersonalID: "1", ProjectID: "P", HouseholdID: "H", RelationshipToHoH: ptr(hud.RelationshipToHoH(1)), EntryDate: d("2016-06-01")},
			{EnrollmentID: "E2", PersonalID: "2", ProjectID: "P", HouseholdID: "H", RelationshipToHoH: ptr(hud.RelationshipToHoH(3)), EntryDate: d("2016-06-01")},
			{EnrollmentID: "E3", PersonalID: "3", ProjectID: "P", HouseholdID: "H", RelationshipToHoH: ptr(hud.RelationshipToHoH(3)), EntryDate: d("2018-07-01")},
		},
		IncomeBenefits: []hmis.IncomeBenefits{
			{IncomeBenefitsID: "A", EnrollmentID: "E1", InformationDate: d("2018-05-03"), DataCollectionStage: ptr(hud.DataCollectionStage(5))}, // 29 days before: in
			{IncomeBenefitsID: "B", EnrollmentID: "E2", InformationDate: d("2018-07-02"), DataCollectionStage: ptr(hud.DataCollectionStage(5))}, // 31 days after: out
		},
	}
	u := NewUniverse(ds, Params{ProjectIDs: []string{"P"}, Start: d("2017-10-01"), End: d("2018-09-30")})
	h := u.Households["H"]
	if h.HoHYears != 2 || h.Anniversary != d("2018-06-01") {
		t.Fatalf("years %d, anniversary %s", h.HoHYears, h.Anniversary)
	}
	if c := u.ByID["1"]; !c.AnnualDue || c.Annual == nil || c.Annual.IncomeBenefitsID != "A" {
		t.Errorf("HoH: due %v, record %v", c.AnnualDue, c.Annual)
	}
	if c := u.ByID["2"]; !c.AnnualDue || c.Annual != nil {
		t.Errorf("partner: due %v, record %v (31 days after is outside)", c.AnnualDue, c.Annual)
	}
	if c := u.ByID["3"]; c.AnnualDue {
		t.Error("a member who joined after the anniversary owes no annual assessment")
	}
}

// Age (Glossary): at the later of project start and report start.
func TestAge(t *testing.T) {
	d := hmis.MustDate
	u := &Universe{Params: Params{Start: d("2021-10-01"), End: d("2022-09-30")}}
	for _, tc := range []struct {
		dob, entry string
		want       int
	}{
		{"2003-12-20", "2022-06-09", 18}, // started after report start: age at start
		{"2003-12-20", "2021-06-09", 17}, // started before: age at report start
		{"2004-02-29", "2022-02-28", 17}, // a leap-day birthday
		{"2023-01-01", "2022-06-09", -1}, // born after: unknown
		{"", "2022-06-09", -1},
	} {
		c := &hmis.Client{}
		if tc.dob != "" {
			c.DOB = d(tc.dob)
		}
		if got := u.AgeOf(c, &hmis.Enrollment{EntryDate: d(tc.entry)}); got != tc.want {
			t.Errorf("DOB %s, start %s: age %d, want %d", tc.dob, tc.entry, got, tc.want)
		}
	}
}

// Chronic homelessness at project start: the Glossary's decision table.
func TestChronicAtStart(t *testing.T) {
	d := hmis.MustDate
	x := &Index{Projects: map[string]*hmis.Project{
		"ES": {ProjectID: "ES", ProjectType: ptr(hud.ProjectTypeEmergencyShelterEntryExit)},
		"TH": {ProjectID: "TH", ProjectType: ptr(hud.ProjectTypeTransitionalHousing)},
	}}
	u := &Universe{Data: x}
	base := func(project string, dc int, ls int) *hmis.Enrollment {
		return &hmis.Enrollment{ProjectID: project, EntryDate: d("2022-01-01"), DisablingCondition: ptr(hud.NoYesReasonsForMissingData(dc)),
			LivingSituation: ptr(hud.LivingSituation(ls))}
	}
	with := func(e *hmis.Enrollment, f func(*hmis.Enrollment)) *hmis.Enrollment { f(e); return e }
	for _, tc := range []struct {
		name string
		e    *hmis.Enrollment
		want CH
	}{
		{"not disabled", base("ES", 0, 116), CHNo},
		{"disability refused", base("ES", 9, 116), CHDontKnow},
		{"disability missing", base("ES", 99, 116), CHMissing},
		{"ES, homeless a year", with(base("ES", 1, 410), func(e *hmis.Enrollment) { e.DateToStreetESSH = d("2021-01-01") }), CHYes},
		{"ES, 4 times, 12 months", with(base("ES", 1, 410), func(e *hmis.Enrollment) {
			e.TimesHomelessPastThreeYears, e.MonthsHomelessPastThreeYears = ptr(hud.TimesHomelessPastThreeYears(4)), ptr(hud.MonthsHomelessPastThreeYears(112))
		}), CHYes},
		{"ES, 4 times, 11 months", with(base("ES", 1, 410), func(e *hmis.Enrollment) {
			e.TimesHomelessPastThreeYears, e.MonthsHomelessPastThreeYears = ptr(hud.TimesHomelessPastThreeYears(4)), ptr(hud.MonthsHomelessPastThreeYears(111))
		}), CHNo},
		{"ES, twice", with(base("ES", 1, 410), func(e *hmis.Enrollment) { e.TimesHomelessPastThreeYears = ptr(hud.TimesHomelessPastThreeYears(2)) }), CHNo},
		{"ES, times missing", base("ES", 1, 410), CHMissing},
		{"TH from the street, a year", with(base("TH", 1, 116), func(e *hmis.Enrollment) { e.DateToStreetESSH = d("2020-12-01") }), CHYes},
		{"TH from jail, 90 days or more", with(base("TH", 1, 207), func(e *hmis.Enrollment) {
			e.LOSUnderThreshold, e.DateToStreetESSH = ptr(hud.NoYesMissing(0)), d("2020-12-01")
		}), CHNo},
		{"TH from jail, short, street before", with(base("TH", 1, 207), func(e *hmis.Enrollment) {
			e.LOSUnderThreshold, e.PreviousStreetESSH, e.DateToStreetESSH = ptr(hud.NoYesMissing(1)), ptr(hud.NoYesMissing(1)), d("2020-12-01")
		}), CHYes},
		{"TH from a rental, not on the street before", with(base("TH", 1, 410), func(e *hmis.Enrollment) {
			e.LOSUnderThreshold, e.PreviousStreetESSH = ptr(hud.NoYesMissing(1)), ptr(hud.NoYesMissing(0))
		}), CHNo},
	} {
		if got := u.ChronicAtStart(tc.e); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// Total income on one record (spec, Report Programming Basics, rules 1-7).
func TestTotalIncome(t *testing.T) {
	m := func(c int64) *hmis.Money { v := hmis.Money(c); return &v }
	yes := ptr(hud.NoYesMissing(1))
	any := func(v int) *hud.NoYesReasonsForMissingData { return ptr(hud.NoYesReasonsForMissingData(v)) }
	for _, tc := range []struct {
		name string
		r    *hmis.IncomeBenefits
		want hmis.Money
		st   IncomeStatus
	}{
		{"no record", nil, 0, IncomeNoRecord},
		{"total entered", &hmis.IncomeBenefits{TotalMonthlyIncome: m(50000), IncomeFromAnySource: any(1)}, 50000, IncomeKnown},
		{"sum of sources", &hmis.IncomeBenefits{SSI: yes, SSIAmount: m(70000), Earned: yes, EarnedAmount: m(10000), IncomeFromAnySource: any(1)}, 80000, IncomeKnown},
		{"any source no", &hmis.IncomeBenefits{IncomeFromAnySource: any(0)}, 0, IncomeKnown},
		{"zero total, yes", &hmis.IncomeBenefits{TotalMonthlyIncome: m(0), IncomeFromAnySource: any(1)}, 0, IncomeKnown},
		{"refused", &hmis.IncomeBenefits{IncomeFromAnySource: any(9)}, 0, IncomeDontKnow},
		{"not collected", &hmis.IncomeBenefits{IncomeFromAnySource: any(99)}, 0, IncomeMissing},
	} {
		got, st := TotalIncome(tc.r)
		if got != tc.want || st != tc.st {
			t.Errorf("%s: %v %v, want %v %v", tc.name, got, st, tc.want, tc.st)
		}
	}
	if e := EarnedIncome(&hmis.IncomeBenefits{Earned: yes}); e != 0 {
		t.Errorf("earned yes without an amount: %v, want 0", e)
	}
}

func TestCellFormat(t *testing.T) {
	for _, tc := range []struct {
		c    Cell
		want string
	}{
		{Cell{Kind: Count, Value: 7}, "7"},
		{Cell{Kind: Percent, Value: 7.0 / 9}, "0.7778"},
		{Cell{Kind: Money, Value: 1263.4545}, "1263.45"},
		{Cell{Kind: Average, Value: 260.03571}, "260.0357"},
		{Cell{Kind: Average, Value: 105}, "105"},
		{Cell{Kind: Average, Value: 279.5}, "279.5"},
	} {
		if got := tc.c.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.c, got, tc.want)
		}
	}
}

func TestEveryTableHasATitle(t *testing.T) {
	for _, rep := range []string{"apr", "caper"} {
		for _, id := range TableIDs(rep) {
			if Title(id) == "" {
				t.Errorf("%s %s: no title", rep, id)
			}
		}
	}
	if n := len(TableIDs("apr")); n != 67 {
		t.Errorf("APR: %d tables, want 67", n)
	}
	if n := len(TableIDs("caper")); n != 40 {
		t.Errorf("CAPER: %d tables, want 40", n)
	}
}
