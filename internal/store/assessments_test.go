package store_test

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func TestStore_OrgAssessments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newServicesFixture(t, s)
		sys := storetest.Context(t)
		admin := hmis.NewContext(t.Context(), adminCtx(t))
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)

		// Definitions: administrators only; questions validated.
		a := store.OrgAssessment{OrganizationID: f.org1, Name: "Housing barriers", Active: true}
		if err := s.SaveOrgAssessment(cm1, &a); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("case manager defines an assessment: %v", err)
		}
		bad := store.OrgAssessment{OrganizationID: "nope", Name: " "}
		err := s.SaveOrgAssessment(admin, &bad)
		wantField(t, "no name", err, "name")
		wantField(t, "no organization", err, "organization_id")
		if err := s.SaveOrgAssessment(admin, &a); err != nil {
			t.Fatal(err)
		}
		wantField(t, "choice without choices", s.AddOrgQuestion(admin, a.ID, &store.OrgQuestion{Label: "Pets?", Kind: store.QuestionChoice,
			Choices: []string{"Dog"}}), "choices")
		wantField(t, "unknown kind", s.AddOrgQuestion(admin, a.ID, &store.OrgQuestion{Label: "X", Kind: "essay"}), "kind")
		qs := []store.OrgQuestion{
			{Label: "Eviction in the past year?", Kind: store.QuestionYesNo, Required: true},
			{Label: "Monthly rent they can afford", Kind: store.QuestionNumber},
			{Label: "Preferred area", Kind: store.QuestionChoice, Choices: []string{"North", "South", " north "}},
			{Label: "Notes", Kind: store.QuestionText},
		}
		for i := range qs {
			if err := s.AddOrgQuestion(admin, a.ID, &qs[i]); err != nil {
				t.Fatal(err)
			}
		}
		if len(qs[2].Choices) != 2 {
			t.Errorf("choices deduplicated: %q", qs[2].Choices)
		}
		if err := s.RemoveOrgQuestion(admin, a.ID, qs[3].ID); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindOrgAssessment(cm1, a.ID)
		if err != nil || len(got.Questions) != 3 || got.Questions[0].Label != "Eviction in the past year?" {
			t.Errorf("assessment %+v %v", got, err)
		}

		// Answers: validated per kind, required, stage needs an enrollment.
		stage := hud.DataCollectionStage(2)
		n := store.NewOrgResponse{AssessmentID: a.ID, PersonalID: "c1", Date: f.today, Stage: &stage,
			Answers: map[string]string{qs[1].ID: "lots", qs[2].ID: "East"}}
		_, err = s.AnswerOrgAssessment(cm1, n)
		wantField(t, "required", err, store.QuestionField(qs[0].ID))
		wantField(t, "number", err, store.QuestionField(qs[1].ID))
		wantField(t, "choice", err, store.QuestionField(qs[2].ID))
		wantField(t, "stage without enrollment", err, "enrollment_id")
		n.EnrollmentID = "E1"
		n.Date = f.today.AddDays(-40)
		n.Answers = map[string]string{qs[0].ID: "yes", qs[1].ID: "1,200", qs[2].ID: "North"}
		_, err = s.AnswerOrgAssessment(cm1, n)
		wantField(t, "before entry", err, "assessment_date")
		n.Date = f.today.AddDays(-1)
		if _, err := s.AnswerOrgAssessment(cm1, n); err != nil {
			t.Fatal(err)
		}
		// Org2 sees c1 by a release but may not answer org1's assessment.
		if _, err := s.AnswerOrgAssessment(cm2, n); hmis.ErrorCode(err) == "" {
			t.Error("org2 answered for org1's client")
		}

		// A HUD assessment at entry: two records, one group.
		entry := hud.DataCollectionStage(1)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		start := f.today.AddDays(-30)
		must(store.CreateRecord(sys, s, &hmis.IncomeBenefits{EnrollmentID: "E1", PersonalID: "c1", InformationDate: start, DataCollectionStage: &entry,
			IncomeFromAnySource: new(hud.NoYesReasonsForMissingData(0))}))
		must(store.CreateRecord(sys, s, &hmis.Disability{EnrollmentID: "E1", PersonalID: "c1", InformationDate: start, DataCollectionStage: &entry,
			DisabilityType: new(hud.DisabilityType(5)), DisabilityResponse: new(0)}))
		// Under the restricted stay (E4): hidden from org2.
		must(store.CreateRecord(sys, s, &hmis.HealthAndDV{EnrollmentID: "E4", PersonalID: "c1", InformationDate: start, DataCollectionStage: &entry}))

		// A coordinated entry assessment (4.19).
		must(store.CreateRecord(sys, s, &hmis.Assessment{EnrollmentID: "E1", PersonalID: "c1", AssessmentDate: f.today.AddDays(-20),
			AssessmentLocation: "Office", AssessmentType: new(hud.AssessmentType(2)), AssessmentLevel: new(hud.AssessmentLevel(1)),
			PrioritizationStatus: new(hud.PrioritizationStatus(1))}))
		list, err := s.FindClientAssessments(cm1, "c1")
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 4 {
			t.Fatalf("org1's list: %+v", list)
		}
		if ce := list[1]; ce.Name != "Coordinated entry assessment (4.19)" || len(ce.Elements) != 3 || ce.Stage != nil {
			t.Errorf("CE assessment %+v", ce)
		}
		own := list[0]
		if own.HUD || own.Name != "Housing barriers" || *own.Stage != 2 || len(own.Answers) != 3 || own.Answers[0].Value != "Yes" ||
			own.Answers[1].Value != "1200" || own.ProjectName != "Hope Emergency Shelter" {
			t.Errorf("own assessment %+v", own)
		}
		var e1 store.AssessmentEntry
		for _, e := range list[2:] {
			if e.ProjectName == "Hope Emergency Shelter" {
				e1 = e
			}
		}
		if !e1.HUD || len(e1.Elements) != 2 || *e1.Stage != 1 {
			t.Errorf("HUD entry assessment %+v", e1)
		}
		list2, err := s.FindClientAssessments(cm2, "c1")
		if err != nil || len(list2) != 3 {
			t.Errorf("org2's list (no restricted stay): %+v %v", list2, err)
		}
		if _, err := s.FindClientAssessments(cm1, "c3"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("hidden client's assessments: %v", err)
		}
		if entries, _ := s.FindAudit(sys, store.AuditFilter{Action: "assessment.add"}); len(entries) != 1 {
			t.Errorf("%d assessment.add audit rows", len(entries))
		}
	})
}
