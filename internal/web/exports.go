package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/transfer"
)

// Export HMIS CSV (Home tab, administrators only): the options of hearth
// export (programs, period, hashed), and an FY2026 zip streamed straight
// to the browser.

// exportTimeout replaces the server's write timeout for a download: a
// whole state's export takes longer than five minutes.
const exportTimeout = 2 * time.Hour

// exportPage is the export form.
type exportPage struct {
	Shell
	Programs   []programOption
	Start, End string // as typed
	Hashed     bool
	Errors     map[string]string
	Error      string
}

type programOption struct {
	ID, Name string
	Selected bool
}

func (s *Server) exportForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderExport(w, r, rq, http.StatusOK, exportPage{}, nil)
}

func (s *Server) renderExport(w http.ResponseWriter, r *http.Request, rq *request, status int, p exportPage, selected []string) error {
	sh, err := s.shell(r, rq, "home", rq.base()+"/"+exportPath, "Export HMIS CSV")
	if err != nil {
		return err
	}
	p.Shell = sh
	if p.Programs, err = programOptions(r, rq, selected); err != nil {
		return err
	}
	return s.render(w, r, status, "export", &p)
}

// programOptions lists the site's programs by name.
func programOptions(r *http.Request, rq *request, selected []string) ([]programOption, error) {
	projects, err := store.FindRecords[hmis.Project](r.Context(), rq.Site.Store, store.RecordFilter{})
	if err != nil {
		return nil, err
	}
	out := make([]programOption, 0, len(projects))
	for _, p := range projects {
		name := p.ProjectName
		if name == "" {
			name = "Program " + p.ProjectID
		}
		out = append(out, programOption{ID: p.ProjectID, Name: name, Selected: slices.Contains(selected, p.ProjectID)})
	}
	slices.SortFunc(out, func(a, b programOption) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// export checks the form and streams the zip. Until the first byte is
// written a failure is an error page; after it, the download is cut off
// so that a broken zip never looks complete.
func (s *Server) export(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	p := exportPage{Start: strings.TrimSpace(r.PostFormValue("start")), End: strings.TrimSpace(r.PostFormValue("end")),
		Hashed: r.PostFormValue("hashed") != "", Errors: map[string]string{}}
	selected := r.PostForm["project"]
	opt := transfer.ExportOptions{ProjectIDs: selected, Hashed: p.Hashed, SourceID: rq.Site.CoCCode, SourceName: rq.Site.Title}
	var err error
	if opt.Start, err = parseFormDate(p.Start); err != nil {
		p.Errors["start"] = err.Error()
	}
	if opt.End, err = parseFormDate(p.End); err != nil {
		p.Errors["end"] = err.Error()
	}
	switch {
	case len(p.Errors) > 0:
	case p.Start == "" && p.End != "":
		p.Errors["start"] = "Give the first day of the period too, or leave both dates empty."
	case p.End == "" && p.Start != "":
		p.Errors["end"] = "Give the last day of the period too, or leave both dates empty."
	case opt.End.Before(opt.Start):
		p.Errors["end"] = "The period ends before it starts."
	}
	programs, err := programOptions(r, rq, nil)
	if err != nil {
		return err
	}
	for _, id := range selected {
		if !slices.ContainsFunc(programs, func(o programOption) bool { return o.ID == id }) {
			p.Errors["project"] = "One of the chosen programs no longer exists. Choose again."
		}
	}
	if len(p.Errors) > 0 {
		p.Error = "Nothing was exported."
		return s.renderExport(w, r, rq, http.StatusUnprocessableEntity, p, selected)
	}
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(exportTimeout))
	name := fmt.Sprintf("hearth-export-%s-%s.zip", rq.Site.Slug, time.Now().Format("2006-01-02"))
	dw := &downloadWriter{w: w, name: name}
	if _, err := transfer.Export(r.Context(), rq.Site.Store, dw, opt); err != nil {
		if !dw.started {
			return err
		}
		s.log.Error("export cut off", "request_id", requestID(r.Context()), "err", err)
		panic(http.ErrAbortHandler)
	}
	if !dw.started {
		dw.start()
	}
	return nil
}

// parseFormDate reads a date as typed: 10/01/2024 (as US case managers
// write it) or 2024-10-01. Empty is the zero date.
func parseFormDate(s string) (hmis.Date, error) {
	if s == "" {
		return hmis.Date{}, nil
	}
	for _, layout := range []string{"1/2/2006", hmis.DateLayout} {
		if t, err := time.Parse(layout, s); err == nil {
			return hmis.DateOf(t), nil
		}
	}
	return hmis.Date{}, fmt.Errorf("%q is not a date: write it like 10/01/2024.", s)
}

// downloadWriter sends the download's headers with its first byte.
type downloadWriter struct {
	w       http.ResponseWriter
	name    string
	started bool
}

func (d *downloadWriter) start() {
	d.started = true
	h := d.w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="`+d.name+`"`)
	d.w.WriteHeader(http.StatusOK)
}

func (d *downloadWriter) Write(b []byte) (int, error) {
	if !d.started {
		d.start()
	}
	return d.w.Write(b)
}
