package transfer_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hmiscsv"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
	"github.com/hearth-hmis/hearth/internal/transfer"
)

var t0 = time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

// sourceKey is the key of sampleDataset's source (SourceID/SourceName).
const sourceKey = "xx-500/old hmis"

// sampleDataset is a small export of another system: two organizations
// with a project each, three clients (3 without an enrollment), client 1
// enrolled in both projects (earliest in P2, of O2), an exit, services.
func sampleDataset() *hmis.Dataset {
	yes, no := ptr(hud.NoYes(1)), ptr(hud.NoYes(0))
	es := ptr(hud.ProjectTypeEmergencyShelterEntryExit)
	m := func() (time.Time, time.Time, string) { return t0, t0, "U1" }
	c, u, uid := m()
	ds := &hmis.Dataset{
		Export: hmis.Export{ExportID: "X1", SourceType: ptr(hud.SourceTypeCoCHMIS), SourceID: "XX-500", SourceName: "Old HMIS",
			ExportDate: t0, ExportStartDate: hmis.MustDate("2023-01-01"), ExportEndDate: hmis.MustDate("2025-03-01"),
			SoftwareName: "Old", CSVVersion: "2026 v1.0", ExportPeriodType: ptr(hud.ExportPeriodTypeReportingPeriod),
			ExportDirective: ptr(hud.ExportDirectiveFullRefresh), HashStatus: ptr(hud.HashStatusUnhashed), ImplementationID: "old-1"},
		Organizations: []hmis.Organization{
			{OrganizationID: "O1", OrganizationName: "One", VictimServiceProvider: no, DateCreated: c, DateUpdated: u, UserID: uid},
			{OrganizationID: "O2", OrganizationName: "Two", VictimServiceProvider: no, DateCreated: c, DateUpdated: u, UserID: uid},
		},
		Users: []hmis.User{{UserID: "U1", UserFirstName: "Ann", UserLastName: "Lee", DateCreated: c, DateUpdated: u}},
		Projects: []hmis.Project{
			{ProjectID: "P1", OrganizationID: "O1", ProjectName: "Shelter", OperatingStartDate: hmis.MustDate("2020-01-01"), ContinuumProject: yes, ProjectType: es, DateCreated: c, DateUpdated: u, UserID: uid},
			{ProjectID: "P2", OrganizationID: "O2", ProjectName: "Night", OperatingStartDate: hmis.MustDate("2020-01-01"), ContinuumProject: yes, ProjectType: es, DateCreated: c, DateUpdated: u, UserID: uid},
		},
		ProjectCoCs: []hmis.ProjectCoC{
			{ProjectCoCID: "PC1", ProjectID: "P1", CoCCode: "XX-500", Geocode: "123456", DateCreated: c, DateUpdated: u, UserID: uid},
			{ProjectCoCID: "PC2", ProjectID: "P2", CoCCode: "XX-500", Geocode: "123456", DateCreated: c, DateUpdated: u, UserID: uid},
		},
		Clients: []hmis.Client{
			{PersonalID: "1", FirstName: "Ada", LastName: "Moss", DOB: hmis.MustDate("1980-02-03"), DateCreated: c, DateUpdated: u, UserID: uid},
			{PersonalID: "2", FirstName: "Bo", LastName: "Reyes", DOB: hmis.MustDate("1990-07-08"), DateCreated: c, DateUpdated: u, UserID: uid},
			{PersonalID: "3", FirstName: "Cy", LastName: "Tan", DateCreated: c, DateUpdated: u, UserID: uid},
		},
		Enrollments: []hmis.Enrollment{
			{EnrollmentID: "E1", PersonalID: "1", ProjectID: "P1", HouseholdID: "H1", EntryDate: hmis.MustDate("2024-05-01"), EnrollmentCoC: "XX-500", DateCreated: c, DateUpdated: u, UserID: uid},
			{EnrollmentID: "E2", PersonalID: "1", ProjectID: "P2", HouseholdID: "H2", EntryDate: hmis.MustDate("2024-01-01"), EnrollmentCoC: "XX-500", DateCreated: c, DateUpdated: u, UserID: uid},
			{EnrollmentID: "E3", PersonalID: "2", ProjectID: "P1", HouseholdID: "H3", EntryDate: hmis.MustDate("2023-01-01"), EnrollmentCoC: "XX-500", DateCreated: c, DateUpdated: u, UserID: uid},
		},
		Exits: []hmis.Exit{{ExitID: "X3", EnrollmentID: "E3", PersonalID: "2", ExitDate: hmis.MustDate("2023-06-30"), DateCreated: c, DateUpdated: u, UserID: uid}},
		Services: []hmis.Service{
			{ServicesID: "S1", EnrollmentID: "E1", PersonalID: "1", DateProvided: hmis.MustDate("2024-05-02"), RecordType: ptr(hud.RecordType(200)), DateCreated: c, DateUpdated: u, UserID: uid},
			{ServicesID: "S2", EnrollmentID: "E3", PersonalID: "2", DateProvided: hmis.MustDate("2023-02-02"), RecordType: ptr(hud.RecordType(200)), DateCreated: c, DateUpdated: u, UserID: uid},
		},
	}
	return ds
}

