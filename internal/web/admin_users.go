package web

import (
	"errors"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/auth"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Users (issue 6 item 4), Home tab, HMIS administrators: every account of
// the site with its organization, role and state; add a user (with a
// temporary password shown once, to be changed at the first sign-in);
// and per user: change role and organization, disable or enable, reset
// the password, sign them out everywhere, turn two-factor off (a lost
// phone). The site's two-factor rule (required for everyone or per role)
// is set here too. The store checks and audits every change.

const usersPath = "admin/users"

type usersPage struct {
	Shell
	Users      []userRow
	Orgs       []option
	Roles      []option
	Values     map[string]string
	Errors     map[string]string
	Error      string
	Created    string // username just created
	TempPass   string // its temporary password, shown once
	TwoFactor  store.TwoFactorPolicy
	Policy     []policyRow
	PolicySave bool
	// Client PII permissions by role (pii_admin.go).
	PIIRoles     []option
	PIIRules     []piiRuleRow
	PIIRuleSaved bool
}

type userRow struct {
	hmis.Account
	Href, OrgName, RoleLabel, State string
}

type policyRow struct {
	Role, Label string
	On          bool
}

type userPage struct {
	Shell
	User      hmis.Account
	OrgName   string
	Orgs      []option
	Roles     []option
	Sessions  []hmis.Session
	Members   []option // the other organizations the user belongs to
	TwoFactor bool
	Notice    string
	TempPass  string
	Errors    map[string]string
	Error     string
	Action    string
	PII       []piiPermRow // per-account PII permissions (pii_admin.go)
}

func roleOptions() []option {
	out := make([]option, 0, len(hmis.Roles))
	for _, r := range hmis.Roles {
		out = append(out, option{string(r), r.Label()})
	}
	return out
}

func (s *Server) orgOptions(r *http.Request, rq *request) ([]option, map[string]string, error) {
	orgs, err := store.FindRecords[hmis.Organization](r.Context(), rq.Site.Store, store.RecordFilter{})
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	out := make([]option, 0, len(orgs))
	for _, o := range orgs {
		names[o.OrganizationID] = o.OrganizationName
		out = append(out, option{o.OrganizationID, o.OrganizationName})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out, names, nil
}

func accountState(a hmis.Account) string {
	switch {
	case a.Disabled:
		return "Disabled"
	case !a.LockedUntil.IsZero() && a.LockedUntil.After(time.Now()):
		return "Locked until " + datetime(a.LockedUntil)
	case a.MustChangePassword:
		return "Must change password"
	}
	return "Active"
}

func (s *Server) users(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderUsers(w, r, rq, http.StatusOK, map[string]string{"role": string(hmis.RoleCaseManager)}, nil, "", "")
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, rq *request, status int, values, errs map[string]string,
	created, temp string) error {
	ctx := r.Context()
	st := rq.Site.Store
	for _, k := range []string{"username", "first_name", "last_name", "email", "organization", "role"} {
		values[k] = values[k] // every key present: the template passes them on as strings
	}
	p := usersPage{Values: values, Errors: errs, Created: created, TempPass: temp, Roles: roleOptions(),
		PolicySave: r.URL.Query().Get("policy") != ""}
	if len(errs) > 0 {
		p.Error = "The user was not added: correct the fields marked below."
	}
	var names map[string]string
	var err error
	if p.Orgs, names, err = s.orgOptions(r, rq); err != nil {
		return err
	}
	accounts, err := st.FindAccounts(ctx)
	if err != nil {
		return err
	}
	for _, a := range accounts {
		p.Users = append(p.Users, userRow{Account: a, Href: rq.base() + "/" + usersPath + "/" + a.ID, OrgName: names[a.OrganizationID],
			RoleLabel: a.Role.Label(), State: accountState(a)})
	}
	if p.TwoFactor, err = st.FindTwoFactorPolicy(ctx); err != nil {
		return err
	}
	p.Policy = append(p.Policy, policyRow{Role: "all", Label: "Everyone", On: p.TwoFactor.All})
	for _, role := range hmis.Roles {
		on := false
		for _, x := range p.TwoFactor.Roles {
			on = on || x == role
		}
		p.Policy = append(p.Policy, policyRow{Role: string(role), Label: role.Label(), On: on})
	}
	if err := piiFillRules(r, st, &p); err != nil {
		return err
	}
	if p.Shell, err = s.shell(r, rq, "home", rq.base()+"/"+usersPath, "Users"); err != nil {
		return err
	}
	return s.render(w, r, status, "admin_users", &p)
}

// addUser creates an account with a temporary password, shown once.
func (s *Server) addUser(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	values := map[string]string{}
	for _, k := range []string{"username", "first_name", "last_name", "email", "organization", "role"} {
		values[k] = clip(strings.TrimSpace(r.PostFormValue(k)), 200)
	}
	temp := auth.NewPassword(16)
	hash, err := auth.HashPassword(temp)
	if err != nil {
		return err
	}
	a, err := rq.Site.Store.CreateAccount(r.Context(), hmis.Account{Username: values["username"], FirstName: values["first_name"],
		LastName: values["last_name"], Email: values["email"], OrganizationID: values["organization"], Role: hmis.Role(values["role"]),
		MustChangePassword: true}, hash)
	var e *hmis.Error
	switch {
	case err == nil:
		return s.renderUsers(w, r, rq, http.StatusCreated, map[string]string{"role": values["role"]}, nil, a.Username, temp)
	case errors.As(err, &e) && len(e.Fields) > 0:
		return s.renderUsers(w, r, rq, http.StatusUnprocessableEntity, values, e.Fields, "", "")
	}
	return err
}

// setTwoFactorRule turns the two-factor requirement on or off for a role
// or for everyone.
func (s *Server) setTwoFactorRule(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	role := r.PostFormValue("role")
	if _, err := rq.Site.Store.SetTwoFactorRequired(r.Context(), role, r.PostFormValue("on") == "1"); err != nil {
		return err
	}
	http.Redirect(w, r, rq.base()+"/"+usersPath+"?policy=1#twofactor-heading", http.StatusSeeOther)
	return nil
}

func (s *Server) userDetail(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderUser(w, r, rq, http.StatusOK, r.PathValue("id"), "", "", nil)
}

func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, rq *request, status int, id, notice, temp string, errs map[string]string) error {
	ctx := r.Context()
	st := rq.Site.Store
	a, err := st.FindAccountByID(ctx, id)
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		return errPageNotFound
	} else if err != nil {
		return err
	}
	p := userPage{User: a, Roles: roleOptions(), Notice: notice, TempPass: temp, Errors: errs,
		Action: rq.base() + "/" + usersPath + "/" + a.ID}
	if len(errs) > 0 {
		p.Error = "The user was not changed: see below."
	}
	var names map[string]string
	if p.Orgs, names, err = s.orgOptions(r, rq); err != nil {
		return err
	}
	p.OrgName = names[a.OrganizationID]
	orgs, err := st.AccountOrganizations(ctx, a.ID)
	if err != nil {
		return err
	}
	for _, o := range orgs[1:] {
		p.Members = append(p.Members, option{o.OrganizationID, o.Name})
	}
	if p.Sessions, err = st.FindSessions(ctx, a.ID); err != nil {
		return err
	}
	tf, err := st.FindTwoFactor(ctx, a.ID)
	if err != nil {
		return err
	}
	p.TwoFactor = tf.Enabled
	if p.PII, err = piiPermRows(r, st, a); err != nil {
		return err
	}
	if p.Shell, err = s.shell(r, rq, "home", rq.base()+"/"+usersPath, "User "+a.Username); err != nil {
		return err
	}
	return s.render(w, r, status, "admin_user", &p)
}

