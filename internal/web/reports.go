package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/reportrun"
	"github.com/hearth-hmis/hearth/internal/sites"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Home → Reports (issue 7): a form to run the CoC APR, the ESG CAPER or
// the HUD Data Quality report on chosen programs (or every program a
// grant funds) over a period, and the history of runs. A run computes on
// exactly the records the user may see (reportrun.Run, the CLI's loader)
// in the background; the form waits a moment for it, so a run of a few
// seconds opens straight on its results, and a longer one shows a
// "running" page that htmx polls. The computed report stays in memory
// for its results page and drill-downs (the last keepReports runs); the
// Sage zip is kept in the store (report_runs) and can be downloaded again.

const reportsPath = "home/reports"

// keepReports is how many computed reports stay in memory.
const keepReports = 8

// reportWait is how long the form waits for a run before showing the
// "running" page.
const reportWait = 3 * time.Second

// reportJobs holds the runs started by this process: running ones, and
// the last keepReports finished ones with their computed report.
type reportJobs struct {
	wait time.Duration // how long the form waits for a run (reportWait)
	// hold, when set (tests only), is received from before each run
	// computes, so that a test sees the "running" state.
	hold chan struct{}

	mu    sync.Mutex
	byID  map[string]*reportJob
	order []string // finished, oldest first
}

func newReportJobs() *reportJobs {
	js := &reportJobs{wait: reportWait, byID: map[string]*reportJob{}}
	if reportJobsHook != nil {
		reportJobsHook(js)
	}
	return js
}

// reportJobsHook, set by tests only, adjusts each new Server's report
// jobs (a hold, no wait).
var reportJobsHook func(*reportJobs)

// reportJob is one run. res and err are set before done is closed.
type reportJob struct {
	ID, Site string
	done     chan struct{}
	res      *computedRun
	err      error
}

func (js *reportJobs) get(site, id string) *reportJob {
	js.mu.Lock()
	defer js.mu.Unlock()
	if j := js.byID[id]; j != nil && j.Site == site {
		return j
	}
	return nil
}

// finished returns the job's result once it is done (ok false while it runs).
func (j *reportJob) finished() (res *computedRun, err error, ok bool) {
	select {
	case <-j.done:
		return j.res, j.err, true
	default:
		return nil, nil, false
	}
}

// start computes run in the background as actor and records its outcome
// and zip in the store.
func (js *reportJobs) start(st *sites.Site, run store.ReportRun, actor hmis.Actor, reqID string, p report.Params) *reportJob {
	j := &reportJob{ID: run.ID, Site: st.Slug, done: make(chan struct{})}
	js.mu.Lock()
	js.byID[j.ID] = j
	js.mu.Unlock()
	// Not the request's context: the request may end first.
	ctx := hmis.NewContext(context.Background(), actor)
	ctx = context.WithValue(ctx, requestIDKey{}, reqID)
	go func() {
		var res *reportrun.Result
		var err error
		if js.hold != nil {
			<-js.hold
		}
		func() {
			defer func() {
				if v := recover(); v != nil {
					err = fmt.Errorf("panic: %v", v)
				}
			}()
			res, err = reportrun.Run(ctx, st.Store, reportrun.Kind(run.Kind), p)
		}()
		var out store.ReportRunResult
		if err != nil {
			out = store.ReportRunResult{Status: store.ReportFailed, Message: safeReportError(err)}
		} else {
			out, err = res.RunResult()
		}
		if ferr := st.Store.FinishReportRun(ctx, run.ID, out); ferr != nil && err == nil {
			err = ferr
		}
		if err == nil {
			j.res = newComputedRun(res)
		}
		j.err = err
		close(j.done)
		js.mu.Lock()
		js.order = append(js.order, j.ID)
		for len(js.order) > keepReports {
			delete(js.byID, js.order[0])
			js.order = js.order[1:]
		}
		js.mu.Unlock()
	}()
	return j
}

// safeReportError is a failed run's message for the history: the report
// packages' parameter messages hold no client data; anything else is
// summarised.
func safeReportError(err error) string { return reportrun.SafeMessage(err) }

// reportsPage is Home → Reports: the form and the history.
type reportsPage struct {
	Shell
	Action   string
	Kinds    []option
	Programs []programChoice
	Grants   []option
	Values   map[string]string
	Errors   map[string]string
	Error    string
	Runs     []runRow
}

