package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// This file is Setup (issue 5 point 1): the HUD project descriptor
// records (2.01 Organization, 2.02 Project, 2.03 ProjectCoC, 2.06 Funder,
// 2.07 Inventory, 2.08 HMIS participation, 2.09 CE participation,
// Affiliation 2.02.C) and each program's service catalog, entered by HMIS
// administrators. The records are the generated HUD tables, written with
// the generic record functions (records.go); each save validates the
// record (hmis/setup.go) and what it refers to, and audits the change in
// the same transaction.

// adminOnly refuses anyone but an HMIS administrator or the system.
func adminOnly(a hmis.Actor, what string) error {
	if a.System || a.Role == hmis.RoleAdmin {
		return nil
	}
	return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only HMIS administrators may " + what + "."}
}

// saveRecord inserts r when its ID is empty, else writes it over the
// stored record (keeping DateCreated), with its audit row.
func saveRecord[T Record](tx *Tx, r *T) error {
	t := tableOf[T]()
	if *t.id(r) == "" {
		if err := insertRecord(tx, t, r); err != nil {
			return err
		}
		return tx.audit("create", t.entity, *t.id(r), "")
	}
	before, err := findRecord(tx, t, *t.id(r))
	if err != nil {
		return err
	}
	*t.meta(r).created = *t.meta(&before).created
	if err := updateRecord(tx, t, r); err != nil {
		return err
	}
	return tx.audit("update", t.entity, *t.id(r), changeDetail(&before, r))
}

// writeSetup runs a Setup save: administrators only, the record valid.
func (s *Store) writeSetup(ctx context.Context, validate func() error, fn func(*Tx) error) error {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return errNoActor
	}
	if err := adminOnly(actor, "change the programs' setup"); err != nil {
		return err
	}
	if err := validate(); err != nil {
		return err
	}
	return s.write(ctx, fn)
}

// fieldError is an EINVALID error about one field.
func fieldError(message, field, msg string) error {
	return &hmis.Error{Code: hmis.EINVALID, Message: message, Fields: map[string]string{field: msg}}
}

// SaveOrganization adds (empty OrganizationID) or changes an organization.
func (s *Store) SaveOrganization(ctx context.Context, o *hmis.Organization) error {
	o.OrganizationName = strings.TrimSpace(o.OrganizationName)
	return s.writeSetup(ctx, o.Validate, func(tx *Tx) error { return saveRecord(tx, o) })
}

// SaveProject adds or changes a program (2.02) of a live organization.
func (s *Store) SaveProject(ctx context.Context, p *hmis.Project) error {
	p.ProjectName = strings.TrimSpace(p.ProjectName)
	return s.writeSetup(ctx, p.Validate, func(tx *Tx) error {
		if _, err := findRecord(tx, organizationTable, p.OrganizationID); hmis.ErrorCode(err) == hmis.ENOTFOUND {
			return fieldError("The program was not saved.", hmis.FieldProjectOrganization, "Choose one of the organizations.")
		} else if err != nil {
			return err
		}
		return saveRecord(tx, p)
	})
}

// projectOf loads the live project a descriptor record belongs to.
func projectOf(tx *Tx, id string) (hmis.Project, error) {
	p, err := findRecord(tx, projectTable, id)
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		return p, &hmis.Error{Code: hmis.ENOTFOUND, Message: "Program not found."}
	}
	return p, err
}

// keepProject refuses a change that moves an existing record to another
// project: the forms never do, a forged one might.
func keepProject[T Record](tx *Tx, r *T, projectID string) error {
	t := tableOf[T]()
	if *t.id(r) == "" {
		return nil
	}
	var stored string
	err := tx.queryRow(`SELECT project_id FROM `+t.name+` WHERE `+t.key+` = ? AND date_deleted IS NULL`, *t.id(r)).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && stored != projectID) {
		return notFound(strings.ToUpper(t.kind[:1]) + t.kind[1:])
	}
	return err
}

// saveProjectRecord saves a descriptor record of the live project
// projectID, refusing one moved to another project.
func saveProjectRecord[T Record](tx *Tx, r *T, projectID string) error {
	if _, err := projectOf(tx, projectID); err != nil {
		return err
	}
	if err := keepProject(tx, r, projectID); err != nil {
		return err
	}
	return saveRecord(tx, r)
}

