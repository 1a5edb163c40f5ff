// Package storetest opens real, migrated stores for tests: a temp SQLite
// file always, and a fresh PostgreSQL schema when HEARTH_TEST_POSTGRES_URL
// is set. There are no mocks: every test talks to a real database.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/secret"
	"github.com/hearth-hmis/hearth/internal/store"
)

// PostgresEnv names the variable that enables the PostgreSQL suite.
const PostgresEnv = "HEARTH_TEST_POSTGRES_URL"

// MarkerEnv names a folder where suites that ran leave a marker file, so
// that CI can fail when a suite it asked for was skipped.
const MarkerEnv = "HEARTH_TEST_MARKERS"

// Mark leaves the marker file name in $HEARTH_TEST_MARKERS, if set.
func Mark(t testing.TB, name string) {
	dir := os.Getenv(MarkerEnv)
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("marker: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte("ran\n"), 0o644); err != nil {
		t.Fatalf("marker: %v", err)
	}
}

// Key returns a new random site key (internal/secret) for a test store:
// it seals the SSNs the test writes.
func Key(t testing.TB) *secret.Key {
	t.Helper()
	raw := make([]byte, secret.KeySize)
	rand.Read(raw)
	k, err := secret.New(raw)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Context returns a context acting as the system, for test setup.
func Context(t testing.TB) context.Context {
	return hmis.NewContext(t.Context(), hmis.SystemActor("test"))
}

// OpenSQLite returns a migrated store on a new SQLite file in t.TempDir().
func OpenSQLite(t testing.TB) *store.Store {
	t.Helper()
	return OpenSQLiteAt(t, nil)
}

// OpenSQLiteAt is OpenSQLite with a clock (nil: time.Now).
func OpenSQLiteAt(t testing.TB, now func() time.Time) *store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), store.Options{Path: filepath.Join(t.TempDir(), "test.db"), Now: now, Key: Key(t)})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("migrate sqlite: %v", err)
	}
	return s
}

// OpenPostgres returns a migrated store in a new schema of the database
// at $HEARTH_TEST_POSTGRES_URL, dropped when the test ends. It skips the
// test when the variable is unset, and fails it when the server cannot be
// reached: a suite that was asked for must not skip silently.
func OpenPostgres(t testing.TB) *store.Store {
	t.Helper()
	return OpenPostgresAt(t, nil)
}

// OpenPostgresAt is OpenPostgres with a clock (nil: time.Now).
func OpenPostgresAt(t testing.TB, now func() time.Time) *store.Store {
	t.Helper()
	url := os.Getenv(PostgresEnv)
	if url == "" {
		t.Skipf("PostgreSQL suite skipped: set %s=postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run it", PostgresEnv)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	s, err := store.Open(context.Background(), store.Options{URL: url, Schema: schema, Now: now, Key: Key(t)})
	if err != nil {
		t.Fatalf("open postgres (%s is set): %v", PostgresEnv, err)
	}
	t.Cleanup(func() {
		s.Close()
		if err := store.DropSchema(context.Background(), url, schema); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	if _, err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("migrate postgres: %v", err)
	}
	Mark(t, "postgres")
	return s
}

// Each runs fn as a subtest on SQLite, and on PostgreSQL when enabled.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, OpenSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, OpenPostgres(t)) })
}

// EachAt is Each with a clock.
func EachAt(t *testing.T, now func() time.Time, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, OpenSQLiteAt(t, now)) })
	t.Run("postgres", func(t *testing.T) { fn(t, OpenPostgresAt(t, now)) })
}

// Exec runs a statement directly, for tests that must set up states the
// store's API refuses to create (a newer schema version, a corrupt row).
func Exec(s *store.Store, query string, args ...any) error {
	return store.ExecForTest(s, query, args...)
}

// QueryString reads one string column directly, for tests that check what
// is stored.
func QueryString(s *store.Store, query string, args ...any) (string, error) {
	return store.QueryStringForTest(s, query, args...)
}

// MustOrganization creates an organization named name and returns its ID.
func MustOrganization(t testing.TB, s *store.Store, name string) string {
	t.Helper()
	no := hud.NoYes(0)
	org := hmis.Organization{OrganizationID: store.NewID(), OrganizationName: name, VictimServiceProvider: &no}
	if err := store.CreateRecord(Context(t), s, &org); err != nil {
		t.Fatalf("create organization: %v", err)
	}
	return org.OrganizationID
}
