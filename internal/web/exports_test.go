package web

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/config"
)

// unzip returns the files of a zip by name.
func unzip(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(b)
	}
	return out
}

// csvColumn returns column col of the first data row of a CSV file.
func csvColumn(t *testing.T, text, col string) string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(text, "\ufeff"))).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("csv: %v, %d rows", err, len(rows))
	}
	i := slices.Index(rows[0], col)
	if i < 0 {
		t.Fatalf("no column %s in %q", col, rows[0])
	}
	return rows[1][i]
}

func TestExport(t *testing.T) {
	app := newTestApp(t, func(c *config.Config) {
		c.Sites = slices.Clone(testSites)
		c.Sites[0].CoCCode = "XX-500"
	})
	b := app.browser(t)
	b.signIn("live", "admin")
	form := b.get("/live/home/export")
	wantContains(t, "export form", form.Body, `<label class="usa-label" for="project">Programs</label>`,
		`<select class="usa-select hearth-multiselect" id="project" name="project" multiple`, `<option value="P1">Hope Emergency Shelter</option>`,
		`<label class="usa-label" for="start">First day</label>`, `<label class="usa-label" for="end">Last day</label>`,
		`<label class="usa-checkbox__label" for="hashed">Hashed`, `<legend class="usa-legend">Period</legend>`)

	// An imported export comes back out, programs and period chosen.
	b.importDone("live", url.Values{"sharing": {"restrict"}}, "old.zip", exportZip(t, nil))
	for _, c := range []struct {
		name string
		form url.Values
	}{
		{"everything", url.Values{}},
		{"program and period", url.Values{"project": {"P1"}, "start": {"01/01/2024"}, "end": {"2024-12-31"}, "hashed": {"1"}}},
	} {
		res := b.post("/live/home/export", c.form)
		if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "application/zip" {
			t.Fatalf("%s: status %d, Content-Type %q\n%.2000s", c.name, res.Status, res.Header.Get("Content-Type"), res.Body)
		}
		want := `attachment; filename="hearth-export-live-` + time.Now().Format("2006-01-02") + `.zip"`
		if cd := res.Header.Get("Content-Disposition"); cd != want {
			t.Errorf("%s: Content-Disposition %q, want %q", c.name, cd, want)
		}
		files := unzip(t, []byte(res.Body))
		if len(files) != 24 {
			t.Errorf("%s: %d files, want 24: %v", c.name, len(files), slices.Sorted(func(yield func(string) bool) {
				for k := range files {
					if !yield(k) {
						return
					}
				}
			}))
		}
		exp := files["Export.csv"]
		if got := csvColumn(t, exp, "SourceName"); got != "River Valley HMIS" {
			t.Errorf("%s: SourceName %q", c.name, got)
		}
		if got := csvColumn(t, exp, "SourceID"); got != "XX-500" {
			t.Errorf("%s: SourceID %q", c.name, got)
		}
		if c.form.Get("hashed") != "" {
			if got := csvColumn(t, exp, "HashStatus"); got != "4" {
				t.Errorf("%s: HashStatus %q", c.name, got)
			}
			if got := csvColumn(t, exp, "ExportStartDate"); got != "2024-01-01" {
				t.Errorf("%s: ExportStartDate %q", c.name, got)
			}
		}
		if c.name == "everything" && strings.Count(files["Client.csv"], "\n") != 3 {
			t.Errorf("everything: Client.csv\n%s", files["Client.csv"])
		}
	}
}

func TestExport_FormErrors(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	b.signIn("live", "admin")
	for _, c := range []struct {
		name  string
		form  url.Values
		field string
		want  []string
	}{
		{"bad date", url.Values{"start": {"2024-02-30"}, "end": {"12/31/2024"}, "project": {"P1"}, "hashed": {"1"}}, "start",
			[]string{`value="2024-02-30"`, `value="12/31/2024"`, `&#34;2024-02-30&#34; is not a date: write it like 10/01/2024.`,
				`<option value="P1" selected>`, `id="hashed" type="checkbox" name="hashed" value="1" checked`}},
		{"end only", url.Values{"end": {"12/31/2024"}}, "start", []string{"Give the first day of the period too"}},
		{"backwards", url.Values{"start": {"12/31/2024"}, "end": {"01/01/2024"}}, "end", []string{"The period ends before it starts."}},
		{"unknown program", url.Values{"project": {"NOPE"}}, "project", []string{"no longer exists"}},
	} {
		res := b.post("/live/home/export", c.form)
		if res.Status != http.StatusUnprocessableEntity || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: status %d, Content-Type %q", c.name, res.Status, res.Header.Get("Content-Type"))
			continue
		}
		wantContains(t, c.name, res.Body, append(c.want, "Nothing was exported.",
			`<span class="usa-error-message" id="`+c.field+`-error" role="alert">`, `usa-form-group usa-form-group--error`)...)
	}
}
