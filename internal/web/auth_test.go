package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/config"
)

func TestSignIn_WrongPassword(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	res := b.post("/live/login", url.Values{"username": {"admin"}, "password": {"not the password"}})
	if res.Status != http.StatusOK {
		t.Fatalf("status %d", res.Status)
	}
	wantContains(t, "login", res.Body, "Wrong username or password.", `value="admin"`, `<label class="usa-label" for="password">`)
	if res.Header.Get("Set-Cookie") != "" {
		t.Errorf("a failed sign-in set a cookie: %s", res.Header.Get("Set-Cookie"))
	}
}

func TestSignIn_Lockout(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	for range 5 {
		b.post("/live/login", url.Values{"username": {"admin"}, "password": {"wrong wrong wrong"}})
	}
	res := b.post("/live/login", url.Values{"username": {"admin"}, "password": {testPassword}})
	wantContains(t, "locked", res.Body, "This account is locked")
	if res.Status == http.StatusSeeOther {
		t.Errorf("a locked account signed in")
	}
}

func TestSignIn_Cookie(t *testing.T) {
	app := newTestApp(t, func(c *config.Config) { c.SecureCookies = true })
	b := app.browser(t)
	res := b.post("/training/login", url.Values{"username": {"admin"}, "password": {testPassword}})
	c := res.Header.Get("Set-Cookie")
	for _, want := range []string{"hearth_training=", "Path=/training/", "HttpOnly", "SameSite=Lax", "Secure"} {
		if !strings.Contains(c, want) {
			t.Errorf("Set-Cookie %q lacks %q", c, want)
		}
	}
}

// TestSignIn_Next: the page asked for is where sign-in leads, but only a
// path on the same site.
func TestSignIn_Next(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	res := b.get("/live/housing/beds")
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/live/login?next=%2Flive%2Fhousing%2Fbeds" {
		t.Fatalf("unauthenticated: status %d, Location %q", res.Status, res.Header.Get("Location"))
	}
	login := b.get(res.Header.Get("Location"))
	wantContains(t, "login", login.Body, `name="next" value="/live/housing/beds"`)
	wantNotContains(t, "login", login.Body, "session has ended")
	res = b.post("/live/login", url.Values{"username": {"admin"}, "password": {testPassword}, "next": {"/live/housing/beds"}})
	if got := res.Header.Get("Location"); got != "/live/housing/beds" {
		t.Errorf("after sign-in: Location %q", got)
	}
}

