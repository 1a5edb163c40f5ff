package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// TestBrowser_Support (issue 8): a case manager files a ticket from
// "Get help with this page", an administrator answers it from the queue
// (with an internal note), and the case manager sees the notification in
// the header and the reply, never the note.
func TestBrowser_Support(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t, nil)
	st, _ := app.reg.Get("live")
	mustCreateAccount(t, st.Store, "casey", hmis.RoleCaseManager)
	base := app.srv.URL
	errs := &consoleErrors{}
	errs.watch(ctx, "live")
	signOut := []chromedp.Action[chromedp.Void]{
		chromedp.Click(chromedp.CSS(`button.hearth-signout`)),
		chromedp.WaitVisible(chromedp.ID("username")),
	}

	// The case manager files a ticket about Find Client.
	do(t, ctx, "cm-signin", signInAs(base, "live", "casey")...)
	do(t, ctx, "file",
		chromedp.Navigate(base+"/live/clients/find"),
		chromedp.WaitVisible(chromedp.CSS(`a.hearth-help-link`)),
		chromedp.Click(chromedp.CSS(`a.hearth-help-link`)),
		chromedp.WaitVisible(chromedp.ID("subject")),
	)
	if v := read(t, ctx, "page", chromedp.Evaluate[string](`document.getElementById("page_path").value`)); v != "/live/clients/find" {
		t.Errorf("page prefilled as %q", v)
	}
	// A date of birth typed in: the server asks first, keeping the form.
	do(t, ctx, "file-pii",
		chromedp.SendKeys(chromedp.ID("subject"), "Search does not find a client"),
		chromedp.SetValue(chromedp.ID("category"), "question"),
		chromedp.SendKeys(chromedp.ID("description"), "Searching for the client born 03/04/1985 finds nothing."),
		chromedp.Click(chromedp.CSS(`.hearth-ticket-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-pii-warning`)),
	)
	artifact(t, ctx, "support-new-pii")
	if v := read(t, ctx, "kept", chromedp.Evaluate[string](`document.getElementById("subject").value`)); v != "Search does not find a client" {
		t.Errorf("subject after the PII check: %q", v)
	}
	read(t, ctx, "clear", chromedp.Evaluate[bool](`document.getElementById("description").value = ""; true`))
	do(t, ctx, "file-send",
		chromedp.SendKeys(chromedp.ID("description"), "Searching by the Client ID from our paper file finds nothing. Is that expected?"),
		chromedp.Click(chromedp.CSS(`.hearth-ticket-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-ticket-facts`)),
	)
	ticketURL := read(t, ctx, "ticket-url", chromedp.Evaluate[string](`location.pathname`))
	if !strings.HasPrefix(ticketURL, "/live/support/tickets/") {
		t.Fatalf("ticket at %q", ticketURL)
	}
	do(t, ctx, "cm-signout", signOut...)

	// The administrator answers from the queue, with an internal note first.
	do(t, ctx, "admin-signin", signInAs(base, "live", "admin")...)
	do(t, ctx, "queue",
		chromedp.Navigate(base+"/live/support/queue"),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-queue a[href="`+ticketURL+`"]`)),
	)
	artifact(t, ctx, "support-queue")
	do(t, ctx, "open-from-queue",
		chromedp.Click(chromedp.CSS(`.hearth-queue a[href="`+ticketURL+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-reply textarea`)),
	)
	do(t, ctx, "note",
		chromedp.SendKeys(chromedp.CSS(`.hearth-reply textarea`), "Paper file IDs are the old system's; told them to search by name."),
		chromedp.Click(chromedp.CSS(`button[name=kind][value=note]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-message--note`)),
	)
	do(t, ctx, "reply",
		chromedp.SendKeys(chromedp.CSS(`.hearth-reply textarea`), "Search by name: IDs from the old system were not imported."),
		chromedp.Click(chromedp.CSS(`button[name=kind][value=reply]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-message--reply`)),
	)
	do(t, ctx, "status",
		chromedp.SetValue(chromedp.ID("status"), "waiting"),
		chromedp.Click(chromedp.CSS(`.hearth-ticket-status-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-ticket-status--waiting`)),
	)
	artifact(t, ctx, "support-ticket-admin")
	do(t, ctx, "admin-signout", signOut...)

	// The case manager: the header counts the reply and the status
	// change; the ticket shows the reply and never the note.
	do(t, ctx, "cm-again", signInAs(base, "live", "casey")...)
	if n := read(t, ctx, "badge", chromedp.Text(chromedp.CSS(`.hearth-notifications-link .hearth-badge`))); !strings.HasPrefix(n, "2") {
		t.Errorf("unread badge %q", n)
	}
	do(t, ctx, "my-tickets",
		chromedp.Click(chromedp.CSS(`a.hearth-notifications-link`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-notifications a`)),
	)
	artifact(t, ctx, "support-my-tickets")
	do(t, ctx, "open",
		chromedp.Click(chromedp.CSS(`.hearth-notifications a`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-message--reply`)),
	)
	saveScreenshot(t, ctx, t.TempDir(), "support-ticket-user")
	artifact(t, ctx, "support-ticket-user")
	thread := read(t, ctx, "thread", chromedp.Text(chromedp.CSS(`.hearth-thread`)))
	if !strings.Contains(thread, "IDs from the old system were not imported") || !strings.Contains(thread, "Waiting on user") {
		t.Errorf("thread %q", thread)
	}
	if strings.Contains(thread, "Paper file IDs") {
		t.Errorf("the case manager sees the internal note: %q", thread)
	}
	if n := read(t, ctx, "badges", count(`.hearth-notifications-link .hearth-badge`)); n != 0 {
		t.Errorf("%d unread badges after opening the ticket", n)
	}
	// The PII check answers 422 (the form shown again), which Chromium
	// logs; anything else is an error.
	for _, e := range errs.all() {
		if !strings.Contains(e, "status of 422") || !strings.Contains(e, "/live/support/new") {
			t.Errorf("console error: %s", e)
		}
	}
	storetest.Mark(t, "browser")
}

// TestBrowser_Profile: My Profile's name and contact form saves, and the
// header shows the new name.
func TestBrowser_Profile(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t, nil)
	base := app.srv.URL
	do(t, ctx, "signin", signInAs(base, "live", "admin")...)
	do(t, ctx, "profile",
		chromedp.Navigate(base+"/live/profile"),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-contact-form`)),
	)
	read(t, ctx, "clear", chromedp.Evaluate[bool](`document.getElementById("last_name").value = ""; true`))
	do(t, ctx, "save",
		chromedp.SendKeys(chromedp.ID("last_name"), "Lopez"),
		chromedp.SendKeys(chromedp.ID("phone"), "209 555 0147"),
		chromedp.Click(chromedp.CSS(`.hearth-contact-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.usa-alert--info`)),
	)
	saveScreenshot(t, ctx, t.TempDir(), "profile")
	artifact(t, ctx, "profile")
	if name := read(t, ctx, "name", chromedp.Text(chromedp.CSS(`.hearth-user__name`))); !strings.Contains(name, "Avery Lopez") {
		t.Errorf("header name %q", name)
	}
	if v := read(t, ctx, "phone", chromedp.Evaluate[string](`document.getElementById("phone").value`)); v != "(209) 555-0147" {
		t.Errorf("phone shown as %q", v)
	}
}
