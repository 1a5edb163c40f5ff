package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Two-factor sign-in (TOTP, RFC 6238). The store keeps the secret sealed
// (the caller seals it with the site key, internal/secret: the store never
// sees it in clear), whether it is on, the last time step used (a code is
// good once), and the recovery codes' hashes. The codes themselves are
// checked in internal/auth.

// TwoFactor is an account's two-factor state.
type TwoFactor struct {
	Sealed        string // the TOTP secret, sealed; "" when none
	Enabled       bool   // confirmed with a code, asked at sign-in
	LastStep      int64  // the newest time step a code was accepted for
	RecoveryCodes int    // unused recovery codes left
}

// FindTwoFactor returns the account's two-factor state.
func (s *Store) FindTwoFactor(ctx context.Context, accountID string) (TwoFactor, error) {
	var tf TwoFactor
	err := s.read(ctx, func(tx *Tx) error {
		err := tx.queryRow(`SELECT totp_secret, totp_enabled, totp_last_step FROM accounts WHERE id = ?`, accountID).
			Scan(&tf.Sealed, &tf.Enabled, &tf.LastStep)
		if err != nil {
			return one(err, "Account")
		}
		return tx.queryRow(`SELECT COUNT(*) FROM recovery_codes WHERE account_id = ? AND used_at IS NULL`, accountID).Scan(&tf.RecoveryCodes)
	})
	return tf, err
}

// BeginTOTP stores a new sealed secret, not yet on: enrolment finishes
// with EnableTOTP once the person has typed a code from it. An account
// whose two-factor is on must turn it off first.
func (s *Store) BeginTOTP(ctx context.Context, accountID, sealed string) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE accounts SET totp_secret = ?, totp_last_step = 0, date_updated = ? WHERE id = ? AND NOT totp_enabled`,
			sealed, tx.ts(tx.now), accountID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &hmis.Error{Code: hmis.ECONFLICT, Message: "Two-factor sign-in is already on for this account."}
		}
		return tx.audit("update", "account", accountID, "two-factor enrolment started")
	})
}

// EnableTOTP turns two-factor on after a code from the pending secret was
// confirmed at step, replaces the recovery codes with recoveryHashes, and
// lets the account's sessions past the enrolment requirement.
func (s *Store) EnableTOTP(ctx context.Context, accountID string, step int64, recoveryHashes []string) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE accounts SET totp_enabled = ?, totp_last_step = ?, date_updated = ? WHERE id = ? AND totp_secret <> '' AND NOT totp_enabled`,
			true, step, tx.ts(tx.now), accountID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &hmis.Error{Code: hmis.ECONFLICT, Message: "There is no two-factor enrolment to confirm. Start again."}
		}
		if err := tx.replaceRecoveryCodes(accountID, recoveryHashes); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE sessions SET must_enrol_2fa = ? WHERE account_id = ?`, false, accountID); err != nil {
			return err
		}
		return tx.audit("update", "account", accountID, "two-factor sign-in turned on")
	})
}

func (tx *Tx) replaceRecoveryCodes(accountID string, hashes []string) error {
	if _, err := tx.exec(`DELETE FROM recovery_codes WHERE account_id = ?`, accountID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := tx.exec(`INSERT INTO recovery_codes (account_id, code_hash) VALUES (?, ?)`, accountID, h); err != nil {
			return err
		}
	}
	return nil
}

// DisableTOTP turns two-factor off and forgets the secret and the
// recovery codes (the person, or an administrator for a lost phone).
func (s *Store) DisableTOTP(ctx context.Context, accountID string) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE accounts SET totp_secret = '', totp_enabled = ?, totp_last_step = 0, date_updated = ? WHERE id = ?`,
			false, tx.ts(tx.now), accountID)
		if err != nil {
			return err
		}
		if err := affected(res, "Account"); err != nil {
			return err
		}
		if err := tx.replaceRecoveryCodes(accountID, nil); err != nil {
			return err
		}
		return tx.audit("update", "account", accountID, "two-factor sign-in turned off")
	})
}

// UseTOTPStep records that a code for step was accepted, and reports
// false when a code for this step or a later one was accepted before: a
// code works once, even within its 30 seconds.
func (s *Store) UseTOTPStep(ctx context.Context, accountID string, step int64) (bool, error) {
	var ok bool
	err := s.write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE accounts SET totp_last_step = ? WHERE id = ? AND totp_enabled AND totp_last_step < ?`, step, accountID, step)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		ok = n == 1
		return nil
	})
	return ok, err
}

// UseRecoveryCode spends the recovery code with the given hash; false
// when the account has no such unused code.
func (s *Store) UseRecoveryCode(ctx context.Context, accountID, codeHash string) (bool, error) {
	var ok bool
	err := s.write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE recovery_codes SET used_at = ? WHERE account_id = ? AND code_hash = ? AND used_at IS NULL`,
			tx.ts(tx.now), accountID, codeHash)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		if ok = n == 1; ok {
			return tx.audit("update", "account", accountID, "recovery code used")
		}
		return nil
	})
	return ok, err
}

