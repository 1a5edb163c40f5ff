package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/search"
)

// This file is the store side of client search (issue 4): the candidate
// index (migration 0005: client_search, client_search_keys and the queue
// the clients triggers fill), its upkeep, and the search itself. Matching
// rules live in internal/search; this file only finds candidates by
// index lookups and hands them over to be scored.

// ClientMatch is one search result.
type ClientMatch struct {
	PersonalID string
	FirstName  string
	MiddleName string
	LastName   string
	// DOB is the full date, for the age: callers show it as the user may
	// see it (without the DOB permission, the year: web.piiMaskDOB).
	DOB    hmis.Date
	Score  float64 // 0 to 1
	Reason string  // one line: why the client matched
}

const (
	// DefaultSearchLimit is how many matches a search returns by default.
	DefaultSearchLimit = 10
	// MaxSearchLimit is the most matches one search returns.
	MaxSearchLimit = 100
	// minSearchScore drops candidates that share a key and nothing more.
	minSearchScore = 0.3
	// goodEnough: when the selective keys (DOB, SSN) found a match this
	// good, the name keys (which can name thousands on a large site) are
	// not read.
	goodEnough = 0.75
	// keyRowsCap and candidatesCap bound the work of one lookup.
	keyRowsCap    = 20000
	candidatesCap = 300
	// refreshChunk is how many queued clients one transaction indexes.
	refreshChunk = 2000
)

// clientSearchKey returns the key of the search's SSN digests: derived
// from the site key (ssn.go), never stored. The digests are computed
// when a client is written, from the SSN passing through, and kept in
// the sealed SSN's envelope; the indexer reads them from there.
func (s *Store) clientSearchKey(context.Context) ([]byte, error) {
	if s.searchKey == nil {
		return nil, errNoKey
	}
	return s.searchKey, nil
}

// RefreshClientSearch indexes the clients written since the last refresh
// (the triggers queue them) and returns how many it indexed. Searches do
// it first, so calling it is never needed for correctness; a bulk loader
// (hearth seed, an import) may call it to take the cost up front.
func (s *Store) RefreshClientSearch(ctx context.Context) (int, error) {
	var pending bool
	if err := s.read(ctx, func(tx *Tx) error {
		err := tx.queryRow(`SELECT 1 FROM client_search_queue LIMIT 1`).Scan(new(int))
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		pending = err == nil
		return err
	}); err != nil || !pending {
		return 0, err
	}
	// Nothing indexed yet (a new site's first import): all at once.
	if n, ok, err := s.indexAllQueued(ctx); ok || err != nil {
		return n, err
	}
	total := 0
	for {
		n := 0
		err := s.write(ctx, func(tx *Tx) error {
			var err error
			n, err = tx.indexQueued()
			return err
		})
		total += n
		if err != nil || n == 0 {
			return total, err
		}
		if err := ctx.Err(); err != nil {
			return total, err
		}
	}
}

// queued is one client taken from the queue.
type queued struct {
	personalID string
	live       bool
	rec        search.Record
	ssn        string
	indexID    int64  // client_search.id; 0 when not indexed
	oldKeys    []byte // the keys it is filed under
}