// writeZip writes ds as an HMIS CSV zip in a temp folder.
func writeZip(t *testing.T, ds *hmis.Dataset, name string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := hmiscsv.WriteDataset(&buf, ds, hmiscsv.WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func id(kind, hudID string) string { return store.SourceRecordID(sourceKey, kind, hudID) }

func mustImport(t *testing.T, ctx context.Context, s *store.Store, path string, opt transfer.ImportOptions) *transfer.ImportResult {
	t.Helper()
	res, err := transfer.Import(ctx, s, path, opt)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if res.Report.Errors() > 0 {
		var b strings.Builder
		res.Report.WriteText(&b)
		t.Fatalf("import report has errors:\n%s", b.String())
	}
	return res
}

func TestImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		path := writeZip(t, sampleDataset(), "old.zip")
		res := mustImport(t, ctx, s, path, transfer.ImportOptions{})
		if res.Status != store.ImportImported || res.Stats.Records != 16 || res.Stats.Inserted != 16 || res.Source.Key != sourceKey {
			t.Fatalf("import: %+v", res)
		}
		// IDs follow the documented rule, references too.
		e, err := store.FindRecordByID[hmis.Enrollment](ctx, s, id("Enrollment", "E1"))
		if err != nil {
			t.Fatal(err)
		}
		if e.PersonalID != id("Client", "1") || e.ProjectID != id("Project", "P1") || e.HouseholdID != id("Household", "H1") ||
			e.UserID != id("User", "U1") || !e.DateUpdated.Equal(t0) {
			t.Errorf("enrollment: %+v", e)
		}
		// Client 1's earliest enrollment is in P2, of O2.
		if org, restr, _ := s.ClientOwnership(ctx, id("Client", "1")); org != id("Organization", "O2") || restr != store.RestrictionOrganization {
			t.Errorf("client 1 belongs to %q (%s)", org, restr)
		}
		rec, err := s.FindImportByID(ctx, res.ImportID)
		if err != nil || rec.FileName != "old.zip" || rec.Status != store.ImportImported || rec.Warnings != res.Report.Warnings() {
			t.Errorf("import record: %+v, %v", rec, err)
		}

		// The same file again changes nothing.
		before, _ := store.FindRecords[hmis.Client](ctx, s, store.RecordFilter{})
		res = mustImport(t, ctx, s, path, transfer.ImportOptions{})
		if res.Stats.Inserted != 0 || res.Stats.Updated != 0 || res.Stats.Unchanged != 16 {
			t.Errorf("re-import: %+v", res.Stats)
		}
		after, _ := store.FindRecords[hmis.Client](ctx, s, store.RecordFilter{})
		if len(after) != len(before) || !after[0].DateUpdated.Equal(before[0].DateUpdated) {
			t.Errorf("re-import changed clients")
		}

		// A newer export: client 2 renamed, service S2 deleted.
		ds := sampleDataset()
		later := t0.Add(48 * time.Hour)
		ds.Clients[1].FirstName, ds.Clients[1].DateUpdated = "Bob", later
		ds.Services[1].DateDeleted, ds.Services[1].DateUpdated = later, later
		res = mustImport(t, ctx, s, writeZip(t, ds, "newer.zip"), transfer.ImportOptions{})
		if res.Stats.Inserted != 0 || res.Stats.Updated != 2 || res.Stats.Unchanged != 14 {
			t.Errorf("newer import: %+v", res.Stats)
		}
		if c, _ := store.FindRecordByID[hmis.Client](ctx, s, id("Client", "2")); c.FirstName != "Bob" {
			t.Errorf("client 2: %+v", c)
		}
		if _, err := store.FindRecordByID[hmis.Service](ctx, s, id("Services", "S2")); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("service S2 not deleted: %v", err)
		}
	})
}

