package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// lennonForm is Edit Client Information's form for John Lennon as seeded.
func lennonForm() url.Values {
	return url.Values{"first_name": {"John"}, "last_name": {"Lennon"}, "name_data_quality": {"1"},
		"ssn": {"123-45-6789"}, "ssn_data_quality": {"1"}, "dob": {"10/09/1940"}, "dob_data_quality": {"1"},
		"white": {"1"}, "veteran_status": {"1"}, "sex": {"1"}}
}

// shareByRelease shares lennon01 with ORG2 by a release in force.
func shareByRelease(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := storetest.Context(t)
	must(t, st.SetClientRestriction(ctx, "lennon01", access.ShareByRelease))
	today := hmis.DateOf(time.Now())
	_, err := st.AddRelease(ctx, store.NewRelease{PersonalID: "lennon01", Organizations: []string{"ORG2"},
		Begin: today.AddDays(-1), End: today.AddDays(30), Witness: "W. Itness"})
	must(t, err)
}

func TestClients_Edit(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	b := a.browser(t)
	b.signIn("live", "casey")

	res := b.get("/live/clients/lennon01/edit")
	if res.Status != http.StatusOK {
		t.Fatalf("edit: status %d", res.Status)
	}
	wantContains(t, "edit form", res.Body, `value="John"`, `value="10/09/1940"`, "History of changes", "Save changes")

	// A refused field: everything typed is kept, nothing is saved.
	f := lennonForm()
	f.Set("first_name", "Johnny")
	f.Set("ssn", "666-12-3456")
	f.Set("middle_name", "Winston")
	res = b.post("/live/clients/lennon01/edit", f)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad SSN: status %d", res.Status)
	}
	wantContains(t, "bad SSN", res.Body, `value="Johnny"`, `value="Winston"`, `value="666-12-3456"`, "usa-error-message", "not saved")
	if c, _ := store.FindRecordByID[hmis.Client](storetest.Context(t), st, "lennon01"); c.FirstName != "John" {
		t.Errorf("saved despite the error: %+v", c)
	}

	f.Set("ssn", "123-45-6789")
	res = b.post("/live/clients/lennon01/edit", f)
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/live/clients/lennon01/edit?saved=1" {
		t.Fatalf("save: status %d, Location %q\n%s", res.Status, res.Header.Get("Location"), res.Body)
	}
	res = b.get("/live/clients/lennon01/edit?saved=1")
	wantContains(t, "saved", res.Body, "The changes were saved", `value="Johnny"`, "Changed", "FirstName changed",
		"MiddleName changed", "casey(web)")
	c, err := store.FindRecordByID[hmis.Client](storetest.Context(t), st, "lennon01")
	if err != nil || c.FirstName != "Johnny" || c.MiddleName != "Winston" || c.SSN != "123456789" {
		t.Errorf("stored %+v, %v", c, err)
	}
	// The dashboard links to the pages; the menu option opens the last client.
	res = b.get("/live/clients/lennon01")
	wantContains(t, "dashboard", res.Body, `href="/live/clients/lennon01/edit"`, `href="/live/clients/lennon01/notes"`,
		`href="/live/clients/lennon01/family"`)
	res = b.get("/live/clients/edit")
	wantContains(t, "menu", res.Body, "Edit Johnny Winston Lennon", `aria-current="page"`)
}

