package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// errPageNotFound is the answer for a path no route serves.
var errPageNotFound = &hmis.Error{Code: hmis.ENOTFOUND, Message: "There is no page at this address."}

// errorPage is the page for any error a handler returns.
type errorPage struct {
	Shell
	Status    int
	Message   string
	Reference string // the request ID, for internal errors
}

// statusOf maps an hmis error code to an HTTP status: the one place it is done.
func statusOf(code string) int {
	switch code {
	case hmis.ENOTFOUND:
		return http.StatusNotFound
	case hmis.EINVALID:
		return http.StatusBadRequest
	case hmis.ECONFLICT:
		return http.StatusConflict
	case hmis.EFORBIDDEN:
		return http.StatusForbidden
	case hmis.EUNAUTHENTICATED:
		return http.StatusUnauthorized
	}
	return http.StatusInternalServerError
}

// fail renders err as a page. Internal errors are logged with the request
// ID and shown only as a reference; the others show their message, which
// hmis.Error guarantees is safe. rq is nil outside a site.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	code := hmis.ErrorCode(err)
	if code == hmis.EUNAUTHENTICATED && rq != nil {
		s.toSignIn(w, r, rq, true)
		return
	}
	status := statusOf(code)
	id := requestID(r.Context())
	page := errorPage{Status: status}
	switch status {
	case http.StatusInternalServerError:
		if errors.Is(err, context.Canceled) {
			return // the browser went away; nobody is reading
		}
		// The error text stays in the log; it may name a table, never form values.
		s.log.Error("internal error", "request_id", id, "route", r.Pattern, "err", err)
		page.Title = "Something went wrong"
		page.Message = "Something went wrong (reference " + id + "). Please try again; if it keeps happening, give the reference to your HMIS administrator."
		page.Reference = id
	case http.StatusNotFound:
		page.Title = "Page not found"
		page.Message = hmis.ErrorMessage(err)
	default:
		page.Title = http.StatusText(status)
		page.Message = hmis.ErrorMessage(err)
	}
	page.Shell = s.bareShell(rq, page.Title)
	if rerr := s.render(w, r, status, "error", &page); rerr != nil {
		s.log.Error("render error page", "request_id", id, "err", rerr)
		http.Error(w, "Something went wrong (reference "+id+")", http.StatusInternalServerError)
	}
}

// notFound answers paths that no route serves. Under a known site the
// page still wears that site's header (and training banner).
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	var rq *request
	slug, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if st, ok := s.reg.Get(slug); ok {
		rq = &request{Site: st}
	}
	s.fail(w, r, rq, errPageNotFound)
}

// crossOrigin answers a form posted from another site (CSRF).
func (s *Server) crossOrigin(w http.ResponseWriter, r *http.Request) error {
	s.log.Warn("cross-origin request refused", "request_id", requestID(r.Context()), "method", r.Method)
	return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "This form was sent from another website, so Hearth refused it. Go back, reload the page and try again."}
}
