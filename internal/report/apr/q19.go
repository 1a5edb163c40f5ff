package apr

import (
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
)

func init() {
	builders["Q19a1"] = func(r *run) *report.Table { return r.incomeChange("Q19a1", true) }
	builders["Q19a2"] = func(r *run) *report.Table { return r.incomeChange("Q19a2", false) }
	builders["Q19b"] = func(r *run) *report.Table { return r.disabilityIncome("Q19b") }
	builders["Q27i"] = func(r *run) *report.Table { return r.youthIncome().disabilityIncome("Q27i") }
}

// incomeChange is Q19a1 (adult stayers with start and annual assessment
// records, the HoH in 365+ days) and Q19a2 (adult leavers with start and
// exit records): per income category (earned, other, total) the change
// from start. Columns: lost (0), less (1), same (2), more (3), gained (4),
// none at either (5), total adults (6), gained or increased (7), percent
// (8). Rows: count and average change for earned (0, 1), other (2, 3),
// total (4, 5).
func (r *run) incomeChange(id string, annual bool) *report.Table {
	t := r.table(id)
	sums := [3][9]float64{}
	for _, c := range r.u.Clients {
		if !c.Adult {
			continue
		}
		start := r.u.IncomeAtStart(c)
		var end *hmis.IncomeBenefits
		switch {
		case annual && c.Stayer && c.AnnualDue:
			end = c.Annual
		case !annual && c.Leaver:
			end = r.u.IncomeAtExit(c)
		default:
			continue
		}
		es, os, ts, st1 := earnedOther(start)
		ee, oe, te, st2 := earnedOther(end)
		if start == nil || end == nil || st1 != report.IncomeKnown || st2 != report.IncomeKnown {
			continue
		}
		for k, v := range [3][2]hmis.Money{{es, ee}, {os, oe}, {ts, te}} {
			s, e := v[0], v[1]
			col := 5
			switch {
			case s > 0 && e <= 0:
				col = 0
			case s > 0 && e < s:
				col = 1
			case s > 0 && e == s:
				col = 2
			case s > 0:
				col = 3
			case e > 0:
				col = 4
			}
			change := float64(e-s) / 100
			t.Add(2*k, col, c.Ref())
			t.Add(2*k, 6, c.Ref())
			sums[k][col] += change
			sums[k][6] += change
			if col == 3 || col == 4 {
				t.Add(2*k, 7, c.Ref())
				sums[k][7] += change
			}
		}
	}
	for k := 0; k < 3; k++ {
		for col := 0; col < 8; col++ {
			if col == 5 || col == 6 && k < 2 {
				t.Set(2*k+1, col, report.Money, 0)
				continue
			}
			v := 0.0
			if n := t.Cell(2*k, col).Value; n > 0 {
				v = sums[k][col] / n
			}
			t.Set(2*k+1, col, report.Money, v)
		}
		pct(t, 2*k, 8, t.Cell(2*k, 7).Value, t.Cell(2*k, 6).Value)
		t.Set(2*k+1, 8, report.Percent, 0)
	}
	return t
}

// disabilityIncome is Q19b (and Q27i for youth): adult leavers with known
// income at exit and a known disabling condition (3.08 = 0 or 1), by income
// source at exit and household type. Column groups of four for adults
// only (0), adults and children (4) and unknown household type (8): with
// disabling condition, without, total, percent with.
func (r *run) disabilityIncome(id string) *report.Table {
	t := r.table(id)
	nRows := len(t.Rows)
	for _, c := range r.u.Clients {
		if !c.Adult || !c.Leaver {
			continue
		}
		rec := r.u.IncomeAtExit(c)
		dc := code(c.Enrollment.DisablingCondition)
		if rec == nil || !known01(rec) || dc != 0 && dc != 1 {
			continue
		}
		group := 8
		switch c.Household.Type {
		case report.WithoutChildren:
			group = 0
		case report.WithChildrenAndAdults:
			group = 4
		}
		col := group + 1
		if dc == 1 {
			col = group
		}
		n := 0
		for i, s := range report.Sources(rec) {
			if code(s.Flag) == 1 {
				t.Add(i, col, c.Ref())
				t.Add(i, group+2, c.Ref())
				n++
			}
		}
		if n == 0 {
			t.Add(nRows-2, col, c.Ref())
			t.Add(nRows-2, group+2, c.Ref())
		}
		t.Add(nRows-1, col, c.Ref())
		t.Add(nRows-1, group+2, c.Ref())
	}
	for row := 0; row < nRows-1; row++ { // no percentage on the total row
		for _, g := range []int{0, 4, 8} {
			pct(t, row, g+3, t.Cell(row, g).Value, t.Cell(row, g+2).Value)
		}
	}
	return t
}
