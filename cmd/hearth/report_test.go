package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/report/apr"
	"github.com/hearth-hmis/hearth/internal/report/kit"
	"github.com/hearth-hmis/hearth/internal/store"
)

const kitDir = "../../../shared/testdata/datalab-fy2023"

// TestReportCommand imports HUD's test kit into a site, runs `hearth
// report apr` for the programs of one grant, and checks that the Sage zip
// holds exactly what the engine computes on the kit's files directly: the
// store path (visibility-filtered export records) loses nothing.
func TestReportCommand(t *testing.T) {
	if _, err := os.Stat(filepath.Join(kitDir, "input")); err != nil {
		t.Skip("no HUD test kit at " + kitDir)
	}
	data := t.TempDir()
	vars := map[string]string{"HEARTH_DATA": data}
	if out, stderr, code := hearth(t, vars, "", "import", "--site", "live", "--source", "kit", "--sharing", "restrict", filepath.Join(kitDir, "input")); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, stderr)
	}
	out := filepath.Join(t.TempDir(), "apr.zip")
	args := []string{"report", "apr", "--site", "live", "--grant", "WOIQRV", "--start", "2021-10-01", "--end", "2022-09-30", "--coc", "XX-501", "--out", out}
	stdout, stderr, code := hearth(t, vars, "", args...)
	if code != 0 || !strings.Contains(stdout, "28 persons served") {
		t.Fatalf("report: exit %d\n%s%s", code, stdout, stderr)
	}

	ds, err := kit.ReadInput(kitDir)
	if err != nil {
		t.Fatal(err)
	}
	want, err := apr.Run(ds, apr.APR, report.Params{ProjectIDs: []string{"780"}, Start: hmis.MustDate("2021-10-01"), End: hmis.MustDate("2022-09-30"), CoC: "XX-501", Software: "Hearth"})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) != len(want.Tables) {
		t.Errorf("zip holds %d tables, want %d", len(zr.File), len(want.Tables))
	}
	for _, f := range zr.File {
		id := strings.TrimSuffix(f.Name, ".csv")
		tab := want.Table(id)
		if tab == nil {
			t.Errorf("unexpected %s in the zip", f.Name)
			continue
		}
		if id == "Q4a" {
			continue // carries the site's project IDs, not the kit's
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		var exp bytes.Buffer
		tab.WriteCSV(&exp)
		if !bytes.Equal(got, exp.Bytes()) {
			t.Errorf("%s differs:\n%s\nwant\n%s", f.Name, got, exp.Bytes())
		}
	}

	// The report runs on what the acting user may report on: a case manager
	// of the program's organization (773) sees its 28 clients; for one of
	// another organization (the kit's 75; restricted sharing) the grant
	// funds no program they may report on: the message of a grant that
	// does not exist (TestReportCommand_Programs).
	for _, u := range []struct {
		name, org string
		served    string
	}{{"own", "773", "28 persons served"}, {"other", "75", ""}} {
		if out, stderr, code := hearth(t, vars, "A-long-passw0rd-for-"+u.name+"\n", "user", "add", "--site", "live", "--username", u.name,
			"--role", "case_manager", "--org", store.SourceRecordID("kit", "Organization", u.org)); code != 0 {
			t.Fatalf("user add: exit %d\n%s%s", code, out, stderr)
		}
		stdout, stderr, code := hearth(t, vars, "", append(args, "--as", u.name)...)
		if u.served == "" {
			if code == 0 || !strings.Contains(stderr, `--grant "WOIQRV": no program you may report on is funded by this grant`) {
				t.Errorf("report --as %s: exit %d\n%s%s", u.name, code, stdout, stderr)
			}
		} else if code != 0 || !strings.Contains(stdout, u.served) {
			t.Errorf("report --as %s: exit %d\n%s%s", u.name, code, stdout, stderr)
		}
	}

	// verify-kit prints the kit summary.
	stdout, stderr, code = hearth(t, vars, "", "report", "verify-kit", kitDir)
	if code != 0 || !strings.Contains(stdout, "apr   psh_coc_1  Q7a    30 of 30 cells match") || !strings.Contains(stdout, "per table, all scopes:") {
		t.Errorf("verify-kit: exit %d\n%s%s", code, stdout, stderr)
	}

	// Bad input: a clear message, no zip.
	for _, bad := range [][]string{
		{"report", "apr", "--site", "live", "--start", "2021-10-01", "--end", "2022-09-30", "--coc", "XX-501", "--out", out},
		{"report", "apr", "--site", "live", "--all-projects", "--start", "2022-10-01", "--end", "2022-09-30", "--coc", "XX-501", "--out", out},
		{"report", "caper", "--site", "live", "--grant", "NO-SUCH", "--start", "2021-10-01", "--end", "2022-09-30", "--coc", "XX-501", "--out", out},
	} {
		if _, stderr, code := hearth(t, vars, "", bad...); code == 0 || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", bad, code, stderr)
		}
	}
}
