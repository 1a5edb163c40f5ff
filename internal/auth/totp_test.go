package auth_test

import (
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/auth"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func TestMatchTOTP(t *testing.T) {
	secret := auth.NewTOTPSecret()
	now := time.Date(2026, 3, 1, 12, 0, 10, 0, time.UTC)
	step := auth.TOTPStep(now)
	for _, tc := range []struct {
		name string
		code string
		last int64
		want auth.TOTPResult
		step int64
	}{
		{"current", auth.TOTPCode(secret, step), 0, auth.TOTPOK, step},
		{"with a space", auth.TOTPCode(secret, step)[:3] + " " + auth.TOTPCode(secret, step)[3:], 0, auth.TOTPOK, step},
		{"previous step", auth.TOTPCode(secret, step-1), 0, auth.TOTPOK, step - 1},
		{"next step", auth.TOTPCode(secret, step+1), 0, auth.TOTPOK, step + 1},
		{"two steps old", auth.TOTPCode(secret, step-2), 0, auth.TOTPWrong, 0},
		{"reused", auth.TOTPCode(secret, step), step, auth.TOTPReused, 0},
		{"wrong", "000000", 0, auth.TOTPWrong, 0},
		{"short", "12345", 0, auth.TOTPWrong, 0},
	} {
		if tc.name == "wrong" && auth.TOTPCode(secret, step) == "000000" {
			continue
		}
		got, res := auth.MatchTOTP(secret, tc.code, now, tc.last)
		if res != tc.want || (res == auth.TOTPOK && got != tc.step) {
			t.Errorf("%s: step %d result %d; want step %d result %d", tc.name, got, res, tc.step, tc.want)
		}
	}
}

func TestTOTPURI(t *testing.T) {
	secret := []byte("12345678901234567890")
	u := auth.TOTPURI("River Valley HMIS", "maria", secret)
	for _, w := range []string{"otpauth://totp/River%20Valley%20HMIS:maria?", "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "issuer=River+Valley+HMIS", "digits=6", "period=30"} {
		if !strings.Contains(u, w) {
			t.Errorf("URI %s lacks %s", u, w)
		}
	}
	if g := auth.GroupTOTPSecret(secret); g != "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ" {
		t.Errorf("grouped secret %q", g)
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes := auth.NewRecoveryCodes(auth.RecoveryCodeCount)
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 14 || c[4] != '-' || seen[c] || auth.IsTOTPCode(c) {
			t.Errorf("recovery code %q", c)
		}
		seen[c] = true
	}
	if auth.HashRecoveryCode(codes[0]) != auth.HashRecoveryCode(" "+strings.ToUpper(strings.ReplaceAll(codes[0], "-", ""))) {
		t.Error("typing a code without dashes, in capitals, does not match")
	}
}

func TestCommonPasswordRefused(t *testing.T) {
	for _, pw := range []string{"password1234", "Password2024!", "qwertyuiop123", "1234567890123", "iloveyou1234", "drowssap1234", "abcabcabcabc", "zzzzzzzzzzzzzz", "Sunshine!!2025"} {
		if err := auth.CheckPasswordPolicy(pw); hmis.ErrorCode(err) != hmis.EINVALID || !strings.Contains(err.(*hmis.Error).Fields["password"], "common") {
			t.Errorf("%q: %v, want refused as common", pw, err)
		}
	}
	for _, pw := range []string{"correct horse battery staple", "a perfectly long passphrase", "A-long-passw0rd-for-cm", "river valley intake 7"} {
		if err := auth.CheckPasswordPolicy(pw); err != nil {
			t.Errorf("%q refused: %v", pw, err)
		}
	}
	if err := auth.CheckPasswordFor("my name is maria.lopez ok", "Maria.Lopez"); hmis.ErrorCode(err) != hmis.EINVALID {
		t.Errorf("password with the username: %v", err)
	}
}

