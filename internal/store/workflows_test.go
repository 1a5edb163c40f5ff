package store_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
	"github.com/hearth-hmis/hearth/internal/workflow"
)

func TestStore_Workflows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newNotesFixture(t, s)
		sys := storetest.Context(t)
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)
		es := hud.ProjectTypeEmergencyShelterEntryExit
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(store.CreateRecord(sys, s, &hmis.Project{ProjectID: "ES", OrganizationID: f.org1, ProjectName: "Hope Family Shelter",
			OperatingStartDate: hmis.MustDate("2020-01-01"), ProjectType: &es}))
		must(store.CreateRecord(sys, s, &hmis.Funder{FunderID: "F1", ProjectID: "ES", Funder: new(hud.FundingSource(8)),
			GrantID: "ESG-1", StartDate: hmis.MustDate("2020-01-01")}))
		must(store.CreateRecord(sys, s, &hmis.ProjectCoC{ProjectCoCID: "PC1", ProjectID: "ES", CoCCode: "CA-500"}))
		// c2 is a child.
		must(storetest.Exec(s, `UPDATE clients SET dob = ? WHERE personal_id = 'c2'`, "2018-04-04"))

		// Programs: only the organization's.
		progs, err := s.WorkflowPrograms(cm1)
		must(err)
		if len(progs) != 2 {
			t.Errorf("cm1 programs %+v", progs)
		}
		if progs, _ := s.WorkflowPrograms(cm2); len(progs) != 0 {
			t.Errorf("cm2 runs no program: %+v", progs)
		}
		if _, err := s.StartDraft(cm2, store.Draft{PersonalID: "c3", ProjectID: "ES", Stage: workflow.Intake,
			Members: []store.DraftMember{{PersonalID: "c3"}}}); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Errorf("another organization's program: %v", err)
		}
		// c3 belongs to org2: not found for cm1.
		if _, err := s.StartDraft(cm1, store.Draft{PersonalID: "c1", ProjectID: "ES", Stage: workflow.Intake,
			Members: []store.DraftMember{{PersonalID: "c1"}, {PersonalID: "c3"}}}); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("a hidden member: %v", err)
		}

		d, err := s.StartDraft(cm1, store.Draft{PersonalID: "c1", ProjectID: "ES", Stage: workflow.Intake,
			Members: []store.DraftMember{{PersonalID: "c1"}, {PersonalID: "c2"}}})
		must(err)
		wp, _, err := s.WorkflowProject(cm1, "ES", hmis.Date{})
		must(err)
		def, err := workflow.Derive(wp, workflow.Intake)
		must(err)
		cocs, err := s.ProgramCoCs(cm1, "ES")
		must(err)
		if fmt.Sprint(cocs) != "[CA-500]" {
			t.Errorf("CoCs %v", cocs)
		}
		answers := map[string]map[string]string{
			workflow.StepHousehold:  {"c1.relationship": "1", "c2.relationship": "2"},
			workflow.StepEnrollment: {"entry_date": "03/01/2026", "enrollment_coc": "CA-500"},
			workflow.StepIncome:     {"c1.income_from_any_source": "1", "c1.earned_amount": "900", "c1.total_monthly_income": "900", "c1.benefits_from_any_source": "0"},
		}
		// Save the household and enrollment steps, pause after income.
		v := d.Version
		step := 0
		for _, page := range []string{workflow.StepHousehold, workflow.StepEnrollment, workflow.StepIncome} {
			step++
			v, err = s.SaveDraft(cm1, d.ID, v, page, answers[page], step, page == workflow.StepIncome)
			must(err)
		}
		if _, err := s.SaveDraft(cm1, d.ID, v-1, workflow.StepIncome, nil, 3, false); hmis.ErrorCode(err) != hmis.ECONFLICT {
			t.Errorf("a stale version: %v", err)
		}
		paused, err := s.PausedDrafts(cm1, store.PausedFilter{})
		must(err)
		if len(paused) != 1 || paused[0].ID != d.ID || paused[0].Step != 3 || paused[0].ProjectName != "Hope Family Shelter" {
			t.Fatalf("paused %+v", paused)
		}
		if byClient, _ := s.PausedDrafts(cm1, store.PausedFilter{PersonalID: "c2"}); len(byClient) != 1 {
			t.Errorf("the child's paused workflows: %+v", byClient)
		}
		if other, _ := s.PausedDrafts(cm2, store.PausedFilter{PersonalID: "c1"}); len(other) != 0 {
			t.Errorf("another organization sees the draft: %+v", other)
		}
		ro := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "a3", UserID: "u3", Username: "rory", Role: hmis.RoleReadOnly, OrganizationID: f.org1, Via: "test"})
		if _, err := s.SaveDraft(ro, d.ID, v, workflow.StepIncome, nil, 3, true); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("a read-only account saves a draft: %v", err)
		}
		if _, err := s.StartDraft(ro, store.Draft{PersonalID: "c1", ProjectID: "ES", Stage: workflow.Intake,
			Members: []store.DraftMember{{PersonalID: "c1"}}}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("a read-only account starts a workflow: %v", err)
		}
		if _, err := s.OpenDraft(cm2, d.ID); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("another organization opens the draft: %v", err)
		}
		d, err = s.OpenDraft(cm1, d.ID)
		must(err)
		if d.Values[workflow.StepIncome]["c1.earned_amount"] != "900" || d.Status != store.DraftPaused {
			t.Fatalf("resumed draft %+v", d)
		}

		people, err := s.WorkflowPeople(cm1, d.Members)
		must(err)
		run := &workflow.Run{Stage: workflow.Intake, Project: wp, Def: def, Values: d.AllValues(), Today: hmis.MustDate("2026-06-01"), CoCs: cocs}
		for _, p := range people {
			run.Members = append(run.Members, p.Person)
		}
		for _, p := range []string{"c1", "c2"} {
			run.Values[p+".insurance_from_any_source"] = "0"
			run.Values[p+".disabling_condition"] = "0"
			run.Values[p+".veteran_status"] = "0"
			run.Values[p+".sex"] = "1"
			for _, n := range []string{"4_05", "4_06", "4_07", "4_08", "4_09", "4_10"} {
				run.Values[p+".dis_"+n] = "0"
			}
		}
		recs := run.Build(store.NewID)
		// V1 answers go to the client too (a VA program would ask them).
		ca := recs.Clients["c1"]
		ca.YearEnteredService, ca.MilitaryBranch = new(1990), new(hud.MilitaryBranch(1))
		recs.Clients["c1"] = ca

		// A second head of household is refused by the store too.
		bad := recs
		bad.Enrollments = append([]hmis.Enrollment(nil), recs.Enrollments...)
		bad.Enrollments[1].RelationshipToHoH = new(hud.RelationshipToHoH(1))
		if err := s.CompleteWorkflow(cm1, d.ID, d.Version, bad); hmis.ErrorCode(err) != hmis.EINVALID || fieldOf(err, "relationship") == "" {
			t.Errorf("two heads: %v", err)
		}
		must(s.CompleteWorkflow(cm1, d.ID, d.Version, recs))
		if _, err := s.OpenDraft(cm1, d.ID); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("a completed draft still opens: %v", err)
		}
		ens, err := store.FindRecords[hmis.Enrollment](sys, s, store.RecordFilter{ProjectID: "ES"})
		must(err)
		if len(ens) != 2 || ens[0].HouseholdID != ens[1].HouseholdID || ens[0].EntryDate != hmis.MustDate("2026-03-01") || ens[0].EnrollmentCoC != "CA-500" {
			t.Fatalf("enrollments %+v", ens)
		}
		ibs, err := store.FindRecords[hmis.IncomeBenefits](sys, s, store.RecordFilter{PersonalID: "c1"})
		must(err)
		if len(ibs) != 1 || *ibs[0].DataCollectionStage != 1 || ibs[0].InformationDate != hmis.MustDate("2026-03-01") || *ibs[0].EarnedAmount != 90000 {
			t.Errorf("c1 income %+v", ibs)
		}
		dis, err := store.FindRecords[hmis.Disability](sys, s, store.RecordFilter{PersonalID: "c2"})
		must(err)
		if len(dis) != 6 || *dis[0].DataCollectionStage != 1 || *dis[0].DisabilityResponse != 0 {
			t.Errorf("the child's disabilities %+v", dis)
		}
		c1, err := store.FindRecordByID[hmis.Client](sys, s, "c1")
		must(err)
		if c1.YearEnteredService == nil || *c1.YearEnteredService != 1990 || c1.MilitaryBranch == nil || *c1.MilitaryBranch != 1 {
			t.Errorf("V1 not kept on the client: %v %v", c1.YearEnteredService, c1.MilitaryBranch)
		}
		if c1.Sex == nil || *c1.Sex != 1 {
			t.Errorf("sex not kept on the client: %+v", c1.Sex)
		}

		// The same client again in the same program, overlapping: refused.
		d2, err := s.StartDraft(cm1, store.Draft{PersonalID: "c1", ProjectID: "ES", Stage: workflow.Intake, Members: []store.DraftMember{{PersonalID: "c1"}}})
		must(err)
		run.Members = run.Members[:1]
		recs2 := run.Build(store.NewID)
		if err := s.CompleteWorkflow(cm1, d2.ID, d2.Version, recs2); fieldOf(err, workflow.FieldEntryDate) == "" {
			t.Errorf("overlapping stay: %v", err)
		}
		// An unfinished, unpaused workflow is listed too (a session that timed out).
		open, err := s.PausedDrafts(cm1, store.PausedFilter{})
		must(err)
		if len(open) != 1 || open[0].ID != d2.ID || open[0].Status != store.DraftActive {
			t.Errorf("unfinished workflows %+v", open)
		}
		must(s.DiscardDraft(cm1, d2.ID))
		if open, _ := s.PausedDrafts(cm1, store.PausedFilter{}); len(open) != 0 {
			t.Errorf("a discarded workflow is listed: %+v", open)
		}

		// Exit: two workflows on the same household; the second is told
		// the enrollment changed.
		var hoh string
		for _, e := range ens {
			if *e.RelationshipToHoH == 1 {
				hoh = e.EnrollmentID
			}
		}
		base, members, err := s.HouseholdEnrollments(cm1, hoh, true)
		must(err)
		if base.EnrollmentID != hoh || len(members) != 2 {
			t.Fatalf("household %+v", members)
		}
		x1, err := s.StartDraft(cm1, store.Draft{PersonalID: "c1", ProjectID: "ES", EnrollmentID: hoh, Stage: workflow.Exit, Members: members})
		must(err)
		x2, err := s.StartDraft(cm1, store.Draft{PersonalID: "c1", ProjectID: "ES", EnrollmentID: hoh, Stage: workflow.Exit, Members: members})
		must(err)
		exitDef, err := workflow.Derive(wp, workflow.Exit)
		must(err)
		xrun := &workflow.Run{Stage: workflow.Exit, Project: wp, Def: exitDef, Today: hmis.MustDate("2026-06-01"), EntryDate: hmis.MustDate("2026-03-01"),
			Values: map[string]string{"exit_date": "02/01/2026", "c1.relationship": "1", "c2.relationship": "2", "c1.destination": "410", "c2.destination": "410"}}
		people, err = s.WorkflowPeople(cm1, members)
		must(err)
		for _, p := range people {
			xrun.Members = append(xrun.Members, p.Person)
		}
		if err := s.CompleteWorkflow(cm1, x1.ID, x1.Version, xrun.Build(store.NewID)); fieldOf(err, workflow.FieldExitDate) == "" {
			t.Errorf("exit before start: %v", err)
		}
		xrun.Values["exit_date"] = "05/01/2026"
		must(s.CompleteWorkflow(cm1, x1.ID, x1.Version, xrun.Build(store.NewID)))
		if err := s.CompleteWorkflow(cm1, x2.ID, x2.Version, xrun.Build(store.NewID)); hmis.ErrorCode(err) != hmis.ECONFLICT {
			t.Errorf("a second exit of the same enrollment: %v", err)
		}
		exits, err := store.FindRecords[hmis.Exit](sys, s, store.RecordFilter{})
		must(err)
		if len(exits) != 2 || *exits[0].Destination != 410 || exits[0].ExitDate != hmis.MustDate("2026-05-01") {
			t.Errorf("exits %+v", exits)
		}
		ibs, _ = store.FindRecords[hmis.IncomeBenefits](sys, s, store.RecordFilter{PersonalID: "c1"})
		if len(ibs) != 2 {
			t.Errorf("c1 income records %d, want start and exit", len(ibs))
		}
		for _, ib := range ibs {
			if *ib.DataCollectionStage == 3 && ib.InformationDate != hmis.MustDate("2026-05-01") {
				t.Errorf("exit income dated %s", ib.InformationDate)
			}
		}
		// Audited: the completion on each member.
		es2, err := s.FindAudit(sys, store.AuditFilter{Action: "workflow.complete", EntityID: "c2"})
		must(err)
		if len(es2) != 2 {
			t.Errorf("audit of c2's completions: %d", len(es2))
		}
	})
}

