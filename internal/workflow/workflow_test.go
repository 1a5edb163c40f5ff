package workflow

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// The expectations below are written by hand from the HUD FY2024 HMIS Data
// Dictionary (Funder: Program-Component, Data Collected About, Collection
// Point), its FY2026 changes (3.06 retired, 4.21 Sex added, 4.05–4.10 no
// longer required for the VA programs) and ../shared/hud/REFERENCE.md §3,
// not from element_rules.csv.

// subject is who each element is collected about (DD "Data Collected About").
var subject = map[string]string{
	"3.01": "all_clients", "3.02": "all_clients", "3.03": "all_clients", "3.04": "all_clients",
	"3.07": "adults", "4.21": "all_clients", "V1": "veterans",
	"3.08": "all_clients", "3.10": "all_clients", "3.11": "all_clients", "3.12": "all_clients",
	"3.15": "all_clients", "3.16": "hoh", "3.917": "hoh_and_adults",
	"4.02": "hoh_and_adults", "4.03": "hoh_and_adults", "4.04": "all_clients",
	"4.05": "all_clients", "4.06": "all_clients", "4.07": "all_clients", "4.08": "all_clients",
	"4.09": "all_clients", "4.10": "all_clients", "4.11": "hoh_and_adults",
	"W3": "hh_members_with_hiv_aids", "W4": "hh_members_with_hiv_aids", "W5": "all_clients", "W6": "hh_members_with_hiv_aids",
	"P4": "hoh_and_adults", "C3": "hoh",
	"R1": "hoh_and_adults", "R2": "all_clients", "R4": "hoh_and_adults", "R5": "hoh_and_adults", "R6": "hoh_and_adults",
	"R7": "hoh_and_adults", "R8": "hoh_and_adults", "R9": "hoh_and_adults", "R10": "hoh_and_adults",
	"R11": "hoh_and_adults", "R12": "hoh_and_adults", "R13": "hoh_and_adults", "R15": "hoh_and_adults",
	"R16": "hoh_and_adults", "R17": "hoh_and_adults", "R18": "hoh_and_adults", "R19": "hoh_and_adults",
	"R20": "hoh_and_adults",
	"V4":  "hoh", "V6": "hoh", "V7": "hoh", "V9": "hoh", "V10": "hoh",
	// Occurrence elements (REFERENCE.md §3): 3.20 about the head, 4.12 and
	// 4.13 about heads and adults, 4.14 about every client.
	"3.20": "hoh", "4.12": "hoh_and_adults", "4.13": "hoh_and_adults", "4.14": "all_clients",
}

// Element groups, as the Data Dictionary's collection-point tables list them.
const (
	identity      = "3.01 3.02 3.03 3.04 3.07"              // record creation, every project
	udeStart      = "3.08 3.10 3.15 3.16 3.917"             // UDEs at project start, every project
	udeExit       = "3.11 3.12"                             // UDEs at exit
	income        = "4.02 4.03 4.04"                        // income, benefits, insurance
	disabilityEls = "4.05 4.06 4.07 4.08 4.09 4.10"         // each disability its own element
	commonStart   = income + " " + disabilityEls + " 4.11"  // common program-specific elements at start
	commonExit    = income + " " + disabilityEls            // 4.11 is not asked at exit
	noHIV         = "4.05 4.06 4.07 4.09 4.10"              // PATH and RHY do not ask 4.08 HIV/AIDS
	hopwaStart    = "W3 W4 W6"                              // HOPWA medical assistance, T-cell, ARV
	rhyStart      = "R1 R4 R5 R6 R7 R8 R9 R10 R11 R12 R13"  // RHY at project start (R3 retired)
	rhyExit       = "R4 R5 R6 R7 R8 R9 R15 R16 R17 R18 R19" // RHY at exit
	vaIntake      = "V1 4.02 4.03 4.04 4.11 R4 R6"          // VA programs: no 4.05–4.10 in FY2026
	none          = ""                                      // nothing asked
	// Occurrence elements, asked where they happen: the move-in date of
	// every PH project (PSH, PH-HO, PH-HwS, RRH) at intake, update and
	// exit; outreach and night-by-night shelters' contact (4.12) and date
	// of engagement (4.13), the contact at intake and update, engagement
	// also at exit; every night-by-night shelter's bed nights (4.14) at
	// intake (one on the start date) and update.
	moveIn   = "3.20"
	soStart  = "4.12 4.13"
	nbnStart = "4.12 4.13 4.14"
)

