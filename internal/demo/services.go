package demo

import (
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// services writes the Services records a stay calls for: bed nights (4.14)
// in night-by-night shelters for everyone, and on the head of household the
// services of PATH (P1, P2), SSVF (V2, V3), HOPWA (W1, W2), RHY (R14),
// HUD-VASH voucher tracking (V8) and CoC PSH Moving On assistance (C2).
func (g *gen) services(x *member) {
	r, st := g.r, x.st
	for _, n := range st.nights {
		g.service(x, n, 200, 200, nil)
	}
	if !x.hoh {
		return
	}
	p := st.p
	days := st.entry.DaysUntil(g.end(st))
	when := func() hmis.Date { return st.entry.AddDays(r.IntN(days + 1)) }
	if p.fundedBy(21) && x.e.ClientEnrolledInPATH != nil && *x.e.ClientEnrolledInPATH == 1 {
		for range r.between(1, 5) {
			g.service(x, when(), 141, pickW(r, ws{{1, 15}, {2, 20}, {4, 15}, {5, 5}, {6, 30}, {9, 5}, {10, 5}, {14, 5}}), nil)
		}
		for range r.between(0, 2) {
			outcome := hud.PATHReferralOutcome(pickW(r, ws{{1, 50}, {2, 25}, {3, 25}}))
			g.service(x, when(), 161, pickW(r, ws{{1, 25}, {2, 15}, {3, 15}, {6, 20}, {7, 5}, {8, 10}, {10, 10}}), func(s *hmis.Service) {
				s.ReferralOutcome = &outcome
			})
		}
	}
	if p.fundedBy(33) {
		for range r.between(2, 6) {
			t := pickW(r, ws{{2, 40}, {1, 10}, {3, 10}, {4, 15}, {5, 5}, {6, 3}, {9, 7}, {10, 10}})
			g.service(x, when(), 144, t, func(s *hmis.Service) {
				switch t {
				case 3:
					s.SubTypeProvided = ptr(r.between(1, 4))
				case 4:
					s.SubTypeProvided = ptr(r.between(1, 13))
				case 5:
					s.SubTypeProvided = ptr(r.between(1, 11))
				case 6:
					s.OtherTypeProvided = "Furniture and household goods"
				}
			})
		}
		for range r.between(1, 4) {
			t := pickW(r, ws{{1, 50}, {2, 20}, {3, 8}, {4, 8}, {5, 6}, {8, 8}})
			d := when()
			g.service(x, d, 152, t, func(s *hmis.Service) {
				amount := map[int][2]int{1: {700, 2200}, 2: {900, 2600}, 3: {100, 400}, 4: {80, 600}, 5: {200, 1500}, 8: {20, 120}}[t]
				s.FAAmount = ptr(hmis.Money(r.between(amount[0], amount[1]) * 100))
				s.FAStartDate, s.FAEndDate = d, d
				if t == 1 {
					s.FAEndDate = d.AddDate(0, 1, -1)
				}
			})
		}
	}
	if p.fundedBy(hopwa...) {
		for range r.between(1, 4) {
			g.service(x, when(), 143, pickW(r, ws{{2, 50}, {7, 10}, {8, 15}, {10, 10}, {13, 15}}), nil)
		}
		for range r.between(0, 3) {
			g.service(x, when(), 151, 1, func(s *hmis.Service) { s.FAAmount = ptr(hmis.Money(r.between(400, 1400) * 100)) })
		}
	}
	if p.fundedBy(22, 23, 24, 26) {
		for range r.between(1, 3) {
			g.service(x, when(), 142, pickW(r, ws{{5, 20}, {6, 20}, {8, 25}, {14, 15}, {17, 5}, {26, 10}, {29, 5}}), nil)
		}
	}
	if p.fundedBy(20) { // HUD-VASH: the voucher's way to a lease
		g.service(x, st.entry, 210, 1, nil)
		if !st.moveIn.IsZero() {
			g.service(x, st.entry.AddDays(st.entry.DaysUntil(st.moveIn)/2), 210, 3, nil)
			g.service(x, st.moveIn, 210, 5, nil)
		}
	}
	if p.fundedBy(2) && !st.exit.IsZero() && r.chance(0.15) {
		g.service(x, st.exit.AddDays(-r.IntN(min(days, 60)+1)), 300, pickW(r, ws{{1, 30}, {2, 30}, {3, 25}, {4, 15}}), nil)
	}
}

// service writes one Services record; more fills in the extra columns.
func (g *gen) service(x *member, day hmis.Date, recordType, typeProvided int, more func(*hmis.Service)) {
	s := &hmis.Service{ServicesID: g.id.next('V'), EnrollmentID: x.e.EnrollmentID, PersonalID: x.p.id, DateProvided: day,
		RecordType: ptr(hud.RecordType(recordType)), TypeProvided: ptr(typeProvided), UserID: x.st.user}
	s.DateCreated = g.stamp(day)
	s.DateUpdated = s.DateCreated
	if more != nil {
		more(s)
	}
	add(g, s)
	g.c.Services++
}

// Where outreach workers find people (4.12.4).
var locations = words(`Under_the_5th_Street_overpass Riverside_Park_bench Harbor_Boulevard_encampment
	Car_in_Walmart_parking_lot Bus_station_on_Mission_Street Behind_the_public_library Levee_trail_near_Oak_Valley_Road
	Tent_by_the_railroad_tracks Doorway_on_Main_Street RV_on_Industrial_Way`)

// livingSituations writes Current Living Situation records (4.12) for heads
// of household and adults in street outreach, coordinated entry and
// night-by-night shelter: one at entry, then at later contacts.
func (g *gen) livingSituations(x *member) {
	st, r := x.st, g.r
	t := st.p.ptype
	if !x.adult || t != hud.ProjectTypeStreetOutreach && t != hud.ProjectTypeCoordinatedEntry && t != hud.ProjectTypeEmergencyShelterNightByNight {
		return
	}
	end := g.end(st)
	day, sit := st.entry, st.prior
	for k := 0; k < 8 && !day.After(end); k++ {
		c := &hmis.CurrentLivingSituation{CurrentLivingSitID: g.id.next('L'), EnrollmentID: x.e.EnrollmentID, PersonalID: x.p.id,
			InformationDate: day, CurrentLivingSituation: ptr(hud.LivingSituation(sit)), UserID: st.user}
		c.DateCreated = g.stamp(day)
		c.DateUpdated = c.DateCreated
		if sit == 435 {
			c.CLSSubsidyType = ptr(hud.RentalSubsidyType(433))
		}
		switch {
		case t == hud.ProjectTypeStreetOutreach && sit == 116:
			c.LocationDetails = pick(r, locations)
		case t == hud.ProjectTypeCoordinatedEntry:
			c.VerifiedBy = "Harbor County Coordinated Entry"
		}
		if sit >= 300 { // 4.12.B-F: only for people not homeless
			c.LeaveSituation14Days = nyr(b2i(r.chance(0.6)))
			if *c.LeaveSituation14Days == 1 {
				c.SubsequentResidence, c.ResourcesToObtain = nyr(0), nyr(0)
				c.LeaseOwn60Day, c.MovedTwoOrMore = nyr(0), nyr(b2i(r.chance(0.4)))
			}
		}
		add(g, c)
		g.c.CurrentLivingSituations++
		if t == hud.ProjectTypeEmergencyShelterNightByNight {
			return
		}
		day = day.AddDays(r.between(7, 45))
		if sit >= 300 || sit < 100 || r.chance(0.2) {
			sit = pickW(r, ws{{116, 60}, {101, 25}, {336, 8}, {335, 7}})
		}
	}
}
