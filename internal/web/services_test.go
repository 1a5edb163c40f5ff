package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// seedCatalog adds a bed night and a meal to P1's catalog.
func seedCatalog(t *testing.T, st *store.Store) (bedNight, meal string) {
	t.Helper()
	ctx := storetest.Context(t)
	b := store.CatalogEntry{ProjectID: "P1", Name: "Bed night", RecordType: new(hud.RecordType(200)), TypeProvided: new(200),
		Unit: "night", DefaultUnits: 1, Active: true}
	m := store.CatalogEntry{ProjectID: "P1", Name: "Hot meal", Unit: "meal", DefaultUnits: 1, DefaultAmount: new(hmis.Money(350)), Active: true}
	must(t, st.SaveCatalogEntry(ctx, &b))
	must(t, st.SaveCatalogEntry(ctx, &m))
	return b.ID, m.ID
}

func TestServices_Pages(t *testing.T) {
	app := newTestApp(t, nil)
	st := seedClients(t, app)
	bedNight, meal := seedCatalog(t, st)
	today := usDate(hmis.DateOf(time.Now()))
	b := app.browser(t)
	b.signIn("live", "casey")

	page := b.get("/live/clients/lennon02/services")
	if page.Status != http.StatusOK {
		t.Fatalf("services page: %d", page.Status)
	}
	wantContains(t, "services page", page.Body, "Case Management", "Record a service", `value="E2|`+meal+`"`, `value="E2|`+bedNight+`"`)

	// Bad input: a date after lennon01's exit; kept as typed.
	res := b.post("/live/clients/lennon01/services", url.Values{"service": {"E1|" + meal}, "date_provided": {"03/05/2024"},
		"units": {"2"}, "provider_org": {"ORG1"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("service after exit: %d %s", res.Status, res.Body)
	}
	wantContains(t, "service after exit", res.Body, `id="date_provided-error"`, "after the client", `value="03/05/2024"`, `value="2"`)
	res = b.post("/live/clients/lennon01/services", url.Values{"service": {"E1|" + meal}, "date_provided": {"02/30/2024"}})
	wantContains(t, "impossible date", res.Body, `id="date_provided-error"`)

	// Recorded: the list shows it with the catalog's default amount.
	res = b.post("/live/clients/lennon02/services", url.Values{"service": {"E2|" + meal}, "date_provided": {today},
		"provider_org": {"ORG1"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("record service: %d %s", res.Status, res.Body)
	}
	page = b.get(res.Header.Get("Location"))
	wantContains(t, "after recording", page.Body, "The service was recorded.", "Hot meal", "$3.50", "1 meal", "Hope Shelter")

	// Remove: confirmed first, then gone.
	remove := links(page.Body, "hearth-client-services", "</table>")
	var removeHref string
	for _, l := range remove {
		if strings.Contains(l, "?remove=") {
			removeHref = l
		}
	}
	if removeHref == "" {
		t.Fatalf("no remove link in %v", remove)
	}
	confirm := b.get(removeHref)
	wantContains(t, "confirm", confirm.Body, "Remove the service “Hot meal”", `name="remove"`)
	id := strings.TrimPrefix(removeHref[strings.Index(removeHref, "?remove="):], "?remove=")
	res = b.post("/live/clients/lennon02/services", url.Values{"remove": {id}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.Status)
	}
	wantNotContains(t, "after removal", b.get(res.Header.Get("Location")).Body, "Hot meal</td>")
	if res := b.post("/live/clients/lennon02/services", url.Values{"remove": {id}}); res.Status != http.StatusNotFound {
		t.Errorf("removed twice: %d", res.Status)
	}

	// The menu option opens the client opened last.
	b.get("/live/clients/lennon02")
	wantContains(t, "menu option", b.get("/live/clients/services").Body, "Services: Julia Lennon")

	// The roster: lennon01 exited, lennon02 is enrolled today.
	roster := b.get("/live/clients/roster?program=P1&date=" + url.QueryEscape(today))
	wantContains(t, "roster", roster.Body, `value="E2"`, "Lennon, Julia", `value="`+bedNight+`"`)
	wantNotContains(t, "roster", roster.Body, `value="E1"`)
	res = b.post("/live/clients/roster", url.Values{"program": {"P1"}, "date": {today}, "catalog_id": {bedNight}, "enrollment": {"E2"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("roster: %d %s", res.Status, res.Body)
	}
	wantContains(t, "roster saved", b.get(res.Header.Get("Location")).Body, "1 service was recorded.")
	// Refused as a whole: E1 exited before the date; the checks are kept.
	res = b.post("/live/clients/roster", url.Values{"program": {"P1"}, "date": {today}, "catalog_id": {meal}, "enrollment": {"E1", "E2"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("roster with an exited client: %d", res.Status)
	}
	wantContains(t, "roster refused", res.Body, `id="enrollment-E2" type="checkbox" name="enrollment" value="E2" checked`)
	res = b.post("/live/clients/roster", url.Values{"program": {"P1"}, "date": {today}, "catalog_id": {meal}})
	wantContains(t, "roster with nobody", res.Body, "Choose at least one client.")
	n, err := store.CountRecords[hmis.Service](storetest.Context(t), st, store.RecordFilter{PersonalID: "lennon02"})
	if err != nil || n != 1 {
		t.Errorf("lennon02 has %d HUD services, %v", n, err)
	}

	// Another organization's case manager: not found, nothing on the roster.
	o := app.browser(t)
	o.signIn("live", "other")
	if res := o.get("/live/clients/lennon02/services"); res.Status != http.StatusNotFound {
		t.Errorf("other org's services page: %d", res.Status)
	}
	if res := o.post("/live/clients/lennon02/services", url.Values{"service": {"E2|" + meal}, "date_provided": {today}}); res.Status != http.StatusNotFound {
		t.Errorf("other org records a service: %d", res.Status)
	}
	wantNotContains(t, "other's roster", o.get("/live/clients/roster?program=P1&date="+url.QueryEscape(today)).Body, "Lennon")
	res = o.post("/live/clients/roster", url.Values{"program": {"P1"}, "date": {today}, "catalog_id": {meal}, "enrollment": {"E2"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Errorf("other org's roster save: %d", res.Status)
	}
	if n, _ := store.CountRecords[hmis.Service](storetest.Context(t), st, store.RecordFilter{PersonalID: "lennon02"}); n != 1 {
		t.Errorf("lennon02 has %d HUD services after the other org's try", n)
	}
}

// TestServices_ServedClient: hidden01 is ORG2's client restricted to
// ORG2; enrolled in ORG1's P1 (by an administrator or an import), ORG1's
// case manager opens its Services page, is offered that enrollment only,
// and records a service on it (an organization sees and changes its own
// programs' transactions of the clients it serves).
func TestServices_ServedClient(t *testing.T) {
	app := newTestApp(t, nil)
	st := seedClients(t, app)
	_, meal := seedCatalog(t, st)
	ctx := storetest.Context(t)
	b := app.browser(t)
	b.signIn("live", "casey")
	if res := b.get("/live/clients/hidden01/services"); res.Status != http.StatusNotFound {
		t.Fatalf("not served yet: %d", res.Status)
	}
	must(t, store.CreateRecord(ctx, st, &hmis.Enrollment{EnrollmentID: "E9", PersonalID: "hidden01", ProjectID: "P1",
		EntryDate: hmis.DateOf(time.Now()).AddDays(-3), HouseholdID: "H9", RelationshipToHoH: new(hud.RelationshipToHoH(1))}))
	page := b.get("/live/clients/hidden01/services")
	if page.Status != http.StatusOK {
		t.Fatalf("served client's services: %d", page.Status)
	}
	wantContains(t, "served client's services", page.Body, "Record a service", `value="E9|`+meal+`"`)
	res := b.post("/live/clients/hidden01/services", url.Values{"service": {"E9|" + meal}, "date_provided": {usDate(hmis.DateOf(time.Now()))},
		"provider_org": {"ORG1"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("record on the served enrollment: %d %s", res.Status, res.Body)
	}
	page = b.get(res.Header.Get("Location"))
	wantContains(t, "after recording", page.Body, "The service was recorded.", "Hot meal")
	// ORG2, the owner, sees it too.
	other := app.browser(t)
	other.signIn("live", "other")
	wantContains(t, "owner's view", other.get("/live/clients/hidden01/services").Body, "Hot meal")
	// ORG1 removes its own program's service.
	var removeHref string
	for _, l := range links(page.Body, "hearth-client-services", "</table>") {
		if strings.Contains(l, "?remove=") {
			removeHref = l
		}
	}
	if removeHref == "" {
		t.Fatal("no remove link for the served enrollment's service")
	}
	id := removeHref[strings.Index(removeHref, "?remove=")+len("?remove="):]
	if res := b.post("/live/clients/hidden01/services", url.Values{"remove": {id}}); res.Status != http.StatusSeeOther {
		t.Fatalf("remove the served enrollment's service: %d", res.Status)
	}
	wantNotContains(t, "owner's view after removal", other.get("/live/clients/hidden01/services").Body, "Hot meal</td>")
}

// TestCaseNotes_ServedClient: on a client ORG1 serves (hidden01, ORG2's,
// enrolled in ORG1's P1), ORG1's case manager adds a note tied to that
// enrollment; a note tied to none is refused on the enrollment field with
// what was typed kept; ORG2's note on its own enrollment stays hidden.
func TestCaseNotes_ServedClient(t *testing.T) {
	app := newTestApp(t, nil)
	st := seedClients(t, app)
	ctx := storetest.Context(t)
	must(t, store.CreateRecord(ctx, st, &hmis.Project{ProjectID: "P8", OrganizationID: "ORG2", ProjectName: "Harbor Outreach"}))
	must(t, store.CreateRecord(ctx, st, &hmis.Enrollment{EnrollmentID: "E8", PersonalID: "hidden01", ProjectID: "P8",
		EntryDate: hmis.DateOf(time.Now()).AddDays(-9), HouseholdID: "H8", RelationshipToHoH: new(hud.RelationshipToHoH(1))}))
	must(t, store.CreateRecord(ctx, st, &hmis.Enrollment{EnrollmentID: "E9", PersonalID: "hidden01", ProjectID: "P1",
		EntryDate: hmis.DateOf(time.Now()).AddDays(-3), HouseholdID: "H9", RelationshipToHoH: new(hud.RelationshipToHoH(1))}))
	other := app.browser(t)
	other.signIn("live", "other")
	if res := other.post("/live/clients/hidden01/notes", url.Values{"text": {"Harbor's own note."}, "enrollment_id": {"E8"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("owner's note: %d %s", res.Status, res.Body)
	}
	b := app.browser(t)
	b.signIn("live", "casey")
	page := b.get("/live/clients/hidden01/notes")
	wantContains(t, "served client's notes", page.Body, "Add a note", `<option value="E9"`, "- Select -")
	wantNotContains(t, "served client's notes", page.Body, `<option value="E8"`, "Harbor Outreach", "Harbor&#39;s own note", "Not tied to an enrollment")
	res := b.post("/live/clients/hidden01/notes", url.Values{"text": {"Asked about a bed."}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("note without an enrollment: %d", res.Status)
	}
	wantContains(t, "note without an enrollment", res.Body, `id="enrollment_id-error"`, "Asked about a bed.")
	if res := b.post("/live/clients/hidden01/notes", url.Values{"text": {"Asked about a bed."}, "enrollment_id": {"E8"}}); res.Status == http.StatusSeeOther {
		t.Error("ORG1 added a note on ORG2's enrollment")
	}
	res = b.post("/live/clients/hidden01/notes", url.Values{"text": {"Asked about a bed."}, "enrollment_id": {"E9"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("note on the served enrollment: %d %s", res.Status, res.Body)
	}
	page = b.get(res.Header.Get("Location"))
	wantContains(t, "after the note", page.Body, "Asked about a bed.")
	wantNotContains(t, "after the note", page.Body, "Harbor")
	wantContains(t, "owner's notes", other.get("/live/clients/hidden01/notes").Body, "Asked about a bed.", "Harbor")
}
