package store_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
	"github.com/hearth-hmis/hearth/internal/workflow"
)

// housingFixture: two organizations, an ES entry/exit shelter and a
// night-by-night shelter of the first, an admin, a case manager of each.
type housingFixture struct {
	org1, org2      string
	admin, cm1, cm2 hmis.Actor
}

func newHousingFixture(t *testing.T, s *store.Store, clients ...string) housingFixture {
	t.Helper()
	sys := storetest.Context(t)
	f := housingFixture{org1: storetest.MustOrganization(t, s, "Hope Shelter"), org2: storetest.MustOrganization(t, s, "Safe Harbor")}
	f.admin = hmis.Actor{AccountID: "a0", UserID: "u0", Username: "avery", Role: hmis.RoleAdmin, OrganizationID: f.org1, Via: "test"}
	f.cm1 = hmis.Actor{AccountID: "a1", UserID: "u1", Username: "casey", Role: hmis.RoleCaseManager, OrganizationID: f.org1, Via: "test"}
	f.cm2 = hmis.Actor{AccountID: "a2", UserID: "u2", Username: "olive", Role: hmis.RoleCaseManager, OrganizationID: f.org2, Via: "test"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range clients {
		c := hmis.Client{PersonalID: id, FirstName: "First" + id, LastName: "Last" + id, DOB: hmis.MustDate("1980-01-02"),
			NameDataQuality: new(hud.NameDataQuality(1)), DOBDataQuality: new(hud.DOBDataQuality(1)),
			SSNDataQuality: new(hud.SSNDataQuality(99)), RaceNone: new(hud.RaceNone(8)),
			VeteranStatus: new(hud.NoYesReasonsForMissingData(0))}
		must(store.CreateRecord(sys, s, &c))
	}
	must(storetest.Exec(s, `UPDATE clients SET organization_id = ?, restriction = 'organization'`, f.org1))
	for id, pt := range map[string]hud.ProjectType{"ES": 0, "NBN": 1, "TH": 2} {
		must(store.CreateRecord(sys, s, &hmis.Project{ProjectID: id, OrganizationID: f.org1, ProjectName: id + " Program",
			OperatingStartDate: hmis.MustDate("2020-01-01"), ProjectType: new(pt)}))
	}
	return f
}

func enroll(t *testing.T, s *store.Store, id, personalID, projectID string, entry, exit hmis.Date) {
	t.Helper()
	sys := storetest.Context(t)
	e := hmis.Enrollment{EnrollmentID: id, PersonalID: personalID, ProjectID: projectID, EntryDate: entry, HouseholdID: "H" + id,
		RelationshipToHoH: new(hud.RelationshipToHoH(1))}
	if err := store.CreateRecord(sys, s, &e); err != nil {
		t.Fatal(err)
	}
	if !exit.IsZero() {
		x := hmis.Exit{ExitID: "X" + id, EnrollmentID: id, PersonalID: personalID, ExitDate: exit, Destination: new(hud.LivingSituation(99))}
		if err := store.CreateRecord(sys, s, &x); err != nil {
			t.Fatal(err)
		}
	}
}

// TestStore_HousingInventory: the HUD Inventory records of a program
// with beds on the board are computed from the beds, and match them.
func TestStore_HousingInventory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newHousingFixture(t, s)
		sys := storetest.Context(t)
		admin := hmis.NewContext(t.Context(), f.admin)
		cm := hmis.NewContext(t.Context(), f.cm1)
		// Entered inventory of two programs; ES will get beds, TH not.
		for _, inv := range []hmis.Inventory{
			{InventoryID: "INV-ES", ProjectID: "ES", CoCCode: "CA-510", HouseholdType: new(hud.HouseholdType(1)),
				UnitInventory: new(40), BedInventory: new(40), InventoryStartDate: hmis.MustDate("2020-01-01")},
			{InventoryID: "INV-TH", ProjectID: "TH", CoCCode: "CA-510", HouseholdType: new(hud.HouseholdType(3)),
				UnitInventory: new(5), BedInventory: new(15), InventoryStartDate: hmis.MustDate("2020-01-01")},
		} {
			if err := store.CreateRecord(sys, s, &inv); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.CreatePlace(cm, "Main Street Shelter"); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Fatalf("case manager adds a place: %v", err)
		}
		if _, err := s.CreatePlace(admin, " "); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Fatalf("place without a name: %v", err)
		}
		pl, err := s.CreatePlace(admin, "Main Street Shelter")
		if err != nil {
			t.Fatal(err)
		}
		dorm, err := s.CreateRoom(admin, pl.ID, "Dorm A", false)
		if err != nil {
			t.Fatal(err)
		}
		fam1, err := s.CreateRoom(admin, pl.ID, "Family room 1", true)
		if err != nil {
			t.Fatal(err)
		}
		fam2, err := s.CreateRoom(admin, pl.ID, "Family room 2", true)
		if err != nil {
			t.Fatal(err)
		}
		start, later := hmis.MustDate("2025-01-01"), hmis.MustDate("2025-06-01")
		type spec struct {
			room           string
			hh             hud.HouseholdType
			avail          hud.Availability
			ch, vet, youth bool
			start, end     hmis.Date
		}
		specs := []spec{
			{dorm.ID, 1, 1, false, false, false, start, hmis.Date{}},
			{dorm.ID, 1, 1, true, false, false, start, hmis.Date{}},
			{dorm.ID, 1, 1, true, true, false, start, hmis.Date{}},
			{dorm.ID, 1, 1, false, true, false, start, hmis.Date{}},
			{dorm.ID, 1, 1, false, true, true, start, hmis.Date{}},
			{dorm.ID, 1, 1, true, false, true, start, hmis.Date{}},
			{dorm.ID, 1, 1, false, false, true, start, hmis.Date{}},
			{dorm.ID, 1, 2, false, false, false, later, hmis.MustDate("2025-10-01")}, // seasonal
			{fam1.ID, 3, 1, false, false, false, start, hmis.Date{}},
			{fam1.ID, 3, 1, false, false, false, start, hmis.Date{}},
			{fam1.ID, 3, 1, false, false, false, start, hmis.Date{}},
			{fam2.ID, 3, 1, false, true, false, start, hmis.Date{}},
			{fam2.ID, 3, 1, false, false, false, start, hmis.Date{}},
		}
		var beds []store.Bed
		for i, sp := range specs {
			b, err := s.SaveBed(admin, store.Bed{RoomID: sp.room, ProjectID: "ES", CoCCode: "CA-510", Label: "Bed " + string(rune('A'+i)),
				HouseholdType: sp.hh, BedType: hud.BedTypeFacilityBased, Availability: sp.avail, Chronic: sp.ch, Veteran: sp.vet,
				Youth: sp.youth, StartDate: sp.start, EndDate: sp.end})
			if err != nil {
				t.Fatalf("bed %d: %v", i, err)
			}
			beds = append(beds, b)
		}
		if _, err := s.SaveBed(admin, store.Bed{RoomID: dorm.ID, ProjectID: "ES", CoCCode: "CA-510", Label: "X", HouseholdType: 1,
			BedType: 1, Availability: 1, Chronic: true, Veteran: true, Youth: true, StartDate: start}); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Fatalf("CH veteran youth bed: %v", err)
		}
		if _, err := s.SaveBed(cm, store.Bed{RoomID: dorm.ID, ProjectID: "ES", CoCCode: "CA-510", Label: "Y", HouseholdType: 1,
			BedType: 1, Availability: 1, StartDate: start}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Fatalf("case manager adds a bed: %v", err)
		}

		check := func(when string) {
			t.Helper()
			invs, err := store.FindRecords[hmis.Inventory](sys, s, store.RecordFilter{ProjectID: "ES"})
			if err != nil {
				t.Fatal(err)
			}
			for _, inv := range invs {
				if !store.IsComputedInventory(inv.InventoryID) {
					t.Errorf("%s: entered inventory %s still live beside the bed board", when, inv.InventoryID)
				}
				if inv.ESBedType == nil || inv.Availability == nil {
					t.Errorf("%s: ES inventory %s without bed type or availability", when, inv.InventoryID)
				}
				sum := *inv.CHVetBedInventory + *inv.YouthVetBedInventory + *inv.VetBedInventory + *inv.CHYouthBedInventory +
					*inv.YouthBedInventory + *inv.CHBedInventory + *inv.OtherBedInventory
				if sum != *inv.BedInventory {
					t.Errorf("%s: %s categories add up to %d, beds %d", when, inv.InventoryID, sum, *inv.BedInventory)
				}
			}
			// On each of these days, per household type, the records in
			// force and the beds in use agree.
			for _, day := range []hmis.Date{start, hmis.MustDate("2025-07-01"), hmis.MustDate("2025-12-01")} {
				for _, hh := range hud.HouseholdTypeValues() {
					var want, wantCH, wantVet, wantYouth int
					units := map[string]bool{}
					wantUnits := 0
					for _, b := range beds {
						if b.HouseholdType != hh || !b.InUse(day) || b.ProjectID != "ES" {
							continue
						}
						want++
						if b.Chronic {
							wantCH++
						}
						if b.Veteran {
							wantVet++
						}
						if b.Youth {
							wantYouth++
						}
						if b.RoomID == fam1.ID || b.RoomID == fam2.ID {
							if !units[b.RoomID] {
								wantUnits++
							}
							units[b.RoomID] = true
						} else {
							wantUnits++
						}
					}
					var got, gotCH, gotVet, gotYouth, gotUnits int
					for _, inv := range invs {
						if *inv.HouseholdType != hh || inv.InventoryStartDate.After(day) ||
							(!inv.InventoryEndDate.IsZero() && !inv.InventoryEndDate.After(day)) {
							continue
						}
						got += *inv.BedInventory
						gotUnits += *inv.UnitInventory
						gotCH += *inv.CHVetBedInventory + *inv.CHYouthBedInventory + *inv.CHBedInventory
						gotVet += *inv.CHVetBedInventory + *inv.YouthVetBedInventory + *inv.VetBedInventory
						gotYouth += *inv.YouthVetBedInventory + *inv.CHYouthBedInventory + *inv.YouthBedInventory
					}
					if got != want || gotCH != wantCH || gotVet != wantVet || gotYouth != wantYouth || gotUnits != wantUnits {
						t.Errorf("%s, %s, household type %d: inventory beds %d CH %d vet %d youth %d units %d; bed board %d %d %d %d %d",
							when, day, hh, got, gotCH, gotVet, gotYouth, gotUnits, want, wantCH, wantVet, wantYouth, wantUnits)
					}
				}
			}
		}
		check("after setup")
		if n, _ := store.CountRecords[hmis.Inventory](sys, s, store.RecordFilter{ProjectID: "ES"}); n != 3 {
			t.Errorf("ES: %d inventory records, want 3 (year-round singles, seasonal, families)", n)
		}
		// A program without beds on the board keeps its entered inventory.
		if _, err := store.FindRecordByID[hmis.Inventory](sys, s, "INV-TH"); err != nil {
			t.Errorf("TH's entered inventory: %v", err)
		}
		before, _ := store.FindRecords[hmis.Inventory](sys, s, store.RecordFilter{ProjectID: "ES"})

		// Changing a bed keeps the records' IDs and changes their counts.
		beds[0].Veteran = true
		if beds[0], err = s.SaveBed(admin, beds[0]); err != nil {
			t.Fatal(err)
		}
		check("after a change")
		after, _ := store.FindRecords[hmis.Inventory](sys, s, store.RecordFilter{ProjectID: "ES"})
		if len(after) != len(before) || after[0].InventoryID != before[0].InventoryID {
			t.Errorf("IDs changed: %d -> %d records", len(before), len(after))
		}
		// A bed moved to TH: TH's inventory is now computed too.
		beds[1].ProjectID = "TH"
		if beds[1], err = s.SaveBed(admin, beds[1]); err != nil {
			t.Fatal(err)
		}
		check("after a move")
		if _, err := store.FindRecordByID[hmis.Inventory](sys, s, "INV-TH"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("TH's entered inventory after its first bed: %v", err)
		}
		th, _ := store.FindRecords[hmis.Inventory](sys, s, store.RecordFilter{ProjectID: "TH"})
		if len(th) != 1 || *th[0].BedInventory != 1 || th[0].ESBedType != nil || th[0].Availability != nil {
			t.Errorf("TH inventory %+v", th)
		}
		// And back: TH has no bed left, its computed record goes.
		beds[1].ProjectID = "ES"
		if beds[1], err = s.SaveBed(admin, beds[1]); err != nil {
			t.Fatal(err)
		}
		if n, _ := store.CountRecords[hmis.Inventory](sys, s, store.RecordFilter{ProjectID: "TH"}); n != 0 {
			t.Errorf("TH: %d live records after its last bed left", n)
		}
		check("after moving back")
		places, err := s.Places(cm)
		if err != nil || len(places) != 1 || len(places[0].Rooms) != 3 || len(places[0].Rooms[0].Beds) != 8 {
			t.Fatalf("places %+v %v", places, err)
		}
	})
}

