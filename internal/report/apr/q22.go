package apr

import (
	"sort"

	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/report"
)

func init() {
	builders["Q22a1"] = q22a1
	builders["Q22a2"] = q22a2
	builders["Q22b"] = q22b
	builders["Q22c"] = q22c
	builders["Q22d"] = q22d
	builders["Q22e"] = q22e
	builders["Q27j"] = func(r *run) *report.Table { return r.youth().avgTable("Q27j") }
	builders["Q27k"] = func(r *run) *report.Table { return r.youth().moveInTable("Q27k") }
	builders["Q27l"] = func(r *run) *report.Table { return r.youth().priorTable("Q27l") }
}

// bucket returns the index of the first upper bound >= n, or len(bounds).
func bucket(n int, bounds []int) int {
	for i, b := range bounds {
		if n <= b {
			return i
		}
	}
	return len(bounds)
}

var (
	coCBuckets   = []int{30, 60, 90, 180, 365, 730, 1095, 1460, 1825}            // Q22a1
	esgBuckets   = []int{7, 14, 21, 30, 60, 90, 180, 365, 730, 1095, 1460, 1825} // Q22a2
	shortBuckets = []int{7, 14, 21, 30, 60, 90, 180, 365, 730}                   // Q22c, Q22d, Q22e
)

func (r *run) losTable(id string, bounds []int) *report.Table {
	t := r.table(id)
	total := len(t.Rows) - 1
	for _, c := range r.u.Clients {
		row := bucket(r.u.LengthOfStay(c), bounds)
		col := 2
		if c.Leaver {
			col = 1
		}
		t.Add(row, 0, c.Ref())
		t.Add(row, col, c.Ref())
		t.Add(total, 0, c.Ref())
		t.Add(total, col, c.Ref())
	}
	return t
}

func q22a1(r *run) *report.Table { return r.losTable("Q22a1", coCBuckets) }
func q22a2(r *run) *report.Table { return r.losTable("Q22a2", esgBuckets) }

// q22d is the length of participation by household type (CAPER).
func q22d(r *run) *report.Table {
	t := r.table("Q22d")
	for _, c := range r.u.Clients {
		addHH(t, bucket(r.u.LengthOfStay(c), shortBuckets), c)
		addHH(t, 10, c)
	}
	return t
}

func avgMedian(v []int) (avg, med float64) {
	if len(v) == 0 {
		return 0, 0
	}
	sort.Ints(v)
	s := 0
	for _, x := range v {
		s += x
	}
	avg = float64(s) / float64(len(v))
	if n := len(v); n%2 == 1 {
		med = float64(v[n/2])
	} else {
		med = float64(v[n/2-1]+v[n/2]) / 2
	}
	return avg, med
}

func q22b(r *run) *report.Table { return r.avgTable("Q22b") }

func (r *run) avgTable(id string) *report.Table {
	t := r.table(id)
	var leavers, stayers []int
	for _, c := range r.u.Clients {
		if c.Leaver {
			leavers = append(leavers, r.u.LengthOfStay(c))
		} else {
			stayers = append(stayers, r.u.LengthOfStay(c))
		}
	}
	for col, v := range [][]int{leavers, stayers} {
		a, m := avgMedian(v)
		t.Set(0, col, report.Average, a)
		t.Set(1, col, report.Average, m)
	}
	return t
}

// q22c: days from project start to housing move-in for clients whose
// household moved in within the range, and leavers who never moved in.
func q22c(r *run) *report.Table { return r.moveInTable("Q22c") }

func (r *run) moveInTable(id string) *report.Table {
	t := r.table(id)
	sums := make([]float64, 5)
	for _, c := range r.u.Clients {
		d, housed, counted := r.startToMoveIn(c)
		if !counted {
			continue
		}
		if housed {
			addHH(t, bucket(d, shortBuckets[:8]), c)
			addHH(t, 9, c)
			sums[0] += float64(d)
			sums[hhCol(c)] += float64(d)
		} else {
			addHH(t, 11, c)
		}
		addHH(t, 12, c)
	}
	for col := range sums {
		pctAvg(t, 10, col, sums[col], t.Cell(9, col).Value)
	}
	return t
}

func pctAvg(t *report.Table, row, col int, sum, n float64) {
	v := 0.0
	if n > 0 {
		v = sum / n
	}
	t.Set(row, col, report.Average, v)
}

// q22e: days from the date homelessness started (3.917.3) to housing
// (move-in for PH, project start otherwise); children take the HoH's date
// when they started with the HoH.
func q22e(r *run) *report.Table { return r.priorTable("Q22e") }

func (r *run) priorTable(id string) *report.Table {
	t := r.table(id)
	for _, c := range r.u.Clients {
		d, st := r.timeToHousing(c)
		switch st {
		case outside:
			continue
		case notHoused:
			addHH(t, 11, c)
		case startUnknown:
			addHH(t, 12, c)
		case housedKnown:
			addHH(t, bucket(d, shortBuckets), c)
			addHH(t, 10, c)
		}
		addHH(t, 13, c)
	}
	return t
}

// residential: ES, TH, SH and PH project types, those Q22e reports on (spec Q22e, Report Relevance).
func residential(t hud.ProjectType) bool {
	switch t {
	case hud.ProjectTypeEmergencyShelterEntryExit, hud.ProjectTypeEmergencyShelterNightByNight,
		hud.ProjectTypeTransitionalHousing, hud.ProjectTypeSafeHaven:
		return true
	}
	return isPH(t)
}
