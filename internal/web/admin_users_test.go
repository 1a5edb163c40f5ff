package web

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func TestUsersAdmin(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	ctx := storetest.Context(t)

	cm := a.browser(t)
	cm.signIn("live", "casey")
	if res := cm.get("/live/admin/users"); res.Status != http.StatusNotFound {
		t.Errorf("case manager: %d", res.Status)
	}

	ad := a.browser(t)
	ad.signIn("live", "admin")
	res := ad.get("/live/admin/users")
	if res.Status != http.StatusOK {
		t.Fatalf("users: %d\n%s", res.Status, res.Body)
	}
	wantContains(t, "users", res.Body, "casey", "other", "Add a user", "Two-factor sign-in")

	// A bad add keeps what was typed.
	res = ad.post("/live/admin/users", url.Values{"username": {"casey"}, "first_name": {"Dup"}, "organization": {"ORG1"}, "role": {"case_manager"}})
	if res.Status != http.StatusConflict && res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("taken username: %d", res.Status)
	}
	wantContains(t, "taken", res.Body, "That username is taken", `value="Dup"`)
	res = ad.post("/live/admin/users", url.Values{"username": {"newcm"}, "first_name": {"Nia"}, "last_name": {"Newman"},
		"organization": {"ORG1"}, "role": {"read_only"}})
	if res.Status != http.StatusCreated {
		t.Fatalf("add: %d\n%s", res.Status, res.Body)
	}
	m := regexp.MustCompile(`hearth-temp-password">([^<]+)<`).FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatal("no temporary password shown")
	}
	acct, _, err := st.FindAccountByUsername(ctx, "newcm")
	if err != nil || acct.Role != hmis.RoleReadOnly || !acct.MustChangePassword {
		t.Fatalf("account = %+v, %v", acct, err)
	}
	// The new user signs in with it (and is asked to change it).
	nb := a.browser(t)
	if res := nb.post("/live/login", url.Values{"username": {"newcm"}, "password": {m[1]}}); res.Status != http.StatusSeeOther {
		t.Fatalf("sign-in with the temporary password: %d", res.Status)
	}

	// Change role, then disable: signed out at once.
	page := "/live/admin/users/" + acct.ID
	wantContains(t, "user page", ad.get(page).Body, "User newcm", "Save access", "Reset password")
	res = ad.post(page, url.Values{"op": {"access"}, "role": {"case_manager"}, "organization": {"ORG1"}})
	wantContains(t, "access saved", res.Body, "The user’s access was saved")
	res = ad.post(page, url.Values{"op": {"access"}, "role": {"case_manager"}, "organization": {"ORG1"}, "disabled": {"1"}})
	wantContains(t, "disabled", res.Body, "The user’s access was saved", `id="disabled" type="checkbox" name="disabled" value="1" checked`)
	if res := nb.get("/live/"); res.Status != http.StatusSeeOther {
		t.Errorf("disabled user's session still works: %d", res.Status)
	}
	// An administrator cannot demote themselves.
	me, _, _ := st.FindAccountByUsername(ctx, "admin")
	res = ad.post("/live/admin/users/"+me.ID, url.Values{"op": {"access"}, "role": {"case_manager"}, "organization": {me.OrganizationID}})
	wantContains(t, "self-demotion", res.Body, "cannot change your own role")
	// Reset password: a new temporary password, shown once.
	res = ad.post(page, url.Values{"op": {"reset-password"}})
	wantContains(t, "reset", res.Body, "The password was reset", "hearth-temp-password")
	// The two-factor rule.
	if res := ad.post("/live/admin/users/two-factor", url.Values{"role": {"case_manager"}, "on": {"1"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("two-factor rule: %d", res.Status)
	}
	if p, err := st.FindTwoFactorPolicy(ctx); err != nil || len(p.Roles) != 1 || p.Roles[0] != hmis.RoleCaseManager {
		t.Errorf("policy = %+v, %v", p, err)
	}
	es, err := st.FindAudit(ctx, store.AuditFilter{Entity: "account", EntityID: acct.ID, Action: "account.access"})
	if err != nil || len(es) != 2 {
		t.Errorf("access audit = %+v, %v", es, err)
	}
}
