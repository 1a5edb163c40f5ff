package apr

import (
	"github.com/hearth-hmis/hearth/internal/report"
)

func init() {
	builders["Q11"] = q11
	builders["Q25a"] = q25a
	builders["Q25b"] = q25b
	builders["Q25d"] = q25d
	builders["Q26a"] = q26a
	builders["Q26b"] = q26b
	builders["Q26d"] = q26d
	builders["Q26e"] = q26e
	builders["Q27a"] = q27a
	builders["Q27b"] = q27b
	builders["Q27e"] = q27e
	builders["Q27g"] = q27g
	builders["Q27h"] = q27h
}

// ageBand places a known age into the bands whose upper bounds are given;
// unknown ages go to DK/PNTA (len) or DNC (len+1) by DOB data quality (3.03.2).
func ageBand(c *report.Client, bounds []int) int {
	if !c.AgeKnown {
		if c.Client != nil && (code(c.Client.DOBDataQuality) == 8 || code(c.Client.DOBDataQuality) == 9) {
			return len(bounds) + 1
		}
		return len(bounds) + 2
	}
	return bucket(c.Age, bounds)
}

// q11: age of all active clients (FY2026 bands, REFERENCE.md §4.4).
func q11(r *run) *report.Table {
	t := r.table("Q11")
	bounds := []int{4, 12, 17, 24, 34, 44, 54, 64} // under 5 ... 55-64, then 65+
	for _, c := range r.u.Clients {
		addHH(t, ageBand(c, bounds), c)
		addHH(t, len(t.Rows)-1, c)
	}
	return t
}

// vetCol is the column of the veteran tables (no With Only Children
// column): Total (0), Without Children (1), With Children and Adults (2),
// Unknown Household Type (3).
func vetCol(c *report.Client) int {
	switch c.Household.Type {
	case report.WithoutChildren:
		return 1
	case report.WithChildrenAndAdults:
		return 2
	}
	return 3
}

// vetRow: CH veteran (0), non-CH veteran (1), not a veteran (2), DK/PNTA
// (3), DNC (4), from 3.07 and CH at start.
func vetRow(c *report.Client) int {
	v := -1
	if c.Client != nil {
		v = code(c.Client.VeteranStatus)
	}
	switch v {
	case 1:
		if c.CH == report.CHYes {
			return 0
		}
		return 1
	case 0:
		return 2
	case 8, 9:
		return 3
	}
	return 4
}

func q25a(r *run) *report.Table {
	t := r.table("Q25a")
	for _, c := range r.u.Clients {
		if !c.Adult {
			continue
		}
		row := vetRow(c)
		for _, rr := range []int{row, 5} {
			t.Add(rr, 0, c.Ref())
			t.Add(rr, vetCol(c), c.Ref())
		}
	}
	return t
}

// q25b: households by the veteran status of their head of household
// (households with only children are left out).
func q25b(r *run) *report.Table {
	t := r.table("Q25b")
	for _, c := range r.u.Clients {
		if !c.HoH || c.Household.Type == report.WithOnlyChildren {
			continue
		}
		row := vetRow(c)
		for _, rr := range []int{row, 5} {
			t.Add(rr, 0, c.Ref())
			t.Add(rr, vetCol(c), c.Ref())
		}
	}
	return t
}

func q25d(r *run) *report.Table {
	t := r.table("Q25d")
	bounds := []int{24, 34, 44, 54, 64}
	for _, c := range r.u.Clients {
		if !c.Veteran {
			continue
		}
		row := bucket(c.Age, bounds)
		for _, rr := range []int{row, len(t.Rows) - 1} {
			t.Add(rr, 0, c.Ref())
			t.Add(rr, vetCol(c), c.Ref())
		}
	}
	return t
}

// chRow: CH (0), not CH (1), DK/PNTA (2), DNC (3).
func chRow(ch report.CH) int {
	switch ch {
	case report.CHYes:
		return 0
	case report.CHNo:
		return 1
	case report.CHDontKnow:
		return 2
	}
	return 3
}

