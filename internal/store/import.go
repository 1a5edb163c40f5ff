package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// This file is the store side of HMIS CSV imports: one write transaction
// that upserts records of every type (Batch in upsert mode), assigns
// imported clients an organization, and keeps the import's record. The
// CSV side (reading, validation, ID mapping) is internal/transfer's.

// SourceRecordID returns Hearth's identifier for the record a source knows
// as hudID: the first 32 hexadecimal characters of
// SHA-256(sourceKey NUL kind NUL hudID). kind is the record's CSV file
// without ".csv" ("Client", "Enrollment", "Services", ...), or "Household"
// for HouseholdIDs. The same export imported twice maps to the same rows;
// two sources' IDs never collide. See docs/hmis-csv-ids.md.
func SourceRecordID(sourceKey, kind, hudID string) string {
	// One buffer on the stack for short IDs (an import hashes several per
	// record): no hasher, no intermediate strings.
	var small [128]byte
	buf := append(append(append(append(append(small[:0], sourceKey...), 0), kind...), 0), hudID...)
	sum := sha256.Sum256(buf)
	var out [32]byte
	hex.Encode(out[:], sum[:16])
	return string(out[:])
}

// Client sharing restrictions (clients.restriction). Issue 6 gives them
// their full meaning; imports and AssignClientOrganizations set them.
const (
	RestrictionOrganization = "organization" // seen by the owning organization only
	RestrictionRelease      = "release"      // shared as the client's releases allow
	RestrictionGlobal       = "global"       // seen by every organization of the site
)

// Import statuses (imports.status).
const (
	ImportRunning  = "running"  // started, not finished (or interrupted)
	ImportImported = "imported" // committed
	ImportDryRun   = "dry_run"  // validated and rolled back on purpose
	ImportRejected = "rejected" // the report had errors: nothing written
	ImportFailed   = "failed"   // reading or writing failed: nothing written
)

// Source is a system that exports come from (the sources table).
type Source struct {
	Key         string // normalized; part of every imported record's ID
	SourceID    string // Export.SourceID as last imported
	Name        string // Export.SourceName or --source
	FirstImport time.Time
	LastImport  time.Time
}

// ImportOptions describe one import.
type ImportOptions struct {
	Source   Source // Key is required
	FileName string // the uploaded or given file, for the record and the audit
	// Sharing is the restriction imported clients get with their
	// organization: RestrictionOrganization (default) or RestrictionGlobal.
	Sharing string
	DryRun  bool // validate and count, then roll back
}

// ImportOutcome is what the caller's reader learned: the validation
// report's totals and its text, kept with the import record.
type ImportOutcome struct {
	Errors, Warnings int
	Report           string
	// Dropped counts the rows left out by hearth import
	// --drop-invalid-rows, by CSV file ("Enrollment.csv"); kept with the
	// import's record and named in its audit entry.
	Dropped map[string]int
}

// droppedTotal sums dropped rows: 76.
func droppedTotal(m map[string]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

// droppedText lists dropped rows by file: "Disabilities.csv 1, Enrollment.csv 75".
func droppedText(m map[string]int) string {
	parts := make([]string, 0, len(m))
	for _, f := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %d", f, m[f]))
	}
	return strings.Join(parts, ", ")
}

// TableStats counts one table's rows in an import.
type TableStats struct {
	Table     string `json:"table"`  // SQL table, e.g. "clients"
	Entity    string `json:"entity"` // e.g. "client"
	Received  int    `json:"received"`
	Inserted  int    `json:"inserted"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"` // already there with the same or a newer DateUpdated
}

// ImportStats is what an import did (or, for a dry run or a rejected
// import, would have done).
type ImportStats struct {
	ImportID                              string
	Status                                string
	Tables                                []TableStats // in the order first written
	Records, Inserted, Updated, Unchanged int
	ClientsAssigned                       int // clients given their earliest enrollment's organization
}

func (st *ImportStats) total() {
	st.Records, st.Inserted, st.Updated, st.Unchanged = 0, 0, 0, 0
	for _, t := range st.Tables {
		st.Records += t.Received
		st.Inserted += t.Inserted
		st.Updated += t.Updated
		st.Unchanged += t.Unchanged
	}
}

