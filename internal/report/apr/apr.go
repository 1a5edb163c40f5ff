// Package apr computes HUD's CoC Annual Performance Report (APR) and ESG
// Consolidated Annual Performance and Evaluation Report (CAPER), FY2026
// table set, from an hmis.Dataset: pure functions, no SQL.
//
//	rep, err := apr.Run(ds, apr.APR, report.Params{ProjectIDs: ids, Start: s, End: e, CoC: coc})
//	rep.Table("Q7a").Rows[0].Cells[0].Value   // adults served, all households
//	rep.Table("Q7a").Rows[0].Cells[0].Refs    // the clients behind it
//	rep.WriteSageZip(w)                       // Sage's upload, one Q<id>.csv per table
//
// The CAPER is the APR's subset with its own variations (Q22a2, Q22d,
// Q24a); both take the universe and shared rules of package report. The
// rules come from HUD's FY2022 APR/CAPER programming specifications
// (../shared/hud/specs), REFERENCE.md §4 for what changed since, and the
// FY2026 table shells for the layout. Implemented lists the tables built so
// far; a report holds only those (docs/apr-verification.md).
package apr

import (
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/report"
)

// Kind is a report of this package.
type Kind string

const (
	APR   Kind = "apr"   // CoC APR
	CAPER Kind = "caper" // ESG CAPER
)

// Run computes the report over ds.
func Run(ds *hmis.Dataset, kind Kind, p report.Params) (*report.Report, error) {
	return RunIndexed(report.NewIndex(ds), kind, p)
}

// RunIndexed is Run over an Index built once for several runs.
func RunIndexed(x *report.Index, kind Kind, p report.Params) (*report.Report, error) {
	if kind != APR && kind != CAPER {
		return nil, fmt.Errorf("report: %q is not apr or caper", kind)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	for _, id := range p.ProjectIDs {
		if x.Projects[id] == nil {
			return nil, fmt.Errorf("projects: no program with ID %q", id)
		}
	}
	r := &run{kind: kind, p: p, x: x, inRun: map[string]bool{}}
	for _, id := range p.ProjectIDs {
		r.inRun[id] = true
	}
	so := false
	for _, id := range p.ProjectIDs {
		so = so || report.ProjectTypeOf(x.Projects[id]) == hud.ProjectTypeStreetOutreach
	}
	if so {
		// The DQ universe differs only by Street Outreach stays; both
		// universes only read the index, so they are built at once.
		dq := p
		dq.EngagedOnly = true
		var wg sync.WaitGroup
		wg.Go(func() { r.dq = report.NewUniverseIndexed(x, dq) })
		r.u = report.NewUniverseIndexed(x, p)
		wg.Wait()
	} else {
		r.u = report.NewUniverseIndexed(x, p)
		r.dq = r.u
	}
	rep := &report.Report{Kind: string(kind), Params: p}
	var fs []func(*run) *report.Table
	for _, id := range report.TableIDs(string(kind)) {
		if f := builders[id]; f != nil {
			fs = append(fs, f)
		}
	}
	rep.Tables = buildTables(r, fs)
	return rep, nil
}

// buildTables builds the tables, in fs's order, on every core: a builder
// only reads the run (the index and the universes are built before and
// never written after; a builder that narrows the universe, such as
// youth, works on a copy), so tables are independent (docs/PERFORMANCE.md:
// a third of the 100k APR's computing). The kit test runs it under -race.
func buildTables(r *run, fs []func(*run) *report.Table) []*report.Table {
	out := make([]*report.Table, len(fs))
	var next atomic.Int32
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(fs)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(fs) {
					return
				}
				out[i] = fs[i](r)
			}
		})
	}
	wg.Wait()
	return out
}

// Implemented lists the tables of kind this package builds, in HUD's order.
func Implemented(kind Kind) []string {
	var ids []string
	for _, id := range report.TableIDs(string(kind)) {
		if builders[id] != nil {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return report.LessID(ids[i], ids[j]) })
	return ids
}

// run is one computation: the parameters, the universe and the DQ universe.
type run struct {
	kind Kind
	p    report.Params
	x    *report.Index
	u    *report.Universe
	dq   *report.Universe // SO stays only when engaged by the report end
	// inRun holds the reported project IDs.
	inRun map[string]bool
}

// builders maps a table id to the function that builds it.
var builders = map[string]func(*run) *report.Table{}

func (r *run) table(id string) *report.Table { return report.NewTable(string(r.kind), id) }

// hhCol is the column of a household type in the usual layout: Total (0),
// Without Children (1), With Children and Adults (2), With Only Children
// (3), Unknown Household Type (4).
func hhCol(c *report.Client) int { return 1 + int(c.Household.Type) }

// addHH counts c in row's Total column and its household type column.
func addHH(t *report.Table, row int, c *report.Client) {
	t.Add(row, 0, c.Ref())
	t.Add(row, hhCol(c), c.Ref())
}

// pct sets a Percent cell num/den (0 when den is 0).
func pct(t *report.Table, r, c int, num, den float64) {
	v := 0.0
	if den != 0 {
		v = num / den
	}
	t.Set(r, c, report.Percent, v)
}

func code[T ~int](p *T) int { return report.Code(p) }
