package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// Families (issue 4 item 5, migration 0011): the people a client lives
// with, kept independently of enrollments so that an intake can enroll a
// household together. Each member has a relationship to the head of
// household (HUD 3.15; 1 = self, the head), and a family has exactly one
// head among its current members. A client is in at most one family at a
// time (a unique index on current members).
//
// Who may do what: anybody who may change a client (access Editable) may
// add people they may see to the client's family, change relationships
// and remove members. Members the actor may not see are counted, never
// named, as on the enrollment households (FindClientFamily). Every change
// is audited on each client it concerns.

// FamilyGroup is a client's current family. ID is "" when the client has
// none.
type FamilyGroup struct {
	ID      string
	Members []FamilyGroupMember // head first, then the client, then by when added
	Hidden  int                 // current members the actor may not see
}

// FamilyGroupMember is one current member of a family.
type FamilyGroupMember struct {
	PersonalID   string
	FirstName    string
	LastName     string
	DOB          hmis.Date
	Relationship hud.RelationshipToHoH // 3.15
	Self         bool                  // the client whose family was asked for
	Added        time.Time
}

// Head reports whether the member is the head of household (3.15 code 1).
func (m FamilyGroupMember) Head() bool { return m.Relationship == 1 }

// familyFieldError is an EINVALID naming one form field.
func familyFieldError(field, msg string) error {
	return &hmis.Error{Code: hmis.EINVALID, Message: "The family was not changed.", Fields: map[string]string{field: msg}}
}

// validRelationship checks a 3.15 code for a family member: any code of
// the list but 99 (data not collected), which a family page never means.
func validRelationship(r hud.RelationshipToHoH) error {
	if !r.Valid() || r == 99 {
		return familyFieldError("relationship", "Choose the member’s relationship to the head of household.")
	}
	return nil
}

// clientFamilyID returns the client's current family, or "".
func (tx *Tx) clientFamilyID(personalID string) (string, error) {
	var id string
	err := tx.queryRow(`SELECT family_id FROM family_members WHERE personal_id = ? AND date_removed IS NULL`, personalID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// familyGroup reads a family's current members as the actor may see them.
func (tx *Tx) familyGroup(familyID, self string) (FamilyGroup, error) {
	g := FamilyGroup{ID: familyID}
	var total int
	if err := tx.queryRow(`SELECT COUNT(*) FROM family_members m
		JOIN clients c ON c.personal_id = m.personal_id AND c.date_deleted IS NULL
		WHERE m.family_id = ? AND m.date_removed IS NULL`, familyID).Scan(&total); err != nil {
		return g, err
	}
	q := `SELECT c.personal_id, c.first_name, c.last_name, c.dob, m.relationship, m.date_added FROM family_members m
		JOIN clients c ON c.personal_id = m.personal_id AND c.date_deleted IS NULL
		WHERE m.family_id = ? AND m.date_removed IS NULL`
	args := []any{familyID}
	if vis, vargs := clientVisibility(tx.actor, "c", txToday(tx)); vis != "" {
		q += ` AND ` + vis
		args = append(args, vargs...)
	}
	rows, err := tx.query(q+` ORDER BY m.date_added, m.id`, args...)
	if err != nil {
		return g, err
	}
	defer rows.Close()
	for rows.Next() {
		var m FamilyGroupMember
		if err := rows.Scan(&m.PersonalID, scanString(&m.FirstName), scanString(&m.LastName), &m.DOB, &m.Relationship,
			scanTime(&m.Added)); err != nil {
			return g, err
		}
		m.Self = m.PersonalID == self
		g.Members = append(g.Members, m)
	}
	if err := rows.Err(); err != nil {
		return g, err
	}
	slices.SortStableFunc(g.Members, func(a, b FamilyGroupMember) int {
		rank := func(m FamilyGroupMember) int {
			switch {
			case m.Head():
				return 0
			case m.Self:
				return 1
			}
			return 2
		}
		return rank(a) - rank(b)
	})
	g.Hidden = max(total-len(g.Members), 0)
	return g, nil
}

// ClientFamilyGroup returns the current family of a client the actor may
// see (a zero FamilyGroup when the client has none). Audited on the
// client ("read", "family").
func (s *Store) ClientFamilyGroup(ctx context.Context, personalID string) (FamilyGroup, error) {
	g, err := s.ClientFamilyGroupUnaudited(ctx, personalID)
	if err != nil {
		return FamilyGroup{}, err
	}
	return g, s.Audit(ctx, "read", "client", personalID, fmt.Sprintf("family: %d members", len(g.Members)+g.Hidden))
}

// ClientFamilyGroupUnaudited is ClientFamilyGroup for a page that audits
// its own read of the client (the client dashboard: one audit row a view).
// The access rule is the same.
func (s *Store) ClientFamilyGroupUnaudited(ctx context.Context, personalID string) (FamilyGroup, error) {
	var g FamilyGroup
	err := s.read(ctx, func(tx *Tx) error {
		if _, err := tx.visibleClient(personalID); err != nil {
			return err
		}
		id, err := tx.clientFamilyID(personalID)
		if err != nil || id == "" {
			return err
		}
		g, err = tx.familyGroup(id, personalID)
		return err
	})
	if err != nil {
		return FamilyGroup{}, err
	}
	return g, nil
}

// familyWrite runs fn in a write transaction after checking that the
// actor may change the anchor client and see the member (both "not
// found" otherwise). familyID is the anchor's current family, or "".
func (s *Store) familyWrite(ctx context.Context, anchor, member string, fn func(tx *Tx, familyID string) error) error {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return errNoActor
	}
	return s.write(ctx, func(tx *Tx) error {
		level, err := tx.clientAccess(anchor)
		if err != nil {
			return err
		}
		switch {
		case level == access.NotFound:
			return notFound("Client")
		case level < access.Editable:
			return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "You may see this client but not change their family."}
		}
		if member != "" && member != anchor {
			if ml, err := tx.clientAccess(member); err != nil {
				return err
			} else if ml == access.NotFound {
				return familyFieldError("member", "No client with that ID that you may see.")
			}
		}
		id, err := tx.clientFamilyID(anchor)
		if err != nil {
			return err
		}
		return fn(tx, id)
	})
}

