package web

import (
	"archive/zip"
	"encoding/csv"
	"fmt"
	"github.com/hearth-hmis/hearth/internal/config"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/auth"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// The access matrix through the web's real entry points (issue 6 item
// 9): clients of organization A (ORG1) under every restriction and
// release state, each either served by S (ORGS: an enrollment in S's
// program, as an import or an administrator makes it) or not, seen by a
// case manager and a read-only user of A (the owner), of B (the
// organization the releases name), of C (an unnamed one) and of S (the
// serving one), through GET /{site}/clients/{id} (the Client Dashboard
// and its enrollments), GET /{site}/clients/find (Find Client), the
// client calendar, the start of the exit workflow on the serving
// program's enrollment (a write path), and a CoC APR of the user's
// organization's program
// (the drill-down list of Q5a's persons served, and the Sage zip's
// Q5a.csv count). A hidden client's dashboard is a 404 with the very
// body of an ID that does not exist. The store suite
// (store.TestAccessMatrix) covers the same matrix through the store's
// read paths; both run on SQLite and PostgreSQL (eachDialect).

var webMatrixReleases = []string{"none", "active", "intake-only", "not-yet-begun", "expired", "revoked", "names-other-org"}

type webMatrixClient struct {
	id      string
	restr   access.Restriction
	release string
	served  bool // also enrolled in ORGS's program (PS)
}

// webMatrixExpect is what a user of org sees of c: the client (its
// dashboard and search result) and its whole record (the enrollment in
// ORG1's program on the dashboard). Written out here, not computed by
// package access.
func webMatrixExpect(org string, c webMatrixClient) (client, record bool) {
	switch {
	case org == "ORG1", c.restr == access.ShareGlobally:
		return true, true
	case org == "ORGB" && c.restr == access.ShareByRelease && c.release == "active":
		return true, true
	case org == "ORGB" && c.restr == access.ShareByRelease && c.release == "intake-only":
		return true, false
	case org == "ORGS" && c.served: // S serves the client: its intake
		return true, false
	}
	return false, false
}

// webMatrixExpectServed is whether a user of org sees c's enrollment in
// ORGS's program: when the client is served, by those who see the whole
// record and by S itself.
func webMatrixExpectServed(org string, c webMatrixClient) bool {
	_, record := webMatrixExpect(org, c)
	return c.served && (record || org == "ORGS")
}

// createOrgAccount adds an account of org with role.
func createOrgAccount(t *testing.T, st *store.Store, username, org string, role hmis.Role) {
	t.Helper()
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateAccount(storetest.Context(t), hmis.Account{Username: username, OrganizationID: org,
		Role: role, FirstName: "Matrix", LastName: "User"}, hash); err != nil {
		t.Fatalf("create account %s: %v", username, err)
	}
}

// buildWebMatrix adds organizations ORGB, ORGC, ORGD and ORGS, a program
// of ORG1 (PM) and one of ORGS (PS), and one client of ORG1 per
// restriction x release state x served by S or not, each with an
// enrollment in PM and, when served, one in PS.
func buildWebMatrix(t *testing.T, st *store.Store) []webMatrixClient {
	t.Helper()
	ctx := storetest.Context(t)
	no := hud.NoYes(0)
	for _, o := range []string{"ORGB", "ORGC", "ORGD", "ORGS"} {
		if err := store.CreateRecord(ctx, st, &hmis.Organization{OrganizationID: o, OrganizationName: "Org " + o, VictimServiceProvider: &no}); err != nil {
			t.Fatal(err)
		}
	}
	es, yes := hud.ProjectTypeEmergencyShelterEntryExit, hud.NoYes(1)
	for _, p := range []hmis.Project{{ProjectID: "PM", OrganizationID: "ORG1", ProjectName: "Quokka Matrix Shelter"},
		{ProjectID: "PS", OrganizationID: "ORGS", ProjectName: "Wombat Served Outreach"}} {
		p.ProjectType, p.ContinuumProject, p.OperatingStartDate = &es, &yes, hmis.MustDate("2020-01-01")
		if err := store.CreateRecord(ctx, st, &p); err != nil {
			t.Fatal(err)
		}
		if err := store.CreateRecord(ctx, st, &hmis.ProjectCoC{ProjectCoCID: "PC" + p.ProjectID, ProjectID: p.ProjectID, CoCCode: "CA-510", Geocode: "061234"}); err != nil {
			t.Fatal(err)
		}
	}
	hoh := hud.RelationshipToHoH(1)
	today := hmis.DateOf(st.Now())
	var out []webMatrixClient
	n := 0
	for _, r := range []access.Restriction{access.RestrictOrganization, access.ShareByRelease, access.ShareGlobally} {
		for _, rel := range webMatrixReleases {
			for _, served := range []bool{false, true} {
				n++
				c := webMatrixClient{id: fmt.Sprintf("wm%02d", n), restr: r, release: rel, served: served}
				rec := hmis.Client{PersonalID: c.id, FirstName: fmt.Sprintf("Person%c%c", 'a'+n/26, 'a'+n%26), LastName: webMatrixLastName(served),
					DOB: hmis.NewDate(1980, 3, 4), NameDataQuality: new(hud.NameDataQualityFullNameReported)}
				if err := store.CreateRecord(ctx, st, &rec); err != nil {
					t.Fatal(err)
				}
				if err := storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG1' WHERE personal_id = ?`, c.id); err != nil {
					t.Fatal(err)
				}
				if err := st.SetClientRestriction(ctx, c.id, r); err != nil {
					t.Fatal(err)
				}
				if err := store.CreateRecord(ctx, st, &hmis.Enrollment{EnrollmentID: "e" + c.id, PersonalID: c.id, ProjectID: "PM",
					HouseholdID: "h" + c.id, EntryDate: today.AddDays(-30), RelationshipToHoH: &hoh, EnrollmentCoC: "CA-510"}); err != nil {
					t.Fatal(err)
				}
				if served {
					if err := store.CreateRecord(ctx, st, &hmis.Enrollment{EnrollmentID: "s" + c.id, PersonalID: c.id, ProjectID: "PS",
						HouseholdID: "hs" + c.id, EntryDate: today.AddDays(-20), RelationshipToHoH: &hoh, EnrollmentCoC: "CA-510"}); err != nil {
						t.Fatal(err)
					}
				}
				nr := store.NewRelease{PersonalID: c.id, Organizations: []string{"ORGB"}, Begin: today.AddDays(-10), End: today.AddDays(10), Witness: "Case Worker"}
				switch rel {
				case "none":
					out = append(out, c)
					continue
				case "intake-only":
					nr.Coverage = access.CoverIntake
				case "not-yet-begun":
					nr.Begin = today.AddDays(1)
				case "expired":
					nr.Begin, nr.End = today.AddDays(-20), today.AddDays(-1)
				case "names-other-org":
					nr.Organizations = []string{"ORGD"}
				}
				got, err := st.AddRelease(ctx, nr)
				if err != nil {
					t.Fatal(err)
				}
				if rel == "revoked" {
					if _, err := st.RevokeRelease(ctx, got.ID, "client withdrew consent"); err != nil {
						t.Fatal(err)
					}
				}
				out = append(out, c)
			}
		}
	}
	return out
}