func TestDerive_HandWritten(t *testing.T) {
	cases := []struct {
		name    string
		typ     hud.ProjectType
		funders []int
		stage   Stage
		want    string // element ids; "id?" when asked but not required
	}{
		{"ESG emergency shelter intake", 0, []int{8}, Intake, identity + " 4.21 " + udeStart + " " + commonStart},
		{"ESG emergency shelter update", 0, []int{8}, Update, income + " " + disabilityEls + " 4.11"},
		{"ESG emergency shelter annual", 0, []int{8}, Annual, income},
		{"ESG emergency shelter exit", 0, []int{8}, Exit, udeExit + " " + commonExit},
		{"ESG emergency shelter post-exit", 0, []int{8}, PostExit, none},
		// ESG: 4.02–4.04 for all components except night-by-night shelters;
		// 4.05–4.11 for every ESG component.
		{"ESG night-by-night shelter intake", 1, []int{8}, Intake, identity + " 4.21 " + udeStart + " " + disabilityEls + " 4.11 " + nbnStart},
		{"ESG night-by-night shelter update", 1, []int{8}, Update, disabilityEls + " 4.11 " + nbnStart},
		{"ESG night-by-night shelter exit (engagement, no bed night)", 1, []int{8}, Exit, udeExit + " " + disabilityEls + " 4.13"},
		{"ESG night-by-night shelter annual", 1, []int{8}, Annual, none},
		{"ESG homelessness prevention exit (W5)", 12, []int{9}, Exit, udeExit + " " + commonExit + " W5"},
		{"CoC PSH intake", 3, []int{2}, Intake, identity + " 4.21 " + udeStart + " " + commonStart + " " + moveIn},
		{"CoC PSH update (move-in)", 3, []int{2}, Update, income + " " + disabilityEls + " 4.11 " + moveIn},
		{"CoC PSH exit", 3, []int{2}, Exit, udeExit + " " + commonExit + " " + moveIn},
		{"CoC transitional housing intake (no move-in)", 2, []int{2}, Intake, identity + " 4.21 " + udeStart + " " + commonStart},
		{"CoC RRH annual", 13, []int{3}, Annual, income},
		// CoC: the common elements for all components except SSO Coordinated Entry.
		{"CoC SSO coordinated entry intake", 14, []int{4}, Intake, identity + " 4.21 " + udeStart + " 4.12"},
		{"CoC SSO coordinated entry update (contact)", 14, []int{4}, Update, "4.12"},
		{"CoC SSO services-only intake", 6, []int{4}, Intake, identity + " 4.21 " + udeStart + " " + commonStart},
		// HOPWA: W3, W4, W6 about members with HIV/AIDS; W4 also annually; W5 at exit;
		// 4.21 not confirmed for HOPWA; V4 recommended.
		{"HOPWA permanent housing intake", 3, []int{15}, Intake, identity + " 4.21? " + udeStart + " " + commonStart + " " + hopwaStart + " V4? " + moveIn},
		{"HOPWA permanent housing annual", 3, []int{15}, Annual, income + " W4"},
		{"HOPWA permanent housing exit", 3, []int{15}, Exit, udeExit + " " + commonExit + " W3 W4 W5 W6 " + moveIn},
		{"PATH street outreach intake", 4, []int{21}, Intake, identity + " 4.21 " + udeStart + " " + income + " " + noHIV + " 4.11 P4 " + soStart},
		{"PATH street outreach exit", 4, []int{21}, Exit, udeExit + " " + income + " " + noHIV + " P4 4.13"},
		// RHY: no 4.11 and no 4.08 in the RHY components.
		{"RHY transitional living intake", 2, []int{24}, Intake, identity + " 4.21? " + udeStart + " " + income + " " + noHIV + " " + rhyStart},
		{"RHY transitional living exit", 2, []int{24}, Exit, udeExit + " " + income + " " + noHIV + " " + rhyExit},
		{"RHY transitional living post-exit (aftercare)", 2, []int{24}, PostExit, "R20"},
		{"SSVF rapid re-housing intake", 13, []int{33}, Intake, identity + " 4.21? " + udeStart + " " + vaIntake + " P4 V4 V6 V10 " + moveIn},
		{"SSVF homelessness prevention intake (V7)", 12, []int{33}, Intake, identity + " 4.21? " + udeStart + " " + vaIntake + " P4 V4 V6 V7 V10"},
		{"HUD-VASH PSH exit (V9)", 3, []int{20}, Exit, udeExit + " " + income + " R4 R6 R7 V9 " + moveIn},
		{"YHDP transitional housing intake", 2, []int{43}, Intake, identity + " 4.21 " + udeStart + " " + commonStart + " C3 R1? R7? R8? R9? R10? R11? R12? 4.12"},
		{"CoC Builds street outreach update", 4, []int{56}, Update, income + " " + disabilityEls + " 4.11"},
		// A program with local funding only asks the universal elements.
		{"locally funded shelter intake", 0, []int{46}, Intake, identity + " " + udeStart},
		{"locally funded shelter exit", 0, []int{46}, Exit, udeExit},
		{"no funder at all, TH update", 2, nil, Update, none},
		// Two funders: the union, required when either requires it.
		{"ESG RRH with local funding intake", 13, []int{10, 46}, Intake, identity + " 4.21 " + udeStart + " " + commonStart + " " + moveIn},
		{"ESG street outreach update (contact, engagement)", 4, []int{11}, Update, income + " " + disabilityEls + " 4.11 " + soStart},
		{"RRH annual (no occurrence at annual)", 13, []int{3}, Annual, income},
	}
	if len(cases) < 20 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := Derive(Project{ID: "p", Type: c.typ, Funders: c.funders}, c.stage)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]Element{}
			for _, f := range strings.Fields(c.want) {
				id, opt := strings.CutSuffix(f, "?")
				s, ok := subject[id]
				if !ok {
					t.Fatalf("test table: no subject for %s", id)
				}
				if _, dup := want[id]; dup {
					t.Fatalf("test table: %s twice", id)
				}
				want[id] = Element{ID: id, Required: !opt, AskedOf: s}
			}
			got := map[string]Element{}
			for _, s := range d.Steps {
				if len(s.Elements) == 0 {
					t.Errorf("step %q is empty", s.Name)
				}
				for _, e := range s.Elements {
					if _, dup := got[e.ID]; dup {
						t.Errorf("%s in two steps", e.ID)
					}
					got[e.ID] = e
				}
			}
			for id, w := range want {
				if g, ok := got[id]; !ok {
					t.Errorf("missing %s", id)
				} else if g != w {
					t.Errorf("%s: got %+v, want %+v", id, g, w)
				}
			}
			for id := range got {
				if _, ok := want[id]; !ok {
					t.Errorf("unexpected %s (%+v)", id, got[id])
				}
			}
		})
	}
}

