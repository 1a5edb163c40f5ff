package store

import (
	"context"
	"fmt"
	"sort"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Counts are the figures on a site's dashboard. Soft-deleted records are
// not counted.
type Counts struct {
	Organizations     int
	Projects          int
	Clients           int
	Households        int
	Enrollments       int
	ActiveEnrollments int // no exit yet
	Services          int
}

// DashboardCounts counts the site's records that the actor in ctx may
// see: an administrator counts everything, anyone else only the clients,
// enrollments and services the access rule shows them, so that counts say
// nothing about hidden records. Organizations and programs are setup data
// every user sees.
func (s *Store) DashboardCounts(ctx context.Context) (Counts, error) {
	var c Counts
	err := s.read(ctx, func(tx *Tx) error {
		today := txToday(tx)
		// Extra conditions (and their arguments) for clients (alias c),
		// enrollments (e) and services (t); empty for those who see all.
		var cc, ec, sc string
		var ca, ea, sa []any
		if vis, args := clientVisibility(tx.actor, "c", today); vis != "" {
			cc, ca = " AND "+vis, args
			rec, rargs := recordVisibility(tx.actor, "v", today)
			client := ` AND EXISTS (SELECT 1 FROM clients v WHERE v.personal_id = %s.personal_id AND ` + rec + `)`
			te, targs := transactionVisibility(tx.actor, "e")
			ec, ea = fmt.Sprintf(client, "e")+" AND "+te, append(append([]any{}, rargs...), targs...)
			ts, sargs := transactionVisibility(tx.actor, "t")
			sc = fmt.Sprintf(client, "t") + " AND " + ts +
				` AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.enrollment_id = t.enrollment_id AND NOT ` + te + `)`
			sa = append(append(append([]any{}, rargs...), sargs...), targs...)
			// An organization sees the clients it serves: its own
			// programs' enrollments and their services (access.ServedCondition).
			sv, svargs := servedVisibility(tx.actor, "e")
			ec, ea = ` AND ((`+ec[5:]+`) OR (`+te+` AND `+sv+`))`, append(append(ea, targs...), svargs...)
			sc = ` AND ((` + sc[5:] + `) OR (` + ts + ` AND EXISTS (SELECT 1 FROM enrollments e WHERE e.enrollment_id = t.enrollment_id AND ` + te + ` AND ` + sv + `)))`
			sa = append(append(append(sa, sargs...), targs...), svargs...)
		}
		for _, q := range []struct {
			dst  *int
			sql  string
			args []any
		}{
			{&c.Organizations, `SELECT COUNT(*) FROM organizations WHERE date_deleted IS NULL`, nil},
			{&c.Projects, `SELECT COUNT(*) FROM projects WHERE date_deleted IS NULL`, nil},
			{&c.Clients, `SELECT COUNT(*) FROM clients c WHERE c.date_deleted IS NULL` + cc, ca},
			{&c.Households, `SELECT COUNT(DISTINCT e.household_id) FROM enrollments e WHERE e.date_deleted IS NULL` + ec, ea},
			{&c.Enrollments, `SELECT COUNT(*) FROM enrollments e WHERE e.date_deleted IS NULL` + ec, ea},
			{&c.ActiveEnrollments, `SELECT COUNT(*) FROM enrollments e WHERE e.date_deleted IS NULL` + ec + `
				AND NOT EXISTS (SELECT 1 FROM exits x WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL)`, ea},
			{&c.Services, `SELECT COUNT(*) FROM services t WHERE t.date_deleted IS NULL` + sc, sa},
		} {
			if err := tx.queryRow(q.sql, q.args...).Scan(q.dst); err != nil {
				return err
			}
		}
		return nil
	})
	return c, err
}

// ProgramMenuItem is one program (HUD project) in the Clients tab's
// workflow menu groups.
type ProgramMenuItem struct {
	ProjectID        string
	ProjectName      string
	OrganizationID   string
	OrganizationName string
	ProjectType      int // 2.02.6; -1 when not set
}

// ProgramMenuGroup is a funder family (ESG, CoC, VA, ...) and its programs.
type ProgramMenuGroup struct {
	Family   string
	Programs []ProgramMenuItem
}

// ProgramMenu returns the programs with a grant (Funder record) in force
// today, grouped by funder family in hmis.FunderFamilies order. A program
// with grants of two families is listed under both.
func (s *Store) ProgramMenu(ctx context.Context) ([]ProgramMenuGroup, error) {
	byFamily := map[string][]ProgramMenuItem{}
	seen := map[string]bool{}
	err := s.read(ctx, func(tx *Tx) error {
		today := hmis.DateOf(tx.now)
		rows, err := tx.query(`SELECT p.project_id, COALESCE(p.project_name, ''), p.organization_id, COALESCE(o.organization_name, ''),
				COALESCE(p.project_type, -1), f.funder
			FROM projects p
			JOIN funders f ON f.project_id = p.project_id AND f.date_deleted IS NULL
			LEFT JOIN organizations o ON o.organization_id = p.organization_id
			WHERE p.date_deleted IS NULL AND f.funder IS NOT NULL
			  AND (f.end_date IS NULL OR f.end_date >= ?)
			  AND (p.operating_end_date IS NULL OR p.operating_end_date >= ?)
			ORDER BY o.organization_name, p.project_name`, today, today)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var it ProgramMenuItem
			var funder int
			if err := rows.Scan(&it.ProjectID, &it.ProjectName, &it.OrganizationID, &it.OrganizationName, &it.ProjectType, &funder); err != nil {
				return err
			}
			fam := hmis.FunderFamily(funder)
			if seen[fam+"\x00"+it.ProjectID] {
				continue
			}
			seen[fam+"\x00"+it.ProjectID] = true
			byFamily[fam] = append(byFamily[fam], it)
		}
		return rows.Err()
	})
	var out []ProgramMenuGroup
	for _, fam := range hmis.FunderFamilies {
		if ps := byFamily[fam]; len(ps) > 0 {
			sort.SliceStable(ps, func(i, j int) bool { return ps[i].ProjectName < ps[j].ProjectName })
			out = append(out, ProgramMenuGroup{Family: fam, Programs: ps})
		}
	}
	return out, err
}