// q26a: households with at least one chronically homeless member; other
// households by the head of household's status.
func q26a(r *run) *report.Table {
	t := r.table("Q26a")
	for _, c := range r.u.Clients {
		if !c.HoH {
			continue
		}
		st := c.CH
		for _, m := range c.Household.Members {
			if m.CH == report.CHYes {
				st = report.CHYes
			}
		}
		addHH(t, chRow(st), c)
		addHH(t, 4, c)
	}
	return t
}

func q26b(r *run) *report.Table {
	t := r.table("Q26b")
	for _, c := range r.u.Clients {
		addHH(t, chRow(c.CH), c)
		addHH(t, 4, c)
	}
	return t
}

func q26d(r *run) *report.Table {
	t := r.table("Q26d")
	bounds := []int{17, 24, 34, 44, 54, 64}
	for _, c := range r.u.Clients {
		if c.CH != report.CHYes {
			continue
		}
		addHH(t, ageBand(c, bounds), c)
		addHH(t, len(t.Rows)-1, c)
	}
	return t
}

// q26e: conditions of chronically homeless persons at start, latest
// (stayers) and exit (leavers).
func q26e(r *run) *report.Table {
	t := r.table("Q26e")
	for _, c := range r.u.Clients {
		if c.CH != report.CHYes {
			continue
		}
		for col, st := range []stage{stageStart, stageLatest, stageExit} {
			if !r.inStage(c, st) {
				continue
			}
			rows, _ := r.conditions(c, st)
			for _, row := range rows {
				t.Add(row, col, c.Ref())
			}
		}
	}
	return t
}

func q27a(r *run) *report.Table {
	t := r.table("Q27a")
	for _, c := range r.u.Clients {
		if !c.Youth {
			continue
		}
		row := 0
		if c.Age >= 18 {
			row = 1
		}
		addHH(t, row, c)
		addHH(t, 4, c)
	}
	return t
}

// q27b: parenting youth households (spec Q27b): youth heads of household
// with a child (3.15 = 2) in the household, by the HoH's age.
func q27b(r *run) *report.Table {
	t := r.table("Q27b")
	for _, h := range sortedHouseholds(r.u) {
		hoh := h.HoH
		if hoh == nil || !hoh.Youth {
			continue
		}
		var kids []*report.Client
		for _, m := range h.Members {
			if m != hoh && code(m.Enrollment.RelationshipToHoH) == 2 && m.AgeKnown && m.Age <= 24 {
				kids = append(kids, m)
			}
		}
		if len(kids) == 0 {
			continue
		}
		row := 1
		if hoh.Age < 18 {
			row = 0
		}
		for _, m := range h.Members {
			if m == hoh || m.Adult && m.Age <= 24 {
				t.Add(row, 0, m.Ref())
			}
			if m.Child && code(m.Enrollment.RelationshipToHoH) == 2 {
				t.Add(row, 1, m.Ref())
			}
			t.Add(row, 2, m.Ref())
		}
		t.Add(row, 3, hoh.Ref())
	}
	return t
}

func (r *run) youth() *run {
	y := *r
	u := *r.u
	u.Clients = nil
	for _, c := range r.u.Clients {
		if c.Youth {
			u.Clients = append(u.Clients, c)
		}
	}
	y.u = &u
	return &y
}

func q27e(r *run) *report.Table { return r.youth().losTable("Q27e", coCBuckets) }

// youthIncome is the universe of Q27g-i: youth adults and youth heads of
// household who are minors (spec Q27 footnote).
func (r *run) youthIncome() *run {
	y := r.youth()
	var cs []*report.Client
	for _, c := range y.u.Clients {
		if c.AdultOrHoH() {
			cc := *c
			cc.Adult = true // counted as the adults of Q17/Q18
			cs = append(cs, &cc)
		}
	}
	y.u.Clients = cs
	return y
}

func q27g(r *run) *report.Table {
	t := r.youthIncome().sourcesTable("Q27g")
	return t
}

func q27h(r *run) *report.Table { return r.youthIncome().categoryTable("Q27h") }
