package web

import (
	"net/url"
	"strings"
	"testing"
)

// TestImport_DropInvalidRows: the upload form's "Leave out broken rows"
// (unchecked by default) imports an export whose client 2 is missing from
// Client.csv without that client's enrollment and exit, and says so.
func TestImport_DropInvalidRows(t *testing.T) {
	app := newTestApp(t, nil)
	b := app.browser(t)
	b.signIn("live", "admin")
	form := b.get("/live/home/import").Body
	wantContains(t, "import form", form, `<input class="usa-checkbox__input" id="dropinvalid" type="checkbox" name="dropinvalid" value="1">`,
		`<label class="usa-checkbox__label" for="dropinvalid">Leave out broken rows`)
	orphans := exportZip(t, func(name, text string) string {
		if name == "Client.csv" {
			lines := strings.Split(text, "\r\n")
			var keep []string
			for _, l := range lines {
				if !strings.HasPrefix(l, "2,") {
					keep = append(keep, l)
				}
			}
			return strings.Join(keep, "\r\n")
		}
		return text
	})

	// Unchecked: rejected, nothing written.
	_, frag := b.importDone("live", url.Values{"sharing": {"restrict"}}, "orphans.zip", orphans)
	wantContains(t, "strict", frag, "Rejected: nothing written", "no Client.csv row has this PersonalID")
	if n := clientCount(t, app); n != 0 {
		t.Errorf("clients after a rejected import: %d", n)
	}

	// Checked: imported without the two rows, each named.
	page, frag := b.importDone("live", url.Values{"sharing": {"restrict"}, "dropinvalid": {"1"}}, "orphans.zip", orphans)
	wantContains(t, "dropping", frag, "The export was imported.", "2 broken rows were left out (Enrollment.csv 1, Exit.csv 1)",
		"dropped: no Client.csv row has this PersonalID", "dropped: no Enrollment.csv row has this EnrollmentID")
	wantContains(t, "status page", page, "<dt>Broken rows</dt><dd>left out and listed in the report</dd>")
	if n := clientCount(t, app); n != 1 {
		t.Errorf("clients after the import: %d, want 1", n)
	}
	hist := b.get("/live/home/import").Body
	wantContains(t, "history", hist, `<span class="hearth-imports__detail">2 broken rows left out</span>`)
}
