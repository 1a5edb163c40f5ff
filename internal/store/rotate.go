package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/secret"
)

// Key rotation (issue 6 item 7). Everything sealed with the site key is
// sealed again under a new key in one transaction: every client's SSN
// (a new envelope: the search digests are keyed by a key derived from the
// site key, so they change too, and every client is queued to be filed
// again), every value of a sensitive client field, and every account's
// TOTP secret. The site's key fingerprint (ssn_sealed_with) becomes the
// new key's, so a later start with the old key is refused. A rollback
// leaves the site as it was, under the old key. A new column sealed with
// the site key must be added here (and to TestStore_RotateKey).

// RotateCounts tells what a rotation sealed again.
type RotateCounts struct {
	SSNs, Fields, TOTP int
	Already            bool // the site was already under the new key (a rotation resumed)
}

// RotateKey seals every sealed value of the site again under newKey and
// then uses newKey itself. The store must have been opened with the key
// the values are sealed with. Administrators (or the system) only;
// audited ("key.rotate", with the counts). Run it with Hearth stopped:
// a server still running holds the old key.
func (s *Store) RotateKey(ctx context.Context, newKey *secret.Key) (RotateCounts, error) {
	var n RotateCounts
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return n, errNoActor
	}
	if !actor.System && actor.Role != hmis.RoleAdmin {
		return n, &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only HMIS administrators rotate the site key."}
	}
	if s.key == nil || newKey == nil {
		return n, errNoKey
	}
	oldFP := s.keyFingerprint()
	next := &Store{key: newKey}
	newFP := next.keyFingerprint()
	if oldFP == newFP {
		return n, errors.New("the new key is the key in use: make a new one (openssl rand -base64 32)")
	}
	have, ok, err := s.Setting(ctx, ssnSealedSetting)
	switch {
	case err != nil:
		return n, err
	case ok && have == newFP:
		n.Already = true
		s.key, s.searchKey = newKey, newKey.Derive(searchKeyLabel)
		return n, nil
	case ok && have != oldFP:
		return n, errors.New("the site's values were sealed with another key than the one in use: start from the key they were sealed with")
	}
	next.searchKey = newKey.Derive(searchKeyLabel)
	err = s.write(ctx, func(tx *Tx) error {
		// SSNs (ssn.go): opened with the old key, sealed with the new one.
		type kv struct{ id, v, field string }
		collect := func(q string, withField bool) ([]kv, error) {
			rows, err := tx.query(q)
			if err != nil {
				return nil, err
			}
			defer rows.Close()
			var out []kv
			for rows.Next() {
				var r kv
				if withField {
					err = rows.Scan(&r.id, &r.field, &r.v)
				} else {
					err = rows.Scan(&r.id, &r.v)
				}
				if err != nil {
					return nil, err
				}
				out = append(out, r)
			}
			return out, rows.Err()
		}
		ssns, err := collect(`SELECT personal_id, ssn FROM clients WHERE ssn IS NOT NULL AND ssn <> '' ORDER BY personal_id`, false)
		if err != nil {
			return err
		}
		for _, r := range ssns {
			plain, err := s.openSSN(r.id, r.v)
			if err != nil {
				return err
			}
			sealed, err := next.sealSSN(r.id, plain)
			if err != nil {
				return err
			}
			if _, err := tx.exec(`UPDATE clients SET ssn = ? WHERE personal_id = ?`, sealed, r.id); err != nil {
				return err
			}
		}
		n.SSNs = len(ssns)
		// Sensitive client fields (client_fields.go).
		fields, err := collect(`SELECT personal_id, field_id, value FROM client_field_values WHERE value LIKE 'f1:%' ORDER BY personal_id, field_id`, true)
		if err != nil {
			return err
		}
		for _, r := range fields {
			plain, err := s.openFieldValue(r.id, r.field, r.v)
			if err != nil {
				return err
			}
			sealed, err := next.sealFieldValue(r.id, r.field, plain)
			if err != nil {
				return err
			}
			if _, err := tx.exec(`UPDATE client_field_values SET value = ? WHERE personal_id = ? AND field_id = ?`, sealed, r.id, r.field); err != nil {
				return err
			}
		}
		n.Fields = len(fields)
		// TOTP secrets (sealed by internal/web with "totp:" + account ID).
		totp, err := collect(`SELECT id, totp_secret FROM accounts WHERE totp_secret IS NOT NULL AND totp_secret <> '' ORDER BY id`, false)
		if err != nil {
			return err
		}
		for _, r := range totp {
			ad := []byte("totp:" + r.id)
			plain, err := s.key.Open(r.v, ad)
			if err != nil {
				return fmt.Errorf("store: an account's two-factor secret cannot be opened with the key in use: %w", err)
			}
			if _, err := tx.exec(`UPDATE accounts SET totp_secret = ? WHERE id = ?`, newKey.Seal(plain, ad), r.id); err != nil {
				return err
			}
		}
		n.TOTP = len(totp)
		// Every client's digests change key: file them all again.
		if _, err := tx.exec(`INSERT INTO client_search_queue (personal_id)
			SELECT c.personal_id FROM clients c WHERE NOT EXISTS (SELECT 1 FROM client_search_queue q WHERE q.personal_id = c.personal_id)`); err != nil {
			return err
		}
		if _, err := tx.exec(`DELETE FROM settings WHERE key = ?`, legacySearchKeySetting); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			ssnSealedSetting, newFP); err != nil {
			return err
		}
		return tx.audit("key.rotate", "site", "", fmt.Sprintf("sealed again under a new site key: %d SSNs, %d sensitive field values, %d two-factor secrets",
			n.SSNs, n.Fields, n.TOTP))
	})
	if err != nil {
		return RotateCounts{}, err
	}
	s.key, s.searchKey = newKey, next.searchKey
	return n, nil
}

// KeyFingerprint names the site key the store uses, without telling
// anything of it (16 hex digits), for the key commands' messages.
func (s *Store) KeyFingerprint() string {
	if s.key == nil {
		return ""
	}
	return strings.ToUpper(s.keyFingerprint())
}
