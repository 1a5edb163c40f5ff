package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/search"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// TestClientDataNeedsActor (issue 6 item 9): every exported store method
// that returns client data refuses to run without an actor in the
// context: called with context.Background() it returns an error and no
// data, for a client that exists and that the system actor does see
// (each method is first called with the system actor and must return
// data, so that the refusal is not a mere "nothing here"). A new method
// that returns client data belongs in this table.
//
// The generic record reads (FindRecordByID, FindRecords, CountRecords of
// records.go) are in the table too, on a client, an enrollment and a
// service. The one known exception, outside this list on purpose:
// ClientAccessReport reads the audit log, not client records (its
// callers are administrators only). See docs/security.md.
func TestClientDataNeedsActor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		today := hmis.DateOf(s.Now())
		org := storetest.MustOrganization(t, s, "Org A")
		other := storetest.MustOrganization(t, s, "Org B")
		if err := store.CreateRecord(ctx, s, &hmis.Project{ProjectID: "pA", OrganizationID: org, ProjectName: "Shelter A"}); err != nil {
			t.Fatal(err)
		}
		c := searchClient("c1", "Marguerite", "Quillfeather", "1971-06-15", "123456789")
		if err := store.CreateRecord(ctx, s, &c); err != nil {
			t.Fatal(err)
		}
		if err := storetest.Exec(s, `UPDATE clients SET organization_id = ? WHERE personal_id = 'c1'`, org); err != nil {
			t.Fatal(err)
		}
		for _, r := range []any{
			&hmis.Enrollment{EnrollmentID: "e1", PersonalID: "c1", ProjectID: "pA", HouseholdID: "h1", EntryDate: today.AddDays(-5)},
			&hmis.Service{ServicesID: "s1", EnrollmentID: "e1", PersonalID: "c1", DateProvided: today.AddDays(-4)},
			&hmis.Enrollment{EnrollmentID: "e2", PersonalID: "c1", ProjectID: "pA", HouseholdID: "h2", EntryDate: today.AddDate(-1, 0, 5)},
		} {
			var err error
			switch r := r.(type) {
			case *hmis.Enrollment:
				err = store.CreateRecord(ctx, s, r)
			case *hmis.Service:
				err = store.CreateRecord(ctx, s, r)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		rel, err := s.AddRelease(ctx, store.NewRelease{PersonalID: "c1", Organizations: []string{other},
			Begin: today.AddDays(-1), End: today.AddDays(30), Witness: "Case Worker"})
		if err != nil {
			t.Fatal(err)
		}
		// A calendar appointment with the client (calendar.go).
		acct, err := s.CreateAccount(ctx, hmis.Account{Username: "casey", Role: hmis.RoleCaseManager, OrganizationID: org}, "x")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		appt, err := s.CreateEvent(hmis.NewContext(t.Context(), acct.Actor("test")), store.EventInput{Title: "Intake",
			Start: now.Add(time.Hour), End: now.Add(2 * time.Hour), ClientIDs: []string{"c1"}})
		if err != nil {
			t.Fatal(err)
		}
		hidden := search.Query{First: "Marguerite", Last: "Quillfeather", DOB: hmis.MustDate("1971-06-15")}
		// A case note, a family and an own-field value (case_notes.go, families.go, client_fields.go).
		note, err := s.AddCaseNote(ctx, store.NewCaseNote{PersonalID: "c1", Text: "Met at intake."})
		if err != nil {
			t.Fatal(err)
		}
		c2 := searchClient("c2", "Ada", "Quillfeather", "2015-01-01", "")
		if err := store.CreateRecord(ctx, s, &c2); err != nil {
			t.Fatal(err)
		}
		if err := s.AddFamilyMember(ctx, "c1", "c2", 2); err != nil {
			t.Fatal(err)
		}
		if err := s.SetClientFieldValues(ctx, "c1", map[string]string{"limited_english": "no"}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetClientPhoto(ctx, "c1", piiTinyPNG(t)); err != nil {
			t.Fatal(err)
		}

		// Each returns what the method returned. wantData: the system
		// actor gets something (HiddenDuplicateExists answers false to
		// an actor who sees everything: its data is the boolean).
		methods := []struct {
			name     string
			call     func(ctx context.Context) (any, error)
			wantData bool
		}{
			{"FindClientByID", func(ctx context.Context) (any, error) { return s.FindClientByID(ctx, "c1") }, true},
			{"FindClientEnrollments", func(ctx context.Context) (any, error) { return s.FindClientEnrollments(ctx, "c1") }, true},
			{"FindClientServices", func(ctx context.Context) (any, error) { return s.FindClientServices(ctx, "c1") }, true},
			{"FindClientHousehold", func(ctx context.Context) (any, error) { return s.FindClientHousehold(ctx, "c1") }, false},
			{"ClientPrograms", func(ctx context.Context) (any, error) { return s.ClientPrograms(ctx, []string{"c1"}) }, true},
			{"RecentClients", func(ctx context.Context) (any, error) { return s.RecentClients(ctx, 10) }, false},
			{"SearchClients", func(ctx context.Context) (any, error) {
				return s.SearchClients(ctx, search.Parse("Quillfeather", time.Now()), 10)
			}, true},
			{"ScanClientsLike", func(ctx context.Context) (any, error) {
				return s.ScanClientsLike(ctx, []string{"quillfeather"}, hmis.Date{}, 10)
			}, true},
			{"ExportRecords", func(ctx context.Context) (any, error) {
				var got []any
				_, err := s.ExportRecords(ctx, store.ExportScope{}, func(rec any) error {
					got = append(got, rec)
					return nil
				})
				return got, err
			}, true},
			{"ClientReleases", func(ctx context.Context) (any, error) { return s.ClientReleases(ctx, "c1") }, true},
			{"ReleaseSignature", func(ctx context.Context) (any, error) {
				_, err := s.ReleaseSignature(ctx, rel.ID)
				return "release found", err // a verbal consent has no image: the data is "it exists"
			}, true},
			{"ClientAccess", func(ctx context.Context) (any, error) { return s.ClientAccess(ctx, "c1") }, true},
			{"EnrollmentAccess", func(ctx context.Context) (any, error) { return s.EnrollmentAccess(ctx, "c1", "e1") }, true},
			{"FindRecordByID[Client]", func(ctx context.Context) (any, error) { return store.FindRecordByID[hmis.Client](ctx, s, "c1") }, true},
			{"FindRecordByID[Enrollment]", func(ctx context.Context) (any, error) { return store.FindRecordByID[hmis.Enrollment](ctx, s, "e1") }, true},
			{"FindRecordByID[Service]", func(ctx context.Context) (any, error) { return store.FindRecordByID[hmis.Service](ctx, s, "s1") }, true},
			{"FindRecords[Client]", func(ctx context.Context) (any, error) {
				return store.FindRecords[hmis.Client](ctx, s, store.RecordFilter{PersonalID: "c1"})
			}, true},
			{"FindRecords[Enrollment]", func(ctx context.Context) (any, error) {
				return store.FindRecords[hmis.Enrollment](ctx, s, store.RecordFilter{PersonalID: "c1"})
			}, true},
			{"FindRecords[Service]", func(ctx context.Context) (any, error) {
				return store.FindRecords[hmis.Service](ctx, s, store.RecordFilter{EnrollmentID: "e1"})
			}, true},
			{"CountRecords[Client]", func(ctx context.Context) (any, error) {
				return store.CountRecords[hmis.Client](ctx, s, store.RecordFilter{})
			}, true},
			{"CountRecords[Enrollment]", func(ctx context.Context) (any, error) {
				return store.CountRecords[hmis.Enrollment](ctx, s, store.RecordFilter{})
			}, true},
			{"RevealSSN", func(ctx context.Context) (any, error) { return s.RevealSSN(ctx, "c1") }, true},
			{"MayRevealSSN", func(ctx context.Context) (any, error) { return s.MayRevealSSN(ctx, "c1") }, true},
			{"ClientOwnership", func(ctx context.Context) (any, error) {
				o, r, err := s.ClientOwnership(ctx, "c1")
				return o + r, err
			}, true},
			{"FindEvents", func(ctx context.Context) (any, error) {
				return s.FindEvents(ctx, store.EventQuery{From: now, To: now.AddDate(0, 0, 1), PersonalID: "c1"})
			}, true},
			{"FindEvent", func(ctx context.Context) (any, error) { return s.FindEvent(ctx, appt.ID) }, true},
			{"DueAnnualAssessments", func(ctx context.Context) (any, error) {
				return s.DueAnnualAssessments(ctx, today.AddDays(-30), today.AddDays(30))
			}, true},
			{"ClientAnnualAssessments", func(ctx context.Context) (any, error) { return s.ClientAnnualAssessments(ctx, "c1") }, false},
			{"FindCaseNotes", func(ctx context.Context) (any, error) { return s.FindCaseNotes(ctx, "c1") }, true},
			{"FindCaseNote", func(ctx context.Context) (any, error) { return s.FindCaseNote(ctx, "c1", note.ID) }, true},
			{"ClientFamilyGroup", func(ctx context.Context) (any, error) { return s.ClientFamilyGroup(ctx, "c1") }, true},
			{"ClientFamilyGroupUnaudited", func(ctx context.Context) (any, error) { return s.ClientFamilyGroupUnaudited(ctx, "c1") }, true},
			{"ClientFieldValues", func(ctx context.Context) (any, error) { return s.ClientFieldValues(ctx, "c1") }, true},
			{"ClientPhoto", func(ctx context.Context) (any, error) { return s.ClientPhoto(ctx, "c1") }, true},
			{"HasClientPhoto", func(ctx context.Context) (any, error) { return s.HasClientPhoto(ctx, "c1") }, true},
			{"RevealSensitiveFields", func(ctx context.Context) (any, error) { return s.RevealSensitiveFields(ctx, "c1") }, false},
			{"MayRevealSensitiveFields", func(ctx context.Context) (any, error) { return s.MayRevealSensitiveFields(ctx, "c1") }, true},
			{"MyPIIGrants", func(ctx context.Context) (any, error) { return s.MyPIIGrants(ctx) }, true},
			{"HiddenDuplicateExists", func(ctx context.Context) (any, error) { return s.HiddenDuplicateExists(ctx, hidden) }, false},
			{"DuplicateHint", func(ctx context.Context) (any, error) { return s.DuplicateHint(ctx, hidden) }, false},
		}
		for _, m := range methods {
			got, err := m.call(ctx)
			if err != nil {
				t.Fatalf("%s as the system: %v", m.name, err)
			}
			if m.wantData && isEmpty(got) {
				t.Fatalf("%s as the system returned nothing: the test's client is not set up", m.name)
			}
			got, err = m.call(context.Background())
			if err == nil {
				t.Errorf("%s without an actor: no error (returned %#v)", m.name, got)
			}
			if m.name != "ReleaseSignature" && !isEmpty(got) {
				t.Errorf("%s without an actor returned data: %#v", m.name, got)
			}
		}
		t.Logf("%d client-returning methods refuse to run without an actor", len(methods))
	})
}

// isEmpty reports whether v holds no data: nil, a zero value, an empty
// slice or map, or false.
func isEmpty(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Map:
		return rv.Len() == 0
	}
	return rv.IsZero()
}
