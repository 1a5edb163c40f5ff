package web

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// Browser tests drive Debian's Chromium through chromedp. They are opt-in:
// HEARTH_TEST_BROWSER=1 runs them, and then a missing Chromium fails.
const (
	browserEnv   = "HEARTH_TEST_BROWSER"
	artifactsEnv = "HEARTH_TEST_ARTIFACTS"
	chromiumPath = "/usr/bin/chromium"
)

// newBrowser starts a headless Chromium with a fresh profile and returns
// the context of its first tab; the browser lives at most two minutes
// (one flow).
func newBrowser(t *testing.T) context.Context {
	return newBrowserWithin(t, 2*time.Minute)
}

// newBrowserWithin is newBrowser with its own deadline for the whole
// browser (a test that drives many flows in one browser).
func newBrowserWithin(t *testing.T, deadline time.Duration) context.Context {
	if os.Getenv(browserEnv) != "1" {
		t.Skipf("browser test skipped: set %s=1 to run it (needs %s: apt-get install -y chromium)", browserEnv, chromiumPath)
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("%s=1 but Chromium is missing: %v (apt-get install -y chromium)", browserEnv, err)
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true), // CI runs as root
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(cancel)
	// The deadline bounds the whole browser: a hung page fails, not hangs.
	dctx, cancel2 := context.WithTimeout(actx, deadline)
	t.Cleanup(cancel2)
	ctx, cancel3 := chromedp.NewContext(dctx)
	t.Cleanup(cancel3)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// consoleErrors collects the errors a tab logs: CSP violations, missing
// assets, script exceptions.
type consoleErrors struct {
	mu   sync.Mutex
	list []string
}

func (c *consoleErrors) watch(ctx context.Context, tab string) {
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				c.mu.Lock()
				c.list = append(c.list, tab+": "+m.String()+" ("+m.URL+")")
				c.mu.Unlock()
			}
		}
	}()
}

func (c *consoleErrors) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.list...)
}

// do runs steps in a tab; on failure it saves a screenshot and fails.
func do(t *testing.T, ctx context.Context, name string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		failShot(t, ctx, name, err)
	}
}

// read runs one action that returns a value, like do.
func read[T any](t *testing.T, ctx context.Context, name string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		failShot(t, ctx, name, err)
	}
	return v
}

func failShot(t *testing.T, ctx context.Context, name string, err error) {
	t.Helper()
	path := saveScreenshot(t, ctx, t.TempDir(), "failed-"+name)
	if dir := os.Getenv(artifactsEnv); dir != "" {
		saveScreenshot(t, ctx, dir, "failed-"+name)
	}
	t.Fatalf("%s: %v (screenshot: %s)", name, err, path)
}

// saveScreenshot writes the tab's full page as dir/name.png.
func saveScreenshot(t *testing.T, ctx context.Context, dir, name string) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	path := filepath.Join(dir, name+".png")
	if err == nil {
		err = os.WriteFile(path, png, 0o644)
	}
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	t.Logf("screenshot: %s", path)
	return path
}

// artifact saves a screenshot to $HEARTH_TEST_ARTIFACTS when it is set.
func artifact(t *testing.T, ctx context.Context, name string) {
	if dir := os.Getenv(artifactsEnv); dir != "" {
		saveScreenshot(t, ctx, dir, name)
	}
}

// signIn fills the sign-in form of site and waits for the dashboard.
func signIn(base, site string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/" + site + "/"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "admin"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.CSS(`button.hearth-signin__submit`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-counts`)),
	}
}

func count(sel string) chromedp.Action[int] {
	return chromedp.Evaluate[int](`document.querySelectorAll(` + "`" + sel + "`" + `).length`)
}

