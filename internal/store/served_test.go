package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
	"github.com/hearth-hmis/hearth/internal/workflow"
)

// An organization sees the clients it serves (docs/security.md): c3 is
// org2's client, restricted to org2, enrolled in org2's P3 (E3) and, as an
// import or an administrator would do it, in org1's P1 (E5). Org1 sees
// c3's intake and E5 with what is under it, and may record services and
// notes on E5; never E3, its services, or a note of E3.
func TestStore_ServedClient(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newServicesFixture(t, s)
		sys := storetest.Context(t)
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		ro1 := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "a3", UserID: "u3", Username: "reed", Role: hmis.RoleReadOnly, OrganizationID: f.org1, Via: "test"})
		cm2 := hmis.NewContext(t.Context(), f.cm2)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		// Before E5, org1 does not serve c3: not found.
		if l, err := s.ClientAccess(cm1, "c3"); err != nil || l != access.NotFound {
			t.Fatalf("c3 before org1 serves it: %v %v", l, err)
		}
		hoh := hud.RelationshipToHoH(1)
		must(store.CreateRecord(sys, s, &hmis.Enrollment{EnrollmentID: "E5", PersonalID: "c3", ProjectID: "P1",
			EntryDate: f.today.AddDays(-5), HouseholdID: "H5", RelationshipToHoH: &hoh}))
		// org2's own service under E3.
		must(store.CreateRecord(sys, s, &hmis.Service{ServicesID: "S3", EnrollmentID: "E3", PersonalID: "c3", DateProvided: f.today.AddDays(-1),
			RecordType: new(hud.RecordType(144)), TypeProvided: new(1)}))

		if l, err := s.ClientAccess(cm1, "c3"); err != nil || l != access.Intake {
			t.Errorf("ClientAccess(org1, c3) = %v %v, want intake", l, err)
		}
		if l, err := s.EnrollmentAccess(cm1, "c3", "E5"); err != nil || l != access.Editable {
			t.Errorf("EnrollmentAccess(org1, E5) = %v %v, want editable", l, err)
		}
		if l, err := s.EnrollmentAccess(ro1, "c3", "E5"); err != nil || l != access.Visible {
			t.Errorf("EnrollmentAccess(read-only org1, E5) = %v %v, want visible", l, err)
		}
		if l, err := s.EnrollmentAccess(cm1, "c3", "E3"); err != nil || l != access.NotFound {
			t.Errorf("EnrollmentAccess(org1, E3) = %v %v, want not found", l, err)
		}
		if _, err := s.FindClientByID(cm1, "c3"); err != nil {
			t.Errorf("org1 cannot open the client it serves: %v", err)
		}
		es, err := s.FindClientEnrollments(cm1, "c3")
		if err != nil || len(es) != 1 || es[0].EnrollmentID != "E5" {
			t.Errorf("org1's view of c3's enrollments: %+v %v", es, err)
		}
		if r, err := s.ProgramRoster(cm1, "P1", f.today); err != nil || !slices.ContainsFunc(r, func(e store.RosterEntry) bool { return e.EnrollmentID == "E5" }) {
			t.Errorf("P1's roster without E5: %+v %v", r, err)
		}

		// Writes: on E5 yes, on E3 no; a read-only user never.
		if _, err := s.RecordService(cm1, "c3", store.NewService{EnrollmentID: "E5", CatalogID: f.meal, DateProvided: f.today}); err != nil {
			t.Errorf("org1 records a service on its own program's enrollment: %v", err)
		}
		if _, err := s.RecordService(cm1, "c3", store.NewService{EnrollmentID: "E3", CatalogID: f.meal, DateProvided: f.today}); hmis.ErrorCode(err) == "" {
			t.Error("org1 recorded a service on org2's enrollment")
		}
		if _, err := s.RecordService(ro1, "c3", store.NewService{EnrollmentID: "E5", CatalogID: f.meal, DateProvided: f.today}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("read-only records a service: %v", err)
		}
		if _, err := s.AddCaseNote(cm1, store.NewCaseNote{PersonalID: "c3", EnrollmentID: "E5", Text: "Met at the shelter."}); err != nil {
			t.Errorf("org1's note on E5: %v", err)
		}
		// A note tied to no enrollment: the field says to choose one.
		var herr *hmis.Error
		if _, err := s.AddCaseNote(cm1, store.NewCaseNote{PersonalID: "c3", Text: "No enrollment."}); !errors.As(err, &herr) ||
			herr.Code != hmis.EINVALID || herr.Fields["enrollment_id"] == "" {
			t.Errorf("org1's note outside its programs: %v", err)
		}
		if _, err := s.AddCaseNote(ro1, store.NewCaseNote{PersonalID: "c3", EnrollmentID: "E5", Text: "Read-only."}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("read-only note: %v", err)
		}
		if _, err := s.AddCaseNote(cm1, store.NewCaseNote{PersonalID: "c3", EnrollmentID: "E3", Text: "Org2's stay."}); hmis.ErrorCode(err) == "" {
			t.Error("org1 added a note on org2's enrollment")
		}
		if _, err := s.AddCaseNote(cm2, store.NewCaseNote{PersonalID: "c3", EnrollmentID: "E3", Text: "Org2's own note."}); err != nil {
			t.Fatal(err)
		}
		notes, err := s.FindCaseNotes(cm1, "c3")
		if err != nil || len(notes) != 1 || notes[0].EnrollmentID != "E5" {
			t.Errorf("org1 sees notes %+v %v, want only E5's", notes, err)
		}
		rows, err := s.FindClientServiceRows(cm1, "c3")
		if err != nil || len(rows) != 1 || rows[0].EnrollmentID != "E5" {
			t.Errorf("org1 sees services %+v %v, want only E5's", rows, err)
		}
		// The owner sees everything, org1's service and note included.
		if rows, err := s.FindClientServiceRows(cm2, "c3"); err != nil || len(rows) != 2 {
			t.Errorf("org2 sees %d services, %v; want 2", len(rows), err)
		}
		if notes, err := s.FindCaseNotes(cm2, "c3"); err != nil || len(notes) != 2 {
			t.Errorf("org2 sees %d notes, %v; want 2", len(notes), err)
		}
		// Removing: org1's own program's service yes, org2's (S3) no.
		if err := s.RemoveService(cm1, "c3", "S3"); hmis.ErrorCode(err) == "" {
			t.Error("org1 removed org2's service")
		}
		mine, err := s.RecordService(cm1, "c3", store.NewService{EnrollmentID: "E5", CatalogID: f.meal, DateProvided: f.today})
		must(err)
		if err := s.RemoveService(cm1, "c3", mine); err != nil {
			t.Errorf("org1 removes its own program's service: %v", err)
		}
		if rows, err := s.FindClientServiceRows(cm2, "c3"); err != nil || len(rows) != 2 {
			t.Errorf("after the removals org2 sees %d services, %v; want 2 (S3 and org1's first)", len(rows), err)
		}
		// Once E5 is deleted, org1 no longer serves c3: not found again.
		must(store.DeleteRecord[hmis.Enrollment](sys, s, "E5"))
		if _, err := s.FindClientByID(cm1, "c3"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("c3 after E5 deleted: %v", err)
		}
		if l, _ := s.ClientAccess(cm1, "c3"); l != access.NotFound {
			t.Errorf("ClientAccess after E5 deleted: %v", l)
		}
	})
}

