package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
)

// This file is the case notes of a client (issue 4, migration
// 0008_case_notes). A note follows its client's sharing exactly as an
// enrollment does (recordVisibility on the client, transactionVisibility
// on the note's restricted_to_org, and on its enrollment when it has
// one): there is no second rule here.

// MaxCaseNoteChars is the longest note accepted.
const MaxCaseNoteChars = 20000

// CaseNote is one note about a client's case.
type CaseNote struct {
	ID               string
	PersonalID       string
	EnrollmentID     string // "" when not tied to an enrollment
	ProjectName      string // the enrollment's program
	OrganizationID   string // the author's organization
	OrganizationName string
	RestrictedToOrg  string // "" when the note follows the client's sharing
	AuthorAccountID  string
	AuthorName       string // "First Last" of the author's account, else the HUD UserID
	NoteDate         hmis.Date
	Text             string
	DateCreated      time.Time
	DateUpdated      time.Time
}

// NewCaseNote is what AddCaseNote needs.
type NewCaseNote struct {
	PersonalID   string
	EnrollmentID string    // optional: one of the client's enrollments
	NoteDate     hmis.Date // zero: today
	Text         string
	Restricted   bool // seen by the author's organization only
}

// noteText trims a note's text and checks it, noting a refusal in fields.
func noteText(text string, fields map[string]string) string {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		fields["text"] = "Write the note."
	case utf8.RuneCountInString(text) > MaxCaseNoteChars:
		fields["text"] = fmt.Sprintf("A note holds at most %d characters.", MaxCaseNoteChars)
	}
	return text
}

// servesClient reports whether the actor's organization serves the client
// with an enrollment the actor may see (a live enrollment of a live
// program of the actor's organization, not restricted to another).
func (s *Store) servesClient(ctx context.Context, personalID string) (bool, error) {
	served := false
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		served, err = tx.servesClient(personalID)
		return err
	})
	return served, err
}

// servesClient is Store.servesClient inside a transaction: the client has
// a live enrollment in a program of the actor's organization that is not
// restricted to another organization (servedVisibility and
// transactionVisibility on it).
func (tx *Tx) servesClient(personalID string) (bool, error) {
	sv, sargs := servedVisibility(tx.actor, "e")
	tv, targs := transactionVisibility(tx.actor, "e")
	q := `SELECT 1 FROM enrollments e WHERE e.personal_id = ? AND e.date_deleted IS NULL`
	args := []any{personalID}
	for _, c := range []struct {
		cond string
		args []any
	}{{sv, sargs}, {tv, targs}} {
		if c.cond != "" {
			q, args = q+` AND `+c.cond, append(args, c.args...)
		}
	}
	err := tx.queryRow(q+` LIMIT 1`, args...).Scan(new(int))
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}

