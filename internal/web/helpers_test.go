package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/auth"
	"github.com/hearth-hmis/hearth/internal/config"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/sites"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// testPassword is every test account's password.
const testPassword = "correct horse battery"

// testSites are the two sites every test serves.
var testSites = []config.Site{
	{Slug: "live", Title: "River Valley HMIS", Heading: "The HMIS for the River Valley Continuum of Care",
		AdministeredBy: "Administered by the River Valley Housing Authority"},
	{Slug: "training", Title: "River Valley HMIS Training", Training: true,
		Heading: "The HMIS for the River Valley Continuum of Care"},
}

// testApp is a Hearth web handler on two fresh SQLite sites, each with an
// organization, an ESG program and an admin account "admin".
type testApp struct {
	cfg config.Config
	reg *sites.Registry
	srv *httptest.Server
}

// newTestApp starts the app; edit adjusts the configuration first.
// (Sites are opened through sites.Open, which only knows a data folder,
// so these tests run on SQLite: the store suite covers PostgreSQL.)
func newTestApp(t *testing.T, edit func(*config.Config)) *testApp {
	t.Helper()
	return newTestAppLog(t, edit, nil)
}

// newTestAppLog is newTestApp with a logger.
func newTestAppLog(t *testing.T, edit func(*config.Config), logger *slog.Logger) *testApp {
	t.Helper()
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.Sites = testSites
	if edit != nil {
		edit(&cfg)
	}
	reg, err := sites.Open(t.Context(), cfg, true)
	if err != nil {
		t.Fatalf("open sites: %v", err)
	}
	t.Cleanup(reg.Close)
	for _, s := range reg.All() {
		seedSite(t, s.Store)
	}
	h, err := New(cfg, reg, logger)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &testApp{cfg: cfg, reg: reg, srv: srv}
}

// seedSite adds an organization, an ESG program with a grant in force,
// and the admin account.
func seedSite(t testing.TB, st *store.Store) {
	t.Helper()
	ctx := storetest.Context(t)
	no := hud.NoYes(0)
	org := hmis.Organization{OrganizationID: "ORG1", OrganizationName: "Hope Shelter", VictimServiceProvider: &no}
	if err := store.CreateRecord(ctx, st, &org); err != nil {
		t.Fatalf("create organization: %v", err)
	}
	pt := hud.ProjectType(1)
	yes := hud.NoYes(1)
	proj := hmis.Project{ProjectID: "P1", OrganizationID: "ORG1", ProjectName: "Hope Emergency Shelter",
		OperatingStartDate: hmis.NewDate(2020, time.January, 1), ContinuumProject: &yes, ProjectType: &pt}
	if err := store.CreateRecord(ctx, st, &proj); err != nil {
		t.Fatalf("create project: %v", err)
	}
	esg := hud.FundingSourceHUDESGEmergencyShelter
	f := hmis.Funder{FunderID: "F1", ProjectID: "P1", Funder: &esg, GrantID: "ESG-1", StartDate: hmis.NewDate(2020, time.January, 1)}
	if err := store.CreateRecord(ctx, st, &f); err != nil {
		t.Fatalf("create funder: %v", err)
	}
	mustCreateAccount(t, st, "admin", hmis.RoleAdmin)
}

func mustCreateAccount(t testing.TB, st *store.Store, username string, role hmis.Role) hmis.Account {
	t.Helper()
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	a, err := st.CreateAccount(storetest.Context(t), hmis.Account{Username: username, OrganizationID: "ORG1",
		Role: role, FirstName: "Avery", LastName: "Admin"}, hash)
	if err != nil {
		t.Fatalf("create account: %v", err)
	}
	return a
}

// browser is an HTTP client with its own cookie jar that does not follow
// redirects, so tests see them.
type browser struct {
	t   *testing.T
	app *testApp
	c   *http.Client
}

func (a *testApp) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, app: a, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// response is a finished request: status, headers and body.
type response struct {
	Status int
	Header http.Header
	Body   string
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

func (b *browser) get(path string) response {
	b.t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, b.app.srv.URL+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) response {
	b.t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, b.app.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// signIn signs in to site and fails the test unless it worked.
func (b *browser) signIn(site, username string) {
	b.t.Helper()
	res := b.post("/"+site+"/login", url.Values{"username": {username}, "password": {testPassword}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/"+site+"/" {
		b.t.Fatalf("sign in to %s: status %d, Location %q; body:\n%s", site, res.Status, res.Header.Get("Location"), res.Body)
	}
}

func wantContains(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("%s: missing %q", what, s)
		}
	}
}

func wantNotContains(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(body, s) {
			t.Errorf("%s: unexpected %q", what, s)
		}
	}
}

var hrefRE = regexp.MustCompile(`<a [^>]*href="([^"]*)"`)

// links returns the href of every link in the part of body between the
// first start and the next end (the whole body when start is "").
func links(body, start, end string) []string {
	if start != "" {
		i := strings.Index(body, start)
		if i < 0 {
			return nil
		}
		body = body[i:]
		if j := strings.Index(body, end); j >= 0 {
			body = body[:j]
		}
	}
	var out []string
	for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// regexpAll returns the first group of every match of expr in s.
func regexpAll(s, expr string) []string {
	var out []string
	for _, m := range regexp.MustCompile(expr).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// srvHash is the asset hash the app's pages use.
func (a *testApp) srvHash(t *testing.T) string {
	as, err := newAssets()
	if err != nil {
		t.Fatal(err)
	}
	return as.hash
}

// eachDialect runs fn as a "sqlite" subtest and, when
// HEARTH_TEST_POSTGRES_URL is set, as a "postgres" one whose sites live in
// schemas of their own (dropped at the end): the web's read paths driven
// through their real HTTP entry points on both databases (issue 6 item 9).
func eachDialect(t *testing.T, fn func(t *testing.T, edit func(*config.Config))) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, nil) })
	t.Run("postgres", func(t *testing.T) {
		url := os.Getenv(storetest.PostgresEnv)
		if url == "" {
			t.Skipf("PostgreSQL suite skipped: set %s to run it", storetest.PostgresEnv)
		}
		var b [5]byte
		rand.Read(b[:])
		prefix := "tw_" + hex.EncodeToString(b[:]) + "_"
		t.Cleanup(func() {
			for _, s := range testSites {
				if err := store.DropSchema(context.Background(), url, prefix+s.Slug); err != nil {
					t.Errorf("drop schema: %v", err)
				}
			}
		})
		storetest.Mark(t, "postgres")
		fn(t, func(c *config.Config) { c.DatabaseURL, c.SchemaPrefix = url, prefix })
	})
}
