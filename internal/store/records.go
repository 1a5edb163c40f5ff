package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// This file holds the generic store methods for the HUD records (one table
// per HMIS CSV file, records_gen.go). They are package functions because Go
// methods cannot take type parameters:
//
//	c, err := store.FindRecordByID[hmis.Client](ctx, st, id)
//
// Rules that need other rows (one head of household, no overlapping stays)
// belong to the aggregate files (client.go, enrollment.go, ...), which can
// build on the transaction-level helpers below.

// table describes one HUD record table; records_gen.go has one per record type.
type table[T any] struct {
	name   string // SQL table, e.g. "clients"
	entity string // audit entity, e.g. "client"
	kind   string // for messages: "client not found."
	key    string // primary-key column

	// Columns the simple filter may use; "" when the table has none.
	personalID, enrollmentID, projectID string

	insertSQL, selectSQL, updateSQL string

	id   func(*T) *string
	meta func(*T) recordMeta
	args func(*T, *dialect) []any
	scan func(rowScanner) (T, error)
}

// recordMeta points at the trailer columns every HUD record shares.
type recordMeta struct {
	created, updated, deleted *time.Time
	userID                    *string // nil for User records, whose UserID is the key
}

// RecordFilter selects HUD records. Zero fields match everything; a field
// the record type does not have (ProjectID of a Client) is an EINVALID error.
type RecordFilter struct {
	PersonalID     string
	EnrollmentID   string
	ProjectID      string
	IncludeDeleted bool // also return soft-deleted records
	Limit          int  // 0: no limit
	Offset         int
}

// CreateRecord inserts r. An empty ID gets a new one; zero DateCreated and
// DateUpdated become the transaction's time, an empty UserID the actor's.
// r is updated in place.
func CreateRecord[T Record](ctx context.Context, s *Store, r *T) error {
	t := tableOf[T]()
	return s.write(ctx, func(tx *Tx) error {
		if err := insertRecord(tx, t, r); err != nil {
			return err
		}
		return tx.audit("create", t.entity, *t.id(r), "")
	})
}