// referenceRE matches what differs between two requests' pages: request
// references and IDs.
var referenceRE = regexp.MustCompile(`(?i)(reference|request[ -]id)[^<)"]*`)

func stripReference(body string) string { return referenceRE.ReplaceAllString(body, "reference") }

func TestAccessMatrixWeb(t *testing.T) {
	eachDialect(t, func(t *testing.T, edit func(*config.Config)) {
		app := newTestApp(t, edit)
		st := app.reg.All()[0].Store
		clients := buildWebMatrix(t, st)
		type user struct {
			name, org string
		}
		var users []user
		for _, org := range []string{"ORG1", "ORGB", "ORGC", "ORGS"} {
			for _, role := range []hmis.Role{hmis.RoleCaseManager, hmis.RoleReadOnly} {
				u := user{strings.ToLower(org) + "-" + strings.ReplaceAll(string(role), "_", ""), org}
				createOrgAccount(t, st, u.name, org, role)
				users = append(users, u)
			}
		}
		cases, leaks := 0, 0
		check := func(what string, u user, c webMatrixClient, got, want bool) {
			t.Helper()
			cases++
			if got != want {
				if got {
					leaks++
				}
				t.Errorf("%s: %s (org %s) sees %s (restriction %s, release %s, served by ORGS %v): %v, want %v", what, u.name, u.org, c.id, c.restr, c.release, c.served, got, want)
			}
		}
		for _, u := range users {
			b := app.browser(t)
			b.signIn("live", u.name)
			// The 404 of an ID that does not exist: every hidden client's
			// dashboard must be exactly this (after the request reference
			// and the ID itself).
			missing := b.get("/live/clients/wm99")
			if missing.Status != http.StatusNotFound {
				t.Fatalf("missing client: status %d", missing.Status)
			}
			missingBody := stripReference(strings.ReplaceAll(missing.Body, "wm99", "ID"))

			// Find Client: two searches that match every client of the
			// matrix (each at most the page's 25).
			var listed []string
			for _, name := range []string{webMatrixLastName(false), webMatrixLastName(true)} {
				found := b.get("/live/clients/find?" + url.Values{"q": {name}}.Encode())
				if found.Status != http.StatusOK {
					t.Fatalf("find: status %d", found.Status)
				}
				for _, h := range links(found.Body, "", "") {
					if id, ok := strings.CutPrefix(h, "/live/clients/"); ok {
						listed = append(listed, id)
					}
				}
			}
			for _, c := range clients {
				wantClient, wantRecord := webMatrixExpect(u.org, c)
				check("find client", u, c, slices.Contains(listed, c.id), wantClient)
				res := b.get("/live/clients/" + c.id)
				check("dashboard", u, c, res.Status == http.StatusOK, wantClient)
				if res.Status != http.StatusOK && res.Status != http.StatusNotFound {
					t.Errorf("dashboard %s as %s: status %d, want 200 or 404", c.id, u.name, res.Status)
				}
				check("dashboard enrollment", u, c, res.Status == http.StatusOK && strings.Contains(res.Body, "Quokka Matrix Shelter"), wantRecord)
				check("dashboard enrollment in the serving program", u, c, res.Status == http.StatusOK && strings.Contains(res.Body, "Wombat Served Outreach"),
					webMatrixExpectServed(u.org, c))
				check("client calendar", u, c, b.get("/live/clients/"+c.id+"/calendar").Status == http.StatusOK, wantClient)
				// A write path on the serving program's enrollment: starting
				// its exit workflow (a draft; nothing is exited). Only the
				// serving organization's case manager may (the program is
				// its own, store.EnrollmentAccess); the enrollment is "not
				// found" to whoever does not see it.
				ex := b.post("/live/workflows/start", url.Values{"stage": {"exit"}, "enrollment": {"s" + c.id}, "member": {c.id}})
				check("exit workflow of the serving program's enrollment", u, c, ex.Status == http.StatusSeeOther,
					c.served && u.org == "ORGS" && strings.HasSuffix(u.name, "casemanager"))
				check("exit workflow of the serving program's enrollment found", u, c, ex.Status != http.StatusNotFound,
					webMatrixExpectServed(u.org, c))
				if !wantClient {
					cases++
					if got := stripReference(strings.ReplaceAll(res.Body, c.id, "ID")); got != missingBody {
						t.Errorf("dashboard %s as %s: the 404 differs from a missing ID's:\n%s\n--- missing:\n%s", c.id, u.name, got, missingBody)
					}
					if strings.Contains(res.Body, "Person") || strings.Contains(res.Body, webMatrixLastName(c.served)) {
						leaks++
						t.Errorf("dashboard %s as %s: the 404 names the client", c.id, u.name)
					}
				}
			}
			// Reports: an APR of the user's organization's program (ORG1's
			// PM, ORGS's PS; B and C have none), its Q5a drill-down (the
			// persons served) and the Sage zip's count of them.
			program := map[string]string{"ORG1": "PM", "ORGS": "PS"}[u.org]
			if program == "" {
				continue
			}
			drilled, counted := webMatrixReport(t, b, program)
			want := 0
			for _, c := range clients {
				w := webMatrixExpectServed(u.org, c)
				if program == "PM" {
					_, w = webMatrixExpect(u.org, c)
				}
				want += b2iWeb(w)
				check("report drill-down", u, c, slices.Contains(drilled, c.id), w)
			}
			cases++
			if counted != want {
				if counted > want {
					leaks++
				}
				t.Errorf("Sage zip Q5a as %s: %d persons served, want %d", u.name, counted, want)
			}
		}
		// An administrator's APR of each program counts the same persons
		// as the program's own organization's users.
		admin := app.browser(t)
		admin.signIn("live", "admin")
		for program, want := range map[string]int{"PM": len(clients), "PS": len(clients) / 2} {
			drilled, counted := webMatrixReport(t, admin, program)
			cases++
			if len(drilled) != want || counted != want {
				t.Errorf("administrator's APR of %s: %d in the drill-down, %d in the zip; want %d", program, len(drilled), counted, want)
			}
		}
		t.Logf("%d access cases (%d users x %d clients, dashboard, enrollments, Find Client, calendar, exit workflow start, 404 bodies, report drill-down and Sage zip), %d leaks",
			cases, len(users), len(clients), leaks)
		fmt.Printf("%d access cases (web, %s)\n", cases, t.Name())
	})
}