// maxReport caps the report kept with an import record.
const maxReport = 16 << 20

// errRollback ends the data transaction without writing (dry run, errors).
var errRollback = errors.New("store: import rolled back")

// Import runs one import. fn reads the records and passes each one to add
// (parents before children: HUD's file order); records keep their IDs,
// dates and UserID. A record whose ID exists replaces the stored one only
// when its DateUpdated is newer, so importing the same export twice
// changes nothing. fn returns the validation outcome.
//
// Everything happens in one write transaction, committed only when fn
// succeeds, the outcome has no errors and this is not a dry run. The
// import's record (imports table) is kept in every case; a committed
// import also updates its source, gives its clients without an
// organization the organization of their earliest enrollment's project
// and the Sharing restriction, and writes one audit row. Only
// administrators and the system may import.
//
// A rejected import or a dry run returns nil error and stats whose Status
// says so; a failure returns the error (and status ImportFailed).
func (s *Store) Import(ctx context.Context, opt ImportOptions, fn func(add func(rec any) error) (ImportOutcome, error)) (ImportStats, error) {
	var stats ImportStats
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return stats, errNoActor
	}
	if !actor.System && actor.Role != hmis.RoleAdmin {
		return stats, &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only HMIS administrators may import data."}
	}
	opt.Source.Key = strings.TrimSpace(opt.Source.Key)
	if opt.Source.Key == "" {
		return stats, &hmis.Error{Code: hmis.EINVALID, Message: "The import has no source: name one."}
	}
	switch opt.Sharing {
	case "":
		opt.Sharing = RestrictionOrganization
	case RestrictionOrganization, RestrictionGlobal:
	default:
		return stats, hmis.Errorf(hmis.EINVALID, "Unknown sharing %q (want %s or %s).", opt.Sharing, RestrictionOrganization, RestrictionGlobal)
	}
	stats.ImportID = NewID()
	stats.Status = ImportRunning
	err := s.write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`INSERT INTO imports (id, source_key, file_name, actor, account_id, started, dry_run, status)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			stats.ImportID, opt.Source.Key, opt.FileName, tx.actor.String(), tx.actor.AccountID, tx.ts(tx.now), opt.DryRun, ImportRunning)
		return err
	})
	if err != nil {
		return stats, err
	}

	var outcome ImportOutcome
	err = s.writeUnchecked(ctx, func(tx *Tx, unchecked bool) error {
		b, err := newBatch(tx, true)
		if err != nil {
			return err
		}
		b.unchecked = unchecked
		defer b.close()
		im := &importer{ctx: ctx, b: b}
		if outcome, err = fn(im.add); err != nil {
			return err
		}
		if im.err == nil {
			im.err = b.Flush()
		}
		if im.err == nil {
			stats.Tables, im.err = b.importStats()
			stats.total()
		}
		switch {
		case outcome.Errors > 0:
			return errRollback // the report says why, better than a failed statement
		case im.err != nil:
			return im.err
		}
		if err := b.checkForeignKeys(); err != nil {
			return err
		}
		switch {
		case opt.DryRun:
			return errRollback
		}
		if err := b.finishLoad(); err != nil {
			return err
		}
		clients := im.clients
		if ct := b.byName["clients"]; ct != nil && ct.empty {
			clients = nil // every client is this import's: one statement for all
		}
		if stats.ClientsAssigned, err = tx.assignClientOrganizations(clients, len(im.clients) > 0, opt.Sharing); err != nil {
			return err
		}
		// Programs with beds on the board keep the inventory computed from them.
		if err := tx.computeBedBoardInventory(); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO sources (key, source_id, name, first_import, last_import) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET source_id = excluded.source_id, name = excluded.name, last_import = excluded.last_import`,
			opt.Source.Key, opt.Source.SourceID, opt.Source.Name, tx.ts(tx.now), tx.ts(tx.now)); err != nil {
			return err
		}
		stats.Status = ImportImported
		if err := tx.finishImport(stats, outcome, ""); err != nil {
			return err
		}
		msg := fmt.Sprintf("%s from source %q: %d records (%d new, %d updated, %d unchanged), %d warnings",
			opt.FileName, opt.Source.Key, stats.Records, stats.Inserted, stats.Updated, stats.Unchanged, outcome.Warnings)
		if n := droppedTotal(outcome.Dropped); n > 0 {
			msg += fmt.Sprintf(", %d invalid rows dropped (%s)", n, droppedText(outcome.Dropped))
		}
		return tx.audit("import", "import", stats.ImportID, msg)
	})
	if err == nil {
		return stats, nil
	}
	var msg string
	switch {
	case errors.Is(err, errRollback) && opt.DryRun && outcome.Errors == 0:
		stats.Status = ImportDryRun
	case errors.Is(err, errRollback):
		stats.Status = ImportRejected
	default:
		stats.Status = ImportFailed
		msg = err.Error()
	}
	// The data transaction is gone; the record of the attempt stays. A
	// cancelled context still gets its record written.
	werr := s.write(context.WithoutCancel(ctx), func(tx *Tx) error { return tx.finishImport(stats, outcome, msg) })
	if stats.Status == ImportFailed {
		return stats, err
	}
	return stats, werr
}

