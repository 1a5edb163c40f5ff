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
	// Sensitive values are sealed at rest with the site key and masked on
	// the pages (SensitiveFieldMask) unless revealed (issue 6 item 7).
	Sensitive bool
}

var fieldIDPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// ClientFieldDefs returns the configured fields in order; inactive ones
// only when all is true.
func (s *Store) ClientFieldDefs(ctx context.Context, all bool) ([]ClientFieldDef, error) {
	q := `SELECT id, label, kind, choices, position, active, sensitive FROM client_field_defs`
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
			var active, sensitive int
			if err := rows.Scan(&d.ID, &d.Label, &d.Kind, &choices, &d.Position, &active, &sensitive); err != nil {
				return err
			}
			d.Active, d.Sensitive = active == 1, sensitive == 1
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
	active, sensitive := 0, 0
	if d.Active {
		active = 1
	}
	if d.Sensitive {
		sensitive = 1
	}
	if d.Sensitive && s.key == nil {
		return errNoKey
	}
	return s.write(ctx, func(tx *Tx) error {
		var kind string
		var wasSensitive int
		err := tx.queryRow(`SELECT kind, sensitive FROM client_field_defs WHERE id = ?`, d.ID).Scan(&kind, &wasSensitive)
		detail := d.Label
		switch {
		case err == nil && kind != d.Kind:
			return &hmis.Error{Code: hmis.EINVALID, Message: "The field was not saved.",
				Fields: map[string]string{"kind": "A field’s kind cannot change: make a new field instead."}}
		case err == nil:
			if _, err := tx.exec(`UPDATE client_field_defs SET label = ?, choices = ?, position = ?, active = ?, sensitive = ?, date_updated = ? WHERE id = ?`,
				d.Label, strings.Join(choices, "\n"), d.Position, active, sensitive, tx.ts(tx.now), d.ID); err != nil {
				return err
			}
			if wasSensitive != sensitive {
				// Every stored value is sealed (or opened) in the same
				// transaction as the change of the field.
				n, err := s.resealFieldValues(tx, d.ID, wasSensitive == 1, d.Sensitive)
				if err != nil {
					return err
				}
				detail += fmt.Sprintf(" (sensitive %s: %d values %s)", map[bool]string{true: "on", false: "off"}[d.Sensitive], n,
					map[bool]string{true: "sealed", false: "opened"}[d.Sensitive])
			}
		default:
			if err := one(err, "field"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
				return err
			}
			if _, err := tx.exec(`INSERT INTO client_field_defs (id, label, kind, choices, position, active, sensitive, date_created, date_updated)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.ID, d.Label, d.Kind, strings.Join(choices, "\n"), d.Position, active, sensitive,
				tx.ts(tx.now), tx.ts(tx.now)); err != nil {
				return err
			}
			if d.Sensitive {
				detail += " (sensitive)"
			}
		}
		return tx.audit("client_field.save", "client_field", d.ID, detail)
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
			if strings.HasPrefix(v, fieldEnvelope) {
				v = SensitiveFieldMask // never opened here: RevealSensitiveFields
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
		if err := tx.requireEditableClient(personalID); err != nil {
			return err
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
			if d.Sensitive && v == SensitiveFieldMask {
				continue // the masked value sent back unchanged: keep the stored one
			}
			if d.Sensitive {
				if old[d.ID], err = s.openFieldValue(personalID, d.ID, old[d.ID]); err != nil {
					return err
				}
			}
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
			stored := v
			if d.Sensitive {
				if stored, err = s.sealFieldValue(personalID, d.ID, v); err != nil {
					return err
				}
			}
			if _, err := tx.exec(`INSERT INTO client_field_values (personal_id, field_id, value, date_updated, updated_by)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (personal_id, field_id) DO UPDATE SET value = excluded.value,
				date_updated = excluded.date_updated, updated_by = excluded.updated_by`,
				personalID, d.ID, stored, tx.ts(tx.now), tx.actor.String()); err != nil {
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

// Sensitive client fields (issue 6 item 7): a field an administrator
// marks sensitive has its values sealed at rest with the site key
// (AES-256-GCM, bound to the client's PersonalID and the field's ID, so a
// value copied to another client or field does not open), stored as
// "f1:<sealed>". ClientFieldValues never opens them: it returns
// SensitiveFieldMask, which the edit form sends back unchanged to keep the
// stored value. RevealSensitiveFields opens them for a user holding the
// "sensitive" permission (access.PIISensitive), audited on the client.

const fieldEnvelope = "f1:"

// SensitiveFieldMask stands for a sealed value on the pages.
const SensitiveFieldMask = "(hidden)"

func fieldAD(personalID, fieldID string) []byte {
	return []byte("field:" + personalID + "\x00" + fieldID)
}

func (s *Store) sealFieldValue(personalID, fieldID, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	if s.key == nil {
		return "", errNoKey
	}
	return fieldEnvelope + s.key.Seal([]byte(v), fieldAD(personalID, fieldID)), nil
}

// openFieldValue opens a sealed value; a value in clear is returned as it is.
func (s *Store) openFieldValue(personalID, fieldID, stored string) (string, error) {
	rest, ok := strings.CutPrefix(stored, fieldEnvelope)
	if !ok {
		return stored, nil
	}
	if s.key == nil {
		return "", errNoKey
	}
	b, err := s.key.Open(rest, fieldAD(personalID, fieldID))
	if err != nil {
		// No PersonalID or value in the message: it may reach a log.
		return "", fmt.Errorf("store: a sensitive client field cannot be opened: %w", err)
	}
	return string(b), nil
}

// resealFieldValues seals every value of a field that became sensitive,
// or opens every value of one that no longer is; it returns the count.
func (s *Store) resealFieldValues(tx *Tx, fieldID string, was, now bool) (int, error) {
	rows, err := tx.query(`SELECT personal_id, value FROM client_field_values WHERE field_id = ?`, fieldID)
	if err != nil {
		return 0, err
	}
	type row struct{ id, v string }
	var rs []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.v); err != nil {
			rows.Close()
			return 0, err
		}
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, r := range rs {
		v, err := s.openFieldValue(r.id, fieldID, r.v)
		if err != nil {
			return 0, err
		}
		if now {
			if v, err = s.sealFieldValue(r.id, fieldID, v); err != nil {
				return 0, err
			}
		}
		if _, err := tx.exec(`UPDATE client_field_values SET value = ? WHERE personal_id = ? AND field_id = ?`, v, r.id, fieldID); err != nil {
			return 0, err
		}
	}
	return len(rs), nil
}

// MayRevealSensitiveFields reports whether the actor may reveal a
// client's sensitive fields ("Client not found" when they may not see
// the client).
func (s *Store) MayRevealSensitiveFields(ctx context.Context, personalID string) (bool, error) {
	return s.mayPII(ctx, personalID, access.PIISensitive)
}

// RevealSensitiveFields returns a client's sensitive field values in
// clear, by field ID, to a user holding the permission, and audits it
// ("field.reveal" on the client, naming the fields, never their values).
// "Client not found" for a client the user may not see; EFORBIDDEN
// without the permission.
func (s *Store) RevealSensitiveFields(ctx context.Context, personalID string) (map[string]string, error) {
	may, err := s.MayRevealSensitiveFields(ctx, personalID)
	if err != nil {
		return nil, err
	}
	if !may {
		return nil, &hmis.Error{Code: hmis.EFORBIDDEN, Message: "You may not see this client’s sensitive fields."}
	}
	defs, err := s.ClientFieldDefs(ctx, true)
	if err != nil {
		return nil, err
	}
	labels := map[string]string{}
	for _, d := range defs {
		if d.Sensitive {
			labels[d.ID] = d.Label
		}
	}
	out := map[string]string{}
	err = s.write(ctx, func(tx *Tx) error {
		if _, err := tx.visibleClient(personalID); err != nil {
			return err
		}
		rows, err := tx.query(`SELECT field_id, value FROM client_field_values WHERE personal_id = ?`, personalID)
		if err != nil {
			return err
		}
		type row struct{ id, v string }
		var rs []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.v); err != nil {
				rows.Close()
				return err
			}
			rs = append(rs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var names []string
		for _, r := range rs {
			if _, ok := labels[r.id]; !ok {
				continue
			}
			v, err := s.openFieldValue(personalID, r.id, r.v)
			if err != nil {
				return err
			}
			out[r.id] = v
			names = append(names, labels[r.id])
		}
		slices.Sort(names)
		return tx.audit("field.reveal", "client", personalID, "fields: "+strings.Join(names, ", "))
	})
	return out, err
}
