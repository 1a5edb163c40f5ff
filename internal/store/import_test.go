package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

var t0 = time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)

// sourceRecords is a small source export as typed records, parents first:
// two organizations, a project each, three clients (c3 without an
// enrollment), c1 enrolled in both projects (earliest in p2's), exits and
// services.
func sourceRecords() []any {
	meta := func() (time.Time, time.Time, string) { return t0, t0, "u1" }
	c, u, uid := meta()
	return []any{
		&hmis.Organization{OrganizationID: "o1", OrganizationName: "One", DateCreated: c, DateUpdated: u, UserID: uid},
		&hmis.Organization{OrganizationID: "o2", OrganizationName: "Two", DateCreated: c, DateUpdated: u, UserID: uid},
		&hmis.User{UserID: "u1", UserFirstName: "Ann", DateCreated: c, DateUpdated: u},
		&hmis.Project{ProjectID: "p1", OrganizationID: "o1", ProjectName: "Shelter", DateCreated: c, DateUpdated: u, UserID: uid},
		&hmis.Project{ProjectID: "p2", OrganizationID: "o2", ProjectName: "Outreach", DateCreated: c, DateUpdated: u, UserID: uid},
		&hmis.Client{PersonalID: "c1", FirstName: "Ada", DateCreated: c, DateUpdated: u, UserID: uid},
		&hmis.Client{PersonalID: "c2", FirstName: "Bo", DateCreated: c, DateUpdated: u, UserID: uid},
		&hmis.Client{PersonalID: "c3", FirstName: "Cy", DateCreated: c, DateUpdated: u, UserID: uid},
		&hmis.Enrollment{EnrollmentID: "e1", PersonalID: "c1", ProjectID: "p1", HouseholdID: "h1", EntryDate: hmis.MustDate("2024-05-01"), DateCreated: c, DateUpdated: u, UserID: uid},
		&hmis.Enrollment{EnrollmentID: "e2", PersonalID: "c1", ProjectID: "p2", HouseholdID: "h2", EntryDate: hmis.MustDate("2024-01-01"), DateCreated: c, DateUpdated: u, UserID: uid},
		&hmis.Enrollment{EnrollmentID: "e3", PersonalID: "c2", ProjectID: "p1", HouseholdID: "h3", EntryDate: hmis.MustDate("2023-01-01"), DateCreated: c, DateUpdated: u, UserID: uid},
		&hmis.Exit{ExitID: "x3", EnrollmentID: "e3", PersonalID: "c2", ExitDate: hmis.MustDate("2023-06-30"), DateCreated: c, DateUpdated: u, UserID: uid},
		&hmis.Service{ServicesID: "s1", EnrollmentID: "e1", PersonalID: "c1", DateProvided: hmis.MustDate("2024-05-02"), DateCreated: c, DateUpdated: u, UserID: uid},
		&hmis.Service{ServicesID: "s2", EnrollmentID: "e3", PersonalID: "c2", DateProvided: hmis.MustDate("2023-02-02"), DateCreated: c, DateUpdated: u, UserID: uid},
	}
}

// importRecords imports recs (copies are not needed: the store does not
// keep them) with outcome o.
func importRecords(ctx context.Context, s *store.Store, opt store.ImportOptions, o store.ImportOutcome, recs []any) (store.ImportStats, error) {
	if opt.Source.Key == "" {
		opt.Source = store.Source{Key: "test", Name: "Test"}
	}
	if opt.FileName == "" {
		opt.FileName = "test.zip"
	}
	return s.Import(ctx, opt, func(add func(rec any) error) (store.ImportOutcome, error) {
		for _, r := range recs {
			if err := add(r); err != nil {
				return o, err
			}
		}
		return o, nil
	})
}

func tableStats(st store.ImportStats, table string) store.TableStats {
	for _, t := range st.Tables {
		if t.Table == table {
			return t
		}
	}
	return store.TableStats{}
}

