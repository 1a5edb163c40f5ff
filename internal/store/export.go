package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
)

// This file is the store side of HMIS CSV exports: every record an export
// holds, table by table in HUD's file order, streamed page by page.

// ExportScope selects what an export holds. The zero scope is the whole
// site (every live record the actor may see).
type ExportScope struct {
	// ProjectIDs limits the export to these projects: their descriptor
	// records (organization, funders, CoCs, inventory, ...) and their
	// enrollments. Empty: every project.
	ProjectIDs []string
	// Start and End are the period, HUD's rule: the enrollments active in
	// it (entry on or before End, and no exit before Start), their
	// clients and all their records. Either may be zero (open-ended).
	Start, End hmis.Date
}

func (sc ExportScope) filtered() bool {
	return len(sc.ProjectIDs) > 0 || !sc.Start.IsZero() || !sc.End.IsZero()
}

// TableCount is how many records of one table an export wrote.
type TableCount struct {
	Table, Entity string
	Records       int
}

// ExportStats counts what ExportRecords passed on.
type ExportStats struct {
	Tables  []TableCount
	Records int
}

// exportPage is how many rows one query reads: each page is a new query
// that continues after the last key, so no table is ever read whole, and
// the period and access conditions are index lookups per row.
const exportPage = 5000

// clientVisibility returns the SQL condition that limits clients (alias
// c) to those actor may see on today (at least their intake), with its
// arguments; "" when the actor sees every client. It is the one place the
// store takes that rule from: access.ClientCondition (issue 6) is the
// rule: administrators and the system see all; others their
// organization's clients, globally shared ones, and those shared by a
// release in force on today that names their organization (Restrict to
// Organization overrides any release). Pass the transaction's date
// (txToday), never the database's CURRENT_DATE.
func clientVisibility(a hmis.Actor, c string, today hmis.Date) (string, []any) {
	return access.ClientCondition(a, c, today)
}

// recordVisibility is clientVisibility for the client's whole record:
// the clients (alias c) whose transactions the actor may see (an
// intake-only release shows the client, not their enrollments).
func recordVisibility(a hmis.Actor, c string, today hmis.Date) (string, []any) {
	return access.RecordCondition(a, c, today)
}

// transactionVisibility limits transactions (alias t: enrollments,
// services, assessments) to those not restricted to another
// organization; it goes with recordVisibility on their client.
func transactionVisibility(a hmis.Actor, t string) (string, []any) {
	return access.TransactionCondition(a, t)
}

// servedVisibility limits enrollments (alias e) to those of a program of
// the actor's organization: an organization sees the clients it serves
// and its own programs' transactions (access.ServedCondition).
func servedVisibility(a hmis.Actor, e string) (string, []any) {
	return access.ServedCondition(a, e)
}

// servesVisibility limits clients (alias c) to those the actor's
// organization serves (access.ServesCondition).
func servesVisibility(a hmis.Actor, c string) (string, []any) {
	return access.ServesCondition(a, c)
}

// enrollmentVisibility is both for an enrollment (alias e) of a client
// (alias c), the condition most client pages need
// (access.EnrollmentCondition): the enrollment's own restriction, and
// either the client's whole record today or the enrollment being of the
// actor's organization's program. "" when the actor sees everything.
func enrollmentVisibility(tx *Tx, c, e string) (string, []any) {
	return enrollmentCondition(tx.actor, c, e, txToday(tx))
}

// enrollmentCondition is enrollmentVisibility for a query built outside a
// transaction.
func enrollmentCondition(a hmis.Actor, c, e string, today hmis.Date) (string, []any) {
	return access.EnrollmentCondition(a, c, e, today)
}

// txToday is the transaction's date in the server's time zone: the
// "today" of the access rule, so that releases expire on their own.
func txToday(tx *Tx) hmis.Date { return hmis.DateOf(tx.now.Local()) }

// today is txToday for a query built before its transaction starts.
func (s *Store) today() hmis.Date { return hmis.DateOf(s.now().Local()) }

// exportQuery builds the export's conditions for one actor and scope.
type exportQuery struct {
	scope ExportScope
	actor hmis.Actor
	today hmis.Date // the access rule's date (txToday)
}