func TestImport_WritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		// An enrollment whose client does not exist: an error.
		bad := sampleDataset()
		bad.Enrollments[2].PersonalID = "404"
		res, err := transfer.Import(ctx, s, writeZip(t, bad, "bad.zip"), transfer.ImportOptions{})
		if err != nil || res.Status != store.ImportRejected || res.Report.Errors() == 0 {
			t.Fatalf("bad import: %+v, %v", res, err)
		}
		// A dry run of a good file.
		res, err = transfer.Import(ctx, s, writeZip(t, sampleDataset(), "good.zip"), transfer.ImportOptions{DryRun: true})
		if err != nil || res.Status != store.ImportDryRun || res.Stats.Inserted != 16 {
			t.Fatalf("dry run: %+v, %v", res, err)
		}
		if n, _ := store.CountRecords[hmis.Client](ctx, s, store.RecordFilter{IncludeDeleted: true}); n != 0 {
			t.Errorf("%d clients written", n)
		}
		if n, _ := store.CountRecords[hmis.Project](ctx, s, store.RecordFilter{IncludeDeleted: true}); n != 0 {
			t.Errorf("%d projects written", n)
		}
		imps, err := s.FindImports(ctx, 10)
		if err != nil || len(imps) != 2 {
			t.Fatalf("import records: %+v, %v", imps, err)
		}
		rec, _ := s.FindImportByID(ctx, imps[1].ID)
		if rec.Status != store.ImportRejected || rec.Errors == 0 || !strings.Contains(rec.Report, "Enrollment.csv") {
			t.Errorf("rejected import record: %+v", rec)
		}
		// Only administrators import.
		cm := hmis.NewContext(t.Context(), hmis.Actor{Username: "cm", OrganizationID: "o", Role: hmis.RoleCaseManager, Via: "test"})
		if _, err := transfer.Import(cm, s, writeZip(t, sampleDataset(), "good.zip"), transfer.ImportOptions{}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("case manager import: %v", err)
		}
	})
}

func TestImport_Sharing(t *testing.T) {
	s := storetest.OpenSQLite(t)
	ctx := storetest.Context(t)
	mustImport(t, ctx, s, writeZip(t, sampleDataset(), "old.zip"), transfer.ImportOptions{Sharing: transfer.SharingGlobal, Source: "Legacy  System"})
	// --source replaces the export's own source in every ID.
	k := store.SourceRecordID("legacy system", "Client", "2")
	if org, restr, err := s.ClientOwnership(ctx, k); err != nil || org != store.SourceRecordID("legacy system", "Organization", "O1") || restr != store.RestrictionGlobal {
		t.Errorf("client 2: %q %q %v", org, restr, err)
	}
	if _, err := transfer.Import(ctx, s, "x.zip", transfer.ImportOptions{Sharing: "open"}); hmis.ErrorCode(err) != hmis.EINVALID {
		t.Errorf("bad sharing: %v", err)
	}
}

// exportDataset exports st as the actor in ctx and reads the zip back.
func exportDataset(t *testing.T, ctx context.Context, s *store.Store, opt transfer.ExportOptions) (*hmis.Dataset, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if _, err := transfer.Export(ctx, s, &buf, opt); err != nil {
		t.Fatalf("export: %v", err)
	}
	path := filepath.Join(t.TempDir(), "export.zip")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	ds, rep, err := hmiscsv.ReadDataset(path)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Errors() > 0 {
		var b strings.Builder
		rep.WriteText(&b)
		t.Fatalf("Hearth's export has errors:\n%s", b.String())
	}
	return ds, buf.Bytes()
}

