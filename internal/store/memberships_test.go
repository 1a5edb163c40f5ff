package store_test

import (
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func TestStore_Memberships(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sys := storetest.Context(t)
		org1, org2 := storetest.MustOrganization(t, s, "One"), storetest.MustOrganization(t, s, "Two")
		a, err := s.CreateAccount(sys, hmis.Account{Username: "multi", Role: hmis.RoleCaseManager, OrganizationID: org1}, "hash")
		if err != nil {
			t.Fatal(err)
		}
		cm := hmis.NewContext(t.Context(), a.Actor("test"))
		if err := s.AddAccountOrganization(cm, a.ID, org2); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("a case manager adds themselves: %v", err)
		}
		if err := s.AddAccountOrganization(sys, a.ID, org2); err != nil {
			t.Fatal(err)
		}
		if orgs, err := s.AccountOrganizations(sys, a.ID); err != nil || len(orgs) != 2 || orgs[0].OrganizationID != org1 || orgs[1].OrganizationID != org2 ||
			orgs[0].Name != "One" || orgs[1].Name != "Two" {
			t.Fatalf("organizations = %v, %v", orgs, err)
		}
		if _, err := s.CreateSession(sys, "tok", a.ID, "127.0.0.1", "test", time.Hour); err != nil {
			t.Fatal(err)
		}
		sid := store.SessionID("tok")
		if err := s.SetActingOrganization(cm, sid, "nope"); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Errorf("acting for a stranger organization: %v", err)
		}
		if err := s.SetActingOrganization(cm, sid, org2); err != nil {
			t.Fatal(err)
		}
		st, err := s.TouchSessionState(sys, "tok", time.Hour)
		if err != nil || st.Account.OrganizationID != org2 || st.HomeOrganizationID != org1 {
			t.Fatalf("acting = %+v, %v", st, err)
		}
		if err := s.RemoveAccountOrganization(sys, a.ID, org2); err != nil {
			t.Fatal(err)
		}
		if st, err := s.TouchSessionState(sys, "tok", time.Hour); err != nil || st.Account.OrganizationID != org1 {
			t.Fatalf("after removal = %+v, %v", st, err)
		}
		if orgs, err := s.AccountOrganizations(sys, a.ID); err != nil || len(orgs) != 1 || orgs[0].Name != "One" {
			t.Errorf("after removal = %v, %v", orgs, err)
		}
	})
}
