// Package reportrun runs a HUD report for the acting user, the way the
// web (Home → Reports) and `hearth report` do: it lists the programs and
// grants the user may report on, loads the records the user may see with
// store.ReportDataset (the export's visibility: no sharing rule of its
// own), computes the report with the report packages, timing both steps,
// and (Recorded) keeps the run in the run history.
package reportrun

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/report/apr"
	"github.com/hearth-hmis/hearth/internal/report/ceapr"
	"github.com/hearth-hmis/hearth/internal/report/dq"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Kind is a report that can be run.
type Kind string

// The reports.
const (
	APR   Kind = "apr"    // CoC Annual Performance Report
	CAPER Kind = "caper"  // ESG CAPER
	DQ    Kind = "dq"     // HUD Data Quality report (Q1–Q7)
	CEAPR Kind = "ce-apr" // Coordinated Entry APR: CoC-wide, no programs chosen
)

// Kinds are the reports in the order they are offered.
var Kinds = []Kind{APR, CAPER, DQ, CEAPR}

// SystemWide reports whether the report covers every program of the CoC
// the user may see, rather than chosen programs (the CE APR).
func (k Kind) SystemWide() bool { return k == CEAPR }

// Label names a report for people.
func (k Kind) Label() string {
	switch k {
	case APR:
		return "CoC APR (Annual Performance Report)"
	case CAPER:
		return "ESG CAPER"
	case DQ:
		return "HUD Data Quality report"
	case CEAPR:
		return "CE APR (Coordinated Entry, CoC-wide)"
	}
	return string(k)
}

// Short is the report's short name.
func (k Kind) Short() string {
	switch k {
	case APR:
		return "CoC APR"
	case CAPER:
		return "ESG CAPER"
	case DQ:
		return "Data Quality"
	case CEAPR:
		return "CE APR"
	}
	return string(k)
}

// ParseKind returns the report named s.
func ParseKind(s string) (Kind, bool) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// Program is a program the actor may report on.
type Program struct {
	ID, Name, OrganizationID string
	OrganizationName         string
	Grants                   []string // the grant IDs funding it (2.06.2)
	CoCs                     []string // its CoC codes (2.03.1)
}

// CommonCoC returns the CoC code every program has, or "" when they differ
// or have none: the form's default.
func CommonCoC(programs []Program) string {
	code := ""
	for _, p := range programs {
		for _, c := range p.CoCs {
			if code != "" && c != code {
				return ""
			}
			code = c
		}
	}
	return code
}

// Grant is a grant and the programs it funds that the actor may report on.
type Grant struct {
	ID         string
	ProjectIDs []string
}

// Choices returns the programs the actor in ctx may report on (those of
// the actor's organization; administrators and the system every program),
// by name, and the grants funding them, by ID.
func Choices(ctx context.Context, st *store.Store) ([]Program, []Grant, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return nil, nil, fmt.Errorf("reportrun: no actor")
	}
	projects, funders, err := st.ReportProjects(ctx)
	if err != nil {
		return nil, nil, err
	}
	all := actor.System || actor.Role == hmis.RoleAdmin
	if !all && actor.OrganizationID == "" {
		return nil, nil, nil // an account of no organization reports on nothing
	}
	orgs, err := store.FindRecords[hmis.Organization](ctx, st, store.RecordFilter{})
	if err != nil {
		return nil, nil, err
	}
	orgNames := map[string]string{}
	for _, o := range orgs {
		orgNames[o.OrganizationID] = o.OrganizationName
	}
	byID := map[string]*Program{}
	var out []Program
	for _, p := range projects {
		if !all && p.OrganizationID != actor.OrganizationID {
			continue
		}
		name := p.ProjectName
		if name == "" {
			name = "Program " + p.ProjectID
		}
		out = append(out, Program{ID: p.ProjectID, Name: name, OrganizationID: p.OrganizationID, OrganizationName: orgNames[p.OrganizationID]})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	for i := range out {
		byID[out[i].ID] = &out[i]
	}
	cocs, err := store.FindRecords[hmis.ProjectCoC](ctx, st, store.RecordFilter{})
	if err != nil {
		return nil, nil, err
	}
	for _, pc := range cocs {
		if p := byID[pc.ProjectID]; p != nil && pc.CoCCode != "" {
			p.CoCs = append(p.CoCs, pc.CoCCode)
		}
	}
	grants := map[string]map[string]bool{}
	for _, f := range funders {
		p := byID[f.ProjectID]
		if p == nil || f.GrantID == "" {
			continue
		}
		if grants[f.GrantID] == nil {
			grants[f.GrantID] = map[string]bool{}
		}
		if !grants[f.GrantID][p.ID] {
			grants[f.GrantID][p.ID] = true
			p.Grants = append(p.Grants, f.GrantID)
		}
	}
	var gs []Grant
	for id, ps := range grants {
		g := Grant{ID: id}
		for p := range ps {
			g.ProjectIDs = append(g.ProjectIDs, p)
		}
		sort.Strings(g.ProjectIDs)
		gs = append(gs, g)
	}
	sort.Slice(gs, func(i, j int) bool { return gs[i].ID < gs[j].ID })
	return out, gs, nil
}

