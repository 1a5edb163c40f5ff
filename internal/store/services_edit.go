package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Editing a recorded service (issue 5 point 6): its service (another
// entry of the enrollment's program catalog), date, end date, units,
// amount, provider and note. The same rules as recording apply
// (checkService); the HUD Services record written with a HUD catalog
// entry follows (RecordType, TypeProvided, DateProvided, FAAmount...), so
// the HMIS CSV export's Services.csv shows the change; a service that
// becomes a program's own one loses its HUD record, one that becomes a
// HUD one gains it.

// MaxServiceNote bounds a service's note.
const MaxServiceNote = 500

// ServiceChange is an edit of a recorded service.
type ServiceChange struct {
	CatalogID    string // "": unchanged
	DateProvided hmis.Date
	EndDate      hmis.Date
	Units        int         // 0: the catalog's default
	Amount       *hmis.Money // nil: none (or the catalog's default)
	ProviderOrg  string      // "": the actor's organization
	Note         string
	// Version is the service's date_updated as the editor read it; a
	// service changed since is refused with ECONFLICT.
	Version time.Time
}

// serviceRecord is a service_records row.
type serviceRecord struct {
	ID, PersonalID, EnrollmentID, CatalogID, ServicesID, ProviderOrg, Note string
	DateProvided, EndDate                                                  hmis.Date
	Units                                                                  int
	Amount                                                                 *hmis.Money
	Updated                                                                time.Time
}

// serviceRecord reads a recorded service of the client that the actor may
// see (the client's transactions rule); not found otherwise.
func (tx *Tx) serviceRecord(personalID, id string) (serviceRecord, error) {
	var v serviceRecord
	cond, args, ok, err := tx.clientTransactions(personalID, "r.personal_id", "r", "e")
	if err != nil {
		return v, err
	}
	if !ok {
		return v, notFound("Service")
	}
	var cents sql.NullInt64
	err = tx.queryRow(`SELECT r.id, r.personal_id, r.enrollment_id, r.catalog_id, r.services_id, r.provider_org, r.note,
			r.date_provided, r.end_date, r.units, r.amount_cents, r.date_updated
		FROM service_records r LEFT JOIN enrollments e ON e.enrollment_id = r.enrollment_id
		WHERE r.id = ? AND r.date_deleted IS NULL AND `+cond, append([]any{id}, args...)...).
		Scan(&v.ID, &v.PersonalID, &v.EnrollmentID, &v.CatalogID, scanString(&v.ServicesID), scanString(&v.ProviderOrg), scanString(&v.Note),
			&v.DateProvided, &v.EndDate, &v.Units, &cents, scanTime(&v.Updated))
	if errors.Is(err, sql.ErrNoRows) {
		return v, notFound("Service")
	} else if err != nil {
		return v, err
	}
	if cents.Valid {
		m := hmis.Money(cents.Int64)
		v.Amount = &m
	}
	return v, nil
}

// UpdateService changes one of a client's recorded services. The actor
// must be allowed to change the client (as for recording); a service
// changed since the editor read it (ch.Version) is refused with
// ECONFLICT. Fields are checked as when recording (EINVALID, by field:
// catalog_id, date_provided, end_date, units, amount, provider_org,
// note). Audited on the client ("service.update", old → new of each
// changed part; the note's words are never logged).
func (s *Store) UpdateService(ctx context.Context, personalID, id string, ch ServiceChange) error {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return errNoActor
	}
	if err := s.editable(ctx, personalID); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		old, err := tx.serviceRecord(personalID, id)
		if err != nil {
			return err
		}
		if !ch.Version.IsZero() && !old.Updated.Equal(ch.Version) {
			return &hmis.Error{Code: hmis.ECONFLICT, Message: "Someone changed this service after you opened it: check what changed before you save again."}
		}
		if ch.CatalogID == "" {
			ch.CatalogID = old.CatalogID
		}
		k, fields, err := tx.recordPrep(ch.CatalogID, &ch.ProviderOrg)
		if err != nil {
			return err
		}
		ts, err := tx.serviceTargets([]string{old.EnrollmentID})
		if err != nil {
			return err
		}
		t, ok := ts[old.EnrollmentID]
		if !ok {
			return notFound("Service")
		}
		if k.ID != "" && k.ProjectID != t.ProjectID {
			fields["catalog_id"] = "Choose a service of the enrollment's program."
		}
		n := NewService{EnrollmentID: old.EnrollmentID, CatalogID: ch.CatalogID, DateProvided: ch.DateProvided, EndDate: ch.EndDate,
			Units: ch.Units, Amount: ch.Amount, ProviderOrg: ch.ProviderOrg, Note: strings.TrimSpace(ch.Note)}
		if len(fields) == 0 {
			if n.Units == 0 {
				n.Units = k.DefaultUnits
			}
			fields = checkService(t, k, n, txToday(tx))
		}
		if len(fields) > 0 {
			return &hmis.Error{Code: hmis.EINVALID, Message: "The service was not saved.", Fields: fields}
		}
		var changed []string
		diff := func(what, a, b string) {
			if a != b {
				changed = append(changed, what+" "+a+" → "+b)
			}
		}
		diff("service", old.CatalogID, k.ID)
		diff("date", old.DateProvided.String(), n.DateProvided.String())
		diff("end date", old.EndDate.String(), n.EndDate.String())
		diff("units", strconv.Itoa(old.Units), strconv.Itoa(n.Units))
		diff("amount", moneyText(old.Amount), moneyText(n.Amount))
		diff("provider", old.ProviderOrg, n.ProviderOrg)
		if old.Note != n.Note {
			changed = append(changed, "note")
		}
		if len(changed) == 0 {
			return nil
		}
		servicesID, hudDetail, err := tx.syncHUDService(t, k, n, old.ServicesID)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE service_records SET catalog_id = ?, services_id = ?, date_provided = ?, end_date = ?, units = ?,
				amount_cents = ?, provider_org = ?, note = ?, date_updated = ? WHERE id = ?`,
			k.ID, nullString(servicesID), nullDate(n.DateProvided), nullDate(n.EndDate), n.Units, centsArg(n.Amount),
			nullString(n.ProviderOrg), nullString(n.Note), tx.ts(tx.now), id); err != nil {
			return err
		}
		detail := "service " + id + ": " + strings.Join(changed, ", ")
		if hudDetail != "" {
			detail += "; " + hudDetail
		}
		return tx.audit("service.update", "client", personalID, detail)
	})
}

// syncHUDService brings the HUD Services record of an edited service in
// line with its catalog entry and values: updated (a HUD entry with a
// record), created (a HUD entry without one), deleted (a program's own
// entry with one). It returns the HUD record's id ("" for none) and what
// it did, for the audit.
func (tx *Tx) syncHUDService(t serviceTarget, k CatalogEntry, n NewService, servicesID string) (string, string, error) {
	if k.RecordType == nil {
		if servicesID == "" {
			return "", "", nil
		}
		if err := deleteRecord(tx, serviceTable, servicesID); err != nil {
			return "", "", err
		}
		return "", "HUD Services " + servicesID + " deleted", nil
	}
	if servicesID == "" {
		v := hmis.Service{EnrollmentID: t.EnrollmentID, PersonalID: t.PersonalID}
		hudServiceValues(&v, k, n)
		if err := insertRecord(tx, serviceTable, &v); err != nil {
			return "", "", err
		}
		if t.RestrictedToOrg != "" {
			if _, err := tx.exec(`UPDATE services SET restricted_to_org = ? WHERE services_id = ?`, t.RestrictedToOrg, v.ServicesID); err != nil {
				return "", "", err
			}
		}
		return v.ServicesID, "HUD Services " + v.ServicesID + " created", nil
	}
	v, err := findRecord(tx, serviceTable, servicesID)
	if err != nil {
		return "", "", err
	}
	before := hudServiceText(v)
	hudServiceValues(&v, k, n)
	if err := updateRecord(tx, serviceTable, &v); err != nil {
		return "", "", err
	}
	detail := "HUD Services " + servicesID
	if after := hudServiceText(v); after != before {
		detail += " " + before + " → " + after
	}
	return servicesID, detail, nil
}

// hudServiceValues sets a HUD Services record's fields from a catalog
// entry and a service's values (as insertService writes them).
func hudServiceValues(v *hmis.Service, k CatalogEntry, n NewService) {
	v.DateProvided, v.RecordType, v.TypeProvided, v.SubTypeProvided = n.DateProvided, k.RecordType, k.TypeProvided, k.SubType
	v.MovingOnOtherType, v.OtherTypeProvided = "", ""
	if *k.RecordType == 300 {
		v.MovingOnOtherType = k.OtherType // C2.A
	} else {
		v.OtherTypeProvided = k.OtherType // V2.D, V8.A
	}
	v.FAAmount, v.FAStartDate, v.FAEndDate = nil, hmis.Date{}, hmis.Date{}
	switch *k.RecordType {
	case 151, 152: // HOPWA and SSVF financial assistance: FAAmount (W2, V3.3)
		v.FAAmount = n.Amount
		if *k.RecordType == 152 { // V3.2, V3.5
			v.FAStartDate, v.FAEndDate = n.DateProvided, n.EndDate
		}
	}
}

// hudServiceText is the audit's view of a HUD record's kind and date.
func hudServiceText(v hmis.Service) string {
	rt := "-"
	if v.RecordType != nil {
		rt = strconv.Itoa(int(*v.RecordType))
	}
	return "RecordType " + rt + " TypeProvided " + intText(v.TypeProvided) + " " + v.DateProvided.String()
}

func intText(p *int) string {
	if p == nil {
		return "-"
	}
	return strconv.Itoa(*p)
}

func moneyText(m *hmis.Money) string {
	if m == nil {
		return "-"
	}
	return m.String()
}