// TestBrowser_TwoSites signs in to the training and the live site in two
// tabs of one browser, checks the shell and the training banner, moves
// between tabs, and signs out of both.
func TestBrowser_TwoSites(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t, nil)
	base := app.srv.URL
	errs := &consoleErrors{}
	errs.watch(ctx, "training")

	// Training, first tab: the banner is on the sign-in page already.
	do(t, ctx, "training-login", chromedp.Navigate(base+"/training/login"), chromedp.WaitVisible(chromedp.CSS(`.hearth-training-banner`)))
	banner := read(t, ctx, "training-banner", chromedp.Text(chromedp.CSS(`.hearth-training-banner`)))
	if !strings.Contains(banner, "TRAINING SITE") || !strings.Contains(banner, "Do not enter real clients here.") {
		t.Errorf("training sign-in banner: %q", banner)
	}
	artifact(t, ctx, "training-signin")
	do(t, ctx, "training-signin", signIn(base, "training")...)
	if h1 := read(t, ctx, "training-h1", chromedp.Text(chromedp.CSS(`h1`))); h1 != "Welcome to Hearth — River Valley HMIS Training" {
		t.Errorf("training h1 %q", h1)
	}
	if n := read(t, ctx, "training-tabs", count(`.hearth-tabs a`)); n != 4 {
		t.Errorf("training: %d tabs, want 4", n)
	}
	if n := read(t, ctx, "training-banner-2", count(`.hearth-training-banner`)); n != 1 {
		t.Errorf("training dashboard: %d banners, want 1", n)
	}
	user := read(t, ctx, "training-user", chromedp.Text(chromedp.CSS(`.hearth-user__name`)))
	if !strings.Contains(user, "Avery Admin") || !strings.Contains(user, "HMIS administrator") {
		t.Errorf("header user %q", user)
	}
	artifact(t, ctx, "training-dashboard")

	// Live, second tab of the same browser: signed in separately, no banner.
	live, cancel := chromedp.NewContext(ctx)
	defer cancel()
	do(t, live, "live-open")
	errs.watch(live, "live")
	do(t, live, "live-signin", signIn(base, "live")...)
	if h1 := read(t, live, "live-h1", chromedp.Text(chromedp.CSS(`h1`))); h1 != "Welcome to Hearth — River Valley HMIS" {
		t.Errorf("live h1 %q", h1)
	}
	if n := read(t, live, "live-banner", count(`.hearth-training-banner, .usa-site-alert`)); n != 0 {
		t.Errorf("live dashboard wears %d training banners", n)
	}
	artifact(t, live, "live-dashboard")

	// The Clients tab switches the menu groups, program families included.
	do(t, live, "live-clients",
		chromedp.Click(`//nav[@class="hearth-tabs"]//a[normalize-space()="Clients"]`),
		chromedp.WaitVisible(chromedp.CSS(`a[aria-current="page"][href="/live/clients/new"]`)))
	if n := read(t, live, "live-groups", count(`.hearth-sidenav__group`)); n != 2 {
		t.Errorf("clients tab: %d menu groups, want Case Management and ESG", n)
	}
	artifact(t, live, "live-clients")

	// Keyboard: the first Tab reaches the skip link.
	do(t, live, "skip-key", chromedp.KeyEvent("\t"))
	if a := read(t, live, "skip-link", chromedp.Evaluate[string](`document.activeElement.textContent`)); a != "Skip to main content" {
		t.Errorf("first focus on %q, want the skip link", a)
	}

	// The site chooser offers both sites.
	do(t, live, "sites", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`.hearth-sites`)))
	if n := read(t, live, "sites-cards", count(`.hearth-sites .usa-card`)); n != 2 {
		t.Errorf("site chooser: %d sites, want 2", n)
	}
	artifact(t, live, "sites")
	do(t, live, "back-to-live", chromedp.Navigate(base+"/live/"), chromedp.WaitVisible(chromedp.CSS(`.hearth-counts`)))

	// A phone-sized window still shows the tabs and the menu, without JavaScript menus.
	do(t, ctx, "mobile", chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/training/clients/programs/P1"), chromedp.WaitVisible(chromedp.CSS(`.hearth-sidenav`)))
	if n := read(t, ctx, "mobile-tabs", count(`.hearth-tabs a`)); n != 4 {
		t.Errorf("mobile: %d tabs", n)
	}
	artifact(t, ctx, "training-program-mobile")
	do(t, ctx, "desktop", chromedp.ResetViewport())

	// Sign out of live; training, in the other tab, is still signed in.
	do(t, live, "live-signout", chromedp.Click(chromedp.CSS(`button.hearth-signout`)), chromedp.WaitVisible(chromedp.ID("username")))
	if msg := read(t, live, "live-signed-out", chromedp.Text(chromedp.CSS(`.usa-alert__text`))); msg != "You have signed out." {
		t.Errorf("after sign-out: %q", msg)
	}
	do(t, ctx, "training-profile", chromedp.Navigate(base+"/training/profile"), chromedp.WaitVisible(chromedp.CSS(`.hearth-sessions`)))
	artifact(t, ctx, "training-profile")
	do(t, ctx, "training-signout",
		chromedp.Click(chromedp.CSS(`button.hearth-signout`)),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.Navigate(base+"/training/"),
		chromedp.WaitVisible(chromedp.ID("username")))

	if e := errs.all(); len(e) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(e, "\n"))
	}
	storetest.Mark(t, "browser")
}
