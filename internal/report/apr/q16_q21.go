package apr

import (
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
)

func init() {
	builders["Q16"] = q16
	builders["Q17"] = q17
	builders["Q18"] = q18
	builders["Q20a"] = q20a
	builders["Q20b"] = q20b
	builders["Q21"] = q21
}

// incomeCol says, for the three-column income tables (start, annual
// assessment for stayers, exit for leavers), which columns c is in and the
// record each uses. annual is true when c is a stayer; due says whether
// the annual assessment is required.
type incomeCols struct {
	start, exit, annual *hmis.IncomeBenefits
}

func (r *run) incomes(c *report.Client) incomeCols {
	return incomeCols{start: r.u.IncomeAtStart(c), exit: r.u.IncomeAtExit(c), annual: c.Annual}
}

// incomeRow is the Q16 row of a total income: no income (0), the ranges
// (1-7), DK/PNTA (8), DNC (9).
func incomeRow(rec *hmis.IncomeBenefits) int {
	m, st := report.TotalIncome(rec)
	switch st {
	case report.IncomeDontKnow:
		return 8
	case report.IncomeMissing, report.IncomeNoRecord:
		return 9
	}
	switch {
	case m <= 0:
		return 0
	case m <= 15000:
		return 1
	case m <= 25000:
		return 2
	case m <= 50000:
		return 3
	case m <= 100000:
		return 4
	case m <= 150000:
		return 5
	case m <= 200000:
		return 6
	}
	return 7
}

// Q16 cash income ranges: active adults at start, adult stayers at the
// annual assessment, adult leavers at exit.
func q16(r *run) *report.Table {
	t := r.table("Q16")
	for _, c := range r.u.Clients {
		if !c.Adult {
			continue
		}
		in := r.incomes(c)
		t.Add(incomeRow(in.start), 0, c.Ref())
		t.Add(12, 0, c.Ref())
		if c.Stayer {
			switch {
			case !c.AnnualDue:
				t.Add(10, 1, c.Ref())
			case in.annual == nil:
				t.Add(11, 1, c.Ref())
			default:
				t.Add(incomeRow(in.annual), 1, c.Ref())
			}
			t.Add(12, 1, c.Ref())
		}
		if c.Leaver {
			t.Add(incomeRow(in.exit), 2, c.Ref())
			t.Add(12, 2, c.Ref())
		}
	}
	return t
}

// known01 reports whether 4.02.2 on rec is 0 or 1.
func known01(rec *hmis.IncomeBenefits) bool {
	if rec == nil {
		return false
	}
	v := code(rec.IncomeFromAnySource)
	return v == 0 || v == 1
}

func addSources(t *report.Table, col int, rec *hmis.IncomeBenefits, ref report.Ref) {
	if rec == nil {
		return
	}
	for i, s := range report.Sources(rec) {
		if code(s.Flag) == 1 {
			t.Add(i, col, ref)
		}
	}
}

// Q17 cash income sources (4.02) of adults; row 16: adults with income
// information at start and annual assessment/exit (the Q19a universes).
func q17(r *run) *report.Table { return r.sourcesTable("Q17") }

func (r *run) sourcesTable(id string) *report.Table {
	t := r.table(id)
	for _, c := range r.u.Clients {
		if !c.Adult {
			continue
		}
		in := r.incomes(c)
		addSources(t, 0, in.start, c.Ref())
		if c.Stayer && in.annual != nil {
			addSources(t, 1, in.annual, c.Ref())
			if known01(in.annual) && known01(in.start) {
				t.Add(15, 1, c.Ref())
			}
		}
		if c.Leaver && in.exit != nil {
			addSources(t, 2, in.exit, c.Ref())
			if known01(in.exit) && known01(in.start) {
				t.Add(15, 2, c.Ref())
			}
		}
	}
	return t
}

// earnedOther splits a record's total income into earned (4.02.A > 0 with
// 4.02.3 = 1) and other income (spec Q18 instructions 3-4).
func earnedOther(rec *hmis.IncomeBenefits) (earned, other, total hmis.Money, st report.IncomeStatus) {
	total, st = report.TotalIncome(rec)
	if st != report.IncomeKnown {
		return 0, 0, 0, st
	}
	earned = report.EarnedIncome(rec)
	if earned < 0 {
		earned = 0
	}
	other = total - earned
	return earned, other, total, st
}

// categoryRow is the Q18 row of a record: only earned (0), only other (1),
// both (2), none (3), DK/PNTA (4), missing (5).
func categoryRow(rec *hmis.IncomeBenefits) int {
	earned, other, total, st := earnedOther(rec)
	switch st {
	case report.IncomeDontKnow:
		return 4
	case report.IncomeMissing, report.IncomeNoRecord:
		return 5
	}
	switch {
	case earned > 0 && other > 0:
		return 2
	case earned > 0:
		return 0
	case other > 0:
		return 1
	case total <= 0:
		return 3
	}
	return 3
}

func q18(r *run) *report.Table { return r.categoryTable("Q18") }

