package web

import (
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

// TestAssessments_Pages: an administrator defines an assessment for the
// organization; a case manager answers it for a client (bad answers kept
// and refused on the question); the client's list shows it with the HUD
// entry assessment; another organization's user reaches none of it.
func TestAssessments_Pages(t *testing.T) {
	app := newTestApp(t, nil)
	st := seedClients(t, app)
	entry := hud.DataCollectionStage(1)
	must(t, store.CreateRecord(storetest.Context(t), st, &hmis.IncomeBenefits{EnrollmentID: "E2", PersonalID: "lennon02",
		InformationDate: hmis.MustDate("2024-01-05"), DataCollectionStage: &entry, IncomeFromAnySource: new(hud.NoYesReasonsForMissingData(0))}))

	adm := app.browser(t)
	adm.signIn("live", "admin")
	res := adm.post("/live/setup/assessments", url.Values{"organization_id": {"ORG1"}, "name": {""}, "active": {"1"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("assessment without a name: %d", res.Status)
	}
	wantContains(t, "no name", res.Body, `id="name-error"`)
	res = adm.post("/live/setup/assessments", url.Values{"organization_id": {"ORG1"}, "name": {"Housing barriers"}, "active": {"1"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("add assessment: %d %s", res.Status, res.Body)
	}
	href := res.Header.Get("Location")
	res = adm.post(href+"/questions", url.Values{"label": {"Preferred area"}, "kind": {"choice"}, "choices": {"North"}})
	wantContains(t, "one choice", res.Body, `id="choices-error"`, `value="Preferred area"`)
	for _, q := range []url.Values{
		{"label": {"Eviction in the past year?"}, "kind": {"yes_no"}, "required": {"1"}},
		{"label": {"Rent they can afford"}, "kind": {"number"}},
		{"label": {"Preferred area"}, "kind": {"choice"}, "choices": {"North\r\nSouth"}},
	} {
		if res := adm.post(href+"/questions", q); res.Status != http.StatusSeeOther {
			t.Fatalf("add question: %d %s", res.Status, res.Body)
		}
	}
	page := adm.get(href)
	wantContains(t, "assessment page", page.Body, "Eviction in the past year?", "North, South", "Yes or no")

	cm := app.browser(t)
	cm.signIn("live", "casey")
	list := cm.get("/live/clients/lennon02/assessments")
	wantContains(t, "list", list.Body, "Housing barriers", "Income, benefits and health insurance (4.02–4.04)", "Start (project entry)")
	answer := links(list.Body, "hearth-start-assessment", "</ul>")
	if len(answer) != 1 {
		t.Fatalf("start links %v", answer)
	}
	form := cm.get(answer[0])
	qids := regexpAll(form.Body, `name="q_([0-9a-f]+)"`)
	if len(qids) != 3 {
		t.Fatalf("questions on the form: %v", qids)
	}
	aid := regexpAll(form.Body, `name="assessment_id" value="([0-9a-f]+)"`)[0]
	today := usDate(hmis.DateOf(time.Now()))
	bad := url.Values{"assessment_id": {aid}, "assessment_date": {today}, "q_" + qids[1]: {"a lot"}, "q_" + qids[2]: {"South"}}
	res = cm.post("/live/clients/lennon02/assessments", bad)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad answers: %d", res.Status)
	}
	wantContains(t, "bad answers", res.Body, `id="q_`+qids[0]+`-error"`, `id="q_`+qids[1]+`-error"`, `value="a lot"`)
	good := url.Values{"assessment_id": {aid}, "assessment_date": {today}, "enrollment_id": {"E2"}, "stage": {"2"},
		"q_" + qids[0]: {"Yes"}, "q_" + qids[1]: {"900"}, "q_" + qids[2]: {"South"}}
	res = cm.post("/live/clients/lennon02/assessments", good)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("answers: %d %s", res.Status, res.Body)
	}
	list = cm.get(res.Header.Get("Location"))
	wantContains(t, "after answering", list.Body, "The assessment was saved.", "Eviction in the past year?", "<dd>900</dd>", "Update")
	if i, j := strings.Index(list.Body, "Housing barriers"), strings.Index(list.Body, "Income, benefits"); i < 0 || j < i {
		t.Errorf("newest first: the answered assessment at %d, the entry assessment at %d", i, j)
	}

	// Julia Lennon's stay (since 01/05/2024, open) has had an anniversary
	// without an annual assessment: on her page and the dashboard.
	wantContains(t, "annual due", list.Body, "Annual assessments due", "Hope Emergency Shelter")
	dash := cm.get("/live/")
	wantContains(t, "dashboard", dash.Body, "Annual assessments due", `href="/live/clients/lennon02/assessments"`)

	// The menu option; another organization's user; a case manager in Setup.
	wantContains(t, "menu option", cm.get("/live/clients/assessments").Body, "Assessments: Julia Lennon")
	o := app.browser(t)
	o.signIn("live", "other")
	if res := o.get("/live/clients/lennon02/assessments"); res.Status != http.StatusNotFound {
		t.Errorf("other org's list: %d", res.Status)
	}
	if res := o.post("/live/clients/lennon02/assessments", good); res.Status != http.StatusNotFound {
		t.Errorf("other org answers: %d", res.Status)
	}
	if res := cm.get(href); res.Status != http.StatusNotFound {
		t.Errorf("case manager in Setup: %d", res.Status)
	}
}
