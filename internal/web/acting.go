package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Acting for (issue 6 item 4): a user who belongs to several
// organizations acts for one at a time, shown in the header of every page
// with a switch; the session keeps the choice (store/memberships.go), and
// every access decision, audit row and record follows it.

// actingFor returns the name of the organization the user acts for and,
// when they belong to several, the organizations to switch between.
func (s *Server) actingFor(r *http.Request, rq *request) (string, []option, error) {
	if rq == nil || rq.Account == nil {
		return "", nil, nil
	}
	ctx := r.Context()
	orgs, err := rq.Site.Store.AccountOrganizations(ctx, rq.Account.ID)
	if err != nil {
		return "", nil, err
	}
	acting := ""
	opts := make([]option, 0, len(orgs))
	for _, o := range orgs {
		if o.OrganizationID == rq.Account.OrganizationID {
			acting = o.Name
		}
		opts = append(opts, option{o.OrganizationID, o.Name})
	}
	if len(orgs) < 2 {
		return acting, nil, nil
	}
	return acting, opts, nil
}

// switchOrganization makes the session act for another of the user's
// organizations, then goes back to the page the switch was made on (the
// Home page when that is not a page of this site).
func (s *Server) switchOrganization(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	if err := rq.Site.Store.SetActingOrganization(r.Context(), rq.Session.ID, r.PostFormValue("organization")); err != nil {
		return err
	}
	back := rq.base() + "/"
	if u, err := url.Parse(r.Referer()); err == nil && u.Host == r.Host && strings.HasPrefix(u.Path, rq.base()+"/") {
		back = u.Path // a client page of the old organization may now be "not found": that is the rule
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}
