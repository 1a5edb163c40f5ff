package auth

import (
	"context"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Lockout policy: after MaxFailures wrong passwords in a row an account is
// locked for LockFor.
const (
	MaxFailures = 5
	LockFor     = 15 * time.Minute
)

// ErrWrongCredentials is the one answer to a wrong username or a wrong
// password: it never tells whether the username exists.
var ErrWrongCredentials = &hmis.Error{Code: hmis.EUNAUTHENTICATED, Message: "Wrong username or password."}

// dummyHash is verified against when the username is unknown, so that the
// answer takes as long as for a known one.
var dummyHash, _ = HashPassword("hearth-timing-equaliser")

// ErrLocked is the answer to a right password for a locked account.
var ErrLocked = &hmis.Error{Code: hmis.EUNAUTHENTICATED,
	Message: "This account is locked after repeated failed sign-ins. Try again in 15 minutes or ask your HMIS administrator."}

// ErrSecondFactorNeeded is SignIn's answer for an account with two-factor
// sign-in on: use SignInPassword and SignInCode.
var ErrSecondFactorNeeded = &hmis.Error{Code: hmis.EUNAUTHENTICATED, Message: "This account signs in with a code from an authenticator app as well."}

// SignIn checks a username and password against the site's accounts and
// records the outcome (lockout, audit). ctx must carry an actor for the
// audit row (the web uses an anonymous actor via "web"). An account with
// two-factor sign-in is refused with ErrSecondFactorNeeded: callers that
// can ask for the code use SignInPassword.
func SignIn(ctx context.Context, st *store.Store, username, password string) (hmis.Account, error) {
	acct, needCode, err := SignInPassword(ctx, st, username, password)
	if err == nil && needCode {
		return hmis.Account{}, ErrSecondFactorNeeded
	}
	return acct, err
}

// SignInPassword is the first step of a sign-in. needCode says the
// password was right and the account has two-factor sign-in on: the
// person is not signed in until SignInCode accepts a code, and the
// failure count is not reset yet.
func SignInPassword(ctx context.Context, st *store.Store, username, password string) (acct hmis.Account, needCode bool, err error) {
	acct, hash, err := st.FindAccountByUsername(ctx, username)
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		VerifyPassword(dummyHash, password)
		return hmis.Account{}, false, ErrWrongCredentials
	}
	if err != nil {
		return hmis.Account{}, false, err
	}
	ok, err := VerifyPassword(hash, password)
	if err != nil {
		return hmis.Account{}, false, err
	}
	now := st.Now()
	if !acct.LockedUntil.IsZero() && now.Before(acct.LockedUntil) {
		if ok {
			return hmis.Account{}, false, ErrLocked
		}
		return hmis.Account{}, false, ErrWrongCredentials
	}
	if acct.Disabled {
		return hmis.Account{}, false, ErrWrongCredentials
	}
	outcome := store.SignInFailed
	if ok {
		tf, err := st.FindTwoFactor(ctx, acct.ID)
		if err != nil {
			return hmis.Account{}, false, err
		}
		outcome, needCode = store.SignInOK, tf.Enabled
		if needCode {
			outcome = store.SignInPasswordOK
		}
	}
	acct, err = st.RecordSignInOutcome(ctx, acct.ID, outcome, "", MaxFailures, LockFor)
	if err != nil {
		return hmis.Account{}, false, err
	}
	if !ok {
		return hmis.Account{}, false, ErrWrongCredentials
	}
	return acct, needCode, nil
}

// ErrWrongCode and ErrCodeReused answer a second-factor code that is not
// accepted. Both count toward the lockout.
var (
	ErrWrongCode = &hmis.Error{Code: hmis.EUNAUTHENTICATED,
		Message: "That code is not right. Enter the 6-digit code your authenticator app shows now, or one of your recovery codes."}
	ErrCodeReused = &hmis.Error{Code: hmis.EUNAUTHENTICATED,
		Message: "That code was already used. Wait for the next code in your authenticator app and enter it."}
)

// SignInCode is the second step of a sign-in with two factors: code is
// the 6-digit TOTP code, or a recovery code (each works once). open
// returns the account's TOTP secret in clear (the caller holds the site
// key). A wrong or reused code counts toward the lockout; the right one
// signs in and resets the count.
func SignInCode(ctx context.Context, st *store.Store, accountID, code string, open func(sealed string) ([]byte, error)) (hmis.Account, error) {
	acct, err := st.FindAccountByID(ctx, accountID)
	if err != nil {
		return hmis.Account{}, err
	}
	now := st.Now()
	if acct.Disabled {
		return hmis.Account{}, ErrWrongCredentials
	}
	if !acct.LockedUntil.IsZero() && now.Before(acct.LockedUntil) {
		return hmis.Account{}, ErrLocked
	}
	tf, err := st.FindTwoFactor(ctx, acct.ID)
	if err != nil {
		return hmis.Account{}, err
	}
	fail := ErrWrongCode
	detail := "wrong two-factor code"
	switch {
	case !tf.Enabled:
		return hmis.Account{}, ErrWrongCredentials
	case IsTOTPCode(code):
		secret, err := open(tf.Sealed)
		if err != nil {
			return hmis.Account{}, err
		}
		step, res := MatchTOTP(secret, code, now, tf.LastStep)
		if res == TOTPOK {
			// The store has the last word: two requests racing with one
			// code cannot both pass.
			if ok, err := st.UseTOTPStep(ctx, acct.ID, step); err != nil {
				return hmis.Account{}, err
			} else if !ok {
				res = TOTPReused
			}
		}
		switch res {
		case TOTPOK:
			return st.RecordSignInOutcome(ctx, acct.ID, store.SignInOK, "two-factor code", MaxFailures, LockFor)
		case TOTPReused:
			fail, detail = ErrCodeReused, "two-factor code reused"
		}
	default:
		ok, err := st.UseRecoveryCode(ctx, acct.ID, HashRecoveryCode(code))
		if err != nil {
			return hmis.Account{}, err
		}
		if ok {
			return st.RecordSignInOutcome(ctx, acct.ID, store.SignInOK, "recovery code", MaxFailures, LockFor)
		}
		detail = "wrong recovery code"
	}
	acct, err = st.RecordSignInOutcome(ctx, acct.ID, store.SignInFailed, detail, MaxFailures, LockFor)
	if err != nil {
		return hmis.Account{}, err
	}
	if !acct.LockedUntil.IsZero() && now.Before(acct.LockedUntil) {
		return hmis.Account{}, ErrLocked
	}
	return hmis.Account{}, fail
}