// bedSetup is one ES room with beds, made by the admin.
func bedSetup(t *testing.T, s *store.Store, f housingFixture, project string, n int) []store.Bed {
	t.Helper()
	admin := hmis.NewContext(t.Context(), f.admin)
	pl, err := s.CreatePlace(admin, "Shelter "+project)
	if err != nil {
		t.Fatal(err)
	}
	room, err := s.CreateRoom(admin, pl.ID, "Dorm", false)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Bed
	for i := range n {
		b, err := s.SaveBed(admin, store.Bed{RoomID: room.ID, ProjectID: project, CoCCode: "CA-510", Label: "Bed " + string(rune('1'+i)),
			HouseholdType: 1, BedType: 1, Availability: 1, StartDate: hmis.MustDate("2024-01-01")})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func TestStore_CheckInOut(t *testing.T) {
	t0 := time.Date(2026, 3, 10, 20, 0, 0, 0, time.Local)
	now := t0
	storetest.EachAt(t, func() time.Time { return now }, func(t *testing.T, s *store.Store) {
		now = t0 // each dialect from the start
		f := newHousingFixture(t, s, "c1", "c2", "c3", "c4")
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)
		beds := bedSetup(t, s, f, "ES", 3)
		enroll(t, s, "E1", "c1", "ES", hmis.MustDate("2026-03-01"), hmis.Date{})
		enroll(t, s, "E2", "c2", "ES", hmis.MustDate("2026-03-01"), hmis.Date{})
		enroll(t, s, "E3", "c3", "ES", hmis.MustDate("2026-01-01"), hmis.MustDate("2026-02-01")) // exited
		enroll(t, s, "E4", "c4", "ES", hmis.MustDate("2026-03-01"), hmis.Date{})

		// No open enrollment: refused, naming the program for the intake link.
		_, err := s.CheckIn(cm1, beds[0].ID, "c3")
		if e, ok := err.(*hmis.Error); !ok || e.Code != hmis.EINVALID || e.Fields[store.FieldEnrollment] != "ES" {
			t.Fatalf("exited client: %v", err)
		}
		// Another organization's case manager cannot see c1.
		if _, err := s.CheckIn(cm2, beds[0].ID, "c1"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Fatalf("hidden client: %v", err)
		}
		open, err := s.OpenEnrollments(cm1, "ES")
		if err != nil || len(open) != 3 || open[0].EnrollmentID != "E1" || open[2].EnrollmentID != "E4" {
			t.Fatalf("open enrollments %+v %v", open, err)
		}
		// A check-in recorded late: not before the entry date, not in the future.
		if _, err := s.CheckInAt(cm1, beds[0].ID, "c1", time.Date(2026, 2, 28, 20, 0, 0, 0, time.Local)); hmis.ErrorCode(err) != hmis.EINVALID ||
			!strings.Contains(err.Error(), "entry date") {
			t.Fatalf("check-in before the entry date: %v", err)
		}
		if _, err := s.CheckInAt(cm1, beds[0].ID, "c1", now.Add(time.Hour)); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Fatalf("check-in in the future: %v", err)
		}
		st1, err := s.CheckInAt(cm1, beds[0].ID, "c1", now.Add(-24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if !st1.Start.Equal(now.Add(-24 * time.Hour).UTC()) {
			t.Errorf("stay starts %v", st1.Start)
		}
		if st1.EnrollmentID != "E1" {
			t.Errorf("stay under %q", st1.EnrollmentID)
		}
		if _, err := s.CheckIn(cm1, beds[0].ID, "c2"); hmis.ErrorCode(err) != hmis.ECONFLICT || !strings.Contains(err.Error(), "just taken") {
			t.Fatalf("taken bed: %v", err)
		}
		if _, err := s.CheckIn(cm1, beds[1].ID, "c1"); hmis.ErrorCode(err) != hmis.ECONFLICT {
			t.Fatalf("client in two beds: %v", err)
		}
		// A hold for c4 keeps bed 3 from c2, not from c4.
		if _, err := s.HoldBed(cm1, beds[2].ID, "c4", now.Add(-time.Hour)); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Fatalf("hold in the past: %v", err)
		}
		if _, err := s.HoldBed(cm1, beds[2].ID, "c4", now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckIn(cm1, beds[2].ID, "c2"); hmis.ErrorCode(err) != hmis.ECONFLICT || !strings.Contains(err.Error(), "held") {
			t.Fatalf("held bed: %v", err)
		}
		free, err := s.FreeBeds(cm1, "c2")
		if err != nil || len(free) != 1 || free[0].ID != beds[1].ID {
			t.Fatalf("free beds for c2: %+v %v", free, err)
		}
		if _, err := s.CheckIn(cm1, beds[2].ID, "c4"); err != nil {
			t.Fatalf("c4 into the bed held for them: %v", err)
		}

		// The board: the admin sees names; the other organization sees
		// "occupied" without identity.
		board, err := s.BedBoard(hmis.NewContext(t.Context(), f.admin), store.BoardFilter{})
		if err != nil || len(board) != 1 {
			t.Fatalf("board %+v %v", board, err)
		}
		if p := board[0]; p.Total != 3 || p.Occupied != 2 || p.Free != 1 || p.Beds[0].Stay == nil || p.Beds[0].Stay.FirstName != "Firstc1" {
			t.Errorf("admin's board %+v", p)
		}
		board, err = s.BedBoard(cm2, store.BoardFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if st := board[0].Beds[0].Stay; st == nil || !st.Hidden || st.FirstName != "" || st.PersonalID != "" || st.StayID != "" {
			t.Errorf("hidden occupant shown: %+v", st)
		}
		if board, _ = s.BedBoard(cm1, store.BoardFilter{ProjectID: "NBN"}); len(board) != 0 {
			t.Errorf("filter by program: %+v", board)
		}

		// An occupied bed keeps its program and stays in use.
		occupied := beds[0]
		occupied.ProjectID = "NBN"
		if _, err := s.SaveBed(hmis.NewContext(t.Context(), f.admin), occupied); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Fatalf("occupied bed to another program: %v", err)
		}
		occupied = beds[0]
		occupied.EndDate = hmis.MustDate("2026-03-10")
		if _, err := s.SaveBed(hmis.NewContext(t.Context(), f.admin), occupied); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Fatalf("occupied bed ended: %v", err)
		}

		// Move c1 to bed 2, then check out.
		now = now.Add(time.Hour)
		st2, err := s.MoveStay(cm1, st1.ID, beds[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckOut(cm1, st2.ID, now.Add(-2*time.Hour)); hmis.ErrorCode(err) != hmis.EINVALID ||
			!strings.Contains(err.Error(), "before the check-in") {
			t.Fatalf("check-out before check-in: %v", err)
		}
		if _, err := s.CheckOut(cm2, st2.ID, time.Time{}); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Fatalf("check-out by another organization: %v", err)
		}
		now = now.Add(time.Hour)
		out, err := s.CheckOut(cm1, st2.ID, time.Time{})
		if err != nil || out.EnrollmentID != "E1" {
			t.Fatalf("check-out: %+v %v", out, err)
		}
		if _, err := s.CheckOut(cm1, st2.ID, time.Time{}); hmis.ErrorCode(err) != hmis.ECONFLICT {
			t.Fatalf("second check-out: %v", err)
		}
		if _, err := s.CheckIn(cm1, beds[0].ID, "c2"); err != nil {
			t.Fatalf("the first bed is free again: %v", err)
		}
	})
}

// TestStore_CheckInRace: clients checked into one bed at the same moment
// from many goroutines: exactly one wins, the others hear the bed was
// just taken (the unique index on open stays decides on PostgreSQL).
func TestStore_CheckInRace(t *testing.T) {
	const n = 8
	var ids []string
	for i := range n {
		ids = append(ids, "r"+string(rune('a'+i)))
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newHousingFixture(t, s, ids...)
		beds := bedSetup(t, s, f, "ES", 1)
		for _, id := range ids {
			enroll(t, s, "E"+id, id, "ES", hmis.MustDate("2024-01-01"), hmis.Date{})
		}
		cm := hmis.NewContext(t.Context(), f.cm1)
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, n)
		for i, id := range ids {
			wg.Go(func() {
				<-start
				_, errs[i] = s.CheckIn(cm, beds[0].ID, id)
			})
		}
		close(start)
		wg.Wait()
		won := 0
		for i, err := range errs {
			switch {
			case err == nil:
				won++
			case hmis.ErrorCode(err) == hmis.ECONFLICT && strings.Contains(err.Error(), "just taken"):
			default:
				t.Errorf("check-in %d: %v", i, err)
			}
		}
		if won != 1 {
			t.Errorf("%d check-ins won the bed, want 1", won)
		}
		board, err := s.BedBoard(cm, store.BoardFilter{})
		if err != nil || board[0].Occupied != 1 {
			t.Errorf("board after the race: %+v %v", board, err)
		}
	})
}

