package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/auth"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// seedClients adds John Lennon (ORG1, with an enrollment, an exit and two
// services, in a household with Julia), Margaret Smith (ORG1) and a
// client of ORG2 only, plus a case manager of each organization.
func seedClients(t *testing.T, a *testApp) *store.Store {
	t.Helper()
	site, _ := a.reg.Get("live")
	st := site.Store
	ctx := storetest.Context(t)
	no := hud.NoYes(0)
	org2 := hmis.Organization{OrganizationID: "ORG2", OrganizationName: "Safe Harbor", VictimServiceProvider: &no}
	must(t, store.CreateRecord(ctx, st, &org2))
	mk := func(id, first, last, dob, ssn string) {
		c := hmis.Client{PersonalID: id, FirstName: first, LastName: last, SSN: ssn, DOB: hmis.MustDate(dob),
			NameDataQuality: new(hud.NameDataQuality(1)), SSNDataQuality: new(hud.SSNDataQuality(1)),
			DOBDataQuality: new(hud.DOBDataQuality(1)), VeteranStatus: new(hud.NoYesReasonsForMissingData(1)),
			Sex: new(hud.Sex(1))}
		must(t, store.CreateRecord(ctx, st, &c))
	}
	mk("lennon01", "John", "Lennon", "1940-10-09", "123456789")
	mk("lennon02", "Julia", "Lennon", "1914-03-12", "")
	mk("smith001", "Margaret", "Smith", "1975-03-04", "234567890")
	mk("hidden01", "Hilda", "Hiddenfield", "1980-01-02", "345678901")
	must(t, storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG1'`))
	must(t, storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG2' WHERE personal_id = 'hidden01'`))
	hoh, other := hud.RelationshipToHoH(1), hud.RelationshipToHoH(2)
	e := hmis.Enrollment{EnrollmentID: "E1", PersonalID: "lennon01", ProjectID: "P1", EntryDate: hmis.MustDate("2024-01-05"),
		HouseholdID: "H1", RelationshipToHoH: &hoh}
	must(t, store.CreateRecord(ctx, st, &e))
	e2 := hmis.Enrollment{EnrollmentID: "E2", PersonalID: "lennon02", ProjectID: "P1", EntryDate: hmis.MustDate("2024-01-05"),
		HouseholdID: "H1", RelationshipToHoH: &other}
	must(t, store.CreateRecord(ctx, st, &e2))
	x := hmis.Exit{ExitID: "X1", EnrollmentID: "E1", PersonalID: "lennon01", ExitDate: hmis.MustDate("2024-03-01")}
	must(t, store.CreateRecord(ctx, st, &x))
	rt := hud.RecordType(144)
	amt := hmis.Money(12550)
	for i, d := range []string{"2024-01-10", "2024-02-20"} {
		v := hmis.Service{ServicesID: "S" + string(rune('1'+i)), EnrollmentID: "E1", PersonalID: "lennon01",
			DateProvided: hmis.MustDate(d), RecordType: &rt, TypeProvided: new(1), FAAmount: &amt}
		must(t, store.CreateRecord(ctx, st, &v))
	}
	mustCreateAccount(t, st, "casey", hmis.RoleCaseManager)
	hash, err := auth.HashPassword(testPassword)
	must(t, err)
	_, err = st.CreateAccount(ctx, hmis.Account{Username: "other", OrganizationID: "ORG2", Role: hmis.RoleCaseManager,
		FirstName: "Olive", LastName: "Other"}, hash)
	must(t, err)
	return st
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestClients_Find(t *testing.T) {
	a := newTestApp(t, nil)
	seedClients(t, a)
	b := a.browser(t)
	b.signIn("live", "casey")

	for _, q := range []string{"Jon Lenon", "lennon, john 10/9/1940", "Johnny Lennon", "6789 lennon"} {
		res := b.get("/live/clients/find?" + url.Values{"q": {q}}.Encode())
		if res.Status != http.StatusOK {
			t.Fatalf("%q: status %d", q, res.Status)
		}
		wantContains(t, q, res.Body, `href="/live/clients/lennon01"`, "Lennon, John", "10/09/1940", "Hope Emergency Shelter")
	}
	// Nickname: Peggy is Margaret.
	res := b.get("/live/clients/find?q=Peggy+Smith")
	wantContains(t, "nickname", res.Body, `href="/live/clients/smith001"`, "nickname")
	// By fields.
	res = b.get("/live/clients/find?" + url.Values{"first": {"Jhon"}, "last": {"Lenon"}, "dob": {"1940-10-09"}}.Encode())
	wantContains(t, "fields", res.Body, `href="/live/clients/lennon01"`)

	// Another organization's client is not found.
	res = b.get("/live/clients/find?q=Hilda+Hiddenfield")
	wantNotContains(t, "hidden", res.Body, "hidden01", "Hiddenfield, Hilda")
	wantContains(t, "hidden", res.Body, "No client matches")

	// htmx: only the results.
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/live/clients/find?q=Jon+Lenon", nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "client-results")
	res = b.do(req)
	if !strings.HasPrefix(strings.TrimSpace(res.Body), `<section id="client-results"`) || strings.Contains(res.Body, "<html") {
		t.Errorf("htmx fragment: %.200s", res.Body)
	}
	wantContains(t, "fragment", res.Body, "lennon01")
}

func TestClients_FindBadInput(t *testing.T) {
	a := newTestApp(t, nil)
	seedClients(t, a)
	b := a.browser(t)
	b.signIn("live", "casey")

	res := b.get("/live/clients/find")
	wantNotContains(t, "first visit", res.Body, "lennon01", "Type what you know")
	res = b.get("/live/clients/find?q=")
	if res.Status != http.StatusOK {
		t.Fatalf("empty: status %d", res.Status)
	}
	wantContains(t, "empty", res.Body, "Type what you know about the client")
	wantNotContains(t, "empty", res.Body, "lennon01", "smith001")

	for _, q := range []string{
		strings.Repeat("a", 10000),
		strings.Repeat("Lennon ", 1500),
		`'; DROP TABLE clients; --`,
		`<script>alert(1)</script> "Lennon" % _ \`,
		"\x00\xff\xfe Lennon",
	} {
		for _, field := range []string{"q", "first", "last", "ssn", "dob", "hmis_id"} {
			res := b.get("/live/clients/find?" + url.Values{field: {q}}.Encode())
			if res.Status != http.StatusOK {
				t.Fatalf("%s=%.30q: status %d", field, q, res.Status)
			}
			wantNotContains(t, field, res.Body, "<script>alert", "Something went wrong")
		}
	}
	res = b.get("/live/clients/find?q=Lennon")
	wantContains(t, "after hostile input", res.Body, "lennon01")
}

func TestClients_AddNew(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	b := a.browser(t)
	b.signIn("live", "casey")

	// The form is reached from a search only.
	res := b.get("/live/clients/new/form")
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/live/clients/new" {
		t.Fatalf("form without search: %d %q", res.Status, res.Header.Get("Location"))
	}
	res = b.get("/live/clients/new")
	wantNotContains(t, "before search", res.Body, "Add a new client")
	res = b.get("/live/clients/new?q=Paul+McCartney+6/18/1942")
	wantContains(t, "after search", res.Body, "Add a new client", "first_name=Paul", "last_name=McCartney")

	form := url.Values{"first_name": {"Paul"}, "last_name": {"McCartney"}, "dob": {"02/30/1942"},
		"ssn": {"666-12-3456"}, "white": {"1"}, "veteran_status": {"0"}, "sex": {"1"}, "additional_race_ethnicity": {"Liverpudlian"}}
	res = b.post("/live/clients/new/form", form)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: status %d", res.Status)
	}
	wantContains(t, "bad input", res.Body, "No SSN starts with 666.", "Enter a real date", `value="02/30/1942"`,
		`value="666-12-3456"`, `value="Paul"`, `value="McCartney"`, `value="Liverpudlian"`, `name="white" value="1" checked`,
		`usa-input--error" id="ssn"`, `usa-input--error" id="dob"`)

	for _, tc := range []struct{ dob, ssn, want string }{
		{"01/01/2999", "123-45-6789", "in the future"},
		{"06/18/1942", "123-00-6789", "never 00"},
		{"06/18/1942", "123-45-0000", "never 0000"},
		{"06/18/1942", "900-45-1234", "No SSN starts with 9"},
		{"06/18/1942", "000-45-1234", "000"},
	} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("dob", tc.dob)
		f.Set("ssn", tc.ssn)
		res := b.post("/live/clients/new/form", f)
		wantContains(t, tc.dob+" "+tc.ssn, res.Body, tc.want)
	}

	form.Set("dob", "06/18/1942")
	form.Set("ssn", "111-22-3333")
	res = b.post("/live/clients/new/form", form)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("valid: status %d\n%s", res.Status, res.Body)
	}
	loc := res.Header.Get("Location")
	id := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/live/clients/")
	c, err := st.FindClientByID(storetest.Context(t), id)
	must(t, err)
	if c.FirstName != "Paul" || c.OrganizationID != "ORG1" || c.Restriction != store.RestrictionOrganization || c.SSN != "111223333" {
		t.Errorf("stored %+v", c)
	}
	res = b.get(loc)
	wantContains(t, "new dashboard", res.Body, "Paul McCartney’s Dashboard", "The client was added", "06/18/1942")

	// The other organization does not see the new client.
	o := a.browser(t)
	o.signIn("live", "other")
	if res := o.get("/live/clients/" + id); res.Status != http.StatusNotFound {
		t.Errorf("other org: status %d", res.Status)
	}
}

func TestClients_DuplicateCheck(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	b := a.browser(t)
	b.signIn("live", "casey")

	// John Lennon again, typed a little differently.
	form := url.Values{"first_name": {"Jon"}, "last_name": {"Lennon"}, "dob": {"10/09/1940"}, "ssn": {"123-45-6789"},
		"white": {"1"}, "veteran_status": {"1"}, "sex": {"1"}}
	res := b.post("/live/clients/new/form", form)
	if res.Status != http.StatusOK {
		t.Fatalf("duplicate: status %d", res.Status)
	}
	wantContains(t, "duplicate", res.Body, "may already be in the HMIS", "Lennon, John", `href="/live/clients/lennon01?from=intake-same"`,
		"This is the same person", `name="decision" value="new"`, `value="Jon"`)
	// "This is the same person" opens the client; the audit log keeps the decision.
	if res := b.get("/live/clients/lennon01?from=intake-same"); res.Status != http.StatusOK {
		t.Fatalf("same person: status %d", res.Status)
	}
	same, err := st.FindAudit(storetest.Context(t), store.AuditFilter{Entity: "client", EntityID: "lennon01", Action: "read"})
	must(t, err)
	chosen := false
	for _, e := range same {
		chosen = chosen || e.Detail == "chosen at intake as the same person"
	}
	if !chosen {
		t.Errorf("same-person audit: %+v", same)
	}
	n, err := store.CountRecords[hmis.Client](storetest.Context(t), st, store.RecordFilter{})
	must(t, err)
	if n != 4 {
		t.Fatalf("a client was saved before the duplicate check was answered: %d clients", n)
	}

	// "New person": saved, and the audit log says so.
	form.Set("decision", "new")
	res = b.post("/live/clients/new/form", form)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("new person: status %d\n%s", res.Status, res.Body)
	}
	id := strings.TrimPrefix(strings.SplitN(res.Header.Get("Location"), "?", 2)[0], "/live/clients/")
	es, err := st.FindAudit(storetest.Context(t), store.AuditFilter{Entity: "client", EntityID: id, Action: "create"})
	must(t, err)
	if len(es) != 1 || !strings.HasPrefix(es[0].Detail, "new person despite 1 possible duplicates") {
		t.Errorf("audit: %+v", es)
	}
}

func TestClients_Dashboard(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	b := a.browser(t)
	b.signIn("live", "casey")

	res := b.get("/live/clients/lennon01")
	if res.Status != http.StatusOK {
		t.Fatalf("status %d", res.Status)
	}
	wantContains(t, "dashboard", res.Body, "John Lennon’s Dashboard", "Born 10/09/1940", "Veteran",
		"Case Name", "Lennon, John", "Hope Emergency Shelter", "01/05/2024", "03/01/2024", "<td>2</td>",
		"Services", "02/20/2024", "01/10/2024", "$125.50", "Hope Shelter", "SSVF Service",
		`href="/live/clients/lennon02"`, "Seen by Hope Shelter only.", "xxx-xx-6789",
		`href="/live/clients/lennon01/enrollments#enrollment-E1"`, `href="/live/clients/lennon01/services#enrollment-E1"`)
	wantNotContains(t, "dashboard", res.Body, "123456789", "123-45-6789")
	if i, j := strings.Index(res.Body, "02/20/2024"), strings.Index(res.Body, "01/10/2024"); i > j {
		t.Error("services are not newest first")
	}
	// One audit row for the view, one for reading the client's calendar
	// (the upcoming appointments).
	es, err := st.FindAudit(storetest.Context(t), store.AuditFilter{Entity: "client", EntityID: "lennon01", Action: "read"})
	must(t, err)
	if len(es) != 2 || es[0].Detail != "calendar: 0 events" && es[1].Detail != "calendar: 0 events" {
		t.Errorf("read audit rows: %+v", es)
	}
	// The rows' links land on their records.
	wantContains(t, "enrollments page", b.get("/live/clients/lennon01/enrollments").Body, `id="enrollment-E1"`)
	wantContains(t, "services page", b.get("/live/clients/lennon01/services").Body, `id="enrollment-E1"`)

	// Another organization's client: the same "not found" as no client.
	missing := b.get("/live/clients/nosuchclient")
	hidden := b.get("/live/clients/hidden01")
	if missing.Status != http.StatusNotFound || hidden.Status != http.StatusNotFound {
		t.Fatalf("statuses %d, %d", missing.Status, hidden.Status)
	}
	wantNotContains(t, "hidden", hidden.Body, "Hilda", "Hiddenfield")
	strip := func(s string) string { return strings.ReplaceAll(s, "nosuchclient", "hidden01") }
	if strip(missing.Body) != hidden.Body && !strings.Contains(hidden.Body, errNoClient.Message) {
		t.Error("hidden and missing clients answer differently")
	}
	// The other organization's case manager cannot open Lennon.
	o := a.browser(t)
	o.signIn("live", "other")
	if res := o.get("/live/clients/lennon01"); res.Status != http.StatusNotFound {
		t.Errorf("other org: status %d", res.Status)
	}
	res = o.get("/live/clients/find?q=John+Lennon")
	wantNotContains(t, "other org search", res.Body, "lennon01")
}

func TestClients_Recent(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	b := a.browser(t)
	b.signIn("live", "casey")

	res := b.get("/live/home/recent")
	wantContains(t, "none yet", res.Body, "You have not opened any client yet")
	res = b.get("/live/clients/dashboard")
	wantContains(t, "no current client", res.Body, "No client is open")

	b.get("/live/clients/smith001")
	time.Sleep(5 * time.Millisecond)
	b.get("/live/clients/lennon01")
	res = b.get("/live/home/recent")
	i, j := strings.Index(res.Body, "lennon01"), strings.Index(res.Body, "smith001")
	if i < 0 || j < 0 || i > j {
		t.Errorf("recent: lennon01 at %d, smith001 at %d", i, j)
	}
	res = b.get("/live/clients/dashboard")
	wantContains(t, "current client", res.Body, "John Lennon’s Dashboard")

	// Visibility is checked again: a client moved to another organization
	// leaves the list.
	must(t, storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG2' WHERE personal_id = 'smith001'`))
	res = b.get("/live/home/recent")
	wantNotContains(t, "moved", res.Body, "smith001")
	// Someone else's opens are not this user's.
	o := a.browser(t)
	o.signIn("live", "admin")
	res = o.get("/live/home/recent")
	wantNotContains(t, "admin", res.Body, "lennon01")
}
