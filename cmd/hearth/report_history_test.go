package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/config"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/sites"
	"github.com/hearth-hmis/hearth/internal/store"
)

// reportKitSite imports HUD's kit into site live of a new data folder
// (restricted sharing) with case managers "own" (of organization 773, the
// one of program 780, grant WOIQRV) and "other" (of organization 75), and
// returns the command's environment.
func reportKitSite(t *testing.T) map[string]string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(kitDir, "input")); err != nil {
		t.Skip("no HUD test kit at " + kitDir)
	}
	vars := map[string]string{"HEARTH_DATA": t.TempDir()}
	if out, stderr, code := hearth(t, vars, "", "import", "--site", "live", "--source", "kit", "--sharing", "restrict", filepath.Join(kitDir, "input")); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, stderr)
	}
	for name, org := range map[string]string{"own": "773", "other": "75"} {
		if out, stderr, code := hearth(t, vars, "A-long-passw0rd-for-"+name+"\n", "user", "add", "--site", "live", "--username", name,
			"--role", "case_manager", "--org", store.SourceRecordID("kit", "Organization", org)); code != 0 {
			t.Fatalf("user add: exit %d\n%s%s", code, out, stderr)
		}
	}
	return vars
}

// reportOpenSite opens site live of the data folder in vars.
func reportOpenSite(t *testing.T, vars map[string]string) *sites.Site {
	t.Helper()
	cfg := config.Defaults()
	cfg.DataDir = vars["HEARTH_DATA"]
	if err := cfg.LoadSites(); err != nil {
		t.Fatal(err)
	}
	reg, err := sites.Open(t.Context(), cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	live, ok := reg.Get("live")
	if !ok {
		t.Fatal("no site live")
	}
	return live
}

// TestReportCommand_RunHistory: every `hearth report` run is recorded in
// the run history Home → Reports lists, as the web's runs are: its
// parameters, who ran it (the system, or the --as user), when, how long,
// the persons and tables, and the zip kept (the same bytes as the file);
// a run that fails after it started is recorded as failed.
func TestReportCommand_RunHistory(t *testing.T) {
	vars := reportKitSite(t)
	dir := t.TempDir()
	type cliRun struct {
		args     []string
		kind     string
		as       string
		grant    string
		persons  int
		tables   int
		outFile  string
		failedAs string // the failed run's message; "" for a run that succeeds
	}
	common := []string{"--site", "live", "--start", "2021-10-01", "--end", "2022-09-30", "--coc", "XX-501"}
	runs := []cliRun{
		{kind: "apr", grant: "WOIQRV", persons: 28, tables: 67, args: []string{"--grant", "WOIQRV"}},
		{kind: "caper", as: "own", persons: 28, args: []string{"--all-projects", "--as", "own"}},
		{kind: "dq", as: "own", grant: "WOIQRV", persons: 28, tables: 7, args: []string{"--grant", "WOIQRV", "--as", "own"}},
		{kind: "ce-apr", persons: 15, tables: 10, args: nil},
		{kind: "apr", failedAs: "The zip could not be written to the file given with --out.", args: []string{"--grant", "WOIQRV"},
			outFile: filepath.Join(dir, "no-such-folder", "apr.zip")},
	}
	idRe := regexp.MustCompile(`\(run (\S+) in the history\)`)
	var ids []string
	for i, r := range runs {
		out := r.outFile
		if out == "" {
			out = filepath.Join(dir, r.kind+string(rune('0'+i))+".zip")
			runs[i].outFile = out
		}
		args := append(append(append([]string{"report", r.kind}, common...), r.args...), "--out", out)
		stdout, stderr, code := hearth(t, vars, "", args...)
		if r.failedAs != "" {
			if code == 0 || !strings.Contains(stderr, "--out") {
				t.Errorf("%v: exit %d\n%s%s", args, code, stdout, stderr)
			}
			ids = append(ids, "")
			continue
		}
		m := idRe.FindStringSubmatch(stdout)
		if code != 0 || m == nil {
			t.Fatalf("%v: exit %d\n%s%s", args, code, stdout, stderr)
		}
		ids = append(ids, m[1])
	}

	live := reportOpenSite(t, vars)
	sys := storeCtx(t)
	history, err := live.Store.FindReportRuns(sys, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != len(runs) {
		t.Fatalf("the history holds %d runs, want %d: %+v", len(history), len(runs), history)
	}
	byID := map[string]store.ReportRun{}
	var failed []store.ReportRun
	for _, h := range history {
		byID[h.ID] = h
		if h.Status == store.ReportFailed {
			failed = append(failed, h)
		}
	}
	for i, r := range runs {
		if r.failedAs != "" {
			if len(failed) != 1 || failed[0].Message != r.failedAs || failed[0].Kind != r.kind || failed[0].HasZip || failed[0].Finished.IsZero() {
				t.Errorf("failed runs %+v, want one %s run failed with %q", failed, r.kind, r.failedAs)
			}
			continue
		}
		h, ok := byID[ids[i]]
		if !ok {
			t.Errorf("%s run %s is not in the history", r.kind, ids[i])
			continue
		}
		wantActor := "system(cli)"
		if r.as != "" {
			wantActor = r.as + "(cli)"
		}
		if h.Kind != r.kind || h.Status != store.ReportDone || h.Actor != wantActor || (r.as != "") != (h.AccountID != "") ||
			h.GrantID != r.grant || h.CoC != "XX-501" || h.Start != hmis.MustDate("2021-10-01") || h.End != hmis.MustDate("2022-09-30") ||
			h.Persons != r.persons || (r.tables != 0 && h.Tables != r.tables) || h.Started.IsZero() || h.Finished.Before(h.Started) || !h.HasZip {
			t.Errorf("%s run: %+v (want actor %s, grant %q, %d persons, %d tables)", r.kind, h, wantActor, r.grant, r.persons, r.tables)
		}
		// The programs: grant WOIQRV's one; the CE APR's none (CoC-wide).
		if wantN := map[bool]int{true: 0, false: 1}[r.kind == "ce-apr"]; len(h.ProjectIDs) != wantN {
			t.Errorf("%s run: programs %v, want %d", r.kind, h.ProjectIDs, wantN)
		}
		zip, err := live.Store.ReportRunZip(sys, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		file, err := os.ReadFile(r.outFile)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(zip, file) {
			t.Errorf("%s run: the zip kept (%d bytes) is not the file written (%d bytes)", r.kind, len(zip), len(file))
		}
	}
	// The "own" user's runs are theirs: another case manager's history
	// does not list them (store.FindReportRuns: one's own runs).
	var own store.ReportRun
	for _, h := range history {
		if h.Actor == "own(cli)" {
			own = h
		}
	}
	other := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "someone-else", Username: "x", Role: hmis.RoleCaseManager, Via: "test"})
	mine, err := live.Store.FindReportRuns(hmis.NewContext(t.Context(), hmis.Actor{AccountID: own.AccountID, Username: "own",
		Role: hmis.RoleCaseManager, Via: "test"}), 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 2 || !slices.ContainsFunc(mine, func(r store.ReportRun) bool { return r.ID == own.ID }) {
		t.Errorf("own's history: %d runs, want their 2", len(mine))
	}
	if theirs, err := live.Store.FindReportRuns(other, 50); err != nil || len(theirs) != 0 {
		t.Errorf("another case manager's history: %d runs (%v), want none", len(theirs), err)
	}
}

// TestReportCommand_Programs: apr, caper and dq choose their programs
// alike (issue 7: --project ID [--project ID ...] | --grant GRANTID |
// --all-projects), among those the acting user may report on; a program
// or grant outside them gets the message of one that does not exist.
// Bad input gets a clear message naming the flag; a period with no
// clients, a report of zeros.
func TestReportCommand_Programs(t *testing.T) {
	vars := reportKitSite(t)
	out := filepath.Join(t.TempDir(), "r.zip")
	p780 := store.SourceRecordID("kit", "Project", "780")
	period := []string{"--start", "2021-10-01", "--end", "2022-09-30", "--coc", "XX-501", "--out", out}
	cmd := func(kind string, args ...string) []string {
		return append(append([]string{"report", kind, "--site", "live"}, args...), period...)
	}
	for _, kind := range []string{"apr", "caper", "dq"} {
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"--project", p780}, "of 1 program(s)"},
			{[]string{"--project", p780, "--project", p780}, "of 1 program(s)"},
			{[]string{"--project", p780, "--as", "own"}, "of 1 program(s)"},
			{[]string{"--all-projects"}, "of 10 program(s)"},
			{[]string{"--all-projects", "--as", "own"}, "of 1 program(s)"}, // organization 773 runs 780 only
			{[]string{"--grant", "WOIQRV", "--as", "own"}, "of 1 program(s)"},
		} {
			stdout, stderr, code := hearth(t, vars, "", cmd(kind, c.args...)...)
			// Program 780 serves 28 persons (the kit's Q5a of scope psh_coc_1).
			if code != 0 || !strings.Contains(stdout, c.want) || c.want == "of 1 program(s)" && !strings.Contains(stdout, " 28 persons served") {
				t.Errorf("%s %v: exit %d, want %q\n%s%s", kind, c.args, code, c.want, stdout, stderr)
			}
		}
		// Not one the user may report on = one that does not exist.
		for _, pair := range [][2][]string{
			{{"--project", p780, "--as", "other"}, {"--project", "NO-SUCH", "--as", "other"}},
			{{"--grant", "WOIQRV", "--as", "other"}, {"--grant", "NO-SUCH", "--as", "other"}},
		} {
			_, hidden, code1 := hearth(t, vars, "", cmd(kind, pair[0]...)...)
			_, missing, code2 := hearth(t, vars, "", cmd(kind, pair[1]...)...)
			hidden = strings.ReplaceAll(strings.ReplaceAll(hidden, p780, "ID"), "WOIQRV", "ID")
			missing = strings.ReplaceAll(missing, "NO-SUCH", "ID")
			if code1 == 0 || code2 == 0 || hidden != missing || !strings.Contains(hidden, "you may report on") {
				t.Errorf("%s %v: exit %d %q; %v: exit %d %q: want the same message", kind, pair[0], code1, hidden, pair[1], code2, missing)
			}
		}
	}
	if _, stderr, code := hearth(t, vars, "", cmd("ce-apr", "--project", p780)...); code == 0 || !strings.Contains(stderr, "-project") {
		t.Errorf("ce-apr --project: exit %d %q, want a usage error", code, stderr)
	}

	// Bad input: a message naming the flag, no zip, no run recorded.
	os.Remove(out)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "apr", "--site", "live", "--all-projects", "--start", "2022-10-01", "--end", "2022-09-30", "--coc", "XX-501", "--out", out},
			"--start 2022-10-01 is after --end 2022-09-30"},
		{[]string{"report", "caper", "--site", "live", "--start", "2021-10-01", "--end", "2022-09-30", "--coc", "XX-501", "--out", out},
			"choose the programs with one of --project, --grant or --all-projects"},
		{[]string{"report", "dq", "--site", "live", "--all-projects", "--grant", "WOIQRV", "--start", "2021-10-01", "--end", "2022-09-30", "--coc", "XX-501", "--out", out},
			"choose the programs with one of --project, --grant or --all-projects"},
		{[]string{"report", "apr", "--site", "live", "--all-projects", "--start", "2021-13-01", "--end", "2022-09-30", "--coc", "XX-501", "--out", out},
			"--start: \"2021-13-01\" is not a date"},
		{[]string{"report", "apr", "--site", "live", "--all-projects", "--start", "2021-10-01", "--end", "2022-09-30", "--coc", "xx501", "--out", out},
			"--coc \"xx501\": the reporting CoC code is two capital letters"},
		{[]string{"report", "apr", "--site", "live", "--all-projects", "--start", "2021-10-01", "--end", "2022-09-30", "--coc", "XX-501"},
			"--start, --end, --coc and --out are required"},
	} {
		if _, stderr, code := hearth(t, vars, "", c.args...); code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d %q, want usage error %q", c.args, code, stderr, c.want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a zip was written for bad input")
	}
	// A period with no clients: a report of zeros, not an error.
	for _, kind := range []string{"apr", "caper", "dq"} {
		args := []string{"report", kind, "--site", "live", "--all-projects", "--start", "1980-01-01", "--end", "1980-12-31", "--coc", "XX-501", "--out", out}
		stdout, stderr, code := hearth(t, vars, "", args...)
		if code != 0 || !strings.Contains(stdout, ": 0 persons served,") {
			t.Errorf("%s of an empty period: exit %d\n%s%s", kind, code, stdout, stderr)
		}
	}
}
