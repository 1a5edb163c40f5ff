package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
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

// CreateSession stores a new session for token, valid until now+maxAge,
// leaving the account's other sessions alone (StartSession can end them).
func (s *Store) CreateSession(ctx context.Context, token, accountID, ip, userAgent string, maxAge time.Duration) (hmis.Session, error) {
	return s.StartSession(ctx, NewSession{Token: token, AccountID: accountID, IP: ip, UserAgent: userAgent, MaxAge: maxAge})
}

// NewSession describes a session to start.
type NewSession struct {
	Token, AccountID, IP, UserAgent string
	MaxAge                          time.Duration
	// MaxSessions, when positive, is how many live sessions the account
	// may have: the oldest others end, and their browsers are told that
	// a newer sign-in replaced them (HUD: one user, one workstation).
	MaxSessions int
	// MustEnrol2FA sends the session to two-factor enrolment before
	// anything else opens (the site requires it, the account has none).
	MustEnrol2FA bool
}

// StartSession stores a new session (sign-in) and applies MaxSessions.
func (s *Store) StartSession(ctx context.Context, n NewSession) (hmis.Session, error) {
	var sess hmis.Session
	if len(n.UserAgent) > 256 {
		n.UserAgent = n.UserAgent[:256]
	}
	err := s.write(ctx, func(tx *Tx) error {
		sess = hmis.Session{ID: SessionID(n.Token), AccountID: n.AccountID, Created: tx.now, LastSeen: tx.now,
			Expires: tx.now.Add(n.MaxAge), IP: n.IP, UserAgent: n.UserAgent}
		_, err := tx.exec(`INSERT INTO sessions (id, account_id, created, last_seen, expires, ip, user_agent, must_enrol_2fa) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			sess.ID, n.AccountID, tx.ts(sess.Created), tx.ts(sess.LastSeen), tx.ts(sess.Expires), n.IP, n.UserAgent, n.MustEnrol2FA)
		if err != nil {
			return err
		}
		if err := tx.audit("create", "session", n.AccountID, ""); err != nil {
			return err
		}
		if n.MaxSessions <= 0 {
			return nil
		}
		// Keep the newest MaxSessions-1 others; end the rest.
		res, err := tx.exec(`UPDATE sessions SET revoked_at = ?, ended_reason = 'replaced'
			WHERE account_id = ? AND revoked_at IS NULL AND id <> ? AND id NOT IN (
				SELECT id FROM sessions WHERE account_id = ? AND revoked_at IS NULL AND id <> ? AND expires > ?
				ORDER BY created DESC LIMIT ?)`,
			tx.ts(tx.now), n.AccountID, sess.ID, n.AccountID, sess.ID, tx.ts(tx.now), n.MaxSessions-1)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k > 0 {
			return tx.audit("delete", "session", n.AccountID, fmt.Sprintf("%d older session(s) ended by a new sign-in", k))
		}
		return nil
	})
	return sess, err
}

// errSessionEnded is what every unusable session looks like to a caller,
// but for the two that the browser holding it is told about.
var errSessionEnded = &hmis.Error{Code: hmis.EUNAUTHENTICATED, Message: "Your session has ended. Please sign in again."}

// ErrSessionReplaced ends a session that a newer sign-in of the same
// account replaced (one session per user).
var ErrSessionReplaced = &hmis.Error{Code: hmis.EUNAUTHENTICATED,
	Message: "You were signed out because your account signed in on another computer or browser. Only one session per user is allowed."}

// ErrSessionRevoked ends a session an administrator signed out.
var ErrSessionRevoked = &hmis.Error{Code: hmis.EUNAUTHENTICATED,
	Message: "An administrator signed you out. Sign in again, or ask your HMIS administrator why."}

// SessionState is a live session, its account, and what it must do
// before anything else.
type SessionState struct {
	Session      hmis.Session
	Account      hmis.Account // OrganizationID: the organization the session acts for
	MustEnrol2FA bool
	// HomeOrganizationID is the account's own organization; Account's
	// differs when the session acts for another it belongs to.
	HomeOrganizationID string
}

// TouchSession returns the live session for token and its account, and
// moves its last-seen time to now. A session that is unknown, revoked,
// past its expiry, idle for longer than idle, or whose account is disabled
// is an EUNAUTHENTICATED error (ErrSessionReplaced or ErrSessionRevoked
// when that is why it ended). Touches within a minute are not written,
// to spare the single SQLite writer.
func (s *Store) TouchSession(ctx context.Context, token string, idle time.Duration) (hmis.Session, hmis.Account, error) {
	st, err := s.TouchSessionState(ctx, token, idle)
	return st.Session, st.Account, err
}

// TouchSessionState is TouchSession with the session's requirements.
func (s *Store) TouchSessionState(ctx context.Context, token string, idle time.Duration) (SessionState, error) {
	var st SessionState
	var reason string
	id := SessionID(token)
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		var acting sql.NullString
		st.Session, err = scanSession(scanExtra{tx.queryRow(`SELECT `+sessionColumns+`, ended_reason, must_enrol_2fa, acting_organization_id FROM sessions WHERE id = ?`, id),
			[]any{&reason, &st.MustEnrol2FA, &acting}})
		if err != nil {
			return one(err, "Session")
		}
		st.Account, err = scanAccount(tx.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE id = ?`, st.Session.AccountID))
		if err != nil {
			return one(err, "Account")
		}
		st.HomeOrganizationID = st.Account.OrganizationID
		if acting.Valid && acting.String != st.Account.OrganizationID {
			// Only while the account still belongs to it (memberships.go).
			var n int
			if err := tx.queryRow(`SELECT COUNT(*) FROM account_organizations WHERE account_id = ? AND organization_id = ?`,
				st.Account.ID, acting.String).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				st.Account.OrganizationID = acting.String
			}
		}
		return nil
	})
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		return st, errSessionEnded
	}
	if err != nil {
		return st, err
	}
	now := s.now().UTC()
	if st.Session.Revoked {
		switch reason {
		case "replaced":
			return st, ErrSessionReplaced
		case "revoked":
			return st, ErrSessionRevoked
		}
		return st, errSessionEnded
	}
	if st.Account.Disabled || now.After(st.Session.Expires) || now.Sub(st.Session.LastSeen) > idle {
		return st, errSessionEnded
	}
	if now.Sub(st.Session.LastSeen) > time.Minute {
		err = s.write(ctx, func(tx *Tx) error {
			_, err := tx.exec(`UPDATE sessions SET last_seen = ? WHERE id = ?`, tx.ts(tx.now), id)
			return err
		})
		st.Session.LastSeen = now
	}
	return st, err
}

// scanExtra scans trailing columns into extra after the rest.
type scanExtra struct {
	sc    rowScanner
	extra []any
}

func (p scanExtra) Scan(dest ...any) error { return p.sc.Scan(append(dest, p.extra...)...) }

// RevokeAccountSessions ends every live session of an account (an
// administrator's "sign out everywhere"); their browsers are told an
// administrator signed them out. It returns how many ended.
func (s *Store) RevokeAccountSessions(ctx context.Context, accountID string) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *Tx) error {
		var k int
		if err := tx.queryRow(`SELECT COUNT(*) FROM accounts WHERE id = ?`, accountID).Scan(&k); err != nil {
			return err
		}
		if k == 0 {
			return notFound("Account")
		}
		res, err := tx.exec(`UPDATE sessions SET revoked_at = ?, ended_reason = 'revoked' WHERE account_id = ? AND revoked_at IS NULL`, tx.ts(tx.now), accountID)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return tx.audit("delete", "session", accountID, fmt.Sprintf("%d session(s) revoked by an administrator", n))
	})
	return int(n), err
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
