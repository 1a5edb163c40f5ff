package hud

import "testing"

// The generated matrix holds every row of element_rules.csv (217) and the
// facts the README states about it.
func TestElementRules(t *testing.T) {
	if n := len(ElementRules); n != 217 {
		t.Fatalf("ElementRules has %d rows, want the CSV's 217", n)
	}
	elements := map[string]bool{}
	for _, r := range ElementRules {
		elements[r.Element] = true
		if r.Level == "" || r.CollectedAbout == "" {
			t.Errorf("%s: empty level or subject: %+v", r.Element, r)
		}
		if r.Collected() && !r.AllFunders && len(r.Funders) == 0 {
			t.Errorf("%s: collected with no funders", r.Element)
		}
	}
	if n := len(elements); n != 73 {
		t.Errorf("%d elements, want 73", n)
	}
	// 3.06 Gender is retired (FY2026); 3.10 Project Start Date is
	// collected at project start for every project.
	for _, r := range ElementRules {
		switch r.Element {
		case "3.06":
			if r.Collected() || r.Level != LevelRetired {
				t.Errorf("3.06 should be retired: %+v", r)
			}
		case "3.10":
			if !r.Required() || !r.At(StageProjectStart) || !r.AppliesTo(ProjectTypeEmergencyShelterEntryExit, nil) {
				t.Errorf("3.10 should be required at project start everywhere: %+v", r)
			}
		}
	}
	// 4.05 for VA funders is removed in FY2026, ESG (8) still collects it.
	var esg, va bool
	for _, r := range ElementRules {
		if r.Element != "4.05" || !r.Collected() {
			continue
		}
		esg = esg || r.AppliesTo(ProjectTypeEmergencyShelterEntryExit, []int{8})
		va = va || r.AppliesTo(ProjectTypeEmergencyShelterEntryExit, []int{37})
	}
	if !esg || va {
		t.Errorf("4.05 ESG collected %v (want true), VA SSVF collected %v (want false)", esg, va)
	}
}
