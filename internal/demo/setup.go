package demo

import "github.com/hearth-hmis/hearth/internal/hud"

// The demo Continuum of Care: who runs what, with which grants. Every main
// project type (2.02.6) is here, with the funders (2.06.1) that usually pay
// for it, so that program workflows, APR/CAPER and the CE APR all have
// something to show.

type orgSpec struct {
	name, common string
	vsp          bool // victim service provider (2.01.3)
	lead         bool // the HMIS lead agency
}

var orgSpecs = []orgSpec{
	{name: "Harbor County Housing Authority", common: "HCHA", lead: true},
	{name: "Harbor Light Community Services", common: "Harbor Light"},
	{name: "Safe Passage Domestic Violence Services", common: "Safe Passage", vsp: true},
	{name: "Harbor County VA Medical Center", common: "Harbor VAMC"},
	{name: "Bright Futures Youth Services", common: "Bright Futures"},
	{name: "St. Vincent Outreach Collaborative", common: "St. Vincent"},
	{name: "Hope Street Family Services", common: "Hope Street"},
	{name: "Home Front Veterans Alliance", common: "Home Front"},
	{name: "Open Door Health Alliance", common: "Open Door"},
}

// grant kinds: how a GrantID looks for each funder family.
const (
	grantCoC = iota
	grantESG
	grantHOPWA
	grantVA
	grantPATH
	grantRHY
	grantLocal
	grantVASH
)

type funderSpec struct {
	code  hud.FundingSource
	kind  int
	other string // 2.06.A, for code 46
}

// invSpec is one Inventory (2.07) row: beds and units for a household type,
// with the dedicated beds (2.07.7-2.07.12); the rest are "other" beds.
type invSpec struct {
	hh                                   hud.HouseholdType
	units, beds                          int
	chVet, youthVet, vet, chYouth, youth int
	ch                                   int
	avail                                hud.Availability // ES only
}

type projSpec struct {
	org      int
	name     string
	common   string
	ptype    hud.ProjectType
	rrhSub   hud.RRHSubType  // RRH only
	housing  hud.HousingType // residential types only
	target   hud.TargetPopulation
	opened   string // operating start date
	site     int    // index into sites
	funders  []funderSpec
	inv      []invSpec
	comparab bool // HMIS participation via a comparable database (VSP)
	ce       bool // takes part in coordinated entry as an access point
	ceRefs   bool // receives CE referrals
}

const (
	hhAdults   = hud.HouseholdType(1) // households without children
	hhFamilies = hud.HouseholdType(3) // at least one adult and one child
	hhChildren = hud.HouseholdType(4) // only children
)

