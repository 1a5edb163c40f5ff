package store

import (
	"context"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// ReportProjects returns the live projects and their funders (2.02, 2.06):
// project descriptor data, no client data, for choosing the programs of a
// HUD report (every project, or those funded by a grant).
func (s *Store) ReportProjects(ctx context.Context) ([]hmis.Project, []hmis.Funder, error) {
	var projects []hmis.Project
	var funders []hmis.Funder
	err := s.read(ctx, func(tx *Tx) error {
		if err := exportTable[hmis.Project](tx, "", nil, func(rec any) error {
			projects = append(projects, *rec.(*hmis.Project))
			return nil
		}, func(_, _ string, _ int, err error) error { return err }); err != nil {
			return err
		}
		return exportTable[hmis.Funder](tx, ` AND EXISTS (SELECT 1 FROM projects p WHERE p.project_id = t.project_id AND p.date_deleted IS NULL)`, nil,
			func(rec any) error {
				funders = append(funders, *rec.(*hmis.Funder))
				return nil
			}, func(_, _ string, _ int, err error) error { return err })
	})
	return projects, funders, err
}
