package store_test

import (
	"fmt"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func TestStore_Batch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		const n = 1000 // several full statements and every smaller size
		err := s.Batch(ctx, func(b *store.Batch) error {
			org := hmis.Organization{OrganizationID: "O1", OrganizationName: "Org", VictimServiceProvider: new(hud.NoYes)}
			if err := store.Add(b, &org); err != nil {
				return err
			}
			pt := hud.ProjectTypeEmergencyShelterEntryExit
			p := hmis.Project{ProjectID: "P1", OrganizationID: "O1", ProjectName: "Shelter", ProjectType: &pt,
				OperatingStartDate: hmis.MustDate("2020-01-01"), ContinuumProject: new(hud.NoYes)}
			if err := store.Add(b, &p); err != nil {
				return err
			}
			for i := range n + 3 {
				c := hmis.Client{PersonalID: fmt.Sprintf("C%04d", i), FirstName: fmt.Sprint("Client ", i)}
				if err := store.Add(b, &c); err != nil {
					return err
				}
				e := hmis.Enrollment{PersonalID: c.PersonalID, ProjectID: "P1", EntryDate: hmis.MustDate("2025-02-03"),
					HouseholdID: "H" + c.PersonalID, EnrollmentCoC: "CA-510"}
				if err := store.Add(b, &e); err != nil {
					return err
				}
				if e.EnrollmentID == "" || e.UserID == "" || e.DateCreated.IsZero() {
					t.Fatalf("Add did not fill in the enrollment: %+v", e)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Batch: %v", err)
		}
		cs, err := store.FindRecords[hmis.Client](ctx, s, store.RecordFilter{})
		if err != nil || len(cs) != n+3 {
			t.Fatalf("%d clients, %v; want %d", len(cs), err, n+3)
		}
		if cs[n+2].FirstName != fmt.Sprint("Client ", n+2) {
			t.Errorf("last client: %+v", cs[n+2])
		}
		ne, err := store.CountRecords[hmis.Enrollment](ctx, s, store.RecordFilter{ProjectID: "P1"})
		if err != nil || ne != n+3 {
			t.Errorf("%d enrollments, %v", ne, err)
		}
		audit, err := s.FindAudit(ctx, store.AuditFilter{Entity: "enrollment"})
		if err != nil || len(audit) != 1 || audit[0].Detail != fmt.Sprint(n+3, " records") {
			t.Errorf("audit: %+v, %v", audit, err)
		}
	})
}

func TestStore_BatchRollsBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		err := s.Batch(ctx, func(b *store.Batch) error {
			c := hmis.Client{PersonalID: "C1"}
			if err := store.Add(b, &c); err != nil {
				return err
			}
			// A child whose parent does not exist: the foreign key fails at
			// the flush, and nothing is kept.
			x := hmis.Exit{EnrollmentID: "missing", PersonalID: "C1", ExitDate: hmis.MustDate("2025-01-01")}
			return store.Add(b, &x)
		})
		if hmis.ErrorCode(err) != hmis.EINVALID {
			t.Fatalf("err = %v, want EINVALID", err)
		}
		if n, _ := store.CountRecords[hmis.Client](ctx, s, store.RecordFilter{}); n != 0 {
			t.Errorf("%d clients kept after a failed bulk", n)
		}
	})
}