func TestStore_RosterBedNights(t *testing.T) {
	t0 := time.Date(2026, 3, 10, 20, 0, 0, 0, time.Local)
	now := t0
	storetest.EachAt(t, func() time.Time { return now }, func(t *testing.T, s *store.Store) {
		now = t0 // each dialect from the start
		f := newHousingFixture(t, s, "n1", "n2", "n3", "n4", "n5")
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)
		night := hmis.MustDate("2026-03-09")
		enroll(t, s, "N1", "n1", "NBN", hmis.MustDate("2026-03-01"), hmis.Date{})
		enroll(t, s, "N2", "n2", "NBN", hmis.MustDate("2026-03-09"), hmis.MustDate("2026-03-10")) // last night is the 9th
		enroll(t, s, "N3", "n3", "NBN", hmis.MustDate("2026-03-01"), hmis.MustDate("2026-03-09")) // exited on the night
		enroll(t, s, "N4", "n4", "NBN", hmis.MustDate("2026-03-10"), hmis.Date{})                 // entered after
		enroll(t, s, "N5", "n5", "ES", hmis.MustDate("2026-03-01"), hmis.Date{})                  // another program

		rows, err := s.Roster(cm1, "NBN", night)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r.EnrollmentID)
		}
		if strings.Join(got, ",") != "N1,N2" {
			t.Fatalf("roster %v, want N1,N2", got)
		}
		if rows, _ := s.Roster(cm2, "NBN", night); len(rows) != 0 {
			t.Errorf("another organization sees %d rows", len(rows))
		}
		res, err := s.RecordBedNights(cm1, "NBN", night, []string{"N1", "N2"}, map[string]bool{"N1": true, "N2": true})
		if err != nil || res.Added != 2 {
			t.Fatalf("save: %+v %v", res, err)
		}
		svcs, _ := store.FindRecords[hmis.Service](storetest.Context(t), s, store.RecordFilter{})
		if len(svcs) != 2 {
			t.Fatalf("%d services", len(svcs))
		}
		for _, sv := range svcs {
			if *sv.RecordType != 200 || *sv.TypeProvided != 200 || !sv.DateProvided.Equal(night) {
				t.Errorf("service %+v", sv)
			}
		}
		// Saved again: nothing new; n2 unticked: its bed night goes.
		res, err = s.RecordBedNights(cm1, "NBN", night, []string{"N1", "N2"}, map[string]bool{"N1": true})
		if err != nil || res.Added != 0 || res.Removed != 1 {
			t.Fatalf("second save: %+v %v", res, err)
		}
		rows, _ = s.Roster(cm1, "NBN", night)
		if !rows[0].Present || rows[1].Present {
			t.Errorf("roster after the save %+v", rows)
		}
		// Outside the enrollment: the whole save is refused, the row named.
		_, err = s.RecordBedNights(cm1, "NBN", night, []string{"N1", "N3", "N4"}, map[string]bool{"N1": true, "N3": true, "N4": true})
		e, ok := err.(*hmis.Error)
		if !ok || e.Code != hmis.EINVALID || e.Fields["N3"] == "" || e.Fields["N4"] == "" || e.Fields["N1"] != "" {
			t.Fatalf("outside the enrollment: %#v", err)
		}
		if strings.Contains(e.Error(), "Firstn") || strings.Contains(e.Fields["N3"], "Firstn") {
			t.Errorf("message names the client: %v", e)
		}
		if n, _ := store.CountRecords[hmis.Service](storetest.Context(t), s, store.RecordFilter{}); n != 1 {
			t.Errorf("%d live services after a refused save, want 1", n)
		}
		if _, err := s.RecordBedNights(cm1, "NBN", hmis.MustDate("2026-03-11"), []string{"N1"}, map[string]bool{"N1": true}); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Errorf("future night: %v", err)
		}
		if _, err := s.RecordBedNights(cm1, "NBN", night, []string{"N5"}, map[string]bool{"N5": true}); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("another program's enrollment: %v", err)
		}
		if _, err := s.RecordBedNights(cm2, "NBN", night, []string{"N1"}, map[string]bool{"N1": true}); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("hidden enrollment: %v", err)
		}
	})
}

