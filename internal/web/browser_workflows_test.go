package web

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// TestBrowser_Workflows: an intake of a household of three (two adults, a
// child) into an ESG emergency shelter, refused on the right field for a
// second head of household and for an exit before the start, paused after
// the income step, resumed from Home → Paused Applications and completed;
// a service is recorded; then the household exits with a destination.
func TestBrowser_Workflows(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t, nil)
	st := seedFamily(t, app)
	base := app.srv.URL
	errs := &consoleErrors{}
	errs.watch(ctx, "live")
	do(t, ctx, "signin", signIn(base, "live")...)

	today := hmis.DateOf(time.Now())
	entry := today.AddDays(-20).Format("01/02/2006")
	tooEarly := today.AddDays(-25).Format("01/02/2006")
	exit := today.AddDays(-1).Format("01/02/2006")

	set := func(id, value string) chromedp.Action[chromedp.Void] {
		return chromedp.SetValue(chromedp.ID(id), value)
	}
	atStep := func(n int) chromedp.Action[chromedp.Void] {
		return chromedp.WaitVisible(`//p[@id="step-progress"][normalize-space()="Step ` + itoa(n) + ` of 9"]`)
	}
	next := chromedp.Click(chromedp.CSS(`button[value="next"]`))
	adults, all := []string{"rivera01", "rivera02"}, []string{"rivera01", "rivera02", "rivera03"}
	each := func(who []string, field, value string) []chromedp.Action[chromedp.Void] {
		var out []chromedp.Action[chromedp.Void]
		for _, p := range who {
			out = append(out, set("f-"+p+"-"+field, value))
		}
		return out
	}

	// Start from the client dashboard: the program, the household, the head.
	do(t, ctx, "start",
		chromedp.Navigate(base+"/live/clients/rivera01"),
		chromedp.WaitVisible(chromedp.CSS(`#workflows-heading`)),
		chromedp.Click(`//a[normalize-space()="Start an intake"]`),
		chromedp.WaitVisible(chromedp.ID("project")),
		set("project", "ES2"),
		chromedp.Click(chromedp.CSS(`label[for="member-rivera02"]`)),
		chromedp.Click(chromedp.CSS(`label[for="member-rivera03"]`)),
		set("rel-rivera02", "3"),
		set("rel-rivera03", "2"),
		chromedp.Click(`//button[normalize-space()="Start Intake"]`),
		atStep(1),
	)
	artifact(t, ctx, "workflow-identity")
	steps := append(each(adults, "veteran-status", "0"), each(all, "sex", "0")...)
	do(t, ctx, "identity", append(steps, next, atStep(2))...)

	// A second head of household: refused on that member's relationship.
	do(t, ctx, "two-heads", set("f-rivera02-relationship", "1"), next, chromedp.WaitVisible(chromedp.ID("f-rivera02-relationship-error")))
	artifact(t, ctx, "workflow-two-heads")
	if msg := read(t, ctx, "two-heads-msg", chromedp.Text(chromedp.ID("f-rivera02-relationship-error"))); !strings.Contains(msg, "exactly one head of household") {
		t.Errorf("second head message %q", msg)
	}
	do(t, ctx, "household", set("f-rivera02-relationship", "3"), next, atStep(3))

	// An exit before the start: refused on the exit date.
	do(t, ctx, "exit-before-start",
		set("f-entry-date", entry), set("f-enrollment-coc", "CA-500"),
		set("f-exit-date", tooEarly), set("f-past-destination", "410"),
		next, chromedp.WaitVisible(chromedp.ID("f-exit-date-error")))
	artifact(t, ctx, "workflow-exit-before-start")
	if msg := read(t, ctx, "exit-msg", chromedp.Text(chromedp.ID("f-exit-date-error"))); !strings.Contains(msg, "cannot be before the project start date") {
		t.Errorf("exit-before-start message %q", msg)
	}
	if v := read(t, ctx, "kept", chromedp.Evaluate[string](`document.getElementById("f-entry-date").value`)); v != entry {
		t.Errorf("the start date typed was not kept: %q", v)
	}
	read(t, ctx, "clear-exit", chromedp.Evaluate[bool](`document.getElementById("f-exit-date").value = ""; document.getElementById("f-past-destination").value = ""; true`))
	do(t, ctx, "enrollment", next, atStep(4))

	steps = append(each(adults, "living-situation", "116"), each(adults, "length-of-stay", "2")...)
	steps = append(steps, each(adults, "times-homeless", "1")...)
	steps = append(steps, each(adults, "months-homeless", "101")...)
	steps = append(steps, each(adults, "date-to-street", entry)...) // 3.917.3: required by 3.917A
	do(t, ctx, "living", append(steps, next, atStep(5))...)

	do(t, ctx, "income",
		set("f-rivera01-income-from-any-source", "1"), set("f-rivera01-earned-amount", "1200"),
		set("f-rivera01-total-monthly-income", "1200"), set("f-rivera02-income-from-any-source", "0"),
		set("f-rivera01-benefits-from-any-source", "1"), chromedp.Click(chromedp.CSS(`label[for="f-rivera01-snap"]`)),
		set("f-rivera02-benefits-from-any-source", "0"),
		next, atStep(6))
	// Pause after the income step; resume from Home → Paused Applications.
	do(t, ctx, "pause",
		chromedp.Click(chromedp.CSS(`button[value="pause"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-paused`)),
		chromedp.Navigate(base+"/live/"),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-counts`)),
		chromedp.Click(`//nav[@class="hearth-sidenav"]//a[normalize-space()="Paused Applications"]`),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-paused`)),
	)
	artifact(t, ctx, "workflow-paused")
	if row := read(t, ctx, "paused-row", chromedp.Text(chromedp.CSS(`.hearth-paused tbody tr`))); !strings.Contains(row, "Rivera, Maria") || !strings.Contains(row, "step 6") {
		t.Errorf("paused row %q", row)
	}
	do(t, ctx, "resume",
		chromedp.Click(chromedp.CSS(`.hearth-paused tbody a`)),
		atStep(6),
		chromedp.Click(`//button[normalize-space()="Back"]`),
		atStep(5),
	)
	if v := read(t, ctx, "income-kept", chromedp.Evaluate[string](`document.getElementById("f-rivera01-earned-amount").value`)); v != "1200" {
		t.Errorf("the income typed before the pause: %q", v)
	}
	do(t, ctx, "income-again", next, atStep(6))
	stepURL := read(t, ctx, "step-url", chromedp.Location())
	// Typed answers are kept as they are typed (autosave on change), even
	// if the page is left without saving: wait for htmx's request to end.
	read(t, ctx, "listen", chromedp.Evaluate[bool](`window.autosaved = false; document.body.addEventListener("htmx:afterRequest", () => { window.autosaved = true }); true`))
	do(t, ctx, "autosave", chromedp.SetValue(chromedp.ID("f-rivera01-insurance-from-any-source"), "1"))
	read(t, ctx, "change", chromedp.Evaluate[bool](`document.getElementById("f-rivera01-insurance-from-any-source").dispatchEvent(new Event("change", {bubbles: true}))`))
	read(t, ctx, "autosaved", chromedp.Poll[bool](`window.autosaved === true`))
	do(t, ctx, "leave", chromedp.Navigate(base+"/live/clients/rivera01"), chromedp.WaitVisible(chromedp.CSS(`#workflows-heading`)))
	do(t, ctx, "reopen", chromedp.Navigate(stepURL), atStep(6))
	if v := read(t, ctx, "autosaved", chromedp.Evaluate[string](`document.getElementById("f-rivera01-insurance-from-any-source").value`)); v != "1" {
		t.Errorf("the answer typed before leaving the page: %q", v)
	}
	do(t, ctx, "insurance", append(each(all, "insurance-from-any-source", "0"), next, atStep(7))...)
	steps = nil
	for _, d := range []string{"4-05", "4-06", "4-07", "4-08", "4-09", "4-10"} {
		steps = append(steps, each(all, "dis-"+d, "0")...)
	}
	steps = append(steps, each(all, "disabling-condition", "0")...)
	do(t, ctx, "disabilities", append(steps, next, atStep(8))...)
	do(t, ctx, "dv", append(each(adults, "dv-survivor", "0"), next, atStep(9))...)
	saveScreenshot(t, ctx, t.TempDir(), "workflow-review")
	artifact(t, ctx, "workflow-review")
	do(t, ctx, "complete",
		chromedp.Click(chromedp.CSS(`button[value="complete"]`)),
		chromedp.WaitVisible(`//p[contains(., "The Intake was completed")]`),
	)
	artifact(t, ctx, "workflow-enrollments")

	// A service recorded for the head of household under the new stay,
	// from the program's catalog (issue 5 point 9).
	sctx0 := storetest.Context(t)
	meal := store.CatalogEntry{ProjectID: "ES2", Name: "Hot meal", Unit: "meal", DefaultUnits: 1, Active: true}
	must(t, st.SaveCatalogEntry(sctx0, &meal))
	ens, err := store.FindRecords[hmis.Enrollment](sctx0, st, store.RecordFilter{PersonalID: "rivera01", ProjectID: "ES2"})
	if err != nil || len(ens) != 1 {
		t.Fatalf("the new enrollment: %+v, %v", ens, err)
	}
	do(t, ctx, "service",
		chromedp.Navigate(base+"/live/clients/rivera01/services"),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-service-form`)),
		chromedp.SetValue(chromedp.ID("service"), ens[0].EnrollmentID+"|"+meal.ID),
		chromedp.Click(chromedp.CSS(`.hearth-service-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-client-services`)),
	)
	artifact(t, ctx, "workflow-service")
	if row := read(t, ctx, "service-row", chromedp.Text(chromedp.CSS(`.hearth-client-services tbody tr`))); !strings.Contains(row, "Hot meal") {
		t.Errorf("service row %q", row)
	}
	do(t, ctx, "back-to-enrollments",
		chromedp.Navigate(base+"/live/clients/rivera01/enrollments"),
		chromedp.WaitVisible(`//tr[th[contains(., "Hope Family Shelter")]]//a[normalize-space()="Exit"]`),
	)

	// The household exits together with a destination.
	do(t, ctx, "exit-start",
		chromedp.Click(`//tr[th[contains(., "Hope Family Shelter")]]//a[normalize-space()="Exit"]`),
		chromedp.WaitVisible(`//button[normalize-space()="Start Exit"]`),
		chromedp.Click(`//button[normalize-space()="Start Exit"]`),
		chromedp.WaitVisible(chromedp.ID("f-exit-date")),
	)
	exitAt := func(n int) chromedp.Action[chromedp.Void] {
		return chromedp.WaitVisible(`//p[@id="step-progress"][normalize-space()="Step ` + itoa(n) + ` of 5"]`)
	}
	do(t, ctx, "exit-1", append(append([]chromedp.Action[chromedp.Void]{set("f-exit-date", exit)}, each(all, "destination", "410")...), next, exitAt(2))...)
	do(t, ctx, "exit-2", append(append(each(adults, "income-from-any-source", "0"), each(adults, "benefits-from-any-source", "0")...), next, exitAt(3))...)
	do(t, ctx, "exit-3", append(each(all, "insurance-from-any-source", "0"), next, exitAt(4))...)
	steps = nil
	for _, d := range []string{"4-05", "4-06", "4-07", "4-08", "4-09", "4-10"} {
		steps = append(steps, each(all, "dis-"+d, "0")...)
	}
	do(t, ctx, "exit-4", append(steps, next, exitAt(5))...)
	do(t, ctx, "exit-complete",
		chromedp.Click(chromedp.CSS(`button[value="complete"]`)),
		chromedp.WaitVisible(`//p[contains(., "The Exit was completed")]`),
	)
	artifact(t, ctx, "workflow-exited")
	if cell := read(t, ctx, "exit-date", chromedp.Text(`//tr[th[contains(., "Hope Family Shelter")]]/td[5]`)); cell != exit {
		t.Errorf("exit date cell %q, want %s", cell, exit)
	}

	// The administrators' view of the derived workflow.
	do(t, ctx, "admin-workflows",
		chromedp.Navigate(base+"/live/home/workflows"),
		chromedp.WaitVisible(chromedp.ID("wf-project")),
		chromedp.SetValue(chromedp.ID("wf-project"), "ES2"),
		chromedp.Click(`//button[normalize-space()="Show"]`),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-wf-steps`)),
	)
	artifact(t, ctx, "workflow-admin")
	if n := read(t, ctx, "admin-steps", count(`.hearth-wf-steps tbody tr`)); n != 8 {
		t.Errorf("%d steps in the ESG shelter's intake, want 8", n)
	}

	sctx := storetest.Context(t)
	xs, err := store.FindRecords[hmis.Exit](sctx, st, store.RecordFilter{})
	must(t, err)
	n := 0
	for _, x := range xs {
		if x.ExitDate.Format("01/02/2006") == exit && x.Destination != nil && *x.Destination == 410 {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d members exited to 410 on %s, want 3", n, exit)
	}
	ibs, err := store.FindRecords[hmis.IncomeBenefits](sctx, st, store.RecordFilter{PersonalID: "rivera01"})
	must(t, err)
	if len(ibs) != 2 {
		t.Errorf("the head's income records: %d, want entry and exit", len(ibs))
	}
	// The two refused steps answer 422, which Chromium logs; nothing else may.
	var other []string
	for _, e := range errs.all() {
		if !strings.Contains(e, "status of 422") {
			other = append(other, e)
		}
	}
	if len(other) > 0 {
		t.Errorf("console errors: %v", other)
	}
}
