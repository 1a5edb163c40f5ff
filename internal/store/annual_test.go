package store_test

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func TestAnnualWindow(t *testing.T) {
	start := hmis.MustDate("2024-03-10")
	for _, c := range []struct {
		today, anniversary string
		ok                 bool
	}{
		{"2025-02-07", "", false},          // 31 days before the first anniversary
		{"2025-02-08", "2025-03-10", true}, // the window opens 30 days before
		{"2025-06-01", "2025-03-10", true}, // past the window: still that one (overdue)
		{"2026-02-08", "2026-03-10", true}, // the next window
	} {
		a, from, to, ok := store.AnnualWindow(start, hmis.MustDate(c.today))
		if ok != c.ok || (ok && (a.String() != c.anniversary || from != a.AddDays(-30) || to != a.AddDays(30))) {
			t.Errorf("%s: %v %v-%v %v", c.today, a, from, to, ok)
		}
	}
}

func TestStore_AnnualAssessmentsDue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newServicesFixture(t, s)
		sys := storetest.Context(t)
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		hoh, child := hud.RelationshipToHoH(1), hud.RelationshipToHoH(2)
		for _, e := range []hmis.Enrollment{
			// Anniversary 5 days ago: due. A member who joined later follows the head's date.
			{EnrollmentID: "A1", PersonalID: "c1", ProjectID: "P2", EntryDate: f.today.AddDate(-1, 0, -5), HouseholdID: "HA", RelationshipToHoH: &hoh},
			{EnrollmentID: "A2", PersonalID: "c2", ProjectID: "P2", EntryDate: f.today.AddDate(0, -3, 0), HouseholdID: "HA", RelationshipToHoH: &child},
			// Anniversary 40 days ago, window closed: overdue. c3 is org2's client.
			{EnrollmentID: "A3", PersonalID: "c3", ProjectID: "P2", EntryDate: f.today.AddDate(-2, 0, -40), HouseholdID: "HB", RelationshipToHoH: &hoh},
		} {
			must(store.CreateRecord(sys, s, &e))
		}
		due, err := s.AnnualAssessmentsDue(cm1, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(due) != 2 || due[0].EnrollmentID != "A1" || due[0].Overdue || due[1].EnrollmentID != "A2" ||
			due[0].Anniversary != f.today.AddDate(-1, 0, -5).AddDate(1, 0, 0) {
			t.Errorf("org1's due list: %+v", due)
		}
		adm := adminCtx(t)
		adm.OrganizationID = f.org1
		all, _ := s.AnnualAssessmentsDue(hmis.NewContext(t.Context(), adm), "", 0)
		if len(all) != 3 || all[0].EnrollmentID != "A3" || !all[0].Overdue {
			t.Errorf("org1 administrator's list, overdue first: %+v", all)
		}
		if none, err := s.AnnualAssessmentsDue(sys, "", 0); err != nil || len(none) != 0 {
			t.Errorf("no organization: %+v %v", none, err)
		}
		// Recorded in the window: no longer due.
		annual := hud.DataCollectionStage(5)
		must(store.CreateRecord(sys, s, &hmis.IncomeBenefits{EnrollmentID: "A1", PersonalID: "c1", InformationDate: f.today.AddDays(-2),
			DataCollectionStage: &annual}))
		if due, _ := s.AnnualAssessmentsDue(cm1, "c1", 0); len(due) != 0 {
			t.Errorf("c1 after the annual assessment: %+v", due)
		}
		if due, _ := s.AnnualAssessmentsDue(cm1, "c2", 0); len(due) != 1 {
			t.Errorf("c2: %+v", due)
		}
		if _, err := s.AnnualAssessmentsDue(cm1, "c3", 0); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("hidden client: %v", err)
		}
		if due, _ := s.AnnualAssessmentsDue(cm2, "", 0); len(due) != 0 {
			t.Errorf("org2 runs no program: %+v", due)
		}
	})
}
