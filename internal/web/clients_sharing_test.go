package web

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// sharingFixture adds organization ORGB (with a case manager "cmb"), a
// case manager "cma" of ORG1 and a client of ORG1 restricted to it.
func sharingFixture(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := storetest.Context(t)
	no := hud.NoYes(0)
	if err := store.CreateRecord(ctx, st, &hmis.Organization{OrganizationID: "ORGB", OrganizationName: "Bridge Outreach", VictimServiceProvider: &no}); err != nil {
		t.Fatal(err)
	}
	createOrgAccount(t, st, "cma", "ORG1", hmis.RoleCaseManager)
	createOrgAccount(t, st, "cmb", "ORGB", hmis.RoleCaseManager)
	c := hmis.Client{PersonalID: "sh1", FirstName: "Marisol", LastName: "Quennell", DOB: hmis.NewDate(1984, 6, 7),
		NameDataQuality: new(hud.NameDataQualityFullNameReported)}
	if err := store.CreateRecord(ctx, st, &c); err != nil {
		t.Fatal(err)
	}
	if err := storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG1' WHERE personal_id = 'sh1'`); err != nil {
		t.Fatal(err)
	}
}

// signaturePNG is a small drawn signature as the pad would post it.
func signaturePNG(t *testing.T) (raw []byte, dataURL string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 60, 20))
	for x := 5; x < 55; x++ {
		img.Set(x, 10+(x%5), color.Black)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), sigPrefix + base64.StdEncoding.EncodeToString(buf.Bytes())
}

