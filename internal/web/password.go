package web

import (
	"errors"
	"net/http"

	"github.com/hearth-hmis/hearth/internal/auth"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// passwordPage changes the signed-in account's password. An account made
// with a temporary password (hearth user add) is sent here after sign-in
// and can go nowhere else until it has chosen its own; demo accounts are
// exempt.
type passwordPage struct {
	Shell
	Forced bool
	Next   string
	Errors map[string]string
	Error  string
}

func passwordPath(base string) string { return base + "/profile/password" }

// mustChangePassword reports whether the account has to choose a new
// password before it may use the site.
func mustChangePassword(a *hmis.Account) bool { return a.MustChangePassword && !a.Demo }

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderPassword(w, r, rq, http.StatusOK, passwordPage{Next: safeNext(rq.base(), r.URL.Query().Get("next"))})
}

func (s *Server) renderPassword(w http.ResponseWriter, r *http.Request, rq *request, status int, p passwordPage) error {
	sh, err := s.shell(r, rq, "home", rq.base()+"/profile", "Change password")
	if err != nil {
		return err
	}
	p.Shell, p.Forced = sh, mustChangePassword(rq.Account)
	return s.render(w, r, status, "password", &p)
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	current, next, confirm := r.PostFormValue("current"), r.PostFormValue("new"), r.PostFormValue("confirm")
	p := passwordPage{Next: safeNext(rq.base(), r.PostFormValue("next")), Errors: map[string]string{}}
	st := rq.Site.Store
	_, hash, err := st.FindAccountByUsername(r.Context(), rq.Account.Username)
	if err != nil {
		return err
	}
	if ok, err := auth.VerifyPassword(hash, current); err != nil {
		return err
	} else if !ok {
		p.Errors["current"] = "This is not your current password."
	}
	if err := auth.CheckPasswordFor(next, rq.Account.Username); err != nil {
		var e *hmis.Error
		if errors.As(err, &e) {
			p.Errors["new"] = e.Fields["password"]
		}
	} else if next == current {
		p.Errors["new"] = "Choose a password different from the current one."
	}
	if confirm != next {
		p.Errors["confirm"] = "The two new passwords differ."
	}
	if len(p.Errors) > 0 {
		p.Error = "Your password was not changed."
		return s.renderPassword(w, r, rq, http.StatusUnprocessableEntity, p)
	}
	newHash, err := auth.HashPassword(next)
	if err != nil {
		return err
	}
	// SetPassword signs out every session of the account, this one too:
	// a stolen session does not survive a password change. This browser
	// gets a fresh one.
	if err := st.SetPassword(r.Context(), rq.Account.ID, newHash, false); err != nil {
		return err
	}
	token := auth.NewToken()
	mustEnrol, err := s.mustEnrol2FA(r.Context(), rq, *rq.Account)
	if err != nil {
		return err
	}
	if _, err := st.StartSession(r.Context(), store.NewSession{Token: token, AccountID: rq.Account.ID, IP: clientIP(r), UserAgent: r.UserAgent(),
		MaxAge: s.cfg.SessionMaxAge, MustEnrol2FA: mustEnrol}); err != nil {
		return err
	}
	s.setCookie(w, r, rq.Site.Slug, token, 0)
	to := p.Next
	if to == rq.base()+"/" {
		to = rq.base() + "/profile?password=1"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
