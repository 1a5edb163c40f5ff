package web

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// signInAs fills the sign-in form of site as username.
func signInAs(base, site, username string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/" + site + "/"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.CSS(`button.hearth-signin__submit`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-counts`)),
	}
}

// TestBrowser_SetupAndServices: an administrator adds a program with a
// grant and a catalog service through Setup; a case manager records that
// service for a client on the Services page and for two clients at once
// on the Service Roster.
func TestBrowser_SetupAndServices(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t, nil)
	st := seedClients(t, app)
	base := app.srv.URL
	errs := &consoleErrors{}
	errs.watch(ctx, "live")

	// The administrator: Home → Setup → Programs → Add a program.
	do(t, ctx, "admin-signin", signIn(base, "live")...)
	do(t, ctx, "programs",
		chromedp.Click(`//nav[contains(@class,"hearth-sidenav")]//a[normalize-space()="Programs"]`),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/live/setup/programs/new"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/live/setup/programs/new"]`)),
		chromedp.WaitVisible(chromedp.ID("project_name")),
		chromedp.SetValue(chromedp.ID("organization_id"), "ORG1"),
		chromedp.SendKeys(chromedp.ID("project_name"), "River Meals Program"),
		chromedp.SendKeys(chromedp.ID("operating_start_date"), "01/01/2024"),
		chromedp.SetValue(chromedp.ID("continuum_project"), "1"),
		chromedp.SetValue(chromedp.ID("project_type"), "6"), // Services Only
		chromedp.Click(chromedp.CSS(`.hearth-record-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("residential_affiliation-error")),
	)
	// 2.02.B is required of a services-only program: answered, saved.
	if v := read(t, ctx, "kept", chromedp.Evaluate[string](`document.getElementById("project_name").value`)); v != "River Meals Program" {
		t.Errorf("program name after the refusal: %q", v)
	}
	do(t, ctx, "program-save",
		chromedp.SetValue(chromedp.ID("residential_affiliation"), "0"),
		chromedp.Click(chromedp.CSS(`.hearth-record-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("grants-heading")),
	)
	do(t, ctx, "grant",
		chromedp.Click(`//section[@id="grants"]//a[normalize-space()="Add a grant"]`),
		chromedp.WaitVisible(chromedp.ID("grant_id")),
		chromedp.SetValue(chromedp.ID("funder"), "4"), // HUD: CoC - Supportive Services Only
		chromedp.SendKeys(chromedp.ID("grant_id"), "OR0123L0E001"),
		chromedp.SendKeys(chromedp.ID("start_date"), "07/01/2024"),
		chromedp.Click(chromedp.CSS(`.hearth-record-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-setup-grants`)),
	)
	do(t, ctx, "service",
		chromedp.Click(`//section[@id="services"]//a[normalize-space()="Add a service"]`),
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), "Hot meal"),
		chromedp.SendKeys(chromedp.ID("unit"), "meal"),
		chromedp.SendKeys(chromedp.ID("default_amount"), "3.50"),
		chromedp.Click(chromedp.CSS(`.hearth-record-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-setup-services`)),
	)
	artifact(t, ctx, "setup-program")
	if n := read(t, ctx, "grant-rows", count(`.hearth-setup-grants tbody tr`)); n != 1 {
		t.Errorf("%d grants", n)
	}
	if txt := read(t, ctx, "services-row", chromedp.Text(chromedp.CSS(`.hearth-setup-services tbody tr`))); !strings.Contains(txt, "Hot meal") ||
		!strings.Contains(txt, "$3.50") || !strings.Contains(txt, "Not a HUD service") {
		t.Errorf("catalog row %q", txt)
	}

	// Two clients start in the new program (the intake workflow is
	// another page's; here the store enrolls them).
	progs, err := st.SetupPrograms(storetest.Context(t))
	must(t, err)
	var programID string
	for _, p := range progs {
		if p.ProjectName == "River Meals Program" {
			programID = p.ProjectID
		}
	}
	cat, err := st.ProgramCatalog(storetest.Context(t), programID)
	if err != nil || len(cat) != 1 {
		t.Fatalf("catalog %+v %v", cat, err)
	}
	hoh := hud.RelationshipToHoH(1)
	start := hmis.DateOf(time.Now()).AddDays(-7)
	for _, e := range []hmis.Enrollment{
		{EnrollmentID: "M1", PersonalID: "lennon02", ProjectID: programID, EntryDate: start, HouseholdID: "HM1", RelationshipToHoH: &hoh},
		{EnrollmentID: "M2", PersonalID: "smith001", ProjectID: programID, EntryDate: start, HouseholdID: "HM2", RelationshipToHoH: &hoh},
	} {
		must(t, store.CreateRecord(storetest.Context(t), st, &e))
	}

	// The case manager: one service on Julia Lennon's Services page.
	do(t, ctx, "signout", chromedp.Click(chromedp.CSS(`button.hearth-signout`)), chromedp.WaitVisible(chromedp.ID("username")))
	do(t, ctx, "casey-signin", signInAs(base, "live", "casey")...)
	do(t, ctx, "client-services",
		chromedp.Navigate(base+"/live/clients/lennon02"),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-enrollments`)),
		chromedp.Click(`//nav[contains(@class,"hearth-sidenav")]//a[normalize-space()="Services"]`),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-service-form`)),
		chromedp.SetValue(chromedp.ID("service"), "M1|"+cat[0].ID),
		chromedp.SetValue(chromedp.ID("units"), "2"),
		chromedp.Click(chromedp.CSS(`.hearth-service-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-client-services`)),
	)
	artifact(t, ctx, "client-services")
	row := read(t, ctx, "service-row", chromedp.Text(chromedp.CSS(`.hearth-client-services tbody tr`)))
	if !strings.Contains(row, "Hot meal") || !strings.Contains(row, "2 meal") || !strings.Contains(row, "$3.50") {
		t.Errorf("service row %q", row)
	}
	if h := read(t, ctx, "service-group", chromedp.Text(chromedp.CSS(`#services-0`))); !strings.HasPrefix(h, "River Meals Program, entered ") {
		t.Errorf("services grouped under %q", h)
	}

	// The roster: the same service for both enrolled clients at once.
	do(t, ctx, "roster",
		chromedp.Click(`//nav[contains(@class,"hearth-sidenav")]//a[normalize-space()="Service Roster"]`),
		chromedp.WaitVisible(chromedp.ID("program")),
		chromedp.SetValue(chromedp.ID("program"), programID),
		chromedp.Click(chromedp.CSS(`.hearth-roster-choose button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-roster`)),
	)
	if n := read(t, ctx, "roster-clients", count(`.hearth-roster input[type=checkbox]`)); n != 2 {
		t.Errorf("roster shows %d clients", n)
	}
	do(t, ctx, "roster-save",
		chromedp.SetValue(chromedp.ID("catalog_id"), cat[0].ID),
		chromedp.Click(chromedp.CSS(`label[for="enrollment-M1"]`)),
		chromedp.Click(chromedp.CSS(`label[for="enrollment-M2"]`)),
		chromedp.Click(chromedp.CSS(`.hearth-roster-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.usa-alert--success`)),
	)
	artifact(t, ctx, "roster")
	if msg := read(t, ctx, "roster-saved", chromedp.Text(chromedp.CSS(`.usa-alert--success`))); !strings.Contains(msg, "2 services were recorded.") {
		t.Errorf("roster message %q", msg)
	}
	for pid, want := range map[string]int{"lennon02": 2, "smith001": 1} {
		rows, err := st.FindClientServiceRows(storetest.Context(t), pid)
		if err != nil || len(rows) != want {
			t.Errorf("%s: %d services, want %d (%v)", pid, len(rows), want, err)
		}
	}
	// The client's assessments (the annual one overdue since the stay began
	// in 2024) and data completeness.
	do(t, ctx, "assessments",
		chromedp.Click(`//nav[contains(@class,"hearth-sidenav")]//a[normalize-space()="Assessments"]`),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-annual-due`)),
	)
	artifact(t, ctx, "client-assessments")
	do(t, ctx, "quality",
		chromedp.Click(`//nav[contains(@class,"hearth-sidenav")]//a[normalize-space()="Data Completeness"]`),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-quality-findings`)),
	)
	artifact(t, ctx, "client-quality")
	if n := read(t, ctx, "quality-sections", count(`.hearth-quality`)); n != 2 {
		t.Errorf("data completeness: %d enrollments, want Julia Lennon's 2", n)
	}

	// The one refused form (422) is expected; nothing else may fail.
	for _, e := range errs.all() {
		if !strings.Contains(e, "status of 422") || !strings.HasSuffix(e, "/live/setup/programs/new)") {
			t.Errorf("console error: %s", e)
		}
	}
}
