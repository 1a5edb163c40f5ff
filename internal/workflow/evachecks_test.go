package workflow

import (
	"sort"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// TestEvaChecks_SingleEnrollment: Eva's single-enrollment checks at save
// time (../shared/hud/dq/eva_checks.csv): each error is refused on the
// right field, each warning is returned to be confirmed. Every main
// question of the page is answered (as in partnerRun); a case sets the
// answers and the stay under test.
func TestEvaChecks_SingleEnrollment(t *testing.T) {
	const (
		nbn = hud.ProjectTypeEmergencyShelterNightByNight
		es  = hud.ProjectTypeEmergencyShelterEntryExit
		psh = hud.ProjectTypePHPermanentSupportiveHousing
		rrh = hud.ProjectTypePHRapidReHousing
	)
	cases := []struct {
		name    string
		typ     hud.ProjectType
		funder  int
		stage   Stage
		step    string
		values  map[string]string // "a." is the member's prefix
		setup   func(r *Run)
		errs    map[string]string // field → part of the message
		warning string            // the Eva issue, if one
	}{
		// 4.13 between the start and the exit (HUD 4.13).
		{"engagement before start", nbn, 8, Intake, StepOccurrence, map[string]string{"a.engagement_date": "05/20/2026"}, nil,
			map[string]string{"a.engagement_date": "before the project start date (06/01/2026)"}, ""},
		{"engagement after the exit of an ended stay", nbn, 8, Intake, StepOccurrence,
			map[string]string{FieldExitDate: "06/05/2026", "a.engagement_date": "06/07/2026"}, nil,
			map[string]string{"a.engagement_date": "after the exit date (06/05/2026)"}, ""},
		{"engagement within the stay", nbn, 8, Intake, StepOccurrence, map[string]string{"a.engagement_date": "06/03/2026"}, nil, nil, ""},
		{"engagement before start at an update", nbn, 8, Update, StepOccurrence,
			map[string]string{FieldInfoDate: "06/02/2026", "a.engagement_date": "12/20/2025"}, nil,
			map[string]string{"a.engagement_date": "before the project start date (01/05/2026)"}, ""},
		// Eva "Bed night entered on Project Exit Date" and "No bed night on Entry Date".
		{"bed night on the exit date", nbn, 8, Intake, StepOccurrence, map[string]string{FieldExitDate: "06/01/2026"}, nil,
			map[string]string{"a.bed_night": "on or after the exit date"}, ""},
		{"no bed night on the start date", nbn, 8, Intake, StepOccurrence, map[string]string{"a.bed_night": ""}, nil,
			map[string]string{"a.bed_night": "HUD requires 4.14"}, ""},
		// Eva "Enrollment Crosses Operating End" / "Before Operating Period".
		{"exit after the operating end", es, 8, Exit, StepExit, map[string]string{FieldExitDate: "06/05/2026"},
			func(r *Run) { r.Project.OperatingEnd = hmis.MustDate("2026-05-31") },
			map[string]string{FieldExitDate: "stopped operating on 05/31/2026"}, ""},
		{"exit within the operating period", es, 8, Exit, StepExit, map[string]string{FieldExitDate: "06/05/2026"},
			func(r *Run) { r.Project.OperatingEnd = hmis.MustDate("2026-06-30") }, nil, ""},
		// Eva "Project Exit Before Start".
		{"exit before start", es, 8, Exit, StepExit, map[string]string{FieldExitDate: "01/02/2026"}, nil,
			map[string]string{FieldExitDate: "before the project start date"}, ""},
		// Eva "Incorrect DOB or Entry Date" and the operating start.
		{"start before the date of birth", es, 8, Intake, StepEnrollment, nil,
			func(r *Run) { r.Members[0].DOB = hmis.MustDate("2026-06-03") },
			map[string]string{FieldEntryDate: "date of birth"}, ""},
		// Eva "Invalid Move-In Date": between the start and the exit.
		{"move-in before start at an update", psh, 2, Update, StepOccurrence,
			map[string]string{FieldInfoDate: "06/02/2026", FieldMoveInDate: "01/02/2026"}, nil,
			map[string]string{FieldMoveInDate: "before the project start date"}, ""},
		{"move-in after the exit", rrh, 3, Exit, StepOccurrence,
			map[string]string{FieldExitDate: "06/02/2026", FieldMoveInDate: "06/04/2026"}, nil,
			map[string]string{FieldMoveInDate: "after the exit date"}, ""},
		// Eva "Missing Relationship to Head of Household" (3.15 required of all).
		{"missing relationship", es, 8, Intake, StepHousehold, map[string]string{"a.relationship": ""}, nil,
			map[string]string{"a.relationship": "HUD requires 3.15"}, ""},
		// Eva "Conflicting Income yes/no": the total matches the parts.
		{"income total not the sum", es, 8, Intake, StepIncome, map[string]string{"a.income_from_any_source": "1",
			"a.earned_amount": "500", "a.ssi_amount": "300", "a.total_monthly_income": "900"}, nil,
			map[string]string{"a.total_monthly_income": "$800.00"}, ""},
		// Eva "Incorrect Year Entered Service/Separated".
		{"year separated before entered", rrh, 33, Intake, StepIdentity,
			map[string]string{"a.year_entered_service": "2010", "a.year_separated": "2008"}, func(r *Run) { r.Members[0].Veteran = true },
			map[string]string{"a.year_separated": "before the year entered"}, ""},
		{"year entered before birth", rrh, 33, Intake, StepIdentity,
			map[string]string{"a.year_entered_service": "1985", "a.year_separated": "2008"}, func(r *Run) { r.Members[0].Veteran = true },
			map[string]string{"a.year_entered_service": "birth year"}, ""},
		// Eva "Invalid Living Situation value" / "Invalid Current Living
		// Situation" / "Invalid Destination value": list 3.12.1 less the
		// codes the column does not allow.
		{"prior living situation destination-only code", es, 8, Intake, StepLiving, map[string]string{"a.living_situation": "312"}, nil,
			map[string]string{"a.living_situation": "Choose one of the answers"}, ""},
		{"current living situation destination-only code", nbn, 8, Intake, StepOccurrence,
			map[string]string{"a.current_living_situation": "30"}, nil, map[string]string{"a.current_living_situation": "Choose one of the answers"}, ""},
		{"destination a friend's place (prior/current only)", es, 8, Exit, StepExit,
			map[string]string{FieldExitDate: "06/05/2026", "a.destination": "336"}, nil, map[string]string{"a.destination": "Choose one of the answers"}, ""},
		{"destination staying with friends, temporary tenure", es, 8, Exit, StepExit,
			map[string]string{FieldExitDate: "06/05/2026", "a.destination": "313"}, nil, nil, ""},
		// Warnings.
		{"over 100 at the start", es, 8, Intake, StepEnrollment, nil,
			func(r *Run) { r.Members[0].DOB = hmis.MustDate("1920-01-01") }, nil, "Possible Incorrect DOB - Age Over 100"},
		{"homeless over three years, two times", es, 8, Intake, StepLiving,
			map[string]string{"a.date_to_street": "01/15/2022", "a.times_homeless": "2", "a.months_homeless": "113"}, nil, nil,
			"Homelessness Start Date conflicts with Living Situation data"},
		{"months can be determined", es, 8, Intake, StepLiving,
			map[string]string{"a.date_to_street": "01/15/2026", "a.times_homeless": "1", "a.months_homeless": "99"}, nil, nil,
			"Number of Months Homeless Can Be Determined"},
		{"months do not match the date", es, 8, Intake, StepLiving,
			map[string]string{"a.date_to_street": "01/15/2026", "a.times_homeless": "1", "a.months_homeless": "112"}, nil, nil,
			"Invalid Homelessness Start Date/Number of Months Homeless"},
		{"months match the date", es, 8, Intake, StepLiving,
			map[string]string{"a.date_to_street": "01/15/2026", "a.times_homeless": "1", "a.months_homeless": "106"}, nil, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := Project{ID: "p", Type: c.typ, Funders: []int{c.funder}, OperatingStart: hmis.MustDate("2020-01-01")}
			d, err := Derive(p, c.stage)
			if err != nil {
				t.Fatal(err)
			}
			pg := page(t, Pages(d, p.Type), c.step)
			r := &Run{Stage: c.stage, Project: p, Def: d, Today: hmis.MustDate("2026-06-10"), CoCs: []string{"CA-500"},
				Members: []Person{{PersonalID: "a", Name: "Ana", DOB: hmis.MustDate("1990-01-01"), EnrollmentID: "E1"}},
				Values:  map[string]string{"a.relationship": "1", FieldCoC: "CA-500"}}
			if c.stage == Intake {
				r.Values[FieldEntryDate] = "06/01/2026"
			} else {
				r.EntryDate = hmis.MustDate("2026-01-05")
			}
			for _, f := range pg.Member {
				if _, ok := f.FollowUp(); ok || strings.Contains(f.Name, "subsidy") {
					continue // answered only after another answer
				}
				switch f.Kind {
				case KindDate: // a required date (3.917.3 of 3.917A): the start date
					if f.Required {
						r.Values[Key("a", f.Name)] = "06/01/2026"
					}
				case KindCheck: // a source, unticked; the bed night (4.14) ticked
					if f.Name == FieldBedNight {
						r.Values[Key("a", f.Name)] = "1"
					}
				case KindSelect:
					var keys []string
					for _, o := range f.Options() {
						keys = append(keys, o.Key)
					}
					v := keys[0]
					for _, k := range keys {
						if k == "99" || (k == "0" && v != "99") {
							v = k
						}
					}
					if f.Name == "relationship" {
						v = "1"
					}
					r.Values[Key("a", f.Name)] = v
				}
			}
			for k, v := range c.values {
				r.Values[k] = v
			}
			if c.setup != nil {
				c.setup(r)
			}
			errs := r.Validate(pg)
			var got, want []string
			for k := range errs {
				got = append(got, k)
			}
			for k := range c.errs {
				want = append(want, k)
			}
			sort.Strings(got)
			sort.Strings(want)
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("errors on %v, want on %v: %v", got, want, errs)
			}
			for k, part := range c.errs {
				if !strings.Contains(errs[k], part) {
					t.Errorf("%s: %q, want it to say %q", k, errs[k], part)
				}
			}
			var issues []string
			for _, w := range r.Warnings(pg) {
				if !strings.HasPrefix(w.Issue, "Unknown") {
					issues = append(issues, w.Issue)
				}
			}
			if c.warning == "" && len(issues) > 0 || c.warning != "" && (len(issues) != 1 || issues[0] != c.warning) {
				t.Errorf("warnings %q, want %q", issues, c.warning)
			}
		})
	}
}
