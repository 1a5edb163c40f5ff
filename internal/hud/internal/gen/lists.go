package main

import (
	"fmt"
	"strconv"
	"strings"
)

func listDoc(l *list) string {
	return fmt.Sprintf("HUD list %s", l.Code)
}

func genLists(sp *spec) []byte {
	var b buf
	b.p("%spackage hud\n\n", header)
	for _, l := range sp.lists {
		if l.Type == "" {
			continue
		}
		recv := "v"
		under := "int"
		if l.StringCodes {
			under = "string"
		}
		b.p("// %s is %s (%s).", l.Type, listDoc(l), l.Name)
		if l.Note != "" {
			b.p(" %s.", l.Note)
		}
		if len(l.UsedBy) > 0 {
			b.p("\n// Used by %s.", strings.Join(l.UsedBy, ", "))
		}
		if l.Code == "3.12.1" {
			b.p("\n// The master list of living situations and destinations; 3.917, 4.12\n// and 3.12 are its subsets for prior living situation, current living\n// situation and destination (REFERENCE.md 2.2).")
		}
		b.p("\ntype %s %s\n\n", l.Type, under)
		if l.Consts {
			b.p("// %s codes (list %s).\nconst (\n", l.Type, l.Code)
			for _, v := range l.Values {
				ret := ""
				if v.Retired {
					ret = " (retired)"
				}
				b.p("\t%s %s = %d // %s%s\n", v.Const, l.Type, v.Code, oneLine(v.Label), ret)
			}
			b.p(")\n\n")
		}
		lit := func(v value) string {
			if l.StringCodes {
				return strconv.Quote(v.Key)
			}
			return strconv.Itoa(v.Code)
		}
		// Label
		b.p("// Label returns HUD's label for %s, or \"\" when it is not a code of list %s.\n", recv, l.Code)
		b.p("func (%s %s) Label() string {\n\tswitch %s {\n", recv, l.Type, recv)
		for _, v := range l.Values {
			b.p("\tcase %s:\n\t\treturn %s\n", lit(v), strconv.Quote(v.Label))
		}
		b.p("\t}\n\treturn \"\"\n}\n\n")
		if l.Short != nil {
			b.p("// ShortLabel returns HUD's short label for %s (list %s.brief), e.g. \"ES - NBN\".\n", recv, l.Code)
			b.p("func (%s %s) ShortLabel() string {\n\tswitch %s {\n", recv, l.Type, recv)
			for _, v := range l.Values {
				if s, ok := l.Short[v.Key]; ok {
					b.p("\tcase %s:\n\t\treturn %s\n", lit(v), strconv.Quote(s))
				}
			}
			b.p("\t}\n\treturn %s.Label()\n}\n\n", recv)
		}
		// Valid
		b.p("// Valid reports whether %s is a code of list %s (retired codes included).\n", recv, l.Code)
		b.p("func (%s %s) Valid() bool {\n\tswitch %s {\n\tcase %s:\n\t\treturn true\n\t}\n\treturn false\n}\n\n",
			recv, l.Type, recv, caseList(l.Values, lit, func(value) bool { return true }))
		// Retired
		b.p("// Retired reports whether %s is a code HUD has retired: readable in old data,\n// not for new data.\n", recv)
		if hasRetired(l) {
			b.p("func (%s %s) Retired() bool {\n\tswitch %s {\n\tcase %s:\n\t\treturn true\n\t}\n\treturn false\n}\n\n",
				recv, l.Type, recv, caseList(l.Values, lit, func(v value) bool { return v.Retired }))
		} else {
			b.p("func (%s %s) Retired() bool { return false }\n\n", recv, l.Type)
		}
		// Subsets
		for _, s := range l.Subsets {
			b.p("// %s reports whether %s is in list %s.\n", s.Method, recv, s.Code)
			b.p("func (%s %s) %s() bool {\n\tswitch %s {\n\tcase %s:\n\t\treturn true\n\t}\n\treturn false\n}\n\n",
				recv, l.Type, s.Method, recv, caseList(l.Values, lit, func(v value) bool { return s.keys[v.Key] }))
		}
		b.p("// ListCode returns %q, the code of %s's list in Lists.\n", l.Code, l.Type)
		b.p("func (%s) ListCode() string { return %q }\n\n", l.Type, l.Code)
		b.p("// %sValues returns the codes of list %s in HUD's order, retired codes last.\n", l.Type, l.Code)
		b.p("func %sValues() []%s {\n\treturn []%s{", l.Type, l.Type, l.Type)
		for i, v := range l.Values {
			if i > 0 {
				b.p(", ")
			}
			if i%16 == 15 {
				b.p("\n")
			}
			b.p("%s", lit(v))
		}
		b.p("}\n}\n\n")
	}
	return b.Bytes()
}

func hasRetired(l *list) bool {
	for _, v := range l.Values {
		if v.Retired {
			return true
		}
	}
	return false
}

func caseList(vs []value, lit func(value) string, keep func(value) bool) string {
	var parts []string
	for _, v := range vs {
		if keep(v) {
			parts = append(parts, lit(v))
		}
	}
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteString(", ")
			if i%16 == 0 {
				b.WriteString("\n")
			}
		}
		b.WriteString(p)
	}
	return b.String()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func genRegistry(sp *spec) []byte {
	var b buf
	b.p("%spackage hud\n\n", header)
	b.p("// Lists holds every HUD code list by its code as the CSV spec writes it\n")
	b.p("// (the \"List\" of a Column): \"2.02.6\", \"3.12.1\", \"W5.AB\". Valid values\n")
	b.p("// follow valid_values.csv; labels come from lists.json; retired values from\n")
	b.p("// deprecations.json. A few extra lists serve forms and older data: 2.03.1 CoC\n")
	b.p("// codes, the living-situation subsets 3.12, 3.917 and 4.12, W5.A and W5.B,\n")
	b.p("// race (column names), and the FY2024-only lists C4.A, 3.6.1 and R3.1.\n")
	b.p("var Lists = map[string]*List{\n")
	for _, l := range sp.lists {
		b.p("\t%q: &%s,\n", l.Code, listVar(l))
	}
	b.p("}\n\n")
	for _, l := range sp.lists {
		doc := l.Name
		if l.Note != "" {
			doc = l.Note
		}
		b.p("// %s is list %s: %s.\n", listVar(l), l.Code, doc)
		b.p("var %s = List{Code: %q, Name: %q, StringCodes: %v, Values: []ListValue{\n", listVar(l), l.Code, l.Name, l.StringCodes)
		for _, v := range l.Values {
			b.p("\t{%d, %q, %q, %v},\n", v.Code, v.Key, v.Label, v.Retired)
		}
		b.p("}}\n\n")
	}
	return b.Bytes()
}

func listVar(l *list) string {
	r := strings.NewReplacer(".", "_")
	return "list_" + r.Replace(l.Code)
}
