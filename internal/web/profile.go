package web

import (
	"net/http"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// profilePage is My Profile: the signed-in account and its sessions, each
// of which can be signed out from here (a browser left signed in at the
// front desk, say).
type profilePage struct {
	Shell
	Me        hmis.Account
	Sessions  []sessionRow
	Notice    string
	TwoFactor bool // two-factor sign-in is on
	Contact   contactForm
}

type sessionRow struct {
	hmis.Session
	Current bool
}

func (s *Server) profile(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderProfile(w, r, rq, http.StatusOK, contactForm{})
}

// renderProfile shows My Profile; c is the name and contact form as typed
// (zero: read from the store).
func (s *Server) renderProfile(w http.ResponseWriter, r *http.Request, rq *request, status int, c contactForm) error {
	sh, err := s.shell(r, rq, "home", rq.base()+"/profile", "My Profile")
	if err != nil {
		return err
	}
	list, err := rq.Site.Store.FindSessions(r.Context(), rq.Account.ID)
	if err != nil {
		return err
	}
	tf, err := rq.Site.Store.FindTwoFactor(r.Context(), rq.Account.ID)
	if err != nil {
		return err
	}
	if c.Values == nil {
		if c, err = s.contactFormOf(r, rq); err != nil {
			return err
		}
	}
	p := profilePage{Shell: sh, Me: *rq.Account, TwoFactor: tf.Enabled, Contact: c}
	for _, ss := range list {
		p.Sessions = append(p.Sessions, sessionRow{Session: ss, Current: ss.ID == rq.Session.ID})
	}
	if r.URL.Query().Get("revoked") != "" {
		p.Notice = "The session was signed out."
	}
	if r.URL.Query().Get("password") != "" {
		p.Notice = "Your password was changed. Your other sessions were signed out."
	}
	if r.URL.Query().Get("saved") != "" {
		p.Notice = "Your name and contact were saved."
	}
	return s.render(w, r, status, "profile", &p)
}

// revokeSession signs out one of the account's own sessions. Revoking the
// current one is signing out.
func (s *Server) revokeSession(w http.ResponseWriter, r *http.Request, rq *request) error {
	id := r.PathValue("id")
	if err := rq.Site.Store.RevokeSessionByID(r.Context(), rq.Account.ID, id); err != nil {
		return err
	}
	if id == rq.Session.ID {
		s.clearCookie(w, r, rq.Site.Slug)
		http.Redirect(w, r, rq.base()+"/login?signed_out=1", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, rq.base()+"/profile?revoked=1", http.StatusSeeOther)
	return nil
}
