package hmis

import (
	"errors"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hud"
)

// fieldsOf returns the fields an error has messages on.
func fieldsOf(err error) map[string]bool {
	out := map[string]bool{}
	var e *Error
	if errors.As(err, &e) {
		for k := range e.Fields {
			out[k] = true
		}
	}
	return out
}

// The project descriptor rules, written from the HMIS CSV FY2026 notes
// (REFERENCE.md §1.3 Project.csv, Funder.csv, Inventory.csv).
func TestProjectValidate(t *testing.T) {
	base := func(pt int) Project {
		return Project{OrganizationID: "O1", ProjectName: "P", OperatingStartDate: MustDate("2024-01-01"),
			ContinuumProject: new(hud.NoYes(1)), ProjectType: new(hud.ProjectType(pt))}
	}
	cases := []struct {
		name  string
		p     Project
		edit  func(*Project)
		field string // "" when valid
	}{
		{"street outreach", base(4), func(*Project) {}, ""},
		{"shelter needs a housing type", base(1), func(*Project) {}, FieldHousingType},
		{"shelter with one", base(1), func(p *Project) { p.HousingType = new(hud.HousingType(1)) }, ""},
		{"RRH needs a subtype", base(13), func(*Project) {}, FieldRRHSubType},
		{"RRH services only: no housing type, affiliation asked", base(13), func(p *Project) { p.RRHSubType = new(hud.RRHSubType(1)) }, FieldResidentialAffiliation},
		{"RRH services only, affiliation answered", base(13), func(p *Project) {
			p.RRHSubType, p.ResidentialAffiliation = new(hud.RRHSubType(1)), new(hud.NoYes(0))
		}, ""},
		{"RRH housing: housing type required", base(13), func(p *Project) { p.RRHSubType = new(hud.RRHSubType(2)) }, FieldHousingType},
		{"subtype on transitional housing", base(2), func(p *Project) {
			p.HousingType, p.RRHSubType = new(hud.HousingType(1)), new(hud.RRHSubType(2))
		}, FieldRRHSubType},
		{"affiliation on a shelter", base(0), func(p *Project) {
			p.HousingType, p.ResidentialAffiliation = new(hud.HousingType(1)), new(hud.NoYes(1))
		}, FieldResidentialAffiliation},
		{"services only needs 2.02.B", base(6), func(*Project) {}, FieldResidentialAffiliation},
		{"housing type on services only", base(6), func(p *Project) {
			p.ResidentialAffiliation, p.HousingType = new(hud.NoYes(0)), new(hud.HousingType(1))
		}, FieldHousingType},
		{"closed before it opened", base(4), func(p *Project) { p.OperatingEndDate = MustDate("2023-12-31") }, FieldOperatingEndDate},
		{"unknown project type", base(5), func(*Project) {}, FieldProjectType},
		{"no continuum answer", base(4), func(p *Project) { p.ContinuumProject = nil }, FieldContinuumProject},
	}
	for _, c := range cases {
		p := c.p
		c.edit(&p)
		got := fieldsOf(p.Validate())
		switch {
		case c.field == "" && len(got) > 0:
			t.Errorf("%s: refused %v", c.name, got)
		case c.field != "" && !got[c.field]:
			t.Errorf("%s: no message on %s (%v)", c.name, c.field, got)
		}
	}
}

func TestFunderAndInventoryValidate(t *testing.T) {
	g := Funder{Funder: new(hud.FundingSource(46)), GrantID: "G", StartDate: MustDate("2024-01-01")}
	if !fieldsOf(g.Validate())[FieldOtherFunder] {
		t.Error("local or other funder without a name")
	}
	g.OtherFunder = "City of Eugene"
	if err := g.Validate(); err != nil {
		t.Error(err)
	}
	g.Funder = new(hud.FundingSource(8))
	if !fieldsOf(g.Validate())[FieldOtherFunder] {
		t.Error("another funder's name on an ESG grant")
	}

	es, th := new(hud.ProjectType(1)), new(hud.ProjectType(2))
	v := Inventory{CoCCode: "OR-500", HouseholdType: new(hud.HouseholdType(1)), UnitInventory: new(10), BedInventory: new(10),
		VetBedInventory: new(4), OtherBedInventory: new(6), InventoryStartDate: MustDate("2024-01-01")}
	if got := fieldsOf(v.ValidateFor(es)); !got[FieldAvailability] || !got[FieldESBedType] {
		t.Errorf("shelter without availability or bed type: %v", got)
	}
	if err := v.ValidateFor(th); err != nil {
		t.Errorf("transitional housing: %v", err)
	}
	v.Availability = new(hud.Availability(1))
	if !fieldsOf(v.ValidateFor(th))[FieldAvailability] {
		t.Error("availability on transitional housing")
	}
	v.Availability, v.OtherBedInventory = nil, new(5)
	if !fieldsOf(v.ValidateFor(th))[FieldBedInventory] {
		t.Error("beds not adding up (eva check 46)")
	}
}
