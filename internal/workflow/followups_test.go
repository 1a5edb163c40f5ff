package workflow

import (
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// partnerRun is a one-member workflow of a program funded by funder at
// stage, on the partner step named step, with every main question of the
// step answered without opening a follow-up ("Data not collected" or No).
func partnerRun(t *testing.T, typ hud.ProjectType, funder int, stage Stage, step string) (*Run, Page) {
	t.Helper()
	p := Project{ID: "p", Type: typ, Funders: []int{funder}}
	d, err := Derive(p, stage)
	if err != nil {
		t.Fatal(err)
	}
	pg := page(t, Pages(d, p.Type), step)
	r := &Run{Stage: stage, Project: p, Def: d, Today: hmis.MustDate("2026-06-10"), EntryDate: hmis.MustDate("2026-01-05"),
		Members: []Person{{PersonalID: "y", Name: "Yo", DOB: hmis.MustDate("2006-01-01"), EnrollmentID: "E1", HIVAIDS: true}},
		Values:  map[string]string{"y.relationship": "1", FieldEntryDate: "06/01/2026", FieldExitDate: "06/05/2026"}}
	for _, f := range pg.Member {
		if _, ok := r.FollowUpOf(f); ok || f.Kind != KindSelect || strings.Contains(f.Name, "subsidy") {
			continue
		}
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
		r.Values[Key("y", f.Name)] = v
	}
	if errs := r.Validate(pg); len(errs) != 0 {
		t.Fatalf("%s %s: main answers refused: %v", step, stage, errs)
	}
	return r, pg
}

// TestFollowUps: each partner follow-up question is asked only after its
// trigger answer (FY2026 HMIS CSV "Null unless ..."), is then required,
// is refused when its trigger does not hold, and is checked against its
// code list or range. want maps field → a part of its error ("" none);
// fields not named must have no error.
func TestFollowUps(t *testing.T) {
	const (
		rhyTH = hud.ProjectTypeTransitionalHousing
		psh   = hud.ProjectTypePHPermanentSupportiveHousing
		ce    = hud.ProjectTypeCoordinatedEntry
	)
	cases := []struct {
		name   string
		typ    hud.ProjectType
		funder int
		stage  Stage
		step   string
		values map[string]string
		want   map[string]string
	}{
		// R1.A: after referral source 7 Outreach Project.
		{"R1.A asked after outreach", rhyTH, 24, Intake, StepRHY, map[string]string{"referral_source": "7"},
			map[string]string{"outreach_approaches": "Answer this: “Referral source (R1)” is “Outreach Project”"}},
		{"R1.A answered", rhyTH, 24, Intake, StepRHY, map[string]string{"referral_source": "7", "outreach_approaches": "3"}, nil},
		{"R1.A not a number", rhyTH, 24, Intake, StepRHY, map[string]string{"referral_source": "7", "outreach_approaches": "many"},
			map[string]string{"outreach_approaches": "whole number"}},
		{"R1.A without outreach", rhyTH, 24, Intake, StepRHY, map[string]string{"referral_source": "1", "outreach_approaches": "3"},
			map[string]string{"outreach_approaches": "Leave this empty"}},
		// R6.A/R6.B: employed → type, not employed → why.
		{"R6.A after employed", rhyTH, 24, Intake, StepRHY, map[string]string{"employed": "1"},
			map[string]string{"employment_type": "Answer this"}},
		{"R6.B after not employed", rhyTH, 24, Intake, StepRHY, map[string]string{"employed": "0", "employment_type": "1"},
			map[string]string{"employment_type": "Leave this empty", "not_employed_reason": "Answer this"}},
		{"R6.B answered", rhyTH, 24, Intake, StepRHY, map[string]string{"employed": "0", "not_employed_reason": "2"}, nil},
		{"R6.B not on the list", rhyTH, 24, Intake, StepRHY, map[string]string{"employed": "0", "not_employed_reason": "7"},
			map[string]string{"not_employed_reason": "Choose one of the answers"}},
		// R10.A: due date when pregnant; may be ahead, not too far.
		{"R10.A after pregnant", rhyTH, 24, Intake, StepRHY, map[string]string{"pregnancy": "1"},
			map[string]string{"due_date": "Answer this: “Pregnancy status (R10)” is “Yes”"}},
		{"R10.A ahead", rhyTH, 24, Intake, StepRHY, map[string]string{"pregnancy": "1", "due_date": "10/15/2026"}, nil},
		{"R10.A too far ahead", rhyTH, 24, Intake, StepRHY, map[string]string{"pregnancy": "1", "due_date": "06/15/2027"},
			map[string]string{"due_date": "ten months"}},
		{"R10.A not a date", rhyTH, 24, Intake, StepRHY, map[string]string{"pregnancy": "1", "due_date": "soon"},
			map[string]string{"due_date": "MM/DD/YYYY"}},
		{"R10.A not pregnant", rhyTH, 24, Intake, StepRHY, map[string]string{"pregnancy": "0", "due_date": "10/15/2026"},
			map[string]string{"due_date": "Leave this empty"}},
		// R15.A–C after R15.1 Yes; R15.D after R15.C Yes.
		{"R15 follow-ups after yes", rhyTH, 24, Exit, StepRHY, map[string]string{"exchange_for_sex": "1"},
			map[string]string{"exchange_for_sex_recent": "Answer this", "exchange_for_sex_count": "Answer this", "forced_exchange_for_sex": "Answer this"}},
		{"R15.D after R15.C yes", rhyTH, 24, Exit, StepRHY, map[string]string{"exchange_for_sex": "1", "exchange_for_sex_recent": "0",
			"exchange_for_sex_count": "2", "forced_exchange_for_sex": "1"},
			map[string]string{"forced_exchange_for_sex_recent": "Answer this"}},
		{"R15 answered", rhyTH, 24, Exit, StepRHY, map[string]string{"exchange_for_sex": "1", "exchange_for_sex_recent": "0",
			"exchange_for_sex_count": "2", "forced_exchange_for_sex": "1", "forced_exchange_for_sex_recent": "0"}, nil},
		{"R15.D without R15.C yes", rhyTH, 24, Exit, StepRHY, map[string]string{"exchange_for_sex": "1", "exchange_for_sex_recent": "0",
			"exchange_for_sex_count": "2", "forced_exchange_for_sex": "0", "forced_exchange_for_sex_recent": "0"},
			map[string]string{"forced_exchange_for_sex_recent": "Leave this empty"}},
		{"R15.B count list", rhyTH, 24, Exit, StepRHY, map[string]string{"exchange_for_sex": "1", "exchange_for_sex_recent": "0",
			"exchange_for_sex_count": "5", "forced_exchange_for_sex": "0"},
			map[string]string{"exchange_for_sex_count": "Choose one of the answers"}},
		{"R15 follow-ups after no", rhyTH, 24, Exit, StepRHY, map[string]string{"exchange_for_sex": "0", "exchange_for_sex_count": "1"},
			map[string]string{"exchange_for_sex_count": "Leave this empty"}},
		// R16.A/R16.B after either R16.1 or R16.2 Yes.
		{"R16 after R16.2 yes", rhyTH, 24, Exit, StepRHY, map[string]string{"workplace_violence": "0", "workplace_promise": "1"},
			map[string]string{"coerced_to_continue_work": "Answer this", "labor_exploit_recent": "Answer this"}},
		{"R16 answered", rhyTH, 24, Exit, StepRHY, map[string]string{"workplace_violence": "1", "workplace_promise": "0",
			"coerced_to_continue_work": "0", "labor_exploit_recent": "8"}, nil},
		{"R16 after both no", rhyTH, 24, Exit, StepRHY, map[string]string{"workplace_violence": "0", "workplace_promise": "0",
			"labor_exploit_recent": "1"}, map[string]string{"labor_exploit_recent": "Leave this empty"}},
		// R17.A after R17.1 = 3 expelled.
		{"R17.A after expelled", rhyTH, 24, Exit, StepRHY, map[string]string{"completion_status": "3"},
			map[string]string{"early_exit_reason": "Answer this"}},
		{"R17.A answered", rhyTH, 24, Exit, StepRHY, map[string]string{"completion_status": "3", "early_exit_reason": "2"}, nil},
		{"R17.A after completed", rhyTH, 24, Exit, StepRHY, map[string]string{"completion_status": "1", "early_exit_reason": "2"},
			map[string]string{"early_exit_reason": "Leave this empty"}},
		// R18.A/R18.B after counseling Yes; R18.B and R18.2 at least 1.
		{"R18 after yes", rhyTH, 24, Exit, StepRHY, map[string]string{"counseling": "1"},
			map[string]string{"individual_counseling": "Answer this", "family_counseling": "Answer this", "group_counseling": "Answer this",
				"session_count": "Answer this"}},
		{"R18 answered", rhyTH, 24, Exit, StepRHY, map[string]string{"counseling": "1", "individual_counseling": "1",
			"family_counseling": "0", "group_counseling": "0", "session_count": "6", "sessions_in_plan": "10"}, nil},
		{"R18.B zero sessions", rhyTH, 24, Exit, StepRHY, map[string]string{"counseling": "1", "individual_counseling": "1",
			"family_counseling": "0", "group_counseling": "0", "session_count": "0", "sessions_in_plan": "0"},
			map[string]string{"session_count": "from 1 to", "sessions_in_plan": "from 1 to"}},
		{"R18 after no", rhyTH, 24, Exit, StepRHY, map[string]string{"counseling": "0", "session_count": "3", "sessions_in_plan": "4"},
			map[string]string{"session_count": "Leave this empty"}},
		{"R18.3 required", rhyTH, 24, Exit, StepRHY, map[string]string{"post_exit_counseling_plan": ""},
			map[string]string{"post_exit_counseling_plan": "HUD requires R18"}},
		// 3.917B (not ES, SO, SH): 2C after a short institutional, temporary
		// or permanent stay; 3.917.3–5 after a homeless situation or 2C Yes.
		{"3.917.2C after a short jail stay", psh, 2, Intake, StepLiving,
			map[string]string{"living_situation": "207", "length_of_stay": "2"},
			map[string]string{"previous_street_essh": "Answer this: the prior living situation is an institution and the stay was under 90 days"}},
		{"3.917.2C not after a long jail stay", psh, 2, Intake, StepLiving,
			map[string]string{"living_situation": "207", "length_of_stay": "4", "previous_street_essh": "1", "times_homeless": "1"},
			map[string]string{"previous_street_essh": "Leave this empty", "times_homeless": "Leave this empty"}},
		{"3.917.3–5 after 2C yes", psh, 2, Intake, StepLiving,
			map[string]string{"living_situation": "410", "length_of_stay": "11", "previous_street_essh": "1"},
			map[string]string{"date_to_street": "Answer this", "times_homeless": "Answer this", "months_homeless": "Answer this"}},
		{"3.917.3–5 not after 2C no", psh, 2, Intake, StepLiving,
			map[string]string{"living_situation": "410", "length_of_stay": "11", "previous_street_essh": "0"}, nil},
		{"3.917.3–5 after a homeless situation", psh, 2, Intake, StepLiving,
			map[string]string{"living_situation": "116", "length_of_stay": "5"},
			map[string]string{"date_to_street": "Answer this", "times_homeless": "Answer this", "months_homeless": "Answer this"}},
		{"3.917B answered", psh, 2, Intake, StepLiving,
			map[string]string{"living_situation": "116", "length_of_stay": "5", "date_to_street": "01/15/2026", "times_homeless": "1",
				"months_homeless": "106"}, nil},
		// 4.12.B after an institutional, temporary or permanent situation;
		// 4.12.C–F after 4.12.B Yes (FY2026 columns.csv "Null unless").
		{"4.12.B after a temporary situation", ce, 4, Intake, StepOccurrence, map[string]string{"current_living_situation": "302"},
			map[string]string{"cls_leave_14_days": "Answer this: the current living situation is an institution, a temporary or a permanent place"}},
		{"4.12.B not after a homeless situation", ce, 4, Intake, StepOccurrence,
			map[string]string{"current_living_situation": "116", "cls_leave_14_days": "0"},
			map[string]string{"cls_leave_14_days": "Leave this empty"}},
		{"4.12.C–F after leaving within 14 days", ce, 4, Intake, StepOccurrence,
			map[string]string{"current_living_situation": "215", "cls_leave_14_days": "1"},
			map[string]string{"cls_subsequent_residence": "Answer this: “", "cls_resources_to_obtain": "(4.12.B)” is “Yes”",
				"cls_lease_own_60_day": "Answer this", "cls_moved_two_or_more": "Answer this"}},
		{"4.12.C–F not after 4.12.B no", ce, 4, Intake, StepOccurrence,
			map[string]string{"current_living_situation": "410", "cls_leave_14_days": "0", "cls_subsequent_residence": "1"},
			map[string]string{"cls_subsequent_residence": "Leave this empty"}},
		{"4.12.C not while 4.12.B is not asked", ce, 4, Intake, StepOccurrence,
			map[string]string{"current_living_situation": "101", "cls_leave_14_days": "1", "cls_moved_two_or_more": "1"},
			map[string]string{"cls_leave_14_days": "Leave this empty", "cls_moved_two_or_more": "Leave this empty"}},
		{"4.12 answered", ce, 4, Intake, StepOccurrence,
			map[string]string{"current_living_situation": "435", "cls_subsidy": "419", "cls_leave_14_days": "1", "cls_subsequent_residence": "0",
				"cls_resources_to_obtain": "1", "cls_lease_own_60_day": "9", "cls_moved_two_or_more": "8",
				"cls_verified_by": "Harbor County CE access point", "cls_location_details": "Under the 5th Street bridge"}, nil},
		{"4.12.4 at most 250 characters", ce, 4, Intake, StepOccurrence, map[string]string{"cls_location_details": strings.Repeat("x", 251)},
			map[string]string{"cls_location_details": "At most 250 characters"}},
		// W3.B/W3.C after No.
		{"W3 reasons after no", psh, 15, Intake, StepHOPWA, map[string]string{"adap": "0", "ryan_white": "0"},
			map[string]string{"no_adap_reason": "Answer this: “Receiving AIDS Drug Assistance Program (ADAP) (W3)” is “No”",
				"no_ryan_white_reason": "Answer this"}},
		{"W3 reasons answered", psh, 15, Intake, StepHOPWA, map[string]string{"adap": "0", "no_adap_reason": "1", "ryan_white": "1"}, nil},
		{"W3 reason after yes", psh, 15, Intake, StepHOPWA, map[string]string{"adap": "1", "no_adap_reason": "3"},
			map[string]string{"no_adap_reason": "Leave this empty"}},
		{"W3 reason not on the list", psh, 15, Intake, StepHOPWA, map[string]string{"adap": "0", "no_adap_reason": "5"},
			map[string]string{"no_adap_reason": "Choose one of the answers"}},
		// W4.A–D after available.
		{"W4 after available", psh, 15, Intake, StepHOPWA, map[string]string{"tcell_available": "1", "viral_load_available": "1"},
			map[string]string{"tcell_count": "Answer this", "tcell_source": "Answer this", "viral_load": "Answer this", "viral_load_source": "Answer this"}},
		{"W4 viral load range", psh, 15, Intake, StepHOPWA, map[string]string{"viral_load_available": "1", "viral_load": "1000000",
			"viral_load_source": "1"}, map[string]string{"viral_load": "from 0 to 999999"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, pg := partnerRun(t, c.typ, c.funder, c.stage, c.step)
			for k, v := range c.values {
				r.Values[Key("y", k)] = v
			}
			errs := r.Validate(pg)
			var got, want []string
			for k := range errs {
				got = append(got, strings.TrimPrefix(k, "y."))
			}
			for k := range c.want {
				want = append(want, k)
			}
			sort.Strings(got)
			sort.Strings(want)
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("errors on %v, want on %v: %v", got, want, errs)
			}
			for k, part := range c.want {
				if !strings.Contains(errs[Key("y", k)], part) {
					t.Errorf("%s: %q, want it to say %q", k, errs[Key("y", k)], part)
				}
			}
		})
	}
}