// The steps come in the workflow's order and the JSON has the shape later
// checks read.
func TestDerive_StepsAndJSON(t *testing.T) {
	d, err := Derive(Project{ID: "p", Type: hud.ProjectTypeEmergencyShelterEntryExit, Funders: []int{8}}, Intake)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range d.Steps {
		names = append(names, s.Name)
	}
	want := []string{StepIdentity, StepHousehold, StepEnrollment, StepLiving, StepIncome, StepInsurance, StepDisabilities, StepDV}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("steps %q, want %q", names, want)
	}
	b, err := json.Marshal(d.Steps[4])
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b); got != `{"name":"Income and benefits","elements":[{"id":"4.02","required":true,"asked_of":"hoh_and_adults"},{"id":"4.03","required":true,"asked_of":"hoh_and_adults"}]}` {
		t.Errorf("JSON %s", got)
	}
	empty, err := Derive(Project{ID: "p", Type: hud.ProjectTypeEmergencyShelterEntryExit, Funders: []int{8}}, PostExit)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(empty.Steps); string(b) != "[]" {
		t.Errorf("no steps should be [], got %s", b)
	}
}

// Programs with the same requirements share a definition (the seed
// system's ESG and CDBG programs used one workflow); different ones do not.
func TestDerive_Key(t *testing.T) {
	k := func(typ hud.ProjectType, funders []int, st Stage) string {
		d, err := Derive(Project{ID: "any", Type: typ, Funders: funders}, st)
		if err != nil {
			t.Fatal(err)
		}
		return d.Key
	}
	esg := k(0, []int{8}, Intake)
	if esg != k(0, []int{8, 46}, Intake) {
		t.Error("an ESG shelter with a local (CDBG) grant should share the ESG shelter's definition")
	}
	if esg != k(2, []int{2}, Intake) {
		// CoC TH asks exactly what an ESG shelter asks at intake, except 3.917 (B
		// instead of A) which is one element: the same definition.
		t.Error("CoC TH and ESG shelter intakes ask the same elements")
	}
	for _, other := range []string{k(3, []int{2}, Intake), k(0, []int{8}, Exit), k(1, []int{8}, Intake), k(0, []int{46}, Intake), k(3, []int{15}, Intake)} {
		if other == esg {
			t.Error("different requirements share a key")
		}
	}
}

