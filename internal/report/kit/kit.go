// Package kit checks the report engine against a test kit laid out like
// HUD Data Lab's FY2023 APR/CAPER kit (../shared/testdata/datalab-fy2023):
// input/ (an HMIS CSV export), expected/scopes_map.tsv (report, scope,
// projects, period, CoC per scope), expected/<report>/<scope>/Q*.csv (the
// expected tables in HUD's layout) and expected/cells.tsv (every expected
// cell and whether an independent implementation matched it:
// gr_status "compared").
//
// Verify runs every APR and CAPER scope and compares each expected cell
// with Hearth's, matching rows and columns by position when the FY2026
// shell has the same shape and by label otherwise; FY2022 tables that
// FY2026 removed are listed as excluded. It is used by the package's test
// and by `hearth report verify-kit`.
package kit

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hmiscsv"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/report/apr"
)

// Scope is one row of expected/scopes_map.tsv.
type Scope struct {
	Report     string // "apr", "caper", "ce_apr"
	Name       string
	ProjectIDs []string
	Start, End hmis.Date
	CoC        string
}

// Renamed maps FY2022 table ids of the kit to their FY2026 ids.
var Renamed = map[string]string{"Q27f": "Q27f1", "Q24": "Q24a"}

// notComparable lists FY2022 rows whose meaning FY2026 changed under the
// same label: table, then the normalized row label.
var notComparable = map[string]bool{
	// FY2022 "Other Source" grouped unemployment, VA non-service pension,
	// GA, alimony and other; FY2026 lists each source on its own row.
	"Q19b/othersource": true,
	"Q27i/othersource": true,
	// FY2022 Q15/Q27d "Other Subtotal" was every "other location"
	// (permanent and other situations); FY2026's is DK/PNTA and DNC only.
	"Q15/othersubtotal":  true,
	"Q27d/othersubtotal": true,
	// FY2022 destinations: "Data Not Collected" held 30 (no exit interview)
	// and 99, which FY2026 splits; 329 (residential project) moved from the
	// other to the temporary group, changing both subtotals.
	"Q23c/datanotcollected":  true,
	"Q25i/datanotcollected":  true,
	"Q27f/datanotcollected":  true,
	"Q23c/temporarysubtotal": true,
	"Q25i/temporarysubtotal": true,
	"Q27f/temporarysubtotal": true,
	"Q23c/othersubtotal":     true,
	"Q25i/othersubtotal":     true,
	"Q27f/othersubtotal":     true,
	// FY2022 Q6a "Race" was 3.04 alone (ethnicity had its own row); FY2026
	// combines race and ethnicity, and the FY2022 reader maps Ethnicity = 1
	// onto HispanicLatinao.
	"Q6a/race": true,
	// FY2022 Q6d's Total summed ES/SH/SO, TH and PH; FY2026 adds the CE and
	// SSO/Day Shelter/HP rows.
	"Q6d/total": true,
	// FY2022 Q6f's contact row was SO and ES night-by-night; FY2026's is SO
	// and PATH-funded SSO.
	"Q6f/contactadultsandheadsofhouseholdinstreetoutreachoresnbn": true,
}

// kitColumns renames, per FY2022 table, kit column headers whose values
// the FY2022 specification computes from another column than the header
// says. Q26e: the shell heads column C "Conditions at Latest Assessment for
// Stayers" and D "Conditions at Exit for Leavers", but its programming
// instructions read "Column C = Add CH status filter to Q13b1" (conditions
// at exit) and "Column D = Add CH status filter to Q13c1" (conditions for
// stayers) (APR-CAPER Programming Specifications FY2022, Q26e); HUD's kit
// follows the instructions. FY2026 Q26e puts the values under their headers.
var kitColumns = map[string]map[string]string{
	"Q26e": {
		"conditionsatlatestassessmentforstayers": "Conditions At Exit for Leavers",
		"conditionsatexitforleavers":             "Conditions At Latest Assessment for Stayers",
	},
}

// changedTables are kit tables whose FY2026 namesake asks another question.
var changedTables = map[string]string{
	"Q14b": "FY2026 Q14b is when the most recent DV experience occurred; FY2022's was persons fleeing DV",
}

// Mismatch is one expected cell Hearth does not reproduce.
type Mismatch struct {
	Cell     string // "B2"
	Row, Col string // labels
	Expected string
	Got      string
	Compared bool // cells.tsv marks it compared
}

// Result is the comparison of one table of one scope.
type Result struct {
	Report, Scope, Table string // Table: the kit's (FY2022) id
	Excluded             string // why the table is not compared ("" when it is)
	Match, Total         int    // number cells
	Absent               int    // expected cells with no FY2026 counterpart (row or column removed)
	CMatch, CTotal       int    // the cells cells.tsv marks compared
	Mismatches           []Mismatch
}

