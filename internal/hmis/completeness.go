package hmis

import (
	"strconv"

	"github.com/hearth-hmis/hearth/internal/hud"
)

// Data completeness of one enrollment (issue 5 point 8), after HUD's HMIS
// Data Quality report (APR/CAPER Q6, REFERENCE.md §4.5): Q6a personally
// identifying information (3.01-3.04, 4.21), Q6b universal elements
// (3.07, 3.08, 3.15, 3.16), Q6c income and housing (3.12 destination,
// 4.02 income at start and exit), Q6d the prior living situation (3.917)
// and Q6e timeliness (days from project start or exit to the record's
// entry). Each finding is "missing" (empty or data not collected, 99),
// "dkr" (client doesn't know, 8, or prefers not to answer, 9), "issue"
// (a data issue HUD counts: partial name, approximate SSN or DOB) or
// "late".

// DQ finding kinds.
const (
	DQMissing = "missing"
	DQDKR     = "dkr"
	DQIssue   = "issue"
	DQLate    = "late"
)

// LateAfterDays: a record entered more days than this after the event it
// records is late. HUD's timeliness table (Q6e) counts 0, 1-3, 4-6, 7-10
// and 11+ days; most CoCs' standard is three days.
const LateAfterDays = 3

// DQFinding is one problem with one element of an enrollment.
type DQFinding struct {
	Element string // HUD element number, "3.03"
	Label   string // "Date of birth"
	Kind    string // DQMissing, DQDKR, DQIssue, DQLate
	Detail  string
	Client  bool // about the client record (fixed in Edit Client Information), not the enrollment
}

// EnrollmentData is what the completeness check reads about one enrollment.
type EnrollmentData struct {
	Client     Client
	Enrollment Enrollment
	Exit       *Exit            // nil while enrolled
	Income     []IncomeBenefits // the enrollment's IncomeBenefits records
}

// dqCode classifies a HUD answer: 8 and 9 are "don't know / prefers not",
// 99 (and nil) is missing.
func dqCode(p *int) string {
	switch {
	case p == nil || *p == 99:
		return DQMissing
	case *p == 8 || *p == 9:
		return DQDKR
	}
	return ""
}

func ip[T ~int](p *T) *int {
	if p == nil {
		return nil
	}
	v := int(*p)
	return &v
}

// Completeness returns the findings for one enrollment, in element order.
func Completeness(d EnrollmentData) []DQFinding {
	var out []DQFinding
	add := func(element, label, kind, detail string, client bool) {
		if kind != "" {
			out = append(out, DQFinding{Element: element, Label: label, Kind: kind, Detail: detail, Client: client})
		}
	}
	c, e := &d.Client, &d.Enrollment
	entry := e.EntryDate
	adult := !c.DOB.IsZero() && c.DOB.AgeOn(entry) >= 18
	head := e.RelationshipToHoH != nil && *e.RelationshipToHoH == hud.RelationshipToHoH(1)

	// Q6a: 3.01 name, 3.02 SSN, 3.03 DOB, 3.04 race and ethnicity, 4.21 sex.
	nameKind := dqCode(ip(c.NameDataQuality))
	if nameKind == "" && c.FirstName == "" && c.LastName == "" {
		nameKind = DQMissing
	} else if nameKind == "" && *c.NameDataQuality == 2 {
		nameKind = DQIssue
	}
	add("3.01", "Name", nameKind, "", true)
	ssnKind := dqCode(ip(c.SSNDataQuality))
	if ssnKind == "" && *c.SSNDataQuality == 2 {
		ssnKind = DQIssue
	} else if ssnKind == "" && SSNProblem(c.SSN) != "" {
		ssnKind = DQIssue
	}
	add("3.02", "Social Security Number", ssnKind, "", true)
	dobKind, dobDetail := dqCode(ip(c.DOBDataQuality)), ""
	switch {
	case dobKind == "" && c.DOB.IsZero():
		dobKind = DQMissing
	case dobKind == "" && *c.DOBDataQuality == 2:
		dobKind = DQIssue
	case dobKind == "" && c.DOB.After(entry):
		dobKind, dobDetail = DQIssue, "after the project start"
	}
	add("3.03", "Date of birth", dobKind, dobDetail, true)
	raceKind := dqCode(ip(c.RaceNone))
	if c.RaceNone == nil {
		raceKind = DQMissing
		for _, r := range c.races() {
			if r != nil && *r == 1 {
				raceKind = ""
			}
		}
	}
	add("3.04", "Race and ethnicity", raceKind, "", true)
	add("4.21", "Sex", dqCode(ip(c.Sex)), "", true)

	// Q6b: 3.07 veteran status (adults), 3.08 disabling condition, 3.15
	// relationship to head of household, 3.16 enrollment CoC (heads).
	if adult {
		add("3.07", "Veteran status", dqCode(ip(c.VeteranStatus)), "", true)
	}
	add("3.08", "Disabling condition", dqCode(ip(e.DisablingCondition)), "", false)
	add("3.15", "Relationship to head of household", dqCode(ip(e.RelationshipToHoH)), "", false)
	if head && e.EnrollmentCoC == "" {
		add("3.16", "Enrollment CoC", DQMissing, "", false)
	}

	// Q6d: 3.917 prior living situation (heads of household and adults).
	if head || adult {
		add("3.917", "Prior living situation", dqCode(ip(e.LivingSituation)), "", false)
		if e.LivingSituation != nil && dqCode(ip(e.LivingSituation)) == "" {
			add("3.917", "Length of stay in prior living situation", dqCode(ip(e.LengthOfStay)), "", false)
		}
	}

	// Q6c: 4.02 income at start and at exit (heads and adults); 3.12 destination.
	if head || adult {
		income := func(stage hud.DataCollectionStage, label string) {
			for _, ib := range d.Income {
				if ib.DataCollectionStage != nil && *ib.DataCollectionStage == stage {
					add("4.02", label, dqCode(ip(ib.IncomeFromAnySource)), "", false)
					return
				}
			}
			add("4.02", label, DQMissing, "no income record", false)
		}
		income(hud.DataCollectionStageProjectEntry, "Income at project start")
		if d.Exit != nil {
			income(hud.DataCollectionStageProjectExit, "Income at exit")
		}
	}
	if d.Exit != nil {
		kind := dqCode(ip(d.Exit.Destination))
		if d.Exit.Destination != nil && *d.Exit.Destination == hud.LivingSituationNoExitInterviewCompleted {
			kind = DQMissing
		}
		add("3.12", "Destination", kind, "", false)
	}

	// Q6e: timeliness of the project start and the exit.
	late := func(element, label string, event Date, created Date) {
		if event.IsZero() || created.IsZero() {
			return
		}
		if days := event.DaysUntil(created); days > LateAfterDays {
			add(element, label, DQLate, "entered "+strconv.Itoa(days)+" days after", false)
		}
	}
	late("3.10", "Project start", entry, DateOf(e.DateCreated))
	if d.Exit != nil {
		late("3.11", "Project exit", d.Exit.ExitDate, DateOf(d.Exit.DateCreated))
	}
	return out
}