// A served client's workflows after intake (issue 6/7): org1 starts and
// completes a workflow on its own program's enrollment of c3 (E5), never
// on org2's (E3), never as a read-only user, never an intake of c3 (the
// client record decides there), and never writes c3's client record.
func TestStore_ServedClientWorkflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newServicesFixture(t, s)
		sys := storetest.Context(t)
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		ro1 := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "a3", UserID: "u3", Username: "reed", Role: hmis.RoleReadOnly, OrganizationID: f.org1, Via: "test"})
		hoh := hud.RelationshipToHoH(1)
		if err := store.CreateRecord(sys, s, &hmis.Enrollment{EnrollmentID: "E5", PersonalID: "c3", ProjectID: "P1",
			EntryDate: f.today.AddDays(-5), HouseholdID: "H5", RelationshipToHoH: &hoh}); err != nil {
			t.Fatal(err)
		}
		draft := func(stage workflow.Stage, eid string) store.Draft {
			return store.Draft{Stage: stage, PersonalID: "c3", ProjectID: "P1", EnrollmentID: eid,
				Members: []store.DraftMember{{PersonalID: "c3", EnrollmentID: eid}}}
		}
		if _, err := s.StartDraft(cm1, draft(workflow.Update, "E3")); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("org1 starts a workflow on org2's enrollment: %v", err)
		}
		if _, err := s.StartDraft(ro1, draft(workflow.Update, "E5")); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("read-only starts a workflow: %v", err)
		}
		if _, err := s.StartDraft(cm1, draft(workflow.Intake, "")); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("org1 starts an intake of the client it only serves: %v", err)
		}
		d, err := s.StartDraft(cm1, draft(workflow.Update, "E5"))
		if err != nil {
			t.Fatalf("org1 starts an update on its own program's enrollment: %v", err)
		}
		sex := hud.Sex(0)
		err = s.CompleteWorkflow(cm1, d.ID, d.Version, workflow.Records{Day: f.today, Clients: map[string]workflow.ClientAnswers{"c3": {Sex: &sex}}})
		if hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("the workflow changes the client record of another organization's client: %v", err)
		}
		cls := hmis.CurrentLivingSituation{CurrentLivingSitID: "CLS5", EnrollmentID: "E5", PersonalID: "c3",
			InformationDate: f.today, CurrentLivingSituation: new(hud.LivingSituation(101))}
		if err := s.CompleteWorkflow(cm1, d.ID, d.Version, workflow.Records{Day: f.today,
			CurrentLivingSituations: []hmis.CurrentLivingSituation{cls}}); err != nil {
			t.Fatalf("org1 completes the update: %v", err)
		}
		if got, err := store.FindRecords[hmis.CurrentLivingSituation](sys, s, store.RecordFilter{EnrollmentID: "E5"}); err != nil || len(got) != 1 {
			t.Errorf("E5's living situations after the update: %+v %v", got, err)
		}
	})
}