// AddFamilyMember adds member to anchor's family with the given
// relationship to the head. A client without a family starts one, as its
// head. The member must not be in another family.
func (s *Store) AddFamilyMember(ctx context.Context, anchor, member string, rel hud.RelationshipToHoH) error {
	if err := validRelationship(rel); err != nil {
		return err
	}
	if member == "" || member == anchor {
		return familyFieldError("member", "Choose another client to add to the family.")
	}
	return s.familyWrite(ctx, anchor, member, func(tx *Tx, familyID string) error {
		other, err := tx.clientFamilyID(member)
		if err != nil {
			return err
		}
		switch {
		case other != "" && other == familyID:
			return familyFieldError("member", "This person is already in the family.")
		case other != "":
			return familyFieldError("member", "This person is in another family: remove them from it first.")
		}
		if familyID == "" && rel == 1 {
			return familyFieldError("relationship", "This client heads the new family: choose the new member’s relationship to them.")
		}
		if familyID == "" {
			familyID = NewID()
			if _, err := tx.exec(`INSERT INTO families (id, organization_id, date_created, date_updated) VALUES (?, ?, ?, ?)`,
				familyID, nullString(tx.actor.OrganizationID), tx.ts(tx.now), tx.ts(tx.now)); err != nil {
				return err
			}
			if err := tx.addFamilyRow(familyID, anchor, 1); err != nil {
				return err
			}
			if err := tx.audit("family.add", "client", anchor, "family "+familyID+": head of household"); err != nil {
				return err
			}
		} else if rel == 1 {
			return familyFieldError("relationship", "The family already has a head of household: make this person the head after adding them.")
		}
		if err := tx.addFamilyRow(familyID, member, rel); err != nil {
			return err
		}
		if err := tx.touchFamily(familyID); err != nil {
			return err
		}
		if err := tx.audit("family.add", "client", member, fmt.Sprintf("family %s: relationship %d", familyID, rel)); err != nil {
			return err
		}
		return tx.audit("family.update", "client", anchor, "family "+familyID+": member "+member+" added")
	})
}

func (tx *Tx) addFamilyRow(familyID, personalID string, rel hud.RelationshipToHoH) error {
	_, err := tx.exec(`INSERT INTO family_members (id, family_id, personal_id, relationship, date_added, added_by)
		VALUES (?, ?, ?, ?, ?, ?)`, NewID(), familyID, personalID, int(rel), tx.ts(tx.now), tx.actor.String())
	return err
}

func (tx *Tx) touchFamily(familyID string) error {
	_, err := tx.exec(`UPDATE families SET date_updated = ? WHERE id = ?`, tx.ts(tx.now), familyID)
	return err
}

