package apr

import (
	"sort"

	"github.com/hearth-hmis/hearth/internal/report"
)

func sortHH(hs []*report.Household) {
	sort.Slice(hs, func(i, j int) bool { return hs[i].ID < hs[j].ID })
}
