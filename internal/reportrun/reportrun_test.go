package reportrun

import (
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/demo"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// TestRun_WhatTheUserMaySee populates a demo CoC, then runs the APR on
// every program of one organization as a case manager of that
// organization and as an administrator: the case manager is offered that
// organization's programs only, and every client and enrollment behind
// every cell of their report is one they may see (store.ClientAccess,
// store.EnrollmentAccess); the administrator's report counts the same
// persons (an organization sees the clients its programs serve).
func TestRun_WhatTheUserMaySee(t *testing.T) {
	st := storetest.OpenSQLite(t)
	sys := storetest.Context(t)
	today := hmis.MustDate("2026-10-15")
	if _, err := demo.Populate(sys, st, demo.Options{Clients: 300, Seed: 7, Today: today}); err != nil {
		t.Fatal(err)
	}
	projects, _, err := Choices(sys, st)
	if err != nil {
		t.Fatal(err)
	}
	byOrg := map[string][]string{}
	for _, p := range projects {
		byOrg[p.OrganizationID] = append(byOrg[p.OrganizationID], p.ID)
	}
	// The organization with the most programs.
	org := ""
	for o, ids := range byOrg {
		if len(ids) > len(byOrg[org]) || len(ids) == len(byOrg[org]) && o < org {
			org = o
		}
	}
	if len(byOrg) < 2 {
		t.Fatalf("the demo CoC has %d organizations; the test needs two", len(byOrg))
	}
	cm := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "cm", UserID: "cm", Username: "casey", Role: hmis.RoleCaseManager,
		OrganizationID: org, Via: "test"})
	mine, grants, err := Choices(cm, st)
	if err != nil {
		t.Fatal(err)
	}
	if c := CommonCoC(mine); c != demo.DefaultCoC {
		t.Errorf("common CoC %q, want %s", c, demo.DefaultCoC)
	}
	if len(mine) != len(byOrg[org]) {
		t.Fatalf("case manager offered %d programs, want the organization's %d", len(mine), len(byOrg[org]))
	}
	for _, p := range mine {
		if p.OrganizationID != org {
			t.Fatalf("case manager offered %s of organization %s", p.ID, p.OrganizationID)
		}
	}
	for _, g := range grants {
		for _, id := range g.ProjectIDs {
			if !contains(byOrg[org], id) {
				t.Fatalf("grant %s offers program %s of another organization", g.ID, id)
			}
		}
	}
	none := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "x", Username: "nobody", Role: hmis.RoleCaseManager, Via: "test"})
	if ps, gs, err := Choices(none, st); err != nil || len(ps)+len(gs) != 0 {
		t.Errorf("an account of no organization is offered %d programs and %d grants (%v)", len(ps), len(gs), err)
	}
	p := report.Params{ProjectIDs: byOrg[org], Start: today.AddDays(-365), End: today, CoC: demo.DefaultCoC}
	began := time.Now()
	res, err := Run(cm, st, APR, p)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("APR of %d programs as a case manager: %d persons, loading %s, computing %s (wall %s)",
		len(p.ProjectIDs), res.Persons(), res.Load, res.Compute, time.Since(began))
	if len(res.Report.Tables) != 67 {
		t.Errorf("%d tables", len(res.Report.Tables))
	}
	seen := map[string]bool{}
	for _, tb := range res.Report.Tables {
		for _, row := range tb.Rows {
			for _, c := range row.Cells {
				for _, ref := range c.Refs {
					if seen[ref.PersonalID] {
						continue
					}
					seen[ref.PersonalID] = true
					if lv, err := st.ClientAccess(cm, ref.PersonalID); err != nil || lv < access.Intake {
						t.Fatalf("client %s behind %s: access %v, %v", ref.PersonalID, tb.ID, lv, err)
					}
					if ref.EnrollmentID == "" {
						continue
					}
					if lv, err := st.EnrollmentAccess(cm, ref.PersonalID, ref.EnrollmentID); err != nil || lv < access.Visible {
						t.Fatalf("enrollment %s behind %s: access %v, %v", ref.EnrollmentID, tb.ID, lv, err)
					}
				}
			}
		}
	}
	if len(seen) == 0 {
		t.Fatal("the case manager's report counts nobody")
	}
	all, err := Run(sys, st, APR, p)
	if err != nil {
		t.Fatal(err)
	}
	if all.Persons() != res.Persons() {
		t.Errorf("administrator: %d persons, case manager %d", all.Persons(), res.Persons())
	}
	t.Logf("the same as the system: %d persons", all.Persons())

	// Bad parameters name the field; the CE APR needs no programs.
	if _, err := Run(cm, st, APR, report.Params{Start: today, End: today.AddDays(-1), ProjectIDs: p.ProjectIDs}); err == nil {
		t.Error("start after end: no error")
	}
	if _, err := Run(cm, st, Kind("nope"), p); err == nil {
		t.Error("unknown report: no error")
	}
	ce, err := Run(cm, st, CEAPR, report.Params{Start: p.Start, End: p.End, CoC: demo.DefaultCoC})
	if err != nil || len(ce.Report.Tables) != 10 {
		t.Fatalf("CE APR: %v", err)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
