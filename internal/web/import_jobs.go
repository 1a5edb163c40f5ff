package web

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/sites"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/transfer"
)

// An uploaded export is imported in the background: the upload request
// ends as soon as the file is on disk, and the browser polls the job's
// status page. Jobs live in memory only, for their status pages; the
// durable record of every import is the store's imports table.

// keepFinishedJobs is how many finished jobs stay in memory.
const keepFinishedJobs = 20

// importJobs runs imports, at most one at a time per site. It is the one
// piece of Server that changes after New.
type importJobs struct {
	log *slog.Logger

	mu       sync.Mutex
	byID     map[string]*importJob
	running  map[string]*importJob // by site slug
	finished []string              // job IDs, oldest first
}

func newImportJobs(log *slog.Logger) *importJobs {
	return &importJobs{log: log, byID: map[string]*importJob{}, running: map[string]*importJob{}}
}

// importJob is one upload being imported. The fields above mu are set
// before the job starts and never change.
type importJob struct {
	ID       string
	Site     string
	FileName string // as uploaded
	Source   string
	Sharing  string
	DryRun   bool
	// DropInvalid: rows cut short or pointing at a missing record are left out.
	DropInvalid bool
	By          string // who started it
	Started     time.Time

	mu       sync.Mutex
	progress transfer.Progress
	done     bool
	finished time.Time
	result   *transfer.ImportResult
	err      error
}

// jobState is a consistent copy of a job's changing fields.
type jobState struct {
	Progress transfer.Progress
	Done     bool
	Finished time.Time
	Result   *transfer.ImportResult
	Err      error
}

func (j *importJob) state() jobState {
	j.mu.Lock()
	defer j.mu.Unlock()
	return jobState{j.progress, j.done, j.finished, j.result, j.err}
}

func (j *importJob) setProgress(p transfer.Progress) {
	j.mu.Lock()
	if p.Phase != "done" { // "done" carries no counts: keep the last ones
		j.progress = p
	}
	j.mu.Unlock()
	if h := importProgressHook; h != nil {
		h(p)
	}
}

// importProgressHook, when set (tests only), is called after each
// progress report of a running import, outside the job's lock: a browser
// test holds the import at chosen points to watch the bar move without
// racing the clock.
var importProgressHook func(transfer.Progress)

// get returns the job with the given ID on site.
func (js *importJobs) get(site, id string) (*importJob, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.byID[id]
	if !ok || j.Site != site {
		return nil, false
	}
	return j, true
}

// runningOn returns the job running on site, if any.
func (js *importJobs) runningOn(site string) *importJob {
	js.mu.Lock()
	defer js.mu.Unlock()
	return js.running[site]
}

// start runs job on st in the background, importing the file at path
// (and then removing dir, which holds it) as actor. If another job is
// running on the site it returns that job and starts nothing.
func (js *importJobs) start(st *sites.Site, job *importJob, actor hmis.Actor, reqID, path, dir string) (busy *importJob) {
	js.mu.Lock()
	if cur := js.running[job.Site]; cur != nil {
		js.mu.Unlock()
		return cur
	}
	js.running[job.Site] = job
	js.byID[job.ID] = job
	js.mu.Unlock()

	// Not the request's context: the request ends now, the import goes on.
	// It carries the administrator's actor, so the import is audited as them.
	ctx := hmis.NewContext(context.Background(), actor)
	ctx = context.WithValue(ctx, requestIDKey{}, reqID)
	go func() {
		defer os.RemoveAll(dir)
		var res *transfer.ImportResult
		var err error
		func() {
			defer func() {
				if v := recover(); v != nil {
					err = fmt.Errorf("panic: %v", v)
				}
			}()
			res, err = transfer.Import(ctx, st.Store, path, transfer.ImportOptions{Source: job.Source, Sharing: job.Sharing,
				DryRun: job.DryRun, DropInvalidRows: job.DropInvalid, FileName: job.FileName, Progress: job.setProgress})
		}()
		if err != nil {
			js.log.Error("import failed", "request_id", reqID, "site", job.Site, "job", job.ID, "err", err)
		}
		js.finish(job, res, err)
		// New clients may duplicate old ones: recompute the review queue
		// now rather than at the server's next round (issue 4 item 8).
		if err == nil && res != nil && res.Status == store.ImportImported {
			sys := hmis.NewContext(context.Background(), hmis.SystemActor("import"))
			if n, err := st.Store.RefreshDuplicatePairs(sys); err != nil {
				js.log.Error("duplicates after import", "request_id", reqID, "site", job.Site, "err", err)
			} else {
				js.log.Info("duplicates after import", "request_id", reqID, "site", job.Site, "pairs", n)
			}
		}
	}()
	return nil
}

// finish records the job's outcome, frees its site and forgets the
// oldest finished jobs.
func (js *importJobs) finish(job *importJob, res *transfer.ImportResult, err error) {
	job.mu.Lock()
	job.done, job.finished, job.result, job.err = true, time.Now(), res, err
	job.mu.Unlock()
	js.mu.Lock()
	defer js.mu.Unlock()
	delete(js.running, job.Site)
	js.finished = append(js.finished, job.ID)
	for len(js.finished) > keepFinishedJobs {
		delete(js.byID, js.finished[0])
		js.finished = js.finished[1:]
	}
}

// uploadDir is the data folder's place for uploads being imported.
func (s *Server) uploadDir() string { return filepath.Join(s.cfg.DataDir, "uploads") }

// newUploadDir makes a private folder for one upload, first removing
// what a crash left behind a day or more ago.
func (s *Server) newUploadDir() (string, error) {
	root := s.uploadDir()
	if err := os.MkdirAll(root, 0o700); err != nil {
		return "", err
	}
	if ents, err := os.ReadDir(root); err == nil {
		for _, e := range ents {
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > 24*time.Hour && strings.HasPrefix(e.Name(), "import-") {
				os.RemoveAll(filepath.Join(root, e.Name()))
			}
		}
	}
	return os.MkdirTemp(root, "import-")
}

// statusLabel names an import status for people.
func statusLabel(status string) string {
	switch status {
	case store.ImportImported:
		return "Imported"
	case store.ImportDryRun:
		return "Dry run"
	case store.ImportRejected:
		return "Rejected"
	case store.ImportFailed:
		return "Failed"
	case store.ImportRunning:
		return "Running or interrupted"
	}
	return status
}
