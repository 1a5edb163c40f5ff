package main

import (
	"fmt"
	"strings"
)

// stored reports whether the store keeps a file's records (not Export.csv)
// and a column (not ExportID: exports are not stored as records).
func storedFiles(sp *spec) []*file {
	var out []*file
	for _, f := range sp.files {
		if f.Name != "Export" {
			out = append(out, f)
		}
	}
	return out
}

func storedCols(f *file) []*column {
	var out []*column
	for _, c := range f.Cols {
		if c.Name != "ExportID" {
			out = append(out, c)
		}
	}
	return out
}

func hasCol(f *file, name string) bool {
	for _, c := range storedCols(f) {
		if c.Name == name {
			return true
		}
	}
	return false
}

func entity(f *file) string { return snake(f.Record) }

func genStore(sp *spec) []byte {
	var b buf
	b.p("%spackage store\n\n", header)
	b.p("import (\n\t\"github.com/hearth-hmis/hearth/internal/hmis\"\n)\n\n")
	b.p("// Record is every HUD record the store keeps: one per HMIS CSV file except\n// Export.csv (exports are not stored as records).\n")
	b.p("type Record interface {\n\t")
	for i, f := range storedFiles(sp) {
		if i > 0 {
			b.p(" | ")
		}
		b.p("hmis.%s", f.Record)
	}
	b.p("\n}\n\n")
	b.p("// tableOf returns the table of record type T.\nfunc tableOf[T Record]() *table[T] {\n\tvar t any\n\tswitch any((*T)(nil)).(type) {\n")
	for _, f := range storedFiles(sp) {
		b.p("\tcase *hmis.%s:\n\t\tt = %sTable\n", f.Record, lowerFirst(f.Record))
	}
	b.p("\t}\n\treturn t.(*table[T])\n}\n\n")
	for _, f := range storedFiles(sp) {
		genTable(&b, sp, f)
	}
	return b.Bytes()
}

