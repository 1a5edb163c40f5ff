package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// The HUD Inventory records (2.07) of a program with beds on the board
// are computed from its beds and WRITTEN as ordinary Inventory records,
// so that every export, report and HUD check reads them like any other.
// computeInventory runs in the transaction that changes a bed. One record
// per group of beds that agree on everything 2.07 records: CoC
// (2.07.3), household type (2.07.4), bed type (2.07.5) and availability
// (2.07.6) (both only for emergency shelters, project types 0 and 1, as
// the FY2026 CSV specification requires), start and end dates (2.07.1,
// 2.07.2). Its counts are the beds of the group: BedInventory (2.07.14),
// the dedicated beds by category (2.07.7-2.07.13, which add up to
// BedInventory) and UnitInventory (2.07.15: each unit room once, and
// each bed of another room as a unit of its own).
//
// A computed record's InventoryID is "bedboard" followed by a hash of the
// program and the group, so it stays the same while its group exists
// (exports see an update, not a new record) and can be told apart from
// an entered or imported one. Once a program has a bed on the board,
// its other live Inventory records are soft-deleted: the board is its
// inventory. Programs without beds on the board keep theirs untouched.

// computedInventoryPrefix starts the InventoryID of a computed record.
const computedInventoryPrefix = "bedboard"

// IsComputedInventory reports whether an Inventory record was computed
// from the bed board.
func IsComputedInventory(id string) bool {
	return strings.HasPrefix(id, computedInventoryPrefix) && len(id) == 32
}

type inventoryKey struct {
	coc          string
	household    hud.HouseholdType
	bedType      hud.BedType
	availability hud.Availability
	start, end   hmis.Date
}

// ComputeInventory is the Inventory records the beds give for a program
// of type pt (beds of other programs are ignored). Exported for tests
// and the Inventory page, which shows what will be written.
func ComputeInventory(projectID string, pt *hud.ProjectType, beds []Bed, isUnit map[string]bool) []hmis.Inventory {
	es := pt != nil && (*pt == hud.ProjectTypeEmergencyShelterEntryExit || *pt == hud.ProjectTypeEmergencyShelterNightByNight)
	type group struct {
		inv   hmis.Inventory
		units map[string]bool
		beds  int
	}
	groups := map[inventoryKey]*group{}
	var keys []inventoryKey
	for _, b := range beds {
		if b.ProjectID != projectID {
			continue
		}
		k := inventoryKey{coc: b.CoCCode, household: b.HouseholdType, start: b.StartDate, end: b.EndDate}
		if es {
			k.bedType, k.availability = b.BedType, b.Availability
		}
		g := groups[k]
		if g == nil {
			zero := func() *int { n := 0; return &n }
			hh := k.household
			g = &group{units: map[string]bool{}, inv: hmis.Inventory{ProjectID: projectID, CoCCode: k.coc, HouseholdType: &hh,
				UnitInventory: zero(), BedInventory: zero(), CHVetBedInventory: zero(), YouthVetBedInventory: zero(),
				VetBedInventory: zero(), CHYouthBedInventory: zero(), YouthBedInventory: zero(), CHBedInventory: zero(),
				OtherBedInventory: zero(), InventoryStartDate: k.start, InventoryEndDate: k.end}}
			if es {
				bt, av := k.bedType, k.availability
				g.inv.ESBedType, g.inv.Availability = &bt, &av
			}
			g.inv.InventoryID = computedInventoryID(projectID, k)
			groups[k] = g
			keys = append(keys, k)
		}
		*g.inv.BedInventory++
		switch {
		case b.Chronic && b.Veteran:
			*g.inv.CHVetBedInventory++
		case b.Youth && b.Veteran:
			*g.inv.YouthVetBedInventory++
		case b.Veteran:
			*g.inv.VetBedInventory++
		case b.Chronic && b.Youth:
			*g.inv.CHYouthBedInventory++
		case b.Youth:
			*g.inv.YouthBedInventory++
		case b.Chronic:
			*g.inv.CHBedInventory++
		default:
			*g.inv.OtherBedInventory++
		}
		if isUnit[b.RoomID] {
			g.units[b.RoomID] = true
		} else {
			g.beds++
		}
	}
	out := make([]hmis.Inventory, 0, len(keys))
	for _, k := range keys {
		g := groups[k]
		*g.inv.UnitInventory = len(g.units) + g.beds
		out = append(out, g.inv)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].InventoryID < out[j].InventoryID })
	return out
}

