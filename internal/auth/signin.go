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

// SignIn checks a username and password against the site's accounts and
// records the outcome (lockout, audit). ctx must carry an actor for the
// audit row (the web uses an anonymous actor via "web").
func SignIn(ctx context.Context, st *store.Store, username, password string) (hmis.Account, error) {
	acct, hash, err := st.FindAccountByUsername(ctx, username)
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		VerifyPassword(dummyHash, password)
		return hmis.Account{}, ErrWrongCredentials
	}
	if err != nil {
		return hmis.Account{}, err
	}
	ok, err := VerifyPassword(hash, password)
	if err != nil {
		return hmis.Account{}, err
	}
	now := st.Now()
	if !acct.LockedUntil.IsZero() && now.Before(acct.LockedUntil) {
		if ok {
			return hmis.Account{}, &hmis.Error{Code: hmis.EUNAUTHENTICATED,
				Message: "This account is locked after repeated failed sign-ins. Try again in 15 minutes or ask your HMIS administrator."}
		}
		return hmis.Account{}, ErrWrongCredentials
	}
	if acct.Disabled {
		return hmis.Account{}, ErrWrongCredentials
	}
	acct, err = st.RecordSignIn(ctx, acct.ID, ok, MaxFailures, LockFor)
	if err != nil {
		return hmis.Account{}, err
	}
	if !ok {
		return hmis.Account{}, ErrWrongCredentials
	}
	return acct, nil
}