func TestSafeNext(t *testing.T) {
	for next, want := range map[string]string{
		"":                           "/live/",
		"/live/profile":              "/live/profile",
		"/live/clients/find?q=x":     "/live/clients/find?q=x",
		"/training/":                 "/live/",
		"//evil.example/live/":       "/live/",
		"https://evil.example/live/": "/live/",
		"/live/\\evil.example":       "/live/",
		"/live/../training/":         "/live/",
		"/live/login":                "/live/",
		"/livefoo/":                  "/live/",
	} {
		if got := safeNext("/live", next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

// TestSessionPerSite: signing in to live does not open training, and the
// two sites can be signed in side by side.
func TestSessionPerSite(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	b.signIn("live", "admin")
	if res := b.get("/live/"); res.Status != http.StatusOK {
		t.Fatalf("live: status %d", res.Status)
	}
	res := b.get("/training/")
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/training/login") {
		t.Fatalf("training with a live cookie: status %d, Location %q", res.Status, res.Header.Get("Location"))
	}
	// The live token presented to training is not a training session.
	u, _ := url.Parse(app.srv.URL + "/live/")
	var token string
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "hearth_live" {
			token = c.Value
		}
	}
	req, _ := http.NewRequest(http.MethodGet, app.srv.URL+"/training/", nil)
	req.AddCookie(&http.Cookie{Name: "hearth_training", Value: token})
	if res := app.browser(t).do(req); res.Status != http.StatusSeeOther {
		t.Errorf("training with the live token: status %d", res.Status)
	}
	b.signIn("training", "admin")
	for _, p := range []string{"/live/", "/training/"} {
		if res := b.get(p); res.Status != http.StatusOK {
			t.Errorf("%s after signing in to both: status %d", p, res.Status)
		}
	}
}

func TestIdleTimeout(t *testing.T) {
	app := newTestApp(t, func(c *config.Config) { c.IdleTimeout = 300 * time.Millisecond })
	b := app.browser(t)
	b.signIn("live", "admin")
	time.Sleep(400 * time.Millisecond)
	res := b.get("/live/profile")
	loc := res.Header.Get("Location")
	if res.Status != http.StatusSeeOther || !strings.Contains(loc, "ended=1") || !strings.Contains(loc, "next=%2Flive%2Fprofile") {
		t.Fatalf("after idle timeout: status %d, Location %q", res.Status, loc)
	}
	wantContains(t, "login", b.get(loc).Body, "Your session has ended. Please sign in again.")
}

func TestSignOut(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	b.signIn("live", "admin")
	u, _ := url.Parse(app.srv.URL + "/live/")
	old := b.c.Jar.Cookies(u)
	res := b.post("/live/logout", nil)
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/live/login?signed_out=1" {
		t.Fatalf("sign out: status %d, Location %q", res.Status, res.Header.Get("Location"))
	}
	if !strings.Contains(res.Header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("cookie not cleared: %q", res.Header.Get("Set-Cookie"))
	}
	wantContains(t, "login", b.get("/live/login?signed_out=1").Body, "You have signed out.")
	// The old cookie, replayed, is revoked.
	req, _ := http.NewRequest(http.MethodGet, app.srv.URL+"/live/", nil)
	for _, c := range old {
		req.AddCookie(c)
	}
	res = app.browser(t).do(req)
	if res.Status != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "ended=1") {
		t.Errorf("revoked session: status %d, Location %q", res.Status, res.Header.Get("Location"))
	}
}

// TestProfile_Sessions: My Profile lists the account's sessions and signs
// out another one.
func TestProfile_Sessions(t *testing.T) {
	app := newTestApp(t, func(c *config.Config) { c.MaxSessions = 2 })
	desk, laptop := app.browser(t), app.browser(t)
	desk.signIn("live", "admin")
	laptop.signIn("live", "admin")
	res := desk.get("/live/profile")
	wantContains(t, "profile", res.Body, "<dd>Avery Admin</dd>", "<dd>admin</dd>", "<dd>HMIS administrator</dd>", "<dd>ORG1</dd>", "This browser")
	forms := regexpAll(res.Body, `action="(/live/profile/sessions/[0-9a-f]+/revoke)"`)
	if len(forms) != 2 {
		t.Fatalf("want 2 sessions, got %q", forms)
	}
	// Revoke the session that is not this browser's.
	var other string
	for _, row := range strings.Split(res.Body, "<tr>") {
		if f := regexpAll(row, `action="([^"]+/revoke)"`); len(f) == 1 && !strings.Contains(row, "This browser") {
			other = f[0]
		}
	}
	if r := desk.post(other, nil); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/live/profile?revoked=1" {
		t.Fatalf("revoke: status %d, Location %q", r.Status, r.Header.Get("Location"))
	}
	if r := laptop.get("/live/"); r.Status != http.StatusSeeOther {
		t.Errorf("revoked laptop session still works: status %d", r.Status)
	}
	if r := desk.get("/live/profile"); r.Status != http.StatusOK || strings.Count(r.Body, "/revoke\"") != 1 {
		t.Errorf("desk after revoking the laptop: status %d", r.Status)
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	b.signIn("live", "admin")
	req, _ := http.NewRequest(http.MethodPost, app.srv.URL+"/live/logout", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res := b.do(req)
	if res.Status != http.StatusForbidden {
		t.Errorf("cross-site POST: status %d, want 403", res.Status)
	}
	wantContains(t, "refused", res.Body, "sent from another website")
	if r := b.get("/live/"); r.Status != http.StatusOK {
		t.Errorf("the session did not survive: status %d", r.Status)
	}
}