// finishImport completes the import's record.
func (tx *Tx) finishImport(stats ImportStats, o ImportOutcome, msg string) error {
	// counts is the table stats as a JSON array, or, when rows were
	// dropped, an object with both (no schema change: scanImport reads either).
	var counts []byte
	var err error
	if len(o.Dropped) > 0 {
		counts, err = json.Marshal(importCounts{Tables: stats.Tables, Dropped: o.Dropped})
	} else {
		counts, err = json.Marshal(stats.Tables)
	}
	if err != nil {
		return err
	}
	report := o.Report
	if len(report) > maxReport {
		report = report[:maxReport] + "\n(report truncated)\n"
	}
	_, err = tx.exec(`UPDATE imports SET finished = ?, status = ?, records = ?, inserted = ?, updated = ?, unchanged = ?,
		errors = ?, warnings = ?, counts = ?, message = ?, report = ? WHERE id = ?`,
		tx.ts(tx.now), stats.Status, stats.Records, stats.Inserted, stats.Updated, stats.Unchanged,
		o.Errors, o.Warnings, string(counts), msg, report, stats.ImportID)
	return err
}

// importStats counts what the batch did, table by table, after its last
// flush. Into an empty table every row written was inserted (the reader
// rejects duplicate keys); otherwise the dialect counts the rows past the
// table's insert mark.
func (b *Batch) importStats() ([]TableStats, error) {
	out := make([]TableStats, 0, len(b.tables))
	for _, t := range b.tables {
		ins := int(t.written)
		if !t.empty {
			if err := b.tx.queryRow(b.tx.d.insertedSQL(t.name), t.mark).Scan(&ins); err != nil {
				return nil, err
			}
		}
		out = append(out, TableStats{Table: t.name, Entity: t.entity, Received: t.count, Inserted: ins,
			Updated: int(t.written) - ins, Unchanged: t.count - int(t.written)})
	}
	return out, nil
}

// upsertClause turns a table's INSERT into an import upsert: an existing
// row takes every incoming column, but only when the incoming DateUpdated
// is newer. Both SQLite (3.24+) and PostgreSQL accept it on multi-row VALUES.
func upsertClause(insertSQL, table, key string) string {
	cols := insertSQL[strings.Index(insertSQL, "(")+1 : strings.Index(insertSQL, ")")]
	var set []string
	for _, c := range strings.Split(cols, ", ") {
		if c != key {
			set = append(set, c+" = excluded."+c)
		}
	}
	return " ON CONFLICT (" + key + ") DO UPDATE SET " + strings.Join(set, ", ") +
		" WHERE excluded.date_updated > " + table + ".date_updated"
}

// stampImported fills in only what an imported record lacks: an ID, and
// a missing DateCreated or DateUpdated from the other (both missing: the
// transaction's time). The UserID stays as the source wrote it.
func stampImported[T any](tx *Tx, t *table[T], r *T) {
	if id := t.id(r); *id == "" {
		*id = NewID()
	}
	m := t.meta(r)
	switch {
	case m.created.IsZero() && m.updated.IsZero():
		*m.created, *m.updated = tx.now, tx.now
	case m.updated.IsZero():
		*m.updated = *m.created
	case m.created.IsZero():
		*m.created = *m.updated
	}
}

