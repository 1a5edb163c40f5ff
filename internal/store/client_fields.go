package store

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
)

// The HMIS's own client fields (issue 4 item 3, migration 0013):
// questions beyond HUD's universal elements (limited English, marital
// status, education, ...) that administrators configure for the site.
// Values are part of the client's record: read with it (the caller's
// read of the client is the audited one, as for FindClientByID) and
// changed by whoever may change the client (access Editable), audited
// with the fields' labels, never their values.

// Client field kinds.
const (
	FieldText   = "text"
	FieldYesNo  = "yes_no"
	FieldChoice = "choice"
)

// MaxClientFieldValue is the longest value of a text field.
const MaxClientFieldValue = 200

// ClientFieldDef is one configured field.
type ClientFieldDef struct {
	ID       string
	Label    string
	Kind     string   // FieldText, FieldYesNo, FieldChoice
	Choices  []string // FieldChoice only
	Position int
	Active   bool
}

var fieldIDPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// ClientFieldDefs returns the configured fields in order; inactive ones
// only when all is true.
func (s *Store) ClientFieldDefs(ctx context.Context, all bool) ([]ClientFieldDef, error) {
	q := `SELECT id, label, kind, choices, position, active FROM client_field_defs`
	if !all {
		q += ` WHERE active = 1`
	}
	var out []ClientFieldDef
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(q + ` ORDER BY position, label`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d ClientFieldDef
			var choices string
			var active int
			if err := rows.Scan(&d.ID, &d.Label, &d.Kind, &choices, &d.Position, &active); err != nil {
				return err
			}
			d.Active = active == 1
			if choices != "" {
				d.Choices = strings.Split(choices, "\n")
			}
			out = append(out, d)
		}
		return rows.Err()
	})
	return out, err
}

// SaveClientFieldDef adds a field (a new ID) or changes one (label,
// choices, position, active; never its kind, which would change what
// stored values mean). Administrators only. Audited ("client_field.save").
func (s *Store) SaveClientFieldDef(ctx context.Context, d ClientFieldDef) error {
	a, ok := hmis.ActorFrom(ctx)
	if !ok {
		return errNoActor
	}
	if !a.System && a.Role != hmis.RoleAdmin {
		return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only HMIS administrators may configure client fields."}
	}
	fields := map[string]string{}
	d.Label = strings.TrimSpace(d.Label)
	switch {
	case d.Label == "":
		fields["label"] = "Name the field."
	case utf8.RuneCountInString(d.Label) > 100:
		fields["label"] = "A label holds at most 100 characters."
	}
	if !fieldIDPattern.MatchString(d.ID) {
		fields["id"] = "An ID is lowercase letters, digits and _, starting with a letter (at most 40)."
	}
	var choices []string
	for _, c := range d.Choices {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(choices, c) {
			choices = append(choices, c)
		}
	}
	switch d.Kind {
	case FieldChoice:
		if len(choices) < 2 {
			fields["choices"] = "List at least two choices, one per line."
		}
	case FieldText, FieldYesNo:
		choices = nil
	default:
		fields["kind"] = "Choose text, yes/no or a list of choices."
	}
	if len(fields) > 0 {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The field was not saved.", Fields: fields}
	}
	active := 0
	if d.Active {
		active = 1
	}
	return s.write(ctx, func(tx *Tx) error {
		var kind string
		err := tx.queryRow(`SELECT kind FROM client_field_defs WHERE id = ?`, d.ID).Scan(&kind)
		switch {
		case err == nil && kind != d.Kind:
			return &hmis.Error{Code: hmis.EINVALID, Message: "The field was not saved.",
				Fields: map[string]string{"kind": "A field’s kind cannot change: make a new field instead."}}
		case err == nil:
			if _, err := tx.exec(`UPDATE client_field_defs SET label = ?, choices = ?, position = ?, active = ?, date_updated = ? WHERE id = ?`,
				d.Label, strings.Join(choices, "\n"), d.Position, active, tx.ts(tx.now), d.ID); err != nil {
				return err
			}
		default:
			if err := one(err, "field"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
				return err
			}
			if _, err := tx.exec(`INSERT INTO client_field_defs (id, label, kind, choices, position, active, date_created, date_updated)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, d.ID, d.Label, d.Kind, strings.Join(choices, "\n"), d.Position, active,
				tx.ts(tx.now), tx.ts(tx.now)); err != nil {
				return err
			}
		}
		return tx.audit("client_field.save", "client_field", d.ID, d.Label)
	})
}

// ClientFieldValues returns a client's values by field ID, for a client
// the actor may see (ENOTFOUND otherwise). The caller audits the read of
// the client it shows them with.
func (s *Store) ClientFieldValues(ctx context.Context, personalID string) (map[string]string, error) {
	out := map[string]string{}
	err := s.read(ctx, func(tx *Tx) error {
		if _, err := tx.visibleClient(personalID); err != nil {
			return err
		}
		rows, err := tx.query(`SELECT field_id, value FROM client_field_values WHERE personal_id = ?`, personalID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, v string
			if err := rows.Scan(&id, &v); err != nil {
				return err
			}
			out[id] = v
		}
		return rows.Err()
	})
	return out, err
}

// SetClientFieldValues sets the values of the active fields named in
// values ("" clears one); other fields keep theirs. Refused field by
// field (EINVALID naming "field_<id>"); audited with the labels changed.
func (s *Store) SetClientFieldValues(ctx context.Context, personalID string, values map[string]string) error {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return errNoActor
	}
	defs, err := s.ClientFieldDefs(ctx, false)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		level, err := tx.clientAccess(personalID)
		if err != nil {
			return err
		}
		switch {
		case level == access.NotFound:
			return notFound("Client")
		case level < access.Editable:
			return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "You may see this client but not change their information."}
		}
		old := map[string]string{}
		rows, err := tx.query(`SELECT field_id, value FROM client_field_values WHERE personal_id = ?`, personalID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, v string
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return err
			}
			old[id] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		fields := map[string]string{}
		var changed []string
		for _, d := range defs {
			v, ok := values[d.ID]
			if !ok {
				continue
			}
			v = strings.TrimSpace(v)
			switch {
			case v == "":
			case d.Kind == FieldYesNo && v != "yes" && v != "no":
				fields["field_"+d.ID] = "Choose yes or no."
			case d.Kind == FieldChoice && !slices.Contains(d.Choices, v):
				fields["field_"+d.ID] = "Choose one of the listed answers."
			case d.Kind == FieldText && utf8.RuneCountInString(v) > MaxClientFieldValue:
				fields["field_"+d.ID] = fmt.Sprintf("At most %d characters.", MaxClientFieldValue)
			}
			if v == old[d.ID] || fields["field_"+d.ID] != "" {
				continue
			}
			changed = append(changed, d.Label)
			if v == "" {
				if _, err := tx.exec(`DELETE FROM client_field_values WHERE personal_id = ? AND field_id = ?`, personalID, d.ID); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.exec(`INSERT INTO client_field_values (personal_id, field_id, value, date_updated, updated_by)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (personal_id, field_id) DO UPDATE SET value = excluded.value,
				date_updated = excluded.date_updated, updated_by = excluded.updated_by`,
				personalID, d.ID, v, tx.ts(tx.now), tx.actor.String()); err != nil {
				return err
			}
		}
		if len(fields) > 0 {
			return &hmis.Error{Code: hmis.EINVALID, Message: "The information was not saved.", Fields: fields}
		}
		if len(changed) == 0 {
			return nil
		}
		return tx.audit("update", "client", personalID, "fields: "+strings.Join(changed, ", "))
	})
}
