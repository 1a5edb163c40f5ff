package store_test

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func TestStore_ReportProjects(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		recs := append(sourceRecords(),
			&hmis.Funder{FunderID: "f1", ProjectID: "p1", GrantID: "G-1", StartDate: hmis.MustDate("2020-01-01"), DateCreated: t0, DateUpdated: t0, UserID: "u1"},
			&hmis.Funder{FunderID: "f2", ProjectID: "p2", GrantID: "G-2", StartDate: hmis.MustDate("2020-01-01"), DateCreated: t0, DateUpdated: t0, UserID: "u1"})
		if _, err := importRecords(ctx, s, store.ImportOptions{}, store.ImportOutcome{}, recs); err != nil {
			t.Fatal(err)
		}
		// A soft-deleted project, and its funder, stay out.
		if err := store.DeleteRecord[hmis.Project](ctx, s, "p2"); err != nil {
			t.Fatal(err)
		}
		projects, funders, err := s.ReportProjects(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(projects) != 1 || projects[0].ProjectID != "p1" {
			t.Errorf("projects %+v, want p1", projects)
		}
		if len(funders) != 1 || funders[0].GrantID != "G-1" {
			t.Errorf("funders %+v, want G-1", funders)
		}
	})
}
