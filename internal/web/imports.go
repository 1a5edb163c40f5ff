package web

import (
	"errors"
	"fmt"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/transfer"
)

// Import HMIS CSV (Home tab, administrators only): upload an export, watch
// it import, read the report. The upload streams to a file in the data
// folder, never into memory; the import runs in the background (see
// import_jobs.go) while the status page polls a fragment.

const (
	importPath = "home/import"
	exportPath = "home/export"

	// formSlack is what a request may hold beyond the file: the other fields
	// and the multipart framing.
	formSlack = 64 << 10
	// uploadTimeout replaces the server's read timeout for an upload: a
	// 2 GB file over a slow link takes longer than five minutes.
	uploadTimeout = 2 * time.Hour
	// historyLimit is how many past imports the page lists.
	historyLimit = 50
)

// importForm is what the import form holds (the file aside).
type importForm struct {
	Source  string
	Sharing string // transfer.SharingRestrict or SharingGlobal
	DryRun  bool
	// DropInvalid leaves out rows that are cut short or point at a record
	// missing from the export (hearth import --drop-invalid-rows).
	DropInvalid bool
}

// importsPage is the import form and the list of past imports.
type importsPage struct {
	Shell
	Form      importForm
	Errors    map[string]string
	Error     string
	Running   *importJob // the import running on this site, if any
	RunningAt string     // its status page
	MaxUpload string     // "2 GB"
	History   []importRow
}

// importRow is one past import in the history.
type importRow struct {
	store.ImportRecord
	StatusLabel string
	ReportURL   string // "" when the import kept no report
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderImports(w, r, rq, http.StatusOK, importsPage{Form: importForm{Sharing: transfer.SharingRestrict}})
}

func (s *Server) renderImports(w http.ResponseWriter, r *http.Request, rq *request, status int, p importsPage) error {
	sh, err := s.shell(r, rq, "home", rq.base()+"/"+importPath, "Import HMIS CSV")
	if err != nil {
		return err
	}
	p.Shell, p.MaxUpload = sh, formatSize(s.cfg.MaxUploadBytes)
	if p.Running = s.jobs.runningOn(rq.Site.Slug); p.Running != nil {
		p.RunningAt = jobURL(rq, p.Running.ID)
	}
	recs, err := rq.Site.Store.FindImports(r.Context(), historyLimit)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		row := importRow{ImportRecord: rec, StatusLabel: statusLabel(rec.Status)}
		if rec.Status != store.ImportRunning && (rec.Errors > 0 || rec.Warnings > 0) {
			row.ReportURL = reportURL(rq, rec.ID)
		}
		p.History = append(p.History, row)
	}
	return s.render(w, r, status, "imports", &p)
}

func jobURL(rq *request, id string) string    { return rq.base() + "/" + importPath + "/jobs/" + id }
func reportURL(rq *request, id string) string { return rq.base() + "/" + importPath + "/reports/" + id }
func pollURL(rq *request, id string) string   { return jobURL(rq, id) + "/progress" }
func importsURL(rq *request) string           { return rq.base() + "/" + importPath }
func isTooLarge(err error) bool               { var e *http.MaxBytesError; return errors.As(err, &e) }
func fieldText(p *multipart.Part) (string, error) {
	b, err := io.ReadAll(io.LimitReader(p, 4<<10))
	return strings.TrimSpace(string(b)), err
}

