package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/search"
)

// Duplicates (issue 4 item 8): the administrator's queue of likely
// duplicate pairs across the whole site, merging two client records and
// undoing a merge (migration 0009).
//
// Pairs come from the candidate index (search.go): two live clients filed
// under a common key are scored with the search matcher, one client's
// record read as the query (its SSN opened in memory with the site key,
// ssn.go) and the other as the record, both ways, the better counting. A pair
// scoring at least search.DuplicateThreshold is listed, unless an
// administrator marked it "not a duplicate" (duplicate_dismissals). Keys
// that name more than maxDuplicateBlock clients (a common surname) are
// skipped: the pairs they hold also share a more selective key when they
// are likely duplicates (name with DOB, SSN).
//
// A merge moves, in one transaction, every row whose personal_id is the
// merged client (every HUD table that carries PersonalID, case notes,
// releases) to the kept client, recording each moved row (table, primary
// key) in client_merge_rows, and soft-deletes the merged client (never a
// hard delete). The index triggers drop it from search. Undoing a merge
// moves exactly the recorded rows back and clears date_deleted.
//
// Everything here is for HMIS administrators (and the system) only:
// anybody else gets EFORBIDDEN; the web pages answer them 404.

const (
	// maxDuplicateBlock: keys naming more clients than this are not
	// paired (see above).
	maxDuplicateBlock = 50
	// DefaultDuplicateLimit is how many pairs FindDuplicatePairs returns
	// by default (one page of the queue).
	DefaultDuplicateLimit = 100
)

// mergeTables are the tables whose rows follow a client's personal_id,
// with their primary-key column. HUD tables come from records_gen.go.
type mergeTable struct {
	name, key string
	hud       bool // a HUD table: date_updated follows the move
}

var mergeTables = func() []mergeTable {
	var out []mergeTable
	add := func(name, key, pid string, hud bool) {
		if pid != "" {
			out = append(out, mergeTable{name, key, hud})
		}
	}
	add(enrollmentTable.name, enrollmentTable.key, enrollmentTable.personalID, true)
	add(exitTable.name, exitTable.key, exitTable.personalID, true)
	add(incomeBenefitsTable.name, incomeBenefitsTable.key, incomeBenefitsTable.personalID, true)
	add(healthAndDVTable.name, healthAndDVTable.key, healthAndDVTable.personalID, true)
	add(employmentEducationTable.name, employmentEducationTable.key, employmentEducationTable.personalID, true)
	add(disabilityTable.name, disabilityTable.key, disabilityTable.personalID, true)
	add(serviceTable.name, serviceTable.key, serviceTable.personalID, true)
	add(currentLivingSituationTable.name, currentLivingSituationTable.key, currentLivingSituationTable.personalID, true)
	add(assessmentTable.name, assessmentTable.key, assessmentTable.personalID, true)
	add(assessmentQuestionTable.name, assessmentQuestionTable.key, assessmentQuestionTable.personalID, true)
	add(assessmentResultTable.name, assessmentResultTable.key, assessmentResultTable.personalID, true)
	add(eventTable.name, eventTable.key, eventTable.personalID, true)
	add(youthEducationStatusTable.name, youthEducationStatusTable.key, youthEducationStatusTable.personalID, true)
	add("case_notes", "id", "personal_id", false)
	add("releases", "id", "personal_id", false)
	add("calendar_attendees", "id", "personal_id", false) // calendar.go
	return out
}()

// mergeTableKey returns the primary-key column of a merge table, or "".
func mergeTableKey(name string) string {
	for _, t := range mergeTables {
		if t.name == name {
			return t.key
		}
	}
	return ""
}

// DuplicateClient is one side of a duplicate pair.
type DuplicateClient struct {
	PersonalID                      string
	FirstName, MiddleName, LastName string
	DOB                             hmis.Date
}

// DuplicatePair is two live clients that are likely the same person.
type DuplicatePair struct {
	A, B   DuplicateClient // A.PersonalID < B.PersonalID
	Score  float64
	Reason string
}

// ClientMerge is one merge, done or undone.
type ClientMerge struct {
	ID               string
	Kept, Merged     DuplicateClient
	Actor, AccountID string
	At               time.Time
	Reason           string
	Moved            int       // rows moved
	UndoneAt         time.Time // zero while in force
	UndoneBy         string
	Filled           []string // MergeClients: the kept record's empty fields filled from the merged one
}

