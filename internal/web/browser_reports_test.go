package web

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowser_Reports runs a CoC APR from Home → Reports on a program with
// 40 clients, checks the results page (tables, charts, data-quality
// list) and opens the drill-down of persons served.
func TestBrowser_Reports(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t, nil)
	seedReports(t, app, 40)
	base := app.srv.URL
	errs := &consoleErrors{}
	errs.watch(ctx, "live")
	do(t, ctx, "signin", signIn(base, "live")...)

	do(t, ctx, "reports-menu",
		chromedp.Click(`//nav[contains(@class,"hearth-sidenav")]//a[normalize-space()="Reports"]`),
		chromedp.WaitVisible(chromedp.CSS(`form.hearth-report-form`)),
	)
	artifact(t, ctx, "reports-form")
	do(t, ctx, "run",
		chromedp.Click(chromedp.CSS(`label[for="project-P2"]`)),
		chromedp.SetValue(chromedp.ID("start"), "10/01/2025"),
		chromedp.SetValue(chromedp.ID("end"), "09/30/2026"),
		chromedp.SetValue(chromedp.ID("coc"), "ca-510"), // prefilled; typed in lower case
		chromedp.Click(chromedp.CSS(`form.hearth-report-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("Q5a")),
	)
	if h1 := read(t, ctx, "h1", chromedp.Text(chromedp.CSS(`h1`))); h1 != "CoC APR (Annual Performance Report)" {
		t.Errorf("h1 %q", h1)
	}
	if n := read(t, ctx, "tables", count(`section.hearth-report-table table`)); n != 67 {
		t.Errorf("%d tables, want 67", n)
	}
	if n := read(t, ctx, "charts", count(`figure.hearth-chart svg[role="img"]`)); n != 3 {
		t.Errorf("%d charts, want 3", n)
	}
	served := read(t, ctx, "served", chromedp.Text(chromedp.CSS(`#Q5a tbody tr:first-child td:last-child a`)))
	if served != "41" { // the administrator sees ORG2's client too
		t.Errorf("persons served %q, want 41", served)
	}
	viewShot(t, ctx, "report-results")
	do(t, ctx, "to-tables", chromedp.ScrollIntoView(chromedp.ID("dq-heading")))
	viewShot(t, ctx, "report-results-tables")
	do(t, ctx, "to-q5a", chromedp.ScrollIntoView(chromedp.ID("Q5a")))
	viewShot(t, ctx, "report-results-q5a")

	do(t, ctx, "drill-down",
		chromedp.Click(chromedp.CSS(`#Q5a tbody tr:first-child td:last-child a`)),
		chromedp.WaitVisible(chromedp.CSS(`table.hearth-drilldown caption`)),
	)
	caption := read(t, ctx, "caption", chromedp.Text(chromedp.CSS(`table.hearth-drilldown caption`)))
	if !strings.Contains(caption, "41 clients behind Q5a cell C2") {
		t.Errorf("drill-down caption %q", caption)
	}
	if n := read(t, ctx, "rows", count(`table.hearth-drilldown tbody tr th a[href^="/live/clients/"]`)); n != 41 {
		t.Errorf("%d client links, want 41", n)
	}
	viewShot(t, ctx, "report-drilldown")
	// Back on the Reports page, the run is in the history.
	do(t, ctx, "history", chromedp.Navigate(base+"/live/home/reports"), chromedp.WaitVisible(chromedp.CSS(`table.hearth-runs`)))
	if n := read(t, ctx, "runs", count(`table.hearth-runs tbody tr`)); n != 1 {
		t.Errorf("%d runs in the history, want 1", n)
	}
	if e := errs.all(); len(e) > 0 {
		t.Errorf("console errors: %v", e)
	}
}

// viewShot saves what the window shows (the results page is too long
// for a full-page screenshot) to $HEARTH_TEST_ARTIFACTS, or the test's
// temporary folder.
func viewShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv(artifactsEnv)
	if dir == "" {
		dir = t.TempDir()
	}
	png := read(t, ctx, "screenshot "+name, chromedp.CaptureScreenshot())
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// TestBrowser_ReportRunning: a run that takes a while shows "Running…",
// which htmx polls; when the run ends the page refreshes itself into the
// results, without a click.
func TestBrowser_ReportRunning(t *testing.T) {
	ctx := newBrowser(t)
	hold := make(chan struct{})
	reportJobsHook = func(js *reportJobs) { js.wait, js.hold = 0, hold }
	t.Cleanup(func() { reportJobsHook = nil })
	app := newTestApp(t, nil)
	seedReports(t, app, 5)
	base := app.srv.URL
	errs := &consoleErrors{}
	errs.watch(ctx, "live")
	do(t, ctx, "signin", signIn(base, "live")...)
	do(t, ctx, "run",
		chromedp.Navigate(base+"/live/home/reports"),
		chromedp.WaitVisible(chromedp.CSS(`form.hearth-report-form`)),
		chromedp.Click(chromedp.CSS(`label[for="kind-caper"]`)),
		chromedp.Click(chromedp.CSS(`label[for="project-P2"]`)),
		chromedp.SetValue(chromedp.ID("start"), "10/01/2025"),
		chromedp.SetValue(chromedp.ID("end"), "09/30/2026"),
		chromedp.SetValue(chromedp.ID("coc"), "CA-510"),
		chromedp.Click(chromedp.CSS(`form.hearth-report-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("report-running")),
	)
	viewShot(t, ctx, "report-running")
	close(hold) // the run computes now; the polled page refreshes into the results
	do(t, ctx, "results", chromedp.WaitVisible(chromedp.ID("Q5a")))
	if n := read(t, ctx, "running-gone", count(`#report-running`)); n != 0 {
		t.Errorf("the running block is still there")
	}
	if n := read(t, ctx, "tables", count(`section.hearth-report-table table`)); n != 40 {
		t.Errorf("%d CAPER tables, want 40", n)
	}
	if e := errs.all(); len(e) > 0 {
		t.Errorf("console errors: %v", e)
	}
}
