package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Private iCalendar feeds (issue 8): each account may have one live feed
// token at a time. The token is a random secret in the feed's URL; only
// its SHA-256 (SessionID) is stored. Revoking keeps the hash with
// revoked_at set, so that the old URL can say it was revoked.

// CalendarSettings are an account's calendar settings.
type CalendarSettings struct {
	// ShowClientNames puts clients' full names in the feed; otherwise
	// initials only.
	ShowClientNames bool
	FeedActive      bool
	FeedCreated     time.Time
}

// ErrFeedRevoked is the answer for a revoked feed token.
var ErrFeedRevoked = &hmis.Error{Code: hmis.ENOTFOUND,
	Message: "This calendar feed link was revoked. Make a new link on the Calendar settings page in Hearth and subscribe to that one."}

// errFeedUnknown is the answer for a token that never existed (or whose
// account is disabled).
var errFeedUnknown = &hmis.Error{Code: hmis.ENOTFOUND, Message: "There is no calendar feed at this address."}

// FindCalendarSettings returns the actor's calendar settings.
func (s *Store) FindCalendarSettings(ctx context.Context) (CalendarSettings, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return CalendarSettings{}, errNoActor
	}
	var cs CalendarSettings
	err := s.read(ctx, func(tx *Tx) error {
		err := tx.queryRow(`SELECT show_client_names FROM calendar_settings WHERE account_id = ?`, actor.AccountID).Scan(&cs.ShowClientNames)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		err = tx.queryRow(`SELECT created_at FROM calendar_feed_tokens WHERE account_id = ? AND revoked_at IS NULL`, actor.AccountID).
			Scan(scanTime(&cs.FeedCreated))
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		cs.FeedActive = err == nil
		return err
	})
	return cs, err
}

// SetCalendarShowClientNames sets whether the actor's feed shows clients'
// full names. Audited.
func (s *Store) SetCalendarShowClientNames(ctx context.Context, show bool) error {
	return s.write(ctx, func(tx *Tx) error {
		if tx.actor.AccountID == "" {
			return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only a user account has a calendar."}
		}
		res, err := tx.exec(`UPDATE calendar_settings SET show_client_names = ?, date_updated = ? WHERE account_id = ?`,
			show, tx.ts(tx.now), tx.actor.AccountID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.exec(`INSERT INTO calendar_settings (account_id, show_client_names, date_updated) VALUES (?, ?, ?)`,
				tx.actor.AccountID, show, tx.ts(tx.now)); err != nil {
				return err
			}
		}
		detail := "feed shows initials only"
		if show {
			detail = "feed shows client names"
		}
		return tx.audit("calendar.settings", "account", tx.actor.AccountID, detail)
	})
}

// NewCalendarFeedToken makes a new feed token for the actor, revoking the
// previous one, and returns it (it is shown once and never stored).
func (s *Store) NewCalendarFeedToken(ctx context.Context) (string, error) {
	var b [32]byte
	rand.Read(b[:])
	token := base64.RawURLEncoding.EncodeToString(b[:])
	err := s.write(ctx, func(tx *Tx) error {
		if tx.actor.AccountID == "" {
			return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only a user account has a calendar."}
		}
		if _, err := tx.exec(`UPDATE calendar_feed_tokens SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL`,
			tx.ts(tx.now), tx.actor.AccountID); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO calendar_feed_tokens (token_hash, account_id, created_at) VALUES (?, ?, ?)`,
			SessionID(token), tx.actor.AccountID, tx.ts(tx.now)); err != nil {
			return err
		}
		return tx.audit("calendar_feed.create", "account", tx.actor.AccountID, "")
	})
	return token, err
}

// RevokeCalendarFeed revokes the actor's feed token, if any.
func (s *Store) RevokeCalendarFeed(ctx context.Context) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE calendar_feed_tokens SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL`,
			tx.ts(tx.now), tx.actor.AccountID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return tx.audit("calendar_feed.revoke", "account", tx.actor.AccountID, "")
	})
}

// CalendarFeedAccount returns the account a feed token belongs to and its
// settings. A revoked token is ErrFeedRevoked; an unknown one, or one of
// a disabled account, is not found. No actor is needed: the token is the
// credential.
func (s *Store) CalendarFeedAccount(ctx context.Context, token string) (hmis.Account, CalendarSettings, error) {
	var a hmis.Account
	var cs CalendarSettings
	if token == "" || len(token) > 100 {
		return a, cs, errFeedUnknown
	}
	err := s.read(ctx, func(tx *Tx) error {
		var accountID string
		var revoked time.Time
		err := tx.queryRow(`SELECT account_id, created_at, revoked_at FROM calendar_feed_tokens WHERE token_hash = ?`, SessionID(token)).
			Scan(&accountID, scanTime(&cs.FeedCreated), scanTime(&revoked))
		if errors.Is(err, sql.ErrNoRows) {
			return errFeedUnknown
		} else if err != nil {
			return err
		}
		if !revoked.IsZero() {
			return ErrFeedRevoked
		}
		cs.FeedActive = true
		if a, err = scanAccount(tx.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE id = ?`, accountID)); errors.Is(err, sql.ErrNoRows) {
			return errFeedUnknown
		} else if err != nil {
			return err
		}
		if a.Disabled {
			return errFeedUnknown
		}
		err = tx.queryRow(`SELECT show_client_names FROM calendar_settings WHERE account_id = ?`, accountID).Scan(&cs.ShowClientNames)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	return a, cs, err
}
