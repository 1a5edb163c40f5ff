package apr

import (
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/report"
)

// The Q6 data-quality tables follow the Reporting Glossary's HMIS Data
// Quality Report (Q2-Q7) on the data-quality universe (r.dq: Street
// Outreach stays only once engaged). Columns of Q6a-c: DK/PNTA (0),
// missing (1), data issues (2), total (3), % of issue rate (4); a client
// counts in the first of B, C, D that applies.

func init() {
	builders["Q6a"] = q6a
	builders["Q6b"] = q6b
	builders["Q6c"] = q6c
	builders["Q6d"] = q6d
	builders["Q6e"] = q6e
	builders["Q6f"] = q6f
}

// dq adds c to the first column that applies on row (dk, missing, issue)
// and to the total; it reports whether c was counted (Table.AddDQ).
func dq(t *report.Table, row int, c *report.Client, dk, missing, issue bool) bool {
	return t.AddDQ(row, c.Ref(), dk, missing, issue)
}

// ValidSSN applies the Social Security Administration's rules of the
// Glossary (DQ Q2): nine digits; area not 000, 666 or 9xx; group not 00;
// serial not 0000; not all one digit or a straight run.
func ValidSSN(s string) bool {
	if len(s) != 9 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	if s[:3] == "000" || s[:3] == "666" || s[0] == '9' || s[3:5] == "00" || s[5:] == "0000" {
		return false
	}
	if strings.Count(s, s[:1]) == 9 || strings.Contains("01234567890123456789", s) || strings.Contains("98765432109876543210", s) {
		return false
	}
	return true
}

func q6a(r *run) *report.Table {
	t := r.table("Q6a")
	n := 0
	for _, c := range r.dq.Clients {
		n++
		cl := c.Client
		if cl == nil {
			for row := 0; row < 4; row++ {
				dq(t, row, c, false, true, false)
			}
			t.Add(4, 3, c.Ref())
			continue
		}
		any := false
		nq := code(cl.NameDataQuality)
		any = dq(t, 0, c, nq == 8 || nq == 9, cl.FirstName == "" || cl.LastName == "" || nq == 99, nq == 2) || any
		sq := code(cl.SSNDataQuality)
		any = dq(t, 1, c, sq == 8 || sq == 9, cl.SSN == "" || sq == 99, sq == 2 || !ValidSSN(cl.SSN)) || any
		bq := code(cl.DOBDataQuality)
		bad := bq == 2 || !cl.DOB.IsZero() && (cl.DOB.Before(hmis.NewDate(1915, 1, 1)) ||
			!cl.DateCreated.IsZero() && cl.DOB.After(hmis.DateOf(cl.DateCreated)) ||
			c.AdultOrHoH() && !cl.DOB.Before(c.Enrollment.EntryDate))
		any = dq(t, 2, c, bq == 8 || bq == 9, cl.DOB.IsZero() || bq == 99, bad) || any
		rn := code(cl.RaceNone)
		races := 0
		for _, v := range []*hud.NoYes{cl.AmIndAKNative, cl.Asian, cl.BlackAfAmerican, cl.HispanicLatinao, cl.MidEastNAfrican, cl.NativeHIPacific, cl.White} {
			if code(v) == 1 {
				races++
			}
		}
		any = dq(t, 3, c, rn == 8 || rn == 9, races == 0 && (rn == 99 || rn == -1), false) || any
		if any {
			t.Add(4, 3, c.Ref())
		}
	}
	for row := 0; row < 5; row++ {
		pct(t, row, 4, t.Cell(row, 3).Value, float64(n))
	}
	return t
}

// affirmed reports whether the stay has a disability answer that makes 3.08
// = 0 a contradiction: 4.06 or 4.08 yes, or 4.05/4.07/4.09/4.10 yes with
// "substantially impairs" yes (Glossary DQ Q3, row 6). 3.08 is collected at
// project start, so only the disability records of that stage (5.03 = 1)
// are compared with it; an update or exit record saying yes is not a
// contradiction of the start answer.
func (r *run) affirmed(c *report.Client) bool {
	return r.x.DisabledAtStart(c.Enrollment)
}

// validCoC reports whether s looks like a HUD CoC code: two letters, a
// dash, three digits.
func validCoC(s string) bool {
	if len(s) != 6 || s[2] != '-' {
		return false
	}
	for i, r := range s {
		switch {
		case i < 2 && (r < 'A' || r > 'Z'):
			return false
		case i > 2 && (r < '0' || r > '9'):
			return false
		}
	}
	return true
}