func TestClients_PagesHiddenAndReadOnly(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	other := a.browser(t)
	other.signIn("live", "other")

	// Restricted to ORG1: not found, as a missing client.
	for _, p := range []string{"edit", "notes", "family"} {
		for _, id := range []string{"lennon01", "nobody"} {
			if res := other.get("/live/clients/" + id + "/" + p); res.Status != http.StatusNotFound {
				t.Errorf("%s %s: status %d", id, p, res.Status)
			}
		}
	}
	if res := other.post("/live/clients/lennon01/edit", lennonForm()); res.Status != http.StatusNotFound {
		t.Errorf("post edit: status %d", res.Status)
	}
	if res := other.post("/live/clients/lennon01/notes", url.Values{"text": {"hi"}}); res.Status != http.StatusNotFound {
		t.Errorf("post note: status %d", res.Status)
	}
	// No menu option shows another organization's client either.
	other.get("/live/clients/hidden01")
	res := other.get("/live/clients/edit")
	wantContains(t, "other's menu", res.Body, "Edit Hilda Hiddenfield")

	// Shared by release: visible, read only.
	shareByRelease(t, st)
	res = other.get("/live/clients/lennon01/edit")
	if res.Status != http.StatusOK {
		t.Fatalf("shared edit: status %d", res.Status)
	}
	wantContains(t, "shared edit", res.Body, "hearth-read-only", " disabled>", `value="John"`)
	wantNotContains(t, "shared edit", res.Body, "Save changes")
	f := lennonForm()
	f.Set("first_name", "Jack")
	if res := other.post("/live/clients/lennon01/edit", f); res.Status != http.StatusForbidden {
		t.Errorf("shared post: status %d", res.Status)
	}
	f.Set("ssn", "666-00-0000")
	if res := other.post("/live/clients/lennon01/edit", f); res.Status != http.StatusForbidden {
		t.Errorf("shared post with errors: status %d", res.Status)
	}
	if c, _ := store.FindRecordByID[hmis.Client](storetest.Context(t), st, "lennon01"); c.FirstName != "John" {
		t.Errorf("read-only client changed: %+v", c)
	}
	res = other.get("/live/clients/lennon01/notes")
	wantNotContains(t, "shared notes", res.Body, "Add a note")
	if res := other.post("/live/clients/lennon01/notes", url.Values{"text": {"hi"}}); res.Status != http.StatusForbidden {
		t.Errorf("shared note post: status %d", res.Status)
	}
}

