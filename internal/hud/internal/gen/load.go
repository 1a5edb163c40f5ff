package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// fileOrder is HUD's order of the files in an export.
var fileOrder = []string{"Export", "Organization", "User", "Project", "Funder", "ProjectCoC", "Inventory",
	"Affiliation", "HMISParticipation", "CEParticipation", "Client", "Enrollment", "Exit", "IncomeBenefits",
	"HealthAndDV", "EmploymentEducation", "Disabilities", "Services", "CurrentLivingSituation", "Assessment",
	"AssessmentQuestions", "AssessmentResults", "Event", "YouthEducationStatus"}

type spec struct {
	files  []*file
	lists  []*list // typed and registry lists, in registry order
	byCode map[string]*list
}

type file struct {
	Name   string // HUD file name without .csv
	Record string // Go struct name in hmis
	Table  string // SQL table
	Plural string // hmis.Dataset field
	Cols   []*column
}

type column struct {
	Name        string
	DE          string
	Type        byte // S I D T M
	Len         int
	NonNeg      bool
	List        string
	ListByCol   string
	ListBy      map[int]string
	ListDefault string
	Nullable    bool
	Notes       string
	Order       int
}

type value struct {
	Code    int
	Key     string
	Label   string
	Retired bool
	Const   string
}

type list struct {
	Code        string
	Name        string
	Type        string // Go type name; "" for registry-only lists
	StringCodes bool
	Consts      bool
	Values      []value
	Short       map[string]string // ShortLabel by key (2.02.6.brief)
	Subsets     []subset
	UsedBy      []string
	Note        string
}

type subset struct {
	Method string
	Code   string
	keys   map[string]bool
}

// Lists the CSV spec spells differently from lists.json: labels come from
// these lists.json entries (KNOWN-ISSUES.md: "3.12.1 is 3.12 in lists.json").
var labelAliases = map[string][]string{
	"3.12.1": {"3.12", "3.917", "4.12"},
	"V8.2":   {"V8.1"},
	"W2.2":   {"V2.3"},
}

// Go type names that differ from lists.json's names.
var typeNames = map[string]string{
	"3.12.1": "LivingSituation",
	"V8.2":   "VoucherTracking",
	"W2.2":   "HOPWAFinancialAssistance",
	"V6.1":   "VAMCStation",
	"2.03.1": "CoCCode",
	"C4.A":   "PreferredLanguage",
	"V9.1":   "CMExitReason",
	"R11.A":  "RHYNumberOfYears",
}

// Lists whose valid values are valid_values.csv plus lists.json: funding
// source 2.06.1 (valid_values has 47 and 48 but not 32, lists.json the
// reverse; KNOWN-ISSUES.md says import accepts any of them).
var unionLists = map[string]bool{"2.06.1": true}

// lists.json entries kept in the registry although no column uses them.
// Lists left out: V8.1 and V2.3 (Green River's codes for V8.2 and W2.2),
// V7.1 and ad_hoc_yes_no (Green River form variants, not HUD CSV lists).
var registryOnly = map[string]string{
	"2.03.1": "Continuum of Care codes such as CA-510; the CSV columns holding them (ProjectCoC.CoCCode, Inventory.CoCCode, Enrollment.EnrollmentCoC) are S6 text",
	"3.12":   "Destination (3.12), a subset of 3.12.1",
	"3.917":  "Prior living situation (3.917), a subset of 3.12.1",
	"4.12":   "Current living situation (4.12), a subset of 3.12.1",
	"W5.A":   "Subsidy information when W5.1 = 1 (a subset of W5.AB)",
	"W5.B":   "Subsidy information when W5.1 = 2 (a subset of W5.AB)",
	"C4.A":   "Preferred language (C4.A): FY2024 only, no longer in the FY2026 CSV",
	"race":   "Race and ethnicity columns (3.04.1) by column name",
}

// Lists that get a Go type without constants (too many values to name).
var noConsts = map[string]bool{"2.03.1": true, "V6.1": true, "C4.A": true}

// Corrections to columns.csv, each with its reason.
var columnFixes = []struct {
	file, col string
	fix       func(*column)
}{
	// The notes describe list 1.9 exactly (REFERENCE.md 1.1); columns.csv gives no list.
	{"Export", "SourceType", func(c *column) { c.List = "1.9" }},
	// FY2026 allows several CoC codes separated by ";" (KNOWN-ISSUES.md: accept up to 350).
	{"Export", "SourceID", func(c *column) { c.Len = 350 }},
}

