package store_test

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// TestStore_DashboardCounts_FollowAccess: counts say nothing about records
// the actor may not see.
func TestStore_DashboardCounts_FollowAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sys := storetest.Context(t)
		orgA := storetest.MustOrganization(t, s, "Agency A")
		orgB := storetest.MustOrganization(t, s, "Agency B")
		pt := hud.ProjectType(0)
		p := hmis.Project{ProjectID: "P1", OrganizationID: orgA, ProjectName: "Shelter", ProjectType: &pt}
		c := hmis.Client{PersonalID: "C1", FirstName: "Ana", LastName: "Diaz"}
		hoh := hud.RelationshipToHoH(1)
		e := hmis.Enrollment{EnrollmentID: "E1", PersonalID: "C1", ProjectID: "P1", HouseholdID: "H1",
			EntryDate: hmis.MustDate("2025-01-02"), RelationshipToHoH: &hoh}
		rt := hud.RecordType(144)
		sv := hmis.Service{ServicesID: "S1", EnrollmentID: "E1", PersonalID: "C1", DateProvided: hmis.MustDate("2025-01-03"), RecordType: &rt}
		for _, err := range []error{store.CreateRecord(sys, s, &p), store.CreateRecord(sys, s, &c),
			store.CreateRecord(sys, s, &e), store.CreateRecord(sys, s, &sv)} {
			if err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.AssignClientOrganizations(sys); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			ctx  any
			want int
		}{
			{"system", sys, 1},
			{"owner's case manager", hmis.Actor{Username: "a", OrganizationID: orgA, Role: hmis.RoleCaseManager, Via: "test"}, 1},
			{"other organization's case manager", hmis.Actor{Username: "b", OrganizationID: orgB, Role: hmis.RoleCaseManager, Via: "test"}, 0},
		} {
			ctx := sys
			if a, ok := tc.ctx.(hmis.Actor); ok {
				ctx = hmis.NewContext(t.Context(), a)
			}
			got, err := s.DashboardCounts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got.Clients != tc.want || got.Enrollments != tc.want || got.Households != tc.want ||
				got.ActiveEnrollments != tc.want || got.Services != tc.want || got.Projects != 1 || got.Organizations != 2 {
				t.Errorf("%s: counts %+v, want %d of each client record", tc.name, got, tc.want)
			}
		}
	})
}