func TestStore_Utilization(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 20, 0, 0, 0, time.Local)
	now := t0
	storetest.EachAt(t, func() time.Time { return now }, func(t *testing.T, s *store.Store) {
		now = t0 // each dialect from the start
		f := newHousingFixture(t, s, "u1", "u2", "u3")
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		beds := bedSetup(t, s, f, "ES", 2)
		for _, id := range []string{"u1", "u2", "u3"} {
			enroll(t, s, "E"+id, id, "ES", hmis.MustDate("2026-02-01"), hmis.Date{})
		}
		// Night of the 1st: u1 and u2 check in; on the 3rd u1 leaves; u3
		// takes the bed on the 4th.
		st1, err := s.CheckIn(cm1, beds[0].ID, "u1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckIn(cm1, beds[1].ID, "u2"); err != nil {
			t.Fatal(err)
		}
		now = now.Add(36 * time.Hour) // the 3rd, 8 AM
		if _, err := s.CheckOut(cm1, st1.ID, time.Time{}); err != nil {
			t.Fatal(err)
		}
		now = now.Add(36 * time.Hour) // the 4th, 8 PM
		if _, err := s.CheckIn(cm1, beds[0].ID, "u3"); err != nil {
			t.Fatal(err)
		}
		// Entered inventory for TH (enrollment-based) and NBN (bed nights).
		sys := storetest.Context(t)
		for _, inv := range []hmis.Inventory{
			{InventoryID: "I-TH", ProjectID: "TH", CoCCode: "CA-510", HouseholdType: new(hud.HouseholdType(1)), UnitInventory: new(1),
				BedInventory: new(1), InventoryStartDate: hmis.MustDate("2020-01-01")},
		} {
			if err := store.CreateRecord(sys, s, &inv); err != nil {
				t.Fatal(err)
			}
		}
		enroll(t, s, "T1", "u1", "TH", hmis.MustDate("2026-03-02"), hmis.MustDate("2026-03-04"))
		enroll(t, s, "T2", "u2", "TH", hmis.MustDate("2026-03-02"), hmis.Date{})

		if _, err := s.Utilization(cm1, hmis.MustDate("2026-03-05"), hmis.MustDate("2026-03-01"), ""); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Errorf("period backwards: %v", err)
		}
		us, err := s.Utilization(cm1, hmis.MustDate("2026-03-01"), hmis.MustDate("2026-03-04"), "")
		if err != nil {
			t.Fatal(err)
		}
		if len(us) != 2 || us[0].ProjectID != "ES" || us[1].ProjectID != "TH" {
			t.Fatalf("programs %+v", us)
		}
		var occ []int
		for _, nt := range us[0].Nights {
			occ = append(occ, nt.Occupied)
			if nt.Capacity != 2 {
				t.Errorf("ES capacity %d on %s", nt.Capacity, nt.Night)
			}
		}
		// 1st: u1+u2, 2nd: u1+u2, 3rd: u2, 4th: u2+u3 = 7 of 8.
		if want := []int{2, 2, 1, 2}; !equalInts(occ, want) {
			t.Errorf("ES occupancy %v, want %v", occ, want)
		}
		if us[0].Average != 87.5 || us[0].Flag != "" {
			t.Errorf("ES average %v %q", us[0].Average, us[0].Flag)
		}
		occ = nil
		for _, nt := range us[1].Nights {
			occ = append(occ, nt.Occupied)
		}
		// TH: 1 bed; nights 2nd: 2, 3rd: 2, 4th: 1 (T1 exited on the 4th).
		if want := []int{0, 2, 2, 1}; !equalInts(occ, want) || us[1].Flag != "over 105%" || us[1].OccupancyFrom != "enrollments" {
			t.Errorf("TH occupancy %v %q %q", occ, us[1].Flag, us[1].OccupancyFrom)
		}
	})
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestStore_HousingImport: an import that brings Inventory records for a
// program with beds on the board does not put them beside the computed
// ones; programs without beds keep what was imported.
func TestStore_HousingImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sys := storetest.Context(t)
		f := newHousingFixture(t, s)
		t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		recs := func(updated time.Time) []any {
			return []any{
				&hmis.Organization{OrganizationID: "o1", OrganizationName: "One", DateCreated: t0, DateUpdated: updated, UserID: "u1"},
				&hmis.User{UserID: "u1", UserFirstName: "Ann", DateCreated: t0, DateUpdated: updated},
				&hmis.Project{ProjectID: "p1", OrganizationID: "o1", ProjectName: "Imported Shelter", ProjectType: new(hud.ProjectType(0)),
					OperatingStartDate: hmis.MustDate("2020-01-01"), DateCreated: t0, DateUpdated: updated, UserID: "u1"},
				&hmis.Project{ProjectID: "p2", OrganizationID: "o1", ProjectName: "Imported TH", ProjectType: new(hud.ProjectType(2)),
					OperatingStartDate: hmis.MustDate("2020-01-01"), DateCreated: t0, DateUpdated: updated, UserID: "u1"},
				&hmis.Inventory{InventoryID: "i1", ProjectID: "p1", CoCCode: "CA-510", HouseholdType: new(hud.HouseholdType(1)),
					UnitInventory: new(50), BedInventory: new(50), InventoryStartDate: hmis.MustDate("2020-01-01"), DateCreated: t0, DateUpdated: updated, UserID: "u1"},
				&hmis.Inventory{InventoryID: "i2", ProjectID: "p2", CoCCode: "CA-510", HouseholdType: new(hud.HouseholdType(1)),
					UnitInventory: new(9), BedInventory: new(9), InventoryStartDate: hmis.MustDate("2020-01-01"), DateCreated: t0, DateUpdated: updated, UserID: "u1"},
			}
		}
		imp := func(updated time.Time) {
			t.Helper()
			st, err := s.Import(sys, store.ImportOptions{Source: store.Source{Key: "src"}, FileName: "x.zip"},
				func(add func(any) error) (store.ImportOutcome, error) {
					for _, r := range recs(updated) {
						if err := add(r); err != nil {
							return store.ImportOutcome{}, err
						}
					}
					return store.ImportOutcome{}, nil
				})
			if err != nil || st.Status != store.ImportImported {
				t.Fatalf("import: %+v %v", st, err)
			}
		}
		imp(t0)
		projects, _ := store.FindRecords[hmis.Project](sys, s, store.RecordFilter{})
		var p1, p2 string
		for _, p := range projects {
			switch p.ProjectName {
			case "Imported Shelter":
				p1 = p.ProjectID
			case "Imported TH":
				p2 = p.ProjectID
			}
		}
		bedSetup(t, s, f, p1, 4)
		imp(time.Now().Add(time.Hour).UTC().Truncate(time.Second)) // the source sends its inventory again, changed since
		live := func(project string) (beds int, computed bool) {
			invs, _ := store.FindRecords[hmis.Inventory](sys, s, store.RecordFilter{ProjectID: project})
			computed = len(invs) > 0
			for _, iv := range invs {
				beds += *iv.BedInventory
				computed = computed && store.IsComputedInventory(iv.InventoryID)
			}
			return beds, computed
		}
		if beds, computed := live(p1); beds != 4 || !computed {
			t.Errorf("imported shelter with beds on the board: %d beds, computed %v", beds, computed)
		}
		if beds, computed := live(p2); beds != 9 || computed {
			t.Errorf("imported TH without beds: %d beds, computed %v", beds, computed)
		}
	})
}

