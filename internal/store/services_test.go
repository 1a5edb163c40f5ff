package store_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
	"github.com/hearth-hmis/hearth/internal/transfer"
)

// servicesFixture: a night-by-night shelter (P1) and an entry/exit
// shelter (P2) of org1, each with a catalog; clients c1, c2 (org1) in P1,
// c2 exited; c3 (org2's, not visible to org1) in P1; c1 also in P2 with a
// stay restricted to org1.
type servicesFixture struct {
	notesFixture
	bedNight, meal, p2BedNight, p2Meal string
	today                              hmis.Date
}

func newServicesFixture(t *testing.T, s *store.Store) servicesFixture {
	t.Helper()
	f := servicesFixture{notesFixture: newNotesFixture(t, s), today: hmis.DateOf(time.Now())}
	sys := storetest.Context(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	pt := hud.ProjectType(0)
	must(store.CreateRecord(sys, s, &hmis.Project{ProjectID: "P2", OrganizationID: f.org1, ProjectName: "Hope Family Shelter",
		OperatingStartDate: hmis.MustDate("2020-01-01"), ProjectType: &pt}))
	// c3 is org2's client in org2's program: hidden from org1 (an
	// enrollment in org1's program would let org1 see it: see
	// TestStore_ServedClient).
	must(store.CreateRecord(sys, s, &hmis.Project{ProjectID: "P3", OrganizationID: f.org2, ProjectName: "Safe Harbor Shelter",
		OperatingStartDate: hmis.MustDate("2020-01-01"), ProjectType: &pt}))
	hoh := hud.RelationshipToHoH(1)
	start := f.today.AddDays(-30)
	for _, e := range []hmis.Enrollment{
		{EnrollmentID: "E1", PersonalID: "c1", ProjectID: "P1", EntryDate: start, HouseholdID: "H1", RelationshipToHoH: &hoh},
		{EnrollmentID: "E2", PersonalID: "c2", ProjectID: "P1", EntryDate: start, HouseholdID: "H2", RelationshipToHoH: &hoh},
		{EnrollmentID: "E3", PersonalID: "c3", ProjectID: "P3", EntryDate: start, HouseholdID: "H3", RelationshipToHoH: &hoh},
		{EnrollmentID: "E4", PersonalID: "c1", ProjectID: "P2", EntryDate: start, HouseholdID: "H4", RelationshipToHoH: &hoh},
	} {
		must(store.CreateRecord(sys, s, &e))
	}
	must(store.CreateRecord(sys, s, &hmis.Exit{ExitID: "X2", EnrollmentID: "E2", PersonalID: "c2", ExitDate: f.today.AddDays(-10),
		Destination: new(hud.LivingSituation(101))}))
	must(storetest.Exec(s, `UPDATE enrollments SET restricted_to_org = ? WHERE enrollment_id = 'E4'`, f.org1))
	for _, k := range []struct {
		id      *string
		project string
		e       store.CatalogEntry
	}{
		{&f.bedNight, "P1", store.CatalogEntry{Name: "Bed night", RecordType: new(hud.RecordType(200)), TypeProvided: new(200), Unit: "night"}},
		{&f.meal, "P1", store.CatalogEntry{Name: "Hot meal", Unit: "meal", DefaultAmount: new(hmis.Money(350))}},
		{&f.p2BedNight, "P2", store.CatalogEntry{Name: "Bed night", RecordType: new(hud.RecordType(200)), TypeProvided: new(200), Unit: "night"}},
		{&f.p2Meal, "P2", store.CatalogEntry{Name: "SSVF VA benefits", RecordType: new(hud.RecordType(144)), TypeProvided: new(3),
			SubType: new(2), Unit: "contact"}},
	} {
		k.e.ProjectID, k.e.DefaultUnits, k.e.Active = k.project, 1, true
		must(s.SaveCatalogEntry(sys, &k.e))
		*k.id = k.e.ID
	}
	return f
}

func TestStore_RecordService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newServicesFixture(t, s)
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)

		// A HUD bed night in the night-by-night shelter writes a Services record.
		id, err := s.RecordService(cm1, "c1", store.NewService{EnrollmentID: "E1", CatalogID: f.bedNight, DateProvided: f.today.AddDays(-1)})
		if err != nil {
			t.Fatal(err)
		}
		// The program's own service: no HUD record, the catalog's defaults.
		if _, err := s.RecordService(cm1, "c1", store.NewService{EnrollmentID: "E1", CatalogID: f.meal, DateProvided: f.today,
			Units: 2}); err != nil {
			t.Fatal(err)
		}
		rows, err := s.FindClientServiceRows(cm1, "c1")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].Name != "Hot meal" || rows[0].ServicesID != "" || rows[0].Units != 2 || *rows[0].Amount != 350 ||
			rows[1].ID != id || rows[1].ServicesID == "" || *rows[1].RecordType != 200 || rows[1].ProviderName != "Hope Shelter" {
			t.Errorf("rows %+v", rows)
		}
		hudRows, err := store.FindRecords[hmis.Service](cm1, s, store.RecordFilter{PersonalID: "c1"})
		if err != nil || len(hudRows) != 1 || *hudRows[0].TypeProvided != 200 || hudRows[0].UserID != "u1" {
			t.Errorf("HUD services %+v %v", hudRows, err)
		}

		// Stay rules and the bed-night rule.
		cases := []struct {
			name, pid string
			n         store.NewService
			field     string
		}{
			{"before entry", "c1", store.NewService{EnrollmentID: "E1", CatalogID: f.meal, DateProvided: f.today.AddDays(-31)}, "date_provided"},
			{"future", "c1", store.NewService{EnrollmentID: "E1", CatalogID: f.meal, DateProvided: f.today.AddDays(1)}, "date_provided"},
			{"after exit", "c2", store.NewService{EnrollmentID: "E2", CatalogID: f.meal, DateProvided: f.today.AddDays(-5)}, "date_provided"},
			{"end before date", "c1", store.NewService{EnrollmentID: "E1", CatalogID: f.meal, DateProvided: f.today.AddDays(-3), EndDate: f.today.AddDays(-4)}, "end_date"},
			{"bed night in entry/exit shelter", "c1", store.NewService{EnrollmentID: "E4", CatalogID: f.p2BedNight, DateProvided: f.today}, "catalog_id"},
			{"other program's service", "c1", store.NewService{EnrollmentID: "E1", CatalogID: f.p2Meal, DateProvided: f.today}, "catalog_id"},
			{"another client's enrollment", "c1", store.NewService{EnrollmentID: "E2", CatalogID: f.meal, DateProvided: f.today}, "enrollment_id"},
			{"negative amount", "c1", store.NewService{EnrollmentID: "E1", CatalogID: f.meal, DateProvided: f.today, Amount: new(hmis.Money(-1))}, "amount"},
			{"unknown provider", "c1", store.NewService{EnrollmentID: "E1", CatalogID: f.meal, DateProvided: f.today, ProviderOrg: "nope"}, "provider_org"},
		}
		for _, c := range cases {
			_, err := s.RecordService(cm1, c.pid, c.n)
			wantField(t, c.name, err, c.field)
		}

		// Access: org2's case manager may see c1 (a release) but not change
		// it; c3 is not org1's to see.
		if _, err := s.RecordService(cm2, "c1", store.NewService{EnrollmentID: "E1", CatalogID: f.meal, DateProvided: f.today}); hmis.ErrorCode(err) == "" {
			t.Error("org2 recorded a service for org1's client")
		}
		if _, err := s.RecordService(cm1, "c3", store.NewService{EnrollmentID: "E3", CatalogID: f.meal, DateProvided: f.today}); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("service for a hidden client: %v", err)
		}
		// A service under a restricted enrollment is hidden like it.
		if _, err := s.RecordService(cm1, "c1", store.NewService{EnrollmentID: "E4", CatalogID: f.p2Meal, DateProvided: f.today}); err != nil {
			t.Fatal(err)
		}
		if rows, err := s.FindClientServiceRows(cm1, "c1"); err != nil || len(rows) != 3 {
			t.Errorf("org1 sees %d services, %v", len(rows), err)
		}
		if level, _ := s.ClientAccess(cm2, "c1"); level != access.Visible {
			t.Fatalf("org2's access to c1: %v", level)
		}
		if rows, err := s.FindClientServiceRows(cm2, "c1"); err != nil || len(rows) != 2 {
			t.Errorf("org2 sees %d services (want 2, not the restricted stay's), %v", len(rows), err)
		}

		// Services.csv: the HUD records export through the HMIS CSV export.
		var buf bytes.Buffer
		if _, err := transfer.Export(storetest.Context(t), s, &buf, transfer.ExportOptions{}); err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		var services [][]string
		for _, zf := range zr.File {
			if strings.HasSuffix(zf.Name, "Services.csv") {
				rc, _ := zf.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				services, _ = csv.NewReader(bytes.NewReader(b)).ReadAll()
			}
		}
		if len(services) != 3 { // header, the bed night, the SSVF service
			t.Fatalf("Services.csv: %v", services)
		}
		got := map[string]bool{}
		for _, r := range services[1:] {
			got[r[4]+"/"+r[5]] = true
			if r[4] == "144" && r[8] != "2" { // SubTypeProvided (V2.A)
				t.Errorf("SSVF row without its sub-type: %v", r)
			}
		}
		if !got["200/200"] || !got["144/3"] {
			t.Errorf("Services.csv record types: %v", services)
		}
	})
}

