package apr

import (
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/report"
)

func init() {
	builders["Q5a"] = q5a
	builders["Q7a"] = q7a
	builders["Q7b"] = func(r *run) *report.Table { return r.pit("Q7b", false) }
	builders["Q8a"] = q8a
	builders["Q8b"] = func(r *run) *report.Table { return r.pit("Q8b", true) }
	builders["Q9a"] = func(r *run) *report.Table { return r.contacts("Q9a", nil) }
	builders["Q9b"] = q9b
}

// q5a is the report validations table (Glossary DQ Q1): column B on the
// data-quality universe, column C on all active clients.
func q5a(r *run) *report.Table {
	t := r.table("Q5a")
	for col, u := range []*report.Universe{r.dq, r.u} {
		for _, c := range u.Clients {
			ref := c.Ref()
			add := func(row int, ok bool) {
				if ok {
					t.Add(row, col, ref)
				}
			}
			h := c.Household
			add(0, true)
			add(1, c.Adult)
			add(2, c.Child)
			add(3, !c.AgeKnown)
			add(4, c.Leaver)
			add(5, c.Leaver && c.Adult)
			add(6, c.Leaver && c.AdultOrHoH())
			add(7, c.Stayer)
			add(8, c.Stayer && c.Adult)
			add(9, c.Veteran)
			add(10, c.CH == report.CHYes)
			add(11, c.Youth)
			add(12, c.Youth && r.parenting(c))
			add(13, c.Adult && c.HoH)
			add(14, !c.Adult && c.HoH)
			add(15, c.Stayer && c.AdultOrHoH() && h.HoHYears >= 1)
		}
	}
	return t
}

// parenting is Q5a row 13 (Glossary DQ Q1): a youth "further limited to
// those with child household members (age < 18 and [relationship to head
// of household] = 2) also active in the report date range". The household
// members are every stay of the HouseholdID active in the range, not only
// the report's latest stays, and the rule does not ask the youth to be the
// parent: a 13-year-old left alone on his latest stay in a household whose
// other children (3.15 = 2) are active in the range counts, as HUD's kit
// counts him (th_coc, 650976).
func (r *run) parenting(c *report.Client) bool {
	for _, e := range r.x.EnrollmentsByHousehold[c.Enrollment.HouseholdID] {
		if e.PersonalID == c.PersonalID || code(e.RelationshipToHoH) != 2 || !r.u.Active(e) {
			continue
		}
		if a := r.u.AgeOf(r.x.Clients[e.PersonalID], e); a >= 0 && a < 18 {
			return true
		}
	}
	return false
}

// ageRow is the Q7a row of a client: adults, children, DK/PNTA, DNC.
func ageRow(c *report.Client) int {
	switch {
	case c.Adult:
		return 0
	case c.Child:
		return 1
	case c.Client != nil && (code(c.Client.DOBDataQuality) == 8 || code(c.Client.DOBDataQuality) == 9):
		return 2
	}
	return 3
}

// movedIn reports whether the household's head of household has a housing
// move-in date (3.20) on or before d.
func movedIn(c *report.Client, d hmis.Date) bool {
	m := c.MoveIn()
	return !m.IsZero() && !m.After(d)
}

func isPH(t hud.ProjectType) bool {
	return t == hud.ProjectTypePHPermanentSupportiveHousing || t == hud.ProjectTypePHRapidReHousing ||
		t == hud.ProjectTypePHHousingOnly || t == hud.ProjectTypePHHousingWithServices
}

func q7a(r *run) *report.Table {
	t := r.table("Q7a")
	for _, c := range r.u.Clients {
		addHH(t, ageRow(c), c)
		addHH(t, 4, c)
		if (c.Type == hud.ProjectTypePHPermanentSupportiveHousing || c.Type == hud.ProjectTypePHRapidReHousing) && movedIn(c, r.p.End) {
			addHH(t, 5, c)
		}
	}
	return t
}

func q8a(r *run) *report.Table {
	t := r.table("Q8a")
	for _, c := range r.u.Clients {
		if !c.HoH {
			continue
		}
		addHH(t, 0, c)
		if (c.Type == hud.ProjectTypePHPermanentSupportiveHousing || c.Type == hud.ProjectTypePHRapidReHousing) && movedIn(c, r.p.End) {
			addHH(t, 1, c)
		}
	}
	return t
}

// PITDates are the last Wednesdays of January, April, July and October in
// the range (the latest one when a month repeats); zero when none.
func PITDates(start, end hmis.Date) [4]hmis.Date {
	var out [4]hmis.Date
	for i, m := range []time.Month{time.January, time.April, time.July, time.October} {
		for y := end.Time().Year(); y >= start.Time().Year(); y-- {
			d := lastWednesday(y, m)
			if !d.Before(start) && !d.After(end) {
				out[i] = d
				break
			}
		}
	}
	return out
}

func lastWednesday(y int, m time.Month) hmis.Date {
	t := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC) // last day of m
	for t.Weekday() != time.Wednesday {
		t = t.AddDate(0, 0, -1)
	}
	return hmis.DateOf(t)
}

// pitStay is one of a client's stays in a reported project, with what
// the PIT dates ask of it looked up once (its exit date and project type):
// pit asks each client on four dates in two tables (docs/PERFORMANCE.md).
type pitStay struct {
	e    *hmis.Enrollment
	exit hmis.Date
	pt   hud.ProjectType
}

// pitStays returns c's stays in a reported project.
func (r *run) pitStays(c *report.Client) []pitStay {
	var out []pitStay
	for _, e := range r.x.EnrollmentsByClient[c.PersonalID] {
		if r.inRun[e.ProjectID] {
			out = append(out, pitStay{e: e, exit: r.x.ExitDate(e), pt: report.ProjectTypeOf(r.x.Projects[e.ProjectID])})
		}
	}
	return out
}

