package store

import (
	"context"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

const accountColumns = `id, user_id, username, organization_id, role, first_name, last_name, email,
	demo, must_change_password, failed_sign_ins, locked_until, disabled, last_sign_in, date_created, date_updated`

func scanAccount(sc rowScanner) (hmis.Account, error) {
	var a hmis.Account
	var role string
	err := sc.Scan(&a.ID, &a.UserID, &a.Username, &a.OrganizationID, &role, &a.FirstName, &a.LastName, &a.Email,
		&a.Demo, &a.MustChangePassword, &a.FailedSignIns, scanTime(&a.LockedUntil), &a.Disabled,
		scanTime(&a.LastSignIn), scanTime(&a.DateCreated), scanTime(&a.DateUpdated))
	a.Role = hmis.Role(role)
	return a, err
}

// NormalizeUsername is how usernames are compared: trimmed, lower case.
func NormalizeUsername(u string) string { return strings.ToLower(strings.TrimSpace(u)) }

// CreateAccount adds a sign-in account with an already hashed password.
// a.ID and a.UserID are generated when empty. The HUD User record
// (User.csv) for the account is created in the same transaction.
func (s *Store) CreateAccount(ctx context.Context, a hmis.Account, passwordHash string) (hmis.Account, error) {
	a.Username = NormalizeUsername(a.Username)
	fe := hmis.FieldErrors{}
	if a.Username == "" {
		fe.Add("username", "Enter a username.")
	} else if len(a.Username) > 64 || strings.ContainsAny(a.Username, " \t\r\n/") {
		fe.Add("username", "A username has at most 64 characters and no spaces or slashes.")
	}
	if _, err := hmis.ParseRole(string(a.Role)); err != nil {
		fe.Add("role", "Choose a role: admin, org_admin, case_manager or read_only.")
	}
	if a.OrganizationID == "" {
		fe.Add("organization", "Choose an organization.")
	}
	if passwordHash == "" {
		fe.Add("password", "Enter a password.")
	}
	if err := fe.Err("The account could not be created."); err != nil {
		return hmis.Account{}, err
	}
	if a.ID == "" {
		a.ID = NewID()
	}
	if a.UserID == "" {
		a.UserID = a.ID
	}
	err := s.write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM accounts WHERE username = ?`, a.Username).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &hmis.Error{Code: hmis.ECONFLICT, Message: "That username is taken.", Fields: map[string]string{"username": "That username is taken."}}
		}
		if err := tx.requireOrganization(a.OrganizationID); err != nil {
			return err
		}
		a.DateCreated, a.DateUpdated = tx.now, tx.now
		_, err := tx.exec(`INSERT INTO accounts (id, user_id, username, organization_id, role, first_name, last_name, email,
			password_hash, demo, must_change_password, failed_sign_ins, disabled, date_created, date_updated)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
			a.ID, a.UserID, a.Username, a.OrganizationID, string(a.Role), a.FirstName, a.LastName, a.Email,
			passwordHash, a.Demo, a.MustChangePassword, a.Disabled, tx.ts(tx.now), tx.ts(tx.now))
		if err != nil {
			return err
		}
		if err := tx.ensureHUDUser(a); err != nil {
			return err
		}
		return tx.audit("create", "account", a.ID, "role="+string(a.Role))
	})
	return a, err
}

// FindAccountByID returns the account with the given ID.
func (s *Store) FindAccountByID(ctx context.Context, id string) (hmis.Account, error) {
	var a hmis.Account
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		a, err = scanAccount(tx.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id))
		return one(err, "Account")
	})
	return a, err
}

// FindAccountByUsername returns the account and its password hash.
func (s *Store) FindAccountByUsername(ctx context.Context, username string) (hmis.Account, string, error) {
	var a hmis.Account
	var hash string
	err := s.read(ctx, func(tx *Tx) error {
		row := tx.queryRow(`SELECT password_hash, `+accountColumns+` FROM accounts WHERE username = ?`, NormalizeUsername(username))
		var err error
		a, err = scanAccount(scanPrefix{row, &hash})
		return one(err, "Account")
	})
	return a, hash, err
}