// requireDuplicateAdmin fails unless the actor is an administrator or the system.
func requireDuplicateAdmin(ctx context.Context) (hmis.Actor, error) {
	a, ok := hmis.ActorFrom(ctx)
	if !ok {
		return a, errNoActor
	}
	if !a.System && a.Role != hmis.RoleAdmin {
		return a, &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only HMIS administrators may review and merge duplicate clients."}
	}
	return a, nil
}

// dupRec is a live indexed client as the pair scorer reads it.
type dupRec struct {
	c   DuplicateClient
	rec search.Record
	ssn string
	m   *search.Matcher
}

// RefreshDuplicatePairs computes the likely duplicate pairs of the whole
// site and stores them (duplicate_pairs, migration 0012), replacing the
// last computation, and returns how many it found. It runs in the
// background (hearth serve: at start and whenever clients changed, after
// each web import, on an administrator's "Recompute now"; hearth import
// after an import); the queue page only reads the stored pairs. Runs on
// one store never overlap: a run that finds another under way waits for
// it and returns its count. Audited ("duplicates.refresh", the count).
func (s *Store) RefreshDuplicatePairs(ctx context.Context) (int, error) {
	if _, err := requireDuplicateAdmin(ctx); err != nil {
		return 0, err
	}
	s.dupMu.Lock()
	defer s.dupMu.Unlock()
	if _, err := s.RefreshClientSearch(ctx); err != nil {
		return 0, fmt.Errorf("client search index: %w", err)
	}
	started := s.now().UTC()
	marker, err := s.clientsMarker(ctx)
	if err != nil {
		return 0, err
	}
	key, err := s.clientSearchKey(ctx)
	if err != nil {
		return 0, err
	}
	type pk struct{ a, b int64 }
	pairs := map[pk]bool{}
	recs := map[int64]*dupRec{}
	err = s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT k, client_id FROM client_search_keys WHERE k IN (
				SELECT k FROM client_search_keys GROUP BY k HAVING COUNT(*) BETWEEN 2 AND ` + strconv.Itoa(maxDuplicateBlock) + `)
			ORDER BY k, client_id`)
		if err != nil {
			return err
		}
		var block []int64
		var cur int64
		flush := func() {
			for i := range block {
				for j := i + 1; j < len(block); j++ {
					pairs[pk{block[i], block[j]}] = true
				}
			}
			block = block[:0]
		}
		for rows.Next() {
			var k, id int64
			if err := rows.Scan(&k, &id); err != nil {
				rows.Close()
				return err
			}
			if len(block) > 0 && k != cur {
				flush()
			}
			cur = k
			block = append(block, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		flush()
		for p := range pairs {
			recs[p.a], recs[p.b] = nil, nil
		}
		ids := make([]any, 0, len(recs))
		for id := range recs {
			ids = append(ids, id)
		}
		// CROSS JOIN keeps client_search (by id) the outer loop: SQLite
		// otherwise walked every live client through clients_live for each
		// chunk (52 s instead of 0.2 s for the 10,606 clients of the LSA
		// sample; the search reads the same way, store/search.go).
		for start := 0; start < len(ids); start += 500 {
			chunk := ids[start:min(start+500, len(ids))]
			rows, err := tx.query(`SELECT cs.id, c.personal_id, c.first_name, c.middle_name, c.last_name, c.dob, c.ssn,
					cs.ssn_digest, cs.ssn4_digest
				FROM client_search cs CROSS JOIN clients c
				WHERE c.personal_id = cs.personal_id AND c.date_deleted IS NULL AND cs.id IN (`+placeholders(len(chunk))+`)`, chunk...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int64
				r := &dupRec{}
				if err := rows.Scan(&id, &r.c.PersonalID, scanString(&r.c.FirstName), scanString(&r.c.MiddleName),
					scanString(&r.c.LastName), &r.c.DOB, scanString(&r.ssn), &r.rec.SSNDigest, &r.rec.SSN4Digest); err != nil {
					rows.Close()
					return err
				}
				r.rec.First, r.rec.Middle, r.rec.Last, r.rec.DOB = r.c.FirstName, r.c.MiddleName, r.c.LastName, r.c.DOB
				// The SSN is the pair's query: opened in memory only.
				if r.ssn, err = s.openSSN(r.c.PersonalID, r.ssn); err != nil {
					rows.Close()
					return err
				}
				recs[id] = r
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	matcher := func(r *dupRec) *search.Matcher {
		if r.m == nil {
			full, last4 := search.NormalizeSSN(r.ssn)
			r.m = search.NewMatcher(search.Query{First: r.c.FirstName, Middle: r.c.MiddleName, Last: r.c.LastName,
				DOB: r.c.DOB, SSN: full, SSN4: last4}, key)
		}
		return r.m
	}
	var out []DuplicatePair
	for p := range pairs {
		a, b := recs[p.a], recs[p.b]
		if a == nil || b == nil || a.c.PersonalID == b.c.PersonalID {
			continue
		}
		if a.c.PersonalID > b.c.PersonalID {
			a, b = b, a
		}
		score, reason := matcher(a).Score(b.rec, b.c.PersonalID)
		if s2, r2 := matcher(b).Score(a.rec, a.c.PersonalID); s2 > score {
			score, reason = s2, r2
		}
		if score >= search.DuplicateThreshold {
			out = append(out, DuplicatePair{A: a.c, B: b.c, Score: score, Reason: reason})
		}
	}
	err = s.write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`DELETE FROM duplicate_pairs`); err != nil {
			return err
		}
		const per = 200
		for start := 0; start < len(out); start += per {
			chunk := out[start:min(start+per, len(out))]
			args := make([]any, 0, len(chunk)*4)
			for _, p := range chunk {
				args = append(args, p.A.PersonalID, p.B.PersonalID, p.Score, p.Reason)
			}
			if _, err := tx.exec(`INSERT INTO duplicate_pairs (a, b, score, reason) VALUES `+values(len(chunk), 4), args...); err != nil {
				return err
			}
		}
		for k, v := range map[string]string{dupComputedSetting: started.Format(time.RFC3339Nano), dupMarkerSetting: marker} {
			if _, err := tx.exec(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
				return err
			}
		}
		return tx.audit("duplicates.refresh", "client", "", fmt.Sprintf("%d pairs", len(out)))
	})
	if err != nil {
		return 0, err
	}
	return len(out), nil
}

const (
	// dupComputedSetting holds when the stored pairs were computed.
	dupComputedSetting = "duplicates_computed_at"
	// dupMarkerSetting holds clientsMarker as it was then.
	dupMarkerSetting = "duplicates_clients_marker"
)

// clientsMarker sums up the clients table (count, last update): when it
// differs from the one stored with the pairs, clients changed since.
func (s *Store) clientsMarker(ctx context.Context) (string, error) {
	var n int64
	var last sql.NullString
	err := s.read(ctx, func(tx *Tx) error {
		return tx.queryRow(`SELECT COUNT(*), CAST(MAX(date_updated) AS TEXT) FROM clients`).Scan(&n, &last)
	})
	return fmt.Sprintf("%d|%s", n, last.String), err
}

// DuplicatePairsStale reports whether clients changed since the stored
// pairs were computed (or they never were). For the background refresher.
func (s *Store) DuplicatePairsStale(ctx context.Context) (bool, error) {
	marker, err := s.clientsMarker(ctx)
	if err != nil {
		return false, err
	}
	stored, ok, err := s.Setting(ctx, dupMarkerSetting)
	return !ok || stored != marker, err
}

// DuplicateQueue is the stored pairs as the queue page shows them.
type DuplicateQueue struct {
	Pairs      []DuplicatePair // best first, one page
	Total      int             // pairs in the queue (live, not dismissed)
	ComputedAt time.Time       // zero: never computed
}

// FindDuplicatePairs returns one page of the stored likely duplicate
// pairs (RefreshDuplicatePairs), best first: at most limit (0:
// DefaultDuplicateLimit) from offset, leaving out pairs marked "not a
// duplicate" and pairs whose client was merged or deleted since. Audited
// ("duplicates.list", the count).
func (s *Store) FindDuplicatePairs(ctx context.Context, limit, offset int) (DuplicateQueue, error) {
	var q DuplicateQueue
	if _, err := requireDuplicateAdmin(ctx); err != nil {
		return q, err
	}
	if limit <= 0 {
		limit = DefaultDuplicateLimit
	}
	offset = max(offset, 0)
	v, ok, err := s.Setting(ctx, dupComputedSetting)
	if err != nil {
		return q, err
	}
	if ok {
		q.ComputedAt, _ = time.Parse(time.RFC3339Nano, v)
	}
	err = s.read(ctx, func(tx *Tx) error {
		if err := tx.queryRow(`SELECT COUNT(*)` + duplicatePairsFrom).Scan(&q.Total); err != nil {
			return err
		}
		var err error
		q.Pairs, err = tx.duplicatePairs(``, nil, limit, offset)
		return err
	})
	if err != nil {
		return DuplicateQueue{}, err
	}
	return q, s.Audit(ctx, "duplicates.list", "client", "", fmt.Sprintf("%d pairs", len(q.Pairs)))
}

// duplicatePairsFrom is the stored pairs whose clients are both live and
// that nobody marked "not a duplicate".
const duplicatePairsFrom = ` FROM duplicate_pairs p
	JOIN clients ca ON ca.personal_id = p.a AND ca.date_deleted IS NULL
	JOIN clients cb ON cb.personal_id = p.b AND cb.date_deleted IS NULL
	WHERE NOT EXISTS (SELECT 1 FROM duplicate_dismissals d WHERE d.a = p.a AND d.b = p.b)`

func (tx *Tx) duplicatePairs(cond string, args []any, limit, offset int) ([]DuplicatePair, error) {
	rows, err := tx.query(`SELECT p.a, ca.first_name, ca.middle_name, ca.last_name, ca.dob,
			p.b, cb.first_name, cb.middle_name, cb.last_name, cb.dob, p.score, p.reason`+duplicatePairsFrom+cond+`
		ORDER BY p.score DESC, p.a, p.b LIMIT `+strconv.Itoa(limit)+` OFFSET `+strconv.Itoa(offset), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DuplicatePair
	for rows.Next() {
		var p DuplicatePair
		if err := rows.Scan(&p.A.PersonalID, scanString(&p.A.FirstName), scanString(&p.A.MiddleName), scanString(&p.A.LastName), &p.A.DOB,
			&p.B.PersonalID, scanString(&p.B.FirstName), scanString(&p.B.MiddleName), scanString(&p.B.LastName), &p.B.DOB,
			&p.Score, &p.Reason); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// FindDuplicatePair returns the queued pair of clients a and b (in either
// order), or ENOTFOUND when it is not in the queue (merged, dismissed, or
// no longer alike at the last computation). Audited ("duplicates.read").
func (s *Store) FindDuplicatePair(ctx context.Context, a, b string) (DuplicatePair, error) {
	if _, err := requireDuplicateAdmin(ctx); err != nil {
		return DuplicatePair{}, err
	}
	if a > b {
		a, b = b, a
	}
	var ps []DuplicatePair
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		ps, err = tx.duplicatePairs(` AND p.a = ? AND p.b = ?`, []any{a, b}, 1, 0)
		return err
	})
	if err != nil {
		return DuplicatePair{}, err
	}
	if len(ps) == 0 {
		return DuplicatePair{}, &hmis.Error{Code: hmis.ENOTFOUND, Message: "That pair is not in the duplicates queue (merged, dismissed or no longer alike)."}
	}
	return ps[0], s.Audit(ctx, "duplicates.read", "client", a, "pair with "+b)
}

// DismissDuplicatePair marks two clients as not the same person: the pair
// leaves the queue for good. Audited ("duplicate.dismiss").
func (s *Store) DismissDuplicatePair(ctx context.Context, a, b string) error {
	actor, err := requireDuplicateAdmin(ctx)
	if err != nil {
		return err
	}
	if a == b || a == "" || b == "" {
		return &hmis.Error{Code: hmis.EINVALID, Message: "Choose two different clients."}
	}
	if a > b {
		a, b = b, a
	}
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`INSERT INTO duplicate_dismissals (a, b, actor, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			a, b, actor.String(), tx.ts(tx.now)); err != nil {
			return err
		}
		return tx.audit("duplicate.dismiss", "client", a, "not a duplicate of "+b)
	})
}

