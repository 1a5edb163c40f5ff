package store

import (
	"context"
	"fmt"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// This file is the nightly roster of night-by-night shelters (issue 8):
// everyone enrolled in the program on a night, and one save that records
// HUD bed-night services (Services RecordType 200, TypeProvided 200, list
// 4.14) for those present. HUD's rule: a bed night falls inside the
// enrollment, from the entry date up to the night before the exit date
// (the exit date is the day after the last bed night).

// RosterRow is one enrollment on a night's roster.
type RosterRow struct {
	EnrollmentID string
	PersonalID   string
	FirstName    string
	LastName     string
	EntryDate    hmis.Date
	ExitDate     hmis.Date
	Present      bool // a bed night is recorded for the night
}

// NightShelters returns the live night-by-night shelter programs (project
// type 1) by name.
func (s *Store) NightShelters(ctx context.Context) ([]HousingProgram, error) {
	all, err := s.HousingPrograms(ctx)
	var out []HousingProgram
	for _, p := range all {
		if p.ProjectType != nil && *p.ProjectType == hud.ProjectTypeEmergencyShelterNightByNight {
			out = append(out, p)
		}
	}
	return out, err
}

// rosterSelect reads the program's enrollments open on a night that the
// actor may see (enrollmentVisibility), with the night's bed night.
func (tx *Tx) roster(projectID string, night hmis.Date, enrollmentIDs []string) ([]RosterRow, error) {
	q := `SELECT e.enrollment_id, e.personal_id, c.first_name, c.last_name, e.entry_date,
			(SELECT MIN(x.exit_date) FROM exits x WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL),
			(SELECT COUNT(*) FROM services v WHERE v.enrollment_id = e.enrollment_id AND v.date_deleted IS NULL
				AND v.record_type = 200 AND v.type_provided = 200 AND v.date_provided = ?)
		FROM enrollments e JOIN clients c ON c.personal_id = e.personal_id AND c.date_deleted IS NULL
		WHERE e.project_id = ? AND e.date_deleted IS NULL`
	args := []any{nullDate(night), projectID}
	if len(enrollmentIDs) > 0 {
		// The rows of a save, wherever their dates fall (checked below).
		q += ` AND e.enrollment_id IN (?` + repeat(", ?", len(enrollmentIDs)-1) + `)`
		for _, id := range enrollmentIDs {
			args = append(args, id)
		}
	} else {
		q += ` AND e.entry_date <= ? AND NOT EXISTS (SELECT 1 FROM exits x WHERE x.enrollment_id = e.enrollment_id
			AND x.date_deleted IS NULL AND x.exit_date <= ?)`
		args = append(args, nullDate(night), nullDate(night))
	}
	if vis, vargs := enrollmentVisibility(tx, "c", "e"); vis != "" {
		q, args = q+` AND `+vis, append(args, vargs...)
	}
	rows, err := tx.query(q+` ORDER BY c.last_name, c.first_name, e.enrollment_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RosterRow
	for rows.Next() {
		var r RosterRow
		var n int
		if err := rows.Scan(&r.EnrollmentID, &r.PersonalID, scanString(&r.FirstName), scanString(&r.LastName), &r.EntryDate,
			&r.ExitDate, &n); err != nil {
			return nil, err
		}
		r.Present = n > 0
		out = append(out, r)
	}
	return out, rows.Err()
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

// Roster returns everyone enrolled in a night-by-night shelter on night
// whom the actor may see, by name, each with whether a bed night is
// recorded. Audited ("read", "roster", with how many clients).
func (s *Store) Roster(ctx context.Context, projectID string, night hmis.Date) ([]RosterRow, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	if night.IsZero() {
		return nil, &hmis.Error{Code: hmis.EINVALID, Message: "Choose the night.", Fields: map[string]string{"night": "Choose the night."}}
	}
	var out []RosterRow
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.roster(projectID, night, nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.Audit(ctx, "read", "roster", projectID, fmt.Sprintf("night %s: %d clients", night, len(out)))
}

// RosterRowsByID returns the given enrollments of the program whom the
// actor may see, whatever their dates (to show a refused save's rows).
// Audited like Roster.
func (s *Store) RosterRowsByID(ctx context.Context, projectID string, night hmis.Date, ids []string) ([]RosterRow, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var out []RosterRow
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.roster(projectID, night, ids)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.Audit(ctx, "read", "roster", projectID, fmt.Sprintf("night %s: %d clients (refused save)", night, len(out)))
}

// InsideEnrollment reports whether night may carry a bed night of an
// enrollment from entry to exit (zero exit: still enrolled).
func InsideEnrollment(night, entry, exit hmis.Date) bool {
	return !entry.IsZero() && !night.Before(entry) && (exit.IsZero() || night.Before(exit))
}

// BedNightResult is what RecordBedNights changed.
type BedNightResult struct {
	Added, Removed int
}

// RecordBedNights saves a night's roster in one transaction: for each
// enrollment in rows, a bed night (Services 200/200 on night) when
// present[id], none otherwise (a bed night recorded earlier is removed).
// A row whose enrollment does not cover the night refuses the whole save:
// the error's Fields hold one message per such row, keyed by its
// EnrollmentID (no names: the page puts them next to the row). Rows the
// actor may not see are "not found"; the actor must be allowed to write.
// Each service is audited.
func (s *Store) RecordBedNights(ctx context.Context, projectID string, night hmis.Date, rows []string, present map[string]bool) (BedNightResult, error) {
	var res BedNightResult
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return res, errNoActor
	}
	if !actor.System && !actor.Role.CanWrite() {
		return res, &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Your role may not record bed nights."}
	}
	if night.IsZero() {
		return res, &hmis.Error{Code: hmis.EINVALID, Message: "Choose the night.", Fields: map[string]string{"night": "Choose the night."}}
	}
	if len(rows) == 0 {
		return res, &hmis.Error{Code: hmis.EINVALID, Message: "Nobody is on the roster for this night."}
	}
	err := s.write(ctx, func(tx *Tx) error {
		if night.After(txToday(tx)) {
			return &hmis.Error{Code: hmis.EINVALID, Message: "Bed nights cannot be recorded for a night in the future.",
				Fields: map[string]string{"night": "The night is in the future."}}
		}
		found, err := tx.roster(projectID, night, rows)
		if err != nil {
			return err
		}
		if len(found) != len(uniq(rows)) {
			return notFound("Enrollment")
		}
		fields := map[string]string{}
		for _, r := range found {
			if !InsideEnrollment(night, r.EntryDate, r.ExitDate) {
				msg := "The night of " + night.Format("01/02/2006") + " is outside this enrollment (entry " + r.EntryDate.Format("01/02/2006")
				if !r.ExitDate.IsZero() {
					msg += ", exit " + r.ExitDate.Format("01/02/2006")
				}
				fields[r.EnrollmentID] = msg + ")."
			}
		}
		if len(fields) > 0 {
			return &hmis.Error{Code: hmis.EINVALID, Message: fmt.Sprintf("The bed nights were not saved: %s outside the enrollment.",
				plural(len(fields), "row is", "rows are")), Fields: fields}
		}
		rt, tp := hud.RecordTypeBedNight, int(hud.BedNightBedNight)
		for _, r := range found {
			switch {
			case present[r.EnrollmentID] && !r.Present:
				sv := hmis.Service{EnrollmentID: r.EnrollmentID, PersonalID: r.PersonalID, DateProvided: night, RecordType: &rt, TypeProvided: &tp}
				if err := insertRecord(tx, serviceTable, &sv); err != nil {
					return err
				}
				if err := tx.audit("create", "service", sv.ServicesID, "bed night"); err != nil {
					return err
				}
				res.Added++
			case !present[r.EnrollmentID] && r.Present:
				ids, err := tx.bedNightIDs(r.EnrollmentID, night)
				if err != nil {
					return err
				}
				for _, id := range ids {
					if err := deleteRecord(tx, serviceTable, id); err != nil {
						return err
					}
					if err := tx.audit("delete", "service", id, "bed night"); err != nil {
						return err
					}
				}
				res.Removed++
			}
		}
		return nil
	})
	return res, err
}

func (tx *Tx) bedNightIDs(enrollmentID string, night hmis.Date) ([]string, error) {
	rows, err := tx.query(`SELECT services_id FROM services WHERE enrollment_id = ? AND date_deleted IS NULL
		AND record_type = 200 AND type_provided = 200 AND date_provided = ?`, enrollmentID, nullDate(night))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func uniq(ids []string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
