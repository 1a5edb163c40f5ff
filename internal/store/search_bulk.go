package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/search"
)

// The bulk first indexing of client search (issue 3: an import of a
// whole site into an empty one). RefreshClientSearch files queued
// clients refreshChunk at a time, each chunk's keys inserted at random
// places of client_search_keys: at 1M clients (7.4M keys, an index far
// larger than the page cache) that took ~6 minutes. When nothing is
// indexed yet, on SQLite, indexAllQueued does it in one transaction
// instead: every queued client read in key order, client_search rows
// numbered in that order, and every (key, client) pair sorted once in
// memory (16 bytes a key, ~120 MB at 1M clients) and appended to
// client_search_keys in order. SQLite only: its single writer means no
// client can be queued by someone else while the queue is emptied. The
// result is the same index the chunked refresh builds
// (TestRefreshClientSearch_BulkSameAsChunked).

const (
	bulkSearchPage    = 5000 // queued clients read per query
	bulkSearchRows    = 200  // client_search rows per INSERT (5 columns)
	bulkSearchKeyRows = 4096 // client_search_keys rows per INSERT (2 columns)
)

// indexAllQueued indexes every queued client at once when the index is
// empty (SQLite only); ok is false, with nothing done, otherwise.
func (s *Store) indexAllQueued(ctx context.Context) (n int, ok bool, err error) {
	if s.d.name != dialectSQLite {
		return 0, false, nil
	}
	err = s.write(ctx, func(tx *Tx) error {
		var empty bool
		if err := tx.queryRow(`SELECT NOT EXISTS (SELECT 1 FROM client_search) AND NOT EXISTS (SELECT 1 FROM client_search_keys)`).Scan(&empty); err != nil {
			return err
		}
		if !empty {
			return nil
		}
		ok = true
		var err error
		n, err = tx.indexAllQueued(ctx)
		return err
	})
	return n, ok, err
}

// indexAllQueued is the transaction of Store.indexAllQueued.
func (tx *Tx) indexAllQueued(ctx context.Context) (int, error) {
	rowsStmt, err := tx.prepare(`INSERT INTO client_search (id, personal_id, ssn_digest, ssn4_digest, index_keys) VALUES ` + values(bulkSearchRows, 5))
	if err != nil {
		return 0, err
	}
	defer rowsStmt.Close()
	var (
		taken  int
		nextID int64 = 1
		after  string
		first  = true
		args   = make([]any, 0, 5*bulkSearchRows)
		pairs  []searchKeyPair
		insert = func(args []any) error {
			n := len(args) / 5
			if n == bulkSearchRows {
				_, err := rowsStmt.Exec(args...)
				return err
			}
			_, err := tx.exec(`INSERT INTO client_search (id, personal_id, ssn_digest, ssn4_digest, index_keys) VALUES `+values(n, 5), args...)
			return err
		}
	)
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		q := `SELECT q.personal_id, c.personal_id, c.first_name, c.middle_name, c.last_name, c.ssn, c.dob, c.date_deleted
			FROM client_search_queue q LEFT JOIN clients c ON c.personal_id = q.personal_id`
		qargs := []any{}
		if !first {
			q += ` WHERE q.personal_id > ?`
			qargs = append(qargs, after)
		}
		rows, err := tx.query(q+` ORDER BY q.personal_id LIMIT `+strconv.Itoa(bulkSearchPage), qargs...)
		if err != nil {
			return 0, err
		}
		page := 0
		for rows.Next() {
			var (
				pid, cid, ssn string
				rec           search.Record
				dob           hmis.Date
				deleted       time.Time
			)
			if err := rows.Scan(&pid, scanString(&cid), scanString(&rec.First), scanString(&rec.Middle),
				scanString(&rec.Last), scanString(&ssn), &dob, scanTime(&deleted)); err != nil {
				rows.Close()
				return 0, err
			}
			page++
			after = pid
			if cid == "" || !deleted.IsZero() {
				continue // gone or deleted: nothing to file
			}
			rec.DOB = dob
			// As indexQueued: the digests from the sealed SSN's envelope.
			rec.SSNDigest, rec.SSN4Digest, _ = ssnDigests(ssn)
			keys := search.IndexKeys(rec)
			id := nextID
			nextID++
			for _, k := range keys {
				pairs = append(pairs, searchKeyPair{k, id})
			}
			args = append(args, id, pid, rec.SSNDigest, rec.SSN4Digest, packKeys(keys))
			if len(args) == cap(args) {
				if err := insert(args); err != nil {
					rows.Close()
					return 0, err
				}
				clear(args)
				args = args[:0]
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
		taken += page
		first = false
		if page < bulkSearchPage {
			break
		}
	}
	if len(args) > 0 {
		if err := insert(args); err != nil {
			return 0, err
		}
	}
	if err := tx.fileSortedKeys(pairs); err != nil {
		return 0, err
	}
	// Every queued client was read in this transaction, and no one else
	// writes until it commits.
	if _, err := tx.exec(`DELETE FROM client_search_queue`); err != nil {
		return 0, err
	}
	return taken, nil
}

// searchKeyPair is one client_search_keys row.
type searchKeyPair struct{ k, id int64 }

// fileSortedKeys sorts pairs by (key, client) and inserts them in that
// order: every row lands at the end of the (empty) table's B-trees.
func (tx *Tx) fileSortedKeys(pairs []searchKeyPair) error {
	slices.SortFunc(pairs, func(a, b searchKeyPair) int {
		switch {
		case a.k < b.k:
			return -1
		case a.k > b.k:
			return 1
		case a.id < b.id:
			return -1
		case a.id > b.id:
			return 1
		}
		return 0
	})
	pairs = slices.Compact(pairs) // one client filed twice under a key: once (ON CONFLICT DO NOTHING in fileKeys)
	var full *sql.Stmt
	args := make([]any, 0, 2*bulkSearchKeyRows)
	for len(pairs) > 0 {
		n := min(len(pairs), bulkSearchKeyRows)
		args = args[:0]
		for _, p := range pairs[:n] {
			args = append(args, p.k, p.id)
		}
		var err error
		if n == bulkSearchKeyRows {
			if full == nil {
				if full, err = tx.prepare(`INSERT INTO client_search_keys (k, client_id) VALUES ` + values(n, 2)); err != nil {
					return err
				}
				defer full.Close()
			}
			_, err = full.Exec(args...)
		} else {
			_, err = tx.exec(`INSERT INTO client_search_keys (k, client_id) VALUES `+values(n, 2), args...)
		}
		if err != nil {
			return err
		}
		pairs = pairs[n:]
	}
	return nil
}
