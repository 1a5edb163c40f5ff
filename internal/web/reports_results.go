package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/report/ceapr"
	"github.com/hearth-hmis/hearth/internal/report/dq"
	"github.com/hearth-hmis/hearth/internal/reportrun"
	"github.com/hearth-hmis/hearth/internal/store"
)

// A run's results page: every table in HUD's layout, each non-zero count
// a link to the clients behind it (the drill-down), CSV downloads of any
// table and drill-down, the Sage zip, charts, and the data-quality issues
// to fix. While the run computes, the page polls its status.

var errNoRun = &hmis.Error{Code: hmis.ENOTFOUND, Message: "There is no report run at this address. Your runs are listed on the Reports page."}

// reportRunPage is the results page of one run.
type reportRunPage struct {
	Shell
	Run        runRow
	Kind       string
	Running    bool
	PollURL    string
	Recomputed bool
	Load       string
	Compute    string
	Tables     []tableView
	Charts     []chart
	Issues     []issueLink
	BackURL    string
}

type tableView struct {
	ID, Title, CSVHref string
	Header             []string
	Rows               []rowView
}

type rowView struct {
	Label string
	Cells []cellView
}

type cellView struct {
	Text, Href, Label string
}

// issueLink is one data-quality issue of the Q6 tables (DQ Q2–Q7): a
// count of clients to fix and the list of them.
type issueLink struct {
	Table, What, Href string
	Count             int
}

// loadRun returns the run and its computed report: from memory when this
// process ran it lately, else computed again now from the run's
// parameters on what the viewer may see (recomputed). running says the
// run is still computing; res is nil for a failed or interrupted run.
func (s *Server) loadRun(r *http.Request, rq *request) (run store.ReportRun, res *computedRun, running, recomputed bool, err error) {
	run, err = rq.Site.Store.FindReportRun(r.Context(), r.PathValue("id"))
	if err != nil {
		if he, ok := err.(*hmis.Error); ok && he.Code == hmis.ENOTFOUND {
			err = errNoRun
		}
		return
	}
	if j := s.runs.get(rq.Site.Slug, run.ID); j != nil {
		jres, jerr, done := j.finished()
		if !done {
			return run, nil, true, false, nil
		}
		// The store row was written before done closed: re-read it.
		if run, err = rq.Site.Store.FindReportRun(r.Context(), run.ID); err != nil {
			return
		}
		if jerr == nil && jres != nil {
			return run, jres, false, false, nil
		}
	}
	if run.Status != store.ReportDone {
		return run, nil, false, false, nil
	}
	full, err := reportrun.Run(r.Context(), rq.Site.Store, reportrun.Kind(run.Kind),
		report.Params{ProjectIDs: run.ProjectIDs, Start: run.Start, End: run.End, CoC: run.CoC, Software: "Hearth"})
	if err != nil {
		return
	}
	res = newComputedRun(full)
	s.runs.keep(rq.Site.Slug, run.ID, res)
	return run, res, false, true, nil
}

// keep stores a result computed again, for the drill-downs that follow.
func (js *reportJobs) keep(site, id string, res *computedRun) {
	j := &reportJob{ID: id, Site: site, done: make(chan struct{}), res: res}
	close(j.done)
	js.mu.Lock()
	defer js.mu.Unlock()
	if js.byID[id] == nil {
		js.order = append(js.order, id)
	}
	js.byID[id] = j
	for len(js.order) > keepReports {
		delete(js.byID, js.order[0])
		js.order = js.order[1:]
	}
}

