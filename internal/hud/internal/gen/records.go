package main

import (
	"fmt"
	"strings"
)

// goType is the hmis field type of a column.
func goType(sp *spec, c *column) string {
	switch c.Type {
	case 'S':
		return "string"
	case 'I':
		if c.List != "" {
			if l := sp.byCode[c.List]; l != nil && l.Type != "" && !l.StringCodes {
				return "*hud." + l.Type
			}
		}
		return "*int"
	case 'D':
		return "Date"
	case 'T':
		return "time.Time"
	case 'M':
		return "*Money"
	}
	panic("unknown type " + string(c.Type))
}

func colComment(sp *spec, f *file, i int) string {
	c := f.Cols[i]
	var parts []string
	if c.DE != "" {
		parts = append(parts, c.DE)
	}
	t := string(c.Type)
	if c.Type == 'S' {
		t = fmt.Sprintf("S%d", c.Len)
	}
	if c.NonNeg {
		t += "+"
	}
	parts = append(parts, t)
	if c.List != "" {
		parts = append(parts, "list "+c.List)
	}
	if c.ListBy != nil {
		parts = append(parts, "list by "+c.ListByCol)
	}
	if !c.Nullable {
		parts = append(parts, "required")
	}
	if i == 0 {
		parts = append(parts, "primary key")
	}
	switch {
	case c.Type == 'T' && c.Nullable:
		parts = append(parts, "zero when empty")
	case c.Name == "ExportID" && f.Name != "Export":
		parts = append(parts, "Export.csv's ExportID; not stored")
	case c.Name == "UserID" && i > 0:
		parts = append(parts, "User who last changed the record")
	}
	return strings.Join(parts, "; ")
}

func genRecords(sp *spec) []byte {
	var b buf
	b.p("%spackage hmis\n\n", header)
	b.p("import (\n\t\"time\"\n\n\t\"github.com/hearth-hmis/hearth/internal/hud\"\n)\n\n")
	for _, f := range sp.files {
		b.p("// %s is one row of %s.csv (HMIS CSV FY2026), identified by %s.\n", f.Record, f.Name, f.Cols[0].Name)
		b.p("// Integer codes are pointers: nil is empty, which HUD distinguishes from 0 (No).\n")
		b.p("// Dates and date-times are empty when zero.\n")
		b.p("type %s struct {\n", f.Record)
		for i, c := range f.Cols {
			b.p("\t%s %s // %s\n", c.Name, goType(sp, c), colComment(sp, f, i))
		}
		b.p("}\n\n")
		b.p("// RecordID returns the record's HUD identifier (%s).\n", f.Cols[0].Name)
		b.p("func (r *%s) RecordID() string { return r.%s }\n\n", f.Record, f.Cols[0].Name)
	}
	return b.Bytes()
}
