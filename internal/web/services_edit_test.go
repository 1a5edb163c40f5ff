package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/config"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// svcEditFormValues returns the edit form's inputs and selected options.
func svcEditFormValues(t *testing.T, body string) url.Values {
	t.Helper()
	i := strings.Index(body, `class="usa-form usa-form--large hearth-service-edit-form"`)
	if i < 0 {
		t.Fatalf("no edit form: %s", body)
	}
	form := body[i:]
	form = form[:strings.Index(form, "</form>")]
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input[^>]* name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(form, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`<input[^>]*id="(edit_[a-z_]+)"[^>]*value="([^"]*)"`).FindAllStringSubmatch(form, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`(?s)<select[^>]* name="(edit_[a-z_]+)".*?</select>`).FindAllStringSubmatch(form, -1) {
		if s := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[0]); s != nil {
			v.Set(m[1], s[1])
		}
	}
	return v
}

// A recorded service is changed from the Services page: prefilled form,
// messages next to the fields, a stale edit refused (409) with what
// changed, and a HUD service gained when it becomes a bed night.
func TestServices_Edit(t *testing.T) {
	eachDialect(t, func(t *testing.T, edit func(*config.Config)) {
		app := newTestApp(t, edit)
		st := seedClients(t, app)
		bedNight, meal := seedCatalog(t, st)
		today := usDate(hmis.DateOf(time.Now()))
		b, b2 := app.browser(t), app.browser(t)
		mustCreateAccount(t, st, "robin", hmis.RoleCaseManager)
		b.signIn("live", "casey")
		b2.signIn("live", "robin")
		res := b.post("/live/clients/lennon02/services", url.Values{"service": {"E2|" + meal}, "date_provided": {today},
			"provider_org": {"ORG1"}, "note": {"Vegetarian"}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("record: %d %s", res.Status, res.Body)
		}
		page := b.get("/live/clients/lennon02/services")
		wantContains(t, "list", page.Body, "Vegetarian")
		var editHref string
		for _, l := range links(page.Body, "hearth-client-services", "</table>") {
			if strings.Contains(l, "?edit=") {
				editHref = l
			}
		}
		if editHref == "" {
			t.Fatal("no Change link")
		}
		opened := b.get(editHref)
		v := svcEditFormValues(t, opened.Body)
		if v.Get("edit_catalog_id") != meal || v.Get("edit_units") != "1" || v.Get("edit_amount") != "3.50" || v.Get("edit_note") != "Vegetarian" ||
			v.Get("op") != "update" || v.Get("version") == "" {
			t.Fatalf("the form as opened: %v", v)
		}
		// Bad input: the message next to the field, the typed value kept.
		bad := url.Values{}
		for k := range v {
			bad.Set(k, v.Get(k))
		}
		bad.Set("edit_units", "0")
		bad.Set("edit_end_date", "13/45/2020")
		res = b.post("/live/clients/lennon02/services", bad)
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad edit: %d", res.Status)
		}
		wantContains(t, "bad edit", res.Body, `id="edit_units-error"`, `id="edit_end_date-error"`, `value="13/45/2020"`)
		// Someone else changes the units first: the stale save is refused
		// with what changed, keeping what was typed.
		other := svcEditFormValues(t, b2.get(editHref).Body)
		other.Set("edit_units", "2")
		if res := b2.post("/live/clients/lennon02/services", other); res.Status != http.StatusSeeOther {
			t.Fatalf("the other edit: %d %s", res.Status, res.Body)
		}
		v.Set("edit_units", "3")
		v.Set("edit_note", "Vegan")
		res = b.post("/live/clients/lennon02/services", v)
		if res.Status != http.StatusConflict {
			t.Fatalf("stale edit: %d", res.Status)
		}
		wantContains(t, "stale edit", res.Body, `id="service-conflict"`, "Units: 1 → 2", `value="Vegan"`)
		wantNotContains(t, "stale edit", res.Body, "Note: ")
		// Saving again, knowing, replaces the other change; the meal becomes a bed night.
		again := svcEditFormValues(t, res.Body)
		again.Set("edit_catalog_id", bedNight)
		again.Set("edit_amount", "")
		res = b.post("/live/clients/lennon02/services", again)
		if res.Status != http.StatusSeeOther {
			t.Fatalf("save again: %d %s", res.Status, res.Body)
		}
		page = b.get(res.Header.Get("Location"))
		wantContains(t, "after the edit", page.Body, "The service was changed.", "Bed night", "3 night", "Vegan")
		n, err := store.CountRecords[hmis.Service](storetest.Context(t), st, store.RecordFilter{PersonalID: "lennon02"})
		if err != nil || n != 1 {
			t.Errorf("HUD services after becoming a bed night: %d %v", n, err)
		}
		// Another organization cannot open or post the edit.
		o := app.browser(t)
		o.signIn("live", "other")
		if res := o.post("/live/clients/lennon02/services", again); res.Status != http.StatusNotFound {
			t.Errorf("other org edits: %d", res.Status)
		}
	})
}

// The client dashboard's Services table lists every service the user may
// see, HUD and the programs' own, with their units, amount and provider.
func TestServices_DashboardRows(t *testing.T) {
	app := newTestApp(t, nil)
	st := seedClients(t, app)
	bedNight, meal := seedCatalog(t, st)
	b := app.browser(t)
	b.signIn("live", "casey")
	today := usDate(hmis.DateOf(time.Now()))
	for _, f := range []url.Values{
		{"service": {"E2|" + meal}, "date_provided": {today}, "units": {"3"}, "amount": {"7.25"}, "provider_org": {"ORG1"}},
		{"service": {"E2|" + bedNight}, "date_provided": {today}, "provider_org": {"ORG1"}},
	} {
		if res := b.post("/live/clients/lennon02/services", f); res.Status != http.StatusSeeOther {
			t.Fatalf("record: %d %s", res.Status, res.Body)
		}
	}
	res := b.get("/live/clients/lennon02")
	i := strings.Index(res.Body, `hearth-table hearth-services`)
	if i < 0 {
		t.Fatalf("no services table: %s", res.Body)
	}
	table := res.Body[i : i+strings.Index(res.Body[i:], "</table>")]
	wantContains(t, "dashboard services", table, "Hot meal", "<td>3 meal</td>", "$7.25", "Bed night", "<td>1 night</td>", "Hope Shelter")
	if n := strings.Count(table, "<tr><td>"); n != 2 {
		t.Errorf("%d service rows, want 2", n)
	}
	// Imported HUD records carry no units: shown as unknown, not "1".
	wantContains(t, "imported", b.get("/live/clients/lennon01").Body, "SSVF Service", "<td>—</td>")
}
