// Package ceapr computes HUD's Coordinated Entry APR (CE APR, 10 tables:
// Q4a, Q5a, Q6a, Q7a, Q8a, Q9a–Q9d, Q10) from an hmis.Dataset: a pure
// function, no SQL. The rules are the CE APR programming specifications
// v1.4 (../shared/hud/specs/CE-APR-HMIS-Programming-Specifications.txt)
// and REFERENCE.md §4.6; Q5a–Q8a take the FY2026 APR layout of the same
// tables (report.ShellOf("apr", ...)), Q9a–Q10 the specification's.
//
// The report is system-wide for the reporting CoC (Params.CoC;
// Params.ProjectIDs is not used):
//
//  1. projects with 2.02.5 Continuum Project = yes whose only CoC (2.03.1)
//     is the reporting CoC; a project with several CoCs counts an
//     enrollment when its 3.16 Enrollment CoC is the reporting CoC;
//  2. Q4–Q9: clients with a CE assessment (4.19) dated in the report range
//     during an enrollment of such a project (Active Clients Method 2: the
//     assessment is the date of service), each on the enrollment of their
//     latest assessment, with the household members of that enrollment
//     active on the assessment date;
//  3. Q9c–d: for each head of household, one CE event (4.20): dated on or
//     after the latest assessment, no later than 90 days after the report
//     end and before any assessment dated in those 90 days; the latest,
//     preferring events of the assessment's project;
//  4. Q10: every assessment and event of those projects dated in the range.
package ceapr

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/report/apr"
)

// Kind is the report's kind in report.Report.Kind.
const Kind = "ce_apr"

// TableIDs are the CE APR's tables in HUD's order.
var TableIDs = []string{"Q4a", "Q5a", "Q6a", "Q7a", "Q8a", "Q9a", "Q9b", "Q9c", "Q9d", "Q10"}

// person is one client of the universe (Q5a–Q9).
type person struct {
	ID         string
	Client     *hmis.Client
	Enrollment *hmis.Enrollment
	Assessment *hmis.Assessment // the latest assessment in range; nil for a household member without one
	Age        int              // -1 unknown
	HoH        bool
	Household  string // HouseholdID of the enrollment
	Type       report.HouseholdType
}

func (p *person) ref() report.Ref {
	return report.Ref{PersonalID: p.ID, EnrollmentID: p.Enrollment.EnrollmentID}
}

func (p *person) adult() bool { return p.Age >= 18 }

type run struct {
	x        *report.Index
	p        report.Params
	projects map[string]*hmis.Project
	multi    map[string]bool // projects with several CoCs
	people   []*person       // by PersonalID
	hohs     []*person       // heads of household with their latest assessment, by PersonalID
}

// Run computes the CE APR over ds.
func Run(ds *hmis.Dataset, p report.Params) (*report.Report, error) {
	return RunIndexed(report.NewIndex(ds), p)
}

// RunIndexed is Run over an Index built once for several runs.
func RunIndexed(x *report.Index, p report.Params) (*report.Report, error) {
	switch {
	case p.Start.IsZero():
		return nil, fmt.Errorf("start: the report start date is required")
	case p.End.IsZero():
		return nil, fmt.Errorf("end: the report end date is required")
	case p.End.Before(p.Start):
		return nil, fmt.Errorf("start: the report start date %s is after the end date %s", p.Start, p.End)
	case p.CoC == "":
		return nil, fmt.Errorf("coc: the CE APR is for one CoC: give its code")
	}
	r := &run{x: x, p: p, projects: map[string]*hmis.Project{}, multi: map[string]bool{}}
	r.selectProjects()
	r.universe()
	rep := &report.Report{Kind: Kind, Params: p}
	rep.Tables = []*report.Table{r.q4a(), r.q5a(), r.q6a(), r.q7a(), r.q8a(), r.q9a(), r.q9b(), r.q9c(), r.q9d(), r.q10()}
	return rep, nil
}

