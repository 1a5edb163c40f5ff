package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/auth"
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

// TestAssessments_ServedClient: hidden01 is ORG2's client, served by ORG1
// (E9 in ORG1's P1). ORG1's case manager answers ORG1's assessment for
// them, tied to E9 (without an enrollment: the field says to choose one,
// what was typed kept); ORG2 sees the answer; a case manager of an
// unrelated organization gets "not found".
func TestAssessments_ServedClient(t *testing.T) {
	app := newTestApp(t, nil)
	st := seedClients(t, app)
	ctx := storetest.Context(t)
	must(t, store.CreateRecord(ctx, st, &hmis.Enrollment{EnrollmentID: "E9", PersonalID: "hidden01", ProjectID: "P1",
		EntryDate: hmis.DateOf(time.Now()).AddDays(-3), HouseholdID: "H9", RelationshipToHoH: new(hud.RelationshipToHoH(1))}))
	no := hud.NoYes(0)
	must(t, store.CreateRecord(ctx, st, &hmis.Organization{OrganizationID: "ORG3", OrganizationName: "Third Door", VictimServiceProvider: &no}))
	hash, err := auth.HashPassword(testPassword)
	must(t, err)
	_, err = st.CreateAccount(ctx, hmis.Account{Username: "stranger", OrganizationID: "ORG3", Role: hmis.RoleCaseManager,
		FirstName: "Sam", LastName: "Stranger"}, hash)
	must(t, err)
	adm := app.browser(t)
	adm.signIn("live", "admin")
	res := adm.post("/live/setup/assessments", url.Values{"organization_id": {"ORG1"}, "name": {"Housing barriers"}, "active": {"1"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("add assessment: %d %s", res.Status, res.Body)
	}
	if res := adm.post(res.Header.Get("Location")+"/questions", url.Values{"label": {"Preferred area"}, "kind": {"text"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("add question: %d %s", res.Status, res.Body)
	}

	cm := app.browser(t)
	cm.signIn("live", "casey")
	list := cm.get("/live/clients/hidden01/assessments")
	answer := links(list.Body, "hearth-start-assessment", "</ul>")
	if len(answer) != 1 {
		t.Fatalf("start links on the served client's assessments: %v", answer)
	}
	form := cm.get(answer[0])
	wantContains(t, "form", form.Body, `<option value="E9"`)
	qid := regexpAll(form.Body, `name="q_([0-9a-f]+)"`)[0]
	aid := regexpAll(form.Body, `name="assessment_id" value="([0-9a-f]+)"`)[0]
	v := url.Values{"assessment_id": {aid}, "assessment_date": {usDate(hmis.DateOf(time.Now()))}, "q_" + qid: {"Near the clinic"}}
	res = cm.post("/live/clients/hidden01/assessments", v)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("served client's assessment without an enrollment: %d", res.Status)
	}
	wantContains(t, "without an enrollment", res.Body, `id="enrollment_id-error"`, "Near the clinic")
	stranger := app.browser(t)
	stranger.signIn("live", "stranger")
	v.Set("enrollment_id", "E9")
	if res := stranger.post("/live/clients/hidden01/assessments", v); res.Status != http.StatusNotFound {
		t.Errorf("unrelated organization answers: %d", res.Status)
	}
	if res := stranger.get("/live/clients/hidden01/assessments"); res.Status != http.StatusNotFound {
		t.Errorf("unrelated organization's list: %d", res.Status)
	}
	res = cm.post("/live/clients/hidden01/assessments", v)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("served client's assessment on E9: %d %s", res.Status, res.Body)
	}
	wantContains(t, "after answering", cm.get(res.Header.Get("Location")).Body, "The assessment was saved.", "Near the clinic")
	owner := app.browser(t)
	owner.signIn("live", "other")
	wantContains(t, "owner's list", owner.get("/live/clients/hidden01/assessments").Body, "Housing barriers", "Near the clinic")
}
