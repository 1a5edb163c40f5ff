package web

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hearth-hmis/hearth/internal/store/storetest"
	"github.com/hearth-hmis/hearth/internal/transfer"
)

// TestBrowser_ImportExport uploads an export through the import form in
// Chromium, watches the status page poll to the end (htmx within the
// CSP), opens the report of a rejected file, and fills the export form.
func TestBrowser_ImportExport(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t, nil)
	base := app.srv.URL
	errs := &consoleErrors{}
	errs.watch(ctx, "live")
	dir := t.TempDir()
	good := filepath.Join(dir, "old-hmis.zip")
	bad := filepath.Join(dir, "bad-dates.zip")
	if err := os.WriteFile(good, exportZip(t, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	badZip := exportZip(t, func(name, text string) string {
		switch name {
		case "Client.csv":
			return strings.Replace(text, "1990-07-08", "2023-02-30", 1)
		case "Enrollment.csv":
			return strings.Replace(text, "2024-05-01", "05/01/2024x", 1)
		}
		return text
	})
	if err := os.WriteFile(bad, badZip, 0o600); err != nil {
		t.Fatal(err)
	}

	do(t, ctx, "signin", signIn(base, "live")...)
	do(t, ctx, "import-menu",
		chromedp.Click(`//nav[@class="hearth-sidenav"]//a[normalize-space()="Import HMIS CSV"]`),
		chromedp.WaitVisible(chromedp.ID("file")))
	artifact(t, ctx, "import-form")

	upload := func(name, path string) {
		do(t, ctx, name,
			chromedp.Navigate(base+"/live/home/import"),
			chromedp.WaitVisible(chromedp.ID("file")),
			chromedp.SetUploadFiles(chromedp.ID("file"), []string{path}),
			chromedp.Click(chromedp.CSS(`.hearth-import-form button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`#import-job`)),
			// htmx swaps in the finished job: its alert replaces the bar.
			chromedp.WaitVisible(chromedp.CSS(`#import-job .usa-alert`)))
	}

	upload("import-good", good)
	if h := read(t, ctx, "good-status", chromedp.Text(chromedp.CSS(`#import-job .usa-alert__heading`))); h != "Imported" {
		t.Errorf("good import: %q", h)
	}
	artifact(t, ctx, "import-done")

	upload("import-bad", bad)
	if h := read(t, ctx, "bad-status", chromedp.Text(chromedp.CSS(`#import-job .usa-alert__heading`))); !strings.HasPrefix(h, "Rejected") {
		t.Errorf("bad import: %q", h)
	}
	issue := read(t, ctx, "bad-issue", chromedp.Text(chromedp.CSS(`li[id="Client.csv-3"]`)))
	if !strings.Contains(issue, "Client.csv row 3, column DOB") {
		t.Errorf("issue %q", issue)
	}
	// The per-file summary links to the file's issues.
	do(t, ctx, "bad-link", chromedp.Click(chromedp.CSS(`a[href="#errors-Client.csv"]`)))
	if h := read(t, ctx, "bad-hash", chromedp.Evaluate[string](`location.hash`)); h != "#errors-Client.csv" {
		t.Errorf("summary link went to %q", h)
	}
	artifact(t, ctx, "import-rejected")

	// A bigger export, held at about a third and at about two thirds
	// read (importProgressHook) so that the page shows the bar at two
	// points, whatever the machine's speed.
	gates := []struct {
		at      float64
		reached chan struct{}
		release chan struct{}
	}{{at: 0.3, reached: make(chan struct{}), release: make(chan struct{})},
		{at: 0.6, reached: make(chan struct{}), release: make(chan struct{})}}
	next := 0
	importProgressHook = func(p transfer.Progress) {
		if next < len(gates) && p.BytesTotal > 0 && float64(p.BytesRead) >= gates[next].at*float64(p.BytesTotal) {
			g := gates[next]
			next++
			close(g.reached)
			<-g.release
		}
	}
	t.Cleanup(func() { importProgressHook = nil })
	big := filepath.Join(dir, "big.zip")
	if err := os.WriteFile(big, bigExportZip(t, 40000), 0o600); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "import-big",
		chromedp.Navigate(base+"/live/home/import"),
		chromedp.WaitVisible(chromedp.ID("file")),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{big}),
		chromedp.Click(chromedp.CSS(`.hearth-import-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#import-job`)))
	// At each gate: the page polls (every second) until it shows the held
	// value; then the import goes on.
	progress := func() string {
		return read(t, ctx, "big-progress", chromedp.Evaluate[string](`(() => { const p = document.getElementById("import-progress"); return p ? (p.getAttribute("value") || "indeterminate") : "done" })()`))
	}
	seen := map[int]bool{}
	for i, g := range gates {
		select {
		case <-g.reached:
		case <-time.After(2 * time.Minute):
			t.Fatalf("the import never reached gate %d", i)
		}
		var v int
		for tries := 0; tries < 100; tries++ { // the page refreshes every second
			if n, err := strconv.Atoi(progress()); err == nil && n >= int(g.at*100) {
				v = n
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if v == 0 {
			t.Errorf("gate %d: the page never showed the progress of the held import", i)
		}
		seen[v] = true
		if i == 0 {
			artifact(t, ctx, "import-running")
		}
		close(g.release)
	}
	t.Logf("progress values seen: %v", seen)
	if len(seen) < 2 {
		t.Errorf("the progress bar did not move: %v", seen)
	}
	do(t, ctx, "big-done", chromedp.WaitVisible(chromedp.CSS(`#import-job .usa-alert`)))
	if h := read(t, ctx, "big-status", chromedp.Text(chromedp.CSS(`#import-job .usa-alert__heading`))); h != "Imported" {
		t.Errorf("big import: %q", h)
	}

	do(t, ctx, "history", chromedp.Navigate(base+"/live/home/import"), chromedp.WaitVisible(chromedp.CSS(`.hearth-imports`)))
	if n := read(t, ctx, "history-rows", count(`.hearth-imports tbody tr`)); n != 3 {
		t.Errorf("history: %d rows, want 2", n)
	}
	artifact(t, ctx, "import-history")

	do(t, ctx, "export",
		chromedp.Navigate(base+"/live/home/export"),
		chromedp.WaitVisible(chromedp.ID("project")),
		chromedp.SendKeys(chromedp.ID("start"), "02/30/2024"),
		chromedp.SendKeys(chromedp.ID("end"), "12/31/2024"),
		chromedp.Click(chromedp.CSS(`.hearth-export-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("start-error")))
	if v := read(t, ctx, "export-kept", chromedp.Evaluate[string](`document.getElementById("start").value`)); v != "02/30/2024" {
		t.Errorf("typed start date not kept: %q", v)
	}
	artifact(t, ctx, "export-error")
	do(t, ctx, "export-form", chromedp.Navigate(base+"/live/home/export"), chromedp.WaitVisible(chromedp.ID("project")))
	artifact(t, ctx, "export-form")

	// The form sent back with its errors has status 422, which Chromium
	// logs; anything else is a real error.
	var real []string
	for _, e := range errs.all() {
		if !strings.Contains(e, "status of 422") {
			real = append(real, e)
		}
	}
	if e := real; len(e) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(e, "\n"))
	}
	storetest.Mark(t, "browser")
}
