package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
)

// The demo's bed board (issue 8): each entry/exit emergency shelter of
// the catalog gets a place whose rooms and beds mirror its Inventory
// records exactly (so the inventory computed from the beds equals the
// one the catalog entered), and the clients enrolled in it today are
// checked in, household by household, from their entry date, while beds
// last. Deterministic: the same data gives the same beds and stays. Done
// once per site: nothing happens when the site has places already.

// setupHousing builds the bed board of the ES entry/exit programs.
func setupHousing(ctx context.Context, st *store.Store, progs []*program) error {
	places, err := st.Places(ctx)
	if err != nil || len(places) > 0 {
		return err
	}
	for _, p := range progs {
		if p.ptype != hud.ProjectTypeEmergencyShelterEntryExit {
			continue
		}
		if err := shelterBeds(ctx, st, p); err != nil {
			return fmt.Errorf("demo beds of %s: %w", p.name, err)
		}
	}
	return nil
}

// bedRoom is one room to make and the beds it gets.
type bedRoom struct {
	name   string
	isUnit bool
	beds   []store.Bed
}

func shelterBeds(ctx context.Context, st *store.Store, p *program) error {
	invs, err := store.FindRecords[hmis.Inventory](ctx, st, store.RecordFilter{ProjectID: p.id})
	if err != nil {
		return err
	}
	today := hmis.DateOf(time.Now())
	var rooms []bedRoom
	for _, iv := range invs {
		if iv.HouseholdType == nil || iv.BedInventory == nil || *iv.BedInventory <= 0 || (!iv.InventoryEndDate.IsZero() && !iv.InventoryEndDate.After(today)) {
			continue
		}
		rooms = append(rooms, roomsFor(iv, len(rooms))...)
	}
	if len(rooms) == 0 {
		return nil
	}
	pl, err := st.CreatePlace(ctx, p.name)
	if err != nil {
		return err
	}
	var beds []store.Bed
	for _, r := range rooms {
		room, err := st.CreateRoom(ctx, pl.ID, r.name, r.isUnit)
		if err != nil {
			return err
		}
		for _, b := range r.beds {
			b.RoomID = room.ID
			beds = append(beds, b)
		}
	}
	if _, err := st.SaveBeds(ctx, beds); err != nil {
		return err
	}
	return checkInEnrolled(ctx, st, p.id)
}

// roomsFor turns one Inventory record into rooms: a record with as many
// units as beds is one dorm (each bed its own unit); otherwise each unit
// is a room of its own, the beds shared out among them. The dedicated
// beds (2.07.7-2.07.12) go to the first beds in HUD's order.
func roomsFor(iv hmis.Inventory, before int) []bedRoom {
	n := *iv.BedInventory
	units := n
	if iv.UnitInventory != nil && *iv.UnitInventory > 0 && *iv.UnitInventory < n {
		units = *iv.UnitInventory
	}
	avail, bt := hud.AvailabilityYearRound, hud.BedTypeFacilityBased
	if iv.Availability != nil {
		avail = *iv.Availability
	}
	if iv.ESBedType != nil {
		bt = *iv.ESBedType
	}
	type kind struct {
		n              *int
		ch, vet, youth bool
	}
	var flags []kind
	for _, k := range []kind{{iv.CHVetBedInventory, true, true, false}, {iv.YouthVetBedInventory, false, true, true},
		{iv.VetBedInventory, false, true, false}, {iv.CHYouthBedInventory, true, false, true},
		{iv.YouthBedInventory, false, false, true}, {iv.CHBedInventory, true, false, false}} {
		if k.n != nil {
			for range *k.n {
				flags = append(flags, k)
			}
		}
	}
	bed := func(i int, label string) store.Bed {
		b := store.Bed{ProjectID: iv.ProjectID, CoCCode: iv.CoCCode, Label: label, HouseholdType: *iv.HouseholdType,
			BedType: bt, Availability: avail, StartDate: iv.InventoryStartDate}
		if i < len(flags) {
			b.Chronic, b.Veteran, b.Youth = flags[i].ch, flags[i].vet, flags[i].youth
		}
		return b
	}
	if units == n {
		name := map[hud.HouseholdType]string{1: "Adult Dorm", 3: "Family Dorm", 4: "Youth Dorm"}[*iv.HouseholdType]
		switch avail {
		case hud.AvailabilitySeasonal:
			name = "Seasonal Beds"
		case hud.AvailabilityOverflow:
			name = "Overflow Mats"
		}
		if before > 0 {
			name = fmt.Sprintf("%s %c", name, 'A'+before)
		}
		r := bedRoom{name: name}
		for i := range n {
			r.beds = append(r.beds, bed(i, fmt.Sprintf("Bed %d", i+1)))
		}
		return []bedRoom{r}
	}
	var out []bedRoom
	i := 0
	for u := range units {
		size := n / units
		if u < n%units {
			size++
		}
		r := bedRoom{name: fmt.Sprintf("Room %d", 100*(before+1)+u+1), isUnit: true}
		for k := range size {
			r.beds = append(r.beds, bed(i, fmt.Sprintf("Bed %d", k+1)))
			i++
		}
		out = append(out, r)
	}
	return out
}

