package hmiscsv

import (
	"archive/zip"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

var update = flag.Bool("update", false, "rewrite testdata/valid from validDataset")

func ip[T ~int](v T) *T { return &v }

// validDataset is a tiny clean FY2026 export: one of everything that links.
func validDataset() *hmis.Dataset {
	ts := time.Date(2025, 10, 2, 9, 30, 0, 0, time.UTC)
	d := hmis.MustDate
	m := hmis.Money(123450)
	return &hmis.Dataset{
		Export: hmis.Export{ExportID: "X1", SourceType: ip(hud.SourceType(1)), SourceID: "XX-501", SourceName: "Test, \"quoted\" HMIS",
			ExportDate: ts, ExportStartDate: d("2024-10-01"), ExportEndDate: d("2025-09-30"), ImplementationID: "TEST"},
		Organizations: []hmis.Organization{{OrganizationID: "O1", OrganizationName: "Shelter, Inc.", VictimServiceProvider: ip(hud.NoYes(0)),
			DateCreated: ts, DateUpdated: ts, UserID: "U1"}},
		Users:       []hmis.User{{UserID: "U1", UserFirstName: "Ann", DateCreated: ts, DateUpdated: ts}},
		Projects:    []hmis.Project{{ProjectID: "P1", OrganizationID: "O1", ProjectName: "Night\nShelter", OperatingStartDate: d("2020-01-01"), ContinuumProject: ip(hud.NoYes(1)), ProjectType: ip(hud.ProjectType(0)), DateCreated: ts, DateUpdated: ts, UserID: "U1"}},
		ProjectCoCs: []hmis.ProjectCoC{{ProjectCoCID: "PC1", ProjectID: "P1", CoCCode: "XX-501", Geocode: "123456", DateCreated: ts, DateUpdated: ts, UserID: "U1"}},
		Clients: []hmis.Client{{PersonalID: "C1", FirstName: "Zoë", LastName: "O'Neil", NameDataQuality: ip(hud.NameDataQuality(1)), SSN: "123456789", SSNDataQuality: ip(hud.SSNDataQuality(1)),
			DOB: d("1980-02-29"), DOBDataQuality: ip(hud.DOBDataQuality(1)), AmIndAKNative: ip(hud.NoYes(0)), Asian: ip(hud.NoYes(0)), BlackAfAmerican: ip(hud.NoYes(1)),
			HispanicLatinao: ip(hud.NoYes(0)), MidEastNAfrican: ip(hud.NoYes(0)), NativeHIPacific: ip(hud.NoYes(0)), White: ip(hud.NoYes(0)), VeteranStatus: ip(hud.NoYesReasonsForMissingData(0)),
			DateCreated: ts, DateUpdated: ts, UserID: "U1"}},
		Enrollments: []hmis.Enrollment{{EnrollmentID: "E1", PersonalID: "C1", ProjectID: "P1", EntryDate: d("2025-01-15"), HouseholdID: "H1", RelationshipToHoH: ip(hud.RelationshipToHoH(1)),
			EnrollmentCoC: "XX-501", LivingSituation: ip(hud.LivingSituation(116)), DisablingCondition: ip(hud.NoYesReasonsForMissingData(0)), DateCreated: ts, DateUpdated: ts, UserID: "U1"}},
		Exits: []hmis.Exit{{ExitID: "X1", EnrollmentID: "E1", PersonalID: "C1", ExitDate: d("2025-03-01"), Destination: ip(hud.LivingSituation(410)), DateCreated: ts, DateUpdated: ts, UserID: "U1"}},
		IncomeBenefits: []hmis.IncomeBenefits{{IncomeBenefitsID: "I1", EnrollmentID: "E1", PersonalID: "C1", InformationDate: d("2025-01-15"), IncomeFromAnySource: ip(hud.NoYesReasonsForMissingData(1)),
			TotalMonthlyIncome: &m, DataCollectionStage: ip(hud.DataCollectionStage(1)), DateCreated: ts, DateUpdated: ts, UserID: "U1"}},
	}
}

// writeFolder writes a dataset as a folder of CSV files.
func writeFolder(t testing.TB, dir string, ds *hmis.Dataset) {
	var b bytes.Buffer
	if err := WriteDataset(&b, ds, WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(dir, 0o755)
	for _, f := range zr.File {
		rc, _ := f.Open()
		var buf bytes.Buffer
		buf.ReadFrom(rc)
		rc.Close()
		if err := os.WriteFile(filepath.Join(dir, f.Name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// fixture copies testdata/valid to a temp folder and applies edits:
// file -> func(old content) new content ("" deletes the file).
func fixture(t *testing.T, edits map[string]func(string) string) string {
	dir := t.TempDir()
	ents, err := os.ReadDir("testdata/valid")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, _ := os.ReadFile(filepath.Join("testdata/valid", e.Name()))
		s := string(b)
		if fn, ok := edits[e.Name()]; ok {
			s = fn(s)
			if s == "\x00" {
				continue
			}
		}
		os.WriteFile(filepath.Join(dir, e.Name()), []byte(s), 0o644)
	}
	return dir
}

func TestValidFixture(t *testing.T) {
	if *update {
		os.RemoveAll("testdata/valid")
		writeFolder(t, "testdata/valid", validDataset())
	}
	ds, rep, err := ReadDataset("testdata/valid")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Errors() != 0 || rep.Warnings() != 0 {
		t.Fatalf("own writer output: %d errors, %d warnings\n%s", rep.Errors(), rep.Warnings(), summary(rep))
	}
	want := validDataset()
	want.Export = ds.Export
	for i := range want.Organizations { // the writer stamps ExportID
		want.Organizations[i].ExportID = "X1"
	}
	for _, p := range []*string{&want.Users[0].ExportID, &want.Projects[0].ExportID, &want.ProjectCoCs[0].ExportID, &want.Clients[0].ExportID,
		&want.Enrollments[0].ExportID, &want.Exits[0].ExportID, &want.IncomeBenefits[0].ExportID} {
		*p = "X1"
	}
	if diff := cmp.Diff(want, ds, cmp.Comparer(func(a, b hmis.Date) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if ds.Export.SoftwareName != "Hearth" || ds.Export.CSVVersion != CSVVersion || *ds.Export.HashStatus != 1 {
		t.Errorf("header %+v", ds.Export)
	}
}

func replace(old, new string) func(string) string {
	return func(s string) string {
		if !strings.Contains(s, old) {
			panic("fixture edit: " + old + " not found")
		}
		return strings.Replace(s, old, new, 1)
	}
}

func remove(string) string { return "\x00" }

// TestTolerances: each deviation is read as meant with a warning, no error.
func TestTolerances(t *testing.T) {
	cases := []struct {
		name  string
		edits map[string]func(string) string
		warn  string // a warning message must contain this
		check func(t *testing.T, ds *hmis.Dataset)
	}{
		{"BOM", map[string]func(string) string{"Client.csv": func(s string) string { return "\ufeff" + s }}, "", nil},
		{"LF and no final newline", map[string]func(string) string{"Enrollment.csv": func(s string) string {
			return strings.TrimSuffix(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
		}}, "", func(t *testing.T, ds *hmis.Dataset) {
			if len(ds.Enrollments) != 1 {
				t.Errorf("%d enrollments", len(ds.Enrollments))
			}
		}},
		{"header case", map[string]func(string) string{"Enrollment.csv": replace("HOHLeaseholder", "HoHLeaseholder")}, "HUD spells it", nil},
		{"column order", map[string]func(string) string{"Client.csv": func(s string) string {
			lines := strings.Split(s, "\r\n")
			for i, l := range lines {
				if l != "" {
					f := strings.Split(l, ",")
					f[1], f[3] = f[3], f[1]
					lines[i] = strings.Join(f, ",")
				}
			}
			return strings.Join(lines, "\r\n")
		}}, "another order", func(t *testing.T, ds *hmis.Dataset) {
			if ds.Clients[0].FirstName != "Zoë" || ds.Clients[0].LastName != "O'Neil" {
				t.Errorf("names %q %q", ds.Clients[0].FirstName, ds.Clients[0].LastName)
			}
		}},
		{"date for date-time", map[string]func(string) string{"Exit.csv": replace("2025-10-02 09:30:00", "2025-10-02")}, "a date where a date-time belongs", nil},
		{"unknown column", map[string]func(string) string{"Funder.csv": func(s string) string { return strings.Replace(s, "\r\n", ",Extra\r\n", 1) }}, "unknown column", nil},
		{"missing file", map[string]func(string) string{"Event.csv": remove}, "file missing", nil},
		{"0-byte file", map[string]func(string) string{"Disabilities.csv": func(string) string { return "" }}, "empty file", nil},
		{"required value empty", map[string]func(string) string{"Enrollment.csv": replace("XX-501", "")}, "required value empty", nil},
		{"code not in list", map[string]func(string) string{"Exit.csv": replace(",410,", ",434,")}, "code not in list", func(t *testing.T, ds *hmis.Dataset) {
			if *ds.Exits[0].Destination != 434 {
				t.Errorf("destination %d", *ds.Exits[0].Destination)
			}
		}},
		{"several Export rows", map[string]func(string) string{"Export.csv": func(s string) string {
			l := strings.Split(s, "\r\n")
			return s + strings.Replace(l[1], "X1", "X0", 1) + "\r\n"
		}}, "Export.csv has 2 rows", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := fixture(t, tc.edits)
			ds, rep, err := ReadDataset(dir)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Errors() > 0 {
				t.Fatalf("%d errors\n%s", rep.Errors(), summary(rep))
			}
			if tc.warn != "" && !hasIssue(rep, Warning, "", 0, tc.warn) {
				t.Errorf("no warning %q\n%s", tc.warn, summary(rep))
			}
			if tc.check != nil {
				tc.check(t, ds)
			}
		})
	}
}

func hasIssue(rep *Report, sev Severity, file string, row int, msg string) bool {
	for _, i := range rep.Issues {
		if i.Severity == sev && strings.Contains(i.Message, msg) && (file == "" || i.File == file) && (row == 0 || i.Row == row) {
			return true
		}
	}
	return false
}

// TestErrors: each bad input is an error named with file and row.
func TestErrors(t *testing.T) {
	cases := []struct {
		name      string
		edits     map[string]func(string) string
		file      string
		row       int
		msg, hide string // hide: a PII value that must not appear
	}{
		{"missing Client.csv", map[string]func(string) string{"Client.csv": remove}, "Client.csv", 0, "required file missing", ""},
		{"truncated row", map[string]func(string) string{"Exit.csv": func(s string) string { return s[:strings.LastIndex(s, ",")] + "\r\n" }}, "Exit.csv", 2, "truncated", ""},
		{"impossible date", map[string]func(string) string{"Enrollment.csv": replace("2025-01-15", "2023-02-30")}, "Enrollment.csv", 2, "not a date", ""},
		{"impossible DOB is redacted", map[string]func(string) string{"Client.csv": replace("1980-02-29", "1981-02-29")}, "Client.csv", 2, "not a date", "1981-02-29"},
		{"dollar sign", map[string]func(string) string{"IncomeBenefits.csv": replace("1234.50", "$12")}, "IncomeBenefits.csv", 2, "not an amount of money", ""},
		{"letters in integer", map[string]func(string) string{"Enrollment.csv": replace(",116,", ",1x6,")}, "Enrollment.csv", 2, "not a whole number", ""},
		{"PersonalID without Client", map[string]func(string) string{"Enrollment.csv": replace(",C1,", ",C9,")}, "Enrollment.csv", 2, "no Client.csv row", ""},
		{"enrollment missing", map[string]func(string) string{"Exit.csv": replace(",E1,", ",E9,")}, "Exit.csv", 2, "no Enrollment.csv row", ""},
		{"duplicate key", map[string]func(string) string{"Exit.csv": func(s string) string { return s + strings.Split(s, "\r\n")[1] + "\r\n" }}, "Exit.csv", 3, "duplicate key", ""},
		{"duplicate client", map[string]func(string) string{"Client.csv": func(s string) string { return s + strings.Split(s, "\r\n")[1] + "\r\n" }}, "Client.csv", 3, "duplicate key", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := fixture(t, tc.edits)
			_, rep, err := ReadDataset(dir)
			if err != nil {
				t.Fatal(err)
			}
			if !hasIssue(rep, Error, tc.file, tc.row, tc.msg) {
				t.Errorf("no error %q at %s row %d\n%s", tc.msg, tc.file, tc.row, summary(rep))
			}
			if tc.hide != "" {
				var b bytes.Buffer
				rep.WriteText(&b)
				rep.WriteCSV(&b)
				if strings.Contains(b.String(), tc.hide) {
					t.Errorf("report shows %q", tc.hide)
				}
			}
		})
	}
}

func TestOpenNotAZip(t *testing.T) {
	_, err := Open("testdata/notazip.zip")
	if err == nil || !strings.Contains(err.Error(), "not a zip") {
		t.Errorf("err = %v", err)
	}
}

func TestWriterOrderAndHash(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b, validDataset().Export, WriterOptions{Hashed: true})
	ds := validDataset()
	if err := w.Write(&ds.Clients[0]); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(&ds.Projects[0]); err == nil {
		t.Error("a Project after a Client was accepted")
	}
	if soundex("Robert") != "R163" || soundex("Rupert") != "R163" || soundex("Ashcraft") != "A261" || soundex("Tymczak") != "T522" || soundex("Pfister") != "P236" {
		t.Error("soundex")
	}
}