// indexQueued indexes up to refreshChunk queued clients and returns how
// many it took.
func (tx *Tx) indexQueued() (int, error) {
	rows, err := tx.query(`SELECT q.personal_id, c.personal_id, c.first_name, c.middle_name, c.last_name, c.ssn, c.dob,
			c.date_deleted, cs.id, cs.index_keys
		FROM client_search_queue q
		LEFT JOIN clients c ON c.personal_id = q.personal_id
		LEFT JOIN client_search cs ON cs.personal_id = q.personal_id
		ORDER BY q.personal_id LIMIT ` + strconv.Itoa(refreshChunk))
	if err != nil {
		return 0, err
	}
	var qs []queued
	for rows.Next() {
		var c queued
		var cid string
		var deleted time.Time
		var dob hmis.Date
		var id sql.NullInt64
		if err := rows.Scan(&c.personalID, scanString(&cid), scanString(&c.rec.First), scanString(&c.rec.Middle),
			scanString(&c.rec.Last), scanString(&c.ssn), &dob, scanTime(&deleted), &id, &c.oldKeys); err != nil {
			rows.Close()
			return 0, err
		}
		c.live = cid != "" && deleted.IsZero()
		c.rec.DOB = dob
		c.indexID = id.Int64
		qs = append(qs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(qs) == 0 {
		return 0, err
	}

	var keyRows []int64 // k, client_id pairs to insert
	var fresh []*queued
	for i := range qs {
		c := &qs[i]
		if c.indexID != 0 {
			if err := tx.unfile(c.indexID, c.oldKeys); err != nil {
				return 0, err
			}
			if !c.live {
				if _, err := tx.exec(`DELETE FROM client_search WHERE id = ?`, c.indexID); err != nil {
					return 0, err
				}
				continue
			}
		}
		if !c.live {
			continue
		}
		// The digests were computed when the SSN was written; the stored
		// SSN is never opened here. (A value not sealed yet has none:
		// SealSSNs seals it and queues the client again.)
		c.rec.SSNDigest, c.rec.SSN4Digest, _ = ssnDigests(c.ssn)
		keys := search.IndexKeys(c.rec)
		packed := packKeys(keys)
		if c.indexID != 0 {
			if _, err := tx.exec(`UPDATE client_search SET ssn_digest = ?, ssn4_digest = ?, index_keys = ? WHERE id = ?`,
				c.rec.SSNDigest, c.rec.SSN4Digest, packed, c.indexID); err != nil {
				return 0, err
			}
			for _, k := range keys {
				keyRows = append(keyRows, k, c.indexID)
			}
			continue
		}
		c.oldKeys = packed // the keys to file once it has an id
		fresh = append(fresh, c)
	}
	// New rows: multi-row inserts that return their ids.
	for len(fresh) > 0 {
		n := min(len(fresh), 200)
		args := make([]any, 0, 4*n)
		byID := map[string]*queued{}
		for _, c := range fresh[:n] {
			args = append(args, c.personalID, c.rec.SSNDigest, c.rec.SSN4Digest, c.oldKeys)
			byID[c.personalID] = c
		}
		rows, err := tx.query(`INSERT INTO client_search (personal_id, ssn_digest, ssn4_digest, index_keys) VALUES `+
			values(n, 4)+` RETURNING id, personal_id`, args...)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var id int64
			var pid string
			if err := rows.Scan(&id, &pid); err != nil {
				rows.Close()
				return 0, err
			}
			for _, k := range unpackKeys(byID[pid].oldKeys) {
				keyRows = append(keyRows, k, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
		fresh = fresh[n:]
	}
	if err := tx.fileKeys(keyRows); err != nil {
		return 0, err
	}
	// Take them off the queue.
	for start := 0; start < len(qs); start += 500 {
		end := min(start+500, len(qs))
		args := make([]any, 0, end-start)
		for _, c := range qs[start:end] {
			args = append(args, c.personalID)
		}
		if _, err := tx.exec(`DELETE FROM client_search_queue WHERE personal_id IN (`+placeholders(len(args))+`)`, args...); err != nil {
			return 0, err
		}
	}
	return len(qs), nil
}

// fileKeys inserts (k, client_id) pairs, sorted by key (fewer pages
// touched), several hundred rows a statement.
func (tx *Tx) fileKeys(pairs []int64) error {
	type kv struct{ k, id int64 }
	rows := make([]kv, len(pairs)/2)
	for i := range rows {
		rows[i] = kv{pairs[2*i], pairs[2*i+1]}
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].k != rows[j].k {
			return rows[i].k < rows[j].k
		}
		return rows[i].id < rows[j].id
	})
	const per = 500
	for len(rows) > 0 {
		n := min(len(rows), per)
		args := make([]any, 0, 2*n)
		for _, r := range rows[:n] {
			args = append(args, r.k, r.id)
		}
		if _, err := tx.exec(`INSERT INTO client_search_keys (k, client_id) VALUES `+values(n, 2)+` ON CONFLICT DO NOTHING`, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// unfile removes a client's keys.
func (tx *Tx) unfile(id int64, packed []byte) error {
	keys := unpackKeys(packed)
	if len(keys) == 0 {
		return nil
	}
	args := make([]any, 0, len(keys)+1)
	args = append(args, id)
	for _, k := range keys {
		args = append(args, k)
	}
	_, err := tx.exec(`DELETE FROM client_search_keys WHERE client_id = ? AND k IN (`+placeholders(len(keys))+`)`, args...)
	return err
}

func packKeys(ks []int64) []byte {
	b := make([]byte, 8*len(ks))
	for i, k := range ks {
		binary.BigEndian.PutUint64(b[8*i:], uint64(k))
	}
	return b
}

func unpackKeys(b []byte) []int64 {
	out := make([]int64, len(b)/8)
	for i := range out {
		out[i] = int64(binary.BigEndian.Uint64(b[8*i:]))
	}
	return out
}

// placeholders returns "?, ?, ..." (n of them).
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return "?" + strings.Repeat(", ?", n-1)
}

// values returns "(?, ?), (?, ?), ..." for n rows of cols columns.
func values(n, cols int) string {
	row := "(" + placeholders(cols) + ")"
	return row + strings.Repeat(", "+row, n-1)
}

// errEmptySearch is what an empty search box gets: a hint, not every client.
var errEmptySearch = &hmis.Error{Code: hmis.EINVALID,
	Message: "Type something to search for: a name (\"Lennon, John\"), a date of birth (10/9/1940), an SSN or its last four digits, or an HMIS ID."}

// SearchClients finds the clients that match q, best first, at most limit
// (0: DefaultSearchLimit; capped at MaxSearchLimit). Only live clients
// the actor in ctx may see are considered (clientVisibility): a client
// the actor may not see never appears, not even as a count. An empty
// query is an EINVALID error with a hint. Each search writes one audit
// row (action "search", detail "N results": no PII).
func (s *Store) SearchClients(ctx context.Context, q search.Query, limit int) ([]ClientMatch, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return nil, errNoActor
	}
	if q.Empty() {
		return nil, errEmptySearch
	}
	if q, err := piiSearchQuery(ctx, s, q); err != nil {
		return nil, err
	} else {
		return s.searchClients(ctx, actor, q, limit)
	}
}

// piiSearchQuery limits a query to what the actor may see (issue 6 item
// 4): without the DOB permission a date of birth counts by its year only
// (the year the pages show them), so that the results, their order and
// scores tell nothing more about a client's date of birth: probing with
// one date after another finds no more than the year would.
func piiSearchQuery(ctx context.Context, s *Store, q search.Query) (search.Query, error) {
	if q.DOB.IsZero() {
		return q, nil
	}
	g, err := s.MyPIIGrants(ctx)
	if err != nil {
		return q, err
	}
	if !g[access.PIIDOB] {
		q.BirthYear, q.DOB = q.DOB.Time().Year(), hmis.Date{}
	}
	return q, nil
}

func (s *Store) searchClients(ctx context.Context, actor hmis.Actor, q search.Query, limit int) ([]ClientMatch, error) {
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	limit = min(limit, MaxSearchLimit)
	if _, err := s.RefreshClientSearch(ctx); err != nil {
		return nil, fmt.Errorf("client search index: %w", err)
	}
	key, err := s.clientSearchKey(ctx)
	if err != nil {
		return nil, err
	}
	m := search.NewMatcher(q, key)
	selective, names := m.Keys()
	vis, vargs := clientVisibility(actor, "c", s.today())
	found := map[int64]ClientMatch{}
	best := 0.0
	err = s.read(ctx, func(tx *Tx) error {
		cands := candidatesCap
		if vis != "" {
			cands *= 3 // some will be hidden from this actor
		}
		score := func(where string, args []any) error {
			q := `SELECT cs.id, c.personal_id, c.first_name, c.middle_name, c.last_name, c.dob, cs.ssn_digest, cs.ssn4_digest
				FROM client_search cs CROSS JOIN clients c
				WHERE c.personal_id = cs.personal_id AND ` + where + ` AND c.date_deleted IS NULL`
			// CROSS JOIN: SQLite must start from the few index rows, not
			// walk the live clients (clients_live) probing each one.
			if vis != "" {
				q += ` AND ` + vis
				args = append(args, vargs...)
			}
			rows, err := tx.query(q, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id int64
				var cm ClientMatch
				var r search.Record
				if err := rows.Scan(&id, &cm.PersonalID, scanString(&r.First), scanString(&r.Middle), scanString(&r.Last),
					&r.DOB, &r.SSNDigest, &r.SSN4Digest); err != nil {
					return err
				}
				cm.FirstName, cm.MiddleName, cm.LastName, cm.DOB = r.First, r.Middle, r.Last, r.DOB
				cm.Score, cm.Reason = m.Score(r, cm.PersonalID)
				best = max(best, cm.Score)
				found[id] = cm
			}
			return rows.Err()
		}
		lookup := func(keys []int64) error {
			ids, err := tx.lookupKeys(keys, cands)
			if err != nil {
				return err
			}
			var todo []any
			for _, id := range ids {
				if _, ok := found[id]; !ok {
					todo = append(todo, id)
				}
			}
			if len(todo) == 0 {
				return nil
			}
			return score(`cs.id IN (`+placeholders(len(todo))+`)`, todo)
		}
		if q.PersonalID != "" {
			if err := score(`cs.personal_id = ?`, []any{q.PersonalID}); err != nil {
				return err
			}
		}
		if len(selective) > 0 {
			if err := lookup(selective); err != nil {
				return err
			}
		}
		if len(names) > 0 && (len(selective) == 0 || best < goodEnough) {
			return lookup(names)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]ClientMatch, 0, len(found))
	for _, cm := range found {
		if cm.Score >= minSearchScore {
			out = append(out, cm)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.LastName != b.LastName {
			return a.LastName < b.LastName
		}
		if a.FirstName != b.FirstName {
			return a.FirstName < b.FirstName
		}
		return a.PersonalID < b.PersonalID
	})
	if len(out) > limit {
		out = out[:limit]
	}
	if err := s.Audit(ctx, "search", "client", "", fmt.Sprintf("%d results", len(out))); err != nil {
		return nil, err
	}
	return out, nil
}

// lookupKeys returns the indexed clients filed under any of keys, those
// under the most keys first, at most limit.
func (tx *Tx) lookupKeys(keys []int64, limit int) ([]int64, error) {
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k
	}
	rows, err := tx.query(`SELECT client_id FROM client_search_keys WHERE k IN (`+placeholders(len(keys))+`) LIMIT `+
		strconv.Itoa(keyRowsCap), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	hits := map[int64]int{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		hits[id]++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(hits))
	for id := range hits {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if hits[ids[i]] != hits[ids[j]] {
			return hits[ids[i]] > hits[ids[j]]
		}
		return ids[i] < ids[j]
	})
	if len(ids) > limit {
		ids = ids[:limit]
	}
	return ids, nil
}

// ScanClientsLike is the naive search the benchmark compares with: every
// name word must occur in the first or last name (LIKE '%word%', a scan
// of the clients until limit match), and the DOB, when not zero, must be
// equal (which the clients_dob index serves); it scores nothing (Score
// 0). Not for users.
func (s *Store) ScanClientsLike(ctx context.Context, words []string, dob hmis.Date, limit int) ([]ClientMatch, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return nil, errNoActor
	}
	q := `SELECT c.personal_id, c.first_name, c.middle_name, c.last_name, c.dob FROM clients c WHERE c.date_deleted IS NULL`
	var args []any
	for _, w := range words {
		w = "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(w)) + "%"
		q += ` AND (LOWER(c.first_name) LIKE ? ESCAPE '\' OR LOWER(c.last_name) LIKE ? ESCAPE '\')`
		args = append(args, w, w)
	}
	if !dob.IsZero() {
		q += ` AND c.dob = ?`
		args = append(args, nullDate(dob))
	}
	if vis, vargs := clientVisibility(actor, "c", s.today()); vis != "" {
		q += ` AND ` + vis
		args = append(args, vargs...)
	}
	q += ` LIMIT ` + strconv.Itoa(max(limit, 1))
	var out []ClientMatch
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var cm ClientMatch
			if err := rows.Scan(&cm.PersonalID, scanString(&cm.FirstName), scanString(&cm.MiddleName), scanString(&cm.LastName), &cm.DOB); err != nil {
				return err
			}
			out = append(out, cm)
		}
		return rows.Err()
	})
	return out, err
}

// ClientSearchStats is the size of the candidate index.
type ClientSearchStats struct {
	Indexed int // clients in the index
	Keys    int // index rows
	Queued  int // clients written since the last refresh
}

// ClientSearchStats counts the index's rows.
func (s *Store) ClientSearchStats(ctx context.Context) (ClientSearchStats, error) {
	var st ClientSearchStats
	err := s.read(ctx, func(tx *Tx) error {
		return tx.queryRow(`SELECT (SELECT COUNT(*) FROM client_search), (SELECT COUNT(*) FROM client_search_keys),
			(SELECT COUNT(*) FROM client_search_queue)`).Scan(&st.Indexed, &st.Keys, &st.Queued)
	})
	return st, err
}