// importer passes records of any type to the batch.
//
// A database error (a duplicate key within one statement, a foreign key
// the reader let through) does not stop the reader: add keeps the first
// one and skips later records, so the caller still gets a whole report;
// Import returns the error when the report has no errors to explain it.
type importer struct {
	ctx     context.Context
	b       *Batch
	err     error    // the first database error
	clients []string // PersonalIDs imported, for the organization assignment
}

func (im *importer) add(rec any) error {
	if err := im.ctx.Err(); err != nil {
		return err
	}
	if im.err != nil {
		return nil
	}
	im.err = im.addRecord(rec)
	return nil
}

func (im *importer) addRecord(rec any) error {
	b := im.b
	switch r := rec.(type) {
	case *hmis.Organization:
		return Add(b, r)
	case *hmis.User:
		return Add(b, r)
	case *hmis.Project:
		return Add(b, r)
	case *hmis.Funder:
		return Add(b, r)
	case *hmis.ProjectCoC:
		return Add(b, r)
	case *hmis.Inventory:
		return Add(b, r)
	case *hmis.Affiliation:
		return Add(b, r)
	case *hmis.HMISParticipation:
		return Add(b, r)
	case *hmis.CEParticipation:
		return Add(b, r)
	case *hmis.Client:
		if err := Add(b, r); err != nil {
			return err
		}
		im.clients = append(im.clients, r.PersonalID)
		return nil
	case *hmis.Enrollment:
		return Add(b, r)
	case *hmis.Exit:
		return Add(b, r)
	case *hmis.IncomeBenefits:
		return Add(b, r)
	case *hmis.HealthAndDV:
		return Add(b, r)
	case *hmis.EmploymentEducation:
		return Add(b, r)
	case *hmis.Disability:
		return Add(b, r)
	case *hmis.Service:
		return Add(b, r)
	case *hmis.CurrentLivingSituation:
		return Add(b, r)
	case *hmis.Assessment:
		return Add(b, r)
	case *hmis.AssessmentQuestion:
		return Add(b, r)
	case *hmis.AssessmentResult:
		return Add(b, r)
	case *hmis.Event:
		return Add(b, r)
	case *hmis.YouthEducationStatus:
		return Add(b, r)
	case *hmis.Export:
		return nil // exports are not stored as records
	}
	return fmt.Errorf("store: cannot import a %T", rec)
}

// assignOrgSQL gives a client without an organization the organization of
// the project of its earliest live enrollment (ties: earliest created,
// then lowest ID). NULL entry dates sort last on both databases.
const assignOrgSQL = `UPDATE clients SET organization_id = (
		SELECT p.organization_id FROM enrollments e JOIN projects p ON p.project_id = e.project_id
		WHERE e.personal_id = clients.personal_id AND e.date_deleted IS NULL AND p.organization_id IS NOT NULL
		ORDER BY e.entry_date IS NULL, e.entry_date, e.date_created, e.enrollment_id LIMIT 1)%s
	WHERE organization_id IS NULL AND EXISTS (
		SELECT 1 FROM enrollments e JOIN projects p ON p.project_id = e.project_id
		WHERE e.personal_id = clients.personal_id AND e.date_deleted IS NULL AND p.organization_id IS NOT NULL)`

// assignClientOrganizations runs assignOrgSQL for the given clients, in
// chunks, also setting their restriction; with no IDs and all set, for
// every client without an organization (an import into an empty table).
func (tx *Tx) assignClientOrganizations(ids []string, all bool, restriction string) (int, error) {
	const chunk = 500
	q := fmt.Sprintf(assignOrgSQL, ", restriction = ?")
	if len(ids) == 0 && all {
		res, err := tx.exec(q, restriction)
		if err != nil {
			return 0, err
		}
		k, err := res.RowsAffected()
		return int(k), err
	}
	total := 0
	for len(ids) > 0 {
		n := min(chunk, len(ids))
		args := make([]any, 0, n+1)
		args = append(args, restriction)
		for _, id := range ids[:n] {
			args = append(args, id)
		}
		res, err := tx.exec(q+` AND personal_id IN (?`+strings.Repeat(", ?", n-1)+`)`, args...)
		if err != nil {
			return total, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return total, err
		}
		total += int(k)
		ids = ids[n:]
	}
	return total, nil
}

