package demo

import (
	"fmt"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// person is one generated client: what is true about them (the generator
// knows their real birthday and conditions) and what was recorded (the
// data-quality codes HUD allows, at realistic small rates).
type person struct {
	id                          string
	first, middle, last, suffix string
	nameDQ                      int
	ssn                         string
	ssnDQ                       int
	dob                         hmis.Date // true date of birth
	dobRec                      hmis.Date // as recorded (empty or approximate for some)
	dobDQ                       int
	female, child               bool
	sex                         int // 4.21
	race                        race
	addl                        string // 3.04.2
	vet                         bool
	vetStatus                   int // 3.07, list 1.8

	// Conditions, stable across stays (4.05-4.10).
	physical, developmental, chronic, hiv, mental bool
	substance                                     int  // 4.10.2: 0 none, 1 alcohol, 2 drugs, 3 both
	impairs                                       bool // long-lasting and impairs independent living
	dv                                            bool // 4.11 survivor
	dvWhen                                        int
	raceNone                                      int // 1.6, when race is rMissing
	service                                       *service
}

// service is a veteran's military service (V1).
type service struct {
	entered, separated int
	theaters           [8]int // WWII, Korea, Vietnam, Desert Storm, OEF, OIF, OND, other
	branch, discharge  int
}

func (p *person) ageOn(d hmis.Date) int { return p.dob.AgeOn(d) }

// disabling is 3.08: a condition that is disabling by definition, or one
// that is expected to be long-lasting and to impair independent living.
func (p *person) disabling() bool {
	return p.developmental || p.hiv || (p.impairs && (p.physical || p.chronic || p.mental || p.substance > 0))
}

// race is the set of 3.04 race and ethnicity answers.
type race uint8

const (
	rAmInd race = 1 << iota
	rAsian
	rBlack
	rHispanic
	rMENA
	rNHPI
	rWhite
	rMissing // RaceNone: doesn't know / prefers not to answer / not collected
)

const (
	raceWhite         = rWhite
	raceBlack         = rBlack
	raceAmInd         = rAmInd
	raceNHPI          = rNHPI
	raceAsian         = rAsian
	raceMENA          = rMENA
	raceMissing       = rMissing
	raceWhiteBlack    = rWhite | rBlack
	raceWhiteAmInd    = rWhite | rAmInd
	raceBlackAmInd    = rBlack | rAmInd
	raceThreePlus     = rWhite | rBlack | rAmInd
	raceHispanic      = rHispanic
	raceHispanicWhite = rHispanic | rWhite
	raceHispanicAmInd = rHispanic | rAmInd
	raceHispanicBlack = rHispanic | rBlack
	raceAsianWhite    = rAsian | rWhite
	raceBlackMENA     = rBlack | rMENA
	raceWhiteMENA     = rWhite | rMENA
)

// Detail people of the common-US pool give in 3.04.2, by race.
var raceDetail = map[race][]string{
	rAmInd: {"Navajo", "Yurok", "Cherokee", "Pomo", "Lakota", "Tongva"}, rNHPI: {"Samoan", "Tongan", "Native Hawaiian", "Chamorro"},
	rBlack: {"African American", "Jamaican", "Haitian", "Nigerian"}, rWhite: {"Irish", "Italian", "German", "Portuguese"},
}

// newPerson makes a person aged age on day. partner, when given, is the
// head of household whose surname a spouse may share.
func (g *gen) newPerson(o *origin, day hmis.Date, age int, female bool, partner *person) *person {
	r := g.r
	p := &person{female: female, nameDQ: 1}
	if female {
		p.first = pick(r, o.female)
		if len(o.femaleMiddle) > 0 && r.chance(0.45) {
			p.middle = pick(r, o.femaleMiddle)
		}
	} else {
		p.first = pick(r, o.male)
		if len(o.maleMiddle) > 0 && r.chance(0.45) {
			p.middle = pick(r, o.maleMiddle)
		}
	}
	p.last = pick(r, o.last)
	if r.chance(o.twoSurnames) {
		if second := pick(r, o.last); second != p.last {
			p.last += " " + second
		}
	}
	if partner != nil && partner.last != "" && r.chance(o.sameLastFamily) {
		p.last = partner.last
		if female && r.chance(0.15) {
			p.last = pick(r, o.last) + "-" + partner.last // kept her name too
		}
	} else if r.chance(0.015) {
		p.last += "-" + pick(r, origins[0].last)
	}
	if p.middle == p.last || (p.middle == "Singh" || p.middle == "Kaur") && (p.last == "Singh" || p.last == "Kaur") {
		p.middle = ""
	}
	if !female && age >= 18 && r.chance(0.03) {
		p.suffix = pickW(r, suffixes)
	}
	// Date of birth: a uniform day within the year of age.
	p.dob = day.AddDate(-age-1, 0, 1+r.IntN(365))
	p.dobRec, p.dobDQ = p.dob, 1
	p.sex = b2i(!female)
	p.race = pickW(r, o.race)
	if p.race == rMissing {
		p.raceNone = pickW(r, []weighted[int]{{8, 30}, {9, 40}, {99, 30}})
	}
	if p.race != rMissing && r.chance(0.2) {
		if len(o.detail) > 0 {
			p.addl = pick(r, o.detail)
		} else {
			for bit := rAmInd; bit < rMissing; bit <<= 1 {
				if p.race&bit != 0 && raceDetail[bit] != nil {
					p.addl = pick(r, raceDetail[bit])
					break
				}
			}
		}
	}
	p.vetStatus = 0
	if age >= 18 {
		g.adultRecordQuality(p, age)
	} else {
		p.child = true
		p.vetStatus = 99 // HUD exports 99 for minors
		p.ssnDQ = pickW(r, []weighted[int]{{1, 75}, {2, 5}, {8, 10}, {99, 10}})
	}
	p.ssn = g.fakeSSN(p.ssnDQ)
	g.conditions(p, age)
	return p
}

// adultRecordQuality sets an adult's name, DOB, SSN, sex and veteran data
// quality, and veteran status.
func (g *gen) adultRecordQuality(p *person, age int) {
	r := g.r
	switch pickW(r, []weighted[int]{{1, 960}, {2, 25}, {8, 4}, {9, 6}, {99, 5}}) {
	case 2:
		p.nameDQ = 2
		if r.chance(0.5) {
			p.first, p.middle, p.last, p.suffix = pick(r, streetNames), "", "", ""
		} else {
			p.middle, p.last, p.suffix = "", "", ""
		}
	case 8, 9, 99:
		p.nameDQ = pick(r, []int{8, 9, 99})
		p.first, p.middle, p.last, p.suffix = "", "", "", ""
	}
	switch p.dobDQ = pickW(r, []weighted[int]{{1, 920}, {2, 40}, {8, 15}, {9, 10}, {99, 15}}); p.dobDQ {
	case 2: // approximate: the year only, or the first of the month
		t := p.dob.Time()
		if r.chance(0.6) {
			p.dobRec = hmis.NewDate(t.Year(), time.January, 1)
		} else {
			p.dobRec = hmis.NewDate(t.Year(), t.Month(), 1)
		}
	case 8, 9, 99:
		p.dobRec = hmis.Date{}
	}
	p.ssnDQ = pickW(r, []weighted[int]{{1, 84}, {2, 8}, {8, 3}, {9, 3}, {99, 2}})
	if r.chance(0.01) {
		p.sex = pick(r, []int{8, 9, 99})
	}
	vetRate := 0.02
	if !p.female {
		vetRate = 0.13
	}
	if age < 25 {
		vetRate /= 6
	}
	p.vet = r.chance(vetRate)
	p.vetStatus = b2i(p.vet)
	if p.vet {
		p.service = g.militaryService(p.dob.Time().Year())
	}
	if !p.vet && r.chance(0.015) {
		p.vetStatus = pick(r, []int{8, 9, 99})
	}
}

// fakeSSN returns an SSN in a valid format for the data quality: never
// area 000, 666 or 900-999, group 00 or serial 0000 (numbers the SSA does not
// issue look wrong to validators). Partial SSNs keep the last four digits
// and mark the rest with x, as HUD asks.
func (g *gen) fakeSSN(dq int) string {
	r := g.r
	area := 1 + r.IntN(899)
	if area == 666 {
		area = 667
	}
	s := fmt.Sprintf("%03d%02d%04d", area, 1+r.IntN(99), 1+r.IntN(9999))
	switch dq {
	case 1:
		return s
	case 2:
		if r.chance(0.7) {
			return "xxxxx" + s[5:]
		}
		return s[:3] + "xx" + s[5:]
	}
	return ""
}

// client returns the Client.csv record of p, created at ts by user.
func (p *person) client(ts time.Time, user string) *hmis.Client {
	c := &hmis.Client{PersonalID: p.id, FirstName: p.first, MiddleName: p.middle, LastName: p.last, NameSuffix: p.suffix,
		NameDataQuality: ptr(hud.NameDataQuality(p.nameDQ)), SSN: p.ssn, SSNDataQuality: ptr(hud.SSNDataQuality(p.ssnDQ)),
		DOB: p.dobRec, DOBDataQuality: ptr(hud.DOBDataQuality(p.dobDQ)), Sex: ptr(hud.Sex(p.sex)),
		AdditionalRaceEthnicity: p.addl, VeteranStatus: nyr(p.vetStatus),
		DateCreated: ts, DateUpdated: ts, UserID: user}
	bit := func(b race) *hud.NoYes { return ptr(hud.NoYes(b2i(p.race&b != 0))) }
	c.AmIndAKNative, c.Asian, c.BlackAfAmerican = bit(rAmInd), bit(rAsian), bit(rBlack)
	c.HispanicLatinao, c.MidEastNAfrican, c.NativeHIPacific, c.White = bit(rHispanic), bit(rMENA), bit(rNHPI), bit(rWhite)
	if p.race == rMissing {
		c.RaceNone = ptr(hud.RaceNone(p.raceNone))
	}
	if s := p.service; s != nil {
		c.YearEnteredService, c.YearSeparated = ptr(s.entered), ptr(s.separated)
		c.WorldWarII, c.KoreanWar, c.VietnamWar, c.DesertStorm = nyr(s.theaters[0]), nyr(s.theaters[1]), nyr(s.theaters[2]), nyr(s.theaters[3])
		c.AfghanistanOEF, c.IraqOIF, c.IraqOND, c.OtherTheater = nyr(s.theaters[4]), nyr(s.theaters[5]), nyr(s.theaters[6]), nyr(s.theaters[7])
		c.MilitaryBranch, c.DischargeStatus = ptr(hud.MilitaryBranch(s.branch)), ptr(hud.DischargeStatus(s.discharge))
	}
	return c
}
