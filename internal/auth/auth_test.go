package auth_test

import (
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/auth"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func TestHashPassword(t *testing.T) {
	h, err := auth.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$") {
		t.Errorf("hash %q is not PHC argon2id", h)
	}
	h2, _ := auth.HashPassword("correct horse battery staple")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"correct horse battery staple", true}, {"Correct horse battery staple", false}, {"", false}} {
		ok, err := auth.VerifyPassword(h, tc.pw)
		if err != nil || ok != tc.want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	if _, err := auth.VerifyPassword("$bcrypt$xx", "x"); err == nil {
		t.Error("malformed hash accepted")
	}
}

func TestCheckPasswordPolicy(t *testing.T) {
	if err := auth.CheckPasswordPolicy("short"); hmis.ErrorCode(err) != hmis.EINVALID {
		t.Errorf("short password: %v", err)
	}
	if err := auth.CheckPasswordPolicy("a perfectly long passphrase"); err != nil {
		t.Errorf("long password: %v", err)
	}
}

func TestNewPassword(t *testing.T) {
	p := auth.NewPassword(20)
	if len(p) != 20 || strings.ContainsAny(p, "0O1lI") {
		t.Errorf("NewPassword = %q", p)
	}
	if auth.NewToken() == auth.NewToken() {
		t.Error("tokens repeat")
	}
}

// mustAccount creates an organization and an account with the password.
func mustAccount(t *testing.T, s *store.Store, username, password string) hmis.Account {
	t.Helper()
	ctx := storetest.Context(t)
	org := storetest.MustOrganization(t, s, "Test Agency")
	h, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.CreateAccount(ctx, hmis.Account{Username: username, Role: hmis.RoleCaseManager, OrganizationID: org}, h)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		mustAccount(t, s, "Maria", "a long enough password")

		if _, err := auth.SignIn(ctx, s, "maria", "a long enough password"); err != nil {
			t.Fatalf("right password: %v", err)
		}
		_, errWrong := auth.SignIn(ctx, s, "maria", "wrong password!!")
		_, errNoUser := auth.SignIn(ctx, s, "nobody", "wrong password!!")
		if errWrong == nil || errNoUser == nil || errWrong.Error() != errNoUser.Error() {
			t.Fatalf("wrong password %v and unknown user %v must read the same", errWrong, errNoUser)
		}

		// Lockout after MaxFailures, even for the right password.
		for range auth.MaxFailures {
			auth.SignIn(ctx, s, "maria", "wrong password!!")
		}
		_, err := auth.SignIn(ctx, s, "maria", "a long enough password")
		if err == nil || !strings.Contains(err.Error(), "locked") {
			t.Fatalf("after %d failures: %v, want locked", auth.MaxFailures, err)
		}
		audit, err := s.FindAudit(ctx, store.AuditFilter{Action: "sign_in_failed"})
		if err != nil || len(audit) < auth.MaxFailures {
			t.Fatalf("failed sign-ins audited: %d, %v", len(audit), err)
		}
	})
}
