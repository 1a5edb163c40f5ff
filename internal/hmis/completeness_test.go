package hmis

import (
	"reflect"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hud"
)

// The cases are written from HUD's Data Quality report (APR Q6a-Q6e)
// rules, not from the code.
func TestCompleteness(t *testing.T) {
	complete := func() EnrollmentData {
		return EnrollmentData{
			Client: Client{FirstName: "Ada", LastName: "Lovelace", NameDataQuality: new(hud.NameDataQuality(1)),
				SSN: "123456789", SSNDataQuality: new(hud.SSNDataQuality(1)), DOB: MustDate("1980-05-01"),
				DOBDataQuality: new(hud.DOBDataQuality(1)), White: new(hud.NoYes(1)), Sex: new(hud.Sex(0)),
				VeteranStatus: new(hud.NoYesReasonsForMissingData(0))},
			Enrollment: Enrollment{EntryDate: MustDate("2025-03-01"), RelationshipToHoH: new(hud.RelationshipToHoH(1)),
				EnrollmentCoC: "OR-500", DisablingCondition: new(hud.NoYesReasonsForMissingData(0)),
				LivingSituation: new(hud.LivingSituation(116)), LengthOfStay: new(hud.ResidencePriorLengthOfStay(2)),
				DateCreated: time.Date(2025, 3, 2, 10, 0, 0, 0, time.Local)},
			Income: []IncomeBenefits{{DataCollectionStage: new(hud.DataCollectionStage(1)), IncomeFromAnySource: new(hud.NoYesReasonsForMissingData(0))}},
		}
	}
	type f struct{ element, kind string }
	cases := []struct {
		name string
		edit func(*EnrollmentData)
		want []f
	}{
		{"complete", func(*EnrollmentData) {}, nil},
		{"name not collected", func(d *EnrollmentData) { d.Client.NameDataQuality = new(hud.NameDataQuality(99)) }, []f{{"3.01", DQMissing}}},
		{"partial name is a data issue", func(d *EnrollmentData) { d.Client.NameDataQuality = new(hud.NameDataQuality(2)) }, []f{{"3.01", DQIssue}}},
		{"SSN refused", func(d *EnrollmentData) { d.Client.SSNDataQuality = new(hud.SSNDataQuality(9)) }, []f{{"3.02", DQDKR}}},
		{"impossible SSN", func(d *EnrollmentData) { d.Client.SSN = "000123456" }, []f{{"3.02", DQIssue}}},
		{"DOB unknown", func(d *EnrollmentData) {
			d.Client.DOB, d.Client.DOBDataQuality = Date{}, new(hud.DOBDataQuality(8))
		}, []f{{"3.03", DQDKR}}}, // no DOB: not known to be an adult, so no 3.07
		{"DOB after entry", func(d *EnrollmentData) {
			d.Client.DOB = MustDate("2025-04-01")
		}, []f{{"3.03", DQIssue}}},
		{"no race answered", func(d *EnrollmentData) { d.Client.White = nil }, []f{{"3.04", DQMissing}}},
		{"race refused", func(d *EnrollmentData) { d.Client.White, d.Client.RaceNone = nil, new(hud.RaceNone(9)) }, []f{{"3.04", DQDKR}}},
		{"sex not collected", func(d *EnrollmentData) { d.Client.Sex = nil }, []f{{"4.21", DQMissing}}},
		{"adult veteran status unknown", func(d *EnrollmentData) { d.Client.VeteranStatus = new(hud.NoYesReasonsForMissingData(8)) }, []f{{"3.07", DQDKR}}},
		{"child: no veteran status, income or living situation asked", func(d *EnrollmentData) {
			d.Client.DOB = MustDate("2015-01-01")
			d.Client.VeteranStatus = nil
			d.Enrollment.RelationshipToHoH = new(hud.RelationshipToHoH(2))
			d.Enrollment.LivingSituation, d.Enrollment.LengthOfStay, d.Income = nil, nil, nil
		}, nil},
		{"disabling condition not collected", func(d *EnrollmentData) { d.Enrollment.DisablingCondition = nil }, []f{{"3.08", DQMissing}}},
		{"head without enrollment CoC", func(d *EnrollmentData) { d.Enrollment.EnrollmentCoC = "" }, []f{{"3.16", DQMissing}}},
		{"prior living situation refused", func(d *EnrollmentData) { d.Enrollment.LivingSituation = new(hud.LivingSituation(9)) }, []f{{"3.917", DQDKR}}},
		{"no income at start", func(d *EnrollmentData) { d.Income = nil }, []f{{"4.02", DQMissing}}},
		{"exit: no exit interview, no exit income", func(d *EnrollmentData) {
			d.Exit = &Exit{ExitDate: MustDate("2025-06-01"), Destination: new(hud.LivingSituation(30)),
				DateCreated: time.Date(2025, 6, 1, 9, 0, 0, 0, time.Local)}
		}, []f{{"4.02", DQMissing}, {"3.12", DQMissing}}},
		{"start entered 10 days late", func(d *EnrollmentData) {
			d.Enrollment.DateCreated = time.Date(2025, 3, 11, 9, 0, 0, 0, time.Local)
		}, []f{{"3.10", DQLate}}},
		{"start entered 3 days after: on time", func(d *EnrollmentData) {
			d.Enrollment.DateCreated = time.Date(2025, 3, 4, 9, 0, 0, 0, time.Local)
		}, nil},
	}
	for _, c := range cases {
		d := complete()
		c.edit(&d)
		var got []f
		for _, x := range Completeness(d) {
			got = append(got, f{x.Element, x.Kind})
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
