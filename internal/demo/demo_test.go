package demo_test

import (
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/demo"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

var today = hmis.MustDate("2026-06-15")

func populate(t *testing.T, s *store.Store, clients int, seed int64) demo.Result {
	t.Helper()
	res, err := demo.Populate(storetest.Context(t), s, demo.Options{Clients: clients, Seed: seed, Today: today, BatchClients: 150})
	if err != nil {
		t.Fatalf("Populate: %v", err)
	}
	return res
}

func all[T store.Record](t *testing.T, s *store.Store) []T {
	t.Helper()
	rs, err := store.FindRecords[T](storetest.Context(t), s, store.RecordFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestPopulate_Deterministic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		other := storetest.OpenSQLite(t)
		populate(t, s, 200, 7)
		populate(t, other, 200, 7)
		a, b := all[hmis.Client](t, s), all[hmis.Client](t, other)
		if len(a) != 200 || len(b) != 200 {
			t.Fatalf("clients: %d and %d, want 200", len(a), len(b))
		}
		for i := range a {
			if a[i].PersonalID != b[i].PersonalID || a[i].FirstName != b[i].FirstName || a[i].LastName != b[i].LastName ||
				!a[i].DOB.Equal(b[i].DOB) || !a[i].DateCreated.Equal(b[i].DateCreated) {
				t.Fatalf("client %d differs: %+v / %+v", i, a[i], b[i])
			}
		}
		ea, eb := all[hmis.Enrollment](t, s), all[hmis.Enrollment](t, other)
		if len(ea) != len(eb) {
			t.Fatalf("enrollments: %d and %d", len(ea), len(eb))
		}
		for i := range ea {
			if ea[i].EnrollmentID != eb[i].EnrollmentID || !ea[i].EntryDate.Equal(eb[i].EntryDate) || ea[i].ProjectID != eb[i].ProjectID {
				t.Fatalf("enrollment %d differs", i)
			}
		}
		third := storetest.OpenSQLite(t)
		populate(t, third, 200, 8)
		if c := all[hmis.Client](t, third); c[0].FirstName == a[0].FirstName && c[1].FirstName == a[1].FirstName && c[2].LastName == a[2].LastName {
			t.Errorf("seed 8 gave the same names as seed 7")
		}
	})
}

func TestPopulate_CoC(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		res := populate(t, s, 0, 1)
		if res.LeadOrganizationID == "" {
			t.Fatal("no lead organization")
		}
		lead, err := demo.LeadOrganization(storetest.Context(t), s)
		if err != nil || lead != res.LeadOrganizationID {
			t.Fatalf("LeadOrganization = %q, %v; want %q", lead, err, res.LeadOrganizationID)
		}
		types := map[hud.ProjectType]int{}
		for _, p := range all[hmis.Project](t, s) {
			types[*p.ProjectType]++
			if !p.OperatingStartDate.Before(today) {
				t.Errorf("%s starts operating on %s", p.ProjectName, p.OperatingStartDate)
			}
			if *p.ProjectType == hud.ProjectTypePHRapidReHousing && p.RRHSubType == nil {
				t.Errorf("%s: RRH without RRHSubType", p.ProjectName)
			}
		}
		for _, pt := range []hud.ProjectType{0, 1, 2, 3, 4, 6, 8, 11, 12, 13, 14} {
			if types[pt] == 0 {
				t.Errorf("no project of type %d (%s)", pt, pt.Label())
			}
		}
		for _, f := range all[hmis.Funder](t, s) {
			if f.GrantID == "" || f.StartDate.IsZero() || !f.Funder.Valid() || f.Funder.Retired() {
				t.Errorf("bad funder %+v", f)
			}
		}
		for _, iv := range all[hmis.Inventory](t, s) {
			sum := *iv.CHVetBedInventory + *iv.YouthVetBedInventory + *iv.VetBedInventory + *iv.CHYouthBedInventory +
				*iv.YouthBedInventory + *iv.CHBedInventory + *iv.OtherBedInventory
			if sum != *iv.BedInventory || iv.CoCCode != demo.DefaultCoC {
				t.Errorf("inventory %s: dedicated beds %d, total %d, CoC %s", iv.InventoryID, sum, *iv.BedInventory, iv.CoCCode)
			}
		}
		if n := len(all[hmis.CEParticipation](t, s)); n == 0 {
			t.Error("no CEParticipation records")
		}
		if res.Counts.Organizations < 5 || res.Counts.Users == 0 || res.Counts.Clients != 0 {
			t.Errorf("counts: %s", res.Counts)
		}
	})
}