// Sign-in challenges: a password that passed, waiting for the second
// factor. Like sessions, only the token's hash is stored.

// CreateSignInChallenge stores a challenge for token, valid for ttl.
func (s *Store) CreateSignInChallenge(ctx context.Context, token, accountID string, ttl time.Duration) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`DELETE FROM sign_in_challenges WHERE expires < ?`, tx.ts(tx.now)); err != nil {
			return err
		}
		_, err := tx.exec(`INSERT INTO sign_in_challenges (id, account_id, expires) VALUES (?, ?, ?)`,
			SessionID(token), accountID, tx.ts(tx.now.Add(ttl)))
		return err
	})
}

// errChallengeEnded is the answer to an unknown or expired challenge.
var errChallengeEnded = &hmis.Error{Code: hmis.EUNAUTHENTICATED, Message: "The sign-in took too long. Please sign in again."}

// FindSignInChallenge returns the account a live challenge is for.
func (s *Store) FindSignInChallenge(ctx context.Context, token string) (hmis.Account, error) {
	var a hmis.Account
	err := s.read(ctx, func(tx *Tx) error {
		var id string
		var exp time.Time
		err := tx.queryRow(`SELECT account_id, expires FROM sign_in_challenges WHERE id = ?`, SessionID(token)).Scan(&id, scanTime(&exp))
		if errors.Is(err, sql.ErrNoRows) {
			return errChallengeEnded
		}
		if err != nil {
			return err
		}
		if tx.now.After(exp) {
			return errChallengeEnded
		}
		a, err = scanAccount(tx.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id))
		return one(err, "Account")
	})
	return a, err
}

// EndSignInChallenge deletes a challenge (used, or abandoned).
func (s *Store) EndSignInChallenge(ctx context.Context, token string) error {
	return s.write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`DELETE FROM sign_in_challenges WHERE id = ?`, SessionID(token))
		return err
	})
}

// Who must use two-factor is a site setting: "all", or a comma-separated
// list of roles; unset is nobody. Demo accounts are always exempt.

const settingTwoFactor = "two_factor_required"

// TwoFactorPolicy says which roles must sign in with a second factor.
type TwoFactorPolicy struct {
	All   bool
	Roles []hmis.Role
}

// Requires reports whether the policy asks a of a second factor.
func (p TwoFactorPolicy) Requires(a hmis.Account) bool {
	if a.Demo {
		return false
	}
	return p.All || slices.Contains(p.Roles, a.Role)
}

// String is the policy as people read it.
func (p TwoFactorPolicy) String() string {
	switch {
	case p.All:
		return "required for everyone"
	case len(p.Roles) == 0:
		return "optional for everyone"
	}
	var names []string
	for _, r := range p.Roles {
		names = append(names, string(r))
	}
	return "required for " + strings.Join(names, ", ")
}

// FindTwoFactorPolicy reads the site's two-factor policy.
func (s *Store) FindTwoFactorPolicy(ctx context.Context) (TwoFactorPolicy, error) {
	v, _, err := s.Setting(ctx, settingTwoFactor)
	if err != nil {
		return TwoFactorPolicy{}, err
	}
	var p TwoFactorPolicy
	for _, f := range strings.Split(v, ",") {
		switch f = strings.TrimSpace(f); f {
		case "":
		case "all":
			p.All = true
		default:
			if r, err := hmis.ParseRole(f); err == nil {
				p.Roles = append(p.Roles, r)
			}
		}
	}
	return p, nil
}

// SetTwoFactorRequired turns the requirement on or off for one role, or
// with role "all" for everyone (off for "all" clears every role too).
func (s *Store) SetTwoFactorRequired(ctx context.Context, role string, on bool) (TwoFactorPolicy, error) {
	p, err := s.FindTwoFactorPolicy(ctx)
	if err != nil {
		return p, err
	}
	if role == "all" {
		p = TwoFactorPolicy{All: on}
	} else {
		r, err := hmis.ParseRole(role)
		if err != nil {
			return p, err
		}
		p.Roles = slices.DeleteFunc(p.Roles, func(x hmis.Role) bool { return x == r })
		if on {
			p.Roles = append(p.Roles, r)
		}
	}
	var parts []string
	if p.All {
		parts = append(parts, "all")
	}
	for _, r := range p.Roles {
		parts = append(parts, string(r))
	}
	return p, s.SetSetting(ctx, settingTwoFactor, strings.Join(parts, ","))
}