// currentRelationship returns a current member's relationship, or
// EINVALID when they are not in the family.
func (tx *Tx) currentRelationship(familyID, personalID string) (hud.RelationshipToHoH, error) {
	var r int
	err := tx.queryRow(`SELECT relationship FROM family_members WHERE family_id = ? AND personal_id = ? AND date_removed IS NULL`,
		familyID, personalID).Scan(&r)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, familyFieldError("member", "This person is not in the family.")
	}
	return hud.RelationshipToHoH(r), err
}

// SetFamilyRelationship changes a member's relationship to the head (not
// to or from head: see MakeFamilyHead).
func (s *Store) SetFamilyRelationship(ctx context.Context, anchor, member string, rel hud.RelationshipToHoH) error {
	if err := validRelationship(rel); err != nil {
		return err
	}
	return s.familyWrite(ctx, anchor, member, func(tx *Tx, familyID string) error {
		if familyID == "" {
			return familyFieldError("member", "This client has no family yet.")
		}
		old, err := tx.currentRelationship(familyID, member)
		if err != nil {
			return err
		}
		if old == 1 || rel == 1 {
			return familyFieldError("relationship", "Use “Make head of household” to change who heads the family.")
		}
		if old == rel {
			return nil
		}
		if _, err := tx.exec(`UPDATE family_members SET relationship = ? WHERE family_id = ? AND personal_id = ? AND date_removed IS NULL`,
			int(rel), familyID, member); err != nil {
			return err
		}
		if err := tx.touchFamily(familyID); err != nil {
			return err
		}
		return tx.audit("family.update", "client", member, fmt.Sprintf("family %s: relationship %d -> %d", familyID, old, rel))
	})
}

// MakeFamilyHead makes member the head of household; the old head takes
// oldHeadRel (their relationship to the new head). The others keep
// theirs: the page asks the user to check them.
func (s *Store) MakeFamilyHead(ctx context.Context, anchor, member string, oldHeadRel hud.RelationshipToHoH) error {
	if err := validRelationship(oldHeadRel); err != nil {
		return err
	}
	if oldHeadRel == 1 {
		return familyFieldError("relationship", "Choose the former head’s relationship to the new head.")
	}
	return s.familyWrite(ctx, anchor, member, func(tx *Tx, familyID string) error {
		if familyID == "" {
			return familyFieldError("member", "This client has no family yet.")
		}
		cur, err := tx.currentRelationship(familyID, member)
		if err != nil || cur == 1 {
			return err
		}
		var head string
		if err := tx.queryRow(`SELECT personal_id FROM family_members WHERE family_id = ? AND relationship = 1 AND date_removed IS NULL`,
			familyID).Scan(&head); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if head != "" {
			if _, err := tx.exec(`UPDATE family_members SET relationship = ? WHERE family_id = ? AND personal_id = ? AND date_removed IS NULL`,
				int(oldHeadRel), familyID, head); err != nil {
				return err
			}
			if err := tx.audit("family.update", "client", head, fmt.Sprintf("family %s: no longer head, relationship %d", familyID, oldHeadRel)); err != nil {
				return err
			}
		}
		if _, err := tx.exec(`UPDATE family_members SET relationship = 1 WHERE family_id = ? AND personal_id = ? AND date_removed IS NULL`,
			familyID, member); err != nil {
			return err
		}
		if err := tx.touchFamily(familyID); err != nil {
			return err
		}
		return tx.audit("family.update", "client", member, "family "+familyID+": head of household")
	})
}

// RemoveFamilyMember takes member out of anchor's family (the row stays,
// dated). The head can leave only as the last member: make someone else
// head first.
func (s *Store) RemoveFamilyMember(ctx context.Context, anchor, member string) error {
	return s.familyWrite(ctx, anchor, member, func(tx *Tx, familyID string) error {
		if familyID == "" {
			return familyFieldError("member", "This client has no family yet.")
		}
		rel, err := tx.currentRelationship(familyID, member)
		if err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM family_members WHERE family_id = ? AND date_removed IS NULL`, familyID).Scan(&n); err != nil {
			return err
		}
		if rel == 1 && n > 1 {
			return familyFieldError("member", "Make another member head of household before removing the head.")
		}
		if _, err := tx.exec(`UPDATE family_members SET date_removed = ?, removed_by = ? WHERE family_id = ? AND personal_id = ? AND date_removed IS NULL`,
			tx.ts(tx.now), tx.actor.String(), familyID, member); err != nil {
			return err
		}
		if err := tx.touchFamily(familyID); err != nil {
			return err
		}
		if err := tx.audit("family.remove", "client", member, "family "+familyID); err != nil {
			return err
		}
		if member != anchor {
			return tx.audit("family.update", "client", anchor, "family "+familyID+": member "+member+" removed")
		}
		return nil
	})
}