func (s *Server) reportRun(w http.ResponseWriter, r *http.Request, rq *request) error {
	run, res, running, recomputed, err := s.loadRun(r, rq)
	if err != nil {
		return err
	}
	names, err := programNames(r, rq)
	if err != nil {
		return err
	}
	k, _ := reportrun.ParseKind(run.Kind)
	p := reportRunPage{Run: s.runRow(rq, run, names), Kind: k.Label(), Running: running,
		PollURL: runURL(rq, run.ID) + "/status", Recomputed: recomputed, BackURL: reportsURL(rq)}
	if res != nil {
		p.Load = res.Load.Round(time.Millisecond).String()
		p.Compute = res.Compute.Round(time.Millisecond).String()
		p.Tables = tableViews(rq, run, res.Report)
		p.Charts = res.Charts
		p.Issues = dataQualityIssues(rq, run, res.Report)
	}
	title := k.Short() + ", " + p.Run.Period
	if p.Shell, err = s.shell(r, rq, "home", reportsURL(rq), title); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "report_run", &p)
}

// reportRunStatus is what the running page polls: the same "running"
// block while the run computes, then a refresh of the whole page.
func (s *Server) reportRunStatus(w http.ResponseWriter, r *http.Request, rq *request) error {
	run, err := rq.Site.Store.FindReportRun(r.Context(), r.PathValue("id"))
	if err != nil {
		return errNoRun
	}
	j := s.runs.get(rq.Site.Slug, run.ID)
	running := false
	if j != nil {
		_, _, done := j.finished()
		running = !done
	}
	if !isFragment(r) || !running {
		if isFragment(r) {
			w.Header().Set("HX-Refresh", "true")
			w.WriteHeader(http.StatusNoContent)
			return nil
		}
		http.Redirect(w, r, runURL(rq, run.ID), http.StatusSeeOther)
		return nil
	}
	return s.renderFragment(w, http.StatusOK, "report_run", "report-running", reportRunPage{Running: true, PollURL: runURL(rq, run.ID) + "/status",
		Run: runRow{Href: runURL(rq, run.ID)}})
}

func programNames(r *http.Request, rq *request) (map[string]string, error) {
	programs, _, err := reportrun.Choices(r.Context(), rq.Site.Store)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, p := range programs {
		names[p.ID] = p.Name
	}
	return names, nil
}

// tableTitle is a table's caption: HUD's table title (report.Title; the
// Sage CSVs carry only the ids).
func tableTitle(kind string, t *report.Table) string {
	title := report.Title(t.ID)
	switch kind {
	case dq.Kind:
		title = dq.Title(t.ID)
	case ceapr.Kind:
		if ct := ceTitles[t.ID]; ct != "" {
			title = ct
		}
	}
	if title == "" {
		return t.ID
	}
	return t.ID + ". " + title
}

// colName is HUD's letter of column c (0 = column B).
func colName(c int) string {
	c++ // column A holds the labels
	s := ""
	for c >= 0 {
		s = string(rune('A'+c%26)) + s
		c = c/26 - 1
	}
	return s
}

func cellURL(rq *request, runID, table string, row, col int) string {
	return fmt.Sprintf("%s/cells/%s/%d/%d", runURL(rq, runID), table, row, col)
}

func tableViews(rq *request, run store.ReportRun, rep *report.Report) []tableView {
	var out []tableView
	for _, t := range rep.Tables {
		tv := tableView{ID: t.ID, Title: tableTitle(rep.Kind, t), CSVHref: runURL(rq, run.ID) + "/tables/" + t.ID + ".csv", Header: t.Header}
		for ri, row := range t.Rows {
			rv := rowView{Label: row.Label}
			for ci, c := range row.Cells {
				cv := cellView{Text: c.String()}
				if len(c.Refs) > 0 {
					cv.Href = cellURL(rq, run.ID, t.ID, ri, ci)
					head := ""
					if ci+1 < len(t.Header) {
						head = t.Header[ci+1]
					}
					cv.Label = fmt.Sprintf("%s clients: %s, %s", cv.Text, row.Label, head)
				}
				rv.Cells = append(rv.Cells, cv)
			}
			tv.Rows = append(tv.Rows, rv)
		}
		out = append(out, tv)
	}
	return out
}

