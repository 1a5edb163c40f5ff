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

// Membership is an organization an account belongs to.
type Membership struct {
	OrganizationID, Name string
}

// AccountOrganizations returns the organizations an account belongs to,
// with their names: its home organization first, then the others in the
// order added. Every page's header reads it (Acting for): one read.
func (s *Store) AccountOrganizations(ctx context.Context, accountID string) ([]Membership, error) {
	var out []Membership
	err := s.read(ctx, func(tx *Tx) error {
		var home Membership
		var name sql.NullString
		if err := tx.queryRow(`SELECT a.organization_id, o.organization_name FROM accounts a
			LEFT JOIN organizations o ON o.organization_id = a.organization_id WHERE a.id = ?`, accountID).Scan(&home.OrganizationID, &name); err != nil {
			return one(err, "Account")
		}
		home.Name = name.String
		out = append(out, home)
		rows, err := tx.query(`SELECT m.organization_id, o.organization_name FROM account_organizations m
			LEFT JOIN organizations o ON o.organization_id = m.organization_id
			WHERE m.account_id = ? AND m.organization_id <> ? ORDER BY m.date_added, m.organization_id`, accountID, home.OrganizationID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m Membership
			if err := rows.Scan(&m.OrganizationID, &name); err != nil {
				return err
			}
			m.Name = name.String
			out = append(out, m)
		}
		return rows.Err()
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
