package store

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// dialect is the one place where SQLite and PostgreSQL differ at run time.
// (The schemas differ in the migrations/{sqlite,postgres} files.)
type dialect struct {
	name string // "sqlite" or "postgres"
	// rebound caches queries rewritten from ? to $N placeholders.
	rebound sync.Map
}

const (
	dialectSQLite   = "sqlite"
	dialectPostgres = "postgres"
)

// rebind rewrites the ? placeholders that all store SQL is written with into
// PostgreSQL's $1, $2, ... Question marks inside string literals are left alone.
func (d *dialect) rebind(q string) string {
	if d.name != dialectPostgres {
		return q
	}
	if v, ok := d.rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n, inString := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inString = !inString
			b.WriteByte(c)
		case c == '?' && !inString:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	out := b.String()
	d.rebound.Store(q, out)
	return out
}

// timestampLayout is how SQLite stores date-times: sortable text, HUD's own
// T format plus fractional seconds when present.
const timestampLayout = "2006-01-02 15:04:05.999999"

// ts converts a time to a query argument; the zero time is NULL.
// SQLite gets sortable text, PostgreSQL a TIMESTAMP (wall clock, no zone:
// HUD date-times carry none). Times are stored in UTC.
func (d *dialect) ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	if d.name == dialectSQLite {
		return sqliteTime(t)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// sqliteTime is t.Format(timestampLayout) for a UTC time, without the
// layout interpretation (a bulk import formats millions of times).
func sqliteTime(t time.Time) string {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	if y < 0 || y > 9999 {
		return t.Format(timestampLayout)
	}
	var b [26]byte
	put := func(i, v, n int) {
		for j := i + n - 1; j >= i; j-- {
			b[j] = byte('0' + v%10)
			v /= 10
		}
	}
	put(0, y, 4)
	b[4] = '-'
	put(5, int(mo), 2)
	b[7] = '-'
	put(8, d, 2)
	b[10] = ' '
	put(11, h, 2)
	b[13] = ':'
	put(14, mi, 2)
	b[16] = ':'
	put(17, s, 2)
	ns := t.Nanosecond() / 1000
	if ns == 0 {
		return string(b[:19])
	}
	b[19] = '.'
	put(20, ns, 6)
	n := 26
	for b[n-1] == '0' {
		n--
	}
	return string(b[:n])
}

// nullTime scans a TIMESTAMP (PostgreSQL) or TEXT (SQLite) column into a
// time.Time; NULL becomes the zero time.
type nullTime struct{ t *time.Time }

func (n nullTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*n.t = time.Time{}
	case time.Time:
		*n.t = time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), v.Nanosecond(), time.UTC)
	case string:
		return n.parse(v)
	case []byte:
		return n.parse(string(v))
	default:
		return fmt.Errorf("cannot scan %T into a time", src)
	}
	return nil
}

