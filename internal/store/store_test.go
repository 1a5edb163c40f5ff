package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// createTableRE finds table and column names in the migration files.
var (
	createTableRE = regexp.MustCompile(`(?is)CREATE TABLE (?:IF NOT EXISTS )?(\w+)\s*\((.*?)\n\);`)
	columnRE      = regexp.MustCompile(`(?m)^\s+([a-z_][a-z0-9_]*)\s+[A-Z]`)
)

func parseMigrations(t *testing.T, dialect string) map[string][]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("migrations", dialect, "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations for %s: %v", dialect, err)
	}
	out := map[string][]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range createTableRE.FindAllStringSubmatch(string(b), -1) {
			for _, c := range columnRE.FindAllStringSubmatch(m[2], -1) {
				if kw := strings.ToUpper(c[1]); kw == "PRIMARY" || kw == "FOREIGN" || kw == "UNIQUE" || kw == "CONSTRAINT" {
					continue
				}
				out[m[1]] = append(out[m[1]], c[1])
			}
			sort.Strings(out[m[1]])
		}
	}
	return out
}

// TestMigrations_DialectsAgree keeps the SQLite and PostgreSQL schemas in
// step: same files, same tables, same columns. It reads the migration files
// always, and compares the live databases when PostgreSQL is enabled.
func TestMigrations_DialectsAgree(t *testing.T) {
	names := func(d string) []string {
		fs, _ := filepath.Glob(filepath.Join("migrations", d, "*.sql"))
		for i := range fs {
			fs[i] = filepath.Base(fs[i])
		}
		return fs
	}
	if diff := cmp.Diff(names("sqlite"), names("postgres")); diff != "" {
		t.Errorf("migration files differ (-sqlite +postgres):\n%s", diff)
	}
	if diff := cmp.Diff(parseMigrations(t, "sqlite"), parseMigrations(t, "postgres")); diff != "" {
		t.Errorf("migration tables differ (-sqlite +postgres):\n%s", diff)
	}

	lite := storetest.OpenSQLite(t)
	want, err := lite.Schema(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 5 {
		t.Fatalf("sqlite schema has %d tables", len(want))
	}
	pg := storetest.OpenPostgres(t)
	got, err := pg.Schema(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("live schemas differ (-sqlite +postgres):\n%s", diff)
	}
}

func TestStore_Migrate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		n, err := s.Migrate(t.Context())
		if err != nil || n != 0 {
			t.Fatalf("second Migrate = %d, %v; want 0, nil", n, err)
		}
		if err := s.CheckSchema(t.Context()); err != nil {
			t.Fatalf("CheckSchema: %v", err)
		}
	})
}

func TestStore_NewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := store.Open(t.Context(), store.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx := storetest.Context(t)
	// Pretend a newer Hearth migrated this database.
	if err := s.SetSetting(ctx, "probe", "1"); err != nil {
		t.Fatal(err)
	}
	_, want, _ := s.SchemaVersion(t.Context())
	if err := storetest.Exec(s, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 'x')`, want+1); err != nil {
		t.Fatal(err)
	}
	_, err = s.Migrate(t.Context())
	var newer *store.ErrNewerSchema
	if !errors.As(err, &newer) {
		t.Fatalf("Migrate on newer schema: %v, want ErrNewerSchema", err)
	}
	if !strings.Contains(err.Error(), "upgrade Hearth") {
		t.Errorf("message %q does not say what to do", err)
	}
}

func TestOpen_ReadOnlyDataFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores folder permissions")
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o500)
	defer os.Chmod(dir, 0o700)
	_, err := store.Open(t.Context(), store.Options{Path: filepath.Join(dir, "x.db")})
	if err == nil || !strings.Contains(err.Error(), "not writable") {
		t.Fatalf("Open in read-only folder: %v", err)
	}
}

func TestOpen_UnreachablePostgres(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	_, err := store.Open(ctx, store.Options{URL: "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", Schema: "x"})
	if err == nil || !strings.Contains(err.Error(), "cannot connect to PostgreSQL") {
		t.Fatalf("Open unreachable: %v", err)
	}
}

func TestStore_Settings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		if _, ok, err := s.Setting(ctx, "k"); ok || err != nil {
			t.Fatalf("missing setting: ok=%v err=%v", ok, err)
		}
		for _, v := range []string{"a", "b"} {
			if err := s.SetSetting(ctx, "k", v); err != nil {
				t.Fatal(err)
			}
			got, ok, err := s.Setting(ctx, "k")
			if got != v || !ok || err != nil {
				t.Fatalf("Setting = %q %v %v, want %q", got, ok, err, v)
			}
		}
		if err := s.SetSetting(context.Background(), "k", "c"); err == nil {
			t.Fatal("write without an actor succeeded")
		}
	})
}

func TestOpen_DatabaseFileIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "private.db")
	s, err := store.Open(t.Context(), store.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600 (it holds client PII)", filepath.Base(p), fi.Mode().Perm())
		}
	}
}