func q6b(r *run) *report.Table {
	t := r.table("Q6b")
	var all, adults, hohs float64
	for _, c := range r.dq.Clients {
		all++
		if c.Adult {
			adults++
		}
		if c.HoH {
			hohs++
		}
		e := c.Enrollment
		// 3.07 veteran status: adults DK/missing; a veteran under 18 is a data issue.
		if c.Client != nil {
			v := code(c.Client.VeteranStatus)
			if c.Adult {
				dq(t, 0, c, v == 8 || v == 9, v == 99 || v == -1, false)
			} else if c.Child && v == 1 {
				dq(t, 0, c, false, false, true)
			}
		} else if c.Adult {
			dq(t, 0, c, false, true, false)
		}
		// 3.10 project start: an earlier stay in the same project overlapping this one.
		overlap := false
		for _, o := range r.x.EnrollmentsByClient[e.PersonalID] {
			if o == e || o.ProjectID != e.ProjectID || !o.EntryDate.Before(e.EntryDate) {
				continue
			}
			if ex := r.x.ExitDate(o); ex.IsZero() || ex.After(e.EntryDate) {
				overlap = true
			}
		}
		dq(t, 1, c, false, false, overlap)
		// 3.15 relationship: missing or invalid; no or several heads of
		// household among "the group of clients with the same [Household ID]"
		// (Glossary, DQ Q6b row 4): the report's clients on their latest
		// stays, so a member left alone in a household whose head moved on to
		// a later household is reported.
		rel := code(e.RelationshipToHoH)
		heads := 0
		for _, m := range c.Household.Members {
			if m.HoH {
				heads++
			}
		}
		dq(t, 2, c, false, rel < 1 || rel > 5, heads != 1)
		// 3.16 enrollment CoC: heads of household.
		if c.HoH {
			dq(t, 3, c, false, e.EnrollmentCoC == "", !validCoC(e.EnrollmentCoC))
		}
		// 3.08 disabling condition.
		dc := code(e.DisablingCondition)
		dq(t, 4, c, dc == 8 || dc == 9, dc == 99 || dc == -1, dc == 0 && r.affirmed(c))
	}
	for row, den := range []float64{adults, all, all, hohs, all} {
		pct(t, row, 4, t.Cell(row, 3).Value, den)
	}
	return t
}

// incomeDQ classifies an income record for Q6c: DK/PNTA, missing, or a
// data issue (Glossary DQ Q4 rows 3-5: 4.02.2 = 0 with an identified
// source, or 4.02.2 = 1 with none). With 4.02.2 = 1 each source 4.02.3-17
// is then answered as a yes/no flag (REFERENCE.md §2.6, Income 4.02: "Then
// each source as a 0/1/99 flag"), so a source left unanswered is a data
// issue too: HUD's
// FY2023 kit counts it (es_nbn_esg: 534187 at start and exit, 690593 at
// start), HUD's FY2026 code on the Eva demo does not (one client, 629952);
// docs/apr-verification.md records the choice.
func incomeDQ(rec *hmis.IncomeBenefits) (dk, missing, issue bool) {
	if rec == nil {
		return false, true, false
	}
	any := code(rec.IncomeFromAnySource)
	n, unanswered := 0, 0
	for _, s := range report.Sources(rec) {
		switch code(s.Flag) {
		case 1:
			n++
		case 0:
		default:
			unanswered++
		}
	}
	return any == 8 || any == 9, any == 99 || any == -1, any == 0 && n > 0 || any == 1 && (n == 0 || unanswered > 0)
}

func q6c(r *run) *report.Table {
	t := r.table("Q6c")
	var leavers, startDen, annualDen, exitDen float64
	for _, c := range r.dq.Clients {
		if c.Leaver {
			leavers++
			d := -1
			if c.Exit != nil {
				d = code(c.Exit.Destination)
			}
			dq(t, 0, c, d == 8 || d == 9, d == 99 || d == 30 || d == -1, false)
		}
		if !c.AdultOrHoH() {
			continue
		}
		startDen++
		dk, miss, issue := incomeDQ(r.dq.IncomeAtStart(c))
		dq(t, 1, c, dk, miss, issue)
		if c.Stayer && c.AnnualDue {
			annualDen++
			dk, miss, issue := incomeDQ(c.Annual)
			dq(t, 2, c, dk, miss, issue)
		}
		if c.Leaver {
			exitDen++
			dk, miss, issue := incomeDQ(r.dq.IncomeAtExit(c))
			dq(t, 3, c, dk, miss, issue)
		}
	}
	for row, den := range []float64{leavers, startDen, annualDen, exitDen} {
		pct(t, row, 4, t.Cell(row, 3).Value, den)
	}
	return t
}

// q6dRow is the Q6d row of a project type: ES/SH/SO (0), TH (1), PH (2),
// CE (3), SSO/Day Shelter/HP (4); -1 for Other.
func q6dRow(pt hud.ProjectType) int {
	switch pt {
	case hud.ProjectTypeEmergencyShelterEntryExit, hud.ProjectTypeEmergencyShelterNightByNight, hud.ProjectTypeSafeHaven, hud.ProjectTypeStreetOutreach:
		return 0
	case hud.ProjectTypeTransitionalHousing:
		return 1
	case hud.ProjectTypeCoordinatedEntry:
		return 3
	case hud.ProjectTypeServicesOnly, hud.ProjectTypeDayShelter, hud.ProjectTypeHomelessnessPrevention:
		return 4
	}
	if isPH(pt) {
		return 2
	}
	return -1
}

