package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

var (
	selectRE = regexp.MustCompile(`(?s)<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	optionRE = regexp.MustCompile(`<option value="([^"]*)"`)
	inputRE  = regexp.MustCompile(`<input class="usa-input[^"]*" id="[^"]+" name="([^"]+)" type="text"`)
	// A follow-up question's form group (asked after a trigger answer).
	wfpartnerBedNightRE = regexp.MustCompile(`type="checkbox" name="([^"]+\.bed_night)"`)
	wfpartnerFollowUpRE = regexp.MustCompile(`(?s)<div class="usa-form-group[^"]*" data-wf-show-if="[^"]*">.*?</div>`)
)

// fillStep answers every question of a workflow page the way a case
// manager without the information does: "Data not collected" where the
// list has it (else its first answer), the household's head, the
// program's CoC, the dates given (3.917.3 of 3.917A: the entry date), and
// no follow-up answers.
func fillStep(body string, dates map[string]string) url.Values {
	v := url.Values{"confirm_warnings": {"1"}} // "Data not collected" answers are flagged: confirmed
	body = wfpartnerFollowUpRE.ReplaceAllString(body, "")
	for _, m := range selectRE.FindAllStringSubmatch(body, -1) {
		name := m[1]
		field := name[strings.LastIndex(name, ".")+1:]
		var opts []string
		for _, o := range optionRE.FindAllStringSubmatch(m[2], -1) {
			if o[1] != "" {
				opts = append(opts, o[1])
			}
		}
		switch {
		case field == "relationship":
			v.Set(name, "1")
		case field == "past_destination" || strings.HasSuffix(field, "_impairs") || strings.Contains(field, "subsidy") ||
			field == "dv_when" || field == "dv_fleeing" || field == "employment_type" || field == "not_employed_reason":
		case len(opts) == 0:
		default:
			v.Set(name, opts[0])
			for _, o := range opts {
				if o == "99" {
					v.Set(name, "99")
				}
			}
		}
	}
	for _, m := range wfpartnerBedNightRE.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], "1") // 4.14: a bed night on the start date
	}
	for _, m := range inputRE.FindAllStringSubmatch(body, -1) {
		if d, ok := dates[m[1]]; ok {
			v.Set(m[1], d)
		} else if d := dates["entry_date"]; d != "" && strings.HasSuffix(m[1], ".date_to_street") {
			v.Set(m[1], d) // 3.917.3, required by 3.917A (ES, SO, SH): homelessness began on the start date
		}
	}
	return v
}