func computedInventoryID(projectID string, k inventoryKey) string {
	h := sha256.Sum256(fmt.Appendf(nil, "%s|%s|%d|%d|%d|%s|%s", projectID, k.coc, k.household, k.bedType, k.availability, k.start, k.end))
	return computedInventoryPrefix + hex.EncodeToString(h[:])[:32-len(computedInventoryPrefix)]
}

// computeInventory writes the computed Inventory records of a program
// (see above), auditing each record it creates, changes or removes.
func (tx *Tx) computeInventory(projectID string) error {
	var pt *hud.ProjectType
	if err := tx.queryRow(`SELECT project_type FROM projects WHERE project_id = ?`, projectID).Scan(scanInt(&pt)); err != nil {
		return one(err, "program")
	}
	beds, err := tx.beds(` AND b.project_id = ?`, projectID)
	if err != nil {
		return err
	}
	isUnit, err := tx.unitRooms()
	if err != nil {
		return err
	}
	want := ComputeInventory(projectID, pt, beds, isUnit)
	wanted := map[string]bool{}
	for i := range want {
		inv := &want[i]
		wanted[inv.InventoryID] = true
		old, err := inventoryTable.scan(tx.queryRow(inventoryTable.selectSQL+` WHERE inventory_id = ?`, inv.InventoryID))
		switch {
		case one(err, "inventory") != err: // none yet
			if err := insertRecord(tx, inventoryTable, inv); err != nil {
				return err
			}
			if err := tx.audit("create", "inventory", inv.InventoryID, "computed from the bed board"); err != nil {
				return err
			}
			continue
		case err != nil:
			return err
		}
		if old.DateDeleted.IsZero() && sameInventory(&old, inv) {
			continue
		}
		if !old.DateDeleted.IsZero() {
			if _, err := tx.exec(`UPDATE inventory SET date_deleted = NULL WHERE inventory_id = ?`, inv.InventoryID); err != nil {
				return err
			}
		}
		inv.DateCreated = old.DateCreated
		if err := updateRecord(tx, inventoryTable, inv); err != nil {
			return err
		}
		if err := tx.audit("update", "inventory", inv.InventoryID, "computed from the bed board: "+changeDetail(&old, inv)); err != nil {
			return err
		}
	}
	rows, err := tx.query(`SELECT inventory_id FROM inventory WHERE project_id = ? AND date_deleted IS NULL`, projectID)
	if err != nil {
		return err
	}
	var stale []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		// With beds on the board every other record goes; without, only
		// the computed ones the last bed leaving left behind.
		if !wanted[id] && (len(want) > 0 || IsComputedInventory(id)) {
			stale = append(stale, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range stale {
		if err := deleteRecord(tx, inventoryTable, id); err != nil {
			return err
		}
		if err := tx.audit("delete", "inventory", id, "replaced by the bed board's inventory"); err != nil {
			return err
		}
	}
	return nil
}

// computeBedBoardInventory recomputes every program with beds on the
// board: an import may have brought Inventory records for them.
func (tx *Tx) computeBedBoardInventory() error {
	rows, err := tx.query(`SELECT DISTINCT project_id FROM housing_beds WHERE date_deleted IS NULL ORDER BY project_id`)
	if err != nil {
		return err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		if err := tx.computeInventory(id); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) unitRooms() (map[string]bool, error) {
	rows, err := tx.query(`SELECT id FROM housing_rooms WHERE is_unit = 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// sameInventory compares what 2.07 records.
func sameInventory(a, b *hmis.Inventory) bool {
	eq := func(x, y *int) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	eqp := func(x, y any) bool { return fmt.Sprint(x) == fmt.Sprint(y) }
	return a.ProjectID == b.ProjectID && a.CoCCode == b.CoCCode && eqp(deref(a.HouseholdType), deref(b.HouseholdType)) &&
		eqp(deref(a.Availability), deref(b.Availability)) && eqp(deref(a.ESBedType), deref(b.ESBedType)) &&
		eq(a.UnitInventory, b.UnitInventory) && eq(a.BedInventory, b.BedInventory) && eq(a.CHVetBedInventory, b.CHVetBedInventory) &&
		eq(a.YouthVetBedInventory, b.YouthVetBedInventory) && eq(a.VetBedInventory, b.VetBedInventory) &&
		eq(a.CHYouthBedInventory, b.CHYouthBedInventory) && eq(a.YouthBedInventory, b.YouthBedInventory) &&
		eq(a.CHBedInventory, b.CHBedInventory) && eq(a.OtherBedInventory, b.OtherBedInventory) &&
		a.InventoryStartDate.Equal(b.InventoryStartDate) && a.InventoryEndDate.Equal(b.InventoryEndDate)
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
