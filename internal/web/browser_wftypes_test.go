package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hearth-hmis/hearth/internal/auth"
	"github.com/hearth-hmis/hearth/internal/config"
	"github.com/hearth-hmis/hearth/internal/demo"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/sites"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// Issue 5's done-when: the workflows work in the browser on the demo data
// for every main project type. One browser and one demo site serve every
// program; each program's intake starts from a client's dashboard, every
// step's required questions are answered through the real pages (filled
// generically, so new fields keep passing: see wfTypesFill), a service is
// recorded from the program's catalog and the client exits with a
// destination.

// wfTypesPrograms are the demo programs driven, one per main project type
// (internal/demo/setup.go).
var wfTypesPrograms = []struct {
	kind, name string
	ph         bool // a PH program: the intake gives the move-in date (3.20)
	// optional date fields the intake also answers (the end of their id):
	// the move-in date (3.20) of PH programs, the date of engagement
	// (4.13) of street outreach when the intake asks it.
	dates []string
}{
	{"ES entry/exit", "Harbor Light Emergency Shelter", false, nil},
	{"ES night-by-night", "Harbor Light Night Shelter", false, nil},
	{"TH", "Cornerstone Transitional Housing", false, nil},
	{"PSH", "Harborview Permanent Supportive Housing", true, []string{"move-in-date"}},
	{"RRH", "Pathways Rapid Re-Housing", true, []string{"move-in-date"}},
	{"SO", "St. Vincent Street Outreach", false, []string{"engagement-date"}},
	{"HP", "Hope Street Homelessness Prevention", false, nil},
	{"SSO", "St. Vincent Supportive Services", false, nil},
	{"CE", "Harbor County Coordinated Entry", false, nil},
}

// wfTypesFill answers the step's questions in the page: every required
// select or field that is empty, and every field marked with an error,
// gets the first real answer (a select's first option that is not "client
// doesn't know", "prefers not to answer" or "data not collected"; the next
// one when that answer was refused, telling the page so that it shows or
// hides the follow-ups), dates the entry or exit date, other text "1";
// hidden follow-ups are left alone, as a case manager sees none; a
// refused checkbox is ticked; the optional dates named (the
// ends of their ids) are the entry date; data-quality warnings are
// confirmed. It returns how many answers it changed.
const wfTypesFill = `((entry, exit, dates) => {
  const form = document.querySelector("form.hearth-workflow");
  if (!form) return -1;
  let n = 0;
  const missing = ["8", "9", "99"];
  for (const g of form.querySelectorAll(".usa-form-group")) {
    const el = g.querySelector("select, input.usa-input");
    if (!el || g.hidden) continue; // a follow-up whose trigger does not hold
    const required = !!g.querySelector(".usa-hint--required");
    const refused = g.classList.contains("usa-form-group--error");
    const label = (g.querySelector("label") || {}).textContent || "";
    if (el.value === "" && dates.some(d => el.id.endsWith(d))) { el.value = entry; n++; continue; }
    if (!refused && (!required || el.value !== "")) continue;
    if (el.tagName === "SELECT") {
      const opts = [...el.options].map(o => o.value).filter(v => v !== "");
      const real = opts.filter(v => !missing.includes(v));
      const choices = real.length ? real : opts;
      let v = choices[0];
      if (refused && el.value !== "") {
        const i = choices.indexOf(el.value);
        v = choices[(i + 1) % choices.length];
      }
      if (v !== undefined && v !== el.value) {
        el.value = v; n++;
        el.dispatchEvent(new Event("change", {bubbles: true})); // shows or hides its follow-ups
      }
    } else if (el.value === "" || refused) {
      let v = "1";
      if (label.includes("MM/DD/YYYY") || el.id.endsWith("-date")) v = el.id.includes("exit") ? exit : entry;
      if (v !== el.value) { el.value = v; n++; }
    }
  }
  for (const box of form.querySelectorAll(".usa-checkbox.usa-form-group--error input[type=checkbox]")) {
    if (!box.checked) { box.checked = true; n++; }
  }
  const cw = document.getElementById("confirm_warnings");
  if (cw && !cw.checked) { cw.checked = true; n++; }
  return n;
})`

