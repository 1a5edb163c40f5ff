package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
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

	// The writer goroutine (handOff): jobs and done exist while it runs;
	// werr is its first error; free recycles argument buffers.
	jobs chan []writeJob
	done chan struct{}
	free chan []any
	mu   sync.Mutex
	werr error

	// upsert is import mode (Store.Import): a row whose key exists
	// replaces the stored one only when its DateUpdated is newer, and rows
	// keep the dates they came with.
	upsert bool
	// unchecked: foreign keys are not enforced as rows are written
	// (Store.writeUnchecked); checkForeignKeys checks them at the end.
	unchecked bool
}

// bulkTable is one table's buffer.
type bulkTable struct {
	name, entity string
	key          string // primary key column
	head, tuple  string // "INSERT INTO t (...) VALUES " and "(?, ..., ?)"
	tail         string // upsert mode: " ON CONFLICT (key) DO UPDATE ..."
	cols         int
	perStmt      int // rows per full statement
	args         []any
	rows, count  int
	stmts        map[int]*sql.Stmt // by rows per statement

	// Upsert mode: whether the table was empty before the first write, and
	// if not its insert mark (dialect.insertMarkSQL); rows the statements
	// inserted or updated (an unchanged row counts as neither); secondary
	// indexes dropped for the load, built again by finishLoad.
	empty   bool
	mark    int64
	written int64
	dropped []indexDef
}

const (
	// bulkArgs is about the most arguments one INSERT binds: rows per
	// statement are bulkArgs / columns (a power of two, at most bulkRows),
	// so narrow tables write more rows per statement. The widest HUD
	// table (77 columns) gets 128 rows; SQLite allows 32,766 parameters
	// and PostgreSQL 65,535.
	bulkArgs = 16384
	bulkRows = 1024
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
	return &Batch{tx: tx, byName: map[string]*bulkTable{}, upsert: upsert, free: make(chan []any, 4)}, nil
}

// Add buffers r, filling in ID, dates and UserID as CreateRecord does;
// it writes the buffers when they are full.
func Add[T Record](b *Batch, r *T) error {
	t := tableOf[T]()
	bt := b.byName[t.name]
	if bt == nil {
		i := strings.Index(t.insertSQL, " VALUES ")
		bt = &bulkTable{name: t.name, entity: t.entity, key: t.key, head: t.insertSQL[:i+8], tuple: t.insertSQL[i+8:],
			stmts: map[int]*sql.Stmt{}}
		bt.cols = strings.Count(bt.tuple, "?")
		bt.perStmt = bulkRows
		for bt.perStmt > 1 && bt.perStmt*bt.cols > bulkArgs {
			bt.perStmt /= 2
		}
		if b.upsert {
			bt.tail = upsertClause(t.insertSQL, t.name, t.key)
			// startLoad uses the transaction: the writer goroutine must
			// be idle.
			if err := b.wait(); err != nil {
				return err
			}
			if err := b.startLoad(bt); err != nil {
				return err
			}
			if bt.empty {
				// Nothing to update: a plain INSERT (the reader rejects
				// duplicate keys, and a duplicate fails the import). On
				// SQLite, OR ROLLBACK: a failed row ends the whole
				// transaction, which the import would roll back anyway,
				// so SQLite keeps no statement journal for it (with
				// foreign keys enforced the FK checks still need one).
				bt.tail = ""
				if b.tx.d.name == dialectSQLite {
					bt.head = "INSERT OR ROLLBACK" + strings.TrimPrefix(bt.head, "INSERT")
				}
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
	args := t.args(r, b.tx.d)
	if err := b.tx.s.sealArgs(t.name, args); err != nil {
		return err
	}
	bt.args = append(bt.args, args...)
	bt.rows++
	bt.count++
	if b.args += bt.cols; b.args >= bulkFlushArgs {
		b.handOff()
		return b.failed()
	}
	return nil
}

// Flush writes every buffered row now, table by table in first-use order,
// and returns once they are written.
func (b *Batch) Flush() error {
	b.handOff()
	return b.wait()
}

// writeJob is one table's buffered rows, handed to the writer goroutine.
type writeJob struct {
	t    *bulkTable
	args []any
	rows int
}

// handOff passes the buffered rows to the writer goroutine (started on
// first use) and returns at once, so that the caller reads and converts
// the next rows while SQL runs on the other core: an import's CSV reading
// overlaps its writing. The jobs channel holds one hand-off, so at most
// three buffers exist. Only the writer goroutine uses the transaction
// until wait returns.
func (b *Batch) handOff() {
	var jobs []writeJob
	for _, t := range b.tables {
		if t.rows == 0 {
			continue
		}
		jobs = append(jobs, writeJob{t: t, args: t.args, rows: t.rows})
		t.args, t.rows = nil, 0
		select {
		case t.args = <-b.free:
		default:
		}
	}
	b.args = 0
	if len(jobs) == 0 {
		return
	}
	if b.jobs == nil {
		b.jobs, b.done = make(chan []writeJob, 1), make(chan struct{})
		go b.writer(b.jobs, b.done)
	}
	b.jobs <- jobs
}

// wait lets the writer goroutine finish what it was handed and returns
// its first error.
func (b *Batch) wait() error {
	if b.jobs != nil {
		close(b.jobs)
		<-b.done
		b.jobs, b.done = nil, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.werr
}

// failed returns the writer goroutine's first error so far, without waiting.
func (b *Batch) failed() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.werr
}

func (b *Batch) writer(jobs <-chan []writeJob, done chan<- struct{}) {
	defer close(done)
	for js := range jobs {
		for _, j := range js {
			if b.failed() == nil {
				if err := b.write(j); err != nil {
					b.mu.Lock()
					b.werr = err
					b.mu.Unlock()
				}
			}
			clear(j.args) // let the values go
			select {
			case b.free <- j.args[:0]:
			default:
			}
		}
	}
}

// write runs the INSERTs of one job.
func (b *Batch) write(j writeJob) error {
	t := j.t
	for done := 0; done < j.rows; {
		n := t.perStmt
		for n > j.rows-done {
			n /= 2
		}
		st, err := t.stmt(b.tx, n)
		if err != nil {
			return err
		}
		res, err := st.Exec(j.args[done*t.cols : (done+n)*t.cols]...)
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
	b.wait()
	for _, t := range b.tables {
		for _, st := range t.stmts {
			st.Close()
		}
	}
}
