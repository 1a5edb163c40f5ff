package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/hearth-hmis/hearth/internal/secret"
)

// Options says which database to open. Exactly one of Path and URL is set.
type Options struct {
	// Path is the SQLite database file (created if missing).
	Path string
	// URL is a PostgreSQL connection URL; Schema is the schema inside that
	// database that holds this site's tables (created if missing).
	URL    string
	Schema string
	// Now is the clock; nil means time.Now. Tests set it.
	Now func() time.Time
	// Key is the site key (internal/secret): SSNs are sealed with it and
	// the client search's SSN digests are keyed by a key derived from it
	// (ssn.go). A store opened without it cannot write or read SSNs.
	Key *secret.Key
}

// Store is one site's database.
type Store struct {
	rdb *sql.DB // reads
	wdb *sql.DB // writes: a single connection on SQLite (one writer)
	d   *dialect
	now func() time.Time

	dupMu sync.Mutex // one RefreshDuplicatePairs at a time
	// key seals SSNs; searchKey keys their digests (ssn.go). Both nil
	// when the store was opened without the site key.
	key       *secret.Key
	searchKey []byte
}

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Open opens the database described by opts and checks that it answers. It
// does not migrate: call Migrate.
func Open(ctx context.Context, opts Options) (*Store, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	var s *Store
	var err error
	switch {
	case opts.Path != "" && opts.URL != "":
		return nil, errors.New("store: both a SQLite path and a PostgreSQL URL given")
	case opts.Path != "":
		s, err = openSQLite(ctx, opts.Path, now)
	case opts.URL != "":
		s, err = openPostgres(ctx, opts.URL, opts.Schema, now)
	default:
		return nil, errors.New("store: no database given")
	}
	if err != nil {
		return nil, err
	}
	if opts.Key != nil {
		s.key, s.searchKey = opts.Key, opts.Key.Derive(searchKeyLabel)
	}
	return s, nil
}

func openSQLite(ctx context.Context, path string, now func() time.Time) (*Store, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create data folder %s: %w", dir, unwrapPath(err))
	}
	if err := checkWritable(dir); err != nil {
		return nil, err
	}
	// The database holds client PII: create it readable by its owner only
	// (SQLite gives the -wal and -shm files the same mode).
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot create database %s: %w", path, unwrapPath(err))
	}
	f.Close()
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	base := "file:" + (&url.URL{Path: path}).EscapedPath()
	wdb, err := sql.Open("sqlite", base+"?"+pragmas+"&_pragma=temp_store(2)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetConnMaxIdleTime(0)
	rdb, err := sql.Open("sqlite", base+"?"+pragmas)
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	rdb.SetMaxOpenConns(4)
	s := &Store{rdb: rdb, wdb: wdb, d: &dialect{name: dialectSQLite}, now: now}
	if err := wdb.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("cannot open database %s: %w", path, err)
	}
	return s, nil
}

// checkWritable fails with a clear message when the data folder is read-only.
func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".hearth-write-check-*")
	if err != nil {
		return fmt.Errorf("data folder %s is not writable: %w", dir, unwrapPath(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func openPostgres(ctx context.Context, rawURL, schema string, now func() time.Time) (*Store, error) {
	if schema == "" {
		schema = "public"
	}
	if !schemaName.MatchString(schema) {
		return nil, fmt.Errorf("store: invalid schema name %q", schema)
	}
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, errors.New("HEARTH_DATABASE_URL is not a valid PostgreSQL URL")
	}
	// Create the schema first, on a plain connection.
	conn, err := pgx.ConnectConfig(ctx, cfg.Copy())
	if err != nil {
		return nil, fmt.Errorf("cannot connect to PostgreSQL at %s:%d: %w", cfg.Host, cfg.Port, connErr(err))
	}
	_, err = conn.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+schema)
	conn.Close(ctx)
	if err != nil {
		return nil, fmt.Errorf("cannot create schema %s: %w", schema, err)
	}
	cfg.RuntimeParams["search_path"] = schema
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(8)
	s := &Store{rdb: db, wdb: db, d: &dialect{name: dialectPostgres}, now: now}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot connect to PostgreSQL: %w", connErr(err))
	}
	return s, nil
}

// connErr keeps the reason of a connection failure ("connection refused",
// "password authentication failed") without the DSN or the retries.
func connErr(err error) error {
	var se syscall.Errno
	var ne *net.OpError
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &pe):
		return errors.New(pe.Message)
	case errors.As(err, &ne):
		if errors.As(ne.Err, &se) {
			return se
		}
		return ne.Err
	}
	if s, _, ok := strings.Cut(err.Error(), "\n"); ok {
		return errors.New(s)
	}
	return err
}

// Close closes the database.
func (s *Store) Close() error {
	err := s.wdb.Close()
	if s.rdb != s.wdb {
		if err2 := s.rdb.Close(); err == nil {
			err = err2
		}
	}
	return err
}

// Dialect returns "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// DropSchema removes a PostgreSQL schema and everything in it. Tests use it
// to clean up; it refuses on SQLite.
func DropSchema(ctx context.Context, rawURL, schema string) error {
	if !schemaName.MatchString(schema) {
		return fmt.Errorf("store: invalid schema name %q", schema)
	}
	conn, err := pgx.Connect(ctx, rawURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`)
	return err
}

// Now is the store's clock (time.Now unless Options.Now was set), for
// callers whose rules must agree with the times the store writes.
func (s *Store) Now() time.Time { return s.now() }
