package store_test

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// duplicateSite makes two records of the same person (d1, d2: a nickname
// and the same DOB and SSN) and an unrelated client, with an enrollment,
// a service, a case note and a release on d2.
func duplicateSite(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := storetest.Context(t)
	today := hmis.DateOf(s.Now())
	org := storetest.MustOrganization(t, s, "Org A")
	other := storetest.MustOrganization(t, s, "Org B")
	if err := store.CreateRecord(ctx, s, &hmis.Project{ProjectID: "pA", OrganizationID: org, ProjectName: "Shelter A"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []hmis.Client{
		searchClient("d1", "Katherine", "Brightwater", "1982-03-14", "234567891"),
		searchClient("d2", "Kate", "Brightwater", "1982-03-14", "234567891"),
		searchClient("x1", "Leopold", "Marchbanks", "1955-11-02", ""),
	} {
		if err := store.CreateRecord(ctx, s, &c); err != nil {
			t.Fatal(err)
		}
		if err := storetest.Exec(s, `UPDATE clients SET organization_id = ? WHERE personal_id = ?`, org, c.PersonalID); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.CreateRecord(ctx, s, &hmis.Enrollment{EnrollmentID: "e1", PersonalID: "d1", ProjectID: "pA", HouseholdID: "h1", EntryDate: today.AddDays(-9)}); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateRecord(ctx, s, &hmis.Enrollment{EnrollmentID: "e2", PersonalID: "d2", ProjectID: "pA", HouseholdID: "h2", EntryDate: today.AddDays(-5)}); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateRecord(ctx, s, &hmis.Service{ServicesID: "s2", EnrollmentID: "e2", PersonalID: "d2", DateProvided: today.AddDays(-4)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCaseNote(ctx, store.NewCaseNote{PersonalID: "d2", Text: "Met at the drop-in."}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddRelease(ctx, store.NewRelease{PersonalID: "d2", Organizations: []string{other},
		Begin: today.AddDays(-1), End: today.AddDays(30), Witness: "Case Worker"}); err != nil {
		t.Fatal(err)
	}
}

// countsOf returns how many rows each merge table holds for a client.
func countsOf(t *testing.T, s *store.Store, id string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tbl := range []string{"enrollments", "services", "case_notes", "releases"} {
		var n int
		if err := store.QueryRowForTest(s, `SELECT COUNT(*) FROM `+tbl+` WHERE personal_id = ?`, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tbl] = n
	}
	return out
}

func TestDuplicatesMergeUndo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		duplicateSite(t, s)
		admin := hmis.NewContext(t.Context(), hmis.Actor{Username: "admin", AccountID: "acc-admin", Role: hmis.RoleAdmin, Via: "test"})
		cm := hmis.NewContext(t.Context(), hmis.Actor{Username: "cm", UserID: "u", Role: hmis.RoleCaseManager, Via: "test"})

		// Non-administrators are refused everything.
		if _, err := s.FindDuplicatePairs(cm, 0, 0); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("case manager FindDuplicatePairs: %v, want forbidden", err)
		}
		if _, err := s.RefreshDuplicatePairs(cm); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("case manager RefreshDuplicatePairs: %v, want forbidden", err)
		}
		// Nothing computed yet: an empty queue that says so.
		if q, err := s.FindDuplicatePairs(admin, 0, 0); err != nil || len(q.Pairs) != 0 || !q.ComputedAt.IsZero() {
			t.Errorf("queue before any run = %+v, %v", q, err)
		}
		if stale, err := s.DuplicatePairsStale(admin); err != nil || !stale {
			t.Errorf("stale before any run = %v, %v", stale, err)
		}
		if n, err := s.RefreshDuplicatePairs(admin); err != nil || n != 1 {
			t.Fatalf("refresh = %d, %v", n, err)
		}
		if stale, err := s.DuplicatePairsStale(admin); err != nil || stale {
			t.Errorf("stale after a run = %v, %v", stale, err)
		}
		if _, err := s.MergeClients(cm, "d1", "d2", "x"); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("case manager MergeClients: %v, want forbidden", err)
		}
		if err := s.UndoMerge(cm, "nope"); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("case manager UndoMerge: %v, want forbidden", err)
		}
		if _, err := s.ListMerges(cm, 0); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("case manager ListMerges: %v, want forbidden", err)
		}

		q, err := s.FindDuplicatePairs(admin, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		pairs := q.Pairs
		if q.Total != 1 || q.ComputedAt.IsZero() {
			t.Errorf("queue = %+v", q)
		}
		if len(pairs) != 1 || pairs[0].A.PersonalID != "d1" || pairs[0].B.PersonalID != "d2" || pairs[0].Reason == "" {
			t.Fatalf("pairs = %+v, want d1/d2", pairs)
		}

		// Refusals.
		if _, err := s.MergeClients(admin, "d1", "d1", ""); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Errorf("merge into itself: %v", err)
		}
		if _, err := s.MergeClients(admin, "d1", "missing", ""); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("merge a missing client: %v", err)
		}

		before1, before2 := countsOf(t, s, "d1"), countsOf(t, s, "d2")
		m, err := s.MergeClients(admin, "d1", "d2", "same SSN and DOB")
		if err != nil {
			t.Fatal(err)
		}
		if m.Moved != 4 {
			t.Errorf("moved %d rows, want 4 (enrollment, service, note, release)", m.Moved)
		}
		after1, after2 := countsOf(t, s, "d1"), countsOf(t, s, "d2")
		for tbl, n := range before2 {
			if after1[tbl] != before1[tbl]+n || after2[tbl] != 0 {
				t.Errorf("%s after merge: kept %d merged %d; want %d and 0", tbl, after1[tbl], after2[tbl], before1[tbl]+n)
			}
		}
		// The merged client is hidden (soft-deleted, not gone) and out of the queue.
		var deleted int
		if err := store.QueryRowForTest(s, `SELECT COUNT(*) FROM clients WHERE personal_id = 'd2' AND date_deleted IS NOT NULL`).Scan(&deleted); err != nil || deleted != 1 {
			t.Errorf("merged client soft-deleted: %d, %v", deleted, err)
		}
		if q, err := s.FindDuplicatePairs(admin, 0, 0); err != nil || len(q.Pairs) != 0 {
			t.Errorf("pairs after merge: %+v, %v", q, err)
		}
		if _, err := s.MergeClients(admin, "d1", "d2", ""); hmis.ErrorCode(err) != hmis.ECONFLICT {
			t.Errorf("merge a deleted client: %v, want conflict", err)
		}
		if _, err := s.MergeClients(admin, "d2", "x1", ""); hmis.ErrorCode(err) != hmis.ECONFLICT {
			t.Errorf("merge into a deleted client: %v, want conflict", err)
		}
		if es, err := s.FindAudit(admin, store.AuditFilter{Action: "merge"}); err != nil || len(es) != 1 || es[0].EntityID != "d1" {
			t.Errorf("merge audit: %+v, %v", es, err)
		}

		ms, err := s.ListMerges(admin, 0)
		if err != nil || len(ms) != 1 || ms[0].ID != m.ID || ms[0].Merged.LastName != "Brightwater" || !ms[0].UndoneAt.IsZero() {
			t.Fatalf("ListMerges: %+v, %v", ms, err)
		}

		// Undo restores exactly.
		if err := s.UndoMerge(admin, m.ID); err != nil {
			t.Fatal(err)
		}
		if got1, got2 := countsOf(t, s, "d1"), countsOf(t, s, "d2"); !equalCounts(got1, before1) || !equalCounts(got2, before2) {
			t.Errorf("after undo: %v %v; want %v %v", got1, got2, before1, before2)
		}
		if err := store.QueryRowForTest(s, `SELECT COUNT(*) FROM clients WHERE personal_id = 'd2' AND date_deleted IS NULL`).Scan(&deleted); err != nil || deleted != 1 {
			t.Errorf("merged client restored: %d, %v", deleted, err)
		}
		if err := s.UndoMerge(admin, m.ID); hmis.ErrorCode(err) != hmis.ECONFLICT {
			t.Errorf("undo twice: %v, want conflict", err)
		}
		if err := s.UndoMerge(admin, "missing"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("undo a missing merge: %v, want not found", err)
		}
		if ms, err := s.ListMerges(admin, 0); err != nil || len(ms) != 1 || ms[0].UndoneAt.IsZero() {
			t.Errorf("ListMerges after undo: %+v, %v", ms, err)
		}
		if es, err := s.FindAudit(admin, store.AuditFilter{Action: "merge.undo"}); err != nil || len(es) != 1 {
			t.Errorf("undo audit: %+v, %v", es, err)
		}

		// Back in the queue; "not a duplicate" takes it out for good.
		if q, err := s.FindDuplicatePairs(admin, 0, 0); err != nil || len(q.Pairs) != 1 {
			t.Fatalf("pairs after undo: %+v, %v", q, err)
		}
		if err := s.DismissDuplicatePair(cm, "d2", "d1"); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("case manager dismiss: %v", err)
		}
		if err := s.DismissDuplicatePair(admin, "d2", "d1"); err != nil {
			t.Fatal(err)
		}
		if q, err := s.FindDuplicatePairs(admin, 0, 0); err != nil || len(q.Pairs) != 0 || q.Total != 0 {
			t.Errorf("pairs after dismiss: %+v, %v", q, err)
		}
		// A recomputation leaves dismissed pairs out too, and a changed
		// client makes the stored pairs stale.
		if _, err := s.RefreshDuplicatePairs(admin); err != nil {
			t.Fatal(err)
		}
		if q, err := s.FindDuplicatePairs(admin, 0, 0); err != nil || len(q.Pairs) != 0 {
			t.Errorf("pairs after dismiss and refresh: %+v, %v", q, err)
		}
		if err := storetest.Exec(s, `UPDATE clients SET first_name = 'Changed', date_updated = date_updated WHERE personal_id = 'd1'`); err != nil {
			t.Fatal(err)
		}
		if err := store.CreateRecord(storetest.Context(t), s, &hmis.Client{PersonalID: "new1", FirstName: "New", LastName: "Person",
			NameDataQuality: new(hud.NameDataQuality(1)), DOBDataQuality: new(hud.DOBDataQuality(99)), SSNDataQuality: new(hud.SSNDataQuality(99)),
			RaceNone: new(hud.RaceNone(8)), VeteranStatus: new(hud.NoYesReasonsForMissingData(99))}); err != nil {
			t.Fatal(err)
		}
		if stale, err := s.DuplicatePairsStale(admin); err != nil || !stale {
			t.Errorf("stale after a new client = %v, %v", stale, err)
		}
	})
}

func equalCounts(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}