// TestFollowUps_Records: the answered follow-ups are stored in their
// FY2026 columns.
func TestFollowUps_Records(t *testing.T) {
	n := 0
	id := func() string { n++; return "r" + strconv.Itoa(n) }

	r, pg := partnerRun(t, hud.ProjectTypeTransitionalHousing, 24, Exit, StepRHY)
	for k, v := range map[string]string{"exchange_for_sex": "1", "exchange_for_sex_recent": "0", "exchange_for_sex_count": "2",
		"forced_exchange_for_sex": "1", "forced_exchange_for_sex_recent": "9", "workplace_violence": "1", "coerced_to_continue_work": "0",
		"labor_exploit_recent": "8", "completion_status": "3", "early_exit_reason": "4", "counseling": "1", "individual_counseling": "1",
		"family_counseling": "0", "group_counseling": "1", "session_count": "6", "sessions_in_plan": "10", "post_exit_counseling_plan": "1"} {
		r.Values[Key("y", k)] = v
	}
	if errs := r.Validate(pg); len(errs) != 0 {
		t.Fatalf("valid exit: %v", errs)
	}
	recs := r.Build(id)
	if len(recs.Exits) != 1 {
		t.Fatalf("exits %d", len(recs.Exits))
	}
	x := recs.Exits[0]
	if *x.ExchangeForSexPastThreeMonths != 0 || *x.CountOfExchangeForSex != 2 || *x.AskedOrForcedToExchangeForSex != 1 ||
		*x.AskedOrForcedToExchangeForSexPastThreeMonths != 9 || *x.CoercedToContinueWork != 0 || *x.LaborExploitPastThreeMonths != 8 ||
		*x.EarlyExitReason != 4 || *x.IndividualCounseling != 1 || *x.FamilyCounseling != 0 || *x.GroupCounseling != 1 ||
		*x.SessionCountAtExit != 6 || *x.SessionsInPlan != 10 || *x.PostExitCounselingPlan != 1 {
		t.Errorf("exit %+v", x)
	}

	r, pg = partnerRun(t, hud.ProjectTypeTransitionalHousing, 24, Intake, StepRHY)
	for k, v := range map[string]string{"referral_source": "7", "outreach_approaches": "3", "pregnancy": "1", "due_date": "10/15/2026"} {
		r.Values[Key("y", k)] = v
	}
	if errs := r.Validate(pg); len(errs) != 0 {
		t.Fatalf("valid intake: %v", errs)
	}
	recs = r.Build(id)
	if e := recs.Enrollments[0]; e.CountOutreachReferralApproaches == nil || *e.CountOutreachReferralApproaches != 3 {
		t.Errorf("R1.A: %+v", e.CountOutreachReferralApproaches)
	}
	if len(recs.Health) != 1 || recs.Health[0].DueDate != hmis.MustDate("2026-10-15") {
		t.Errorf("R10.A: %+v", recs.Health)
	}

	r, pg = partnerRun(t, hud.ProjectTypePHPermanentSupportiveHousing, 15, Intake, StepHOPWA)
	r.Values["y.adap"], r.Values["y.no_adap_reason"], r.Values["y.ryan_white"], r.Values["y.no_ryan_white_reason"] = "0", "2", "0", "3"
	if errs := r.Validate(pg); len(errs) != 0 {
		t.Fatalf("valid HOPWA step: %v", errs)
	}
	recs = r.Build(id)
	if len(recs.Income) != 1 || recs.Income[0].NoADAPReason == nil || *recs.Income[0].NoADAPReason != 2 ||
		*recs.Income[0].NoRyanWhiteReason != 3 {
		t.Errorf("W3.B/W3.C: %+v", recs.Income)
	}
}