// enrol turns two-factor on for the account and returns the secret and
// the recovery codes.
func enrol(t *testing.T, s *store.Store, acct hmis.Account) ([]byte, []string) {
	t.Helper()
	ctx := storetest.Context(t)
	secret := auth.NewTOTPSecret()
	if err := s.BeginTOTP(ctx, acct.ID, "plain:"+hex.EncodeToString(secret)); err != nil {
		t.Fatal(err)
	}
	codes := auth.NewRecoveryCodes(auth.RecoveryCodeCount)
	var hashes []string
	for _, c := range codes {
		hashes = append(hashes, auth.HashRecoveryCode(c))
	}
	if err := s.EnableTOTP(ctx, acct.ID, 0, hashes); err != nil {
		t.Fatal(err)
	}
	return secret, codes
}

// openPlain stands in for the site key in these tests.
func openPlain(sealed string) ([]byte, error) {
	return hex.DecodeString(strings.TrimPrefix(sealed, "plain:"))
}

func TestSignInCode(t *testing.T) {
	var now time.Time
	clock := func() time.Time { return now }
	storetest.EachAt(t, clock, func(t *testing.T, s *store.Store) {
		now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		ctx := storetest.Context(t)
		acct := mustAccount(t, s, "maria", "a long enough password")
		secret, codes := enrol(t, s, acct)

		// The password alone does not sign in.
		if _, err := auth.SignIn(ctx, s, "maria", "a long enough password"); err != auth.ErrSecondFactorNeeded {
			t.Fatalf("SignIn with two-factor on: %v", err)
		}
		a, need, err := auth.SignInPassword(ctx, s, "maria", "a long enough password")
		if err != nil || !need || a.ID != acct.ID {
			t.Fatalf("SignInPassword = %v %v", need, err)
		}
		code := auth.TOTPCode(secret, auth.TOTPStep(now))
		if _, err := auth.SignInCode(ctx, s, acct.ID, code, openPlain); err != nil {
			t.Fatalf("right code: %v", err)
		}
		// The same code again, within its 30 seconds: refused.
		now = now.Add(5 * time.Second)
		if _, err := auth.SignInCode(ctx, s, acct.ID, code, openPlain); err != auth.ErrCodeReused {
			t.Fatalf("reused code: %v", err)
		}
		// A recovery code works once.
		if _, err := auth.SignInCode(ctx, s, acct.ID, codes[3], openPlain); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		if _, err := auth.SignInCode(ctx, s, acct.ID, codes[3], openPlain); err != auth.ErrWrongCode {
			t.Fatalf("recovery code used twice: %v", err)
		}
		if tf, _ := s.FindTwoFactor(ctx, acct.ID); tf.RecoveryCodes != 9 {
			t.Errorf("%d recovery codes left, want 9", tf.RecoveryCodes)
		}
		// Wrong codes count toward the lockout, with the password's failures.
		now = now.Add(time.Minute)
		if _, err := auth.SignInCode(ctx, s, acct.ID, next(secret, now), openPlain); err != nil {
			t.Fatal(err) // resets the count
		}
		auth.SignIn(ctx, s, "maria", "wrong password")
		var lastErr error
		for i := range auth.MaxFailures - 1 {
			_, lastErr = auth.SignInCode(ctx, s, acct.ID, "000001", openPlain)
			if i < auth.MaxFailures-2 && lastErr != auth.ErrWrongCode {
				t.Fatalf("wrong code %d: %v", i, lastErr)
			}
		}
		if lastErr != auth.ErrLocked {
			t.Fatalf("after %d failures: %v, want locked", auth.MaxFailures, lastErr)
		}
		now = now.Add(time.Minute)
		if _, err := auth.SignInCode(ctx, s, acct.ID, next(secret, now), openPlain); err != auth.ErrLocked {
			t.Fatalf("right code while locked: %v", err)
		}
		list, _ := s.FindAudit(ctx, store.AuditFilter{Entity: "account", EntityID: acct.ID, Action: "sign_in_failed", Limit: 5})
		if len(list) != 5 || list[0].Detail != "wrong two-factor code" || list[4].Detail != "" {
			t.Errorf("failed sign-ins audited: %+v", list)
		}
	})
}

func next(secret []byte, now time.Time) string { return auth.TOTPCode(secret, auth.TOTPStep(now)) }