var projSpecs = []projSpec{
	{org: 1, name: "Harbor Light Emergency Shelter", common: "HL Shelter", ptype: hud.ProjectTypeEmergencyShelterEntryExit, housing: 1, opened: "1998-03-01", site: 0, ceRefs: true,
		funders: []funderSpec{{code: 8, kind: grantESG}, {code: 46, kind: grantLocal, other: "Harbor County General Fund"}},
		inv:     []invSpec{{hh: hhAdults, units: 110, beds: 110, avail: 1}, {hh: hhFamilies, units: 12, beds: 40, avail: 1}, {hh: hhAdults, units: 25, beds: 25, avail: 3}}},
	{org: 1, name: "Harbor Light Night Shelter", common: "HL Night", ptype: hud.ProjectTypeEmergencyShelterNightByNight, housing: 1, opened: "2012-11-15", site: 1,
		funders: []funderSpec{{code: 8, kind: grantESG}},
		inv:     []invSpec{{hh: hhAdults, units: 60, beds: 60, avail: 1}}},
	{org: 6, name: "Bayside Family Shelter", ptype: hud.ProjectTypeEmergencyShelterEntryExit, housing: 2, opened: "2006-07-01", site: 2, ceRefs: true,
		funders: []funderSpec{{code: 8, kind: grantESG}, {code: 46, kind: grantLocal, other: "United Way of Harbor County"}},
		inv:     []invSpec{{hh: hhFamilies, units: 22, beds: 74, avail: 1}}},
	{org: 2, name: "Safe Passage Emergency Shelter", ptype: hud.ProjectTypeEmergencyShelterEntryExit, housing: 1, target: 1, opened: "2001-05-01", site: 5, comparab: true,
		funders: []funderSpec{{code: 8, kind: grantESG}},
		inv:     []invSpec{{hh: hhFamilies, units: 8, beds: 26, avail: 1}, {hh: hhAdults, units: 10, beds: 10, avail: 1}}},
	{org: 1, name: "Cornerstone Transitional Housing", ptype: hud.ProjectTypeTransitionalHousing, housing: 2, opened: "2004-01-01", site: 2, ceRefs: true,
		funders: []funderSpec{{code: 5, kind: grantCoC}},
		inv:     []invSpec{{hh: hhAdults, units: 30, beds: 30}, {hh: hhFamilies, units: 10, beds: 32}}},
	{org: 4, name: "Bright Futures Youth Shelter", common: "BF Shelter", ptype: hud.ProjectTypeEmergencyShelterEntryExit, housing: 1, opened: "2009-09-01", site: 5,
		funders: []funderSpec{{code: 22, kind: grantRHY}},
		inv:     []invSpec{{hh: hhChildren, units: 12, beds: 12, youth: 12, avail: 1}}},
	{org: 4, name: "Bright Futures Transitional Living Program", common: "BF TLP", ptype: hud.ProjectTypeTransitionalHousing, housing: 2, opened: "2011-10-01", site: 5,
		funders: []funderSpec{{code: 24, kind: grantRHY}},
		inv:     []invSpec{{hh: hhAdults, units: 16, beds: 16, youth: 16}, {hh: hhFamilies, units: 4, beds: 10, youth: 10}}},
	{org: 4, name: "Bright Futures Street Outreach", ptype: hud.ProjectTypeStreetOutreach, opened: "2015-04-01", site: 5,
		funders: []funderSpec{{code: 25, kind: grantRHY}}},
	{org: 0, name: "Harborview Permanent Supportive Housing", common: "Harborview PSH", ptype: hud.ProjectTypePHPermanentSupportiveHousing, housing: 3, opened: "2008-02-01", site: 1, ceRefs: true,
		funders: []funderSpec{{code: 2, kind: grantCoC}},
		inv:     []invSpec{{hh: hhAdults, units: 60, beds: 60, ch: 40}, {hh: hhFamilies, units: 15, beds: 48, ch: 16}}},
	{org: 3, name: "Harbor County HUD-VASH", common: "HUD-VASH", ptype: hud.ProjectTypePHPermanentSupportiveHousing, housing: 3, opened: "2010-06-01", site: 4,
		funders: []funderSpec{{code: 20, kind: grantVASH}},
		inv:     []invSpec{{hh: hhAdults, units: 50, beds: 50, chVet: 20, vet: 30}, {hh: hhFamilies, units: 5, beds: 14, vet: 14}}},
	{org: 1, name: "Pathways Rapid Re-Housing", common: "Pathways RRH", ptype: hud.ProjectTypePHRapidReHousing, rrhSub: 2, housing: 3, opened: "2013-07-01", site: 0, ceRefs: true,
		funders: []funderSpec{{code: 3, kind: grantCoC}, {code: 10, kind: grantESG}},
		inv:     []invSpec{{hh: hhAdults, units: 40, beds: 40}, {hh: hhFamilies, units: 25, beds: 80}}},
	{org: 6, name: "Hope Street Housing Navigation", ptype: hud.ProjectTypePHRapidReHousing, rrhSub: 1, opened: "2019-01-01", site: 2,
		funders: []funderSpec{{code: 10, kind: grantESG}}},
	{org: 7, name: "Home Front SSVF Rapid Re-Housing", common: "SSVF RRH", ptype: hud.ProjectTypePHRapidReHousing, rrhSub: 2, housing: 3, opened: "2014-10-01", site: 4,
		funders: []funderSpec{{code: 33, kind: grantVA}},
		inv:     []invSpec{{hh: hhAdults, units: 20, beds: 20, vet: 20}, {hh: hhFamilies, units: 8, beds: 26, vet: 26}}},
	{org: 7, name: "Home Front SSVF Homelessness Prevention", common: "SSVF HP", ptype: hud.ProjectTypeHomelessnessPrevention, opened: "2014-10-01", site: 4,
		funders: []funderSpec{{code: 33, kind: grantVA}}},
	{org: 7, name: "Home Front GPD Bridge Housing", common: "GPD Bridge", ptype: hud.ProjectTypeTransitionalHousing, housing: 1, opened: "2016-04-01", site: 4,
		funders: []funderSpec{{code: 37, kind: grantVA}},
		inv:     []invSpec{{hh: hhAdults, units: 24, beds: 24, vet: 24}}},
	{org: 6, name: "Hope Street Homelessness Prevention", ptype: hud.ProjectTypeHomelessnessPrevention, opened: "2010-10-01", site: 2,
		funders: []funderSpec{{code: 9, kind: grantESG}}},
	{org: 5, name: "St. Vincent Street Outreach", common: "SV Outreach", ptype: hud.ProjectTypeStreetOutreach, opened: "2003-05-01", site: 1,
		funders: []funderSpec{{code: 21, kind: grantPATH}, {code: 11, kind: grantESG}}},
	{org: 5, name: "St. Vincent Day Center", ptype: hud.ProjectTypeDayShelter, opened: "1995-01-01", site: 1,
		funders: []funderSpec{{code: 46, kind: grantLocal, other: "City of Harbor City"}}},
	{org: 5, name: "St. Vincent Supportive Services", ptype: hud.ProjectTypeServicesOnly, opened: "2007-03-01", site: 1,
		funders: []funderSpec{{code: 4, kind: grantCoC}}},
	{org: 1, name: "Harbor Light Safe Haven", ptype: hud.ProjectTypeSafeHaven, housing: 1, opened: "2005-08-01", site: 3, ceRefs: true,
		funders: []funderSpec{{code: 6, kind: grantCoC}, {code: 46, kind: grantLocal, other: "Harbor County Behavioral Health"}},
		inv:     []invSpec{{hh: hhAdults, units: 25, beds: 25, ch: 15}}},
	{org: 0, name: "Harbor County Coordinated Entry", common: "Harbor CE", ptype: hud.ProjectTypeCoordinatedEntry, opened: "2017-01-23", site: 0, ce: true,
		funders: []funderSpec{{code: 4, kind: grantCoC}}},
	{org: 8, name: "Open Door HOPWA Housing", ptype: hud.ProjectTypePHHousingWithServices, housing: 3, target: 3, opened: "2002-09-01", site: 1,
		funders: []funderSpec{{code: 15, kind: grantHOPWA}},
		inv:     []invSpec{{hh: hhAdults, units: 20, beds: 24}, {hh: hhFamilies, units: 6, beds: 18}}},
}

// staff are the demo's HUD Users (User.csv): the case managers and intake
// workers whose UserID the generated records carry.
var staff = [][2]string{
	{"Maria", "Delgado"}, {"Kevin", "O'Neill"}, {"Thuy", "Tran"}, {"Marcus", "Greene"},
	{"Priya", "Sandhu"}, {"Rachel", "Goldberg"}, {"DeShawn", "Carter"}, {"Hodan", "Warsame"},
	{"Luis", "Ortega"}, {"Anna", "Petrosyan"},
}

// staffUserID is the fixed UserID of staff member i; the same on every run
// so later runs find and reuse the users.
func staffUserID(i int) string { return "demo-staff-" + string(rune('a'+i)) }