// selectProjects applies universe steps 1 and 2.
func (r *run) selectProjects() {
	for id, pr := range r.x.Projects {
		if report.Code(pr.ContinuumProject) != 1 {
			continue
		}
		ours, others := false, false
		for _, pc := range r.x.ProjectCoCs[id] {
			if strings.EqualFold(pc.CoCCode, r.p.CoC) {
				ours = true
			} else {
				others = true
			}
		}
		if ours {
			r.projects[id] = pr
			r.multi[id] = others
		}
	}
}

// inCoC reports whether an enrollment's CE data belongs to the reporting
// CoC (step 3: for multi-CoC projects, the 3.16 Enrollment CoC).
func (r *run) inCoC(e *hmis.Enrollment) bool {
	if e == nil || r.projects[e.ProjectID] == nil {
		return false
	}
	return !r.multi[e.ProjectID] || strings.EqualFold(e.EnrollmentCoC, r.p.CoC)
}

func (r *run) activeOn(e *hmis.Enrollment, d hmis.Date) bool {
	if e.EntryDate.IsZero() || e.EntryDate.After(d) {
		return false
	}
	exit := r.x.ExitDate(e)
	return exit.IsZero() || !exit.Before(d)
}

func inRange(d, from, to hmis.Date) bool { return !d.IsZero() && !d.Before(from) && !d.After(to) }

// laterAssessment orders assessments: later date, then the later
// creation, then the larger ID (a stable choice).
func laterAssessment(a, b *hmis.Assessment) bool {
	if !a.AssessmentDate.Equal(b.AssessmentDate) {
		return a.AssessmentDate.After(b.AssessmentDate)
	}
	if !a.DateCreated.Equal(b.DateCreated) {
		return a.DateCreated.After(b.DateCreated)
	}
	return a.AssessmentID > b.AssessmentID
}

func (r *run) universe() {
	latest := map[string]*hmis.Assessment{}
	for i := range r.x.DS.Assessments {
		a := &r.x.DS.Assessments[i]
		e := r.x.Enrollments[a.EnrollmentID]
		if !inRange(a.AssessmentDate, r.p.Start, r.p.End) || !r.inCoC(e) || !r.activeOn(e, a.AssessmentDate) {
			continue
		}
		if l := latest[a.PersonalID]; l == nil || laterAssessment(a, l) {
			latest[a.PersonalID] = a
		}
	}
	byID := map[string]*person{}
	for pid, a := range latest {
		e := r.x.Enrollments[a.EnrollmentID]
		byID[pid] = &person{ID: pid, Client: r.x.Clients[pid], Enrollment: e, Assessment: a}
	}
	// Household members of an assessed head of household's enrollment,
	// active on the assessment date, who have no assessment of their own.
	for _, p := range byID {
		if report.Code(p.Enrollment.RelationshipToHoH) != 1 || p.Enrollment.HouseholdID == "" {
			continue
		}
		for _, m := range r.x.EnrollmentsByHousehold[p.Enrollment.HouseholdID] {
			if m.PersonalID == p.ID || m.ProjectID != p.Enrollment.ProjectID || byID[m.PersonalID] != nil ||
				!r.activeOn(m, p.Assessment.AssessmentDate) {
				continue
			}
			byID[m.PersonalID] = &person{ID: m.PersonalID, Client: r.x.Clients[m.PersonalID], Enrollment: m}
		}
	}
	households := map[string][]*person{}
	for _, p := range byID {
		p.HoH = report.Code(p.Enrollment.RelationshipToHoH) == 1
		p.Household = p.Enrollment.HouseholdID
		if p.Household == "" {
			p.Household = "enrollment:" + p.Enrollment.EnrollmentID
		}
		p.Age = r.age(p)
		households[p.Household] = append(households[p.Household], p)
		r.people = append(r.people, p)
	}
	sort.Slice(r.people, func(i, j int) bool { return r.people[i].ID < r.people[j].ID })
	for _, members := range households {
		t := householdType(members)
		for _, m := range members {
			m.Type = t
		}
	}
	for _, p := range r.people {
		if p.HoH && p.Assessment != nil {
			r.hohs = append(r.hohs, p)
		}
	}
}

