package demo

import (
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// coordinatedEntry writes a coordinated entry household's assessments
// (4.19) and events (4.20), on the head of household: a crisis needs
// assessment at entry, often a housing needs assessment later, a problem
// solving conversation, and the referral that led to the next stay.
func (g *gen) coordinatedEntry(x *member, next *stay) {
	r, st := g.r, x.st
	end := g.end(st)
	prioritized := r.chance(0.7)
	assess := func(day hmis.Date, level int) {
		a := &hmis.Assessment{AssessmentID: g.id.next('A'), EnrollmentID: x.e.EnrollmentID, PersonalID: x.p.id,
			AssessmentDate: day, AssessmentLocation: pick(r, ceLocations),
			AssessmentType:       ptr(hud.AssessmentType(pickW(r, ws{{3, 60}, {1, 30}, {2, 10}}))),
			AssessmentLevel:      ptr(hud.AssessmentLevel(level)),
			PrioritizationStatus: ptr(hud.PrioritizationStatus(2 - b2i(prioritized && level == 2))),
			UserID:               st.user}
		a.DateCreated = g.stamp(day)
		a.DateUpdated = a.DateCreated
		add(g, a)
		g.c.Assessments++
	}
	event := func(day hmis.Date, typ int, more func(*hmis.Event)) {
		e := &hmis.Event{EventID: g.id.next('N'), EnrollmentID: x.e.EnrollmentID, PersonalID: x.p.id,
			EventDate: day, Event: ptr(hud.EventType(typ)), UserID: st.user}
		e.DateCreated = g.stamp(day)
		e.DateUpdated = e.DateCreated
		if more != nil {
			more(e)
		}
		add(g, e)
		g.c.Events++
	}
	assess(st.entry, 1)
	if r.chance(0.6) {
		event(st.entry, 2, func(e *hmis.Event) { e.ProbSolDivRRResult = nym(b2i(r.chance(0.2))) })
	}
	if d := st.entry.AddDays(r.between(3, 30)); !d.After(end) && r.chance(0.7) {
		assess(d, 2)
	}
	if next != nil {
		typ := referralEvent(next.step)
		event(st.entry.AddDays(st.entry.DaysUntil(end)*2/3), typ, func(e *hmis.Event) {
			if typ >= 10 {
				e.LocationCrisisOrPHHousing = next.p.name
				e.ReferralResult = ptr(hud.ReferralResult(1))
				e.ResultDate = next.entry
			}
		})
		if (typ == 13 || typ == 14) && r.chance(0.3) { // follow-up after housing (4.20.B)
			event(end, 5, func(e *hmis.Event) { e.ReferralCaseManageAfter = nym(b2i(r.chance(0.6))) })
		}
		return
	}
	if r.chance(0.5) { // a referral still pending, or one that fell through
		d := st.entry.AddDays(r.IntN(st.entry.DaysUntil(end) + 1))
		typ := pickW(r, ws{{10, 30}, {13, 25}, {14, 15}, {11, 10}, {6, 10}, {9, 10}})
		event(d, typ, func(e *hmis.Event) {
			if typ >= 10 && !st.exit.IsZero() {
				e.ReferralResult = ptr(hud.ReferralResult(pickW(r, ws{{2, 60}, {3, 40}})))
				e.ResultDate = st.exit
			}
		})
	}
}

var ceLocations = []string{
	"Harbor County Coordinated Entry - Downtown Access Center",
	"St. Vincent Day Center access point",
	"Harbor County 2-1-1 call center",
	"Riverbend Family Resource Center",
}

// referralEvent is the 4.20.2 event that refers a household to a step.
func referralEvent(s step) int {
	switch s {
	case stepES, stepNbN, stepSH:
		return 10
	case stepTH:
		return 11
	case stepRRH:
		return 13
	case stepPSH:
		return 14
	case stepHP:
		return 1
	case stepSO:
		return 6
	}
	return 7 // housing navigation, day services
}