// LoadScopes reads expected/scopes_map.tsv.
func LoadScopes(dir string) ([]Scope, error) {
	rows, err := readTSV(filepath.Join(dir, "expected", "scopes_map.tsv"))
	if err != nil {
		return nil, err
	}
	var out []Scope
	for _, r := range rows {
		s := Scope{Report: r["report"], Name: r["scope"], CoC: r["coc"]}
		if !strings.HasPrefix(r["project_ids"], "(") {
			s.ProjectIDs = strings.Fields(r["project_ids"])
		}
		if s.Start, err = hmis.ParseDate(r["report_start"]); err != nil {
			return nil, err
		}
		if s.End, err = hmis.ParseDate(r["report_end"]); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Statuses reads expected/cells.tsv: "report/scope/question/cell" -> gr_status.
func Statuses(dir string) (map[string]string, error) {
	rows, err := readTSV(filepath.Join(dir, "expected", "cells.tsv"))
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(rows))
	for _, r := range rows {
		m[r["report"]+"/"+r["scope"]+"/"+r["question"]+"/"+r["cell"]] = r["gr_status"]
	}
	return m, nil
}

func readTSV(name string) ([]map[string]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var head []string
	var out []map[string]string
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if head == nil {
			head = cols
			continue
		}
		m := map[string]string{}
		for i, h := range head {
			if i < len(cols) {
				m[h] = cols[i]
			}
		}
		out = append(out, m)
	}
	return out, sc.Err()
}

// ReadInput reads the kit's input/ export.
func ReadInput(dir string) (*hmis.Dataset, error) {
	ds, rep, err := hmiscsv.ReadDataset(filepath.Join(dir, "input"))
	if err != nil {
		return nil, err
	}
	if rep.Errors() > 0 {
		return nil, fmt.Errorf("kit input: %d errors", rep.Errors())
	}
	return ds, nil
}

// Verify runs every APR and CAPER scope of the kit at dir over ds and
// compares the tables.
func Verify(dir string, ds *hmis.Dataset) ([]Result, error) {
	scopes, err := LoadScopes(dir)
	if err != nil {
		return nil, err
	}
	status, err := Statuses(dir)
	if err != nil {
		return nil, err
	}
	x := report.NewIndex(ds)
	var out []Result
	for _, s := range scopes {
		if s.Report != "apr" && s.Report != "caper" {
			continue
		}
		rep, err := apr.RunIndexed(x, apr.Kind(s.Report), report.Params{ProjectIDs: s.ProjectIDs, Start: s.Start, End: s.End, CoC: s.CoC})
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", s.Report, s.Name, err)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "expected", s.Report, s.Name, "Q*.csv"))
		sort.Slice(files, func(i, j int) bool { return report.LessID(qid(files[i]), qid(files[j])) })
		for _, f := range files {
			res, err := compareFile(f, s, rep, status)
			if err != nil {
				return nil, err
			}
			out = append(out, res)
		}
	}
	return out, nil
}

func qid(f string) string { return strings.TrimSuffix(filepath.Base(f), ".csv") }

func compareFile(f string, s Scope, rep *report.Report, status map[string]string) (Result, error) {
	q := qid(f)
	res := Result{Report: s.Report, Scope: s.Name, Table: q}
	id := q
	if n, ok := Renamed[q]; ok {
		id = n
	}
	if _, ok := report.ShellOf(s.Report, id); !ok {
		res.Excluded = "not in the FY2026 " + strings.ToUpper(s.Report)
		return res, nil
	}
	if q == "Q4a" {
		res.Excluded = "project descriptors (text), checked by hand"
		return res, nil
	}
	if why, ok := changedTables[q]; ok && status != nil {
		res.Excluded = why
		return res, nil
	}
	t := rep.Table(id)
	if t == nil {
		res.Excluded = "not implemented yet"
		return res, nil
	}
	fh, err := os.Open(f)
	if err != nil {
		return res, err
	}
	defer fh.Close()
	header, rows, err := report.ReadCSV(fh)
	if err != nil {
		return res, fmt.Errorf("%s: %w", f, err)
	}
	expHeader := append([]string(nil), header[1:]...)
	for i, h := range expHeader {
		if to, ok := kitColumns[q][norm(h)]; ok && status != nil {
			expHeader[i] = to
		}
	}
	colMap := match(expHeader, t.Header[1:])
	var labels []string
	for _, r := range t.Rows {
		labels = append(labels, r.Label)
	}
	var expLabels []string
	for _, r := range rows {
		expLabels = append(expLabels, r[0])
	}
	rowMap := match(expLabels, labels)
	for i, r := range rows {
		for j := 1; j < len(r); j++ {
			want := strings.TrimSpace(r[j])
			wv, err := strconv.ParseFloat(want, 64)
			if want != "" && err != nil {
				continue // a text cell
			}
			cell := fmt.Sprintf("%s%d", colName(j), i+2)
			st := status[s.Report+"/"+s.Name+"/"+q+"/"+cell]
			compared := st == "compared"
			ri, cj := rowMap[i], colMap[j-1]
			if ri < 0 || cj < 0 || status != nil && notComparable[q+"/"+norm(r[0])] {
				res.Absent++
				continue
			}
			res.Total++
			if compared {
				res.CTotal++
			}
			c := t.Rows[ri].Cells[cj]
			got := c.String()
			ok := near(c.Value, wv)
			if ok {
				res.Match++
				if compared {
					res.CMatch++
				}
				continue
			}
			res.Mismatches = append(res.Mismatches, Mismatch{Cell: cell, Row: r[0], Col: header[j], Expected: want, Got: got, Compared: compared})
		}
	}
	return res, nil
}

