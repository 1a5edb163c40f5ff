package kit

import (
	"os"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hmiscsv"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/report/apr"
)

const oracleDir = "../../../../shared/testdata/fy2026-oracle/eva-demo-apr-1492"
const evaZip = "../../../../shared/testdata/hmiscsv/fy2026/eva-demo.zip"

// TestFY2026Oracle compares the APR of program 1492 of HUD's Eva demo
// with the one HUD Data Lab's reference code computed. It prints the
// agreement per table and fails on nothing: a difference is a lead to
// investigate against HUD's rules (docs/apr-verification.md), not a verdict.
func TestFY2026Oracle(t *testing.T) {
	if _, err := os.Stat(oracleDir); err != nil {
		t.Skip("no FY2026 oracle at " + oracleDir)
	}
	ds, rep, err := hmiscsv.ReadDataset(evaZip)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Errors() > 0 {
		t.Logf("eva demo: %d rows with errors left out", rep.Errors())
	}
	coc := ""
	for _, pc := range ds.ProjectCoCs {
		if pc.ProjectID == "1492" {
			coc = pc.CoCCode
		}
	}
	p := report.Params{ProjectIDs: []string{"1492"}, Start: hmis.MustDate("2021-10-01"), End: hmis.MustDate("2022-09-30"), CoC: coc}
	r, err := apr.Run(ds, apr.APR, p)
	if err != nil {
		t.Fatal(err)
	}
	res, err := CompareDir(oracleDir, r, Scope{Report: "apr", Name: "eva-1492"})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	WriteSummary(&b, res)
	t.Log("\n" + b.String())
	if os.Getenv("HEARTH_KIT_VERBOSE") != "" {
		for _, r := range res {
			for _, m := range r.Mismatches {
				t.Logf("%s %s [%s | %s] want %s got %s", r.Table, m.Cell, m.Row, m.Col, m.Expected, m.Got)
			}
		}
	}
}

// TestRealExportsDoNotBreak runs both reports over every program of HUD's
// LSA sample and Eva demo exports (real data that breaks HUD's
// assumptions in places): no panic, every table present, and each table's
// counts never above the persons served, where the table counts persons.
func TestRealExportsDoNotBreak(t *testing.T) {
	for _, path := range []string{evaZip, "../../../../shared/testdata/hmiscsv/fy2026/lsa-sample.zip"} {
		if _, err := os.Stat(path); err != nil {
			t.Skip("no shared exports")
		}
		ds, _, err := hmiscsv.ReadDataset(path)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, p := range ds.Projects {
			ids = append(ids, p.ProjectID)
		}
		x := report.NewIndex(ds)
		start, end := hmis.MustDate("2021-10-01"), hmis.MustDate("2022-09-30")
		if !ds.Export.ExportStartDate.IsZero() && ds.Export.ExportEndDate.After(ds.Export.ExportStartDate) {
			start, end = ds.Export.ExportStartDate, ds.Export.ExportEndDate // the export's own period
		}
		for _, kind := range []apr.Kind{apr.APR, apr.CAPER} {
			rep, err := apr.RunIndexed(x, kind, report.Params{ProjectIDs: ids, Start: start, End: end, CoC: "XX-501"})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Tables) != len(report.TableIDs(string(kind))) {
				t.Errorf("%s %s: %d tables", path, kind, len(rep.Tables))
			}
			served := rep.Table("Q5a").Cell(0, 1).Value
			if q7 := rep.Table("Q7a").Cell(4, 0).Value; q7 != served {
				t.Errorf("%s %s: Q7a total %v, Q5a persons served %v", path, kind, q7, served)
			}
			t.Logf("%s %s: %v persons served", path, kind, served)
		}
	}
}