// TestStore_ExitFreesBed: the exit workflow checks the client out of the
// bed they hold under the exited enrollment.
func TestStore_ExitFreesBed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newHousingFixture(t, s, "c1")
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		beds := bedSetup(t, s, f, "ES", 1)
		today := hmis.DateOf(time.Now())
		entry := today.AddDays(-20)
		enroll(t, s, "E1", "c1", "ES", entry, hmis.Date{})
		st, err := s.CheckInAt(cm1, beds[0].ID, "c1", entry.Time().Add(20*time.Hour))
		must(err)

		_, members, err := s.HouseholdEnrollments(cm1, "E1", true)
		must(err)
		d, err := s.StartDraft(cm1, store.Draft{PersonalID: "c1", ProjectID: "ES", EnrollmentID: "E1", Stage: workflow.Exit, Members: members})
		must(err)
		wp, _, err := s.WorkflowProject(cm1, "ES", hmis.Date{})
		must(err)
		def, err := workflow.Derive(wp, workflow.Exit)
		must(err)
		run := &workflow.Run{Stage: workflow.Exit, Project: wp, Def: def, Today: today, EntryDate: entry,
			Values: map[string]string{"exit_date": today.AddDays(-2).Time().Format("01/02/2006"), "c1.relationship": "1", "c1.destination": "410"}}
		people, err := s.WorkflowPeople(cm1, members)
		must(err)
		for _, p := range people {
			run.Members = append(run.Members, p.Person)
		}
		must(s.CompleteWorkflow(cm1, d.ID, d.Version, run.Build(store.NewID)))

		var ended string
		must(store.QueryRowForTest(s, `SELECT CAST(ended_at AS TEXT) FROM housing_stays WHERE id = ?`, st.ID).Scan(&ended))
		if ended == "" {
			t.Fatal("the stay is still open after the exit")
		}
		if _, err := s.CheckIn(cm1, beds[0].ID, "c1"); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Errorf("checking the exited client in again: %v", err)
		}
		es, err := s.FindAudit(storetest.Context(t), store.AuditFilter{Action: "check_out"})
		if err != nil || len(es) != 1 {
			t.Errorf("check-out audit = %+v, %v", es, err)
		}
	})
}

