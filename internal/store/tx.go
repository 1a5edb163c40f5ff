package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Tx is one transaction. It carries the time and the actor so that every
// row it writes, and every audit row, agree on both.
type Tx struct {
	tx    *sql.Tx
	d     *dialect
	now   time.Time
	actor hmis.Actor
	// s is the store: its site key seals and opens SSNs (ssn.go).
	s *Store
	// pending are the audit rows written so far, appended to the chain
	// just before commit (audit_chain.go).
	pending []AuditEntry
}

// errNoActor is returned when a write has no actor in its context: a bug.
var errNoActor = errors.New("store: no actor in context")

// write runs fn in a read-write transaction; it commits when fn returns nil.
func (s *Store) write(ctx context.Context, fn func(*Tx) error) error {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return errNoActor
	}
	return s.run(ctx, s.wdb, false, actor, fn)
}

// read runs fn in a read-only transaction.
func (s *Store) read(ctx context.Context, fn func(*Tx) error) error {
	actor, _ := hmis.ActorFrom(ctx)
	return s.run(ctx, s.rdb, true, actor, fn)
}

// beginner is a *sql.DB or a *sql.Conn.
type beginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// writeUnchecked runs fn like write, but on SQLite with foreign keys not
// enforced as rows are written: the caller checks them before it commits
// (Batch.checkForeignKeys). PRAGMA foreign_keys cannot change inside a
// transaction, so the single writer connection is taken out of the pool,
// switched off for the transaction and on again before it goes back; if
// switching it on fails, the connection is discarded. Unchanged on
// PostgreSQL (foreign keys stay enforced); unchecked reports which.
func (s *Store) writeUnchecked(ctx context.Context, fn func(tx *Tx, unchecked bool) error) error {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return errNoActor
	}
	if s.d.name != dialectSQLite {
		return s.run(ctx, s.wdb, false, actor, func(tx *Tx) error { return fn(tx, false) })
	}
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return s.d.translate(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return s.d.translate(err)
	}
	defer func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn }) // never back to the pool unchecked
		}
	}()
	return s.run(ctx, conn, false, actor, func(tx *Tx) error { return fn(tx, true) })
}

func (s *Store) run(ctx context.Context, db beginner, readOnly bool, actor hmis.Actor, fn func(*Tx) error) error {
	// SQLite rejects BEGIN READ ONLY; the reader pool never writes anyway.
	opts := &sql.TxOptions{ReadOnly: readOnly && s.d.name == dialectPostgres}
	sqlTx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return s.d.translate(err)
	}
	tx := &Tx{tx: sqlTx, d: s.d, now: s.now().UTC().Truncate(time.Microsecond), actor: actor, s: s}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return s.d.translate(err)
	}
	if err := tx.flushAudit(); err != nil {
		sqlTx.Rollback()
		return s.d.translate(err)
	}
	return s.d.translate(sqlTx.Commit())
}

// Now is the transaction's time.
func (tx *Tx) Now() time.Time { return tx.now }

func (tx *Tx) exec(q string, args ...any) (sql.Result, error) {
	return tx.tx.Exec(tx.d.rebind(q), args...)
}

func (tx *Tx) query(q string, args ...any) (*sql.Rows, error) {
	return tx.tx.Query(tx.d.rebind(q), args...)
}

func (tx *Tx) queryRow(q string, args ...any) *sql.Row {
	return tx.tx.QueryRow(tx.d.rebind(q), args...)
}

func (tx *Tx) prepare(q string) (*sql.Stmt, error) {
	return tx.tx.Prepare(tx.d.rebind(q))
}

// ts converts t for a query in this transaction's dialect.
func (tx *Tx) ts(t time.Time) any { return tx.d.ts(t) }

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface {
	Scan(dest ...any) error
}

// notFound returns the error for a missing record of the given kind.
func notFound(kind string) error {
	return &hmis.Error{Code: hmis.ENOTFOUND, Message: kind + " not found."}
}

// one maps sql.ErrNoRows to not found.
func one(err error, kind string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(kind)
	}
	return err
}
