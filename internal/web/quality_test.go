package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestQuality_Pages: the client's data completeness and a program's data
// quality page show HUD's findings with links to fix them, only for what
// the user may see.
func TestQuality_Pages(t *testing.T) {
	app := newTestApp(t, nil)
	seedClients(t, app)
	b := app.browser(t)
	b.signIn("live", "casey")

	page := b.get("/live/clients/lennon01/quality")
	if page.Status != http.StatusOK {
		t.Fatalf("client page: %d", page.Status)
	}
	// lennon01's stay (E1): no disabling condition, no income, exited
	// without a destination; entered long after its dates.
	wantContains(t, "client page", page.Body, "Hope Emergency Shelter, entered 01/05/2024, exited 03/01/2024",
		"Disabling condition (3.08)", "Income at project start (4.02)", "Destination (3.12)", "Race and ethnicity (3.04)",
		"Project start (3.10)", "Entered late", `href="/live/clients/lennon01/edit"`,
		`href="/live/workflows/start?client=lennon01&amp;project=P1&amp;stage=update"`)
	wantNotContains(t, "client page", page.Body, "Social Security Number (3.02)") // a full, possible SSN

	b.get("/live/clients/lennon01")
	wantContains(t, "menu option", b.get("/live/clients/quality").Body, "Data Completeness: John Lennon")

	prog := b.get("/live/clients/program-quality?program=P1&since=" + url.QueryEscape("01/01/2024"))
	wantContains(t, "program page", prog.Body, "Lennon, John · Hope Emergency Shelter", "Lennon, Julia · Hope Emergency Shelter",
		"records entered late")
	if n := strings.Count(prog.Body, `class="hearth-quality"`); n != 2 {
		t.Errorf("program page: %d enrollments", n)
	}
	bad := b.get("/live/clients/program-quality?program=P1&since=13/45/2024")
	wantContains(t, "bad date", bad.Body, `id="since-error"`, `value="13/45/2024"`)

	o := app.browser(t)
	o.signIn("live", "other")
	if res := o.get("/live/clients/lennon01/quality"); res.Status != http.StatusNotFound {
		t.Errorf("other org's client page: %d", res.Status)
	}
	wantNotContains(t, "other org's program page", o.get("/live/clients/program-quality?program=P1&since=01/01/2024").Body, "Lennon")
}
