package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/auth"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// seedFamily adds an ESG emergency shelter (entry/exit, CoC CA-500) and a
// household of three, two adults and a child, who stayed together in the
// night shelter before: demo-like data for the workflow tests.
func seedFamily(t *testing.T, a *testApp) *store.Store {
	t.Helper()
	site, _ := a.reg.Get("live")
	st := site.Store
	ctx := storetest.Context(t)
	es := hud.ProjectTypeEmergencyShelterEntryExit
	yes := hud.NoYes(1)
	must(t, store.CreateRecord(ctx, st, &hmis.Project{ProjectID: "ES2", OrganizationID: "ORG1", ProjectName: "Hope Family Shelter",
		OperatingStartDate: hmis.MustDate("2020-01-01"), ContinuumProject: &yes, ProjectType: &es}))
	esg := hud.FundingSourceHUDESGEmergencyShelter
	must(t, store.CreateRecord(ctx, st, &hmis.Funder{FunderID: "F2", ProjectID: "ES2", Funder: &esg, GrantID: "ESG-2",
		StartDate: hmis.MustDate("2020-01-01")}))
	must(t, store.CreateRecord(ctx, st, &hmis.ProjectCoC{ProjectCoCID: "PC2", ProjectID: "ES2", CoCCode: "CA-500"}))
	mk := func(id, first, last, dob string) {
		c := hmis.Client{PersonalID: id, FirstName: first, LastName: last, DOB: hmis.MustDate(dob),
			NameDataQuality: new(hud.NameDataQuality(1)), SSNDataQuality: new(hud.SSNDataQuality(99)),
			DOBDataQuality: new(hud.DOBDataQuality(1)), RaceNone: new(hud.RaceNone(9))}
		must(t, store.CreateRecord(ctx, st, &c))
	}
	mk("rivera01", "Maria", "Rivera", "1988-02-03")
	mk("rivera02", "Luis", "Rivera", "1986-07-08")
	mk("rivera03", "Sofia", "Rivera", "2017-05-06")
	must(t, storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG1' WHERE personal_id LIKE 'rivera%'`))
	for i, id := range []string{"rivera01", "rivera02", "rivera03"} {
		rel := hud.RelationshipToHoH([]int{1, 3, 2}[i])
		eid := "RE" + id[len(id)-1:]
		must(t, store.CreateRecord(ctx, st, &hmis.Enrollment{EnrollmentID: eid, PersonalID: id, ProjectID: "P1",
			EntryDate: hmis.MustDate("2025-01-05"), HouseholdID: "RH1", RelationshipToHoH: &rel}))
		must(t, store.CreateRecord(ctx, st, &hmis.Exit{ExitID: "RX" + id[len(id)-1:], EnrollmentID: eid, PersonalID: id,
			ExitDate: hmis.MustDate("2025-01-20"), Destination: new(hud.LivingSituation(116))}))
	}
	return st
}

var versionRE = regexp.MustCompile(`name="version" value="(\d+)"`)

// TestWorkflows_IntakePauseResumeExit walks an intake of a household of
// three through every step over HTTP, pauses and resumes it, completes it,
// checks the records, then exits the household.
func TestWorkflows_IntakePauseResumeExit(t *testing.T) {
	app := newTestApp(t, nil)
	st := seedFamily(t, app)
	b := app.browser(t)
	b.signIn("live", "admin")
	// Dates relative to today: the start date may not be in the future.
	today := hmis.DateOf(time.Now())
	entryDay := today.AddDays(-30)
	entry, early, exitDay := entryDay.Format("01/02/2006"), today.AddDays(-40).Format("01/02/2006"), today.AddDays(-2)

	res := b.get("/live/workflows/start?client=rivera01&stage=intake")
	if res.Status != http.StatusOK {
		t.Fatalf("start page %d: %s", res.Status, res.Body)
	}
	wantContains(t, "start", res.Body, "Hope Family Shelter", "Rivera, Luis", "Rivera, Sofia", `name="rel.rivera02"`)

	// No program: refused on the program field, members kept.
	res = b.post("/live/workflows/start", url.Values{"stage": {"intake"}, "client": {"rivera01"}, "member": {"rivera02"},
		"rel.rivera01": {"1"}, "rel.rivera02": {"3"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Choose the program to enroll in.") {
		t.Fatalf("no program: %d", res.Status)
	}
	res = b.post("/live/workflows/start", url.Values{"stage": {"intake"}, "client": {"rivera01"}, "project": {"ES2"},
		"member": {"rivera02", "rivera03"}, "rel.rivera01": {"1"}, "rel.rivera02": {"3"}, "rel.rivera03": {"2"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("start: %d %s", res.Status, res.Body)
	}
	loc := res.Header.Get("Location")
	base := strings.TrimSuffix(loc, "/step/1")
	if base == loc {
		t.Fatalf("start went to %s", loc)
	}
	step := func(n int, vals url.Values, action string) response {
		t.Helper()
		page := b.get(base + "/step/" + itoa(n))
		if page.Status != http.StatusOK {
			t.Fatalf("step %d: %d", n, page.Status)
		}
		if !strings.Contains(page.Body, "Step "+itoa(n)+" of 9") {
			t.Fatalf("step %d: no progress: %s", n, page.Body)
		}
		m := versionRE.FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatalf("step %d: no version", n)
		}
		vals.Set("version", m[1])
		vals.Set("action", action)
		return b.post(base+"/step/"+itoa(n), vals)
	}
	next := func(n int, vals url.Values) {
		t.Helper()
		if res := step(n, vals, "next"); res.Status != http.StatusSeeOther || res.Header.Get("Location") != base+"/step/"+itoa(n+1) {
			t.Fatalf("step %d: %d %s\n%s", n, res.Status, res.Header.Get("Location"), errorsOf(res.Body))
		}
	}
	adults := []string{"rivera01", "rivera02"}
	all := append(adults, "rivera03")
	set := func(v url.Values, who []string, field, value string) {
		for _, p := range who {
			v.Set(p+"."+field, value)
		}
	}
	// 1 Client identity: veteran status of the adults (3.07), sex (4.21).
	v := url.Values{}
	set(v, adults, "veteran_status", "0")
	set(v, all, "sex", "0")
	if res := step(1, url.Values{}, "next"); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "HUD requires 3.07") {
		t.Fatalf("identity without answers: %d", res.Status)
	}
	next(1, v)
	// 2 Household members: a second head is refused on that member.
	v = url.Values{"rivera01.relationship": {"1"}, "rivera02.relationship": {"1"}, "rivera03.relationship": {"2"}}
	res = step(2, v, "next")
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="f-rivera02-relationship-error"`) {
		t.Fatalf("two heads: %d %s", res.Status, errorsOf(res.Body))
	}
	v.Set("rivera02.relationship", "3")
	next(2, v)
	// 3 Enrollment: exit before start is refused on the exit date; typed values kept.
	v = url.Values{"entry_date": {entry}, "enrollment_coc": {"CA-500"}, "exit_date": {early}, "past_destination": {"410"}}
	res = step(3, v, "next")
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="f-exit-date-error"`) ||
		!strings.Contains(res.Body, `value="`+early+`"`) {
		t.Fatalf("exit before start: %d %s", res.Status, errorsOf(res.Body))
	}
	next(3, url.Values{"entry_date": {entry}, "enrollment_coc": {"CA-500"}})
	// 4 Prior living situation (3.917A: adults).
	v = url.Values{}
	set(v, adults, "living_situation", "116")
	set(v, adults, "length_of_stay", "2")
	set(v, adults, "times_homeless", "1")
	set(v, adults, "months_homeless", "101")
	set(v, adults, "date_to_street", entry) // 3.917.3: required by 3.917A
	next(4, v)
	// 5 Income and benefits, then pause on the next step.
	v = url.Values{"rivera01.income_from_any_source": {"1"}, "rivera01.earned_amount": {"1200"}, "rivera01.total_monthly_income": {"1200"},
		"rivera02.income_from_any_source": {"0"}}
	set(v, adults, "benefits_from_any_source", "0")
	next(5, v)
	if res := step(6, url.Values{"rivera01.insurance_from_any_source": {"1"}}, "pause"); res.Status != http.StatusSeeOther ||
		res.Header.Get("Location") != "/live/home/paused?paused=1" {
		t.Fatalf("pause: %d %s", res.Status, res.Header.Get("Location"))
	}
	// Home → Paused Applications lists it; Continue resumes at step 6 with the typed answer.
	res = b.get("/live/home/paused")
	wantContains(t, "paused", res.Body, "Rivera, Maria", "Hope Family Shelter", "step 6", `href="`+base+`"`)
	if dash := b.get("/live/clients/rivera03"); !strings.Contains(dash.Body, `href="`+base+`"`) {
		t.Error("the child's dashboard does not list the paused intake")
	}
	res = b.get(base)
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != base+"/step/6" {
		t.Fatalf("resume: %d %s", res.Status, res.Header.Get("Location"))
	}
	page := b.get(base + "/step/6")
	if !regexp.MustCompile(`name="rivera01.insurance_from_any_source"[^>]*>\s*<option value="">- Select -</option>(<option[^>]*>[^<]*</option>)*<option value="1" selected>`).MatchString(page.Body) {
		t.Errorf("the paused answer is not kept:\n%s", page.Body)
	}
	// 6 Health insurance (all members).
	v = url.Values{"rivera01.insurance_from_any_source": {"1"}, "rivera01.medicaid": {"1"}}
	set(v, []string{"rivera02", "rivera03"}, "insurance_from_any_source", "0")
	next(6, v)
	// 7 Disabilities: the child's impairing mental health disorder makes 3.08 Yes.
	v = url.Values{}
	for _, d := range []string{"4_05", "4_06", "4_07", "4_08", "4_09", "4_10"} {
		set(v, all, "dis_"+d, "0")
	}
	set(v, all, "disabling_condition", "0")
	v.Set("rivera03.dis_4_09", "1")
	v.Set("rivera03.dis_4_09_impairs", "1")
	if res := step(7, v, "next"); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Disabling condition must be Yes") {
		t.Fatalf("3.08 vs 4.09: %d", res.Status)
	}
	v.Set("rivera03.disabling_condition", "1")
	next(7, v)
	// 8 Domestic violence (adults).
	v = url.Values{}
	set(v, adults, "dv_survivor", "0")
	next(8, v)
	// 9 Review, complete.
	res = step(9, url.Values{}, "complete")
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/live/clients/rivera01/enrollments?done=intake" {
		t.Fatalf("complete: %d %s %s", res.Status, res.Header.Get("Location"), errorsOf(res.Body))
	}
	ctx := storetest.Context(t)
	ens, err := store.FindRecords[hmis.Enrollment](ctx, st, store.RecordFilter{ProjectID: "ES2"})
	must(t, err)
	if len(ens) != 3 {
		t.Fatalf("%d enrollments", len(ens))
	}
	for _, e := range ens {
		if e.EntryDate != entryDay || e.HouseholdID != ens[0].HouseholdID || e.EnrollmentCoC != "CA-500" {
			t.Errorf("enrollment %+v", e)
		}
	}
	ibs, err := store.FindRecords[hmis.IncomeBenefits](ctx, st, store.RecordFilter{PersonalID: "rivera01"})
	must(t, err)
	if len(ibs) != 1 || *ibs[0].DataCollectionStage != 1 || *ibs[0].TotalMonthlyIncome != 120000 || *ibs[0].Medicaid != 1 {
		t.Errorf("income %+v", ibs)
	}
	if hs, _ := store.FindRecords[hmis.HealthAndDV](ctx, st, store.RecordFilter{PersonalID: "rivera03"}); len(hs) != 0 {
		t.Errorf("4.11 asked of the child: %+v", hs)
	}
	res = b.get("/live/clients/rivera01/enrollments?done=intake")
	wantContains(t, "enrollments", res.Body, "The Intake was completed", "Hope Family Shelter", entry)

	// Exit the household: exit before the start is refused, then exit.
	var hohEnrollment string
	for _, e := range ens {
		if e.PersonalID == "rivera01" {
			hohEnrollment = e.EnrollmentID
		}
	}
	res = b.post("/live/workflows/start", url.Values{"stage": {"exit"}, "enrollment": {hohEnrollment},
		"member": {"rivera01", "rivera02", "rivera03"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("start exit: %d %s", res.Status, res.Body)
	}
	base = strings.TrimSuffix(res.Header.Get("Location"), "/step/1")
	exitStep := func(n int, vals url.Values, action string) response {
		t.Helper()
		page := b.get(base + "/step/" + itoa(n))
		m := versionRE.FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatalf("exit step %d: %d", n, page.Status)
		}
		vals.Set("version", m[1])
		vals.Set("action", action)
		return b.post(base+"/step/"+itoa(n), vals)
	}
	v = url.Values{"exit_date": {early}}
	set(v, all, "destination", "410")
	if res := exitStep(1, v, "next"); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "cannot be before the project start date") {
		t.Fatalf("exit before start: %d %s", res.Status, errorsOf(res.Body))
	}
	v.Set("exit_date", exitDay.Format("01/02/2006"))
	v.Set("rivera03.destination", "17")
	if res := exitStep(1, v, "next"); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Describe the other destination") {
		t.Fatalf("other destination without text: %d", res.Status)
	}
	v.Set("rivera03.other_destination", "With grandparents")
	if res := exitStep(1, v, "next"); res.Status != http.StatusSeeOther {
		t.Fatalf("exit step 1: %d %s", res.Status, errorsOf(res.Body))
	}
	v = url.Values{"rivera01.income_from_any_source": {"0"}, "rivera02.income_from_any_source": {"0"}}
	set(v, adults, "benefits_from_any_source", "0")
	exitStep(2, v, "next")
	v = url.Values{}
	set(v, all, "insurance_from_any_source", "0")
	exitStep(3, v, "next")
	v = url.Values{}
	for _, d := range []string{"4_05", "4_06", "4_07", "4_08", "4_09", "4_10"} {
		set(v, all, "dis_"+d, "0")
	}
	exitStep(4, v, "next")
	if res := exitStep(5, url.Values{}, "complete"); res.Status != http.StatusSeeOther {
		t.Fatalf("complete exit: %d %s", res.Status, errorsOf(res.Body))
	}
	xs, err := store.FindRecords[hmis.Exit](ctx, st, store.RecordFilter{PersonalID: "rivera03"})
	must(t, err)
	var found bool
	for _, x := range xs {
		if x.ExitDate == exitDay && *x.Destination == 17 && x.OtherDestination == "With grandparents" {
			found = true
		}
	}
	if !found {
		t.Errorf("the child's exit %+v", xs)
	}
	dis, _ := store.FindRecords[hmis.Disability](ctx, st, store.RecordFilter{PersonalID: "rivera02"})
	stages := map[int]int{}
	for _, d := range dis {
		stages[int(*d.DataCollectionStage)]++
	}
	if stages[1] != 6 || stages[3] != 6 {
		t.Errorf("disability records by stage %v", stages)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// errorsOf extracts the error messages of a page, for failure output.
func errorsOf(body string) string {
	return strings.Join(regexpAll(body, `(?:usa-error-message"[^>]*|usa-alert__text")>([^<]*)<`), " | ")
}

// TestWorkflows_Conflicts: two case managers on one household. A draft
// saved by one is refused to the other with a message (nothing silently
// overwritten); an exit completed by one makes the other's exit conflict.
func TestWorkflows_Conflicts(t *testing.T) {
	app := newTestApp(t, nil)
	st := seedFamily(t, app)
	mustCreateAccount(t, st, "casey", hmis.RoleCaseManager)
	ctx := storetest.Context(t)
	entry := hmis.DateOf(time.Now()).AddDays(-30)
	for i, id := range []string{"rivera01", "rivera02"} {
		rel := hud.RelationshipToHoH([]int{1, 3}[i])
		must(t, store.CreateRecord(ctx, st, &hmis.Enrollment{EnrollmentID: "OPEN" + itoa(i), PersonalID: id, ProjectID: "ES2",
			EntryDate: entry, HouseholdID: "OH1", RelationshipToHoH: &rel, EnrollmentCoC: "CA-500"}))
	}
	a, c := app.browser(t), app.browser(t)
	a.signIn("live", "admin")
	c.signIn("live", "casey")
	start := func(b *browser) string {
		t.Helper()
		res := b.post("/live/workflows/start", url.Values{"stage": {"exit"}, "enrollment": {"OPEN0"}, "member": {"rivera01", "rivera02"}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("start exit: %d %s", res.Status, errorsOf(res.Body))
		}
		return strings.TrimSuffix(res.Header.Get("Location"), "/step/1")
	}
	version := func(b *browser, path string) string {
		t.Helper()
		m := versionRE.FindStringSubmatch(b.get(path).Body)
		if m == nil {
			t.Fatalf("no version on %s", path)
		}
		return m[1]
	}
	exitAnswers := url.Values{"exit_date": {hmis.DateOf(time.Now()).AddDays(-1).Format("01/02/2006")},
		"rivera01.destination": {"410"}, "rivera02.destination": {"410"}, "action": {"next"}}

	// One draft, two people: casey (same organization) opens the page,
	// admin saves first, casey's save is refused and told why.
	draftA := start(a)
	stale := version(c, draftA+"/step/1")
	exitAnswers.Set("version", version(a, draftA+"/step/1"))
	if res := a.post(draftA+"/step/1", exitAnswers); res.Status != http.StatusSeeOther {
		t.Fatalf("admin saves: %d %s", res.Status, errorsOf(res.Body))
	}
	exitAnswers.Set("version", stale)
	exitAnswers.Set("rivera02.destination", "17")
	exitAnswers.Set("rivera02.other_destination", "With family")
	res := c.post(draftA+"/step/1", exitAnswers)
	if res.Status != http.StatusConflict || !strings.Contains(res.Body, "Someone else saved this step") ||
		!strings.Contains(res.Body, "saved by the other person “Rental by client, no ongoing housing subsidy”, yours “Other”") {
		t.Fatalf("stale save: %d %s", res.Status, errorsOf(res.Body))
	}
	exitAnswers.Set("rivera02.destination", "410")
	exitAnswers.Del("rivera02.other_destination")

	// Two exits of the same household: casey completes first.
	draftC := start(c)
	for n := 1; n <= 4; n++ {
		v := url.Values{"action": {"next"}, "version": {version(c, draftC+"/step/"+itoa(n))}}
		switch n {
		case 1:
			v = exitAnswers
			v.Set("version", version(c, draftC+"/step/1"))
		case 2:
			for _, p := range []string{"rivera01", "rivera02"} {
				v.Set(p+".income_from_any_source", "99")
				v.Set(p+".benefits_from_any_source", "99")
			}
		case 3:
			for _, p := range []string{"rivera01", "rivera02"} {
				v.Set(p+".insurance_from_any_source", "99")
			}
		case 4:
			for _, p := range []string{"rivera01", "rivera02"} {
				for _, d := range []string{"4_05", "4_06", "4_07", "4_08", "4_09", "4_10"} {
					v.Set(p+".dis_"+d, "99")
				}
			}
		}
		if res := c.post(draftC+"/step/"+itoa(n), v); res.Status != http.StatusSeeOther {
			t.Fatalf("casey step %d: %d %s", n, res.Status, errorsOf(res.Body))
		}
	}
	if res := c.post(draftC+"/step/5", url.Values{"action": {"complete"}, "version": {version(c, draftC+"/step/5")}}); res.Status != http.StatusSeeOther {
		t.Fatalf("casey completes: %d %s", res.Status, errorsOf(res.Body))
	}
	// The admin's exit was started before: completing it is refused.
	for n := 2; n <= 4; n++ {
		v := url.Values{"action": {"next"}, "version": {version(a, draftA+"/step/"+itoa(n))}}
		for _, p := range []string{"rivera01", "rivera02"} {
			v.Set(p+".income_from_any_source", "99")
			v.Set(p+".benefits_from_any_source", "99")
			v.Set(p+".insurance_from_any_source", "99")
			for _, d := range []string{"4_05", "4_06", "4_07", "4_08", "4_09", "4_10"} {
				v.Set(p+".dis_"+d, "99")
			}
		}
		a.post(draftA+"/step/"+itoa(n), v)
	}
	res = a.post(draftA+"/step/5", url.Values{"action": {"complete"}, "version": {version(a, draftA+"/step/5")}})
	if res.Status != http.StatusConflict || !strings.Contains(res.Body, "changed by someone else") {
		t.Fatalf("second exit: %d %s", res.Status, errorsOf(res.Body))
	}
	xs, err := store.FindRecords[hmis.Exit](ctx, st, store.RecordFilter{EnrollmentID: "OPEN0"})
	must(t, err)
	if len(xs) != 1 {
		t.Errorf("%d exits of the head's enrollment, want 1", len(xs))
	}
}

// A household that has not stayed together: members added by HMIS ID.
func TestWorkflows_AddMemberByID(t *testing.T) {
	app := newTestApp(t, nil)
	st := seedFamily(t, app)
	ctx := storetest.Context(t)
	c := hmis.Client{PersonalID: "new01", FirstName: "Nia", LastName: "Newton", DOB: hmis.MustDate("1990-01-01"),
		NameDataQuality: new(hud.NameDataQuality(1)), SSNDataQuality: new(hud.SSNDataQuality(99)), DOBDataQuality: new(hud.DOBDataQuality(1))}
	must(t, store.CreateRecord(ctx, st, &c))
	must(t, storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG1' WHERE personal_id = 'new01'`))
	b := app.browser(t)
	b.signIn("live", "admin")
	form := url.Values{"stage": {"intake"}, "client": {"new01"}, "project": {"ES2"}, "rel.new01": {"1"}, "action": {"add"}, "add_id": {"nobody"}}
	res := b.post("/live/workflows/start", form)
	if res.Status != http.StatusOK || !strings.Contains(res.Body, `id="add_id-error"`) {
		t.Fatalf("unknown ID: %d %s", res.Status, errorsOf(res.Body))
	}
	form.Set("add_id", "rivera03")
	res = b.post("/live/workflows/start", form)
	wantContains(t, "added", res.Body, "Rivera, Sofia", `name="extra" value="rivera03"`, `id="member-rivera03" type="checkbox" name="member" value="rivera03" checked`)
	form = url.Values{"stage": {"intake"}, "client": {"new01"}, "project": {"ES2"}, "rel.new01": {"1"}, "extra": {"rivera03"},
		"member": {"rivera03"}, "rel.rivera03": {"2"}}
	res = b.post("/live/workflows/start", form)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("start: %d %s", res.Status, errorsOf(res.Body))
	}
	page := b.get(res.Header.Get("Location"))
	wantContains(t, "identity", page.Body, "Newton, Nia", "Rivera, Sofia")

	// A family recorded on the Family page is offered at the next intake,
	// with the relationship to the client who heads it.
	must(t, st.AddFamilyMember(ctx, "new01", "rivera02", hud.RelationshipToHoHSpouseOrPartner))
	start := b.get("/live/workflows/start?client=new01&project=ES2&stage=intake")
	wantContains(t, "family offered", start.Body, "Rivera, Luis", "· family", `id="member-rivera02"`)
}

// A household exits one member at a time, but the head only with everyone.
func TestWorkflows_PartialExit(t *testing.T) {
	app := newTestApp(t, nil)
	st := seedFamily(t, app)
	ctx := storetest.Context(t)
	entry := hmis.DateOf(time.Now()).AddDays(-30)
	for i, id := range []string{"rivera01", "rivera02"} {
		rel := hud.RelationshipToHoH([]int{1, 3}[i])
		must(t, store.CreateRecord(ctx, st, &hmis.Enrollment{EnrollmentID: "OPEN" + itoa(i), PersonalID: id, ProjectID: "ES2",
			EntryDate: entry, HouseholdID: "OH1", RelationshipToHoH: &rel, EnrollmentCoC: "CA-500"}))
	}
	b := app.browser(t)
	b.signIn("live", "admin")
	res := b.post("/live/workflows/start", url.Values{"stage": {"exit"}, "enrollment": {"OPEN0"}, "member": {"rivera01"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "exits only with the whole household") {
		t.Fatalf("the head alone: %d %s", res.Status, errorsOf(res.Body))
	}
	res = b.post("/live/workflows/start", url.Values{"stage": {"exit"}, "enrollment": {"OPEN0"}, "member": {"rivera02"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("the partner alone: %d %s", res.Status, errorsOf(res.Body))
	}
	page := b.get(res.Header.Get("Location"))
	wantContains(t, "one member", page.Body, `name="rivera02.destination"`)
	wantNotContains(t, "one member", page.Body, `name="rivera01.destination"`)
}

// Autosave keeps a step's answers as typed without advancing the draft
// or changing its version; a stale version keeps nothing.
func TestWorkflows_Autosave(t *testing.T) {
	app := newTestApp(t, nil)
	seedFamily(t, app)
	b := app.browser(t)
	b.signIn("live", "admin")
	res := b.post("/live/workflows/start", url.Values{"stage": {"intake"}, "client": {"rivera01"}, "project": {"ES2"}, "rel.rivera01": {"1"}})
	base := strings.TrimSuffix(res.Header.Get("Location"), "/step/1")
	page := b.get(base + "/step/3")
	wantContains(t, "autosave attribute", page.Body, `hx-post="`+base+`/step/3/autosave"`)
	version := versionRE.FindStringSubmatch(page.Body)[1]
	res = b.post(base+"/step/3/autosave", url.Values{"version": {version}, "entry_date": {"13/45/2026"}})
	if res.Status != http.StatusNoContent {
		t.Fatalf("autosave: %d", res.Status)
	}
	page = b.get(base + "/step/3")
	wantContains(t, "kept as typed", page.Body, `value="13/45/2026"`, `name="version" value="`+version+`"`)
	if res := b.get(base); res.Header.Get("Location") != base+"/step/1" {
		t.Errorf("autosave advanced the draft: %s", res.Header.Get("Location"))
	}
	b.post(base+"/step/3/autosave", url.Values{"version": {"999"}, "entry_date": {"01/01/2026"}})
	if page = b.get(base + "/step/3"); !strings.Contains(page.Body, `value="13/45/2026"`) {
		t.Error("a stale autosave overwrote the answers")
	}
}

// An administrator adds the organization's own question to a definition,
// places its step after income; the intake asks it of the head of
// household and keeps the answer. HUD's steps stay.
func TestWorkflows_OwnQuestions(t *testing.T) {
	app := newTestApp(t, nil)
	st := seedFamily(t, app)
	mustCreateAccount(t, st, "casey", hmis.RoleCaseManager)
	admin, cm := app.browser(t), app.browser(t)
	admin.signIn("live", "admin")
	cm.signIn("live", "casey")
	if res := cm.get("/live/home/workflows"); res.Status != http.StatusNotFound {
		t.Errorf("a case manager opens Workflows: %d", res.Status)
	}
	res := admin.get("/live/home/workflows?project=ES2&stage=intake")
	// The night shelter (P1, ESG NbN) asks less: not the same definition.
	wantContains(t, "admin page", res.Body, "Income and benefits", "4.02 · hoh and adults", "used by this program only")
	// Another ESG shelter, with a local grant too, shares it.
	es := hud.ProjectTypeEmergencyShelterEntryExit
	sctx := storetest.Context(t)
	must(t, store.CreateRecord(sctx, st, &hmis.Project{ProjectID: "ES3", OrganizationID: "ORG1", ProjectName: "Hope Winter Shelter",
		OperatingStartDate: hmis.MustDate("2020-01-01"), ProjectType: &es}))
	for i, f := range []hud.FundingSource{8, 46} {
		must(t, store.CreateRecord(sctx, st, &hmis.Funder{FunderID: "F3" + itoa(i), ProjectID: "ES3", Funder: &f, GrantID: "G",
			StartDate: hmis.MustDate("2020-01-01")}))
	}
	res = admin.get("/live/home/workflows?project=ES2&stage=intake")
	wantContains(t, "shared", res.Body, "shared with Hope Winter Shelter")
	form := url.Values{"project": {"ES2"}, "stage": {"intake"}, "action": {"add"}, "label": {""}, "kind": {"yesno"}}
	if res := admin.post("/live/home/workflows", form); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="label-error"`) {
		t.Fatalf("empty question: %d", res.Status)
	}
	form.Set("label", "Has a pet")
	form.Set("after_step", "Income and benefits")
	if res := admin.post("/live/home/workflows", form); res.Status != http.StatusSeeOther {
		t.Fatalf("add: %d %s", res.Status, errorsOf(res.Body))
	}
	form.Set("label", "Pet's name")
	form.Set("kind", "text")
	admin.post("/live/home/workflows", form)
	res = admin.get("/live/home/workflows?project=ES2&stage=intake")
	if i, j := strings.Index(res.Body, "Has a pet"), strings.Index(res.Body, "Pet&#39;s name"); i < 0 || j < i {
		t.Fatalf("questions in order: %d %d", i, j)
	}

	today := hmis.DateOf(time.Now())
	res = cm.post("/live/workflows/start", url.Values{"stage": {"intake"}, "client": {"rivera01"}, "project": {"ES2"}, "rel.rivera01": {"1"}})
	base := strings.TrimSuffix(res.Header.Get("Location"), "/step/1")
	var names []string
	for n := 1; ; n++ {
		page := cm.get(base + "/step/" + itoa(n))
		name := regexp.MustCompile(`id="step-name">([^<]*)<`).FindStringSubmatch(page.Body)[1]
		names = append(names, name)
		v := fillStep(page.Body, map[string]string{"entry_date": today.AddDays(-3).Format("01/02/2006")})
		v.Set("version", versionRE.FindStringSubmatch(page.Body)[1])
		v.Set("action", "next")
		if name == "Review" {
			v.Set("action", "complete")
		}
		if name == "Our questions" {
			m := regexp.MustCompile(`name="(rivera01\.own_[0-9a-f]+)" type="text"`).FindStringSubmatch(page.Body)
			if m == nil {
				t.Fatalf("no text question: %s", page.Body)
			}
			v.Set(m[1], "Rex")
		}
		if res := cm.post(base+"/step/"+itoa(n), v); res.Status != http.StatusSeeOther {
			t.Fatalf("step %s: %d %s", name, res.Status, errorsOf(res.Body))
		}
		if name == "Review" {
			break
		}
	}
	if got := strings.Join(names, "|"); !strings.Contains(got, "Income and benefits|Our questions|Health insurance") {
		t.Errorf("steps %s", got)
	}
	ens, err := store.FindRecords[hmis.Enrollment](storetest.Context(t), st, store.RecordFilter{ProjectID: "ES2"})
	must(t, err)
	var open string
	for _, e := range ens {
		if e.EntryDate == today.AddDays(-3) {
			open = e.EnrollmentID
		}
	}
	as, err := st.FindWorkflowAnswers(storetest.Context(t), open)
	must(t, err)
	if len(as) != 2 || as[0].Question != "Has a pet" || as[1].Value != "Rex" || as[0].Stage != "intake" {
		t.Errorf("answers %+v", as)
	}
}

// The program page lists its active clients with exit links, flagging
// enrollments without activity for the configured number of days.
func TestWorkflows_ProgramActiveClients(t *testing.T) {
	app := newTestApp(t, nil)
	st := seedFamily(t, app)
	ctx := storetest.Context(t)
	old := hmis.DateOf(time.Now()).AddDays(-200)
	rel := hud.RelationshipToHoH(1)
	must(t, store.CreateRecord(ctx, st, &hmis.Enrollment{EnrollmentID: "OLD1", PersonalID: "rivera01", ProjectID: "ES2",
		EntryDate: old, HouseholdID: "OLDH", RelationshipToHoH: &rel, EnrollmentCoC: "CA-500"}))
	must(t, storetest.Exec(st, `UPDATE enrollments SET date_updated = ? WHERE enrollment_id = 'OLD1'`, old.Time().Format("2006-01-02 15:04:05")))
	b := app.browser(t)
	b.signIn("live", "admin")
	res := b.get("/live/clients/programs/ES2/exit")
	if res.Status != http.StatusOK {
		t.Fatalf("program page: %d", res.Status)
	}
	wantContains(t, "active clients", res.Body, "Rivera, Maria", "No activity for 200 days", `href="/live/workflows/start?enrollment=OLD1&amp;stage=exit"`)
	form := url.Values{"action": {"inactive"}, "inactive_days": {"300"}, "project": {"ES2"}, "stage": {"intake"}}
	if res := b.post("/live/home/workflows", form); res.Status != http.StatusSeeOther {
		t.Fatalf("set the days: %d %s", res.Status, errorsOf(res.Body))
	}
	if res := b.get("/live/clients/programs/ES2"); strings.Contains(res.Body, "No activity for") {
		t.Error("flagged after the setting became 300 days")
	}
	form.Set("inactive_days", "0")
	if res := b.post("/live/home/workflows", form); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("0 days: %d", res.Status)
	}
}

// A member whose record the user may not change is refused on the start
// page, which keeps the choices.
func TestWorkflows_MemberNotEditable(t *testing.T) {
	app := newTestApp(t, nil)
	st := seedFamily(t, app)
	ctx := storetest.Context(t)
	no := hud.NoYes(0)
	must(t, store.CreateRecord(ctx, st, &hmis.Organization{OrganizationID: "ORG2", OrganizationName: "Safe Harbor", VictimServiceProvider: &no}))
	must(t, storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG2' WHERE personal_id = 'rivera02'`))
	mustCreateAccount(t, st, "casey", hmis.RoleCaseManager)
	b := app.browser(t)
	b.signIn("live", "casey")
	res := b.post("/live/workflows/start", url.Values{"stage": {"intake"}, "client": {"rivera01"}, "project": {"ES2"},
		"member": {"rivera02"}, "rel.rivera01": {"1"}, "rel.rivera02": {"3"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Untick the members") {
		t.Fatalf("a hidden member: %d %s", res.Status, errorsOf(res.Body))
	}
	wantContains(t, "kept", res.Body, `<option value="ES2" selected>`)
}

// An organization's question is asked of exactly the members its subject
// names (here: adults, and all members), shown on the review and stored
// per member; the administrator changes whom it is asked of.
func TestWorkflows_OwnQuestionsBySubject(t *testing.T) {
	app := newTestApp(t, nil)
	st := seedFamily(t, app)
	admin := app.browser(t)
	admin.signIn("live", "admin")
	add := func(label, kind, subject string) {
		t.Helper()
		form := url.Values{"project": {"ES2"}, "stage": {"intake"}, "action": {"add"}, "label": {label}, "kind": {kind}, "asked_of": {subject}}
		if res := admin.post("/live/home/workflows", form); res.Status != http.StatusSeeOther {
			t.Fatalf("add %s: %d %s", label, res.Status, errorsOf(res.Body))
		}
	}
	form := url.Values{"project": {"ES2"}, "stage": {"intake"}, "action": {"add"}, "label": {"Card"}, "kind": {"text"}, "asked_of": {"veterans"}}
	if res := admin.post("/live/home/workflows", form); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="asked_of-error"`) ||
		!strings.Contains(res.Body, `value="Card"`) {
		t.Fatalf("a question asked of veterans: %d %s", res.Status, errorsOf(res.Body))
	}
	add("Library card number", "text", "hoh")
	add("Needs a locker", "yesno", "all_clients")
	res := admin.get("/live/home/workflows?project=ES2&stage=intake")
	wantContains(t, "admin page", res.Body, "asked of: Head of household", "asked of: All members")
	card := regexp.MustCompile(`id="asked-of-([0-9a-f]+)"`).FindStringSubmatch(res.Body)
	if card == nil {
		t.Fatal("no asked-of select")
	}
	if res := admin.post("/live/home/workflows", url.Values{"project": {"ES2"}, "stage": {"intake"}, "action": {"asked_of"},
		"question": {card[1]}, "asked_of": {"adults"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("change the subject: %d %s", res.Status, errorsOf(res.Body))
	}
	wantContains(t, "changed", admin.get("/live/home/workflows?project=ES2&stage=intake").Body, "asked of: Adults")

	today := hmis.DateOf(time.Now())
	res = admin.post("/live/workflows/start", url.Values{"stage": {"intake"}, "client": {"rivera01"}, "project": {"ES2"},
		"member": {"rivera02", "rivera03"}, "rel.rivera01": {"1"}, "rel.rivera02": {"3"}, "rel.rivera03": {"2"}})
	base := strings.TrimSuffix(res.Header.Get("Location"), "/step/1")
	if base == "" {
		t.Fatalf("start: %d %s", res.Status, errorsOf(res.Body))
	}
	for n := 1; ; n++ {
		page := admin.get(base + "/step/" + itoa(n))
		name := regexp.MustCompile(`id="step-name">([^<]*)<`).FindStringSubmatch(page.Body)[1]
		v := fillStep(page.Body, map[string]string{"entry_date": today.AddDays(-3).Format("01/02/2006")})
		v.Set("version", versionRE.FindStringSubmatch(page.Body)[1])
		v.Set("action", "next")
		if v.Has("rivera02.relationship") {
			v.Set("rivera02.relationship", "3")
			v.Set("rivera03.relationship", "2")
		}
		if name == "Our questions" {
			texts := regexp.MustCompile(`name="(rivera0\d)\.own_[0-9a-f]+" type="text"`).FindAllStringSubmatch(page.Body, -1)
			var who []string
			for _, m := range texts {
				who = append(who, m[1])
				v.Set(m[0][len(`name="`):strings.Index(m[0], `" type`)], "card of "+m[1])
			}
			if got := strings.Join(who, ","); got != "rivera01,rivera02" {
				t.Errorf("the adults' question is asked of %s", got)
			}
			// The all-members question: asked of the child too.
			if !regexp.MustCompile(`name="rivera03\.own_[0-9a-f]+"`).MatchString(page.Body) {
				t.Errorf("the all-members question is not asked of the child")
			}
		}
		if name == "Review" {
			wantContains(t, "review", page.Body, "Rivera, Luis: Library card number", "card of rivera02", "Rivera, Sofia: Needs a locker")
			if strings.Contains(page.Body, "Rivera, Sofia: Library card number") {
				t.Error("the child's answer to the adults' question is on the review")
			}
			v.Set("action", "complete")
		}
		if res := admin.post(base+"/step/"+itoa(n), v); res.Status != http.StatusSeeOther {
			t.Fatalf("step %s: %d %s", name, res.Status, errorsOf(res.Body))
		}
		if name == "Review" {
			break
		}
	}
	ens, err := store.FindRecords[hmis.Enrollment](storetest.Context(t), st, store.RecordFilter{ProjectID: "ES2"})
	must(t, err)
	got := map[string]string{}
	for _, e := range ens {
		if e.EntryDate != today.AddDays(-3) {
			continue
		}
		as, err := st.FindWorkflowAnswers(storetest.Context(t), e.EnrollmentID)
		must(t, err)
		for _, a := range as {
			if a.PersonalID != e.PersonalID {
				t.Errorf("answer about %s on %s's enrollment", a.PersonalID, e.PersonalID)
			}
			got[e.PersonalID] += a.Question + "=" + a.Value + ";"
		}
	}
	for pid, want := range map[string]string{"rivera01": "card of rivera01", "rivera02": "card of rivera02", "rivera03": "Needs a locker="} {
		if !strings.Contains(got[pid], want) {
			t.Errorf("%s's answers %q, want %q", pid, got[pid], want)
		}
	}
	if strings.Contains(got["rivera03"], "Library") {
		t.Errorf("the child answered the adults' question: %q", got["rivera03"])
	}
}

// TestWorkflows_ServedClientExit: a client of another organization (ORG2,
// restricted to it) enrolled in ORG1's shelter is served by ORG1: ORG1's
// case manager exits them from that program through the exit workflow
// (the enrollment decides, store.EnrollmentAccess); a case manager of an
// unrelated organization gets "not found" for the start page, the start
// and the draft.
func TestWorkflows_ServedClientExit(t *testing.T) {
	app := newTestApp(t, nil)
	st := seedFamily(t, app)
	ctx := storetest.Context(t)
	no := hud.NoYes(0)
	for _, o := range []string{"ORG2", "ORG3"} {
		must(t, store.CreateRecord(ctx, st, &hmis.Organization{OrganizationID: o, OrganizationName: "Org " + o, VictimServiceProvider: &no}))
	}
	must(t, storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG2', restriction = 'organization' WHERE personal_id = 'rivera01'`))
	must(t, store.CreateRecord(ctx, st, &hmis.Enrollment{EnrollmentID: "SRV1", PersonalID: "rivera01", ProjectID: "ES2",
		EntryDate: hmis.DateOf(time.Now()).AddDays(-30), HouseholdID: "SH1", RelationshipToHoH: new(hud.RelationshipToHoH(1)), EnrollmentCoC: "CA-500"}))
	mustCreateAccount(t, st, "casey", hmis.RoleCaseManager)
	hash, err := auth.HashPassword(testPassword)
	must(t, err)
	_, err = st.CreateAccount(ctx, hmis.Account{Username: "stranger", OrganizationID: "ORG3", Role: hmis.RoleCaseManager,
		FirstName: "Sam", LastName: "Stranger"}, hash)
	must(t, err)
	if lv, err := st.ClientAccess(hmis.NewContext(ctx, hmis.Actor{AccountID: "x", UserID: "x", Role: hmis.RoleCaseManager, OrganizationID: "ORG1"}), "rivera01"); err != nil || lv != access.Intake {
		t.Fatalf("ORG1 sees rivera01 as %v (%v), want intake only", lv, err)
	}

	stranger := app.browser(t)
	stranger.signIn("live", "stranger")
	if res := stranger.get("/live/workflows/start?enrollment=SRV1&stage=exit"); res.Status != http.StatusNotFound {
		t.Fatalf("unrelated organization's start page: %d", res.Status)
	}
	if res := stranger.post("/live/workflows/start", url.Values{"stage": {"exit"}, "enrollment": {"SRV1"}, "member": {"rivera01"}}); res.Status != http.StatusNotFound {
		t.Fatalf("unrelated organization starts the exit: %d %s", res.Status, errorsOf(res.Body))
	}

	b := app.browser(t)
	b.signIn("live", "casey")
	wantContains(t, "served client's enrollments", b.get("/live/clients/rivera01/enrollments").Body,
		`href="/live/workflows/start?enrollment=SRV1&amp;stage=exit"`)
	wantContains(t, "start page", b.get("/live/workflows/start?enrollment=SRV1&stage=exit").Body, "Rivera, Maria")
	res := b.post("/live/workflows/start", url.Values{"stage": {"exit"}, "enrollment": {"SRV1"}, "member": {"rivera01"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("start the served client's exit: %d %s", res.Status, errorsOf(res.Body))
	}
	draft := strings.TrimSuffix(res.Header.Get("Location"), "/step/1")
	if res := stranger.get(draft + "/step/1"); res.Status != http.StatusNotFound {
		t.Fatalf("unrelated organization opens the draft: %d", res.Status)
	}
	version := func(path string) string {
		t.Helper()
		m := versionRE.FindStringSubmatch(b.get(path).Body)
		if m == nil {
			t.Fatalf("no version on %s", path)
		}
		return m[1]
	}
	for n := 1; n <= 4; n++ {
		v := url.Values{"action": {"next"}, "version": {version(draft + "/step/" + itoa(n))}}
		switch n {
		case 1:
			v.Set("exit_date", hmis.DateOf(time.Now()).AddDays(-1).Format("01/02/2006"))
			v.Set("rivera01.destination", "410")
		case 2:
			v.Set("rivera01.income_from_any_source", "99")
			v.Set("rivera01.benefits_from_any_source", "99")
		case 3:
			v.Set("rivera01.insurance_from_any_source", "99")
		case 4:
			for _, d := range []string{"4_05", "4_06", "4_07", "4_08", "4_09", "4_10"} {
				v.Set("rivera01.dis_"+d, "99")
			}
		}
		if res := b.post(draft+"/step/"+itoa(n), v); res.Status != http.StatusSeeOther {
			t.Fatalf("step %d: %d %s", n, res.Status, errorsOf(res.Body))
		}
	}
	if res := stranger.post(draft+"/step/5", url.Values{"action": {"complete"}, "version": {version(draft + "/step/5")}}); res.Status != http.StatusNotFound {
		t.Fatalf("unrelated organization completes the draft: %d", res.Status)
	}
	if res := b.post(draft+"/step/5", url.Values{"action": {"complete"}, "version": {version(draft + "/step/5")}}); res.Status != http.StatusSeeOther {
		t.Fatalf("complete the served client's exit: %d %s", res.Status, errorsOf(res.Body))
	}
	xs, err := store.FindRecords[hmis.Exit](ctx, st, store.RecordFilter{EnrollmentID: "SRV1"})
	must(t, err)
	if len(xs) != 1 || xs[0].Destination == nil || *xs[0].Destination != 410 {
		t.Fatalf("exits of the served enrollment: %+v", xs)
	}
	// The client record, ORG2's, is unchanged and still ORG2's.
	c, err := store.FindRecordByID[hmis.Client](ctx, st, "rivera01")
	must(t, err)
	if c.FirstName != "Maria" {
		t.Errorf("client record changed: %+v", c)
	}
}