// q6d: chronic homelessness data (3.917) of adults and heads of household
// who started on or after 2016-10-01 (Glossary DQ Q5).
func q6d(r *run) *report.Table {
	t := r.table("Q6d")
	cutoff := hmis.NewDate(2016, 10, 1)
	for _, c := range r.dq.Clients {
		e := c.Enrollment
		row := q6dRow(c.Type)
		if row < 0 || !c.AdultOrHoH() || e.EntryDate.Before(cutoff) {
			continue
		}
		ref := c.Ref()
		// The Total row reports the count (B) and the unique percentage (H)
		// only: the shell's one formula is B = B2+B3+B4 (Glossary DQ Q5), and
		// HUD's kit and FY2026 code leave C-G of the Total row at 0.
		add := func(col int) { t.Add(row, col, ref) }
		add(0)
		t.Add(5, 0, ref)
		ls := code(e.LivingSituation)
		los := code(e.LengthOfStay)
		losMissing := los == 8 || los == 9 || los == 99 || los == -1
		institutional := ls >= 200 && ls < 300
		homeless := ls >= 100 && ls < 200
		unable := false
		if institutional && losMissing {
			add(1)
			unable = true
		}
		if !institutional && !homeless && losMissing {
			add(2)
			unable = true
		}
		expected := row == 0 || homeless ||
			institutional && (los == 10 || los == 11 || los == 2 || los == 3) && code(e.PreviousStreetESSH) == 1 ||
			!institutional && !homeless && (los == 10 || los == 11) && code(e.PreviousStreetESSH) == 1
		if expected {
			if e.DateToStreetESSH.IsZero() {
				add(3)
				unable = true
			}
			if v := code(e.TimesHomelessPastThreeYears); v == 8 || v == 9 || v == 99 || v == -1 {
				add(4)
				unable = true
			}
			if v := code(e.MonthsHomelessPastThreeYears); v == 8 || v == 9 || v == 99 || v == -1 {
				add(5)
				unable = true
			}
		}
		if unable {
			t.Add(row, 6, ref)
			t.Add(5, 6, ref)
		}
	}
	for row := 0; row < 6; row++ {
		pct(t, row, 6, t.Cell(row, 6).Value, t.Cell(row, 0).Value)
	}
	return t
}

// timelinessRow: < 0 days (0), 0 (1), 1-3 (2), 4-6 (3), 7-10 (4), 11+ (5).
func timelinessRow(d int) int {
	switch {
	case d < 0:
		return 0
	case d == 0:
		return 1
	case d <= 3:
		return 2
	case d <= 6:
		return 3
	case d <= 10:
		return 4
	}
	return 5
}

// q6e: days from project start (clients who started in the range) and exit
// (leavers) to the record's creation (Glossary DQ Q6).
func q6e(r *run) *report.Table {
	t := r.table("Q6e")
	for _, c := range r.dq.Clients {
		e := c.Enrollment
		if !e.EntryDate.Before(r.p.Start) && !e.EntryDate.After(r.p.End) && !e.DateCreated.IsZero() {
			t.Add(timelinessRow(e.EntryDate.DaysUntil(hmis.DateOf(e.DateCreated))), 0, c.Ref())
		}
		if c.Leaver && !c.Exit.DateCreated.IsZero() {
			t.Add(timelinessRow(c.Exit.ExitDate.DaysUntil(hmis.DateOf(c.Exit.DateCreated))), 1, c.Ref())
		}
	}
	return t
}

// q6f: inactive records (Glossary DQ Q7): stays open at report end that
// started more than 90 days before it; contacts (adults and HoH in Street
// Outreach) and bed nights (night-by-night shelters) older than 90 days.
func q6f(r *run) *report.Table {
	t := r.table("Q6f")
	limit := r.p.End.AddDays(-90)
	for _, c := range r.dq.Clients {
		e := c.Enrollment
		if !e.EntryDate.Before(limit) || !c.Stayer {
			continue
		}
		switch c.Type {
		case hud.ProjectTypeStreetOutreach:
			if !c.AdultOrHoH() {
				continue
			}
			t.Add(0, 0, c.Ref())
			last := e.EntryDate
			for _, cls := range r.x.CLS[e.EnrollmentID] {
				if cls.InformationDate.After(last) && !cls.InformationDate.After(r.p.End) {
					last = cls.InformationDate
				}
			}
			if last.Before(limit) {
				t.Add(0, 1, c.Ref())
			}
		case hud.ProjectTypeEmergencyShelterNightByNight:
			t.Add(1, 0, c.Ref())
			var last hmis.Date
			for _, b := range r.x.BedNights[e.EnrollmentID] {
				if b.After(last) && !b.After(r.p.End) {
					last = b
				}
			}
			if last.Before(limit) {
				t.Add(1, 1, c.Ref())
			}
		}
	}
	for row := 0; row < 2; row++ {
		pct(t, row, 2, t.Cell(row, 1).Value, t.Cell(row, 0).Value)
	}
	return t
}
