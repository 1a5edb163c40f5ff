package demo

import (
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// hhKind is the make-up of a household.
type hhKind int

const (
	kindSingle         hhKind = iota // one adult, 25 or older
	kindYouth                        // one young adult, 18-24
	kindParentingYouth               // a young adult with a child or two
	kindFamily                       // one or two adults with children
	kindCouple                       // two adults, no children
	kindAdultOther                   // an adult with a relative or unrelated adult
	kindChildOnly                    // unaccompanied minors
)

// About 60% of households are single adults, as in most CoCs' APRs.
var kindMix = []weighted[hhKind]{
	{kindSingle, 52}, {kindYouth, 8}, {kindParentingYouth, 3}, {kindFamily, 21},
	{kindCouple, 8}, {kindAdultOther, 4}, {kindChildOnly, 4},
}

// household is the people who enroll together; members[0] is the head.
type household struct {
	kind    hhKind
	members []*person
	rel     []hud.RelationshipToHoH // 3.15, parallel to members
}

func (h *household) head() *person { return h.members[0] }

func (h *household) hasChildren() bool { return h.kind == kindFamily || h.kind == kindParentingYouth }

func (h *household) hasVet() bool {
	for _, m := range h.members {
		if m.vet {
			return true
		}
	}
	return false
}

func (h *household) hasHIV() bool {
	for _, m := range h.members {
		if m.hiv {
			return true
		}
	}
	return false
}

// newHousehold makes a household of at most max people (max >= 1), with
// ages as of day.
func (g *gen) newHousehold(day hmis.Date, max int) *household {
	r := g.r
	kind := pickW(r, kindMix)
	if max == 1 {
		kind = pickW(r, kindMix[:2]) // single or youth
	}
	h := &household{kind: kind}
	o := g.pickOrigin()
	add := func(p *person, rel hud.RelationshipToHoH) {
		if len(h.members) < max {
			h.members = append(h.members, p)
			h.rel = append(h.rel, rel)
		}
	}
	switch kind {
	case kindSingle:
		add(g.newPerson(o, day, adultAge(r), r.chance(0.33), nil), 1)
	case kindYouth:
		add(g.newPerson(o, day, r.between(18, 24), r.chance(0.45), nil), 1)
	case kindParentingYouth:
		head := g.newPerson(o, day, r.between(18, 24), r.chance(0.85), nil)
		add(head, 1)
		for range r.between(1, 2) {
			add(g.newChild(o, day, head, r.between(0, min(5, head.ageOn(day)-16))), 2)
		}
	case kindFamily:
		female := r.chance(0.8)
		head := g.newPerson(o, day, r.between(21, 48), female, nil)
		add(head, 1)
		if r.chance(0.4) {
			add(g.newPerson(g.partnerOrigin(o), day, clamp(head.ageOn(day)+r.between(-6, 6), 19, 60), !female, head), 3)
		}
		for range pickW(r, []weighted[int]{{1, 35}, {2, 30}, {3, 20}, {4, 10}, {5, 5}}) {
			add(g.newChild(o, day, head, r.between(0, min(17, head.ageOn(day)-17))), 2)
		}
	case kindCouple:
		female := r.chance(0.3)
		head := g.newPerson(o, day, adultAge(r), female, nil)
		add(head, 1)
		add(g.newPerson(g.partnerOrigin(o), day, clamp(head.ageOn(day)+r.between(-8, 8), 18, 85), !female, head), 3)
	case kindAdultOther:
		head := g.newPerson(o, day, adultAge(r), r.chance(0.5), nil)
		add(head, 1)
		if r.chance(0.6) { // an aging parent or a grown sibling
			add(g.newPerson(o, day, clamp(head.ageOn(day)+pick(r, []int{-8, 3, 22, 25}), 18, 90), r.chance(0.6), head), 4)
		} else {
			add(g.newPerson(g.pickOrigin(), day, adultAge(r), r.chance(0.5), nil), 5)
		}
	case kindChildOnly:
		head := g.newPerson(o, day, r.between(13, 17), r.chance(0.55), nil)
		add(head, 1)
		if r.chance(0.1) {
			add(g.newChild(o, day, head, r.between(12, 17)), 4) // a sibling
		}
	}
	return h
}

// adultAge draws the age of a single adult head of household.
func adultAge(r rng) int {
	switch pickW(r, []weighted[int]{{0, 25}, {1, 25}, {2, 22}, {3, 20}, {4, 8}}) {
	case 0:
		return r.between(25, 34)
	case 1:
		return r.between(35, 44)
	case 2:
		return r.between(45, 54)
	case 3:
		return r.between(55, 64)
	}
	return r.between(65, 82)
}

func clamp(v, lo, hi int) int { return min(max(v, lo), hi) }

func (g *gen) pickOrigin() *origin {
	n := g.r.IntN(originTotal)
	for i := range origins {
		if n < origins[i].weight {
			return &origins[i]
		}
		n -= origins[i].weight
	}
	return &origins[0]
}

// partnerOrigin: most partners share the head's naming tradition.
func (g *gen) partnerOrigin(o *origin) *origin {
	if g.r.chance(0.8) {
		return o
	}
	return g.pickOrigin()
}

// newChild makes a child of head (sharing the family name), aged age on day.
func (g *gen) newChild(o *origin, day hmis.Date, head *person, age int) *person {
	c := g.newPerson(o, day, max(age, 0), g.r.chance(0.5), nil)
	c.last = head.last
	if head.nameDQ != 1 || c.last == "" {
		c.last = pick(g.r, o.last)
	}
	if !head.female && !c.female && head.suffix == "" && head.first != "" && g.r.chance(0.04) {
		c.first, c.suffix = head.first, "Jr."
	}
	c.child = true
	return c
}
