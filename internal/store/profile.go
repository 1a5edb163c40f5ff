package store

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// My Profile (issue 8): the signed-in user's own name and contact. The
// account holds the name and email Hearth shows; the HUD User record
// (User.csv, keyed by the account's UserID) holds the same name and email
// plus phone and extension, and both are written together so an export
// reports what the profile says.

// Profile is the editable part of the actor's own account.
type Profile struct {
	FirstName string // HUD User.UserFirstName, at most 50 characters
	LastName  string // HUD User.UserLastName, at most 50 characters
	Email     string // HUD User.UserEmail, at most 320 characters
	Phone     string // HUD User.UserPhone: 10 digits, [2-9][0-9]{2}[2-9][0-9]{2}[0-9]{4}
	Extension string // HUD User.UserExtension: 1 to 5 digits
}

var (
	// phoneRE is HUD User.UserPhone's pattern (FY2026 HMIS CSV).
	phoneRE     = regexp.MustCompile(`^[2-9][0-9]{2}[2-9][0-9]{2}[0-9]{4}$`)
	extensionRE = regexp.MustCompile(`^[0-9]{1,5}$`)
	emailRE     = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// FindProfile returns the actor's own profile.
func (s *Store) FindProfile(ctx context.Context) (Profile, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok || actor.AccountID == "" {
		return Profile{}, notFound("Account")
	}
	var p Profile
	err := s.read(ctx, func(tx *Tx) error {
		err := tx.queryRow(`SELECT a.first_name, a.last_name, a.email, u.user_phone, u.user_extension
			FROM accounts a LEFT JOIN users u ON u.user_id = a.user_id WHERE a.id = ?`, actor.AccountID).
			Scan(&p.FirstName, &p.LastName, &p.Email, scanString(&p.Phone), scanString(&p.Extension))
		return one(err, "Account")
	})
	return p, err
}

// UpdateProfile replaces the actor's own name and contact, on the
// account and its HUD User record, audited ("update", "account", naming
// the fields changed, not their values). The phone is kept as HUD's ten
// digits; punctuation typed with it is dropped.
func (s *Store) UpdateProfile(ctx context.Context, p Profile) (Profile, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return Profile{}, errNoActor
	}
	if actor.AccountID == "" {
		return Profile{}, notFound("Account")
	}
	p.FirstName = strings.Join(strings.Fields(p.FirstName), " ")
	p.LastName = strings.Join(strings.Fields(p.LastName), " ")
	p.Email = strings.TrimSpace(p.Email)
	rawPhone := strings.TrimSpace(p.Phone)
	p.Phone = digitsOnly(rawPhone)
	if len(p.Phone) == 11 && p.Phone[0] == '1' {
		p.Phone = p.Phone[1:] // a leading country code
	}
	p.Extension = strings.TrimSpace(p.Extension)
	fe := hmis.FieldErrors{}
	if p.FirstName == "" {
		fe.Add("first_name", "Enter your first name.")
	} else if utf8.RuneCountInString(p.FirstName) > 50 {
		fe.Add("first_name", "A first name has at most 50 characters (HUD User.csv).")
	}
	if utf8.RuneCountInString(p.LastName) > 50 {
		fe.Add("last_name", "A last name has at most 50 characters (HUD User.csv).")
	}
	if p.Email != "" && (len(p.Email) > 320 || !emailRE.MatchString(p.Email)) {
		fe.Add("email", "Enter an email address like name@agency.org, or leave it empty.")
	}
	if rawPhone != "" && (!phoneRE.MatchString(p.Phone) || strings.IndexFunc(rawPhone, notPhoneRune) >= 0) {
		fe.Add("phone", "Enter a 10-digit US phone number, e.g. (209) 555-0147, or leave it empty.")
	}
	if p.Extension != "" && !extensionRE.MatchString(p.Extension) {
		fe.Add("extension", "An extension is 1 to 5 digits.")
	}
	if p.Extension != "" && p.Phone == "" {
		fe.Add("extension", "Enter the phone number the extension belongs to.")
	}
	if err := fe.Err("Your profile was not saved."); err != nil {
		return p, err
	}
	err := s.write(ctx, func(tx *Tx) error {
		var old Profile
		var userID string
		err := tx.queryRow(`SELECT a.user_id, a.first_name, a.last_name, a.email, u.user_phone, u.user_extension
			FROM accounts a LEFT JOIN users u ON u.user_id = a.user_id WHERE a.id = ?`, actor.AccountID).
			Scan(&userID, &old.FirstName, &old.LastName, &old.Email, scanString(&old.Phone), scanString(&old.Extension))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Account")
		} else if err != nil {
			return err
		}
		var changed []string
		for _, f := range []struct{ name, was, is string }{{"first_name", old.FirstName, p.FirstName},
			{"last_name", old.LastName, p.LastName}, {"email", old.Email, p.Email}, {"phone", old.Phone, p.Phone},
			{"extension", old.Extension, p.Extension}} {
			if f.was != f.is {
				changed = append(changed, f.name)
			}
		}
		if len(changed) == 0 {
			return nil
		}
		if _, err := tx.exec(`UPDATE accounts SET first_name = ?, last_name = ?, email = ?, date_updated = ? WHERE id = ?`,
			p.FirstName, p.LastName, p.Email, tx.ts(tx.now), actor.AccountID); err != nil {
			return err
		}
		if err := tx.ensureHUDUser(hmis.Account{UserID: userID}); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE users SET user_first_name = ?, user_last_name = ?, user_email = ?, user_phone = ?,
				user_extension = ?, date_updated = ? WHERE user_id = ?`,
			nullString(p.FirstName), nullString(p.LastName), nullString(p.Email), nullString(p.Phone),
			nullString(p.Extension), tx.ts(tx.now), userID); err != nil {
			return err
		}
		return tx.audit("update", "account", actor.AccountID, "profile: "+strings.Join(changed, ", "))
	})
	return p, err
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// notPhoneRune reports a character no phone number is typed with.
func notPhoneRune(r rune) bool { return !strings.ContainsRune("0123456789()-. +", r) }
