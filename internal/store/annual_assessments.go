package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// Annual assessments due (issue 5 item 5, shown by the calendar of issue
// 8). HUD (REFERENCE.md §3, collection points; Data Dictionary 5.03
// DataCollectionStage 5 "annual assessment"): an enrollment that lasts a
// year or more owes an annual assessment within 30 days either side of
// each anniversary of the head of household's project start (3.10), and
// every member of the household owes one (4.04 health insurance is asked
// of all clients; 4.02/4.03 of the head and adults).
//
// The rule as computed here:
//   - the start is the entry date of the household's head (3.15
//     RelationshipToHoH = 1, the latest when there are several); a
//     household without one uses the member's own entry date;
//   - anniversary N (N >= 1) is that date plus N calendar years (not 365-day
//     steps; 29 February becomes 28 February in other years); its window
//     runs from 30 days before to 30 days after;
//   - a member who entered after the anniversary owes none for it, and
//     an enrollment that exited on or before the window's last day owes
//     none (the exit assessment, stage 3, is taken instead);
//   - it is done when the enrollment has a record with
//     DataCollectionStage 5 dated (5.04 InformationDate) inside the
//     window in any of IncomeBenefits, HealthAndDV, EmploymentEducation,
//     Disabilities or YouthEducationStatus.

// AnnualWindowDays is HUD's ±30 days around the anniversary.
const AnnualWindowDays = 30

// Annual assessment status on the day asked.
const (
	AnnualUpcoming = "upcoming" // the window has not opened yet
	AnnualDue      = "due"      // today is inside the window
	AnnualOverdue  = "overdue"  // the window closed without one
)

// AnnualAssessment is one annual assessment owed and not yet recorded.
type AnnualAssessment struct {
	EnrollmentID        string
	PersonalID          string
	FirstName, LastName string
	ProjectID           string
	ProjectName         string
	HouseholdID         string
	HeadOfHousehold     bool
	HoHStart            hmis.Date // the date the anniversaries count from
	Year                int       // which anniversary (1 = first)
	Anniversary         hmis.Date
	WindowStart         hmis.Date // Anniversary - 30 days
	WindowEnd           hmis.Date // Anniversary + 30 days: the last day to record it
	Status              string    // AnnualUpcoming, AnnualDue or AnnualOverdue
}

// annualStageTables hold DataCollectionStage (5.03) records.
var annualStageTables = []string{"income_benefits", "health_and_dv", "employment_education", "disabilities", "youth_education_status"}

// anniversary is start plus n calendar years; 29 February falls on 28
// February in a year without one.
func anniversary(start hmis.Date, n int) hmis.Date {
	t := start.Time()
	y := t.Year() + n
	d := t.Day()
	if t.Month() == time.February && d == 29 && !(y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		d = 28
	}
	return hmis.NewDate(y, t.Month(), d)
}

// DueAnnualAssessments lists the annual assessments not yet recorded
// whose anniversary falls between from and to (inclusive), for the
// enrollments the actor may see (enrollmentVisibility), by anniversary. Each has its
// status on the store's today: upcoming, due or overdue. For "due and
// overdue now" ask from = today - 1 year - 30 days to today + 30 days.
// Audited as one read ("read", "annual_assessment").
func (s *Store) DueAnnualAssessments(ctx context.Context, from, to hmis.Date) ([]AnnualAssessment, error) {
	return s.DueAnnualAssessmentsFor(ctx, from, to, AnnualFilter{})
}

// AnnualFilter narrows DueAnnualAssessmentsFor.
type AnnualFilter struct {
	PersonalID string // one client's (who must be visible; ENOTFOUND otherwise)
	// OwnPrograms: the programs of the actor's organization only (a staff
	// calendar and the dashboard: an administrator of the lead agency
	// should not wait for every enrollment of the CoC).
	OwnPrograms bool
}

// DueAnnualAssessmentsFor is DueAnnualAssessments narrowed by f.
func (s *Store) DueAnnualAssessmentsFor(ctx context.Context, from, to hmis.Date, f AnnualFilter) ([]AnnualAssessment, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return nil, hmis.Errorf(hmis.EINVALID, "Give a date range: from on or before to.")
	}
	if from.AddDate(5, 0, 0).Before(to) {
		return nil, hmis.Errorf(hmis.EINVALID, "Ask for at most five years of annual assessments at once.")
	}
	var out []AnnualAssessment
	err := s.read(ctx, func(tx *Tx) error {
		if f.PersonalID != "" {
			if _, err := tx.visibleClient(f.PersonalID); err != nil {
				return err
			}
		}
		org := ""
		if f.OwnPrograms {
			if org = tx.actor.OrganizationID; org == "" {
				return nil // no organization, no programs of one's own
			}
		}
		var err error
		out, err = tx.dueAnnual(from, to, f.PersonalID, org)
		return err
	})
	if err != nil {
		return nil, err
	}
	clients := map[string]bool{}
	for _, a := range out {
		clients[a.PersonalID] = true
	}
	return out, s.Audit(ctx, "read", "annual_assessment", "",
		fmt.Sprintf("%d annual assessments due %s to %s, %d clients", len(out), from, to, len(clients)))
}