func TestProjectOf_OpenFunders(t *testing.T) {
	es := hud.ProjectTypeEmergencyShelterEntryExit
	fs := func(c hud.FundingSource) *hud.FundingSource { return &c }
	day := hmis.MustDate("2026-06-01")
	p, err := ProjectOf(hmis.Project{ProjectID: "p", ProjectType: &es}, []hmis.Funder{
		{ProjectID: "p", Funder: fs(8), StartDate: hmis.MustDate("2025-01-01")},
		{ProjectID: "p", Funder: fs(2), StartDate: hmis.MustDate("2025-01-01"), EndDate: hmis.MustDate("2026-05-31")}, // ended
		{ProjectID: "p", Funder: fs(21), StartDate: hmis.MustDate("2026-06-02")},                                      // not yet
		{ProjectID: "p", Funder: fs(46), StartDate: hmis.MustDate("2026-06-01"), EndDate: hmis.MustDate("2026-06-01")},
		{ProjectID: "p", Funder: fs(8), StartDate: hmis.MustDate("2024-01-01")}, // a second ESG grant
	}, day)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Funders; !sort.IntsAreSorted(got) || !reflect.DeepEqual(got, []int{8, 46}) {
		t.Errorf("open funders %v, want [8 46]", got)
	}
	if _, err := ProjectOf(hmis.Project{ProjectID: "p"}, nil, day); err == nil {
		t.Error("a program without a project type should be refused")
	}
}

func TestAskedOf(t *testing.T) {
	child := Member{}
	adult := Member{Adult: true}
	head := Member{HoH: true}
	cases := []struct {
		subject string
		m       Member
		want    bool
	}{
		{"all_clients", child, true},
		{"hoh", adult, false}, {"hoh", head, true},
		{"hoh_and_adults", child, false}, {"hoh_and_adults", adult, true}, {"hoh_and_adults", head, true},
		{"adults", head, false}, {"adults", adult, true},
		{"veterans", adult, false}, {"veterans", Member{Adult: true, Veteran: true}, true},
		{"hh_members_with_hiv_aids", adult, false}, {"hh_members_with_hiv_aids", Member{HIVAIDS: true}, true},
	}
	for _, c := range cases {
		if got := AskedOf(c.subject, c.m); got != c.want {
			t.Errorf("AskedOf(%s, %+v) = %v", c.subject, c.m, got)
		}
	}
}

func TestStages(t *testing.T) {
	want := map[Stage]int{Intake: 1, Update: 2, Exit: 3, Annual: 5, PostExit: 6}
	for st, code := range want {
		if int(st.DataCollectionStage()) != code {
			t.Errorf("%s: DataCollectionStage %d, want %d", st, st.DataCollectionStage(), code)
		}
	}
	if _, err := ParseStage("entry"); err == nil {
		t.Error("entry is not a stage")
	}
}

