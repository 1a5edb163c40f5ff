package store

import (
	"context"
	"database/sql"
	"errors"
)

// Setting returns a site setting; ok is false when it is not set.
func (s *Store) Setting(ctx context.Context, key string) (value string, ok bool, err error) {
	err = s.read(ctx, func(tx *Tx) error {
		e := tx.queryRow(`SELECT value FROM settings WHERE key = ?`, key).Scan(&value)
		if errors.Is(e, sql.ErrNoRows) {
			return nil
		}
		ok = e == nil
		return e
	})
	return value, ok, err
}

// SetSetting sets a site setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	return s.write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		if err != nil {
			return err
		}
		return tx.audit("update", "setting", key, "")
	})
}
