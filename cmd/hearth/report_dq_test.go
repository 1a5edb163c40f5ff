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
	"github.com/hearth-hmis/hearth/internal/report/dq"
	"github.com/hearth-hmis/hearth/internal/report/kit"
)

// TestReportDQCommand imports HUD's test kit, runs `hearth report dq` for
// the programs of one grant and checks the zip (Q1.csv ... Q7.csv) holds
// what the engine computes on the kit's files directly.
func TestReportDQCommand(t *testing.T) {
	if _, err := os.Stat(filepath.Join(kitDir, "input")); err != nil {
		t.Skip("no HUD test kit at " + kitDir)
	}
	data := t.TempDir()
	vars := map[string]string{"HEARTH_DATA": data}
	if out, stderr, code := hearth(t, vars, "", "import", "--site", "live", filepath.Join(kitDir, "input")); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, stderr)
	}
	out := filepath.Join(t.TempDir(), "dq.zip")
	stdout, stderr, code := hearth(t, vars, "", "report", "dq", "--site", "live", "--grant", "WOIQRV", "--start", "2021-10-01",
		"--end", "2022-09-30", "--coc", "XX-501", "--out", out)
	if code != 0 || !strings.Contains(stdout, "dq of 1 program(s), 2021-10-01 to 2022-09-30, CoC XX-501") || !strings.Contains(stdout, "7 tables written") {
		t.Fatalf("report dq: exit %d\n%s%s", code, stdout, stderr)
	}
	ds, err := kit.ReadInput(kitDir)
	if err != nil {
		t.Fatal(err)
	}
	want, err := dq.Run(ds, report.Params{ProjectIDs: []string{"780"}, Start: hmis.MustDate("2021-10-01"), End: hmis.MustDate("2022-09-30"), CoC: "XX-501", Software: "Hearth"})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		var exp bytes.Buffer
		want.Table(strings.TrimSuffix(f.Name, ".csv")).WriteCSV(&exp)
		if !bytes.Equal(got, exp.Bytes()) {
			t.Errorf("%s differs:\n%s\nwant\n%s", f.Name, got, exp.Bytes())
		}
	}
	if strings.Join(names, " ") != "Q1.csv Q2.csv Q3.csv Q4.csv Q5.csv Q6.csv Q7.csv" {
		t.Errorf("zip holds %v", names)
	}
	for _, bad := range [][]string{
		{"report", "dq", "--site", "live", "--start", "2021-10-01", "--end", "2022-09-30", "--coc", "XX-501", "--out", out},
		{"report", "dq", "--site", "live", "--all-projects", "--start", "2022-10-01", "--end", "2022-09-30", "--coc", "XX-501", "--out", out},
		{"report", "dq", "--site", "live", "--grant", "NO-SUCH", "--start", "2021-10-01", "--end", "2022-09-30", "--coc", "XX-501", "--out", out},
		{"report", "dq", "--site", "live", "--project", "NO-SUCH", "--start", "2021-10-01", "--end", "2022-09-30", "--coc", "XX-501", "--out", out},
	} {
		if _, stderr, code := hearth(t, vars, "", bad...); code == 0 || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", bad, code, stderr)
		}
	}
}

// TestReportCEAPRCommand runs `hearth report ce-apr` on HUD's kit and
// checks the zip holds the 10 tables with the kit's persons served.
func TestReportCEAPRCommand(t *testing.T) {
	if _, err := os.Stat(filepath.Join(kitDir, "input")); err != nil {
		t.Skip("no HUD test kit at " + kitDir)
	}
	vars := map[string]string{"HEARTH_DATA": t.TempDir()}
	if out, stderr, code := hearth(t, vars, "", "import", "--site", "live", filepath.Join(kitDir, "input")); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, stderr)
	}
	out := filepath.Join(t.TempDir(), "ce.zip")
	stdout, stderr, code := hearth(t, vars, "", "report", "ce-apr", "--site", "live", "--start", "2021-10-01",
		"--end", "2022-09-30", "--coc", "XX-501", "--out", out)
	// 15 persons served: expected/ce_apr/ce/Q5a.csv, C2.
	if code != 0 || !strings.Contains(stdout, "ce-apr of every program of the CoC") || !strings.Contains(stdout, "15 persons served, 10 tables written") {
		t.Fatalf("report ce-apr: exit %d\n%s%s", code, stdout, stderr)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if strings.Join(names, " ") != "Q4a.csv Q5a.csv Q6a.csv Q7a.csv Q8a.csv Q9a.csv Q9b.csv Q9c.csv Q9d.csv Q10.csv" {
		t.Errorf("zip holds %v", names)
	}
	if _, stderr, code := hearth(t, vars, "", "report", "ce-apr", "--site", "live", "--start", "2021-10-01", "--end", "2022-09-30", "--out", out); code == 0 || stderr == "" {
		t.Errorf("no --coc: exit %d, stderr %q", code, stderr)
	}
}
