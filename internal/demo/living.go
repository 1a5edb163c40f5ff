package demo

import (
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// Living situations (list 3.12.1, three-digit codes since FY2024): where
// people were before entry (3.917) and where they went at exit (3.12).

type ws = []weighted[int]

// startSituation is where a household is before its first stay.
func (g *gen) startSituation(h *household) (code, subsidy int) {
	var cs ws
	switch {
	case h.kind == kindChildOnly:
		cs = ws{{335, 45}, {336, 20}, {116, 10}, {215, 12}, {207, 5}, {101, 5}, {99, 3}}
	case h.kind == kindYouth || h.kind == kindParentingYouth:
		cs = ws{{116, 22}, {101, 10}, {335, 22}, {336, 20}, {215, 6}, {314, 5}, {410, 5}, {207, 4}, {99, 4}, {8, 2}}
	case h.hasChildren():
		cs = ws{{116, 12}, {101, 15}, {335, 22}, {336, 15}, {314, 10}, {410, 14}, {435, 5}, {302, 2}, {99, 3}, {9, 2}}
	default:
		cs = ws{{116, 34}, {101, 14}, {335, 10}, {336, 10}, {314, 5}, {410, 6}, {435, 2}, {207, 5}, {206, 3}, {205, 3},
			{204, 2}, {302, 1}, {118, 1}, {329, 1}, {99, 2}, {8, 1}, {9, 1}}
	}
	code = pickW(g.r, cs)
	if code == 435 {
		subsidy = pickW(g.r, ws{{433, 40}, {434, 25}, {420, 20}, {419, 5}, {436, 10}})
	}
	return code, subsidy
}

// preventionSituation is where households that come to prevention live:
// housed, but at risk of losing it.
var preventionSituation = ws{{410, 55}, {435, 15}, {335, 12}, {336, 10}, {421, 2}, {411, 1}, {314, 5}}

// destination is the 3.12 destination of an exit from a program of step s,
// when the household goes on to step next (stepEnd when it leaves the
// system), and the 3.12.A subsidy when the destination is 435.
func (g *gen) destination(s, next step, movedIn bool) (code, subsidy int) {
	r := g.r
	switch next {
	case stepES, stepNbN:
		return 101, 0
	case stepSH:
		return 118, 0
	case stepTH:
		return 302, 0
	case stepRRH:
		return 435, 431
	case stepPSH:
		return 435, 439
	case stepSO, stepDay:
		return 116, 0
	case stepCE, stepSSO:
		return pickW(r, ws{{116, 40}, {101, 20}, {335, 20}, {336, 20}}), 0
	case stepHP:
		return pickW(r, ws{{410, 60}, {335, 20}, {336, 20}}), 0
	}
	var cs ws
	switch s {
	case stepPSH:
		cs = ws{{435, 25}, {410, 15}, {422, 8}, {423, 7}, {24, 8}, {206, 5}, {225, 5}, {101, 7}, {116, 5}, {312, 4}, {313, 4}, {207, 3}, {30, 4}}
	case stepRRH:
		if !movedIn {
			cs = ws{{312, 20}, {313, 15}, {101, 20}, {116, 10}, {410, 10}, {30, 20}, {99, 5}}
		} else {
			cs = ws{{410, 45}, {435, 20}, {422, 7}, {423, 5}, {312, 6}, {313, 4}, {101, 4}, {116, 2}, {30, 5}, {8, 1}, {207, 1}}
		}
	case stepHP:
		cs = ws{{410, 55}, {435, 15}, {411, 2}, {421, 2}, {422, 10}, {312, 4}, {313, 4}, {101, 4}, {99, 4}}
	case stepTH:
		cs = ws{{410, 30}, {435, 20}, {422, 8}, {423, 7}, {312, 8}, {313, 7}, {101, 5}, {30, 8}, {205, 3}, {207, 2}, {329, 2}}
	case stepSO:
		cs = ws{{116, 25}, {101, 15}, {118, 5}, {30, 20}, {99, 10}, {312, 4}, {313, 4}, {410, 5}, {435, 5}, {207, 4}, {206, 3}}
	case stepSH:
		cs = ws{{435, 30}, {410, 10}, {101, 15}, {116, 10}, {206, 10}, {24, 3}, {30, 10}, {312, 6}, {313, 6}}
	case stepES, stepNbN:
		cs = ws{{312, 11}, {313, 9}, {422, 6}, {423, 4}, {410, 10}, {435, 8}, {101, 8}, {116, 10}, {314, 4}, {30, 15},
			{99, 6}, {207, 3}, {204, 1}, {205, 2}, {206, 1}, {8, 1}, {9, 1}}
	default: // CE, day shelter, services only
		cs = ws{{17, 8}, {30, 25}, {101, 18}, {116, 10}, {312, 8}, {313, 7}, {410, 12}, {435, 8}, {99, 4}}
	}
	code = pickW(r, cs)
	if code == 435 {
		subsidy = pickW(r, ws{{433, 30}, {434, 15}, {420, 15}, {431, 10}, {439, 10}, {436, 8}, {419, 4}, {437, 4}, {440, 4}})
	}
	return code, subsidy
}

// priorLiving fills in 3.917 for a head of household or adult. Emergency
// shelter, street outreach and safe haven projects ask every question
// (3.917A); other projects ask about the time homeless only of people who
// were homeless, or briefly housed or institutionalised after being
// homeless (3.917B).
func (g *gen) priorLiving(e *hmis.Enrollment, st *stay) {
	r := g.r
	code := st.prior
	e.LivingSituation = ptr(hud.LivingSituation(code))
	if code == 435 {
		sub := st.priorSubsidy
		if sub == 0 {
			sub = 433
		}
		e.RentalSubsidyType = ptr(hud.RentalSubsidyType(sub))
	}
	if code < 100 { // doesn't know, prefers not to answer, not collected
		e.LengthOfStay = ptr(hud.ResidencePriorLengthOfStay(99))
		return
	}
	homeless, institution := code < 200, code >= 200 && code < 300
	var los int
	switch {
	case homeless:
		los = pickW(r, ws{{10, 3}, {11, 7}, {2, 15}, {3, 25}, {4, 28}, {5, 20}, {8, 2}})
	case institution:
		los = pickW(r, ws{{10, 2}, {11, 8}, {2, 20}, {3, 35}, {4, 25}, {5, 10}})
	default:
		los = pickW(r, ws{{10, 8}, {11, 12}, {2, 15}, {3, 20}, {4, 25}, {5, 20}})
	}
	e.LengthOfStay = ptr(hud.ResidencePriorLengthOfStay(los))
	askAll := st.p.ptype == 0 || st.p.ptype == 1 || st.p.ptype == 4 || st.p.ptype == 8
	wasHomeless := homeless
	if !askAll && !homeless {
		under := los == 10 || los == 11 || institution && (los == 2 || los == 3)
		e.LOSUnderThreshold = nym(b2i(under))
		if !under {
			return
		}
		wasHomeless = r.chance(0.6)
		e.PreviousStreetESSH = nym(b2i(wasHomeless))
		if !wasHomeless {
			return
		}
	}
	// When did this episode of homelessness start (3.917.3), and how often
	// and how long in the past three years (3.917.4, 3.917.5).
	days := r.between(0, 7)
	if wasHomeless {
		days = r.logNormalDays(120, 1, 2500)
		if st.step == stepPSH && r.chance(0.7) {
			days = max(days, r.between(366, 1800)) // chronically homeless
		}
	}
	start := st.entry.AddDays(-days)
	e.DateToStreetESSH = start
	times := pickW(r, ws{{1, 55}, {2, 18}, {3, 10}, {4, 12}, {8, 3}, {9, 2}})
	e.TimesHomelessPastThreeYears = ptr(hud.TimesHomelessPastThreeYears(times))
	months := days/30 + 1
	if times > 1 && times < 5 {
		months += r.between(1, 8)
	}
	if times >= 8 {
		e.MonthsHomelessPastThreeYears = ptr(hud.MonthsHomelessPastThreeYears(pick(r, []int{8, 9, 99})))
	} else if months > 12 {
		e.MonthsHomelessPastThreeYears = ptr(hud.MonthsHomelessPastThreeYears(113))
	} else {
		e.MonthsHomelessPastThreeYears = ptr(hud.MonthsHomelessPastThreeYears(100 + months))
	}
}
