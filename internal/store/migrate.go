package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationFS embed.FS

// migration is one numbered, forward-only schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations of a dialect, in order.
func migrations(dialect string) ([]migration, error) {
	dir := path.Join("migrations", dialect)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", name)
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: rest, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migrations/%s: expected version %d, found %d", dialect, i+1, m.version)
		}
	}
	return out, nil
}

// SchemaVersion returns the database's schema version (0 when new) and the
// newest version this build knows.
func (s *Store) SchemaVersion(ctx context.Context) (have, want int, err error) {
	ms, err := migrations(s.d.name)
	if err != nil {
		return 0, 0, err
	}
	want = len(ms)
	have, err = s.appliedVersion(ctx)
	return have, want, err
}

func (s *Store) appliedVersion(ctx context.Context) (int, error) {
	if _, err := s.wdb.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("cannot read schema version: %w", s.d.translate(err))
	}
	var v int
	err := s.rdb.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// ErrNewerSchema is returned when the database was migrated by a newer Hearth.
type ErrNewerSchema struct{ Have, Want int }

func (e *ErrNewerSchema) Error() string {
	return fmt.Sprintf("the database is at schema version %d, newer than this Hearth knows (%d): upgrade Hearth", e.Have, e.Want)
}

// Migrate applies the migrations the database lacks, each in its own
// transaction, and returns how many it applied. A database from a newer
// schema is refused.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	ms, err := migrations(s.d.name)
	if err != nil {
		return 0, err
	}
	have, err := s.appliedVersion(ctx)
	if err != nil {
		return 0, err
	}
	if have > len(ms) {
		return 0, &ErrNewerSchema{Have: have, Want: len(ms)}
	}
	applied := 0
	for _, m := range ms[have:] {
		tx, err := s.wdb.BeginTx(ctx, nil)
		if err != nil {
			return applied, s.d.translate(err)
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migration %04d_%s: %w", m.version, m.name, s.d.translate(err))
		}
		if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
			m.version, m.name, s.now().UTC().Format(time.RFC3339)); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migration %04d_%s: %w", m.version, m.name, s.d.translate(err))
		}
		if err := tx.Commit(); err != nil {
			return applied, fmt.Errorf("migration %04d_%s: %w", m.version, m.name, s.d.translate(err))
		}
		applied++
	}
	return applied, nil
}

// CheckSchema fails unless the database is exactly at this build's version.
func (s *Store) CheckSchema(ctx context.Context) error {
	have, want, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if have > want {
		return &ErrNewerSchema{Have: have, Want: want}
	}
	if have < want {
		return fmt.Errorf("the database is at schema version %d, this Hearth needs %d: run 'hearth migrate'", have, want)
	}
	return nil
}
