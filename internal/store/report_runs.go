package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Report runs (issue 7): the history of HUD reports run from the web
// (Home → Reports), each with its parameters, who ran it, when, how long
// it took and the Sage CSV zip it produced. The zip holds aggregate
// counts only; the run's account (and HMIS administrators) may list and
// download it again. Another user's run is "not found".

// Report run statuses (report_runs.status).
const (
	ReportRunning = "running"
	ReportDone    = "done"
	ReportFailed  = "failed"
)

// ReportRun is one row of report_runs.
type ReportRun struct {
	ID         string
	Kind       string   // "apr", "caper", "dq"
	ProjectIDs []string // the programs reported on
	GrantID    string   // set when the programs were chosen by grant
	Start, End hmis.Date
	CoC        string
	Actor      string // who ran it, as audit rows name them
	AccountID  string
	Started    time.Time
	Finished   time.Time // zero while running
	Status     string
	Message    string // why a failed run failed (no PII)
	Persons    int    // persons served (APR/CAPER Q5a)
	Tables     int
	Load       time.Duration // loading the records
	Compute    time.Duration // computing the tables
	HasZip     bool
}

// Duration is the whole run, loading and computing.
func (r ReportRun) Duration() time.Duration { return r.Load + r.Compute }

// ReportRunResult is how a run ended.
type ReportRunResult struct {
	Status        string // ReportDone or ReportFailed
	Message       string
	Persons       int
	Tables        int
	Load, Compute time.Duration
	Zip           []byte
}

// StartReportRun records a run as running, as the actor in ctx, and
// returns it with its ID and start time.
func (s *Store) StartReportRun(ctx context.Context, r ReportRun) (ReportRun, error) {
	if r.Kind == "" || r.Start.IsZero() || r.End.IsZero() {
		return r, hmis.Errorf(hmis.EINVALID, "A report run needs a report, a start and an end date.")
	}
	err := s.write(ctx, func(tx *Tx) error {
		r.ID = NewID()
		r.Actor, r.AccountID = tx.actor.String(), tx.actor.AccountID
		r.Started, r.Status = tx.now, ReportRunning
		if _, err := tx.exec(`INSERT INTO report_runs (id, kind, project_ids, grant_id, start_date, end_date, coc, actor,
				account_id, started, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.Kind, strings.Join(r.ProjectIDs, ","), r.GrantID, nullDate(r.Start), nullDate(r.End), r.CoC,
			r.Actor, r.AccountID, tx.ts(r.Started), r.Status); err != nil {
			return err
		}
		return tx.audit("create", "report_run", r.ID, fmt.Sprintf("%s of %d program(s)", r.Kind, len(r.ProjectIDs)))
	})
	return r, err
}

// FinishReportRun records how run id ended, with its zip.
func (s *Store) FinishReportRun(ctx context.Context, id string, res ReportRunResult) error {
	if res.Status != ReportDone && res.Status != ReportFailed {
		return hmis.Errorf(hmis.EINVALID, "Unknown report run status %q.", res.Status)
	}
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.visibleReportRun(id); err != nil {
			return err
		}
		var zip any
		if res.Zip != nil {
			zip = res.Zip
		}
		if _, err := tx.exec(`UPDATE report_runs SET finished = ?, status = ?, message = ?, persons = ?, tables_count = ?,
				load_ms = ?, compute_ms = ?, zip = ? WHERE id = ?`,
			tx.ts(tx.now), res.Status, res.Message, res.Persons, res.Tables, res.Load.Milliseconds(),
			res.Compute.Milliseconds(), zip, id); err != nil {
			return err
		}
		return tx.audit("update", "report_run", id, res.Status)
	})
}

const reportRunCols = `id, kind, project_ids, grant_id, start_date, end_date, coc, actor, account_id, started, finished,
	status, message, persons, tables_count, load_ms, compute_ms, zip IS NOT NULL`

func scanReportRun(sc rowScanner) (ReportRun, error) {
	var r ReportRun
	var ids string
	var load, compute int64
	err := sc.Scan(&r.ID, &r.Kind, &ids, &r.GrantID, &r.Start, &r.End, &r.CoC, &r.Actor, &r.AccountID,
		scanTime(&r.Started), scanTime(&r.Finished), &r.Status, &r.Message, &r.Persons, &r.Tables, &load, &compute, &r.HasZip)
	if ids != "" {
		r.ProjectIDs = strings.Split(ids, ",")
	}
	r.Load, r.Compute = time.Duration(load)*time.Millisecond, time.Duration(compute)*time.Millisecond
	return r, err
}

// runOwner is the condition on report_runs that keeps another account's
// runs out: administrators and the system see every run.
func (tx *Tx) runOwner() (string, []any) {
	if tx.actor.System || tx.actor.Role == hmis.RoleAdmin {
		return "", nil
	}
	return ` AND account_id = ?`, []any{tx.actor.AccountID}
}

func (tx *Tx) visibleReportRun(id string) (ReportRun, error) {
	cond, args := tx.runOwner()
	r, err := scanReportRun(tx.queryRow(`SELECT `+reportRunCols+` FROM report_runs WHERE id = ?`+cond,
		append([]any{id}, args...)...))
	return r, one(err, "Report run")
}

// FindReportRuns returns the latest runs the actor may see (their own;
// administrators every run), newest first.
func (s *Store) FindReportRuns(ctx context.Context, limit int) ([]ReportRun, error) {
	if limit <= 0 {
		limit = 50
	}
	var out []ReportRun
	err := s.read(ctx, func(tx *Tx) error {
		cond, args := tx.runOwner()
		rows, err := tx.query(`SELECT `+reportRunCols+` FROM report_runs WHERE 1=1`+cond+` ORDER BY started DESC, id LIMIT ?`,
			append(args, limit)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanReportRun(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// FindReportRun returns one run the actor may see.
func (s *Store) FindReportRun(ctx context.Context, id string) (ReportRun, error) {
	var r ReportRun
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		r, err = tx.visibleReportRun(id)
		return err
	})
	return r, err
}

// ReportRunZip returns the Sage zip of a finished run the actor may see;
// the download is audited.
func (s *Store) ReportRunZip(ctx context.Context, id string) ([]byte, error) {
	var zip []byte
	err := s.write(ctx, func(tx *Tx) error {
		r, err := tx.visibleReportRun(id)
		if err != nil {
			return err
		}
		if !r.HasZip {
			return &hmis.Error{Code: hmis.ENOTFOUND, Message: "This report run has no zip (it is running or it failed)."}
		}
		if err := tx.queryRow(`SELECT zip FROM report_runs WHERE id = ?`, id).Scan(&zip); err != nil {
			return err
		}
		return tx.audit("read", "report_run", id, "Sage zip downloaded")
	})
	return zip, err
}

// AuditReportRead records that the actor in ctx saw the clients behind a
// cell of run id (a drill-down): one row about the run, and one "read"
// row per client, so that each client's access report lists it. detail
// names the cell, never a client.
func (s *Store) AuditReportRead(ctx context.Context, id, detail string, personalIDs []string) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.visibleReportRun(id); err != nil {
			return err
		}
		if err := tx.audit("read", "report_run", id, fmt.Sprintf("%s: %d clients", detail, len(personalIDs))); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, pid := range personalIDs {
			if seen[pid] {
				continue
			}
			seen[pid] = true
			if err := tx.audit("read", "client", pid, "report "+detail); err != nil {
				return err
			}
		}
		return nil
	})
}