func fieldOf(err error, field string) string {
	if e, ok := err.(*hmis.Error); ok {
		return e.Fields[field]
	}
	return ""
}

func TestStore_WorkflowQuestions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newNotesFixture(t, s)
		sys := storetest.Context(t)
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		add := func(label, kind string) workflow.Question {
			t.Helper()
			q, err := s.AddWorkflowQuestion(sys, store.NewQuestion{OrganizationID: f.org1, DefinitionKey: "k", Stage: workflow.Intake,
				AfterStep: workflow.StepIncome, Label: label, Kind: kind})
			if err != nil {
				t.Fatal(err)
			}
			return q
		}
		if _, err := s.AddWorkflowQuestion(cm1, store.NewQuestion{OrganizationID: f.org1, DefinitionKey: "k", Stage: workflow.Intake,
			Label: "x", Kind: "text"}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("a case manager adds a question: %v", err)
		}
		if _, err := s.AddWorkflowQuestion(sys, store.NewQuestion{OrganizationID: f.org1, DefinitionKey: "k", Stage: workflow.Intake,
			Label: " ", Kind: "essay"}); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Errorf("an empty question of no kind: %v", err)
		}
		a, b, c := add("A", "text"), add("B", "yesno"), add("C", "date")
		order := func() string {
			qs, err := s.WorkflowQuestions(sys, f.org1, "k", workflow.Intake)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, q := range qs {
				out = append(out, q.Label+"@"+q.AfterStep)
			}
			return fmt.Sprint(out)
		}
		if got := order(); got != "[A@Income and benefits B@Income and benefits C@Income and benefits]" {
			t.Errorf("order %s", got)
		}
		if err := s.MoveWorkflowQuestion(sys, c.ID, -1); err != nil {
			t.Fatal(err)
		}
		if err := s.MoveWorkflowQuestion(sys, a.ID, -1); err != nil { // already first
			t.Fatal(err)
		}
		if err := s.RemoveWorkflowQuestion(sys, b.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.PlaceWorkflowStep(sys, f.org1, "k", workflow.Intake, workflow.StepDV); err != nil {
			t.Fatal(err)
		}
		if got := order(); got != "[A@Domestic violence C@Domestic violence]" {
			t.Errorf("after move, remove and place: %s", got)
		}
		if qs, _ := s.WorkflowQuestions(sys, f.org2, "k", workflow.Intake); len(qs) != 0 {
			t.Errorf("another organization's questions: %v", qs)
		}
		// Whom a question is asked of: the head by default, any of the
		// element rules' subjects when chosen, changed later (audited).
		if _, err := s.AddWorkflowQuestion(sys, store.NewQuestion{OrganizationID: f.org1, DefinitionKey: "k", Stage: workflow.Intake,
			Label: "x", Kind: "text", AskedOf: "veterans"}); fieldOf(err, "asked_of") == "" {
			t.Errorf("a question asked of veterans: %v", err)
		}
		d, err := s.AddWorkflowQuestion(sys, store.NewQuestion{OrganizationID: f.org1, DefinitionKey: "k", Stage: workflow.Intake,
			Label: "D", Kind: "text", AskedOf: hud.SubjectAdults})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetWorkflowQuestionSubject(cm1, a.ID, hud.SubjectAllClients); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("a case manager changes the subject: %v", err)
		}
		if err := s.SetWorkflowQuestionSubject(sys, a.ID, "nobody"); fieldOf(err, "asked_of") == "" {
			t.Errorf("an unknown subject: %v", err)
		}
		if err := s.SetWorkflowQuestionSubject(sys, a.ID, hud.SubjectAllClients); err != nil {
			t.Fatal(err)
		}
		qs, err := s.WorkflowQuestions(sys, f.org1, "k", workflow.Intake)
		if err != nil {
			t.Fatal(err)
		}
		var subjects []string
		for _, q := range qs {
			subjects = append(subjects, q.Label+":"+q.AskedOf)
		}
		if got := fmt.Sprint(subjects); got != "[A:all_clients C:hoh D:adults]" {
			t.Errorf("subjects %s (D is %s)", got, d.ID)
		}
		es, err := s.FindAudit(sys, store.AuditFilter{Action: "workflow_question.asked_of"})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 1 || !strings.Contains(es[0].Detail, "hoh → all_clients") {
			t.Errorf("audit of the subject change: %+v", es)
		}
	})
}