func TestPopulate_Records(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		res := populate(t, s, 500, 3)
		c := res.Counts
		t.Logf("%s", c)
		if c.Clients != 500 {
			t.Fatalf("added %d clients, want 500", c.Clients)
		}
		if r := float64(c.Enrollments) / float64(c.Clients); r < 1.3 || r > 1.8 {
			t.Errorf("%.2f enrollments per client, want about 1.5", r)
		}
		projects := map[string]hmis.Project{}
		for _, p := range all[hmis.Project](t, s) {
			projects[p.ProjectID] = p
		}
		funders := map[string][]hmis.Funder{}
		for _, f := range all[hmis.Funder](t, s) {
			funders[f.ProjectID] = append(funders[f.ProjectID], f)
		}
		users := map[string]bool{}
		for _, u := range all[hmis.User](t, s) {
			users[u.UserID] = true
		}
		exits := map[string]hmis.Exit{}
		for _, x := range all[hmis.Exit](t, s) {
			exits[x.EnrollmentID] = x
		}
		heads := map[string]int{}
		enrollments := all[hmis.Enrollment](t, s)
		for _, e := range enrollments {
			if *e.RelationshipToHoH == 1 {
				heads[e.HouseholdID]++
			} else if _, ok := heads[e.HouseholdID]; !ok {
				heads[e.HouseholdID] = 0
			}
			p := projects[e.ProjectID]
			if e.EntryDate.Before(p.OperatingStartDate) || !e.EntryDate.Before(today) {
				t.Errorf("enrollment %s enters %s, outside %s's operation", e.EnrollmentID, e.EntryDate, p.ProjectName)
			}
			funded := false
			for _, f := range funders[e.ProjectID] {
				funded = funded || !e.EntryDate.Before(f.StartDate) && (f.EndDate.IsZero() || !e.EntryDate.After(f.EndDate))
			}
			if !funded {
				t.Errorf("enrollment %s enters %s, when %s has no grant", e.EnrollmentID, e.EntryDate, p.ProjectName)
			}
			if e.EnrollmentCoC != demo.DefaultCoC || !users[e.UserID] || e.DateCreated.IsZero() {
				t.Errorf("enrollment %s: CoC %q, user %q, created %v", e.EnrollmentID, e.EnrollmentCoC, e.UserID, e.DateCreated)
			}
			if x, ok := exits[e.EnrollmentID]; ok {
				if x.ExitDate.Before(e.EntryDate) || !x.ExitDate.Before(today.AddDays(1)) {
					t.Errorf("enrollment %s: exit %s, entry %s", e.EnrollmentID, x.ExitDate, e.EntryDate)
				}
				if !x.Destination.Valid() || *x.Destination == 435 && x.DestinationSubsidyType == nil {
					t.Errorf("exit %s: destination %v", x.ExitID, *x.Destination)
				}
			}
			if !e.MoveInDate.IsZero() && e.MoveInDate.Before(e.EntryDate) {
				t.Errorf("enrollment %s moves in before entry", e.EnrollmentID)
			}
		}
		for hh, n := range heads {
			if n != 1 {
				t.Errorf("household %s has %d heads", hh, n)
			}
		}
		// A household enrolls together; a client's stays do not overlap.
		type hhStay struct {
			project string
			entry   hmis.Date
		}
		stays := map[string]hhStay{}
		byClient := map[string][]hmis.Enrollment{}
		for _, e := range enrollments {
			if s, ok := stays[e.HouseholdID]; ok && (s.project != e.ProjectID || !s.entry.Equal(e.EntryDate)) {
				t.Errorf("household %s: members enter %s on %s and %s on %s", e.HouseholdID, s.project, s.entry, e.ProjectID, e.EntryDate)
			}
			stays[e.HouseholdID] = hhStay{e.ProjectID, e.EntryDate}
			byClient[e.PersonalID] = append(byClient[e.PersonalID], e)
		}
		for id, es := range byClient {
			for i := 1; i < len(es); i++ { // identifiers sort in creation order, which is time order
				x, ok := exits[es[i-1].EnrollmentID]
				if !ok || es[i].EntryDate.Before(x.ExitDate) {
					t.Errorf("client %s: stay from %s overlaps the next, from %s", id, es[i-1].EntryDate, es[i].EntryDate)
				}
			}
		}
		if len(exits) < len(enrollments)/2 {
			t.Errorf("%d exits for %d enrollments", len(exits), len(enrollments))
		}
		for _, n := range []int{c.Exits, c.Services, c.IncomeBenefits, c.HealthAndDV, c.Disabilities, c.CurrentLivingSituations, c.Assessments, c.Events} {
			if n == 0 {
				t.Errorf("a kind of record is missing: %s", c)
				break
			}
		}
		for _, cl := range all[hmis.Client](t, s) {
			if dq := *cl.DOBDataQuality; (dq == 8 || dq == 9 || dq == 99) != cl.DOB.IsZero() {
				t.Errorf("client %s: DOB %s with quality %d", cl.PersonalID, cl.DOB, dq)
			}
			if cl.SSN != "" && (len(cl.SSN) != 9 || strings.HasPrefix(cl.SSN, "9") || strings.HasPrefix(cl.SSN, "000")) {
				t.Errorf("client %s: SSN %q", cl.PersonalID, cl.SSN)
			}
		}
	})
}

