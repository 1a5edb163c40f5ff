package store

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// personTable is a HUD record table whose rows belong to one client.
type personTable struct{ entity, name, key string }

func describe[T any](t *table[T]) personTable { return personTable{t.entity, t.name, t.key} }

// clientTables are the tables the access report looks through: the
// client's own row and every record that carries its PersonalID.
var clientTables = []personTable{
	describe(enrollmentTable), describe(exitTable), describe(incomeBenefitsTable), describe(healthAndDVTable),
	describe(employmentEducationTable), describe(disabilityTable), describe(serviceTable),
	describe(currentLivingSituationTable), describe(assessmentTable), describe(assessmentQuestionTable),
	describe(assessmentResultTable), describe(eventTable), describe(youthEducationStatusTable),
}

// ClientAccessReport lists who viewed or changed a client's record and
// when, oldest first: audit entries about the client itself and about
// every record of theirs (enrollments, services, assessments, ...). HUD
// gives clients the right to ask (REFERENCE §5.1, access and correction).
// Entries written by bulk jobs name no client and are not listed.
func (s *Store) ClientAccessReport(ctx context.Context, personalID string) ([]AuditEntry, error) {
	if personalID == "" {
		return nil, hmis.Errorf(hmis.EINVALID, "Give the client's PersonalID.")
	}
	q := `SELECT ` + auditColumns + ` FROM audit_log WHERE (entity = 'client' AND entity_id = ?)`
	args := []any{personalID}
	for _, t := range clientTables {
		q += ` OR (entity = ? AND entity_id IN (SELECT ` + t.key + ` FROM ` + t.name + ` WHERE personal_id = ?))`
		args = append(args, t.entity, personalID)
	}
	q += ` ORDER BY id`
	var out []AuditEntry
	err := s.read(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM clients WHERE personal_id = ?`, personalID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return notFound("Client")
		}
		var err error
		out, err = tx.queryAudit(q, args...)
		return err
	})
	return out, err
}

// piiFields are the fields whose values never enter the audit log: the
// detail says that they changed, not from what to what.
var piiFields = map[string]bool{
	"FirstName": true, "MiddleName": true, "LastName": true, "NameSuffix": true,
	"SSN": true, "DOB": true, "AdditionalRaceEthnicity": true,
}

// changeDetail describes how a record changed for the audit log:
// "Field: old → new" for codes, numbers, dates and identifiers, and
// "Field changed" for names, SSN, DOB and any other free text (which may
// hold PII). The bookkeeping columns (DateUpdated, UserID, ...) are left
// out. No change at all is "no changes".
func changeDetail[T any](old, new *T) string {
	ov, nv := reflect.ValueOf(old).Elem(), reflect.ValueOf(new).Elem()
	rt := ov.Type()
	var parts []string
	for i := range rt.NumField() {
		f := rt.Field(i)
		switch f.Name {
		case "DateCreated", "DateUpdated", "DateDeleted", "UserID", "ExportID":
			continue
		}
		a, b := ov.Field(i), nv.Field(i)
		if reflect.DeepEqual(a.Interface(), b.Interface()) {
			continue
		}
		if piiFields[f.Name] || (f.Type.Kind() == reflect.String && !strings.HasSuffix(f.Name, "ID")) {
			parts = append(parts, f.Name+" changed")
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: %s → %s", f.Name, auditValue(a), auditValue(b)))
	}
	if len(parts) == 0 {
		return "no changes"
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}

// auditValue formats a field value for changeDetail; empty is "∅".
func auditValue(v reflect.Value) string {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return "∅"
		}
		v = v.Elem()
	}
	switch x := v.Interface().(type) {
	case time.Time:
		if x.IsZero() {
			return "∅"
		}
		return x.UTC().Format(time.RFC3339)
	case hmis.Money:
		return x.String()
	case hmis.Date:
		if x.IsZero() {
			return "∅"
		}
		return x.String()
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return fmt.Sprint(v.Int()) // the HUD code, not its label: labels change between years
	case reflect.String:
		if v.String() == "" {
			return "∅"
		}
	}
	return fmt.Sprint(v.Interface())
}
