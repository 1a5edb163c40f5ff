package web

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/config"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hmiscsv"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/sites"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
	"github.com/hearth-hmis/hearth/internal/transfer"
)

func ptr[T any](v T) *T { return &v }

// exportZip is a small HMIS CSV export of another system (source XX-500,
// "Old HMIS"): an organization, a program, two clients with an enrollment
// each and an exit. edit, when set, rewrites the files' text first.
func exportZip(t *testing.T, edit func(name, text string) string) []byte {
	t.Helper()
	t0 := time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)
	es := ptr(hud.ProjectTypeEmergencyShelterEntryExit)
	ds := &hmis.Dataset{
		Export: hmis.Export{ExportID: "X1", SourceType: ptr(hud.SourceTypeCoCHMIS), SourceID: "XX-500", SourceName: "Old HMIS",
			ExportDate: t0, ExportStartDate: hmis.MustDate("2023-01-01"), ExportEndDate: hmis.MustDate("2025-03-01"),
			SoftwareName: "Old", CSVVersion: "2026 v1.0", ExportPeriodType: ptr(hud.ExportPeriodTypeReportingPeriod),
			ExportDirective: ptr(hud.ExportDirectiveFullRefresh), HashStatus: ptr(hud.HashStatusUnhashed), ImplementationID: "old-1"},
		Organizations: []hmis.Organization{{OrganizationID: "O1", OrganizationName: "Old Shelter", VictimServiceProvider: ptr(hud.NoYes(0)), DateCreated: t0, DateUpdated: t0, UserID: "U1"}},
		Users:         []hmis.User{{UserID: "U1", UserFirstName: "Ann", UserLastName: "Lee", DateCreated: t0, DateUpdated: t0}},
		Projects: []hmis.Project{{ProjectID: "P1", OrganizationID: "O1", ProjectName: "Old Night Shelter", OperatingStartDate: hmis.MustDate("2020-01-01"),
			ContinuumProject: ptr(hud.NoYes(1)), ProjectType: es, DateCreated: t0, DateUpdated: t0, UserID: "U1"}},
		ProjectCoCs: []hmis.ProjectCoC{{ProjectCoCID: "PC1", ProjectID: "P1", CoCCode: "XX-500", Geocode: "123456", DateCreated: t0, DateUpdated: t0, UserID: "U1"}},
		Clients: []hmis.Client{
			{PersonalID: "1", FirstName: "Ada", LastName: "Moss", DOB: hmis.MustDate("1980-02-03"), DateCreated: t0, DateUpdated: t0, UserID: "U1"},
			{PersonalID: "2", FirstName: "Bo", LastName: "Reyes", DOB: hmis.MustDate("1990-07-08"), DateCreated: t0, DateUpdated: t0, UserID: "U1"},
		},
		Enrollments: []hmis.Enrollment{
			{EnrollmentID: "E1", PersonalID: "1", ProjectID: "P1", HouseholdID: "H1", EntryDate: hmis.MustDate("2024-05-01"), EnrollmentCoC: "XX-500", DateCreated: t0, DateUpdated: t0, UserID: "U1"},
			{EnrollmentID: "E2", PersonalID: "2", ProjectID: "P1", HouseholdID: "H2", EntryDate: hmis.MustDate("2023-01-01"), EnrollmentCoC: "XX-500", DateCreated: t0, DateUpdated: t0, UserID: "U1"},
		},
		Exits: []hmis.Exit{{ExitID: "X2", EnrollmentID: "E2", PersonalID: "2", ExitDate: hmis.MustDate("2023-06-30"), DateCreated: t0, DateUpdated: t0, UserID: "U1"}},
	}
	var buf bytes.Buffer
	if err := hmiscsv.WriteDataset(&buf, ds, hmiscsv.WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	if edit == nil {
		return buf.Bytes()
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		w, _ := zw.Create(f.Name)
		io.WriteString(w, edit(f.Name, string(b)))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// bigExportZip is exportZip with n more clients, each enrolled once.
func bigExportZip(t *testing.T, n int) []byte {
	t.Helper()
	return exportZip(t, func(name, text string) string {
		var b strings.Builder
		b.WriteString(text)
		switch name {
		case "Client.csv":
			lines := strings.SplitAfter(text, "\n")
			row := lines[1] // client 1
			for i := range n {
				b.WriteString(strings.Replace(row, "1,Ada,", fmt.Sprintf("c%d,Ada,", i), 1))
			}
		case "Enrollment.csv":
			lines := strings.SplitAfter(text, "\n")
			row := lines[1] // E1 of client 1
			for i := range n {
				r := strings.Replace(row, "E1,1,", fmt.Sprintf("e%d,c%d,", i, i), 1)
				b.WriteString(strings.Replace(r, ",H1,", fmt.Sprintf(",h%d,", i), 1))
			}
		}
		return b.String()
	})
}

// upload posts the import form: fields first, the file last, as a
// browser sends it. chunked leaves the length unannounced.
func (b *browser) upload(site string, fields url.Values, fileName string, data []byte, chunked bool) response {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", fileName)
	fw.Write(data)
	mw.Close()
	var rd io.Reader = &body
	if chunked {
		rd = io.MultiReader(&body) // hides the length
	}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, b.app.srv.URL+"/"+site+"/home/import", rd)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// importDone uploads data and polls the job's fragment, as htmx does,
// until the import is over; it returns the finished fragment.
func (b *browser) importDone(site string, fields url.Values, fileName string, data []byte) (statusPage, fragment string) {
	b.t.Helper()
	res := b.upload(site, fields, fileName, data, false)
	loc := res.Header.Get("Location")
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/"+site+"/home/import/jobs/") {
		b.t.Fatalf("upload: status %d, Location %q\n%s", res.Status, loc, res.Body)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		req, _ := http.NewRequest(http.MethodGet, b.app.srv.URL+loc+"/progress", nil)
		req.Header.Set("HX-Request", "true")
		res := b.do(req)
		if res.Status != http.StatusOK {
			b.t.Fatalf("progress: status %d\n%s", res.Status, res.Body)
		}
		if !strings.Contains(res.Body, `hx-trigger`) {
			wantNotContains(b.t, "finished fragment", res.Body, "<html", "hearth-tabs")
			page := b.get(loc)
			if page.Status != http.StatusOK {
				b.t.Fatalf("status page: %d", page.Status)
			}
			return page.Body, res.Body
		}
		wantContains(b.t, "running fragment", res.Body, `hx-trigger="every 1s"`, `hx-get="`+loc+`/progress"`, "<progress")
		if time.Now().After(deadline) {
			b.t.Fatalf("import still running after 30s:\n%s", res.Body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func clientCount(t *testing.T, app *testApp) int {
	t.Helper()
	st, _ := app.reg.Get("live")
	c, err := st.Store.DashboardCounts(storetest.Context(t))
	if err != nil {
		t.Fatal(err)
	}
	return c.Clients
}

func TestImportExport_NotAdmin(t *testing.T) {
	app := newTestApp(t, nil)
	st, _ := app.reg.Get("live")
	mustCreateAccount(t, st.Store, "casey", hmis.RoleCaseManager)
	b := app.browser(t)
	b.signIn("live", "casey")
	dash := b.get("/live/")
	wantNotContains(t, "case manager's menu", dash.Body, "Import HMIS CSV", "Export HMIS CSV", "/live/home/import", "/live/home/export")
	for _, path := range []string{"/live/home/import", "/live/home/export", "/live/home/import/jobs/x", "/live/home/import/jobs/x/progress", "/live/home/import/reports/x"} {
		if res := b.get(path); res.Status != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, res.Status)
		}
	}
	if res := b.upload("live", nil, "x.zip", exportZip(t, nil), false); res.Status != http.StatusNotFound {
		t.Errorf("POST import: status %d, want 404", res.Status)
	}
	if res := b.post("/live/home/export", url.Values{}); res.Status != http.StatusNotFound {
		t.Errorf("POST export: status %d, want 404", res.Status)
	}
	if n := clientCount(t, app); n != 0 {
		t.Errorf("clients after refused upload: %d", n)
	}

	admin := app.browser(t)
	admin.signIn("live", "admin")
	dash = admin.get("/live/")
	wantContains(t, "admin's menu", dash.Body, `href="/live/home/import">Import HMIS CSV</a>`, `href="/live/home/export">Export HMIS CSV</a>`)
}

func TestImport_Upload(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	b.signIn("live", "admin")
	form := b.get("/live/home/import")
	wantContains(t, "import form", form.Body, `enctype="multipart/form-data"`, `<label class="usa-label" for="file">`,
		`accept=".zip,application/zip"`, `<label class="usa-label" for="source">`, `for="sharing-restrict"`, `for="sharing-global"`,
		`for="dryrun"`, "At most 2 GB.", "Nothing has been imported into this site yet.")

	// A dry run writes nothing.
	page, frag := b.importDone("live", url.Values{"sharing": {"restrict"}, "dryrun": {"1"}}, "old-hmis.zip", exportZip(t, nil))
	wantContains(t, "dry run", frag, "Dry run: nothing written", "What the import would write")
	if n := clientCount(t, app); n != 0 {
		t.Errorf("clients after a dry run: %d", n)
	}

	page, frag = b.importDone("live", url.Values{"sharing": {"global"}, "source": {""}}, "old-hmis.zip", exportZip(t, nil))
	wantContains(t, "finished fragment", frag, `class="usa-alert usa-alert--success"`, ">Imported</h2>", "The export was imported.",
		"Source <strong>xx-500/old hmis</strong>", "Records written", "<th scope=\"row\">clients</th>",
		"<th scope=\"row\">Client.csv</th><td class=\"hearth-num\">2</td>")
	wantContains(t, "status page", page, "<h1>Import of old-hmis.zip</h1>", "every organization", "Avery Admin",
		`href="/live/home/import" class="usa-current" aria-current="page"`)
	if n := clientCount(t, app); n != 2 {
		t.Errorf("clients after import: %d, want 2", n)
	}

	// The history lists both, newest first, with who and what.
	hist := b.get("/live/home/import").Body
	wantContains(t, "history", hist, "old-hmis.zip", "admin(web)", "xx-500/old hmis", ">Imported</span>", ">Dry run</span>",
		"9<span class=\"hearth-imports__detail\">9 new, 0 updated, 0 unchanged</span>")
	if i, j := strings.Index(hist, ">Imported</span>"), strings.Index(hist, ">Dry run</span>"); i > j {
		t.Errorf("history is not newest first")
	}
}

func TestImport_Rejected(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	b.signIn("live", "admin")
	bad := exportZip(t, func(name, text string) string {
		if name == "Client.csv" {
			return strings.Replace(text, "1990-07-08", "2023-02-30", 1)
		}
		return text
	})
	_, frag := b.importDone("live", url.Values{"sharing": {"restrict"}}, "bad.zip", bad)
	wantContains(t, "rejected", frag, "usa-alert--error", "Rejected: nothing written", "nothing was written",
		"<h3>Errors</h3>", `id="errors-Client.csv"`, `href="#errors-Client.csv"`, `id="Client.csv-3"`,
		"Client.csv row 3, column DOB: ", `class="usa-tag hearth-tag-error">error</span>`, "Download the full report (CSV)")
	wantNotContains(t, "rejected", frag, "Records written")
	if n := clientCount(t, app); n != 0 {
		t.Errorf("clients after a rejected import: %d, want 0", n)
	}
	// The full report downloads as CSV, from the imports table.
	hist := b.get("/live/home/import").Body
	wantContains(t, "history", hist, "bad.zip", ">Rejected</span>", "none written", ` errors<span class="hearth-imports__detail">`)
	rep := links(hist, `<table class="usa-table usa-table--borderless usa-table--compact hearth-imports">`, "</table>")
	if len(rep) != 1 {
		t.Fatalf("report links in history: %q", rep)
	}
	csv := b.get(rep[0])
	if csv.Status != http.StatusOK || csv.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.HasPrefix(csv.Header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("report: status %d, headers %v", csv.Status, csv.Header)
	}
	wantContains(t, "report CSV", csv.Body, "file,row,column,value,severity,message", "Client.csv,3,DOB,")

	// Not a zip at all: failed, with the reason.
	_, frag = b.importDone("live", url.Values{"sharing": {"restrict"}}, "notes.zip", []byte("this is not a zip"))
	wantContains(t, "not a zip", frag, "Failed: nothing written", "notes.zip is not a zip file")
}

func TestImport_FormErrors(t *testing.T) {
	app := newTestApp(t, func(c *config.Config) { c.MaxUploadBytes = 1 << 10 })
	b := app.browser(t)
	b.signIn("live", "admin")
	data := exportZip(t, nil)
	if len(data) < 4<<10 {
		t.Fatalf("test export is only %d bytes", len(data))
	}
	big := append(data, bytes.Repeat([]byte{0}, 80<<10)...) // past the limit and the form's slack
	for _, chunked := range []bool{false, true} {
		res := b.upload("live", url.Values{"source": {"County HMIS"}, "sharing": {"global"}, "dryrun": {"1"}}, "big.zip", big, chunked)
		if res.Status != http.StatusRequestEntityTooLarge {
			t.Fatalf("chunked %v: status %d, want 413\n%s", chunked, res.Status, res.Body)
		}
		wantContains(t, "too large", res.Body, "The file is larger than the limit of 1 KB set by HEARTH_MAX_UPLOAD.",
			`value="County HMIS"`, `value="global" checked`, `name="dryrun" value="1" checked`, `aria-describedby="file-hint file-error"`)
	}
	// No file chosen.
	req, _ := http.NewRequest(http.MethodPost, app.srv.URL+"/live/home/import", strings.NewReader("--x\r\nContent-Disposition: form-data; name=\"sharing\"\r\n\r\nrestrict\r\n--x--\r\n"))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	res := b.do(req)
	if res.Status != http.StatusUnprocessableEntity {
		t.Errorf("no file: status %d", res.Status)
	}
	wantContains(t, "no file", res.Body, "Choose the export to import")
	if n := clientCount(t, app); n != 0 {
		t.Errorf("clients: %d", n)
	}
}

func TestImportJobs_OneAtATime(t *testing.T) {
	js := newImportJobs(nil)
	cur := &importJob{ID: "a", Site: "live", FileName: "a.zip", By: "Avery Admin", Started: time.Now()}
	js.running["live"], js.byID["a"] = cur, cur
	if busy := js.start(nil, &importJob{ID: "b", Site: "live"}, hmis.Actor{}, "", "", t.TempDir()); busy != cur {
		t.Fatalf("second import on a busy site: busy = %v", busy)
	}
	if _, ok := js.get("live", "b"); ok {
		t.Errorf("refused job is listed")
	}
	if _, ok := js.get("training", "a"); ok {
		t.Errorf("a job is visible from another site")
	}
	if msg := busyMessage(cur); !strings.Contains(msg, "already running") || !strings.Contains(msg, "a.zip") {
		t.Errorf("busy message %q", msg)
	}
}

// TestImportProgressFragment renders a running job's fragment: the bar,
// the file being read, and the polling that a finished job drops.
func TestImportProgressFragment(t *testing.T) {
	s := &Server{jobs: newImportJobs(nil)}
	var err error
	if s.assets, err = newAssets(); err != nil {
		t.Fatal(err)
	}
	if s.pages, err = parsePages(s.funcs()); err != nil {
		t.Fatal(err)
	}
	rq := &request{Site: &sites.Site{Site: config.Site{Slug: "live"}}}
	job := &importJob{ID: "j1", Site: "live", FileName: "big.zip"}
	job.setProgress(transfer.Progress{Phase: "reading", File: "Enrollment.csv", Rows: 20000, BytesRead: 42, BytesTotal: 100})
	rec := httptest.NewRecorder()
	if err := s.renderFragment(rec, http.StatusOK, "imports_status", "import-job", s.jobView(rq, job)); err != nil {
		t.Fatal(err)
	}
	wantContains(t, "running fragment", rec.Body.String(), `id="import-job"`, `hx-get="/live/home/import/jobs/j1/progress"`, `hx-trigger="every 1s"`,
		`hx-swap="outerHTML"`, `<label class="usa-label" for="import-progress">Reading Enrollment.csv (row 20,000)</label>`,
		`<progress id="import-progress" class="hearth-progress" max="100" value="42">`, "42% read")
}
