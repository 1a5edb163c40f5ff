package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// SessionID is the stored form of a session token: its SHA-256, so the
// database never holds a token that could sign anyone in.
func SessionID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

const sessionColumns = `id, account_id, created, last_seen, expires, ip, user_agent, revoked_at IS NOT NULL`

func scanSession(sc rowScanner) (hmis.Session, error) {
	var s hmis.Session
	err := sc.Scan(&s.ID, &s.AccountID, scanTime(&s.Created), scanTime(&s.LastSeen), scanTime(&s.Expires), &s.IP, &s.UserAgent, &s.Revoked)
	return s, err
}

// CreateSession stores a new session for token, valid until now+maxAge.
func (s *Store) CreateSession(ctx context.Context, token, accountID, ip, userAgent string, maxAge time.Duration) (hmis.Session, error) {
	var sess hmis.Session
	if len(userAgent) > 256 {
		userAgent = userAgent[:256]
	}
	err := s.write(ctx, func(tx *Tx) error {
		sess = hmis.Session{ID: SessionID(token), AccountID: accountID, Created: tx.now, LastSeen: tx.now,
			Expires: tx.now.Add(maxAge), IP: ip, UserAgent: userAgent}
		_, err := tx.exec(`INSERT INTO sessions (id, account_id, created, last_seen, expires, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			sess.ID, accountID, tx.ts(sess.Created), tx.ts(sess.LastSeen), tx.ts(sess.Expires), ip, userAgent)
		if err != nil {
			return err
		}
		return tx.audit("create", "session", accountID, "")
	})
	return sess, err
}

// errSessionEnded is what every unusable session looks like to a caller.
var errSessionEnded = &hmis.Error{Code: hmis.EUNAUTHENTICATED, Message: "Your session has ended. Please sign in again."}

// TouchSession returns the live session for token and its account, and
// moves its last-seen time to now. A session that is unknown, revoked,
// past its expiry, idle for longer than idle, or whose account is disabled
// is an EUNAUTHENTICATED error. Touches within a minute are not written,
// to spare the single SQLite writer.
func (s *Store) TouchSession(ctx context.Context, token string, idle time.Duration) (hmis.Session, hmis.Account, error) {
	var sess hmis.Session
	var acct hmis.Account
	id := SessionID(token)
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		sess, err = scanSession(tx.queryRow(`SELECT `+sessionColumns+` FROM sessions WHERE id = ?`, id))
		if err != nil {
			return one(err, "Session")
		}
		acct, err = scanAccount(tx.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE id = ?`, sess.AccountID))
		return one(err, "Account")
	})
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		return sess, acct, errSessionEnded
	}
	if err != nil {
		return sess, acct, err
	}
	now := s.now().UTC()
	if sess.Revoked || acct.Disabled || now.After(sess.Expires) || now.Sub(sess.LastSeen) > idle {
		return sess, acct, errSessionEnded
	}
	if now.Sub(sess.LastSeen) > time.Minute {
		err = s.write(ctx, func(tx *Tx) error {
			_, err := tx.exec(`UPDATE sessions SET last_seen = ? WHERE id = ?`, tx.ts(tx.now), id)
			return err
		})
		sess.LastSeen = now
	}
	return sess, acct, err
}

// RevokeSession ends the session for token (sign-out). Unknown tokens are
// ignored: signing out twice is not an error.
func (s *Store) RevokeSession(ctx context.Context, token string) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, tx.ts(tx.now), SessionID(token))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return tx.audit("delete", "session", tx.actor.AccountID, "signed out")
	})
}

// RevokeSessionByID ends one of an account's sessions ("active sessions"
// on My Profile). Another account's session is not found.
func (s *Store) RevokeSessionByID(ctx context.Context, accountID, sessionID string) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE sessions SET revoked_at = ? WHERE id = ? AND account_id = ? AND revoked_at IS NULL`, tx.ts(tx.now), sessionID, accountID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Session")
		}
		return tx.audit("delete", "session", accountID, "revoked")
	})
}

// FindSessions returns an account's live sessions, newest first.
func (s *Store) FindSessions(ctx context.Context, accountID string) ([]hmis.Session, error) {
	var out []hmis.Session
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT `+sessionColumns+` FROM sessions WHERE account_id = ? AND revoked_at IS NULL AND expires > ? ORDER BY last_seen DESC`,
			accountID, tx.ts(tx.now))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			s, err := scanSession(rows)
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	return out, err
}