type jsonList struct {
	Name   string `json:"name"`
	Code   string `json:"code"`
	Values []struct {
		Key         json.RawMessage `json:"key"`
		Description string          `json:"description"`
	} `json:"values"`
}

func readCSV(name string) ([]map[string]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			v := strings.TrimSpace(r[i])
			if v == "NA" {
				v = ""
			}
			m[h] = v
		}
		out = append(out, m)
	}
	return out, nil
}

func readJSONLists(name string) ([]jsonList, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var ls []jsonList
	if err := json.Unmarshal(b, &ls); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return ls, nil
}

func keyString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

var deprecatedSuffix = regexp.MustCompile(`\s*\[Deprecated\]\s*$`)

func load(dir string) (*spec, error) {
	cols, err := readCSV(filepath.Join(dir, "columns.csv"))
	if err != nil {
		return nil, err
	}
	vvRows, err := readCSV(filepath.Join(dir, "valid_values.csv"))
	if err != nil {
		return nil, err
	}
	jls, err := readJSONLists(filepath.Join(dir, "lists.json"))
	if err != nil {
		return nil, err
	}
	deps, err := readJSONLists(filepath.Join(dir, "deprecations.json"))
	if err != nil {
		return nil, err
	}
	sp := &spec{byCode: map[string]*list{}}
	if err := sp.loadFiles(cols); err != nil {
		return nil, err
	}
	if err := sp.loadLists(vvRows, jls, deps); err != nil {
		return nil, err
	}
	for _, f := range sp.files {
		for _, c := range f.Cols {
			for _, code := range append([]string{c.List}, sortedValues(c.ListBy, c.ListDefault)...) {
				if code == "" {
					continue
				}
				l := sp.byCode[code]
				if l == nil {
					return nil, fmt.Errorf("%s.%s: list %s is not in valid_values.csv", f.Name, c.Name, code)
				}
				if code == c.List {
					l.UsedBy = append(l.UsedBy, f.Name+"."+c.Name)
				}
			}
		}
	}
	return sp, nil
}

func sortedValues(m map[int]string, def string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	if def != "" {
		out = append(out, def)
	}
	sort.Strings(out)
	return out
}

var (
	listByHead  = regexp.MustCompile(`For (\w+)\s*:?\s*·`)
	listByEntry = regexp.MustCompile(`(\d+)(?:\s*\([^)]*\))?\s*[–-]\s*list\s+([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*)`)
	listByOther = regexp.MustCompile(`Any other\s*[–-]\s*list\s+([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*)`)
)

func (sp *spec) loadFiles(rows []map[string]string) error {
	byFile := map[string][]*column{}
	for _, r := range rows {
		c := &column{Name: r["Name"], DE: r["DE#"], List: r["List"], Nullable: r["nulls_allowed"] == "TRUE"}
		c.Notes = r["validation_notes"]
		if a := r["additional_notes"]; a != "" {
			if c.Notes != "" {
				c.Notes += "\n"
			}
			c.Notes += a
		}
		var err error
		if c.Order, err = strconv.Atoi(r["Order"]); err != nil {
			return fmt.Errorf("%s.%s: bad Order %q", r["CSV"], c.Name, r["Order"])
		}
		t := r["Type"]
		switch {
		case strings.HasPrefix(t, "S"):
			c.Type = 'S'
			if c.Len, err = strconv.Atoi(t[1:]); err != nil {
				return fmt.Errorf("%s.%s: bad type %q", r["CSV"], c.Name, t)
			}
		case t == "I" || t == "D" || t == "T" || t == "M":
			c.Type = t[0]
		case t == "M+":
			c.Type, c.NonNeg = 'M', true
		default:
			return fmt.Errorf("%s.%s: unknown type %q", r["CSV"], c.Name, t)
		}
		if c.List == "" && c.Type == 'I' {
			if m := listByHead.FindStringSubmatch(c.Notes); m != nil {
				c.ListByCol = m[1]
				c.ListBy = map[int]string{}
				for _, e := range listByEntry.FindAllStringSubmatch(c.Notes, -1) {
					n, _ := strconv.Atoi(e[1])
					c.ListBy[n] = e[2]
				}
				if o := listByOther.FindStringSubmatch(c.Notes); o != nil {
					c.ListDefault = o[1]
				}
			}
		}
		byFile[r["CSV"]] = append(byFile[r["CSV"]], c)
	}
	if len(byFile) != len(fileOrder) {
		return fmt.Errorf("columns.csv has %d files, want %d", len(byFile), len(fileOrder))
	}
	for _, name := range fileOrder {
		cs := byFile[name]
		if len(cs) == 0 {
			return fmt.Errorf("columns.csv has no %s", name)
		}
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].Order < cs[j].Order })
		f := &file{Name: name, Cols: cs}
		f.Record, f.Table, f.Plural = names(name)
		for _, fx := range columnFixes {
			if fx.file == name {
				for _, c := range cs {
					if c.Name == fx.col {
						fx.fix(c)
					}
				}
			}
		}
		sp.files = append(sp.files, f)
	}
	return nil
}

