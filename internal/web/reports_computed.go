package web

import (
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/reportrun"
)

// computedRun is what a results page and its drill-downs need of a run,
// kept in memory: the report, its charts, and the names, programs and
// dates of the clients and enrollments its cells refer to — not the
// whole dataset the run loaded (which, for a large CoC, is far bigger).
type computedRun struct {
	Report        *report.Report
	Load, Compute time.Duration
	Charts        []chart
	names         map[string]string    // PersonalID -> display name
	enrollments   map[string]stayFacts // EnrollmentID -> program and dates
}

type stayFacts struct {
	Program     string
	Entry, Exit hmis.Date
}

// newComputedRun keeps what the pages need of res.
func newComputedRun(res *reportrun.Result) *computedRun {
	c := &computedRun{Report: res.Report, Load: res.Load, Compute: res.Compute, Charts: reportCharts(res),
		names: map[string]string{}, enrollments: map[string]stayFacts{}}
	people, stays := map[string]bool{}, map[string]bool{}
	for _, t := range res.Report.Tables {
		for _, row := range t.Rows {
			for _, cell := range row.Cells {
				for _, ref := range cell.Refs {
					people[ref.PersonalID] = true
					stays[ref.EnrollmentID] = true
				}
			}
		}
	}
	ds := res.Dataset
	for i := range ds.Clients {
		if cl := &ds.Clients[i]; people[cl.PersonalID] {
			c.names[cl.PersonalID] = clientDisplayName(cl)
		}
	}
	programs := map[string]string{}
	for _, pr := range ds.Projects {
		programs[pr.ProjectID] = pr.ProjectName
	}
	for _, e := range ds.Enrollments {
		if stays[e.EnrollmentID] {
			c.enrollments[e.EnrollmentID] = stayFacts{Program: programs[e.ProjectID], Entry: e.EntryDate}
		}
	}
	for _, x := range ds.Exits {
		if f, ok := c.enrollments[x.EnrollmentID]; ok {
			f.Exit = x.ExitDate
			c.enrollments[x.EnrollmentID] = f
		}
	}
	return c
}