// scanPrefix scans leading columns into extra before handing the rest on.
type scanPrefix struct {
	sc    rowScanner
	extra *string
}

func (p scanPrefix) Scan(dest ...any) error {
	return p.sc.Scan(append([]any{p.extra}, dest...)...)
}

// FindAccounts returns every account, ordered by username.
func (s *Store) FindAccounts(ctx context.Context) ([]hmis.Account, error) {
	var out []hmis.Account
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT ` + accountColumns + ` FROM accounts ORDER BY username`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAccount(rows)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		return rows.Err()
	})
	return out, err
}

// RecordSignIn notes the outcome of a sign-in attempt. After maxFailures
// failures in a row the account locks until now+lockFor. Success resets
// the count. Both outcomes are audited.
func (s *Store) RecordSignIn(ctx context.Context, accountID string, ok bool, maxFailures int, lockFor time.Duration) (hmis.Account, error) {
	outcome := SignInFailed
	if ok {
		outcome = SignInOK
	}
	return s.RecordSignInOutcome(ctx, accountID, outcome, "", maxFailures, lockFor)
}

// SignInOutcome is how one step of a sign-in ended.
type SignInOutcome int

const (
	// SignInFailed: a wrong password or a wrong second-factor code. It
	// counts toward the lockout.
	SignInFailed SignInOutcome = iota
	// SignInPasswordOK: the password was right and a second factor is
	// asked for next. The failure count stays: a stolen password does
	// not buy unlimited guesses at the code.
	SignInPasswordOK
	// SignInOK: signed in. The failure count resets.
	SignInOK
)

// RecordSignInOutcome is RecordSignIn for each step of a sign-in with
// two factors; detail goes into the audit row (e.g. "wrong code").
func (s *Store) RecordSignInOutcome(ctx context.Context, accountID string, outcome SignInOutcome, detail string, maxFailures int, lockFor time.Duration) (hmis.Account, error) {
	var a hmis.Account
	err := s.write(ctx, func(tx *Tx) error {
		switch outcome {
		case SignInOK:
			if _, err := tx.exec(`UPDATE accounts SET failed_sign_ins = 0, locked_until = NULL, last_sign_in = ? WHERE id = ?`,
				tx.ts(tx.now), accountID); err != nil {
				return err
			}
		case SignInFailed:
			if _, err := tx.exec(`UPDATE accounts SET failed_sign_ins = failed_sign_ins + 1 WHERE id = ?`, accountID); err != nil {
				return err
			}
			if _, err := tx.exec(`UPDATE accounts SET locked_until = ?, failed_sign_ins = 0 WHERE id = ? AND failed_sign_ins >= ?`,
				tx.ts(tx.now.Add(lockFor)), accountID, maxFailures); err != nil {
				return err
			}
		}
		var err error
		a, err = scanAccount(tx.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE id = ?`, accountID))
		if err != nil {
			return one(err, "Account")
		}
		action := map[SignInOutcome]string{SignInOK: "sign_in", SignInFailed: "sign_in_failed", SignInPasswordOK: "sign_in_password"}[outcome]
		return tx.audit(action, "account", accountID, detail)
	})
	return a, err
}

// SetPassword replaces an account's password hash and revokes its sessions.
func (s *Store) SetPassword(ctx context.Context, accountID, passwordHash string, mustChange bool) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE accounts SET password_hash = ?, must_change_password = ?, date_updated = ? WHERE id = ?`,
			passwordHash, mustChange, tx.ts(tx.now), accountID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Account")
		}
		if _, err := tx.exec(`UPDATE sessions SET revoked_at = ?, ended_reason = 'password' WHERE account_id = ? AND revoked_at IS NULL`, tx.ts(tx.now), accountID); err != nil {
			return err
		}
		detail := "password changed"
		if mustChange {
			detail = "password reset: must be changed at next sign-in"
		}
		return tx.audit("update", "account", accountID, detail)
	})
}