// AssignClientOrganizations gives every client without an organization the
// organization of its earliest enrollment's project (restriction
// unchanged), and returns how many it assigned. Data created outside an
// import (the demo generator) calls it once loaded.
func (s *Store) AssignClientOrganizations(ctx context.Context) (int, error) {
	var n int
	err := s.write(ctx, func(tx *Tx) error {
		res, err := tx.exec(fmt.Sprintf(assignOrgSQL, ""))
		if err != nil {
			return err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n = int(k); n == 0 {
			return nil
		}
		return tx.audit("update", "client", "", fmt.Sprintf("%d clients assigned an organization", n))
	})
	return n, err
}

// ImportRecord is one row of the imports table.
type ImportRecord struct {
	ID, SourceKey, FileName, Actor, AccountID string
	Started, Finished                         time.Time
	DryRun                                    bool
	Status                                    string
	Records, Inserted, Updated, Unchanged     int
	Errors, Warnings                          int
	Tables                                    []TableStats
	Dropped                                   map[string]int // rows left out by --drop-invalid-rows, by CSV file
	Message                                   string         // why a failed import failed
	Report                                    string         // the validation report (FindImportByID only)
}

// DroppedRows is the number of rows the import left out (--drop-invalid-rows).
func (r *ImportRecord) DroppedRows() int { return droppedTotal(r.Dropped) }

// DroppedText lists them by file: "Disabilities.csv 1, Enrollment.csv 75".
func (r *ImportRecord) DroppedText() string { return droppedText(r.Dropped) }

// importCounts is imports.counts when rows were dropped.
type importCounts struct {
	Tables  []TableStats   `json:"tables"`
	Dropped map[string]int `json:"dropped"`
}

// requireAdmin fails unless the actor in ctx is an administrator or the system.
func requireAdmin(ctx context.Context) error {
	a, ok := hmis.ActorFrom(ctx)
	if !ok {
		return errNoActor
	}
	if !a.System && a.Role != hmis.RoleAdmin {
		return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only HMIS administrators may see imports."}
	}
	return nil
}

const importCols = `id, source_key, file_name, actor, account_id, started, finished, dry_run, status,
	records, inserted, updated, unchanged, errors, warnings, counts, message`

func scanImport(sc rowScanner, withReport bool) (ImportRecord, error) {
	var r ImportRecord
	var counts string
	dest := []any{&r.ID, &r.SourceKey, &r.FileName, &r.Actor, &r.AccountID, scanTime(&r.Started), scanTime(&r.Finished),
		&r.DryRun, &r.Status, &r.Records, &r.Inserted, &r.Updated, &r.Unchanged, &r.Errors, &r.Warnings, &counts, &r.Message}
	if withReport {
		dest = append(dest, &r.Report)
	}
	if err := sc.Scan(dest...); err != nil {
		return r, err
	}
	switch {
	case strings.HasPrefix(counts, "{"):
		var c importCounts
		if err := json.Unmarshal([]byte(counts), &c); err != nil {
			return r, err
		}
		r.Tables, r.Dropped = c.Tables, c.Dropped
	case counts != "":
		if err := json.Unmarshal([]byte(counts), &r.Tables); err != nil {
			return r, err
		}
	}
	return r, nil
}

// FindImports returns the latest imports, newest first, without their
// reports. Administrators only.
func (s *Store) FindImports(ctx context.Context, limit int) ([]ImportRecord, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	var out []ImportRecord
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT `+importCols+` FROM imports ORDER BY started DESC, id LIMIT ?`, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanImport(rows, false)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// FindImportByID returns one import with its report. Administrators only.
func (s *Store) FindImportByID(ctx context.Context, id string) (ImportRecord, error) {
	if err := requireAdmin(ctx); err != nil {
		return ImportRecord{}, err
	}
	var r ImportRecord
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		r, err = scanImport(tx.queryRow(`SELECT `+importCols+`, report FROM imports WHERE id = ?`, id), true)
		return one(err, "import")
	})
	return r, err
}

// FindSources returns the sources imports came from, by key.
func (s *Store) FindSources(ctx context.Context) ([]Source, error) {
	var out []Source
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT key, source_id, name, first_import, last_import FROM sources ORDER BY key`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var src Source
			if err := rows.Scan(&src.Key, &src.SourceID, &src.Name, scanTime(&src.FirstImport), scanTime(&src.LastImport)); err != nil {
				return err
			}
			out = append(out, src)
		}
		return rows.Err()
	})
	return out, err
}