// age is the Glossary's age at the later of the project start and the
// report start; -1 when the date of birth is missing or unusable.
func (r *run) age(p *person) int {
	if p.Client == nil || p.Client.DOB.IsZero() {
		return -1
	}
	on := p.Enrollment.EntryDate
	if on.Before(r.p.Start) {
		on = r.p.Start
	}
	if p.Client.DOB.After(on) {
		return -1
	}
	return p.Client.DOB.AgeOn(on)
}

// householdType is the Glossary's household type of the members present.
func householdType(members []*person) report.HouseholdType {
	adults, children, unknown := 0, 0, 0
	for _, m := range members {
		switch {
		case m.Age < 0:
			unknown++
		case m.Age >= 18:
			adults++
		default:
			children++
		}
	}
	switch {
	case adults > 0 && children > 0:
		return report.WithChildrenAndAdults
	case unknown > 0:
		return report.UnknownHouseholdType
	case adults > 0:
		return report.WithoutChildren
	case children > 0:
		return report.WithOnlyChildren
	}
	return report.UnknownHouseholdType
}

// newTable lays a table out from the FY2026 APR shell of the same table.
func newTable(id string) *report.Table {
	t := report.NewTable("apr", id)
	t.ID = id
	return t
}

// shellTable lays a table out from the specification's header and rows.
func shellTable(id string, header, rows []string) *report.Table {
	t := &report.Table{ID: id, Header: header}
	for _, l := range rows {
		t.Rows = append(t.Rows, report.Row{Label: l, Cells: make([]report.Cell, len(header)-1)})
	}
	return t
}

// byType adds ref to column 0 (Total) and to the household type's column.
func byType(t *report.Table, row int, ht report.HouseholdType, ref report.Ref) {
	t.Add(row, 0, ref)
	t.Add(row, 1+int(ht), ref)
}

func pct(t *report.Table, row, col int, num, den float64) {
	v := 0.0
	if den > 0 {
		v = num / den
	}
	t.Set(row, col, report.Percent, v)
}

func text(s string) report.Cell { return report.Cell{Kind: report.Text, Text: s} }

func codeText[T ~int](p *T) string {
	if p == nil {
		return ""
	}
	return fmt.Sprint(int(*p))
}

// q4a lists the projects with clients or CE records in any question of
// the report (spec Q4a instruction 1), in the FY2026 APR's columns, with
// the distinct households each project contributes (the universe's
// persons by the enrollment reported, the clients of Q10's assessments and
// events) and their members active in the report range (Active Clients
// Method 1).
func (r *run) q4a() *report.Table {
	t := &report.Table{ID: "Q4a", Header: newTable("Q4a").Header}
	clients, households := map[string]map[string]bool{}, map[string]map[string]bool{}
	count := func(personalID string, e *hmis.Enrollment) {
		if e == nil {
			return
		}
		if clients[e.ProjectID] == nil {
			clients[e.ProjectID], households[e.ProjectID] = map[string]bool{}, map[string]bool{}
		}
		clients[e.ProjectID][personalID] = true
		h := e.HouseholdID
		if h == "" {
			households[e.ProjectID]["enrollment:"+e.EnrollmentID] = true
			return
		}
		households[e.ProjectID][h] = true
		// The household's other members active in the range (Method 1).
		for _, m := range r.x.EnrollmentsByHousehold[h] {
			exit := r.x.ExitDate(m)
			if m.ProjectID == e.ProjectID && !m.EntryDate.IsZero() && !m.EntryDate.After(r.p.End) && (exit.IsZero() || !exit.Before(r.p.Start)) {
				clients[e.ProjectID][m.PersonalID] = true
			}
		}
	}
	for _, p := range r.people {
		count(p.ID, p.Enrollment)
	}
	for _, ref := range r.q10records() {
		count(ref.PersonalID, r.x.Enrollments[ref.EnrollmentID])
	}
	var ids []string
	for id := range clients {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		pr := r.x.Projects[id]
		org := r.x.Organizations[pr.OrganizationID]
		orgName, vsp := "", ""
		if org != nil {
			orgName, vsp = org.OrganizationName, codeText(org.VictimServiceProvider)
		}
		access := "0"
		for _, ce := range r.x.CEParticipations[id] {
			if !ce.CEParticipationStatusStartDate.After(r.p.End) && (ce.CEParticipationStatusEndDate.IsZero() || !ce.CEParticipationStatusEndDate.Before(r.p.End)) {
				access = codeText(ce.AccessPoint)
			}
		}
		var affiliated, cocs, geos []string
		for _, a := range r.x.Affiliations[id] {
			affiliated = append(affiliated, a.ResProjectID)
		}
		for _, pc := range r.x.ProjectCoCs[id] {
			cocs = append(cocs, pc.CoCCode)
			geos = append(geos, pc.Geocode)
		}
		t.Rows = append(t.Rows, report.Row{Label: orgName, Cells: []report.Cell{
			text(pr.OrganizationID), text(pr.ProjectName), text(id), text(codeText(pr.ProjectType)),
			text(codeText(pr.RRHSubType)), text(access), text(codeText(pr.ResidentialAffiliation)),
			text(strings.Join(affiliated, ",")), text(strings.Join(cocs, ",")), text(strings.Join(geos, ",")),
			text(vsp), text(r.p.Software), text(r.p.Start.String()), text(r.p.End.String()),
			{Kind: report.Count, Value: float64(len(clients[id]))}, {Kind: report.Count, Value: float64(len(households[id]))},
		}})
	}
	return t
}

