package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hmiscsv"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
)

// smallExport writes a one-client HMIS CSV export; with bad, its
// enrollment refers to a client that does not exist.
func smallExport(t *testing.T, bad bool) string {
	t.Helper()
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	pid := "1"
	if bad {
		pid = "404"
	}
	one, es := hud.NoYes(1), hud.ProjectTypeEmergencyShelterEntryExit
	ds := &hmis.Dataset{
		Export:        hmis.Export{ExportID: "X", SourceID: "XX-501", SourceName: "Old", ExportDate: at, ExportStartDate: hmis.MustDate("2024-01-01"), ExportEndDate: hmis.MustDate("2024-12-31"), SoftwareName: "Old", ImplementationID: "i"},
		Organizations: []hmis.Organization{{OrganizationID: "O", OrganizationName: "Org", DateCreated: at, DateUpdated: at, UserID: "U"}},
		Users:         []hmis.User{{UserID: "U", DateCreated: at, DateUpdated: at}},
		Projects:      []hmis.Project{{ProjectID: "P", OrganizationID: "O", ProjectName: "Shelter", ProjectType: &es, ContinuumProject: &one, OperatingStartDate: hmis.MustDate("2020-01-01"), DateCreated: at, DateUpdated: at, UserID: "U"}},
		ProjectCoCs:   []hmis.ProjectCoC{{ProjectCoCID: "PC", ProjectID: "P", CoCCode: "XX-501", Geocode: "123456", DateCreated: at, DateUpdated: at, UserID: "U"}},
		Clients:       []hmis.Client{{PersonalID: "1", FirstName: "Ada", DateCreated: at, DateUpdated: at, UserID: "U"}},
		Enrollments:   []hmis.Enrollment{{EnrollmentID: "E", PersonalID: pid, ProjectID: "P", HouseholdID: "H", EntryDate: hmis.MustDate("2024-03-01"), EnrollmentCoC: "XX-501", DateCreated: at, DateUpdated: at, UserID: "U"}},
	}
	var buf bytes.Buffer
	if err := hmiscsv.WriteDataset(&buf, ds, hmiscsv.WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "export.zip")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportExportCommands(t *testing.T) {
	data := t.TempDir()
	vars := map[string]string{"HEARTH_DATA": data}
	good, bad := smallExport(t, false), smallExport(t, true)

	out, stderr, code := hearth(t, vars, "", "import", "--site", "live", good, "--dry-run")
	if code != 0 || !strings.Contains(out, "dry run") || !strings.Contains(out, "would add 6") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, stderr)
	}
	out, stderr, code = hearth(t, vars, "", "import", "--site", "live", bad)
	if code != 1 || !strings.Contains(stderr, "Enrollment.csv") || !strings.Contains(stderr, "nothing was written") {
		t.Fatalf("bad import: exit %d\n%s%s", code, out, stderr)
	}
	out, stderr, code = hearth(t, vars, "", "import", "--site", "live", "--sharing", "restrict", good)
	if code != 0 || !strings.Contains(out, "6 new") {
		t.Fatalf("import: exit %d\n%s%s", code, out, stderr)
	}

	zip := filepath.Join(t.TempDir(), "out.zip")
	out, stderr, code = hearth(t, vars, "", "export", "--site", "live", "--out", zip, "--start", "2024-01-01", "--end", "2024-12-31")
	if code != 0 || !strings.Contains(out, "exported") {
		t.Fatalf("export: exit %d\n%s%s", code, out, stderr)
	}
	ds, rep, err := hmiscsv.ReadDataset(zip)
	if err != nil || rep.Errors() > 0 || len(ds.Clients) != 1 || ds.Clients[0].PersonalID != store.SourceRecordID("xx-501/old", "Client", "1") {
		t.Fatalf("exported: %+v, %v", ds, err)
	}

	// The same export under another source: a second organization and
	// client. A case manager of the first organization exports only its
	// client, and may not import.
	if out, stderr, code = hearth(t, vars, "", "import", "--site", "live", "--source", "Other System", good); code != 0 {
		t.Fatalf("second import: exit %d\n%s%s", code, out, stderr)
	}
	// The same person from two systems: the duplicates queue has them.
	if !strings.Contains(out, "duplicates review queue recomputed: 1 likely pairs") {
		t.Errorf("second import did not queue the duplicate:\n%s", out)
	}
	org := store.SourceRecordID("xx-501/old", "Organization", "O")
	if out, stderr, code := hearth(t, vars, "A-long-passw0rd-for-cm\n", "user", "add", "--site", "live", "--username", "cm",
		"--role", "case_manager", "--org", org); code != 0 {
		t.Fatalf("user add: exit %d\n%s%s", code, out, stderr)
	}
	for _, as := range []string{"", "cm"} {
		args := []string{"export", "--site", "live", "--out", zip}
		if as != "" {
			args = append(args, "--as", as)
		}
		if out, stderr, code := hearth(t, vars, "", args...); code != 0 {
			t.Fatalf("export --as %q: exit %d\n%s%s", as, code, out, stderr)
		}
		ds, _, err := hmiscsv.ReadDataset(zip)
		if err != nil {
			t.Fatal(err)
		}
		want := 2
		if as == "cm" {
			want = 1
		}
		if len(ds.Clients) != want || len(ds.Enrollments) != want {
			t.Errorf("export --as %q: %d clients, %d enrollments; want %d", as, len(ds.Clients), len(ds.Enrollments), want)
		}
	}
	if _, stderr, code := hearth(t, vars, "", "import", "--site", "live", "--as", "cm", good); code != 1 || !strings.Contains(stderr, "administrators") {
		t.Errorf("import --as cm: exit %d, %s", code, stderr)
	}
	if _, stderr, code := hearth(t, vars, "", "export", "--site", "live", "--out", zip, "--start", "2024-01-01"); code != 2 {
		t.Errorf("--start without --end: exit %d, %s", code, stderr)
	}
}

// TestImportDropInvalidRows: the enrollment of a client not in Client.csv
// stops a plain import; with --drop-invalid-rows (dry run and import) it
// is left out, named with file, row and reason.
func TestImportDropInvalidRows(t *testing.T) {
	vars := map[string]string{"HEARTH_DATA": t.TempDir()}
	bad := smallExport(t, true)
	if out, stderr, code := hearth(t, vars, "", "import", "--site", "live", bad); code != 1 || !strings.Contains(stderr, "no Client.csv row") {
		t.Fatalf("strict import: exit %d\n%s%s", code, out, stderr)
	}
	for _, args := range [][]string{{"--dry-run", "--drop-invalid-rows"}, {"--drop-invalid-rows"}} {
		out, stderr, code := hearth(t, vars, "", append([]string{"import", "--site", "live", bad}, args...)...)
		if code != 0 || !strings.Contains(out, "1 invalid rows left out (--drop-invalid-rows): Enrollment.csv 1") ||
			!strings.Contains(out, `Enrollment.csv row 2, PersonalID "404": dropped: no Client.csv row has this PersonalID (warning)`) {
			t.Fatalf("import %v: exit %d\n%s%s", args, code, out, stderr)
		}
	}
}