// Calendar events with a served client (issue 6/7): org1's case manager
// adds c3, whom org1 serves (E5), to an event; org1's users see it, org2
// (the owner) too; org2's own event with c3 stays hidden from org1; a
// read-only user of org1 adds no client; a third organization gets "not
// found"; once org1 no longer serves c3, its event is hidden again.
func TestStore_ServedClientCalendar(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	storetest.EachAt(t, func() time.Time { return now }, func(t *testing.T, s *store.Store) {
		f := newServicesFixture(t, s)
		sys := storetest.Context(t)
		org3 := storetest.MustOrganization(t, s, "Third Door")
		account := func(name string, role hmis.Role, org string) context.Context {
			a, err := s.CreateAccount(sys, hmis.Account{Username: name, FirstName: name, LastName: "Staff", Role: role, OrganizationID: org}, "x")
			if err != nil {
				t.Fatal(err)
			}
			return hmis.NewContext(t.Context(), a.Actor("test"))
		}
		cm1, ro1 := account("casey1", hmis.RoleCaseManager, f.org1), account("reed1", hmis.RoleReadOnly, f.org1)
		colleague := account("cora1", hmis.RoleCaseManager, f.org1)
		cm2, cm3 := account("olive2", hmis.RoleCaseManager, f.org2), account("tess3", hmis.RoleCaseManager, org3)
		hoh := hud.RelationshipToHoH(1)
		if err := store.CreateRecord(sys, s, &hmis.Enrollment{EnrollmentID: "E5", PersonalID: "c3", ProjectID: "P1",
			EntryDate: f.today.AddDays(-5), HouseholdID: "H5", RelationshipToHoH: &hoh}); err != nil {
			t.Fatal(err)
		}
		start := now.Add(24 * time.Hour)
		in := func(title string) store.EventInput {
			return store.EventInput{Title: title, Start: start, End: start.Add(time.Hour), ClientIDs: []string{"c3"}}
		}
		if _, err := s.CreateEvent(cm3, in("Stranger's")); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("a third organization's event with c3: %v", err)
		}
		var herr *hmis.Error
		if _, err := s.CreateEvent(ro1, in("Read-only's")); !errors.As(err, &herr) || herr.Fields["clients"] == "" {
			t.Errorf("read-only user's event with c3: %v", err)
		}
		ours, err := s.CreateEvent(cm1, in("Bed search"))
		if err != nil {
			t.Fatalf("org1's event with the client it serves: %v", err)
		}
		theirs, err := s.CreateEvent(cm2, in("Harbor's appointment"))
		if err != nil {
			t.Fatal(err)
		}
		span := store.EventQuery{From: now, To: now.Add(72 * time.Hour), PersonalID: "c3"}
		titles := func(ctx context.Context) []string {
			t.Helper()
			evs, err := s.FindEvents(ctx, span)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, e := range evs {
				out = append(out, e.Title)
			}
			slices.Sort(out)
			return out
		}
		for name, ctx := range map[string]context.Context{"case manager": cm1, "read-only": ro1, "colleague": colleague} {
			if got := titles(ctx); !slices.Equal(got, []string{"Bed search"}) {
				t.Errorf("org1's %s sees %v, want only org1's event", name, got)
			}
		}
		if got := titles(cm2); !slices.Equal(got, []string{"Bed search", "Harbor's appointment"}) {
			t.Errorf("the owner sees %v", got)
		}
		if _, err := s.FindEvent(cm1, theirs.ID); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("org1 opens org2's event: %v", err)
		}
		if _, err := s.FindEvent(cm3, ours.ID); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("a third organization opens org1's event: %v", err)
		}
		if _, err := s.UpdateEvent(cm1, ours.ID, in("Bed search, moved")); err != nil {
			t.Errorf("org1 changes its event: %v", err)
		}
		// Org1 no longer serves c3: its event is hidden from it.
		if err := store.DeleteRecord[hmis.Enrollment](sys, s, "E5"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindEvent(cm1, ours.ID); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("org1's event after E5 deleted: %v", err)
		}
	})
}

