package store_test

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func TestStore_CreateClient(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sys := storetest.Context(t)
		org1 := storetest.MustOrganization(t, s, "Hope Shelter")
		org2 := storetest.MustOrganization(t, s, "Safe Harbor")
		cm1 := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "a1", UserID: "u1", Username: "casey",
			Role: hmis.RoleCaseManager, OrganizationID: org1, Via: "test"})
		cm2 := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "a2", UserID: "u2", Username: "olive",
			Role: hmis.RoleCaseManager, OrganizationID: org2, Via: "test"})
		ro := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "a3", Username: "reader",
			Role: hmis.RoleReadOnly, OrganizationID: org1, Via: "test"})

		c := hmis.Client{FirstName: "John", LastName: "Lennon", SSN: "123-45-6789", DOB: hmis.MustDate("1940-10-09"),
			NameDataQuality: new(hud.NameDataQuality(1)), SSNDataQuality: new(hud.SSNDataQuality(1)),
			DOBDataQuality: new(hud.DOBDataQuality(1)), White: new(hud.NoYes(1)), VeteranStatus: new(hud.NoYesReasonsForMissingData(0))}

		bad := c
		bad.SSN = "666-45-6789"
		if _, err := s.CreateClient(cm1, bad); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Fatalf("invalid SSN: %v", err)
		}
		if _, err := s.CreateClient(ro, c); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Fatalf("read-only: %v", err)
		}
		got, err := s.CreateClientDespite(cm1, c, 2)
		if err != nil {
			t.Fatal(err)
		}
		if got.PersonalID == "" || got.UserID != "u1" || got.SSN != "123456789" {
			t.Errorf("created %+v", got)
		}
		d, err := s.FindClientByID(cm1, got.PersonalID)
		if err != nil {
			t.Fatal(err)
		}
		if d.OrganizationID != org1 || d.OrganizationName != "Hope Shelter" || d.Restriction != store.RestrictionOrganization || d.LastName != "Lennon" {
			t.Errorf("found %+v", d)
		}
		es, err := s.FindAudit(sys, store.AuditFilter{Entity: "client", EntityID: got.PersonalID, Action: "create"})
		if err != nil || len(es) != 1 || es[0].Detail != "new person despite 2 possible duplicates" {
			t.Errorf("audit %+v %v", es, err)
		}

		// Another organization: not found, as a missing client.
		for _, id := range []string{got.PersonalID, "missing"} {
			if _, err := s.FindClientByID(cm2, id); hmis.ErrorCode(err) != hmis.ENOTFOUND {
				t.Errorf("%s from another org: %v", id, err)
			}
			if _, err := s.FindClientEnrollments(cm2, id); hmis.ErrorCode(err) != hmis.ENOTFOUND {
				t.Errorf("%s enrollments from another org: %v", id, err)
			}
		}

		// Enrollments and services, newest first, with names.
		pt := hud.ProjectType(1)
		p := hmis.Project{ProjectID: "P1", OrganizationID: org1, ProjectName: "Hope ES", ProjectType: &pt,
			OperatingStartDate: hmis.MustDate("2020-01-01")}
		mustStore(t, store.CreateRecord(sys, s, &p))
		hoh := hud.RelationshipToHoH(1)
		for i, d := range []string{"2023-01-01", "2024-05-01"} {
			e := hmis.Enrollment{EnrollmentID: "E" + d, PersonalID: got.PersonalID, ProjectID: "P1", EntryDate: hmis.MustDate(d),
				HouseholdID: "H" + d, RelationshipToHoH: &hoh}
			mustStore(t, store.CreateRecord(sys, s, &e))
			rt := hud.RecordType(144)
			v := hmis.Service{ServicesID: "S" + d, EnrollmentID: e.EnrollmentID, PersonalID: got.PersonalID,
				DateProvided: hmis.MustDate(d).AddDays(i + 1), RecordType: &rt, TypeProvided: new(1)}
			mustStore(t, store.CreateRecord(sys, s, &v))
		}
		x := hmis.Exit{ExitID: "X1", EnrollmentID: "E2023-01-01", PersonalID: got.PersonalID, ExitDate: hmis.MustDate("2023-02-01")}
		mustStore(t, store.CreateRecord(sys, s, &x))
		es2, err := s.FindClientEnrollments(cm1, got.PersonalID)
		if err != nil {
			t.Fatal(err)
		}
		if len(es2) != 2 || es2[0].EnrollmentID != "E2024-05-01" || !es2[0].ExitDate.IsZero() ||
			es2[1].ExitDate.String() != "2023-02-01" || es2[0].CaseName != "Lennon, John" || es2[0].Members != 1 ||
			es2[0].ProjectName != "Hope ES" || es2[0].OrganizationName != "Hope Shelter" {
			t.Errorf("enrollments %+v", es2)
		}
		vs, err := s.FindClientServices(cm1, got.PersonalID)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 2 || vs[0].DateProvided.String() != "2024-05-03" || vs[0].OrganizationName != "Hope Shelter" {
			t.Errorf("services %+v", vs)
		}

		// Recent clients: this account's reads, visibility re-checked.
		mustStore(t, s.Audit(cm1, "read", "client", got.PersonalID, ""))
		rc, err := s.RecentClients(cm1, 5)
		if err != nil || len(rc) != 1 || rc[0].PersonalID != got.PersonalID {
			t.Errorf("recent %+v %v", rc, err)
		}
		mustStore(t, s.Audit(cm2, "read", "client", got.PersonalID, ""))
		if rc, err := s.RecentClients(cm2, 5); err != nil || len(rc) != 0 {
			t.Errorf("recent for another org %+v %v", rc, err)
		}
	})
}

func mustStore(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