// TestStore_ServedClientStays: c5 is org2's client (restricted to org2),
// enrolled in org2's own shelter (P2) and in org1's ES: org1 serves c5.
// Org1's case manager checks c5 in and out of an ES bed and holds one;
// c5's stay in org2's bed is neither shown nor named to org1; a read-only
// user of org1 records nothing; a third organization's case manager gets
// "not found".
func TestStore_ServedClientStays(t *testing.T) {
	t0 := time.Date(2026, 3, 10, 20, 0, 0, 0, time.Local)
	now := t0
	storetest.EachAt(t, func() time.Time { return now }, func(t *testing.T, s *store.Store) {
		now = t0
		f := newHousingFixture(t, s, "c5")
		sys := storetest.Context(t)
		org3 := storetest.MustOrganization(t, s, "Third Door")
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)
		ro1 := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "a4", UserID: "u4", Username: "reed", Role: hmis.RoleReadOnly, OrganizationID: f.org1, Via: "test"})
		cm3 := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "a5", UserID: "u5", Username: "tess", Role: hmis.RoleCaseManager, OrganizationID: org3, Via: "test"})
		if err := storetest.Exec(s, `UPDATE clients SET organization_id = ? WHERE personal_id = 'c5'`, f.org2); err != nil {
			t.Fatal(err)
		}
		if err := store.CreateRecord(sys, s, &hmis.Project{ProjectID: "P2", OrganizationID: f.org2, ProjectName: "Harbor Beds",
			OperatingStartDate: hmis.MustDate("2020-01-01"), ProjectType: new(hud.ProjectType(0))}); err != nil {
			t.Fatal(err)
		}
		es := bedSetup(t, s, f, "ES", 2)
		harbor := bedSetup(t, s, f, "P2", 1)
		enroll(t, s, "E52", "c5", "P2", hmis.MustDate("2026-03-01"), hmis.Date{})
		enroll(t, s, "E51", "c5", "ES", hmis.MustDate("2026-03-02"), hmis.Date{})

		// Org2 puts c5 in its own bed: org1 sees no stay, and is not told where.
		own, err := s.CheckIn(cm2, harbor[0].ID, "c5")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, ok, err := s.CurrentStay(cm1, "c5"); err != nil || ok {
			t.Errorf("org1 sees c5's stay in org2's bed: %v %v", ok, err)
		}
		if _, err := s.CheckIn(cm1, es[0].ID, "c5"); hmis.ErrorCode(err) != hmis.ECONFLICT || strings.Contains(err.Error(), "Bed 1") {
			t.Errorf("check-in while in org2's bed: %v", err)
		}
		if _, err := s.CheckOut(cm1, own.ID, time.Time{}); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("org1 checks c5 out of org2's bed: %v", err)
		}
		if _, err := s.CheckOut(cm2, own.ID, time.Time{}); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Minute)

		// Org1's own shelter: a third organization no, read-only no, org1 yes.
		if _, err := s.CheckIn(cm3, es[0].ID, "c5"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("a third organization checks c5 in: %v", err)
		}
		if _, err := s.CheckIn(ro1, es[0].ID, "c5"); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("read-only checks c5 in: %v", err)
		}
		if _, err := s.CheckIn(cm1, harbor[0].ID, "c5"); hmis.ErrorCode(err) == "" {
			t.Error("org1 checked c5 into org2's bed")
		}
		st, err := s.CheckIn(cm1, es[0].ID, "c5")
		if err != nil {
			t.Fatalf("org1 checks in the client it serves: %v", err)
		}
		if st.EnrollmentID != "E51" {
			t.Errorf("stay under %s, want E51", st.EnrollmentID)
		}
		if cur, _, ok, err := s.CurrentStay(cm1, "c5"); err != nil || !ok || cur.ID != st.ID {
			t.Errorf("org1's view of c5's stay: %+v %v %v", cur, ok, err)
		}
		now = now.Add(time.Minute)
		if _, err := s.MoveStay(cm3, st.ID, es[1].ID); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("a third organization moves c5: %v", err)
		}
		moved, err := s.MoveStay(cm1, st.ID, es[1].ID)
		if err != nil {
			t.Fatalf("org1 moves c5: %v", err)
		}
		now = now.Add(time.Minute)
		if _, err := s.CheckOut(ro1, moved.ID, time.Time{}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("read-only checks c5 out: %v", err)
		}
		if _, err := s.CheckOut(cm3, moved.ID, time.Time{}); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("a third organization checks c5 out: %v", err)
		}
		if _, err := s.CheckOut(cm1, moved.ID, time.Time{}); err != nil {
			t.Fatalf("org1 checks c5 out: %v", err)
		}

		// Holds: in org1's beds yes, in org2's no.
		if _, err := s.HoldBed(cm3, es[0].ID, "c5", now.Add(time.Hour)); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("a third organization holds a bed for c5: %v", err)
		}
		if _, err := s.HoldBed(cm1, harbor[0].ID, "c5", now.Add(time.Hour)); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("org1 holds org2's bed for c5: %v", err)
		}
		h, err := s.HoldBed(cm1, es[0].ID, "c5", now.Add(time.Hour))
		if err != nil {
			t.Fatalf("org1 holds its bed for c5: %v", err)
		}
		if err := s.ReleaseHold(cm3, h.ID); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("a third organization releases the hold: %v", err)
		}
		if err := s.ReleaseHold(cm1, h.ID); err != nil {
			t.Errorf("org1 releases its hold: %v", err)
		}
	})
}