// in returns " AND col IN (?, ...)" for the scope's projects, or "".
func (q exportQuery) in(col string) (string, []any) {
	if len(q.scope.ProjectIDs) == 0 {
		return "", nil
	}
	args := make([]any, len(q.scope.ProjectIDs))
	for i, id := range q.scope.ProjectIDs {
		args[i] = id
	}
	return " AND " + col + " IN (?" + strings.Repeat(", ?", len(args)-1) + ")", args
}

// enrollment returns the condition on an enrollment (alias e) being in the
// export: live, of a live project in scope, of a live client the actor
// may see, active in the period.
func (q exportQuery) enrollment(e string) (string, []any) {
	cond := e + `.date_deleted IS NULL AND EXISTS (SELECT 1 FROM projects p WHERE p.project_id = ` + e + `.project_id AND p.date_deleted IS NULL)`
	in, args := q.in(e + ".project_id")
	cond += in
	vis, vargs := enrollmentCondition(q.actor, "c", e, q.today)
	cond += ` AND EXISTS (SELECT 1 FROM clients c WHERE c.personal_id = ` + e + `.personal_id AND c.date_deleted IS NULL`
	if vis != "" {
		cond += " AND " + vis
		args = append(args, vargs...)
	}
	cond += ")"
	if !q.scope.End.IsZero() {
		cond += " AND " + e + ".entry_date <= ?"
		args = append(args, nullDate(q.scope.End))
	}
	if !q.scope.Start.IsZero() {
		cond += ` AND NOT EXISTS (SELECT 1 FROM exits x WHERE x.enrollment_id = ` + e + `.enrollment_id
			AND x.date_deleted IS NULL AND x.exit_date < ?)`
		args = append(args, nullDate(q.scope.Start))
	}
	return cond, args
}

// unfiltered reports whether every live enrollment is in the export, so
// that the per-row conditions of exportQuery.enrollment can go: no
// projects or period chosen, an actor who sees every client, and no
// soft-deleted client or project (whose enrollments would otherwise stay
// out). allLive says, in addition, that no enrollment is soft-deleted.
// Each check is one index probe (the date_deleted indexes of
// 0003_live_record_indexes) or a scan of the small projects table.
func (q exportQuery) unfiltered(tx *Tx) (fast, allLive bool, err error) {
	if q.scope.filtered() {
		return false, false, nil
	}
	if vis, _ := clientVisibility(q.actor, "c", q.today); vis != "" {
		return false, false, nil
	}
	var deleted [3]bool
	for i, table := range []string{"clients", "projects", "enrollments"} {
		if err := tx.queryRow(`SELECT EXISTS (SELECT 1 FROM ` + table + ` WHERE date_deleted IS NOT NULL)`).Scan(&deleted[i]); err != nil {
			return false, false, err
		}
	}
	return !deleted[0] && !deleted[1], !deleted[2], nil
}