func TestStore_Import(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		st, err := importRecords(ctx, s, store.ImportOptions{}, store.ImportOutcome{Warnings: 2, Report: "file,row\n"}, sourceRecords())
		if err != nil {
			t.Fatal(err)
		}
		if st.Status != store.ImportImported || st.Records != 14 || st.Inserted != 14 || st.Updated != 0 || st.Unchanged != 0 {
			t.Fatalf("first import: %+v", st)
		}
		if cs := tableStats(st, "clients"); cs.Received != 3 || cs.Inserted != 3 {
			t.Errorf("clients: %+v", cs)
		}
		// c1's earliest enrollment is e2 in p2 (o2); c2's is in p1 (o1); c3 has none.
		if st.ClientsAssigned != 2 {
			t.Errorf("assigned %d clients, want 2", st.ClientsAssigned)
		}
		for id, want := range map[string]string{"c1": "o2", "c2": "o1", "c3": ""} {
			org, restr, err := s.ClientOwnership(ctx, id)
			if err != nil || org != want || restr != store.RestrictionOrganization {
				t.Errorf("client %s: org %q restriction %q, %v; want %q", id, org, restr, err, want)
			}
		}
		// Records keep their source metadata.
		c, err := store.FindRecordByID[hmis.Client](ctx, s, "c1")
		if err != nil || !c.DateUpdated.Equal(t0) || c.UserID != "u1" {
			t.Errorf("client c1: %+v, %v", c, err)
		}
		// One audit row for the import, none per record.
		if a, _ := s.FindAudit(ctx, store.AuditFilter{Action: "import"}); len(a) != 1 || a[0].EntityID != st.ImportID {
			t.Errorf("import audit: %+v", a)
		}
		if a, _ := s.FindAudit(ctx, store.AuditFilter{Entity: "client"}); len(a) != 0 {
			t.Errorf("per-record audit rows: %+v", a)
		}
		rec, err := s.FindImportByID(ctx, st.ImportID)
		if err != nil || rec.Status != store.ImportImported || rec.Warnings != 2 || rec.Report != "file,row\n" || rec.Inserted != 14 || len(rec.Tables) != len(st.Tables) || rec.Finished.IsZero() {
			t.Errorf("import record: %+v, %v", rec, err)
		}
		if srcs, _ := s.FindSources(ctx); len(srcs) != 1 || srcs[0].Key != "test" || srcs[0].Name != "Test" {
			t.Errorf("sources: %+v", srcs)
		}

		// The same records again: nothing changes.
		st2, err := importRecords(ctx, s, store.ImportOptions{}, store.ImportOutcome{}, sourceRecords())
		if err != nil || st2.Inserted != 0 || st2.Updated != 0 || st2.Unchanged != 14 || st2.ClientsAssigned != 0 {
			t.Fatalf("re-import: %+v, %v", st2, err)
		}

		// A newer export: one changed client, one deleted service, the rest as before.
		recs := sourceRecords()
		later := t0.Add(24 * time.Hour)
		c2 := recs[6].(*hmis.Client)
		c2.FirstName, c2.DateUpdated = "Bob", later
		s2 := recs[13].(*hmis.Service)
		s2.DateDeleted, s2.DateUpdated = later, later
		// An older copy of a record must not win.
		c1 := recs[5].(*hmis.Client)
		c1.FirstName, c1.DateUpdated = "Stale", t0.Add(-time.Hour)
		st3, err := importRecords(ctx, s, store.ImportOptions{}, store.ImportOutcome{}, recs)
		if err != nil || st3.Inserted != 0 || st3.Updated != 2 || st3.Unchanged != 12 {
			t.Fatalf("newer import: %+v, %v", st3, err)
		}
		if got, _ := store.FindRecordByID[hmis.Client](ctx, s, "c2"); got.FirstName != "Bob" || !got.DateUpdated.Equal(later) {
			t.Errorf("c2 after update: %+v", got)
		}
		if got, _ := store.FindRecordByID[hmis.Client](ctx, s, "c1"); got.FirstName != "Ada" {
			t.Errorf("c1 took an older copy: %+v", got)
		}
		if _, err := store.FindRecordByID[hmis.Service](ctx, s, "s2"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("s2 not deleted: %v", err)
		}
		if n, _ := store.CountRecords[hmis.Service](ctx, s, store.RecordFilter{IncludeDeleted: true}); n != 2 {
			t.Errorf("%d services kept, want 2 (one soft-deleted)", n)
		}
		if imps, err := s.FindImports(ctx, 10); err != nil || len(imps) != 3 {
			t.Errorf("imports: %d, %v", len(imps), err)
		}
	})
}

func TestStore_ImportWritesNothing(t *testing.T) {
	cases := []struct {
		name    string
		opt     store.ImportOptions
		outcome store.ImportOutcome
		status  string
	}{
		{"Rejected", store.ImportOptions{}, store.ImportOutcome{Errors: 1, Report: "Client.csv,3,...\n"}, store.ImportRejected},
		{"DryRun", store.ImportOptions{DryRun: true}, store.ImportOutcome{Warnings: 1}, store.ImportDryRun},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, s *store.Store) {
				ctx := storetest.Context(t)
				st, err := importRecords(ctx, s, tc.opt, tc.outcome, sourceRecords())
				if err != nil || st.Status != tc.status {
					t.Fatalf("import: %+v, %v", st, err)
				}
				// Counts say what would have happened.
				if st.Inserted != 14 {
					t.Errorf("would insert %d, want 14", st.Inserted)
				}
				assertEmpty(t, ctx, s)
				rec, err := s.FindImportByID(ctx, st.ImportID)
				if err != nil || rec.Status != tc.status || rec.Report != tc.outcome.Report || rec.DryRun != tc.opt.DryRun {
					t.Errorf("import record: %+v, %v", rec, err)
				}
			})
		})
	}
}

