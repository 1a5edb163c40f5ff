package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// This file is the Housing inventory model (issue 8, migration
// 0016_housing): places hold rooms, rooms hold beds, each bed belongs to
// a program and carries what HUD's Inventory (2.07) counts. Only HMIS
// administrators change it. Every change recomputes the HUD Inventory
// records of the programs it touches (housing_inventory.go), in the same
// transaction, so the exported inventory and the beds on the floor never
// drift apart.

// maxHousingName is the longest place, room or bed name accepted.
const maxHousingName = 100

// Place is a shelter or housing site with its rooms.
type Place struct {
	ID    string
	Name  string
	Rooms []Room
}

// Room is a room of a place with its beds. A room that IsUnit is one
// housing unit (a family room, an apartment) for HUD's unit count
// (2.07.15); in any other room each bed is a unit of its own.
type Room struct {
	ID      string
	PlaceID string
	Name    string
	IsUnit  bool
	Beds    []Bed
}

// Bed is one bed of a room, in one program's inventory from StartDate
// until EndDate (the first day it is not; zero while open), as HUD's
// InventoryStartDate and InventoryEndDate (2.07.1, 2.07.2).
type Bed struct {
	ID            string
	RoomID        string
	RoomName      string
	PlaceID       string
	PlaceName     string
	ProjectID     string
	ProjectName   string
	ProjectType   *hud.ProjectType
	CoCCode       string            // 2.07.3
	Label         string            // "Bed 4", "Unit 2B"
	HouseholdType hud.HouseholdType // 2.07.4
	BedType       hud.BedType       // 2.07.5 (exported for emergency shelters only)
	Availability  hud.Availability  // 2.07.6 (exported for emergency shelters only)
	Chronic       bool              // dedicated to chronically homeless persons (2.07.7, 2.07.10, 2.07.12)
	Veteran       bool              // dedicated to veterans (2.07.7-2.07.9)
	Youth         bool              // dedicated to youth (2.07.8, 2.07.10, 2.07.11)
	StartDate     hmis.Date
	EndDate       hmis.Date
}

// InUse reports whether the bed is in the inventory on day d.
func (b Bed) InUse(d hmis.Date) bool {
	return !b.StartDate.After(d) && (b.EndDate.IsZero() || b.EndDate.After(d))
}

// requireHousingAdmin refuses anyone but HMIS administrators (and the
// system) to change the inventory.
func requireHousingAdmin(ctx context.Context) error {
	a, ok := hmis.ActorFrom(ctx)
	if !ok {
		return errNoActor
	}
	if !a.System && a.Role != hmis.RoleAdmin {
		return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only HMIS administrators may change the housing inventory."}
	}
	return nil
}

func housingName(field, what, s string, fields map[string]string) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		fields[field] = "Give the " + what + " a name."
	case utf8.RuneCountInString(s) > maxHousingName:
		fields[field] = fmt.Sprintf("A %s name holds at most %d characters.", what, maxHousingName)
	}
	return s
}

// CreatePlace adds a shelter or housing site (administrators only).
func (s *Store) CreatePlace(ctx context.Context, name string) (Place, error) {
	if err := requireHousingAdmin(ctx); err != nil {
		return Place{}, err
	}
	fields := map[string]string{}
	p := Place{ID: NewID(), Name: housingName("name", "place", name, fields)}
	if len(fields) > 0 {
		return p, &hmis.Error{Code: hmis.EINVALID, Message: "The place was not added.", Fields: fields}
	}
	err := s.write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`INSERT INTO housing_places (id, name, date_created, date_updated) VALUES (?, ?, ?, ?)`,
			p.ID, p.Name, tx.ts(tx.now), tx.ts(tx.now)); err != nil {
			return err
		}
		return tx.audit("create", "housing_place", p.ID, "")
	})
	return p, err
}

