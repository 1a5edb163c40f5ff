package apr

import (
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
)

func init() {
	builders["Q12"] = q12
	builders["Q15"] = func(r *run) *report.Table { return r.situationTable("Q15", priorSituation, nil) }
	builders["Q23c"] = func(r *run) *report.Table { return r.situationTable("Q23c", destination, leaver) }
	builders["Q23d"] = func(r *run) *report.Table { return r.subsidyTable("Q23d", leaver, addHH) }
	builders["Q23e"] = q23e
	builders["Q22f"] = func(r *run) *report.Table { return r.raceMoveIn("Q22f", false) }
	builders["Q22g"] = func(r *run) *report.Table { return r.raceMoveIn("Q22g", true) }
	builders["Q25i"] = func(r *run) *report.Table {
		return r.situationTable("Q25i", destination, func(c *report.Client) bool { return c.Leaver && c.Veteran })
	}
	builders["Q25j"] = func(r *run) *report.Table {
		return r.subsidyTable("Q25j", func(c *report.Client) bool { return c.Leaver && c.Veteran }, addVet)
	}
	builders["Q27d"] = func(r *run) *report.Table {
		return r.situationTable("Q27d", priorSituation, func(c *report.Client) bool { return c.Youth && c.AdultOrHoH() })
	}
	builders["Q27f1"] = func(r *run) *report.Table {
		return r.situationTable("Q27f1", destination, func(c *report.Client) bool { return c.Youth && c.Leaver })
	}
	builders["Q27f2"] = func(r *run) *report.Table {
		return r.subsidyTable("Q27f2", func(c *report.Client) bool { return c.Youth && c.Leaver }, addHH)
	}
}

func leaver(c *report.Client) bool { return c.Leaver }

func addVet(t *report.Table, row int, c *report.Client) {
	t.Add(row, 0, c.Ref())
	t.Add(row, vetCol(c), c.Ref())
}

// priorSituation is 3.917.1 of adults and heads of household (Q15's universe).
func priorSituation(c *report.Client) (int, bool) {
	if !c.AdultOrHoH() {
		return 0, false
	}
	return code(c.Enrollment.LivingSituation), true
}

// destination is 3.12.1 of leavers.
func destination(c *report.Client) (int, bool) {
	if !c.Leaver {
		return 0, false
	}
	if c.Exit == nil {
		return -1, true
	}
	return code(c.Exit.Destination), true
}

// situationTable builds the living situation (Q15, Q27d) and destination
// (Q23c, Q25i, Q27f1) tables: one row per situation of the shell
// (report.SituationCodes), group subtotals, the total, and for
// destinations the positive, excluded and percentage rows
// (DestinationClassification.csv).
func (r *run) situationTable(id string, value func(*report.Client) (int, bool), keep func(*report.Client) bool) *report.Table {
	t := r.table(id)
	rowOf := map[int]int{}
	dnc, total, positive, excluded, percent := -1, -1, -1, -1, -1
	for i, row := range t.Rows {
		l := row.Label
		switch {
		case l == "Total":
			total = i
		case strings.HasPrefix(l, "Total persons exiting to positive"):
			positive = i
		case strings.HasPrefix(l, "Total persons whose destinations excluded"):
			excluded = i
		case l == "Percentage":
			percent = i
		}
		for _, code := range report.SituationCodes[l] {
			rowOf[code] = i
			if code == 99 {
				dnc = i
			}
		}
	}
	add := addHH
	if len(t.Header) == 5 {
		add = addVet
	}
	for _, c := range r.u.Clients {
		if keep != nil && !keep(c) {
			continue
		}
		v, ok := value(c)
		if !ok {
			continue
		}
		row, ok := rowOf[v]
		if !ok {
			row = dnc
		}
		add(t, row, c)
		add(t, total, c)
		if positive >= 0 {
			switch report.DestinationClass(v, c.Type) {
			case 'P':
				add(t, positive, c)
			case 'X':
				add(t, excluded, c)
			}
		}
	}
	// Subtotals: the rows since the previous subtotal.
	from := 0
	for i, row := range t.Rows {
		if !strings.HasSuffix(row.Label, "Subtotal") {
			continue
		}
		for j := from; j < i; j++ {
			for col := range row.Cells {
				for _, ref := range t.Rows[j].Cells[col].Refs {
					t.Add(i, col, ref)
				}
			}
		}
		from = i + 1
	}
	if percent >= 0 {
		for col := range t.Rows[percent].Cells {
			pct(t, percent, col, t.Cell(positive, col).Value, t.Cell(total, col).Value-t.Cell(excluded, col).Value)
		}
	}
	return t
}

// subsidyTable: leavers to 435 (rental with ongoing subsidy) by 3.12.A.
func (r *run) subsidyTable(id string, keep func(*report.Client) bool, add func(*report.Table, int, *report.Client)) *report.Table {
	t := r.table(id)
	rowOf := map[int]int{}
	for i, s := range report.DestinationSubsidies() {
		rowOf[s] = i
	}
	total := len(t.Rows) - 1
	for _, c := range r.u.Clients {
		if !keep(c) || c.Exit == nil || code(c.Exit.Destination) != 435 {
			continue
		}
		if row, ok := rowOf[code(c.Exit.DestinationSubsidyType)]; ok {
			add(t, row, c)
		}
		add(t, total, c)
	}
	return t
}

