package store_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
	"github.com/hearth-hmis/hearth/internal/transfer"
)

// exportedServices returns Services.csv's RecordType/TypeProvided/
// DateProvided of the HMIS CSV export, without the header.
func exportedServices(t *testing.T, s *store.Store) []string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := transfer.Export(storetest.Context(t), s, &buf, transfer.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, zf := range zr.File {
		if !strings.HasSuffix(zf.Name, "Services.csv") {
			continue
		}
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		rows, _ := csv.NewReader(bytes.NewReader(b)).ReadAll()
		for _, r := range rows[1:] {
			out = append(out, r[4]+"/"+r[5]+"/"+r[3])
		}
	}
	return out
}

func TestStore_UpdateService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newServicesFixture(t, s)
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)
		sys := storetest.Context(t)
		// Two more entries of P2's catalog: a HUD SSVF case management
		// (144/2) and the program's own bus pass.
		cm := store.CatalogEntry{ProjectID: "P2", Name: "Case management", RecordType: new(hud.RecordType(144)), TypeProvided: new(2),
			Unit: "contact", DefaultUnits: 1, Active: true}
		bus := store.CatalogEntry{ProjectID: "P2", Name: "Bus pass", Unit: "pass", DefaultUnits: 1, Active: true}
		for _, k := range []*store.CatalogEntry{&cm, &bus} {
			if err := s.SaveCatalogEntry(sys, k); err != nil {
				t.Fatal(err)
			}
		}
		id, err := s.RecordService(cm1, "c1", store.NewService{EnrollmentID: "E4", CatalogID: f.p2Meal, DateProvided: f.today.AddDays(-2)})
		if err != nil {
			t.Fatal(err)
		}
		row := func(id string) store.ServiceRow {
			t.Helper()
			rows, err := s.FindClientServiceRows(cm1, "c1")
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if r.ID == id {
					return r
				}
			}
			t.Fatalf("service %s not listed", id)
			return store.ServiceRow{}
		}
		v := row(id)
		if v.Version.IsZero() || v.CatalogID != f.p2Meal || v.Units != 1 {
			t.Fatalf("the row %+v", v)
		}
		ch := store.ServiceChange{CatalogID: cm.ID, DateProvided: f.today.AddDays(-3), Units: 3, Amount: new(hmis.Money(1250)),
			Note: "Called the VA office", Version: v.Version}

		// Access: org2 sees c1 by a release but may not change it; c2's
		// list has no such service.
		if err := s.UpdateService(cm2, "c1", id, ch); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("org2 edits: %v", err)
		}
		if err := s.UpdateService(cm1, "c2", id, ch); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("edit through another client: %v", err)
		}
		// Validation by field, as when recording.
		for _, c := range []struct {
			name  string
			edit  func(*store.ServiceChange)
			field string
		}{
			{"future", func(c *store.ServiceChange) { c.DateProvided = f.today.AddDays(1) }, "date_provided"},
			{"before entry", func(c *store.ServiceChange) { c.DateProvided = f.today.AddDays(-40) }, "date_provided"},
			{"end before date", func(c *store.ServiceChange) { c.EndDate = f.today.AddDays(-4) }, "end_date"},
			{"negative amount", func(c *store.ServiceChange) { c.Amount = new(hmis.Money(-5)) }, "amount"},
			{"long note", func(c *store.ServiceChange) { c.Note = strings.Repeat("x", store.MaxServiceNote+1) }, "note"},
			{"other program's service", func(c *store.ServiceChange) { c.CatalogID = f.meal }, "catalog_id"},
			{"bed night in entry/exit", func(c *store.ServiceChange) { c.CatalogID = f.p2BedNight }, "catalog_id"},
			{"unknown provider", func(c *store.ServiceChange) { c.ProviderOrg = "nope" }, "provider_org"},
		} {
			bad := ch
			c.edit(&bad)
			wantField(t, c.name, s.UpdateService(cm1, "c1", id, bad), c.field)
		}
		if got := exportedServices(t, s); len(got) != 1 || got[0] != "144/3/"+f.today.AddDays(-2).String() {
			t.Errorf("Services.csv before the edit: %v", got)
		}
		if err := s.UpdateService(cm1, "c1", id, ch); err != nil {
			t.Fatal(err)
		}
		v2 := row(id)
		if v2.Name != "Case management" || v2.Units != 3 || *v2.Amount != 1250 || v2.Note != "Called the VA office" ||
			v2.DateProvided != f.today.AddDays(-3) || *v2.TypeProvided != 2 || v2.ServicesID != v.ServicesID || !v2.Version.After(v.Version) {
			t.Errorf("after the edit %+v", v2)
		}
		// The HUD record follows: Services.csv shows the new TypeProvided and date.
		if got := exportedServices(t, s); len(got) != 1 || got[0] != "144/2/"+f.today.AddDays(-3).String() {
			t.Errorf("Services.csv after the edit: %v", got)
		}
		hud1, err := store.FindRecords[hmis.Service](sys, s, store.RecordFilter{PersonalID: "c1"})
		if err != nil || len(hud1) != 1 || hud1[0].SubTypeProvided != nil {
			t.Errorf("HUD record %+v %v", hud1, err)
		}
		// A stale edit (the version read before the edit) is refused.
		ch.Units = 4
		if err := s.UpdateService(cm1, "c1", id, ch); hmis.ErrorCode(err) != hmis.ECONFLICT {
			t.Errorf("stale edit: %v", err)
		}
		if row(id).Units != 3 {
			t.Error("the stale edit was saved")
		}
		// Becoming the program's own service deletes the HUD record;
		// a program's own service becoming a HUD one gains one.
		if err := s.UpdateService(cm1, "c1", id, store.ServiceChange{CatalogID: bus.ID, DateProvided: f.today, Version: v2.Version}); err != nil {
			t.Fatal(err)
		}
		if v3 := row(id); v3.ServicesID != "" || v3.Units != 1 || v3.Amount != nil || v3.Note != "" {
			t.Errorf("own service %+v", v3)
		}
		meal, err := s.RecordService(cm1, "c1", store.NewService{EnrollmentID: "E1", CatalogID: f.meal, DateProvided: f.today})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateService(cm1, "c1", meal, store.ServiceChange{CatalogID: f.bedNight, DateProvided: f.today.AddDays(-1)}); err != nil {
			t.Fatal(err)
		}
		if got := exportedServices(t, s); len(got) != 1 || got[0] != "200/200/"+f.today.AddDays(-1).String() {
			t.Errorf("Services.csv after the own/HUD swaps: %v", got)
		}
		es, err := s.FindAudit(sys, store.AuditFilter{Action: "service.update"})
		if err != nil || len(es) != 3 {
			t.Fatalf("%d edits audited, %v", len(es), err)
		}
		var details []string
		for _, e := range es {
			details = append(details, e.Detail)
			if strings.Contains(e.Detail, "VA office") {
				t.Errorf("the note's words are in the audit: %s", e.Detail)
			}
		}
		all := strings.Join(details, "\n")
		for _, want := range []string{"units 1 → 3", "amount - → 12.50", "note", "TypeProvided 3", "deleted", "created"} {
			if !strings.Contains(all, want) {
				t.Errorf("audit lacks %q: %s", want, all)
			}
		}
	})
}
