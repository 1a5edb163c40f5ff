package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/auth"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/secret"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Two-factor sign-in (TOTP). After a right password, an account with
// two-factor on gets a short-lived sign-in challenge (its own cookie,
// scoped to the site's /login paths) and the code page; the session
// starts only when a code is accepted. Enrolment is on My Profile: the
// secret is shown (in groups and as an otpauth:// URI) and turns on once
// a code from it is typed, and ten recovery codes are shown once.

// challengeTTL is how long the code page waits after the password.
const challengeTTL = 5 * time.Minute

func twoFactorPath(base string) string { return base + "/profile/2fa" }

func challengeCookie(slug string) string { return "hearth_" + slug + "_2fa" }

// isEnrolPath reports whether path is one a session that must enrol may
// open: the enrolment pages themselves.
func isEnrolPath(base, path string) bool {
	p := twoFactorPath(base)
	return path == p || strings.HasPrefix(path, p+"/")
}

// endedReason is the sign-in page's ?ended= value for why a session ended.
func endedReason(err error) string {
	switch {
	case errors.Is(err, store.ErrSessionReplaced):
		return "replaced"
	case errors.Is(err, store.ErrSessionRevoked):
		return "revoked"
	}
	return "1"
}

// siteKey is the key TOTP secrets are sealed with (internal/secret),
// loaded once by New.
func (s *Server) siteKey() (*secret.Key, error) { return s.key, nil }

// totpAD binds a sealed secret to its account.
func totpAD(accountID string) []byte { return []byte("totp:" + accountID) }

// mustEnrol2FA reports whether acct must set up two-factor sign-in
// before using the site: the site requires it of the account's role, and
// it is not on yet. Demo accounts are exempt.
func (s *Server) mustEnrol2FA(ctx context.Context, rq *request, acct hmis.Account) (bool, error) {
	pol, err := rq.Site.Store.FindTwoFactorPolicy(ctx)
	if err != nil || !pol.Requires(acct) {
		return false, err
	}
	tf, err := rq.Site.Store.FindTwoFactor(ctx, acct.ID)
	return !tf.Enabled, err
}

// codePage asks for the second factor.
type codePage struct {
	Shell
	Next  string
	Error string
}

// askForCode starts a sign-in challenge and sends the browser to the
// code page.
func (s *Server) askForCode(w http.ResponseWriter, r *http.Request, rq *request, acct hmis.Account, next string) error {
	token := auth.NewToken()
	if err := rq.Site.Store.CreateSignInChallenge(r.Context(), token, acct.ID, challengeTTL); err != nil {
		return err
	}
	s.setChallenge(w, r, rq.Site.Slug, token, int(challengeTTL/time.Second))
	http.Redirect(w, r, rq.base()+"/login/code?next="+url.QueryEscape(next), http.StatusSeeOther)
	return nil
}

func (s *Server) setChallenge(w http.ResponseWriter, r *http.Request, slug, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name:     challengeCookie(slug),
		Value:    value,
		Path:     "/" + slug + "/login",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.cfg.SecureCookies || r.TLS != nil,
		SameSite: http.SameSiteLaxMode,
	})
}

// challenge returns the account of the request's live sign-in challenge.
func (s *Server) challenge(r *http.Request, rq *request) (string, hmis.Account, error) {
	c, err := r.Cookie(challengeCookie(rq.Site.Slug))
	if err != nil || c.Value == "" {
		return "", hmis.Account{}, &hmis.Error{Code: hmis.EUNAUTHENTICATED, Message: "Please sign in again."}
	}
	acct, err := rq.Site.Store.FindSignInChallenge(r.Context(), c.Value)
	return c.Value, acct, err
}

func (s *Server) codeForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	next := safeNext(rq.base(), r.URL.Query().Get("next"))
	if _, _, err := s.challenge(r, rq); err != nil {
		if hmis.ErrorCode(err) == hmis.EUNAUTHENTICATED {
			http.Redirect(w, r, rq.base()+"/login?next="+url.QueryEscape(next), http.StatusSeeOther)
			return nil
		}
		return err
	}
	return s.render(w, r, http.StatusOK, "login_code", &codePage{Shell: s.bareShell(rq, "Enter your code"), Next: next})
}

// code checks the second factor (auth.SignInCode: lockout, one use per
// code, audit) and starts the session.
func (s *Server) code(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	next := safeNext(rq.base(), r.PostFormValue("next"))
	token, acct, err := s.challenge(r, rq)
	if hmis.ErrorCode(err) == hmis.EUNAUTHENTICATED {
		p := loginPage{Shell: s.bareShell(rq, "Sign in"), Next: next, Error: hmis.ErrorMessage(err)}
		return s.render(w, r, http.StatusOK, "login", &p)
	}
	if err != nil {
		return err
	}
	key, err := s.siteKey()
	if err != nil {
		return err
	}
	st := rq.Site.Store
	id, username := acct.ID, acct.Username
	acct, err = auth.SignInCode(r.Context(), st, id, r.PostFormValue("code"), func(sealed string) ([]byte, error) {
		return key.Open(sealed, totpAD(id))
	})
	if errors.Is(err, auth.ErrWrongCode) || errors.Is(err, auth.ErrCodeReused) {
		p := codePage{Shell: s.bareShell(rq, "Enter your code"), Next: next, Error: hmis.ErrorMessage(err)}
		return s.render(w, r, http.StatusUnprocessableEntity, "login_code", &p)
	}
	// Whatever else happens, this challenge is spent.
	if err := st.EndSignInChallenge(r.Context(), token); err != nil {
		return err
	}
	s.setChallenge(w, r, rq.Site.Slug, "", -1)
	if hmis.ErrorCode(err) == hmis.EUNAUTHENTICATED {
		p := loginPage{Shell: s.bareShell(rq, "Sign in"), Username: username, Next: next, Error: hmis.ErrorMessage(err)}
		return s.render(w, r, http.StatusOK, "login", &p)
	}
	if err != nil {
		return err
	}
	return s.startSession(w, r, rq, acct, next)
}

