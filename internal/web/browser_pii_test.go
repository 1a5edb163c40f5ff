package web

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowser_ClientPhoto: an administrator adds a photo on the client
// dashboard through the file input; the page shows it, loaded through the
// access-checked handler under the CSP (the image's natural width is the
// re-encoded one).
func TestBrowser_ClientPhoto(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t, nil)
	seedClients(t, app)
	base := app.srv.URL
	errs := &consoleErrors{}
	errs.watch(ctx, "live")
	path := filepath.Join(t.TempDir(), "face.png")
	if err := os.WriteFile(path, piiTestPNG(t, 900, 1200), 0o600); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "signin", signIn(base, "live")...)
	do(t, ctx, "dashboard",
		chromedp.Navigate(base+"/live/clients/lennon01"),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-client-photo__placeholder`)),
	)
	artifact(t, ctx, "client-photo-placeholder")
	do(t, ctx, "upload",
		chromedp.SetUploadFiles(chromedp.ID("photo"), []string{path}),
		chromedp.Click(`//button[normalize-space()="Upload photo"]`),
		chromedp.WaitVisible(chromedp.CSS(`img.hearth-client-photo__img`)),
	)
	w := read(t, ctx, "natural width", chromedp.Evaluate[int](`new Promise(r => { const i = document.querySelector("img.hearth-client-photo__img"); if (i.complete) r(i.naturalWidth); else i.onload = () => r(i.naturalWidth); })`, chromedp.EvalAwaitPromise))
	if w != 450 {
		t.Errorf("the photo's natural width is %d, want 450 (600 high, re-encoded)", w)
	}
	saveScreenshot(t, ctx, t.TempDir(), "client-photo")
	artifact(t, ctx, "client-photo")
	// The Users page's rule table and a user's own permissions.
	do(t, ctx, "users",
		chromedp.Navigate(base+"/live/admin/users"),
		chromedp.WaitVisible(chromedp.ID("pii-rules-heading")),
		chromedp.ScrollIntoView(chromedp.ID("pii-rules-heading")),
	)
	artifact(t, ctx, "users-pii-rules")
	do(t, ctx, "user",
		chromedp.Click(`//a[normalize-space()="casey"]`),
		chromedp.WaitVisible(chromedp.ID("pii-heading")),
		chromedp.Click(chromedp.CSS(`label[for="pii_dob_deny"]`)),
		chromedp.Click(`//button[normalize-space()="Save PII permissions"]`),
		chromedp.WaitVisible(chromedp.CSS(`.usa-alert--success`)),
		chromedp.ScrollIntoView(chromedp.ID("pii-heading")),
	)
	if n := read(t, ctx, "dob denied", count(`#pii_dob_deny:checked`)); n != 1 {
		t.Errorf("the deny was not saved")
	}
	artifact(t, ctx, "user-pii")
	if e := errs.all(); len(e) > 0 {
		t.Errorf("console errors: %v", e)
	}
}
