package store_test

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func TestStore_Families(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newNotesFixture(t, s) // c1 (org1, shared with org2 by release), c2 (org1), c3 (org2)
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)
		field := func(err error) string {
			t.Helper()
			if e, ok := err.(*hmis.Error); ok && e.Code == hmis.EINVALID {
				for k := range e.Fields {
					return k
				}
			}
			t.Fatalf("want a field error, got %v", err)
			return ""
		}

		g, err := s.ClientFamilyGroup(cm1, "c1")
		if err != nil || g.ID != "" || len(g.Members) != 0 {
			t.Fatalf("no family yet = %+v, %v", g, err)
		}
		// c3 belongs to org2 and is restricted: org1 may not add it.
		if got := field(s.AddFamilyMember(cm1, "c1", "c3", hud.RelationshipToHoHChild)); got != "member" {
			t.Errorf("hidden member: field %s", got)
		}
		if got := field(s.AddFamilyMember(cm1, "c1", "c2", hud.RelationshipToHoHSelf)); got != "relationship" {
			t.Errorf("second head: field %s", got)
		}
		if got := field(s.AddFamilyMember(cm1, "c1", "c2", 99)); got != "relationship" {
			t.Errorf("99: field %s", got)
		}
		// The release's organization may read c1, not change its family.
		if err := s.AddFamilyMember(cm2, "c1", "c3", hud.RelationshipToHoHChild); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("shared organization's change: %v", err)
		}
		if err := s.AddFamilyMember(cm1, "c1", "c2", hud.RelationshipToHoHChild); err != nil {
			t.Fatal(err)
		}
		g, err = s.ClientFamilyGroup(cm1, "c2")
		if err != nil || g.ID == "" || len(g.Members) != 2 || g.Members[0].PersonalID != "c1" || !g.Members[0].Head() ||
			g.Members[1].PersonalID != "c2" || !g.Members[1].Self || g.Members[1].Relationship != hud.RelationshipToHoHChild {
			t.Fatalf("family = %+v, %v", g, err)
		}
		if got := field(s.AddFamilyMember(cm1, "c2", "c1", hud.RelationshipToHoHChild)); got != "member" {
			t.Errorf("already in: field %s", got)
		}
		// org2 sees c1 (release) but not c2: c2 is counted, never named.
		g, err = s.ClientFamilyGroup(cm2, "c1")
		if err != nil || len(g.Members) != 1 || g.Members[0].PersonalID != "c1" || g.Hidden != 1 {
			t.Fatalf("shared view = %+v, %v", g, err)
		}
		if _, err := s.ClientFamilyGroup(cm2, "c2"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("hidden client's family: %v", err)
		}
		// Relationships; the head changes only through MakeFamilyHead.
		if err := s.SetFamilyRelationship(cm1, "c1", "c2", hud.RelationshipToHoHSpouseOrPartner); err != nil {
			t.Fatal(err)
		}
		if got := field(s.SetFamilyRelationship(cm1, "c1", "c2", hud.RelationshipToHoHSelf)); got != "relationship" {
			t.Errorf("relationship to head: field %s", got)
		}
		if got := field(s.RemoveFamilyMember(cm1, "c1", "c1")); got != "member" {
			t.Errorf("removing the head of two: field %s", got)
		}
		if err := s.MakeFamilyHead(cm1, "c1", "c2", hud.RelationshipToHoHSpouseOrPartner); err != nil {
			t.Fatal(err)
		}
		g, _ = s.ClientFamilyGroup(cm1, "c1")
		if len(g.Members) != 2 || g.Members[0].PersonalID != "c2" || !g.Members[0].Head() ||
			g.Members[1].Relationship != hud.RelationshipToHoHSpouseOrPartner {
			t.Fatalf("after new head = %+v", g)
		}
		if err := s.RemoveFamilyMember(cm1, "c2", "c1"); err != nil {
			t.Fatal(err)
		}
		if g, _ := s.ClientFamilyGroup(cm1, "c1"); g.ID != "" {
			t.Errorf("removed member still in a family: %+v", g)
		}
		if g, _ := s.ClientFamilyGroup(cm1, "c2"); len(g.Members) != 1 || !g.Members[0].Head() {
			t.Errorf("family after removal = %+v", g)
		}
		// Removed, c1 may join another family, here c2's again.
		if err := s.AddFamilyMember(cm1, "c2", "c1", hud.RelationshipToHoHOtherRelative); err != nil {
			t.Fatal(err)
		}
		es, err := s.FindAudit(storetest.Context(t), store.AuditFilter{Entity: "client", EntityID: "c1", Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]int{}
		for _, e := range es {
			actions[e.Action]++
		}
		if actions["family.add"] != 2 || actions["family.remove"] != 1 || actions["family.update"] < 2 {
			t.Errorf("audit = %v", actions)
		}
	})
}
