package demo

import "github.com/hearth-hmis/hearth/internal/hud"

// conditions draws a person's health conditions (4.05-4.10) and domestic
// violence history (4.11), at rates in the range CoC APRs report.
func (g *gen) conditions(p *person, age int) {
	r := g.r
	if age < 18 {
		p.developmental = r.chance(0.05)
		p.mental = r.chance(0.08)
		p.chronic = r.chance(0.05)
		p.impairs = r.chance(0.3)
		return
	}
	p.physical = r.chance(0.12 + float64(max(age-40, 0))*0.006)
	p.developmental = r.chance(0.04)
	p.chronic = r.chance(0.15 + float64(max(age-40, 0))*0.006)
	p.hiv = r.chance(0.02)
	p.mental = r.chance(0.33)
	if r.chance(0.22) {
		p.substance = pickW(r, []weighted[int]{{1, 40}, {2, 35}, {3, 25}})
	}
	p.impairs = r.chance(0.6)
	rate := 0.12
	if p.female {
		rate = 0.32
	}
	if p.dv = r.chance(rate); p.dv {
		p.dvWhen = pickW(r, []weighted[int]{{1, 25}, {2, 15}, {3, 15}, {4, 42}, {9, 3}})
	}
}

// wars are the V1 theaters of operations, with their years.
var wars = [7][2]int{{1941, 1945}, {1950, 1953}, {1961, 1975}, {1990, 1991}, {2001, 2021}, {2003, 2010}, {2010, 2011}}

// militaryService draws a veteran's service record (V1) for someone born
// in year.
func (g *gen) militaryService(born int) *service {
	r := g.r
	s := &service{entered: born + r.between(17, 24)}
	s.separated = min(s.entered+pickW(r, []weighted[int]{{2, 20}, {4, 35}, {6, 20}, {10, 12}, {20, 13}})+r.IntN(2), g.today.Time().Year())
	for i, w := range wars {
		if s.entered <= w[1] && s.separated >= w[0] && r.chance(0.55) {
			s.theaters[i] = 1
		}
	}
	if r.chance(0.08) {
		s.theaters[7] = 1
	}
	if r.chance(0.01) {
		for i := range s.theaters {
			s.theaters[i] = 8
		}
	}
	branches := []weighted[int]{{1, 45}, {3, 20}, {2, 15}, {4, 15}, {6, 4}, {8, 1}}
	if s.separated >= 2020 {
		branches = append(branches, weighted[int]{7, 1})
	}
	s.branch = pickW(r, branches)
	s.discharge = pickW(r, []weighted[int]{{1, 70}, {2, 14}, {6, 8}, {4, 2}, {5, 1}, {7, 2}, {8, 1}, {9, 1}, {99, 1}})
	return s
}

// Pointers to HUD codes (HUD's integer columns are pointers: nil is empty).

func nyr(v int) *hud.NoYesReasonsForMissingData { return ptr(hud.NoYesReasonsForMissingData(v)) }
func nym(v int) *hud.NoYesMissing               { return ptr(hud.NoYesMissing(v)) }
func noYes(v int) *hud.NoYes                    { return ptr(hud.NoYes(v)) }