// TestFollowUps_CurrentLivingSituation: 4.12's fields are written to the
// contact's CurrentLivingSituation record, 4.12.3 (verified by) only by
// coordinated entry, which alone asks it.
func TestFollowUps_CurrentLivingSituation(t *testing.T) {
	r, pg := partnerRun(t, hud.ProjectTypeCoordinatedEntry, 4, Intake, StepOccurrence)
	for k, v := range map[string]string{"current_living_situation": "435", "cls_subsidy": "419", "cls_leave_14_days": "1",
		"cls_subsequent_residence": "0", "cls_resources_to_obtain": "1", "cls_lease_own_60_day": "9", "cls_moved_two_or_more": "8",
		"cls_verified_by": "Harbor County CE", "cls_location_details": "Under the 5th Street bridge"} {
		r.Values[Key("y", k)] = v
	}
	if errs := r.Validate(pg); len(errs) != 0 {
		t.Fatalf("valid 4.12: %v", errs)
	}
	recs := r.Build(func() string { return "x" })
	if len(recs.CurrentLivingSituations) != 1 {
		t.Fatalf("CLS records: %+v", recs.CurrentLivingSituations)
	}
	c := recs.CurrentLivingSituations[0]
	if *c.CurrentLivingSituation != 435 || *c.CLSSubsidyType != 419 || *c.LeaveSituation14Days != 1 || *c.SubsequentResidence != 0 ||
		*c.ResourcesToObtain != 1 || *c.LeaseOwn60Day != 9 || *c.MovedTwoOrMore != 8 || c.VerifiedBy != "Harbor County CE" ||
		c.LocationDetails != "Under the 5th Street bridge" || c.InformationDate != hmis.MustDate("2026-06-01") {
		t.Errorf("4.12 record %+v", c)
	}

	so := page(t, Pages(mustDerive(t, Project{ID: "p", Type: hud.ProjectTypeStreetOutreach, Funders: []int{11}}, Intake),
		hud.ProjectTypeStreetOutreach), StepOccurrence)
	var names []string
	for _, f := range so.Member {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, " "); strings.Contains(got, "cls_verified_by") || !strings.Contains(got, "cls_leave_14_days") ||
		!strings.Contains(got, "cls_location_details") {
		t.Errorf("street outreach 4.12 fields: %s", got)
	}
}