// Result is one computed report with the records it was computed from.
type Result struct {
	Report  *report.Report
	Dataset *hmis.Dataset // what the actor could see: for drill-down names
	Load    time.Duration // loading the records
	Compute time.Duration // computing the tables
}

// Persons is the number of persons served: Q5a's (or the DQ report's
// Q1's) first row, last column (every active client; column B is the
// data-quality universe); 0 when the report has no such cell.
func (r *Result) Persons() int {
	for _, id := range []string{"Q5a", "Q1"} {
		if t := r.Report.Table(id); t != nil && len(t.Rows) > 0 && len(t.Rows[0].Cells) > 0 {
			cells := t.Rows[0].Cells
			return int(cells[len(cells)-1].Value)
		}
	}
	return 0
}

// Run loads what the actor in ctx may see of p's programs (for the CE
// APR, of every program: p.ProjectIDs is not used) and computes the
// report. Bad parameters come back as an error naming the field
// ("start: ...").
func Run(ctx context.Context, st *store.Store, kind Kind, p report.Params) (*Result, error) {
	if _, ok := ParseKind(string(kind)); !ok {
		return nil, fmt.Errorf("report: unknown report %q", kind)
	}
	if kind.SystemWide() {
		p.ProjectIDs = nil
	} else if err := p.Validate(); err != nil {
		return nil, err
	}
	began := time.Now()
	ds, err := st.ReportDataset(ctx, store.ReportScope{ProjectIDs: p.ProjectIDs, Start: p.Start, End: p.End})
	if err != nil {
		return nil, err
	}
	loaded := time.Now()
	var rep *report.Report
	switch kind {
	case DQ:
		rep, err = dq.Run(ds, p)
	case CEAPR:
		rep, err = ceapr.Run(ds, p)
	default:
		rep, err = apr.Run(ds, apr.Kind(kind), p)
	}
	if err != nil {
		return nil, err
	}
	return &Result{Report: rep, Dataset: ds, Load: loaded.Sub(began), Compute: time.Since(loaded)}, nil
}

// IsParamError reports whether err is a bad parameter of Run
// (report.Params.Validate, a program the dataset does not hold): its
// message names the field ("start: ...") and holds no client data.
func IsParamError(err error) bool {
	msg := err.Error()
	for _, f := range []string{"projects:", "start:", "end:"} {
		if strings.HasPrefix(msg, f) {
			return true
		}
	}
	return false
}

// SafeMessage is a failed run's message for the run history (which keeps
// no client data): a parameter's or a store's message for people as is,
// anything else summarised (the log has the details).
func SafeMessage(err error) string {
	var he *hmis.Error
	if errors.As(err, &he) {
		return he.Message
	}
	if IsParamError(err) {
		return err.Error()
	}
	return "The report could not be computed; the server log has the details."
}

// Recorded runs the report as Run does and records it in the run history
// (store.StartReportRun, FinishReportRun) as the actor in ctx: the
// parameters, grant (when the programs were chosen by grant), who, when,
// how long, the persons and tables, and the Sage zip kept. deliver, when
// not nil, gets the zip before the run is finished (the command line
// writes its file there): its error fails the run with deliverFailed as
// the message. A run that fails is recorded as failed with SafeMessage.
// `hearth report` records its runs this way; the web starts its run in the
// request and computes it in the background (internal/web/reports.go).
func Recorded(ctx context.Context, st *store.Store, kind Kind, p report.Params, grantID string,
	deliver func(zip []byte) error, deliverFailed string) (*Result, store.ReportRun, error) {
	if kind.SystemWide() {
		grantID = ""
	}
	run, err := st.StartReportRun(ctx, store.ReportRun{Kind: string(kind), ProjectIDs: p.ProjectIDs, GrantID: grantID,
		Start: p.Start, End: p.End, CoC: p.CoC})
	if err != nil {
		return nil, run, err
	}
	fail := func(err error, msg string) (*Result, store.ReportRun, error) {
		if ferr := st.FinishReportRun(ctx, run.ID, store.ReportRunResult{Status: store.ReportFailed, Message: msg}); ferr != nil {
			err = fmt.Errorf("%w (and the run history: %v)", err, ferr)
		}
		return nil, run, err
	}
	res, err := Run(ctx, st, kind, p)
	if err != nil {
		return fail(err, SafeMessage(err))
	}
	out, err := res.RunResult()
	if err != nil {
		return fail(err, out.Message)
	}
	if deliver != nil {
		if err := deliver(out.Zip); err != nil {
			return fail(err, deliverFailed)
		}
	}
	if err := st.FinishReportRun(ctx, run.ID, out); err != nil {
		return nil, run, err
	}
	return res, run, nil
}

// RunResult is what the run history keeps of a computed run
// (store.FinishReportRun): done, the persons and tables, the times and
// the Sage zip. When the zip cannot be written it returns the error and
// the failed result to record.
func (r *Result) RunResult() (store.ReportRunResult, error) {
	var zip bytes.Buffer
	if err := r.Report.WriteSageZip(&zip); err != nil {
		return store.ReportRunResult{Status: store.ReportFailed, Message: "The zip could not be written."}, err
	}
	return store.ReportRunResult{Status: store.ReportDone, Persons: r.Persons(), Tables: len(r.Report.Tables),
		Load: r.Load, Compute: r.Compute, Zip: zip.Bytes()}, nil
}
