package store

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
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

// TestSortByID compares sortByID and mergeByID with sorting the records
// themselves, on shuffled records with cycles of every length.
func TestSortByID(t *testing.T) {
	id := func(r *hmis.Exit) *string { return &r.ExitID }
	for _, n := range []int{0, 1, 2, 3, 10, 1000} {
		rng := rand.New(rand.NewPCG(uint64(n), 7))
		recs := make([]hmis.Exit, n)
		for i := range recs {
			recs[i] = hmis.Exit{ExitID: fmt.Sprintf("x%06d", rng.IntN(1_000_000)*1000+i), EnrollmentID: fmt.Sprint(i)}
		}
		want := slices.Clone(recs)
		slices.SortFunc(want, func(a, b hmis.Exit) int { return strings.Compare(a.ExitID, b.ExitID) })
		got := slices.Clone(recs)
		sortByID(got, id)
		if !slices.Equal(got, want) {
			t.Errorf("sortByID of %d records: not in key order with their fields", n)
		}
		half := n / 3
		a, b := slices.Clone(recs[:half]), slices.Clone(recs[half:])
		sortByID(a, id)
		sortByID(b, id)
		if merged := mergeByID(a, b, id); !slices.Equal(merged, want) {
			t.Errorf("mergeByID of %d and %d records: not in key order", len(a), len(b))
		}
	}
}