// 3.917A (ES, SO, SH) asks the homelessness history of everyone and no
// 3.917.2C; 3.917B stores 2A/2B (LOSUnderThreshold) from the length of stay.
func TestFollowUps_3917(t *testing.T) {
	es := page(t, Pages(mustDerive(t, Project{ID: "p", Type: hud.ProjectTypeEmergencyShelterEntryExit, Funders: []int{8}}, Intake),
		hud.ProjectTypeEmergencyShelterEntryExit), StepLiving)
	for _, f := range es.Member {
		if f.Name == "previous_street_essh" {
			t.Error("3.917A asks no 3.917.2C")
		}
	}
	// 3.917A requires 3.917.3–3.917.5 (Eva "Missing Approximate Date
	// Homeless", "Missing Months or Times Homeless").
	for _, pt := range []hud.ProjectType{hud.ProjectTypeEmergencyShelterEntryExit, hud.ProjectTypeStreetOutreach, hud.ProjectTypeSafeHaven} {
		p := Project{ID: "p", Type: pt, Funders: []int{8, 11, 2}}
		d := mustDerive(t, p, Intake)
		a := &Run{Stage: Intake, Project: p, Def: d, Today: hmis.MustDate("2026-06-10"),
			Members: []Person{{PersonalID: "y", Name: "Yo", DOB: hmis.MustDate("1990-01-01")}},
			Values: map[string]string{"y.relationship": "1", FieldEntryDate: "06/01/2026", "y.living_situation": "116",
				"y.length_of_stay": "2"}}
		lv := page(t, Pages(d, pt), StepLiving)
		errs := a.Validate(lv)
		for _, f := range []string{"date_to_street", "times_homeless", "months_homeless"} {
			if !strings.Contains(errs["y."+f], "HUD requires 3.917") {
				t.Errorf("type %d: %s empty: %q", pt, f, errs["y."+f])
			}
		}
		a.Values["y.date_to_street"], a.Values["y.times_homeless"], a.Values["y.months_homeless"] = "05/15/2026", "1", "101"
		if errs := a.Validate(lv); len(errs) != 0 {
			t.Errorf("type %d: answered 3.917A refused: %v", pt, errs)
		}
	}

	r, pg := partnerRun(t, hud.ProjectTypePHPermanentSupportiveHousing, 2, Intake, StepLiving)
	if _, ok := r.FollowUpOf(Field{Name: "times_homeless", Element: "3.917"}); !ok {
		t.Error("3.917B: times homeless is a follow-up")
	}
	for k, v := range map[string]string{"living_situation": "207", "length_of_stay": "3", "previous_street_essh": "0"} {
		r.Values[Key("y", k)] = v
	}
	if errs := r.Validate(pg); len(errs) != 0 {
		t.Fatalf("valid 3.917B: %v", errs)
	}
	recs := r.Build(func() string { return "x" })
	e := recs.Enrollments[0]
	if e.LOSUnderThreshold == nil || *e.LOSUnderThreshold != 1 || e.PreviousStreetESSH == nil || *e.PreviousStreetESSH != 0 {
		t.Errorf("3.917.2A/2C: %v %v", e.LOSUnderThreshold, e.PreviousStreetESSH)
	}
}

func mustDerive(t *testing.T, p Project, st Stage) Definition {
	t.Helper()
	d, err := Derive(p, st)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
