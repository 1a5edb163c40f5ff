package store

import (
	"context"
	"time"
)

// AuditEntry is one row of the audit log: who did what to which record.
// Detail never holds client PII (counts, field names, reasons only).
type AuditEntry struct {
	ID        int64
	At        time.Time
	Actor     string
	AccountID string
	Via       string
	Action    string // "read", "create", "update", "delete", "sign_in", "search", ...
	Entity    string // "client", "enrollment", "account", "session", ...
	EntityID  string
	Detail    string
}

// audit writes one audit row in the transaction.
func (tx *Tx) audit(action, entity, entityID, detail string) error {
	_, err := tx.exec(`INSERT INTO audit_log (at, actor, account_id, via, action, entity, entity_id, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		tx.ts(tx.now), tx.actor.String(), tx.actor.AccountID, tx.actor.Via, action, entity, entityID, detail)
	return err
}

// Audit records an action that happened outside a store write (a page view
// of a client, a search, an export), as the actor in ctx.
func (s *Store) Audit(ctx context.Context, action, entity, entityID, detail string) error {
	return s.write(ctx, func(tx *Tx) error { return tx.audit(action, entity, entityID, detail) })
}

// AuditFilter selects audit rows; zero fields match everything.
type AuditFilter struct {
	Entity   string
	EntityID string
	Action   string
	Limit    int // default 100
}

// FindAudit returns audit rows, newest first.
func (s *Store) FindAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	q := `SELECT id, at, actor, account_id, via, action, entity, entity_id, detail FROM audit_log WHERE 1=1`
	var args []any
	if f.Entity != "" {
		q += ` AND entity = ?`
		args = append(args, f.Entity)
	}
	if f.EntityID != "" {
		q += ` AND entity_id = ?`
		args = append(args, f.EntityID)
	}
	if f.Action != "" {
		q += ` AND action = ?`
		args = append(args, f.Action)
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, f.Limit)
	var out []AuditEntry
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e AuditEntry
			if err := rows.Scan(&e.ID, scanTime(&e.At), &e.Actor, &e.AccountID, &e.Via, &e.Action, &e.Entity, &e.EntityID, &e.Detail); err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}
