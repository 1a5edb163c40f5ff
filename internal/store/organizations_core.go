package store

import "github.com/hearth-hmis/hearth/internal/hmis"

// requireOrganization fails with EINVALID unless the organization exists.
func (tx *Tx) requireOrganization(id string) error {
	var n int
	if err := tx.queryRow(`SELECT COUNT(*) FROM organizations WHERE organization_id = ? AND date_deleted IS NULL`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The organization does not exist.", Fields: map[string]string{"organization": "No organization has this ID."}}
	}
	return nil
}

// ensureHUDUser creates the HUD User record (User.csv, the person behind
// UserID on every record) for an account when it does not exist yet.
func (tx *Tx) ensureHUDUser(a hmis.Account) error {
	_, err := tx.exec(`INSERT INTO users (user_id, user_first_name, user_last_name, user_email, date_created, date_updated)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO NOTHING`,
		a.UserID, a.FirstName, a.LastName, a.Email, tx.ts(tx.now), tx.ts(tx.now))
	return err
}
