package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// seedHousing adds to the live site an ES entry/exit shelter (P2) with
// clients enrolled today (and one not enrolled), clients enrolled in the
// night-by-night shelter P1, and a case manager of another organization.
func seedHousing(t *testing.T, a *testApp) *store.Store {
	t.Helper()
	site, _ := a.reg.Get("live")
	st := site.Store
	ctx := storetest.Context(t)
	no := hud.NoYes(0)
	must(t, store.CreateRecord(ctx, st, &hmis.Organization{OrganizationID: "ORG2", OrganizationName: "Safe Harbor", VictimServiceProvider: &no}))
	must(t, store.CreateRecord(ctx, st, &hmis.Project{ProjectID: "P2", OrganizationID: "ORG1", ProjectName: "River Emergency Shelter",
		OperatingStartDate: hmis.MustDate("2020-01-01"), ProjectType: new(hud.ProjectType(0))}))
	today := hmis.DateOf(time.Now())
	mk := func(id, first, last, project string, entry hmis.Date) {
		c := hmis.Client{PersonalID: id, FirstName: first, LastName: last, DOB: hmis.MustDate("1980-05-06"),
			NameDataQuality: new(hud.NameDataQuality(1)), SSNDataQuality: new(hud.SSNDataQuality(99)),
			DOBDataQuality: new(hud.DOBDataQuality(1)), VeteranStatus: new(hud.NoYesReasonsForMissingData(0))}
		must(t, store.CreateRecord(ctx, st, &c))
		if project != "" {
			e := hmis.Enrollment{EnrollmentID: "E" + id, PersonalID: id, ProjectID: project, EntryDate: entry, HouseholdID: "H" + id,
				RelationshipToHoH: new(hud.RelationshipToHoH(1))}
			must(t, store.CreateRecord(ctx, st, &e))
		}
	}
	mk("es1", "Ada", "Lovelace", "P2", today.AddDays(-3))
	mk("es2", "Grace", "Hopper", "P2", today.AddDays(-2))
	mk("es3", "Alan", "Turing", "P2", today)
	mk("none1", "Nora", "Noenroll", "", hmis.Date{})
	mk("nb1", "Mary", "Seacole", "P1", today.AddDays(-10))
	mk("nb2", "Florence", "Nightingale", "P1", today.AddDays(-10))
	mk("nb3", "Clara", "Barton", "P1", today) // entered today: not on last night's roster
	must(t, storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG1', restriction = 'organization'`))
	mustCreateAccount(t, st, "casey", hmis.RoleCaseManager)
	other := mustCreateAccount(t, st, "other", hmis.RoleCaseManager)
	must(t, storetest.Exec(st, `UPDATE accounts SET organization_id = 'ORG2' WHERE id = ?`, other.ID))
	return st
}

// setupBeds adds Main Street Shelter, Dorm A, n beds of P2 through the
// Inventory page, as the admin.
func setupBeds(t *testing.T, b *browser, n int) {
	t.Helper()
	res := b.post("/live/housing/inventory/places", url.Values{"name": {"Main Street Shelter"}})
	if res.Status != 303 {
		t.Fatalf("add place: %d\n%s", res.Status, res.Body)
	}
	page := b.get("/live/housing/inventory")
	placeID := optionValue(t, page.Body, "place_id", "Main Street Shelter")
	res = b.post("/live/housing/inventory/rooms", url.Values{"place_id": {placeID}, "room_name": {"Dorm A"}})
	if res.Status != 303 {
		t.Fatalf("add room: %d\n%s", res.Status, res.Body)
	}
	page = b.get("/live/housing/inventory")
	roomID := optionValue(t, page.Body, "room_id", "Main Street Shelter — Dorm A")
	res = b.post("/live/housing/inventory/beds", url.Values{"room_id": {roomID}, "project_id": {"P2"}, "coc_code": {"CA-510"},
		"label": {"Bed"}, "count": {strconv.Itoa(n)}, "household_type": {"1"}, "bed_type": {"1"}, "availability": {"1"},
		"start_date": {"01/01/2024"}})
	if res.Status != 303 {
		t.Fatalf("add beds: %d\n%s", res.Status, res.Body)
	}
}

// optionValue finds the value of the option labelled label in select name.
func optionValue(t *testing.T, body, name, label string) string {
	t.Helper()
	i := strings.Index(body, `name="`+name+`"`)
	if i < 0 {
		t.Fatalf("no select %s", name)
	}
	re := regexp.MustCompile(`<option value="([^"]*)"[^>]*>` + regexp.QuoteMeta(label) + `</option>`)
	m := re.FindStringSubmatch(body[i:])
	if m == nil {
		t.Fatalf("no option %q in %s", label, name)
	}
	return m[1]
}

func TestHousing_InventoryAndBoard(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedHousing(t, a)
	admin := a.browser(t)
	admin.signIn("live", "admin")

	// Bad input keeps what was typed and names the field.
	res := admin.post("/live/housing/inventory/places", url.Values{"name": {"  "}})
	if res.Status != 422 {
		t.Fatalf("empty place: %d", res.Status)
	}
	wantContains(t, "empty place", res.Body, "Give the place a name.")
	setupBeds(t, admin, 3)
	res = admin.post("/live/housing/inventory/beds", url.Values{"room_id": {"nope"}, "project_id": {"P2"}, "label": {"Cot"},
		"household_type": {"1"}, "bed_type": {"1"}, "availability": {"1"}, "start_date": {"13/45/2024"}, "ch": {"1"}, "vet": {"1"}, "youth": {"1"}})
	if res.Status != 422 {
		t.Fatalf("bad bed: %d", res.Status)
	}
	wantContains(t, "bad bed", res.Body, "Enter a real date as MM/DD/YYYY.", `value="Cot"`)
	res = admin.post("/live/housing/inventory/beds", url.Values{"room_id": {"nope"}, "project_id": {"P2"}, "label": {"Cot"},
		"household_type": {"1"}, "bed_type": {"1"}, "availability": {"1"}, "start_date": {"01/01/2024"}, "ch": {"1"}, "vet": {"1"}, "youth": {"1"}})
	wantContains(t, "bad bed 2", res.Body, "Choose a room.", "never all three")

	page := admin.get("/live/housing/inventory")
	wantContains(t, "inventory", page.Body, "Main Street Shelter", "Bed 1", "Bed 3", "HUD inventory computed from the beds",
		"River Emergency Shelter (ES - Entry/Exit)")
	invs, err := store.FindRecords[hmis.Inventory](storetest.Context(t), st, store.RecordFilter{ProjectID: "P2"})
	if err != nil || len(invs) != 1 || *invs[0].BedInventory != 3 || *invs[0].UnitInventory != 3 {
		t.Fatalf("computed inventory %+v %v", invs, err)
	}

	// Change a bed: dedicated to veterans; the computed record follows.
	edit := regexp.MustCompile(`href="(/live/housing/inventory\?bed=[^"#]+)#bed-form"`).FindStringSubmatch(page.Body)
	if edit == nil {
		t.Fatal("no Change link")
	}
	form := admin.get(strings.ReplaceAll(edit[1], "&amp;", "&"))
	wantContains(t, "edit form", form.Body, "Change a bed", `name="id"`, `value="Bed 1"`)
	id := regexp.MustCompile(`name="id" value="([^"]+)"`).FindStringSubmatch(form.Body)[1]
	roomID := optionValue(t, form.Body, "room_id", "Main Street Shelter — Dorm A")
	bed := url.Values{"id": {id}, "room_id": {roomID}, "project_id": {"P2"}, "coc_code": {"CA-510"}, "label": {"Bed 1"},
		"household_type": {"1"}, "bed_type": {"1"}, "availability": {"1"}, "vet": {"1"}, "start_date": {"01/01/2024"}, "end_date": {"12/31/2023"}}
	res = admin.post("/live/housing/inventory/beds", bed)
	wantContains(t, "end before start", res.Body, "The end date must be after the start date.", `value="12/31/2023"`)
	bed.Del("end_date")
	if res := admin.post("/live/housing/inventory/beds", bed); res.Status != 303 {
		t.Fatalf("change bed: %d\n%s", res.Status, res.Body)
	}
	invs, _ = store.FindRecords[hmis.Inventory](storetest.Context(t), st, store.RecordFilter{ProjectID: "P2"})
	if len(invs) != 1 || *invs[0].VetBedInventory != 1 || *invs[0].OtherBedInventory != 2 {
		t.Errorf("after the change: %+v", invs)
	}

	// The case manager: no Inventory, but the board.
	cm := a.browser(t)
	cm.signIn("live", "casey")
	if res := cm.get("/live/housing/inventory"); res.Status != 404 {
		t.Errorf("case manager opens Inventory: %d", res.Status)
	}
	board := cm.get("/live/housing/beds")
	wantContains(t, "board", board.Body, "3 beds</strong>: 0 occupied, 0 held, <strong>3 free")
	wantNotContains(t, "housing menu", board.Body, "Not built yet")

	// Check-in: search, choose, check in.
	res = cm.get("/live/housing/checkin?" + url.Values{"q": {"Lovelace"}}.Encode())
	wantContains(t, "search", res.Body, "Lovelace, Ada", "/live/housing/checkin?client=es1", `href="/live/clients/new?q=Lovelace"`)
	form = cm.get("/live/housing/checkin?client=es1")
	bed1 := optionValue(t, form.Body, "bed_id", "Bed 1, Dorm A, Main Street Shelter (River Emergency Shelter)")
	res = cm.post("/live/housing/checkin", url.Values{"client": {"es1"}, "bed_id": {bed1}})
	if res.Status != 303 || res.Header.Get("Location") != "/live/housing/beds?done=in" {
		t.Fatalf("check-in: %d %s\n%s", res.Status, res.Header.Get("Location"), res.Body)
	}
	board = cm.get("/live/housing/beds")
	wantContains(t, "board after check-in", board.Body, "1 occupied", "Lovelace, Ada", "since today")
	// The bed was just taken.
	res = cm.post("/live/housing/checkin", url.Values{"client": {"es2"}, "bed_id": {bed1}})
	if res.Status != 409 {
		t.Fatalf("taken bed: %d", res.Status)
	}
	wantContains(t, "taken bed", res.Body, "Bed 1 was just taken by another check-in")
	// Not enrolled: the intake workflow is offered.
	none := cm.get("/live/housing/checkin?client=none1")
	bed2 := optionValue(t, none.Body, "bed_id", "Bed 2, Dorm A, Main Street Shelter (River Emergency Shelter)")
	res = cm.post("/live/housing/checkin", url.Values{"client": {"none1"}, "bed_id": {bed2}})
	if res.Status != 422 {
		t.Fatalf("not enrolled: %d", res.Status)
	}
	wantContains(t, "not enrolled", res.Body, "has no open enrollment in River Emergency Shelter",
		`href="/live/workflows/start?client=none1&amp;project=P2&amp;stage=intake"`)

	// Another organization's case manager sees the bed occupied, not who.
	other := a.browser(t)
	other.signIn("live", "other")
	ob := other.get("/live/housing/beds")
	wantContains(t, "other's board", ob.Body, "1 occupied", "Occupied")
	wantNotContains(t, "other's board", ob.Body, "Lovelace", "es1")
	if res := other.get("/live/housing/checkin?client=es1"); res.Status != 404 {
		t.Errorf("other opens es1's check-in: %d", res.Status)
	}

	// Filters.
	if f := cm.get("/live/housing/beds?household=3"); !strings.Contains(f.Body, "No bed matches these filters.") {
		t.Errorf("household filter shows beds")
	}

	// Check-out: before the check-in is refused; then out, with the exit workflow.
	out := cm.get("/live/housing/checkin?client=es1")
	stay := regexp.MustCompile(`name="stay" value="([^"]+)"`).FindStringSubmatch(out.Body)
	if stay == nil {
		t.Fatalf("no stay on the check-out form:\n%s", out.Body)
	}
	res = cm.post("/live/housing/checkin/out", url.Values{"client": {"es1"}, "stay": {stay[1]},
		"checked_out_at": {time.Now().Add(-48 * time.Hour).Format(datetimeLocal)}})
	if res.Status != 422 {
		t.Fatalf("check-out before check-in: %d", res.Status)
	}
	wantContains(t, "check-out before check-in", res.Body, "A check-out cannot be before the check-in")
	res = cm.post("/live/housing/checkin/out", url.Values{"client": {"es1"}, "stay": {stay[1]}})
	if res.Status != 303 {
		t.Fatalf("check-out: %d\n%s", res.Status, res.Body)
	}
	done := cm.get(res.Header.Get("Location"))
	wantContains(t, "checked out", done.Body, "The client was checked out.",
		`href="/live/workflows/start?enrollment=Ees1&amp;stage=exit"`)
}

func TestHousing_RosterAndUtilization(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedHousing(t, a)
	cm := a.browser(t)
	cm.signIn("live", "casey")
	last := usDate(hmis.DateOf(time.Now()).AddDays(-1))
	page := cm.get("/live/housing/roster?" + url.Values{"program": {"P1"}, "night": {last}}.Encode())
	wantContains(t, "roster", page.Body, "Seacole, Mary", "Nightingale, Florence", "2 clients")
	wantNotContains(t, "roster", page.Body, "Barton")
	res := cm.post("/live/housing/roster", url.Values{"program": {"P1"}, "night": {last}, "row": {"Enb1", "Enb2"}, "present": {"Enb1", "Enb2"}})
	if res.Status != 303 {
		t.Fatalf("save: %d\n%s", res.Status, res.Body)
	}
	done := cm.get(res.Header.Get("Location"))
	wantContains(t, "saved", done.Body, "Saved: 2 bed nights recorded, 0 removed.", `value="Enb1" checked`)
	svcs, _ := store.FindRecords[hmis.Service](storetest.Context(t), st, store.RecordFilter{EnrollmentID: "Enb1"})
	if len(svcs) != 1 || *svcs[0].RecordType != hud.RecordTypeBedNight || *svcs[0].TypeProvided != 200 {
		t.Fatalf("services %+v", svcs)
	}
	// A row outside its enrollment (nb3 entered today) refuses the save,
	// the message on that client's row.
	res = cm.post("/live/housing/roster", url.Values{"program": {"P1"}, "night": {last}, "row": {"Enb1", "Enb3"}, "present": {"Enb1", "Enb3"}})
	if res.Status != 422 {
		t.Fatalf("outside: %d", res.Status)
	}
	wantContains(t, "outside", res.Body, "1 row is outside the enrollment", "Barton, Clara", "is outside this enrollment (entry ")

	// Utilization: capacity from P1's entered inventory (2 beds), two bed
	// nights last night: 100%.
	inv := hmis.Inventory{InventoryID: "I1", ProjectID: "P1", CoCCode: "CA-510", HouseholdType: new(hud.HouseholdType(1)),
		UnitInventory: new(2), BedInventory: new(2), InventoryStartDate: hmis.MustDate("2020-01-01")}
	must(t, store.CreateRecord(storetest.Context(t), st, &inv))
	u := cm.get("/live/housing/utilization?" + url.Values{"from": {usDate(hmis.DateOf(time.Now()).AddDays(-2))}, "to": {last}}.Encode())
	wantContains(t, "utilization", u.Body, "Hope Emergency Shelter (ES - NBN)", "<svg", `role="img"`, "Average utilization <strong>50.0%",
		"Check: under 65%", "<td>2</td><td>2</td><td>100.0%</td>")
	bad := cm.get("/live/housing/utilization?from=13/01/2026")
	if bad.Status != 422 || !strings.Contains(bad.Body, "Enter the first night as MM/DD/YYYY.") {
		t.Errorf("bad period: %d", bad.Status)
	}
}

func TestHousing_MoveAndHold(t *testing.T) {
	a := newTestApp(t, nil)
	seedHousing(t, a)
	admin := a.browser(t)
	admin.signIn("live", "admin")
	setupBeds(t, admin, 3)
	cm := a.browser(t)
	cm.signIn("live", "casey")
	form := cm.get("/live/housing/checkin?client=es1")
	bedID := func(n string) string {
		return optionValue(t, form.Body, "bed_id", "Bed "+n+", Dorm A, Main Street Shelter (River Emergency Shelter)")
	}
	bed1, bed2, bed3 := bedID("1"), bedID("2"), bedID("3")
	if res := cm.post("/live/housing/checkin", url.Values{"client": {"es1"}, "bed_id": {bed1}}); res.Status != 303 {
		t.Fatalf("check-in: %d", res.Status)
	}
	page := cm.get("/live/housing/checkin?client=es1")
	wantContains(t, "in a bed", page.Body, "In <strong>Bed 1, Dorm A, Main Street Shelter (River Emergency Shelter)</strong> since")
	stay := regexp.MustCompile(`name="stay" value="([^"]+)"`).FindStringSubmatch(page.Body)[1]
	if res := cm.post("/live/housing/checkin/move", url.Values{"client": {"es1"}, "stay": {stay}}); res.Status != 422 ||
		!strings.Contains(res.Body, "Choose the bed to move to.") {
		t.Errorf("move without a bed: %d", res.Status)
	}
	res := cm.post("/live/housing/checkin/move", url.Values{"client": {"es1"}, "stay": {stay}, "move_bed": {bed2}})
	if res.Status != 303 {
		t.Fatalf("move: %d\n%s", res.Status, res.Body)
	}
	wantContains(t, "moved", cm.get(res.Header.Get("Location")).Body, "The client was moved.", "In <strong>Bed 2,")

	// A hold for Grace keeps bed 3 from Alan until it is released.
	if res := cm.post("/live/housing/checkin/hold", url.Values{"client": {"es2"}, "hold_bed": {bed3}, "expires": {"soon"}}); res.Status != 422 ||
		!strings.Contains(res.Body, "Enter the date and time the hold ends.") {
		t.Errorf("hold without a time: %d", res.Status)
	}
	res = cm.post("/live/housing/checkin/hold", url.Values{"client": {"es2"}, "hold_bed": {bed3},
		"expires": {time.Now().Add(3 * time.Hour).Format(datetimeLocal)}})
	if res.Status != 303 {
		t.Fatalf("hold: %d\n%s", res.Status, res.Body)
	}
	board := cm.get("/live/housing/beds")
	wantContains(t, "held", board.Body, "1 occupied, 1 held, <strong>1 free", "Held</span> for <a", "Hopper, Grace", "Release hold")
	res = cm.post("/live/housing/checkin", url.Values{"client": {"es3"}, "bed_id": {bed3}})
	if res.Status != 409 || !strings.Contains(res.Body, "Bed 3 is held for another client until") {
		t.Errorf("check-in to a held bed: %d", res.Status)
	}
	hold := regexp.MustCompile(`name="hold" value="([^"]+)"`).FindStringSubmatch(board.Body)
	if hold == nil {
		t.Fatal("no release form")
	}
	if res := cm.post("/live/housing/checkin/release", url.Values{"hold": {hold[1]}}); res.Status != 303 {
		t.Fatalf("release: %d", res.Status)
	}
	wantContains(t, "released", cm.get("/live/housing/beds?done=release").Body, "The hold was released.", "1 occupied, 0 held, <strong>2 free")
}

// TestHousing_SignedOut: every Housing page sends a visitor to sign in,
// and every form refuses.
func TestHousing_SignedOut(t *testing.T) {
	a := newTestApp(t, nil)
	b := a.browser(t)
	for _, p := range []string{boardPath, checkinPath, rosterPath, utilizationPath, inventoryPath} {
		if res := b.get("/live/" + p); res.Status != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/live/login") {
			t.Errorf("GET %s signed out: %d %s", p, res.Status, res.Header.Get("Location"))
		}
	}
	for _, p := range []string{checkinPath, checkinPath + "/out", checkinPath + "/move", checkinPath + "/hold", checkinPath + "/release",
		rosterPath, inventoryPath + "/places", inventoryPath + "/rooms", inventoryPath + "/beds"} {
		if res := b.post("/live/"+p, url.Values{}); res.Status != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/live/login") {
			t.Errorf("POST %s signed out: %d %s", p, res.Status, res.Header.Get("Location"))
		}
	}
}

