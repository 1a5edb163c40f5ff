package web

import (
	"net"
	"net/http"

	"github.com/hearth-hmis/hearth/internal/auth"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
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
	case q.Get("ended") == "replaced":
		p.Notice = store.ErrSessionReplaced.Message
	case q.Get("ended") == "revoked":
		p.Notice = store.ErrSessionRevoked.Message
	case q.Get("ended") != "":
		p.Notice = "Your session has ended. Please sign in again."
	case q.Get("signed_out") != "":
		p.Notice = "You have signed out."
	}
	return s.render(w, r, http.StatusOK, "login", &p)
}

// login checks the password (auth.SignInPassword applies the lockout and
// audits the attempt). With two-factor sign-in on, it asks for the code
// next (totp.go); otherwise it starts a session and goes where the
// person was going.
func (s *Server) login(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	username := r.PostFormValue("username")
	next := safeNext(rq.base(), r.PostFormValue("next"))
	st := rq.Site.Store
	acct, needCode, err := auth.SignInPassword(r.Context(), st, username, r.PostFormValue("password"))
	if hmis.ErrorCode(err) == hmis.EUNAUTHENTICATED {
		p := loginPage{Shell: s.bareShell(rq, "Sign in"), Username: username, Next: next, Error: hmis.ErrorMessage(err)}
		return s.render(w, r, http.StatusOK, "login", &p)
	}
	if err != nil {
		return err
	}
	if needCode {
		return s.askForCode(w, r, rq, acct, next)
	}
	return s.startSession(w, r, rq, acct, next)
}

// startSession signs acct in: a new session (ending the account's older
// ones beyond the configured limit), its cookie, and on to next.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, rq *request, acct hmis.Account, next string) error {
	st := rq.Site.Store
	ctx := hmis.NewContext(r.Context(), acct.Actor("web"))
	mustEnrol, err := s.mustEnrol2FA(ctx, rq, acct)
	if err != nil {
		return err
	}
	token := auth.NewToken()
	if _, err := st.StartSession(ctx, store.NewSession{Token: token, AccountID: acct.ID, IP: clientIP(r), UserAgent: r.UserAgent(),
		MaxAge: s.cfg.SessionMaxAge, MaxSessions: s.maxSessions(), MustEnrol2FA: mustEnrol}); err != nil {
		return err
	}
	s.setCookie(w, r, rq.Site.Slug, token, 0)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// maxSessions is the per-user session limit for StartSession: 0 (no
// limit) when configured as -1; the zero Config means the default, 1.
func (s *Server) maxSessions() int {
	switch n := s.cfg.MaxSessions; {
	case n < 0:
		return 0
	case n == 0:
		return 1
	default:
		return n
	}
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
