package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// This file is the report loader: the records HUD's reports (internal/report:
// APR, CAPER, data quality, CE APR) read, and only those, for the chosen
// programs and period. It fills the same hmis.Dataset the full export
// stream did (transfer.LoadDataset over ExportRecords), with the same
// records in the same order wherever a report can see a difference
// (TestReportDataset_SameAsExport compares the Sage zips byte for byte),
// in a fraction of the time: see docs/PERFORMANCE.md. The disabilities,
// the largest table, are the exception: Dataset.DisabilityFacts holds the
// part of them reports read, Dataset.Disabilities stays empty.

// ReportScope is what a report runs on: its programs (empty: every
// program) and its period.
type ReportScope struct {
	ProjectIDs []string
	Start, End hmis.Date
}

// reportChunk is how many enrollment or client IDs one IN-list carries
// (below SQLite's default limit of 32,766 host parameters, and PostgreSQL's
// 65,535, with room for the visibility arguments).
const reportChunk = 2000

// ReportDataset loads the records a HUD report over scope reads, as far as
// the actor in ctx may see them, audited as one export entry ("report data: N records, ...").
//
// Rows: the descriptor records of the programs (organization, project,
// funders, CoC codes, affiliations, CE participation); the programs'
// enrollments that started on or before the period's end (all of them, as
// the export did: household rules look at members who left before the
// report) and their exits; their clients; and the enrollment-level
// records (income and benefits, health and DV, disabilities, services,
// current living situations, assessments, events, youth education status)
// of the enrollments a report can reach: those active in the period (HUD's
// rule: entry on or before the end, no exit before the start), and every
// enrollment of a household that has one (reachable). The records of
// stays that ended before the period, outside such households, are never
// read; neither are tables no report reads (users,
// inventory, HMIS participation, employment and education, assessment
// questions and results).
//
// Access: the enrollments are those of the export (exportQuery.enrollment:
// enrollmentCondition: their own restriction, and their client's whole
// record or a program of the actor's organization, which sees the
// clients it serves);
// services and assessments also carry transactionVisibility, as in the
// export. Each table is sorted by its key, the export's order.
func (s *Store) ReportDataset(ctx context.Context, scope ReportScope) (*hmis.Dataset, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return nil, errNoActor
	}
	q := exportQuery{scope: ExportScope{ProjectIDs: scope.ProjectIDs, End: scope.End}, actor: actor}
	ds := &hmis.Dataset{}
	// Two read transactions on two connections share the work (two cores:
	// the driver's per-column work is most of the loading). The first
	// reads the descriptors, the enrollments and their exits; the second
	// the clients as soon as the enrollments name them; then both take
	// the enrollment-level tables, largest first, from one queue (jobs).
	// The second transaction starts once the first has read (its
	// connection held, so that two loads never wait on each other's
	// connections) and reads at once, so that both snapshots are taken
	// together (SQLite: a read transaction's snapshot is its first read;
	// PostgreSQL's read transactions are read committed, each statement
	// its own snapshot, as in a single transaction); then it waits for the
	// IDs. The first transaction never waits for the second: it ends, then
	// the loader does.
	tCond, tArgs := "", []any(nil)
	if tvis, targs := transactionVisibility(actor, "t"); tvis != "" {
		tCond, tArgs = " AND "+tvis, targs
	}
	var reach []string
	var nDisabilities int         // the records behind ds.DisabilityFacts
	jobs := []func(tx *Tx) error{ // by size, largest first (docs/PERFORMANCE.md)
		func(tx *Tx) (err error) {
			ds.DisabilityFacts, nDisabilities, err = reportDisabilities(tx, reach)
			return err
		},
		func(tx *Tx) (err error) {
			ds.IncomeBenefits, err = reportIn[hmis.IncomeBenefits](tx, "enrollment_id", reach, "", nil)
			return err
		},
		func(tx *Tx) (err error) {
			ds.CurrentLivingSituations, err = reportIn[hmis.CurrentLivingSituation](tx, "enrollment_id", reach, "", nil)
			return err
		},
		func(tx *Tx) (err error) {
			ds.HealthAndDV, err = reportIn[hmis.HealthAndDV](tx, "enrollment_id", reach, "", nil)
			return err
		},
		func(tx *Tx) (err error) {
			ds.Services, err = reportIn[hmis.Service](tx, "enrollment_id", reach, tCond, tArgs)
			return err
		},
		func(tx *Tx) (err error) {
			ds.Assessments, err = reportIn[hmis.Assessment](tx, "enrollment_id", reach, tCond, tArgs)
			return err
		},
		func(tx *Tx) (err error) {
			ds.Events, err = reportIn[hmis.Event](tx, "enrollment_id", reach, "", nil)
			return err
		},
		func(tx *Tx) (err error) {
			ds.YouthEducationStatus, err = reportIn[hmis.YouthEducationStatus](tx, "enrollment_id", reach, "", nil)
			return err
		},
	}
	var next atomic.Int32 // the next job to take
	var failed atomic.Bool
	work := func(tx *Tx) error {
		for !failed.Load() {
			i := int(next.Add(1)) - 1
			if i >= len(jobs) {
				return nil
			}
			if err := jobs[i](tx); err != nil {
				failed.Store(true)
				return err
			}
		}
		return nil
	}
	// The enrollments, the first's longest read, in two halves by program
	// when there are several: the first reads half A; half B is claimed by
	// whichever transaction comes to it first (the second as it starts),
	// and the first waits for it only when the second claimed it, that is
	// when the second holds its connection and is reading.
	var halfB struct {
		claimed atomic.Bool
		done    chan struct{}
		rows    []hmis.Enrollment
		err     error
	}
	halfB.done = make(chan struct{})
	var idsA, idsB []string
	if len(scope.ProjectIDs) > 1 {
		for i, id := range scope.ProjectIDs {
			if i%2 == 0 {
				idsA = append(idsA, id)
			} else {
				idsB = append(idsB, id)
			}
		}
	} else {
		halfB.claimed.Store(true)
		close(halfB.done)
	}
	enrollmentsOf := func(tx *Tx, ids []string) ([]hmis.Enrollment, error) {
		qh := q
		if ids != nil {
			qh.scope.ProjectIDs = ids
		}
		eCond, eArgs := qh.enrollment("t")
		return reportAll[hmis.Enrollment](tx, " AND "+eCond, eArgs)
	}
	readHalfB := func(tx *Tx) error { // half B's error when this transaction read it
		if !halfB.claimed.CompareAndSwap(false, true) {
			return nil
		}
		halfB.rows, halfB.err = enrollmentsOf(tx, idsB)
		close(halfB.done)
		return halfB.err
	}
	clientsc := make(chan []string, 1) // the clients' IDs; closed unsent when the first fails
	reachc := make(chan bool, 1)       // reach is set; closed unsent when the first fails
	second := make(chan error, 1)
	started := false
	startSecond := func() {
		started = true
		go func() {
			second <- s.read(ctx, func(tx *Tx) error {
				var n int
				if err := tx.queryRow(`SELECT COUNT(*) FROM projects`).Scan(&n); err != nil {
					return err
				}
				if err := readHalfB(tx); err != nil {
					return err
				}
				personalIDs, ok := <-clientsc
				if !ok {
					return nil // the first transaction failed
				}
				var err error
				if ds.Clients, err = reportIn[hmis.Client](tx, "personal_id", personalIDs, "", nil); err != nil {
					failed.Store(true)
					return err
				}
				if _, ok := <-reachc; !ok {
					return nil
				}
				return work(tx)
			})
		}()
	}
	sentClients, sentReach := false, false
	err := s.read(ctx, func(tx *Tx) error {
		q.today = txToday(tx)
		var err error
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM projects`).Scan(&n); err != nil {
			return err
		}
		startSecond()
		// Project descriptor data: the export's conditions.
		orgCond, orgArgs := "", []any(nil)
		if len(scope.ProjectIDs) > 0 {
			in, args := q.in("p.project_id")
			orgCond, orgArgs = ` AND EXISTS (SELECT 1 FROM projects p WHERE p.organization_id = t.organization_id AND p.date_deleted IS NULL`+in+`)`, args
		}
		if ds.Organizations, err = reportTable[hmis.Organization](tx, orgCond, orgArgs); err != nil {
			return err
		}
		pin, pargs := q.in("t.project_id")
		if ds.Projects, err = reportTable[hmis.Project](tx, pin, pargs); err != nil {
			return err
		}
		live := ` AND EXISTS (SELECT 1 FROM projects p WHERE p.project_id = t.project_id AND p.date_deleted IS NULL)` + pin
		if ds.Funders, err = reportTable[hmis.Funder](tx, live, pargs); err != nil {
			return err
		}
		if ds.ProjectCoCs, err = reportTable[hmis.ProjectCoC](tx, live, pargs); err != nil {
			return err
		}
		rin, rargs := q.in("t.res_project_id")
		if ds.Affiliations, err = reportTable[hmis.Affiliation](tx, live+rin+
			` AND EXISTS (SELECT 1 FROM projects r WHERE r.project_id = t.res_project_id AND r.date_deleted IS NULL)`,
			append(append([]any{}, pargs...), rargs...)); err != nil {
			return err
		}
		if ds.CEParticipations, err = reportTable[hmis.CEParticipation](tx, live, pargs); err != nil {
			return err
		}

		// Enrollments: the export's, then their exits and clients by
		// IN-lists of their IDs (index lookups, no per-row subqueries).
		if ds.Enrollments, err = enrollmentsOf(tx, idsA); err != nil {
			return err
		}
		_ = readHalfB(tx) // when the second has not claimed it; its error is halfB.err
		<-halfB.done
		if halfB.err != nil {
			return halfB.err
		}
		if len(halfB.rows) > 0 {
			ds.Enrollments = mergeByID(ds.Enrollments, halfB.rows, enrollmentTable.id)
		}
		all := make([]string, len(ds.Enrollments))
		clientSet := make(map[string]bool, len(ds.Enrollments))
		var personalIDs []string
		for i := range ds.Enrollments {
			e := &ds.Enrollments[i]
			all[i] = e.EnrollmentID
			if !clientSet[e.PersonalID] {
				clientSet[e.PersonalID] = true
				personalIDs = append(personalIDs, e.PersonalID)
			}
		}
		clientsc <- personalIDs
		close(clientsc)
		sentClients = true
		if ds.Exits, err = reportIn[hmis.Exit](tx, "enrollment_id", all, "", nil); err != nil {
			return err
		}

		// Enrollment-level records of the stays a report can reach.
		reach = reachable(ds.Enrollments, ds.Exits, scope.Start)
		reachc <- true
		close(reachc)
		sentReach = true
		return work(tx)
	})
	if err != nil {
		failed.Store(true)
	}
	if !sentClients {
		close(clientsc)
	}
	if !sentReach {
		close(reachc)
	}
	if started {
		if serr := <-second; err == nil {
			err = serr
		}
	}
	if err != nil {
		return nil, err
	}
	records := len(ds.Organizations) + len(ds.Projects) + len(ds.Funders) + len(ds.ProjectCoCs) +
		len(ds.Affiliations) + len(ds.CEParticipations) + len(ds.Enrollments) + len(ds.Exits) +
		len(ds.Clients) + len(ds.IncomeBenefits) + len(ds.HealthAndDV) + nDisabilities +
		len(ds.Services) + len(ds.CurrentLivingSituations) + len(ds.Assessments) + len(ds.Events) +
		len(ds.YouthEducationStatus)
	detail := fmt.Sprintf("report data: %d records, %d enrollments", records, len(ds.Enrollments))
	if len(scope.ProjectIDs) > 0 {
		detail += fmt.Sprintf(", %d projects", len(scope.ProjectIDs))
	}
	if !scope.Start.IsZero() || !scope.End.IsZero() {
		detail += fmt.Sprintf(", period %s to %s", scope.Start, scope.End)
	}
	return ds, s.Audit(ctx, "export", "export", "", detail)
}

// reachable returns the IDs of the enrollments a report can reach: those
// active on or after start (no exit before it; the entry-date side is the
// query's), and every enrollment of a household with one (household
// rules look at members who left). A client's other stays, ended before
// the period, are loaded (the enrollments and exits: Q6b's overlap check,
// Q7b's presence on a point-in-time date) but not their records: no
// report reads a stay's income, disabilities or services unless the stay
// is active (a night-by-night stay's bed nights decide within the active
// ones).
func reachable(enrollments []hmis.Enrollment, exits []hmis.Exit, start hmis.Date) []string {
	exited := make(map[string]hmis.Date, len(exits))
	for i := range exits {
		exited[exits[i].EnrollmentID] = exits[i].ExitDate
	}
	households := map[string]bool{}
	for i := range enrollments {
		e := &enrollments[i]
		if x, ok := exited[e.EnrollmentID]; ok && !start.IsZero() && x.Before(start) {
			continue
		}
		households[e.HouseholdID] = true
	}
	var ids []string
	for i := range enrollments {
		e := &enrollments[i]
		if households[e.HouseholdID] {
			ids = append(ids, e.EnrollmentID)
		}
	}
	return ids
}

// reportTable reads the live rows of T's table (alias t) that cond selects,
// in key order, through the export's paging.
func reportTable[T Record](tx *Tx, cond string, args []any) ([]T, error) {
	var out []T
	err := exportTable[T](tx, cond, args, func(rec any) error {
		out = append(out, *rec.(*T))
		return nil
	}, func(_, _ string, _ int, err error) error { return err })
	return out, err
}

// reportIn reads the live rows of T's table (alias t) whose col is one of
// ids (and cond), reportChunk IDs a query, and sorts them by key.
func reportIn[T Record](tx *Tx, col string, ids []string, cond string, args []any) ([]T, error) {
	t := tableOf[T]()
	sel, keep := narrowSelect(t.name, t.selectSQL)
	var out []T
	for start := 0; start < len(ids); start += reportChunk {
		chunk := ids[start:min(start+reportChunk, len(ids))]
		qargs := make([]any, 0, len(chunk)+len(args))
		for _, id := range chunk {
			qargs = append(qargs, id)
		}
		qargs = append(qargs, args...)
		// The ID's index, never the date_deleted one (with a long list
		// SQLite would scan every live client for each chunk).
		q := sel + ` t WHERE ` + tx.d.unindexed("t.date_deleted") + ` IS NULL AND t.` + col + ` IN (?` + strings.Repeat(", ?", len(chunk)-1) + `)` + cond
		rows, err := tx.query(q, qargs...)
		if err != nil {
			return nil, err
		}
		sc := &narrowScanner{rows: rows, keep: keep}
		for rows.Next() {
			r, err := t.scan(sc)
			if err == nil {
				err = tx.s.openRecord(&r)
			}
			if err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if start == 0 && len(ids) > reportChunk {
			// Room for the other chunks at the first one's rate, plus an
			// eighth: the records are large, and growing the slice by
			// doubling copied them over and over (11% of the loading).
			n := len(out) * (len(ids) - reportChunk) / reportChunk
			out = slices.Grow(out, n+n/8)
		}
	}
	sortByID(out, t.id)
	return out, nil
}

// reportDisabilities reads the live disabilities of the enrollments ids
// (the largest table a report reads: about 8 a stay) as the compact
// hmis.DisabilityFact, only the columns reports read (8 of 19), grouped by
// enrollment in DisabilitiesID order, as report.NewIndex groups the full
// records; n is how many. No record is kept whole, no code is a pointer:
// a fifth of the memory, and the driver reads fewer columns
// (docs/PERFORMANCE.md).
func reportDisabilities(tx *Tx, ids []string) (facts map[string][]hmis.DisabilityFact, n int, err error) {
	type row struct {
		id, enrollment string
		f              hmis.DisabilityFact
	}
	facts = make(map[string][]hmis.DisabilityFact, len(ids))
	var rows []row // one chunk's, reused
	for start := 0; start < len(ids); start += reportChunk {
		chunk := ids[start:min(start+reportChunk, len(ids))]
		qargs := make([]any, len(chunk))
		for i, id := range chunk {
			qargs[i] = id
		}
		// The enrollment's index, as reportIn.
		q := `SELECT t.disabilities_id, t.enrollment_id, t.information_date, t.disability_type, t.disability_response,` +
			` t.indefinite_and_impairs, t.data_collection_stage, t.date_updated FROM disabilities t WHERE ` +
			tx.d.unindexed("t.date_deleted") + ` IS NULL AND t.enrollment_id IN (?` + strings.Repeat(", ?", len(chunk)-1) + `)`
		rs, err := tx.query(q, qargs...)
		if err != nil {
			return nil, 0, err
		}
		rows = rows[:0]
		for rs.Next() {
			var r row
			err := rs.Scan(&r.id, &r.enrollment, &r.f.InformationDate, factCode{&r.f.DisabilityType},
				factCode{&r.f.DisabilityResponse}, factCode{&r.f.IndefiniteAndImpairs},
				factCode{&r.f.DataCollectionStage}, scanTime(&r.f.DateUpdated))
			if err != nil {
				rs.Close()
				return nil, 0, err
			}
			rows = append(rows, r)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, 0, err
		}
		// An enrollment's records are all in its chunk: sorted by
		// enrollment and ID, each enrollment's run is its slice.
		slices.SortFunc(rows, func(a, b row) int {
			if c := strings.Compare(a.enrollment, b.enrollment); c != 0 {
				return c
			}
			return strings.Compare(a.id, b.id)
		})
		for i := 0; i < len(rows); {
			j := i + 1
			for j < len(rows) && rows[j].enrollment == rows[i].enrollment {
				j++
			}
			fs := make([]hmis.DisabilityFact, j-i)
			for k := range fs {
				fs[k] = rows[i+k].f
			}
			facts[rows[i].enrollment] = fs
			i = j
		}
		n += len(rows)
	}
	return facts, n, nil
}

// factCode scans an optional code into a hmis.DisabilityFact's: -1 when
// empty or out of range, as hmis.Disability.Fact.
type factCode struct{ p *int16 }

func (s factCode) Scan(src any) error {
	var v *int
	switch n := src.(type) {
	case nil:
	case int64: // both drivers' usual value: no allocation
		*s.p = -1
		if n >= 0 && n <= math.MaxInt16 {
			*s.p = int16(n)
		}
		return nil
	default:
		if err := scanInt(&v).Scan(src); err != nil {
			return err
		}
	}
	*s.p, _ = hmis.FactCode(v)
	return nil
}

// reportAll reads the live rows of T's table (alias t) that cond selects,
// with the narrowed columns (narrowSelect), in one query, sorted by key in
// Go. Not paged as exportTable is: with the enrollment conditions SQLite
// takes the date_deleted index and sorts every matching row again for
// each page (a temporary B-tree per page), so paging was quadratic.
func reportAll[T Record](tx *Tx, cond string, args []any) ([]T, error) {
	t := tableOf[T]()
	sel, keep := narrowSelect(t.name, t.selectSQL)
	rows, err := tx.query(sel+` t WHERE `+tx.d.unindexed("t.date_deleted")+` IS NULL`+cond, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	sc := &narrowScanner{rows: rows, keep: keep}
	// Blocks of rows, copied once, in key order, into a slice of the right
	// size at the end: growing one slice by doubling copied the large
	// records over and over (a tenth of the enrollments' reading,
	// docs/PERFORMANCE.md), and so did sorting them.
	var blocks [][]T
	block, n := make([]T, 0, 1024), 0
	for rows.Next() {
		r, err := t.scan(sc)
		if err != nil {
			return nil, err
		}
		if len(block) == cap(block) {
			blocks = append(blocks, block)
			block = make([]T, 0, 4096)
		}
		block = append(block, r)
		n++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, nil
	}
	// Sorted through pointers, then each record copied once, in order.
	ptrs := make([]*T, 0, n)
	for _, b := range append(blocks, block) {
		for i := range b {
			ptrs = append(ptrs, &b[i])
		}
	}
	slices.SortFunc(ptrs, func(a, b *T) int { return strings.Compare(*t.id(a), *t.id(b)) })
	out := make([]T, n)
	for i, p := range ptrs {
		out[i] = *p
	}
	return out, nil
}

// sortByID sorts recs by their key: the indices are sorted, then the
// records moved once each into place (sorting the large records
// themselves moved each of them many times: a tenth of the enrollments'
// reading, docs/PERFORMANCE.md). The keys are unique.
func sortByID[T any](recs []T, id func(*T) *string) {
	perm := make([]int32, len(recs)) // perm[i]: the record that goes to i
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortFunc(perm, func(a, b int32) int { return strings.Compare(*id(&recs[a]), *id(&recs[b])) })
	for i := range perm { // follow each cycle of the permutation
		if perm[i] < 0 || int(perm[i]) == i {
			continue
		}
		tmp := recs[i]
		j := i
		for {
			k := int(perm[j])
			perm[j] = -1
			if k == i {
				recs[j] = tmp
				break
			}
			recs[j] = recs[k]
			j = k
		}
	}
}

// mergeByID merges two slices sorted by key into one.
func mergeByID[T any](a, b []T, id func(*T) *string) []T {
	out := make([]T, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if strings.Compare(*id(&a[0]), *id(&b[0])) <= 0 {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}

// reportUnread lists, per table, the columns no report reads: no
// reference to their field anywhere in internal/report, internal/reportrun
// or the report pages of internal/web (TestReportUnread_NotRead checks
// it). They are left out of the report loader's queries (each column
// read costs a driver call per row: two thirds of an enrollment's 66
// columns, docs/PERFORMANCE.md), and their fields stay zero. date_deleted
// is always empty there (the queries keep live records only).
var reportUnread = map[string][]string{
	"clients": {"year_entered_service", "year_separated", "world_war_ii", "korean_war", "vietnam_war", "desert_storm",
		"afghanistan_oef", "iraq_oif", "iraq_ond", "other_theater", "military_branch", "discharge_status", "date_deleted"},
	"enrollments": {"rental_subsidy_type", "date_of_path_status", "client_enrolled_in_path", "reason_not_enrolled", "percent_ami",
		"referral_source", "count_outreach_referral_approaches", "date_of_bcp_status", "eligible_for_rhy", "reason_no_services",
		"runaway_youth", "former_ward_child_welfare", "child_welfare_years", "child_welfare_months", "former_ward_juvenile_justice",
		"juvenile_justice_years", "juvenile_justice_months", "unemployment_fam", "mental_health_disorder_fam", "physical_disability_fam",
		"alcohol_drug_use_disorder_fam", "insufficient_income", "incarcerated_parent", "vamc_station", "target_screen_reqd",
		"time_to_housing_loss", "annual_percent_ami", "literal_homeless_history", "client_leaseholder", "hoh_leaseholder",
		"subsidy_at_risk", "eviction_history", "criminal_record", "incarcerated_adult", "prison_discharge", "sex_offender",
		"disabled_ho_h", "current_pregnant", "single_parent", "dependent_under6", "hh5_plus", "coc_prioritized",
		"hp_screening_score", "threshold_score", "mental_health_consultation", "date_deleted"},
	"exits": {"other_destination", "project_completion_status", "early_exit_reason", "exchange_for_sex",
		"exchange_for_sex_past_three_months", "count_of_exchange_for_sex", "asked_or_forced_to_exchange_for_sex",
		"asked_or_forced_to_exchange_for_sex_past_three_months", "workplace_violence_threats", "workplace_promise_difference",
		"coerced_to_continue_work", "labor_exploit_past_three_months", "counseling_received", "individual_counseling",
		"family_counseling", "group_counseling", "session_count_at_exit", "post_exit_counseling_plan", "sessions_in_plan",
		"destination_safe_client", "destination_safe_worker", "pos_adult_connections", "pos_peer_connections",
		"pos_community_connections", "aftercare_date", "aftercare_provided", "email_social_media", "telephone",
		"in_person_individual", "in_person_group", "cm_exit_reason", "date_deleted"},
	"income_benefits": {"other_income_source_identify", "other_benefits_source_identify", "no_medicaid_reason",
		"no_medicare_reason", "no_schip_reason", "no_vha_reason", "no_employer_provided_reason", "no_cobra_reason",
		"no_private_pay_reason", "no_state_health_ins_reason", "no_indian_health_services_reason", "other_insurance_identify",
		"adap", "no_adap_reason", "ryan_white_med_dent", "no_ryan_white_reason", "connection_with_soar", "date_deleted"},
	"health_and_dv": {"currently_fleeing", "general_health_status", "dental_health_status", "mental_health_status",
		"pregnancy_status", "due_date", "date_deleted"},
	"disabilities": {"t_cell_count_available", "t_cell_count", "t_cell_source", "viral_load_available", "viral_load",
		"viral_load_source", "anti_retroviral", "date_deleted"},
	"services": {"other_type_provided", "moving_on_other_type", "sub_type_provided", "fa_amount", "fa_start_date",
		"fa_end_date", "referral_outcome", "date_deleted"},
	"current_living_situations": {"cls_subsidy_type", "verified_by", "leave_situation14_days", "subsequent_residence",
		"resources_to_obtain", "lease_own60_day", "moved_two_or_more", "location_details", "date_deleted"},
}

// narrowSelect returns the table's SELECT without its reportUnread
// columns, and the positions (in the full column list) of those it keeps.
func narrowSelect(table, selectSQL string) (string, []int) {
	list, from, _ := strings.Cut(strings.TrimPrefix(selectSQL, "SELECT "), " FROM ")
	cols := strings.Split(list, ", ")
	unread := map[string]bool{}
	for _, c := range reportUnread[table] {
		unread[c] = true
	}
	var kept []string
	var keep []int
	for i, c := range cols {
		if !unread[c] {
			kept = append(kept, c)
			keep = append(keep, i)
		}
	}
	return "SELECT " + strings.Join(kept, ", ") + " FROM " + from, keep
}

// narrowScanner passes a full record's scan destinations to a narrowed
// query: only those of the kept columns; the others keep their zero value.
type narrowScanner struct {
	rows *sql.Rows
	keep []int
	buf  []any
}

func (n *narrowScanner) Scan(dest ...any) error {
	n.buf = n.buf[:0]
	for _, i := range n.keep {
		n.buf = append(n.buf, dest[i])
	}
	return n.rows.Scan(n.buf...)
}
