package reportrun

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/hearth-hmis/hearth/internal/demo"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/report/apr"
	"github.com/hearth-hmis/hearth/internal/report/ceapr"
	"github.com/hearth-hmis/hearth/internal/report/dq"
	"github.com/hearth-hmis/hearth/internal/report/kit"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
	"github.com/hearth-hmis/hearth/internal/transfer"
)

// TestReportDataset_SameAsExport runs every report twice, once on the
// records of the full export stream (transfer.LoadDataset, the loader
// reports used before) and once on the report loader's
// (store.ReportDataset), for the same actor and parameters, and compares
// the Sage zips byte for byte: on a demo CoC, as the system and as a case
// manager of one organization, over all programs and one organization's;
// and on HUD's test kit (every APR and CAPER scope), when ../shared is
// present.
func TestReportDataset_SameAsExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		sys := storetest.Context(t)
		today := hmis.MustDate("2026-10-15")
		if _, err := demo.Populate(sys, st, demo.Options{Clients: 300, Seed: 7, Today: today}); err != nil {
			t.Fatal(err)
		}
		projects, _, err := Choices(sys, st)
		if err != nil {
			t.Fatal(err)
		}
		var all []string
		byOrg := map[string][]string{}
		for _, p := range projects {
			all = append(all, p.ID)
			byOrg[p.OrganizationID] = append(byOrg[p.OrganizationID], p.ID)
		}
		org, orgIDs := "", []string(nil)
		for o, ids := range byOrg {
			if len(ids) > len(orgIDs) || len(ids) == len(orgIDs) && o < org {
				org, orgIDs = o, ids
			}
		}
		cm := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "cm", UserID: "cm", Username: "casey", Role: hmis.RoleCaseManager,
			OrganizationID: org, Via: "test"})
		for _, actor := range []struct {
			name string
			ctx  context.Context
		}{{"system", sys}, {"case manager", cm}} {
			for _, ids := range [][]string{all, orgIDs} {
				// A year, and a short period inside it (stays that ended
				// before it are out of the loader's reach).
				for _, start := range []hmis.Date{today.AddDays(-365), today.AddDays(-60)} {
					p := report.Params{ProjectIDs: ids, Start: start, End: today, CoC: demo.DefaultCoC, Software: "Hearth"}
					for _, kind := range Kinds {
						sameReport(t, actor.ctx, st, actor.name, kind, p)
					}
				}
			}
		}

		dir := filepath.Join("..", "..", "..", "shared", "testdata", "datalab-fy2023")
		if _, err := os.Stat(dir); err != nil {
			t.Log("../shared is not present: the kit part is skipped")
			return
		}
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
		stored, err := transfer.LoadDataset(sys, st, nil, hmis.Date{})
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]string{}
		for _, p := range stored.Projects {
			byName[p.ProjectName] = p.ProjectID
		}
		kitName := map[string]string{}
		for _, p := range in.Projects {
			kitName[p.ProjectID] = p.ProjectName
		}
		n := 0
		for _, sc := range scopes {
			kind := Kind(sc.Report)
			if kind != APR && kind != CAPER {
				continue
			}
			var ids []string
			for _, id := range sc.ProjectIDs {
				if hid, ok := byName[kitName[id]]; ok {
					ids = append(ids, hid)
				}
			}
			if len(ids) != len(sc.ProjectIDs) {
				t.Fatalf("kit scope %s: %d of %d programs found after import", sc.Name, len(ids), len(sc.ProjectIDs))
			}
			sort.Strings(ids)
			p := report.Params{ProjectIDs: ids, Start: sc.Start, End: sc.End, CoC: sc.CoC, Software: "Hearth"}
			sameReport(t, sys, st, "kit "+sc.Name, kind, p)
			n++
		}
		if n == 0 {
			t.Fatal("no APR or CAPER scope in the kit")
		}
		t.Logf("HUD's kit: %d APR and CAPER scopes, the same Sage zips from both loaders", n)
	})
}

// sameReport computes kind over both loaders' records and compares the
// Sage zips.
func sameReport(t *testing.T, ctx context.Context, st *store.Store, who string, kind Kind, p report.Params) {
	t.Helper()
	if kind.SystemWide() {
		p.ProjectIDs = nil
	}
	old, err := transfer.LoadDataset(ctx, st, p.ProjectIDs, p.End)
	if err != nil {
		t.Fatal(err)
	}
	narrow, err := st.ReportDataset(ctx, store.ReportScope{ProjectIDs: p.ProjectIDs, Start: p.Start, End: p.End})
	if err != nil {
		t.Fatal(err)
	}
	a, b := sageZip(t, old, kind, p), sageZip(t, narrow, kind, p)
	if !bytes.Equal(a, b) {
		t.Errorf("%s, %s of %d programs from %s: the report loader's Sage zip differs from the export's (%d and %d bytes; %d and %d enrollments)",
			who, kind, len(p.ProjectIDs), p.Start, len(a), len(b), len(old.Enrollments), len(narrow.Enrollments))
	}
	facts := 0
	for _, fs := range narrow.DisabilityFacts {
		facts += len(fs)
	}
	if len(narrow.Disabilities) != 0 || facts > len(old.Disabilities) || len(narrow.IncomeBenefits) > len(old.IncomeBenefits) {
		t.Errorf("%s, %s: the report loader read more records than the export", who, kind)
	}
}

func sageZip(t *testing.T, ds *hmis.Dataset, kind Kind, p report.Params) []byte {
	t.Helper()
	var rep *report.Report
	var err error
	switch kind {
	case DQ:
		rep, err = dq.Run(ds, p)
	case CEAPR:
		rep, err = ceapr.Run(ds, p)
	default:
		rep, err = apr.Run(ds, apr.Kind(kind), p)
	}
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rep.WriteSageZip(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