// CreateRoom adds a room to a place (administrators only).
func (s *Store) CreateRoom(ctx context.Context, placeID, name string, isUnit bool) (Room, error) {
	if err := requireHousingAdmin(ctx); err != nil {
		return Room{}, err
	}
	fields := map[string]string{}
	r := Room{ID: NewID(), PlaceID: placeID, Name: housingName("room_name", "room", name, fields), IsUnit: isUnit}
	err := s.write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM housing_places WHERE id = ? AND date_deleted IS NULL`, placeID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			fields["place_id"] = "Choose a place."
		}
		if len(fields) > 0 {
			return &hmis.Error{Code: hmis.EINVALID, Message: "The room was not added.", Fields: fields}
		}
		if _, err := tx.exec(`INSERT INTO housing_rooms (id, place_id, name, is_unit, date_created, date_updated) VALUES (?, ?, ?, ?, ?, ?)`,
			r.ID, r.PlaceID, r.Name, boolInt(isUnit), tx.ts(tx.now), tx.ts(tx.now)); err != nil {
			return err
		}
		return tx.audit("create", "housing_room", r.ID, "place "+placeID)
	})
	return r, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SaveBed adds a bed (b.ID empty) or changes one (administrators only),
// and recomputes the HUD Inventory of its program (and of its former
// program when it moved). A bed dedicated to chronically homeless
// veteran youth is refused: HUD 2.07 has no such category.
func (s *Store) SaveBed(ctx context.Context, b Bed) (Bed, error) {
	bs, err := s.SaveBeds(ctx, []Bed{b})
	if err != nil {
		return b, err
	}
	return bs[0], nil
}

// SaveBeds is SaveBed for several beds in one transaction (all or none),
// recomputing each program's inventory once.
func (s *Store) SaveBeds(ctx context.Context, beds []Bed) ([]Bed, error) {
	if err := requireHousingAdmin(ctx); err != nil {
		return nil, err
	}
	out := make([]Bed, len(beds))
	copy(out, beds)
	err := s.write(ctx, func(tx *Tx) error {
		touched := map[string]bool{}
		var order []string
		touch := func(id string) {
			if !touched[id] {
				touched[id] = true
				order = append(order, id)
			}
		}
		for i := range out {
			before, err := tx.saveBed(&out[i])
			if err != nil {
				return err
			}
			if before != "" {
				touch(before)
			}
			touch(out[i].ProjectID)
		}
		for _, id := range order {
			if err := tx.computeInventory(id); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// saveBed validates and writes one bed; it returns the bed's former
// program when it is a change.
func (tx *Tx) saveBed(b *Bed) (string, error) {
	fields := map[string]string{}
	b.Label = housingName("label", "bed", b.Label, fields)
	b.CoCCode = strings.ToUpper(strings.TrimSpace(b.CoCCode))
	if !b.HouseholdType.Valid() {
		fields["household_type"] = "Choose the household type (HUD 2.07.4)."
	}
	if !b.BedType.Valid() {
		fields["bed_type"] = "Choose the bed type (HUD 2.07.5)."
	}
	if !b.Availability.Valid() {
		fields["availability"] = "Choose the availability (HUD 2.07.6)."
	}
	if b.Chronic && b.Veteran && b.Youth {
		fields["dedicated"] = "HUD 2.07 counts beds for chronically homeless veterans or chronically homeless youth or youth veterans, never all three: choose at most two."
	}
	if b.StartDate.IsZero() {
		fields["start_date"] = "Enter the date the bed is in the inventory from (HUD 2.07.1)."
	}
	if !b.EndDate.IsZero() && !b.StartDate.IsZero() && !b.EndDate.After(b.StartDate) {
		fields["end_date"] = "The end date must be after the start date."
	}
	var n int
	if err := tx.queryRow(`SELECT COUNT(*) FROM projects WHERE project_id = ? AND date_deleted IS NULL`, b.ProjectID).Scan(&n); err != nil {
		return "", err
	}
	if n == 0 {
		fields["project_id"] = "Choose a program."
	}
	if err := tx.queryRow(`SELECT COUNT(*) FROM housing_rooms WHERE id = ? AND date_deleted IS NULL`, b.RoomID).Scan(&n); err != nil {
		return "", err
	}
	if n == 0 {
		fields["room_id"] = "Choose a room."
	}
	if b.CoCCode == "" {
		// The program's CoC (2.03) when it has one.
		var coc string
		if err := tx.queryRow(`SELECT COALESCE(MIN(coc_code), '') FROM project_cocs WHERE project_id = ? AND date_deleted IS NULL`,
			b.ProjectID).Scan(&coc); err != nil {
			return "", err
		}
		b.CoCCode = coc
	}
	if b.CoCCode == "" {
		fields["coc_code"] = "Enter the CoC code the bed is counted in (HUD 2.07.3), like CA-510."
	} else if !cocCodeOK(b.CoCCode) {
		fields["coc_code"] = "A CoC code is two letters, a dash and three digits, like CA-510."
	}
	if len(fields) > 0 {
		return "", &hmis.Error{Code: hmis.EINVALID, Message: "The bed was not saved.", Fields: fields}
	}
	args := []any{b.RoomID, b.ProjectID, b.CoCCode, b.Label, int(b.HouseholdType), int(b.BedType), int(b.Availability),
		boolInt(b.Chronic), boolInt(b.Veteran), boolInt(b.Youth), nullDate(b.StartDate), nullDate(b.EndDate), tx.ts(tx.now)}
	if b.ID == "" {
		b.ID = NewID()
		if _, err := tx.exec(`INSERT INTO housing_beds (room_id, project_id, coc_code, label, household_type, bed_type,
				availability, dedicated_ch, dedicated_vet, dedicated_youth, start_date, end_date, date_updated, id, date_created)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, b.ID, tx.ts(tx.now))...); err != nil {
			return "", err
		}
		return "", tx.audit("create", "housing_bed", b.ID, "program "+b.ProjectID)
	}
	var before string
	if err := tx.queryRow(`SELECT project_id FROM housing_beds WHERE id = ? AND date_deleted IS NULL`, b.ID).Scan(&before); err != nil {
		return "", one(err, "bed")
	}
	// A bed someone is in keeps its program and stays in use.
	if err := tx.queryRow(`SELECT COUNT(*) FROM housing_stays WHERE bed_id = ? AND ended_at IS NULL`, b.ID).Scan(&n); err != nil {
		return "", err
	}
	if n > 0 && (before != b.ProjectID || !b.InUse(txToday(tx))) {
		return "", &hmis.Error{Code: hmis.EINVALID, Message: "The bed was not saved.", Fields: map[string]string{
			"project_id": b.Label + " is occupied: check the client out or move them before changing its program or ending it."}}
	}
	if _, err := tx.exec(`UPDATE housing_beds SET room_id = ?, project_id = ?, coc_code = ?, label = ?, household_type = ?,
			bed_type = ?, availability = ?, dedicated_ch = ?, dedicated_vet = ?, dedicated_youth = ?, start_date = ?,
			end_date = ?, date_updated = ? WHERE id = ?`, append(args, b.ID)...); err != nil {
		return "", err
	}
	return before, tx.audit("update", "housing_bed", b.ID, "program "+b.ProjectID)
}

