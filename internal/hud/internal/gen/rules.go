package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// genElementRules writes internal/hud/element_rules_gen.go from
// fy2026/element_rules.csv: HUD's collection matrix, one ElementRule per row.
func genElementRules(dir string) ([]byte, error) {
	name := filepath.Join(dir, "element_rules.csv")
	rows, err := readCSV(name)
	if err != nil {
		return nil, err
	}
	var b buf
	b.p("%s", header)
	b.p("package hud\n\n")
	b.p("// ElementRules is HUD's FY2026 collection matrix, one entry per row of\n")
	b.p("// fy2026/element_rules.csv, in the file's order.\n")
	b.p("var ElementRules = []ElementRule{\n")
	for i, r := range rows {
		level, _, _ := strings.Cut(r["notes"], ";")
		level, ok := strings.CutPrefix(strings.TrimSpace(level), "level=")
		if !ok {
			return nil, fmt.Errorf("%s row %d: notes do not start with level=", name, i+2)
		}
		var stages []string
		for _, s := range strings.Split(r["stages"], ";") {
			if s = strings.TrimSpace(s); s != "" && s != "none" {
				stages = append(stages, s)
			}
		}
		b.p("\t{Element: %q, Name: %q, CollectedAbout: %q, Stages: %#v,\n", r["element_id"], r["element_name"], r["collected_about"], stages)
		var scope []string
		switch f := r["funder_codes"]; f {
		case "ALL":
			scope = append(scope, "AllFunders: true,")
		case "NONE", "":
		default:
			codes, err := ints(f)
			if err != nil {
				return nil, fmt.Errorf("%s row %d: funder_codes: %v", name, i+2, err)
			}
			scope = append(scope, fmt.Sprintf("Funders: %#v,", codes))
		}
		switch p := r["project_type_codes"]; p {
		case "ALL":
			scope = append(scope, "AllProjectTypes: true,")
		case "NONE", "":
		default:
			codes, err := ints(p)
			if err != nil {
				return nil, fmt.Errorf("%s row %d: project_type_codes: %v", name, i+2, err)
			}
			s := strings.Trim(strings.Join(strings.Fields(fmt.Sprint(codes)), ", "), "[]")
			scope = append(scope, "ProjectTypes: []ProjectType{"+s+"},")
		}
		if len(scope) > 0 {
			b.p("\t\t%s\n", strings.Join(scope, " "))
		}
		b.p("\t\tLevel: %q},\n", level)
	}
	b.p("}\n")
	return b.Bytes(), nil
}

// ints parses a ";" list of integer codes.
func ints(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ";") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}
