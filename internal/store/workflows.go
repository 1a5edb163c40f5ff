package store

import (
	"context"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/workflow"
)

// This file is the store side of the guided workflows (issue 5): the
// program a workflow is derived for, paused workflows (workflow_drafts,
// migration 0013) and completing a workflow, which writes its HUD records
// in one transaction.

// WorkflowProject returns the program projectID as the workflow package
// needs it: its type and the HUD funders (2.06.1) open on day (zero: today).
func (s *Store) WorkflowProject(ctx context.Context, projectID string, day hmis.Date) (workflow.Project, hmis.Project, error) {
	var wp workflow.Project
	var p hmis.Project
	err := s.read(ctx, func(tx *Tx) error {
		if day.IsZero() {
			day = txToday(tx)
		}
		var err error
		if p, err = tx.workflowProject(projectID); err != nil {
			return err
		}
		funders, err := findRecords(tx, tableOf[hmis.Funder](), RecordFilter{ProjectID: projectID})
		if err != nil {
			return err
		}
		wp, err = workflow.ProjectOf(p, funders, day)
		return err
	})
	return wp, p, err
}

func (tx *Tx) workflowProject(projectID string) (hmis.Project, error) {
	p, err := findRecord(tx, tableOf[hmis.Project](), projectID)
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		return p, notFound("Program")
	}
	return p, err
}

// DeriveWorkflow returns the workflow of program projectID at stage, from
// its type and the funders open on day (zero: today).
func DeriveWorkflow(ctx context.Context, s *Store, projectID string, stage workflow.Stage, day hmis.Date) (workflow.Definition, error) {
	wp, _, err := s.WorkflowProject(ctx, projectID, day)
	if err != nil {
		return workflow.Definition{}, err
	}
	return workflow.Derive(wp, stage)
}
