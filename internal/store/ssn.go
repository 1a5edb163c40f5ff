package store

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/search"
)

// SSNs at rest (issue 6 item 7). clients.ssn never holds an SSN in clear:
// every write path of a client record (CreateRecord, UpdateRecord, the
// bulk Batch of imports and seeding, and so the client forms) stores an
// envelope
//
//	s1:<full digest>:<last-four digest>:<AES-GCM sealed SSN>
//
// made from the plaintext passing through the write. The SSN is sealed
// with the site key (internal/secret), bound to the client's PersonalID
// (a sealed value copied to another row does not open). The two digests
// are the client search's keyed HMACs (search.Digester) under a key
// derived from the site key, so the search indexer files a client under
// its SSN without opening, or ever reading in clear, the stored SSN; and
// a database copied without the key holds neither the SSNs nor a key to
// test guesses against (the digest key used to live in the settings
// table, next to the digests, where 10^9 guesses would find any SSN).
// Every read of a client record opens the SSN again (findRecord,
// findRecords, the export), so exports hold the SSN as HUD expects.
//
// Stores opened before sealing existed hold SSNs in clear: SealSSNs,
// run by sites.Open on every start, seals them once and re-files every
// client under the new digests. A store opened without the site key
// (Options.Key) can neither write nor read an SSN.

const (
	// searchKeyLabel derives the search digests' key from the site key.
	searchKeyLabel = "client search ssn digests v1"
	// ssnEnvelope starts a stored SSN.
	ssnEnvelope = "s1:"
	// ssnSealedSetting holds the fingerprint of the site key the SSNs are
	// sealed with, once every SSN is sealed.
	ssnSealedSetting = "ssn_sealed_with"
	// legacySearchKeySetting is where the digest key lived before.
	legacySearchKeySetting = "client_search_key"
	// sealChunk is how many clients one sealing transaction takes.
	sealChunk = 2000
)

// errNoKey: the store was opened without the site key.
var errNoKey = errors.New("store: opened without the site key (HEARTH_SECRET_KEY or DATA/secret.key), so SSNs can be neither sealed nor opened")

func ssnAD(personalID string) []byte { return []byte("ssn:" + personalID) }

// clientSSNArg is the position of the SSN among a client record's column
// values (clientArgs, in insertSQL's order).
var clientSSNArg = func() int {
	q := clientTable.insertSQL
	cols := strings.Split(q[strings.Index(q, "(")+1:strings.Index(q, ")")], ", ")
	i := slices.Index(cols, "ssn")
	if i < 0 || cols[0] != clientTable.key {
		panic("store: the clients table has no ssn column after its key")
	}
	return i
}()

// sealSSN returns the stored form of a client's SSN ("" stays "").
func (s *Store) sealSSN(personalID, ssn string) (string, error) {
	if ssn == "" {
		return "", nil
	}
	if s.key == nil {
		return "", errNoKey
	}
	full, last4 := search.NewDigester(s.searchKey).Digests(ssn)
	return ssnEnvelope + full + ":" + last4 + ":" + s.key.Seal([]byte(ssn), ssnAD(personalID)), nil
}

// ssnDigests returns the search digests a stored SSN carries, without
// opening it; ok is false for a value that is not sealed.
func ssnDigests(stored string) (full, last4 string, ok bool) {
	rest, ok := strings.CutPrefix(stored, ssnEnvelope)
	if !ok {
		return "", "", false
	}
	parts := strings.SplitN(rest, ":", 3)
	if len(parts) != 3 {
		return "", "", false
	}
	return parts[0], parts[1], true
}

// openSSN returns a stored SSN in clear. A value without the envelope is
// one not sealed yet (SealSSNs has not run) and is returned as it is.
func (s *Store) openSSN(personalID, stored string) (string, error) {
	rest, ok := strings.CutPrefix(stored, ssnEnvelope)
	if !ok {
		return stored, nil
	}
	if s.key == nil {
		return "", errNoKey
	}
	parts := strings.SplitN(rest, ":", 3)
	if len(parts) != 3 {
		return "", errors.New("store: a client's stored SSN is damaged")
	}
	b, err := s.key.Open(parts[2], ssnAD(personalID))
	if err != nil {
		// No PersonalID or value in the message: it may reach a log.
		return "", fmt.Errorf("store: a client's SSN cannot be opened: %w", err)
	}
	return string(b), nil
}

