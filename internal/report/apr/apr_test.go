package apr

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/report"
)

func p[T any](v T) *T { return &v }

// smallDataset is one RRH program with a family (HoH, partner, child) and
// a single adult who left, plus data that breaks HUD's assumptions: a
// client without a date of birth, two heads of household, an exit before
// the entry.
func smallDataset() *hmis.Dataset {
	at := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	d := hmis.MustDate
	yes, no := p(hud.NoYesReasonsForMissingData(1)), p(hud.NoYesReasonsForMissingData(0))
	ds := &hmis.Dataset{
		Organizations: []hmis.Organization{{OrganizationID: "O", OrganizationName: "Org, Inc", VictimServiceProvider: p(hud.NoYes(0))}},
		Projects:      []hmis.Project{{ProjectID: "P", OrganizationID: "O", ProjectName: "RRH", ProjectType: p(hud.ProjectTypePHRapidReHousing)}},
		ProjectCoCs:   []hmis.ProjectCoC{{ProjectCoCID: "PC", ProjectID: "P", CoCCode: "XX-501", Geocode: "123456"}},
	}
	client := func(id, dob string, vet int) hmis.Client {
		c := hmis.Client{PersonalID: id, DOBDataQuality: p(hud.DOBDataQuality(1)), VeteranStatus: p(hud.NoYesReasonsForMissingData(vet)), DateCreated: at}
		if dob != "" {
			c.DOB = d(dob)
		} else {
			c.DOBDataQuality = p(hud.DOBDataQuality(99))
		}
		return c
	}
	ds.Clients = []hmis.Client{client("1", "1980-05-01", 1), client("2", "1982-01-01", 0), client("3", "2015-03-03", 0), client("4", "1990-01-01", 0), client("5", "", 99), client("6", "1970-01-01", 0), client("7", "1971-01-01", 0)}
	enr := func(id, pid, hh string, rel int, entry, movein string, dc *hud.NoYesReasonsForMissingData) hmis.Enrollment {
		e := hmis.Enrollment{EnrollmentID: id, PersonalID: pid, ProjectID: "P", HouseholdID: hh, RelationshipToHoH: p(hud.RelationshipToHoH(rel)),
			EntryDate: d(entry), EnrollmentCoC: "XX-501", DisablingCondition: dc, DateCreated: at,
			LivingSituation: p(hud.LivingSituation(116)), DateToStreetESSH: d("2019-01-01"), TimesHomelessPastThreeYears: p(hud.TimesHomelessPastThreeYears(4)),
			MonthsHomelessPastThreeYears: p(hud.MonthsHomelessPastThreeYears(113))}
		if movein != "" {
			e.MoveInDate = d(movein)
		}
		return e
	}
	ds.Enrollments = []hmis.Enrollment{
		enr("E1", "1", "H1", 1, "2020-06-01", "2020-07-01", yes),
		enr("E2", "2", "H1", 3, "2020-06-01", "", no),
		enr("E3", "3", "H1", 2, "2020-06-01", "", no),
		enr("E4", "4", "H2", 1, "2021-11-01", "", no),
		enr("E5", "5", "H3", 1, "2022-01-10", "", nil),
		enr("E6", "6", "H4", 1, "2022-02-01", "", no),
		enr("E7", "7", "H4", 1, "2022-02-01", "", no),
	}
	ds.Exits = []hmis.Exit{
		{ExitID: "X4", EnrollmentID: "E4", PersonalID: "4", ExitDate: d("2022-03-01"), Destination: p(hud.LivingSituation(435)), DestinationSubsidyType: p(hud.RentalSubsidyType(419)), DateCreated: at},
		{ExitID: "X5", EnrollmentID: "E5", PersonalID: "5", ExitDate: d("2022-01-01"), Destination: p(hud.LivingSituation(99)), DateCreated: at},
	}
	inc := func(id, enr, pid, date string, stage int, any int, earned int64) hmis.IncomeBenefits {
		r := hmis.IncomeBenefits{IncomeBenefitsID: id, EnrollmentID: enr, PersonalID: pid, InformationDate: d(date), DataCollectionStage: p(hud.DataCollectionStage(stage)),
			IncomeFromAnySource: p(hud.NoYesReasonsForMissingData(any))}
		if earned > 0 {
			m := hmis.Money(earned)
			r.Earned, r.EarnedAmount, r.TotalMonthlyIncome = p(hud.NoYesMissing(1)), &m, &m
		}
		return r
	}
	ds.IncomeBenefits = []hmis.IncomeBenefits{
		inc("I1", "E1", "1", "2020-06-01", 1, 0, 0),
		inc("I2", "E1", "1", "2022-06-05", 5, 1, 120000), // annual, within 30 days of the 2022-06-01 anniversary
		inc("I3", "E4", "4", "2021-11-01", 1, 1, 50000),
		inc("I4", "E4", "4", "2022-03-01", 3, 1, 80000),
	}
	return ds
}

