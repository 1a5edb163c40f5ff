package web

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowser_Calendar: a weekly appointment with a client, made from the
// client's calendar, is on the week view (after htmx navigation to the
// next week) and the month view, and in the iCalendar feed.
func TestBrowser_Calendar(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t, nil)
	seedClients(t, app)
	base := app.srv.URL
	errs := &consoleErrors{}
	errs.watch(ctx, "live")
	do(t, ctx, "signin", signIn(base, "live")...)

	mon := nextWeekday(time.Monday)
	day := mon.Format(time.DateOnly)
	do(t, ctx, "client-calendar",
		chromedp.Navigate(base+"/live/clients/lennon01"),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-client-links`)),
		chromedp.Click(`//ul[@class="hearth-client-links"]//a[normalize-space()="Calendar"]`),
		chromedp.WaitVisible(chromedp.CSS(`#cal-range`)),
		chromedp.Click(`//a[normalize-space()="New appointment with John Lennon"]`),
		chromedp.WaitVisible(chromedp.ID("title")),
	)
	if n := read(t, ctx, "client-checked", count(`#client-lennon01:checked`)); n != 1 {
		t.Fatalf("the client is not chosen on the form")
	}
	do(t, ctx, "fill",
		chromedp.SendKeys(chromedp.ID("title"), "Housing plan review"),
		chromedp.SetValue(chromedp.ID("start_date"), day),
		chromedp.SetValue(chromedp.ID("start_time"), "10:00"),
		chromedp.SetValue(chromedp.ID("end_date"), day),
		chromedp.SetValue(chromedp.ID("end_time"), "11:00"),
		chromedp.SendKeys(chromedp.ID("location"), "Room 2"),
		chromedp.SetValue(chromedp.ID("repeat"), "WEEKLY"),
		chromedp.Click(chromedp.CSS(`label[for="byday-MO"]`)),
		chromedp.Click(chromedp.CSS(`label[for="byday-WE"]`)),
		chromedp.SendKeys(chromedp.ID("repeat_count"), "6"),
	)
	artifact(t, ctx, "calendar-form")
	do(t, ctx, "save",
		chromedp.Click(chromedp.CSS(`.hearth-event-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.hearth-occurrences`)),
	)
	if h1 := read(t, ctx, "event-h1", chromedp.Text(chromedp.CSS(`h1`))); h1 != "Housing plan review" {
		t.Errorf("event page h1 %q", h1)
	}
	artifact(t, ctx, "calendar-event")

	// The week view, this week, then the next one through htmx (the page
	// is not reloaded: a marker set on window survives).
	do(t, ctx, "week",
		chromedp.Navigate(base+"/live/clients/lennon01/calendar?view=week"),
		chromedp.WaitVisible(chromedp.CSS(`#cal-range`)),
		chromedp.Evaluate[chromedp.Void](`window.hearthMarker = 1`),
		chromedp.Click(chromedp.CSS(`.hearth-cal-nav a[rel=next]`)),
		chromedp.WaitVisible(chromedp.ID("day-"+day)),
	)
	if m := read(t, ctx, "htmx", chromedp.Evaluate[int](`window.hearthMarker || 0`)); m != 1 {
		t.Errorf("the week changed by a full page load, not htmx")
	}
	if n := read(t, ctx, "week-items", count(`.hearth-cal-week .hearth-cal-item a`)); n != 2 {
		t.Errorf("week view: %d occurrences, want 2 (Monday and Wednesday)", n)
	}
	if focus := read(t, ctx, "focus", chromedp.Evaluate[string](`document.activeElement.id`)); focus != "cal-range" {
		t.Errorf("after navigating, focus is on %q, want the range heading", focus)
	}
	artifact(t, ctx, "calendar-week")
	saveScreenshot(t, ctx, t.TempDir(), "calendar-week")

	// The month view of the same date.
	do(t, ctx, "month",
		chromedp.Click(`//nav[@aria-label="Calendar views"]//a[normalize-space()="Month"]`),
		chromedp.WaitVisible(chromedp.CSS(`table.hearth-cal-month`)),
	)
	n := read(t, ctx, "month-items", count(`.hearth-cal-month .hearth-cal-item a`))
	if n < 2 {
		t.Errorf("month view: %d occurrences", n)
	}
	artifact(t, ctx, "calendar-month")

	// The feed: make a link, read it as a calendar program would.
	do(t, ctx, "feed",
		chromedp.Navigate(base+"/live/home/calendar/settings"),
		chromedp.Click(`//button[normalize-space()="Make a subscription link"]`),
		chromedp.WaitVisible(chromedp.ID("feed-url")),
	)
	artifact(t, ctx, "calendar-settings")
	link := read(t, ctx, "feed-url", chromedp.Evaluate[string](`document.getElementById("feed-url").value`))
	res, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("feed: status %d", res.StatusCode)
	}
	cal := parseICS(t, string(body))
	checkICS(t, cal)
	found := false
	for _, c := range cal.Subs {
		if c.Name == "VEVENT" && len(c.get("SUMMARY")) == 1 && c.get("SUMMARY")[0].Value == "Housing plan review (J.L.)" {
			found = c.get("RRULE")[0].Value == "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6"
		}
	}
	if !found {
		t.Errorf("the feed lacks the weekly appointment:\n%s", body)
	}
	if strings.Contains(string(body), "Lennon") {
		t.Error("the feed names the client")
	}
	// The dashboard's reminders: today's events and the rest.
	do(t, ctx, "dashboard", chromedp.Navigate(base+"/live/"), chromedp.WaitVisible(chromedp.CSS(`.hearth-reminders`)))
	if n := read(t, ctx, "reminder-groups", count(`.hearth-reminders h3`)); n != 3 {
		t.Errorf("dashboard: %d reminder groups, want 3", n)
	}
	artifact(t, ctx, "calendar-dashboard")
	if e := errs.all(); len(e) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(e, "\n"))
	}
}
