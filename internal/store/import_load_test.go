package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// indexSQL lists the SQLite schema's index statements.
func indexSQL(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.rdb.Query(`SELECT name || ': ' || sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var q string
		if err := rows.Scan(&q); err != nil {
			t.Fatal(err)
		}
		out = append(out, q)
	}
	return out
}

// TestStore_ImportIndexesAfterLoad: an import into empty tables drops
// their secondary indexes and builds them again before committing; one
// that fails keeps them (rolled back); counts stay right on a table that
// was empty and on one that was not.
func TestStore_ImportIndexesAfterLoad(t *testing.T) {
	ctx := hmis.NewContext(t.Context(), hmis.SystemActor("test"))
	s, err := Open(ctx, Options{Path: filepath.Join(t.TempDir(), "t.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	want := indexSQL(t, s)
	at := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	org := func(id string) *hmis.Organization {
		return &hmis.Organization{OrganizationID: id, OrganizationName: id, DateCreated: at, DateUpdated: at}
	}
	run := func(recs ...any) (ImportStats, error) {
		return s.Import(ctx, ImportOptions{Source: Source{Key: "t"}}, func(add func(any) error) (ImportOutcome, error) {
			for _, r := range recs {
				if err := add(r); err != nil {
					return ImportOutcome{}, err
				}
			}
			return ImportOutcome{}, nil
		})
	}
	// A project of an organization that does not exist: the foreign key
	// fails the import, which rolls back.
	bad := &hmis.Project{ProjectID: "p", OrganizationID: "nope", ProjectName: "P", DateCreated: at, DateUpdated: at}
	if st, err := run(org("o1"), bad); err == nil || st.Status != ImportFailed {
		t.Fatalf("bad import: %+v, %v", st, err)
	}
	if got := indexSQL(t, s); !slices.Equal(got, want) {
		t.Errorf("indexes after a failed import:\n%q\nwant\n%q", got, want)
	}
	st, err := run(org("o1"), &hmis.Project{ProjectID: "p", OrganizationID: "o1", ProjectName: "P", DateCreated: at, DateUpdated: at})
	if err != nil || st.Inserted != 2 || st.Updated != 0 {
		t.Fatalf("import: %+v, %v", st, err)
	}
	if got := indexSQL(t, s); !slices.Equal(got, want) {
		t.Errorf("indexes after an import:\n%q\nwant\n%q", got, want)
	}
	// Into tables that are not empty: one new, one updated, one unchanged.
	newer := org("o1")
	newer.DateUpdated = at.Add(time.Hour)
	st, err = run(newer, org("o2"), &hmis.Project{ProjectID: "p", OrganizationID: "o1", ProjectName: "P", DateCreated: at, DateUpdated: at})
	if err != nil || st.Inserted != 1 || st.Updated != 1 || st.Unchanged != 1 {
		t.Fatalf("second import: %+v, %v", st, err)
	}
	var n int
	if err := s.rdb.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM organizations`).Scan(&n); err != nil || n != 2 {
		t.Errorf("%d organizations, %v", n, err)
	}
	// The writer connection enforces foreign keys again after imports
	// (writeUnchecked turns them off for the import's transaction only).
	var fk int
	if err := s.wdb.QueryRowContext(context.Background(), `PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d after imports, %v", fk, err)
	}
}
