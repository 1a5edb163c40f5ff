// Package dq computes HUD's HMIS Data Quality report (the Reporting
// Glossary's DQ framework, Q1–Q7; REFERENCE.md §4.5) from an
// hmis.Dataset: a pure function, no SQL.
//
// Its tables are those of the APR: Q1 report validations (= APR Q5a), Q2
// personally identifiable information (= Q6a), Q3 universal data elements
// (= Q6b), Q4 income and housing (= Q6c), Q5 chronic homelessness (=
// Q6d), Q6 timeliness (= Q6e), Q7 inactive records (= Q6f), in the same
// FY2026 cell layout. The universe is the Glossary's DQ universe: each
// client's latest stay, and for Street Outreach only stays with a date of
// engagement (4.13) on or before the report end, filtered before the
// latest stay is chosen (report.Params.EngagedOnly); Q1 shows it in its
// column B next to every active client in column C, as the APR's Q5a
// does. The tables are computed by package apr's Q5a and Q6a–f, so the DQ
// report and the APR's data-quality tables never disagree on a rule.
//
//	rep, err := dq.Run(ds, report.Params{ProjectIDs: ids, Start: s, End: e, CoC: coc})
//	rep.WriteSageZip(w) // Q1.csv ... Q7.csv
package dq

import (
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/report/apr"
)

// Kind is the report's kind in report.Report.Kind.
const Kind = "dq"

// Tables maps each DQ question to the APR table it is.
var Tables = []struct{ ID, APR, Title string }{
	{"Q1", "Q5a", "Report Validations"},
	{"Q2", "Q6a", "Personally Identifiable Information"},
	{"Q3", "Q6b", "Universal Data Elements"},
	{"Q4", "Q6c", "Income and Housing Data Quality"},
	{"Q5", "Q6d", "Chronic Homelessness"},
	{"Q6", "Q6e", "Timeliness"},
	{"Q7", "Q6f", "Inactive Records: Street Outreach and Emergency Shelter"},
}

// Run computes the Data Quality report over ds.
func Run(ds *hmis.Dataset, p report.Params) (*report.Report, error) {
	return RunIndexed(report.NewIndex(ds), p)
}

// RunIndexed is Run over an Index built once for several runs.
func RunIndexed(x *report.Index, p report.Params) (*report.Report, error) {
	a, err := apr.RunIndexed(x, apr.APR, p)
	if err != nil {
		return nil, err
	}
	rep := &report.Report{Kind: Kind, Params: p}
	for _, q := range Tables {
		t := a.Table(q.APR)
		if t == nil {
			continue
		}
		c := *t
		c.ID = q.ID
		rep.Tables = append(rep.Tables, &c)
	}
	return rep, nil
}

// Title returns the title of DQ question id ("Q3"), or "".
func Title(id string) string {
	for _, q := range Tables {
		if q.ID == id {
			return q.Title
		}
	}
	return ""
}