// SaveFunder adds or changes a grant (2.06) of a program.
func (s *Store) SaveFunder(ctx context.Context, f *hmis.Funder) error {
	f.GrantID = strings.TrimSpace(f.GrantID)
	return s.writeSetup(ctx, f.Validate, func(tx *Tx) error {
		return saveProjectRecord(tx, f, f.ProjectID)
	})
}

// SaveProjectCoC adds or changes a program's CoC and geography (2.03).
func (s *Store) SaveProjectCoC(ctx context.Context, c *hmis.ProjectCoC) error {
	c.CoCCode = strings.ToUpper(strings.TrimSpace(c.CoCCode))
	return s.writeSetup(ctx, c.Validate, func(tx *Tx) error {
		return saveProjectRecord(tx, c, c.ProjectID)
	})
}

// SaveInventory adds or changes a program's bed and unit inventory
// (2.07): valid for the program's project type, for one of the program's
// CoCs (a ProjectCoC record), and only for residential programs (eva
// checks 43, 132, 137: RRH services only has none).
func (s *Store) SaveInventory(ctx context.Context, v *hmis.Inventory) error {
	v.CoCCode = strings.ToUpper(strings.TrimSpace(v.CoCCode))
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return errNoActor
	}
	if err := adminOnly(actor, "change the programs' setup"); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		p, err := projectOf(tx, v.ProjectID)
		if err != nil {
			return err
		}
		if !hmis.ResidentialProjectType(p.ProjectType, p.RRHSubType) {
			return &hmis.Error{Code: hmis.EINVALID, Message: "Only residential programs have a bed and unit inventory (2.07)."}
		}
		if err := v.ValidateFor(p.ProjectType); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM project_cocs WHERE project_id = ? AND coc_code = ? AND date_deleted IS NULL`,
			v.ProjectID, v.CoCCode).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fieldError("The inventory was not saved.", hmis.FieldCoCCode, "Choose one of the program's CoCs (add it under CoC and geography first).")
		}
		if err := keepProject(tx, v, v.ProjectID); err != nil {
			return err
		}
		return saveRecord(tx, v)
	})
}

// SaveHMISParticipation adds or changes a program's HMIS participation (2.08).
func (s *Store) SaveHMISParticipation(ctx context.Context, h *hmis.HMISParticipation) error {
	return s.writeSetup(ctx, h.Validate, func(tx *Tx) error {
		return saveProjectRecord(tx, h, h.ProjectID)
	})
}

// SaveCEParticipation adds or changes a program's coordinated entry
// participation (2.09).
func (s *Store) SaveCEParticipation(ctx context.Context, c *hmis.CEParticipation) error {
	return s.writeSetup(ctx, c.Validate, func(tx *Tx) error {
		return saveProjectRecord(tx, c, c.ProjectID)
	})
}

// SaveAffiliation records that a services-only program (2.02.B answered
// yes) serves the clients of a residential program (2.02.C).
func (s *Store) SaveAffiliation(ctx context.Context, a *hmis.Affiliation) error {
	return s.writeSetup(ctx, func() error { return nil }, func(tx *Tx) error {
		p, err := projectOf(tx, a.ProjectID)
		if err != nil {
			return err
		}
		if !hmis.ServicesOnlyProjectType(p.ProjectType, p.RRHSubType) || p.ResidentialAffiliation == nil || *p.ResidentialAffiliation != 1 {
			return fieldError("The affiliation was not saved.", hmis.FieldResProjectID,
				"Only a services-only program affiliated with a residential program (2.02.B: yes) names one.")
		}
		res, err := findRecord(tx, projectTable, a.ResProjectID)
		switch {
		case hmis.ErrorCode(err) == hmis.ENOTFOUND || a.ResProjectID == a.ProjectID:
			return fieldError("The affiliation was not saved.", hmis.FieldResProjectID, "Choose one of the residential programs.")
		case err != nil:
			return err
		case !hmis.ResidentialProjectType(res.ProjectType, res.RRHSubType):
			return fieldError("The affiliation was not saved.", hmis.FieldResProjectID, "That program is not residential (2.02.C).")
		}
		if err := keepProject(tx, a, a.ProjectID); err != nil {
			return err
		}
		return saveRecord(tx, a)
	})
}

// ProgramSetup is a program with every descriptor record Setup shows.
type ProgramSetup struct {
	Project            hmis.Project
	OrganizationName   string
	Funders            []hmis.Funder
	CoCs               []hmis.ProjectCoC
	Inventory          []hmis.Inventory
	HMISParticipations []hmis.HMISParticipation
	CEParticipations   []hmis.CEParticipation
	Affiliations       []hmis.Affiliation
	Catalog            []CatalogEntry
}

// FindProgramSetup returns a program and its descriptor records, for
// administrators. Reading descriptor data is not client data: not audited.
func (s *Store) FindProgramSetup(ctx context.Context, projectID string) (ProgramSetup, error) {
	var ps ProgramSetup
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return ps, errNoActor
	}
	if err := adminOnly(actor, "see the programs' setup"); err != nil {
		return ps, err
	}
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		if ps.Project, err = projectOf(tx, projectID); err != nil {
			return err
		}
		if o, err := findRecord(tx, organizationTable, ps.Project.OrganizationID); err == nil {
			ps.OrganizationName = o.OrganizationName
		}
		f := RecordFilter{ProjectID: projectID}
		if ps.Funders, err = findRecords(tx, funderTable, f); err != nil {
			return err
		}
		if ps.CoCs, err = findRecords(tx, projectCoCTable, f); err != nil {
			return err
		}
		if ps.Inventory, err = findRecords(tx, inventoryTable, f); err != nil {
			return err
		}
		if ps.HMISParticipations, err = findRecords(tx, hmisParticipationTable, f); err != nil {
			return err
		}
		if ps.CEParticipations, err = findRecords(tx, ceParticipationTable, f); err != nil {
			return err
		}
		if ps.Affiliations, err = findRecords(tx, affiliationTable, f); err != nil {
			return err
		}
		ps.Catalog, err = tx.catalog(` AND k.project_id = ?`, projectID)
		return err
	})
	return ps, err
}

// SetupProgram is one row of Setup's list of programs.
type SetupProgram struct {
	ProjectID, ProjectName, OrganizationID, OrganizationName string
	ProjectType                                              *hud.ProjectType
	OperatingStartDate, OperatingEndDate                     hmis.Date
	Grants                                                   int
}

// SetupPrograms lists every live program with its organization and its
// number of grants, by organization and name, for administrators.
func (s *Store) SetupPrograms(ctx context.Context) ([]SetupProgram, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return nil, errNoActor
	}
	if err := adminOnly(actor, "see the programs' setup"); err != nil {
		return nil, err
	}
	var out []SetupProgram
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT p.project_id, p.project_name, p.organization_id, o.organization_name, p.project_type,
				p.operating_start_date, p.operating_end_date,
				(SELECT COUNT(*) FROM funders f WHERE f.project_id = p.project_id AND f.date_deleted IS NULL)
			FROM projects p LEFT JOIN organizations o ON o.organization_id = p.organization_id
			WHERE p.date_deleted IS NULL
			ORDER BY o.organization_name, p.project_name, p.project_id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p SetupProgram
			if err := rows.Scan(&p.ProjectID, scanString(&p.ProjectName), scanString(&p.OrganizationID), scanString(&p.OrganizationName),
				scanInt(&p.ProjectType), &p.OperatingStartDate, &p.OperatingEndDate, &p.Grants); err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// CatalogEntry is one service of a program's catalog (service_catalog).
type CatalogEntry struct {
	ID           string
	ProjectID    string
	Name         string
	RecordType   *hud.RecordType // set for a HUD service (list 1.4)
	TypeProvided *int            // of the list RecordType selects
	// SubType is SubTypeProvided (SSVF 144 with TypeProvided 3-5: lists
	// V2.A-C); OtherType is OtherTypeProvided (144/6 V2.D, 210/12 V8.A)
	// or MovingOnOtherType (300/5 C2.A).
	SubType       *int
	OtherType     string
	Unit          string // "meal", "night", "hour", ...
	DefaultUnits  int
	DefaultAmount *hmis.Money
	Active        bool
}

// HUD reports whether the entry records a HUD Services record.
func (c CatalogEntry) HUD() bool { return c.RecordType != nil }

// TypeProvidedList returns the code list of Services.TypeProvided for a
// RecordType (HMIS CSV spec: the list depends on RecordType).
func TypeProvidedList(rt hud.RecordType) *hud.List {
	col, _ := hud.FY2026.File("Services").Column("TypeProvided")
	if col == nil || col.ListBy == nil {
		return nil
	}
	return hud.Lists[col.ListBy.ListFor(int(rt))]
}

// MaxServiceUnits bounds units typed on a form.
const MaxServiceUnits = 100000

// Validate checks a catalog entry: a name; for a HUD service, a current
// RecordType and a TypeProvided of its list, and the types whose
// Services record needs a detail (SSVF
// sub-types V2.A-C and "other" V2.D, VASH "other" V8.A, Moving On "other"
// C2.A) only with that detail; units at least 1; an amount not negative.
func (c *CatalogEntry) Validate() error {
	f := hmis.FieldErrors{}
	c.Name, c.Unit = strings.TrimSpace(c.Name), strings.TrimSpace(c.Unit)
	switch {
	case c.Name == "":
		f.Add("name", "Enter the service's name.")
	case utf8.RuneCountInString(c.Name) > 100:
		f.Add("name", "The name is longer than 100 characters.")
	}
	if utf8.RuneCountInString(c.Unit) > 30 {
		f.Add("unit", "The unit is longer than 30 characters.")
	}
	if c.RecordType != nil {
		l := hud.Lists["1.4"]
		if _, ok := l.LookupCode(int(*c.RecordType)); !ok {
			f.Add("record_type", "Choose one of the listed HUD service types.")
		} else if c.TypeProvided == nil {
			f.Add("type_provided", "Choose the type of "+c.RecordType.Label()+".")
		} else if tl := TypeProvidedList(*c.RecordType); tl == nil {
			f.Add("type_provided", "HUD lists no types for this service.")
		} else if v, ok := tl.LookupCode(*c.TypeProvided); !ok || v.Retired {
			f.Add("type_provided", "Choose one of the types listed for "+c.RecordType.Label()+".")
		} else {
			checkServiceDetail(f, c)
		}
	} else if c.TypeProvided != nil {
		f.Add("record_type", "Choose the HUD service type for the type provided, or neither.")
	}
	if c.RecordType == nil && (c.SubType != nil || c.OtherType != "") {
		f.Add("sub_type", "Only HUD services have a sub-type or a description of the type.")
	}
	if c.DefaultUnits < 1 || c.DefaultUnits > MaxServiceUnits {
		f.Add("default_units", "Default units are a whole number from 1.")
	}
	if c.DefaultAmount != nil && *c.DefaultAmount < 0 {
		f.Add("default_amount", "The amount cannot be negative.")
	}
	return f.Err("The service was not saved.")
}

// SubTypeList returns the list of SubTypeProvided for a HUD service
// type, or nil when it has none (HMIS CSV: RecordType 144 with
// TypeProvided 3, 4, 5: lists V2.A, V2.B, V2.C).
func SubTypeList(rt hud.RecordType, tp int) *hud.List {
	if rt != 144 {
		return nil
	}
	col, _ := hud.FY2026.File("Services").Column("SubTypeProvided")
	if col == nil || col.ListBy == nil {
		return nil
	}
	return hud.Lists[col.ListBy.ListFor(tp)]
}

// OtherTypeLabel names the text a HUD service type needs on each record,
// or "" (HMIS CSV Services.csv: OtherTypeProvided V2.D for 144/6 and V8.A
// for 210/12; MovingOnOtherType C2.A for 300/5).
func OtherTypeLabel(rt hud.RecordType, tp int) string {
	switch {
	case rt == 144 && tp == 6:
		return "Other SSVF service (V2.D)"
	case rt == 210 && tp == 12:
		return "Other voucher tracking (V8.A)"
	case rt == 300 && tp == 5:
		return "Other Moving On assistance (C2.A)"
	}
	return ""
}

// checkServiceDetail: the sub-type exactly when the type has a list of
// them, the description exactly when the type needs one (S50).
func checkServiceDetail(f hmis.FieldErrors, c *CatalogEntry) {
	rt, tp := *c.RecordType, *c.TypeProvided
	if l := SubTypeList(rt, tp); l != nil {
		if c.SubType == nil {
			f.Add("sub_type", "Choose the sub-type this service needs.")
		} else if v, ok := l.LookupCode(*c.SubType); !ok || v.Retired {
			f.Add("sub_type", "Choose one of the sub-types listed for this type.")
		}
	} else if c.SubType != nil {
		f.Add("sub_type", "This type has no sub-type.")
	}
	c.OtherType = strings.TrimSpace(c.OtherType)
	switch label := OtherTypeLabel(rt, tp); {
	case label != "" && c.OtherType == "":
		f.Add("other_type", "Describe the service: "+label+".")
	case label == "" && c.OtherType != "":
		f.Add("other_type", "Only an “other” type is described.")
	case utf8.RuneCountInString(c.OtherType) > 50:
		f.Add("other_type", "The description is longer than 50 characters.")
	}
}

const catalogSelect = `SELECT k.id, k.project_id, k.name, k.record_type, k.type_provided, k.sub_type_provided, k.other_type_provided,
		k.unit, k.default_units,
		k.default_amount_cents, k.active FROM service_catalog k WHERE k.date_deleted IS NULL`

func scanCatalog(r rowScanner) (CatalogEntry, error) {
	var c CatalogEntry
	var amount sql.NullInt64
	var active int
	err := r.Scan(&c.ID, &c.ProjectID, &c.Name, scanInt(&c.RecordType), scanInt(&c.TypeProvided), scanInt(&c.SubType), &c.OtherType, &c.Unit,
		&c.DefaultUnits, &amount, &active)
	if amount.Valid {
		m := hmis.Money(amount.Int64)
		c.DefaultAmount = &m
	}
	c.Active = active == 1
	return c, err
}

func (tx *Tx) catalog(cond string, args ...any) ([]CatalogEntry, error) {
	rows, err := tx.query(catalogSelect+cond+` ORDER BY k.name, k.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CatalogEntry
	for rows.Next() {
		c, err := scanCatalog(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func centsArg(m *hmis.Money) any {
	if m == nil {
		return nil
	}
	return int64(*m)
}

// SaveCatalogEntry adds (empty ID) or changes a service of a program's
// catalog, for administrators; audited ("service_catalog").
func (s *Store) SaveCatalogEntry(ctx context.Context, c *CatalogEntry) error {
	return s.writeSetup(ctx, c.Validate, func(tx *Tx) error {
		if _, err := projectOf(tx, c.ProjectID); err != nil {
			return err
		}
		active := 0
		if c.Active {
			active = 1
		}
		if c.ID == "" {
			c.ID = NewID()
			if _, err := tx.exec(`INSERT INTO service_catalog (id, project_id, name, record_type, type_provided, sub_type_provided,
					other_type_provided, unit, default_units, default_amount_cents, active, date_created, date_updated)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.ProjectID, c.Name, nullInt(c.RecordType), nullInt(c.TypeProvided),
				nullInt(c.SubType), c.OtherType, c.Unit, c.DefaultUnits, centsArg(c.DefaultAmount), active, tx.ts(tx.now), tx.ts(tx.now)); err != nil {
				return err
			}
			return tx.audit("create", "service_catalog", c.ID, c.Name)
		}
		res, err := tx.exec(`UPDATE service_catalog SET name = ?, record_type = ?, type_provided = ?, sub_type_provided = ?,
				other_type_provided = ?, unit = ?, default_units = ?, default_amount_cents = ?, active = ?, date_updated = ?
			WHERE id = ? AND project_id = ? AND date_deleted IS NULL`, c.Name, nullInt(c.RecordType), nullInt(c.TypeProvided),
			nullInt(c.SubType), c.OtherType, c.Unit, c.DefaultUnits, centsArg(c.DefaultAmount), active, tx.ts(tx.now), c.ID, c.ProjectID)
		if err != nil {
			return err
		}
		if err := affected(res, "Catalog service"); err != nil {
			return err
		}
		return tx.audit("update", "service_catalog", c.ID, c.Name)
	})
}

// ProgramCatalog returns the active services of a program's catalog.
// Descriptor data: any signed-in user may read it.
func (s *Store) ProgramCatalog(ctx context.Context, projectID string) ([]CatalogEntry, error) {
	var out []CatalogEntry
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.catalog(` AND k.project_id = ? AND k.active = 1`, projectID)
		return err
	})
	return out, err
}