// upload receives the form, streams the file to the data folder and
// starts the import, then sends the browser to the job's status page.
func (s *Server) upload(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := importsPage{Form: importForm{Sharing: transfer.SharingRestrict}, Errors: map[string]string{}}
	if cur := s.jobs.runningOn(rq.Site.Slug); cur != nil {
		p.Error = busyMessage(cur)
		return s.renderImports(w, r, rq, http.StatusConflict, p)
	}
	max := s.cfg.MaxUploadBytes
	tooLarge := func() error {
		p.Errors["file"] = fmt.Sprintf("The file is larger than the limit of %s set by HEARTH_MAX_UPLOAD.", formatSize(max))
		p.Error = "Nothing was imported."
		return s.renderImports(w, r, rq, http.StatusRequestEntityTooLarge, p)
	}
	// A body announced as too large is refused before the file is read;
	// one that is not announced is cut off at the limit.
	announcedTooLarge := r.ContentLength > max+formSlack
	r.Body = http.MaxBytesReader(w, r.Body, max+formSlack)
	http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadTimeout))
	mr, err := r.MultipartReader()
	if err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	dir, err := s.newUploadDir()
	if err != nil {
		return err
	}
	started := false
	defer func() {
		if !started {
			os.RemoveAll(dir)
		}
	}()
	var path, name string
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if isTooLarge(err) {
			return tooLarge()
		}
		if err != nil {
			return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
		}
		switch part.FormName() {
		case "file":
			if part.FileName() == "" {
				continue // no file chosen
			}
			if announcedTooLarge {
				return tooLarge()
			}
			name = uploadName(part.FileName())
			path = filepath.Join(dir, name)
			n, err := saveFile(path, part, max)
			if isTooLarge(err) || n > max {
				return tooLarge()
			}
			if err != nil {
				return err
			}
		case "source":
			if p.Form.Source, err = fieldText(part); err != nil {
				return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
			}
		case "sharing":
			if p.Form.Sharing, err = fieldText(part); err != nil {
				return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
			}
		case "dryrun":
			p.Form.DryRun = true
		case "dropinvalid":
			p.Form.DropInvalid = true
		}
	}
	if path == "" {
		p.Errors["file"] = "Choose the export to import: a .zip file."
	}
	if p.Form.Sharing != transfer.SharingRestrict && p.Form.Sharing != transfer.SharingGlobal {
		p.Errors["sharing"] = "Choose who may see the imported clients."
		p.Form.Sharing = transfer.SharingRestrict
	}
	if len(p.Form.Source) > 200 {
		p.Errors["source"] = "Give a shorter name (at most 200 characters)."
	}
	if len(p.Errors) > 0 {
		p.Error = "Nothing was imported."
		return s.renderImports(w, r, rq, http.StatusUnprocessableEntity, p)
	}
	job := &importJob{ID: store.NewID(), Site: rq.Site.Slug, FileName: name, Source: p.Form.Source, Sharing: p.Form.Sharing,
		DryRun: p.Form.DryRun, DropInvalid: p.Form.DropInvalid, By: rq.Account.DisplayName(), Started: time.Now()}
	if cur := s.jobs.start(rq.Site, job, rq.Account.Actor("web"), requestID(r.Context()), path, dir); cur != nil {
		p.Error = busyMessage(cur)
		return s.renderImports(w, r, rq, http.StatusConflict, p)
	}
	started = true
	http.Redirect(w, r, jobURL(rq, job.ID), http.StatusSeeOther)
	return nil
}

func busyMessage(j *importJob) string {
	return fmt.Sprintf("An import is already running on this site (%s, started by %s at %s). Wait for it to finish, then upload again.",
		j.FileName, j.By, datetime(j.Started))
}

// saveFile copies at most max+1 bytes of r to a new file at path and
// returns how many it copied.
func saveFile(path string, r io.Reader, max int64) (int64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(f, io.LimitReader(r, max+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// uploadName keeps the base of the browser's file name, safe to use as a
// file name in the upload's own folder (and shown in the import's record).
func uploadName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < ' ' || r == '/' || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if len(name) > 200 {
		name = name[len(name)-200:]
	}
	if name == "" || name == "." || name == ".." {
		name = "upload.zip"
	}
	return name
}

// formatSize writes a byte count for people, in powers of 1024:
// 2147483648 -> "2 GB".
func formatSize(n int64) string {
	for _, u := range []struct {
		name string
		n    int64
	}{{"TB", 1 << 40}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}} {
		if n >= u.n {
			v := math.Round(float64(n)/float64(u.n)*10) / 10
			return strconv.FormatFloat(v, 'f', -1, 64) + " " + u.name
		}
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// importReport downloads an import's whole report as CSV
// (file,row,column,value,severity,message), from the imports table.
func (s *Server) importReport(w http.ResponseWriter, r *http.Request, rq *request) error {
	rec, err := rq.Site.Store.FindImportByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if rec.Report == "" {
		return &hmis.Error{Code: hmis.ENOTFOUND, Message: "This import kept no report."}
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="hearth-import-report-%s.csv"`, rec.ID))
	h.Set("Content-Length", strconv.Itoa(len(rec.Report)))
	io.WriteString(w, rec.Report)
	return nil
}