func TestPopulate_Twice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		first := populate(t, s, 120, 42)
		second := populate(t, s, 120, 42)
		if second.Counts.Projects != 0 || second.Counts.Users != 0 {
			t.Errorf("second run created the CoC again: %s", second.Counts)
		}
		if first.LeadOrganizationID != second.LeadOrganizationID {
			t.Errorf("lead organization %q, then %q", first.LeadOrganizationID, second.LeadOrganizationID)
		}
		if n := len(all[hmis.Client](t, s)); n != 240 {
			t.Errorf("%d clients after two runs, want 240", n)
		}
	})
}

func TestCounts_String(t *testing.T) {
	got := demo.Counts{Clients: 1200, Households: 840, Enrollments: 1810, Users: 1}.String()
	if want := "1,200 clients, 840 households, 1,810 enrollments, 1 user"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestPopulate_Housing: the ES entry/exit shelters get beds that mirror
// their entered inventory (the computed inventory has the same beds) and
// their enrolled clients are in beds.
func TestPopulate_Housing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		populate(t, s, 0, 1)
		before := map[string]int{}
		for _, iv := range all[hmis.Inventory](t, s) {
			before[iv.ProjectID] += *iv.BedInventory
		}
		populate(t, s, 400, 2)
		board, err := s.BedBoard(ctx, store.BoardFilter{})
		if err != nil || len(board) == 0 {
			t.Fatalf("board %v %v", board, err)
		}
		occupied := 0
		for _, p := range board {
			occupied += p.Occupied
		}
		if occupied == 0 {
			t.Errorf("nobody in a bed")
		}
		after := map[string]int{}
		computed := map[string]bool{}
		for _, iv := range all[hmis.Inventory](t, s) {
			after[iv.ProjectID] += *iv.BedInventory
			if store.IsComputedInventory(iv.InventoryID) {
				computed[iv.ProjectID] = true
			}
		}
		for _, p := range all[hmis.Project](t, s) {
			if after[p.ProjectID] != before[p.ProjectID] {
				t.Errorf("%s: %d beds before the bed board, %d after", p.ProjectName, before[p.ProjectID], after[p.ProjectID])
			}
			if computed[p.ProjectID] != (*p.ProjectType == 0 && before[p.ProjectID] > 0 && p.ProjectName != "Safe Passage Emergency Shelter") {
				t.Errorf("%s (type %d): computed inventory %v", p.ProjectName, *p.ProjectType, computed[p.ProjectID])
			}
		}
		t.Logf("%d places, %d beds occupied", len(board), occupied)
		// Again: no second set of beds.
		populate(t, s, 10, 3)
		if again, _ := s.BedBoard(ctx, store.BoardFilter{}); len(again) != len(board) {
			t.Errorf("%d places after a second Populate, want %d", len(again), len(board))
		}
	})
}
