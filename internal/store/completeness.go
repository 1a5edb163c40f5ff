package store

import (
	"context"
	"fmt"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Data completeness (issue 5 point 8): hmis.Completeness over the
// enrollments the actor may see, for one client (each of their
// enrollments) or one program (its enrollments active since a date).

// EnrollmentQuality is one enrollment with its findings.
type EnrollmentQuality struct {
	EnrollmentID string
	PersonalID   string
	ProjectID    string
	ProjectName  string
	FirstName    string
	LastName     string
	EntryDate    hmis.Date
	ExitDate     hmis.Date
	Findings     []hmis.DQFinding
}

// MaxQualityEnrollments bounds one program's data-quality page.
const MaxQualityEnrollments = 1000

// enrollmentQuality checks the enrollments the query (ids of
// enrollments, alias e, already limited to what the actor may see) selects.
func (tx *Tx) enrollmentQuality(q string, args []any) ([]EnrollmentQuality, error) {
	rows, err := tx.query(q, args...)
	if err != nil {
		return nil, err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]EnrollmentQuality, 0, len(ids))
	names := map[string]string{}
	for _, id := range ids {
		e, err := findRecord(tx, enrollmentTable, id)
		if err != nil {
			return nil, err
		}
		d := hmis.EnrollmentData{Enrollment: e}
		if d.Client, err = findRecord(tx, clientTable, e.PersonalID); err != nil {
			return nil, err
		}
		exits, err := findRecords(tx, exitTable, RecordFilter{EnrollmentID: id})
		if err != nil {
			return nil, err
		}
		if len(exits) > 0 {
			d.Exit = &exits[0]
		}
		if d.Income, err = findRecords(tx, incomeBenefitsTable, RecordFilter{EnrollmentID: id}); err != nil {
			return nil, err
		}
		q := EnrollmentQuality{EnrollmentID: id, PersonalID: e.PersonalID, ProjectID: e.ProjectID, FirstName: d.Client.FirstName,
			LastName: d.Client.LastName, EntryDate: e.EntryDate, Findings: hmis.Completeness(d)}
		if d.Exit != nil {
			q.ExitDate = d.Exit.ExitDate
		}
		name, ok := names[e.ProjectID]
		if !ok {
			if p, err := findRecord(tx, projectTable, e.ProjectID); err == nil {
				name = p.ProjectName
			}
			names[e.ProjectID] = name
		}
		q.ProjectName = name
		out = append(out, q)
	}
	return out, nil
}

// visibleEnrollments starts a query for cols of enrollments (alias e,
// client alias c) the actor may see: the client's whole record and the
// enrollment's restriction.
func visibleEnrollments(tx *Tx, cols, cond string, args []any) (string, []any) {
	q := `SELECT ` + cols + ` FROM enrollments e JOIN clients c ON c.personal_id = e.personal_id AND c.date_deleted IS NULL
		WHERE e.date_deleted IS NULL AND ` + cond
	if vis, vargs := enrollmentVisibility(tx, "c", "e"); vis != "" {
		q += ` AND ` + vis
		args = append(args, vargs...)
	}
	return q, args
}

// ClientCompleteness returns the completeness of each of a client's
// enrollments the actor may see, newest first. Audited ("read").
func (s *Store) ClientCompleteness(ctx context.Context, personalID string) ([]EnrollmentQuality, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	var out []EnrollmentQuality
	err := s.read(ctx, func(tx *Tx) error {
		if _, err := tx.visibleClient(personalID); err != nil {
			return err
		}
		q, args := visibleEnrollments(tx, `e.enrollment_id`, `e.personal_id = ?`, []any{personalID})
		var err error
		out, err = tx.enrollmentQuality(q+` ORDER BY e.entry_date DESC, e.enrollment_id`, args)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.Audit(ctx, "read", "client", personalID, fmt.Sprintf("data completeness: %d enrollments", len(out)))
}

// ProgramDataQuality returns the completeness of a program's enrollments
// the actor may see that were active on or after since (not exited
// before it), by client name, at most MaxQualityEnrollments. Audited
// ("read", "project").
func (s *Store) ProgramDataQuality(ctx context.Context, projectID string, since hmis.Date) ([]EnrollmentQuality, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	var out []EnrollmentQuality
	err := s.read(ctx, func(tx *Tx) error {
		q, args := visibleEnrollments(tx, `e.enrollment_id`, `e.project_id = ? AND NOT EXISTS (SELECT 1 FROM exits x
			WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL AND x.exit_date < ?)`, []any{projectID, since})
		var err error
		out, err = tx.enrollmentQuality(q+fmt.Sprintf(` ORDER BY c.last_name, c.first_name, e.entry_date DESC LIMIT %d`, MaxQualityEnrollments), args)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.Audit(ctx, "read", "project", projectID, fmt.Sprintf("data quality since %s: %d enrollments", since, len(out)))
}

// FindingsCount counts findings by kind.
func FindingsCount(qs []EnrollmentQuality) map[string]int {
	n := map[string]int{}
	for _, q := range qs {
		for _, f := range q.Findings {
			n[f.Kind]++
		}
	}
	return n
}
