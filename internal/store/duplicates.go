package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
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
// record read as the query (its SSN in clear, as the index builder reads
// it) and the other as the record, both ways, the better counting. A pair
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
	// by default.
	DefaultDuplicateLimit = 200
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

// FindDuplicatePairs returns the likely duplicate pairs of the whole
// site, best first, at most limit (0: DefaultDuplicateLimit). Audited
// ("duplicates.list", the count).
func (s *Store) FindDuplicatePairs(ctx context.Context, limit int) ([]DuplicatePair, error) {
	if _, err := requireDuplicateAdmin(ctx); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = DefaultDuplicateLimit
	}
	if _, err := s.RefreshClientSearch(ctx); err != nil {
		return nil, fmt.Errorf("client search index: %w", err)
	}
	key, err := s.clientSearchKey(ctx)
	if err != nil {
		return nil, err
	}
	type pk struct{ a, b int64 }
	pairs := map[pk]bool{}
	recs := map[int64]*dupRec{}
	dismissed := map[[2]string]bool{}
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
		for start := 0; start < len(ids); start += 500 {
			chunk := ids[start:min(start+500, len(ids))]
			rows, err := tx.query(`SELECT cs.id, c.personal_id, c.first_name, c.middle_name, c.last_name, c.dob, c.ssn,
					cs.ssn_digest, cs.ssn4_digest
				FROM client_search cs JOIN clients c ON c.personal_id = cs.personal_id
				WHERE c.date_deleted IS NULL AND cs.id IN (`+placeholders(len(chunk))+`)`, chunk...)
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
				recs[id] = r
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		drows, err := tx.query(`SELECT a, b FROM duplicate_dismissals`)
		if err != nil {
			return err
		}
		defer drows.Close()
		for drows.Next() {
			var a, b string
			if err := drows.Scan(&a, &b); err != nil {
				return err
			}
			dismissed[[2]string{a, b}] = true
		}
		return drows.Err()
	})
	if err != nil {
		return nil, err
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
		if dismissed[[2]string{a.c.PersonalID, b.c.PersonalID}] {
			continue
		}
		score, reason := matcher(a).Score(b.rec, b.c.PersonalID)
		if s2, r2 := matcher(b).Score(a.rec, a.c.PersonalID); s2 > score {
			score, reason = s2, r2
		}
		if score >= search.DuplicateThreshold {
			out = append(out, DuplicatePair{A: a.c, B: b.c, Score: score, Reason: reason})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		if out[i].A.PersonalID != out[j].A.PersonalID {
			return out[i].A.PersonalID < out[j].A.PersonalID
		}
		return out[i].B.PersonalID < out[j].B.PersonalID
	})
	if len(out) > limit {
		out = out[:limit]
	}
	if err := s.Audit(ctx, "duplicates.list", "client", "", fmt.Sprintf("%d pairs", len(out))); err != nil {
		return nil, err
	}
	return out, nil
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
		for _, t := range order {
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
		return tx.audit("merge.undo", "client", merged, fmt.Sprintf("undid merge %s of %s into %s: %d rows moved back", id, merged, kept, moved))
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