// The organization's own assessments of a served client (issue 6/7):
// org1 answers its assessment for c3 tied to E5 (its program), not tied to
// nothing (the field says so), not to org2's E3; read-only never; the
// owner sees the answer, org1 sees it and not org2's own.
func TestStore_ServedClientAssessment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newServicesFixture(t, s)
		sys := storetest.Context(t)
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)
		ro1 := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "a3", UserID: "u3", Username: "reed", Role: hmis.RoleReadOnly, OrganizationID: f.org1, Via: "test"})
		hoh := hud.RelationshipToHoH(1)
		if err := store.CreateRecord(sys, s, &hmis.Enrollment{EnrollmentID: "E5", PersonalID: "c3", ProjectID: "P1",
			EntryDate: f.today.AddDays(-5), HouseholdID: "H5", RelationshipToHoH: &hoh}); err != nil {
			t.Fatal(err)
		}
		mk := func(org, name string) (string, string) {
			a := &store.OrgAssessment{OrganizationID: org, Name: name, Active: true}
			if err := s.SaveOrgAssessment(sys, a); err != nil {
				t.Fatal(err)
			}
			q := &store.OrgQuestion{Label: "Notes", Kind: store.QuestionText}
			if err := s.AddOrgQuestion(sys, a.ID, q); err != nil {
				t.Fatal(err)
			}
			return a.ID, q.ID
		}
		a1, q1 := mk(f.org1, "Org1 intake")
		a2, q2 := mk(f.org2, "Org2 review")
		answer := func(ctx context.Context, aid, qid, eid string) error {
			_, err := s.AnswerOrgAssessment(ctx, store.NewOrgResponse{AssessmentID: aid, PersonalID: "c3", EnrollmentID: eid,
				Date: f.today, Answers: map[string]string{qid: "answered"}})
			return err
		}
		var herr *hmis.Error
		if err := answer(cm1, a1, q1, ""); !errors.As(err, &herr) || herr.Fields["enrollment_id"] == "" {
			t.Errorf("org1's assessment of c3 tied to no enrollment: %v", err)
		}
		if err := answer(cm1, a1, q1, "E3"); hmis.ErrorCode(err) == "" {
			t.Error("org1 assessed c3 under org2's enrollment")
		}
		if err := answer(ro1, a1, q1, "E5"); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("read-only assesses: %v", err)
		}
		if err := answer(cm1, a1, q1, "E5"); err != nil {
			t.Fatalf("org1 assesses c3 under E5: %v", err)
		}
		if err := answer(cm2, a2, q2, ""); err != nil {
			t.Fatal(err)
		}
		names := func(ctx context.Context) (out []string) {
			t.Helper()
			es, err := s.FindClientAssessments(ctx, "c3")
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				if !e.HUD {
					out = append(out, e.Name)
				}
			}
			slices.Sort(out)
			return out
		}
		if got := names(cm1); !slices.Equal(got, []string{"Org1 intake"}) {
			t.Errorf("org1 sees %v", got)
		}
		if got := names(cm2); !slices.Equal(got, []string{"Org1 intake", "Org2 review"}) {
			t.Errorf("org2 sees %v", got)
		}
	})
}
