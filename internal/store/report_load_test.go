package store

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unsafe"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// recordingScanner keeps the scan destinations a table's scan function
// passes, without reading anything.
type recordingScanner struct{ dest []any }

func (r *recordingScanner) Scan(dest ...any) error { r.dest = dest; return nil }

// fieldsOf maps each column of T's SELECT to the name of the record field
// its scan destination fills.
func fieldsOf[T Record](t *testing.T) map[string]string {
	tb := tableOf[T]()
	rec := &recordingScanner{}
	if _, err := tb.scan(rec); err != nil {
		t.Fatal(err)
	}
	list, _, _ := strings.Cut(strings.TrimPrefix(tb.selectSQL, "SELECT "), " FROM ")
	cols := strings.Split(list, ", ")
	if len(cols) != len(rec.dest) {
		t.Fatalf("%s: %d columns, %d scan destinations", tb.name, len(cols), len(rec.dest))
	}
	addr := func(d any) uintptr {
		v := reflect.ValueOf(d)
		if v.Kind() == reflect.Pointer {
			return v.Pointer()
		}
		for i := range v.NumField() {
			if v.Field(i).Kind() == reflect.Pointer {
				return v.Field(i).Pointer()
			}
		}
		t.Fatalf("%s: cannot follow a scan destination of type %T", tb.name, d)
		return 0
	}
	// The first destination is the key field: its offset in T places the
	// scanned (local) record.
	var z T
	keyOff := uintptr(unsafe.Pointer(tb.id(&z))) - uintptr(unsafe.Pointer(&z))
	base := addr(rec.dest[0]) - keyOff
	typ := reflect.TypeFor[T]()
	byOff := map[uintptr]string{}
	for i := range typ.NumField() {
		byOff[typ.Field(i).Offset] = typ.Field(i).Name
	}
	out := map[string]string{}
	for i, c := range cols {
		name, ok := byOff[addr(rec.dest[i])-base]
		if !ok {
			t.Fatalf("%s.%s: no field found", tb.name, c)
		}
		out[c] = name
	}
	return out
}

// TestReportUnread_NotRead checks that no column the report loader leaves
// out (reportUnread) has its field read by a report, the report runner or
// a report page: a report that starts reading one must take it off the
// list, or it would see zeros.
func TestReportUnread_NotRead(t *testing.T) {
	var src strings.Builder
	for _, dir := range []string{"../report", "../reportrun", "../web"} {
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || strings.HasSuffix(p, "_test.go") || !(strings.HasSuffix(p, ".go") || strings.HasSuffix(p, ".html")) {
				return nil
			}
			b, err := os.ReadFile(p)
			src.Write(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	fields := map[string]map[string]string{
		"clients":                   fieldsOf[hmis.Client](t),
		"enrollments":               fieldsOf[hmis.Enrollment](t),
		"exits":                     fieldsOf[hmis.Exit](t),
		"income_benefits":           fieldsOf[hmis.IncomeBenefits](t),
		"health_and_dv":             fieldsOf[hmis.HealthAndDV](t),
		"disabilities":              fieldsOf[hmis.Disability](t),
		"services":                  fieldsOf[hmis.Service](t),
		"current_living_situations": fieldsOf[hmis.CurrentLivingSituation](t),
	}
	for table, cols := range reportUnread {
		f, ok := fields[table]
		if !ok {
			t.Errorf("reportUnread names table %s, which this test does not map", table)
			continue
		}
		for _, c := range cols {
			name, ok := f[c]
			if !ok {
				t.Errorf("reportUnread: %s has no column %s", table, c)
				continue
			}
			if c == "date_deleted" {
				continue // always empty: the loader reads live records only
			}
			if regexp.MustCompile(`\.` + name + `\b`).MatchString(src.String()) {
				t.Errorf("%s.%s (field %s) is read by the reports: take it off reportUnread", table, c, name)
			}
		}
	}
	// The narrowed SELECT keeps the key and every other column.
	sel, keep := narrowSelect("disabilities", disabilityTable.selectSQL)
	if !strings.HasPrefix(sel, "SELECT disabilities_id, enrollment_id, personal_id,") || strings.Contains(sel, "viral_load") ||
		len(keep) != 19-len(reportUnread["disabilities"]) {
		t.Errorf("narrowed select %q keeps %d columns", sel, len(keep))
	}
}
