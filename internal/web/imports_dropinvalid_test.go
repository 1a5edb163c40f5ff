package web

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// orphanExportZip is exportZip without client 2 in Client.csv: the
// enrollment and the exit of client 2 point at a client not in the file.
func orphanExportZip(t *testing.T) []byte {
	return exportZip(t, func(name, text string) string {
		if name != "Client.csv" {
			return text
		}
		var keep []string
		for _, l := range strings.Split(text, "\r\n") {
			if !strings.HasPrefix(l, "2,") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\r\n")
	})
}

// TestImport_DropInvalidRows: the upload form's "Leave out broken rows"
// (unchecked by default) imports an export whose client 2 is missing from
// Client.csv without that client's enrollment and exit, and says so.
func TestImport_DropInvalidRows(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	b.signIn("live", "admin")
	form := b.get("/live/home/import").Body
	wantContains(t, "import form", form, `<input class="usa-checkbox__input" id="dropinvalid" type="checkbox" name="dropinvalid" value="1">`,
		`<label class="usa-checkbox__label" for="dropinvalid">Leave out broken rows`)
	orphans := orphanExportZip(t)

	// Unchecked: rejected, nothing written.
	_, frag := b.importDone("live", url.Values{"sharing": {"restrict"}}, "orphans.zip", orphans)
	wantContains(t, "strict", frag, "Rejected: nothing written", "no Client.csv row has this PersonalID")
	if n := clientCount(t, app); n != 0 {
		t.Errorf("clients after a rejected import: %d", n)
	}

	// Checked: imported without the two rows, each named.
	page, frag := b.importDone("live", url.Values{"sharing": {"restrict"}, "dropinvalid": {"1"}}, "orphans.zip", orphans)
	wantContains(t, "dropping", frag, "The export was imported.", "2 broken rows were left out (Enrollment.csv 1, Exit.csv 1)",
		"dropped: no Client.csv row has this PersonalID", "dropped: no Enrollment.csv row has this EnrollmentID")
	wantContains(t, "status page", page, "<dt>Broken rows</dt><dd>left out and listed in the report</dd>")
	if n := clientCount(t, app); n != 1 {
		t.Errorf("clients after the import: %d, want 1", n)
	}
	hist := b.get("/live/home/import").Body
	wantContains(t, "history", hist, `<span class="hearth-imports__detail">2 broken rows left out</span>`)
}

// TestBrowser_ImportDropInvalidRows ticks "Leave out broken rows" in
// Chromium and uploads an export whose client 2 is missing from
// Client.csv: it imports, and the page says which rows were left out.
func TestBrowser_ImportDropInvalidRows(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t, nil)
	base := app.srv.URL
	errs := &consoleErrors{}
	errs.watch(ctx, "live")
	path := filepath.Join(t.TempDir(), "orphans.zip")
	if err := os.WriteFile(path, orphanExportZip(t), 0o600); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "signin", signIn(base, "live")...)
	do(t, ctx, "import-form",
		chromedp.Navigate(base+"/live/home/import"),
		chromedp.WaitVisible(chromedp.ID("file")))
	if checked := read(t, ctx, "default", chromedp.Evaluate[bool](`document.getElementById("dropinvalid").checked`)); checked {
		t.Error("Leave out broken rows is checked by default")
	}
	do(t, ctx, "upload",
		chromedp.Click(chromedp.CSS(`label[for="dropinvalid"]`)),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{path}))
	artifact(t, ctx, "import-dropinvalid-form")
	do(t, ctx, "submit",
		chromedp.Click(chromedp.CSS(`.hearth-import-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#import-job .usa-alert`)))
	if h := read(t, ctx, "status", chromedp.Text(chromedp.CSS(`#import-job .usa-alert__heading`))); h != "Imported" {
		t.Errorf("import: %q", h)
	}
	if p := read(t, ctx, "dropped", chromedp.Text(chromedp.CSS(`.hearth-import-dropped`))); !strings.Contains(p, "2 broken rows were left out (Enrollment.csv 1, Exit.csv 1)") {
		t.Errorf("dropped: %q", p)
	}
	artifact(t, ctx, "import-dropinvalid-done")
	if e := errs.all(); len(e) > 0 {
		t.Errorf("console errors: %q", e)
	}
}