// q10records are the assessments and events of Q10's universe.
func (r *run) q10records() []report.Ref {
	var out []report.Ref
	for i := range r.x.DS.Assessments {
		a := &r.x.DS.Assessments[i]
		if inRange(a.AssessmentDate, r.p.Start, r.p.End) && r.inCoC(r.x.Enrollments[a.EnrollmentID]) {
			out = append(out, report.Ref{PersonalID: a.PersonalID, EnrollmentID: a.EnrollmentID})
		}
	}
	for i := range r.x.DS.Events {
		ev := &r.x.DS.Events[i]
		if inRange(ev.EventDate, r.p.Start, r.p.End) && r.inCoC(r.x.Enrollments[ev.EnrollmentID]) {
			out = append(out, report.Ref{PersonalID: ev.PersonalID, EnrollmentID: ev.EnrollmentID})
		}
	}
	return out
}

// dqUniverse reports whether p is in the data-quality universe (Q5a
// column B): Street Outreach stays only once engaged by the report end
// (Glossary, HMIS Data Quality Report).
func (r *run) dqUniverse(p *person) bool {
	pr := r.x.Projects[p.Enrollment.ProjectID]
	if report.ProjectTypeOf(pr) != hud.ProjectTypeStreetOutreach {
		return true
	}
	d := p.Enrollment.DateOfEngagement
	return !d.IsZero() && !d.After(r.p.End)
}

// youth reports the Glossary's youth: 12–24 in a household where nobody
// is older than 24 or of unknown age.
func (r *run) youthHouseholds() map[string]bool {
	ok := map[string]bool{}
	bad := map[string]bool{}
	for _, p := range r.people {
		if p.Age < 0 || p.Age > 24 {
			bad[p.Household] = true
		}
		ok[p.Household] = true
	}
	for h := range bad {
		delete(ok, h)
	}
	return ok
}

// q5a: report validations (rows of leavers, stayers, chronic homelessness,
// parenting youth and long stays are zero: spec Q5a instruction 2).
func (r *run) q5a() *report.Table {
	t := newTable("Q5a")
	youth := r.youthHouseholds()
	for _, p := range r.people {
		ref := p.ref()
		cols := []int{1}
		if r.dqUniverse(p) {
			cols = append(cols, 0)
		}
		for _, col := range cols {
			add := func(row int, ok bool) {
				if ok {
					t.Add(row, col, ref)
				}
			}
			add(0, true)
			add(1, p.adult())
			add(2, p.Age >= 0 && p.Age < 18)
			add(3, p.Age < 0)
			add(9, p.adult() && p.Client != nil && report.Code(p.Client.VeteranStatus) == 1)
			add(11, youth[p.Household] && p.Age >= 12 && p.Age <= 24)
			add(13, p.adult() && p.HoH)
			add(14, !p.adult() && p.HoH)
		}
	}
	return t
}