// names returns the hmis struct, the SQL table and the hmis.Dataset field of a file.
func names(file string) (record, table, plural string) {
	record = map[string]string{"Disabilities": "Disability", "Services": "Service",
		"AssessmentQuestions": "AssessmentQuestion", "AssessmentResults": "AssessmentResult"}[file]
	if record == "" {
		record = file
	}
	table = map[string]string{
		"Organization": "organizations", "User": "users", "Project": "projects", "Funder": "funders",
		"ProjectCoC": "project_cocs", "Inventory": "inventory", "Affiliation": "affiliations",
		"HMISParticipation": "hmis_participations", "CEParticipation": "ce_participations",
		"Client": "clients", "Enrollment": "enrollments", "Exit": "exits", "IncomeBenefits": "income_benefits",
		"HealthAndDV": "health_and_dv", "EmploymentEducation": "employment_education",
		"Disabilities": "disabilities", "Services": "services",
		"CurrentLivingSituation": "current_living_situations", "Assessment": "assessments",
		"AssessmentQuestions": "assessment_questions", "AssessmentResults": "assessment_results",
		"Event": "events", "YouthEducationStatus": "youth_education_status",
	}[file]
	plural = map[string]string{
		"Organization": "Organizations", "User": "Users", "Project": "Projects", "Funder": "Funders",
		"ProjectCoC": "ProjectCoCs", "Inventory": "Inventory", "Affiliation": "Affiliations",
		"HMISParticipation": "HMISParticipations", "CEParticipation": "CEParticipations",
		"Client": "Clients", "Enrollment": "Enrollments", "Exit": "Exits", "IncomeBenefits": "IncomeBenefits",
		"HealthAndDV": "HealthAndDV", "EmploymentEducation": "EmploymentEducation",
		"Disabilities": "Disabilities", "Services": "Services",
		"CurrentLivingSituation": "CurrentLivingSituations", "Assessment": "Assessments",
		"AssessmentQuestions": "AssessmentQuestions", "AssessmentResults": "AssessmentResults",
		"Event": "Events", "YouthEducationStatus": "YouthEducationStatus",
	}[file]
	return
}

func (sp *spec) add(l *list) {
	sp.lists = append(sp.lists, l)
	sp.byCode[l.Code] = l
}