// wfTypesBrowser is newBrowser with a deadline for the whole run of the
// nine programs (newBrowser's two minutes are for one flow).
func wfTypesBrowser(t *testing.T) context.Context {
	return newBrowserWithin(t, 8*time.Minute)
}

// newDemoTestApp serves one site, "live", holding the demo Continuum of
// Care (demo.Populate: its programs, grants and service catalogs, and a
// few generated clients) and the admin account.
func newDemoTestApp(t *testing.T) (*testApp, *store.Store) {
	t.Helper()
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.Sites = testSites[:1]
	reg, err := sites.Open(t.Context(), cfg, true)
	if err != nil {
		t.Fatalf("open sites: %v", err)
	}
	t.Cleanup(reg.Close)
	site, _ := reg.Get("live")
	st := site.Store
	ctx := storetest.Context(t)
	if _, err := demo.Populate(ctx, st, demo.Options{Clients: 20, Seed: 5}); err != nil {
		t.Fatalf("demo: %v", err)
	}
	hash, err := auth.HashPassword(testPassword)
	must(t, err)
	// The administrator belongs to every organization and acts for the one
	// that runs the program (programs are offered by the organization the
	// user acts for: store.WorkflowPrograms).
	lead, err := demo.LeadOrganization(ctx, st)
	must(t, err)
	a, err := st.CreateAccount(ctx, hmis.Account{Username: "admin", OrganizationID: lead, Role: hmis.RoleAdmin,
		FirstName: "Avery", LastName: "Admin"}, hash)
	if err != nil {
		t.Fatalf("admin account: %v", err)
	}
	orgs, err := store.FindRecords[hmis.Organization](ctx, st, store.RecordFilter{})
	must(t, err)
	for _, o := range orgs {
		if o.OrganizationID != lead {
			must(t, st.AddAccountOrganization(ctx, a.ID, o.OrganizationID))
		}
	}
	h, err := New(cfg, reg, nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &testApp{cfg: cfg, reg: reg, srv: srv}, st
}

func TestBrowser_WorkflowsEveryProjectType(t *testing.T) {
	ctx := wfTypesBrowser(t)
	app, st := newDemoTestApp(t)
	base := app.srv.URL
	sctx := storetest.Context(t)
	errs := &consoleErrors{}
	errs.watch(ctx, "live")
	do(t, ctx, "signin", signIn(base, "live")...)

	projects, err := store.FindRecords[hmis.Project](sctx, st, store.RecordFilter{})
	must(t, err)
	byName := map[string]hmis.Project{}
	for _, p := range projects {
		byName[p.ProjectName] = p
	}
	today := hmis.DateOf(time.Now())
	entry, serviceDay, exit := today.AddDays(-10), today.AddDays(-5), today.AddDays(-1)
	us := func(d hmis.Date) string { return d.Format("01/02/2006") }
	fill := func(dates []string) string {
		list, _ := json.Marshal(append([]string{}, dates...))
		return wfTypesFill + fmt.Sprintf("(%q, %q, %s)", us(entry), us(exit), list)
	}

	// steps answers the workflow's steps through the review and completes
	// it; each step is saved again, answering what was refused, at most
	// four times.
	steps := func(name, stage string, dates []string) []string {
		t.Helper()
		var seen []string
		for n := 0; n < 40; n++ {
			step := read(t, ctx, name+"-step", chromedp.Text(chromedp.ID("step-name")))
			progress := read(t, ctx, name+"-progress", chromedp.Text(chromedp.ID("step-progress")))
			if len(seen) == 0 || seen[len(seen)-1] != step {
				seen = append(seen, step)
			}
			if step == "Review" {
				artifact(t, ctx, "wftypes-"+name+"-review")
				do(t, ctx, name+"-complete",
					chromedp.Click(chromedp.CSS(`button[value="complete"]`)),
					chromedp.WaitVisible(`//p[contains(., "The `+stage+` was completed")]`))
				return seen
			}
			for try := 0; ; try++ {
				if try == 4 {
					failShot(t, ctx, name+"-"+strings.ReplaceAll(step, " ", "-"), fmt.Errorf("step %q (%s) still refused: %s", step, progress,
						read(t, ctx, name+"-errors", chromedp.Evaluate[string](`[...document.querySelectorAll(".usa-error-message")].map(e => e.id + ": " + e.textContent).join(" | ")`))))
				}
				read(t, ctx, name+"-fill", chromedp.Evaluate[int](fill(dates)))
				read(t, ctx, name+"-mark", chromedp.Evaluate[bool](`document.body.setAttribute("data-wf-old", "1"), true`))
				do(t, ctx, name+"-next",
					chromedp.Click(chromedp.CSS(`button[value="next"]`)),
					chromedp.WaitVisible(chromedp.CSS(`body:not([data-wf-old]) #step-progress`)))
				if p := read(t, ctx, name+"-progress", chromedp.Text(chromedp.ID("step-progress"))); p != progress {
					break
				}
			}
		}
		failShot(t, ctx, name+"-too-many-steps", fmt.Errorf("more than 40 steps: %v", seen))
		return nil
	}

	for i, prog := range wfTypesPrograms {
		p, ok := byName[prog.name]
		if !ok {
			t.Fatalf("the demo has no %q (%s)", prog.name, prog.kind)
		}
		name := strings.NewReplacer(" ", "-", "/", "-").Replace(strings.ToLower(prog.kind))
		pid := fmt.Sprintf("wftype%02d", i)
		c := hmis.Client{PersonalID: pid, FirstName: "Jordan", LastName: "Typetest" + string(rune('A'+i)), DOB: hmis.MustDate("1984-04-1" + string(rune('0'+i))),
			SSN: fmt.Sprintf("2345678%02d", 10+i), NameDataQuality: new(hud.NameDataQuality(1)), SSNDataQuality: new(hud.SSNDataQuality(1)),
			DOBDataQuality: new(hud.DOBDataQuality(1)), VeteranStatus: new(hud.NoYesReasonsForMissingData(0)), RaceNone: new(hud.RaceNone(9))}
		must(t, store.CreateRecord(sctx, st, &c))
		must(t, storetest.Exec(st, `UPDATE clients SET organization_id = ? WHERE personal_id = ?`, p.OrganizationID, pid))

		// Act for the program's organization, then start the intake from
		// the client's dashboard.
		do(t, ctx, name+"-act-for",
			chromedp.Navigate(base+"/live/"),
			chromedp.WaitVisible(chromedp.ID("acting-org")),
			chromedp.SetValue(chromedp.ID("acting-org"), p.OrganizationID))
		read(t, ctx, name+"-mark", chromedp.Evaluate[bool](`document.body.setAttribute("data-wf-old", "1"), true`))
		do(t, ctx, name+"-switch",
			chromedp.Click(chromedp.CSS(`.hearth-acting__button`)),
			chromedp.WaitVisible(chromedp.CSS(`body:not([data-wf-old]) .hearth-counts`)))
		do(t, ctx, name+"-start",
			chromedp.Navigate(base+"/live/clients/"+pid),
			chromedp.WaitVisible(chromedp.CSS(`#workflows-heading`)),
			chromedp.Click(`//a[normalize-space()="Start an intake"]`),
			chromedp.WaitVisible(chromedp.ID("project")),
			chromedp.SetValue(chromedp.ID("project"), p.ProjectID),
			chromedp.Click(`//button[normalize-space()="Start Intake"]`),
			chromedp.WaitVisible(chromedp.ID("step-progress")))
		intake := steps(name+"-intake", "Intake", prog.dates)
		artifact(t, ctx, "wftypes-"+name+"-intake-done")

		// A service from the program's catalog, under the new stay.
		do(t, ctx, name+"-service-page",
			chromedp.Navigate(base+"/live/clients/"+pid+"/services"),
			chromedp.WaitVisible(chromedp.CSS(`.hearth-service-form`)))
		service := read(t, ctx, name+"-service-choose", chromedp.Evaluate[string](fmt.Sprintf(`(() => {
			const g = [...document.querySelectorAll("#service optgroup")].find(g => g.label.startsWith(%q));
			if (!g || !g.querySelector("option")) return "";
			const o = g.querySelector("option");
			document.getElementById("service").value = o.value;
			document.getElementById("date_provided").value = %q;
			return o.textContent;
		})()`, prog.name, us(serviceDay))))
		if service == "" {
			failShot(t, ctx, name+"-no-catalog", fmt.Errorf("%s has no service catalog on the services page", prog.name))
		}
		do(t, ctx, name+"-service",
			chromedp.Click(chromedp.CSS(`.hearth-service-form button[type=submit]`)),
			chromedp.WaitVisible(`//p[contains(., "The service was recorded.")]`))
		units := 1
		if i == 0 { // once: the service is changed (Services → Change)
			units = 2
			do(t, ctx, name+"-service-edit",
				chromedp.Click(`//table[contains(@class, "hearth-client-services")]//a[starts-with(normalize-space(), "Change")]`),
				chromedp.WaitVisible(chromedp.ID("edit_units")),
				chromedp.SetValue(chromedp.ID("edit_units"), "2"),
				chromedp.Click(`//button[normalize-space()="Save changes"]`),
				chromedp.WaitVisible(`//p[contains(., "The service was changed.")]`))
			artifact(t, ctx, "wftypes-"+name+"-service-changed")
		}

		// The exit, from the Enrollments page, with a destination.
		row := `//tr[th[contains(., "` + prog.name + `")]]//a[normalize-space()="Exit"]`
		do(t, ctx, name+"-exit-start",
			chromedp.Navigate(base+"/live/clients/"+pid+"/enrollments"),
			chromedp.WaitVisible(row),
			chromedp.Click(row),
			chromedp.WaitVisible(`//button[normalize-space()="Start Exit"]`),
			chromedp.Click(`//button[normalize-space()="Start Exit"]`),
			chromedp.WaitVisible(chromedp.ID("step-progress")))
		exitSteps := steps(name+"-exit", "Exit", nil)
		artifact(t, ctx, "wftypes-"+name+"-exited")
		t.Logf("%s (%s): intake %v; service %q; exit %v", prog.kind, prog.name, intake, service, exitSteps)

		// The records.
		ens, err := store.FindRecords[hmis.Enrollment](sctx, st, store.RecordFilter{PersonalID: pid, ProjectID: p.ProjectID})
		must(t, err)
		if len(ens) != 1 || ens[0].EntryDate != entry {
			t.Fatalf("%s: enrollments %+v", prog.kind, ens)
		}
		if prog.ph && ens[0].MoveInDate != entry {
			t.Errorf("%s: move-in date %v, want %v", prog.kind, ens[0].MoveInDate, entry)
		}
		if d := ens[0].DateOfEngagement; !d.IsZero() && d != entry { // SO, once the intake asks 4.13
			t.Errorf("%s: date of engagement %v, want %v", prog.kind, d, entry)
		}
		xs, err := store.FindRecords[hmis.Exit](sctx, st, store.RecordFilter{PersonalID: pid})
		must(t, err)
		if len(xs) != 1 || xs[0].ExitDate != exit || xs[0].Destination == nil {
			t.Errorf("%s: exits %+v", prog.kind, xs)
		}
		rows, err := st.FindClientServiceRows(sctx, pid)
		must(t, err)
		// A night-by-night shelter's intake records a bed night (4.14) on
		// the start date: the catalog service is the other row.
		nights := slices.DeleteFunc(slices.Clone(rows), func(r store.ServiceRow) bool {
			return r.DateProvided != entry || r.RecordType == nil || *r.RecordType != 200
		})
		if want := prog.kind == "ES night-by-night"; (len(nights) == 1) != want {
			t.Errorf("%s: bed nights on the start date %+v, want one %t", prog.kind, nights, want)
		}
		rows = slices.DeleteFunc(rows, func(r store.ServiceRow) bool {
			return r.DateProvided == entry && r.RecordType != nil && *r.RecordType == 200
		})
		if len(rows) != 1 || rows[0].EnrollmentID != ens[0].EnrollmentID || rows[0].DateProvided != serviceDay || rows[0].Units != units {
			t.Errorf("%s: services %+v", prog.kind, rows)
		}
	}
	// Refused steps answer 422, which Chromium logs; nothing else may.
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