// presentOn reports whether a client with the stays (pitStays) is in a
// reported project on PIT date d (spec Q7b): on any of the client's stays
// there, as HUD's kit counts; the client keeps the household type of the
// latest stay (spec Q8b, 3).
func (r *run) presentOn(stays []pitStay, d hmis.Date) bool {
	for _, s := range stays {
		if r.stayPresentOn(s, d) {
			return true
		}
	}
	return false
}

func (r *run) stayPresentOn(s pitStay, d hmis.Date) bool {
	e, exit := s.e, s.exit
	if e.EntryDate.IsZero() || e.EntryDate.After(d) {
		return false
	}
	switch s.pt {
	case hud.ProjectTypeEmergencyShelterNightByNight:
		for _, b := range r.x.BedNights[e.EnrollmentID] {
			if b.Equal(d) && (exit.IsZero() || exit.After(d)) {
				return true
			}
		}
		return false
	case hud.ProjectTypeEmergencyShelterEntryExit, hud.ProjectTypeTransitionalHousing, hud.ProjectTypeSafeHaven:
		return exit.IsZero() || exit.After(d)
	}
	if isPH(s.pt) {
		if !exit.IsZero() && !exit.After(d) {
			return false
		}
		m := r.u.HouseholdMoveIn(e)
		if !m.IsZero() && e.EntryDate.After(m) {
			m = e.EntryDate
		}
		return !m.IsZero() && !m.After(d)
	}
	return exit.IsZero() || !exit.Before(d)
}

// pit is Q7b (persons) and Q8b (households, by their heads) on the PIT dates.
func (r *run) pit(id string, households bool) *report.Table {
	t := r.table(id)
	dates := PITDates(r.p.Start, r.p.End)
	stays := make(map[*report.Client][]pitStay, len(r.u.Clients))
	staysOf := func(c *report.Client) []pitStay {
		s, ok := stays[c]
		if !ok {
			s = r.pitStays(c)
			stays[c] = s
		}
		return s
	}
	for i, d := range dates {
		if d.IsZero() {
			continue
		}
		if !households {
			for _, c := range r.u.Clients {
				if r.presentOn(staysOf(c), d) {
					addHH(t, i, c)
				}
			}
			continue
		}
		// Households: counted by their head when a member is present that
		// night (on any of the member's stays, as for persons).
		for _, h := range sortedHouseholds(r.u) {
			if h.HoH == nil {
				continue
			}
			for _, m := range h.Members {
				if r.presentOn(staysOf(m), d) {
					addHH(t, i, h.HoH)
					break
				}
			}
		}
	}
	return t
}

// contactGroup is the Q9a column of a contact's living situation (4.12):
// 1 not homeless, 2 homeless (116, 101, 118), 3 worker unable to determine
// (37, 8, 9, 99).
func contactGroup(ls int) int {
	switch ls {
	case 116, 101, 118:
		return 2
	case 37, 8, 9, 99, -1:
		return 3
	}
	return 1
}

// contacts builds Q9a (engaged == nil) and Q9b (the clients engaged in range).
func (r *run) contacts(id string, engagedOnly map[string]bool) *report.Table {
	t := r.table(id)
	for _, c := range r.u.Clients {
		if !c.AdultOrHoH() || (c.Type != hud.ProjectTypeStreetOutreach && c.Type != hud.ProjectTypeEmergencyShelterNightByNight) {
			continue
		}
		e := c.Enrollment
		exit := r.x.ExitDate(e)
		eng := e.DateOfEngagement
		// Engaged in the range (Glossary, Date of Engagement). HUD's kit counts
		// an engagement dated before the project start, so that test is not
		// applied (docs/apr-verification.md).
		engagedInRange := !eng.IsZero() && !eng.Before(r.p.Start) && !eng.After(r.p.End) &&
			(exit.IsZero() || !eng.After(exit))
		if engagedOnly != nil && !engagedInRange {
			continue
		}
		n, first, firstLS, inRange, onEng := 0, hmis.Date{}, -1, false, false
		for _, cls := range r.x.CLS[e.EnrollmentID] {
			d := cls.InformationDate
			if d.Before(e.EntryDate) || (!exit.IsZero() && d.After(exit)) || (!eng.IsZero() && d.After(eng)) || d.After(r.p.End) {
				continue
			}
			n++
			if !d.Before(r.p.Start) {
				inRange = true
			}
			if d.Equal(eng) {
				onEng = true
			}
			if first.IsZero() || d.Before(first) {
				first, firstLS = d, code(cls.CurrentLivingSituation)
			}
		}
		if !inRange && !engagedInRange {
			continue
		}
		if !eng.IsZero() && !onEng && engagedInRange {
			n++
		}
		if n == 0 {
			continue
		}
		row := 3
		switch {
		case n == 1:
			row = 0
		case n <= 5:
			row = 1
		case n <= 9:
			row = 2
		}
		col := contactGroup(firstLS)
		t.Add(row, 0, c.Ref())
		t.Add(row, col, c.Ref())
		t.Add(4, 0, c.Ref())
		t.Add(4, col, c.Ref())
	}
	return t
}

func q9b(r *run) *report.Table {
	t := r.contacts("Q9b", map[string]bool{})
	a := r.contacts("Q9a", nil)
	for col := 0; col < 4; col++ {
		pct(t, 5, col, t.Cell(4, col).Value, a.Cell(4, col).Value)
	}
	return t
}

// sortedHouseholds returns the universe's households by HouseholdID.
func sortedHouseholds(u *report.Universe) []*report.Household {
	hs := make([]*report.Household, 0, len(u.Households))
	for _, h := range u.Households {
		hs = append(hs, h)
	}
	sortHH(hs)
	return hs
}
