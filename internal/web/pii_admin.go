package web

import (
	"errors"
	"net/http"
	"slices"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Per-account PII permissions (issue 6 item 4) on the user's page (Home →
// Users → a user): for each permission (full SSN, date of birth, photo,
// sensitive client fields) the account follows its role's rule, or is
// allowed or denied whatever the rule. The store checks who may change it
// and audits each change ("account.pii").

// piiPermRow is one permission on the user's page.
type piiPermRow struct {
	Field, Label string
	Override     string // "inherit", "allow", "deny"
	RoleHas      bool   // what the role's rule gives
	Effective    bool   // what the account holds
}

// piiPermRows returns the account's permissions for its page.
func piiPermRows(r *http.Request, st *store.Store, a hmis.Account) ([]piiPermRow, error) {
	over, err := st.AccountPIIOverrides(r.Context(), a.ID)
	if err != nil {
		return nil, err
	}
	var out []piiPermRow
	for _, f := range access.PIIFields {
		roles, err := st.PIIRoles(r.Context(), f)
		if err != nil {
			return nil, err
		}
		role := a.Role == hmis.RoleAdmin || slices.Contains(roles, a.Role)
		o := over[f]
		name := string(o)
		if o == access.PIIInherit {
			name = "inherit"
		}
		out = append(out, piiPermRow{Field: string(f), Label: f.Label(), Override: name, RoleHas: role,
			Effective: access.HasPII(hmis.Actor{AccountID: a.ID, Role: a.Role, OrganizationID: a.OrganizationID}, roles, o)})
	}
	return out, nil
}

// piiSavePermissions saves the user page's PII form (op=pii): one
// pii_<field> value per permission, inherit, allow or deny.
func piiSavePermissions(r *http.Request, st *store.Store, accountID string) (map[string]string, error) {
	for _, f := range access.PIIFields {
		v := r.PostFormValue("pii_" + string(f))
		if v == "" {
			continue
		}
		o, ok := access.ParsePIIOverride(v)
		if !ok {
			return map[string]string{"pii_" + string(f): "Choose the role’s rule, allow or deny."}, nil
		}
		err := st.SetAccountPIIOverride(r.Context(), accountID, f, o)
		var e *hmis.Error
		if errors.As(err, &e) && len(e.Fields) > 0 {
			return e.Fields, nil
		} else if err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// piiRuleRow is one permission of the Users page's rule table.
type piiRuleRow struct {
	Field, Label string
	Cells        []piiRuleCell
}

type piiRuleCell struct {
	Role, Label string
	On          bool
}

// piiRuleRoles are the roles the rule table lists: those that see
// clients, but administrators (who always hold every permission).
func piiRuleRoles() []hmis.Role {
	return []hmis.Role{hmis.RoleOrgAdmin, hmis.RoleCaseManager, hmis.RoleReadOnly}
}

// piiFillRules fills the Users page's table of the site's rules.
func piiFillRules(r *http.Request, st *store.Store, p *usersPage) error {
	p.PIIRuleSaved = r.URL.Query().Get("pii") != ""
	for _, role := range piiRuleRoles() {
		p.PIIRoles = append(p.PIIRoles, option{string(role), role.Label()})
	}
	for _, f := range access.PIIFields {
		roles, err := st.PIIRoles(r.Context(), f)
		if err != nil {
			return err
		}
		row := piiRuleRow{Field: string(f), Label: f.Label()}
		for _, role := range piiRuleRoles() {
			row.Cells = append(row.Cells, piiRuleCell{Role: string(role), Label: role.Label(), On: slices.Contains(roles, role)})
		}
		p.PIIRules = append(p.PIIRules, row)
	}
	return nil
}

// piiSetRoleRule grants a permission to a role or withdraws it (the
// store audits it as a settings change).
func (s *Server) piiSetRoleRule(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	f, ok := access.ParsePIIField(r.PostFormValue("permission"))
	role := hmis.Role(r.PostFormValue("role"))
	if !ok || !slices.Contains(piiRuleRoles(), role) {
		return &hmis.Error{Code: hmis.EINVALID, Message: "Choose a permission and a role."}
	}
	if _, err := rq.Site.Store.SetPIIRole(r.Context(), f, role, r.PostFormValue("on") == "1"); err != nil {
		return err
	}
	http.Redirect(w, r, rq.base()+"/"+usersPath+"?pii=1#pii-rules-heading", http.StatusSeeOther)
	return nil
}
