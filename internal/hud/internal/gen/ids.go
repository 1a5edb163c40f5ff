package main

import (
	"fmt"
	"regexp"
	"strings"
)

// idRef is one ID column of a record and the kind (CSV file without .csv)
// whose key it holds.
type idRef struct {
	Col  string
	Kind string
}

// noteRef finds the file a reference column points to in columns.csv's
// validation notes: "Must match a ProjectID in Project.csv" or
// "FK → Assessment.AssessmentID".
var noteRef = regexp.MustCompile(`Must match a (\w+) in \w+\.csv|FK → \w+\.(\w+)`)

// idColumns lists the ID columns of f in column order, from the spec's
// *ID columns: S32 columns whose name ends in "ID" (Funder.GrantID, S100,
// is a grant number; Export.csv's IDs describe the export and are not
// mapped). ExportID is returned with Kind "" (cleared, not stored).
//
// The kind of a column is, in this order: the file itself for its primary
// key (column 1); the file whose primary key has the column's name
// (PersonalID → Client); the file whose primary key the validation note
// names (Affiliation.ResProjectID → "a ProjectID" → Project; the note of
// Inventory.ProjectID names ProjectCoC.csv, but the column is a ProjectID);
// else the name without "ID" (Enrollment.HouseholdID → Household, which no
// file keys).
func idColumns(sp *spec, f *file) ([]idRef, error) {
	if f.Name == "Export" {
		return nil, nil
	}
	pk := map[string]string{} // primary key column → file
	for _, g := range sp.files {
		pk[g.Cols[0].Name] = g.Name
	}
	var out []idRef
	for i, c := range f.Cols {
		if !strings.HasSuffix(c.Name, "ID") || c.Type != 'S' || c.Len != 32 {
			continue
		}
		var kind string
		switch {
		case c.Name == "ExportID":
		case i == 0:
			kind = f.Name
		case pk[c.Name] != "":
			kind = pk[c.Name]
		default:
			if m := noteRef.FindStringSubmatch(c.Notes); m != nil {
				name := m[1] + m[2]
				if pk[name] == "" {
					return nil, fmt.Errorf("%s.%s: the note names %s, which keys no file", f.Name, c.Name, name)
				}
				kind = pk[name]
			} else {
				kind = strings.TrimSuffix(c.Name, "ID")
			}
		}
		out = append(out, idRef{c.Name, kind})
	}
	return out, nil
}

// genIDs writes internal/transfer/ids_gen.go: idMapper.mapRecord, which
// rewrites every ID column of a record through idMapper.id (hand-written in
// ids.go) with the kind of file it refers to, and clears ExportID. A type
// switch, no reflection: it runs once per imported row.
func genIDs(sp *spec) ([]byte, error) {
	var b buf
	b.p("%spackage transfer\n\n", header)
	b.p("import \"github.com/hearth-hmis/hearth/internal/hmis\"\n\n")
	b.p("// mapRecord rewrites every ID in rec, its own and its references, with\n")
	b.p("// the kind of the file each refers to (docs/hmis-csv-ids.md), and clears\n")
	b.p("// ExportID (not stored). Other types are left alone.\n")
	b.p("func (m idMapper) mapRecord(rec any) {\n\tswitch r := rec.(type) {\n")
	for _, f := range sp.files {
		refs, err := idColumns(sp, f)
		if err != nil {
			return nil, err
		}
		if len(refs) == 0 {
			continue
		}
		b.p("\tcase *hmis.%s:\n", f.Record)
		for _, r := range refs {
			if r.Kind == "" {
				b.p("\t\tr.%s = \"\"\n", r.Col)
			} else {
				b.p("\t\tm.id(&r.%s, %q)\n", r.Col, r.Kind)
			}
		}
	}
	b.p("\t}\n}\n")
	return b.Bytes(), nil
}