// ClientAnnualAssessments lists one client's annual assessments due or
// overdue today (the client's Assessments page), for a client the actor
// may see (ENOTFOUND otherwise). The rule is DueAnnualAssessments'.
// Audited on the client.
func (s *Store) ClientAnnualAssessments(ctx context.Context, personalID string) ([]AnnualAssessment, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	var out []AnnualAssessment
	err := s.read(ctx, func(tx *Tx) error {
		if _, err := tx.visibleClient(personalID); err != nil {
			return err
		}
		today := txToday(tx)
		all, err := tx.dueAnnual(today.AddDays(-AnnualWindowDays-366), today.AddDays(AnnualWindowDays), personalID, "")
		for _, a := range all {
			if a.Status != AnnualUpcoming {
				out = append(out, a)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.Audit(ctx, "read", "client", personalID, fmt.Sprintf("annual assessments owed: %d", len(out)))
}

// dueAnnual is DueAnnualAssessments in a transaction, for one client when
// personalID is not "", for the programs of one organization when org is
// not "".
func (tx *Tx) dueAnnual(from, to hmis.Date, personalID, org string) ([]AnnualAssessment, error) {
	var out []AnnualAssessment
	err := func() error {
		today := txToday(tx)
		// The household, not the project, leads the head's lookup: SQLite
		// would otherwise scan the project's enrollments for each row.
		q := `SELECT e.enrollment_id, e.personal_id, c.first_name, c.last_name, e.project_id, p.project_name, e.household_id,
				e.relationship_to_ho_h, e.entry_date,
				(SELECT MAX(h.entry_date) FROM enrollments h WHERE h.household_id = e.household_id
					AND ` + tx.d.unindexed("h.project_id") + ` = e.project_id AND h.relationship_to_ho_h = 1 AND h.date_deleted IS NULL),
				(SELECT MIN(x.exit_date) FROM exits x WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL)
			FROM enrollments e
			JOIN clients c ON c.personal_id = e.personal_id AND c.date_deleted IS NULL
			JOIN projects p ON p.project_id = e.project_id AND p.date_deleted IS NULL
			WHERE e.date_deleted IS NULL AND e.entry_date <= ?
			AND NOT EXISTS (SELECT 1 FROM exits x WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL AND x.exit_date <= ?)`
		args := []any{nullDate(to), nullDate(from.AddDays(AnnualWindowDays))}
		if personalID != "" {
			q += ` AND e.personal_id = ?`
			args = append(args, personalID)
		}
		if org != "" {
			q += ` AND p.organization_id = ?`
			args = append(args, org)
		}
		if vis, vargs := enrollmentVisibility(tx, "c", "e"); vis != "" {
			q += ` AND ` + vis
			args = append(args, vargs...)
		}
		rows, err := tx.query(q, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var a AnnualAssessment
			var rel *hud.RelationshipToHoH
			var entry, hohStart, exit hmis.Date
			if err := rows.Scan(&a.EnrollmentID, &a.PersonalID, scanString(&a.FirstName), scanString(&a.LastName), &a.ProjectID,
				scanString(&a.ProjectName), scanString(&a.HouseholdID), intScanner[hud.RelationshipToHoH]{&rel}, &entry,
				&hohStart, &exit); err != nil {
				rows.Close()
				return err
			}
			a.HeadOfHousehold = rel != nil && *rel == 1
			if hohStart.IsZero() {
				hohStart = entry
			}
			a.HoHStart = hohStart
			for n := 1; n < 200; n++ {
				ann := anniversary(hohStart, n)
				if ann.After(to) {
					break
				}
				end := ann.AddDays(AnnualWindowDays)
				if ann.Before(from) || entry.After(ann) || !exit.IsZero() && !exit.After(end) {
					continue
				}
				b := a
				b.Year, b.Anniversary, b.WindowStart, b.WindowEnd = n, ann, ann.AddDays(-AnnualWindowDays), end
				switch {
				case today.After(b.WindowEnd):
					b.Status = AnnualOverdue
				case today.Before(b.WindowStart):
					b.Status = AnnualUpcoming
				default:
					b.Status = AnnualDue
				}
				out = append(out, b)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(out) == 0 {
			return nil
		}
		// Drop those recorded: stage-5 records dated inside their window,
		// read by enrollment (the enrollment_id indexes), a chunk at a time.
		done := map[string][]hmis.Date{}
		lo, hi := from.AddDays(-AnnualWindowDays), to.AddDays(AnnualWindowDays)
		var ids []any
		for _, a := range out {
			if len(ids) == 0 || ids[len(ids)-1] != a.EnrollmentID {
				ids = append(ids, a.EnrollmentID)
			}
		}
		for start := 0; start < len(ids); start += 500 {
			chunk := ids[start:min(start+500, len(ids))]
			in := "?" + strings.Repeat(", ?", len(chunk)-1)
			for _, t := range annualStageTables {
				rows, err := tx.query(`SELECT enrollment_id, information_date FROM `+t+` WHERE enrollment_id IN (`+in+`)
					AND data_collection_stage = 5 AND date_deleted IS NULL AND information_date >= ? AND information_date <= ?`,
					append(slices.Clone(chunk), nullDate(lo), nullDate(hi))...)
				if err != nil {
					return err
				}
				for rows.Next() {
					var id string
					var d hmis.Date
					if err := rows.Scan(scanString(&id), &d); err != nil {
						rows.Close()
						return err
					}
					done[id] = append(done[id], d)
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return err
				}
			}
		}
		kept := out[:0]
		for _, a := range out {
			recorded := false
			for _, d := range done[a.EnrollmentID] {
				if !d.Before(a.WindowStart) && !d.After(a.WindowEnd) {
					recorded = true
				}
			}
			if !recorded {
				kept = append(kept, a)
			}
		}
		out = kept
		return nil
	}()
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Anniversary.Equal(out[j].Anniversary) {
			return out[i].Anniversary.Before(out[j].Anniversary)
		}
		return out[i].EnrollmentID < out[j].EnrollmentID
	})
	return out, nil
}