// checkInEnrolled checks the program's enrolled clients in from their
// entry date (7 PM, or now when that is later): a household of one to a
// free bed of a dorm, a larger household to a unit with beds for all.
func checkInEnrolled(ctx context.Context, st *store.Store, projectID string) error {
	open, err := st.OpenEnrollments(ctx, projectID)
	if err != nil {
		return err
	}
	board, err := st.BedBoard(ctx, store.BoardFilter{ProjectID: projectID})
	if err != nil || len(board) == 0 {
		return err
	}
	places, err := st.Places(ctx)
	if err != nil {
		return err
	}
	isUnit := map[string]bool{}
	for _, pl := range places {
		for _, r := range pl.Rooms {
			isUnit[r.ID] = r.IsUnit
		}
	}
	var dorm []store.BoardBed
	units := map[string][]store.BoardBed{}
	var unitOrder []string
	for _, b := range board[0].Beds {
		if b.Stay != nil {
			continue
		}
		if b.Availability != hud.AvailabilityYearRound {
			continue // overflow and seasonal beds stay free
		}
		if isUnit[b.RoomID] {
			if units[b.RoomID] == nil {
				unitOrder = append(unitOrder, b.RoomID)
			}
			units[b.RoomID] = append(units[b.RoomID], b)
		} else {
			dorm = append(dorm, b)
		}
	}
	households := map[string][]store.OpenEnrollment{}
	var order []string
	for _, o := range open {
		if o.InBed {
			continue
		}
		h := o.HouseholdID
		if h == "" {
			h = o.EnrollmentID
		}
		if households[h] == nil {
			order = append(order, h)
		}
		households[h] = append(households[h], o)
	}
	now := time.Now()
	at := func(d hmis.Date) time.Time {
		t := time.Date(d.Time().Year(), d.Time().Month(), d.Time().Day(), 19, 0, 0, 0, time.Local)
		if t.After(now) {
			t = now.Add(-time.Minute)
		}
		return t
	}
	for _, h := range order {
		members := households[h]
		var beds []store.BoardBed
		if len(members) == 1 && len(dorm) > 0 {
			beds, dorm = dorm[:1], dorm[1:]
		} else {
			for i, id := range unitOrder {
				if len(units[id]) >= len(members) {
					beds = units[id]
					unitOrder = append(unitOrder[:i:i], unitOrder[i+1:]...)
					break
				}
			}
		}
		if len(beds) < len(members) {
			continue
		}
		for i, m := range members {
			if _, err := st.CheckInAt(ctx, beds[i].ID, m.PersonalID, at(m.EntryDate)); err != nil {
				if c := hmis.ErrorCode(err); c == hmis.EINVALID || c == hmis.ECONFLICT {
					continue // e.g. in another program's bed already
				}
				return err
			}
		}
	}
	return nil
}