// dataQualityIssues lists the clients to fix: the non-zero "Total" cells
// of the data-quality tables (APR/CAPER Q6a–c, DQ Q2–Q4; Glossary DQ
// Q2–Q4) by data element, then the missing chronic-homelessness answers
// (Q6d, DQ Q5) and the inactive records (Q6f, DQ Q7).
func dataQualityIssues(rq *request, run store.ReportRun, rep *report.Report) []issueLink {
	var out []issueLink
	for _, id := range []string{"Q6a", "Q6b", "Q6c", "Q2", "Q3", "Q4"} {
		t := rep.Table(id)
		if t == nil || (rep.Kind == dq.Kind) != (len(id) == 2) {
			continue
		}
		total := -1
		for i, h := range t.Header {
			if strings.EqualFold(strings.TrimSpace(h), "Total") {
				total = i - 1
			}
		}
		if total < 0 {
			continue
		}
		for ri, row := range t.Rows {
			if strings.HasPrefix(row.Label, "Overall") || total >= len(row.Cells) {
				continue
			}
			if n := len(row.Cells[total].Refs); n > 0 {
				out = append(out, issueLink{Table: t.ID, What: row.Label, Count: n, Href: cellURL(rq, run.ID, t.ID, ri, total)})
			}
		}
	}
	// Chronic homelessness (Q6d, DQ Q5): the 3.917 answers missing, by
	// project type group, columns C–G; inactive records (Q6f, DQ Q7):
	// column C, stays to exit or to record a contact or bed night in.
	for _, id := range []string{"Q6d", "Q5", "Q6f", "Q7"} {
		t := rep.Table(id)
		if t == nil || (rep.Kind == dq.Kind) != (len(id) == 2) {
			continue
		}
		cols := []int{1, 2, 3, 4, 5}
		what := "Chronic homelessness, "
		if id == "Q6f" || id == "Q7" {
			cols, what = []int{1}, "Inactive records, "
		}
		for ri, row := range t.Rows {
			if row.Label == "Total" {
				continue
			}
			for _, ci := range cols {
				if ci >= len(row.Cells) || ci+1 >= len(t.Header) {
					continue
				}
				if n := len(row.Cells[ci].Refs); n > 0 {
					out = append(out, issueLink{Table: t.ID, What: what + row.Label + ": " + t.Header[ci+1], Count: n,
						Href: cellURL(rq, run.ID, t.ID, ri, ci)})
				}
			}
		}
	}
	return out
}

// reportZip sends a finished run's Sage zip.
func (s *Server) reportZip(w http.ResponseWriter, r *http.Request, rq *request) error {
	run, err := rq.Site.Store.FindReportRun(r.Context(), r.PathValue("id"))
	if err != nil {
		return errNoRun
	}
	b, err := rq.Site.Store.ReportRunZip(r.Context(), run.ID)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("%s-%s-%s-%s.zip", run.Kind, run.CoC, run.Start, run.End)
	return sendFile(w, "application/zip", name, b)
}