// clientState reports whether a client exists and whether it is deleted.
func (tx *Tx) clientState(id string) (exists, deleted bool, err error) {
	var d time.Time
	err = tx.queryRow(`SELECT date_deleted FROM clients WHERE personal_id = ?`, id).Scan(scanTime(&d))
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, nil
	}
	return err == nil, !d.IsZero(), err
}

// MergeClients merges client mergeID into keepID (see the top of this
// file) and returns the merge. It refuses a client merged into itself, a
// missing client (ENOTFOUND) and a deleted one (ECONFLICT). One audit row
// ("merge" on the kept client, with the counts moved per table).
func (s *Store) MergeClients(ctx context.Context, keepID, mergeID, reason string) (ClientMerge, error) {
	actor, err := requireDuplicateAdmin(ctx)
	if err != nil {
		return ClientMerge{}, err
	}
	keepID, mergeID, reason = strings.TrimSpace(keepID), strings.TrimSpace(mergeID), strings.TrimSpace(reason)
	if keepID == "" || mergeID == "" || keepID == mergeID {
		return ClientMerge{}, &hmis.Error{Code: hmis.EINVALID, Message: "A client cannot be merged into itself: choose two different clients."}
	}
	if len(reason) > 1000 {
		reason = reason[:1000]
	}
	m := ClientMerge{ID: NewID(), Kept: DuplicateClient{PersonalID: keepID}, Merged: DuplicateClient{PersonalID: mergeID},
		Actor: actor.String(), AccountID: actor.AccountID, Reason: reason}
	err = s.write(ctx, func(tx *Tx) error {
		m.At = tx.now
		for _, id := range []string{keepID, mergeID} {
			exists, deleted, err := tx.clientState(id)
			if err != nil {
				return err
			}
			if !exists {
				return notFound("client")
			}
			if deleted {
				return &hmis.Error{Code: hmis.ECONFLICT, Message: "Client " + id + " is deleted (or already merged): it cannot be merged."}
			}
		}
		if _, err := tx.exec(`INSERT INTO client_merges (id, kept, merged, actor, account_id, at, reason, moved) VALUES (?, ?, ?, ?, ?, ?, ?, 0)`,
			m.ID, keepID, mergeID, m.Actor, m.AccountID, tx.ts(tx.now), reason); err != nil {
			return err
		}
		var counts []string
		for _, t := range mergeTables {
			rows, err := tx.query(`SELECT `+t.key+` FROM `+t.name+` WHERE personal_id = ?`, mergeID)
			if err != nil {
				return err
			}
			var keys []string
			for rows.Next() {
				var k string
				if err := rows.Scan(&k); err != nil {
					rows.Close()
					return err
				}
				keys = append(keys, k)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(keys) == 0 {
				continue
			}
			set := `personal_id = ?`
			args := []any{keepID}
			if t.hud {
				set += `, date_updated = ?`
				args = append(args, tx.ts(tx.now))
			}
			if _, err := tx.exec(`UPDATE `+t.name+` SET `+set+` WHERE personal_id = ?`, append(args, mergeID)...); err != nil {
				return err
			}
			for start := 0; start < len(keys); start += 300 {
				chunk := keys[start:min(start+300, len(keys))]
				args := make([]any, 0, 3*len(chunk))
				for _, k := range chunk {
					args = append(args, m.ID, t.name, k)
				}
				if _, err := tx.exec(`INSERT INTO client_merge_rows (merge_id, table_name, row_key) VALUES `+values(len(chunk), 3), args...); err != nil {
					return err
				}
			}
			m.Moved += len(keys)
			counts = append(counts, fmt.Sprintf("%s %d", t.name, len(keys)))
		}
		// The kept record's empty identity fields, from the merged one
		// (duplicates_fill.go).
		filled, err := tx.fillFromMerged(m.ID, keepID, mergeID)
		if err != nil {
			return err
		}
		m.Filled = filled
		if _, err := tx.exec(`UPDATE clients SET date_deleted = ?, date_updated = ? WHERE personal_id = ?`,
			tx.ts(tx.now), tx.ts(tx.now), mergeID); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE client_merges SET moved = ? WHERE id = ?`, m.Moved, m.ID); err != nil {
			return err
		}
		detail := "merged " + mergeID + " into " + keepID + " (merge " + m.ID + "): "
		if len(counts) == 0 {
			detail += "no rows moved"
		} else {
			detail += strings.Join(counts, ", ")
		}
		if len(filled) > 0 {
			detail += "; empty fields filled from the merged record: " + strings.Join(filled, ", ")
		}
		return tx.audit("merge", "client", keepID, detail)
	})
	if err != nil {
		return ClientMerge{}, err
	}
	return m, nil
}

// UndoMerge undoes merge id: the rows it moved go back to the merged
// client, which is restored (date_deleted cleared); the merge is marked
// undone. A merge is undone once (ECONFLICT after). Audited
// ("merge.undo" on the restored client).
func (s *Store) UndoMerge(ctx context.Context, id string) error {
	actor, err := requireDuplicateAdmin(ctx)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		var kept, merged string
		var undone time.Time
		err := tx.queryRow(`SELECT kept, merged, undone_at FROM client_merges WHERE id = ?`, id).Scan(&kept, &merged, scanTime(&undone))
		if err != nil {
			return one(err, "merge")
		}
		if !undone.IsZero() {
			return &hmis.Error{Code: hmis.ECONFLICT, Message: "This merge was already undone."}
		}
		rows, err := tx.query(`SELECT table_name, row_key FROM client_merge_rows WHERE merge_id = ? ORDER BY table_name, row_key`, id)
		if err != nil {
			return err
		}
		byTable := map[string][]any{}
		var order []string
		for rows.Next() {
			var t, k string
			if err := rows.Scan(&t, &k); err != nil {
				rows.Close()
				return err
			}
			if _, ok := byTable[t]; !ok {
				order = append(order, t)
			}
			byTable[t] = append(byTable[t], k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		moved := 0
		unfilled, err := tx.unfillMerged(kept, byTable[mergeFillTable])
		if err != nil {
			return err
		}
		for _, t := range order {
			if t == mergeFillTable {
				continue
			}
			col := mergeTableKey(t)
			if col == "" {
				return fmt.Errorf("store: merge %s recorded an unknown table %q", id, t)
			}
			hud := false
			for _, mt := range mergeTables {
				if mt.name == t {
					hud = mt.hud
				}
			}
			keys := byTable[t]
			for start := 0; start < len(keys); start += 300 {
				chunk := keys[start:min(start+300, len(keys))]
				set := `personal_id = ?`
				args := []any{merged}
				if hud {
					set += `, date_updated = ?`
					args = append(args, tx.ts(tx.now))
				}
				args = append(args, chunk...)
				res, err := tx.exec(`UPDATE `+t+` SET `+set+` WHERE `+col+` IN (`+placeholders(len(chunk))+`)`, args...)
				if err != nil {
					return err
				}
				n, _ := res.RowsAffected()
				moved += int(n)
			}
		}
		if _, err := tx.exec(`UPDATE clients SET date_deleted = NULL, date_updated = ? WHERE personal_id = ?`, tx.ts(tx.now), merged); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE client_merges SET undone_at = ?, undone_by = ? WHERE id = ?`, tx.ts(tx.now), actor.String(), id); err != nil {
			return err
		}
		detail := fmt.Sprintf("undid merge %s of %s into %s: %d rows moved back", id, merged, kept, moved)
		if len(unfilled) > 0 {
			detail += "; fields filled by the merge emptied on " + kept + ": " + strings.Join(unfilled, ", ")
		}
		return tx.audit("merge.undo", "client", merged, detail)
	})
}

