package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowser_Clients: search with a typo and with a nickname finds the
// client; a second intake of the same person is stopped by the duplicate
// check; the dashboard shows enrollments and services.
func TestBrowser_Clients(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t, nil)
	seedClients(t, app)
	base := app.srv.URL
	errs := &consoleErrors{}
	errs.watch(ctx, "live")
	do(t, ctx, "signin", signIn(base, "live")...)

	search := func(name, text, want string) {
		t.Helper()
		do(t, ctx, name,
			chromedp.Navigate(base+"/live/clients/find"),
			chromedp.WaitVisible(chromedp.ID("q")),
			chromedp.SendKeys(chromedp.ID("q"), text),
			chromedp.Click(chromedp.CSS(`.hearth-client-search button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`#client-results a[href="/live/clients/`+want+`"]`)),
		)
		artifact(t, ctx, name)
	}
	search("find-typo", "Jon Lenon", "lennon01")
	search("find-nickname", "Peggy Smith", "smith001")
	reason := read(t, ctx, "reason", chromedp.Text(chromedp.CSS(`.hearth-reason`)))
	if !strings.Contains(reason, "nickname") {
		t.Errorf("reason %q", reason)
	}

	// Add New Client: search first, then the form, then the duplicate check.
	do(t, ctx, "intake-search",
		chromedp.Navigate(base+"/live/clients/new"),
		chromedp.WaitVisible(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), "Johnny Lennon 10/9/1940"),
		chromedp.Click(chromedp.CSS(`.hearth-client-search button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-add-client a`)),
	)
	artifact(t, ctx, "intake-search")
	do(t, ctx, "intake-form",
		chromedp.Click(chromedp.CSS(`.hearth-add-client a`)),
		chromedp.WaitVisible(chromedp.ID("client-form")),
		chromedp.Click(chromedp.CSS(`label[for="white"]`)),
		chromedp.SetValue(chromedp.ID("veteran_status"), "1"),
		chromedp.SetValue(chromedp.ID("sex"), "1"),
		chromedp.SetValue(chromedp.ID("ssn_data_quality"), "99"),
		chromedp.Click(chromedp.CSS(`#client-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-duplicates`)),
	)
	artifact(t, ctx, "intake-duplicates")
	if v := read(t, ctx, "kept", chromedp.Evaluate[string](`document.getElementById("first_name").value`)); v != "Johnny" {
		t.Errorf("first name after the duplicate check: %q", v)
	}
	do(t, ctx, "same-person",
		chromedp.Click(chromedp.CSS(`a.hearth-same`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-enrollments`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-services`)),
	)
	artifact(t, ctx, "dashboard")
	if h1 := read(t, ctx, "h1", chromedp.Text(chromedp.CSS(`h1`))); h1 != "John Lennon’s Dashboard" {
		t.Errorf("h1 %q", h1)
	}
	if n := read(t, ctx, "rows", count(`.hearth-services tbody tr`)); n != 2 {
		t.Errorf("%d service rows", n)
	}

	// Family: find Julia, add her as spouse; the head is John.
	do(t, ctx, "family-add",
		chromedp.Navigate(base+"/live/clients/lennon01/family"),
		chromedp.WaitVisible(chromedp.ID("family-find")),
		chromedp.SendKeys(chromedp.ID("family-find"), "Julia Lennon"),
		chromedp.Submit(chromedp.ID("family-find")),
		chromedp.WaitVisible(chromedp.ID("addrel-lennon02")),
		chromedp.SetValue(chromedp.ID("addrel-lennon02"), "3"),
		chromedp.Click(chromedp.CSS(`.hearth-family-found button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("member-lennon02")),
	)
	artifact(t, ctx, "family")
	if head := read(t, ctx, "head", chromedp.Text(chromedp.CSS(`#member-lennon01 th`))); !strings.Contains(strings.ToLower(head), "head of household") {
		t.Errorf("head row %q", head)
	}

	// Case notes: add one, edit it.
	do(t, ctx, "note-add",
		chromedp.Navigate(base+"/live/clients/lennon01/notes"),
		chromedp.WaitVisible(chromedp.ID("text")),
		chromedp.SendKeys(chromedp.ID("text"), "Met at the drop-in center."),
		chromedp.Click(chromedp.CSS(`form.usa-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-note__actions a`)),
		chromedp.Click(chromedp.CSS(`.hearth-note__actions a`)),
		chromedp.WaitVisible(chromedp.ID("edit_text")),
		chromedp.SetValue(chromedp.ID("edit_text"), "Met at the drop-in center on Main St."),
		chromedp.Click(chromedp.CSS(`.hearth-note form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.usa-alert--success`)),
	)
	artifact(t, ctx, "note-edited")
	if note := read(t, ctx, "note", chromedp.Text(chromedp.CSS(`.hearth-note`))); !strings.Contains(note, "on Main St.") || !strings.Contains(note, "edited") {
		t.Errorf("note after edit %q", note)
	}
	if e := errs.all(); len(e) > 0 {
		t.Errorf("console errors: %v", e)
	}
}