// changeUser serves the user page's forms: op=access (role, organization,
// disabled), op=add-org and op=remove-org (member_org: the other
// organizations the user belongs to and may act for), op=reset-password,
// op=revoke-sessions, op=reset-2fa.
func (s *Server) changeUser(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	ctx := r.Context()
	st := rq.Site.Store
	id := r.PathValue("id")
	a, err := st.FindAccountByID(ctx, id)
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		return errPageNotFound
	} else if err != nil {
		return err
	}
	switch r.PostFormValue("op") {
	case "access":
		_, err := st.UpdateAccountAccess(ctx, a.ID, store.AccountAccess{Role: hmis.Role(r.PostFormValue("role")),
			OrganizationID: r.PostFormValue("organization"), Disabled: r.PostFormValue("disabled") == "1"})
		var e *hmis.Error
		if errors.As(err, &e) && len(e.Fields) > 0 {
			return s.renderUser(w, r, rq, http.StatusUnprocessableEntity, a.ID, "", "", e.Fields)
		} else if err != nil {
			return err
		}
		return s.renderUser(w, r, rq, http.StatusOK, a.ID, "The user’s access was saved.", "", nil)
	case "add-org", "remove-org":
		org := r.PostFormValue("member_org")
		var err error
		notice := "The user now also belongs to this organization."
		if r.PostFormValue("op") == "add-org" {
			err = st.AddAccountOrganization(ctx, a.ID, org)
		} else {
			err, notice = st.RemoveAccountOrganization(ctx, a.ID, org), "The user no longer belongs to that organization."
		}
		var e *hmis.Error
		if errors.As(err, &e) && len(e.Fields) > 0 {
			return s.renderUser(w, r, rq, http.StatusUnprocessableEntity, a.ID, "", "", e.Fields)
		} else if err != nil {
			return err
		}
		return s.renderUser(w, r, rq, http.StatusOK, a.ID, notice, "", nil)
	case "pii":
		fe, err := piiSavePermissions(r, st, a.ID)
		if err != nil {
			return err
		} else if len(fe) > 0 {
			return s.renderUser(w, r, rq, http.StatusUnprocessableEntity, a.ID, "", "", fe)
		}
		return s.renderUser(w, r, rq, http.StatusOK, a.ID, "The user’s PII permissions were saved.", "", nil)
	case "reset-password":
		temp := auth.NewPassword(16)
		hash, err := auth.HashPassword(temp)
		if err != nil {
			return err
		}
		if err := st.SetPassword(ctx, a.ID, hash, true); err != nil {
			return err
		}
		return s.renderUser(w, r, rq, http.StatusOK, a.ID, "The password was reset and the user signed out everywhere.", temp, nil)
	case "revoke-sessions":
		n, err := st.RevokeAccountSessions(ctx, a.ID)
		if err != nil {
			return err
		}
		return s.renderUser(w, r, rq, http.StatusOK, a.ID, "Signed out of "+plural(n, "session", "sessions")+".", "", nil)
	case "reset-2fa":
		if err := st.DisableTOTP(ctx, a.ID); err != nil {
			return err
		}
		return s.renderUser(w, r, rq, http.StatusOK, a.ID, "Two-factor sign-in was turned off; if the site requires it, they set it up again at their next sign-in.", "", nil)
	}
	return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
}
