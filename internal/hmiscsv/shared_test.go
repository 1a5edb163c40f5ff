package hmiscsv

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hearth-hmis/hearth/internal/hmis"
)

// sharedDir is ../shared/testdata next to the module root; tests skip without it.
func sharedDir(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	d := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "testdata")
	if _, err := os.Stat(d); err != nil {
		t.Skip("../shared/testdata is absent")
	}
	return d
}

var sharedExports = []struct{ name, path, version string }{
	{"fy2026-lsa", "hmiscsv/fy2026/lsa-sample.zip", "2026"},
	{"fy2026-eva", "hmiscsv/fy2026/eva-demo.zip", "2026"},
	{"fy2024-lsa", "hmiscsv/fy2024/lsa-sample.zip", "2024"},
	{"fy2024-eva", "hmiscsv/fy2024/eva-demo.zip", "2024"},
	{"fy2022-datalab", "datalab-fy2023/input", "2022"},
}

// TestShared reads every shared export with zero errors, then writes it,
// reads the output back and compares record by record; writing twice gives
// the same bytes.
func TestShared(t *testing.T) {
	dir := sharedDir(t)
	for _, tc := range sharedExports {
		t.Run(tc.name, func(t *testing.T) {
			ds, rep, err := ReadDataset(filepath.Join(dir, tc.path))
			if err != nil {
				t.Fatal(err)
			}
			if rep.Version != tc.version {
				t.Errorf("version %s, want %s", rep.Version, tc.version)
			}
			if rep.Errors() > 0 || testing.Verbose() {
				t.Logf("%d errors, %d warnings\n%s", rep.Errors(), rep.Warnings(), summary(rep))
			}
			if n := rep.Errors() - knownErrors(rep, tc.name); n > 0 {
				t.Fatalf("%d errors", n)
			}
			if len(ds.Clients) == 0 || len(ds.Enrollments) == 0 {
				t.Fatalf("read %d clients, %d enrollments", len(ds.Clients), len(ds.Enrollments))
			}
			checkRoundTrip(t, ds)
		})
	}
}

// checkRoundTrip writes ds twice (same bytes), reads the output back and
// compares record by record.
func checkRoundTrip(t *testing.T, ds *hmis.Dataset) {
	t.Helper()
	{
		{
			if ds.Export.ExportDate.IsZero() { // the FY2022 kit leaves it blank
				ds.Export.ExportDate = time.Date(2022, 10, 1, 0, 0, 0, 0, time.UTC)
			}
			var out1, out2 bytes.Buffer
			if err := WriteDataset(&out1, ds, WriterOptions{}); err != nil {
				t.Fatal(err)
			}
			if err := WriteDataset(&out2, ds, WriterOptions{}); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out1.Bytes(), out2.Bytes()) {
				t.Error("writing twice gave different bytes")
			}
			name := filepath.Join(t.TempDir(), "out.zip")
			os.WriteFile(name, out1.Bytes(), 0o644)
			ds2, rep2, err := ReadDataset(name)
			if err != nil {
				t.Fatal(err)
			}
			if rep2.Errors() > 0 {
				t.Fatalf("re-read: %d errors\n%s", rep2.Errors(), summary(rep2))
			}
			if rep2.Version != "2026" {
				t.Errorf("re-read version %s", rep2.Version)
			}
			// The writer stamps the header and every ExportID.
			want := *ds
			want.Export = ds2.Export
			stampExportID(&want, ds2.Export.ExportID)
			if reflect.DeepEqual(&want, ds2) {
				return
			}
			if diff := cmp.Diff(&want, ds2, cmpopts.EquateEmpty(), cmp.Comparer(func(a, b hmis.Date) bool { return a.Equal(b) }),
				cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".ExportID" }, cmp.Ignore())); diff != "" {
				t.Errorf("round trip differs (-read +re-read):\n%.3000s", diff)
			}
		}
	}
}

// TestSharedDropInvalidRows: with DropInvalidRows (hearth import
// --drop-invalid-rows), the FY2024 LSA sample reads with 0 errors; the
// 168 rows its 260 errors came from are dropped with a warning each, and
// the rows kept round-trip.
func TestSharedDropInvalidRows(t *testing.T) {
	dir := sharedDir(t)
	ds, rep, err := readDataset(filepath.Join(dir, "hmiscsv/fy2024/lsa-sample.zip"), true)
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() || rep.Errors() > 0 {
		t.Logf("%d errors, %d warnings, dropped %s\n%s", rep.Errors(), rep.Warnings(), rep.DroppedText(), summary(rep))
	}
	if rep.Errors() != 0 {
		t.Fatalf("%d errors", rep.Errors())
	}
	want := map[string]int{"Disabilities.csv": 1, "Enrollment.csv": 75, "Exit.csv": 17, "HealthAndDV.csv": 75}
	if !maps.Equal(rep.Dropped, want) {
		t.Errorf("dropped %v, want %v", rep.Dropped, want)
	}
	n := 0
	for _, i := range rep.Issues {
		if i.Severity == Warning && strings.HasPrefix(i.Message, "dropped: ") {
			n++
		}
	}
	if n != 168 {
		t.Errorf("%d dropped warnings, want 168", n)
	}
	checkRoundTrip(t, ds)
}

// knownErrors counts the errors found in the shared FY2024 LSA sample
// that the severity policy makes errors (docs/hmis-csv.md, "Shared
// exports"): its last Disabilities.csv row is cut short, and 75
// enrollments (with their Exit and HealthAndDV rows) name a PersonalID that
// Client.csv lacks.
func knownErrors(rep *Report, name string) int {
	if name != "fy2024-lsa" {
		return 0
	}
	n := 0
	for _, i := range rep.Issues {
		if i.Severity != Error {
			continue
		}
		switch {
		case i.File == "Disabilities.csv" && i.Row == 125305 && strings.HasPrefix(i.Message, "row has 18 fields"),
			i.Column == "PersonalID" && strings.HasPrefix(i.Message, "no Client.csv row"),
			i.Column == "EnrollmentID" && strings.HasPrefix(i.Message, "no Enrollment.csv row"):
			n++
		default:
			return 0
		}
	}
	if n != rep.Errors() || n != 260 {
		return 0
	}
	return n
}

// summary lists the kinds of issues with their counts and first example.
func summary(rep *Report) string {
	type k struct {
		file, col, msg string
		sev            Severity
	}
	n := map[k]int{}
	ex := map[k]Issue{}
	for _, i := range rep.Issues {
		key := k{i.File, i.Column, i.Message, i.Severity}
		if n[key] == 0 {
			ex[key] = i
		}
		n[key]++
	}
	var lines []string
	for key, c := range n {
		lines = append(lines, fmt.Sprintf("%6d× %s", c, ex[key]))
	}
	sort.Strings(lines)
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	return b.String()
}

// stampExportID sets every record's ExportID, as the writer does. It
// changes the records in place.
func stampExportID(ds *hmis.Dataset, id string) {
	v := reflect.ValueOf(ds).Elem()
	for i := 1; i < v.NumField(); i++ {
		s := v.Field(i)
		for j := 0; j < s.Len(); j++ {
			s.Index(j).FieldByName("ExportID").SetString(id)
		}
	}
}
