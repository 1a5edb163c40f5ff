package web

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// TestBrowser_ReleaseStory is issue 6 item 10 in a real browser: a case
// manager of organization B cannot find organization A's restricted
// client; after A records a release naming B, signed on the signature pad
// (a finger's touch events and a pen's strokes are drawn and cleared
// first, then the signature is drawn with mouse events), B's search finds the client and B sees the
// intake and the enrollment but not the DV service restricted to A; after
// A revokes the release, B finds nothing again.
func TestBrowser_ReleaseStory(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t, nil)
	st := app.reg.All()[0].Store
	sharingFixture(t, st) // ORG1 (A) with cma, ORGB (B) with cmb, client sh1 of A, Restrict to Organization
	sctx := storetest.Context(t)
	must(t, store.CreateRecord(sctx, st, &hmis.Enrollment{EnrollmentID: "shE1", PersonalID: "sh1", ProjectID: "P1",
		EntryDate: hmis.MustDate("2025-12-01"), HouseholdID: "shH1", RelationshipToHoH: new(hud.RelationshipToHoH(1))}))
	rt := hud.RecordType(144)
	for _, v := range []hmis.Service{
		{ServicesID: "shS1", EnrollmentID: "shE1", PersonalID: "sh1", DateProvided: hmis.MustDate("2026-01-10"), RecordType: &rt, TypeProvided: new(1)},
		{ServicesID: "shDV", EnrollmentID: "shE1", PersonalID: "sh1", DateProvided: hmis.MustDate("2026-02-14"), RecordType: &rt, TypeProvided: new(2)},
	} {
		must(t, store.CreateRecord(sctx, st, &v))
	}
	// The DV service is restricted to A (there is no form for it yet).
	must(t, storetest.Exec(st, `UPDATE services SET restricted_to_org = 'ORG1' WHERE services_id = 'shDV'`))

	base := app.srv.URL
	errs := &consoleErrors{}
	errs.watch(ctx, "live")
	signInAs := func(name, user string) {
		t.Helper()
		do(t, ctx, name,
			chromedp.Navigate(base+"/live/login"),
			chromedp.WaitVisible(chromedp.ID("username")),
			chromedp.SendKeys(chromedp.ID("username"), user),
			chromedp.SendKeys(chromedp.ID("password"), testPassword),
			chromedp.Click(chromedp.CSS(`button.hearth-signin__submit`)),
			chromedp.WaitVisible(chromedp.CSS(`.hearth-counts`)),
		)
	}
	signOut := func(name string) {
		t.Helper()
		do(t, ctx, name, chromedp.Click(chromedp.CSS(`button.hearth-signout`)), chromedp.WaitVisible(chromedp.ID("username")))
	}
	// findAsB searches Find Client for the client and reports whether a
	// result links to its dashboard. It waits for the search's answer
	// (htmx swaps it into #client-results, empty before the search): the
	// results table or the message that nothing matched.
	findAsB := func(name string) bool {
		t.Helper()
		do(t, ctx, name,
			chromedp.Navigate(base+"/live/clients/find"),
			chromedp.WaitVisible(chromedp.ID("q")),
			chromedp.SendKeys(chromedp.ID("q"), "Marisol Quennell"),
			chromedp.Click(chromedp.CSS(`.hearth-client-search button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`#client-results table.hearth-results, #client-results .usa-alert`)),
		)
		if read(t, ctx, name+"-links", count(`#client-results a[href="/live/clients/sh1"]`)) > 0 {
			return true
		}
		if msg := read(t, ctx, name+"-message", chromedp.Text(chromedp.CSS(`#client-results`))); !strings.Contains(msg, "No client matches this search") {
			t.Errorf("%s: neither the client nor the no-match message: %q", name, msg)
		}
		return false
	}
	dashboardTitle := func(name string) string {
		t.Helper()
		do(t, ctx, name, chromedp.Navigate(base+"/live/clients/sh1"), chromedp.WaitVisible(chromedp.CSS(`h1`)))
		return read(t, ctx, name+"-h1", chromedp.Text(chromedp.CSS(`h1`)))
	}

	// 1. B cannot find A's restricted client, nor open it by its ID.
	signInAs("b-signin", "cmb")
	if findAsB("b-find-before") {
		t.Errorf("B finds the restricted client before any release")
	}
	if h1 := dashboardTitle("b-dashboard-before"); strings.Contains(h1, "Marisol") {
		t.Errorf("B opens the restricted client's dashboard: %q", h1)
	}
	signOut("b-signout")

	// 2. A sees both services, chooses the release restriction and
	// records a release naming B, signed on the pad.
	signInAs("a-signin", "cma")
	if h1 := dashboardTitle("a-dashboard"); h1 != "Marisol Quennell’s Dashboard" {
		t.Errorf("A's dashboard: %q", h1)
	}
	if n := read(t, ctx, "a-services", count(`.hearth-services tbody tr`)); n != 2 {
		t.Errorf("A sees %d services, want 2", n)
	}
	do(t, ctx, "a-open-sharing",
		chromedp.Click(chromedp.CSS(`.hearth-client-links a[href="/live/clients/sh1/sharing"]`)),
		chromedp.WaitVisible(chromedp.ID("signature-canvas")),
		chromedp.Click(chromedp.CSS(`label[for="restriction-release"]`)),
		chromedp.Click(chromedp.CSS(`#restriction-heading ~ form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.usa-alert--success`)),
	)
	if got := read(t, ctx, "a-restriction", chromedp.Text(chromedp.CSS(`.hearth-restriction`))); got != "Share Intake to MOU / Information Release" {
		t.Errorf("restriction after saving: %q", got)
	}
	do(t, ctx, "a-fill-release",
		chromedp.Click(chromedp.CSS(`label[for="org-ORGB"]`)),
		chromedp.SendKeys(chromedp.ID("number"), "ROI-B-1"),
		chromedp.ScrollIntoView(chromedp.ID("signature-canvas")),
	)
	// Draw a signature: press, a zig-zag of moves with the left button
	// held, release — the pointer events the pad listens to.
	rect := read(t, ctx, "canvas-rect", chromedp.Evaluate[[]float64](
		`(r => [r.left, r.top, r.width, r.height])(document.getElementById("signature-canvas").getBoundingClientRect())`))
	if len(rect) != 4 || rect[2] < 100 || rect[3] < 30 {
		t.Fatalf("signature canvas rect %v", rect)
	}
	held := func(p *input.DispatchMouseEventParams) { p.Button, p.Buttons = input.MouseButtonLeft, 1 }
	x0, y0, w, h := rect[0], rect[1], rect[2], rect[3]
	signature := func(name string) string {
		t.Helper()
		return read(t, ctx, name, chromedp.Evaluate[string](`document.getElementById("signature").value`))
	}
	clear := func(name string) {
		t.Helper()
		do(t, ctx, name, chromedp.Click(chromedp.CSS(`[data-signature-clear]`)))
		if v := signature(name + "-value"); v != "" {
			t.Errorf("%s: the signature is still there (%d characters)", name, len(v))
		}
	}
	// A finger: touch events, which the browser turns into pointer events.
	touch := func(typ input.DispatchTouchEventType, pts ...*input.TouchPoint) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: append([]*input.TouchPoint{}, pts...)})
			return err
		})
	}
	finger := []chromedp.Action[chromedp.Void]{touch(input.DispatchTouchEventTypeTouchStart, &input.TouchPoint{X: x0 + 0.2*w, Y: y0 + 0.5*h})}
	for i := 1; i <= 10; i++ {
		finger = append(finger, touch(input.DispatchTouchEventTypeTouchMove, &input.TouchPoint{X: x0 + (0.2+0.06*float64(i))*w, Y: y0 + h*(0.3+0.04*float64(i))}))
	}
	finger = append(finger, touch(input.DispatchTouchEventTypeTouchEnd))
	do(t, ctx, "finger", finger...)
	if v := signature("finger-value"); !strings.HasPrefix(v, sigPrefix) {
		t.Errorf("a finger did not sign: %.40q", v)
	}
	clear("finger-clear")
	// A pen, with pressure.
	pen := func(p *input.DispatchMouseEventParams) {
		p.Button, p.Buttons, p.PointerType, p.Force = input.MouseButtonLeft, 1, input.DispatchMouseEventPointerTypePen, 0.7
	}
	stylus := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(chromedp.MousePressed, x0+0.3*w, y0+0.4*h, pen, chromedp.ClickCount(1))}
	for i := 1; i <= 10; i++ {
		stylus = append(stylus, chromedp.MouseEvent(chromedp.MouseMoved, x0+(0.3+0.04*float64(i))*w, y0+0.4*h+float64(i), pen))
	}
	stylus = append(stylus, chromedp.MouseEvent(chromedp.MouseReleased, x0+0.7*w, y0+0.5*h, pen, chromedp.ClickCount(1)))
	do(t, ctx, "pen", stylus...)
	if v := signature("pen-value"); !strings.HasPrefix(v, sigPrefix) {
		t.Errorf("a pen did not sign: %.40q", v)
	}
	clear("pen-clear")
	// The mouse: this is the signature recorded.
	strokes := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(chromedp.MousePressed, x0+0.1*w, y0+0.6*h, held, chromedp.ClickCount(1))}
	for i := 1; i <= 24; i++ {
		x := x0 + (0.1+0.8*float64(i)/24)*w
		y := y0 + h*(0.3+0.4*float64(i%2))
		strokes = append(strokes, chromedp.MouseEvent(chromedp.MouseMoved, x, y, held))
	}
	strokes = append(strokes, chromedp.MouseEvent(chromedp.MouseReleased, x0+0.9*w, y0+0.5*h, held, chromedp.ClickCount(1)))
	do(t, ctx, "a-sign", strokes...)
	sig := signature("signature-value")
	if !strings.HasPrefix(sig, sigPrefix) || len(sig) < 500 {
		t.Fatalf("the pad stored %d characters (%.40q), want a PNG data URL", len(sig), sig)
	}
	if status := read(t, ctx, "pad-status", chromedp.Text(chromedp.CSS(`[data-signature-status]`))); !strings.HasPrefix(status, "Signed.") {
		t.Errorf("pad status %q", status)
	}
	do(t, ctx, "a-save-release",
		chromedp.Click(chromedp.CSS(`.hearth-release-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-releases`)),
	)
	if got := read(t, ctx, "release-status", chromedp.Text(chromedp.CSS(`.hearth-releases tbody tr .hearth-release-status`))); !strings.EqualFold(got, "active") {
		t.Errorf("release status %q, want active", got)
	}
	// The stored signature is shown: an image that loaded, as wide as drawn.
	do(t, ctx, "signature-image", chromedp.WaitVisible(chromedp.CSS(`img.hearth-signature-image`)))
	if nw := read(t, ctx, "signature-width", chromedp.Evaluate[int](
		`(() => { const i = document.querySelector("img.hearth-signature-image"); return i.complete ? i.naturalWidth : -1 })()`)); nw != 600 {
		t.Errorf("signature image natural width %d, want 600 (the canvas)", nw)
	}
	artifact(t, ctx, "release-page")
	signOut("a-signout")

	// 3. B finds the client, sees the intake and the enrollment, not the
	// restricted DV service.
	signInAs("b-signin-2", "cmb")
	if !findAsB("b-find-release") {
		t.Fatalf("B does not find the client under an active release naming B")
	}
	do(t, ctx, "b-open",
		chromedp.Click(chromedp.CSS(`#client-results a[href="/live/clients/sh1"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-services`)),
	)
	if h1 := read(t, ctx, "b-h1", chromedp.Text(chromedp.CSS(`h1`))); h1 != "Marisol Quennell’s Dashboard" {
		t.Errorf("B's dashboard: %q", h1)
	}
	facts := read(t, ctx, "b-facts", chromedp.Text(chromedp.CSS(`.hearth-facts`)))
	if !strings.Contains(facts, "06/07/1984") {
		t.Errorf("B's intake facts lack the date of birth: %q", facts)
	}
	if n := read(t, ctx, "b-enrollments", count(`.hearth-enrollments tbody tr`)); n != 1 {
		t.Errorf("B sees %d enrollments, want 1", n)
	}
	services := read(t, ctx, "b-services", chromedp.Text(chromedp.CSS(`.hearth-services`)))
	if n := read(t, ctx, "b-service-rows", count(`.hearth-services tbody tr`)); n != 1 || strings.Contains(services, "02/14/2026") {
		t.Errorf("B sees %d services (%q); want 1, without the DV service of 02/14/2026", n, services)
	}
	artifact(t, ctx, "release-b-dashboard")
	signOut("b-signout-2")

	// 4. A revokes the release, one click with a reason.
	signInAs("a-signin-2", "cma")
	do(t, ctx, "a-revoke",
		chromedp.Navigate(base+"/live/clients/sh1/sharing"),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-revoke`)),
		chromedp.SendKeys(chromedp.CSS(`.hearth-revoke input[name=reason]`), "Client withdrew consent"),
		chromedp.Click(chromedp.CSS(`.hearth-revoke button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.usa-alert--success`)),
	)
	if got := read(t, ctx, "revoked-status", chromedp.Text(chromedp.CSS(`.hearth-releases tbody tr .hearth-release-status`))); !strings.EqualFold(got, "revoked") {
		t.Errorf("status after revoke %q", got)
	}
	artifact(t, ctx, "release-revoked")
	signOut("a-signout-2")

	// 5. B finds nothing again.
	signInAs("b-signin-3", "cmb")
	if findAsB("b-find-after") {
		t.Errorf("B still finds the client after the release was revoked")
	}
	if h1 := dashboardTitle("b-dashboard-after"); strings.Contains(h1, "Marisol") {
		t.Errorf("B opens the dashboard after the revoke: %q", h1)
	}
	// The only console errors are the two 404s of B opening the hidden
	// dashboard (steps 1 and 5).
	var other []string
	notFound := 0
	for _, e := range errs.all() {
		if strings.Contains(e, "404 (Not Found)") && strings.Contains(e, base+"/live/clients/sh1)") {
			notFound++
			continue
		}
		other = append(other, e)
	}
	if notFound != 2 || len(other) > 0 {
		t.Errorf("console: %d 404s of the hidden dashboard (want 2), other errors: %v", notFound, other)
	}
}