// raceGroup is the column group of the race tables (Q22f, Q22g, Q23e): a
// single race or Hispanic/Latina/o alone (0-6), at least one race and
// Hispanic/Latina/o (7), multi-racial without Hispanic/Latina/o (8),
// unknown (9).
func raceGroup(c *report.Client) int {
	races := report.Races(c)
	n, one := 0, -1
	for i, v := range races {
		if v {
			n++
			one = i
		}
	}
	switch {
	case n == 0:
		return 9
	case n == 1:
		return one
	case races[3]:
		return 7
	}
	return 8
}

// q12: race and ethnicity (3.04) of active clients: each single race, each
// pair, three or more with and without Hispanic/Latina/o, DK/PNTA, DNC.
func q12(r *run) *report.Table {
	t := r.table("Q12")
	pair := map[[2]int]int{}
	row := 7
	for i := 0; i < 7; i++ {
		for j := i + 1; j < 7; j++ {
			pair[[2]int{i, j}] = row
			row++
		}
	}
	for _, c := range r.u.Clients {
		races := report.Races(c)
		var set []int
		for i, v := range races {
			if v {
				set = append(set, i)
			}
		}
		var rw int
		switch {
		case len(set) == 1:
			rw = set[0]
		case len(set) == 2:
			rw = pair[[2]int{set[0], set[1]}]
		case len(set) > 2 && races[3]:
			rw = 28
		case len(set) > 2:
			rw = 29
		default:
			rw = 31
			if c.Client != nil && (code(c.Client.RaceNone) == 8 || code(c.Client.RaceNone) == 9) {
				rw = 30
			}
		}
		addHH(t, rw, c)
		addHH(t, 32, c)
	}
	return t
}

// q23e: destination groups of leavers by race and ethnicity.
func q23e(r *run) *report.Table {
	t := r.table("Q23e")
	for _, c := range r.u.Clients {
		if !c.Leaver {
			continue
		}
		d := -1
		if c.Exit != nil {
			d = code(c.Exit.Destination)
		}
		row := 4
		switch {
		case d >= 100 && d < 200:
			row = 0
		case d >= 200 && d < 300:
			row = 1
		case d >= 300 && d < 400:
			row = 2
		case d >= 400 && d < 500:
			row = 3
		}
		col := 1 + raceGroup(c)
		for _, rr := range []int{row, 5} {
			t.Add(rr, 0, c.Ref())
			t.Add(rr, col, c.Ref())
		}
	}
	return t
}

// raceMoveIn is Q22f (start to move-in, as Q22c) and Q22g (time prior to
// housing, as Q22e) by race and ethnicity: persons housed, not housed,
// average and median days.
func (r *run) raceMoveIn(id string, prior bool) *report.Table {
	t := r.table(id)
	days := make([][]int, 10)
	for _, c := range r.u.Clients {
		var d int
		var housed, counted bool
		if prior {
			d, housed, counted = r.priorToHousing(c)
		} else {
			d, housed, counted = r.startToMoveIn(c)
		}
		if !counted {
			continue
		}
		g := raceGroup(c)
		if housed {
			t.Add(0, g, c.Ref())
			days[g] = append(days[g], d)
		} else {
			t.Add(1, g, c.Ref())
		}
	}
	for g := range days {
		a, m := avgMedian(days[g])
		t.Set(2, g, report.Average, a)
		t.Set(3, g, report.Average, m)
	}
	return t
}

// startToMoveIn classifies c for Q22c: moved in within the range (with the
// days from project start), or a leaver who never moved in.
func (r *run) startToMoveIn(c *report.Client) (days int, housed, counted bool) {
	if !isPH(c.Type) {
		return 0, false, false
	}
	m := c.MoveIn()
	switch {
	case !m.IsZero() && !m.Before(r.p.Start) && !m.After(r.p.End) && (c.Exit == nil || !m.After(c.ExitDate())):
		return c.Enrollment.EntryDate.DaysUntil(m), true, true
	case c.Leaver && (m.IsZero() || m.After(c.ExitDate())):
		return 0, false, true
	}
	return 0, false, false
}

// priorToHousing classifies c for Q22e: days from the date homelessness
// started (3.917.3) to housing; housed false for PH clients not yet moved
// in; counted false outside the universe. ok reports whether the start date
// is known (false: data not collected).
func (r *run) priorToHousing(c *report.Client) (days int, housed, counted bool) {
	d, st := r.timeToHousing(c)
	switch st {
	case housedKnown:
		return d, true, true
	case notHoused:
		return 0, false, true
	}
	return 0, false, false
}

type housingStatus int

const (
	outside housingStatus = iota
	housedKnown
	notHoused
	startUnknown
)

// timeToHousing is Q22e's rule for one client.
func (r *run) timeToHousing(c *report.Client) (int, housingStatus) {
	if !residential(c.Type) {
		return 0, outside
	}
	housed := c.Enrollment.EntryDate
	if isPH(c.Type) {
		housed = c.MoveIn()
		if housed.IsZero() || housed.After(r.p.End) {
			return 0, notHoused
		}
	}
	var started hmis.Date
	switch {
	case c.AdultOrHoH():
		started = c.Enrollment.DateToStreetESSH
	case c.Child:
		if h := c.Household.HoH; h != nil && h.Enrollment.EntryDate.Equal(c.Enrollment.EntryDate) {
			started = h.Enrollment.DateToStreetESSH
		}
	}
	if started.IsZero() || started.After(housed) {
		return 0, startUnknown
	}
	return started.DaysUntil(housed), housedKnown
}
