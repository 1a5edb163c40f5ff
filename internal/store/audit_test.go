package store_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// mustAudit writes n audit rows as the system.
func mustAudit(t *testing.T, s *store.Store, n int) {
	t.Helper()
	ctx := storetest.Context(t)
	for i := range n {
		if err := s.Audit(ctx, "read", "client", fmt.Sprintf("c%d", i), ""); err != nil {
			t.Fatal(err)
		}
	}
}

func mustVerify(t *testing.T, s *store.Store) store.ChainReport {
	t.Helper()
	rep, err := s.VerifyAudit(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestStore_AuditChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		mustAudit(t, s, 10)
		rep := mustVerify(t, s)
		if !rep.Intact() || rep.Entries != 10 || rep.HeadID != 10 || len(rep.HeadHash) != 64 {
			t.Fatalf("fresh chain: %+v", rep)
		}
		list, err := s.FindAudit(t.Context(), store.AuditFilter{Limit: 2})
		if err != nil || len(list) != 2 || list[0].PrevHash != list[1].Hash {
			t.Fatalf("entries do not link: %+v %v", list, err)
		}

		t.Run("edited", func(t *testing.T) {
			if err := storetest.Exec(s, `UPDATE audit_log SET detail = 'nothing to see' WHERE id = 5`); err != nil {
				t.Fatal(err)
			}
			rep := mustVerify(t, s)
			if rep.Intact() || rep.BrokenAt != 5 || !strings.Contains(rep.Problem, "changed") {
				t.Errorf("edited row: %+v", rep)
			}
			storetest.Exec(s, `UPDATE audit_log SET detail = '' WHERE id = 5`)
			if rep := mustVerify(t, s); !rep.Intact() {
				t.Fatalf("restored row: %+v", rep)
			}
		})
		t.Run("rehashed", func(t *testing.T) {
			// Editing a row and fixing its own hash still breaks the next link.
			var e store.AuditEntry
			list, _ := s.FindAudit(t.Context(), store.AuditFilter{Before: 5, Limit: 1})
			e = list[0]
			if err := storetest.Exec(s, `UPDATE audit_log SET hash = ? WHERE id = 4`, strings.Repeat("a", 64)); err != nil {
				t.Fatal(err)
			}
			rep := mustVerify(t, s)
			if rep.Intact() || rep.BrokenAt != 4 {
				t.Errorf("rehashed row: %+v", rep)
			}
			storetest.Exec(s, `UPDATE audit_log SET hash = ? WHERE id = 4`, e.Hash)
		})
		t.Run("deleted", func(t *testing.T) {
			if err := storetest.Exec(s, `DELETE FROM audit_log WHERE id = 6`); err != nil {
				t.Fatal(err)
			}
			rep := mustVerify(t, s)
			if rep.Intact() || rep.BrokenAt != 7 || !strings.Contains(rep.Problem, "entry 6 is missing") {
				t.Errorf("deleted row: %+v", rep)
			}
		})
	})
}

func TestStore_AuditChainTailDeleted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		mustAudit(t, s, 4)
		if err := storetest.Exec(s, `DELETE FROM audit_log WHERE id = 4`); err != nil {
			t.Fatal(err)
		}
		if rep := mustVerify(t, s); rep.Intact() || !strings.Contains(rep.Problem, "removed") {
			t.Errorf("tail deleted: %+v", rep)
		}
	})
}

// TestStore_AuditChainRollback: a rolled-back write leaves no audit row.
func TestStore_AuditChainRollback(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		storetest.MustOrganization(t, s, "A")
		// A duplicate identifier fails inside the transaction.
		org := hmis.Organization{OrganizationID: "dup", OrganizationName: "X"}
		if err := store.CreateRecord(ctx, s, &org); err != nil {
			t.Fatal(err)
		}
		if err := store.CreateRecord(ctx, s, &org); err == nil {
			t.Fatal("duplicate accepted")
		}
		if rep := mustVerify(t, s); !rep.Intact() || rep.Entries != 2 {
			t.Fatalf("after rollback: %+v", rep)
		}
	})
}

// TestStore_AuditChainConcurrent has many writers append at once: the
// result is one chain, no fork, no lost entry.
func TestStore_AuditChainConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		const writers, each = 8, 15
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					// Mix plain audit rows with record writes that audit.
					var err error
					if i%3 == 0 {
						err = store.CreateRecord(ctx, s, &hmis.Organization{OrganizationName: fmt.Sprintf("Org %d-%d", w, i)})
					} else {
						err = s.Audit(ctx, "read", "client", fmt.Sprintf("w%d-%d", w, i), "")
					}
					if err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		rep := mustVerify(t, s)
		if !rep.Intact() || rep.Entries != writers*each {
			t.Fatalf("concurrent chain: %+v", rep)
		}
	})
}

