package web

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

var wfpartnerStepNameRE = `id="step-name">`

// wfpartnerStep is what one step of a workflow is given in the partner
// tests: first the refused answers (with the form id of the field the
// refusal must be shown on), then the answers that are saved.
type wfpartnerStep struct {
	refused  url.Values
	errorID  string
	answers  url.Values
	contains []string // the page shows these (follow-up markup)
}

// wfpartnerRun runs a workflow from start to completion, answering each
// page as fillStep does plus the answers of the steps named in steps.
func wfpartnerRun(t *testing.T, b *browser, start url.Values, dates map[string]string, steps map[string]wfpartnerStep) {
	t.Helper()
	res := b.post("/live/workflows/start", start)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("%v: start %d %s", start, res.Status, errorsOf(res.Body))
	}
	base := strings.TrimSuffix(res.Header.Get("Location"), "/step/1")
	seen := map[string]bool{}
	for n := 1; n < 30; n++ {
		page := b.get(base + "/step/" + itoa(n))
		if page.Status != http.StatusOK {
			t.Fatalf("step %d: %d", n, page.Status)
		}
		name := page.Body[strings.Index(page.Body, wfpartnerStepNameRE)+len(wfpartnerStepNameRE):]
		name = name[:strings.Index(name, "<")]
		post := func(extra url.Values) response {
			v := fillStep(page.Body, dates)
			for k, vs := range extra {
				v[k] = vs
			}
			v.Set("version", versionRE.FindStringSubmatch(b.get(base + "/step/" + itoa(n)).Body)[1])
			if strings.Contains(page.Body, `value="complete"`) {
				v.Set("action", "complete")
			} else {
				v.Set("action", "next")
			}
			return b.post(base+"/step/"+itoa(n), v)
		}
		st, ok := steps[name]
		if ok {
			seen[name] = true
			wantContains(t, name, page.Body, st.contains...)
			if st.refused != nil {
				res := post(st.refused)
				if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="`+st.errorID+`-error"`) {
					t.Fatalf("%s: refused answers: %d, no error on %s: %s", name, res.Status, st.errorID, errorsOf(res.Body))
				}
				for k, vs := range st.refused { // what was typed is kept
					if vs[0] != "" && !strings.Contains(res.Body, `value="`+vs[0]+`"`) {
						t.Errorf("%s: %s=%s not kept", name, k, vs[0])
					}
				}
			}
		}
		res := post(st.answers)
		if res.Status != http.StatusSeeOther {
			t.Fatalf("%s (step %d): %d %s", name, n, res.Status, errorsOf(res.Body))
		}
		if strings.Contains(page.Body, `value="complete"`) {
			for s := range steps {
				if !seen[s] {
					t.Errorf("no step %q", s)
				}
			}
			return
		}
	}
	t.Fatal("the workflow never reached its review")
}

// wfpartnerCSV returns the values of column col in a CSV file's rows.
func wfpartnerCSV(t *testing.T, text, col string) []string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(text, "\ufeff"))).ReadAll()
	if err != nil || len(rows) < 1 {
		t.Fatalf("csv: %v", err)
	}
	i := slices.Index(rows[0], col)
	if i < 0 {
		t.Fatalf("no column %s", col)
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, r[i])
	}
	return out
}

// TestWorkflows_PartnerFollowUps runs, over HTTP, an RHY intake and exit
// and a HOPWA intake with the partner follow-up questions (R1.A, R10.A,
// R15, R16, R17.A, R18, W3.B/W3.C): each is marked to show only after its
// trigger answer, refused on its field when missing, stored in its FY2026
// column and exported in the HMIS CSV.
func TestWorkflows_PartnerFollowUps(t *testing.T) {
	app := newTestApp(t, nil)
	site, _ := app.reg.Get("live")
	st := site.Store
	ctx := storetest.Context(t)
	for _, p := range []struct {
		id     string
		typ    hud.ProjectType
		funder hud.FundingSource
	}{{"T-RHY", hud.ProjectTypeTransitionalHousing, 24}, {"T-HOPWA", hud.ProjectTypePHPermanentSupportiveHousing, 15}} {
		typ, f := p.typ, p.funder
		must(t, store.CreateRecord(ctx, st, &hmis.Project{ProjectID: p.id, OrganizationID: "ORG1", ProjectName: "Program " + p.id,
			OperatingStartDate: hmis.MustDate("2020-01-01"), ProjectType: &typ}))
		must(t, store.CreateRecord(ctx, st, &hmis.Funder{FunderID: "F" + p.id, ProjectID: p.id, Funder: &f, GrantID: "G",
			StartDate: hmis.MustDate("2020-01-01")}))
		must(t, store.CreateRecord(ctx, st, &hmis.ProjectCoC{ProjectCoCID: "C" + p.id, ProjectID: p.id, CoCCode: "CA-500"}))
	}
	for _, id := range []string{"youth01", "adult01"} {
		dob := "2007-03-04"
		if id == "adult01" {
			dob = "1975-03-04"
		}
		must(t, store.CreateRecord(ctx, st, &hmis.Client{PersonalID: id, FirstName: "Pat", LastName: id, DOB: hmis.MustDate(dob),
			NameDataQuality: new(hud.NameDataQuality(1)), SSNDataQuality: new(hud.SSNDataQuality(99)), DOBDataQuality: new(hud.DOBDataQuality(1))}))
	}
	must(t, storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG1'`))
	b := app.browser(t)
	b.signIn("live", "admin")
	today := hmis.DateOf(time.Now())
	entry, exit := today.AddDays(-60), today.AddDays(-1)
	due := today.AddDays(90)

	// RHY intake: R1.A after "Outreach Project", R10.A after pregnant.
	wfpartnerRun(t, b, url.Values{"stage": {"intake"}, "client": {"youth01"}, "project": {"T-RHY"}, "rel.youth01": {"1"}},
		map[string]string{"entry_date": entry.Format("01/02/2006")},
		map[string]wfpartnerStep{"RHY (R)": {
			contains: []string{`data-wf-show-if="f-youth01-referral-source=7"`, `data-wf-show-if="f-youth01-pregnancy=1"`,
				`data-wf-show-if="f-youth01-employed=1"`, `workflow_followups.js`},
			refused: url.Values{"youth01.referral_source": {"7"}, "youth01.pregnancy": {"1"}, "youth01.due_date": {due.Format("01/02/2006")}},
			errorID: "f-youth01-outreach-approaches",
			answers: url.Values{"youth01.referral_source": {"7"}, "youth01.outreach_approaches": {"4"}, "youth01.pregnancy": {"1"},
				"youth01.due_date": {due.Format("01/02/2006")}},
		}})
	ens, err := store.FindRecords[hmis.Enrollment](ctx, st, store.RecordFilter{ProjectID: "T-RHY"})
	must(t, err)
	if len(ens) != 1 || ens[0].CountOutreachReferralApproaches == nil || *ens[0].CountOutreachReferralApproaches != 4 {
		t.Fatalf("R1.A not stored: %+v", ens)
	}

	// RHY exit: R15 and R16 follow-ups, R17.A after expelled, R18 after counseling.
	exitAnswers := url.Values{"youth01.exchange_for_sex": {"1"}, "youth01.exchange_for_sex_recent": {"0"},
		"youth01.exchange_for_sex_count": {"1"}, "youth01.forced_exchange_for_sex": {"0"},
		"youth01.workplace_violence": {"0"}, "youth01.workplace_promise": {"1"}, "youth01.coerced_to_continue_work": {"0"},
		"youth01.labor_exploit_recent": {"0"}, "youth01.completion_status": {"3"}, "youth01.early_exit_reason": {"2"},
		"youth01.counseling": {"1"}, "youth01.individual_counseling": {"1"}, "youth01.family_counseling": {"0"},
		"youth01.group_counseling": {"1"}, "youth01.session_count": {"7"}, "youth01.sessions_in_plan": {"12"}}
	refused := url.Values{}
	for k, v := range exitAnswers {
		refused[k] = v
	}
	refused.Del("youth01.early_exit_reason")
	wfpartnerRun(t, b, url.Values{"stage": {"exit"}, "enrollment": {ens[0].EnrollmentID}, "member": {"youth01"}},
		map[string]string{"exit_date": exit.Format("01/02/2006")},
		map[string]wfpartnerStep{"RHY (R)": {
			contains: []string{`data-wf-show-if="f-youth01-completion-status=3"`, `data-wf-show-if="f-youth01-counseling=1"`,
				`data-wf-show-if="f-youth01-workplace-violence=1 f-youth01-workplace-promise=1"`,
				`data-wf-show-if="f-youth01-forced-exchange-for-sex=1"`},
			refused: refused, errorID: "f-youth01-early-exit-reason", answers: exitAnswers,
		}})
	xs, err := store.FindRecords[hmis.Exit](ctx, st, store.RecordFilter{EnrollmentID: ens[0].EnrollmentID})
	must(t, err)
	if len(xs) != 1 || xs[0].EarlyExitReason == nil || *xs[0].EarlyExitReason != 2 || *xs[0].SessionCountAtExit != 7 ||
		*xs[0].CountOfExchangeForSex != 1 || *xs[0].CoercedToContinueWork != 0 || xs[0].AskedOrForcedToExchangeForSexPastThreeMonths != nil {
		t.Fatalf("exit follow-ups not stored: %+v", xs)
	}

	// HOPWA intake: W3.B after ADAP No, for a member with HIV/AIDS.
	wfpartnerRun(t, b, url.Values{"stage": {"intake"}, "client": {"adult01"}, "project": {"T-HOPWA"}, "rel.adult01": {"1"}},
		map[string]string{"entry_date": entry.Format("01/02/2006")},
		map[string]wfpartnerStep{
			"Disabilities": {answers: url.Values{"adult01.dis_4_08": {"1"}, "adult01.disabling_condition": {"1"}}},
			"HOPWA (W)": {
				contains: []string{`data-wf-show-if="f-adult01-adap=0"`, `data-wf-show-if="f-adult01-ryan-white=0"`},
				refused:  url.Values{"adult01.adap": {"1"}, "adult01.no_adap_reason": {"3"}},
				errorID:  "f-adult01-no-adap-reason",
				answers:  url.Values{"adult01.adap": {"0"}, "adult01.no_adap_reason": {"3"}},
			}})
	hens, err := store.FindRecords[hmis.Enrollment](ctx, st, store.RecordFilter{ProjectID: "T-HOPWA"})
	must(t, err)
	ibs, err := store.FindRecords[hmis.IncomeBenefits](ctx, st, store.RecordFilter{EnrollmentID: hens[0].EnrollmentID})
	must(t, err)
	if len(ibs) != 1 || ibs[0].NoADAPReason == nil || *ibs[0].NoADAPReason != 3 {
		t.Fatalf("W3.B not stored: %+v", ibs)
	}

	// The HMIS CSV export writes them.
	res := b.post("/live/home/export", url.Values{})
	if res.Status != http.StatusOK {
		t.Fatalf("export %d", res.Status)
	}
	files := unzip(t, []byte(res.Body))
	for _, c := range []struct{ file, col, want string }{
		{"Enrollment.csv", "CountOutreachReferralApproaches", "4"},
		{"HealthAndDV.csv", "DueDate", due.Format("2006-01-02")},
		{"Exit.csv", "EarlyExitReason", "2"},
		{"Exit.csv", "SessionCountAtExit", "7"},
		{"Exit.csv", "SessionsInPlan", "12"},
		{"Exit.csv", "CountOfExchangeForSex", "1"},
		{"Exit.csv", "LaborExploitPastThreeMonths", "0"},
		{"IncomeBenefits.csv", "NoADAPReason", "3"},
	} {
		if got := wfpartnerCSV(t, files[c.file], c.col); !slices.Contains(got, c.want) {
			t.Errorf("%s %s: %q, want %s among them", c.file, c.col, got, c.want)
		}
	}
}