func TestExport_RoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		mustImport(t, ctx, s, writeZip(t, sampleDataset(), "old.zip"), transfer.ImportOptions{})
		ds, _ := exportDataset(t, ctx, s, transfer.ExportOptions{SourceID: "XX-500"})
		if len(ds.Clients) != 3 || len(ds.Enrollments) != 3 || len(ds.Services) != 2 || len(ds.Projects) != 2 {
			t.Fatalf("export: %d clients, %d enrollments, %d services, %d projects", len(ds.Clients), len(ds.Enrollments), len(ds.Services), len(ds.Projects))
		}
		h := ds.Export
		if h.SourceID != "XX-500" || h.SoftwareName != "Hearth" || h.SourceType == nil || *h.SourceType != hud.SourceTypeCoCHMIS ||
			h.ExportDirective == nil || *h.ExportDirective != hud.ExportDirectiveFullRefresh || h.ImplementationID == "" ||
			!h.ExportStartDate.Equal(hmis.MustDate("2023-01-01")) {
			t.Errorf("Export.csv: %+v", h)
		}
		// Exports carry Hearth's IDs.
		if !slices.ContainsFunc(ds.Clients, func(c hmis.Client) bool { return c.PersonalID == id("Client", "1") && c.FirstName == "Ada" }) {
			t.Errorf("client 1 not exported under Hearth's ID: %+v", ds.Clients)
		}

		// Import Hearth's export into another site: the same records, under
		// IDs derived from Hearth's (the rule applied once more).
		s2 := storetest.OpenSQLite(t)
		zip := filepath.Join(t.TempDir(), "hearth.zip")
		var buf bytes.Buffer
		if _, err := transfer.Export(ctx, s, &buf, transfer.ExportOptions{SourceID: "XX-500", SourceName: "Hearth live"}); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(zip, buf.Bytes(), 0o600)
		res := mustImport(t, ctx, s2, zip, transfer.ImportOptions{})
		if res.Stats.Inserted != res.Stats.Records {
			t.Errorf("round trip: %+v", res.Stats)
		}
		k2 := res.Source.Key
		for _, c := range ds.Clients {
			got, err := store.FindRecordByID[hmis.Client](ctx, s2, store.SourceRecordID(k2, "Client", c.PersonalID))
			if err != nil || got.FirstName != c.FirstName || got.LastName != c.LastName || !got.DOB.Equal(c.DOB) || !got.DateUpdated.Equal(c.DateUpdated) {
				t.Errorf("client %s after the round trip: %+v, %v", c.PersonalID, got, err)
			}
		}
		for _, e := range ds.Enrollments {
			got, err := store.FindRecordByID[hmis.Enrollment](ctx, s2, store.SourceRecordID(k2, "Enrollment", e.EnrollmentID))
			if err != nil || got.PersonalID != store.SourceRecordID(k2, "Client", e.PersonalID) || !got.EntryDate.Equal(e.EntryDate) {
				t.Errorf("enrollment %s after the round trip: %+v, %v", e.EnrollmentID, got, err)
			}
		}

		// A change made through the store appears in the next export.
		c, _ := store.FindRecordByID[hmis.Client](ctx, s, id("Client", "2"))
		c.FirstName = "Roberta"
		if err := store.UpdateRecord(ctx, s, &c); err != nil {
			t.Fatal(err)
		}
		ds, _ = exportDataset(t, ctx, s, transfer.ExportOptions{})
		i := slices.IndexFunc(ds.Clients, func(x hmis.Client) bool { return x.PersonalID == id("Client", "2") })
		if i < 0 || ds.Clients[i].FirstName != "Roberta" || !ds.Clients[i].DateUpdated.After(t0) {
			t.Errorf("changed client not exported: %+v", ds.Clients)
		}
	})
}