func (r *run) categoryTable(id string) *report.Table {
	t := r.table(id)
	add := func(col int, rec *hmis.IncomeBenefits, c *report.Client) {
		t.Add(categoryRow(rec), col, c.Ref())
		if m, st := report.TotalIncome(rec); st == report.IncomeKnown && m > 0 {
			t.Add(9, col, c.Ref())
		}
	}
	for _, c := range r.u.Clients {
		if !c.Adult {
			continue
		}
		in := r.incomes(c)
		add(0, in.start, c)
		t.Add(8, 0, c.Ref())
		if c.Stayer {
			switch {
			case !c.AnnualDue:
				t.Add(6, 1, c.Ref())
			case in.annual == nil:
				t.Add(7, 1, c.Ref())
			default:
				add(1, in.annual, c)
				if in.start != nil {
					t.Add(10, 1, c.Ref())
				}
			}
			t.Add(8, 1, c.Ref())
		}
		if c.Leaver {
			add(2, in.exit, c)
			if in.exit != nil && in.start != nil {
				t.Add(10, 2, c.Ref())
			}
			t.Add(8, 2, c.Ref())
		}
	}
	return t
}

// benefitFlags are the non-cash benefits of 4.03 in Q20a's row order
// (../shared/hud/reports/BenefitTypes.csv).
func benefitFlags(rec *hmis.IncomeBenefits) []int {
	return []int{code(rec.SNAP), code(rec.WIC), code(rec.TANFChildCare), code(rec.TANFTransportation), code(rec.OtherTANF), code(rec.OtherBenefitsSource)}
}

// benefitLeaver: Q20 counts at exit the heads of household who left and
// the adults who left with them (spec Q20a instruction 4a).
func benefitLeaver(c *report.Client) bool {
	if !c.Leaver {
		return false
	}
	if c.HoH {
		return true
	}
	h := c.Household.HoH
	return h != nil && h.Leaver && h.ExitDate().Equal(c.ExitDate())
}

func q20a(r *run) *report.Table {
	t := r.table("Q20a")
	add := func(col int, rec *hmis.IncomeBenefits, c *report.Client) {
		if rec == nil {
			return
		}
		for i, v := range benefitFlags(rec) {
			if v == 1 {
				t.Add(i, col, c.Ref())
			}
		}
	}
	for _, c := range r.u.Clients {
		if !c.Adult {
			continue
		}
		in := r.incomes(c)
		add(0, in.start, c)
		if c.Stayer {
			add(1, in.annual, c)
		}
		if benefitLeaver(c) {
			add(2, in.exit, c)
		}
	}
	return t
}

// benefitCountRow is the Q20b row: no sources (0), one or more (1), DK/PNTA
// (2), not collected (3).
func benefitCountRow(rec *hmis.IncomeBenefits) int {
	if rec == nil {
		return 3
	}
	n := 0
	for _, v := range benefitFlags(rec) {
		if v == 1 {
			n++
		}
	}
	any := code(rec.BenefitsFromAnySource)
	switch {
	case n > 0 || any == 1:
		return 1
	case any == 0:
		return 0
	case any == 8 || any == 9:
		return 2
	}
	return 3
}

func q20b(r *run) *report.Table {
	t := r.table("Q20b")
	for _, c := range r.u.Clients {
		if !c.Adult {
			continue
		}
		in := r.incomes(c)
		t.Add(benefitCountRow(in.start), 0, c.Ref())
		t.Add(4, 0, c.Ref())
		if c.Stayer {
			row := 3
			if c.AnnualDue {
				row = benefitCountRow(in.annual)
			}
			t.Add(row, 1, c.Ref())
			t.Add(4, 1, c.Ref())
		}
		if benefitLeaver(c) {
			t.Add(benefitCountRow(in.exit), 2, c.Ref())
			t.Add(4, 2, c.Ref())
		}
	}
	return t
}

// insuranceFlags are the health insurance sources of 4.04 in Q21's row
// order (../shared/hud/reports/InsuranceTypes.csv).
func insuranceFlags(rec *hmis.IncomeBenefits) []int {
	return []int{code(rec.Medicaid), code(rec.Medicare), code(rec.SCHIP), code(rec.VHAServices), code(rec.EmployerProvided),
		code(rec.COBRA), code(rec.PrivatePay), code(rec.StateHealthIns), code(rec.IndianHealthServices), code(rec.OtherInsurance)}
}

// Q21 health insurance of all active clients at start, annual assessment
// (stayers) and exit (leavers).
func q21(r *run) *report.Table {
	t := r.table("Q21")
	add := func(col int, rec *hmis.IncomeBenefits, c *report.Client) {
		if rec == nil {
			t.Add(12, col, c.Ref())
			return
		}
		n := 0
		for i, v := range insuranceFlags(rec) {
			if v == 1 {
				t.Add(i, col, c.Ref())
				n++
			}
		}
		switch {
		case n == 1:
			t.Add(14, col, c.Ref())
		case n > 1:
			t.Add(15, col, c.Ref())
		default:
			switch code(rec.InsuranceFromAnySource) {
			case 0, 1:
				t.Add(10, col, c.Ref())
			case 8, 9:
				t.Add(11, col, c.Ref())
			default:
				t.Add(12, col, c.Ref())
			}
		}
	}
	for _, c := range r.u.Clients {
		in := r.incomes(c)
		add(0, in.start, c)
		if c.Stayer {
			if !c.AnnualDue {
				t.Add(13, 1, c.Ref())
			} else {
				add(1, in.annual, c)
			}
		}
		if c.Leaver {
			add(2, in.exit, c)
		}
	}
	return t
}
