package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// TestDuplicatesPages: an administrator sees the pair, confirms a merge,
// sees it under Merges and undoes it; a case manager gets 404 everywhere.
func TestDuplicatesPages(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedClients(t, a)
	ctx := storetest.Context(t)
	dup := hmis.Client{PersonalID: "lennon99", FirstName: "Johnny", LastName: "Lennon", SSN: "123456789", DOB: hmis.MustDate("1940-10-09"),
		NameDataQuality: new(hud.NameDataQuality(1)), SSNDataQuality: new(hud.SSNDataQuality(1)),
		DOBDataQuality: new(hud.DOBDataQuality(1)), VeteranStatus: new(hud.NoYesReasonsForMissingData(1)), Sex: new(hud.Sex(1))}
	dup.MiddleName = "Winston" // lennon01 has none: the merge fills it
	must(t, store.CreateRecord(ctx, st, &dup))
	must(t, storetest.Exec(st, `UPDATE clients SET organization_id = 'ORG1' WHERE personal_id = 'lennon99'`))
	today := hmis.DateOf(time.Now())
	_, err := st.AddRelease(ctx, store.NewRelease{PersonalID: "lennon99", Number: "R-77", Organizations: []string{"ORG2"},
		Begin: today.AddDays(-1), End: today.AddDays(30), Witness: "W. Itness"})
	must(t, err)

	cm := a.browser(t)
	cm.signIn("live", "casey")
	for _, p := range []string{"/live/clients/duplicates", "/live/clients/merges", "/live/clients/duplicates/confirm?keep=lennon01&merge=lennon99"} {
		if res := cm.get(p); res.Status != http.StatusNotFound {
			t.Errorf("case manager GET %s: %d, want 404", p, res.Status)
		}
	}
	if res := cm.post("/live/clients/duplicates/merge", url.Values{"keep": {"lennon01"}, "merge": {"lennon99"}, "confirm": {"1"}}); res.Status != http.StatusNotFound {
		t.Errorf("case manager merge: %d, want 404", res.Status)
	}
	if res := cm.get("/live/clients/find"); strings.Contains(res.Body, "/live/clients/duplicates") {
		t.Errorf("case manager menu offers Duplicates")
	}

	if res := cm.post("/live/clients/duplicates/recompute", nil); res.Status != http.StatusNotFound {
		t.Errorf("case manager recompute: %d, want 404", res.Status)
	}

	ad := a.browser(t)
	ad.signIn("live", "admin")
	// The queue is computed in the background, not when the page opens.
	res := ad.get("/live/clients/duplicates")
	if res.Status != http.StatusOK {
		t.Fatalf("duplicates: %d\n%s", res.Status, res.Body)
	}
	wantContains(t, "duplicates before", res.Body, "Not computed yet", "Recompute now", "No likely duplicates")
	res = ad.post("/live/clients/duplicates/recompute", nil)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("recompute: %d", res.Status)
	}
	res = ad.get(res.Header.Get("Location"))
	wantContains(t, "duplicates", res.Body, "The queue was recomputed: 1 likely", "1 pair to review",
		"lennon01", "lennon99", "Merge into left", "Merge into right", "Not a duplicate")
	wantNotContains(t, "duplicates", res.Body, "Clients were added or changed since")
	wantNotContains(t, "duplicates", res.Body, "smith001")

	// Merging goes through the confirmation page first.
	res = ad.post("/live/clients/duplicates/merge", url.Values{"keep": {"lennon01"}, "merge": {"lennon99"}})
	if res.Status != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/live/clients/duplicates/confirm?") {
		t.Fatalf("merge without confirm: %d %q", res.Status, res.Header.Get("Location"))
	}
	res = ad.get(res.Header.Get("Location"))
	if res.Status != http.StatusOK {
		t.Fatalf("confirm: %d\n%s", res.Status, res.Body)
	}
	wantContains(t, "confirm", res.Body, "Merge Clients", `name="confirm" value="1"`,
		"The merged record has 1 information release", "Release R-77", "The kept record has no Middle name: the merge fills it")
	res = ad.post("/live/clients/duplicates/merge", url.Values{"keep": {"lennon01"}, "merge": {"lennon99"}, "confirm": {"1"}, "reason": {"same SSN"}})
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/live/clients/merges?merged=") {
		t.Fatalf("merge: %d %q\n%s", res.Status, res.Header.Get("Location"), res.Body)
	}
	res = ad.get(res.Header.Get("Location"))
	wantContains(t, "merges", res.Body, "The clients were merged.", "lennon99", "same SSN", "Undo")
	undo := regexpAll(res.Body, `action="(/live/clients/merges/[^"]+/undo)"`)
	if len(undo) != 1 {
		t.Fatalf("undo forms: %v", undo)
	}
	if res := ad.get("/live/clients/duplicates"); strings.Contains(res.Body, "lennon99") {
		t.Errorf("merged pair still listed")
	}
	wantContains(t, "filled", ad.get("/live/clients/lennon01").Body, "John Winston Lennon’s Dashboard")
	// The merged client's page is gone.
	if res := ad.get("/live/clients/lennon99"); res.Status != http.StatusNotFound {
		t.Errorf("merged client page: %d, want 404", res.Status)
	}

	res = ad.post(undo[0], nil)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("undo: %d\n%s", res.Status, res.Body)
	}
	res = ad.get(res.Header.Get("Location"))
	wantContains(t, "merges after undo", res.Body, "The merge was undone.", "Undone")
	if res := ad.post(undo[0], nil); res.Status != http.StatusConflict {
		t.Errorf("undo twice: %d, want 409", res.Status)
	}
	if res := ad.get("/live/clients/lennon99"); res.Status != http.StatusOK {
		t.Errorf("restored client page: %d", res.Status)
	}
	wantContains(t, "unfilled", ad.get("/live/clients/lennon01").Body, "John Lennon’s Dashboard")
	if res := ad.get("/live/clients/duplicates"); !strings.Contains(res.Body, "lennon99") {
		t.Errorf("pair not back in the queue after undo")
	}
}
