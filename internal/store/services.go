package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// This file is recording services (issue 5 point 6): a service chosen
// from the program's catalog (setup.go), for one client's enrollment or
// for many enrolled clients at once (the roster). Every recorded service
// is a service_records row (date, end date, units, amount, provider);
// a HUD catalog entry also writes the HUD Services record (RecordType,
// TypeProvided; FAAmount for HOPWA and SSVF financial assistance) that
// the HMIS CSV export writes to Services.csv. Both rows carry the
// enrollment's restricted_to_org, so the access package's transaction
// rule hides them exactly as it hides the enrollment.

// NewService is one service to record.
type NewService struct {
	EnrollmentID string
	CatalogID    string
	DateProvided hmis.Date
	EndDate      hmis.Date   // optional: a service over a period
	Units        int         // 0: the catalog's default
	Amount       *hmis.Money // nil: the catalog's default
	ProviderOrg  string      // "": the actor's organization
	Note         string      // optional, at most MaxServiceNote characters
}

// ServiceRow is one row of a client's Services list: a HUD Services
// record, a catalog service, or both (a HUD catalog service).
type ServiceRow struct {
	ID               string // service_records id, or the ServicesID of a HUD record with none
	ServicesID       string // the HUD record, "" for the program's own services
	EnrollmentID     string
	ProjectName      string
	Name             string // the catalog name, else HUD's label of the type provided
	RecordType       *hud.RecordType
	TypeProvided     *int
	DateProvided     hmis.Date
	EndDate          hmis.Date
	Units            int // 0 when not recorded (imported HUD records)
	Unit             string
	Amount           *hmis.Money
	ProviderName     string
	RestrictedToOrg  string
	OrganizationName string // the program's organization
	// Recorded services only (service_records): what the edit form needs.
	CatalogID   string
	ProviderOrg string
	Note        string
	Version     time.Time // date_updated: a stale edit is refused
}

// TypeProvidedLabel is HUD's label of the type provided, or "".
func TypeProvidedLabel(rt *hud.RecordType, tp *int) string {
	if rt == nil || tp == nil {
		return ""
	}
	if l := TypeProvidedList(*rt); l != nil {
		if v, ok := l.LookupCode(*tp); ok {
			return v.Label
		}
	}
	return ""
}

// serviceTarget is what a service is checked against: the enrollment,
// its program and stay.
type serviceTarget struct {
	EnrollmentID, PersonalID, ProjectID, RestrictedToOrg string
	ProjectType                                          *hud.ProjectType
	EntryDate, ExitDate                                  hmis.Date
}

