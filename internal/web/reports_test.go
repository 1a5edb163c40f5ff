package web

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// seedReports adds, to the live site, a CoC rapid re-housing program of
// ORG1 ("P2", grant COC-1) and a shelter of ORG2 ("P3"), clients of ORG1
// in P2 (two of them left, one to a rental), a client of ORG2 restricted
// to ORG2 and enrolled in P2 with the enrollment restricted to ORG2 too
// ("Hiddenfield": without that, ORG1 would see it, as it serves it), a
// client of ORG2 in P3, and
// the case managers casey (ORG1) and other (ORG2). The period is the
// fiscal year 2025-10-01 to 2026-09-30.
func seedReports(t testing.TB, a *testApp, clients int) *store.Store {
	t.Helper()
	site, _ := a.reg.Get("live")
	st := site.Store
	ctx := storetest.Context(t)
	mustT := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	no := hud.NoYes(0)
	yes := hud.NoYes(1)
	mustT(store.CreateRecord(ctx, st, &hmis.Organization{OrganizationID: "ORG2", OrganizationName: "Safe Harbor", VictimServiceProvider: &no}))
	rrh, es := hud.ProjectTypePHRapidReHousing, hud.ProjectTypeEmergencyShelterEntryExit
	for _, p := range []hmis.Project{
		{ProjectID: "P2", OrganizationID: "ORG1", ProjectName: "Hope Rapid Rehousing", ProjectType: &rrh, ContinuumProject: &yes,
			OperatingStartDate: hmis.MustDate("2020-01-01"), RRHSubType: new(hud.RRHSubType(2))},
		{ProjectID: "P3", OrganizationID: "ORG2", ProjectName: "Harbor Night Shelter", ProjectType: &es, ContinuumProject: &yes,
			OperatingStartDate: hmis.MustDate("2020-01-01")},
	} {
		mustT(store.CreateRecord(ctx, st, &p))
		mustT(store.CreateRecord(ctx, st, &hmis.ProjectCoC{ProjectCoCID: "PC" + p.ProjectID, ProjectID: p.ProjectID, CoCCode: "CA-510", Geocode: "061234"}))
	}
	coc := hud.FundingSourceHUDCoCRapidReHousing
	mustT(store.CreateRecord(ctx, st, &hmis.Funder{FunderID: "F2", ProjectID: "P2", Funder: &coc, GrantID: "COC-1", StartDate: hmis.MustDate("2020-01-01")}))
	mustT(store.CreateRecord(ctx, st, &hmis.Funder{FunderID: "F3", ProjectID: "P3", Funder: &coc, GrantID: "COC-3", StartDate: hmis.MustDate("2020-01-01")}))
	hoh := hud.RelationshipToHoH(1)
	add := func(id, first, last, dob, project, entry string) {
		t.Helper()
		c := hmis.Client{PersonalID: id, FirstName: first, LastName: last, NameDataQuality: new(hud.NameDataQuality(1)),
			SSNDataQuality: new(hud.SSNDataQuality(99)), DOBDataQuality: new(hud.DOBDataQuality(1)),
			VeteranStatus: new(hud.NoYesReasonsForMissingData(0)), Sex: new(hud.Sex(1))}
		if dob != "" {
			c.DOB = hmis.MustDate(dob)
		} else {
			c.DOBDataQuality = new(hud.DOBDataQuality(99))
		}
		mustT(store.CreateRecord(ctx, st, &c))
		e := hmis.Enrollment{EnrollmentID: "E" + id, PersonalID: id, ProjectID: project, EntryDate: hmis.MustDate(entry),
			HouseholdID: "H" + id, RelationshipToHoH: &hoh, EnrollmentCoC: "CA-510",
			DisablingCondition: new(hud.NoYesReasonsForMissingData(0)), LivingSituation: new(hud.LivingSituation(116))}
		mustT(store.CreateRecord(ctx, st, &e))
	}
	names := []string{"Ada", "Ben", "Cleo", "Dev", "Esme", "Finn", "Gus", "Hana", "Ivo", "Jo"}
	for i := 0; i < clients; i++ {
		dob := fmt.Sprintf("19%02d-0%d-1%d", 60+i%40, 1+i%9, i%10)
		if i == 3 {
			dob = "" // a data-quality issue: missing date of birth
		}
		add(fmt.Sprintf("c%03d", i), names[i%len(names)], fmt.Sprintf("Example%d", i), dob, "P2",
			hmis.MustDate("2025-10-05").AddDays(i*11%300).String())
	}
	add("hidden01", "Hilda", "Hiddenfield", "1980-01-02", "P2", "2025-11-01")
	add("harbor01", "Hector", "Harborman", "1979-05-06", "P3", "2025-12-01")
	mustT(storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG1'`))
	mustT(storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG2' WHERE personal_id IN ('hidden01', 'harbor01')`))
	mustT(storetest.Exec(st, `UPDATE enrollments SET restricted_to_org = 'ORG2' WHERE personal_id = 'hidden01'`))
	for i, dest := range []int{410, 116} { // a rental; a place not meant for habitation
		id := fmt.Sprintf("c%03d", i)
		mustT(store.CreateRecord(ctx, st, &hmis.Exit{ExitID: "X" + id, EnrollmentID: "E" + id, PersonalID: id,
			ExitDate: hmis.MustDate("2026-03-01"), Destination: new(hud.LivingSituation(dest))}))
	}
	mustCreateAccount(t, st, "casey", hmis.RoleCaseManager)
	createOrgAccount(t.(*testing.T), st, "other", "ORG2", hmis.RoleCaseManager)
	return st
}

// runForm is a valid form for an APR on P2 over the fiscal year.
func runForm(kind string, projects ...string) url.Values {
	return url.Values{"kind": {kind}, "by": {"programs"}, "project": projects, "start": {"10/01/2025"},
		"end": {"09/30/2026"}, "coc": {"CA-510"}}
}

// runReport posts the form and returns the run page's path.
func postRun(t *testing.T, b *browser, form url.Values) string {
	t.Helper()
	res := b.post("/live/home/reports", form)
	loc := res.Header.Get("Location")
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/live/home/reports/runs/") {
		t.Fatalf("run: status %d, Location %q; body:\n%.2000s", res.Status, loc, res.Body)
	}
	return loc
}

// finishedRun opens the run page, following the "running" state until
// the run is done (the run computes in the background).
func finishedRun(t *testing.T, b *browser, path string) string {
	t.Helper()
	for {
		res := b.get(path)
		if res.Status != http.StatusOK {
			t.Fatalf("%s: status %d:\n%.2000s", path, res.Status, res.Body)
		}
		if !strings.Contains(res.Body, `id="report-running"`) {
			return res.Body
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestReports_FormRefusals(t *testing.T) {
	a := newTestApp(t, nil)
	seedReports(t, a, 5)
	b := a.browser(t)
	b.signIn("live", "casey")

	res := b.get("/live/home/reports")
	if res.Status != http.StatusOK {
		t.Fatalf("form: status %d", res.Status)
	}
	// Only the programs of the user's organization are offered.
	wantContains(t, "form", res.Body, "Hope Rapid Rehousing", `value="P2"`, "Hope Emergency Shelter", "COC-1", "No report has been run yet",
		`id="coc" name="coc" type="text" value="CA-510"`) // the programs' CoC (2.03.1)
	wantNotContains(t, "form", res.Body, "Harbor Night Shelter", `value="P3"`, "COC-3")

	cases := []struct {
		name  string
		edit  func(url.Values)
		field string
		want  string
	}{
		{"start after end", func(f url.Values) { f.Set("start", "10/01/2026") }, "start", "The start date is after the end date 09/30/2026."},
		{"no programs", func(f url.Values) { f.Del("project") }, "project", "Choose at least one program."},
		{"another organization's program", func(f url.Values) { f["project"] = []string{"P2", "P3"} }, "project", "not one you may report on"},
		{"unknown program", func(f url.Values) { f["project"] = []string{"NOPE"} }, "project", "not one you may report on"},
		{"bad date", func(f url.Values) { f.Set("end", "31/31/2026") }, "end", "Enter the report end date as MM/DD/YYYY."},
		{"bad CoC", func(f url.Values) { f.Set("coc", "CA510") }, "coc", "like CA-510"},
		{"no grant", func(f url.Values) { f.Set("by", "grant") }, "grant", "Choose a grant."},
		{"another organization's grant", func(f url.Values) { f.Set("by", "grant"); f.Set("grant", "COC-3") }, "grant", "No program you may report on"},
		{"no report", func(f url.Values) { f.Set("kind", "xyz") }, "kind", "Choose a report."},
	}
	for _, c := range cases {
		f := runForm("apr", "P2")
		c.edit(f)
		res := b.post("/live/home/reports", f)
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", c.name, res.Status)
			continue
		}
		wantContains(t, c.name, res.Body, `id="`+c.field+`-error"`, c.want)
		wantNotContains(t, c.name, res.Body, "Harbor Night Shelter")
		// The form keeps what was typed.
		if f.Get("coc") != "" {
			wantContains(t, c.name, res.Body, `value="`+strings.ToUpper(f.Get("coc"))+`"`)
		}
	}
	// Nothing was run.
	res = b.get("/live/home/reports")
	wantContains(t, "after refusals", res.Body, "No report has been run yet")
}

func TestReports_RunAndDrillDown(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedReports(t, a, 12)
	casey := a.browser(t)
	casey.signIn("live", "casey")

	path := postRun(t, casey, runForm("apr", "P2"))
	body := finishedRun(t, casey, path)
	wantContains(t, "results", body, "CoC APR", "Hope Rapid Rehousing", `id="Q5a"`, `id="Q27m"`, "Download the Sage zip",
		"Persons served over the period", "Exits by destination group", "Length of stay", "<svg", `role="img"`,
		`<th scope="row">`, `<th scope="col">`, "<caption>")
	// Every table of the APR is on the page.
	if n := strings.Count(body, `<section class="hearth-report-table"`); n != 67 {
		t.Errorf("%d tables on the page, want 67", n)
	}
	// Q5a row 1 column C (every active client): casey's report counts the
	// 12 clients of ORG1, not ORG2's client restricted to ORG2.
	cellPath := path + "/cells/Q5a/0/1"
	if !strings.Contains(body, `href="`+cellPath+`"`) {
		t.Fatalf("no link to %s", cellPath)
	}
	res := casey.get(cellPath)
	if res.Status != http.StatusOK {
		t.Fatalf("drill-down: status %d", res.Status)
	}
	wantContains(t, "drill-down", res.Body, "12 clients behind Q5a cell C2", `href="/live/clients/c000"`, "Ada Example0", "Hope Rapid Rehousing", "10/05/2025")
	wantNotContains(t, "drill-down", res.Body, "hidden01", "Hiddenfield", "harbor01")

	// The drill-down is audited as a read of each client listed.
	entries, err := st.FindAudit(storetest.Context(t), store.AuditFilter{Entity: "client", EntityID: "c000", Action: "read"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || !strings.Contains(entries[0].Detail, "Q5a cell C2") || entries[0].Actor != "casey(web)" {
		t.Errorf("audit of c000 = %+v", entries)
	}

	// CSV of the drill-down and of a table; the Sage zip.
	res = casey.get(cellPath + "?format=csv")
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || res.Status != http.StatusOK {
		t.Fatalf("drill-down CSV: %d %s", res.Status, ct)
	}
	if lines := strings.Split(strings.TrimSpace(res.Body), "\n"); len(lines) != 13 || !strings.HasPrefix(lines[0], "PersonalID,EnrollmentID,Name") {
		t.Errorf("drill-down CSV: %d lines:\n%s", len(lines), res.Body)
	}
	wantNotContains(t, "drill-down CSV", res.Body, "hidden01")
	res = casey.get(path + "/tables/Q5a.csv")
	if !strings.HasPrefix(res.Body, `"","Count of Clients for DQ","Count of Clients"`+"\r\n") {
		t.Errorf("Q5a.csv:\n%s", res.Body)
	}
	if !strings.Contains(res.Body, "\r\n\"Total number of persons served\",12,12\r\n") {
		t.Errorf("Q5a.csv has no row of persons served:\n%s", res.Body)
	}
	res = casey.get(path + "/zip")
	zr, err := zip.NewReader(bytes.NewReader([]byte(res.Body)), int64(len(res.Body)))
	if err != nil {
		t.Fatalf("zip: %v (status %d)", err, res.Status)
	}
	if len(zr.File) != 67 || zr.File[0].Name != "Q4a.csv" {
		t.Errorf("zip holds %d files, first %s", len(zr.File), zr.File[0].Name)
	}

	// The data-quality list links to the client with the missing date of
	// birth (Q6a, DOB).
	wantContains(t, "data quality", body, "Data quality: what to fix", "DOB: 1 client",
		"Chronic homelessness, PH all: Approximate Date started 3 917 3 Missing: 12 clients")
	dqLink := path + "/cells/Q6a/2/3"
	res = casey.get(dqLink)
	wantContains(t, "DQ drill-down", res.Body, `href="/live/clients/c003"`, `href="/live/clients/c003/edit"`, "Ec003")

	// The history lists the run; another case manager neither sees it
	// nor opens it; an administrator sees ORG2's client in the same cell.
	res = casey.get("/live/home/reports")
	wantContains(t, "history", res.Body, `href="`+path+`"`, `href="`+path+`/zip"`, "CoC APR", "10/01/2025 to 09/30/2026",
		`<td class="hearth-num">12</td>`)
	other := a.browser(t)
	other.signIn("live", "other")
	res = other.get("/live/home/reports")
	wantNotContains(t, "other's history", res.Body, path)
	for _, p := range []string{path, cellPath, path + "/zip", path + "/tables/Q5a.csv"} {
		if res := other.get(p); res.Status != http.StatusNotFound {
			t.Errorf("other GET %s: status %d, want 404", p, res.Status)
		}
	}
	admin := a.browser(t)
	admin.signIn("live", "admin")
	apath := postRun(t, admin, runForm("apr", "P2"))
	finishedRun(t, admin, apath)
	res = admin.get(apath + "/cells/Q5a/0/1")
	wantContains(t, "admin drill-down", res.Body, "13 clients behind", "Hiddenfield")
}

func TestReports_GrantDQAndEmptyPeriod(t *testing.T) {
	a := newTestApp(t, nil)
	seedReports(t, a, 4)
	b := a.browser(t)
	b.signIn("live", "casey")

	// The DQ report of every program of grant COC-1.
	f := runForm("dq")
	f.Set("by", "grant")
	f.Set("grant", "COC-1")
	body := finishedRun(t, b, postRun(t, b, f))
	wantContains(t, "DQ", body, "HUD Data Quality report", "grant COC-1: Hope Rapid Rehousing", "Q1. Report Validations",
		"Q7. Inactive Records", "DOB: 1 client")
	if n := strings.Count(body, `<section class="hearth-report-table"`); n != 7 {
		t.Errorf("%d DQ tables, want 7", n)
	}

	// A grant chosen while "the programs I choose" stays selected, with no
	// program ticked, runs on the grant.
	f = runForm("apr")
	f.Set("grant", "COC-1")
	body = finishedRun(t, b, postRun(t, b, f))
	wantContains(t, "grant without the radio", body, "grant COC-1: Hope Rapid Rehousing")

	// A period with no clients: a CAPER of zeros, not an error.
	f = runForm("caper", "P2")
	f.Set("start", "01/01/2010")
	f.Set("end", "12/31/2010")
	body = finishedRun(t, b, postRun(t, b, f))
	wantContains(t, "empty", body, "ESG CAPER", `id="Q5a"`, "No data-quality issue")
	if strings.Contains(body, "/cells/") {
		t.Errorf("an empty period has drill-down links")
	}
}

func TestReports_CEAPR(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedReports(t, a, 3)
	ctx := storetest.Context(t)
	// A CE assessment of c000 and of ORG2's restricted client, both in P2.
	for _, id := range []string{"c000", "hidden01"} {
		must(t, store.CreateRecord(ctx, st, &hmis.Assessment{AssessmentID: "A" + id, EnrollmentID: "E" + id, PersonalID: id,
			AssessmentDate: hmis.MustDate("2026-01-15"), AssessmentLocation: "Office", AssessmentType: new(hud.AssessmentType(3)),
			AssessmentLevel: new(hud.AssessmentLevel(2)), PrioritizationStatus: new(hud.PrioritizationStatus(1))}))
	}
	b := a.browser(t)
	b.signIn("live", "casey")
	// No program chosen: the CE APR is CoC-wide.
	f := runForm("ce-apr")
	body := finishedRun(t, b, postRun(t, b, f))
	wantContains(t, "CE APR", body, "CE APR (Coordinated Entry, CoC-wide)", "every program of CoC CA-510 you may see", `id="Q9a"`, `id="Q10"`)
	if n := strings.Count(body, `<section class="hearth-report-table"`); n != 10 {
		t.Errorf("%d CE APR tables, want 10", n)
	}
	// casey sees one household assessed, not ORG2's restricted client.
	i := strings.Index(body, `id="Q9a"`)
	wantContains(t, "Q9a", body[i:i+3000], "/cells/Q9a/2/0")
	res := b.get(strings.TrimPrefix(regexpAll(body[i:], `href="([^"]*/cells/Q9a/3/0)"`)[0], a.srv.URL))
	wantContains(t, "Q9a drill-down", res.Body, "1 client behind", "c000")
	wantNotContains(t, "Q9a drill-down", res.Body, "hidden01", "Hiddenfield")
}

// TestReports_StatusRestartAndInterrupted: the polled status of a
// finished run refreshes the page; after a restart (a new handler on the
// same sites) a finished run is computed again from its parameters and
// says so, with the same counts; a run left "running" by a crash shows as
// interrupted.
func TestReports_StatusRestartAndInterrupted(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedReports(t, a, 6)
	b := a.browser(t)
	b.signIn("live", "casey")
	path := postRun(t, b, runForm("apr", "P2"))
	first := finishedRun(t, b, path)

	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+path+"/status", nil)
	req.Header.Set("HX-Request", "true")
	if res := b.do(req); res.Header.Get("HX-Refresh") != "true" {
		t.Errorf("status of a finished run: %d, HX-Refresh %q", res.Status, res.Header.Get("HX-Refresh"))
	}
	if res := b.get(path + "/status"); res.Status != http.StatusSeeOther || res.Header.Get("Location") != path {
		t.Errorf("status without htmx: %d %q", res.Status, res.Header.Get("Location"))
	}

	h, err := New(a.cfg, a.reg, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv2 := httptest.NewServer(h)
	defer srv2.Close()
	b2 := (&testApp{cfg: a.cfg, reg: a.reg, srv: srv2}).browser(t)
	b2.signIn("live", "casey")
	res := b2.get(path)
	wantContains(t, "after a restart", res.Body, "computed again now", `id="Q27m"`)
	q5a := func(body string) string {
		i := strings.Index(body, `id="Q5a"`)
		j := strings.Index(body, `id="Q6a"`)
		if i < 0 || j < i {
			t.Fatalf("no Q5a")
		}
		return body[i:j]
	}
	if q5a(res.Body) != q5a(first) {
		t.Errorf("Q5a computed again differs:\n%s\nwas\n%s", q5a(res.Body), q5a(first))
	}
	if res := b2.get(path + "/cells/Q5a/0/1"); !strings.Contains(res.Body, "6 clients behind") {
		t.Errorf("drill-down after a restart: %d", res.Status)
	}

	ctx := hmis.NewContext(t.Context(), hmis.Actor{AccountID: accountID(t, st, "casey"), Username: "casey", Role: hmis.RoleCaseManager, OrganizationID: "ORG1", Via: "web"})
	run, err := st.StartReportRun(ctx, store.ReportRun{Kind: "apr", ProjectIDs: []string{"P2"}, Start: hmis.MustDate("2025-10-01"), End: hmis.MustDate("2026-09-30"), CoC: "CA-510"})
	if err != nil {
		t.Fatal(err)
	}
	res = b2.get("/live/home/reports/runs/" + run.ID)
	wantContains(t, "interrupted", res.Body, "This run was interrupted")
	res = b2.get("/live/home/reports")
	wantContains(t, "history", res.Body, "Interrupted")
}

func accountID(t *testing.T, st *store.Store, username string) string {
	t.Helper()
	acc, _, err := st.FindAccountByUsername(storetest.Context(t), username)
	if err != nil {
		t.Fatal(err)
	}
	return acc.ID
}
