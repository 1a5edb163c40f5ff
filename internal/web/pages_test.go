package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const trainingBanner = "TRAINING SITE</strong> — practice data only. Do not enter real clients here."

func TestSiteList(t *testing.T) {
	app := newTestApp(t, nil)
	res := app.browser(t).get("/")
	if res.Status != http.StatusOK {
		t.Fatalf("status %d", res.Status)
	}
	wantContains(t, "site list", res.Body, `href="/live/"`, `href="/training/"`, "River Valley HMIS Training", ">Live</span>", ">Training</span>")
	wantNotContains(t, "site list", res.Body, trainingBanner)
}

// TestNavWalk signs in on each site and follows every link from the
// dashboard, breadth first: every page must render in the shell, every menu
// option must be marked current on its own page, and the training banner
// must be on exactly the training site's pages.
func TestNavWalk(t *testing.T) {
	app := newTestApp(t, nil)
	for _, site := range testSites {
		t.Run(site.Slug, func(t *testing.T) {
			b := app.browser(t)
			b.signIn(site.Slug, "admin")
			base := "/" + site.Slug + "/"
			dash := b.get(base)
			tabs := links(dash.Body, `<nav class="hearth-tabs"`, "</nav>")
			if len(tabs) != 4 {
				t.Fatalf("want 4 tabs, got %q", tabs)
			}
			wantContains(t, "tabs", dash.Body, ">Home</a>", ">Clients</a>", ">Housing</a>", ">Support</a>")
			menu := map[string]bool{}
			for _, tab := range tabs {
				res := b.get(tab)
				if !strings.Contains(res.Body, `href="`+tab+`" class="is-current" aria-current="true"`) {
					t.Errorf("tab %s is not marked current", tab)
				}
				for _, href := range links(res.Body, `<nav class="hearth-sidenav"`, "</nav>") {
					menu[href] = true
				}
			}
			seen := map[string]bool{base: true}
			queue := []string{base}
			for len(queue) > 0 {
				href := queue[0]
				queue = queue[1:]
				body := checkPage(t, b, site.Training, site.Title, href, menu[href])
				for _, l := range links(body, "", "") {
					switch {
					case strings.HasPrefix(l, "#"):
					case !strings.HasPrefix(l, "/") || strings.HasPrefix(l, "//"):
						t.Errorf("%s: link off the site: %s", href, l)
					case !strings.HasPrefix(l, base):
						if r := b.get(l); r.Status != http.StatusOK {
							t.Errorf("%s: link %s: status %d", href, l, r.Status)
						}
					case strings.Contains(l, "date=") && !seen[l]:
						// The calendar's dates go on for ever: each one is
						// checked, not walked from.
						seen[l] = true
						checkPage(t, b, site.Training, site.Title, l, false)
					case !seen[l]:
						seen[l] = true
						queue = append(queue, l)
					}
				}
			}
			if len(menu) < 24 || len(seen) < len(menu)+2 {
				t.Errorf("walked %d pages, %d menu options: %v", len(seen), len(menu), seen)
			}
			for _, want := range []string{"clients/programs/P1", "clients/programs/P1/intake", "profile", "support/help"} {
				if !seen[base+want] {
					t.Errorf("never reached %s", base+want)
				}
			}
		})
	}
}

// checkPage gets a signed-in page and checks the shell around it.
func checkPage(t *testing.T, b *browser, training bool, title, href string, inMenu bool) string {
	t.Helper()
	res := b.get(href)
	if res.Status != http.StatusOK {
		t.Errorf("%s: status %d", href, res.Status)
		return ""
	}
	wantContains(t, href, res.Body, `<header class="usa-header hearth-header">`, ">"+title+"</a>",
		`<main id="main-content"`, `href="#main-content"`, "Avery Admin", "HMIS administrator", ">Sign out</button>",
		`<nav class="hearth-tabs" aria-label="Tabs">`, `aria-current="true"`)
	if inMenu && !strings.Contains(res.Body, `href="`+href+`" class="usa-current" aria-current="page"`) {
		t.Errorf("%s: menu option not marked current", href)
	}
	if training {
		wantContains(t, href, res.Body, trainingBanner, `class="hearth-training"`)
	} else {
		wantNotContains(t, href, res.Body, trainingBanner, "hearth-training")
	}
	return res.Body
}