// AddCaseNote records a note about a client the actor may change
// (access.Decide: Editable), audited on the client ("case_note.add").
func (s *Store) AddCaseNote(ctx context.Context, n NewCaseNote) (CaseNote, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return CaseNote{}, errNoActor
	}
	fields := map[string]string{}
	n.Text = noteText(n.Text, fields)
	if n.Restricted && actor.OrganizationID == "" {
		fields["restricted"] = "Your account belongs to no organization to restrict the note to."
	}
	level, err := s.ClientAccess(ctx, n.PersonalID)
	if err != nil {
		return CaseNote{}, err
	}
	if level >= access.Intake && level < access.Editable && actor.Role.CanWrite() {
		// A note of an enrollment of the actor's organization's program
		// (an organization changes its own programs' transactions of the
		// clients it serves); without an enrollment, when the client has
		// such an enrollment, the field says what to choose.
		if n.EnrollmentID != "" {
			if l, err := s.EnrollmentAccess(ctx, n.PersonalID, n.EnrollmentID); err != nil {
				return CaseNote{}, err
			} else if l >= access.Editable {
				level = l
			}
		} else if served, err := s.servesClient(ctx, n.PersonalID); err != nil {
			return CaseNote{}, err
		} else if served {
			fields["enrollment_id"] = "Choose an enrollment of your organization's programs: a note on this client must be tied to one."
			return CaseNote{}, &hmis.Error{Code: hmis.EINVALID, Message: "The note was not saved.", Fields: fields}
		}
	}
	switch {
	case level == access.NotFound:
		return CaseNote{}, notFound("Client")
	case level < access.Editable:
		return CaseNote{}, &hmis.Error{Code: hmis.EFORBIDDEN, Message: "You may see this client but not add notes to their record."}
	}
	var note CaseNote
	err = s.write(ctx, func(tx *Tx) error {
		if _, err := tx.visibleClient(n.PersonalID); err != nil {
			return err
		}
		today := txToday(tx)
		if n.NoteDate.IsZero() {
			n.NoteDate = today
		} else if n.NoteDate.After(today) {
			fields["note_date"] = "A note cannot be dated in the future."
		}
		if n.EnrollmentID != "" {
			q := `SELECT 1 FROM enrollments e WHERE e.enrollment_id = ? AND e.personal_id = ? AND e.date_deleted IS NULL`
			args := []any{n.EnrollmentID, n.PersonalID}
			if tv, targs := transactionVisibility(tx.actor, "e"); tv != "" {
				q += ` AND ` + tv
				args = append(args, targs...)
			}
			if err := tx.queryRow(q, args...).Scan(new(int)); errors.Is(err, sql.ErrNoRows) {
				fields["enrollment_id"] = "Choose one of the client's enrollments."
			} else if err != nil {
				return err
			}
		}
		if len(fields) > 0 {
			return &hmis.Error{Code: hmis.EINVALID, Message: "The note was not saved.", Fields: fields}
		}
		note = CaseNote{ID: NewID(), PersonalID: n.PersonalID, EnrollmentID: n.EnrollmentID,
			OrganizationID: actor.OrganizationID, AuthorAccountID: actor.AccountID, NoteDate: n.NoteDate,
			Text: n.Text, DateCreated: tx.now, DateUpdated: tx.now}
		if n.Restricted {
			note.RestrictedToOrg = actor.OrganizationID
		}
		if _, err := tx.exec(`INSERT INTO case_notes (id, personal_id, enrollment_id, organization_id, restricted_to_org,
				author_account_id, author_user_id, note_date, text, date_created, date_updated)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			note.ID, note.PersonalID, nullString(note.EnrollmentID), nullString(note.OrganizationID),
			nullString(note.RestrictedToOrg), actor.AccountID, actor.UserID, nullDate(note.NoteDate), note.Text,
			tx.ts(tx.now), tx.ts(tx.now)); err != nil {
			return err
		}
		detail := "note " + note.ID
		if note.RestrictedToOrg != "" {
			detail += " (restricted to the organization)"
		}
		return tx.audit("case_note.add", "client", note.PersonalID, detail)
	})
	return note, err
}

// caseNoteSelect reads notes (alias n) with their author, organization
// and program.
const caseNoteSelect = `SELECT n.id, n.personal_id, n.enrollment_id, p.project_name, n.organization_id, o.organization_name,
		n.restricted_to_org, n.author_account_id, a.first_name, a.last_name, n.author_user_id, n.note_date, n.text,
		n.date_created, n.date_updated
	FROM case_notes n
	JOIN clients c ON c.personal_id = n.personal_id AND c.date_deleted IS NULL
	LEFT JOIN enrollments e ON e.enrollment_id = n.enrollment_id
	LEFT JOIN projects p ON p.project_id = e.project_id
	LEFT JOIN organizations o ON o.organization_id = n.organization_id
	LEFT JOIN accounts a ON a.id = n.author_account_id
	WHERE n.date_deleted IS NULL`

// caseNoteVisibility is the condition that the actor may see the note
// (alias n, client alias c): the client's whole record
// (recordVisibility), the note's own restriction and, when it is tied to
// an enrollment, that enrollment's restriction (transactionVisibility).
//
// A note tied to an enrollment of the actor's organization's program is
// also seen when only the client's intake is (an organization sees the
// clients it serves: servedVisibility); a note without an enrollment
// follows the client's whole record only.
func caseNoteVisibility(tx *Tx) (string, []any) {
	var conds []string
	var args []any
	if vis, vargs := recordVisibility(tx.actor, "c", txToday(tx)); vis != "" {
		conds, args = append(conds, vis), append(args, vargs...)
	}
	if tv, targs := transactionVisibility(tx.actor, "ev"); tv != "" {
		conds = append(conds, `(n.enrollment_id IS NULL OR EXISTS (SELECT 1 FROM enrollments ev
			WHERE ev.enrollment_id = n.enrollment_id AND ev.date_deleted IS NULL AND `+tv+`))`)
		args = append(args, targs...)
	}
	if len(conds) == 0 {
		return "", nil
	}
	tv, targs := transactionVisibility(tx.actor, "ev")
	sv, sargs := servedVisibility(tx.actor, "ev")
	cond := `(` + strings.Join(conds, " AND ") + ` OR EXISTS (SELECT 1 FROM enrollments ev
			WHERE ev.enrollment_id = n.enrollment_id AND ev.date_deleted IS NULL AND ` + tv + ` AND ` + sv + `))`
	args = append(append(args, targs...), sargs...)
	if nv, nargs := transactionVisibility(tx.actor, "n"); nv != "" {
		cond, args = nv+` AND `+cond, append(nargs, args...)
	}
	return cond, args
}

func (tx *Tx) caseNotes(cond string, args []any, limit int) ([]CaseNote, error) {
	q := caseNoteSelect + cond
	if vis, vargs := caseNoteVisibility(tx); vis != "" {
		q += ` AND ` + vis
		args = append(args, vargs...)
	}
	q += ` ORDER BY n.note_date DESC, n.date_created DESC, n.id`
	if limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, limit)
	}
	rows, err := tx.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CaseNote
	for rows.Next() {
		var n CaseNote
		var first, last, userID string
		if err := rows.Scan(&n.ID, &n.PersonalID, scanString(&n.EnrollmentID), scanString(&n.ProjectName),
			scanString(&n.OrganizationID), scanString(&n.OrganizationName), scanString(&n.RestrictedToOrg),
			&n.AuthorAccountID, scanString(&first), scanString(&last), &userID, &n.NoteDate, &n.Text,
			scanTime(&n.DateCreated), scanTime(&n.DateUpdated)); err != nil {
			return nil, err
		}
		n.AuthorName = strings.TrimSpace(first + " " + last)
		if n.AuthorName == "" {
			n.AuthorName = userID
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// FindCaseNotes returns the notes of a client the actor may see, newest
// first, that the actor may see. Reading the list is audited on the
// client ("read", "case notes").
func (s *Store) FindCaseNotes(ctx context.Context, personalID string) ([]CaseNote, error) {
	var out []CaseNote
	err := s.read(ctx, func(tx *Tx) error {
		if _, err := tx.visibleClient(personalID); err != nil {
			return err
		}
		var err error
		out, err = tx.caseNotes(` AND n.personal_id = ?`, []any{personalID}, 0)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.Audit(ctx, "read", "client", personalID, fmt.Sprintf("case notes: %d", len(out)))
}

// CaseNoteSearch selects notes for SearchCaseNotes.
type CaseNoteSearch struct {
	Text       string // words the note contains (case ignored)
	PersonalID string // "" for every client
	Limit      int    // default 100
}

// SearchCaseNotes finds notes written by the actor's organization that
// contain f.Text, newest first, among those the actor may see. Audited
// ("search", "case_note"; the words searched are not recorded).
func (s *Store) SearchCaseNotes(ctx context.Context, f CaseNoteSearch) ([]CaseNote, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return nil, errNoActor
	}
	text := strings.TrimSpace(f.Text)
	if text == "" {
		return nil, hmis.Errorf(hmis.EINVALID, "Type words to search the notes for.")
	}
	if actor.OrganizationID == "" {
		return nil, nil
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	cond := ` AND n.organization_id = ? AND LOWER(n.text) LIKE ? ESCAPE '\'`
	args := []any{actor.OrganizationID, "%" + likeEscape(strings.ToLower(text)) + "%"}
	if f.PersonalID != "" {
		cond += ` AND n.personal_id = ?`
		args = append(args, f.PersonalID)
	}
	var out []CaseNote
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.caseNotes(cond, args, f.Limit)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.Audit(ctx, "search", "case_note", f.PersonalID, fmt.Sprintf("%d notes found", len(out)))
}

// likeEscape escapes LIKE's wildcards for ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// CaseNoteChange is what UpdateCaseNote changes. Version is the note's
// DateUpdated as the editor read it: a note changed since is not
// overwritten (EConflict).
type CaseNoteChange struct {
	Text       string
	NoteDate   hmis.Date
	Restricted bool
	Version    time.Time
}

// FindCaseNote returns one note the actor may see (ENOTFOUND otherwise,
// the same answer as a note that does not exist). Audited on the client.
func (s *Store) FindCaseNote(ctx context.Context, personalID, id string) (CaseNote, error) {
	var out CaseNote
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.caseNote(personalID, id)
		return err
	})
	if err != nil {
		return CaseNote{}, err
	}
	return out, s.Audit(ctx, "read", "client", personalID, "case note "+id)
}

