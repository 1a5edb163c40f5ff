package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// auditPath is the Audit Log page on the Home tab (administrators only).
const auditPath = "home/audit"

// auditPageSize is how many entries one page lists.
const auditPageSize = 100

// auditPage is the audit log, filtered by user, record, action and dates,
// newest first, a page at a time.
type auditPage struct {
	Shell
	User, Entity, EntityID, Action, Since, Until string
	Errors                                       map[string]string
	Entries                                      []store.AuditEntry
	Older                                        string // link to the next page, if any
	Actions                                      []string
}

// auditActions are offered in the action filter (any other can be typed
// into the address).
var auditActions = []string{"read", "search", "create", "update", "delete", "import", "export", "sign_in", "sign_in_failed", "sign_in_password"}

func (s *Server) auditLog(w http.ResponseWriter, r *http.Request, rq *request) error {
	sh, err := s.shell(r, rq, "home", rq.base()+"/"+auditPath, "Audit Log")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := auditPage{Shell: sh, Errors: map[string]string{}, Actions: auditActions,
		User: strings.TrimSpace(q.Get("user")), Entity: strings.TrimSpace(q.Get("entity")), EntityID: strings.TrimSpace(q.Get("id")),
		Action: strings.TrimSpace(q.Get("action")), Since: strings.TrimSpace(q.Get("since")), Until: strings.TrimSpace(q.Get("until"))}
	f := store.AuditFilter{User: p.User, Entity: p.Entity, EntityID: p.EntityID, Action: p.Action, Limit: auditPageSize}
	if f.Since, err = parseFilterDay(p.Since, false); err != nil {
		p.Errors["since"] = "Enter a date like 03/01/2026."
	}
	if f.Until, err = parseFilterDay(p.Until, true); err != nil {
		p.Errors["until"] = "Enter a date like 03/31/2026."
	}
	if b, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil && b > 0 {
		f.Before = b
	}
	status := http.StatusOK
	if len(p.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	} else {
		st := rq.Site.Store
		if p.Entries, err = st.FindAudit(r.Context(), f); err != nil {
			return err
		}
		// Reading the audit log is itself audited.
		if err := st.Audit(r.Context(), "read", "audit_log", "", fmt.Sprintf("%d entries listed", len(p.Entries))); err != nil {
			return err
		}
		if len(p.Entries) == auditPageSize {
			older := url.Values{}
			for k, v := range q {
				older[k] = v
			}
			older.Set("before", strconv.FormatInt(p.Entries[len(p.Entries)-1].ID, 10))
			p.Older = rq.base() + "/" + auditPath + "?" + older.Encode()
		}
	}
	return s.render(w, r, status, "audit", &p)
}

// parseFilterDay reads a date as people type it (mm/dd/yyyy, or the
// yyyy-mm-dd of a date input) as the start of that day, server time; with
// end, the start of the next day, so that "until" includes the day.
func parseFilterDay(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	var d time.Time
	var err error
	for _, layout := range []string{"01/02/2006", "1/2/2006", "2006-01-02"} {
		if d, err = time.ParseInLocation(layout, s, time.Local); err == nil {
			break
		}
	}
	if err != nil {
		return time.Time{}, &hmis.Error{Code: hmis.EINVALID, Message: "not a date"}
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}