func genTable(b *buf, sp *spec, f *file) {
	cols := storedCols(f)
	v := lowerFirst(f.Record)
	var names, marks, sets []string
	for i, c := range cols {
		n := snake(c.Name)
		names = append(names, n)
		marks = append(marks, "?")
		if i == 0 {
			continue
		}
		if c.Name == "DateCreated" {
			sets = append(sets, n+" = COALESCE(?, "+n+")")
		} else {
			sets = append(sets, n+" = ?")
		}
	}
	key := names[0]
	filter := func(col string) string {
		if hasCol(f, col) {
			return snake(col)
		}
		return ""
	}
	b.p("// %sTable is %s.csv's table.\n", v, f.Name)
	b.p("var %sTable = &table[hmis.%s]{\n", v, f.Record)
	b.p("\tname: %q, entity: %q, kind: %q, key: %q,\n", f.Table, entity(f), humanKind(f.Record), key)
	b.p("\tpersonalID: %q, enrollmentID: %q, projectID: %q,\n", filter("PersonalID"), filter("EnrollmentID"), filter("ProjectID"))
	b.p("\tinsertSQL: %q,\n", fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", f.Table, strings.Join(names, ", "), strings.Join(marks, ", ")))
	b.p("\tselectSQL: %q,\n", fmt.Sprintf("SELECT %s FROM %s", strings.Join(names, ", "), f.Table))
	b.p("\tupdateSQL: %q,\n", fmt.Sprintf("UPDATE %s SET %s WHERE %s = ? AND date_deleted IS NULL", f.Table, strings.Join(sets, ", "), key))
	b.p("\tid: func(r *hmis.%s) *string { return &r.%s },\n", f.Record, cols[0].Name)
	b.p("\tmeta: func(r *hmis.%s) recordMeta {\n\t\treturn recordMeta{created: &r.DateCreated, updated: &r.DateUpdated, deleted: &r.DateDeleted", f.Record)
	if hasCol(f, "UserID") && f.Name != "User" {
		b.p(", userID: &r.UserID")
	}
	b.p("}\n\t},\n")
	b.p("\targs: %sArgs,\n\tscan: scan%s,\n}\n\n", v, f.Record)

	b.p("// %sArgs returns r's column values in %sTable's column order.\n", v, v)
	b.p("func %sArgs(r *hmis.%s, d *dialect) []any {\n\treturn []any{\n", v, f.Record)
	for i, c := range cols {
		b.p("\t\t%s,\n", argExpr(c, i == 0))
	}
	b.p("\t}\n}\n\n")
	b.p("// scan%s reads a row selected with %sTable.selectSQL.\n", f.Record, v)
	b.p("func scan%s(sc rowScanner) (hmis.%s, error) {\n\tvar r hmis.%s\n\terr := sc.Scan(\n", f.Record, f.Record, f.Record)
	for i, c := range cols {
		b.p("\t\t%s,\n", scanExpr(c, i == 0))
	}
	b.p("\t)\n\treturn r, err\n}\n\n")
}

func humanKind(record string) string {
	k := strings.ReplaceAll(snake(record), "_", " ")
	return strings.NewReplacer("hmis ", "HMIS ", "ce ", "CE ", "coc", "CoC", " dv", " DV").Replace(k)
}

func argExpr(c *column, key bool) string {
	f := "r." + c.Name
	switch c.Type {
	case 'S':
		if key {
			return f
		}
		return "nullString(" + f + ")"
	case 'I':
		return "nullInt(" + f + ")"
	case 'D':
		return "nullDate(" + f + ")"
	case 'T':
		return "d.ts(" + f + ")"
	case 'M':
		return "nullMoney(" + f + ")"
	}
	panic("type")
}

func scanExpr(c *column, key bool) string {
	f := "&r." + c.Name
	switch c.Type {
	case 'S':
		if key {
			return f
		}
		return "scanString(" + f + ")"
	case 'I':
		return "scanInt(" + f + ")"
	case 'D':
		return f
	case 'T':
		return "scanTime(" + f + ")"
	case 'M':
		return "scanMoney(" + f + ")"
	}
	panic("type")
}

// Foreign keys (REFERENCE.md 1.2), but none to users: imports reference
// users loosely.
func foreignKeys(f *file) [][2]string {
	var fks [][2]string
	add := func(col, table, ref string) {
		if hasCol(f, col) {
			fks = append(fks, [2]string{snake(col), table + " (" + ref + ")"})
		}
	}
	switch f.Name {
	case "Organization", "User", "Client":
	case "Project":
		add("OrganizationID", "organizations", "organization_id")
	case "Enrollment":
		add("PersonalID", "clients", "personal_id")
		add("ProjectID", "projects", "project_id")
	default:
		if hasCol(f, "EnrollmentID") {
			add("EnrollmentID", "enrollments", "enrollment_id")
			add("PersonalID", "clients", "personal_id")
			add("AssessmentID", "assessments", "assessment_id")
		} else {
			add("ProjectID", "projects", "project_id")
			add("ResProjectID", "projects", "project_id")
		}
	}
	return fks
}

func indexes(f *file) [][]string {
	var ix [][]string
	add := func(cols ...string) {
		for _, c := range cols {
			if !hasCol(f, c) {
				return
			}
		}
		var s []string
		for _, c := range cols {
			s = append(s, snake(c))
		}
		ix = append(ix, s)
	}
	switch f.Name {
	case "Client":
		add("LastName", "FirstName")
		add("DOB")
	case "Project":
		add("OrganizationID")
	case "Enrollment":
		add("PersonalID")
		add("ProjectID")
		add("HouseholdID")
	default:
		if hasCol(f, "EnrollmentID") {
			add("EnrollmentID")
			add("PersonalID")
			add("AssessmentID")
		} else {
			add("ProjectID")
		}
	}
	if f.Name == "Services" {
		add("DateProvided")
	}
	return ix
}

func genMigration(sp *spec, dialect string) []byte {
	var b buf
	b.p("-- Code generated by hud/internal/gen -migrations from ../shared/hud/fy2026. DO NOT EDIT.\n")
	b.p("-- Frozen once released: change the schema with a new numbered migration.\n")
	b.p("--\n-- HUD records (HMIS CSV FY2026), one table per CSV file except Export.csv;\n")
	b.p("-- the ExportID columns are not stored. Data columns are nullable: imported\n")
	b.p("-- required values may be empty (a warning, not an error).\n")
	for _, f := range storedFiles(sp) {
		cols := storedCols(f)
		b.p("\n-- %s.csv\nCREATE TABLE %s (\n", f.Name, f.Table)
		var lines []string
		for i, c := range cols {
			n := snake(c.Name)
			l := fmt.Sprintf("    %-36s %s", n, sqlType(c, dialect))
			if i == 0 {
				l += " PRIMARY KEY"
			} else if c.Name == "DateCreated" || c.Name == "DateUpdated" {
				l += " NOT NULL"
			}
			lines = append(lines, l)
		}
		for _, fk := range foreignKeys(f) {
			lines = append(lines, fmt.Sprintf("    FOREIGN KEY (%s) REFERENCES %s", fk[0], fk[1]))
		}
		b.p("%s\n);\n", strings.Join(lines, ",\n"))
		for _, ix := range indexes(f) {
			b.p("CREATE INDEX %s_%s ON %s (%s);\n", f.Table, strings.Join(ix, "_"), f.Table, strings.Join(ix, ", "))
		}
	}
	return b.Bytes()
}

func sqlType(c *column, dialect string) string {
	pg := dialect == "postgres"
	switch c.Type {
	case 'I':
		return "INTEGER"
	case 'D':
		if pg {
			return "DATE"
		}
	case 'T':
		if pg {
			return "TIMESTAMP"
		}
	case 'M':
		if pg {
			return "NUMERIC(12,2)"
		}
		return "REAL"
	}
	return "TEXT"
}
