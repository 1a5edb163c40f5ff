package reportrun

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/report/kit"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
	"github.com/hearth-hmis/hearth/internal/transfer"
)

// TestRun_ServedClientsOnImportedKit (issue 7 point 2, issue 6): HUD's
// test kit imported, where each client belongs to the organization of
// its earliest enrollment, the APR and CAPER of every kit scope, run by a
// case manager of the organization owning the scope's programs, count the
// same persons as the administrator's run and write the same Sage zip:
// an organization sees the clients its programs serve, even those that
// belong to another organization. The test says how many persons of each
// scope belong to another organization (before this rule, the case
// manager did not count them). Skips without ../shared.
func TestRun_ServedClientsOnImportedKit(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "testdata", "datalab-fy2023")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("../shared is not present")
	}
	st := storetest.OpenSQLite(t)
	sys := storetest.Context(t)
	if _, err := transfer.Import(sys, st, filepath.Join(dir, "input"), transfer.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	in, err := kit.ReadInput(dir)
	if err != nil {
		t.Fatal(err)
	}
	scopes, err := kit.LoadScopes(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The kit's project IDs become Hearth IDs on import: match by name.
	projects, _, err := Choices(sys, st)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Program{}
	for _, p := range projects {
		byName[p.Name] = p
	}
	kitName := map[string]string{}
	for _, p := range in.Projects {
		kitName[p.ProjectID] = p.ProjectName
	}
	n, others := 0, 0
	for _, sc := range scopes {
		kind := Kind(sc.Report)
		if kind != APR && kind != CAPER {
			continue
		}
		// The scope's programs by organization: one run per organization
		// on its own programs (a case manager may report on no other).
		byOrg := map[string][]string{}
		for _, id := range sc.ProjectIDs {
			p, ok := byName[kitName[id]]
			if !ok {
				t.Fatalf("kit scope %s: program %s not found after import", sc.Name, id)
			}
			byOrg[p.OrganizationID] = append(byOrg[p.OrganizationID], p.ID)
		}
		for org, ids := range byOrg {
			sort.Strings(ids)
			p := report.Params{ProjectIDs: ids, Start: sc.Start, End: sc.End, CoC: sc.CoC, Software: "Hearth"}
			cm := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "cm", UserID: "cm", Username: "casey", Role: hmis.RoleCaseManager,
				OrganizationID: org, Via: "test"})
			mine, err := Run(cm, st, kind, p)
			if err != nil {
				t.Fatal(err)
			}
			all, err := Run(sys, st, kind, p)
			if err != nil {
				t.Fatal(err)
			}
			// The persons of the scope who belong to another organization.
			ds, err := st.ReportDataset(sys, store.ReportScope{ProjectIDs: ids, Start: sc.Start, End: sc.End})
			if err != nil {
				t.Fatal(err)
			}
			foreign := 0
			for _, c := range ds.Clients {
				owner, _, err := st.ClientOwnership(sys, c.PersonalID)
				if err != nil {
					t.Fatal(err)
				}
				if owner != org {
					foreign++
				}
			}
			others += foreign
			n++
			if mine.Persons() != all.Persons() || all.Persons() == 0 {
				t.Errorf("%s %s (%d programs): the case manager counts %d persons, the administrator %d",
					kind, sc.Name, len(ids), mine.Persons(), all.Persons())
			}
			var a, b bytes.Buffer
			if err := mine.Report.WriteSageZip(&a); err != nil {
				t.Fatal(err)
			}
			if err := all.Report.WriteSageZip(&b); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%s %s: the case manager's Sage zip differs from the administrator's", kind, sc.Name)
			}
			t.Logf("%s %s: %d persons for both, %d of them clients of another organization", kind, sc.Name, all.Persons(), foreign)
		}
	}
	if n == 0 {
		t.Fatal("no APR or CAPER scope in the kit")
	}
	if others == 0 {
		t.Error("no scope has a client of another organization: the test shows nothing")
	}
	t.Logf("HUD's kit: %d runs, the case manager's the same as the administrator's; %d persons counted were clients of another organization", n, others)
}
