package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Memberships (issue 6 item 4, migration 0015): an account belongs to its
// home organization and to any others an administrator adds, and each
// session acts for one of them (the header shows which; the user switches
// on any page). The actor of every request carries the organization acted
// for, so the access decision, the audit and the records written follow it.

// AccountOrganizations returns the organizations an account belongs to:
// its home organization first, then the others in the order added.
func (s *Store) AccountOrganizations(ctx context.Context, accountID string) ([]string, error) {
	var out []string
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.accountOrganizations(accountID)
		return err
	})
	return out, err
}

func (tx *Tx) accountOrganizations(accountID string) ([]string, error) {
	var home string
	if err := tx.queryRow(`SELECT organization_id FROM accounts WHERE id = ?`, accountID).Scan(&home); err != nil {
		return nil, one(err, "Account")
	}
	others, err := strings1(tx, `SELECT organization_id FROM account_organizations WHERE account_id = ? AND organization_id <> ?
		ORDER BY date_added, organization_id`, accountID, home)
	return append([]string{home}, others...), err
}

// AddAccountOrganization makes an account a member of another
// organization. HMIS administrators only; audited ("account.member").
func (s *Store) AddAccountOrganization(ctx context.Context, accountID, orgID string) error {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return errNoActor
	}
	if !actor.System && actor.Role != hmis.RoleAdmin {
		return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only HMIS administrators may add users to organizations."}
	}
	return s.write(ctx, func(tx *Tx) error {
		orgs, err := tx.accountOrganizations(accountID)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if o == orgID {
				return &hmis.Error{Code: hmis.EINVALID, Message: "The user was not changed.",
					Fields: map[string]string{"member_org": "The user already belongs to this organization."}}
			}
		}
		if err := tx.requireOrganization(orgID); err != nil {
			return &hmis.Error{Code: hmis.EINVALID, Message: "The user was not changed.",
				Fields: map[string]string{"member_org": "Choose an organization."}}
		}
		if _, err := tx.exec(`INSERT INTO account_organizations (account_id, organization_id, date_added, added_by) VALUES (?, ?, ?, ?)`,
			accountID, orgID, tx.ts(tx.now), actor.String()); err != nil {
			return err
		}
		return tx.audit("account.member", "account", accountID, "added to organization "+orgID)
	})
}

// RemoveAccountOrganization takes an account out of one of its other
// organizations (not its home one); its sessions acting for it go back
// to the home organization. HMIS administrators only; audited.
func (s *Store) RemoveAccountOrganization(ctx context.Context, accountID, orgID string) error {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return errNoActor
	}
	if !actor.System && actor.Role != hmis.RoleAdmin {
		return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only HMIS administrators may remove users from organizations."}
	}
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`DELETE FROM account_organizations WHERE account_id = ? AND organization_id = ?`, accountID, orgID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Membership")
		}
		if _, err := tx.exec(`UPDATE sessions SET acting_organization_id = NULL WHERE account_id = ? AND acting_organization_id = ?`,
			accountID, orgID); err != nil {
			return err
		}
		return tx.audit("account.member", "account", accountID, "removed from organization "+orgID)
	})
}

// SetActingOrganization makes a session act for one of its account's
// organizations (EINVALID for any other). Audited ("session.acting").
func (s *Store) SetActingOrganization(ctx context.Context, sessionID, orgID string) error {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return errNoActor
	}
	return s.write(ctx, func(tx *Tx) error {
		var accountID string
		err := tx.queryRow(`SELECT account_id FROM sessions WHERE id = ? AND revoked_at IS NULL`, sessionID).Scan(&accountID)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Session")
		} else if err != nil {
			return err
		}
		orgs, err := tx.accountOrganizations(accountID)
		if err != nil {
			return err
		}
		member := false
		for _, o := range orgs {
			member = member || o == orgID
		}
		if !member {
			return hmis.Errorf(hmis.EINVALID, "You do not belong to that organization.")
		}
		acting := sql.NullString{String: orgID, Valid: orgID != orgs[0]}
		if _, err := tx.exec(`UPDATE sessions SET acting_organization_id = ? WHERE id = ?`, acting, sessionID); err != nil {
			return err
		}
		return tx.audit("session.acting", "account", accountID, "acting for organization "+orgID)
	})
}

// OrganizationNames returns the names of the given organizations by ID
// (organizations are site setup, not client data).
func (s *Store) OrganizationNames(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT organization_id, organization_name FROM organizations WHERE organization_id IN (`+placeholders(len(ids))+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var name sql.NullString
			if err := rows.Scan(&id, &name); err != nil {
				return err
			}
			out[id] = name.String
		}
		return rows.Err()
	})
	return out, err
}
