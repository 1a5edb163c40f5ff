package demo

import (
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// income is a client's income, benefits and insurance (4.02-4.04) during a
// stay; a few gain earned income before exit.
type income struct {
	missing    int            // 8, 9 or 99 when income was not collected
	amounts    [15]hmis.Money // 4.02.3-4.02.17, monthly, in cents
	benefits   [6]bool        // SNAP, WIC, TANF child care, TANF transportation, other TANF, other
	benMissing int            // 4.03.2 8/9/99
	insurance  [10]bool       // Medicaid ... Indian Health Services, other
	insMissing int            // 4.04.2 8/9/99
	soar       int            // P4 connection with SOAR; -1 when not asked
	gainedJob  bool
}

const (
	incEarned = iota
	incUnemployment
	incSSI
	incSSDI
	incVAService
	incVANonService
	incPrivateDisability
	incWorkersComp
	incTANF
	incGA
	incSocSec
	incPension
	incChildSupport
	incAlimony
	incOther
)

// incomeProfile draws a member's income, benefits and insurance.
func (g *gen) incomeProfile(m *person, h *household, st *stay, adult bool) *income {
	r := g.r
	in := &income{soar: -1}
	age := m.ageOn(st.entry)
	money := func(lo, hi int) hmis.Money { return hmis.Money(r.between(lo, hi) * 100) }
	if adult {
		if r.chance(0.03) {
			in.missing = pickW(r, ws{{8, 30}, {9, 30}, {99, 40}})
		} else {
			a := &in.amounts
			if age < 65 && r.chance(0.22) {
				a[incEarned] = money(300, 3400)
			}
			if r.chance(0.03) {
				a[incUnemployment] = money(300, 1500)
			}
			if m.disabling() && r.chance(0.2) || r.chance(0.03) {
				a[incSSI] = 96700
			} else if m.disabling() && age >= 25 && r.chance(0.16) {
				a[incSSDI] = money(850, 1900)
			}
			if m.vet && r.chance(0.25) {
				a[incVAService] = money(180, 3800)
			} else if m.vet && r.chance(0.05) {
				a[incVANonService] = money(1100, 1500)
			}
			if r.chance(0.004) {
				a[incPrivateDisability] = money(500, 2000)
			}
			if r.chance(0.004) {
				a[incWorkersComp] = money(600, 2200)
			}
			if h.hasChildren() && r.chance(0.3) {
				a[incTANF] = money(350, 1000)
			}
			if !h.hasChildren() && r.chance(0.08) {
				a[incGA] = 22100
			}
			if age >= 62 && r.chance(0.6) {
				a[incSocSec] = money(900, 2100)
			}
			if age >= 60 && r.chance(0.05) {
				a[incPension] = money(300, 1800)
			}
			if h.hasChildren() && m.female && r.chance(0.12) {
				a[incChildSupport] = money(150, 700)
			}
			if r.chance(0.003) {
				a[incAlimony] = money(200, 900)
			}
			if r.chance(0.02) {
				a[incOther] = money(50, 500)
			}
			in.gainedJob = a[incEarned] == 0 && age < 62 && r.chance(0.12)
		}
		if r.chance(0.025) {
			in.benMissing = pickW(r, ws{{8, 30}, {9, 30}, {99, 40}})
		} else {
			b := &in.benefits
			b[0] = r.chance(map[bool]float64{true: 0.8, false: 0.5}[h.hasChildren()])
			b[1] = h.hasChildren() && m.female && r.chance(0.45)
			b[2] = h.hasChildren() && r.chance(0.05)
			b[3] = h.hasChildren() && r.chance(0.03)
			b[4] = r.chance(0.01)
			b[5] = r.chance(0.03)
		}
		if st.p.fundedBy(21) {
			in.soar = pickW(r, ws{{0, 80}, {1, 12}, {8, 3}, {99, 5}})
		}
	}
	if r.chance(0.02) {
		in.insMissing = pickW(r, ws{{8, 30}, {9, 30}, {99, 40}})
	} else {
		s := &in.insurance
		s[0] = r.chance(map[bool]float64{true: 0.9, false: 0.66}[age < 18]) // Medicaid
		s[1] = age >= 65 || in.amounts[incSSDI] > 0 && r.chance(0.8)        // Medicare
		s[2] = age < 18 && !s[0] && r.chance(0.5)                           // SCHIP
		s[3] = m.vet && r.chance(0.65)                                      // VHA
		s[4] = in.amounts[incEarned] > 200000 && r.chance(0.35)             // employer
		s[5] = r.chance(0.002)                                              // COBRA
		s[6] = r.chance(0.02)                                               // private pay
		s[7] = r.chance(0.03)                                               // state
		s[8] = m.race&rAmInd != 0 && r.chance(0.4)                          // IHS
		s[9] = r.chance(0.01)                                               // other
	}
	return in
}

// incomeRecord writes an IncomeBenefits record at a stage (5.03.1: 1 entry,
// 5 annual, 3 exit). Income and benefits are asked of adults only;
// insurance of everyone.
func (g *gen) incomeRecord(x *member, stage int, day hmis.Date) {
	in := x.inc
	ib := &hmis.IncomeBenefits{IncomeBenefitsID: g.id.next('B'), EnrollmentID: x.e.EnrollmentID, PersonalID: x.p.id,
		InformationDate: day, DataCollectionStage: ptr(hud.DataCollectionStage(stage)), UserID: x.st.user}
	ib.DateCreated = g.stamp(day)
	ib.DateUpdated = ib.DateCreated
	if x.adult {
		a := in.amounts
		if stage != 1 && in.gainedJob {
			a[incEarned] = hmis.Money(g.r.between(900, 3000) * 100)
		}
		if in.missing != 0 {
			ib.IncomeFromAnySource = nyr(in.missing)
		} else {
			var total hmis.Money
			for _, v := range a {
				total += v
			}
			ib.IncomeFromAnySource = nyr(b2i(total > 0))
			if total > 0 {
				ib.TotalMonthlyIncome = ptr(total)
			}
			flags := []struct {
				f **hud.NoYesMissing
				m **hmis.Money
			}{
				{&ib.Earned, &ib.EarnedAmount}, {&ib.Unemployment, &ib.UnemploymentAmount}, {&ib.SSI, &ib.SSIAmount},
				{&ib.SSDI, &ib.SSDIAmount}, {&ib.VADisabilityService, &ib.VADisabilityServiceAmount},
				{&ib.VADisabilityNonService, &ib.VADisabilityNonServiceAmount}, {&ib.PrivateDisability, &ib.PrivateDisabilityAmount},
				{&ib.WorkersComp, &ib.WorkersCompAmount}, {&ib.TANF, &ib.TANFAmount}, {&ib.GA, &ib.GAAmount},
				{&ib.SocSecRetirement, &ib.SocSecRetirementAmount}, {&ib.Pension, &ib.PensionAmount},
				{&ib.ChildSupport, &ib.ChildSupportAmount}, {&ib.Alimony, &ib.AlimonyAmount}, {&ib.OtherIncomeSource, &ib.OtherIncomeAmount},
			}
			for i, f := range flags {
				*f.f = nym(b2i(a[i] > 0))
				if a[i] > 0 {
					*f.m = ptr(a[i])
				}
			}
			if a[incOther] > 0 {
				ib.OtherIncomeSourceIdentify = "Help from family"
			}
		}
		if in.benMissing != 0 {
			ib.BenefitsFromAnySource = nyr(in.benMissing)
		} else {
			b := in.benefits
			ib.BenefitsFromAnySource = nyr(b2i(b[0] || b[1] || b[2] || b[3] || b[4] || b[5]))
			ib.SNAP, ib.WIC, ib.TANFChildCare = nym(b2i(b[0])), nym(b2i(b[1])), nym(b2i(b[2]))
			ib.TANFTransportation, ib.OtherTANF, ib.OtherBenefitsSource = nym(b2i(b[3])), nym(b2i(b[4])), nym(b2i(b[5]))
			if b[5] {
				ib.OtherBenefitsSourceIdentify = "LIHEAP utility assistance"
			}
		}
		if in.soar >= 0 {
			ib.ConnectionWithSOAR = nyr(in.soar)
		}
	}
	if in.insMissing != 0 {
		ib.InsuranceFromAnySource = nyr(in.insMissing)
	} else {
		s := in.insurance
		insured := false
		for _, v := range s {
			insured = insured || v
		}
		ib.InsuranceFromAnySource = nyr(b2i(insured))
		ib.Medicaid, ib.Medicare, ib.SCHIP, ib.VHAServices = nym(b2i(s[0])), nym(b2i(s[1])), nym(b2i(s[2])), nym(b2i(s[3]))
		ib.EmployerProvided, ib.COBRA, ib.PrivatePay = nym(b2i(s[4])), nym(b2i(s[5])), nym(b2i(s[6]))
		ib.StateHealthIns, ib.IndianHealthServices, ib.OtherInsurance = nym(b2i(s[7])), nym(b2i(s[8])), nym(b2i(s[9]))
		if s[9] {
			ib.OtherInsuranceIdentify = "County indigent health program"
		}
	}
	add(g, ib)
	g.c.IncomeBenefits++
}