// TestHousing_ServedClient: es2 is ORG2's client (restricted to ORG2),
// enrolled in ORG1's River Emergency Shelter: ORG1's case manager checks
// them in, sees them on the board and checks them out; a case manager of
// an unrelated organization (ORG3) gets "not found".
func TestHousing_ServedClient(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedHousing(t, a)
	ctx := storetest.Context(t)
	no := hud.NoYes(0)
	must(t, store.CreateRecord(ctx, st, &hmis.Organization{OrganizationID: "ORG3", OrganizationName: "Third Door", VictimServiceProvider: &no}))
	must(t, storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG2' WHERE personal_id = 'es2'`))
	stranger := mustCreateAccount(t, st, "stranger", hmis.RoleCaseManager)
	must(t, storetest.Exec(st, `UPDATE accounts SET organization_id = 'ORG3' WHERE id = ?`, stranger.ID))
	admin := a.browser(t)
	admin.signIn("live", "admin")
	setupBeds(t, admin, 2)
	cm := a.browser(t)
	cm.signIn("live", "casey")
	form := cm.get("/live/housing/checkin?client=es2")
	if form.Status != http.StatusOK {
		t.Fatalf("check-in page of the served client: %d", form.Status)
	}
	bed1 := optionValue(t, form.Body, "bed_id", "Bed 1, Dorm A, Main Street Shelter (River Emergency Shelter)")
	s := a.browser(t)
	s.signIn("live", "stranger")
	if res := s.get("/live/housing/checkin?client=es2"); res.Status != http.StatusNotFound {
		t.Errorf("unrelated organization's check-in page: %d", res.Status)
	}
	if res := s.post("/live/housing/checkin", url.Values{"client": {"es2"}, "bed_id": {bed1}}); res.Status != http.StatusNotFound {
		t.Errorf("unrelated organization checks in: %d", res.Status)
	}
	if res := cm.post("/live/housing/checkin", url.Values{"client": {"es2"}, "bed_id": {bed1}}); res.Status != http.StatusSeeOther {
		t.Fatalf("check-in of the served client: %d %s", res.Status, res.Body)
	}
	page := cm.get("/live/housing/checkin?client=es2")
	wantContains(t, "in a bed", page.Body, "In <strong>Bed 1, Dorm A, Main Street Shelter (River Emergency Shelter)</strong> since")
	wantContains(t, "board", cm.get("/live/housing/beds").Body, "Hopper, Grace")
	stay := regexp.MustCompile(`name="stay" value="([^"]+)"`).FindStringSubmatch(page.Body)[1]
	if res := s.post("/live/housing/checkin/out", url.Values{"client": {"es2"}, "stay": {stay}}); res.Status != http.StatusNotFound {
		t.Errorf("unrelated organization checks out: %d", res.Status)
	}
	if res := cm.post("/live/housing/checkin/out", url.Values{"client": {"es2"}, "stay": {stay}}); res.Status != http.StatusSeeOther {
		t.Fatalf("check-out of the served client: %d %s", res.Status, res.Body)
	}
}
