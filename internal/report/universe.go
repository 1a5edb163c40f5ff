package report

import (
	"fmt"
	"sort"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// Params are a report run's parameters.
type Params struct {
	ProjectIDs []string  // the programs reported on (2.02.1)
	Start, End hmis.Date // the report date range, both included
	CoC        string    // the reporting CoC (2.03.1), e.g. "XX-501"
	Software   string    // the HMIS software name written in Q4a

	// EngagedOnly keeps only Street Outreach stays (2.02.6 = 4) with a date
	// of engagement (4.13) on or before the report end, before the latest
	// stay is chosen: the universe of the data-quality tables (Glossary, HMIS
	// Data Quality Report, Project Stays to Include).
	EngagedOnly bool
}

// Validate reports bad parameters with a message naming the field.
func (p Params) Validate() error {
	switch {
	case len(p.ProjectIDs) == 0:
		return fmt.Errorf("projects: choose at least one program")
	case p.Start.IsZero():
		return fmt.Errorf("start: the report start date is required")
	case p.End.IsZero():
		return fmt.Errorf("end: the report end date is required")
	case p.End.Before(p.Start):
		return fmt.Errorf("start: the report start date %s is after the end date %s", p.Start, p.End)
	}
	return nil
}

// HouseholdType is the Glossary's household type.
type HouseholdType int

const (
	WithoutChildren       HouseholdType = iota // adults only, no unknown ages
	WithChildrenAndAdults                      // at least one adult and one child
	WithOnlyChildren                           // children only, no unknown ages
	UnknownHouseholdType                       // anything else
)

// CH is a chronic homelessness status at project start (Glossary).
type CH int

const (
	CHNo CH = iota
	CHYes
	CHDontKnow // client doesn't know / prefers not to answer
	CHMissing  // data not collected
)

// Client is one client of the universe with the latest stay in the
// reported projects and everything the report questions derive from it.
type Client struct {
	PersonalID string
	Client     *hmis.Client // nil when Client.csv has no row (counted as unknown)
	Enrollment *hmis.Enrollment
	Exit       *hmis.Exit // the stay's exit when dated on or before the report end
	Project    *hmis.Project
	Type       hud.ProjectType // the project's type (2.02.6); -1 when missing

	Age      int  // at the later of project start and report start; -1 unknown
	AgeKnown bool // a usable date of birth
	Adult    bool // Age >= 18
	Child    bool // 0 <= Age < 18
	HoH      bool // RelationshipToHoH = 1 (3.15)
	Leaver   bool // exited within the report range (latest stay)
	Stayer   bool // no exit on or before the report end (latest stay)

	Household *Household
	CH        CH // chronically homeless at project start, household rules applied
	OwnCH     CH // from the client's own 3.08/3.917 data (adults and HoH)
	Veteran   bool
	Youth     bool // 12-24 in a household where nobody is older than 24

	// Annual assessment (Glossary): whether one is due for this stayer, and
	// the IncomeBenefits record found for it.
	AnnualDue bool
	Annual    *hmis.IncomeBenefits

	u *Universe
	// The stay's IncomeBenefits records (Index.Income), looked up once
	// when the universe is built (NewUniverseIndexed, the only maker of
	// a Client): the income questions read them per client and stage (a
	// string-keyed lookup each, docs/PERFORMANCE.md).
	income       []*hmis.IncomeBenefits
	disabilities []hmis.DisabilityFact // Index.Disabilities, as income
}

// Disabilities returns the disability records (4.05-4.10) of c's stay.
func (c *Client) Disabilities() []hmis.DisabilityFact { return c.disabilities }

// Ref is the drill-down reference of the client.
func (c *Client) Ref() Ref {
	return Ref{PersonalID: c.PersonalID, EnrollmentID: c.Enrollment.EnrollmentID}
}

// AdultOrHoH is HUD's "adults and heads of household": Age >= 18 or
// RelationshipToHoH = 1.
func (c *Client) AdultOrHoH() bool { return c.Adult || c.HoH }

// ExitDate is the stay's exit date within the report (zero for stayers).
func (c *Client) ExitDate() hmis.Date {
	if c.Exit == nil {
		return hmis.Date{}
	}
	return c.Exit.ExitDate
}

// Household groups the universe's clients sharing a HouseholdID.
type Household struct {
	ID      string
	Members []*Client
	HoH     *Client // the latest head of household in the universe; nil when none
	Type    HouseholdType
	Start   hmis.Date // the household's start: the earliest start of any member (whole dataset)
	CH      bool      // an adult or HoH present at the household start is CH

	// Anniversary is the latest HoH's relevant anniversary date (Glossary,
	// Annual Assessment); zero when no annual assessment is due.
	Anniversary hmis.Date
	HoHYears    int // the latest HoH's whole years in the project at report end
}

// Universe is the set of active clients of a report run.
type Universe struct {
	Params   Params
	Data     *Index
	Projects []*hmis.Project
	Clients  []*Client // sorted by PersonalID
	ByID     map[string]*Client
	// Households by HouseholdID of the clients' latest stays.
	Households map[string]*Household
}

// NewUniverse selects the active clients of the projects in p (Glossary:
// Active Clients Method 1; Method 2 with bed nights for night-by-night
// shelters) and each client's latest stay, and derives the shared
// variables.
func NewUniverse(ds *hmis.Dataset, p Params) *Universe {
	return NewUniverseIndexed(NewIndex(ds), p)
}

// NewUniverseIndexed is NewUniverse over an Index built once for several runs.
func NewUniverseIndexed(x *Index, p Params) *Universe {
	u := &Universe{Params: p, Data: x, ByID: map[string]*Client{}, Households: map[string]*Household{}}
	inProject := map[string]*hmis.Project{}
	for _, id := range p.ProjectIDs {
		if pr := x.Projects[id]; pr != nil {
			inProject[id] = pr
			u.Projects = append(u.Projects, pr)
		}
	}
	// Active stays, then the latest per client (by project start date).
	latest := map[string]*hmis.Enrollment{}
	for _, pr := range u.Projects {
		for _, e := range x.EnrollmentsByProject[pr.ProjectID] {
			if !u.Active(e) {
				continue
			}
			if p.EngagedOnly && ProjectTypeOf(pr) == hud.ProjectTypeStreetOutreach &&
				(e.DateOfEngagement.IsZero() || e.DateOfEngagement.After(p.End)) {
				continue
			}
			if l := latest[e.PersonalID]; l == nil || later(e, l, x) {
				latest[e.PersonalID] = e
			}
		}
	}
	for pid, e := range latest {
		c := &Client{PersonalID: pid, Client: x.Clients[pid], Enrollment: e, Project: inProject[e.ProjectID], u: u,
			income: x.Income[e.EnrollmentID], disabilities: x.Disabilities[e.EnrollmentID]}
		c.Type = ProjectTypeOf(c.Project)
		if ex := x.ExitOf(e); ex != nil && !ex.ExitDate.IsZero() && !ex.ExitDate.After(p.End) {
			c.Exit = ex
		}
		c.Age = u.AgeOf(c.Client, e)
		c.AgeKnown = c.Age >= 0
		c.Adult = c.Age >= 18
		c.Child = c.AgeKnown && c.Age < 18
		c.HoH = iv(e.RelationshipToHoH) == 1
		c.Leaver = c.Exit != nil && !c.Exit.ExitDate.Before(p.Start)
		c.Stayer = c.Exit == nil
		c.Veteran = c.Adult && c.Client != nil && iv(c.Client.VeteranStatus) == 1
		u.Clients = append(u.Clients, c)
		u.ByID[pid] = c
	}
	sort.Slice(u.Clients, func(i, j int) bool { return u.Clients[i].PersonalID < u.Clients[j].PersonalID })
	for _, c := range u.Clients {
		h := u.Households[c.Enrollment.HouseholdID]
		if h == nil {
			h = &Household{ID: c.Enrollment.HouseholdID}
			u.Households[h.ID] = h
		}
		h.Members = append(h.Members, c)
		c.Household = h
	}
	for _, h := range u.Households {
		u.household(h)
	}
	return u
}

// later reports whether enrollment a is a later stay than b: by project
// start date, then exit (open last), then EnrollmentID.
func later(a, b *hmis.Enrollment, x *Index) bool {
	if !a.EntryDate.Equal(b.EntryDate) {
		return a.EntryDate.After(b.EntryDate)
	}
	ea, eb := x.ExitOf(a), x.ExitOf(b)
	switch {
	case ea == nil && eb != nil:
		return true
	case ea != nil && eb == nil:
		return false
	case ea != nil && eb != nil && !ea.ExitDate.Equal(eb.ExitDate):
		return ea.ExitDate.After(eb.ExitDate)
	}
	return a.EnrollmentID > b.EnrollmentID
}

// ProjectTypeOf returns the project's type (2.02.6), or -1.
func ProjectTypeOf(p *hmis.Project) hud.ProjectType {
	if p == nil || p.ProjectType == nil {
		return -1
	}
	return *p.ProjectType
}

// Active reports whether a stay is active in the report range: Method 1
// (start <= end, exit null or >= start), and for night-by-night shelters
// (2.02.6 = 1) Method 2: a bed night (4.14, RecordType 200) in the range,
// on or after the start and no later than the exit, or an exit in the range.
func (u *Universe) Active(e *hmis.Enrollment) bool {
	p := u.Params
	if e.EntryDate.IsZero() || e.EntryDate.After(p.End) {
		return false
	}
	exit := u.Data.ExitDate(e)
	if !exit.IsZero() && exit.Before(p.Start) {
		return false
	}
	if ProjectTypeOf(u.Data.Projects[e.ProjectID]) == hud.ProjectTypeEmergencyShelterNightByNight {
		if !exit.IsZero() && !exit.After(p.End) {
			// An exit in the range makes a leaver, whom every leaver question
			// counts, even without a bed night in the range (as HUD's kit does).
			return true
		}
		for _, s := range u.Data.BedNights[e.EnrollmentID] {
			if !s.Before(p.Start) && !s.After(p.End) && !s.Before(e.EntryDate) && (exit.IsZero() || !s.After(exit)) {
				return true
			}
		}
		return false
	}
	return true
}

// AgeOf returns the client's age at the later of the stay's start and the
// report start (Glossary: Age), or -1 when the date of birth is missing
// or unusable (after that date).
func (u *Universe) AgeOf(c *hmis.Client, e *hmis.Enrollment) int {
	if c == nil || c.DOB.IsZero() {
		return -1
	}
	on := e.EntryDate
	if on.Before(u.Params.Start) {
		on = u.Params.Start
	}
	a := c.DOB.AgeOn(on)
	if a < 0 {
		return -1
	}
	return a
}

// household derives the household type, HoH, start, CH status and the
// annual assessment anniversary.
func (u *Universe) household(h *Household) {
	var adults, children, unknown int
	for _, c := range h.Members {
		switch {
		case c.Adult:
			adults++
		case c.Child:
			children++
		default:
			unknown++
		}
		if c.HoH && (h.HoH == nil || later(c.Enrollment, h.HoH.Enrollment, u.Data)) {
			h.HoH = c
		}
	}
	switch {
	case adults > 0 && children > 0:
		h.Type = WithChildrenAndAdults
	case adults > 0 && unknown == 0:
		h.Type = WithoutChildren
	case children > 0 && unknown == 0:
		h.Type = WithOnlyChildren
	default:
		h.Type = UnknownHouseholdType
	}
	// Youth: 12-24, nobody in the household older than 24.
	youthHH := true
	for _, c := range h.Members {
		if !c.AgeKnown || c.Age > 24 {
			youthHH = false
		}
	}
	for _, c := range h.Members {
		c.Youth = youthHH && c.Age >= 12 && c.Age <= 24
	}

	// Chronic homelessness at start (Glossary): own data for adults and HoH;
	// members present at the household start are CH when an adult or HoH
	// present then is; otherwise children take the HoH's status when every
	// adult's is indeterminate.
	all := u.Data.EnrollmentsByHousehold[h.ID]
	for _, e := range all {
		if h.Start.IsZero() || e.EntryDate.Before(h.Start) {
			h.Start = e.EntryDate
		}
	}
	for _, e := range all {
		if !e.EntryDate.Equal(h.Start) {
			continue
		}
		age := u.AgeOf(u.Data.Clients[e.PersonalID], e)
		if age >= 18 || iv(e.RelationshipToHoH) == 1 {
			if u.ChronicAtStart(e) == CHYes {
				h.CH = true
			}
		}
	}
	for _, c := range h.Members {
		if c.AdultOrHoH() {
			c.OwnCH = u.ChronicAtStart(c.Enrollment)
		}
	}
	anyAdultKnown := false
	for _, c := range h.Members {
		if c.AdultOrHoH() && (c.OwnCH == CHYes || c.OwnCH == CHNo) {
			anyAdultKnown = true
		}
	}
	for _, c := range h.Members {
		switch {
		case c.AdultOrHoH() && c.OwnCH == CHYes:
			c.CH = CHYes
		case h.CH && c.Enrollment.EntryDate.Equal(h.Start):
			c.CH = CHYes
		case c.AdultOrHoH():
			c.CH = c.OwnCH
		case !anyAdultKnown && h.HoH != nil && h.HoH != c:
			c.CH = h.HoH.OwnCH
		default:
			// A child otherwise has the status of their own start data, as
			// HUD's kit reports it (a child with 3.08 yes and no 3.917 is
			// "data not collected").
			c.OwnCH = u.ChronicAtStart(c.Enrollment)
			c.CH = c.OwnCH
		}
	}

	// Annual assessment (Glossary): the latest HoH's whole years in the
	// project at report end, anniversary-style.
	if h.HoH != nil {
		start := h.HoH.Enrollment.EntryDate
		h.HoHYears = start.AgeOn(u.Params.End)
		if h.HoHYears > 0 {
			h.Anniversary = start.AddDate(h.HoHYears, 0, 0)
		}
	}
	for _, c := range h.Members {
		if !c.Stayer || h.Anniversary.IsZero() || c.Enrollment.EntryDate.After(h.Anniversary) {
			continue
		}
		c.AnnualDue = true
		c.Annual = u.annualRecord(c, h.Anniversary)
	}
}

// annualRecord is the latest stage-5 IncomeBenefits record dated from 30
// days before the anniversary to the earlier of 30 days after it and the
// report end.
func (u *Universe) annualRecord(c *Client, ann hmis.Date) *hmis.IncomeBenefits {
	from, to := ann.AddDays(-30), ann.AddDays(30)
	if u.Params.End.Before(to) {
		to = u.Params.End
	}
	var best *hmis.IncomeBenefits
	for _, r := range c.income {
		if iv(r.DataCollectionStage) != 5 || r.InformationDate.Before(from) || r.InformationDate.After(to) {
			continue
		}
		if best == nil || !r.InformationDate.Before(best.InformationDate) {
			best = r
		}
	}
	return best
}

// ChronicAtStart is the Glossary's chronic homelessness status at project
// start for an adult or head of household, from the stay's own 3.08 and
// 3.917 data.
func (u *Universe) ChronicAtStart(e *hmis.Enrollment) CH {
	dc := iv(e.DisablingCondition) // 3.08
	if dc != 1 && u.Data.DisabledAtStart(e) {
		// The Glossary: where 3.08 is not auto-populated, a disability
		// answered yes at start (4.06, 4.08; 4.05, 4.07, 4.09, 4.10 with
		// "substantially impairs") counts as a disabling condition.
		dc = 1
	}
	switch dc {
	case 1:
	case 0:
		return CHNo
	case 8, 9:
		return CHDontKnow
	default:
		return CHMissing
	}
	pt := ProjectTypeOf(u.Data.Projects[e.ProjectID])
	ls := iv(e.LivingSituation) // 3.917.1
	switch {
	case pt == hud.ProjectTypeEmergencyShelterEntryExit || pt == hud.ProjectTypeEmergencyShelterNightByNight ||
		pt == hud.ProjectTypeStreetOutreach || pt == hud.ProjectTypeSafeHaven: // 3.917A
	case ls >= 100 && ls < 200: // homeless situation
	default:
		// Institutional (under 90 days), temporary, permanent and other
		// (under 7 nights) situations: continue only when the stay was short
		// and the client was on the street, in ES or SH the night before
		// (3.917.2A, 3.917.2C); no is not CH, no answer is missing.
		for _, v := range []int{iv(e.LOSUnderThreshold), iv(e.PreviousStreetESSH)} {
			switch v {
			case 1:
			case 0:
				return CHNo
			default:
				return CHMissing
			}
		}
	}
	if !e.DateToStreetESSH.IsZero() && !e.DateToStreetESSH.After(e.EntryDate.AddDays(-365)) {
		return CHYes
	}
	switch iv(e.TimesHomelessPastThreeYears) { // 3.917.4
	case 4:
	case 1, 2, 3:
		return CHNo
	case 8, 9:
		return CHDontKnow
	default:
		return CHMissing
	}
	switch m := iv(e.MonthsHomelessPastThreeYears); { // 3.917.5: 101-112 months, 113 more than 12
	case m == 112 || m == 113:
		return CHYes
	case m >= 101 && m <= 111:
		return CHNo
	case m == 8 || m == 9:
		return CHDontKnow
	default:
		return CHMissing
	}
}

// iv returns the code behind an optional HUD value, -1 when empty.
func iv[T ~int](p *T) int {
	if p == nil {
		return -1
	}
	return int(*p)
}

// Code is iv for the report packages: the code of an optional HUD value, -1 when empty.
func Code[T ~int](p *T) int { return iv(p) }

// LengthOfStay is the Glossary's length of stay in project over the whole
// latest stay (days before the report start included): night-by-night
// shelters count distinct bed nights on or after the start, before the exit
// and no later than the report end; other projects count the days from the
// start to the earlier of the exit and the day after the report end.
func (u *Universe) LengthOfStay(c *Client) int {
	e := c.Enrollment
	end := u.Params.End.AddDays(1)
	if ex := c.ExitDate(); !ex.IsZero() && ex.Before(end) {
		end = ex
	}
	if c.Type == hud.ProjectTypeEmergencyShelterNightByNight {
		seen := map[hmis.Date]bool{}
		for _, d := range u.Data.BedNights[e.EnrollmentID] {
			if !d.Before(e.EntryDate) && d.Before(end) {
				seen[d] = true
			}
		}
		return len(seen)
	}
	n := e.EntryDate.DaysUntil(end)
	if n < 0 {
		return 0
	}
	return n
}

// MoveIn is the client's housing move-in date (3.20): the latest head of
// household's, or the client's own project start when the client joined
// after the household moved in; zero when the household has not moved in.
func (c *Client) MoveIn() hmis.Date {
	h := c
	if c.Household.HoH != nil {
		h = c.Household.HoH
	}
	m := c.u.validMoveIn(h.Enrollment)
	if m.IsZero() && h != c {
		m = c.u.validMoveIn(c.Enrollment) // the HoH's is missing: the client's own
	}
	if m.IsZero() {
		return m
	}
	if c.Enrollment.EntryDate.After(m) {
		return c.Enrollment.EntryDate
	}
	return m
}

// validMoveIn is the stay's move-in date (3.20) when it falls within the
// stay: on or after the start and no later than the exit; zero otherwise.
func (u *Universe) validMoveIn(e *hmis.Enrollment) hmis.Date {
	m := e.MoveInDate
	if m.IsZero() || m.Before(e.EntryDate) {
		return hmis.Date{}
	}
	if ex := u.Data.ExitDate(e); !ex.IsZero() && m.After(ex) {
		return hmis.Date{}
	}
	return m
}

// HouseholdMoveIn is the move-in date (3.20) of the head of household of
// stay e's household (the latest HoH stay of that HouseholdID), valid
// within that stay; zero when none.
func (u *Universe) HouseholdMoveIn(e *hmis.Enrollment) hmis.Date {
	var hoh *hmis.Enrollment
	for _, m := range u.Data.EnrollmentsByHousehold[e.HouseholdID] {
		if iv(m.RelationshipToHoH) == 1 && (hoh == nil || later(m, hoh, u.Data)) {
			hoh = m
		}
	}
	if hoh == nil {
		return u.validMoveIn(e)
	}
	return u.validMoveIn(hoh)
}