func TestClients_CaseNotes(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	shareByRelease(t, st)
	b := a.browser(t)
	b.signIn("live", "casey")

	res := b.get("/live/clients/lennon01/notes")
	wantContains(t, "empty", res.Body, "No notes you may see", "Add a note", `value="E1"`)
	// An empty note keeps the other fields.
	res = b.post("/live/clients/lennon01/notes", url.Values{"text": {" "}, "note_date": {"02/01/2024"}, "enrollment_id": {"E1"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("empty note: status %d", res.Status)
	}
	wantContains(t, "empty note", res.Body, "Write the note", `value="02/01/2024"`, `value="E1" selected`)

	res = b.post("/live/clients/lennon01/notes", url.Values{"text": {"Found a bed at the shelter."}, "note_date": {"02/01/2024"},
		"enrollment_id": {"E1"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("add: status %d\n%s", res.Status, res.Body)
	}
	res = b.post("/live/clients/lennon01/notes", url.Values{"text": {"<b>Safety plan</b> reviewed."}, "restricted": {"1"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("add restricted: status %d\n%s", res.Status, res.Body)
	}
	res = b.get("/live/clients/lennon01/notes?added=1")
	wantContains(t, "notes", res.Body, "The note was added", "Found a bed at the shelter.", "&lt;b&gt;Safety plan&lt;/b&gt;",
		"Hope Emergency Shelter", "Restricted to the organization", "02/01/2024", "Avery Admin")
	if i, j := strings.Index(res.Body, "Safety plan"), strings.Index(res.Body, "Found a bed"); i < 0 || j < 0 || i > j {
		t.Errorf("not newest first")
	}
	res = b.get("/live/clients/lennon01/notes?q=SHELTER")
	wantContains(t, "search", res.Body, "Found a bed")
	wantNotContains(t, "search", res.Body, "Safety plan")

	// The release's organization sees the open note, not the restricted one.
	other := a.browser(t)
	other.signIn("live", "other")
	res = other.get("/live/clients/lennon01/notes")
	wantContains(t, "other's notes", res.Body, "Found a bed")
	wantNotContains(t, "other's notes", res.Body, "Safety plan", "Restricted to the organization")
	// Its search covers its own organization's notes only.
	res = other.get("/live/clients/lennon01/notes?q=shelter")
	wantNotContains(t, "other's search", res.Body, "Found a bed")

	es, err := st.FindAudit(storetest.Context(t), store.AuditFilter{Entity: "client", EntityID: "lennon01", Action: "case_note.add"})
	if err != nil || len(es) != 2 {
		t.Errorf("audited adds = %d, %v", len(es), err)
	}
}

func TestClients_Family(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	child := hud.RelationshipToHoH(2)
	e := hmis.Enrollment{EnrollmentID: "E9", PersonalID: "hidden01", ProjectID: "P1", EntryDate: hmis.MustDate("2024-01-05"),
		HouseholdID: "H1", RelationshipToHoH: &child}
	must(t, store.CreateRecord(storetest.Context(t), st, &e))
	b := a.browser(t)
	b.signIn("live", "casey")
	// ORG2's client in ORG1's program: ORG1 serves it and names it.
	res := b.get("/live/clients/lennon02/family")
	wantContains(t, "family, served", res.Body, "Hiddenfield")
	wantNotContains(t, "family, served", res.Body, "member not shown")
	// Its enrollment restricted to ORG2: counted, not named.
	must(t, storetest.Exec(st, `UPDATE enrollments SET restricted_to_org = 'ORG2' WHERE enrollment_id = 'E9'`))

	res = b.get("/live/clients/lennon02/family")
	if res.Status != http.StatusOK {
		t.Fatalf("family: status %d", res.Status)
	}
	wantContains(t, "family", res.Body, `href="/live/clients/lennon01"`, "Lennon, John", "Head of household",
		"Lennon, Julia", "(this client)", hud.RelationshipToHoH(2).Label(), "1 member not shown", "Hope Emergency Shelter")
	wantNotContains(t, "family", res.Body, "Hiddenfield", "hidden01", "Hilda")

	// The menu option opens the client viewed last.
	b.get("/live/clients/lennon01")
	res = b.get("/live/clients/family")
	wantContains(t, "family menu", res.Body, "Family: John Lennon", "1 member not shown")
}

func TestClients_CaseNoteEditDelete(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	shareByRelease(t, st)
	b := a.browser(t)
	b.signIn("live", "casey")
	if res := b.post("/live/clients/lennon01/notes", url.Values{"text": {"Called the landlord."}, "note_date": {"02/01/2024"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("add: status %d", res.Status)
	}
	res := b.get("/live/clients/lennon01/notes")
	m := regexp.MustCompile(`class="hearth-note" id="note-([^"]+)"`).FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("no note id in\n%s", res.Body)
	}
	id := m[1]
	wantContains(t, "list", res.Body, "?edit="+id, "?delete="+id)

	res = b.get("/live/clients/lennon01/notes?edit=" + id)
	wantContains(t, "edit form", res.Body, `name="edit_text"`, "Called the landlord.</textarea>", `value="02/01/2024"`, "Save changes")
	v := regexp.MustCompile(`name="version" value="([^"]+)"`).FindStringSubmatch(res.Body)
	if v == nil {
		t.Fatal("no version field")
	}
	version := html.UnescapeString(v[1])

	// An empty text keeps the edit form open with the date as typed.
	res = b.post("/live/clients/lennon01/notes", url.Values{"op": {"update"}, "note_id": {id}, "version": {version},
		"edit_text": {" "}, "edit_date": {"02/03/2024"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("empty edit: status %d", res.Status)
	}
	wantContains(t, "empty edit", res.Body, "Write the note", `value="02/03/2024"`)

	res = b.post("/live/clients/lennon01/notes", url.Values{"op": {"update"}, "note_id": {id}, "version": {version},
		"edit_text": {"Called the landlord twice."}, "edit_date": {"02/03/2024"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("edit: status %d\n%s", res.Status, res.Body)
	}
	res = b.get("/live/clients/lennon01/notes?done=updated")
	wantContains(t, "after edit", res.Body, "The note was changed", "Called the landlord twice.", "02/03/2024", "edited")

	// The old version is stale: the second save is told, keeps its text and
	// sees the note as saved now.
	res = b.post("/live/clients/lennon01/notes", url.Values{"op": {"update"}, "note_id": {id}, "version": {version},
		"edit_text": {"My own words"}})
	if res.Status != http.StatusConflict {
		t.Fatalf("stale edit: status %d", res.Status)
	}
	wantContains(t, "stale edit", res.Body, "Someone changed this note", "My own words</textarea>", "As saved now", "Called the landlord twice.")

	// Another organization that shares the client may read, not change.
	other := a.browser(t)
	other.signIn("live", "other")
	res = other.get("/live/clients/lennon01/notes")
	wantContains(t, "other", res.Body, "Called the landlord twice.")
	wantNotContains(t, "other", res.Body, "?edit="+id, "?delete="+id)

	// Delete asks first, then removes the note.
	res = b.get("/live/clients/lennon01/notes?delete=" + id)
	wantContains(t, "confirm", res.Body, "Delete this note?", "Yes, delete the note")
	v = regexp.MustCompile(`name="version" value="([^"]+)"`).FindStringSubmatch(res.Body)
	if res := other.post("/live/clients/lennon01/notes", url.Values{"op": {"delete"}, "note_id": {id}, "version": {html.UnescapeString(v[1])}}); res.Status != http.StatusForbidden {
		t.Errorf("other's delete: status %d", res.Status)
	}
	if res := b.post("/live/clients/lennon01/notes", url.Values{"op": {"delete"}, "note_id": {id}, "version": {html.UnescapeString(v[1])}}); res.Status != http.StatusSeeOther {
		t.Fatalf("delete: status %d", res.Status)
	}
	res = b.get("/live/clients/lennon01/notes?done=deleted")
	wantContains(t, "after delete", res.Body, "The note was deleted", "No notes you may see")
}

func TestClients_FamilyChanges(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	shareByRelease(t, st)
	b := a.browser(t)
	b.signIn("live", "casey")

	res := b.get("/live/clients/lennon01/family")
	wantContains(t, "empty", res.Body, "No family recorded", "Add a family member", "Households as enrolled")
	res = b.get("/live/clients/lennon01/family?find=julia")
	wantContains(t, "find", res.Body, "Lennon, Julia", `name="member" value="lennon02"`, "Add to family")
	// Hilda belongs to another organization: never offered, refused by ID.
	wantNotContains(t, "find", res.Body, "Hilda")
	res = b.post("/live/clients/lennon01/family", url.Values{"op": {"add"}, "member": {"hidden01"}, "relationship": {"2"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("hidden member: status %d", res.Status)
	}
	wantNotContains(t, "hidden member", res.Body, "Hilda", "Hiddenfield")

	res = b.post("/live/clients/lennon01/family", url.Values{"op": {"add"}, "member": {"lennon02"}, "relationship": {"3"}, "find": {"julia"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("add: status %d\n%s", res.Status, res.Body)
	}
	res = b.get("/live/clients/lennon02/family?done=added")
	wantContains(t, "family", res.Body, "The member was added", "Lennon, John", "Head of household", "Lennon, Julia", "(this client)",
		hud.RelationshipToHoH(3).Label(), "Make head of household")
	// The head cannot leave while others remain: the reason is shown on the row.
	res = b.post("/live/clients/lennon02/family", url.Values{"op": {"remove"}, "member": {"lennon01"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("remove head: status %d", res.Status)
	}
	wantContains(t, "remove head", res.Body, "Make another member head of household before removing the head")
	if res := b.post("/live/clients/lennon02/family", url.Values{"op": {"head"}, "member": {"lennon02"}, "relationship": {"2"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("new head: status %d", res.Status)
	}
	g, err := st.ClientFamilyGroup(storetest.Context(t), "lennon01")
	if err != nil || len(g.Members) != 2 || g.Members[0].PersonalID != "lennon02" || g.Members[1].Relationship != 2 {
		t.Fatalf("family = %+v, %v", g, err)
	}
	// The release's organization reads the family, and cannot change it.
	other := a.browser(t)
	other.signIn("live", "other")
	res = other.get("/live/clients/lennon01/family")
	wantContains(t, "other", res.Body, "Lennon, John", "1 member not shown")
	wantNotContains(t, "other", res.Body, "Add a family member", "Make head of household", "Julia")
	if res := other.post("/live/clients/lennon01/family", url.Values{"op": {"remove"}, "member": {"lennon01"}}); res.Status != http.StatusForbidden {
		t.Errorf("other's change: status %d", res.Status)
	}
	if res := b.post("/live/clients/lennon01/family", url.Values{"op": {"remove"}, "member": {"lennon01"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("remove: status %d", res.Status)
	}
	res = b.get("/live/clients/lennon01/family?done=removed")
	wantContains(t, "removed", res.Body, "The member was removed", "No family recorded")
}

func TestClients_ExtraFields(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	shareByRelease(t, st)
	b := a.browser(t)
	b.signIn("live", "casey")

	res := b.get("/live/clients/lennon01")
	wantContains(t, "panel", res.Body, "Limited English proficiency", "Marital status", "Highest education completed", "Not recorded")
	res = b.get("/live/clients/lennon01/edit")
	wantContains(t, "edit", res.Body, "Other information", `name="field_marital_status"`, "Widowed", "Save other information")
	// A refused value keeps what was typed in the others.
	res = b.post("/live/clients/lennon01/fields", url.Values{"field_limited_english": {"perhaps"}, "field_marital_status": {"Married"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad value: status %d", res.Status)
	}
	wantContains(t, "bad value", res.Body, "Choose yes or no", `<option value="Married" selected>`)
	res = b.post("/live/clients/lennon01/fields", url.Values{"field_limited_english": {"yes"}, "field_marital_status": {"Married"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", res.Status, res.Body)
	}
	res = b.get("/live/clients/lennon01")
	wantContains(t, "panel after", res.Body, "<dd>Yes</dd>", "<dd>Married</dd>")

	// The release's organization reads them and cannot change them.
	other := a.browser(t)
	other.signIn("live", "other")
	wantContains(t, "other panel", other.get("/live/clients/lennon01").Body, "<dd>Married</dd>")
	if res := other.post("/live/clients/lennon01/fields", url.Values{"field_marital_status": {"Single"}}); res.Status != http.StatusForbidden {
		t.Errorf("other's change: status %d", res.Status)
	}

	// Administrators add a field; case managers may not open the page.
	if res := b.get("/live/clients/fields"); res.Status != http.StatusNotFound {
		t.Errorf("case manager config page: status %d", res.Status)
	}
	ad := a.browser(t)
	ad.signIn("live", "admin")
	res = ad.post("/live/clients/fields", url.Values{"label": {"Pets"}, "kind": {"choice"}, "choices": {"Dog"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("one choice: status %d", res.Status)
	}
	wantContains(t, "one choice", res.Body, "at least two choices", ">Dog</textarea>")
	if res := ad.post("/live/clients/fields", url.Values{"label": {"Pets"}, "kind": {"choice"}, "choices": {"Dog\r\nCat"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("add: status %d", res.Status)
	}
	wantContains(t, "edit with pets", b.get("/live/clients/lennon01/edit").Body, `name="field_pets"`, `<option value="Cat"`)
	// Made inactive: no longer asked or shown.
	if res := ad.post("/live/clients/fields", url.Values{"id": {"pets"}, "kind": {"choice"}, "label": {"Pets"}, "choices": {"Dog\nCat"}, "position": {"9"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("deactivate: status %d", res.Status)
	}
	wantNotContains(t, "edit without pets", b.get("/live/clients/lennon01/edit").Body, `name="field_pets"`)
}
