package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The audit log is a hash chain. Each row stores prev_hash, the hash of
// the row before it (genesisHash for the first), and
//
//	hash = SHA-256(prev_hash || canonical content)
//
// where the canonical content is every column but the hashes, each as
// its length, a colon and its bytes (so no value can pose as two). Editing
// a row breaks its own hash; deleting or inserting one breaks the next
// row's prev_hash and leaves a gap in the ids, which are part of the
// content. audit_head keeps the newest row's id and hash, so removing
// rows at the end is noticed as well, and it is the row every writer
// locks to append: rows never fork.
//
// Audit rows are buffered in the transaction (tx.audit) and appended when
// it commits (tx.flushAudit), so the head is locked for the last moment
// of a transaction only, and always after its other writes: on PostgreSQL
// no two transactions can wait for each other through it. On SQLite the
// single writer connection serialises appends anyway.
//
// A chain proves that rows were not changed by anyone who cannot also
// recompute every later hash. Someone with write access to the database
// can rewrite the whole chain; `hearth audit verify` prints the head hash
// so operators can keep it elsewhere (docs/security.md).

// genesisHash is the prev_hash of the first row.
var genesisHash = strings.Repeat("0", 64)

// auditTimeLayout is how a row's time enters its hash: UTC, microseconds,
// which both databases keep exactly.
const auditTimeLayout = "2006-01-02T15:04:05.000000Z"

