package store

import (
	"context"
	"slices"
	"strings"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
)

// The full-SSN permission (issue 6 items 4 and 7). Pages show an SSN as
// its last four; revealing the full number is its own, audited, read
// (RevealSSN), allowed by access.MayRevealSSN for the roles the site's
// rule lists (settings.pii_full_ssn_roles; access.DefaultFullSSNRoles
// until an administrator changes it).

// settingFullSSNRoles lists the roles that may reveal a full SSN,
// comma-separated ("none" for no role but administrators).
const settingFullSSNRoles = "pii_full_ssn_roles"

// FullSSNRoles returns the roles that may reveal a full SSN (HMIS
// administrators always may, and are not listed).
func (s *Store) FullSSNRoles(ctx context.Context) ([]hmis.Role, error) {
	v, ok, err := s.Setting(ctx, settingFullSSNRoles)
	if err != nil || !ok {
		return slices.Clone(access.DefaultFullSSNRoles), err
	}
	var out []hmis.Role
	for _, p := range strings.Split(v, ",") {
		if r, err := hmis.ParseRole(p); err == nil && r != hmis.RoleAdmin {
			out = append(out, r)
		}
	}
	return out, nil
}

// SetFullSSNRole lets role reveal full SSNs, or not (administrators
// only; audited as a settings change). It returns the new rule.
func (s *Store) SetFullSSNRole(ctx context.Context, role hmis.Role, on bool) ([]hmis.Role, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return nil, errNoActor
	}
	if !access.SeesAll(actor) {
		return nil, &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only administrators change who may see full SSNs."}
	}
	if _, err := hmis.ParseRole(string(role)); err != nil {
		return nil, err
	}
	if role == hmis.RoleAdmin {
		return nil, invalid("HMIS administrators always may see full SSNs.")
	}
	roles, err := s.FullSSNRoles(ctx)
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
	return roles, s.SetSetting(ctx, settingFullSSNRoles, strings.Join(parts, ","))
}

// MayRevealSSN reports whether the actor may reveal the full SSN of a
// client ("client not found" when they may not see the client).
func (s *Store) MayRevealSSN(ctx context.Context, personalID string) (bool, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return false, errNoActor
	}
	level, err := s.ClientAccess(ctx, personalID)
	if err != nil {
		return false, err
	}
	if level == access.NotFound {
		return false, notFound("Client")
	}
	roles, err := s.FullSSNRoles(ctx)
	if err != nil {
		return false, err
	}
	return access.MayRevealSSN(actor, level, roles), nil
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
		return "", &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Your role may see the last four digits of an SSN only."}
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
