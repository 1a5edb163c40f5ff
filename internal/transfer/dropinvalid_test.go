package transfer_test

import (
	"os"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
	"github.com/hearth-hmis/hearth/internal/transfer"
)

// orphanZip is sampleDataset with an enrollment E4 of a client that is not
// in Client.csv, with an exit, and its last Services.csv row cut short at
// the end of the file (no final newline).
func orphanZip(t *testing.T) string {
	ds := sampleDataset()
	e := ds.Enrollments[2]
	e.EnrollmentID, e.PersonalID, e.HouseholdID = "E4", "404", "H4"
	ds.Enrollments = append(ds.Enrollments, e)
	x := ds.Exits[0]
	x.ExitID, x.EnrollmentID, x.PersonalID = "X4", "E4", "404"
	ds.Exits = append(ds.Exits, x)
	dir := t.TempDir()
	zipPath := writeZip(t, ds, "orphans.zip")
	folder := dir + "/orphans"
	unzipTo(t, zipPath, folder)
	b, err := os.ReadFile(folder + "/Services.csv")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.TrimSuffix(string(b), "\r\n")
	if err := os.WriteFile(folder+"/Services.csv", []byte(s[:strings.LastIndex(s, ",")]), 0o600); err != nil {
		t.Fatal(err)
	}
	return folder
}

// unzipTo writes the files of the zip at path into the folder dir.
func unzipTo(t *testing.T, path, dir string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, body := range unzip(t, b, "\x00") {
		if err := os.WriteFile(dir+"/"+name, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestImport_DropInvalidRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		path := orphanZip(t)

		// Strict (the default): errors, nothing written.
		res, err := transfer.Import(ctx, s, path, transfer.ImportOptions{})
		if err != nil || res.Status != store.ImportRejected || res.Report.Errors() != 4 {
			t.Fatalf("strict import: %v, %v, %d errors", res.Status, err, res.Report.Errors())
		}
		if n, _ := store.CountRecords[hmis.Client](ctx, s, store.RecordFilter{IncludeDeleted: true}); n != 0 {
			t.Errorf("strict import wrote %d clients", n)
		}

		// A dry run with the option says the same as the import will.
		res, err = transfer.Import(ctx, s, path, transfer.ImportOptions{DropInvalidRows: true, DryRun: true})
		if err != nil || res.Status != store.ImportDryRun || res.Report.Errors() != 0 || res.Report.DroppedRows() != 3 {
			t.Fatalf("dry run: %v, %v, %d errors, %d dropped", res.Status, err, res.Report.Errors(), res.Report.DroppedRows())
		}
		dry := res.Stats.Records

		// With the option: imported without the three rows.
		res = mustImport(t, ctx, s, path, transfer.ImportOptions{DropInvalidRows: true})
		if res.Status != store.ImportImported || res.Stats.Records != 15 || dry != 15 {
			t.Fatalf("import: %s, %d records (dry run %d), want 15", res.Status, res.Stats.Records, dry)
		}
		want := "Enrollment.csv 1, Exit.csv 1, Services.csv 1"
		if got := res.Report.DroppedText(); got != want {
			t.Errorf("dropped %q, want %q", got, want)
		}
		for _, w := range []string{"Enrollment.csv row 5, PersonalID \"404\": dropped: no Client.csv row",
			"Exit.csv row 3, EnrollmentID \"E4\": dropped: no Enrollment.csv row", "Services.csv row 3: dropped: row has "} {
			found := false
			for _, is := range res.Report.Issues {
				found = found || strings.HasPrefix(is.String(), w) && strings.HasSuffix(is.String(), "(warning)")
			}
			if !found {
				t.Errorf("no warning %q", w)
			}
		}
		if _, err := store.FindRecordByID[hmis.Enrollment](ctx, s, id("Enrollment", "E4")); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("dropped enrollment E4: %v", err)
		}
		if _, err := store.FindRecordByID[hmis.Service](ctx, s, id("Services", "S2")); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("dropped service S2: %v", err)
		}
		if _, err := store.FindRecordByID[hmis.Enrollment](ctx, s, id("Enrollment", "E3")); err != nil {
			t.Errorf("enrollment E3: %v", err)
		}

		// The counts are kept with the import's record and in its one audit entry.
		rec, err := s.FindImportByID(ctx, res.ImportID)
		if err != nil || rec.DroppedRows() != 3 || rec.DroppedText() != want || !strings.Contains(rec.Report, "dropped: no Client.csv row") {
			t.Errorf("import record: dropped %v, %v", rec.Dropped, err)
		}
		imps, err := s.FindImports(ctx, 10)
		if err != nil || len(imps) != 3 || imps[0].DroppedRows() != 3 || imps[1].DroppedRows() != 3 || imps[2].DroppedRows() != 0 {
			t.Errorf("import records: %+v, %v", imps, err)
		}
		audit, err := s.FindAudit(ctx, store.AuditFilter{Entity: "import", EntityID: res.ImportID})
		if err != nil || len(audit) != 1 || !strings.Contains(audit[0].Detail, "3 invalid rows dropped ("+want+")") {
			t.Errorf("audit: %+v, %v", audit, err)
		}
	})
}