// q6a: personally identifiable information (Glossary DQ Q2), the rules
// of the APR's Q6a, on the data-quality universe (Street Outreach clients
// only once engaged), as the APR's Q6 tables.
func (r *run) q6a() *report.Table {
	t := newTable("Q6a")
	add := t.AddDQ
	n := 0
	for _, p := range r.people {
		if !r.dqUniverse(p) {
			continue
		}
		n++
		ref := p.ref()
		cl := p.Client
		if cl == nil {
			for row := 0; row < 4; row++ {
				add(row, ref, false, true, false)
			}
			t.Add(4, 3, ref)
			continue
		}
		nq := report.Code(cl.NameDataQuality)
		any := add(0, ref, nq == 8 || nq == 9, cl.FirstName == "" || cl.LastName == "" || nq == 99, nq == 2)
		sq := report.Code(cl.SSNDataQuality)
		any = add(1, ref, sq == 8 || sq == 9, cl.SSN == "" || sq == 99, sq == 2 || !apr.ValidSSN(cl.SSN)) || any
		bq := report.Code(cl.DOBDataQuality)
		bad := bq == 2 || !cl.DOB.IsZero() && (cl.DOB.Before(hmis.NewDate(1915, 1, 1)) ||
			!cl.DateCreated.IsZero() && cl.DOB.After(hmis.DateOf(cl.DateCreated)) ||
			(p.adult() || p.HoH) && !cl.DOB.Before(p.Enrollment.EntryDate))
		any = add(2, ref, bq == 8 || bq == 9, cl.DOB.IsZero() || bq == 99, bad) || any
		rn := report.Code(cl.RaceNone)
		races := 0
		for _, v := range []*hud.NoYes{cl.AmIndAKNative, cl.Asian, cl.BlackAfAmerican, cl.HispanicLatinao, cl.MidEastNAfrican, cl.NativeHIPacific, cl.White} {
			if report.Code(v) == 1 {
				races++
			}
		}
		any = add(3, ref, rn == 8 || rn == 9, races == 0 && (rn == 99 || rn == -1), false) || any
		if any {
			t.Add(4, 3, ref)
		}
	}
	for row := 0; row < 5; row++ {
		pct(t, row, 4, t.Cell(row, 3).Value, float64(n))
	}
	return t
}

// q7a: persons served by age group and household type (row 6, moved in,
// is zero: spec Q7a instruction 2).
func (r *run) q7a() *report.Table {
	t := newTable("Q7a")
	for _, p := range r.people {
		row := 0
		switch {
		case p.Age >= 18:
			row = 0
		case p.Age >= 0:
			row = 1
		case p.Client != nil && (report.Code(p.Client.DOBDataQuality) == 8 || report.Code(p.Client.DOBDataQuality) == 9):
			row = 2
		default:
			row = 3
		}
		byType(t, row, p.Type, p.ref())
		byType(t, 4, p.Type, p.ref())
	}
	return t
}

// q8a: households served (row 2, moved in, is zero).
func (r *run) q8a() *report.Table {
	t := newTable("Q8a")
	for _, p := range r.people {
		if p.HoH {
			byType(t, 0, p.Type, p.ref())
		}
	}
	return t
}

var typeHeader = []string{"", "Total", "Without Children", "With Children And Adults", "With Only Children", "Unknown Household Type"}

// q9a: households assessed, by 4.19.3 assessment type of the head of
// household's latest assessment.
func (r *run) q9a() *report.Table {
	t := shellTable("Q9a", typeHeader, []string{"Phone", "Virtual", "In-person", "Total Households Assessed"})
	for _, h := range r.hohs {
		switch at := report.Code(h.Assessment.AssessmentType); at {
		case 1, 2, 3:
			byType(t, at-1, h.Type, h.ref())
			byType(t, 3, h.Type, h.ref())
		}
	}
	return t
}

