package store_test

import (
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func TestStore_ClientFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newNotesFixture(t, s) // c1 (org1, shared read-only with org2), c2 (org1), c3 (org2)
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)
		admin := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "a9", Username: "root", Role: hmis.RoleAdmin, Via: "test"})

		defs, err := s.ClientFieldDefs(cm1, false)
		if err != nil || len(defs) != 3 || defs[0].ID != "limited_english" || defs[1].Kind != store.FieldChoice || len(defs[1].Choices) != 6 {
			t.Fatalf("default fields = %+v, %v", defs, err)
		}
		// Only administrators configure; bad definitions name the field.
		if err := s.SaveClientFieldDef(cm1, store.ClientFieldDef{ID: "x", Label: "X", Kind: store.FieldText, Active: true}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("case manager config: %v", err)
		}
		err = s.SaveClientFieldDef(admin, store.ClientFieldDef{ID: "Bad ID", Label: "", Kind: store.FieldChoice, Choices: []string{"one"}})
		if e, ok := err.(*hmis.Error); !ok || e.Fields["id"] == "" || e.Fields["label"] == "" || e.Fields["choices"] == "" {
			t.Errorf("bad definition: %v", err)
		}
		if err := s.SaveClientFieldDef(admin, store.ClientFieldDef{ID: "pets", Label: "Pets", Kind: store.FieldText, Position: 4, Active: true}); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveClientFieldDef(admin, store.ClientFieldDef{ID: "pets", Label: "Pets", Kind: store.FieldYesNo, Active: true}); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Errorf("kind change: %v", err)
		}

		// Values: refused one by one, kept together.
		err = s.SetClientFieldValues(cm1, "c1", map[string]string{"limited_english": "maybe", "marital_status": "Married",
			"pets": strings.Repeat("x", store.MaxClientFieldValue+1)})
		if e, ok := err.(*hmis.Error); !ok || e.Fields["field_limited_english"] == "" || e.Fields["field_pets"] == "" || e.Fields["field_marital_status"] != "" {
			t.Fatalf("bad values: %v", err)
		}
		if v, _ := s.ClientFieldValues(cm1, "c1"); len(v) != 0 {
			t.Errorf("a refused save wrote %v", v)
		}
		if err := s.SetClientFieldValues(cm1, "c1", map[string]string{"limited_english": "yes", "marital_status": "Married", "pets": "a cat"}); err != nil {
			t.Fatal(err)
		}
		// The release's organization reads them, may not change them; a hidden client is not found.
		if v, err := s.ClientFieldValues(cm2, "c1"); err != nil || v["marital_status"] != "Married" || v["pets"] != "a cat" {
			t.Errorf("shared read = %v, %v", v, err)
		}
		if err := s.SetClientFieldValues(cm2, "c1", map[string]string{"pets": "a dog"}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("shared change: %v", err)
		}
		if _, err := s.ClientFieldValues(cm1, "c3"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("hidden client: %v", err)
		}
		// Clearing one leaves the others.
		if err := s.SetClientFieldValues(cm1, "c1", map[string]string{"pets": ""}); err != nil {
			t.Fatal(err)
		}
		if v, _ := s.ClientFieldValues(cm1, "c1"); len(v) != 2 || v["pets"] != "" {
			t.Errorf("after clearing = %v", v)
		}
		es, err := s.FindAudit(storetest.Context(t), store.AuditFilter{Entity: "client", EntityID: "c1", Action: "update"})
		if err != nil || len(es) != 2 || es[1].Detail != "fields: Limited English proficiency, Marital status, Pets" || strings.Contains(es[0].Detail, "cat") {
			t.Errorf("audit = %+v, %v", es, err)
		}
	})
}
