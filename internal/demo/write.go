package demo

import (
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// writeHousehold writes the household's clients, then each stay with its
// records, parents before children (foreign keys are checked as rows go in).
func (g *gen) writeHousehold(h *household, stays []stay) {
	first, last := &stays[0], &stays[len(stays)-1]
	created := g.stamp(first.entry)
	updated := created
	if last != first {
		updated = g.stamp(last.entry)
	}
	for _, m := range h.members {
		m.id = g.id.next('C')
		c := m.client(created, first.user)
		c.DateUpdated = updated
		add(g, c)
	}
	g.c.Clients += len(h.members)
	g.c.Households++
	for i := range stays {
		var next *stay
		if i+1 < len(stays) {
			next = &stays[i+1]
		}
		g.writeStay(h, &stays[i], next)
	}
}

// writeStay writes one household enrollment: every member's Enrollment,
// the records collected at entry, during the stay and at exit, and Exit.
func (g *gen) writeStay(h *household, st *stay, next *stay) {
	p := st.p
	psde := p.ptype != hud.ProjectTypeCoordinatedEntry && p.ptype != hud.ProjectTypeDayShelter
	for i, m := range h.members {
		adult := i == 0 || m.ageOn(st.entry) >= 18
		e := g.enrollment(h, st, i, adult)
		add(g, e)
		g.c.Enrollments++
		ctx := &member{p: m, e: e, st: st, hoh: i == 0, adult: adult, h: h}
		if psde {
			ctx.inc = g.incomeProfile(m, h, st, adult)
			g.incomeRecord(ctx, 1, st.entry)
			g.healthDV(ctx)
			g.disabilities(ctx, 1, st.entry)
			for k := 1; ; k++ { // annual assessments (5), on the anniversary of entry
				d := st.entry.AddDate(k, 0, 0)
				if !d.Before(g.end(st)) {
					break
				}
				g.incomeRecord(ctx, 5, d.AddDays(g.r.between(-30, 0)))
			}
		}
		if p.fundedBy(22, 23, 24, 26) && adult {
			g.employment(ctx, 1, st.entry)
		}
		g.services(ctx)
		g.livingSituations(ctx)
		if i == 0 && p.ptype == hud.ProjectTypeCoordinatedEntry {
			g.coordinatedEntry(ctx, next)
		}
		if st.exit.IsZero() {
			continue
		}
		if psde {
			g.incomeRecord(ctx, 3, st.exit)
			g.disabilities(ctx, 3, st.exit)
		}
		if p.fundedBy(22, 23, 24, 26) && adult {
			g.employment(ctx, 3, st.exit)
		}
		add(g, g.exit(ctx))
		g.c.Exits++
	}
}

// end is the last day records of a stay can carry: the exit date, or
// yesterday while the household is still enrolled.
func (g *gen) end(st *stay) hmis.Date {
	if st.exit.IsZero() {
		return g.today.AddDays(-1)
	}
	return st.exit
}

// member is one client's part in a stay, passed to the record writers.
type member struct {
	p     *person
	e     *hmis.Enrollment
	st    *stay
	h     *household
	hoh   bool
	adult bool
	inc   *income
}

// enrollment returns member i's Enrollment.csv record for the stay.
func (g *gen) enrollment(h *household, st *stay, i int, adult bool) *hmis.Enrollment {
	r, m, p := g.r, h.members[i], st.p
	ts := g.stamp(st.entry)
	e := &hmis.Enrollment{EnrollmentID: g.id.next('E'), PersonalID: m.id, ProjectID: p.id, EntryDate: st.entry,
		HouseholdID: st.householdID, RelationshipToHoH: ptr(h.rel[i]), EnrollmentCoC: p.coc,
		DisablingCondition: nyr(b2i(m.disabling())), MoveInDate: st.moveIn,
		DateCreated: ts, DateUpdated: ts, UserID: st.user}
	if !m.disabling() && r.chance(0.006) {
		e.DisablingCondition = nyr(pick(r, []int{8, 9, 99}))
	}
	if !st.exit.IsZero() {
		e.DateUpdated = g.stamp(st.exit)
	}
	if !adult {
		return e
	}
	g.priorLiving(e, st)
	end := g.end(st)
	switch p.ptype {
	case hud.ProjectTypeStreetOutreach, hud.ProjectTypeEmergencyShelterNightByNight, hud.ProjectTypeServicesOnly:
		if d := st.entry.AddDays(r.logNormalDays(8, 0, 120)); !d.After(end) && r.chance(0.8) {
			e.DateOfEngagement = d // 4.13
		}
	}
	if p.fundedBy(21) { // PATH status (P3)
		d := e.DateOfEngagement
		if d.IsZero() {
			d = end
		}
		e.DateOfPATHStatus = d
		if r.chance(0.7) {
			e.ClientEnrolledInPATH = nym(1)
		} else {
			e.ClientEnrolledInPATH = nym(0)
			e.ReasonNotEnrolled = ptr(hud.ReasonNotEnrolled(pickW(r, ws{{1, 30}, {2, 40}, {3, 30}})))
		}
	}
	if p.fundedBy(rhyFunders...) {
		g.rhyEntry(e, st)
	}
	if p.fundedBy(33, 37) && i == 0 { // SSVF and GPD (V4, V6, V10)
		e.VAMCStation = "640"
		if p.fundedBy(33) {
			e.PercentAMI = ptr(hud.PercentAMI(pickW(r, ws{{1, 70}, {2, 22}, {3, 7}, {99, 1}})))
			if p.ptype == hud.ProjectTypeHomelessnessPrevention || p.ptype == hud.ProjectTypePHRapidReHousing {
				e.MentalHealthConsultation = ptr(hud.MentalHealthConsultation(pickW(r, ws{{1, 40}, {2, 25}, {3, 10}, {4, 25}})))
			}
		}
	}
	return e
}

// rhyEntry fills the RHY elements collected at entry (R1, R2, R11-R13).
func (g *gen) rhyEntry(e *hmis.Enrollment, st *stay) {
	r := g.r
	e.ReferralSource = ptr(hud.ReferralSource(pickW(r, ws{{1, 30}, {2, 15}, {7, 15}, {11, 5}, {28, 5}, {30, 8}, {34, 4}, {35, 5}, {38, 8}, {39, 5}})))
	if st.p.fundedBy(22) { // Basic Center: BCP status (R2)
		e.DateOfBCPStatus = st.entry
		if r.chance(0.95) {
			e.EligibleForRHY = nym(1)
			e.RunawayYouth = nyr(b2i(r.chance(0.55)))
		} else {
			e.EligibleForRHY = nym(0)
			e.ReasonNoServices = ptr(hud.ReasonNoServices(pickW(r, ws{{1, 50}, {2, 20}, {4, 30}})))
		}
	}
	if st.p.fundedBy(25) {
		return
	}
	e.FormerWardChildWelfare = nyr(b2i(r.chance(0.2)))
	if *e.FormerWardChildWelfare == 1 {
		e.ChildWelfareYears = ptr(hud.RHYNumberOfYears(r.between(1, 3)))
		e.ChildWelfareMonths = ptr(r.between(0, 11))
	}
	e.FormerWardJuvenileJustice = nyr(b2i(r.chance(0.1)))
	if *e.FormerWardJuvenileJustice == 1 {
		e.JuvenileJusticeYears = ptr(hud.RHYNumberOfYears(r.between(1, 2)))
		e.JuvenileJusticeMonths = ptr(r.between(0, 11))
	}
	e.UnemploymentFam, e.MentalHealthDisorderFam = nyr(b2i(r.chance(0.3))), nyr(b2i(r.chance(0.2)))
	e.PhysicalDisabilityFam, e.AlcoholDrugUseDisorderFam = nyr(b2i(r.chance(0.1))), nyr(b2i(r.chance(0.25)))
	e.InsufficientIncome, e.IncarceratedParent = nyr(b2i(r.chance(0.4))), nyr(b2i(r.chance(0.12)))
}