// webMatrixReport runs a CoC APR of one program over the last 60 days as
// b's user and returns the matrix clients of its Q5a drill-down (row 1,
// column C: every person served) and the Sage zip's Q5a count of them.
func webMatrixReport(t *testing.T, b *browser, program string) (drilled []string, counted int) {
	t.Helper()
	today := time.Now()
	form := url.Values{"kind": {"apr"}, "by": {"programs"}, "project": {program}, "start": {today.AddDate(0, 0, -60).Format("01/02/2006")},
		"end": {today.Format("01/02/2006")}, "coc": {"CA-510"}}
	path := postRun(t, b, form)
	finishedRun(t, b, path)
	res := b.get(path + "/cells/Q5a/0/1")
	if res.Status != http.StatusOK {
		t.Fatalf("drill-down of %s: status %d", program, res.Status)
	}
	for _, h := range links(res.Body, "", "") {
		id, ok := strings.CutPrefix(h, "/live/clients/")
		id, _, _ = strings.Cut(id, "#")
		if ok && strings.HasPrefix(id, "wm") && !strings.Contains(id, "/") && !slices.Contains(drilled, id) {
			drilled = append(drilled, id)
		}
	}
	res = b.get(path + "/zip")
	zr, err := zip.NewReader(strings.NewReader(res.Body), int64(len(res.Body)))
	if err != nil {
		t.Fatalf("zip of %s: %v (status %d)", program, err, res.Status)
	}
	counted = -1
	for _, f := range zr.File {
		if f.Name != "Q5a.csv" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(rc).ReadAll()
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if len(r) == 3 && r[0] == "Total number of persons served" {
				if counted, err = strconv.Atoi(r[2]); err != nil {
					t.Fatalf("Q5a.csv: %v", rows)
				}
			}
		}
	}
	if counted < 0 {
		t.Fatalf("no persons served in the zip of %s", program)
	}
	return drilled, counted
}

