package web

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// piiTestPNG is a w x h PNG with a few bytes after its end (which the
// re-encoding must drop).
func piiTestPNG(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("TRAILING-PAYLOAD")
	return buf.Bytes()
}

// piiPNGClaiming is a small PNG whose header claims w x h pixels (the
// image data is that of a 1 x 1 image): a decompression bomb's shape.
func piiPNGClaiming(t *testing.T, w, h uint32) []byte {
	b := piiTestPNG(t, 1, 1)
	// The IHDR chunk: length (4), "IHDR", width, height at 16..24, CRC at 29..33.
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// piiUploadPhoto posts the dashboard's photo form.
func piiUploadPhoto(b *browser, path, name string, data []byte) response {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("op", "upload")
	fw, _ := mw.CreateFormFile("photo", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, b.app.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// TestClients_Photo: a case manager uploads a PNG, which is re-encoded
// and scaled; it is served with no-store and nosniff to users with the
// photo permission, each view audited; a non-image is refused with a clear
// message; a read-only user may not change it; an account denied the
// permission sees a placeholder and gets "not found"; another
// organization gets the same "not found" as a client that does not exist.
func TestClients_Photo(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	createOrgAccount(t, st, "reader", "ORG1", hmis.RoleReadOnly)
	ctx := storetest.Context(t)

	b := a.browser(t)
	b.signIn("live", "casey")
	res := b.get("/live/clients/lennon01")
	wantContains(t, "dashboard without a photo", res.Body, "No photo", `enctype="multipart/form-data"`, `<label class="usa-label" for="photo">Add a photo</label>`)
	if res := piiUploadPhoto(b, "/live/clients/lennon01/photo", "photo.png", piiTestPNG(t, 1200, 800)); res.Status != http.StatusSeeOther {
		t.Fatalf("upload: status %d\n%s", res.Status, res.Body)
	}
	res = b.get("/live/clients/lennon01")
	wantContains(t, "dashboard with a photo", res.Body, `<img class="hearth-client-photo__img" src="/live/clients/lennon01/photo" alt="Photo of John Lennon">`, "Remove the photo")
	res = b.get("/live/clients/lennon01/photo")
	if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "image/png" || res.Header.Get("Cache-Control") != "no-store" ||
		res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("photo: status %d, headers %v", res.Status, res.Header)
	}
	cfg, err := png.DecodeConfig(strings.NewReader(res.Body))
	if err != nil || cfg.Width != store.ClientPhotoSide || cfg.Height != 400 {
		t.Errorf("served photo %dx%d (%v), want %dx400", cfg.Width, cfg.Height, err, store.ClientPhotoSide)
	}
	if strings.Contains(res.Body, "TRAILING-PAYLOAD") {
		t.Error("the upload's bytes were served as they came, not re-encoded")
	}
	if rows, _ := st.FindAudit(ctx, store.AuditFilter{Action: "photo.view", EntityID: "lennon01"}); len(rows) != 1 {
		t.Errorf("%d photo.view rows, want 1", len(rows))
	}
	if rows, _ := st.FindAudit(ctx, store.AuditFilter{Action: "photo.update", EntityID: "lennon01"}); len(rows) != 1 {
		t.Errorf("%d photo.update rows, want 1", len(rows))
	}

	// Not an image (named .png), an HTML file, an empty form: refused, stored photo unchanged.
	for _, bad := range [][]byte{[]byte("just some text, not a picture"), []byte("<html><script>alert(1)</script></html>"), {}} {
		res := piiUploadPhoto(b, "/live/clients/lennon01/photo", "evil.png", bad)
		if res.Status != http.StatusUnprocessableEntity && res.Status != http.StatusBadRequest {
			t.Errorf("bad upload: status %d", res.Status)
		}
		wantContains(t, "bad upload", res.Body, `id="photo-error" role="alert">The photo was not saved`, "John Lennon’s Dashboard", `aria-invalid="true"`)
	}
	// A huge image announced by a small file (decompression bomb): refused before decoding.
	if res := piiUploadPhoto(b, "/live/clients/lennon01/photo", "bomb.png", piiTestPNG(t, 9000, 1)); !strings.Contains(res.Body, "at most 8000 pixels") {
		t.Errorf("bomb: status %d", res.Status)
	}
	if res := piiUploadPhoto(b, "/live/clients/lennon01/photo", "wide.png", piiPNGClaiming(t, 7000, 7000)); !strings.Contains(res.Body, "at most 40 megapixels") {
		t.Errorf("49 megapixels: status %d", res.Status)
	}
	if rows, _ := st.FindAudit(ctx, store.AuditFilter{Action: "photo.update", EntityID: "lennon01"}); len(rows) != 1 {
		t.Errorf("%d photo.update rows after refused uploads, want 1", len(rows))
	}

	// Read-only: sees it, may not change it.
	r := a.browser(t)
	r.signIn("live", "reader")
	res = r.get("/live/clients/lennon01")
	wantContains(t, "read-only dashboard", res.Body, `src="/live/clients/lennon01/photo"`)
	wantNotContains(t, "read-only dashboard", res.Body, "Upload photo")
	if res := r.get("/live/clients/lennon01/photo"); res.Status != http.StatusOK {
		t.Errorf("read-only photo: status %d", res.Status)
	}
	if res := piiUploadPhoto(r, "/live/clients/lennon01/photo", "p.png", piiTestPNG(t, 10, 10)); res.Status != http.StatusForbidden {
		t.Errorf("read-only upload: status %d", res.Status)
	}
	// The reader's account is denied photos: placeholder, and the image is not found.
	reader, _, err := st.FindAccountByUsername(ctx, "reader")
	must(t, err)
	must(t, st.SetAccountPIIOverride(ctx, reader.ID, access.PIIPhoto, access.PIIDeny))
	res = r.get("/live/clients/lennon01")
	wantContains(t, "denied dashboard", res.Body, "Photo hidden")
	wantNotContains(t, "denied dashboard", res.Body, `src="/live/clients/lennon01/photo"`)
	if res := r.get("/live/clients/lennon01/photo"); res.Status != http.StatusNotFound {
		t.Errorf("denied photo: status %d", res.Status)
	}

	// Another organization: the same 404 as a client that does not exist.
	o := a.browser(t)
	o.signIn("live", "other")
	hidden, missing := o.get("/live/clients/lennon01/photo"), o.get("/live/clients/nobody99/photo")
	if hidden.Status != http.StatusNotFound || stripReference(strings.ReplaceAll(hidden.Body, "lennon01", "ID")) != stripReference(strings.ReplaceAll(missing.Body, "nobody99", "ID")) {
		t.Errorf("hidden photo: status %d, or a body unlike a missing client's", hidden.Status)
	}
	if res := piiUploadPhoto(o, "/live/clients/lennon01/photo", "p.png", piiTestPNG(t, 10, 10)); res.Status != http.StatusNotFound {
		t.Errorf("hidden upload: status %d", res.Status)
	}
	if rows, _ := st.FindAudit(ctx, store.AuditFilter{Action: "photo.view", EntityID: "lennon01"}); len(rows) != 2 {
		t.Errorf("%d photo.view rows, want 2 (casey, reader)", len(rows))
	}
	// Removed: placeholder again, audited.
	if res := b.post("/live/clients/lennon01/photo", url.Values{"op": {"remove"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("remove: status %d", res.Status)
	}
	wantContains(t, "after removal", b.get("/live/clients/lennon01").Body, "No photo")
	if rows, _ := st.FindAudit(ctx, store.AuditFilter{Action: "photo.delete", EntityID: "lennon01"}); len(rows) != 1 {
		t.Errorf("%d photo.delete rows, want 1", len(rows))
	}
}

// TestClients_DOBPermission: a user without the DOB permission sees the
// year of birth and the age on the dashboard, never the date; with it
// (the role's default), the date.
func TestClients_DOBPermission(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	createOrgAccount(t, st, "reader", "ORG1", hmis.RoleReadOnly)
	ctx := storetest.Context(t)
	reader, _, err := st.FindAccountByUsername(ctx, "reader")
	must(t, err)
	r := a.browser(t)
	r.signIn("live", "reader")
	wantContains(t, "reader with the role's DOB", r.get("/live/clients/lennon01").Body, "10/09/1940")
	must(t, st.SetAccountPIIOverride(ctx, reader.ID, access.PIIDOB, access.PIIDeny))
	res := r.get("/live/clients/lennon01")
	wantContains(t, "reader denied DOB", res.Body, "Born 1940", "1940 (year of birth only)")
	wantNotContains(t, "reader denied DOB", res.Body, "10/09/1940", "1940-10-09", "03/12/1914")
	// Find Client: the year in the results; the right date and a wrong one
	// of the same year give the same results.
	tbody := func(body string) string {
		i, j := strings.Index(body, "<tbody>"), strings.Index(body, "</tbody>")
		if i < 0 || j < i {
			t.Fatalf("no results table:\n%s", body)
		}
		return body[i:j]
	}
	right := r.get("/live/clients/find?q=" + url.QueryEscape("Lennon 10/09/1940")).Body
	wrong := r.get("/live/clients/find?q=" + url.QueryEscape("Lennon 12/31/1940")).Body
	wantContains(t, "search results", tbody(right), "<td>1940</td>")
	wantNotContains(t, "search results", right, "10/09/1940</td>")
	if tbody(right) != tbody(wrong) {
		t.Errorf("probing by DOB tells more than the year:\n%s\n----\n%s", tbody(right), tbody(wrong))
	}
	// Recent clients, family.
	recent := r.get("/live/home/recent").Body
	wantContains(t, "recent", recent, "<td>1940</td>")
	wantNotContains(t, "recent", recent, "10/09/1940")
	family := r.get("/live/clients/lennon01/family")
	if family.Status != http.StatusOK {
		t.Errorf("family: status %d", family.Status)
	}
	wantNotContains(t, "family", family.Body, "10/09/1940", "03/12/1914")

	// A case manager denied DOB edits the client: the form shows the year,
	// and saving it unchanged keeps the date.
	casey, _, err := st.FindAccountByUsername(ctx, "casey")
	must(t, err)
	must(t, st.SetAccountPIIOverride(ctx, casey.ID, access.PIIDOB, access.PIIDeny))
	b := a.browser(t)
	b.signIn("live", "casey")
	res = b.get("/live/clients/lennon01/edit")
	wantContains(t, "edit form", res.Body, `value="xx/xx/1940"`)
	wantNotContains(t, "edit form", res.Body, "10/09/1940")
	f := lennonForm()
	f.Set("ssn", "xxx-xx-6789")
	f.Set("dob", "xx/xx/1940")
	f.Set("middle_name", "Winston")
	if res := b.post("/live/clients/lennon01/edit", f); res.Status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", res.Status, res.Body)
	}
	c, err := store.FindRecordByID[hmis.Client](ctx, st, "lennon01")
	if err != nil || c.DOB.String() != "1940-10-09" || c.MiddleName != "Winston" {
		t.Errorf("after saving the masked form: DOB %s, middle %q, %v", c.DOB, c.MiddleName, err)
	}
	// A workflow's member list.
	res = b.get("/live/" + workflowsPath + "/start?client=lennon01&stage=intake")
	wantContains(t, "workflow start", res.Body, "born 1940, age")
	wantNotContains(t, "workflow start", res.Body, "10/09/1940")
}

// TestClients_SensitiveFields: a field marked sensitive is sealed in the
// database, hidden on the dashboard and the edit form (saving the form
// unchanged keeps it), revealed (audited) to a case manager and refused
// to a read-only user.
func TestClients_SensitiveFields(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	createOrgAccount(t, st, "reader", "ORG1", hmis.RoleReadOnly)
	ctx := storetest.Context(t)
	must(t, st.SaveClientFieldDef(ctx, store.ClientFieldDef{ID: "alias", Label: "Street name", Kind: store.FieldText, Position: 50, Active: true, Sensitive: true}))

	b := a.browser(t)
	b.signIn("live", "casey")
	if res := b.post("/live/clients/lennon01/fields", url.Values{"field_alias": {"Nightingale"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("save field: status %d\n%s", res.Status, res.Body)
	}
	raw, err := storetest.QueryString(st, `SELECT value FROM client_field_values WHERE personal_id = 'lennon01' AND field_id = 'alias'`)
	if err != nil || !strings.HasPrefix(raw, "f1:") || strings.Contains(raw, "Nightingale") {
		t.Fatalf("stored value %q (%v): want it sealed", raw, err)
	}
	res := b.get("/live/clients/lennon01")
	wantContains(t, "dashboard", res.Body, "Hidden (sensitive)", `action="/live/clients/lennon01/sensitive"`)
	wantNotContains(t, "dashboard", res.Body, "Nightingale")
	res = b.get("/live/clients/lennon01/edit")
	wantContains(t, "edit form", res.Body, `value="(hidden)"`)
	wantNotContains(t, "edit form", res.Body, "Nightingale")
	// Saved unchanged: kept.
	if res := b.post("/live/clients/lennon01/fields", url.Values{"field_alias": {store.SensitiveFieldMask}}); res.Status != http.StatusSeeOther {
		t.Fatalf("save unchanged: status %d", res.Status)
	}
	res = b.post("/live/clients/lennon01/sensitive", url.Values{})
	if res.Status != http.StatusOK {
		t.Fatalf("reveal: status %d", res.Status)
	}
	wantContains(t, "reveal", res.Body, "Street name", "Nightingale", "recorded in the audit log")
	rows, err := st.FindAudit(ctx, store.AuditFilter{Action: "field.reveal", EntityID: "lennon01"})
	if err != nil || len(rows) != 1 || strings.Contains(rows[0].Detail, "Nightingale") {
		t.Errorf("field.reveal audit %+v %v", rows, err)
	}
	r := a.browser(t)
	r.signIn("live", "reader")
	res = r.get("/live/clients/lennon01")
	wantContains(t, "read-only dashboard", res.Body, "Hidden (sensitive)")
	wantNotContains(t, "read-only dashboard", res.Body, "Show the sensitive fields", "Nightingale")
	if res := r.post("/live/clients/lennon01/sensitive", url.Values{}); res.Status != http.StatusForbidden || strings.Contains(res.Body, "Nightingale") {
		t.Errorf("read-only reveal: status %d", res.Status)
	}
	o := a.browser(t)
	o.signIn("live", "other")
	if res := o.post("/live/clients/lennon01/sensitive", url.Values{}); res.Status != http.StatusNotFound {
		t.Errorf("hidden client reveal: status %d", res.Status)
	}
	// Unmarking the field opens the stored values again.
	must(t, st.SaveClientFieldDef(ctx, store.ClientFieldDef{ID: "alias", Label: "Street name", Kind: store.FieldText, Position: 50, Active: true}))
	if raw, err := storetest.QueryString(st, `SELECT value FROM client_field_values WHERE personal_id = 'lennon01' AND field_id = 'alias'`); err != nil || raw != "Nightingale" {
		t.Errorf("after unmarking: %q %v", raw, err)
	}
	wantContains(t, "dashboard after unmarking", b.get("/live/clients/lennon01").Body, "Nightingale")
}

// TestUsers_PIIPermissions: the user's page shows each permission with
// the role's rule and saves an account's allow / deny / inherit.
func TestUsers_PIIPermissions(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	createOrgAccount(t, st, "reader", "ORG1", hmis.RoleReadOnly)
	ctx := storetest.Context(t)
	reader, _, err := st.FindAccountByUsername(ctx, "reader")
	must(t, err)
	b := a.browser(t)
	b.signIn("live", "admin")
	path := "/live/admin/users/" + reader.ID
	res := b.get(path)
	wantContains(t, "user page", res.Body, "Client PII permissions", `id="pii_full_ssn_inherit" type="radio" name="pii_full_ssn" value="inherit" checked`,
		"The role’s rule (not allowed)", "The role’s rule (allowed)")
	res = b.post(path, url.Values{"op": {"pii"}, "pii_full_ssn": {"allow"}, "pii_dob": {"deny"}, "pii_photo": {"inherit"}, "pii_sensitive": {"inherit"}})
	if res.Status != http.StatusOK {
		t.Fatalf("save: status %d\n%s", res.Status, res.Body)
	}
	wantContains(t, "saved", res.Body, "The user’s PII permissions were saved.", `value="allow" checked`, `value="deny" checked`)
	over, err := st.AccountPIIOverrides(ctx, reader.ID)
	if err != nil || over[access.PIIFullSSN] != access.PIIAllow || over[access.PIIDOB] != access.PIIDeny || len(over) != 2 {
		t.Errorf("overrides %v %v", over, err)
	}
	if res := b.post(path, url.Values{"op": {"pii"}, "pii_dob": {"sometimes"}}); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("bad value: status %d", res.Status)
	}
	if rows, _ := st.FindAudit(ctx, store.AuditFilter{Action: "account.pii"}); len(rows) != 2 {
		t.Errorf("%d account.pii rows, want 2", len(rows))
	}
	// The rule by role: read-only users get the full SSN.
	res = b.get("/live/admin/users")
	wantContains(t, "users page", res.Body, "Client PII permissions by role", "Grant<span class=\"usa-sr-only\"> Full SSN for Read-only")
	res = b.post("/live/admin/users/pii", url.Values{"permission": {"full_ssn"}, "role": {"read_only"}, "on": {"1"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("rule: status %d\n%s", res.Status, res.Body)
	}
	roles, err := st.PIIRoles(ctx, access.PIIFullSSN)
	if err != nil || len(roles) != 3 {
		t.Errorf("full SSN roles %v %v", roles, err)
	}
	wantContains(t, "users page after", b.get("/live/admin/users?pii=1").Body, "The permission rule was saved.", "Withdraw<span class=\"usa-sr-only\"> Full SSN for Read-only")
	if res := b.post("/live/admin/users/pii", url.Values{"permission": {"full_ssn"}, "role": {"admin"}, "on": {"0"}}); res.Status != http.StatusUnprocessableEntity && res.Status != http.StatusBadRequest {
		t.Errorf("administrators' rule: status %d", res.Status)
	}
	// A case manager cannot reach it.
	c := a.browser(t)
	c.signIn("live", "casey")
	if res := c.post("/live/admin/users/pii", url.Values{"permission": {"dob"}, "role": {"read_only"}, "on": {"0"}}); res.Status == http.StatusSeeOther {
		t.Error("a case manager changed the rule")
	}
	if roles, _ := st.PIIRoles(ctx, access.PIIDOB); len(roles) != 3 {
		t.Errorf("DOB roles changed: %v", roles)
	}
}
