package web

import (
	"bytes"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/reportrun"
)

// TestReports_CommandLineRunInHistory: a run recorded the way `hearth
// report` records it (reportrun.Recorded, as casey through the command
// line) is in casey's history on Home → Reports, with who ran it and how;
// it opens (computed again from its parameters: not in the server's
// memory) and its zip downloads, the one the command wrote; another case
// manager does not see it.
func TestReports_CommandLineRunInHistory(t *testing.T) {
	a := newTestApp(t, nil)
	st := seedReports(t, a, 6)
	ctx := hmis.NewContext(t.Context(), hmis.Actor{AccountID: accountID(t, st, "casey"), Username: "casey",
		Role: hmis.RoleCaseManager, OrganizationID: "ORG1", Via: "cli"})
	var written []byte
	p := report.Params{ProjectIDs: []string{"P2"}, Start: hmis.MustDate("2025-10-01"), End: hmis.MustDate("2026-09-30"), CoC: "CA-510", Software: "Hearth"}
	res, run, err := reportrun.Recorded(ctx, st, reportrun.APR, p, "", func(zip []byte) error { written = zip; return nil }, "")
	if err != nil {
		t.Fatal(err)
	}
	path := "/live/home/reports/runs/" + run.ID
	casey := a.browser(t)
	casey.signIn("live", "casey")
	page := casey.get("/live/home/reports")
	wantContains(t, "history", page.Body, `href="`+path+`"`, `href="`+path+`/zip"`, "CoC APR", "casey(cli)", "10/01/2025 to 09/30/2026")
	if got := casey.get(path); got.Status != 200 {
		t.Errorf("the run's page: status %d", got.Status)
	} else {
		wantContains(t, "run page", got.Body, "computed again now", `id="Q5a"`)
	}
	if got := casey.get(path + "/zip"); got.Status != 200 || !bytes.Equal([]byte(got.Body), written) || len(written) == 0 {
		t.Errorf("the zip: status %d, %d bytes, want the %d the command wrote", got.Status, len(got.Body), len(written))
	}
	if res.Persons() == 0 {
		t.Error("the run counted no one")
	}
	other := a.browser(t)
	other.signIn("live", "other")
	wantNotContains(t, "other's history", other.get("/live/home/reports").Body, path)
}
