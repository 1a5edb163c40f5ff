package web

import (
	"net/http"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// The SSN on the client pages (issue 6 item 7): shown as its last four
// everywhere, the Client Dashboard and the edit form included. A user
// whose role may see full SSNs (store.MayRevealSSN) gets a "Show the
// full SSN" button on the dashboard; pressing it posts to
// /{site}/clients/{id}/ssn, which the store audits ("ssn.reveal", in the
// client's access report) before the number is shown, on its own page
// that is never cached. The edit form keeps the stored SSN when the
// masked value comes back unchanged.

// maskSSN is an SSN as pages show it: "xxx-xx-1234" ("" when none).
func maskSSN(ssn string) string {
	d := hmis.SSNDigits(ssn)
	switch {
	case d == "":
		return ""
	case len(d) < 4:
		return "xxx-xx-xxxx"
	}
	return "xxx-xx-" + d[len(d)-4:]
}

// formatSSN writes nine digits as 123-45-6789, anything else as stored.
func formatSSN(ssn string) string {
	d := hmis.SSNDigits(ssn)
	if len(d) != 9 {
		return d
	}
	return d[:3] + "-" + d[3:5] + "-" + d[5:]
}

// ssnRevealAction is where the dashboard's "Show the full SSN" posts, or
// "" when the client has no SSN or the user may not reveal it.
func ssnRevealAction(r *http.Request, rq *request, c store.ClientDetail) (string, error) {
	if hmis.SSNDigits(c.SSN) == "" {
		return "", nil
	}
	may, err := rq.Site.Store.MayRevealSSN(r.Context(), c.PersonalID)
	if err != nil || !may {
		return "", err
	}
	return clientHref(rq, c.PersonalID) + "/ssn", nil
}

// keepMaskedSSN puts the stored SSN back into an edit form that sent the
// masked one unchanged (the user did not type a new SSN).
func keepMaskedSSN(r *http.Request, c *hmis.Client) {
	if err := r.ParseForm(); err != nil || c.SSN == "" {
		return
	}
	if v := r.PostForm.Get("ssn"); v != "" && v == maskSSN(c.SSN) {
		r.PostForm.Set("ssn", formatSSN(c.SSN))
	}
}

type ssnPage struct {
	Shell
	Name, DashboardHref, SSN string
}

// revealSSN shows a client's full SSN to a user who may see it; audited.
func (s *Server) revealSSN(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := findVisibleClient(r, rq, r.PathValue("personalID"))
	if err != nil {
		return err
	}
	ssn, err := rq.Site.Store.RevealSSN(r.Context(), c.PersonalID)
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		return errNoClient
	} else if err != nil {
		return err
	}
	p := ssnPage{Name: clientDisplayName(&c.Client), DashboardHref: clientHref(rq, c.PersonalID), SSN: formatSSN(ssn)}
	if p.Shell, err = s.shell(r, rq, "clients", rq.base()+"/"+dashboardPath, "SSN: "+p.Name); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "client_ssn", &p)
}