// chainHash returns the hash of an entry given its predecessor's.
func chainHash(prev string, e *AuditEntry) string {
	h := sha256.New()
	h.Write([]byte(prev))
	for _, v := range []string{
		strconv.FormatInt(e.ID, 10), e.At.UTC().Format(auditTimeLayout), e.Actor, e.AccountID, e.Via,
		e.Action, e.Entity, e.EntityID, e.Detail,
	} {
		h.Write([]byte(strconv.Itoa(len(v))))
		h.Write([]byte{':'})
		h.Write([]byte(v))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// lockClause is what locks the rows a SELECT reads until the transaction
// ends: FOR UPDATE on PostgreSQL; nothing on SQLite, whose single writer
// already excludes every other.
func (d *dialect) lockClause() string {
	if d.name == dialectPostgres {
		return ` FOR UPDATE`
	}
	return ``
}

// flushAudit appends the transaction's buffered audit rows to the chain.
// It runs just before commit (Store.run).
func (tx *Tx) flushAudit() error {
	if len(tx.pending) == 0 {
		return nil
	}
	var lastID int64
	var lastHash string
	if err := tx.queryRow(`SELECT last_id, last_hash FROM audit_head WHERE id = 1`+tx.d.lockClause()).Scan(&lastID, &lastHash); err != nil {
		return fmt.Errorf("audit chain head: %w", err)
	}
	if lastHash == "" {
		var err error
		if lastID, lastHash, err = tx.sealLegacyAudit(); err != nil {
			return err
		}
	}
	for i := range tx.pending {
		e := &tx.pending[i]
		e.ID = lastID + 1
		e.PrevHash = lastHash
		e.Hash = chainHash(lastHash, e)
		if _, err := tx.exec(`INSERT INTO audit_log (id, at, actor, account_id, via, action, entity, entity_id, detail, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, tx.ts(e.At), e.Actor, e.AccountID, e.Via, e.Action, e.Entity, e.EntityID, e.Detail, e.PrevHash, e.Hash); err != nil {
			return err
		}
		lastID, lastHash = e.ID, e.Hash
	}
	tx.pending = nil
	_, err := tx.exec(`UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1`, lastID, lastHash)
	return err
}

// sealLegacyAudit chains the rows written before the chain existed (a
// database migrated from before 0006), in id order, renumbering them
// 1..n, and returns the new head. It runs once, under the head lock.
func (tx *Tx) sealLegacyAudit() (int64, string, error) {
	old, err := tx.queryAudit(`SELECT ` + auditColumns + ` FROM audit_log ORDER BY id`)
	if err != nil {
		return 0, "", err
	}
	if _, err := tx.exec(`DELETE FROM audit_log`); err != nil {
		return 0, "", err
	}
	last := genesisHash
	for i := range old {
		e := &old[i]
		e.ID = int64(i + 1)
		e.PrevHash = last
		e.Hash = chainHash(last, e)
		if _, err := tx.exec(`INSERT INTO audit_log (id, at, actor, account_id, via, action, entity, entity_id, detail, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, tx.ts(e.At), e.Actor, e.AccountID, e.Via, e.Action, e.Entity, e.EntityID, e.Detail, e.PrevHash, e.Hash); err != nil {
			return 0, "", err
		}
		last = e.Hash
	}
	return int64(len(old)), last, nil
}

// ChainReport is the outcome of VerifyAudit.
type ChainReport struct {
	Entries  int64
	HeadID   int64
	HeadHash string
	// BrokenAt is the id of the first row that does not follow from the
	// one before it (0 when the chain is intact); Problem says how.
	BrokenAt int64
	Problem  string
	// Unsealed is true when the rows predate the chain and no write has
	// chained them yet.
	Unsealed bool
}

// Intact reports whether the chain verified.
func (r ChainReport) Intact() bool { return r.Problem == "" }

// VerifyAudit walks the audit chain from the first row to the head and
// reports the first broken link. It reads; it never repairs.
func (s *Store) VerifyAudit(ctx context.Context) (ChainReport, error) {
	var rep ChainReport
	err := s.read(ctx, func(tx *Tx) error {
		if err := tx.queryRow(`SELECT last_id, last_hash FROM audit_head WHERE id = 1`).Scan(&rep.HeadID, &rep.HeadHash); err != nil {
			return one(err, "Audit chain head")
		}
		if rep.HeadHash == "" {
			rep.Unsealed = true
			return tx.queryRow(`SELECT COUNT(*) FROM audit_log`).Scan(&rep.Entries)
		}
		// Rows past the head were appended after it was read.
		rows, err := tx.query(`SELECT `+auditColumns+` FROM audit_log WHERE id <= ? ORDER BY id`, rep.HeadID)
		if err != nil {
			return err
		}
		defer rows.Close()
		prev, wantID := genesisHash, int64(1)
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				return err
			}
			rep.Entries++
			switch {
			case e.ID != wantID:
				rep.BrokenAt, rep.Problem = e.ID, fmt.Sprintf("entry %d is missing (the next entry is %d)", wantID, e.ID)
			case e.PrevHash != prev:
				rep.BrokenAt, rep.Problem = e.ID, fmt.Sprintf("entry %d does not follow from entry %d (an entry before it was changed, removed or inserted)", e.ID, e.ID-1)
			case chainHash(prev, &e) != e.Hash:
				rep.BrokenAt, rep.Problem = e.ID, fmt.Sprintf("entry %d was changed after it was written", e.ID)
			}
			if rep.Problem != "" {
				return nil
			}
			prev, wantID = e.Hash, e.ID+1
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if wantID-1 != rep.HeadID || prev != rep.HeadHash {
			rep.BrokenAt = wantID
			rep.Problem = fmt.Sprintf("the log ends at entry %d but the chain head is entry %d (entries at the end were removed)", wantID-1, rep.HeadID)
		}
		return nil
	})
	return rep, err
}

// auditColumns are the audit_log columns scanAudit reads, in order.
const auditColumns = `id, at, actor, account_id, via, action, entity, entity_id, detail, prev_hash, hash`

// queryAudit runs an audit_log query (selecting auditColumns) and returns
// its entries.
func (tx *Tx) queryAudit(q string, args ...any) ([]AuditEntry, error) {
	rows, err := tx.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func scanAudit(sc rowScanner) (AuditEntry, error) {
	var e AuditEntry
	err := sc.Scan(&e.ID, scanTime(&e.At), &e.Actor, &e.AccountID, &e.Via, &e.Action, &e.Entity, &e.EntityID, &e.Detail, &e.PrevHash, &e.Hash)
	return e, err
}

// auditTime is the time an audit row records: the transaction's, in UTC
// and to the microsecond, exactly as both databases give it back.
func auditTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
