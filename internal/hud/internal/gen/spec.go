package main

import (
	"sort"
	"strings"
)

func genSpec(sp *spec) []byte {
	var b buf
	b.p("%spackage hud\n\n", header)
	b.p("// FY2026 is the HMIS CSV FY2026 specification (in force from 2025-10-01):\n")
	b.p("// the 24 files of an export in HUD's order, each with its columns in order.\n")
	b.p("// Source: columns.csv (HUD's FY26 machine-readable spec), with two\n")
	b.p("// corrections from KNOWN-ISSUES.md: Export.SourceType uses list 1.9 and\n")
	b.p("// Export.SourceID holds up to 350 characters.\n")
	b.p("var FY2026 = &Spec{Version: \"FY2026\", Files: []File{\n")
	for _, f := range sp.files {
		b.p("\t{Name: %q, Columns: []Column{\n", f.Name)
		for _, c := range f.Cols {
			b.p("\t\t{Name: %q", c.Name)
			if c.DE != "" {
				b.p(", Element: %q", c.DE)
			}
			b.p(", Type: %s", map[byte]string{'S': "TypeString", 'I': "TypeInt", 'D': "TypeDate", 'T': "TypeDateTime", 'M': "TypeMoney"}[c.Type])
			if c.Len > 0 {
				b.p(", Length: %d", c.Len)
			}
			if c.NonNeg {
				b.p(", NonNegative: true")
			}
			if c.List != "" {
				b.p(", List: %q", c.List)
			}
			if c.ListBy != nil {
				b.p(", ListBy: &ListBy{Column: %q, Lists: map[int]string{", c.ListByCol)
				var ks []int
				for k := range c.ListBy {
					ks = append(ks, k)
				}
				sort.Ints(ks)
				for i, k := range ks {
					if i > 0 {
						b.p(", ")
					}
					b.p("%d: %q", k, c.ListBy[k])
				}
				b.p("}")
				if c.ListDefault != "" {
					b.p(", Default: %q", c.ListDefault)
				}
				b.p("}")
			}
			if c.Nullable {
				b.p(", Nullable: true")
			}
			if c.Notes != "" {
				b.p(", Notes: %q", strings.TrimSpace(c.Notes))
			}
			b.p("},\n")
		}
		b.p("\t}},\n")
	}
	b.p("}}\n")
	return b.Bytes()
}