type programChoice struct {
	ID, Name, Organization, Grants string
	Checked                        bool
}

// runRow is one run of the history.
type runRow struct {
	Href, ZipHref, Report, Programs, Period, CoC, By, When, Duration, Status string
	Persons                                                                  int
	Done, Failed                                                             bool
	Message                                                                  string
}

func reportsURL(rq *request) string { return rq.base() + "/" + reportsPath }

func runURL(rq *request, id string) string { return reportsURL(rq) + "/runs/" + id }

func (s *Server) reportsForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	today := hmis.DateOf(time.Now())
	values := map[string]string{"kind": string(reportrun.APR), "by": "programs", "grant": "", "coc": "",
		"start": usDate(today.AddDays(-364)), "end": usDate(today)}
	return s.renderReports(w, r, rq, http.StatusOK, values, nil, map[string]bool{})
}

func (s *Server) renderReports(w http.ResponseWriter, r *http.Request, rq *request, status int, values, errs map[string]string, chosen map[string]bool) error {
	ctx := r.Context()
	st := rq.Site.Store
	p := reportsPage{Action: reportsURL(rq), Values: values, Errors: errs}
	if len(errs) > 0 {
		p.Error = "The report was not run: correct the fields marked below."
	}
	for _, k := range reportrun.Kinds {
		p.Kinds = append(p.Kinds, option{string(k), k.Label()})
	}
	programs, grants, err := reportrun.Choices(ctx, st)
	if err != nil {
		return err
	}
	if _, typed := values["coc"]; !typed || (r.Method == http.MethodGet && values["coc"] == "") {
		values["coc"] = reportrun.CommonCoC(programs)
	}
	names := map[string]string{}
	for _, pr := range programs {
		names[pr.ID] = pr.Name
		p.Programs = append(p.Programs, programChoice{ID: pr.ID, Name: pr.Name, Organization: pr.OrganizationName,
			Grants: strings.Join(pr.Grants, ", "), Checked: chosen[pr.ID]})
	}
	for _, g := range grants {
		p.Grants = append(p.Grants, option{g.ID, fmt.Sprintf("%s (%s)", g.ID, plural(len(g.ProjectIDs), "program", "programs"))})
	}
	runs, err := st.FindReportRuns(ctx, 50)
	if err != nil {
		return err
	}
	for _, run := range runs {
		p.Runs = append(p.Runs, s.runRow(rq, run, names))
	}
	if p.Shell, err = s.shell(r, rq, "home", reportsURL(rq), "Reports"); err != nil {
		return err
	}
	return s.render(w, r, status, "reports", &p)
}

func (s *Server) runRow(rq *request, run store.ReportRun, names map[string]string) runRow {
	k, _ := reportrun.ParseKind(run.Kind)
	row := runRow{Href: runURL(rq, run.ID), Report: k.Short(), Period: usDate(run.Start) + " to " + usDate(run.End),
		CoC: run.CoC, By: strings.TrimSuffix(run.Actor, "(web)"), When: datetime(run.Started), Persons: run.Persons,
		Done: run.Status == store.ReportDone, Failed: run.Status == store.ReportFailed, Message: run.Message}
	row.Programs = programList(run, names)
	if k.SystemWide() {
		row.Programs = "every program of CoC " + run.CoC + " you may see"
	}
	switch {
	case row.Done:
		row.Status = "Done"
		row.Duration = run.Duration().Round(time.Millisecond).String()
	case row.Failed:
		row.Status = "Failed"
	default:
		row.Status = "Running"
		if s.runs.get(rq.Site.Slug, run.ID) == nil {
			row.Status = "Interrupted"
		}
	}
	if run.HasZip {
		row.ZipHref = row.Href + "/zip"
	}
	return row
}

// programList names a run's programs: the grant, or the programs.
func programList(run store.ReportRun, names map[string]string) string {
	var ps []string
	for _, id := range run.ProjectIDs {
		if n := names[id]; n != "" {
			ps = append(ps, n)
		} else {
			ps = append(ps, "program "+id)
		}
	}
	s := strings.Join(ps, ", ")
	if len(ps) > 3 {
		s = strings.Join(ps[:3], ", ") + fmt.Sprintf(" and %d more", len(ps)-3)
	}
	if run.GrantID != "" {
		return "grant " + run.GrantID + ": " + s
	}
	return s
}

