package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// AccountAccess is what an administrator changes about a user: role,
// organization, and whether the account may sign in.
type AccountAccess struct {
	Role           hmis.Role
	OrganizationID string
	Disabled       bool
}

// requireAccountAdmin lets HMIS administrators (and the system) manage
// every account, and organization administrators the accounts of their
// own organization below HMIS administrator.
func requireAccountAdmin(a hmis.Actor, target hmis.Account, change *AccountAccess) error {
	if a.System || a.Role == hmis.RoleAdmin {
		return nil
	}
	if a.Role == hmis.RoleOrgAdmin && target.OrganizationID == a.OrganizationID && target.Role != hmis.RoleAdmin &&
		(change == nil || (change.OrganizationID == a.OrganizationID && change.Role != hmis.RoleAdmin)) {
		return nil
	}
	return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "You may not manage this user."}
}

// UpdateAccountAccess changes an account's role, organization and
// disabled flag. A disabled account is signed out everywhere at once. An
// administrator cannot demote or disable themselves (so a site always
// keeps one). Audited ("account.access": what changed).
func (s *Store) UpdateAccountAccess(ctx context.Context, accountID string, ch AccountAccess) (hmis.Account, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return hmis.Account{}, errNoActor
	}
	fe := hmis.FieldErrors{}
	if _, err := hmis.ParseRole(string(ch.Role)); err != nil {
		fe.Add("role", "Choose a role.")
	}
	if ch.OrganizationID == "" {
		fe.Add("organization", "Choose an organization.")
	}
	if err := fe.Err("The user was not changed."); err != nil {
		return hmis.Account{}, err
	}
	var out hmis.Account
	err := s.write(ctx, func(tx *Tx) error {
		a, err := scanAccount(tx.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE id = ?`, accountID))
		if err := one(err, "Account"); err != nil {
			return err
		}
		if err := requireAccountAdmin(actor, a, &ch); err != nil {
			return err
		}
		if a.ID == actor.AccountID && (ch.Disabled || ch.Role != a.Role) {
			return &hmis.Error{Code: hmis.EINVALID, Message: "The user was not changed.",
				Fields: map[string]string{"role": "You cannot change your own role or disable yourself: ask another administrator."}}
		}
		if err := tx.requireOrganization(ch.OrganizationID); err != nil {
			return err
		}
		var changed []string
		if ch.Role != a.Role {
			changed = append(changed, fmt.Sprintf("role %s -> %s", a.Role, ch.Role))
		}
		if ch.OrganizationID != a.OrganizationID {
			changed = append(changed, fmt.Sprintf("organization %s -> %s", a.OrganizationID, ch.OrganizationID))
		}
		if ch.Disabled != a.Disabled {
			changed = append(changed, map[bool]string{true: "disabled", false: "enabled"}[ch.Disabled])
		}
		a.Role, a.OrganizationID, a.Disabled = ch.Role, ch.OrganizationID, ch.Disabled
		out = a
		if len(changed) == 0 {
			return nil
		}
		if _, err := tx.exec(`UPDATE accounts SET role = ?, organization_id = ?, disabled = ?, date_updated = ? WHERE id = ?`,
			string(ch.Role), ch.OrganizationID, ch.Disabled, tx.ts(tx.now), accountID); err != nil {
			return err
		}
		if ch.Disabled {
			if _, err := tx.exec(`UPDATE sessions SET revoked_at = ?, ended_reason = 'disabled' WHERE account_id = ? AND revoked_at IS NULL`,
				tx.ts(tx.now), accountID); err != nil {
				return err
			}
		}
		return tx.audit("account.access", "account", accountID, strings.Join(changed, ", "))
	})
	return out, err
}

// MayManageAccount reports whether the actor in ctx may manage account a
// (the Users pages show only those).
func MayManageAccount(ctx context.Context, a hmis.Account) bool {
	actor, ok := hmis.ActorFrom(ctx)
	return ok && requireAccountAdmin(actor, a, nil) == nil
}
