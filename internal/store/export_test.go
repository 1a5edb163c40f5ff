package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// exported runs ExportRecords and returns the IDs passed, in order.
func exported(t *testing.T, ctx context.Context, s *store.Store, scope store.ExportScope) []string {
	t.Helper()
	var ids []string
	_, err := s.ExportRecords(ctx, scope, func(rec any) error {
		ids = append(ids, rec.(interface{ RecordID() string }).RecordID())
		return nil
	})
	if err != nil {
		t.Fatalf("ExportRecords: %v", err)
	}
	return ids
}

func TestStore_ExportRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		if _, err := importRecords(ctx, s, store.ImportOptions{}, store.ImportOutcome{}, sourceRecords()); err != nil {
			t.Fatal(err)
		}
		// A soft-deleted client, and its enrollment, stay out.
		if err := store.DeleteRecord[hmis.Client](ctx, s, "c3"); err != nil {
			t.Fatal(err)
		}
		cm := hmis.NewContext(t.Context(), hmis.Actor{Username: "cm", UserID: "cm", OrganizationID: "o1", Role: hmis.RoleCaseManager, Via: "test"})
		for _, tc := range []struct {
			name  string
			ctx   context.Context
			scope store.ExportScope
			want  []string
		}{
			{"Whole", ctx, store.ExportScope{},
				[]string{"o1", "o2", "u1", "p1", "p2", "c1", "c2", "e1", "e2", "e3", "x3", "s1", "s2"}},
			{"Project", ctx, store.ExportScope{ProjectIDs: []string{"p2"}},
				[]string{"o2", "u1", "p2", "c1", "e2"}},
			{"Period", ctx, store.ExportScope{Start: hmis.MustDate("2024-01-01"), End: hmis.MustDate("2024-12-31")},
				[]string{"o1", "o2", "u1", "p1", "p2", "c1", "e1", "e2", "s1"}},
			{"PeriodWithExit", ctx, store.ExportScope{Start: hmis.MustDate("2023-06-30"), End: hmis.MustDate("2023-12-31")},
				[]string{"o1", "o2", "u1", "p1", "p2", "c2", "e3", "x3", "s2"}},
			// A case manager of o1 sees o1's clients (c2), and c1 (o2's)
			// because o1 serves it (e1 in o1's p1): its intake and o1's
			// enrollment e1 with its service, not o2's enrollment e2.
			{"CaseManager", cm, store.ExportScope{},
				[]string{"o1", "o2", "u1", "p1", "p2", "c1", "c2", "e1", "e3", "x3", "s1", "s2"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if got := exported(t, tc.ctx, s, tc.scope); !slices.Equal(got, tc.want) {
					t.Errorf("exported %v\nwant %v", got, tc.want)
				}
			})
		}
		// A client shared globally is seen by every organization.
		if err := storetest.Exec(s, `UPDATE clients SET restriction = 'global' WHERE personal_id = 'c1'`); err != nil {
			t.Fatal(err)
		}
		if got := exported(t, cm, s, store.ExportScope{}); !slices.Contains(got, "c1") || !slices.Contains(got, "e2") {
			t.Errorf("global client not exported to a case manager: %v", got)
		}
		if a, _ := s.FindAudit(ctx, store.AuditFilter{Action: "export"}); len(a) != 6 {
			t.Errorf("%d export audit rows, want 6", len(a))
		}
	})
}

func TestStore_ExportPages(t *testing.T) {
	// More rows than one page, so paging by key is exercised.
	s := storetest.OpenSQLite(t)
	ctx := storetest.Context(t)
	const n = 12345
	err := s.Batch(ctx, func(b *store.Batch) error {
		for range n {
			c := hmis.Client{}
			if err := store.Add(b, &c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := exported(t, ctx, s, store.ExportScope{})
	if len(ids) != n || !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != n {
		t.Fatalf("exported %d records (sorted %v), want %d distinct", len(ids), slices.IsSorted(ids), n)
	}
}
