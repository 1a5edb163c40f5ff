package transfer

import (
	"bytes"
	"cmp"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hmiscsv"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// readDroppingInvalid reads an export with DropInvalidRows into a Dataset.
func readDroppingInvalid(t *testing.T, path string) (*hmis.Dataset, *hmiscsv.Report) {
	t.Helper()
	x, err := hmiscsv.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	x.DropInvalidRows = true
	ds := &hmis.Dataset{}
	v := reflect.ValueOf(ds).Elem()
	byType := map[reflect.Type]reflect.Value{}
	for i := 0; i < v.NumField(); i++ {
		if f := v.Field(i); f.Kind() == reflect.Slice {
			byType[f.Type().Elem()] = f
		}
	}
	rep, err := x.Read(func(_ string, _ int, rec any) error {
		s := byType[reflect.TypeOf(rec).Elem()]
		s.Set(reflect.Append(s, reflect.ValueOf(rec).Elem()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ds.Export = x.Header
	return ds, rep
}

// TestImport_FY2024LSADropInvalidRows imports HUD's FY2024 LSA sample with
// DropInvalidRows (its 260 errors come from 168 rows cut short or pointing
// at a client not in Client.csv): 0 errors, the dropped rows counted with
// the import, and the rows kept come back from an export record by record
// (under Hearth's IDs, docs/hmis-csv-ids.md).
func TestImport_FY2024LSADropInvalidRows(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "testdata", "hmiscsv", "fy2024", "lsa-sample.zip")
	if _, err := os.Stat(path); err != nil {
		t.Skip("../shared is not present")
	}
	if testing.Short() {
		t.Skip("short")
	}
	s := storetest.OpenSQLite(t)
	ctx := storetest.Context(t)
	res, err := Import(ctx, s, path, ImportOptions{DropInvalidRows: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Errors() > 0 || res.Status != store.ImportImported {
		var b strings.Builder
		res.Report.WriteText(&b)
		t.Fatalf("FY2024 LSA sample: status %s\n%.5000s", res.Status, b.String())
	}
	const dropped = "Disabilities.csv 1, Enrollment.csv 75, Exit.csv 17, HealthAndDV.csv 75"
	rec, err := s.FindImportByID(ctx, res.ImportID)
	if err != nil || rec.DroppedText() != dropped || rec.DroppedRows() != 168 {
		t.Errorf("import record: dropped %q, %v", rec.DroppedText(), err)
	}
	t.Logf("FY2024 LSA sample: %d records, %d warnings, dropped %s", res.Stats.Records, res.Report.Warnings(), rec.DroppedText())

	want, _ := readDroppingInvalid(t, path)
	ids := idMapper{key: res.Source.Key}
	var buf bytes.Buffer
	if _, err := Export(ctx, s, &buf, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "export.zip")
	if err := os.WriteFile(out, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	got, rep, err := hmiscsv.ReadDataset(out)
	if err != nil || rep.Errors() > 0 {
		t.Fatalf("re-read: %v, %d errors", err, rep.Errors())
	}
	wv, gv := reflect.ValueOf(want).Elem(), reflect.ValueOf(got).Elem()
	compared := 0
	for i := 0; i < wv.NumField(); i++ {
		ws, gs := wv.Field(i), gv.Field(i)
		if ws.Kind() != reflect.Slice {
			continue
		}
		name := wv.Type().Field(i).Name
		var wl, gl []any
		for j := 0; j < ws.Len(); j++ {
			r := ws.Index(j).Addr().Interface()
			ids.mapRecord(r)
			if !isDeleted(ws.Index(j)) {
				wl = append(wl, r)
			}
		}
		for j := 0; j < gs.Len(); j++ {
			gs.Index(j).FieldByName("ExportID").SetString("")
			gl = append(gl, gs.Index(j).Addr().Interface())
		}
		byKey := func(a, b any) int {
			return cmp.Compare(reflect.ValueOf(a).Elem().Field(0).String(), reflect.ValueOf(b).Elem().Field(0).String())
		}
		slices.SortFunc(wl, byKey)
		slices.SortFunc(gl, byKey)
		if len(wl) != len(gl) {
			t.Errorf("%s: %d records read, %d exported", name, len(wl), len(gl))
			continue
		}
		if diff := gocmp.Diff(wl, gl, cmpopts.EquateEmpty(), gocmp.Comparer(func(a, b hmis.Date) bool { return a.Equal(b) })); diff != "" {
			t.Errorf("%s differs (-read +exported):\n%.3000s", name, diff)
		}
		compared += len(wl)
	}
	if compared < res.Stats.Records-1000 {
		t.Errorf("compared %d records of %d imported", compared, res.Stats.Records)
	}
	t.Logf("%d records compared", compared)
}

// isDeleted reports whether a record has a DateDeleted.
func isDeleted(v reflect.Value) bool {
	f := v.FieldByName("DateDeleted")
	return f.IsValid() && !f.Interface().(interface{ IsZero() bool }).IsZero()
}
