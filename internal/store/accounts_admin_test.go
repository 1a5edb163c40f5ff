package store_test

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func TestStore_UpdateAccountAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sys := storetest.Context(t)
		org1, org2 := storetest.MustOrganization(t, s, "One"), storetest.MustOrganization(t, s, "Two")
		mk := func(name string, role hmis.Role, org string) hmis.Account {
			a, err := s.CreateAccount(sys, hmis.Account{Username: name, Role: role, OrganizationID: org}, "hash")
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		cm := mk("cm", hmis.RoleCaseManager, org1)
		cm2 := mk("cm2", hmis.RoleCaseManager, org2)
		oa := mk("oa", hmis.RoleOrgAdmin, org1)
		ad := mk("ad", hmis.RoleAdmin, org1)
		as := func(a hmis.Account) hmis.Actor {
			return hmis.Actor{AccountID: a.ID, Username: a.Username, Role: a.Role, OrganizationID: a.OrganizationID, Via: "test"}
		}
		orgAdmin := hmis.NewContext(t.Context(), as(oa))
		admin := hmis.NewContext(t.Context(), as(ad))
		caseMgr := hmis.NewContext(t.Context(), as(cm))

		if _, err := s.UpdateAccountAccess(caseMgr, cm2.ID, store.AccountAccess{Role: hmis.RoleReadOnly, OrganizationID: org2}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("case manager: %v", err)
		}
		// An organization administrator manages their own organization only, below admin.
		if _, err := s.UpdateAccountAccess(orgAdmin, cm2.ID, store.AccountAccess{Role: hmis.RoleReadOnly, OrganizationID: org2}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("org admin, other organization: %v", err)
		}
		if _, err := s.UpdateAccountAccess(orgAdmin, cm.ID, store.AccountAccess{Role: hmis.RoleAdmin, OrganizationID: org1}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("org admin makes an admin: %v", err)
		}
		if _, err := s.UpdateAccountAccess(orgAdmin, cm.ID, store.AccountAccess{Role: hmis.RoleReadOnly, OrganizationID: org2}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("org admin moves a user out: %v", err)
		}
		if got, err := s.UpdateAccountAccess(orgAdmin, cm.ID, store.AccountAccess{Role: hmis.RoleReadOnly, OrganizationID: org1}); err != nil || got.Role != hmis.RoleReadOnly {
			t.Fatalf("org admin, own organization: %+v, %v", got, err)
		}
		if _, err := s.UpdateAccountAccess(admin, cm.ID, store.AccountAccess{Role: hmis.RoleReadOnly, OrganizationID: "nope"}); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Errorf("missing organization: %v", err)
		}
		if _, err := s.UpdateAccountAccess(admin, ad.ID, store.AccountAccess{Role: hmis.RoleAdmin, OrganizationID: org1, Disabled: true}); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Errorf("self-disable: %v", err)
		}
		// Disabling signs out.
		if _, err := s.CreateSession(sys, "tok-cm2", cm2.ID, "127.0.0.1", "test", 3600e9); err != nil {
			t.Fatal(err)
		}
		got, err := s.UpdateAccountAccess(admin, cm2.ID, store.AccountAccess{Role: hmis.RoleCaseManager, OrganizationID: org1, Disabled: true})
		if err != nil || !got.Disabled || got.OrganizationID != org1 {
			t.Fatalf("admin change = %+v, %v", got, err)
		}
		if ss, err := s.FindSessions(sys, cm2.ID); err != nil || len(ss) != 0 {
			t.Errorf("sessions after disable = %+v, %v", ss, err)
		}
		es, err := s.FindAudit(sys, store.AuditFilter{Action: "account.access"})
		if err != nil || len(es) != 2 || es[0].Detail != "organization "+org2+" -> "+org1+", disabled" {
			t.Errorf("audit = %+v, %v", es, err)
		}
	})
}
