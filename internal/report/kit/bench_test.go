package kit

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/report/apr"
)

// BenchmarkAPROneProgram is the full FY2026 APR (67 tables) of one program
// of HUD's kit (PSH, 28 clients), from the in-memory dataset: the index,
// the universe and every table.
func BenchmarkAPROneProgram(b *testing.B) {
	ds := kitData(b)
	p := report.Params{ProjectIDs: []string{"780"}, Start: hmis.MustDate("2021-10-01"), End: hmis.MustDate("2022-09-30"), CoC: "XX-501"}
	for b.Loop() {
		if _, err := apr.Run(ds, apr.APR, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAPRWholeKit is the full APR over all ten programs of the kit
// (514 clients).
func BenchmarkAPRWholeKit(b *testing.B) {
	ds := kitData(b)
	var ids []string
	for _, p := range ds.Projects {
		ids = append(ids, p.ProjectID)
	}
	p := report.Params{ProjectIDs: ids, Start: hmis.MustDate("2021-10-01"), End: hmis.MustDate("2022-09-30"), CoC: "XX-501"}
	for b.Loop() {
		if _, err := apr.Run(ds, apr.APR, p); err != nil {
			b.Fatal(err)
		}
	}
}
