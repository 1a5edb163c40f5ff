package ceapr

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/report/kit"
)

const kitDir = "../../../../shared/testdata/datalab-fy2023"

// norm reduces a label to its letters and digits, lower case.
func norm(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestKit runs the CE APR on HUD Data Lab's FY2023 kit (the ce_apr scope
// of expected/scopes_map.tsv) and compares every numeric cell of
// expected/ce_apr/ce with Hearth's: rows by label (FY2026 removed Q6a's
// Ethnicity and Gender rows: those cells are counted apart), columns by
// position; Q4a by project ID (its active client and household counts).
// It prints "N of M cells match" per table and requires every cell that
// cells.tsv marks compared to match.
func TestKit(t *testing.T) {
	if _, err := os.Stat(filepath.Join(kitDir, "input")); err != nil {
		t.Skip("no HUD test kit at " + kitDir)
	}
	scopes, err := kit.LoadScopes(kitDir)
	if err != nil {
		t.Fatal(err)
	}
	var scope *kit.Scope
	for i := range scopes {
		if scopes[i].Report == "ce_apr" {
			scope = &scopes[i]
		}
	}
	if scope == nil {
		t.Fatal("no ce_apr scope in scopes_map.tsv")
	}
	status, err := kit.Statuses(kitDir)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := kit.ReadInput(kitDir)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(ds, report.Params{Start: scope.Start, End: scope.End, CoC: scope.CoC, Software: "Hearth"})
	if err != nil {
		t.Fatal(err)
	}
	var all, allMatch, comp, compMatch, absent int
	for _, id := range TableIDs {
		f, err := os.Open(filepath.Join(kitDir, "expected", "ce_apr", scope.Name, id+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		header, rows, err := report.ReadCSV(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := rep.Table(id)
		if got == nil {
			t.Errorf("%s: not computed", id)
			continue
		}
		n, m := 0, 0
		check := func(cell, want string, have report.Cell, label string) {
			wv, err := strconv.ParseFloat(strings.TrimSpace(want), 64)
			if err != nil {
				return // text
			}
			compared := status["ce_apr/"+scope.Name+"/"+id+"/"+cell] == "compared"
			n++
			all++
			if compared {
				comp++
			}
			if d := have.Value - wv; d < 0.0005 && d > -0.0005 {
				m++
				allMatch++
				if compared {
					compMatch++
				}
				return
			}
			msg := fmt.Sprintf("%s %s (%s): got %s, want %s", id, cell, label, have.String(), want)
			if compared {
				t.Error(msg)
			} else {
				t.Log("not compared by cells.tsv: " + msg)
			}
		}
		if id == "Q4a" {
			byProject := map[string]report.Row{}
			for _, r := range got.Rows {
				byProject[r.Cells[2].Text] = r
			}
			for i, r := range rows {
				gr, ok := byProject[r[3]]
				if !ok {
					t.Errorf("Q4a: project %s (%s) missing", r[3], r[2])
					continue
				}
				check(fmt.Sprintf("O%d", i+2), r[14], gr.Cells[14], "Total Active Clients of "+r[3])
				check(fmt.Sprintf("P%d", i+2), r[15], gr.Cells[15], "Total Active Households of "+r[3])
			}
			if len(got.Rows) != len(rows) {
				t.Errorf("Q4a: %d projects, want %d", len(got.Rows), len(rows))
			}
		} else {
			idx := map[string]int{}
			for i, r := range got.Rows {
				idx[norm(r.Label)] = i
			}
			for i, r := range rows {
				gi, ok := idx[norm(r[0])]
				if !ok {
					absent += len(r) - 1
					continue
				}
				for j := 1; j < len(r) && j < len(header); j++ {
					check(fmt.Sprintf("%c%d", 'A'+j, i+2), r[j], got.Rows[gi].Cells[j-1], r[0]+" / "+header[j])
				}
			}
		}
		fmt.Printf("ce_apr %-4s %d of %d cells match\n", id, m, n)
	}
	fmt.Printf("ce_apr total: %d of %d cells match (compared: %d of %d); %d cells with no FY2026 row\n", allMatch, all, compMatch, comp, absent)
}