// TestDerive_W5WithTheExit: W5 Housing Assessment at Exit is required at
// the exit of CoC, ESG and ESG RUSH homelessness prevention (element_rules
// W5: funders 1;9;53, project type 12) as well as of HOPWA programs; it is
// asked with the destination, so an HP exit has no HOPWA step.
func TestDerive_W5WithTheExit(t *testing.T) {
	for _, c := range []struct {
		name     string
		typ      hud.ProjectType
		funder   int
		hopwaIDs string // the HOPWA step's elements, "" when there is none
	}{
		{"ESG homelessness prevention", hud.ProjectTypeHomelessnessPrevention, 9, ""},
		{"CoC homelessness prevention", hud.ProjectTypeHomelessnessPrevention, 1, ""},
		{"HOPWA permanent housing", hud.ProjectTypePHPermanentSupportiveHousing, 15, "W3 W4 W6"},
	} {
		d, err := Derive(Project{ID: "p", Type: c.typ, Funders: []int{c.funder}}, Exit)
		if err != nil {
			t.Fatal(err)
		}
		var exit, hopwa []string
		for _, s := range d.Steps {
			for _, e := range s.Elements {
				switch s.Name {
				case StepExit:
					exit = append(exit, e.ID)
				case StepHOPWA:
					hopwa = append(hopwa, e.ID)
				}
			}
		}
		if got := strings.Join(exit, " "); got != "3.11 3.12 W5" {
			t.Errorf("%s: exit step %q, want 3.11 3.12 W5", c.name, got)
		}
		if got := strings.Join(hopwa, " "); got != c.hopwaIDs {
			t.Errorf("%s: HOPWA step %q, want %q", c.name, got, c.hopwaIDs)
		}
		if e, _ := d.Element("W5"); !e.Required || e.AskedOf != hud.SubjectAllClients {
			t.Errorf("%s: W5 %+v", c.name, e)
		}
	}
	d, err := Derive(Project{ID: "p", Type: hud.ProjectTypeHomelessnessPrevention, Funders: []int{2}}, Exit)
	if err != nil {
		t.Fatal(err)
	}
	if d.Has("W5") {
		t.Error("an HP program funded by CoC (2) other than its HP component is not asked W5")
	}
}

// TestPages_MoveInOnlyWhere320: the move-in date (3.20) is a field only of
// programs the rules ask it of (PH types; PFS, VA GPD CM/HR), and a
// move-in date in the answers of another program is never written.
func TestPages_MoveInOnlyWhere320(t *testing.T) {
	for _, c := range []struct {
		typ    hud.ProjectType
		funder int
		want   bool
	}{
		{hud.ProjectTypePHPermanentSupportiveHousing, 2, true}, {hud.ProjectTypePHRapidReHousing, 3, true},
		{hud.ProjectTypePHHousingOnly, 2, true}, {hud.ProjectTypePHHousingWithServices, 2, true},
		{hud.ProjectTypeEmergencyShelterEntryExit, 8, false}, {hud.ProjectTypeTransitionalHousing, 5, false},
		{hud.ProjectTypeStreetOutreach, 11, false}, {hud.ProjectTypeHomelessnessPrevention, 9, false},
		{hud.ProjectTypeCoordinatedEntry, 4, false}, {hud.ProjectTypeServicesOnly, 45, true},
	} {
		for _, st := range []Stage{Intake, Update, Exit} {
			p := Project{ID: "p", Type: c.typ, Funders: []int{c.funder}}
			d, err := Derive(p, st)
			if err != nil {
				t.Fatal(err)
			}
			got := false
			for _, pg := range Pages(d, p.Type) {
				for _, f := range pg.Household {
					got = got || f.Name == FieldMoveInDate
				}
			}
			if got != c.want {
				t.Errorf("type %d funder %d %s: move-in date asked %t, want %t", c.typ, c.funder, st, got, c.want)
			}
			if st != Intake || c.want {
				continue
			}
			r := &Run{Stage: Intake, Project: p, Def: d, Today: hmis.MustDate("2026-06-10"),
				Members: []Person{{PersonalID: "y", Name: "Yo", DOB: hmis.MustDate("1990-01-01")}},
				Values:  map[string]string{"y.relationship": "1", FieldEntryDate: "06/01/2026", FieldMoveInDate: "06/02/2026"}}
			if recs := r.Build(func() string { return "x" }); !recs.Enrollments[0].MoveInDate.IsZero() || !recs.MoveIn.IsZero() {
				t.Errorf("type %d: a move-in date was written: %+v", c.typ, recs.Enrollments[0].MoveInDate)
			}
		}
	}
}
