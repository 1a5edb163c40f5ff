package transfer

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
)

// TestMapRecord_EveryIDColumn fills every *ID string field of every record
// type of a Dataset and checks the generated mapping: each ID becomes
// store.SourceRecordID of the kind it refers to, ExportID is cleared, and
// Funder.GrantID (a grant number) is kept.
func TestMapRecord_EveryIDColumn(t *testing.T) {
	m := idMapper{key: "src/one"}
	kinds := map[string]string{ // column → kind, where the kind is not the file itself
		"PersonalID": "Client", "ProjectID": "Project", "ResProjectID": "Project",
		"OrganizationID": "Organization", "UserID": "User", "EnrollmentID": "Enrollment",
		"HouseholdID": "Household", "AssessmentID": "Assessment",
	}
	ds := reflect.TypeOf(hmis.Dataset{})
	seen := 0
	for i := 0; i < ds.NumField(); i++ {
		f := ds.Field(i)
		if f.Type.Kind() != reflect.Slice {
			continue // Export: not mapped
		}
		rt := f.Type.Elem()
		rec := reflect.New(rt)
		var own string // the primary key is the first field
		for j := 0; j < rt.NumField(); j++ {
			sf := rt.Field(j)
			if sf.Type.Kind() == reflect.String && strings.HasSuffix(sf.Name, "ID") {
				rec.Elem().Field(j).SetString("v" + sf.Name)
				if j == 0 {
					own = sf.Name
				}
			}
		}
		if own == "" {
			t.Fatalf("%s: first field is not an ID", rt.Name())
		}
		m.mapRecord(rec.Interface())
		for j := 0; j < rt.NumField(); j++ {
			sf := rt.Field(j)
			if sf.Type.Kind() != reflect.String || !strings.HasSuffix(sf.Name, "ID") {
				continue
			}
			got := rec.Elem().Field(j).String()
			var want string
			switch {
			case sf.Name == "ExportID":
				want = ""
			case sf.Name == "GrantID":
				want = "vGrantID"
			case j == 0:
				// A primary key's kind is its own file; the Dataset's
				// fields follow HUD's file order.
				want = store.SourceRecordID(m.key, hud.FY2026.Files[i].Name, "v"+sf.Name)
			default:
				want = store.SourceRecordID(m.key, kinds[sf.Name], "v"+sf.Name)
			}
			if j > 0 && kinds[sf.Name] == "" && sf.Name != "ExportID" && sf.Name != "GrantID" {
				t.Errorf("%s.%s: an ID column this test does not know", rt.Name(), sf.Name)
			}
			if got != want {
				t.Errorf("%s.%s = %q, want %q", rt.Name(), sf.Name, got, want)
			}
		}
		seen++
	}
	if seen != 23 {
		t.Errorf("checked %d record types, want 23", seen)
	}
}
