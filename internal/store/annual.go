package store

import (
	"context"
	"sort"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Annual assessments (issue 5 point 5; HUD Data Standards, data
// collection stage 5 "annual assessment"): an enrollment open for a year
// or more needs one within 30 days before or after each anniversary of
// its head of household's project start. This file lists the enrollments
// whose latest anniversary window has begun (due) or passed (overdue)
// without an annual assessment record (any of the stage records:
// IncomeBenefits, HealthAndDV, Disabilities, EmploymentEducation,
// YouthEducationStatus with DataCollectionStage 5 dated in the window).

// AnnualWindowDays is how far from the anniversary an annual assessment
// may be dated.
const AnnualWindowDays = 30

// hohStart is the project start of the household's head (3.15 code 1)
// for an enrollment aliased e, or its own when the household has none.
const hohStart = `COALESCE((SELECT MIN(h.entry_date) FROM enrollments h WHERE h.household_id = e.household_id
	AND h.relationship_to_ho_h = 1 AND h.date_deleted IS NULL), e.entry_date)`

// AnnualDue is an enrollment whose annual assessment is due or overdue.
type AnnualDue struct {
	PersonalID, FirstName, LastName string
	EnrollmentID, ProjectName       string
	Anniversary                     hmis.Date // of the head of household's start
	WindowStart, WindowEnd          hmis.Date
	Overdue                         bool
}

// AnnualWindow returns the latest anniversary of start whose window has
// begun on today, with the window; ok is false before the first one.
func AnnualWindow(start, today hmis.Date) (anniversary, from, to hmis.Date, ok bool) {
	if start.IsZero() {
		return
	}
	for k := 1; ; k++ {
		a := start.AddDate(k, 0, 0)
		if a.AddDays(-AnnualWindowDays).After(today) {
			break
		}
		anniversary, ok = a, true
	}
	return anniversary, anniversary.AddDays(-AnnualWindowDays), anniversary.AddDays(AnnualWindowDays), ok
}

// AnnualAssessmentsDue returns the open enrollments the actor may see
// whose annual assessment is due or overdue today: one client's
// (personalID), or, with personalID "", those of the programs of the
// actor's organization (none for an actor without one), overdue first,
// at most limit. At most the 1,000 oldest open enrollments are checked.
func (s *Store) AnnualAssessmentsDue(ctx context.Context, personalID string, limit int) ([]AnnualDue, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return nil, errNoActor
	}
	var out []AnnualDue
	err := s.read(ctx, func(tx *Tx) error {
		today := txToday(tx)
		cond, args := `NOT EXISTS (SELECT 1 FROM exits x WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL)
			AND `+hohStart+` <= ?`, []any{today.AddDate(-1, 0, AnnualWindowDays)}
		if personalID != "" {
			if _, err := tx.visibleClient(personalID); err != nil {
				return err
			}
			cond, args = cond+` AND e.personal_id = ?`, append(args, personalID)
		} else if actor.OrganizationID != "" {
			cond, args = cond+` AND EXISTS (SELECT 1 FROM projects p WHERE p.project_id = e.project_id AND p.organization_id = ?)`,
				append(args, actor.OrganizationID)
		} else {
			return nil // no organization, no programs of one's own: nothing to list
		}
		q, qargs := visibleEnrollments(tx, `e.enrollment_id, e.personal_id, c.first_name, c.last_name,
			(SELECT p.project_name FROM projects p WHERE p.project_id = e.project_id), `+hohStart, cond, args)
		rows, err := tx.query(q+` ORDER BY e.entry_date, e.enrollment_id LIMIT 1000`, qargs...)
		if err != nil {
			return err
		}
		var cands []AnnualDue
		for rows.Next() {
			var d AnnualDue
			var start hmis.Date
			if err := rows.Scan(&d.EnrollmentID, &d.PersonalID, scanString(&d.FirstName), scanString(&d.LastName),
				scanString(&d.ProjectName), &start); err != nil {
				rows.Close()
				return err
			}
			var ok bool
			if d.Anniversary, d.WindowStart, d.WindowEnd, ok = AnnualWindow(start, today); ok {
				d.Overdue = today.After(d.WindowEnd)
				cands = append(cands, d)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		ids := make([]string, len(cands))
		for i, d := range cands {
			ids[i] = d.EnrollmentID
		}
		dates, err := tx.annualDates(ids)
		if err != nil {
			return err
		}
		for _, d := range cands {
			done := false
			for _, day := range dates[d.EnrollmentID] {
				done = done || (!day.Before(d.WindowStart) && !day.After(d.WindowEnd))
			}
			if !done {
				out = append(out, d)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Overdue first, then by anniversary.
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Overdue != out[j].Overdue {
			return out[i].Overdue
		}
		return out[i].Anniversary.Before(out[j].Anniversary)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// annualDates returns the information dates of the annual assessment
// records (stage 5) of the enrollments, by enrollment.
func (tx *Tx) annualDates(ids []string) (map[string][]hmis.Date, error) {
	out := map[string][]hmis.Date{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		for _, ht := range hudAssessmentTables {
			rows, err := tx.query(`SELECT enrollment_id, information_date FROM `+ht.table+`
				WHERE enrollment_id IN (`+placeholders(len(chunk))+`) AND data_collection_stage = 5 AND date_deleted IS NULL`, args...)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var id string
				var d hmis.Date
				if err := rows.Scan(&id, &d); err != nil {
					rows.Close()
					return nil, err
				}
				out[id] = append(out[id], d)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