func TestStore_RecordRoster(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newServicesFixture(t, s)
		cm1 := hmis.NewContext(t.Context(), f.cm1)

		// The roster on a date: active enrollments the user may see.
		roster, err := s.ProgramRoster(cm1, "P1", f.today)
		if err != nil {
			t.Fatal(err)
		}
		if len(roster) != 1 || roster[0].EnrollmentID != "E1" {
			t.Errorf("roster today %+v", roster)
		}
		roster, _ = s.ProgramRoster(cm1, "P1", f.today.AddDays(-20))
		if len(roster) != 2 {
			t.Errorf("roster 20 days ago: %+v", roster)
		}

		// All or none: E2 exited before the date, E3 is hidden.
		_, err = s.RecordRoster(cm1, store.RosterService{ProjectID: "P1", EnrollmentIDs: []string{"E1", "E2", "E3"},
			NewService: store.NewService{CatalogID: f.bedNight, DateProvided: f.today.AddDays(-2)}})
		wantField(t, "exited", err, store.RosterFieldPrefix+"E2")
		wantField(t, "hidden", err, store.RosterFieldPrefix+"E3")
		if n, _ := store.CountRecords[hmis.Service](storetest.Context(t), s, store.RecordFilter{}); n != 0 {
			t.Errorf("%d services after a refused roster", n)
		}
		n, err := s.RecordRoster(cm1, store.RosterService{ProjectID: "P1", EnrollmentIDs: []string{"E1", "E2"},
			NewService: store.NewService{CatalogID: f.bedNight, DateProvided: f.today.AddDays(-15)}})
		if err != nil || n != 2 {
			t.Fatalf("roster: %d, %v", n, err)
		}
		if c, _ := store.CountRecords[hmis.Service](storetest.Context(t), s, store.RecordFilter{ProjectID: ""}); c != 2 {
			t.Errorf("%d HUD services after the roster", c)
		}
		entries, err := s.FindAudit(storetest.Context(t), store.AuditFilter{Action: "service.add", Limit: 100})
		if err != nil || len(entries) != 2 {
			t.Errorf("audit: %d entries, %v", len(entries), err)
		}
		_, err = s.RecordRoster(cm1, store.RosterService{ProjectID: "P1", NewService: store.NewService{CatalogID: f.meal, DateProvided: f.today}})
		wantField(t, "nobody", err, "enrollments")
	})
}