// serviceTargets loads the enrollments ids the actor may see (the
// client's whole record and the enrollment's restriction), with their
// stay; missing ones are absent from the map.
func (tx *Tx) serviceTargets(ids []string) (map[string]serviceTarget, error) {
	out := map[string]serviceTarget{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		q := `SELECT e.enrollment_id, e.personal_id, e.project_id, e.restricted_to_org, p.project_type, e.entry_date,
				(SELECT MIN(x.exit_date) FROM exits x WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL)
			FROM enrollments e
			JOIN clients c ON c.personal_id = e.personal_id AND c.date_deleted IS NULL
			JOIN projects p ON p.project_id = e.project_id AND p.date_deleted IS NULL
			WHERE e.enrollment_id IN (` + placeholders(len(chunk)) + `) AND e.date_deleted IS NULL`
		if vis, vargs := enrollmentVisibility(tx, "c", "e"); vis != "" {
			q += ` AND ` + vis
			args = append(args, vargs...)
		}
		rows, err := tx.query(q, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var t serviceTarget
			if err := rows.Scan(&t.EnrollmentID, &t.PersonalID, scanString(&t.ProjectID), scanString(&t.RestrictedToOrg),
				scanInt(&t.ProjectType), &t.EntryDate, &t.ExitDate); err != nil {
				rows.Close()
				return nil, err
			}
			out[t.EnrollmentID] = t
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkService applies the stay rules to one service (issue 5 point 4):
// the date not in the future, within the enrollment's stay (entry to
// exit), the end date not before the date and within the stay; bed
// nights (RecordType 200, 4.14) only in night-by-night emergency
// shelters (ProjectType 1). It returns messages keyed by field.
func checkService(t serviceTarget, k CatalogEntry, n NewService, today hmis.Date) map[string]string {
	f := map[string]string{}
	switch {
	case n.DateProvided.IsZero():
		f["date_provided"] = "Enter the date the service was provided."
	case n.DateProvided.After(today):
		f["date_provided"] = "A service cannot be recorded for a future date."
	case n.DateProvided.Before(t.EntryDate):
		f["date_provided"] = "The date is before the client's project start (" + t.EntryDate.Format("01/02/2006") + ")."
	case !t.ExitDate.IsZero() && n.DateProvided.After(t.ExitDate):
		f["date_provided"] = "The date is after the client's exit (" + t.ExitDate.Format("01/02/2006") + ")."
	}
	if !n.EndDate.IsZero() {
		switch {
		case !n.DateProvided.IsZero() && n.EndDate.Before(n.DateProvided):
			f["end_date"] = "The end date is before the date provided."
		case !t.ExitDate.IsZero() && n.EndDate.After(t.ExitDate):
			f["end_date"] = "The end date is after the client's exit."
		case n.EndDate.After(today):
			f["end_date"] = "The end date is in the future."
		}
	}
	if k.RecordType != nil && *k.RecordType == 200 &&
		(t.ProjectType == nil || *t.ProjectType != hud.ProjectTypeEmergencyShelterNightByNight) {
		f["catalog_id"] = "Bed nights (4.14) are recorded only in night-by-night emergency shelters."
	}
	if k.RecordType != nil && *k.RecordType == 200 && !n.EndDate.IsZero() {
		f["end_date"] = "A bed night is one night: leave the end date empty."
	}
	if n.Units < 1 || n.Units > MaxServiceUnits {
		f["units"] = "Units are a whole number from 1."
	}
	if n.Amount != nil && *n.Amount < 0 {
		f["amount"] = "The amount cannot be negative."
	}
	if len([]rune(n.Note)) > MaxServiceNote {
		f["note"] = fmt.Sprintf("A note holds at most %d characters.", MaxServiceNote)
	}
	return f
}

// recordPrep checks what every service of one save shares: the actor may
// write, the catalog entry is offered, the provider is an organization.
func (tx *Tx) recordPrep(catalogID string, provider *string) (CatalogEntry, map[string]string, error) {
	fields := map[string]string{}
	if !tx.actor.System && !tx.actor.Role.CanWrite() {
		return CatalogEntry{}, nil, &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Your role may not record services."}
	}
	k, err := scanCatalog(tx.queryRow(catalogSelect+` AND k.id = ? AND k.active = 1`, catalogID))
	if errors.Is(err, sql.ErrNoRows) {
		fields["catalog_id"] = "Choose one of the program's services."
	} else if err != nil {
		return k, nil, err
	}
	if *provider == "" {
		*provider = tx.actor.OrganizationID
	}
	if *provider != "" {
		if _, err := findRecord(tx, organizationTable, *provider); hmis.ErrorCode(err) == hmis.ENOTFOUND {
			fields["provider_org"] = "Choose one of the organizations."
		} else if err != nil {
			return k, nil, err
		}
	}
	return k, fields, nil
}

// insertService writes one service: the HUD record for a HUD catalog
// entry, and the service_records row.
func (tx *Tx) insertService(t serviceTarget, k CatalogEntry, n NewService) (string, error) {
	servicesID := ""
	if k.RecordType != nil {
		v := hmis.Service{EnrollmentID: t.EnrollmentID, PersonalID: t.PersonalID, DateProvided: n.DateProvided,
			RecordType: k.RecordType, TypeProvided: k.TypeProvided, SubTypeProvided: k.SubType}
		if *k.RecordType == 300 {
			v.MovingOnOtherType = k.OtherType // C2.A
		} else {
			v.OtherTypeProvided = k.OtherType // V2.D, V8.A
		}
		switch *k.RecordType {
		case 151, 152: // HOPWA and SSVF financial assistance: FAAmount (W2, V3.3)
			v.FAAmount = n.Amount
			if *k.RecordType == 152 { // V3.2, V3.5
				v.FAStartDate, v.FAEndDate = n.DateProvided, n.EndDate
			}
		}
		if err := insertRecord(tx, serviceTable, &v); err != nil {
			return "", err
		}
		if t.RestrictedToOrg != "" {
			if _, err := tx.exec(`UPDATE services SET restricted_to_org = ? WHERE services_id = ?`, t.RestrictedToOrg, v.ServicesID); err != nil {
				return "", err
			}
		}
		servicesID = v.ServicesID
	}
	id := NewID()
	_, err := tx.exec(`INSERT INTO service_records (id, personal_id, enrollment_id, catalog_id, services_id, date_provided, end_date,
			units, amount_cents, provider_org, restricted_to_org, author_account_id, date_created, date_updated, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, t.PersonalID, t.EnrollmentID, k.ID, nullString(servicesID),
		nullDate(n.DateProvided), nullDate(n.EndDate), n.Units, centsArg(n.Amount), nullString(n.ProviderOrg),
		nullString(t.RestrictedToOrg), tx.actor.AccountID, tx.ts(tx.now), tx.ts(tx.now), nullString(n.Note))
	if err != nil {
		return "", err
	}
	detail := "service " + id + " (" + k.Name + ")"
	if servicesID != "" {
		detail += ", HUD Services " + servicesID
	}
	return id, tx.audit("service.add", "client", t.PersonalID, detail)
}

// defaults fills the catalog's default units and amount.
func (n *NewService) defaults(k CatalogEntry) {
	if n.Units == 0 {
		n.Units = k.DefaultUnits
	}
	if n.Amount == nil {
		n.Amount = k.DefaultAmount
	}
}

// editable refuses clients the actor may see but not change.
func (s *Store) editable(ctx context.Context, personalID string) error {
	level, err := s.ClientAccess(ctx, personalID)
	switch {
	case err != nil:
		return err
	case level == access.NotFound:
		return notFound("Client")
	case level < access.Editable:
		return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "You may see this client but not record services for them."}
	}
	return nil
}

// editableEnrollment is editable for what is recorded under one of the
// client's enrollments: the client may be changed, or the enrollment is
// of a program of the actor's organization, which may change its own
// programs' transactions of the clients it serves (EnrollmentAccess). An
// enrollment the actor may not see is left to the caller's own checks.
func (s *Store) editableEnrollment(ctx context.Context, personalID, enrollmentID string) error {
	err := s.editable(ctx, personalID)
	if hmis.ErrorCode(err) != hmis.EFORBIDDEN || enrollmentID == "" {
		return err
	}
	if level, lerr := s.EnrollmentAccess(ctx, personalID, enrollmentID); lerr != nil {
		return lerr
	} else if level >= access.Editable {
		return nil
	}
	return err
}

// RecordService records one service for one of a client's enrollments
// from the enrollment's program catalog; audited on the client
// ("service.add"). It returns the service_records id.
func (s *Store) RecordService(ctx context.Context, personalID string, n NewService) (string, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return "", errNoActor
	}
	if err := s.editableEnrollment(ctx, personalID, n.EnrollmentID); err != nil {
		return "", err
	}
	var id string
	err := s.write(ctx, func(tx *Tx) error {
		if _, err := tx.visibleClient(personalID); err != nil {
			return err
		}
		k, fields, err := tx.recordPrep(n.CatalogID, &n.ProviderOrg)
		if err != nil {
			return err
		}
		ts, err := tx.serviceTargets([]string{n.EnrollmentID})
		if err != nil {
			return err
		}
		t, ok := ts[n.EnrollmentID]
		if !ok || t.PersonalID != personalID {
			fields["enrollment_id"] = "Choose one of the client's enrollments."
		} else if k.ID != "" && k.ProjectID != t.ProjectID {
			fields["catalog_id"] = "Choose a service of the enrollment's program."
		}
		if len(fields) == 0 {
			n.defaults(k)
			fields = checkService(t, k, n, txToday(tx))
		}
		if len(fields) > 0 {
			return &hmis.Error{Code: hmis.EINVALID, Message: "The service was not saved.", Fields: fields}
		}
		id, err = tx.insertService(t, k, n)
		return err
	})
	return id, err
}

// RosterService is one service for many enrollments of one program.
type RosterService struct {
	ProjectID     string
	EnrollmentIDs []string
	NewService    // EnrollmentID unused
}

// RosterFieldPrefix prefixes the EINVALID field of a refused enrollment
// ("enrollment:E1").
const RosterFieldPrefix = "enrollment:"

// RecordRoster records the same service for each of the enrollments, all
// or none, in one transaction; an enrollment whose stay refuses it is a
// field "enrollment:ID" of the EINVALID error. It returns how many were
// recorded.
func (s *Store) RecordRoster(ctx context.Context, r RosterService) (int, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return 0, errNoActor
	}
	if len(r.EnrollmentIDs) == 0 {
		return 0, &hmis.Error{Code: hmis.EINVALID, Message: "The services were not saved.",
			Fields: map[string]string{"enrollments": "Choose at least one client."}}
	}
	// The access decision per client first (as RecordService does).
	var targets map[string]serviceTarget
	if err := s.read(ctx, func(tx *Tx) error {
		var err error
		targets, err = tx.serviceTargets(r.EnrollmentIDs)
		return err
	}); err != nil {
		return 0, err
	}
	checked := map[string]error{}
	for _, t := range targets {
		if _, done := checked[t.PersonalID]; !done {
			checked[t.PersonalID] = s.editableEnrollment(ctx, t.PersonalID, t.EnrollmentID)
		}
	}
	n := 0
	err := s.write(ctx, func(tx *Tx) error {
		n = 0
		k, fields, err := tx.recordPrep(r.CatalogID, &r.ProviderOrg)
		if err != nil {
			return err
		}
		if k.ID != "" && k.ProjectID != r.ProjectID {
			fields["catalog_id"] = "Choose a service of the program."
		}
		svc := r.NewService
		svc.defaults(k)
		ts, err := tx.serviceTargets(r.EnrollmentIDs)
		if err != nil {
			return err
		}
		today := txToday(tx)
		seen := map[string]bool{}
		for _, id := range r.EnrollmentIDs {
			if seen[id] {
				continue
			}
			seen[id] = true
			t, ok := ts[id]
			key := RosterFieldPrefix + id
			switch {
			case !ok || t.ProjectID != r.ProjectID:
				fields[key] = "This enrollment is not one of the program's that you may see."
				continue
			case checked[t.PersonalID] != nil:
				fields[key] = "You may not record services for this client."
				continue
			}
			for f, msg := range checkService(t, k, svc, today) {
				if f == "date_provided" || f == "end_date" {
					fields[key] = msg
				} else {
					fields[f] = msg
				}
			}
		}
		if len(fields) > 0 {
			return &hmis.Error{Code: hmis.EINVALID, Message: "The services were not saved.", Fields: fields}
		}
		for _, id := range r.EnrollmentIDs {
			if !seen[id] {
				continue
			}
			seen[id] = false
			one := svc
			one.EnrollmentID = id
			if _, err := tx.insertService(ts[id], k, one); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// RosterEntry is one enrolled client on a program's roster.
type RosterEntry struct {
	EnrollmentID string
	PersonalID   string
	FirstName    string
	LastName     string
	EntryDate    hmis.Date
	ExitDate     hmis.Date
}

// ProgramRoster returns the enrollments of a program active on the date
// (entered on or before it, not exited before it) whose client and
// enrollment the actor may see, by name. Audited ("read", "project").
func (s *Store) ProgramRoster(ctx context.Context, projectID string, on hmis.Date) ([]RosterEntry, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	var out []RosterEntry
	err := s.read(ctx, func(tx *Tx) error {
		q := `SELECT e.enrollment_id, e.personal_id, c.first_name, c.last_name, e.entry_date,
				(SELECT MIN(x.exit_date) FROM exits x WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL) AS exit_date
			FROM enrollments e JOIN clients c ON c.personal_id = e.personal_id AND c.date_deleted IS NULL
			WHERE e.project_id = ? AND e.date_deleted IS NULL AND e.entry_date <= ?
			  AND NOT EXISTS (SELECT 1 FROM exits x WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL AND x.exit_date < ?)`
		args := []any{projectID, on, on}
		if vis, vargs := enrollmentVisibility(tx, "c", "e"); vis != "" {
			q += ` AND ` + vis
			args = append(args, vargs...)
		}
		rows, err := tx.query(q+` ORDER BY c.last_name, c.first_name, e.enrollment_id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r RosterEntry
			if err := rows.Scan(&r.EnrollmentID, &r.PersonalID, scanString(&r.FirstName), scanString(&r.LastName), &r.EntryDate, &r.ExitDate); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, s.Audit(ctx, "read", "project", projectID, fmt.Sprintf("service roster on %s: %d enrollments", on, len(out)))
}

// FindClientServiceRows returns a client's services the actor may see,
// newest first: HUD Services records (with their catalog details when
// recorded from a catalog) and the programs' own services. Audited
// ("read", "client", "services").
func (s *Store) FindClientServiceRows(ctx context.Context, personalID string) ([]ServiceRow, error) {
	out, err := s.FindClientServiceRowsUnaudited(ctx, personalID)
	if err != nil {
		return nil, err
	}
	return out, s.Audit(ctx, "read", "client", personalID, fmt.Sprintf("services: %d", len(out)))
}

// FindClientServiceRowsUnaudited is FindClientServiceRows for a page that
// audits the client's view itself (the client dashboard).
func (s *Store) FindClientServiceRowsUnaudited(ctx context.Context, personalID string) ([]ServiceRow, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	var out []ServiceRow
	err := s.read(ctx, func(tx *Tx) error {
		cond, args, ok, err := tx.clientTransactions(personalID, "s.personal_id", "s", "e")
		if err != nil || !ok {
			return err
		}
		// HUD records, with their catalog row when there is one.
		rows, err := tx.query(`SELECT s.services_id, s.enrollment_id, p.project_name, o.organization_name, s.record_type, s.type_provided,
				s.date_provided, s.fa_amount, s.restricted_to_org, r.id, k.name, k.unit, r.end_date, r.units, r.amount_cents, po.organization_name,
				r.catalog_id, r.provider_org, r.note, r.date_updated
			FROM services s
			LEFT JOIN enrollments e ON e.enrollment_id = s.enrollment_id
			LEFT JOIN projects p ON p.project_id = e.project_id
			LEFT JOIN organizations o ON o.organization_id = p.organization_id
			LEFT JOIN service_records r ON r.services_id = s.services_id AND r.date_deleted IS NULL
			LEFT JOIN service_catalog k ON k.id = r.catalog_id
			LEFT JOIN organizations po ON po.organization_id = r.provider_org
			WHERE `+cond+` AND s.date_deleted IS NULL`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var v ServiceRow
			var rid string
			var units sql.NullInt64
			var cents sql.NullInt64
			if err := rows.Scan(&v.ServicesID, scanString(&v.EnrollmentID), scanString(&v.ProjectName), scanString(&v.OrganizationName),
				scanInt(&v.RecordType), scanInt(&v.TypeProvided), &v.DateProvided, scanMoney(&v.Amount), scanString(&v.RestrictedToOrg),
				scanString(&rid), scanString(&v.Name), scanString(&v.Unit), &v.EndDate, &units, &cents, scanString(&v.ProviderName),
				scanString(&v.CatalogID), scanString(&v.ProviderOrg), scanString(&v.Note), scanTime(&v.Version)); err != nil {
				rows.Close()
				return err
			}
			v.ID = v.ServicesID
			if rid != "" {
				v.ID, v.Units = rid, int(units.Int64)
				if cents.Valid {
					m := hmis.Money(cents.Int64)
					v.Amount = &m
				}
			}
			if v.Name == "" {
				v.Name = TypeProvidedLabel(v.RecordType, v.TypeProvided)
			}
			out = append(out, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// The programs' own services (no HUD record).
		rcond, rargs, _, err := tx.clientTransactions(personalID, "r.personal_id", "r", "e")
		if err != nil {
			return err
		}
		rows, err = tx.query(`SELECT r.id, r.enrollment_id, p.project_name, o.organization_name, r.date_provided, r.end_date, r.units,
				r.amount_cents, r.restricted_to_org, k.name, k.unit, po.organization_name, r.catalog_id, r.provider_org, r.note, r.date_updated
			FROM service_records r
			LEFT JOIN enrollments e ON e.enrollment_id = r.enrollment_id
			LEFT JOIN projects p ON p.project_id = e.project_id
			LEFT JOIN organizations o ON o.organization_id = p.organization_id
			LEFT JOIN service_catalog k ON k.id = r.catalog_id
			LEFT JOIN organizations po ON po.organization_id = r.provider_org
			WHERE `+rcond+` AND r.services_id IS NULL AND r.date_deleted IS NULL`, rargs...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v ServiceRow
			var cents sql.NullInt64
			if err := rows.Scan(&v.ID, &v.EnrollmentID, scanString(&v.ProjectName), scanString(&v.OrganizationName), &v.DateProvided,
				&v.EndDate, &v.Units, &cents, scanString(&v.RestrictedToOrg), scanString(&v.Name), scanString(&v.Unit),
				scanString(&v.ProviderName), scanString(&v.CatalogID), scanString(&v.ProviderOrg), scanString(&v.Note), scanTime(&v.Version)); err != nil {
				return err
			}
			if cents.Valid {
				m := hmis.Money(cents.Int64)
				v.Amount = &m
			}
			out = append(out, v)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].DateProvided.Equal(out[j].DateProvided) {
			return out[i].DateProvided.After(out[j].DateProvided)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// RemoveService deletes one of a client's services (a recorded service
// with its HUD Services record, or a HUD record alone, by the ID the
// Services list shows): soft-deleted, as HUD's DateDeleted marks it for
// delta exports. The actor must be allowed to change the client, or the
// service's enrollment (one of the actor's organization's programs, for a
// client it serves: editableEnrollment), and see the service; audited on
// the client ("service.remove").
func (s *Store) RemoveService(ctx context.Context, personalID, id string) error {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return errNoActor
	}
	var enrollmentID string
	if err := s.read(ctx, func(tx *Tx) error {
		// The enrollment of the service, whatever the actor may see: only
		// used to decide, never returned (a service the actor may not see
		// is "not found" below).
		return tx.queryRow(`SELECT COALESCE((SELECT r.enrollment_id FROM service_records r WHERE r.id = ? AND r.personal_id = ? AND r.date_deleted IS NULL),
			(SELECT s.enrollment_id FROM services s WHERE s.services_id = ? AND s.personal_id = ? AND s.date_deleted IS NULL), '')`,
			id, personalID, id, personalID).Scan(&enrollmentID)
	}); err != nil {
		return err
	}
	if err := s.editableEnrollment(ctx, personalID, enrollmentID); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		cond, args, ok, err := tx.clientTransactions(personalID, "r.personal_id", "r", "e")
		if err != nil {
			return err
		}
		if !ok {
			return notFound("Service")
		}
		var servicesID string
		err = tx.queryRow(`SELECT COALESCE(r.services_id, '') FROM service_records r
			LEFT JOIN enrollments e ON e.enrollment_id = r.enrollment_id
			WHERE r.id = ? AND r.date_deleted IS NULL AND `+cond,
			append([]any{id}, args...)...).Scan(&servicesID)
		switch {
		case err == nil:
			if _, err := tx.exec(`UPDATE service_records SET date_deleted = ?, date_updated = ? WHERE id = ?`,
				tx.ts(tx.now), tx.ts(tx.now), id); err != nil {
				return err
			}
		case errors.Is(err, sql.ErrNoRows):
			// A HUD record without a catalog row (imported).
			scond, sargs, _, err := tx.clientTransactions(personalID, "s.personal_id", "s", "e")
			if err != nil {
				return err
			}
			if err := tx.queryRow(`SELECT s.services_id FROM services s LEFT JOIN enrollments e ON e.enrollment_id = s.enrollment_id
				WHERE s.services_id = ? AND s.date_deleted IS NULL AND `+scond,
				append([]any{id}, sargs...)...).Scan(&servicesID); errors.Is(err, sql.ErrNoRows) {
				return notFound("Service")
			} else if err != nil {
				return err
			}
			id = ""
		default:
			return err
		}
		if servicesID != "" {
			if err := deleteRecord(tx, serviceTable, servicesID); err != nil {
				return err
			}
		}
		detail := "service " + id
		if id == "" {
			detail = "HUD Services " + servicesID
		} else if servicesID != "" {
			detail += ", HUD Services " + servicesID
		}
		return tx.audit("service.remove", "client", personalID, detail)
	})
}
