package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/sites"
	"github.com/hearth-hmis/hearth/internal/store"
)

// request is what a site handler knows about the request beyond
// *http.Request: the site, and on signed-in pages the session and account.
type request struct {
	Site    *sites.Site
	Account *hmis.Account // nil when not signed in
	Session hmis.Session
	pii     store.PIIGrants // the user's PII permissions, read once (piiGrants, pii_client.go)
}

// base is the site's URL prefix, e.g. "/live".
func (rq *request) base() string { return "/" + rq.Site.Slug }

// siteHandler handles a request on one site.
type siteHandler func(w http.ResponseWriter, r *http.Request, rq *request) error

// handle adapts a handler that returns an error; errors become pages.
func (s *Server) handle(h func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, nil, err)
		}
	})
}

// site resolves {site}; an unknown site is not found. The context carries
// the anonymous web actor, which the sign-in's audit rows name.
func (s *Server) site(h siteHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st, ok := s.reg.Get(r.PathValue("site"))
		if !ok {
			s.fail(w, r, nil, errPageNotFound)
			return
		}
		rq := &request{Site: st}
		r = r.WithContext(hmis.NewContext(r.Context(), hmis.Actor{Username: "anonymous", Via: "web"}))
		if err := h(w, r, rq); err != nil {
			s.fail(w, r, rq, err)
		}
	})
}

// page is site plus a live session: it loads the session from the site's
// cookie (touching it, so idle time restarts), and puts the account's
// actor into the context. Without one it sends the browser to sign in,
// remembering where it was going.
func (s *Server) page(h siteHandler) http.Handler {
	return s.site(func(w http.ResponseWriter, r *http.Request, rq *request) error {
		c, err := r.Cookie(cookieName(rq.Site.Slug))
		if err != nil || c.Value == "" {
			return s.toSignIn(w, r, rq, false)
		}
		state, err := rq.Site.Store.TouchSessionState(r.Context(), c.Value, s.cfg.IdleTimeout)
		if hmis.ErrorCode(err) == hmis.EUNAUTHENTICATED {
			s.clearCookie(w, r, rq.Site.Slug)
			return s.toSignInWhy(w, r, rq, endedReason(err))
		}
		if err != nil {
			return err
		}
		acct, sess := state.Account, state.Session
		rq.Account, rq.Session = &acct, sess
		r = r.WithContext(hmis.NewContext(r.Context(), acct.Actor("web")))
		if state.MustEnrol2FA && !acct.Demo && !mustChangePassword(&acct) && !isEnrolPath(rq.base(), r.URL.Path) {
			// The site requires two-factor sign-in and this account has
			// none yet: enrolment first, like a forced password change.
			http.Redirect(w, r, twoFactorPath(rq.base())+"?required=1", http.StatusSeeOther)
			return nil
		}
		if mustChangePassword(&acct) && r.URL.Path != passwordPath(rq.base()) {
			// A temporary password opens nothing but the page that replaces it.
			to := passwordPath(rq.base())
			if r.Method == http.MethodGet {
				to += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return nil
		}
		return h(w, r, rq)
	})
}

// admin is page for HMIS administrators only. Anyone else is told the
// page does not exist, never that it is forbidden: a page outside the
// user's scope is not found.
func (s *Server) admin(h siteHandler) http.Handler {
	return s.page(func(w http.ResponseWriter, r *http.Request, rq *request) error {
		if !isAdmin(rq) {
			return errPageNotFound
		}
		return h(w, r, rq)
	})
}

// desk wraps a page for the support desk (HMIS administrators and the
// HMIS support role): everyone else gets "not found".
func (s *Server) desk(h siteHandler) http.Handler {
	return s.page(func(w http.ResponseWriter, r *http.Request, rq *request) error {
		if !isDesk(rq) {
			return errPageNotFound
		}
		return h(w, r, rq)
	})
}

// isDesk reports whether the signed-in account works the support desk.
func isDesk(rq *request) bool {
	return rq != nil && rq.Account != nil && rq.Account.Role.WorksSupportDesk()
}

// isAdmin reports whether the signed-in account is an HMIS administrator.
func isAdmin(rq *request) bool {
	return rq != nil && rq.Account != nil && rq.Account.Role == hmis.RoleAdmin
}

// toSignIn redirects to the site's sign-in page. ended says a session
// existed and is over (idle, expired, revoked), which the page explains.
func (s *Server) toSignIn(w http.ResponseWriter, r *http.Request, rq *request, ended bool) error {
	why := ""
	if ended {
		why = "1"
	}
	return s.toSignInWhy(w, r, rq, why)
}

// toSignInWhy is toSignIn with the reason the session ended ("" none,
// "1" idle or expired, "replaced", "revoked": see endedReason).
func (s *Server) toSignInWhy(w http.ResponseWriter, r *http.Request, rq *request, ended string) error {
	q := url.Values{}
	if r.Method == http.MethodGet && r.Header.Get("HX-Request") == "" {
		q.Set("next", r.URL.RequestURI())
	}
	if ended != "" {
		q.Set("ended", ended)
	}
	to := rq.base() + "/login"
	if len(q) > 0 {
		to += "?" + q.Encode()
	}
	if r.Header.Get("HX-Request") != "" {
		// htmx would swap the sign-in page into a fragment: ask it to navigate.
		w.Header().Set("HX-Redirect", to)
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// safeNext returns next when it is a path on this site, else the dashboard.
// Only same-site relative paths are accepted: no scheme, no host, no
// protocol-relative "//", no backslashes browsers treat as slashes.
func safeNext(base, next string) string {
	home := base + "/"
	if next == "" || !strings.HasPrefix(next, home) || strings.ContainsAny(next, "\\\r\n\t") || strings.HasPrefix(next, "//") {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || strings.Contains(u.Path, "..") {
		return home
	}
	if u.Path == base+"/login" || u.Path == base+"/logout" {
		return home
	}
	return next
}
