package web

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// TestBrowser_PartnerFollowUps: on an RHY intake's RHY step, a follow-up
// question is hidden until its trigger answer is chosen
// (static/workflow_followups.js, no inline script), shown then, and hidden
// and emptied when the trigger changes; nested ones (R15.D after R15.C)
// follow their trigger's trigger.
func TestBrowser_PartnerFollowUps(t *testing.T) {
	if os.Getenv(browserEnv) != "1" {
		t.Skipf("browser test skipped: set %s=1 to run it", browserEnv)
	}
	app := newTestApp(t, nil)
	site, _ := app.reg.Get("live")
	st := site.Store
	sctx := storetest.Context(t)
	typ, f := hud.ProjectTypeTransitionalHousing, hud.FundingSource(24)
	must(t, store.CreateRecord(sctx, st, &hmis.Project{ProjectID: "T-RHY", OrganizationID: "ORG1", ProjectName: "Youth Haven",
		OperatingStartDate: hmis.MustDate("2020-01-01"), ProjectType: &typ}))
	must(t, store.CreateRecord(sctx, st, &hmis.Funder{FunderID: "FR", ProjectID: "T-RHY", Funder: &f, GrantID: "G",
		StartDate: hmis.MustDate("2020-01-01")}))
	must(t, store.CreateRecord(sctx, st, &hmis.ProjectCoC{ProjectCoCID: "CR", ProjectID: "T-RHY", CoCCode: "CA-500"}))
	must(t, store.CreateRecord(sctx, st, &hmis.Client{PersonalID: "youth01", FirstName: "Pat", LastName: "Young", DOB: hmis.MustDate("2007-03-04"),
		NameDataQuality: new(hud.NameDataQuality(1)), SSNDataQuality: new(hud.SSNDataQuality(99)), DOBDataQuality: new(hud.DOBDataQuality(1))}))
	must(t, storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG1'`))

	// The steps before RHY over HTTP, as the same user.
	b := app.browser(t)
	b.signIn("live", "admin")
	res := b.post("/live/workflows/start", url.Values{"stage": {"intake"}, "client": {"youth01"}, "project": {"T-RHY"}, "rel.youth01": {"1"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("start %d", res.Status)
	}
	draft := strings.TrimSuffix(res.Header.Get("Location"), "/step/1")
	entry := hmis.DateOf(time.Now()).AddDays(-10).Format("01/02/2006")
	rhy, living := "", ""
	for n := 1; n < 20 && rhy == ""; n++ {
		page := b.get(draft + "/step/" + itoa(n))
		if strings.Contains(page.Body, `id="step-name">Prior living situation<`) {
			living = draft + "/step/" + itoa(n)
		}
		if strings.Contains(page.Body, `id="step-name">RHY (R)<`) {
			rhy = draft + "/step/" + itoa(n)
			break
		}
		v := fillStep(page.Body, map[string]string{"entry_date": entry})
		v.Set("version", versionRE.FindStringSubmatch(page.Body)[1])
		v.Set("action", "next")
		if res := b.post(draft+"/step/"+itoa(n), v); res.Status != http.StatusSeeOther {
			t.Fatalf("step %d: %d %s", n, res.Status, errorsOf(res.Body))
		}
	}
	if rhy == "" {
		t.Fatal("no RHY step")
	}

	// A coordinated entry intake up to its contact step (4.12), over HTTP
	// before the browser signs in (which ends this session).
	ceType, ceFunder := hud.ProjectTypeCoordinatedEntry, hud.FundingSource(4)
	must(t, store.CreateRecord(sctx, st, &hmis.Project{ProjectID: "T-CE", OrganizationID: "ORG1", ProjectName: "Front Door CE",
		OperatingStartDate: hmis.MustDate("2020-01-01"), ProjectType: &ceType}))
	must(t, store.CreateRecord(sctx, st, &hmis.Funder{FunderID: "FCE", ProjectID: "T-CE", Funder: &ceFunder, GrantID: "G",
		StartDate: hmis.MustDate("2020-01-01")}))
	must(t, store.CreateRecord(sctx, st, &hmis.ProjectCoC{ProjectCoCID: "CCE", ProjectID: "T-CE", CoCCode: "CA-500"}))
	must(t, store.CreateRecord(sctx, st, &hmis.Client{PersonalID: "ce01", FirstName: "Cy", LastName: "Entry", DOB: hmis.MustDate("1985-05-06"),
		NameDataQuality: new(hud.NameDataQuality(1)), SSNDataQuality: new(hud.SSNDataQuality(99)), DOBDataQuality: new(hud.DOBDataQuality(1))}))
	must(t, storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG1' WHERE personal_id = 'ce01'`))
	res = b.post("/live/workflows/start", url.Values{"stage": {"intake"}, "client": {"ce01"}, "project": {"T-CE"}, "rel.ce01": {"1"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("CE start %d %s", res.Status, errorsOf(res.Body))
	}
	draft = strings.TrimSuffix(res.Header.Get("Location"), "/step/1")
	contact := ""
	for n := 1; n < 20 && contact == ""; n++ {
		page := b.get(draft + "/step/" + itoa(n))
		if strings.Contains(page.Body, `id="step-name">Contact, engagement and move-in<`) {
			contact = draft + "/step/" + itoa(n)
			break
		}
		m := versionRE.FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatalf("CE step %d: %d %s %.300s", n, page.Status, errorsOf(page.Body), page.Body)
		}
		v := fillStep(page.Body, map[string]string{"entry_date": entry})
		v.Set("version", m[1])
		v.Set("action", "next")
		if res := b.post(draft+"/step/"+itoa(n), v); res.Status != http.StatusSeeOther {
			t.Fatalf("CE step %d: %d %s", n, res.Status, errorsOf(res.Body))
		}
	}
	if contact == "" {
		t.Fatal("no contact step")
	}

	ctx := newBrowser(t)
	errs := &consoleErrors{}
	errs.watch(ctx, "live")
	do(t, ctx, "signin", signIn(app.srv.URL, "live")...)
	choose := func(id, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`(function(){var e=document.getElementById("` + id + `");e.value="` + value +
			`";e.dispatchEvent(new Event("change",{bubbles:true}));})()`)
	}
	hidden := func(id string) bool {
		t.Helper()
		return read(t, ctx, "hidden "+id, chromedp.Evaluate[bool](`document.getElementById("`+id+`").closest("[data-wf-show-if]").hidden`))
	}
	value := func(id string) string {
		t.Helper()
		return read(t, ctx, "value "+id, chromedp.Evaluate[string](`document.getElementById("`+id+`").value`))
	}
	// 3.917B (transitional housing): 3.917.2C after a short institutional
	// stay (two fields must hold), the history after 2C Yes.
	do(t, ctx, "living", chromedp.Navigate(app.srv.URL+living), chromedp.WaitVisible(chromedp.ID("f-youth01-living-situation")))
	if !hidden("f-youth01-previous-street-essh") || !hidden("f-youth01-date-to-street") {
		t.Error("3.917.2C or 3.917.3 shown before their triggers")
	}
	do(t, ctx, "jail", choose("f-youth01-living-situation", "207"), choose("f-youth01-length-of-stay", "2"))
	if hidden("f-youth01-previous-street-essh") || !hidden("f-youth01-date-to-street") {
		t.Error("3.917.2C not shown after a jail stay under 90 days")
	}
	do(t, ctx, "street", choose("f-youth01-previous-street-essh", "1"))
	if hidden("f-youth01-date-to-street") || hidden("f-youth01-months-homeless") {
		t.Error("3.917.3–5 not shown after 2C Yes")
	}
	artifact(t, ctx, "workflow-followups-3917b")
	do(t, ctx, "long", choose("f-youth01-length-of-stay", "4"))
	if !hidden("f-youth01-previous-street-essh") || !hidden("f-youth01-date-to-street") || value("f-youth01-previous-street-essh") != "" {
		t.Error("3.917.2C and 3.917.3 not hidden and emptied after a long stay")
	}
	do(t, ctx, "rhy", chromedp.Navigate(app.srv.URL+rhy), chromedp.WaitVisible(chromedp.ID("f-youth01-referral-source")))
	for _, id := range []string{"f-youth01-outreach-approaches", "f-youth01-due-date", "f-youth01-employment-type", "f-youth01-not-employed-reason"} {
		if !hidden(id) {
			t.Errorf("%s shown before its trigger", id)
		}
	}
	do(t, ctx, "outreach", choose("f-youth01-referral-source", "7"), choose("f-youth01-pregnancy", "1"), choose("f-youth01-employed", "0"))
	for _, id := range []string{"f-youth01-outreach-approaches", "f-youth01-due-date", "f-youth01-not-employed-reason"} {
		if hidden(id) {
			t.Errorf("%s hidden after its trigger", id)
		}
	}
	if !hidden("f-youth01-employment-type") {
		t.Error("R6.A shown when not employed")
	}
	do(t, ctx, "type", chromedp.SendKeys(chromedp.ID("f-youth01-outreach-approaches"), "3"))
	artifact(t, ctx, "workflow-followups-shown")
	do(t, ctx, "change", choose("f-youth01-referral-source", "1"))
	if !hidden("f-youth01-outreach-approaches") || value("f-youth01-outreach-approaches") != "" {
		t.Errorf("R1.A not hidden and emptied when the referral source changed: %q", value("f-youth01-outreach-approaches"))
	}

	// 4.12 (coordinated entry): 4.12.B after a temporary situation,
	// 4.12.C–F after 4.12.B Yes; 4.12.3 verified by is asked.
	do(t, ctx, "cls", chromedp.Navigate(app.srv.URL+contact), chromedp.WaitVisible(chromedp.ID("f-ce01-current-living-situation")))
	if !hidden("f-ce01-cls-leave-14-days") || !hidden("f-ce01-cls-subsequent-residence") {
		t.Error("4.12.B or 4.12.C shown before their triggers")
	}
	do(t, ctx, "cls-temporary", choose("f-ce01-current-living-situation", "302"))
	if hidden("f-ce01-cls-leave-14-days") || !hidden("f-ce01-cls-moved-two-or-more") {
		t.Error("4.12.B not shown after a temporary situation, or 4.12.F shown before 4.12.B")
	}
	do(t, ctx, "cls-leave", choose("f-ce01-cls-leave-14-days", "1"),
		chromedp.SendKeys(chromedp.ID("f-ce01-cls-verified-by"), "Front Door CE"))
	for _, id := range []string{"f-ce01-cls-subsequent-residence", "f-ce01-cls-resources-to-obtain",
		"f-ce01-cls-lease-own-60-day", "f-ce01-cls-moved-two-or-more"} {
		if hidden(id) {
			t.Errorf("%s hidden after 4.12.B Yes", id)
		}
	}
	artifact(t, ctx, "workflow-followups-4-12")
	do(t, ctx, "cls-street", choose("f-ce01-current-living-situation", "116"))
	if !hidden("f-ce01-cls-leave-14-days") || value("f-ce01-cls-leave-14-days") != "" || !hidden("f-ce01-cls-subsequent-residence") {
		t.Error("4.12.B–F not hidden and emptied after a homeless situation")
	}
	for _, e := range errs.all() {
		t.Errorf("console: %s", e)
	}
}
