package store

import (
	"context"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// In-app notifications (issue 8, migration 0014_support): one row per
// account and event, e.g. a reply on a ticket. A notification names its
// entity by ID only; what it says is read from the entity when listed, so
// it never shows what its reader may no longer see. Opening the entity
// marks it read (OpenTicket).

// Notification is one notification of the actor.
type Notification struct {
	ID          string
	Kind        string // "ticket_reply", "ticket_status", "ticket_assigned"
	Entity      string // "ticket"
	EntityID    string
	Subject     string // the ticket's subject
	DateCreated time.Time
}

// notify adds a notification for account in the transaction.
func (tx *Tx) notify(accountID, kind, entity, entityID string) error {
	_, err := tx.exec(`INSERT INTO notifications (id, account_id, kind, entity, entity_id, date_created) VALUES (?, ?, ?, ?, ?, ?)`,
		NewID(), accountID, kind, entity, entityID, tx.ts(tx.now))
	return err
}

// markRead marks the actor's unread notifications on one entity read and
// returns how many there were.
func (tx *Tx) markRead(entity, entityID string) (int64, error) {
	if tx.actor.AccountID == "" {
		return 0, nil
	}
	res, err := tx.exec(`UPDATE notifications SET date_read = ? WHERE account_id = ? AND entity = ? AND entity_id = ? AND date_read IS NULL`,
		tx.ts(tx.now), tx.actor.AccountID, entity, entityID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// unreadFrom selects the actor's unread notifications on tickets the
// actor may still see (ticketScope), alias n and t.
const unreadFrom = ` FROM notifications n JOIN support_tickets t ON n.entity = 'ticket' AND t.id = n.entity_id
	WHERE n.account_id = ? AND n.date_read IS NULL`

// CountUnreadNotifications is the number the page header shows.
func (s *Store) CountUnreadNotifications(ctx context.Context) (int, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok || actor.AccountID == "" {
		return 0, nil
	}
	cond, cargs := ticketScope(actor)
	var n int
	err := s.read(ctx, func(tx *Tx) error {
		return tx.queryRow(`SELECT COUNT(*)`+unreadFrom+cond, append([]any{actor.AccountID}, cargs...)...).Scan(&n)
	})
	return n, err
}

// FindUnreadNotifications returns the actor's unread notifications,
// newest first.
func (s *Store) FindUnreadNotifications(ctx context.Context) ([]Notification, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok || actor.AccountID == "" {
		return nil, nil
	}
	cond, cargs := ticketScope(actor)
	var out []Notification
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT n.id, n.kind, n.entity, n.entity_id, t.subject, n.date_created`+unreadFrom+cond+
			` ORDER BY n.date_created DESC, n.id LIMIT 100`, append([]any{actor.AccountID}, cargs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n Notification
			if err := rows.Scan(&n.ID, &n.Kind, &n.Entity, &n.EntityID, &n.Subject, scanTime(&n.DateCreated)); err != nil {
				return err
			}
			out = append(out, n)
		}
		return rows.Err()
	})
	return out, err
}