func assertEmpty(t *testing.T, ctx context.Context, s *store.Store) {
	t.Helper()
	if n, _ := store.CountRecords[hmis.Client](ctx, s, store.RecordFilter{IncludeDeleted: true}); n != 0 {
		t.Errorf("%d clients written", n)
	}
	if n, _ := store.CountRecords[hmis.Organization](ctx, s, store.RecordFilter{IncludeDeleted: true}); n != 0 {
		t.Errorf("%d organizations written", n)
	}
	if srcs, _ := s.FindSources(ctx); len(srcs) != 0 {
		t.Errorf("sources written: %+v", srcs)
	}
	if a, _ := s.FindAudit(ctx, store.AuditFilter{Action: "import"}); len(a) != 0 {
		t.Errorf("audited: %+v", a)
	}
}

func TestStore_ImportFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		// An enrollment whose client is missing: the foreign key fails;
		// the reader still runs to the end and nothing is kept.
		recs := append(sourceRecords(), &hmis.Enrollment{EnrollmentID: "e9", PersonalID: "nobody", ProjectID: "p1", DateCreated: t0, DateUpdated: t0})
		recs = append(recs, &hmis.Service{ServicesID: "s9", EnrollmentID: "e1", PersonalID: "c1", DateCreated: t0, DateUpdated: t0})
		st, err := importRecords(ctx, s, store.ImportOptions{}, store.ImportOutcome{}, recs)
		if err == nil || st.Status != store.ImportFailed {
			t.Fatalf("import: %+v, %v", st, err)
		}
		assertEmpty(t, ctx, s)
		rec, _ := s.FindImportByID(ctx, st.ImportID)
		if rec.Status != store.ImportFailed || rec.Message == "" {
			t.Errorf("import record: %+v", rec)
		}
		// With report errors, the report explains it: rejected, not failed.
		st, err = importRecords(ctx, s, store.ImportOptions{}, store.ImportOutcome{Errors: 1}, recs)
		if err != nil || st.Status != store.ImportRejected {
			t.Errorf("with errors: %+v, %v", st, err)
		}
		// A reader error stops it.
		boom := errors.New("boom")
		st, err = s.Import(ctx, store.ImportOptions{Source: store.Source{Key: "k"}}, func(add func(any) error) (store.ImportOutcome, error) {
			return store.ImportOutcome{}, boom
		})
		if !errors.Is(err, boom) || st.Status != store.ImportFailed {
			t.Errorf("reader error: %+v, %v", st, err)
		}
	})
}

func TestStore_ImportSharingAndAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		if _, err := importRecords(ctx, s, store.ImportOptions{Sharing: store.RestrictionGlobal}, store.ImportOutcome{}, sourceRecords()); err != nil {
			t.Fatal(err)
		}
		if org, restr, _ := s.ClientOwnership(ctx, "c1"); org != "o2" || restr != store.RestrictionGlobal {
			t.Errorf("c1: %q %q", org, restr)
		}
		cm := hmis.NewContext(t.Context(), hmis.Actor{Username: "cm", UserID: "cm", OrganizationID: "o1", Role: hmis.RoleCaseManager, Via: "test"})
		if _, err := importRecords(cm, s, store.ImportOptions{}, store.ImportOutcome{}, sourceRecords()); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("case manager import: %v", err)
		}
		if _, err := s.FindImports(cm, 0); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("case manager sees imports: %v", err)
		}
	})
}

func TestStore_AssignClientOrganizations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		err := s.Batch(ctx, func(b *store.Batch) error {
			for _, r := range sourceRecords() {
				var err error
				switch r := r.(type) {
				case *hmis.Organization:
					err = store.Add(b, r)
				case *hmis.User:
					err = store.Add(b, r)
				case *hmis.Project:
					err = store.Add(b, r)
				case *hmis.Client:
					err = store.Add(b, r)
				case *hmis.Enrollment:
					err = store.Add(b, r)
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		n, err := s.AssignClientOrganizations(ctx)
		if err != nil || n != 2 {
			t.Fatalf("assigned %d, %v", n, err)
		}
		if org, restr, _ := s.ClientOwnership(ctx, "c1"); org != "o2" || restr != store.RestrictionOrganization {
			t.Errorf("c1: %q %q", org, restr)
		}
		if n, _ := s.AssignClientOrganizations(ctx); n != 0 {
			t.Errorf("second run assigned %d", n)
		}
	})
}

func TestSourceRecordID(t *testing.T) {
	a := store.SourceRecordID("src", "Client", "123")
	// sha256("src\x00Client\x00123"), first 32 hex digits.
	if a != "87ccef4ed0bc7cb629ddfc62c8751b86" {
		t.Errorf("id %q", a)
	}
	if a == store.SourceRecordID("src", "Enrollment", "123") || a == store.SourceRecordID("other", "Client", "123") {
		t.Error("IDs of another kind or source collide")
	}
	if a != store.SourceRecordID("src", "Client", "123") {
		t.Error("not deterministic")
	}
}