func (sp *spec) loadLists(vvRows []map[string]string, jls, deps []jsonList) error {
	var vvOrder []string
	vv := map[string][]string{}
	for _, r := range vvRows {
		if _, ok := vv[r["List"]]; !ok {
			vvOrder = append(vvOrder, r["List"])
		}
		vv[r["List"]] = append(vv[r["List"]], r["Value"])
	}
	js := map[string]jsonList{}
	for _, l := range jls {
		js[l.Code] = l
	}
	dep := map[string]map[string]string{}
	for _, l := range deps {
		dep[l.Code] = map[string]string{}
		for _, v := range l.Values {
			dep[l.Code][keyString(v.Key)] = deprecatedSuffix.ReplaceAllString(v.Description, "")
		}
	}
	labelOf := func(code, key string) (string, bool) {
		for _, c := range append([]string{code}, labelAliases[code]...) {
			for _, v := range js[c].Values {
				if keyString(v.Key) == key {
					return v.Description, true
				}
			}
		}
		if d, ok := dep[code][key]; ok {
			return d, true
		}
		return "", false
	}
	// Typed lists: every list of valid_values.csv, in lists.json order first.
	var codes []string
	seen := map[string]bool{}
	for _, l := range jls {
		if _, ok := vv[l.Code]; ok {
			codes = append(codes, l.Code)
			seen[l.Code] = true
		}
	}
	for _, c := range vvOrder {
		if !seen[c] {
			codes = append(codes, c)
		}
	}
	for _, code := range codes {
		name := js[code].Name
		if n, ok := typeNames[code]; ok {
			name = n
		}
		l := &list{Code: code, Name: name, Type: name}
		keys := append([]string(nil), vv[code]...)
		if unionLists[code] {
			keys = appendNew(keys, jsonKeys(js[code])...)
		}
		for k := range dep[code] {
			keys = appendNew(keys, k)
		}
		// Order: lists.json order, then the rest (current before retired), by code.
		rank := map[string]int{}
		for i, k := range jsonKeys(js[code]) {
			rank[k] = i
		}
		sort.SliceStable(keys, func(i, j int) bool {
			ri, iok := rank[keys[i]]
			rj, jok := rank[keys[j]]
			if iok != jok {
				return iok
			}
			if iok {
				return ri < rj
			}
			di, dj := dep[code][keys[i]] != "", dep[code][keys[j]] != ""
			if di != dj {
				return !di
			}
			return lessKey(keys[i], keys[j])
		})
		for _, k := range keys {
			label, ok := labelOf(code, k)
			if !ok {
				return fmt.Errorf("list %s: no label for %s", code, k)
			}
			_, retired := dep[code][k]
			n, err := strconv.Atoi(k)
			if err != nil {
				l.StringCodes = true
			}
			l.Values = append(l.Values, value{Code: n, Key: k, Label: label, Retired: retired})
		}
		if l.StringCodes {
			for i := range l.Values {
				l.Values[i].Code = 0
			}
		}
		l.Consts = !noConsts[code] && !l.StringCodes
		sp.add(l)
	}
	// Living-situation subsets (REFERENCE.md 2.2): methods on LivingSituation.
	if ls := sp.byCode["3.12.1"]; ls != nil {
		for _, s := range []subset{{"IsDestination", "3.12", nil}, {"IsPriorLivingSituation", "3.917", nil}, {"IsCurrentLivingSituation", "4.12", nil}} {
			s.keys = map[string]bool{}
			for _, k := range jsonKeys(js[s.Code]) {
				s.keys[k] = true
			}
			ls.Subsets = append(ls.Subsets, s)
		}
	}
	// Short project type labels (2.02.6.brief).
	if pt := sp.byCode["2.02.6"]; pt != nil {
		pt.Short = map[string]string{}
		for _, v := range js["2.02.6.brief"].Values {
			pt.Short[keyString(v.Key)] = v.Description
		}
	}
	// Registry-only lists, in lists.json order.
	for _, jl := range jls {
		note, ok := registryOnly[jl.Code]
		if !ok || sp.byCode[jl.Code] != nil {
			continue
		}
		l := &list{Code: jl.Code, Name: jl.Name, Note: note}
		if n, ok := typeNames[jl.Code]; ok {
			l.Name, l.Type = n, n
		}
		for _, v := range jl.Values {
			k := keyString(v.Key)
			if jl.Code == "race" && k == "HispanicLatinaeo" {
				k = "HispanicLatinao" // the FY2026 column name (KNOWN-ISSUES.md)
			}
			n, err := strconv.Atoi(k)
			if err != nil {
				l.StringCodes, n = true, 0
			}
			l.Values = append(l.Values, value{Code: n, Key: k, Label: v.Description})
		}
		sp.add(l)
	}
	// FY2024 lists that FY2026 retired entirely (deprecations.json): registry
	// only, every value retired, so FY2024 data stays readable.
	for _, d := range deps {
		if sp.byCode[d.Code] != nil {
			continue
		}
		l := &list{Code: d.Code, Name: d.Name, Note: d.Name + " (" + d.Code + "): FY2024 only, retired in FY2026"}
		for _, v := range d.Values {
			k := keyString(v.Key)
			n, _ := strconv.Atoi(k)
			l.Values = append(l.Values, value{Code: n, Key: k, Label: deprecatedSuffix.ReplaceAllString(v.Description, ""), Retired: true})
		}
		sp.add(l)
	}
	return nameConsts(sp)
}

func jsonKeys(l jsonList) []string {
	var out []string
	for _, v := range l.Values {
		out = append(out, keyString(v.Key))
	}
	return out
}

func appendNew(s []string, vs ...string) []string {
	for _, v := range vs {
		found := false
		for _, x := range s {
			if x == v {
				found = true
				break
			}
		}
		if !found {
			s = append(s, v)
		}
	}
	return s
}

func lessKey(a, b string) bool {
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	if err1 == nil && err2 == nil {
		return x < y
	}
	return a < b
}