// cocCodeOK checks the shape of a CoC code (2.03.2): XX-999.
func cocCodeOK(s string) bool {
	if len(s) != 6 || s[2] != '-' {
		return false
	}
	for i, c := range s {
		switch {
		case i < 2 && (c < 'A' || c > 'Z'):
			return false
		case i > 2 && (c < '0' || c > '9'):
			return false
		}
	}
	return true
}

// bedSelect reads beds (alias b) with their room, place and program.
const bedSelect = `SELECT b.id, b.room_id, r.name, r.place_id, pl.name, b.project_id, COALESCE(p.project_name, ''), p.project_type,
		b.coc_code, b.label, b.household_type, b.bed_type, b.availability, b.dedicated_ch, b.dedicated_vet, b.dedicated_youth,
		b.start_date, b.end_date
	FROM housing_beds b
	JOIN housing_rooms r ON r.id = b.room_id AND r.date_deleted IS NULL
	JOIN housing_places pl ON pl.id = r.place_id AND pl.date_deleted IS NULL
	LEFT JOIN projects p ON p.project_id = b.project_id
	WHERE b.date_deleted IS NULL`

func scanBed(rs rowScanner) (Bed, error) {
	var b Bed
	var hh, bt, av, ch, vet, youth int
	err := rs.Scan(&b.ID, &b.RoomID, &b.RoomName, &b.PlaceID, &b.PlaceName, &b.ProjectID, &b.ProjectName, scanInt(&b.ProjectType),
		&b.CoCCode, &b.Label, &hh, &bt, &av, &ch, &vet, &youth, &b.StartDate, &b.EndDate)
	b.HouseholdType, b.BedType, b.Availability = hud.HouseholdType(hh), hud.BedType(bt), hud.Availability(av)
	b.Chronic, b.Veteran, b.Youth = ch != 0, vet != 0, youth != 0
	return b, err
}

