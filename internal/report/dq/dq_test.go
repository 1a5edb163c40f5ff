package dq

import (
	"archive/zip"
	"bytes"
	"slices"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/report/apr"
)

func p[T any](v T) *T { return &v }

// outreachDataset is a Street Outreach program with an engaged client
// ("1") and one never engaged ("2"), and a shelter client ("3") without a
// date of birth.
func outreachDataset() *hmis.Dataset {
	d := hmis.MustDate
	ds := &hmis.Dataset{
		Organizations: []hmis.Organization{{OrganizationID: "O", OrganizationName: "Org", VictimServiceProvider: p(hud.NoYes(0))}},
		Projects: []hmis.Project{
			{ProjectID: "SO", OrganizationID: "O", ProjectName: "Outreach", ProjectType: p(hud.ProjectTypeStreetOutreach)},
			{ProjectID: "ES", OrganizationID: "O", ProjectName: "Shelter", ProjectType: p(hud.ProjectTypeEmergencyShelterEntryExit)},
		},
		ProjectCoCs: []hmis.ProjectCoC{{ProjectCoCID: "PC1", ProjectID: "SO", CoCCode: "XX-501"}, {ProjectCoCID: "PC2", ProjectID: "ES", CoCCode: "XX-501"}},
	}
	for _, c := range []struct{ id, dob string }{{"1", "1980-01-01"}, {"2", "1985-01-01"}, {"3", ""}} {
		cl := hmis.Client{PersonalID: c.id, FirstName: "A", LastName: "B", NameDataQuality: p(hud.NameDataQuality(1)),
			SSNDataQuality: p(hud.SSNDataQuality(99)), DOBDataQuality: p(hud.DOBDataQuality(1)),
			VeteranStatus: p(hud.NoYesReasonsForMissingData(0))}
		if c.dob != "" {
			cl.DOB = d(c.dob)
		} else {
			cl.DOBDataQuality = p(hud.DOBDataQuality(99))
		}
		ds.Clients = append(ds.Clients, cl)
	}
	enr := func(id, pid, proj, entry string) hmis.Enrollment {
		return hmis.Enrollment{EnrollmentID: id, PersonalID: pid, ProjectID: proj, HouseholdID: "H" + id,
			RelationshipToHoH: p(hud.RelationshipToHoH(1)), EntryDate: d(entry), EnrollmentCoC: "XX-501",
			DisablingCondition: p(hud.NoYesReasonsForMissingData(0)), LivingSituation: p(hud.LivingSituation(116))}
	}
	e1 := enr("E1", "1", "SO", "2025-11-01")
	e1.DateOfEngagement = d("2025-11-15")
	ds.Enrollments = []hmis.Enrollment{e1, enr("E2", "2", "SO", "2025-11-01"), enr("E3", "3", "ES", "2025-12-01")}
	for _, e := range ds.Enrollments[:2] {
		ds.CurrentLivingSituations = append(ds.CurrentLivingSituations, hmis.CurrentLivingSituation{
			CurrentLivingSitID: "CLS" + e.EnrollmentID, EnrollmentID: e.EnrollmentID, PersonalID: e.PersonalID,
			InformationDate: d("2025-12-01"), CurrentLivingSituation: p(hud.LivingSituation(116))})
	}
	return ds
}

func TestRun_DQUniverse(t *testing.T) {
	ds := outreachDataset()
	params := report.Params{ProjectIDs: []string{"SO", "ES"}, Start: hmis.MustDate("2025-10-01"), End: hmis.MustDate("2026-09-30"), CoC: "XX-501"}
	rep, err := Run(ds, params)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tb := range rep.Tables {
		ids = append(ids, tb.ID)
	}
	if !slices.Equal(ids, []string{"Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7"}) {
		t.Fatalf("tables = %v, want Q1..Q7", ids)
	}
	// Q1 column B (the DQ universe) counts the engaged outreach client and
	// the shelter client, not the client never engaged; column C (every
	// active client) all three.
	aprRep, err := apr.Run(ds, apr.APR, params)
	if err != nil {
		t.Fatal(err)
	}
	if got, all := rep.Table("Q1").Cell(0, 0).Value, rep.Table("Q1").Cell(0, 1).Value; got != 2 || all != 3 {
		t.Fatalf("persons served: DQ universe %v, all active %v; want 2 and 3", got, all)
	}
	var refs []string
	for _, r := range rep.Table("Q1").Cell(0, 0).Refs {
		refs = append(refs, r.PersonalID)
	}
	slices.Sort(refs)
	if !slices.Equal(refs, []string{"1", "3"}) {
		t.Fatalf("Q1 persons = %v, want 1 and 3", refs)
	}
	// Q1–Q7 are the APR's Q5a and Q6a–f.
	for i, q := range Tables {
		got, want := rep.Tables[i], aprRep.Table(q.APR)
		var a, b bytes.Buffer
		if err := got.WriteCSV(&a); err != nil {
			t.Fatal(err)
		}
		if err := want.WriteCSV(&b); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("%s differs from APR %s:\n%s\nwant\n%s", q.ID, q.APR, a.String(), b.String())
		}
	}
	// The missing date of birth is a data issue in Q2 (the PII table),
	// row "DOB".
	q2 := rep.Table("Q2")
	found := false
	for _, row := range q2.Rows {
		if row.Label == "DOB" {
			for _, c := range row.Cells {
				for _, r := range c.Refs {
					found = found || r.PersonalID == "3"
				}
			}
		}
	}
	if !found {
		t.Errorf("Q2 does not count client 3's missing date of birth")
	}

	var zb bytes.Buffer
	if err := rep.WriteSageZip(&zb); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(zb.Bytes()), int64(zb.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if !slices.Equal(names, []string{"Q1.csv", "Q2.csv", "Q3.csv", "Q4.csv", "Q5.csv", "Q6.csv", "Q7.csv"}) {
		t.Fatalf("zip = %v", names)
	}
}

func TestRun_BadInput(t *testing.T) {
	ds := outreachDataset()
	if _, err := Run(ds, report.Params{ProjectIDs: []string{"SO"}, Start: hmis.MustDate("2026-01-01"), End: hmis.MustDate("2025-01-01")}); err == nil {
		t.Fatal("start after end: no error")
	}
	if _, err := Run(ds, report.Params{Start: hmis.MustDate("2025-01-01"), End: hmis.MustDate("2026-01-01")}); err == nil {
		t.Fatal("no programs: no error")
	}
	// A period with no clients is a report of zeros.
	rep, err := Run(ds, report.Params{ProjectIDs: []string{"SO", "ES"}, Start: hmis.MustDate("2020-01-01"), End: hmis.MustDate("2020-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	if v := rep.Table("Q1").Cell(0, 0).Value; v != 0 {
		t.Fatalf("empty period: %v persons", v)
	}
}