func TestClientSharingPage(t *testing.T) {
	app := newTestApp(t, nil)
	st := app.reg.All()[0].Store
	sharingFixture(t, st)
	page := "/live/clients/sh1/sharing"

	// B cannot see the restricted client: the page is the same 404 as a
	// client that does not exist, and a post changes nothing.
	b := app.browser(t)
	b.signIn("live", "cmb")
	hidden, missing := b.get(page), b.get("/live/clients/nobody/sharing")
	if hidden.Status != http.StatusNotFound || stripReference(strings.ReplaceAll(hidden.Body, "sh1", "ID")) != stripReference(strings.ReplaceAll(missing.Body, "nobody", "ID")) {
		t.Errorf("B's sharing page: status %d, body differs from a missing client's", hidden.Status)
	}
	if res := b.post(page, url.Values{"op": {"restrict"}, "restriction": {"global"}}); res.Status != http.StatusNotFound {
		t.Errorf("B's restrict post: status %d", res.Status)
	}

	a := app.browser(t)
	a.signIn("live", "cma")
	dash := a.get("/live/clients/sh1")
	wantContains(t, "dashboard", dash.Body, `href="/live/clients/sh1/sharing"`)
	res := a.get(page)
	if res.Status != http.StatusOK {
		t.Fatalf("A's sharing page: status %d", res.Status)
	}
	wantContains(t, "sharing page", res.Body, "Restrict to Organization", "No releases of information recorded.",
		`value="organization" checked`, "Bridge Outreach", `src="/static/`, "signature.js", `<canvas id="signature-canvas"`)
	wantNotContains(t, "sharing page", res.Body, `id="org-ORG1"`) // the owner is not offered

	// End before begin: refused on the field, everything typed kept.
	_, sigURL := signaturePNG(t)
	form := url.Values{"op": {"add"}, "number": {"ROI-2026-7"}, "org": {"ORGB"}, "coverage": {"record"},
		"begin": {"06/10/2026"}, "end": {"06/01/2026"}, "consent": {"signature"}, "signature": {sigURL}}
	res = a.post(page, form)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("end before begin: status %d", res.Status)
	}
	wantContains(t, "end before begin", res.Body, `id="end-error"`, "The end date is before the begin date",
		`value="ROI-2026-7"`, `value="06/10/2026"`, `value="06/01/2026"`, `id="org-ORGB" type="checkbox" name="org" value="ORGB" checked`,
		`id="signature" name="signature" value="data:image/png;base64,iVBOR`)
	// No consent, no one to share with.
	res = a.post(page, url.Values{"op": {"add"}, "coverage": {"record"}, "begin": {"06/01/2026"}, "end": {"06/10/2026"}, "consent": {"verbal"}})
	wantContains(t, "no consent", res.Body, `id="witness-error"`, `id="shares_with-error"`)
	// A signature that is not a PNG.
	bad := maps.Clone(form)
	bad.Set("end", "12/31/2026")
	bad.Set("signature", "data:image/png;base64,"+base64.StdEncoding.EncodeToString([]byte("GIF89a")))
	res = a.post(page, bad)
	wantContains(t, "not a PNG", res.Body, `id="signature-error"`, "could not be read")

	// The restriction, then a signed release (in force today).
	today := hmis.DateOf(time.Now())
	if res := a.post(page, url.Values{"op": {"restrict"}, "restriction": {"release"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("restrict: status %d: %s", res.Status, res.Body)
	}
	form.Set("begin", usDate(today.AddDays(-1)))
	form.Set("end", usDate(today.AddDays(90)))
	if res := a.post(page, form); res.Status != http.StatusSeeOther {
		t.Fatalf("add release: status %d: %s", res.Status, res.Body)
	}
	// A verbal release that begins tomorrow.
	if res := a.post(page, url.Values{"op": {"add"}, "org": {"ORGB"}, "coverage": {"intake"}, "begin": {usDate(today.AddDays(1))},
		"end": {usDate(today.AddDays(30))}, "consent": {"verbal"}, "witness": {"Dana Whitfield"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("add verbal release: status %d: %s", res.Status, res.Body)
	}
	res = a.get(page + "?saved=release")
	wantContains(t, "releases", res.Body, "The release was recorded.", "Share Intake to MOU / Information Release", "ROI-2026-7",
		">active<", ">not yet begun<", "Verbal consent, witnessed by Dana Whitfield", "Intake only", "Whole record", "Bridge Outreach")
	rels, err := st.ClientReleases(storetest.Context(t), "sh1")
	if err != nil || len(rels) != 2 {
		t.Fatalf("releases %v %v", rels, err)
	}
	signed := rels[0]
	sigHref := "/live/clients/sh1/signature?release=" + signed.ID
	wantContains(t, "signature image", res.Body, `src="`+strings.ReplaceAll(sigHref, "&", "&amp;")+`"`)

	// The stored image is the PNG drawn, served to those who see the client.
	raw, _ := signaturePNG(t)
	img := a.get(sigHref)
	if img.Status != http.StatusOK || img.Header.Get("Content-Type") != "image/png" || img.Body != string(raw) {
		t.Errorf("signature: status %d, type %q, %d bytes (want %d)", img.Status, img.Header.Get("Content-Type"), len(img.Body), len(raw))
	}
	if res := a.get("/live/clients/sh1/signature?release=" + rels[1].ID); res.Status != http.StatusNotFound {
		t.Errorf("verbal release's signature: status %d", res.Status)
	}

	// B now sees the client (read only): the page, the signature, no forms.
	res = b.get(page)
	if res.Status != http.StatusOK {
		t.Fatalf("B with a release: status %d", res.Status)
	}
	wantContains(t, "B's view", res.Body, "ROI-2026-7", "Only the client’s own organization")
	wantNotContains(t, "B's view", res.Body, `name="op" value="revoke"`, `name="op" value="add"`, `<canvas`)
	if res := b.post(page, url.Values{"op": {"revoke"}, "release": {signed.ID}, "reason": {"mine now"}}); res.Status != http.StatusForbidden {
		t.Errorf("B revokes: status %d", res.Status)
	}

	// Revoke: a reason is required, then one click.
	res = a.post(page, url.Values{"op": {"revoke"}, "release": {signed.ID}})
	wantContains(t, "revoke without reason", res.Body, `id="reason-`+signed.ID+`-error"`, "Give a reason")
	if res := a.post(page, url.Values{"op": {"revoke"}, "release": {signed.ID}, "reason": {"Client withdrew consent"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("revoke: status %d: %s", res.Status, res.Body)
	}
	res = a.get(page)
	wantContains(t, "revoked", res.Body, ">revoked<", "Client withdrew consent")
	if res := b.get(page); res.Status != http.StatusNotFound {
		t.Errorf("B after revoke: status %d", res.Status)
	}
	if res := b.get(sigHref); res.Status != http.StatusNotFound {
		t.Errorf("B's signature after revoke: status %d", res.Status)
	}

	// Every change is audited on the client, and so are the page views.
	entries, err := st.FindAudit(storetest.Context(t), store.AuditFilter{Entity: "client", EntityID: "sh1", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, e := range entries {
		seen[e.Action+" "+e.Detail]++
		if strings.Contains(e.Detail, "Marisol") || strings.Contains(e.Detail, "Quennell") {
			t.Errorf("PII in audit detail %q", e.Detail)
		}
	}
	for _, k := range []string{"client.restrict restriction: organization -> release", "read sharing", "read release signature"} {
		if seen[k] == 0 {
			t.Errorf("no audit row %q in %v", k, seen)
		}
	}
	var adds, revokes int
	for k, n := range seen {
		if strings.HasPrefix(k, "release.add ") {
			adds += n
		}
		if strings.HasPrefix(k, "release.revoke ") {
			revokes += n
		}
	}
	if adds != 2 || revokes != 1 {
		t.Errorf("audit: %d release.add, %d release.revoke; want 2 and 1", adds, revokes)
	}
}

func TestMOUPage(t *testing.T) {
	app := newTestApp(t, nil)
	st := app.reg.All()[0].Store
	sharingFixture(t, st)
	cm := app.browser(t)
	cm.signIn("live", "cma")
	if res := cm.get("/live/" + mousPath); res.Status != http.StatusNotFound {
		t.Errorf("case manager: status %d", res.Status)
	}
	if res := cm.post("/live/"+mousPath, url.Values{"name": {"x"}, "from": {"ORG1"}, "to": {"ORGB"}, "direction": {"one-way"}}); res.Status != http.StatusNotFound {
		t.Errorf("case manager post: status %d", res.Status)
	}
	admin := app.browser(t)
	admin.signIn("live", "admin")
	res := admin.get("/live/" + mousPath)
	wantContains(t, "MOU page", res.Body, "No MOU agreements yet.", "Bridge Outreach (ORGB)", "Hope Shelter (ORG1)")
	res = admin.post("/live/"+mousPath, url.Values{"name": {"River Valley DV MOU"}, "from": {"ORG1"}, "to": {"ORG1"}, "direction": {"two-way"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("same organization: status %d", res.Status)
	}
	wantContains(t, "same organization", res.Body, `id="to-error"`, `value="River Valley DV MOU"`)
	if res := admin.post("/live/"+mousPath, url.Values{"name": {"River Valley DV MOU"}, "from": {"ORG1"}, "to": {"ORGB"}, "direction": {"two-way"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("two-way: status %d: %s", res.Status, res.Body)
	}
	if res := admin.post("/live/"+mousPath, url.Values{"name": {"Referral one-way"}, "from": {"ORGB"}, "to": {"ORG1"}, "direction": {"one-way"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("one-way: status %d", res.Status)
	}
	res = admin.get("/live/" + mousPath + "?added=1")
	wantContains(t, "MOU list", res.Body, "The agreement was saved.", "River Valley DV MOU", "Two-way", "Referral one-way", "One-way",
		"Releases of Bridge Outreach’s clients may share with Hope Shelter")
	// The release form offers them, with their direction.
	res = admin.get("/live/clients/sh1/sharing")
	wantContains(t, "release form", res.Body, "MOU: River Valley DV MOU (Hope Shelter ↔ Bridge Outreach)", "MOU: Referral one-way (Bridge Outreach → Hope Shelter)")
}

// TestRestrictionPromptAfterIntake: right after an intake the dashboard
// asks which restriction applies (Restrict to Organization chosen), and
// the answer is saved like the Sharing page's form.
func TestRestrictionPromptAfterIntake(t *testing.T) {
	app := newTestApp(t, nil)
	st := app.reg.All()[0].Store
	sharingFixture(t, st)
	createOrgAccount(t, st, "roa", "ORG1", hmis.RoleReadOnly)
	a := app.browser(t)
	a.signIn("live", "cma")
	res := a.get("/live/clients/sh1?added=1")
	wantContains(t, "prompt", res.Body, "Which security restriction applies to this record?",
		`id="prompt-organization" type="radio" name="restriction" value="organization" checked`, `action="/live/clients/sh1/sharing"`)
	wantNotContains(t, "without added", a.get("/live/clients/sh1").Body, "Which security restriction applies")
	res = a.post("/live/clients/sh1/sharing", url.Values{"op": {"restrict"}, "restriction": {"global"}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/live/clients/sh1/sharing?saved=restriction" {
		t.Fatalf("answer: status %d, Location %q", res.Status, res.Header.Get("Location"))
	}
	if c, _ := st.FindClientByID(storetest.Context(t), "sh1"); c.Restriction != "global" {
		t.Errorf("restriction %q", c.Restriction)
	}
	// A user who may not change sharing is not asked.
	r := app.browser(t)
	r.signIn("live", "roa")
	wantNotContains(t, "read-only", r.get("/live/clients/sh1?added=1").Body, "Which security restriction applies")
}
