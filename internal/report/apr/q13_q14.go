package apr

import (
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
)

func init() {
	builders["Q13a1"] = func(r *run) *report.Table { return r.conditionsTable("Q13a1", stageStart, false) }
	builders["Q13b1"] = func(r *run) *report.Table { return r.conditionsTable("Q13b1", stageExit, false) }
	builders["Q13c1"] = func(r *run) *report.Table { return r.conditionsTable("Q13c1", stageLatest, false) }
	builders["Q13a2"] = func(r *run) *report.Table { return r.conditionsTable("Q13a2", stageStart, true) }
	builders["Q13b2"] = func(r *run) *report.Table { return r.conditionsTable("Q13b2", stageExit, true) }
	builders["Q13c2"] = func(r *run) *report.Table { return r.conditionsTable("Q13c2", stageLatest, true) }
	builders["Q14a"] = q14a
	builders["Q14b"] = q14b
}

type stage int

const (
	stageStart  stage = iota // data collection stage 1: all active clients
	stageExit                // stage 3: leavers
	stageLatest              // latest record on or before the report end: stayers
)

// splitCol is the column of the 7-column layout (Q13): Total (0), Without
// Children (1), Adults in HH with Children and Adults (2), Children in HH
// with Children and Adults (3), With Only Children (4), Unknown Household
// Type (5); members of unknown age in a household with children and adults
// go to column 5 (spec Q13a1 instruction 5).
func splitCol(c *report.Client) int {
	switch c.Household.Type {
	case report.WithoutChildren:
		return 1
	case report.WithChildrenAndAdults:
		switch {
		case c.Adult:
			return 2
		case c.Child:
			return 3
		}
		return 5
	case report.WithOnlyChildren:
		return 4
	}
	return 5
}

func addSplit(t *report.Table, row int, c *report.Client) {
	t.Add(row, 0, c.Ref())
	t.Add(row, splitCol(c), c.Ref())
}

// conditionRows maps a disability (4.05-4.10, DisabilityType of list 1.3)
// and its response to the Q13x1 row: mental health (9), alcohol, drug and
// both (10: 1, 2, 3), chronic health (7), HIV/AIDS (8), developmental (6),
// physical (5). -1: not a definite yes.
func conditionRow(typ, resp int) int {
	if typ == 10 {
		if resp >= 1 && resp <= 3 {
			return resp
		}
		return -1
	}
	if resp != 1 {
		return -1
	}
	switch typ {
	case 9:
		return 0
	case 7:
		return 4
	case 8:
		return 5
	case 6:
		return 6
	case 5:
		return 7
	}
	return -1
}

// conditions returns the Q13x1 rows of c's conditions at a stage and the
// number of conditions (4.10 = 3 counts 2).
func (r *run) conditions(c *report.Client, st stage) (rows []int, n int) {
	var latest [11]*hmis.DisabilityFact // by DisabilityType; 5-10 are read
	facts := c.Disabilities()
	for i := range facts {
		d := &facts[i]
		typ := int(d.DisabilityType)
		if typ < 5 || typ > 10 {
			continue
		}
		switch st {
		case stageStart:
			if d.DataCollectionStage != 1 {
				continue
			}
		case stageExit:
			if d.DataCollectionStage != 3 {
				continue
			}
		case stageLatest:
			if d.InformationDate.After(r.p.End) {
				continue
			}
		}
		if l := latest[typ]; l == nil || d.InformationDate.After(l.InformationDate) ||
			d.InformationDate.Equal(l.InformationDate) && d.DateUpdated.After(l.DateUpdated) {
			latest[typ] = d
		}
	}
	for typ := 5; typ <= 10; typ++ {
		d := latest[typ]
		if d == nil || d.DisabilityResponse < 0 {
			continue
		}
		row := conditionRow(typ, int(d.DisabilityResponse))
		if row < 0 {
			continue
		}
		rows = append(rows, row)
		n++
		if row == 3 {
			n++
		}
	}
	return rows, n
}

func (r *run) inStage(c *report.Client, st stage) bool {
	switch st {
	case stageExit:
		return c.Leaver
	case stageLatest:
		return c.Stayer
	}
	return true
}

func (r *run) conditionsTable(id string, st stage, counts bool) *report.Table {
	t := r.table(id)
	for _, c := range r.u.Clients {
		if !r.inStage(c, st) {
			continue
		}
		rows, n := r.conditions(c, st)
		if !counts {
			for _, row := range rows {
				addSplit(t, row, c)
			}
			continue
		}
		row := 0
		switch {
		case n >= 3:
			row = 3
		case n > 0:
			row = n
		default: // every condition 0, 8, 9 or 99: by 3.08
			switch code(c.Enrollment.DisablingCondition) {
			case 0:
				row = 0
			case 1:
				row = 4
			case 8, 9:
				row = 5
			default:
				row = 6
			}
		}
		addSplit(t, row, c)
		addSplit(t, 7, c)
	}
	return t
}

// latestDV is the stay's latest HealthAndDV record (4.11) dated on or before the report end.
func (r *run) latestDV(c *report.Client) *hmis.HealthAndDV {
	var best *hmis.HealthAndDV
	for _, d := range r.x.HealthAndDV[c.Enrollment.EnrollmentID] {
		if d.InformationDate.After(r.p.End) || d.DomesticViolenceSurvivor == nil && code(d.DataCollectionStage) != 1 {
			continue
		}
		if best == nil || d.InformationDate.After(best.InformationDate) ||
			d.InformationDate.Equal(best.InformationDate) && code(d.DataCollectionStage) > code(best.DataCollectionStage) {
			best = d
		}
	}
	return best
}

// dkRow maps a 1.8 response to the rows yes (0), no (1), DK/PNTA (2), DNC (3).
func dkRow(v int) int {
	switch v {
	case 1:
		return 0
	case 0:
		return 1
	case 8, 9:
		return 2
	}
	return 3
}

func q14a(r *run) *report.Table {
	t := r.table("Q14a")
	for _, c := range r.u.Clients {
		if !c.AdultOrHoH() {
			continue
		}
		v := -1
		if d := r.latestDV(c); d != nil {
			v = code(d.DomesticViolenceSurvivor)
		}
		addHH(t, dkRow(v), c)
		addHH(t, 4, c)
	}
	return t
}

// q14b: FY2026 "when the most recent experience occurred" (4.11.A) for
// adults and HoH with a DV history (4.11.2 = 1).
func q14b(r *run) *report.Table {
	t := r.table("Q14b")
	for _, c := range r.u.Clients {
		if !c.AdultOrHoH() {
			continue
		}
		d := r.latestDV(c)
		if d == nil || code(d.DomesticViolenceSurvivor) != 1 {
			continue
		}
		row := 5
		switch w := code(d.WhenOccurred); w {
		case 1, 2, 3, 4:
			row = w - 1
		case 8, 9:
			row = 4
		}
		addHH(t, row, c)
		addHH(t, 6, c)
	}
	return t
}
