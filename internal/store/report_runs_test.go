package store_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func TestStore_ReportRuns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		cm1 := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "a1", UserID: "u1", Username: "casey",
			Role: hmis.RoleCaseManager, OrganizationID: "O1", Via: "web"})
		cm2 := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "a2", UserID: "u2", Username: "olive",
			Role: hmis.RoleCaseManager, OrganizationID: "O2", Via: "web"})
		admin := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "a3", UserID: "u3", Username: "avery",
			Role: hmis.RoleAdmin, OrganizationID: "O1", Via: "web"})

		if _, err := s.StartReportRun(cm1, store.ReportRun{Kind: "apr"}); !isCode(err, hmis.EINVALID) {
			t.Fatalf("run without dates: err = %v, want invalid", err)
		}
		run, err := s.StartReportRun(cm1, store.ReportRun{Kind: "apr", ProjectIDs: []string{"P1", "P2"}, GrantID: "G-1",
			Start: hmis.MustDate("2025-10-01"), End: hmis.MustDate("2026-09-30"), CoC: "XX-501"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.FindReportRun(cm1, run.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != store.ReportRunning || got.HasZip || !got.Finished.IsZero() || got.Actor != "casey(web)" ||
			!slices.Equal(got.ProjectIDs, []string{"P1", "P2"}) || got.Start != hmis.MustDate("2025-10-01") ||
			got.End != hmis.MustDate("2026-09-30") || got.GrantID != "G-1" || got.CoC != "XX-501" {
			t.Fatalf("running run = %+v", got)
		}
		if _, err := s.ReportRunZip(cm1, run.ID); !isCode(err, hmis.ENOTFOUND) {
			t.Fatalf("zip of a running run: err = %v, want not found", err)
		}

		zip := []byte("PK\x03\x04 not really a zip \x00\xff")
		if err := s.FinishReportRun(cm1, run.ID, store.ReportRunResult{Status: store.ReportDone, Persons: 42, Tables: 67,
			Load: 120 * time.Millisecond, Compute: 30 * time.Millisecond, Zip: zip}); err != nil {
			t.Fatal(err)
		}
		got, err = s.FindReportRun(cm1, run.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != store.ReportDone || !got.HasZip || got.Finished.IsZero() || got.Persons != 42 || got.Tables != 67 ||
			got.Duration() != 150*time.Millisecond {
			t.Fatalf("finished run = %+v", got)
		}
		b, err := s.ReportRunZip(cm1, run.ID)
		if err != nil || !bytes.Equal(b, zip) {
			t.Fatalf("zip = %q, %v; want the stored bytes", b, err)
		}

		// Another case manager neither lists nor opens the run; an
		// administrator does.
		if _, err := s.FindReportRun(cm2, run.ID); !isCode(err, hmis.ENOTFOUND) {
			t.Fatalf("another account's run: err = %v, want not found", err)
		}
		if _, err := s.ReportRunZip(cm2, run.ID); !isCode(err, hmis.ENOTFOUND) {
			t.Fatalf("another account's zip: err = %v, want not found", err)
		}
		if err := s.FinishReportRun(cm2, run.ID, store.ReportRunResult{Status: store.ReportFailed}); !isCode(err, hmis.ENOTFOUND) {
			t.Fatalf("finishing another account's run: err = %v, want not found", err)
		}
		if runs, err := s.FindReportRuns(cm2, 0); err != nil || len(runs) != 0 {
			t.Fatalf("another account's list = %v, %v; want none", runs, err)
		}
		failed, err := s.StartReportRun(cm2, store.ReportRun{Kind: "caper", ProjectIDs: []string{"P3"},
			Start: hmis.MustDate("2026-01-01"), End: hmis.MustDate("2026-03-31")})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.FinishReportRun(cm2, failed.ID, store.ReportRunResult{Status: store.ReportFailed, Message: "projects: no program"}); err != nil {
			t.Fatal(err)
		}
		runs, err := s.FindReportRuns(admin, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 2 {
			t.Fatalf("administrator sees %d runs, want 2", len(runs))
		}
		if _, err := s.ReportRunZip(admin, failed.ID); !isCode(err, hmis.ENOTFOUND) {
			t.Fatalf("zip of a failed run: err = %v, want not found", err)
		}
		mine, err := s.FindReportRuns(cm1, 0)
		if err != nil || len(mine) != 1 || mine[0].ID != run.ID {
			t.Fatalf("own list = %+v, %v; want the one run", mine, err)
		}

		// A drill-down is audited as a read of the run and of each client,
		// once per client; another account cannot write it.
		if err := s.AuditReportRead(cm2, run.ID, "Q5a cell B2", []string{"c1"}); !isCode(err, hmis.ENOTFOUND) {
			t.Fatalf("another account's drill-down: err = %v, want not found", err)
		}
		if err := s.AuditReportRead(cm1, run.ID, "Q5a cell B2", []string{"c1", "c2", "c1"}); err != nil {
			t.Fatal(err)
		}
		for _, pid := range []string{"c1", "c2"} {
			es, err := s.FindAudit(storetest.Context(t), store.AuditFilter{Entity: "client", EntityID: pid})
			if err != nil || len(es) != 1 || es[0].Action != "read" || es[0].Detail != "report Q5a cell B2" || es[0].Actor != "casey(web)" {
				t.Fatalf("audit of %s = %+v, %v", pid, es, err)
			}
		}

		// Starting, finishing, downloading and drilling down are audited.
		entries, err := s.FindAudit(storetest.Context(t), store.AuditFilter{Entity: "report_run", EntityID: run.ID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		slices.Sort(actions)
		if !slices.Equal(actions, []string{"create", "read", "read", "update"}) {
			t.Fatalf("audit actions = %v", actions)
		}
	})
}

func isCode(err error, code string) bool {
	var e *hmis.Error
	return errors.As(err, &e) && e.Code == code
}