// twoFactorPage is two-factor sign-in on My Profile.
type twoFactorPage struct {
	Shell
	Enabled       bool
	Required      bool   // the site requires it of this account
	Forced        bool   // sent here before anything else opens
	Secret        string // pending enrolment: the secret in groups
	URI           string // and as an otpauth:// URI
	RecoveryLeft  int
	RecoveryCodes []string // shown once, right after enrolment
	Notice        string
	Error         string
}

func (s *Server) twoFactor(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := twoFactorPage{}
	switch {
	case r.URL.Query().Get("off") != "":
		p.Notice = "Two-factor sign-in is off."
	}
	return s.renderTwoFactor(w, r, rq, http.StatusOK, p)
}

// renderTwoFactor fills in the account's state and renders the page.
// Pages that show a secret or codes must not be kept by the browser.
func (s *Server) renderTwoFactor(w http.ResponseWriter, r *http.Request, rq *request, status int, p twoFactorPage) error {
	sh, err := s.shell(r, rq, "home", rq.base()+"/profile", "Two-factor sign-in")
	if err != nil {
		return err
	}
	p.Shell = sh
	st := rq.Site.Store
	tf, err := st.FindTwoFactor(r.Context(), rq.Account.ID)
	if err != nil {
		return err
	}
	pol, err := st.FindTwoFactorPolicy(r.Context())
	if err != nil {
		return err
	}
	p.Enabled, p.RecoveryLeft, p.Required = tf.Enabled, tf.RecoveryCodes, pol.Requires(*rq.Account)
	p.Forced = p.Required && !tf.Enabled
	if !tf.Enabled && tf.Sealed != "" && p.RecoveryCodes == nil {
		key, err := s.siteKey()
		if err != nil {
			return err
		}
		sec, err := key.Open(tf.Sealed, totpAD(rq.Account.ID))
		if err != nil {
			return err
		}
		p.Secret = auth.GroupTOTPSecret(sec)
		p.URI = auth.TOTPURI(rq.Site.Title, rq.Account.Username, sec)
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, status, "twofactor", &p)
}

// startTwoFactor makes a new secret and shows it for confirmation.
func (s *Server) startTwoFactor(w http.ResponseWriter, r *http.Request, rq *request) error {
	key, err := s.siteKey()
	if err != nil {
		return err
	}
	sealed := key.Seal(auth.NewTOTPSecret(), totpAD(rq.Account.ID))
	if err := rq.Site.Store.BeginTOTP(r.Context(), rq.Account.ID, sealed); err != nil {
		return err
	}
	http.Redirect(w, r, twoFactorPath(rq.base()), http.StatusSeeOther)
	return nil
}

// confirmTwoFactor turns two-factor on when the code matches the pending
// secret, and shows the recovery codes, once.
func (s *Server) confirmTwoFactor(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	st := rq.Site.Store
	tf, err := st.FindTwoFactor(r.Context(), rq.Account.ID)
	if err != nil {
		return err
	}
	if tf.Enabled || tf.Sealed == "" {
		http.Redirect(w, r, twoFactorPath(rq.base()), http.StatusSeeOther)
		return nil
	}
	key, err := s.siteKey()
	if err != nil {
		return err
	}
	sec, err := key.Open(tf.Sealed, totpAD(rq.Account.ID))
	if err != nil {
		return err
	}
	step, res := auth.MatchTOTP(sec, r.PostFormValue("code"), st.Now(), 0)
	if res != auth.TOTPOK {
		return s.renderTwoFactor(w, r, rq, http.StatusUnprocessableEntity, twoFactorPage{
			Error: "That code is not right. Check that your phone's clock is set automatically, and enter the 6-digit code the app shows now."})
	}
	codes := auth.NewRecoveryCodes(auth.RecoveryCodeCount)
	hashes := make([]string, len(codes))
	for i, c := range codes {
		hashes[i] = auth.HashRecoveryCode(c)
	}
	if err := st.EnableTOTP(r.Context(), rq.Account.ID, step, hashes); err != nil {
		return err
	}
	return s.renderTwoFactor(w, r, rq, http.StatusOK, twoFactorPage{RecoveryCodes: codes,
		Notice: "Two-factor sign-in is on. From now on you sign in with your password and a code from the app."})
}

// disableTwoFactor turns two-factor off, with the password as proof; a
// site that requires it does not let it be turned off.
func (s *Server) disableTwoFactor(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	st := rq.Site.Store
	pol, err := st.FindTwoFactorPolicy(r.Context())
	if err != nil {
		return err
	}
	if pol.Requires(*rq.Account) {
		return s.renderTwoFactor(w, r, rq, http.StatusUnprocessableEntity, twoFactorPage{
			Error: "This site requires two-factor sign-in for your account, so it cannot be turned off. If you lost your phone, ask your HMIS administrator."})
	}
	_, hash, err := st.FindAccountByUsername(r.Context(), rq.Account.Username)
	if err != nil {
		return err
	}
	if ok, err := auth.VerifyPassword(hash, r.PostFormValue("password")); err != nil {
		return err
	} else if !ok {
		return s.renderTwoFactor(w, r, rq, http.StatusUnprocessableEntity, twoFactorPage{Error: "This is not your current password. Two-factor sign-in is still on."})
	}
	if err := st.DisableTOTP(r.Context(), rq.Account.ID); err != nil {
		return err
	}
	http.Redirect(w, r, twoFactorPath(rq.base())+"?off=1", http.StatusSeeOther)
	return nil
}