// ListMerges returns the merges, newest first, at most limit (0: 100),
// with both clients' names.
func (s *Store) ListMerges(ctx context.Context, limit int) ([]ClientMerge, error) {
	if _, err := requireDuplicateAdmin(ctx); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	var out []ClientMerge
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT m.id, m.kept, m.merged, m.actor, m.account_id, m.at, m.reason, m.moved, m.undone_at, m.undone_by,
				k.first_name, k.middle_name, k.last_name, k.dob, g.first_name, g.middle_name, g.last_name, g.dob
			FROM client_merges m
			LEFT JOIN clients k ON k.personal_id = m.kept
			LEFT JOIN clients g ON g.personal_id = m.merged
			ORDER BY m.at DESC, m.id DESC LIMIT ` + strconv.Itoa(limit))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m ClientMerge
			if err := rows.Scan(&m.ID, &m.Kept.PersonalID, &m.Merged.PersonalID, &m.Actor, &m.AccountID, scanTime(&m.At),
				&m.Reason, &m.Moved, scanTime(&m.UndoneAt), &m.UndoneBy,
				scanString(&m.Kept.FirstName), scanString(&m.Kept.MiddleName), scanString(&m.Kept.LastName), &m.Kept.DOB,
				scanString(&m.Merged.FirstName), scanString(&m.Merged.MiddleName), scanString(&m.Merged.LastName), &m.Merged.DOB); err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, err
}
