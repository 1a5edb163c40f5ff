package demo

import (
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// A household's journey through the system: one to four stays, one after
// the other (outreach, then shelter, then rapid re-housing, say), each a
// household enrollment in one program. Clients average about 1.5
// enrollments.

// stay is one household enrollment.
type stay struct {
	p            *program
	step         step
	entry, exit  hmis.Date // exit is zero while the household is still enrolled
	moveIn       hmis.Date // 3.20, permanent housing only
	householdID  string
	prior        int // 3.917.1 living situation before entry
	priorSubsidy int // 3.917.A, when prior is 435
	dest         int // 3.12 destination, when exited
	destSubsidy  int // 3.12.A, when dest is 435
	user         string
	nights       []hmis.Date // NbN bed nights
}

// step names a kind of program in the journey tables.
type step int

const (
	stepEnd step = iota
	stepCE
	stepSO
	stepES
	stepNbN
	stepDay
	stepHP
	stepSSO
	stepTH
	stepSH
	stepRRH
	stepPSH
)

// stepTypes are the project types (2.02.6) of each step.
var stepTypes = map[step][]hud.ProjectType{
	stepCE: {14}, stepSO: {4}, stepES: {0}, stepNbN: {1}, stepDay: {11}, stepHP: {12}, stepSSO: {6},
	stepTH: {2}, stepSH: {8}, stepRRH: {13}, stepPSH: {3, 9, 10},
}

// nextSteps says where households go after each kind of program.
var nextSteps = map[step][]weighted[step]{
	stepEnd: {{stepCE, 22}, {stepSO, 14}, {stepES, 25}, {stepNbN, 10}, {stepDay, 6}, {stepHP, 12}, {stepSSO, 5}, {stepTH, 3}, {stepSH, 2}, {stepRRH, 1}},
	stepCE:  {{stepES, 35}, {stepNbN, 5}, {stepRRH, 25}, {stepTH, 10}, {stepPSH, 12}, {stepSH, 4}, {stepHP, 9}},
	stepSO:  {{stepES, 30}, {stepNbN, 10}, {stepSH, 15}, {stepPSH, 20}, {stepRRH, 15}, {stepTH, 5}, {stepCE, 5}},
	stepES:  {{stepRRH, 35}, {stepTH, 18}, {stepPSH, 15}, {stepSH, 5}, {stepES, 12}, {stepCE, 15}},
	stepNbN: {{stepRRH, 30}, {stepTH, 15}, {stepPSH, 15}, {stepES, 25}, {stepCE, 15}},
	stepDay: {{stepES, 40}, {stepRRH, 25}, {stepCE, 35}},
	stepHP:  {{stepES, 50}, {stepRRH, 30}, {stepCE, 20}},
	stepSSO: {{stepES, 40}, {stepRRH, 40}, {stepCE, 20}},
	stepSH:  {{stepPSH, 60}, {stepRRH, 40}},
	stepTH:  {{stepRRH, 50}, {stepPSH, 50}},
}

// lengths are the median and range of a stay, in days, by step.
var lengths = map[step][3]int{
	stepCE: {90, 1, 1000}, stepSO: {150, 1, 1100}, stepES: {45, 1, 730}, stepNbN: {4, 1, 45}, stepDay: {45, 1, 720},
	stepHP: {120, 14, 365}, stepSSO: {150, 7, 900}, stepTH: {280, 14, 730}, stepSH: {220, 7, 1000},
	stepRRH: {260, 30, 900}, stepPSH: {1500, 30, 4000},
}

// journey plans the stays of a household starting on day. It returns no
// stays when no program can take the household.
func (g *gen) journey(h *household, day hmis.Date) []stay {
	r := g.r
	n := pickW(r, []weighted[int]{{1, 42}, {2, 34}, {3, 17}, {4, 7}})
	var out []stay
	where, whereSub := g.startSituation(h)
	s, p := g.choose(h, stepEnd, day)
	for p != nil {
		if s == stepHP && where < 300 { // prevention serves people still housed
			where, whereSub = pickW(r, preventionSituation), 0
			if where == 435 {
				whereSub = 433
			}
		}
		l := lengths[s]
		length := r.logNormalDays(float64(l[0]), l[1], l[2])
		if s != stepNbN && s != stepPSH && r.chance(0.3) {
			length *= 8 // long stayers, and enrollments nobody closed
		}
		st := stay{p: p, step: s, entry: day, prior: where, priorSubsidy: whereSub, householdID: g.id.next('H'), user: pick(r, p.users)}
		if s == stepNbN {
			st.nights = g.bedNights(day, length)
			length = day.DaysUntil(st.nights[len(st.nights)-1]) + 1 // exit the morning after the last night
		}
		exit := day.AddDays(length)
		if !p.opEnd.IsZero() && exit.After(p.opEnd) {
			exit = p.opEnd
		}
		active := !exit.Before(g.today)
		if p.permanent() && r.chance(0.9) {
			median := 12.0
			if s == stepRRH {
				median = 45
			}
			mi := day.AddDays(r.logNormalDays(median, 0, 240))
			if mi.Before(g.today) && (active || !mi.After(exit)) {
				st.moveIn = mi
			}
		}
		if active {
			out = append(out, st)
			break
		}
		st.exit = exit
		next, np := stepEnd, (*program)(nil)
		nextDay := exit.AddDays(pickW(r, []weighted[int]{{0, 40}, {1, 15}, {r.between(2, 14), 30}, {r.between(15, 60), 15}}))
		if len(out)+1 < n && nextDay.Before(g.today) {
			next, np = g.choose(h, s, nextDay)
		}
		st.dest, st.destSubsidy = g.destination(s, next, !st.moveIn.IsZero())
		where, whereSub = st.dest, st.destSubsidy
		out = append(out, st)
		s, p, day = next, np, nextDay
	}
	return out
}

// choose picks the next kind of program after prev and a program of that
// kind that takes the household and is open on day.
func (g *gen) choose(h *household, prev step, day hmis.Date) (step, *program) {
	if len(nextSteps[prev]) == 0 {
		return stepEnd, nil // housed: the journey ends here
	}
	for range 6 {
		s := pickW(g.r, nextSteps[prev])
		if s == stepPSH && !h.head().disabling() {
			s = stepRRH // PSH needs a disabling condition
		}
		if p := g.program(h, s, day); p != nil {
			return s, p
		}
	}
	return stepEnd, nil
}

// program picks among the programs of step s that take household h and are
// open on day, preferring programs made for the household (youth, veterans,
// people with HIV).
func (g *gen) program(h *household, s step, day hmis.Date) *program {
	var cs []weighted[*program]
	for _, t := range stepTypes[s] {
		for _, p := range g.byType[t] {
			if w := p.takes(h); w > 0 && p.open(day) {
				cs = append(cs, weighted[*program]{p, w})
			}
		}
	}
	if len(cs) == 0 {
		return nil
	}
	return pickW(g.r, cs)
}

// takes weighs how well a program fits a household; 0 when it cannot
// enroll it.
func (p *program) takes(h *household) int {
	switch {
	case h.kind == kindChildOnly && !p.children,
		h.hasChildren() && !p.families,
		h.kind != kindChildOnly && !h.hasChildren() && !p.adults,
		p.youthOnly && h.kind != kindYouth && h.kind != kindParentingYouth && h.kind != kindChildOnly,
		p.vetOnly && !h.hasVet(),
		p.hivOnly && !h.hasHIV():
		return 0
	case p.youthOnly || p.vetOnly:
		return 6
	case p.hivOnly:
		return 3
	}
	return 1
}

// bedNights returns the nights a night-by-night shelter guest stayed: the
// first night, then most nights until the last.
func (g *gen) bedNights(entry hmis.Date, span int) []hmis.Date {
	nights := []hmis.Date{entry}
	for d := 1; d < span; d++ {
		if n := entry.AddDays(d); n.Before(g.today) && g.r.chance(0.75) {
			nights = append(nights, n)
		}
	}
	return nights
}