// q9b: prioritization status (4.19.7); missing counts as not placed.
func (r *run) q9b() *report.Table {
	t := shellTable("Q9b", typeHeader, []string{"Placed on Prioritization List (Prioritized)", "Not Placed on Prioritization List",
		"Percent of Assessed Prioritized Of the total HH Assessed report the percent of those placed on the prioritization list"})
	for _, h := range r.hohs {
		row := 1
		if report.Code(h.Assessment.PrioritizationStatus) == 1 {
			row = 0
		}
		byType(t, row, h.Type, h.ref())
	}
	for c := 0; c < 5; c++ {
		pct(t, 2, c, t.Cell(0, c).Value, t.Cell(0, c).Value+t.Cell(1, c).Value)
	}
	return t
}

// event returns the CE event of a head of household (spec Q9c steps 3–5).
func (r *run) event(h *person) *hmis.Event {
	from, to := h.Assessment.AssessmentDate, r.p.End.AddDays(90)
	// Step 3c: before any assessment dated after the report end, within 90 days.
	for i := range r.x.DS.Assessments {
		a := &r.x.DS.Assessments[i]
		if a.PersonalID == h.ID && a.AssessmentDate.After(r.p.End) && !a.AssessmentDate.After(r.p.End.AddDays(90)) &&
			r.inCoC(r.x.Enrollments[a.EnrollmentID]) && a.AssessmentDate.Before(to.AddDays(1)) {
			to = a.AssessmentDate.AddDays(-1)
		}
	}
	var same, other *hmis.Event
	later := func(a, b *hmis.Event) bool {
		if b == nil {
			return true
		}
		if !a.EventDate.Equal(b.EventDate) {
			return a.EventDate.After(b.EventDate)
		}
		return a.EventID > b.EventID
	}
	for i := range r.x.DS.Events {
		ev := &r.x.DS.Events[i]
		e := r.x.Enrollments[ev.EnrollmentID]
		if ev.PersonalID != h.ID || !inRange(ev.EventDate, from, to) || !r.inCoC(e) {
			continue
		}
		if e.ProjectID == h.Enrollment.ProjectID {
			if later(ev, same) {
				same = ev
			}
		} else if later(ev, other) {
			other = ev
		}
	}
	if same != nil {
		return same
	}
	return other
}

// q9c: access events (4.20.2 = 1–4).
func (r *run) q9c() *report.Table {
	t := shellTable("Q9c", typeHeader, []string{"Referral to Prevention Assistance project",
		"Problem Solving/Diversion/Rapid Resolution intervention or service",
		"Referral to scheduled Coordinated Entry Crisis Needs Assessment",
		"Referral to scheduled Coordinated Entry Housing Needs Assessment", "Total",
		"Result: Client housed/Re-Housed in a safe alternative",
		"Percent of successful referrals to Problem Solving/Diversion/Rapid Resolution"})
	for _, h := range r.hohs {
		ev := r.event(h)
		if ev == nil {
			continue
		}
		code := report.Code(ev.Event)
		if code < 1 || code > 4 {
			continue
		}
		byType(t, code-1, h.Type, h.ref())
		byType(t, 4, h.Type, h.ref())
		if code == 2 && report.Code(ev.ProbSolDivRRResult) == 1 {
			byType(t, 5, h.Type, h.ref())
		}
	}
	for c := 0; c < 5; c++ {
		pct(t, 6, c, t.Cell(5, c).Value, t.Cell(1, c).Value)
	}
	return t
}

// referralRows are the Q9d and Q10 labels of 4.20.2 = 5–18.
var referralRows = []string{"Post-placement/follow-up case management", "Street Outreach project or services",
	"Housing Navigation project or services", "Non-continuum services: Ineligible for continuum services",
	"Non continuum services: No availability in continuum services", "Emergency Shelter bed opening",
	"Transitional Housing bed/unit opening", "Joint TH-RRH project/unit/resource opening", "RRH project resource opening",
	"PSH project resource opening", "Other PH project", "Referral to emergency assistance/flex fund/furniture assistance",
	"Referral to Emergency Housing Voucher (EHV)", "Referral to a Housing Stability Voucher"}

// residential are the 4.20.2 referrals to residential projects (Q9d row
// 22's denominator: rows 6–11, 13 and 14).
func residential(code int) bool { return code >= 10 && code <= 15 || code == 17 || code == 18 }