// CreateRecords inserts rs in one transaction, on one prepared statement,
// and updates them in place as CreateRecord does. For several record types
// at once (imports, the demo generator) use Store.Batch.
func CreateRecords[T Record](ctx context.Context, s *Store, rs []T) error {
	return s.Batch(ctx, func(b *Batch) error {
		for i := range rs {
			if err := Add(b, &rs[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// The three generic reads below (FindRecordByID, FindRecords,
// CountRecords) need an actor in ctx, and on the tables of client data
// (those with a PersonalID: clients, enrollments and every record under
// an enrollment) return only what the actor may see (recordAccess, the
// access rule of the export): a record the actor may not see is "not
// found", and is not counted. Project descriptor tables (organizations,
// projects, funders, ...) are setup data every user sees.

// recordAccess is the access condition on a row (alias t) of table t for
// the transaction's actor: "" when every row is visible.
func recordAccess[T any](tx *Tx, t *table[T]) (string, []any) {
	if t.personalID == "" {
		return "", nil
	}
	today := txToday(tx)
	switch t.name {
	case "clients":
		return clientVisibility(tx.actor, "t", today)
	case "enrollments":
		vis, args := enrollmentCondition(tx.actor, "c", "t", today)
		if vis == "" {
			return "", nil
		}
		return `EXISTS (SELECT 1 FROM clients c WHERE c.personal_id = t.personal_id AND ` + vis + `)`, args
	}
	// A record under an enrollment: the enrollment visible, and the
	// record's own restriction (services, assessments).
	vis, args := enrollmentCondition(tx.actor, "c", "e", today)
	if vis == "" {
		return "", nil
	}
	cond := `EXISTS (SELECT 1 FROM enrollments e JOIN clients c ON c.personal_id = e.personal_id
		WHERE e.enrollment_id = t.enrollment_id AND e.date_deleted IS NULL AND ` + vis + `)`
	if t.name == "services" || t.name == "assessments" {
		tv, targs := transactionVisibility(tx.actor, "t")
		cond, args = cond+` AND `+tv, append(args, targs...)
	}
	return cond, args
}

// visibleWhere is recordWhere on alias t with the actor's access
// condition.
func visibleWhere[T any](tx *Tx, t *table[T], f RecordFilter) (string, []any, error) {
	where, args, err := recordWhere(t, f)
	if err != nil {
		return "", nil, err
	}
	if vis, vargs := recordAccess(tx, t); vis != "" {
		where, args = where+` AND `+vis, append(args, vargs...)
	}
	return where, args, nil
}

// FindRecordByID returns the record with the HUD identifier id. A missing
// or soft-deleted record, or one the actor may not see, is an ENOTFOUND
// error.
func FindRecordByID[T Record](ctx context.Context, s *Store, id string) (T, error) {
	var r T
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return r, errNoActor
	}
	err := s.read(ctx, func(tx *Tx) error {
		t := tableOf[T]()
		vis, vargs := recordAccess(tx, t)
		var err error
		r, err = findRecordWhere(tx, t, id, vis, vargs)
		return err
	})
	return r, err
}

// FindRecords returns the records f selects that the actor may see,
// ordered by identifier.
func FindRecords[T Record](ctx context.Context, s *Store, f RecordFilter) ([]T, error) {
	var out []T
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	err := s.read(ctx, func(tx *Tx) error {
		t := tableOf[T]()
		where, args, err := visibleWhere(tx, t, f)
		if err != nil {
			return err
		}
		out, err = scanRecords(tx, t, t.selectSQL+` t`+where+` ORDER BY t.`+t.key, args, f)
		return err
	})
	return out, err
}

// CountRecords counts the records f selects that the actor may see
// (Limit and Offset ignored).
func CountRecords[T Record](ctx context.Context, s *Store, f RecordFilter) (int, error) {
	var n int
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return 0, errNoActor
	}
	err := s.read(ctx, func(tx *Tx) error {
		t := tableOf[T]()
		where, args, err := visibleWhere(tx, t, f)
		if err != nil {
			return err
		}
		return tx.queryRow(`SELECT COUNT(*) FROM `+t.name+` t`+where, args...).Scan(&n)
	})
	return n, err
}

// UpdateRecord writes every column of r over the stored record with r's
// identifier. DateUpdated becomes the transaction's time and UserID the
// actor's; a zero DateCreated keeps the stored one. A missing or
// soft-deleted record is an ENOTFOUND error. The audit row lists the
// fields that changed (changeDetail: values, but never PII).
func UpdateRecord[T Record](ctx context.Context, s *Store, r *T) error {
	t := tableOf[T]()
	return s.write(ctx, func(tx *Tx) error {
		before, err := findRecord(tx, t, *t.id(r))
		if err != nil {
			return err
		}
		if err := updateRecord(tx, t, r); err != nil {
			return err
		}
		return tx.audit("update", t.entity, *t.id(r), changeDetail(&before, r))
	})
}

// DeleteRecord soft-deletes the record: it sets DateDeleted (HUD's marker,
// exported in delta exports) and keeps the row. A missing or already
// deleted record is an ENOTFOUND error.
func DeleteRecord[T Record](ctx context.Context, s *Store, id string) error {
	t := tableOf[T]()
	return s.write(ctx, func(tx *Tx) error {
		if err := deleteRecord(tx, t, id); err != nil {
			return err
		}
		return tx.audit("delete", t.entity, id, "")
	})
}

// stampNew fills in what a new record needs: an ID, the dates, the UserID.
func stampNew[T any](tx *Tx, t *table[T], r *T) {
	if id := t.id(r); *id == "" {
		*id = NewID()
	}
	m := t.meta(r)
	if m.created.IsZero() {
		*m.created = tx.now
	}
	if m.updated.IsZero() {
		*m.updated = tx.now
	}
	if m.userID != nil && *m.userID == "" {
		*m.userID = tx.actor.UserID
	}
}

func insertRecord[T any](tx *Tx, t *table[T], r *T) error {
	stampNew(tx, t, r)
	args := t.args(r, tx.d)
	if err := tx.s.sealArgs(t.name, args); err != nil {
		return err
	}
	_, err := tx.exec(t.insertSQL, args...)
	return err
}

func findRecord[T any](tx *Tx, t *table[T], id string) (T, error) {
	return findRecordWhere(tx, t, id, "", nil)
}

// findRecordWhere is findRecord with cond (on alias t, "" for none) added.
func findRecordWhere[T any](tx *Tx, t *table[T], id, cond string, args []any) (T, error) {
	q := t.selectSQL + ` t WHERE t.` + t.key + ` = ? AND t.date_deleted IS NULL`
	args = append([]any{id}, args...)
	if cond != "" {
		q += ` AND ` + cond
	}
	r, err := t.scanOpen(tx, tx.queryRow(q, args...))
	return r, one(err, t.kind)
}

// scanOpen scans one row of t and opens its sealed fields (the client's
// SSN: openRecord).
func (t *table[T]) scanOpen(tx *Tx, rs rowScanner) (T, error) {
	r, err := t.scan(rs)
	if err == nil {
		err = tx.s.openRecord(&r)
	}
	return r, err
}

// findRecords is FindRecords inside a transaction, without the access
// condition: for the store's own reads (merges, imports, workflows),
// which decide access themselves.
func findRecords[T any](tx *Tx, t *table[T], f RecordFilter) ([]T, error) {
	where, args, err := recordWhere(t, f)
	if err != nil {
		return nil, err
	}
	return scanRecords(tx, t, t.selectSQL+where+` ORDER BY `+t.key, args, f)
}

// scanRecords runs q (with f's limit and offset) and scans its rows.
func scanRecords[T any](tx *Tx, t *table[T], q string, args []any, f RecordFilter) ([]T, error) {
	if f.Limit > 0 || f.Offset > 0 {
		limit := f.Limit
		if limit <= 0 {
			limit = math.MaxInt32 // SQLite needs a LIMIT before OFFSET
		}
		q += ` LIMIT ` + strconv.Itoa(limit) + ` OFFSET ` + strconv.Itoa(max(f.Offset, 0))
	}
	rows, err := tx.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		r, err := t.scanOpen(tx, rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func recordWhere[T any](t *table[T], f RecordFilter) (string, []any, error) {
	where := ` WHERE 1=1`
	var args []any
	for _, c := range []struct{ col, val, name string }{
		{t.personalID, f.PersonalID, "PersonalID"},
		{t.enrollmentID, f.EnrollmentID, "EnrollmentID"},
		{t.projectID, f.ProjectID, "ProjectID"},
	} {
		if c.val == "" {
			continue
		}
		if c.col == "" {
			return "", nil, hmis.Errorf(hmis.EINVALID, "A %s has no %s to filter by.", t.kind, c.name)
		}
		where += ` AND ` + c.col + ` = ?`
		args = append(args, c.val)
	}
	if !f.IncludeDeleted {
		where += ` AND date_deleted IS NULL`
	}
	return where, args, nil
}

func updateRecord[T any](tx *Tx, t *table[T], r *T) error {
	m := t.meta(r)
	*m.updated = tx.now
	if m.userID != nil && tx.actor.UserID != "" {
		*m.userID = tx.actor.UserID
	}
	args := t.args(r, tx.d)
	if err := tx.s.sealArgs(t.name, args); err != nil {
		return err
	}
	args = append(args[1:], args[0])
	res, err := tx.exec(t.updateSQL, args...)
	if err != nil {
		return err
	}
	return affected(res, t.kind)
}

func deleteRecord[T any](tx *Tx, t *table[T], id string) error {
	q := `UPDATE ` + t.name + ` SET date_deleted = ?, date_updated = ?`
	args := []any{tx.ts(tx.now), tx.ts(tx.now)}
	var probe T
	if t.meta(&probe).userID != nil && tx.actor.UserID != "" {
		q += `, user_id = ?`
		args = append(args, tx.actor.UserID)
	}
	res, err := tx.exec(q+` WHERE `+t.key+` = ? AND date_deleted IS NULL`, append(args, id)...)
	if err != nil {
		return err
	}
	return affected(res, t.kind)
}

func affected(res sql.Result, kind string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound(kind)
	}
	return nil
}

// Query arguments: empty values are NULL.

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt[T ~int](p *T) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

func nullDate(d hmis.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

func nullMoney(m *hmis.Money) any {
	if m == nil {
		return nil
	}
	return float64(*m) / 100
}

// Scan destinations: NULL becomes the empty value.

type stringScanner struct{ p *string }

func (s stringScanner) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.p = ""
	case string:
		*s.p = v
	case []byte:
		*s.p = string(v)
	default:
		return fmt.Errorf("cannot scan %T into a string", src)
	}
	return nil
}

func scanString(p *string) stringScanner { return stringScanner{p} }

type intScanner[T ~int] struct{ p **T }

func (s intScanner[T]) Scan(src any) error {
	var n int64
	switch v := src.(type) {
	case nil:
		*s.p = nil
		return nil
	case int64:
		n = v
	case int32:
		n = int64(v)
	case float64:
		if v != math.Trunc(v) {
			return fmt.Errorf("cannot scan %v into an integer", v)
		}
		n = int64(v)
	case string:
		var err error
		if n, err = strconv.ParseInt(v, 10, 64); err != nil {
			return err
		}
	case []byte:
		var err error
		if n, err = strconv.ParseInt(string(v), 10, 64); err != nil {
			return err
		}
	default:
		return fmt.Errorf("cannot scan %T into an integer", src)
	}
	x := T(n)
	*s.p = &x
	return nil
}

func scanInt[T ~int](p **T) intScanner[T] { return intScanner[T]{p} }

type moneyScanner struct{ p **hmis.Money }

func (s moneyScanner) Scan(src any) error {
	if src == nil {
		*s.p = nil
		return nil
	}
	var m hmis.Money
	if err := m.Scan(src); err != nil {
		return err
	}
	*s.p = &m
	return nil
}

func scanMoney(p **hmis.Money) moneyScanner { return moneyScanner{p} }