// webMatrixLastName is the matrix clients' last name: one for those
// served by ORGS, one for the others, so that a search finds each half.
func webMatrixLastName(served bool) string {
	if served {
		return "Quillfeather"
	}
	return "Zephyrine"
}

func b2iWeb(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestHiddenDuplicateNotice: Add New Client, typed by a case manager of
// ORGB, strongly matching (name with DOB, or SSN) a client ORGA keeps to
// itself: the page says only that a possible match exists elsewhere (no
// name, ID or organization), the save waits for "new person", and the
// audit row names no client. A name alone says nothing; a client the
// user may see is listed as usual, without the notice.
func TestHiddenDuplicateNotice(t *testing.T) {
	app := newTestApp(t, nil)
	st := app.reg.All()[0].Store
	ctx := storetest.Context(t)
	no := hud.NoYes(0)
	for id, name := range map[string]string{"ORGA": "Quintessa House", "ORGB": "Org B"} {
		if err := store.CreateRecord(ctx, st, &hmis.Organization{OrganizationID: id, OrganizationName: name, VictimServiceProvider: &no}); err != nil {
			t.Fatal(err)
		}
	}
	hidden := hmis.Client{PersonalID: "hidden01", FirstName: "Ottoline", LastName: "Brackenbury", DOB: hmis.NewDate(1966, 4, 21),
		SSN: "234567891", NameDataQuality: new(hud.NameDataQualityFullNameReported)}
	if err := store.CreateRecord(ctx, st, &hidden); err != nil {
		t.Fatal(err)
	}
	if err := storetest.Exec(st, `UPDATE clients SET organization_id = 'ORGA' WHERE personal_id = 'hidden01'`); err != nil {
		t.Fatal(err)
	}
	createOrgAccount(t, st, "cmb", "ORGB", hmis.RoleCaseManager)
	b := app.browser(t)
	b.signIn("live", "cmb")
	const notice = "A possible match exists in another organization — ask your HMIS administrator."
	leaksOf := []string{"hidden01", "Brackenbury", "Ottoline", "Quintessa", "04/21/1966", "4321", "This is the same person"}

	form := url.Values{"first_name": {"Ottoline"}, "last_name": {"Brackenbury"}, "dob": {"04/21/1966"}, "ssn_data_quality": {"99"},
		"white": {"1"}, "veteran_status": {"1"}, "sex": {"1"}}
	res := b.post("/live/clients/new/form", form)
	if res.Status != http.StatusOK {
		t.Fatalf("name and DOB: status %d\n%s", res.Status, res.Body)
	}
	wantContains(t, "name and DOB", res.Body, notice, `name="decision" value="new"`)
	// What the user typed is in the form; nothing of the hidden record
	// is anywhere else.
	body := strings.NewReplacer(`value="Ottoline"`, "", `value="Brackenbury"`, "", `value="04/21/1966"`, "").Replace(res.Body)
	wantNotContains(t, "name and DOB", body, leaksOf...)

	// The name with the full SSN (no DOB) tells too.
	res = b.post("/live/clients/new/form", url.Values{"first_name": {"Ottoline"}, "last_name": {"Brackenbury"}, "ssn": {"234-56-7891"}, "dob_data_quality": {"99"},
		"white": {"1"}, "veteran_status": {"1"}, "sex": {"1"}})
	wantContains(t, "SSN", res.Body, notice)

	// The owner's case manager sees the client itself, not the notice
	// (before ORGB saves its own Ottoline Brackenbury below).
	createOrgAccount(t, st, "cma", "ORGA", hmis.RoleCaseManager)
	o := app.browser(t)
	o.signIn("live", "cma")
	res = o.post("/live/clients/new/form", form)
	wantContains(t, "owner", res.Body, "This is the same person", `href="/live/clients/hidden01?from=intake-same"`)
	wantNotContains(t, "owner", res.Body, notice)

	// A name alone does not: the client is saved at once.
	res = b.post("/live/clients/new/form", url.Values{"first_name": {"Ottoline"}, "last_name": {"Brackenbury"},
		"ssn_data_quality": {"99"}, "dob_data_quality": {"99"}, "white": {"1"}, "veteran_status": {"1"}, "sex": {"1"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("name alone: status %d, want the save\n%s", res.Status, res.Body)
	}

	// "New person" after the notice saves.
	form.Set("decision", "new")
	res = b.post("/live/clients/new/form", form)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("new person: status %d", res.Status)
	}

	// Two notices, audited without the hidden client's ID or PII.
	es, err := st.FindAudit(ctx, store.AuditFilter{Action: "duplicate_hint"})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 {
		t.Fatalf("%d duplicate_hint audit rows, want 2", len(es))
	}
	for _, e := range es {
		if e.Entity != "client" || e.EntityID != "" {
			t.Errorf("audit row names a client: %+v", e)
		}
		for _, s := range leaksOf {
			if strings.Contains(e.Detail, s) {
				t.Errorf("audit detail %q holds %q", e.Detail, s)
			}
		}
	}
}
