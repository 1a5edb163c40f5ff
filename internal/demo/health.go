package demo

import (
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// healthDV writes the HealthAndDV record collected at entry: domestic
// violence (4.11) for heads of household and adults, and the RHY health
// questions (R7-R10) in RHY programs.
func (g *gen) healthDV(x *member) {
	if !x.adult {
		return
	}
	r, m := g.r, x.p
	d := &hmis.HealthAndDV{HealthAndDVID: g.id.next('D'), EnrollmentID: x.e.EnrollmentID, PersonalID: m.id,
		InformationDate: x.st.entry, DataCollectionStage: ptr(hud.DataCollectionStage(1)), UserID: x.st.user}
	d.DateCreated = g.stamp(x.st.entry)
	d.DateUpdated = d.DateCreated
	switch {
	case r.chance(0.02):
		d.DomesticViolenceSurvivor = nyr(pickW(r, ws{{8, 30}, {9, 40}, {99, 30}}))
	case m.dv:
		d.DomesticViolenceSurvivor = nyr(1)
		d.WhenOccurred = ptr(hud.WhenDVOccurred(m.dvWhen))
		fleeing := m.dvWhen == 1 && r.chance(0.6) || m.dvWhen == 2 && r.chance(0.2)
		d.CurrentlyFleeing = nyr(b2i(fleeing))
	default:
		d.DomesticViolenceSurvivor = nyr(0)
	}
	if x.st.p.fundedBy(rhyFunders...) {
		health := func() *hud.HealthStatus {
			return ptr(hud.HealthStatus(pickW(r, ws{{1, 15}, {2, 25}, {3, 35}, {4, 17}, {5, 5}, {8, 2}, {99, 1}})))
		}
		d.GeneralHealthStatus, d.DentalHealthStatus, d.MentalHealthStatus = health(), health(), health()
		if m.female {
			preg := r.chance(0.08)
			d.PregnancyStatus = nyr(b2i(preg))
			if preg {
				d.DueDate = x.st.entry.AddDays(r.between(20, 250))
			}
		}
	}
	add(g, d)
	g.c.HealthAndDV++
}

// disabilities writes the six Disabilities rows (4.05-4.10) of a stage,
// consistent with the enrollment's disabling condition (3.08).
func (g *gen) disabilities(x *member, stage int, day hmis.Date) {
	r, m := g.r, x.p
	ts := g.stamp(day)
	missing := r.chance(0.005)
	for _, t := range []struct {
		typ     int
		yes     bool
		impairs bool // asks 'expected to be long-continuing and impair independent living'
	}{
		{5, m.physical, true}, {6, m.developmental, false}, {7, m.chronic, true},
		{8, m.hiv, false}, {9, m.mental, true}, {10, m.substance > 0, true},
	} {
		d := &hmis.Disability{DisabilitiesID: g.id.next('S'), EnrollmentID: x.e.EnrollmentID, PersonalID: m.id,
			InformationDate: day, DisabilityType: ptr(hud.DisabilityType(t.typ)), DataCollectionStage: ptr(hud.DataCollectionStage(stage)),
			DateCreated: ts, DateUpdated: ts, UserID: x.st.user}
		resp := b2i(t.yes)
		if t.typ == 10 {
			resp = m.substance
		}
		if missing && !t.yes {
			resp = 99
		}
		d.DisabilityResponse = ptr(resp)
		if t.impairs && t.yes {
			d.IndefiniteAndImpairs = nyr(b2i(m.impairs))
		}
		if t.typ == 8 && t.yes && x.st.p.hivOnly { // HOPWA: T-cell and viral load (W4, W6)
			d.TCellCountAvailable = nyr(1)
			d.TCellCount = ptr(r.between(180, 1100))
			d.TCellSource = ptr(hud.TCellSourceViralLoadSource(1))
			if r.chance(0.7) {
				d.ViralLoadAvailable = ptr(hud.ViralLoadAvailable(2))
			} else {
				d.ViralLoadAvailable = ptr(hud.ViralLoadAvailable(1))
				d.ViralLoad = ptr(r.between(50, 90000))
				d.ViralLoadSource = ptr(hud.TCellSourceViralLoadSource(1))
			}
			d.AntiRetroviral = nyr(1)
		}
		add(g, d)
		g.c.Disabilities++
	}
}

// employment writes an RHY EmploymentEducation record (R4-R6).
func (g *gen) employment(x *member, stage int, day hmis.Date) {
	r, age := g.r, x.p.ageOn(day)
	e := &hmis.EmploymentEducation{EmploymentEducationID: g.id.next('W'), EnrollmentID: x.e.EnrollmentID, PersonalID: x.p.id,
		InformationDate: day, DataCollectionStage: ptr(hud.DataCollectionStage(stage)), UserID: x.st.user}
	e.DateCreated = g.stamp(day)
	e.DateUpdated = e.DateCreated
	switch {
	case age < 15:
		e.LastGradeCompleted = ptr(hud.LastGradeCompleted(3))
		e.SchoolStatus = ptr(hud.SchoolStatus(pickW(r, ws{{1, 60}, {2, 30}, {6, 5}, {7, 5}})))
	case age < 18:
		e.LastGradeCompleted = ptr(hud.LastGradeCompleted(pickW(r, ws{{3, 40}, {4, 60}})))
		e.SchoolStatus = ptr(hud.SchoolStatus(pickW(r, ws{{1, 45}, {2, 30}, {5, 15}, {6, 5}, {7, 5}})))
	default:
		e.LastGradeCompleted = ptr(hud.LastGradeCompleted(pickW(r, ws{{4, 30}, {5, 35}, {7, 15}, {10, 15}, {14, 5}})))
		e.SchoolStatus = ptr(hud.SchoolStatus(pickW(r, ws{{3, 45}, {4, 15}, {5, 30}, {1, 10}})))
	}
	if r.chance(0.3) && age >= 16 {
		e.Employed = nyr(1)
		e.EmploymentType = ptr(hud.EmploymentType(pickW(r, ws{{1, 30}, {2, 55}, {3, 15}})))
	} else {
		e.Employed = nyr(0)
		e.NotEmployedReason = ptr(hud.NotEmployedReason(pickW(r, ws{{1, 60}, {2, 10}, {3, 30}})))
	}
	add(g, e)
	g.c.EmploymentEducation++
}

// exit returns the member's Exit.csv record: the household's destination
// and the funder-specific exit questions.
func (g *gen) exit(x *member) *hmis.Exit {
	r, st := g.r, x.st
	ts := g.stamp(st.exit)
	e := &hmis.Exit{ExitID: g.id.next('X'), EnrollmentID: x.e.EnrollmentID, PersonalID: x.p.id, ExitDate: st.exit,
		Destination: ptr(hud.LivingSituation(st.dest)), DateCreated: ts, DateUpdated: ts, UserID: st.user}
	if st.dest == 435 {
		e.DestinationSubsidyType = ptr(hud.RentalSubsidyType(st.destSubsidy))
	}
	if st.dest == 17 {
		e.OtherDestination = "Moved out of state"
	}
	p := st.p
	if p.ptype == hud.ProjectTypeHomelessnessPrevention && p.fundedBy(1, 9) || p.hivOnly { // W5
		ha := housingAssessment(st.dest)
		e.HousingAssessment = ptr(hud.HousingAssessmentAtExit(ha))
		switch ha {
		case 1:
			e.SubsidyInformation = ptr(hud.SubsidyInformation(map[bool]int{true: 2, false: 1}[st.dest == 435]))
		case 2:
			e.SubsidyInformation = ptr(hud.SubsidyInformation(map[bool]int{true: 11, false: 12}[st.dest == 435]))
		}
	}
	if p.fundedBy(22, 23, 24, 26) && x.adult { // R17
		status := pickW(r, ws{{1, 55}, {2, 35}, {3, 10}})
		e.ProjectCompletionStatus = ptr(hud.ProjectCompletionStatus(status))
		if status == 3 {
			e.EarlyExitReason = ptr(hud.ExpelledReason(pickW(r, ws{{1, 20}, {2, 50}, {4, 10}, {6, 20}})))
		}
	}
	if p.fundedBy(20) && x.hoh { // HUD-VASH case management exit reason (V9)
		reason := pickW(r, ws{{1, 35}, {3, 25}, {5, 8}, {8, 10}, {9, 10}, {11, 4}, {13, 8}})
		if st.dest == 24 {
			reason = 12
		}
		e.CMExitReason = ptr(hud.CMExitReason(reason))
	}
	return e
}

// housingAssessment maps a destination to W5.1.
func housingAssessment(dest int) int {
	switch {
	case dest == 410 || dest == 435 || dest == 411 || dest == 421:
		return 1
	case dest == 422 || dest == 423:
		return 4
	case dest >= 300 && dest < 400:
		return 3
	case dest == 101 || dest == 116 || dest == 118:
		return 6
	case dest == 207:
		return 7
	case dest == 24:
		return 10
	}
	return 99
}
