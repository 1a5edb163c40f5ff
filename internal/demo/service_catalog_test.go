package demo_test

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// TestPopulate_ServiceCatalogs: every demo program has a catalog; bed
// nights (4.14) only in night-by-night shelters, which all have one.
func TestPopulate_ServiceCatalogs(t *testing.T) {
	s := storetest.OpenSQLite(t)
	populate(t, s, 0, 1)
	ctx := storetest.Context(t)
	progs, err := s.SetupPrograms(ctx)
	if err != nil || len(progs) == 0 {
		t.Fatalf("programs %d, %v", len(progs), err)
	}
	nbn := 0
	for _, p := range progs {
		cat, err := s.ProgramCatalog(ctx, p.ProjectID)
		if err != nil || len(cat) < 2 {
			t.Fatalf("%s: catalog %+v, %v", p.ProjectName, cat, err)
		}
		beds := 0
		for _, k := range cat {
			if k.RecordType != nil && *k.RecordType == 200 {
				beds++
			}
		}
		isNbN := p.ProjectType != nil && *p.ProjectType == hud.ProjectTypeEmergencyShelterNightByNight
		if isNbN {
			nbn++
		}
		if (beds == 1) != isNbN {
			t.Errorf("%s (type %v): %d bed-night services", p.ProjectName, p.ProjectType, beds)
		}
	}
	if nbn == 0 {
		t.Error("the demo has no night-by-night shelter")
	}
}
