package store

import (
	"context"
	"time"
)

// AuditEntry is one row of the audit log: who did what to which record.
// Detail never holds client PII (counts, field names, reasons only).
// The log is append-only and chained (audit_chain.go).
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
	PrevHash  string // the previous entry's Hash
	Hash      string // SHA-256 over PrevHash and this entry's content
}

// audit records one audit row in the transaction. The row is appended to
// the chain when the transaction commits, and not at all if it rolls back.
func (tx *Tx) audit(action, entity, entityID, detail string) error {
	tx.pending = append(tx.pending, AuditEntry{
		At: auditTime(tx.now), Actor: tx.actor.String(), AccountID: tx.actor.AccountID, Via: tx.actor.Via,
		Action: action, Entity: entity, EntityID: entityID, Detail: detail,
	})
	return nil
}

// Audit records an action that happened outside a store write (a page view
// of a client, a search, an export), as the actor in ctx.
func (s *Store) Audit(ctx context.Context, action, entity, entityID, detail string) error {
	return s.write(ctx, func(tx *Tx) error { return tx.audit(action, entity, entityID, detail) })
}

// AuditFilter selects audit rows; zero fields match everything.
type AuditFilter struct {
	User     string // who acted: a username, an account ID or an actor such as "system(cli)"
	Entity   string
	EntityID string
	Action   string
	Since    time.Time // at or after
	Until    time.Time // before
	Before   int64     // only entries with a smaller ID (paging: the last ID shown)
	Limit    int       // default 100
}

// FindAudit returns audit rows, newest first.
func (s *Store) FindAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	q := `SELECT ` + auditColumns + ` FROM audit_log WHERE 1=1`
	var args []any
	add := func(cond string, v any) {
		q += ` AND ` + cond
		args = append(args, v)
	}
	if f.User != "" {
		q += ` AND (account_id = ? OR account_id IN (SELECT id FROM accounts WHERE username = ?) OR actor = ?)`
		args = append(args, f.User, NormalizeUsername(f.User), f.User)
	}
	if f.Entity != "" {
		add(`entity = ?`, f.Entity)
	}
	if f.EntityID != "" {
		add(`entity_id = ?`, f.EntityID)
	}
	if f.Action != "" {
		add(`action = ?`, f.Action)
	}
	if f.Before > 0 {
		add(`id < ?`, f.Before)
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	var out []AuditEntry
	err := s.read(ctx, func(tx *Tx) error {
		if !f.Since.IsZero() {
			add(`at >= ?`, tx.ts(f.Since))
		}
		if !f.Until.IsZero() {
			add(`at < ?`, tx.ts(f.Until))
		}
		q += ` ORDER BY id DESC LIMIT ?`
		args = append(args, f.Limit)
		var err error
		out, err = tx.queryAudit(q, args...)
		return err
	})
	return out, err
}