func TestExport_Scope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		mustImport(t, ctx, s, writeZip(t, sampleDataset(), "old.zip"), transfer.ImportOptions{})
		// A case manager of O1 exports O1's clients (client 2), and
		// client 1 of O2, whom O1 serves (E1 in O1's P1), with E1 only:
		// not client 1's enrollment in O2's program (3 in all).
		cm := hmis.NewContext(t.Context(), hmis.Actor{Username: "cm", UserID: "cm", OrganizationID: id("Organization", "O1"), Role: hmis.RoleCaseManager, Via: "test"})
		ds, _ := exportDataset(t, cm, s, transfer.ExportOptions{})
		if len(ds.Clients) != 2 || ds.Clients[0].PersonalID == ds.Clients[1].PersonalID || len(ds.Enrollments) != 2 || len(ds.Services) != 2 ||
			!slices.ContainsFunc(ds.Enrollments, func(e hmis.Enrollment) bool { return e.EnrollmentID == id("Enrollment", "E1") }) {
			t.Errorf("case manager export: %d clients %+v, %d enrollments, %d services", len(ds.Clients), ds.Clients, len(ds.Enrollments), len(ds.Services))
		}
		// PII permissions (issue 6): a read-only user (no full SSN by
		// default) may write only the hashed form; without Date of birth
		// nobody but an administrator may export.
		ro := hmis.NewContext(t.Context(), hmis.Actor{Username: "ro", UserID: "ro", OrganizationID: id("Organization", "O1"), Role: hmis.RoleReadOnly, Via: "test"})
		if _, err := transfer.Export(ro, s, io.Discard, transfer.ExportOptions{}); hmis.ErrorCode(err) != hmis.EFORBIDDEN || !strings.Contains(hmis.ErrorMessage(err), "Full SSN permission") {
			t.Errorf("read-only export: %v", err)
		}
		if _, err := transfer.Export(ro, s, io.Discard, transfer.ExportOptions{Hashed: true}); err != nil {
			t.Errorf("read-only hashed export: %v", err)
		}
		if _, err := s.SetPIIRole(ctx, access.PIIDOB, hmis.RoleCaseManager, false); err != nil {
			t.Fatal(err)
		}
		if _, err := transfer.Export(cm, s, io.Discard, transfer.ExportOptions{Hashed: true}); hmis.ErrorCode(err) != hmis.EFORBIDDEN || !strings.Contains(hmis.ErrorMessage(err), "Date of birth permission") {
			t.Errorf("export without the DOB permission: %v", err)
		}
		if _, err := s.SetPIIRole(ctx, access.PIIDOB, hmis.RoleCaseManager, true); err != nil {
			t.Fatal(err)
		}
		// One project, over a period.
		ds, _ = exportDataset(t, ctx, s, transfer.ExportOptions{ProjectIDs: []string{id("Project", "P1")},
			Start: hmis.MustDate("2024-01-01"), End: hmis.MustDate("2024-12-31")})
		if len(ds.Projects) != 1 || len(ds.Organizations) != 1 || len(ds.Enrollments) != 1 || ds.Enrollments[0].EnrollmentID != id("Enrollment", "E1") ||
			len(ds.Clients) != 1 || *ds.Export.ExportPeriodType != hud.ExportPeriodTypeReportingPeriod || !ds.Export.ExportEndDate.Equal(hmis.MustDate("2024-12-31")) {
			t.Errorf("scoped export: %d projects, %d orgs, %+v enrollments, %d clients, header %+v", len(ds.Projects), len(ds.Organizations), ds.Enrollments, len(ds.Clients), ds.Export)
		}
		// Written twice from the same data, an export is the same bytes
		// but for the ExportID and Export.csv's date.
		da, a := exportDataset(t, ctx, s, transfer.ExportOptions{SourceID: "XX-500"})
		db, b := exportDataset(t, ctx, s, transfer.ExportOptions{SourceID: "XX-500"})
		fa, fb := unzip(t, a, da.Export.ExportID), unzip(t, b, db.Export.ExportID)
		if len(fa) != 24 || len(fa) != len(fb) {
			t.Errorf("files: %d, %d", len(fa), len(fb))
		}
		for name, body := range fa {
			if name != "Export.csv" && body != fb[name] {
				t.Errorf("%s differs between two exports of the same data", name)
			}
		}
	})
}

// TestImport_LSASample imports HUD's FY2026 LSA sample (10,606 clients).
func TestImport_LSASample(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "testdata", "hmiscsv", "fy2026", "lsa-sample.zip")
	if _, err := os.Stat(path); err != nil {
		t.Skip("../shared is not present")
	}
	if testing.Short() {
		t.Skip("short")
	}
	s := storetest.OpenSQLite(t)
	ctx := storetest.Context(t)
	start := time.Now()
	res, err := transfer.Import(ctx, s, path, transfer.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	if res.Report.Errors() > 0 || res.Status != store.ImportImported {
		var b strings.Builder
		res.Report.WriteText(&b)
		t.Fatalf("LSA sample: status %s\n%.5000s", res.Status, b.String())
	}
	t.Logf("LSA sample FY2026: %d records (%d warnings) in %s (%.0f records/s), %d clients assigned an organization",
		res.Stats.Records, res.Report.Warnings(), elapsed.Round(time.Millisecond), float64(res.Stats.Records)/elapsed.Seconds(), res.Stats.ClientsAssigned)
	if n, _ := store.CountRecords[hmis.Client](ctx, s, store.RecordFilter{IncludeDeleted: true}); n != 10606 {
		t.Errorf("%d clients, want 10606", n)
	}
	// Exported again, it passes the validator.
	start = time.Now()
	ds, _ := exportDataset(t, ctx, s, transfer.ExportOptions{})
	t.Logf("export: %d clients, %d enrollments in %s", len(ds.Clients), len(ds.Enrollments), time.Since(start).Round(time.Millisecond))
}

// unzip returns the files of a zip, with exportID replaced by "EXPORT".
func unzip(t *testing.T, b []byte, exportID string) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[path.Base(f.Name)] = strings.ReplaceAll(string(body), exportID, "EXPORT")
	}
	return out
}