func TestStore_RemoveService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newServicesFixture(t, s)
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)
		sys := storetest.Context(t)
		bed, err := s.RecordService(cm1, "c1", store.NewService{EnrollmentID: "E1", CatalogID: f.bedNight, DateProvided: f.today})
		if err != nil {
			t.Fatal(err)
		}
		meal, err := s.RecordService(cm1, "c1", store.NewService{EnrollmentID: "E1", CatalogID: f.meal, DateProvided: f.today})
		if err != nil {
			t.Fatal(err)
		}
		imported := hmis.Service{EnrollmentID: "E1", PersonalID: "c1", DateProvided: f.today, RecordType: new(hud.RecordType(200)), TypeProvided: new(200)}
		if err := store.CreateRecord(sys, s, &imported); err != nil {
			t.Fatal(err)
		}
		// Org2 sees c1 by a release but may not change it; c3's is not found.
		if err := s.RemoveService(cm2, "c1", bed); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("org2 removes: %v", err)
		}
		if err := s.RemoveService(cm1, "c2", bed); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("another client's service: %v", err)
		}
		for _, id := range []string{bed, meal, imported.ServicesID} {
			if err := s.RemoveService(cm1, "c1", id); err != nil {
				t.Fatalf("remove %s: %v", id, err)
			}
		}
		if err := s.RemoveService(cm1, "c1", meal); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("removed twice: %v", err)
		}
		if rows, err := s.FindClientServiceRows(cm1, "c1"); err != nil || len(rows) != 0 {
			t.Errorf("after removal: %+v %v", rows, err)
		}
		if n, _ := store.CountRecords[hmis.Service](sys, s, store.RecordFilter{PersonalID: "c1", IncludeDeleted: true}); n != 2 {
			t.Errorf("HUD records kept soft-deleted: %d", n)
		}
		if e, _ := s.FindAudit(sys, store.AuditFilter{Action: "service.remove"}); len(e) != 3 {
			t.Errorf("%d removals audited", len(e))
		}
	})
}