// startLoad prepares a table for an import's rows: it notes whether the
// table is empty, and if not its insert mark for importStats (never a
// COUNT(*) of a large table); an empty table loses its secondary indexes
// until finishLoad, where the dialect says that pays.
func (b *Batch) startLoad(t *bulkTable) error {
	if err := b.tx.queryRow(`SELECT NOT EXISTS (SELECT 1 FROM ` + t.name + `)`).Scan(&t.empty); err != nil {
		return err
	}
	if !t.empty {
		return b.tx.queryRow(b.tx.d.insertMarkSQL(t.name)).Scan(&t.mark)
	}
	ixs, err := b.tx.d.deferrableIndexes(b.tx, t.name)
	if err != nil {
		return err
	}
	for _, ix := range ixs {
		if _, err := b.tx.exec(`DROP INDEX ` + ix.name); err != nil {
			return err
		}
		t.dropped = append(t.dropped, ix)
	}
	return nil
}

// checkForeignKeys checks, when the batch wrote with foreign keys not
// enforced (Store.writeUnchecked: SQLite), every foreign key of every table
// it wrote, in one pass per table (PRAGMA foreign_key_check), before the
// transaction commits; it fails as the insert would have, with the first
// record that refers to a missing one named. Imports write only HUD
// tables, whose rows refer to HUD tables, and change no key a row of
// another table refers to.
func (b *Batch) checkForeignKeys() error {
	if !b.unchecked {
		return nil
	}
	for _, t := range b.tables {
		var (
			n                     int
			rowid                 int64
			child, parent, fromTo string
			fkid                  int
		)
		rows, err := b.tx.query(`PRAGMA foreign_key_check(` + t.name + `)`)
		if err != nil {
			return err
		}
		for rows.Next() {
			if n == 0 {
				if err := rows.Scan(&child, &rowid, &parent, &fkid); err != nil {
					rows.Close()
					return err
				}
			}
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if n == 0 {
			continue
		}
		var key, col, val string
		if err := b.tx.queryRow(`SELECT "from" FROM pragma_foreign_key_list(?) WHERE id = ?`, t.name, fkid).Scan(&col); err == nil {
			fromTo = col
			b.tx.queryRow(`SELECT `+t.key+`, COALESCE(CAST(`+col+` AS TEXT), '') FROM `+t.name+` WHERE rowid = ?`, rowid).Scan(&key, &val)
		}
		return &hmis.Error{Code: hmis.EINVALID, Message: fmt.Sprintf(
			"A record this one refers to does not exist: %s %s has %s %q, not in %s (%d such references in %s).",
			t.entity, key, fromTo, val, parent, n, t.name)}
	}
	return nil
}

// importSortThreads is PRAGMA threads for finishLoad's index builds.
const importSortThreads = 2

// finishLoad builds the indexes startLoad dropped, once every row is written.
func (b *Batch) finishLoad() error {
	if b.upsert && b.tx.d.name == dialectSQLite {
		// The sorter of the index builds may use a second thread.
		if _, err := b.tx.exec(`PRAGMA threads = ` + strconv.Itoa(importSortThreads)); err != nil {
			return err
		}
		defer b.tx.exec(`PRAGMA threads = 0`)
	}
	for _, t := range b.tables {
		for _, ix := range t.dropped {
			if _, err := b.tx.exec(ix.sql); err != nil {
				return err
			}
		}
		t.dropped = nil
	}
	return nil
}
