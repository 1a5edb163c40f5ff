package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hmiscsv"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/transfer"
)

// The status page of an import job: a progress bar while it runs,
// refreshed by htmx polling the job fragment every second; then the
// outcome, the counts and the report.

// shownIssues is how many issues the page lists; the CSV has them all.
const shownIssues = 200

// importStatusPage is the page of one import job.
type importStatusPage struct {
	Shell
	Job jobView
}

// jobView is the job fragment: what the poll replaces.
type jobView struct {
	*importJob
	PollURL, StatusURL, BackURL string

	// While running.
	Activity string // "Reading Client.csv (row 10,000)"
	Percent  int
	Known    bool // Percent is known (else the bar is indeterminate)

	// When done.
	Done        bool
	Status      string // store.Import* status
	StatusLabel string
	Alert       string // USWDS alert modifier: success, info, error
	Message     string
	Elapsed     string
	Stats       store.ImportStats
	SourceKey   string
	ReportURL   string
	Report      *reportView
}

func (s *Server) importStatus(w http.ResponseWriter, r *http.Request, rq *request) error {
	job, ok := s.jobs.get(rq.Site.Slug, r.PathValue("job"))
	if !ok {
		return &hmis.Error{Code: hmis.ENOTFOUND, Message: "There is no import at this address. Finished imports are listed on the import page."}
	}
	sh, err := s.shell(r, rq, "home", importsURL(rq), "Import of "+job.FileName)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "imports_status", &importStatusPage{Shell: sh, Job: s.jobView(rq, job)})
}

// importProgress is the fragment htmx polls. Without htmx it sends the
// browser to the whole page.
func (s *Server) importProgress(w http.ResponseWriter, r *http.Request, rq *request) error {
	job, ok := s.jobs.get(rq.Site.Slug, r.PathValue("job"))
	if !ok {
		return &hmis.Error{Code: hmis.ENOTFOUND, Message: "There is no import at this address."}
	}
	if !isFragment(r) {
		http.Redirect(w, r, jobURL(rq, job.ID), http.StatusSeeOther)
		return nil
	}
	return s.renderFragment(w, http.StatusOK, "imports_status", "import-job", s.jobView(rq, job))
}

func (s *Server) jobView(rq *request, job *importJob) jobView {
	st := job.state()
	v := jobView{importJob: job, PollURL: pollURL(rq, job.ID), StatusURL: jobURL(rq, job.ID), BackURL: importsURL(rq), Done: st.Done}
	if !st.Done {
		p := st.Progress
		switch {
		case p.File == "":
			v.Activity = "Opening the file…"
		case p.BytesTotal > 0 && p.BytesRead >= p.BytesTotal:
			v.Activity = "Read every file; saving to the database…"
		default:
			v.Activity = "Reading " + p.File + " (row " + thousands(p.Rows) + ")"
			if p.BytesTotal > 0 {
				v.Percent, v.Known = int(100*p.BytesRead/p.BytesTotal), true
			}
		}
		return v
	}
	v.Elapsed = elapsed(st.Finished.Sub(job.Started))
	res := st.Result
	if res != nil {
		v.Stats, v.SourceKey = res.Stats, res.Source.Key
		if res.Report != nil {
			v.Report = newReportView(res.Report)
			if res.ImportID != "" && (res.Report.Errors() > 0 || res.Report.Warnings() > 0) {
				v.ReportURL = reportURL(rq, res.ImportID)
			}
		}
	}
	switch {
	case st.Err != nil:
		v.Status, v.Alert = store.ImportFailed, "error"
		v.Message = failMessage(st.Err, res, job.ID)
	default:
		v.Status = res.Status
		switch res.Status {
		case store.ImportImported:
			v.Alert, v.Message = "success", "The export was imported."
		case store.ImportDryRun:
			v.Alert, v.Message = "info", "The export was checked and counted, and nothing was written."
		default:
			v.Alert, v.Message = "error", "The export has errors, so nothing was written. Correct them in the source system, export again and upload the new file."
		}
	}
	v.StatusLabel = statusLabel(v.Status)
	if v.Status != store.ImportImported {
		v.StatusLabel += ": nothing written"
	}
	return v
}

// elapsed says how long an import took: "in 0.4 seconds", "in 2m31s".
func elapsed(d time.Duration) string {
	if d < time.Minute {
		return "in " + strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " seconds"
	}
	return "in " + d.Round(time.Second).String()
}

