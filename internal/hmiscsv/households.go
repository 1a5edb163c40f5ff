package hmiscsv

import (
	"cmp"
	"slices"
)

// enrollInfo is what later files need of an enrollment.
type enrollInfo struct {
	client uint64 // PersonalID hash
	proj   int32  // index in reader.projs; -1 when the project is unknown
	entry  int32  // EntryDate as dayNum (operating.go)
}

// hhRow is one live enrollment for the household checks (32 bytes a row,
// freed after Enrollment.csv).
type hhRow struct {
	hh, proj, client uint64 // hashes of HouseholdID, ProjectID, PersonalID
	line             int32
	head             bool
}

// household keeps a registered Enrollment.csv row for checkHouseholds.
// Soft-deleted rows and rows without a HouseholdID are left out.
func (c *checker) household(personal uint64) {
	hh := c.str("HouseholdID")
	if hh == "" || isSet(c.p, c.rt.field("DateDeleted")) {
		return
	}
	r := c.r
	r.households = append(r.households, hhRow{hh: r.hash(hh), proj: r.hash(c.str("ProjectID")), client: personal,
		line: int32(c.line), head: c.intOr("RelationshipToHoH", -1) == 1})
}

// checkHouseholds runs the household checks over Enrollment.csv, all
// warnings (the severity policy stops an import for none of them):
//   - eva 98 "HouseholdID not incrementing correctly" (5.09): a HouseholdID
//     is one household stay in one project, so it must not appear in two
//     projects, nor twice for one client (a readmission that reused it);
//   - eva 2 "No Head of Household" and 3 "Too Many Heads of Household"
//     (3.15): exactly one RelationshipToHoH 1 per HouseholdID.
//
// (eva 4, a member without RelationshipToHoH, is the "required value
// empty" warning of the row.) The rows are sorted, not kept in a map.
func (r *reader) checkHouseholds(file string) {
	hs := r.households
	r.households = nil
	slices.SortFunc(hs, func(a, b hhRow) int {
		if c := cmp.Compare(a.hh, b.hh); c != 0 {
			return c
		}
		if c := cmp.Compare(a.client, b.client); c != 0 {
			return c
		}
		return cmp.Compare(a.line, b.line)
	})
	for i := 0; i < len(hs); {
		j := i + 1
		for j < len(hs) && hs[j].hh == hs[i].hh {
			j++
		}
		g := hs[i:j]
		first := 0 // the earliest row of the household
		heads := 0
		firstHead := -1
		for k := range g {
			if g[k].line < g[first].line {
				first = k
			}
			if g[k].head {
				heads++
				if firstHead < 0 || g[k].line < g[firstHead].line {
					firstHead = k
				}
			}
		}
		for k := range g {
			row := int(g[k].line)
			if g[k].proj != g[first].proj {
				r.issue(file, row, "HouseholdID", "", "HouseholdID also used in another project: a HouseholdID is one household stay in one project (5.09, eva 98)", Warning)
			}
			if k > 0 && g[k].client == g[k-1].client {
				r.issue(file, row, "HouseholdID", "", "the client has an earlier enrollment with this HouseholdID: a new stay needs a new HouseholdID (5.09, eva 98)", Warning)
			}
			if heads > 1 && g[k].head && k != firstHead {
				r.issue(file, row, "RelationshipToHoH", "1", "the household has more than one head of household (3.15, eva 3)", Warning)
			}
		}
		if heads == 0 {
			r.issue(file, int(g[first].line), "RelationshipToHoH", "", "the household has no head of household: no member has RelationshipToHoH 1 (3.15, eva 2)", Warning)
		}
		i = j
	}
}
