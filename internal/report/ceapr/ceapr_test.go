package ceapr

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/report"
)

func p[T any](v T) *T { return &v }

// eventDataset is the specification's example (Q9c): a CE project ABC and
// a project CDE; assessment (a) in report year 1, event (b, referral to
// RRH) in CDE, assessment (c) within 90 days after the year's end and
// event (d, successful RRH referral) after it. A second household is
// assessed in ABC with events in ABC and in CDE; a third in another CoC.
func eventDataset() *hmis.Dataset {
	d := hmis.MustDate
	yes := p(hud.NoYes(1))
	ds := &hmis.Dataset{
		Organizations: []hmis.Organization{{OrganizationID: "O", OrganizationName: "Org"}},
		Projects: []hmis.Project{
			{ProjectID: "ABC", OrganizationID: "O", ProjectName: "CE", ProjectType: p(hud.ProjectTypeCoordinatedEntry), ContinuumProject: yes},
			{ProjectID: "CDE", OrganizationID: "O", ProjectName: "RRH", ProjectType: p(hud.ProjectTypePHRapidReHousing), ContinuumProject: yes},
			{ProjectID: "ELSE", OrganizationID: "O", ProjectName: "Elsewhere", ProjectType: p(hud.ProjectTypeCoordinatedEntry), ContinuumProject: yes},
		},
		ProjectCoCs: []hmis.ProjectCoC{{ProjectCoCID: "1", ProjectID: "ABC", CoCCode: "XX-501"}, {ProjectCoCID: "2", ProjectID: "CDE", CoCCode: "XX-501"},
			{ProjectCoCID: "3", ProjectID: "ELSE", CoCCode: "XX-999"}},
	}
	for _, id := range []string{"1", "2", "3"} {
		ds.Clients = append(ds.Clients, hmis.Client{PersonalID: id, FirstName: "A", LastName: "B", DOB: d("1980-01-01"),
			NameDataQuality: p(hud.NameDataQuality(1)), SSNDataQuality: p(hud.SSNDataQuality(99)), DOBDataQuality: p(hud.DOBDataQuality(1))})
	}
	enr := func(id, pid, proj, entry string) hmis.Enrollment {
		return hmis.Enrollment{EnrollmentID: id, PersonalID: pid, ProjectID: proj, HouseholdID: "H" + id,
			RelationshipToHoH: p(hud.RelationshipToHoH(1)), EntryDate: d(entry), EnrollmentCoC: "XX-501"}
	}
	ds.Enrollments = []hmis.Enrollment{enr("E1", "1", "ABC", "2021-01-01"), enr("E1b", "1", "CDE", "2021-01-01"),
		enr("E2", "2", "ABC", "2021-01-01"), enr("E2b", "2", "CDE", "2021-01-01"), enr("E3", "3", "ELSE", "2021-01-01")}
	as := func(id, enr, pid, date string) hmis.Assessment {
		return hmis.Assessment{AssessmentID: id, EnrollmentID: enr, PersonalID: pid, AssessmentDate: d(date),
			AssessmentType: p(hud.AssessmentType(3)), AssessmentLevel: p(hud.AssessmentLevel(2)), PrioritizationStatus: p(hud.PrioritizationStatus(1))}
	}
	ds.Assessments = []hmis.Assessment{as("a", "E1", "1", "2022-02-01"), as("c", "E1", "1", "2022-10-15"),
		as("a2", "E2", "2", "2022-03-01"), as("a3", "E3", "3", "2022-03-01")}
	ev := func(id, enr, pid, date string, event int, result *hud.ReferralResult) hmis.Event {
		return hmis.Event{EventID: id, EnrollmentID: enr, PersonalID: pid, EventDate: d(date), Event: p(hud.EventType(event)), ReferralResult: result}
	}
	ds.Events = []hmis.Event{
		ev("b", "E1b", "1", "2022-03-01", 13, nil),
		ev("d", "E1b", "1", "2022-11-01", 13, p(hud.ReferralResult(1))),
		ev("same", "E2", "2", "2022-04-01", 7, nil),    // the assessment's project: preferred
		ev("other", "E2b", "2", "2022-05-01", 14, nil), // later, but another project
		ev("before", "E2", "2", "2022-02-01", 4, nil),  // before the assessment: never
		ev("else", "E3", "3", "2022-04-01", 13, nil),   // another CoC
	}
	return ds
}

func TestRun_EventSelection(t *testing.T) {
	rep, err := Run(eventDataset(), report.Params{Start: hmis.MustDate("2021-10-01"), End: hmis.MustDate("2022-09-30"), CoC: "XX-501"})
	if err != nil {
		t.Fatal(err)
	}
	if v := rep.Table("Q9a").Cell(3, 0).Value; v != 2 {
		t.Errorf("households assessed %v, want 2 (not the other CoC's)", v)
	}
	q9d := rep.Table("Q9d")
	// Household 1: event (d) falls after assessment (c), within 90 days
	// of the end: excluded (rule y); (b), an RRH referral, is reported.
	// Household 2: the event of the assessment's project, Housing
	// Navigation, wins over the later PSH referral of another project.
	if v := q9d.Cell(8, 0).Value; v != 1 {
		t.Errorf("RRH referrals %v, want 1 (event b)", v)
	}
	if v := q9d.Cell(2, 0).Value; v != 1 {
		t.Errorf("Housing Navigation referrals %v, want 1", v)
	}
	if v := q9d.Cell(9, 0).Value; v != 0 {
		t.Errorf("PSH referrals %v, want 0", v)
	}
	if v := q9d.Cell(16, 0).Value; v != 0 {
		t.Errorf("successful referrals %v, want 0 (event d is not reported)", v)
	}
	if v := q9d.Cell(19, 0).Value; v != 1 {
		t.Errorf("residential referrals without a result %v, want 1", v)
	}
	if v := q9d.Cell(15, 0).Value; v != 1 {
		t.Errorf("prioritized households referred %v, want 1 (100%%)", v)
	}
	// Q10 counts every record in the range: one housing assessment per
	// household assessed in the CoC (c falls after the end), and each
	// event of the CoC dated in the range.
	q10 := rep.Table("Q10")
	if v := q10.Cell(1, 0).Value; v != 2 {
		t.Errorf("Q10 housing needs assessments %v, want 2", v)
	}
	if v := q10.Cell(14, 0).Value; v != 1 {
		t.Errorf("Q10 RRH referrals %v, want 1 (b; d is after the end; the other CoC's is out)", v)
	}
	if len(rep.Tables) != 10 {
		t.Errorf("%d tables, want 10", len(rep.Tables))
	}
}

func TestRun_BadInput(t *testing.T) {
	ds := eventDataset()
	for _, p := range []report.Params{
		{Start: hmis.MustDate("2022-10-01"), End: hmis.MustDate("2021-10-01"), CoC: "XX-501"},
		{Start: hmis.MustDate("2021-10-01"), End: hmis.MustDate("2022-09-30")},
		{End: hmis.MustDate("2022-09-30"), CoC: "XX-501"},
	} {
		if _, err := Run(ds, p); err == nil {
			t.Errorf("%+v: no error", p)
		}
	}
	// A period with no assessment: a report of zeros.
	rep, err := Run(ds, report.Params{Start: hmis.MustDate("2010-01-01"), End: hmis.MustDate("2010-12-31"), CoC: "XX-501"})
	if err != nil {
		t.Fatal(err)
	}
	if v := rep.Table("Q5a").Cell(0, 1).Value; v != 0 || len(rep.Tables) != 10 {
		t.Errorf("empty period: %v persons, %d tables", v, len(rep.Tables))
	}
}