// TestStore_AuditChainLegacy: rows written before the chain existed are
// chained by the first write after the migration.
func TestStore_AuditChainLegacy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for i := range 3 {
			if err := storetest.Exec(s, `INSERT INTO audit_log (id, at, actor, action, entity) VALUES (?, ?, 'system(cli)', 'create', 'client')`,
				100+i, "2025-01-02 03:04:05"); err != nil {
				t.Fatal(err)
			}
		}
		if err := storetest.Exec(s, `UPDATE audit_head SET last_id = 0, last_hash = ''`); err != nil {
			t.Fatal(err)
		}
		if rep := mustVerify(t, s); !rep.Unsealed || rep.Entries != 3 {
			t.Fatalf("legacy rows: %+v", rep)
		}
		mustAudit(t, s, 1)
		if rep := mustVerify(t, s); !rep.Intact() || rep.Entries != 4 || rep.HeadID != 4 {
			t.Fatalf("sealed: %+v", rep)
		}
	})
}

func TestStore_FindAuditFilters(t *testing.T) {
	var now time.Time
	clock := func() time.Time { return now }
	storetest.EachAt(t, clock, func(t *testing.T, s *store.Store) {
		now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		org := storetest.MustOrganization(t, s, "Harbor House")
		sys := storetest.Context(t)
		a, err := s.CreateAccount(sys, hmis.Account{Username: "maria", Role: hmis.RoleCaseManager, OrganizationID: org}, "h")
		if err != nil {
			t.Fatal(err)
		}
		maria := hmis.NewContext(t.Context(), a.Actor("web"))
		now = now.Add(24 * time.Hour) // March 2
		s.Audit(maria, "read", "client", "c1", "")
		s.Audit(maria, "search", "client", "", "3 results")
		now = now.Add(24 * time.Hour) // March 3
		s.Audit(sys, "read", "client", "c1", "")
		s.Audit(maria, "read", "client", "c2", "")

		for _, tc := range []struct {
			name string
			f    store.AuditFilter
			want int
		}{
			{"all", store.AuditFilter{}, 6},
			{"by username", store.AuditFilter{User: "Maria"}, 3},
			{"by account id", store.AuditFilter{User: a.ID}, 3},
			{"system", store.AuditFilter{User: "system(test)"}, 3},
			{"client", store.AuditFilter{Entity: "client", EntityID: "c1"}, 2},
			{"action", store.AuditFilter{Action: "search"}, 1},
			{"since", store.AuditFilter{Since: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)}, 2},
			{"until", store.AuditFilter{Until: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}, 2},
			{"day", store.AuditFilter{Since: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)}, 2},
			{"user and client", store.AuditFilter{User: "maria", Entity: "client", EntityID: "c1"}, 1},
			{"limit", store.AuditFilter{Limit: 4}, 4},
		} {
			got, err := s.FindAudit(t.Context(), tc.f)
			if err != nil || len(got) != tc.want {
				t.Errorf("%s: %d entries, %v; want %d: %+v", tc.name, len(got), err, tc.want, got)
			}
		}
	})
}

// TestStore_ClientAccessReport lists a view and an update of a client,
// and a change to one of its enrollments, but not another client's.
func TestStore_ClientAccessReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		f := newFixture(t, s)
		other := hmis.Client{PersonalID: "client-2"}
		if err := store.CreateRecord(ctx, s, &other); err != nil {
			t.Fatal(err)
		}
		org := storetest.MustOrganization(t, s, "Harbor House")
		a, err := s.CreateAccount(ctx, hmis.Account{Username: "maria", Role: hmis.RoleCaseManager, OrganizationID: org}, "h")
		if err != nil {
			t.Fatal(err)
		}
		maria := hmis.NewContext(t.Context(), a.Actor("web"))
		if err := s.Audit(maria, "read", "client", f.client, ""); err != nil {
			t.Fatal(err)
		}
		c, err := store.FindRecordByID[hmis.Client](ctx, s, f.client)
		if err != nil {
			t.Fatal(err)
		}
		c.FirstName, c.SSN, c.DOB = "Rosa", "123456789", hmis.NewDate(1980, 5, 17)
		one := hud.Sex(1)
		c.Sex = &one
		if err := store.UpdateRecord(maria, s, &c); err != nil {
			t.Fatal(err)
		}
		enr, _ := store.FindRecordByID[hmis.Enrollment](ctx, s, f.enrollment)
		if err := store.UpdateRecord(maria, s, &enr); err != nil {
			t.Fatal(err)
		}
		s.Audit(maria, "read", "client", other.PersonalID, "")

		rep, err := s.ClientAccessReport(ctx, f.client)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range rep {
			got = append(got, e.Action+" "+e.Entity+" "+e.Actor)
		}
		want := []string{
			"create client system(test)", "create enrollment system(test)", "create assessment system(test)",
			"read client maria(web)", "update client maria(web)", "update enrollment maria(web)",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("access report:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		// The update says what changed, without the name, SSN or DOB.
		var detail string
		for _, e := range rep {
			if e.Action == "update" && e.Entity == "client" {
				detail = e.Detail
			}
		}
		for _, w := range []string{"FirstName changed", "SSN changed", "DOB changed", "Sex: ∅ → 1"} {
			if !strings.Contains(detail, w) {
				t.Errorf("update detail %q lacks %q", detail, w)
			}
		}
		for _, leak := range []string{"Rosa", "1234", "1980"} {
			if strings.Contains(detail, leak) {
				t.Errorf("update detail %q leaks %q", detail, leak)
			}
		}
		if _, err := s.ClientAccessReport(ctx, "nobody"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("unknown client: %v", err)
		}
	})
}
