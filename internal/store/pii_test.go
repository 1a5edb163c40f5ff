package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/search"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// TestStore_AccountPIIOverrides: an account's own setting for a PII
// permission wins over its role's rule (allow and deny), inherit goes back
// to the rule, only the account's administrators change it, and each
// change is audited (old -> new, no PII).
func TestStore_AccountPIIOverrides(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		for _, o := range []string{"A", "B"} {
			if err := store.CreateRecord(ctx, s, &hmis.Organization{OrganizationID: o, OrganizationName: o}); err != nil {
				t.Fatal(err)
			}
		}
		c := searchClient("pv1", "Dorothy", "Vaughan", "1910-09-20", "224567891")
		if err := store.CreateRecord(ctx, s, &c); err != nil {
			t.Fatal(err)
		}
		if err := storetest.Exec(s, `UPDATE clients SET organization_id = 'A' WHERE personal_id = 'pv1'`); err != nil {
			t.Fatal(err)
		}
		mk := func(name, org string, role hmis.Role) (hmis.Account, context.Context) {
			a, err := s.CreateAccount(ctx, hmis.Account{Username: name, Role: role, OrganizationID: org}, "hash")
			if err != nil {
				t.Fatal(err)
			}
			return a, hmis.NewContext(t.Context(), hmis.Actor{AccountID: a.ID, Username: name, OrganizationID: org, Role: role, Via: "test"})
		}
		ro, roCtx := mk("reader", "A", hmis.RoleReadOnly)
		cm, cmCtx := mk("casey", "A", hmis.RoleCaseManager)
		_, oaCtx := mk("orgadmin", "A", hmis.RoleOrgAdmin)
		_, oaBCtx := mk("orgadminb", "B", hmis.RoleOrgAdmin)

		grants := func(ctx context.Context) store.PIIGrants {
			t.Helper()
			g, err := s.MyPIIGrants(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		// The role defaults: read-only sees DOB and photo, not the full SSN.
		if g := grants(roCtx); g[access.PIIFullSSN] || !g[access.PIIDOB] || !g[access.PIIPhoto] || g[access.PIISensitive] {
			t.Errorf("read-only defaults %v", g)
		}
		if g := grants(cmCtx); !g[access.PIIFullSSN] || !g[access.PIIDOB] || !g[access.PIIPhoto] || !g[access.PIISensitive] {
			t.Errorf("case manager defaults %v", g)
		}
		// Allow the full SSN to one read-only account; deny DOB to one case manager.
		if err := s.SetAccountPIIOverride(oaCtx, ro.ID, access.PIIFullSSN, access.PIIAllow); err != nil {
			t.Fatal(err)
		}
		if err := s.SetAccountPIIOverride(ctx, cm.ID, access.PIIDOB, access.PIIDeny); err != nil {
			t.Fatal(err)
		}
		if got, err := s.RevealSSN(roCtx, "pv1"); err != nil || got != "224567891" {
			t.Errorf("read-only allowed: %q %v", got, err)
		}
		if g := grants(cmCtx); g[access.PIIDOB] || !g[access.PIIFullSSN] {
			t.Errorf("case manager denied DOB %v", g)
		}
		// The role's rule changing does not undo an account's allow or deny.
		if _, err := s.SetPIIRole(ctx, access.PIIFullSSN, hmis.RoleReadOnly, false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetPIIRole(ctx, access.PIIDOB, hmis.RoleCaseManager, true); err != nil {
			t.Fatal(err)
		}
		if g := grants(roCtx); !g[access.PIIFullSSN] {
			t.Error("the allow was lost")
		}
		if g := grants(cmCtx); g[access.PIIDOB] {
			t.Error("the deny was lost")
		}
		got, err := s.AccountPIIOverrides(ctx, cm.ID)
		if err != nil || len(got) != 1 || got[access.PIIDOB] != access.PIIDeny {
			t.Errorf("overrides %v %v", got, err)
		}
		// Inherit: back to the role's rule.
		if err := s.SetAccountPIIOverride(ctx, ro.ID, access.PIIFullSSN, access.PIIInherit); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RevealSSN(roCtx, "pv1"); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("read-only back to the rule: %v", err)
		}
		// Who may change it: not a case manager, not another organization's administrator.
		if err := s.SetAccountPIIOverride(cmCtx, ro.ID, access.PIIDOB, access.PIIDeny); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("case manager: %v", err)
		}
		if err := s.SetAccountPIIOverride(oaBCtx, ro.ID, access.PIIDOB, access.PIIDeny); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("organization B's administrator: %v", err)
		}
		if err := s.SetAccountPIIOverride(ctx, ro.ID, "eyes", access.PIIDeny); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Errorf("unknown permission: %v", err)
		}
		if err := s.SetAccountPIIOverride(ctx, ro.ID, access.PIIDOB, "maybe"); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Errorf("unknown override: %v", err)
		}
		if err := s.SetAccountPIIOverride(context.Background(), ro.ID, access.PIIDOB, access.PIIDeny); err == nil {
			t.Error("no actor")
		}
		// Administrators hold everything, whatever an override says.
		if g := grants(ctx); !g[access.PIIFullSSN] || !g[access.PIIDOB] || !g[access.PIIPhoto] || !g[access.PIISensitive] {
			t.Errorf("administrator %v", g)
		}
		rows, err := s.FindAudit(ctx, store.AuditFilter{Action: "account.pii"})
		if err != nil || len(rows) != 3 {
			t.Fatalf("%d account.pii rows (%v), want 3", len(rows), err)
		}
		want := map[string]bool{"full_ssn inherit -> allow": true, "dob inherit -> deny": true, "full_ssn allow -> inherit": true}
		for _, r := range rows {
			if !want[r.Detail] {
				t.Errorf("audit detail %q", r.Detail)
			}
			if strings.Contains(r.Detail, "4567") {
				t.Error("PII in the audit")
			}
		}
	})
}