var cocPattern = regexp.MustCompile(`^[A-Z]{2}-[0-9]{3}$`)

// runReport checks the form and starts the run, or shows the form again
// as typed with a message next to each field in error.
func (s *Server) runReport(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	ctx := r.Context()
	values := map[string]string{}
	for _, f := range []string{"kind", "by", "grant", "start", "end", "coc"} {
		values[f] = clip(strings.TrimSpace(r.PostFormValue(f)), 64)
	}
	values["coc"] = strings.ToUpper(values["coc"])
	chosen := map[string]bool{}
	for _, id := range r.PostForm["project"] {
		if len(chosen) < 1000 {
			chosen[clip(id, 64)] = true
		}
	}
	errs := map[string]string{}
	kind, ok := reportrun.ParseKind(values["kind"])
	if !ok {
		errs["kind"] = "Choose a report."
	}
	programs, grants, err := reportrun.Choices(ctx, rq.Site.Store)
	if err != nil {
		return err
	}
	mine := map[string]bool{}
	for _, pr := range programs {
		mine[pr.ID] = true
	}
	// A grant chosen without switching to "every program funded by a
	// grant", and no program ticked: the grant is what was meant.
	if values["by"] != "grant" && len(chosen) == 0 && values["grant"] != "" {
		values["by"] = "grant"
	}
	var ids []string
	switch {
	case ok && kind.SystemWide():
		// The CE APR covers every program of the CoC the user may see.
		chosen = map[string]bool{}
	case values["by"] == "grant":
		chosen = map[string]bool{}
		if values["grant"] == "" {
			errs["grant"] = "Choose a grant."
		}
		for _, g := range grants {
			if g.ID == values["grant"] {
				ids = g.ProjectIDs
			}
		}
		if values["grant"] != "" && len(ids) == 0 {
			errs["grant"] = "No program you may report on is funded by this grant."
		}
	default:
		values["by"] = "programs"
		for id := range chosen {
			if !mine[id] {
				// Not "forbidden": a program the user may not see is not named.
				errs["project"] = "One of the chosen programs is not one you may report on. Choose among those listed."
				delete(chosen, id)
				continue
			}
			ids = append(ids, id)
		}
		if len(ids) == 0 && errs["project"] == "" {
			errs["project"] = "Choose at least one program."
		}
	}
	slices.Sort(ids)
	start, okStart := parseClientDate(values["start"])
	end, okEnd := parseClientDate(values["end"])
	switch {
	case values["start"] == "":
		errs["start"] = "Enter the report start date."
	case !okStart:
		errs["start"] = "Enter the report start date as MM/DD/YYYY."
	}
	switch {
	case values["end"] == "":
		errs["end"] = "Enter the report end date."
	case !okEnd:
		errs["end"] = "Enter the report end date as MM/DD/YYYY."
	}
	if okStart && okEnd && end.Before(start) {
		errs["start"] = "The start date is after the end date " + usDate(end) + "."
	}
	if !cocPattern.MatchString(values["coc"]) {
		errs["coc"] = "Enter the reporting CoC code as two letters, a dash and three digits, like CA-510."
	}
	if len(errs) > 0 {
		return s.renderReports(w, r, rq, http.StatusUnprocessableEntity, values, errs, chosen)
	}
	run, err := rq.Site.Store.StartReportRun(ctx, store.ReportRun{Kind: string(kind), ProjectIDs: ids,
		GrantID: map[bool]string{true: values["grant"]}[values["by"] == "grant" && !kind.SystemWide()], Start: start, End: end, CoC: values["coc"]})
	if err != nil {
		return err
	}
	actor, _ := hmis.ActorFrom(ctx)
	reqID, _ := ctx.Value(requestIDKey{}).(string)
	job := s.runs.start(rq.Site, run, actor, reqID,
		report.Params{ProjectIDs: ids, Start: start, End: end, CoC: values["coc"], Software: "Hearth"})
	select {
	case <-job.done:
	case <-time.After(s.runs.wait):
	case <-ctx.Done():
	}
	http.Redirect(w, r, runURL(rq, run.ID), http.StatusSeeOther)
	return nil
}
