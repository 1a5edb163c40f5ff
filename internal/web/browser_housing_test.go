package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// TestBrowser_BedBoard: three clients checked in to beds of an ES
// shelter, each from a free bed's "Check in" on the Bed Board through the
// client search; the board shows each one as they arrive.
func TestBrowser_BedBoard(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t, nil)
	seedHousing(t, app)
	setup := app.browser(t)
	setup.signIn("live", "admin")
	setupBeds(t, setup, 4)
	base := app.srv.URL
	errs := &consoleErrors{}
	errs.watch(ctx, "live")
	do(t, ctx, "signin", signIn(base, "live")...)
	do(t, ctx, "board", chromedp.Navigate(base+"/live/housing/beds"), chromedp.WaitVisible(chromedp.CSS(`.hearth-board`)))
	if n := read(t, ctx, "free", count(`.hearth-bed--free`)); n != 4 {
		t.Fatalf("%d free beds, want 4", n)
	}
	for i, c := range []struct{ search, name string }{
		{"Lovelace", "Lovelace, Ada"}, {"Grace Hopper", "Hopper, Grace"}, {"turing alan", "Turing, Alan"},
	} {
		step := fmt.Sprintf("checkin-%d", i+1)
		do(t, ctx, step,
			chromedp.Click(chromedp.CSS(`.hearth-bed--free a`)), // the first free bed
			chromedp.WaitVisible(chromedp.ID("q")),
			chromedp.SendKeys(chromedp.ID("q"), c.search),
			chromedp.Click(chromedp.CSS(`.hearth-client-search button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`a.hearth-choose-client`)),
			chromedp.Click(chromedp.CSS(`a.hearth-choose-client`)),
			chromedp.WaitVisible(chromedp.CSS(`#checkin-form`)),
			chromedp.Click(chromedp.CSS(`#checkin-form button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`.hearth-board`)),
		)
		if n := read(t, ctx, step+"-occupied", count(`.hearth-bed--occupied`)); n != i+1 {
			t.Errorf("after %s: %d occupied beds, want %d", c.name, n, i+1)
		}
		names := read(t, ctx, step+"-names", chromedp.Evaluate[string](
			`Array.from(document.querySelectorAll('.hearth-occupant')).map(a => a.textContent).join('|')`))
		if !strings.Contains(names, c.name) {
			t.Errorf("board after %s shows %q", c.name, names)
		}
	}
	summary := read(t, ctx, "summary", chromedp.Text(chromedp.CSS(`.hearth-board-summary`)))
	if !strings.Contains(summary, "4 beds: 3 occupied, 0 held, 1 free") {
		t.Errorf("summary %q", summary)
	}
	saveScreenshot(t, ctx, t.TempDir(), "bed-board")
	artifact(t, ctx, "bed-board")

	// Tonight's utilization: 3 of 4 beds.
	today := usDate(hmis.DateOf(time.Now()))
	do(t, ctx, "utilization",
		chromedp.Navigate(base+"/live/housing/utilization?"+url.Values{"from": {today}, "to": {today}}.Encode()),
		chromedp.WaitVisible(chromedp.CSS(`svg.hearth-chart`)))
	if n := read(t, ctx, "bars", count(`svg.hearth-chart rect`)); n != 1 {
		t.Errorf("%d bars, want 1", n)
	}
	avg := read(t, ctx, "average", chromedp.Text(chromedp.CSS(`.hearth-utilization p`)))
	if !strings.Contains(avg, "75.0%") {
		t.Errorf("utilization %q", avg)
	}
	artifact(t, ctx, "utilization")
	do(t, ctx, "inventory", chromedp.Navigate(base+"/live/housing/inventory"), chromedp.WaitVisible(chromedp.CSS(`.hearth-inventory`)))
	artifact(t, ctx, "inventory")
	if e := errs.all(); len(e) > 0 {
		t.Errorf("console errors: %v", e)
	}
}

// TestBrowser_NightlyRoster: last night's roster of the night-by-night
// shelter, both clients ticked, one save records their bed nights.
func TestBrowser_NightlyRoster(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t, nil)
	st := seedHousing(t, app)
	base := app.srv.URL
	errs := &consoleErrors{}
	errs.watch(ctx, "live")
	last := hmis.DateOf(time.Now()).AddDays(-1)
	do(t, ctx, "signin", signIn(base, "live")...)
	do(t, ctx, "roster",
		chromedp.Navigate(base+"/live/housing/roster?"+url.Values{"program": {"P1"}, "night": {usDate(last)}}.Encode()),
		chromedp.WaitVisible(chromedp.CSS(`#roster-form`)))
	if n := read(t, ctx, "rows", count(`.hearth-roster tbody tr`)); n != 2 {
		t.Fatalf("%d roster rows, want 2", n)
	}
	do(t, ctx, "tick",
		chromedp.Click(chromedp.CSS(`label[for="present-Enb1"]`)),
		chromedp.Click(chromedp.CSS(`label[for="present-Enb2"]`)),
	)
	artifact(t, ctx, "roster-ticked")
	do(t, ctx, "save",
		chromedp.Click(chromedp.CSS(`#roster-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.usa-alert--success`)))
	msg := read(t, ctx, "saved", chromedp.Text(chromedp.CSS(`.usa-alert--success`)))
	if !strings.Contains(msg, "2 bed nights recorded") {
		t.Errorf("after the save: %q", msg)
	}
	if n := read(t, ctx, "checked", count(`.hearth-roster input[type=checkbox]:checked`)); n != 2 {
		t.Errorf("%d ticks after the save, want 2", n)
	}
	saveScreenshot(t, ctx, t.TempDir(), "nightly-roster")
	artifact(t, ctx, "nightly-roster")
	for _, e := range []string{"Enb1", "Enb2"} {
		svcs, err := store.FindRecords[hmis.Service](storetest.Context(t), st, store.RecordFilter{EnrollmentID: e})
		if err != nil || len(svcs) != 1 || !svcs[0].DateProvided.Equal(last) || *svcs[0].RecordType != 200 {
			t.Errorf("%s bed nights %+v %v", e, svcs, err)
		}
	}
	if e := errs.all(); len(e) > 0 {
		t.Errorf("console errors: %v", e)
	}
}