// TestWorkflows_EveryProjectType runs an intake, an update, an annual
// assessment and an exit of one adult through every main project type,
// with the funders that usually fund it, and checks the records.
func TestWorkflows_EveryProjectType(t *testing.T) {
	app := newTestApp(t, nil)
	site, _ := app.reg.Get("live")
	st := site.Store
	ctx := storetest.Context(t)
	programs := []struct {
		id     string
		typ    hud.ProjectType
		funder hud.FundingSource
	}{
		{"T-ES", hud.ProjectTypeEmergencyShelterEntryExit, 8},
		{"T-NBN", hud.ProjectTypeEmergencyShelterNightByNight, 8},
		{"T-TH", hud.ProjectTypeTransitionalHousing, 5},
		{"T-PSH", hud.ProjectTypePHPermanentSupportiveHousing, 2},
		{"T-RRH", hud.ProjectTypePHRapidReHousing, 3},
		{"T-SO", hud.ProjectTypeStreetOutreach, 21},
		{"T-HP", hud.ProjectTypeHomelessnessPrevention, 9},
		{"T-SSO", hud.ProjectTypeServicesOnly, 4},
		{"T-CE", hud.ProjectTypeCoordinatedEntry, 4},
		{"T-SSVF", hud.ProjectTypePHRapidReHousing, 33},
		{"T-HOPWA", hud.ProjectTypePHHousingWithServices, 15},
		{"T-RHY", hud.ProjectTypeTransitionalHousing, 24},
		{"T-VASH", hud.ProjectTypePHPermanentSupportiveHousing, 20},
		{"T-YHDP", hud.ProjectTypeTransitionalHousing, 43},
		{"T-SSVFHP", hud.ProjectTypeHomelessnessPrevention, 33},
	}
	for _, p := range programs {
		typ, f := p.typ, p.funder
		must(t, store.CreateRecord(ctx, st, &hmis.Project{ProjectID: p.id, OrganizationID: "ORG1", ProjectName: "Program " + p.id,
			OperatingStartDate: hmis.MustDate("2020-01-01"), ProjectType: &typ}))
		must(t, store.CreateRecord(ctx, st, &hmis.Funder{FunderID: "F" + p.id, ProjectID: p.id, Funder: &f, GrantID: "G",
			StartDate: hmis.MustDate("2020-01-01")}))
		must(t, store.CreateRecord(ctx, st, &hmis.ProjectCoC{ProjectCoCID: "C" + p.id, ProjectID: p.id, CoCCode: "CA-500"}))
	}
	c := hmis.Client{PersonalID: "solo01", FirstName: "Sam", LastName: "Solo", DOB: hmis.MustDate("1970-01-01"),
		NameDataQuality: new(hud.NameDataQuality(1)), SSNDataQuality: new(hud.SSNDataQuality(99)), DOBDataQuality: new(hud.DOBDataQuality(1))}
	must(t, store.CreateRecord(ctx, st, &c))
	must(t, storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG1'`))
	b := app.browser(t)
	b.signIn("live", "admin")
	today := hmis.DateOf(time.Now())
	dates := map[string]string{"entry_date": today.AddDays(-60).Format("01/02/2006"),
		"information_date": today.AddDays(-10).Format("01/02/2006"), "exit_date": today.AddDays(-1).Format("01/02/2006")}

	run := func(start url.Values) {
		t.Helper()
		res := b.post("/live/workflows/start", start)
		if res.Status != http.StatusSeeOther {
			t.Fatalf("%v: start %d %s", start, res.Status, errorsOf(res.Body))
		}
		base := strings.TrimSuffix(res.Header.Get("Location"), "/step/1")
		for n := 1; ; n++ {
			page := b.get(base + "/step/" + itoa(n))
			if page.Status != http.StatusOK {
				t.Fatalf("%v step %d: %d %s", start, n, page.Status, errorsOf(page.Body))
			}
			only := map[string]string{}
			switch start.Get("stage") {
			case "intake":
				only["entry_date"] = dates["entry_date"]
			case "exit":
				only["exit_date"] = dates["exit_date"]
			case "post-exit":
				only["information_date"] = today.Format("01/02/2006")
			default:
				only["information_date"] = dates["information_date"]
			}
			v := fillStep(page.Body, only)
			v.Set("version", versionRE.FindStringSubmatch(page.Body)[1])
			review := strings.Contains(page.Body, `value="complete"`)
			if review {
				v.Set("action", "complete")
			} else {
				v.Set("action", "next")
			}
			res := b.post(base+"/step/"+itoa(n), v)
			if res.Status != http.StatusSeeOther {
				t.Fatalf("%v step %d: %d %s", start, n, res.Status, errorsOf(res.Body))
			}
			if review {
				return
			}
		}
	}
	// The first step with a flagged answer is shown again until confirmed.
	res := b.post("/live/workflows/start", url.Values{"stage": {"intake"}, "client": {"solo01"}, "project": {"T-ES"}, "rel.solo01": {"1"}})
	probe := strings.TrimSuffix(res.Header.Get("Location"), "/step/1")
	living := 0
	for n := 1; n <= 4; n++ {
		page := b.get(probe + "/step/" + itoa(n))
		v := fillStep(page.Body, map[string]string{"entry_date": dates["entry_date"]})
		v.Del("confirm_warnings")
		v.Set("version", versionRE.FindStringSubmatch(page.Body)[1])
		v.Set("action", "next")
		if res := b.post(probe+"/step/"+itoa(n), v); res.Status == http.StatusOK && strings.Contains(res.Body, "the prior living situation is not known (3.917)") {
			living = n
		}
	}
	if living != 4 {
		t.Errorf("no warning to confirm on the prior living situation step (%d)", living)
	}
	b.post(probe+"/step/4", url.Values{"action": {"discard"}, "version": {versionRE.FindStringSubmatch(b.get(probe + "/step/4").Body)[1]}})

	for _, p := range programs {
		run(url.Values{"stage": {"intake"}, "client": {"solo01"}, "project": {p.id}, "rel.solo01": {"1"}})
		ens, err := store.FindRecords[hmis.Enrollment](ctx, st, store.RecordFilter{ProjectID: p.id})
		must(t, err)
		if len(ens) != 1 {
			t.Fatalf("%s: %d enrollments", p.id, len(ens))
		}
		for _, stage := range []string{"update", "annual", "exit"} {
			run(url.Values{"stage": {stage}, "enrollment": {ens[0].EnrollmentID}, "member": {"solo01"}})
		}
		if p.id == "T-RHY" { // RHY asks R20 aftercare after exit
			run(url.Values{"stage": {"post-exit"}, "enrollment": {ens[0].EnrollmentID}, "member": {"solo01"}})
		}
		xs, err := store.FindRecords[hmis.Exit](ctx, st, store.RecordFilter{EnrollmentID: ens[0].EnrollmentID})
		must(t, err)
		if len(xs) != 1 || xs[0].ExitDate.Format("01/02/2006") != dates["exit_date"] {
			t.Errorf("%s: exits %+v", p.id, xs)
		}
		if p.id == "T-RHY" && (xs[0].AftercareDate != today || xs[0].AftercareProvided == nil) {
			t.Errorf("RHY aftercare (R20) not recorded: %+v", xs[0])
		}
		if p.id == "T-YHDP" {
			ys, err := store.FindRecords[hmis.YouthEducationStatus](ctx, st, store.RecordFilter{EnrollmentID: ens[0].EnrollmentID})
			must(t, err)
			if len(ys) != 2 { // C3 at start and exit
				t.Errorf("YHDP youth education status records: %d, want 2", len(ys))
			}
		}
		ibs, err := store.FindRecords[hmis.IncomeBenefits](ctx, st, store.RecordFilter{EnrollmentID: ens[0].EnrollmentID})
		must(t, err)
		stages := map[int]bool{}
		for _, ib := range ibs {
			stages[int(*ib.DataCollectionStage)] = true
			if *ib.DataCollectionStage == 2 && ib.InformationDate.Format("01/02/2006") != dates["information_date"] {
				t.Errorf("%s: update dated %s", p.id, ib.InformationDate)
			}
		}
		// Income (4.02-4.04) is asked at start, update, annual and exit,
		// except where HUD does not ask it: ESG night-by-night shelters
		// and CoC coordinated entry.
		want := "map[1:true 2:true 3:true 5:true]"
		if p.id == "T-NBN" || p.id == "T-CE" {
			want = "map[]"
		}
		if got := fmt.Sprint(stages); got != want {
			t.Errorf("%s: income records at stages %s, want %s", p.id, got, want)
		}
		// The confirmed warnings are recorded.
		if es, err := st.FindAudit(ctx, store.AuditFilter{Action: "workflow.dq_warning_confirmed", EntityID: "solo01"}); err != nil || len(es) == 0 {
			t.Errorf("%s: no confirmed warning recorded (%v)", p.id, err)
		}
	}
}