func TestStore_ActiveEnrollments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newNotesFixture(t, s)
		sys := storetest.Context(t)
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)
		hoh := hud.RelationshipToHoH(1)
		for i, c := range []string{"c1", "c2", "c3"} {
			e := hmis.Enrollment{EnrollmentID: "A" + c, PersonalID: c, ProjectID: "P1", EntryDate: hmis.MustDate("2024-01-0" + strconv.Itoa(i+1)),
				HouseholdID: "H" + c, RelationshipToHoH: &hoh}
			if err := store.CreateRecord(sys, s, &e); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.CreateRecord(sys, s, &hmis.Exit{ExitID: "X", EnrollmentID: "Ac2", PersonalID: "c2", ExitDate: hmis.MustDate("2024-02-01")}); err != nil {
			t.Fatal(err)
		}
		if err := storetest.Exec(s, `UPDATE enrollments SET date_updated = ?`, "2024-01-10 10:00:00"); err != nil {
			t.Fatal(err)
		}
		rt := hud.RecordType(144)
		if err := store.CreateRecord(sys, s, &hmis.Service{ServicesID: "S1", EnrollmentID: "Ac1", PersonalID: "c1",
			DateProvided: hmis.MustDate("2024-03-05"), RecordType: &rt, TypeProvided: new(1)}); err != nil {
			t.Fatal(err)
		}
		got, err := s.ActiveEnrollments(cm1, "P1")
		if err != nil {
			t.Fatal(err)
		}
		// c2 exited; c3 belongs to another organization, and org1 sees
		// it as it serves it (its enrollment in org1's P1).
		if len(got) != 2 || got[0].PersonalID != "c3" || got[1].PersonalID != "c1" || got[1].LastActivity != hmis.MustDate("2024-03-05") {
			t.Errorf("active for cm1 %+v", got)
		}
		// Restricted to org2, c3's enrollment is hidden from org1.
		if err := storetest.Exec(s, `UPDATE enrollments SET restricted_to_org = ? WHERE enrollment_id = 'Ac3'`, f.org2); err != nil {
			t.Fatal(err)
		}
		if got, err := s.ActiveEnrollments(cm1, "P1"); err != nil || len(got) != 1 || got[0].PersonalID != "c1" {
			t.Errorf("active for cm1, c3's enrollment restricted to org2: %+v %v", got, err)
		}
		all, err := s.ActiveEnrollments(sys, "P1")
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 || all[0].PersonalID != "c3" || all[0].LastActivity != hmis.MustDate("2024-01-10") {
			t.Errorf("active for the system, least recent first %+v", all)
		}
		if _, err := s.ActiveEnrollments(cm2, "nope"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("a missing program: %v", err)
		}
		if err := s.SetInactiveDays(cm1, 30); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("a case manager sets the days: %v", err)
		}
		if err := s.SetInactiveDays(sys, 30); err != nil {
			t.Fatal(err)
		}
		if n, err := s.InactiveDays(cm1); err != nil || n != 30 {
			t.Errorf("inactive days %d %v", n, err)
		}
	})
}