func (tx *Tx) beds(cond string, args ...any) ([]Bed, error) {
	rows, err := tx.query(bedSelect+cond+` ORDER BY pl.name, pl.id, r.name, r.id, b.label, b.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Bed
	for rows.Next() {
		b, err := scanBed(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// FindBed returns one bed.
func (s *Store) FindBed(ctx context.Context, id string) (Bed, error) {
	var b Bed
	err := s.read(ctx, func(tx *Tx) error {
		bs, err := tx.beds(` AND b.id = ?`, id)
		if err != nil {
			return err
		}
		if len(bs) == 0 {
			return notFound("Bed")
		}
		b = bs[0]
		return nil
	})
	return b, err
}

// Places returns every place with its rooms and beds (ended beds too),
// by name. The inventory holds no client data.
func (s *Store) Places(ctx context.Context) ([]Place, error) {
	var out []Place
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT pl.id, pl.name, r.id, r.name, r.is_unit FROM housing_places pl
			LEFT JOIN housing_rooms r ON r.place_id = pl.id AND r.date_deleted IS NULL
			WHERE pl.date_deleted IS NULL ORDER BY pl.name, pl.id, r.name, r.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		rooms := map[string]*Room{}
		for rows.Next() {
			var p Place
			var rid, rname string
			var unit *int
			if err := rows.Scan(&p.ID, &p.Name, scanString(&rid), scanString(&rname), scanInt(&unit)); err != nil {
				return err
			}
			if len(out) == 0 || out[len(out)-1].ID != p.ID {
				out = append(out, p)
			}
			if rid != "" {
				last := &out[len(out)-1]
				last.Rooms = append(last.Rooms, Room{ID: rid, PlaceID: p.ID, Name: rname, IsUnit: unit != nil && *unit != 0})
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		for i := range out {
			for j := range out[i].Rooms {
				rooms[out[i].Rooms[j].ID] = &out[i].Rooms[j]
			}
		}
		beds, err := tx.beds("")
		if err != nil {
			return err
		}
		for _, b := range beds {
			if r := rooms[b.RoomID]; r != nil {
				r.Beds = append(r.Beds, b)
			}
		}
		return nil
	})
	return out, err
}

// HousingProgram is a program a bed may belong to.
type HousingProgram struct {
	ProjectID, ProjectName, OrganizationName string
	ProjectType                              *hud.ProjectType
	Beds                                     int // beds on the board (any date)
}

// HousingPrograms returns the live programs, with how many beds each has
// on the board, by name.
func (s *Store) HousingPrograms(ctx context.Context) ([]HousingProgram, error) {
	var out []HousingProgram
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT p.project_id, COALESCE(p.project_name, ''), COALESCE(o.organization_name, ''), p.project_type,
				(SELECT COUNT(*) FROM housing_beds b WHERE b.project_id = p.project_id AND b.date_deleted IS NULL)
			FROM projects p LEFT JOIN organizations o ON o.organization_id = p.organization_id
			WHERE p.date_deleted IS NULL`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p HousingProgram
			if err := rows.Scan(&p.ProjectID, &p.ProjectName, &p.OrganizationName, scanInt(&p.ProjectType), &p.Beds); err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].ProjectName != out[j].ProjectName {
			return out[i].ProjectName < out[j].ProjectName
		}
		return out[i].ProjectID < out[j].ProjectID
	})
	return out, err
}