// TestStore_SearchDOBWithoutPermission: without the DOB permission, a
// date of birth in a search counts by its year only: the right date and
// a wrong date of the same year give the same results, scores and
// reasons, so probing dates tells no more than the year. With the
// permission the right date ranks higher.
func TestStore_SearchDOBWithoutPermission(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		if err := store.CreateRecord(ctx, s, &hmis.Organization{OrganizationID: "A", OrganizationName: "A"}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []hmis.Client{
			searchClient("dv1", "Dorothy", "Vaughan", "1910-09-20", ""),
			searchClient("dv2", "Dorothea", "Vaughan", "1910-03-02", ""),
			searchClient("dv3", "Doris", "Vaughan", "1955-01-01", ""),
		} {
			if err := store.CreateRecord(ctx, s, &c); err != nil {
				t.Fatal(err)
			}
		}
		if err := storetest.Exec(s, `UPDATE clients SET organization_id = 'A'`); err != nil {
			t.Fatal(err)
		}
		a, err := s.CreateAccount(ctx, hmis.Account{Username: "nodob", Role: hmis.RoleCaseManager, OrganizationID: "A"}, "hash")
		if err != nil {
			t.Fatal(err)
		}
		as := hmis.NewContext(t.Context(), hmis.Actor{AccountID: a.ID, Username: "nodob", OrganizationID: "A", Role: hmis.RoleCaseManager, Via: "test"})
		run := func(ctx context.Context, dob string) string {
			t.Helper()
			ms, err := s.SearchClients(ctx, search.Query{Last: "Vaughan", DOB: hmis.MustDate(dob)}, 10)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, m := range ms {
				fmt.Fprintf(&b, "%s %.4f %s\n", m.PersonalID, m.Score, m.Reason)
			}
			return b.String()
		}
		right, wrong := run(as, "1910-09-20"), run(as, "1910-12-31")
		if right == wrong {
			t.Fatalf("with the permission, the right and a wrong date rank alike:\n%s", right)
		}
		if err := s.SetAccountPIIOverride(ctx, a.ID, access.PIIDOB, access.PIIDeny); err != nil {
			t.Fatal(err)
		}
		right, wrong = run(as, "1910-09-20"), run(as, "1910-12-31")
		if right != wrong {
			t.Errorf("without the permission, the right date tells more than the year:\nright:\n%swrong:\n%s", right, wrong)
		}
		if !strings.HasPrefix(right, "dv") || strings.Contains(right, "09/20") || strings.Contains(right, "09-20") {
			t.Errorf("results %q", right)
		}
	})
}