func (tx *Tx) caseNote(personalID, id string) (CaseNote, error) {
	if _, err := tx.visibleClient(personalID); err != nil {
		return CaseNote{}, err
	}
	ns, err := tx.caseNotes(` AND n.personal_id = ? AND n.id = ?`, []any{personalID, id}, 1)
	if err != nil {
		return CaseNote{}, err
	}
	if len(ns) == 0 {
		return CaseNote{}, notFound("Case note")
	}
	return ns[0], nil
}

// mayChangeNote reports whether the actor may edit or delete a note: its
// author, or an HMIS administrator. Everyone else may only read it.
func mayChangeNote(a hmis.Actor, n CaseNote) bool {
	return a.System || a.Role == hmis.RoleAdmin || (a.AccountID != "" && a.AccountID == n.AuthorAccountID)
}

// MayChangeCaseNote reports whether the actor in ctx may edit or delete n.
func MayChangeCaseNote(ctx context.Context, n CaseNote) bool {
	a, ok := hmis.ActorFrom(ctx)
	return ok && mayChangeNote(a, n)
}

// UpdateCaseNote changes a note's text, date and restriction. Only its
// author or an administrator may (EFORBIDDEN for others who see it); a
// note changed since the editor read it is refused with EConflict.
// Audited on the client ("case_note.update", which parts changed, never
// the words).
func (s *Store) UpdateCaseNote(ctx context.Context, personalID, id string, ch CaseNoteChange) (CaseNote, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return CaseNote{}, errNoActor
	}
	fields := map[string]string{}
	ch.Text = noteText(ch.Text, fields)
	var out CaseNote
	err := s.write(ctx, func(tx *Tx) error {
		n, err := tx.caseNote(personalID, id)
		if err != nil {
			return err
		}
		if !mayChangeNote(actor, n) {
			return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only the note's author or an HMIS administrator may change it."}
		}
		if !ch.Version.IsZero() && !n.DateUpdated.Equal(ch.Version) {
			return &hmis.Error{Code: hmis.ECONFLICT, Message: "Someone changed this note after you opened it: read it again before you edit it."}
		}
		if ch.NoteDate.IsZero() {
			ch.NoteDate = n.NoteDate
		} else if ch.NoteDate.After(txToday(tx)) {
			fields["note_date"] = "A note cannot be dated in the future."
		}
		restricted := ""
		if ch.Restricted {
			if restricted = n.RestrictedToOrg; restricted == "" {
				restricted = actor.OrganizationID
			}
			if restricted == "" {
				fields["restricted"] = "Your account belongs to no organization to restrict the note to."
			}
		}
		if len(fields) > 0 {
			return &hmis.Error{Code: hmis.EINVALID, Message: "The note was not saved.", Fields: fields}
		}
		var changed []string
		if ch.Text != n.Text {
			changed = append(changed, "text")
		}
		if ch.NoteDate != n.NoteDate {
			changed = append(changed, "date "+n.NoteDate.String()+" -> "+ch.NoteDate.String())
		}
		if restricted != n.RestrictedToOrg {
			changed = append(changed, fmt.Sprintf("restricted %t -> %t", n.RestrictedToOrg != "", restricted != ""))
		}
		if len(changed) == 0 {
			out = n
			return nil
		}
		if _, err := tx.exec(`UPDATE case_notes SET text = ?, note_date = ?, restricted_to_org = ?, date_updated = ? WHERE id = ?`,
			ch.Text, nullDate(ch.NoteDate), nullString(restricted), tx.ts(tx.now), id); err != nil {
			return err
		}
		n.Text, n.NoteDate, n.RestrictedToOrg, n.DateUpdated = ch.Text, ch.NoteDate, restricted, tx.now
		out = n
		return tx.audit("case_note.update", "client", personalID, "note "+id+": "+strings.Join(changed, ", "))
	})
	return out, err
}

// DeleteCaseNote removes a note (soft: date_deleted is set and the note
// leaves every list). The same people as UpdateCaseNote may; version as
// there. Audited ("case_note.delete").
func (s *Store) DeleteCaseNote(ctx context.Context, personalID, id string, version time.Time) error {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return errNoActor
	}
	return s.write(ctx, func(tx *Tx) error {
		n, err := tx.caseNote(personalID, id)
		if err != nil {
			return err
		}
		if !mayChangeNote(actor, n) {
			return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only the note's author or an HMIS administrator may delete it."}
		}
		if !version.IsZero() && !n.DateUpdated.Equal(version) {
			return &hmis.Error{Code: hmis.ECONFLICT, Message: "Someone changed this note after you opened it: read it again before you delete it."}
		}
		if _, err := tx.exec(`UPDATE case_notes SET date_deleted = ?, date_updated = ? WHERE id = ?`,
			tx.ts(tx.now), tx.ts(tx.now), id); err != nil {
			return err
		}
		return tx.audit("case_note.delete", "client", personalID, "note "+id)
	})
}
