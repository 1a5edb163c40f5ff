package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// TestSupport_TicketLifecycle: a case manager files a ticket (the PII
// check asks for confirmation and keeps what was typed), another user and
// the queue cannot see it, an administrator answers, notes, links an
// article and escalates, and the case manager sees the reply, its
// notification and never the internal note.
func TestSupport_TicketLifecycle(t *testing.T) {
	app := newTestApp(t, nil)
	st, _ := app.reg.Get("live")
	mustCreateAccount(t, st.Store, "casey", hmis.RoleCaseManager)
	mustCreateAccount(t, st.Store, "olive", hmis.RoleCaseManager)
	cm := app.browser(t)
	cm.signIn("live", "casey")
	other := app.browser(t)
	other.signIn("live", "olive")
	admin := app.browser(t)
	admin.signIn("live", "admin")

	// The form: prefilled from "Get help with this page" on a client page.
	dash := cm.get("/live/clients/find")
	help := links(dash.Body, `class="hearth-user"`, "</div>")
	if !strings.Contains(strings.Join(help, " "), "/live/support/new?page=%2Flive%2Fclients%2Ffind") {
		t.Errorf("header help link: %v", help)
	}
	form := cm.get("/live/support/new?page=" + url.QueryEscape("/live/clients/abc123/notes"))
	wantContains(t, "prefilled form", form.Body, `value="/live/clients/abc123/notes"`, `id="record_id" name="record_id" type="text" value="abc123"`,
		"No client PII here.", `<option value="data_correction" selected>`)

	// Empty: every field named.
	res := cm.post("/live/support/new", url.Values{"subject": {""}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("empty ticket: %d", res.Status)
	}
	wantContains(t, "empty ticket", res.Body, "Write a subject", "Describe the question", "Choose a category.")

	// PII-like text: asked to confirm, everything kept.
	ticket := url.Values{"subject": {"Wrong DOB on intake"}, "category": {"data_correction"}, "priority": {"high"},
		"description": {"Client abc123 shows DOB 04/05/1980, should be 04/05/1981."}, "page_path": {"/live/clients/abc123"},
		"record_id": {"abc123"}}
	res = cm.post("/live/support/new", ticket)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("PII ticket: %d", res.Status)
	}
	wantContains(t, "PII ticket", res.Body, "what looks like a date of birth", `id="confirm_pii"`, "should be 04/05/1981.</textarea>",
		`value="Wrong DOB on intake"`, `<option value="high" selected>`)
	ticket.Set("confirm_pii", "1")
	res = cm.post("/live/support/new", ticket)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("confirmed ticket: %d %s", res.Status, res.Body)
	}
	loc := strings.TrimSuffix(res.Header.Get("Location"), "?filed=1")
	if !strings.HasPrefix(loc, "/live/support/tickets/") {
		t.Fatalf("Location %q", loc)
	}
	wantContains(t, "filed", cm.get(res.Header.Get("Location")).Body, "Your ticket was sent", "Wrong DOB on intake", "Open")

	// Another user: not found, on the page, the forms and the list.
	for _, path := range []string{loc, "/live/support/queue"} {
		if r := other.get(path); r.Status != http.StatusNotFound {
			t.Errorf("other user GET %s: %d", path, r.Status)
		}
	}
	// The very page of an ID that does not exist.
	if a, b := other.get(loc), other.get("/live/support/tickets/"+strings.Repeat("0", 32)); a.Body != b.Body {
		t.Errorf("another user's ticket and a missing one differ:\n%s\n---\n%s", a.Body, b.Body)
	}
	if r := other.post(loc+"/reply", url.Values{"body": {"hi"}}); r.Status != http.StatusNotFound {
		t.Errorf("other user replies: %d", r.Status)
	}
	wantNotContains(t, "other's list", other.get("/live/support/tickets").Body, "Wrong DOB")
	wantContains(t, "own list", cm.get("/live/support/tickets").Body, "Wrong DOB on intake")

	// The administrator: queue, filter, article, note, reply, escalate.
	q := admin.get("/live/support/queue")
	wantContains(t, "queue", q.Body, "Wrong DOB on intake", "<td>High</td>", "<td>Data correction</td>")
	wantNotContains(t, "queue filtered to low", admin.get("/live/support/queue?priority=low").Body, "Wrong DOB on intake")
	wantContains(t, "queue unassigned", admin.get("/live/support/queue?assignee=none").Body, "Wrong DOB on intake")
	res = admin.post("/live/support/help/new", url.Values{"title": {"Correcting a date of birth"}, "body": {"Open Edit Client Information.\n\nSave the form."}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("article: %d", res.Status)
	}
	articleID := strings.TrimSuffix(strings.TrimPrefix(res.Header.Get("Location"), "/live/support/help/"), "?saved=1")
	if r := admin.post(loc+"/reply", url.Values{"body": {"Checked the import: source file was wrong."}, "kind": {"note"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("note: %d %s", r.Status, r.Body)
	}
	if r := admin.post(loc+"/reply", url.Values{"body": {"Fixed it; the article shows how to do it yourself."}, "kind": {"reply"},
		"article_id": {articleID}}); r.Status != http.StatusSeeOther {
		t.Fatalf("reply: %d", r.Status)
	}
	r := admin.post(loc+"/status", url.Values{"status": {"escalated"}, "vendor_reference": {""}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("escalate without reference: %d", r.Status)
	}
	wantContains(t, "escalate without reference", r.Body, "reference for the escalated ticket")
	if r := admin.post(loc+"/status", url.Values{"status": {"escalated"}, "vendor_reference": {"DSI-20431"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("escalate: %d", r.Status)
	}
	adminView := admin.get(loc).Body
	wantContains(t, "admin's view", adminView, "Checked the import", "Internal note: not shown to the user", "DSI-20431", "Manage the ticket")

	// The case manager: a notification in the header, the reply and the
	// article, no internal note; opening marks it read.
	list := cm.get("/live/support/tickets").Body
	wantContains(t, "notification", list, `<span class="hearth-badge">2<span class="usa-sr-only"> unread</span>`,
		"New reply on “Wrong DOB on intake”", "Status changed on “Wrong DOB on intake”", "Unread</span>")
	view := cm.get(loc).Body
	wantContains(t, "case manager's view", view, "Fixed it; the article shows", `href="/live/support/help/`+articleID+`">Correcting a date of birth</a>`,
		"Escalated to vendor", "DSI-20431")
	wantNotContains(t, "case manager's view", view, "Checked the import", "Manage the ticket", "Add internal note", `class="hearth-badge"`)
	if r := cm.post(loc+"/status", url.Values{"status": {"resolved"}}); r.Status != http.StatusForbidden {
		t.Errorf("case manager changes status: %d", r.Status)
	}
	if r := cm.post(loc+"/reply", url.Values{"body": {"secret"}, "kind": {"note"}}); r.Status != http.StatusForbidden {
		t.Errorf("case manager adds a note: %d", r.Status)
	}
	art := cm.get("/live/support/help/" + articleID)
	wantContains(t, "article", art.Body, "<p>Open Edit Client Information.</p>", "<p>Save the form.</p>")
	wantNotContains(t, "article", art.Body, "Edit the article")
	if r := cm.get("/live/support/help/new"); r.Status != http.StatusNotFound {
		t.Errorf("case manager writes an article: %d", r.Status)
	}

	// Audited: filing, the reads, the reply.
	entries, err := st.Store.FindAudit(storetest.Context(t), store.AuditFilter{Entity: "ticket"})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, e := range entries {
		actions[e.Action] = true
	}
	for _, a := range []string{"create", "read", "reply", "note", "status"} {
		if !actions[a] {
			t.Errorf("no %q audit entry", a)
		}
	}
}

// TestProfile_Contact: the name and contact form validates each field,
// keeps what was typed, and saves to the account the header shows.
func TestProfile_Contact(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	b.signIn("live", "admin")
	p := b.get("/live/profile")
	wantContains(t, "profile", p.Body, `id="first_name" name="first_name" type="text" value="Avery"`, "Where you are signed in", "Change password")
	res := b.post("/live/profile", url.Values{"first_name": {"Avery"}, "last_name": {"Lopez"}, "email": {"not an email"},
		"phone": {"555-12"}, "extension": {"x1"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad profile: %d", res.Status)
	}
	wantContains(t, "bad profile", res.Body, "Enter an email address", "10-digit US phone", "1 to 5 digits", `value="Lopez"`, `value="not an email"`)
	res = b.post("/live/profile", url.Values{"first_name": {"Avery"}, "last_name": {"Lopez"}, "email": {"avery@rivervalley.org"},
		"phone": {"(209) 555-0147"}, "extension": {"204"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("profile: %d %s", res.Status, res.Body)
	}
	p = b.get(res.Header.Get("Location"))
	wantContains(t, "saved profile", p.Body, "Your name and contact were saved.", "Avery Lopez<span class=\"hearth-user__role\">",
		`value="(209) 555-0147"`, `value="204"`)
}