func TestDashboard(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	b.signIn("live", "admin")
	res := b.get("/live/")
	wantContains(t, "dashboard", res.Body, "<h1>Welcome to Hearth — River Valley HMIS</h1>",
		"The HMIS for the River Valley Continuum of Care", "Administered by the River Valley Housing Authority",
		"<dt>Clients</dt><dd>0</dd>", "<dt>Programs</dt><dd>1</dd>", "<dt>Organizations</dt><dd>1</dd>",
		"<dt>Active enrollments</dt>", "<dt>Services</dt>", "<dt>Households</dt>")
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -12345: "-12,345"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestProgramWorkflow(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	b.signIn("live", "admin")
	res := b.get("/live/clients/programs/P1")
	wantContains(t, "program", res.Body, "<h1>Hope Emergency Shelter</h1>", "Hope Shelter", "ESG funding",
		`href="/live/clients/programs/P1/intake"`, `href="/live/clients/programs/P1/exit"`, "Active clients",
		`<h2 class="hearth-sidenav__group">ESG</h2>`)
	for _, step := range []string{"intake", "exit"} {
		res := b.get("/live/clients/programs/P1/" + step)
		if res.Status != http.StatusOK {
			t.Errorf("%s: status %d", step, res.Status)
		}
		wantContains(t, step, res.Body, map[string]string{"intake": "Find the client", "exit": "Choose Exit next to the client"}[step])
	}
	for _, path := range []string{"/live/clients/programs/NOPE", "/live/clients/programs/P1/transfer"} {
		if res := b.get(path); res.Status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, res.Status)
		}
	}
}

func TestNotFound(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	for _, c := range []struct {
		path, want string
		banner     bool
	}{
		{"/nowhere", "There is no page at this address.", false},
		{"/live/nowhere/at/all", "River Valley HMIS</a>", false},
		{"/training/nowhere", "River Valley HMIS Training</a>", true},
	} {
		res := b.get(c.path)
		if res.Status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", c.path, res.Status)
		}
		wantContains(t, c.path, res.Body, "<h1>Page not found</h1>", c.want)
		if got := strings.Contains(res.Body, trainingBanner); got != c.banner {
			t.Errorf("%s: training banner %v, want %v", c.path, got, c.banner)
		}
	}
}

func TestHeadersAndAssets(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	res := b.get("/live/login")
	h := res.Header
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "Cache-Control": "no-store"} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if h.Get("X-Request-ID") == "" {
		t.Errorf("no X-Request-ID")
	}
	wantNotContains(t, "login", res.Body, "<script>", " style=", "https://")
	var css string
	for _, m := range regexpAll(res.Body, `href="(/static/[^"]+\.css)"`) {
		css = m
	}
	if css == "" {
		t.Fatalf("no stylesheet link in\n%s", res.Body)
	}
	a := b.get(css)
	if a.Status != http.StatusOK || a.Header.Get("Content-Type") != "text/css; charset=utf-8" ||
		!strings.Contains(a.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("%s: status %d, headers %v", css, a.Status, a.Header)
	}
	stale := strings.Replace(css, app.srvHash(t), "000000000000", 1)
	if a := b.get(stale); a.Status != http.StatusOK || a.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("stale %s: status %d, Cache-Control %q", stale, a.Status, a.Header.Get("Cache-Control"))
	}
	if a := b.get("/static/x/vendor/nope.js"); a.Status != http.StatusNotFound {
		t.Errorf("missing asset: status %d", a.Status)
	}
}

func TestHTMXFragment(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	b.signIn("live", "admin")
	req, _ := http.NewRequest(http.MethodGet, app.srv.URL+"/live/profile", nil)
	req.Header.Set("HX-Request", "true")
	res := b.do(req)
	wantContains(t, "fragment", res.Body, "<h1>My Profile</h1>")
	wantNotContains(t, "fragment", res.Body, "<html", "hearth-tabs")
}

func TestTrainingBanner_SignIn(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	training := b.get("/training/login")
	wantContains(t, "training sign-in", training.Body, trainingBanner, "River Valley HMIS Training</a>", `<label class="usa-label" for="username">`)
	live := b.get("/live/login")
	wantContains(t, "live sign-in", live.Body, "River Valley HMIS</a>")
	wantNotContains(t, "live sign-in", live.Body, trainingBanner, "TRAINING")
}

// TestInternalError: a failing database shows a reference, and the log
// has the same reference but never what was typed into a form.
func TestInternalError(t *testing.T) {
	var logBuf bytes.Buffer
	app := newTestAppLog(t, nil, slog.New(slog.NewTextHandler(&logBuf, nil)))
	b := app.browser(t)
	b.signIn("live", "admin")
	b.post("/live/login", url.Values{"username": {"admin"}, "password": {"typed secret 123"}})
	app.reg.Close() // every query now fails
	res := b.get("/live/")
	if res.Status != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", res.Status)
	}
	id := res.Header.Get("X-Request-ID")
	wantContains(t, "500", res.Body, "Something went wrong (reference "+id+")")
	wantNotContains(t, "500", res.Body, "sql", "closed")
	wantContains(t, "log", logBuf.String(), "request_id="+id, "internal error")
	wantNotContains(t, "log", logBuf.String(), "typed secret", testPassword)
}
