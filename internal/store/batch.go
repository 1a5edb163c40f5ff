package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// Batch inserts many HUD records, of any types, in one write transaction.
// It buffers each table's rows and writes them with multi-row
// INSERT statements (up to bulkRows rows each, every statement size
// prepared once per transaction). Loads of millions of rows (the demo
// generator, imports) spend far less time per row this way.
//
// Buffered rows are written in the order their tables were first used, so
// add the first record of a parent type (clients, enrollments) before the
// first record of its children; foreign keys are checked as rows are
// written, at the latest when fn returns.
type Batch struct {
	tx     *Tx
	tables []*bulkTable
	byName map[string]*bulkTable
	args   int // buffered arguments, all tables

	// upsert is import mode (Store.Import): a row whose key exists
	// replaces the stored one only when its DateUpdated is newer, and rows
	// keep the dates they came with.
	upsert bool
}

// bulkTable is one table's buffer.
type bulkTable struct {
	name, entity string
	head, tuple  string // "INSERT INTO t (...) VALUES " and "(?, ..., ?)"
	tail         string // upsert mode: " ON CONFLICT (key) DO UPDATE ..."
	cols         int
	args         []any
	rows, count  int
	stmts        map[int]*sql.Stmt // by rows per statement

	// Upsert mode: rows in the table before the first write, and rows the
	// statements inserted or updated (an unchanged row counts as neither).
	before  int
	written int64
}

const (
	// bulkRows is the most rows one INSERT writes: 256 rows of the widest
	// HUD table (77 columns) stay under SQLite's 32,766 and PostgreSQL's
	// 65,535 parameters.
	bulkRows = 256
	// bulkFlushArgs is how many buffered arguments trigger a flush.
	bulkFlushArgs = 1 << 18
)

// Batch runs fn with a Batch in one transaction; it writes what is buffered
// and commits when fn returns nil, and writes one audit row per record
// type ("create", "N records").
func (s *Store) Batch(ctx context.Context, fn func(*Batch) error) error {
	return s.write(ctx, func(tx *Tx) error {
		b, err := newBatch(tx, false)
		if err != nil {
			return err
		}
		defer b.close()
		if err := fn(b); err != nil {
			return err
		}
		if err := b.Flush(); err != nil {
			return err
		}
		for _, t := range b.tables {
			if err := tx.audit("create", t.entity, "", strconv.Itoa(t.count)+" records"); err != nil {
				return err
			}
		}
		return nil
	})
}

// newBatch starts a batch in tx; upsert selects import mode.
func newBatch(tx *Tx, upsert bool) (*Batch, error) {
	if tx.d.name == dialectSQLite {
		// A 64 MiB page cache (SQLite's default is 2 MiB) keeps a large
		// transaction's dirty pages in memory instead of spilling them;
		// it stays on the single writer connection and is only used
		// as far as needed.
		if _, err := tx.exec(`PRAGMA cache_size = -65536`); err != nil {
			return nil, err
		}
	}
	return &Batch{tx: tx, byName: map[string]*bulkTable{}, upsert: upsert}, nil
}

// Add buffers r, filling in ID, dates and UserID as CreateRecord does;
// it writes the buffers when they are full.
func Add[T Record](b *Batch, r *T) error {
	t := tableOf[T]()
	bt := b.byName[t.name]
	if bt == nil {
		i := strings.Index(t.insertSQL, " VALUES ")
		bt = &bulkTable{name: t.name, entity: t.entity, head: t.insertSQL[:i+8], tuple: t.insertSQL[i+8:],
			stmts: map[int]*sql.Stmt{}}
		bt.cols = strings.Count(bt.tuple, "?")
		if b.upsert {
			bt.tail = upsertClause(t.insertSQL, t.name, t.key)
			if err := b.tx.queryRow(`SELECT COUNT(*) FROM ` + t.name).Scan(&bt.before); err != nil {
				return err
			}
		}
		b.byName[t.name] = bt
		b.tables = append(b.tables, bt)
	}
	if b.upsert {
		stampImported(b.tx, t, r)
	} else {
		stampNew(b.tx, t, r)
	}
	bt.args = append(bt.args, t.args(r, b.tx.d)...)
	bt.rows++
	bt.count++
	if b.args += bt.cols; b.args >= bulkFlushArgs {
		return b.Flush()
	}
	return nil
}

// Flush writes every buffered row now, table by table in first-use order.
func (b *Batch) Flush() error {
	for _, t := range b.tables {
		for done := 0; done < t.rows; {
			n := bulkRows
			for n > t.rows-done {
				n /= 2
			}
			st, err := t.stmt(b.tx, n)
			if err != nil {
				return err
			}
			res, err := st.Exec(t.args[done*t.cols : (done+n)*t.cols]...)
			if err != nil {
				return b.tx.d.translate(err)
			}
			if b.upsert {
				n, err := res.RowsAffected()
				if err != nil {
					return err
				}
				t.written += n
			}
			done += n
		}
		clear(t.args) // let the values go
		t.args, t.rows = t.args[:0], 0
	}
	b.args = 0
	return nil
}

// stmt returns the prepared INSERT of n rows.
func (t *bulkTable) stmt(tx *Tx, n int) (*sql.Stmt, error) {
	if st, ok := t.stmts[n]; ok {
		return st, nil
	}
	var q strings.Builder
	q.Grow(len(t.head) + n*(len(t.tuple)+2) + len(t.tail))
	q.WriteString(t.head)
	for i := range n {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(t.tuple)
	}
	q.WriteString(t.tail)
	st, err := tx.prepare(q.String())
	if err != nil {
		return nil, err
	}
	t.stmts[n] = st
	return st, nil
}

func (b *Batch) close() {
	for _, t := range b.tables {
		for _, st := range t.stmts {
			st.Close()
		}
	}
}