func sendFile(w http.ResponseWriter, ctype, name string, b []byte) error {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", `attachment; filename="`+strings.NewReplacer(`"`, "", "\\", "", "\r", "", "\n", "").Replace(name)+`"`)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("Cache-Control", "no-store")
	w.Write(b)
	return nil
}

// reportTableCSV sends one table as Sage's CSV.
func (s *Server) reportTableCSV(w http.ResponseWriter, r *http.Request, rq *request) error {
	_, res, _, _, err := s.loadRun(r, rq)
	if err != nil {
		return err
	}
	id, ok := strings.CutSuffix(r.PathValue("file"), ".csv")
	if res == nil || !ok {
		return errNoRun
	}
	t := res.Report.Table(id)
	if t == nil {
		return &hmis.Error{Code: hmis.ENOTFOUND, Message: "This report has no table " + id + "."}
	}
	var b bytes.Buffer
	if err := t.WriteCSV(&b); err != nil {
		return err
	}
	return sendFile(w, "text/csv; charset=utf-8", t.ID+".csv", b.Bytes())
}

// reportCellPage lists the clients behind one cell.
type reportCellPage struct {
	Shell
	Table, TableID, Cell, Row, Column string
	Value                             string
	RunHref, CSVHref                  string
	DataQuality                       bool
	Clients                           []cellClient
	Total                             int
	More                              int // clients not listed on the page (the CSV has them)
}

// maxDrillDown is how many clients a drill-down page lists; the CSV has all.
const maxDrillDown = 500

type cellClient struct {
	PersonalID, EnrollmentID, Name, Program, Entry, Exit string
	Href, EditHref, EnrollmentsHref                      string
}

func (s *Server) reportCell(w http.ResponseWriter, r *http.Request, rq *request) error {
	run, res, _, _, err := s.loadRun(r, rq)
	if err != nil {
		return err
	}
	if res == nil {
		return errNoRun
	}
	t := res.Report.Table(r.PathValue("table"))
	row, err1 := strconv.Atoi(r.PathValue("row"))
	col, err2 := strconv.Atoi(r.PathValue("col"))
	if t == nil || err1 != nil || err2 != nil || row < 0 || row >= len(t.Rows) || col < 0 || col >= len(t.Rows[row].Cells) {
		return &hmis.Error{Code: hmis.ENOTFOUND, Message: "This report has no such cell."}
	}
	cell := t.Cell(row, col)
	head := ""
	if col+1 < len(t.Header) {
		head = t.Header[col+1]
	}
	p := reportCellPage{Table: tableTitle(res.Report.Kind, t), TableID: t.ID, Cell: fmt.Sprintf("%s%d", colName(col), row+2),
		Row: t.Rows[row].Label, Column: head, Value: cell.String(), RunHref: runURL(rq, run.ID) + "#" + t.ID,
		CSVHref:     cellURL(rq, run.ID, t.ID, row, col) + "?format=csv",
		DataQuality: strings.HasPrefix(t.ID, "Q6") || res.Report.Kind == dq.Kind, Total: len(cell.Refs)}
	asCSV := r.URL.Query().Get("format") == "csv"
	refs := cell.Refs
	if !asCSV && len(refs) > maxDrillDown {
		refs = refs[:maxDrillDown]
		p.More = len(cell.Refs) - maxDrillDown
	}
	var ids []string
	for _, ref := range refs {
		cc := cellClient{PersonalID: ref.PersonalID, EnrollmentID: ref.EnrollmentID, Name: "Client " + ref.PersonalID,
			Href: clientHref(rq, ref.PersonalID)}
		cc.EditHref, cc.EnrollmentsHref = cc.Href+"/edit", cc.Href+"#enrollments-heading"
		if n, ok := res.names[ref.PersonalID]; ok {
			cc.Name = n
		}
		if f, ok := res.enrollments[ref.EnrollmentID]; ok {
			cc.Program, cc.Entry, cc.Exit = f.Program, usDate(f.Entry), usDate(f.Exit)
		}
		p.Clients = append(p.Clients, cc)
		ids = append(ids, ref.PersonalID)
	}
	// Names of clients were shown: audited, as a read of each client.
	if err := rq.Site.Store.AuditReportRead(r.Context(), run.ID, fmt.Sprintf("%s cell %s", t.ID, p.Cell), ids); err != nil {
		return err
	}
	if asCSV {
		var b bytes.Buffer
		cw := csv.NewWriter(&b)
		cw.Write([]string{"PersonalID", "EnrollmentID", "Name", "Program", "Project Start Date", "Project Exit Date"})
		for _, c := range p.Clients {
			cw.Write([]string{c.PersonalID, c.EnrollmentID, csvSafe(c.Name), csvSafe(c.Program), c.Entry, c.Exit})
		}
		cw.Flush()
		return sendFile(w, "text/csv; charset=utf-8", fmt.Sprintf("%s-%s.csv", t.ID, p.Cell), b.Bytes())
	}
	if p.Shell, err = s.shell(r, rq, "home", reportsURL(rq), fmt.Sprintf("%s cell %s", t.ID, p.Cell)); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "report_cell", &p)
}

// csvSafe keeps a spreadsheet from reading a typed value as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
