package web

import (
	"encoding/base32"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/auth"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// enrolTOTP sets up two-factor sign-in for the browser's account through
// My Profile and returns the secret and the recovery codes.
func enrolTOTP(t *testing.T, b *browser) ([]byte, []string) {
	t.Helper()
	res := b.get("/live/profile/2fa")
	wantContains(t, "2fa page", res.Body, "Set up two-factor sign-in")
	if r := b.post("/live/profile/2fa/start", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("start: %d", r.Status)
	}
	res = b.get("/live/profile/2fa")
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Error("the page with the secret may be cached")
	}
	grouped := regexpAll(res.Body, `class="hearth-totp-secret"><code>([A-Z2-7 ]+)</code>`)
	uri := regexpAll(res.Body, `value="(otpauth://totp/[^"]+)"`)
	if len(grouped) != 1 || len(uri) != 1 {
		t.Fatalf("enrolment page shows no secret:\n%s", res.Body)
	}
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ReplaceAll(grouped[0], " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html.UnescapeString(uri[0]), "secret="+strings.ReplaceAll(grouped[0], " ", "")) {
		t.Errorf("URI %s does not hold the secret", uri[0])
	}
	// A wrong code does not turn it on.
	res = b.post("/live/profile/2fa/confirm", url.Values{"code": {wrongCode(secret)}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "That code is not right") {
		t.Fatalf("wrong confirmation code: %d", res.Status)
	}
	res = b.post("/live/profile/2fa/confirm", url.Values{"code": {auth.TOTPCode(secret, auth.TOTPStep(time.Now()))}})
	if res.Status != http.StatusOK {
		t.Fatalf("confirm: %d\n%s", res.Status, res.Body)
	}
	codes := regexpAll(res.Body, `<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code></li>`)
	if len(codes) != auth.RecoveryCodeCount {
		t.Fatalf("%d recovery codes shown", len(codes))
	}
	if r := b.get("/live/profile/2fa"); strings.Contains(r.Body, codes[0]) || !strings.Contains(r.Body, "10 unused recovery codes") {
		t.Error("recovery codes shown twice, or not counted")
	}
	return secret, codes
}

// wrongCode is a 6-digit code that is none of the codes around now.
func wrongCode(secret []byte) string {
	cur := auth.TOTPStep(time.Now())
	for _, c := range []string{"000000", "111111", "222222", "333333"} {
		if c != auth.TOTPCode(secret, cur-1) && c != auth.TOTPCode(secret, cur) && c != auth.TOTPCode(secret, cur+1) && c != auth.TOTPCode(secret, cur+2) {
			return c
		}
	}
	panic("no wrong code")
}

// passwordStep posts the password and expects the code page.
func passwordStep(t *testing.T, b *browser, username string) {
	t.Helper()
	res := b.post("/live/login", url.Values{"username": {username}, "password": {testPassword}, "next": {"/live/profile"}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/live/login/code?next=%2Flive%2Fprofile" {
		t.Fatalf("password with two-factor on: %d %q", res.Status, res.Header.Get("Location"))
	}
	if r := b.get("/live/profile"); r.Status != http.StatusSeeOther {
		t.Fatalf("the password alone opened a page: %d", r.Status)
	}
	wantContains(t, "code page", b.get("/live/login/code?next=%2Flive%2Fprofile").Body, `autocomplete="one-time-code"`)
}

func TestTwoFactor_EnrolAndSignIn(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	b.signIn("live", "admin")
	secret, codes := enrolTOTP(t, b)
	wantContains(t, "profile", b.get("/live/profile").Body, "Two-factor sign-in: on")

	// A fresh browser: password, then code.
	b2 := app.browser(t)
	passwordStep(t, b2, "admin")
	res := b2.post("/live/login/code", url.Values{"code": {wrongCode(secret)}, "next": {"/live/profile"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "That code is not right") {
		t.Fatalf("wrong code: %d\n%s", res.Status, res.Body)
	}
	// The confirmation used the current step: that code is spent. The
	// next step's code is in the window and works.
	cur := auth.TOTPStep(time.Now())
	res = b2.post("/live/login/code", url.Values{"code": {auth.TOTPCode(secret, cur-1)}, "next": {"/live/profile"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an old step's code after a newer one was used: %d", res.Status)
	}
	good := auth.TOTPCode(secret, cur+1)
	res = b2.post("/live/login/code", url.Values{"code": {good}, "next": {"/live/profile"}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/live/profile" {
		t.Fatalf("right code: %d %q\n%s", res.Status, res.Header.Get("Location"), res.Body)
	}
	if r := b2.get("/live/profile"); r.Status != http.StatusOK {
		t.Fatalf("signed in with two factors: %d", r.Status)
	}

	// The same code again, from another browser: refused, and said so.
	b3 := app.browser(t)
	passwordStep(t, b3, "admin")
	res = b3.post("/live/login/code", url.Values{"code": {good}, "next": {"/live/profile"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "already used") {
		t.Fatalf("reused code: %d\n%s", res.Status, res.Body)
	}
	// A recovery code works, once.
	res = b3.post("/live/login/code", url.Values{"code": {strings.ToUpper(codes[0])}, "next": {"/live/profile"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("recovery code: %d\n%s", res.Status, res.Body)
	}
	b4 := app.browser(t)
	passwordStep(t, b4, "admin")
	if res := b4.post("/live/login/code", url.Values{"code": {codes[0]}, "next": {"/live/profile"}}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("recovery code used twice: %d", res.Status)
	}
	// Without a challenge (no password first), the code page sends to sign-in.
	if res := app.browser(t).post("/live/login/code", url.Values{"code": {good}}); res.Status != http.StatusOK || !strings.Contains(res.Body, "Please sign in again") {
		t.Fatalf("code without password: %d", res.Status)
	}
}

func TestTwoFactor_Required(t *testing.T) {
	app := newTestApp(t, nil)
	live, _ := app.reg.Get("live")
	ctx := storetest.Context(t)
	mustCreateAccount(t, live.Store, "cm", hmis.RoleCaseManager)
	if _, err := live.Store.SetTwoFactorRequired(ctx, string(hmis.RoleCaseManager), true); err != nil {
		t.Fatal(err)
	}
	// An administrator is not asked (not their role).
	a := app.browser(t)
	a.signIn("live", "admin")
	if r := a.get("/live/"); r.Status != http.StatusOK {
		t.Fatalf("admin: %d", r.Status)
	}
	// A case manager is sent to enrolment before anything else.
	b := app.browser(t)
	b.signIn("live", "cm")
	res := b.get("/live/clients/find")
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/live/profile/2fa?required=1" {
		t.Fatalf("case manager without two-factor: %d %q", res.Status, res.Header.Get("Location"))
	}
	wantContains(t, "forced enrolment", b.get("/live/profile/2fa?required=1").Body, "requires two-factor sign-in")
	enrolTOTP(t, b)
	if r := b.get("/live/clients/find"); r.Status != http.StatusOK {
		t.Fatalf("after enrolment: %d", r.Status)
	}
	// It cannot be turned off while required.
	res = b.post("/live/profile/2fa/disable", url.Values{"password": {testPassword}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "cannot be turned off") {
		t.Fatalf("disable while required: %d", res.Status)
	}
}

// TestOneSessionPerUser: a second sign-in ends the first, and the first
// browser is told why.
func TestOneSessionPerUser(t *testing.T) {
	app := newTestApp(t, nil)
	desk, laptop := app.browser(t), app.browser(t)
	desk.signIn("live", "admin")
	laptop.signIn("live", "admin")
	res := desk.get("/live/profile")
	loc := res.Header.Get("Location")
	if res.Status != http.StatusSeeOther || !strings.Contains(loc, "ended=replaced") {
		t.Fatalf("first session after a second sign-in: %d %q", res.Status, loc)
	}
	wantContains(t, "sign-in page", desk.get(loc).Body, "signed in on another computer or browser")
	if r := laptop.get("/live/profile"); r.Status != http.StatusOK {
		t.Fatalf("second session: %d", r.Status)
	}
}

// TestRevokedByAdministrator: the browser is told an administrator
// signed it out.
func TestRevokedByAdministrator(t *testing.T) {
	app := newTestApp(t, nil)
	live, _ := app.reg.Get("live")
	b := app.browser(t)
	b.signIn("live", "admin")
	acct, _, _ := live.Store.FindAccountByUsername(storetest.Context(t), "admin")
	if n, err := live.Store.RevokeAccountSessions(storetest.Context(t), acct.ID); err != nil || n != 1 {
		t.Fatalf("RevokeAccountSessions = %d, %v", n, err)
	}
	res := b.get("/live/")
	if !strings.Contains(res.Header.Get("Location"), "ended=revoked") {
		t.Fatalf("revoked session: %d %q", res.Status, res.Header.Get("Location"))
	}
	wantContains(t, "sign-in page", b.get(res.Header.Get("Location")).Body, "An administrator signed you out")
}

func TestPasswordChange_CommonRefused(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	b.signIn("live", "admin")
	res := b.post("/live/profile/password", url.Values{"current": {testPassword}, "new": {"Password1234!"}, "confirm": {"Password1234!"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "common passwords") {
		t.Fatalf("common password: %d", res.Status)
	}
}

func TestAuditLogPage(t *testing.T) {
	app := newTestApp(t, nil)
	live, _ := app.reg.Get("live")
	mustCreateAccount(t, live.Store, "cm", hmis.RoleCaseManager)
	cm := app.browser(t)
	cm.signIn("live", "cm")
	// Not an administrator: the page does not exist, nor the menu option.
	if r := cm.get("/live/home/audit"); r.Status != http.StatusNotFound {
		t.Errorf("case manager: %d", r.Status)
	}
	wantNotContains(t, "case manager's menu", cm.get("/live/").Body, "Audit Log")
	acct, _, _ := live.Store.FindAccountByUsername(storetest.Context(t), "cm")
	live.Store.Audit(hmis.NewContext(t.Context(), acct.Actor("web")), "read", "client", "C-42", "")

	a := app.browser(t)
	a.signIn("live", "admin")
	wantContains(t, "admin's menu", a.get("/live/").Body, `href="/live/home/audit"`)
	res := a.get("/live/home/audit?user=cm&entity=client&id=C-42")
	if res.Status != http.StatusOK {
		t.Fatalf("audit page: %d", res.Status)
	}
	if n := strings.Count(res.Body, "<code>C-42</code>"); n != 1 {
		t.Errorf("filtered to C-42: %d rows\n%s", n, res.Body)
	}
	res = a.get("/live/home/audit?action=sign_in")
	if n := strings.Count(res.Body, "<td>sign_in</td>"); n != 2 {
		t.Errorf("sign-ins: %d rows", n)
	}
	if r := a.get("/live/home/audit?since=13/45/2026"); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Enter a date") {
		t.Errorf("bad date: %d", r.Status)
	}
	// Reading the log is audited too.
	list, _ := live.Store.FindAudit(storetest.Context(t), store.AuditFilter{Entity: "audit_log"})
	if len(list) < 2 {
		t.Errorf("audit page views audited: %d", len(list))
	}
}