// q9d: referral events (4.20.2 = 5–18) and their results.
func (r *run) q9d() *report.Table {
	rows := append(append([]string{}, referralRows...), "Total",
		"Of the total HH prioritized (Q9b row 1) what percentage received a referral",
		"Successful referral: client accepted", "Unsuccessful referral: client rejected",
		"Unsuccessful referral: provider rejected", "No result recorded", "Result: Enrolled in Aftercare project",
		"Percent of successful referrals to residential projects")
	t := shellTable("Q9d", typeHeader, rows)
	prioritized := make([]float64, 5)
	referred := make([]float64, 5)
	resid := make([]float64, 5)
	for _, h := range r.hohs {
		pri := report.Code(h.Assessment.PrioritizationStatus) == 1
		if pri {
			prioritized[0]++
			prioritized[1+int(h.Type)]++
		}
		ev := r.event(h)
		if ev == nil {
			continue
		}
		code := report.Code(ev.Event)
		if code < 5 || code > 18 {
			continue
		}
		ref := h.ref()
		byType(t, code-5, h.Type, ref)
		byType(t, 14, h.Type, ref)
		if pri {
			referred[0]++
			referred[1+int(h.Type)]++
		}
		if residential(code) {
			resid[0]++
			resid[1+int(h.Type)]++
			switch res := report.Code(ev.ReferralResult); res {
			case 1, 2, 3:
				byType(t, 15+res, h.Type, ref)
			default:
				byType(t, 19, h.Type, ref)
			}
		}
		if code == 5 && report.Code(ev.ReferralCaseManageAfter) == 1 {
			byType(t, 20, h.Type, ref)
		}
	}
	for c := 0; c < 5; c++ {
		pct(t, 15, c, referred[c], prioritized[c])
		pct(t, 21, c, t.Cell(16, c).Value, resid[c])
	}
	return t
}

// q10: every assessment (by 4.19.4 level) and event (by 4.20.2) of the
// CoC's projects dated in the range, with their results. Counts of
// records, not of clients: the cells carry each record's client.
func (r *run) q10() *report.Table {
	rows := []string{"Crisis Needs Assessment", "Housing Needs Assessment", "Referral to Prevention Assistance project",
		"Problem Solving/Diversion/Rapid Resolution intervention or service",
		"Referral to scheduled Coordinated Entry Crisis Needs Assessment",
		"Referral to scheduled Coordinated Entry Housing Needs Assessment"}
	rows = append(rows, referralRows...)
	t := shellTable("Q10", []string{"", "Total Occurrences", "Successful Referral", "Unsuccessful Referral client rejected",
		"Unsuccessful Referral provider rejected", "Rehoused in safe alternative", "Enrolled in aftercare"}, rows)
	for i := range r.x.DS.Assessments {
		a := &r.x.DS.Assessments[i]
		if !inRange(a.AssessmentDate, r.p.Start, r.p.End) || !r.inCoC(r.x.Enrollments[a.EnrollmentID]) {
			continue
		}
		if lv := report.Code(a.AssessmentLevel); lv == 1 || lv == 2 {
			t.Add(lv-1, 0, report.Ref{PersonalID: a.PersonalID, EnrollmentID: a.EnrollmentID})
		}
	}
	for i := range r.x.DS.Events {
		ev := &r.x.DS.Events[i]
		if !inRange(ev.EventDate, r.p.Start, r.p.End) || !r.inCoC(r.x.Enrollments[ev.EnrollmentID]) {
			continue
		}
		code := report.Code(ev.Event)
		if code < 1 || code > 18 {
			continue
		}
		row := code + 1
		ref := report.Ref{PersonalID: ev.PersonalID, EnrollmentID: ev.EnrollmentID}
		t.Add(row, 0, ref)
		switch {
		case code == 2 && report.Code(ev.ProbSolDivRRResult) == 1:
			t.Add(row, 4, ref)
		case code == 5 && report.Code(ev.ReferralCaseManageAfter) == 1:
			t.Add(row, 5, ref)
		case residential(code):
			if res := report.Code(ev.ReferralResult); res >= 1 && res <= 3 {
				t.Add(row, res, ref)
			}
		}
	}
	return t
}
