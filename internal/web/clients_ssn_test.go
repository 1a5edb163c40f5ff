package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// TestClients_SSNMaskedAndRevealed: the dashboard and the edit form show
// the last four only; saving the edit form unchanged keeps the full SSN;
// a case manager reveals it (audited), a read-only user may not, and an
// organization that does not see the client gets "not found".
func TestClients_SSNMaskedAndRevealed(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	createOrgAccount(t, st, "reader", "ORG1", hmis.RoleReadOnly)
	full := []string{"123456789", "123-45-6789", "123 45 6789"}

	b := a.browser(t)
	b.signIn("live", "casey")
	res := b.get("/live/clients/lennon01")
	wantContains(t, "dashboard", res.Body, "xxx-xx-6789", `action="/live/clients/lennon01/ssn"`, "Show the full SSN")
	wantNotContains(t, "dashboard", res.Body, full...)
	res = b.get("/live/clients/lennon01/edit")
	wantContains(t, "edit form", res.Body, `value="xxx-xx-6789"`)
	wantNotContains(t, "edit form", res.Body, full...)

	// Saved with the masked SSN untouched: the full SSN is kept.
	f := lennonForm()
	f.Set("ssn", "xxx-xx-6789")
	f.Set("middle_name", "Winston")
	if res := b.post("/live/clients/lennon01/edit", f); res.Status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", res.Status, res.Body)
	}
	c, err := store.FindRecordByID[hmis.Client](storetest.Context(t), st, "lennon01")
	if err != nil || c.SSN != "123456789" || c.MiddleName != "Winston" {
		t.Errorf("after saving the masked form: SSN kept %v, middle %q, %v", c.SSN == "123456789", c.MiddleName, err)
	}
	// A refused save shows the form again, still masked.
	f.Set("dob", "13/45/1940")
	res = b.post("/live/clients/lennon01/edit", f)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad date: status %d", res.Status)
	}
	wantContains(t, "refused form", res.Body, `value="xxx-xx-6789"`)
	wantNotContains(t, "refused form", res.Body, full...)

	// Reveal: the number, on its own page, audited.
	res = b.post("/live/clients/lennon01/ssn", url.Values{})
	if res.Status != http.StatusOK {
		t.Fatalf("reveal: status %d", res.Status)
	}
	wantContains(t, "reveal", res.Body, "123-45-6789", "recorded in the audit log")
	if res := b.get("/live/clients/lennon01/ssn"); res.Status != http.StatusNotFound {
		t.Errorf("GET reveal: status %d, want 404 (only a form post reveals)", res.Status)
	}
	entries, err := st.FindAudit(storetest.Context(t), store.AuditFilter{Action: "ssn.reveal", EntityID: "lennon01"})
	if err != nil || len(entries) != 1 || !strings.HasPrefix(entries[0].Actor, "casey") {
		t.Errorf("ssn.reveal audit: %+v %v", entries, err)
	}

	// Read-only of the same organization: masked, no button, refused.
	r := a.browser(t)
	r.signIn("live", "reader")
	res = r.get("/live/clients/lennon01")
	wantContains(t, "read-only dashboard", res.Body, "xxx-xx-6789")
	wantNotContains(t, "read-only dashboard", res.Body, "Show the full SSN")
	if res := r.post("/live/clients/lennon01/ssn", url.Values{}); res.Status != http.StatusForbidden || strings.Contains(res.Body, "6789") {
		t.Errorf("read-only reveal: status %d", res.Status)
	}

	// Another organization, which does not see the client: not found.
	o := a.browser(t)
	o.signIn("live", "other")
	hidden, missing := o.post("/live/clients/lennon01/ssn", url.Values{}), o.post("/live/clients/nobody99/ssn", url.Values{})
	if hidden.Status != http.StatusNotFound || stripReference(strings.ReplaceAll(hidden.Body, "lennon01", "ID")) != stripReference(strings.ReplaceAll(missing.Body, "nobody99", "ID")) {
		t.Errorf("hidden reveal: status %d, or a body unlike a missing client's", hidden.Status)
	}
	if n, _ := st.FindAudit(storetest.Context(t), store.AuditFilter{Action: "ssn.reveal", EntityID: "lennon01"}); len(n) != 1 {
		t.Errorf("%d ssn.reveal rows after refused reveals, want 1", len(n))
	}
}