// ExportRecords passes every record the export of scope holds to fn, as
// pointers to typed records (*hmis.Organization, *hmis.Client, ...), in
// HUD's file order, each table by identifier. Soft-deleted records are
// left out (a full refresh). Only what the actor in ctx may see is
// passed (clientVisibility). The export is audited as one entry.
func (s *Store) ExportRecords(ctx context.Context, scope ExportScope, fn func(rec any) error) (ExportStats, error) {
	var stats ExportStats
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return stats, errNoActor
	}
	q := exportQuery{scope: scope, actor: actor}
	add := func(table, entity string, n int, err error) error {
		stats.Tables = append(stats.Tables, TableCount{Table: table, Entity: entity, Records: n})
		stats.Records += n
		return err
	}
	err := s.read(ctx, func(tx *Tx) error {
		q.today = txToday(tx)
		// Project descriptor data.
		orgCond, orgArgs := "", []any(nil)
		if len(scope.ProjectIDs) > 0 {
			in, args := q.in("p.project_id")
			orgCond, orgArgs = ` AND EXISTS (SELECT 1 FROM projects p WHERE p.organization_id = t.organization_id AND p.date_deleted IS NULL`+in+`)`, args
		}
		if err := exportTable[hmis.Organization](tx, orgCond, orgArgs, fn, add); err != nil {
			return err
		}
		if err := exportTable[hmis.User](tx, "", nil, fn, add); err != nil {
			return err
		}
		pin, pargs := q.in("t.project_id")
		if err := exportTable[hmis.Project](tx, pin, pargs, fn, add); err != nil {
			return err
		}
		live := ` AND EXISTS (SELECT 1 FROM projects p WHERE p.project_id = t.project_id AND p.date_deleted IS NULL)` + pin
		if err := exportTable[hmis.Funder](tx, live, pargs, fn, add); err != nil {
			return err
		}
		if err := exportTable[hmis.ProjectCoC](tx, live, pargs, fn, add); err != nil {
			return err
		}
		if err := exportTable[hmis.Inventory](tx, live, pargs, fn, add); err != nil {
			return err
		}
		rin, rargs := q.in("t.res_project_id")
		if err := exportTable[hmis.Affiliation](tx, live+rin+
			` AND EXISTS (SELECT 1 FROM projects r WHERE r.project_id = t.res_project_id AND r.date_deleted IS NULL)`,
			append(append([]any{}, pargs...), rargs...), fn, add); err != nil {
			return err
		}
		if err := exportTable[hmis.HMISParticipation](tx, live, pargs, fn, add); err != nil {
			return err
		}
		if err := exportTable[hmis.CEParticipation](tx, live, pargs, fn, add); err != nil {
			return err
		}

		// Clients: every one the actor may see, or, for a scoped export,
		// those with an enrollment in it.
		ecCond, ecArgs := q.enrollment("e")
		fast, liveEnrollments, err := q.unfiltered(tx)
		if err != nil {
			return err
		}
		var cCond string
		var cArgs []any
		if scope.filtered() {
			cCond, cArgs = ` AND EXISTS (SELECT 1 FROM enrollments e WHERE e.personal_id = t.personal_id AND `+ecCond+`)`, ecArgs
		} else if vis, vargs := clientVisibility(actor, "t", q.today); vis != "" {
			cCond, cArgs = " AND "+vis, vargs
		}
		if err := exportTable[hmis.Client](tx, cCond, cArgs, fn, add); err != nil {
			return err
		}
		eCond, eArgs := q.enrollment("t")
		eCond = " AND " + eCond
		// Enrollment-level records: those of the exported enrollments.
		child := ` AND EXISTS (SELECT 1 FROM enrollments e WHERE e.enrollment_id = t.enrollment_id AND ` + ecCond + `)`
		if fast {
			// Every live enrollment is exported: no lookups per row.
			eCond, eArgs = ` AND `+tx.d.unindexed("t.personal_id")+` IS NOT NULL AND `+tx.d.unindexed("t.project_id")+` IS NOT NULL`, nil
			child, ecArgs = ` AND `+tx.d.unindexed("t.enrollment_id")+` IS NOT NULL`, nil
			if !liveEnrollments {
				child = ` AND EXISTS (SELECT 1 FROM enrollments e WHERE e.enrollment_id = t.enrollment_id AND e.date_deleted IS NULL)`
			}
		}
		// Services and assessments carry their own restriction too.
		tCond, tArgs := "", []any(nil)
		if tvis, targs := transactionVisibility(actor, "t"); tvis != "" {
			tCond, tArgs = " AND "+tvis, targs
		}
		if err := exportTable[hmis.Enrollment](tx, eCond, eArgs, fn, add); err != nil {
			return err
		}
		for _, f := range []func() error{
			func() error { return exportTable[hmis.Exit](tx, child, ecArgs, fn, add) },
			func() error { return exportTable[hmis.IncomeBenefits](tx, child, ecArgs, fn, add) },
			func() error { return exportTable[hmis.HealthAndDV](tx, child, ecArgs, fn, add) },
			func() error { return exportTable[hmis.EmploymentEducation](tx, child, ecArgs, fn, add) },
			func() error { return exportTable[hmis.Disability](tx, child, ecArgs, fn, add) },
			func() error {
				return exportTable[hmis.Service](tx, child+tCond, append(ecArgs[:len(ecArgs):len(ecArgs)], tArgs...), fn, add)
			},
			func() error { return exportTable[hmis.CurrentLivingSituation](tx, child, ecArgs, fn, add) },
			func() error {
				return exportTable[hmis.Assessment](tx, child+tCond, append(ecArgs[:len(ecArgs):len(ecArgs)], tArgs...), fn, add)
			},
			func() error { return exportTable[hmis.AssessmentQuestion](tx, child, ecArgs, fn, add) },
			func() error { return exportTable[hmis.AssessmentResult](tx, child, ecArgs, fn, add) },
			func() error { return exportTable[hmis.Event](tx, child, ecArgs, fn, add) },
			func() error { return exportTable[hmis.YouthEducationStatus](tx, child, ecArgs, fn, add) },
		} {
			if err := f(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return stats, err
	}
	detail := fmt.Sprintf("HMIS CSV export: %d records", stats.Records)
	if len(scope.ProjectIDs) > 0 {
		detail += fmt.Sprintf(", %d projects", len(scope.ProjectIDs))
	}
	if !scope.Start.IsZero() || !scope.End.IsZero() {
		detail += fmt.Sprintf(", period %s to %s", scope.Start, scope.End)
	}
	return stats, s.Audit(ctx, "export", "export", "", detail)
}

// exportTable streams the live rows of T's table (alias t) that cond
// selects, page by page in key order, to fn, and reports the count to add.
func exportTable[T Record](tx *Tx, cond string, args []any, fn func(rec any) error, add func(table, entity string, n int, err error) error) error {
	t := tableOf[T]()
	q := t.selectSQL + ` t WHERE ` + tx.d.unindexed("t.date_deleted") + ` IS NULL` + cond + ` AND t.` + t.key + ` > ? ORDER BY t.` + t.key + ` LIMIT ` + strconv.Itoa(exportPage)
	pageArgs := append(append(make([]any, 0, len(args)+1), args...), "")
	total := 0
	for {
		rows, err := tx.query(q, pageArgs...)
		if err != nil {
			return add(t.name, t.entity, total, err)
		}
		n := 0
		for rows.Next() {
			r, err := t.scanOpen(tx, rows)
			if err != nil {
				rows.Close()
				return add(t.name, t.entity, total, err)
			}
			pageArgs[len(pageArgs)-1] = *t.id(&r)
			n++
			if err := fn(&r); err != nil {
				rows.Close()
				return add(t.name, t.entity, total+n, err)
			}
		}
		rows.Close()
		total += n
		if err := rows.Err(); err != nil {
			return add(t.name, t.entity, total, err)
		}
		if n < exportPage {
			return add(t.name, t.entity, total, nil)
		}
	}
}

// EarliestEntryDate returns the earliest live enrollment's entry date
// (zero when there is none): an export of all time starts there.
func (s *Store) EarliestEntryDate(ctx context.Context) (hmis.Date, error) {
	var d hmis.Date
	err := s.read(ctx, func(tx *Tx) error {
		var v any
		if err := tx.queryRow(`SELECT MIN(entry_date) FROM enrollments WHERE date_deleted IS NULL`).Scan(&v); err != nil {
			return err
		}
		if v == nil {
			return nil
		}
		return d.Scan(v)
	})
	return d, err
}

// ProjectCoCCodes returns the distinct CoC codes of live projects, sorted:
// an export's SourceID when the site's own code is not configured.
func (s *Store) ProjectCoCCodes(ctx context.Context) ([]string, error) {
	var out []string
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT DISTINCT coc_code FROM project_cocs WHERE date_deleted IS NULL AND coc_code IS NOT NULL ORDER BY coc_code`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// ClientOwnership returns the organization a client belongs to ("" when
// none) and its sharing restriction.
func (s *Store) ClientOwnership(ctx context.Context, personalID string) (organizationID, restriction string, err error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return "", "", errNoActor
	}
	err = s.read(ctx, func(tx *Tx) error {
		return one(tx.queryRow(`SELECT organization_id, restriction FROM clients WHERE personal_id = ?`, personalID).
			Scan(scanString(&organizationID), &restriction), "client")
	})
	return organizationID, restriction, err
}
