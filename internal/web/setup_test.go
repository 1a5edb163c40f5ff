package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// TestSetup_Pages: an administrator adds an organization and a program
// with a grant, a CoC, inventory and a catalog service through the forms;
// bad input is refused on the field with what was typed kept; a case
// manager neither sees the menu nor reaches the pages.
func TestSetup_Pages(t *testing.T) {
	app := newTestApp(t, nil)
	site, _ := app.reg.Get("live")
	st := site.Store
	mustCreateAccount(t, st, "casey", hmis.RoleCaseManager)
	b := app.browser(t)
	b.signIn("live", "admin")

	home := b.get("/live/")
	wantContains(t, "home menu", home.Body, `href="/live/setup/programs"`, `href="/live/setup/organizations"`)

	// Organization: missing VSP flag.
	res := b.post("/live/setup/organizations/new", url.Values{"organization_name": {"Harbor House"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad organization: %d", res.Status)
	}
	wantContains(t, "bad organization", res.Body, `id="victim_service_provider-error"`, `value="Harbor House"`)
	res = b.post("/live/setup/organizations/new", url.Values{"organization_name": {"Harbor House"}, "victim_service_provider": {"1"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("organization: %d %s", res.Status, res.Body)
	}
	list := b.get("/live/setup/organizations")
	wantContains(t, "organizations", list.Body, "Harbor House", "Hope Shelter")

	// Program: RRH subtype on a non-RRH program, end before start.
	form := url.Values{"organization_id": {"ORG1"}, "project_name": {"Harbor Night Shelter"}, "operating_start_date": {"01/01/2024"},
		"operating_end_date": {"12/31/2023"}, "continuum_project": {"1"}, "project_type": {"1"}, "rrh_sub_type": {"2"}, "housing_type": {"1"}}
	res = b.post("/live/setup/programs/new", form)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad program: %d", res.Status)
	}
	wantContains(t, "bad program", res.Body, `id="rrh_sub_type-error"`, `id="operating_end_date-error"`, `value="Harbor Night Shelter"`)
	form.Del("rrh_sub_type")
	form.Set("operating_end_date", "")
	res = b.post("/live/setup/programs/new", form)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("program: %d %s", res.Status, res.Body)
	}
	progHref := strings.TrimSuffix(res.Header.Get("Location"), "?saved=1")
	page := b.get(progHref)
	wantContains(t, "program page", page.Body, "Harbor Night Shelter", "Emergency Shelter - Night-by-Night", "No grants yet.")

	// Grant, CoC, inventory, catalog service.
	for _, step := range []struct {
		kind string
		form url.Values
	}{
		{"grants", url.Values{"funder": {"8"}, "grant_id": {"ESG-2024"}, "start_date": {"10/01/2024"}}},
		{"cocs", url.Values{"coc_code": {"OR-500"}, "geocode": {"419012"}, "state": {"OR"}, "zip": {"97401"}}},
		{"inventory", url.Values{"coc_code": {"OR-500"}, "household_type": {"1"}, "availability": {"1"}, "es_bed_type": {"1"},
			"unit_inventory": {"30"}, "bed_inventory": {"30"}, "other_beds": {"30"}, "start_date": {"10/01/2024"}}},
		{"services", url.Values{"name": {"Bed night"}, "hud_type": {"200:200"}, "unit": {"night"}, "default_units": {"1"}, "active": {"1"}}},
		{"services", url.Values{"name": {"Hot meal"}, "hud_type": {""}, "unit": {"meal"}, "default_units": {"1"}, "default_amount": {"3.50"}, "active": {"1"}}},
	} {
		res := b.post(progHref+"/"+step.kind+"/new", step.form)
		if res.Status != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", step.kind, res.Status, res.Body)
		}
	}
	// A new service starts at one unit, offered, under the catalog's intro;
	// other kinds have neither.
	res = b.get(progHref + "/services/new")
	wantContains(t, "new service form", res.Body, "is exported to HUD", `id="default_units" name="default_units" type="text" value="1"`,
		`id="active" type="checkbox" name="active" value="1" checked`)
	if res = b.get(progHref + "/grants/new"); strings.Contains(res.Body, "is exported to HUD") {
		t.Error("new grant form shows the service catalog's intro")
	}
	// HUD types that need a detail: the sub-type must belong to the type chosen.
	res = b.post(progHref+"/services/new", url.Values{"name": {"VA benefits"}, "hud_type": {"144:3"}, "sub_type": {"4:1"},
		"default_units": {"1"}, "active": {"1"}})
	wantContains(t, "sub-type of another type", res.Body, `id="sub_type-error"`, `value="VA benefits"`)
	res = b.post(progHref+"/services/new", url.Values{"name": {"Other SSVF"}, "hud_type": {"144:6"}, "default_units": {"1"}})
	wantContains(t, "other without description", res.Body, `id="other_type-error"`)
	if res := b.post(progHref+"/services/new", url.Values{"name": {"VA benefits"}, "hud_type": {"144:3"}, "sub_type": {"3:2"},
		"default_units": {"1"}, "active": {"1"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("SSVF service with a sub-type: %d %s", res.Status, res.Body)
	}
	page = b.get(progHref)
	wantContains(t, "program page", page.Body, "ESG-2024", "OR-500", "Bed Night: ", "Hot meal", "$3.50")

	// Edit: the grant's form holds its values; the change is saved and audited.
	var grantHref string
	for _, l := range links(page.Body, `id="grants"`, "</section>") {
		if strings.Contains(l, "/grants/") && !strings.HasSuffix(l, "/new") {
			grantHref = l
		}
	}
	if grantHref == "" {
		t.Fatal("no grant edit link")
	}
	wantContains(t, "grant form", b.get(grantHref).Body, `value="ESG-2024"`, `value="10/01/2024"`)
	end := usDate(hmis.DateOf(time.Now()).AddDate(1, 0, 0)) // still in force: the program stays in the Clients menu
	if res := b.post(grantHref, url.Values{"funder": {"8"}, "grant_id": {"ESG-2025"}, "start_date": {"10/01/2024"},
		"end_date": {end}}); res.Status != http.StatusSeeOther {
		t.Fatalf("edit grant: %d %s", res.Status, res.Body)
	}
	page = b.get(progHref)
	wantContains(t, "after the edit", page.Body, "ESG-2025", "10/01/2024 – "+end)
	wantNotContains(t, "after the edit", page.Body, "ESG-2024")
	audit, err := st.FindAudit(storetest.Context(t), store.AuditFilter{Entity: "funder", Action: "update"})
	if err != nil || len(audit) != 1 || !strings.Contains(audit[0].Detail, "GrantID") {
		t.Errorf("grant edit audit: %+v %v", audit, err)
	}
	// The organization's form, edited.
	orgs := b.get("/live/setup/organizations")
	var orgHref string
	for _, l := range links(orgs.Body, "hearth-setup-orgs", "</table>") {
		if strings.HasSuffix(l, "/ORG1") {
			orgHref = l
		}
	}
	wantContains(t, "organization form", b.get(orgHref).Body, `value="Hope Shelter"`)
	if res := b.post(orgHref, url.Values{"organization_name": {"Hope Shelter Inc."}, "victim_service_provider": {"0"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("edit organization: %d", res.Status)
	}
	wantContains(t, "organizations", b.get("/live/setup/organizations").Body, "Hope Shelter Inc.")

	// Bad inventory (beds not adding up) and a bad grant keep what was typed.
	res = b.post(progHref+"/inventory/new", url.Values{"coc_code": {"OR-500"}, "household_type": {"1"}, "availability": {"1"},
		"es_bed_type": {"1"}, "unit_inventory": {"5"}, "bed_inventory": {"12"}, "other_beds": {"10"}, "start_date": {"10/01/2024"}})
	wantContains(t, "bad inventory", res.Body, `id="bed_inventory-error"`, `value="12"`)
	res = b.post(progHref+"/grants/new", url.Values{"funder": {"8"}, "grant_id": {"X"}, "start_date": {"13/45/2024"}})
	wantContains(t, "bad grant", res.Body, `id="start_date-error"`, `value="13/45/2024"`)

	// The saved program's grant puts it in the Clients tab's ESG group.
	clients := b.get("/live/clients/find")
	wantContains(t, "clients menu", clients.Body, "Harbor Night Shelter")

	// Case managers: no menu, not found.
	cm := app.browser(t)
	cm.signIn("live", "casey")
	wantNotContains(t, "case manager home", cm.get("/live/").Body, `href="/live/setup/programs"`, ">Setup<")
	for _, p := range []string{"/live/setup/programs", "/live/setup/organizations", progHref, progHref + "/services/new"} {
		if res := cm.get(p); res.Status != http.StatusNotFound {
			t.Errorf("case manager GET %s: %d", p, res.Status)
		}
	}
	if res := cm.post(progHref+"/services/new", url.Values{"name": {"X"}, "default_units": {"1"}}); res.Status != http.StatusNotFound {
		t.Errorf("case manager POST service: %d", res.Status)
	}
	cat, err := st.ProgramCatalog(storetest.Context(t), strings.TrimPrefix(progHref, "/live/setup/programs/"))
	if err != nil || len(cat) != 3 || cat[2].SubType == nil || *cat[2].SubType != 2 {
		t.Errorf("catalog %+v %v", cat, err)
	}
}