// TestWorkflows_Occurrences: the occurrence elements over HTTP. A
// night-by-night shelter's intake records the contact's current living
// situation (4.12 with 4.12.A–F, a follow-up refused when missing), the
// date of engagement (4.13) and a bed night on the start date (4.14); a
// PSH update records the move-in date (3.20), refused before the start; a
// coordinated entry intake records 4.12.3 and 4.12.4; the export writes
// them.
func TestWorkflows_Occurrences(t *testing.T) {
	app := newTestApp(t, nil)
	site, _ := app.reg.Get("live")
	st := site.Store
	ctx := storetest.Context(t)
	for _, p := range []struct {
		id     string
		typ    hud.ProjectType
		funder hud.FundingSource
	}{{"T-NBN", hud.ProjectTypeEmergencyShelterNightByNight, 8}, {"T-PSH", hud.ProjectTypePHPermanentSupportiveHousing, 2},
		{"T-CE", hud.ProjectTypeCoordinatedEntry, 4}} {
		typ, f := p.typ, p.funder
		must(t, store.CreateRecord(ctx, st, &hmis.Project{ProjectID: p.id, OrganizationID: "ORG1", ProjectName: "Program " + p.id,
			OperatingStartDate: hmis.MustDate("2020-01-01"), ProjectType: &typ}))
		must(t, store.CreateRecord(ctx, st, &hmis.Funder{FunderID: "F" + p.id, ProjectID: p.id, Funder: &f, GrantID: "G",
			StartDate: hmis.MustDate("2020-01-01")}))
		must(t, store.CreateRecord(ctx, st, &hmis.ProjectCoC{ProjectCoCID: "C" + p.id, ProjectID: p.id, CoCCode: "CA-500"}))
	}
	must(t, store.CreateRecord(ctx, st, &hmis.Client{PersonalID: "occ01", FirstName: "Olu", LastName: "Occ", DOB: hmis.MustDate("1980-01-01"),
		NameDataQuality: new(hud.NameDataQuality(1)), SSNDataQuality: new(hud.SSNDataQuality(99)), DOBDataQuality: new(hud.DOBDataQuality(1))}))
	must(t, storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG1'`))
	b := app.browser(t)
	b.signIn("live", "admin")
	today := hmis.DateOf(time.Now())
	entry := today.AddDays(-20)
	us := func(d hmis.Date) string { return d.Format("01/02/2006") }

	wfpartnerRun(t, b, url.Values{"stage": {"intake"}, "client": {"occ01"}, "project": {"T-NBN"}, "rel.occ01": {"1"}},
		map[string]string{"entry_date": us(entry)},
		map[string]wfpartnerStep{"Contact, engagement and move-in": {
			contains: []string{`name="occ01.current_living_situation"`, `name="occ01.engagement_date"`, `name="occ01.bed_night"`,
				`data-wf-show-if="f-occ01-current-living-situation=435"`, `name="occ01.cls_location_details"`,
				`data-wf-show-if="f-occ01-current-living-situation=215,206,207,225,204,205,302,329,314,332,336,335,410,435,421,411"`,
				`data-wf-show-if="f-occ01-cls-leave-14-days=1"`},
			refused: url.Values{"occ01.current_living_situation": {"435"}, "occ01.cls_subsidy": {"419"},
				"occ01.cls_leave_14_days": {"1"}, "occ01.engagement_date": {us(entry.AddDays(2))}},
			errorID: "f-occ01-cls-subsequent-residence",
			answers: url.Values{"occ01.current_living_situation": {"435"}, "occ01.cls_subsidy": {"419"},
				"occ01.cls_leave_14_days": {"1"}, "occ01.cls_subsequent_residence": {"0"}, "occ01.cls_resources_to_obtain": {"1"},
				"occ01.cls_lease_own_60_day": {"0"}, "occ01.cls_moved_two_or_more": {"1"},
				"occ01.cls_location_details": {"Bus shelter, Main St"}, "occ01.engagement_date": {us(entry.AddDays(2))}},
		}})
	ens, err := store.FindRecords[hmis.Enrollment](ctx, st, store.RecordFilter{ProjectID: "T-NBN"})
	must(t, err)
	if len(ens) != 1 || ens[0].DateOfEngagement != entry.AddDays(2) {
		t.Fatalf("4.13 not stored: %+v", ens)
	}
	cls, err := store.FindRecords[hmis.CurrentLivingSituation](ctx, st, store.RecordFilter{EnrollmentID: ens[0].EnrollmentID})
	must(t, err)
	if len(cls) != 1 || *cls[0].CurrentLivingSituation != 435 || cls[0].CLSSubsidyType == nil || *cls[0].CLSSubsidyType != 419 ||
		cls[0].InformationDate != entry || cls[0].LeaveSituation14Days == nil || *cls[0].LeaveSituation14Days != 1 ||
		*cls[0].SubsequentResidence != 0 || *cls[0].ResourcesToObtain != 1 || *cls[0].LeaseOwn60Day != 0 || *cls[0].MovedTwoOrMore != 1 ||
		cls[0].LocationDetails != "Bus shelter, Main St" || cls[0].VerifiedBy != "" {
		t.Errorf("4.12 not stored: %+v", cls)
	}
	svcs, err := store.FindRecords[hmis.Service](ctx, st, store.RecordFilter{EnrollmentID: ens[0].EnrollmentID})
	must(t, err)
	if len(svcs) != 1 || *svcs[0].RecordType != 200 || *svcs[0].TypeProvided != 200 || svcs[0].DateProvided != entry {
		t.Errorf("4.14 bed night not stored: %+v", svcs)
	}

	// PSH: intake without a move-in, then an update records it.
	wfpartnerRun(t, b, url.Values{"stage": {"intake"}, "client": {"occ01"}, "project": {"T-PSH"}, "rel.occ01": {"1"}},
		map[string]string{"entry_date": us(entry)}, nil)
	ens, err = store.FindRecords[hmis.Enrollment](ctx, st, store.RecordFilter{ProjectID: "T-PSH"})
	must(t, err)
	if len(ens) != 1 || !ens[0].MoveInDate.IsZero() {
		t.Fatalf("PSH intake: %+v", ens)
	}
	wfpartnerRun(t, b, url.Values{"stage": {"update"}, "enrollment": {ens[0].EnrollmentID}, "member": {"occ01"}},
		map[string]string{"information_date": us(today.AddDays(-1))},
		map[string]wfpartnerStep{"Contact, engagement and move-in": {
			refused: url.Values{"move_in_date": {us(entry.AddDays(-3))}}, errorID: "f-move-in-date",
			answers: url.Values{"move_in_date": {us(entry.AddDays(5))}},
		}})
	ens, err = store.FindRecords[hmis.Enrollment](ctx, st, store.RecordFilter{ProjectID: "T-PSH"})
	must(t, err)
	if ens[0].MoveInDate != entry.AddDays(5) {
		t.Errorf("3.20 not recorded at the update: %v", ens[0].MoveInDate)
	}

	// Coordinated entry: 4.12.3 verified by (CE only), 4.12.4 at most 250
	// characters; the HMIS CSV export writes every 4.12 column.
	wfpartnerRun(t, b, url.Values{"stage": {"intake"}, "client": {"occ01"}, "project": {"T-CE"}, "rel.occ01": {"1"}},
		map[string]string{"entry_date": us(entry)},
		map[string]wfpartnerStep{"Contact, engagement and move-in": {
			contains: []string{`name="occ01.cls_verified_by"`},
			refused: url.Values{"occ01.current_living_situation": {"116"}, "occ01.cls_verified_by": {"Harbor CE access point"},
				"occ01.cls_location_details": {strings.Repeat("x", 251)}},
			errorID: "f-occ01-cls-location-details",
			answers: url.Values{"occ01.current_living_situation": {"116"}, "occ01.cls_verified_by": {"Harbor CE access point"},
				"occ01.cls_location_details": {"Library steps"}},
		}})
	res := b.post("/live/home/export", url.Values{})
	if res.Status != http.StatusOK {
		t.Fatalf("export %d", res.Status)
	}
	files := unzip(t, []byte(res.Body))
	for _, c := range []struct{ col, want string }{
		{"LeaveSituation14Days", "1"}, {"SubsequentResidence", "0"}, {"ResourcesToObtain", "1"}, {"LeaseOwn60Day", "0"},
		{"MovedTwoOrMore", "1"}, {"LocationDetails", "Bus shelter, Main St"}, {"LocationDetails", "Library steps"},
		{"VerifiedBy", "Harbor CE access point"}, {"CLSSubsidyType", "419"},
	} {
		if got := wfpartnerCSV(t, files["CurrentLivingSituation.csv"], c.col); !slices.Contains(got, c.want) {
			t.Errorf("CurrentLivingSituation.csv %s: %q, want %s among them", c.col, got, c.want)
		}
	}
}