func TestRunSmall(t *testing.T) {
	ds := smallDataset()
	params := report.Params{ProjectIDs: []string{"P"}, Start: hmis.MustDate("2021-10-01"), End: hmis.MustDate("2022-09-30"), CoC: "XX-501", Software: "Hearth"}
	rep, err := Run(ds, APR, params)
	if err != nil {
		t.Fatal(err)
	}
	cell := func(id string, r, c int) float64 { return rep.Table(id).Cell(r, c).Value }
	// Q5a: 7 persons. Client 5's exit, dated before the entry, is in the
	// range: a leaver (HUD's leaver rule), of unknown age, a HoH.
	for _, tc := range []struct {
		row  int
		want float64
	}{{0, 7}, {1, 5}, {2, 1}, {3, 1}, {4, 2}, {5, 1}, {6, 2}, {7, 5}, {9, 1}, {13, 4}, {14, 1}, {15, 2}} {
		if got := cell("Q5a", tc.row, 1); got != tc.want {
			t.Errorf("Q5a row %d (%s) = %v, want %v", tc.row+1, rep.Table("Q5a").Rows[tc.row].Label, got, tc.want)
		}
	}
	// The family is a household with children and adults, moved in.
	if got := cell("Q7a", 5, 2); got != 3 {
		t.Errorf("Q7a moved-in persons with children = %v, want 3", got)
	}
	// Chronic homelessness: the HoH is CH, so the family present at start is.
	if got := cell("Q26b", 0, 2); got != 3 {
		t.Errorf("Q26b CH persons with children = %v, want 3", got)
	}
	// Q19a2: client 4 had earned income 500 at start, 800 at exit: retained, increased.
	if got := cell("Q19a2", 0, 3); got != 1 {
		t.Errorf("Q19a2 increased earned = %v, want 1", got)
	}
	if got := rep.Table("Q19a2").Cell(1, 3).String(); got != "300.00" {
		t.Errorf("Q19a2 average change = %s, want 300.00", got)
	}
	// Q16 annual: the HoH's annual assessment shows 1,200 (1,001-1,500).
	if got := cell("Q16", 5, 1); got != 1 {
		t.Errorf("Q16 annual 1,001-1,500 = %v, want 1", got)
	}
	// Q23d: one exit to 435 with VASH (419).
	if got := cell("Q23d", 1, 0); got != 1 {
		t.Errorf("Q23d VASH = %v, want 1", got)
	}
	// Q6b: two heads of household in H4 are a relationship data issue for both.
	if got := cell("Q6b", 2, 3); got != 2 {
		t.Errorf("Q6b relationship issues = %v, want 2", got)
	}
	// Drill-down: the refs behind a cell are the clients.
	refs := rep.Table("Q5a").Cell(2, 1).Refs
	if len(refs) != 1 || refs[0] != (report.Ref{PersonalID: "3", EnrollmentID: "E3"}) {
		t.Errorf("Q5a children refs = %v", refs)
	}

	// Every FY2026 table is in the report and in the zip.
	for _, kind := range []Kind{APR, CAPER} {
		rep, err := Run(ds, kind, params)
		if err != nil {
			t.Fatal(err)
		}
		ids := report.TableIDs(string(kind))
		if len(rep.Tables) != len(ids) || len(Implemented(kind)) != len(ids) {
			t.Errorf("%s: %d tables, want %d", kind, len(rep.Tables), len(ids))
		}
		var b bytes.Buffer
		if err := rep.WriteSageZip(&b); err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
		if err != nil {
			t.Fatal(err)
		}
		if len(zr.File) != len(ids) {
			t.Errorf("%s zip: %d files, want %d", kind, len(zr.File), len(ids))
		}
	}
	var b strings.Builder
	rep.Table("Q4a").WriteCSV(&b)
	if !strings.Contains(b.String(), `"Org, Inc","O","RRH","P","13"`) {
		t.Errorf("Q4a:\n%s", b.String())
	}
}

func TestRunBadInput(t *testing.T) {
	ds := smallDataset()
	for _, p := range []report.Params{
		{Start: hmis.MustDate("2021-10-01"), End: hmis.MustDate("2022-09-30")},
		{ProjectIDs: []string{"P"}, Start: hmis.MustDate("2022-10-01"), End: hmis.MustDate("2022-09-30")},
		{ProjectIDs: []string{"nope"}, Start: hmis.MustDate("2021-10-01"), End: hmis.MustDate("2022-09-30")},
	} {
		if _, err := Run(ds, APR, p); err == nil {
			t.Errorf("%+v: no error", p)
		}
	}
	// A period with no clients: a report of zeros.
	rep, err := Run(ds, CAPER, report.Params{ProjectIDs: []string{"P"}, Start: hmis.MustDate("2010-01-01"), End: hmis.MustDate("2010-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	if v := rep.Table("Q5a").Cell(0, 1).Value; v != 0 {
		t.Errorf("persons served in an empty period = %v", v)
	}
}

// The last Wednesdays of January, April, July and October (spec Q7b).
func TestPITDates(t *testing.T) {
	got := PITDates(hmis.MustDate("2021-10-01"), hmis.MustDate("2022-09-30"))
	want := []string{"2022-01-26", "2022-04-27", "2022-07-27", "2021-10-27"}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("PIT %d: %s, want %s", i, got[i], want[i])
		}
	}
	// Two years: the latest of each month.
	if got := PITDates(hmis.MustDate("2020-10-01"), hmis.MustDate("2022-09-30")); got[3].String() != "2021-10-27" {
		t.Errorf("two years: October %s", got[3])
	}
}

// The Glossary's SSN rules (DQ Q2).
func TestValidSSN(t *testing.T) {
	for s, want := range map[string]bool{
		"123456789": false, "987654321": false, "333333333": false, "000123456": false, "666123456": false,
		"912345678": false, "123004567": false, "123450000": false, "12345678": false, "12345678x": false, "836742063": true,
	} {
		if got := ValidSSN(s); got != want {
			t.Errorf("%s: %v, want %v", s, got, want)
		}
	}
}