// near reports whether got matches the expected want (see docs/apr-verification.md, Numbers).
func near(got, want float64) bool {
	d := math.Abs(got - want)
	return d < 0.0005 || d <= 0.005*math.Abs(want) && d < 0.01
}

func colName(j int) string { return string(rune('A' + j)) }

// match maps each label of exp to an index of got: by normalized label in
// order first; a label left unmatched takes the same position when both
// lists have the same length and the label there is unmatched too, unless
// both are numeric ranges ("55-61" is not "55-64"); -1 when absent.
func match(exp, got []string) []int {
	out := make([]int, len(exp))
	used := make([]bool, len(got))
	for i, e := range exp {
		out[i] = -1
		ne := norm(e)
		for j, g := range got {
			if !used[j] && norm(g) == ne {
				out[i], used[j] = j, true
				break
			}
		}
	}
	if len(exp) == len(got) {
		for i := range out {
			if out[i] < 0 && !used[i] && !(hasDigit(exp[i]) && hasDigit(got[i])) {
				out[i], used[i] = i, true
			}
		}
	}
	return out
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

var normReplacer = strings.NewReplacer(
	"clientdoesntknowclientrefused", "dkpnta",
	"clientdoesntknowrefused", "dkpnta",
	"clientdoesntknowprefersnottoanswer", "dkpnta",
	"clientprefersnottoanswer", "pnta",
	"clientrefused", "pnta",
)

// aliases are FY2022 labels that FY2026 renamed.
var aliases = map[string]string{
	"errorcount":              "total",
	"percentoferrorcount":     "percentofissuerate",
	"clientlocation316":       "enrollmentcoc316",
	"dkpnta":                  "dkpnta",
	"clientdoesntknowrefused": "dkpnta",
}

func norm(s string) string {
	var b strings.Builder
	s = strings.NewReplacer("<", "lt", ">", "gt").Replace(s)
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	n := normReplacer.Replace(b.String())
	if a, ok := aliases[n]; ok {
		return a
	}
	return n
}

// WriteSummary prints, per scope and table, "N of M cells match" and the
// compared cells' agreement, then the totals.
func WriteSummary(w io.Writer, results []Result) {
	var m, n, cm, cn int
	for _, r := range results {
		if r.Excluded != "" {
			fmt.Fprintf(w, "%-5s %-10s %-6s excluded: %s\n", r.Report, r.Scope, r.Table, r.Excluded)
			continue
		}
		absent := ""
		if r.Absent > 0 {
			absent = fmt.Sprintf("; %d expected cells have no FY2026 counterpart", r.Absent)
		}
		fmt.Fprintf(w, "%-5s %-10s %-6s %d of %d cells match (compared: %d of %d%s)\n", r.Report, r.Scope, r.Table, r.Match, r.Total, r.CMatch, r.CTotal, absent)
		m, n, cm, cn = m+r.Match, n+r.Total, cm+r.CMatch, cn+r.CTotal
	}
	fmt.Fprintf(w, "total: %d of %d cells match (compared: %d of %d)\n", m, n, cm, cn)
}

// CompareDir compares every Q*.csv table in dir (HUD's layout) with rep,
// as Verify does for a kit scope; no cell is marked compared.
func CompareDir(dir string, rep *report.Report, scope Scope) ([]Result, error) {
	files, _ := filepath.Glob(filepath.Join(dir, "Q*.csv"))
	sort.Slice(files, func(i, j int) bool { return report.LessID(qid(files[i]), qid(files[j])) })
	var out []Result
	for _, f := range files {
		res, err := compareFile(f, scope, rep, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

// TableTotal is the agreement of one table over every scope of a report.
type TableTotal struct {
	Report, Table  string
	Match, Total   int
	CMatch, CTotal int
	Excluded       string
}

// Totals sums results per report and table, in HUD's order.
func Totals(results []Result) []TableTotal {
	idx := map[string]int{}
	var out []TableTotal
	for _, r := range results {
		k := r.Report + "/" + r.Table
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, TableTotal{Report: r.Report, Table: r.Table, Excluded: r.Excluded})
		}
		t := &out[i]
		t.Match += r.Match
		t.Total += r.Total
		t.CMatch += r.CMatch
		t.CTotal += r.CTotal
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Report != out[j].Report {
			return out[i].Report < out[j].Report
		}
		return report.LessID(out[i].Table, out[j].Table)
	})
	return out
}

// WriteTotals prints Totals, one line per table.
func WriteTotals(w io.Writer, results []Result) {
	for _, t := range Totals(results) {
		if t.Excluded != "" {
			fmt.Fprintf(w, "%-5s %-6s excluded: %s\n", t.Report, t.Table, t.Excluded)
			continue
		}
		fmt.Fprintf(w, "%-5s %-6s %d of %d cells match (compared: %d of %d)\n", t.Report, t.Table, t.Match, t.Total, t.CMatch, t.CTotal)
	}
}