func (n nullTime) parse(s string) error {
	if t, ok := parseSQLiteTime(s); ok {
		*n.t = t
		return nil
	}
	for _, layout := range []string{timestampLayout, time.RFC3339Nano, hmis.DateLayout} {
		if t, err := time.Parse(layout, s); err == nil {
			*n.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("cannot read %q as a time", s)
}

// parseSQLiteTime reads what sqliteTime writes ("2006-01-02 15:04:05"
// and up to nine fractional digits) without time.Parse: the report loader
// reads two date-times a row (docs/PERFORMANCE.md). ok is false for
// anything else, which nullTime.parse leaves to time.Parse.
func parseSQLiteTime(s string) (time.Time, bool) {
	if len(s) < 19 || len(s) == 20 || len(s) > 29 || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	d, err := hmis.ParseDate(s[:10])
	if err != nil || d.IsZero() {
		return time.Time{}, false
	}
	num := func(a, b int) int {
		n := 0
		for i := a; i < b; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	h, mi, sec := num(11, 13), num(14, 16), num(17, 19)
	if h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	ns := 0
	if len(s) > 19 {
		if s[19] != '.' {
			return time.Time{}, false
		}
		if ns = num(20, len(s)); ns < 0 {
			return time.Time{}, false
		}
		for i := len(s) - 20; i < 9; i++ {
			ns *= 10
		}
	}
	y, m, dd := d.Time().Date()
	return time.Date(y, m, dd, h, mi, sec, ns, time.UTC), true
}

// scanTime returns a scan destination for a nullable time column.
func scanTime(t *time.Time) nullTime { return nullTime{t} }

// translate turns driver errors into *hmis.Error by error code, never by
// message text. Others pass through unchanged.
func (d *dialect) translate(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &hmis.Error{Code: hmis.ECONFLICT, Message: "A record with this identifier already exists."}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &hmis.Error{Code: hmis.EINVALID, Message: "A record this one refers to does not exist."}
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_READONLY_DBMOVED, sqlite3.SQLITE_CANTOPEN:
			return fmt.Errorf("the database file cannot be written: %w", err)
		}
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return &hmis.Error{Code: hmis.ECONFLICT, Message: "A record with this identifier already exists."}
		case "23503":
			return &hmis.Error{Code: hmis.EINVALID, Message: "A record this one refers to does not exist."}
		}
	}
	return err
}

// Bulk loads (Batch in import mode) need two things the databases answer
// differently: a cheap way to count the rows an import inserted into a
// table that was not empty, and the secondary indexes worth rebuilding
// after loading into an empty table.

// insertMarkSQL returns the query for a table's mark before an import
// writes to it, and insertedSQL the query that counts, given that mark,
// the rows inserted since. SQLite: the largest rowid (new rows get larger
// ones, an upsert keeps its row's), so only the new rows are counted.
// PostgreSQL: the row count, before and after.
func (d *dialect) insertMarkSQL(table string) string {
	if d.name == dialectSQLite {
		return `SELECT COALESCE(MAX(rowid), 0) FROM ` + table
	}
	return `SELECT COUNT(*) FROM ` + table
}

func (d *dialect) insertedSQL(table string) string {
	if d.name == dialectSQLite {
		return `SELECT COUNT(*) FROM ` + table + ` WHERE rowid > ?`
	}
	return `SELECT COUNT(*) - ? FROM ` + table
}

// indexDef is a secondary index: its name and the statement that makes it.
type indexDef struct{ name, sql string }

// deferrableIndexes returns the secondary indexes of an empty table that a
// bulk load should drop and build again once loaded: one sorted build is
// far cheaper than millions of inserts at random places (the HUD keys of
// imported records are hashes, docs/hmis-csv-ids.md). SQLite only: its
// transactional DDL keeps readers on the old snapshot, while PostgreSQL's
// DROP INDEX would lock readers out of the table until the import commits.
// Primary keys and UNIQUE constraints are never dropped (SQLite's autoindexes
// have no SQL).
func (d *dialect) deferrableIndexes(tx *Tx, table string) ([]indexDef, error) {
	if d.name != dialectSQLite {
		return nil, nil
	}
	rows, err := tx.query(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL
		AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []indexDef
	for rows.Next() {
		var ix indexDef
		if err := rows.Scan(&ix.name, &ix.sql); err != nil {
			return nil, err
		}
		out = append(out, ix)
	}
	return out, rows.Err()
}

// unindexed returns col so that the planner will not use an index on it
// for the condition it is in (SQLite: a unary plus). The export pages
// through each table in key order (exportTable); given `date_deleted IS
// NULL`, SQLite otherwise picks the narrow *_live index of migration 0003
// and sorts every live row again for each page of 5,000: quadratic, hours
// at 1,000,000 clients. PostgreSQL plans by cost and needs no hint.
func (d *dialect) unindexed(col string) string {
	if d.name == dialectSQLite {
		return "+" + col
	}
	return col
}
