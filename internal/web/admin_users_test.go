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

// TestActingFor: a user added to a second organization switches between
// them in the header; what they see follows the organization acted for.
func TestActingFor(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	ctx := storetest.Context(t)
	casey, _, err := st.FindAccountByUsername(ctx, "casey")
	must(t, err)

	b := a.browser(t)
	b.signIn("live", "casey")
	res := b.get("/live/")
	wantContains(t, "one organization", res.Body, "Acting for</span> Hope Shelter")
	wantNotContains(t, "one organization", res.Body, `id="acting-org"`)
	if res := b.get("/live/clients/hidden01"); res.Status != http.StatusNotFound {
		t.Fatalf("another organization's client: %d", res.Status)
	}

	ad := a.browser(t)
	ad.signIn("live", "admin")
	page := "/live/admin/users/" + casey.ID
	res = ad.post(page, url.Values{"op": {"add-org"}, "member_org": {"ORG2"}})
	wantContains(t, "added", res.Body, "now also belongs", "Safe Harbor")
	res = ad.post(page, url.Values{"op": {"add-org"}, "member_org": {"ORG2"}})
	wantContains(t, "twice", res.Body, "already belongs")

	res = b.get("/live/clients/find")
	wantContains(t, "switch", res.Body, `id="acting-org"`, `<option value="ORG2">Safe Harbor</option>`)
	// A forged switch to an organization the user is not in is refused.
	if res := b.post("/live/profile/organization", url.Values{"organization": {"ORG9"}}); res.Status != http.StatusUnprocessableEntity && res.Status != http.StatusBadRequest {
		t.Errorf("switch to a stranger organization: %d", res.Status)
	}
	if res := b.post("/live/profile/organization", url.Values{"organization": {"ORG2"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("switch: %d", res.Status)
	}
	res = b.get("/live/clients/hidden01")
	if res.Status != http.StatusOK {
		t.Fatalf("acting for ORG2, its client: %d", res.Status)
	}
	wantContains(t, "acting for ORG2", res.Body, `<option value="ORG2" selected>Safe Harbor</option>`)
	if res := b.get("/live/clients/lennon01"); res.Status != http.StatusNotFound {
		t.Errorf("acting for ORG2, ORG1's restricted client: %d", res.Status)
	}
	es, err := st.FindAudit(ctx, store.AuditFilter{Action: "session.acting"})
	if err != nil || len(es) != 1 {
		t.Errorf("audit = %+v, %v", es, err)
	}
	// Removed from ORG2: back to the home organization at once.
	ad.post(page, url.Values{"op": {"remove-org"}, "member_org": {"ORG2"}})
	if res := b.get("/live/clients/hidden01"); res.Status != http.StatusNotFound {
		t.Errorf("after removal, ORG2's client: %d", res.Status)
	}
	if res := b.get("/live/clients/lennon01"); res.Status != http.StatusOK {
		t.Errorf("after removal, the home organization's client: %d", res.Status)
	}
}

// TestSupportRole: the HMIS support desk works tickets and reads the audit
// log, and sees no client record, not even its own organization's.
func TestSupportRole(t *testing.T) {
	a := newTestApp(t, nil)
	seedClients(t, a)
	site, _ := a.reg.Get("live")
	mustCreateAccount(t, site.Store, "desk", hmis.RoleSupport)
	b := a.browser(t)
	b.signIn("live", "desk")
	res := b.get("/live/")
	wantContains(t, "home menu", res.Body, "Audit Log", "HMIS support")
	wantNotContains(t, "home menu", res.Body, ">Users<", "Import HMIS CSV")
	wantContains(t, "support menu", b.get("/live/support/tickets").Body, "Ticket Queue")
	for _, p := range []string{"/live/support/queue", "/live/home/audit"} {
		if res := b.get(p); res.Status != http.StatusOK {
			t.Errorf("GET %s: %d", p, res.Status)
		}
	}
	for _, p := range []string{"/live/clients/lennon01", "/live/admin/users"} {
		if res := b.get(p); res.Status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, res.Status)
		}
	}
	res = b.get("/live/clients/find?q=Lennon")
	wantContains(t, "search", res.Body, "No client matches")
	wantNotContains(t, "search", res.Body, "/live/clients/lennon01")
}
