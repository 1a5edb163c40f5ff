package store

import (
	"context"
	"strconv"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// Merging fills the kept record's empty identity fields from the merged
// one (never overwriting a value): the name parts (3.01), the SSN with
// its data quality (3.02), the date of birth with its data quality
// (3.03), sex (4.21) and veteran status (3.07) when the kept record has
// none or "data not collected" (99). Each filled field is recorded with
// the merge (client_merge_rows, table "clients.fill", the field and the
// kept record's old data-quality code, never a value) so that undoing the
// merge empties it again. The audit names the fields, never the values.

// mergeFillTable marks the filled fields among a merge's recorded rows.
const mergeFillTable = "clients.fill"

// mergeFill is one identity field a merge may fill.
type mergeFill struct {
	key, label string
	// empty reports whether c lacks the field; copy copies it (and its
	// data quality) from m to c and returns c's old data-quality code
	// ("" when none); clear empties it again with that code.
	empty func(c *hmis.Client) bool
	copy  func(c, m *hmis.Client) string
	clear func(c *hmis.Client, oldDQ string)
}

func codeText[T ~int](p *T) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(int(*p))
}

func codeOf[T ~int](s string) *T {
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil
	}
	v := T(n)
	return &v
}

// missingCode: no answer, or HUD's "data not collected" (99).
func missingCode[T ~int](p *T) bool { return p == nil || *p == 99 }

func nameFill(key, label string, f func(c *hmis.Client) *string) mergeFill {
	return mergeFill{key: key, label: label,
		empty: func(c *hmis.Client) bool { return strings.TrimSpace(*f(c)) == "" },
		copy: func(c, m *hmis.Client) string {
			old := codeText(c.NameDataQuality)
			*f(c) = *f(m)
			if m.NameDataQuality != nil && (missingCode(c.NameDataQuality) || *c.NameDataQuality != 1) {
				c.NameDataQuality = m.NameDataQuality
			}
			return old
		},
		clear: func(c *hmis.Client, old string) {
			*f(c) = ""
			if old != "" {
				c.NameDataQuality = codeOf[hud.NameDataQuality](old)
			}
		}}
}

var mergeFills = []mergeFill{
	nameFill("first_name", "First name", func(c *hmis.Client) *string { return &c.FirstName }),
	nameFill("middle_name", "Middle name", func(c *hmis.Client) *string { return &c.MiddleName }),
	nameFill("last_name", "Last name", func(c *hmis.Client) *string { return &c.LastName }),
	nameFill("name_suffix", "Name suffix", func(c *hmis.Client) *string { return &c.NameSuffix }),
	{key: "ssn", label: "SSN",
		empty: func(c *hmis.Client) bool { return strings.TrimSpace(c.SSN) == "" },
		copy: func(c, m *hmis.Client) string {
			old := codeText(c.SSNDataQuality)
			c.SSN, c.SSNDataQuality = m.SSN, m.SSNDataQuality
			return old
		},
		clear: func(c *hmis.Client, old string) { c.SSN, c.SSNDataQuality = "", codeOf[hud.SSNDataQuality](old) }},
	{key: "dob", label: "Date of birth",
		empty: func(c *hmis.Client) bool { return c.DOB.IsZero() },
		copy: func(c, m *hmis.Client) string {
			old := codeText(c.DOBDataQuality)
			c.DOB, c.DOBDataQuality = m.DOB, m.DOBDataQuality
			return old
		},
		clear: func(c *hmis.Client, old string) {
			c.DOB, c.DOBDataQuality = hmis.Date{}, codeOf[hud.DOBDataQuality](old)
		}},
	{key: "sex", label: "Sex",
		empty: func(c *hmis.Client) bool { return missingCode(c.Sex) },
		copy: func(c, m *hmis.Client) string {
			old := codeText(c.Sex)
			c.Sex = m.Sex
			return old
		},
		clear: func(c *hmis.Client, old string) { c.Sex = codeOf[hud.Sex](old) }},
	{key: "veteran_status", label: "Veteran status",
		empty: func(c *hmis.Client) bool { return missingCode(c.VeteranStatus) },
		copy: func(c, m *hmis.Client) string {
			old := codeText(c.VeteranStatus)
			c.VeteranStatus = m.VeteranStatus
			return old
		},
		clear: func(c *hmis.Client, old string) { c.VeteranStatus = codeOf[hud.NoYesReasonsForMissingData](old) }},
}

// fillsFor returns the fields of keep that merge would fill.
func fillsFor(keep, merge *hmis.Client) []mergeFill {
	var out []mergeFill
	for _, f := range mergeFills {
		if f.empty(keep) && !f.empty(merge) {
			out = append(out, f)
		}
	}
	return out
}

// MergeFills returns the labels of the kept client's empty identity
// fields a merge would fill from the merged client (for the merge
// confirmation page; names of fields only). Administrators only.
func (s *Store) MergeFills(ctx context.Context, keepID, mergeID string) ([]string, error) {
	if _, err := requireDuplicateAdmin(ctx); err != nil {
		return nil, err
	}
	var out []string
	err := s.read(ctx, func(tx *Tx) error {
		keep, err := findRecord(tx, clientTable, keepID)
		if err != nil {
			return err
		}
		merge, err := findRecord(tx, clientTable, mergeID)
		if err != nil {
			return err
		}
		for _, f := range fillsFor(&keep, &merge) {
			out = append(out, f.label)
		}
		return nil
	})
	return out, err
}

// fillFromMerged fills keep's empty identity fields from merge in the
// merge's transaction, records them with merge mergeID and returns their
// keys.
func (tx *Tx) fillFromMerged(mergeID, keepID, mergeClientID string) ([]string, error) {
	keep, err := findRecord(tx, clientTable, keepID)
	if err != nil {
		return nil, err
	}
	merge, err := findRecord(tx, clientTable, mergeClientID)
	if err != nil {
		return nil, err
	}
	fills := fillsFor(&keep, &merge)
	if len(fills) == 0 {
		return nil, nil
	}
	var keys []string
	for _, f := range fills {
		old := f.copy(&keep, &merge)
		if _, err := tx.exec(`INSERT INTO client_merge_rows (merge_id, table_name, row_key) VALUES (?, ?, ?)`,
			mergeID, mergeFillTable, f.key+"="+old); err != nil {
			return nil, err
		}
		keys = append(keys, f.key)
	}
	if err := updateRecord(tx, clientTable, &keep); err != nil {
		return nil, err
	}
	return keys, nil
}

// unfillMerged empties again the fields merge mergeID filled on the kept
// client (rows "key=old data quality"), returning their keys.
func (tx *Tx) unfillMerged(keepID string, rows []any) ([]string, error) {
	keep, err := findRecord(tx, clientTable, keepID)
	if err != nil {
		return nil, err
	}
	var keys []string
	for _, r := range rows {
		key, old, _ := strings.Cut(r.(string), "=")
		for _, f := range mergeFills {
			if f.key == key {
				f.clear(&keep, old)
				keys = append(keys, key)
			}
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	return keys, updateRecord(tx, clientTable, &keep)
}
