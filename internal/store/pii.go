package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Per-field PII permissions (issue 6 items 4 and 7): the full SSN, the
// date of birth, the photo and the client fields an administrator marked
// sensitive. For each, the site's rule lists the roles that hold it
// (settings pii_<field>_roles; access.DefaultPIIRoles until an
// administrator changes it) and an account may have its own override
// (account_pii, migration 0021: allow or deny, else inherit). HMIS
// administrators always hold every permission. Revealing the full SSN or
// a sensitive field is its own, audited, read (RevealSSN,
// RevealSensitiveFields).

// piiRolesSetting is the setting that lists the roles holding f,
// comma-separated ("none" for no role but administrators).
func piiRolesSetting(f access.PIIField) string { return "pii_" + string(f) + "_roles" }

// settingFullSSNRoles lists the roles that may reveal a full SSN.
var settingFullSSNRoles = piiRolesSetting(access.PIIFullSSN)

// PIIRoles returns the roles that hold a permission (HMIS administrators
// always do, and are not listed).
func (s *Store) PIIRoles(ctx context.Context, f access.PIIField) ([]hmis.Role, error) {
	var roles []hmis.Role
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		roles, err = tx.piiRoles(f)
		return err
	})
	return roles, err
}

// piiRoles is PIIRoles inside a transaction: the site's setting, else
// the default roles.
func (tx *Tx) piiRoles(f access.PIIField) ([]hmis.Role, error) {
	var v string
	err := tx.queryRow(`SELECT value FROM settings WHERE key = ?`, piiRolesSetting(f)).Scan(&v)
	switch {
	case err == nil:
		return parsePIIRoles(v), nil
	case errors.Is(err, sql.ErrNoRows):
		return access.DefaultPIIRoles(f), nil
	}
	return access.DefaultPIIRoles(f), err
}

func parsePIIRoles(v string) []hmis.Role {
	var out []hmis.Role
	for _, p := range strings.Split(v, ",") {
		if r, err := hmis.ParseRole(p); err == nil && r != hmis.RoleAdmin {
			out = append(out, r)
		}
	}
	return out
}

// FullSSNRoles returns the roles that may reveal a full SSN.
func (s *Store) FullSSNRoles(ctx context.Context) ([]hmis.Role, error) {
	return s.PIIRoles(ctx, access.PIIFullSSN)
}

// SetPIIRole grants a permission to a role, or withdraws it
// (administrators only; audited as a settings change). It returns the new
// rule.
func (s *Store) SetPIIRole(ctx context.Context, f access.PIIField, role hmis.Role, on bool) ([]hmis.Role, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return nil, errNoActor
	}
	if !access.SeesAll(actor) {
		return nil, &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only administrators change who may see client PII."}
	}
	if _, ok := access.ParsePIIField(string(f)); !ok {
		return nil, invalid("Choose a permission: full_ssn, dob, photo or sensitive.")
	}
	if _, err := hmis.ParseRole(string(role)); err != nil {
		return nil, err
	}
	if role == hmis.RoleAdmin {
		return nil, invalid("HMIS administrators always hold every PII permission.")
	}
	roles, err := s.PIIRoles(ctx, f)
	if err != nil {
		return nil, err
	}
	roles = slices.DeleteFunc(roles, func(r hmis.Role) bool { return r == role })
	if on {
		roles = append(roles, role)
	}
	parts := []string{"none"}
	for _, r := range roles {
		parts = append(parts, string(r))
	}
	return roles, s.SetSetting(ctx, piiRolesSetting(f), strings.Join(parts, ","))
}

// SetFullSSNRole lets role reveal full SSNs, or not.
func (s *Store) SetFullSSNRole(ctx context.Context, role hmis.Role, on bool) ([]hmis.Role, error) {
	return s.SetPIIRole(ctx, access.PIIFullSSN, role, on)
}