// failMessage says why an import failed. A file that could not be opened
// is the file's fault and its reason is shown; a failure while writing is
// an internal error, logged, and shown only as a reference.
func failMessage(err error, res *transfer.ImportResult, ref string) string {
	var he *hmis.Error
	if errors.As(err, &he) {
		return he.Message
	}
	if res == nil {
		return "The file could not be read: " + strings.ReplaceAll(err.Error(), "hmiscsv: ", "") + ". Nothing was written."
	}
	return "The import failed and nothing was written (reference " + ref + "). Please try again; if it keeps happening, give the reference to whoever runs the server."
}

// reportView is the validation report as the page shows it: a summary per
// file, then the first shownIssues issues, errors first, grouped by file.
type reportView struct {
	Version          string
	Errors, Warnings int
	Files            []fileView // files with rows or issues
	EmptyFiles       []string   // header-only files without issues
	ErrorGroups      []issueGroup
	WarningGroups    []issueGroup
	Shown, Total     int
	Omitted          []string
	// Dropped counts the rows left out (the "Leave out broken rows"
	// option); DroppedFiles lists them by file.
	Dropped      int
	DroppedFiles string
}

type fileView struct {
	Name, ErrorsAnchor, WarningsAnchor string
	Rows, Errors, Warnings             int
}

type issueGroup struct {
	File, Anchor string
	Issues       []issueView
}

type issueView struct {
	Anchor, Text, Value, Severity string
}

func newReportView(rep *hmiscsv.Report) *reportView {
	v := &reportView{Version: rep.Version, Errors: rep.Errors(), Warnings: rep.Warnings(), Total: rep.Errors() + rep.Warnings(),
		Dropped: rep.DroppedRows(), DroppedFiles: rep.DroppedText()}
	files := map[string]*fileView{}
	order := []string{}
	fileOf := func(name string) *fileView {
		if f, ok := files[name]; ok {
			return f
		}
		f := &fileView{Name: name}
		if name == "" {
			f.Name = "The export as a whole"
		}
		files[name] = f
		order = append(order, name)
		return f
	}
	for _, f := range rep.Files {
		fileOf(f.Name).Rows = f.Rows
	}
	for _, is := range rep.Issues {
		f := fileOf(is.File)
		if is.Severity == hmiscsv.Error {
			f.Errors++
			f.ErrorsAnchor = "errors-" + anchorName(is.File)
		} else {
			f.Warnings++
			f.WarningsAnchor = "warnings-" + anchorName(is.File)
		}
	}
	for _, name := range order {
		if f := files[name]; f.Rows > 0 || f.Errors > 0 || f.Warnings > 0 {
			v.Files = append(v.Files, *f)
		} else {
			v.EmptyFiles = append(v.EmptyFiles, f.Name)
		}
	}
	rowSeen := map[string]bool{}
	group := func(sev hmiscsv.Severity, prefix string) []issueGroup {
		var groups []issueGroup
		at := map[string]int{}
		for _, is := range rep.Issues {
			if is.Severity != sev || v.Shown >= shownIssues {
				continue
			}
			v.Shown++
			i, ok := at[is.File]
			if !ok {
				i = len(groups)
				at[is.File] = i
				groups = append(groups, issueGroup{File: fileOf(is.File).Name, Anchor: prefix + anchorName(is.File)})
			}
			iv := issueView{Text: issueText(is), Value: is.Value, Severity: is.Severity.String()}
			if key := anchorName(is.File) + "-" + strconv.Itoa(is.Row); is.Row > 0 && !rowSeen[key] {
				rowSeen[key], iv.Anchor = true, key
			}
			groups[i].Issues = append(groups[i].Issues, iv)
		}
		return groups
	}
	v.ErrorGroups = group(hmiscsv.Error, "errors-")
	v.WarningGroups = group(hmiscsv.Warning, "warnings-")
	for k, n := range rep.Omitted {
		v.Omitted = append(v.Omitted, thousands(n)+" more: "+k)
	}
	slices.Sort(v.Omitted)
	return v
}

// anchorName is a file's part of an anchor: "Client.csv", or "export".
func anchorName(file string) string {
	if file == "" {
		return "export"
	}
	return strings.ReplaceAll(file, " ", "_")
}

// issueText is one issue for people: "Client.csv row 17, column DOB: not
// a date". The value, when the reader kept it, is shown beside it.
func issueText(is hmiscsv.Issue) string {
	s := is.File
	if s == "" {
		s = "The export"
	}
	if is.Row > 0 {
		s += " row " + strconv.Itoa(is.Row)
	}
	if is.Column != "" {
		s += ", column " + is.Column
	}
	return s + ": " + is.Message
}