// sealArgs seals the SSN among a record's column values when table is
// the clients table (args in insert order: the PersonalID first).
func (s *Store) sealArgs(table string, args []any) error {
	if table != clientTable.name {
		return nil
	}
	v, _ := args[clientSSNArg].(string)
	if v == "" {
		return nil
	}
	id, _ := args[0].(string)
	sealed, err := s.sealSSN(id, v)
	if err != nil {
		return err
	}
	args[clientSSNArg] = sealed
	return nil
}

// openRecord opens the SSN of a client record as read from its table.
func (s *Store) openRecord(r any) error {
	c, ok := r.(*hmis.Client)
	if !ok || c.SSN == "" {
		return nil
	}
	var err error
	c.SSN, err = s.openSSN(c.PersonalID, c.SSN)
	return err
}

// keyFingerprint names the site key without telling anything of it.
func (s *Store) keyFingerprint() string {
	return hex.EncodeToString(s.key.Derive("ssn seal fingerprint")[:8])
}

// SealSSNs seals every SSN still stored in clear and returns how many it
// sealed. The first time it runs on a site it also re-files every client
// in the search index (the digests' key changes from the one kept in the
// settings table to one derived from the site key) and forgets the old
// key. Then it records the site key's fingerprint: later calls return at
// once, and a start with another site key is refused with a clear
// message instead of leaving every SSN unreadable. One audit entry
// ("ssn.seal", with the count) when anything was sealed. sites.Open
// calls it on every start.
func (s *Store) SealSSNs(ctx context.Context) (int, error) {
	if s.key == nil {
		return 0, errNoKey
	}
	ctx = hmis.NewContext(ctx, hmis.SystemActor("seal"))
	fp := s.keyFingerprint()
	have, ok, err := s.Setting(ctx, ssnSealedSetting)
	switch {
	case err != nil:
		return 0, err
	case ok && have == fp:
		return 0, nil
	case ok:
		return 0, errors.New("the SSNs of this site were sealed with another site key: start Hearth with the key they were sealed with (HEARTH_SECRET_KEY or DATA/secret.key)")
	}
	total := 0
	for {
		n := 0
		err := s.write(ctx, func(tx *Tx) error {
			rows, err := tx.query(`SELECT personal_id, ssn FROM clients WHERE ssn IS NOT NULL AND ssn <> '' AND ssn NOT LIKE 's1:%'
				ORDER BY personal_id LIMIT ?`, sealChunk)
			if err != nil {
				return err
			}
			type row struct{ id, ssn string }
			var rs []row
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.id, &r.ssn); err != nil {
					rows.Close()
					return err
				}
				rs = append(rs, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, r := range rs {
				sealed, err := s.sealSSN(r.id, r.ssn)
				if err != nil {
					return err
				}
				if _, err := tx.exec(`UPDATE clients SET ssn = ? WHERE personal_id = ?`, sealed, r.id); err != nil {
					return err
				}
			}
			n = len(rs)
			return nil
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < sealChunk {
			break
		}
	}
	err = s.write(ctx, func(tx *Tx) error {
		// Every client's digests change key: file them all again.
		if _, err := tx.exec(`INSERT INTO client_search_queue (personal_id)
			SELECT c.personal_id FROM clients c WHERE NOT EXISTS (SELECT 1 FROM client_search_queue q WHERE q.personal_id = c.personal_id)`); err != nil {
			return err
		}
		if _, err := tx.exec(`DELETE FROM settings WHERE key = ?`, legacySearchKeySetting); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, ssnSealedSetting, fp); err != nil {
			return err
		}
		return tx.audit("ssn.seal", "site", "", fmt.Sprintf("%d client SSNs sealed; every client queued for the search index", total))
	})
	return total, err
}