// AccountPIIOverrides returns an account's own settings (fields without
// one inherit their role's rule). Administrators of the account only.
func (s *Store) AccountPIIOverrides(ctx context.Context, accountID string) (map[access.PIIField]access.PIIOverride, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return nil, errNoActor
	}
	var out map[access.PIIField]access.PIIOverride
	err := s.read(ctx, func(tx *Tx) error {
		a, err := scanAccount(tx.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE id = ?`, accountID))
		if err := one(err, "Account"); err != nil {
			return err
		}
		if err := requireAccountAdmin(actor, a, nil); err != nil {
			return err
		}
		out, err = tx.accountPII(accountID)
		return err
	})
	return out, err
}

func (tx *Tx) accountPII(accountID string) (map[access.PIIField]access.PIIOverride, error) {
	out := map[access.PIIField]access.PIIOverride{}
	if accountID == "" {
		return out, nil
	}
	rows, err := tx.query(`SELECT field, allow FROM account_pii WHERE account_id = ?`, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var f string
		var allow int
		if err := rows.Scan(&f, &allow); err != nil {
			return nil, err
		}
		if allow == 1 {
			out[access.PIIField(f)] = access.PIIAllow
		} else {
			out[access.PIIField(f)] = access.PIIDeny
		}
	}
	return out, rows.Err()
}

// SetAccountPIIOverride sets an account's own setting for a permission:
// allow or deny it whatever the role's rule, or inherit the rule. The
// account's administrators only (as for UpdateAccountAccess); audited
// ("account.pii": the permission, old -> new).
func (s *Store) SetAccountPIIOverride(ctx context.Context, accountID string, f access.PIIField, o access.PIIOverride) error {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return errNoActor
	}
	if _, ok := access.ParsePIIField(string(f)); !ok {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The permission was not changed.",
			Fields: map[string]string{"pii_field": "Choose a permission: full_ssn, dob, photo or sensitive."}}
	}
	if _, ok := access.ParsePIIOverride(string(o)); !ok {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The permission was not changed.",
			Fields: map[string]string{"pii_" + string(f): "Choose inherit, allow or deny."}}
	}
	return s.write(ctx, func(tx *Tx) error {
		a, err := scanAccount(tx.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE id = ?`, accountID))
		if err := one(err, "Account"); err != nil {
			return err
		}
		if err := requireAccountAdmin(actor, a, nil); err != nil {
			return err
		}
		old, err := tx.accountPII(accountID)
		if err != nil {
			return err
		}
		if old[f] == o {
			return nil
		}
		if o == access.PIIInherit {
			_, err = tx.exec(`DELETE FROM account_pii WHERE account_id = ? AND field = ?`, accountID, string(f))
		} else {
			allow := 0
			if o == access.PIIAllow {
				allow = 1
			}
			_, err = tx.exec(`INSERT INTO account_pii (account_id, field, allow, date_updated, updated_by) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (account_id, field) DO UPDATE SET allow = excluded.allow, date_updated = excluded.date_updated,
				updated_by = excluded.updated_by`, accountID, string(f), allow, tx.ts(tx.now), tx.actor.String())
		}
		if err != nil {
			return err
		}
		return tx.audit("account.pii", "account", accountID, fmt.Sprintf("%s %s -> %s", f, overrideName(old[f]), overrideName(o)))
	})
}

func overrideName(o access.PIIOverride) string {
	if o == access.PIIInherit {
		return "inherit"
	}
	return string(o)
}

// PIIGrants is what the acting user holds of each permission, whatever
// the client (a client they cannot see is "not found" anyway).
type PIIGrants map[access.PIIField]bool

// MyPIIGrants returns the acting user's permissions: the site's rule for
// their role and their account's overrides.
func (s *Store) MyPIIGrants(ctx context.Context) (PIIGrants, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return nil, errNoActor
	}
	out := PIIGrants{}
	err := s.read(ctx, func(tx *Tx) error {
		return tx.piiGrants(actor, out)
	})
	return out, err
}

func (tx *Tx) piiGrants(actor hmis.Actor, out PIIGrants) error {
	over, err := tx.accountPII(actor.AccountID)
	if err != nil {
		return err
	}
	for _, f := range access.PIIFields {
		roles, err := tx.piiRoles(f)
		if err != nil {
			return err
		}
		out[f] = access.HasPII(actor, roles, over[f])
	}
	return nil
}

// mayPII reports whether the actor may use a permission on a client
// ("Client not found" when they may not see the client).
func (s *Store) mayPII(ctx context.Context, personalID string, f access.PIIField) (bool, error) {
	level, err := s.ClientAccess(ctx, personalID)
	if err != nil {
		return false, err
	}
	if level == access.NotFound {
		return false, notFound("Client")
	}
	grants, err := s.MyPIIGrants(ctx)
	if err != nil {
		return false, err
	}
	// The grant already holds the role's rule and the account's override
	// (access.HasPII); the client is seen (access.MayPII).
	return grants[f], nil
}

// MayRevealSSN reports whether the actor may reveal the full SSN of a
// client ("client not found" when they may not see the client).
func (s *Store) MayRevealSSN(ctx context.Context, personalID string) (bool, error) {
	return s.mayPII(ctx, personalID, access.PIIFullSSN)
}

// RevealSSN returns a client's full SSN ("" when none is recorded) to a
// user who may reveal it, and audits it ("ssn.reveal" on the client, in
// the client's access report). "Client not found" for a client the user
// may not see; EFORBIDDEN for one they see without the permission.
func (s *Store) RevealSSN(ctx context.Context, personalID string) (string, error) {
	may, err := s.MayRevealSSN(ctx, personalID)
	if err != nil {
		return "", err
	}
	if !may {
		return "", &hmis.Error{Code: hmis.EFORBIDDEN, Message: "You may see the last four digits of an SSN only."}
	}
	var ssn string
	err = s.write(ctx, func(tx *Tx) error {
		if _, err := tx.visibleClient(personalID); err != nil {
			return err
		}
		c, err := findRecord(tx, clientTable, personalID)
		if err != nil {
			return err
		}
		ssn = c.SSN
		return tx.audit("ssn.reveal", "client", personalID, "")
	})
	return ssn, err
}
