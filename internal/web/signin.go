package web

import (
	"net"
	"net/http"

	"github.com/hearth-hmis/hearth/internal/auth"
	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Sessions are per site: each site has its own cookie, scoped to the
// site's path, so the live and the training site can be open side by side
// in two tabs with two different sign-ins.

func cookieName(slug string) string { return "hearth_" + slug }

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, slug, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name:     cookieName(slug),
		Value:    value,
		Path:     "/" + slug + "/",
		MaxAge:   maxAge, // 0: a browser-session cookie; the server enforces expiry
		HttpOnly: true,
		Secure:   s.cfg.SecureCookies || r.TLS != nil,
		SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request, slug string) {
	s.setCookie(w, r, slug, "", -1)
}

// loginPage is the sign-in form.
type loginPage struct {
	Shell
	Username string
	Next     string
	Error    string // why the sign-in failed
	Notice   string // why the person is here: session ended, signed out
}

// siteRoot sends /live to /live/, inside the cookie's path.
func (s *Server) siteRoot(w http.ResponseWriter, r *http.Request, rq *request) error {
	http.Redirect(w, r, rq.base()+"/", http.StatusMovedPermanently)
	return nil
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	p := loginPage{Shell: s.bareShell(rq, "Sign in"), Next: safeNext(rq.base(), q.Get("next"))}
	switch {
	case q.Get("ended") != "":
		p.Notice = "Your session has ended. Please sign in again."
	case q.Get("signed_out") != "":
		p.Notice = "You have signed out."
	}
	return s.render(w, r, http.StatusOK, "login", &p)
}

// login checks the password (auth.SignIn applies the lockout and audits
// the attempt), starts a session and goes where the person was going.
func (s *Server) login(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	username := r.PostFormValue("username")
	next := safeNext(rq.base(), r.PostFormValue("next"))
	st := rq.Site.Store
	acct, err := auth.SignIn(r.Context(), st, username, r.PostFormValue("password"))
	if hmis.ErrorCode(err) == hmis.EUNAUTHENTICATED {
		p := loginPage{Shell: s.bareShell(rq, "Sign in"), Username: username, Next: next, Error: hmis.ErrorMessage(err)}
		return s.render(w, r, http.StatusOK, "login", &p)
	}
	if err != nil {
		return err
	}
	token := auth.NewToken()
	ctx := hmis.NewContext(r.Context(), acct.Actor("web"))
	if _, err := st.CreateSession(ctx, token, acct.ID, clientIP(r), r.UserAgent(), s.cfg.SessionMaxAge); err != nil {
		return err
	}
	s.setCookie(w, r, rq.Site.Slug, token, 0)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// logout revokes the session, so the cookie is worthless even if copied,
// and clears the cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request, rq *request) error {
	if c, err := r.Cookie(cookieName(rq.Site.Slug)); err == nil && c.Value != "" {
		ctx := r.Context()
		if _, acct, err := rq.Site.Store.TouchSession(ctx, c.Value, s.cfg.IdleTimeout); err == nil {
			ctx = hmis.NewContext(ctx, acct.Actor("web"))
		}
		if err := rq.Site.Store.RevokeSession(ctx, c.Value); err != nil {
			return err
		}
	}
	s.clearCookie(w, r, rq.Site.Slug)
	http.Redirect(w, r, rq.base()+"/login?signed_out=1", http.StatusSeeOther)
	return nil
}

// clientIP is the peer address. Behind a reverse proxy this is the proxy;
// trusting X-Forwarded-For needs configuration Hearth does not have yet.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
