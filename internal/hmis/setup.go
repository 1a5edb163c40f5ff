package hmis

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hearth-hmis/hearth/internal/hud"
)

// The project descriptor records (HUD Data Standards 2.01-2.09) as HMIS
// administrators enter them in Setup (issue 5). Each Validate checks one
// record on its own and returns an EINVALID *Error whose Fields are keyed
// by the form fields below; rules that need other records (a funder's
// project exists, an inventory's CoC is one of its project's) are the
// store's.

// Form field names of the setup records.
const (
	FieldOrganizationName       = "organization_name"
	FieldOrganizationCommonName = "organization_common_name"
	FieldVictimServiceProvider  = "victim_service_provider"

	FieldProjectName            = "project_name"
	FieldProjectCommonName      = "project_common_name"
	FieldProjectOrganization    = "organization_id"
	FieldOperatingStartDate     = "operating_start_date"
	FieldOperatingEndDate       = "operating_end_date"
	FieldContinuumProject       = "continuum_project"
	FieldProjectType            = "project_type"
	FieldHousingType            = "housing_type"
	FieldRRHSubType             = "rrh_sub_type"
	FieldResidentialAffiliation = "residential_affiliation"
	FieldTargetPopulation       = "target_population"

	FieldFunder      = "funder"
	FieldOtherFunder = "other_funder"
	FieldGrantID     = "grant_id"
	FieldStartDate   = "start_date"
	FieldEndDate     = "end_date"

	FieldCoCCode       = "coc_code"
	FieldGeocode       = "geocode"
	FieldAddress1      = "address1"
	FieldCity          = "city"
	FieldState         = "state"
	FieldZIP           = "zip"
	FieldGeographyType = "geography_type"

	FieldHouseholdType = "household_type"
	FieldAvailability  = "availability"
	FieldESBedType     = "es_bed_type"
	FieldUnitInventory = "unit_inventory"
	FieldBedInventory  = "bed_inventory"

	FieldHMISParticipationType = "hmis_participation_type"
	FieldAccessPoint           = "access_point"
	FieldReceivesReferrals     = "receives_referrals"
	FieldCEAssessments         = "ce_assessments"
	FieldResProjectID          = "res_project_id"
)

// codeOK reports whether a code is a current one of its list.
func codeOK[T interface {
	~int
	Valid() bool
	Retired() bool
}](p *T) bool {
	return p != nil && (*p).Valid() && !(*p).Retired()
}

// checkCode adds a message when p is set but not a current code, or
// (required) when it is empty.
func checkCode[T interface {
	~int
	Valid() bool
	Retired() bool
}](f FieldErrors, field string, p *T, required bool, missing string) {
	switch {
	case p == nil && required:
		f.Add(field, missing)
	case p != nil && !codeOK(p):
		f.Add(field, "Choose one of the listed answers.")
	}
}

func checkText(f FieldErrors, field, v, label string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(v) == "":
		f.Add(field, "Enter the "+label+".")
	case utf8.RuneCountInString(v) > max:
		f.Add(field, "The "+label+" is longer than "+strconv.Itoa(max)+" characters.")
	}
}

// checkPeriod: a start date is required; an end date, when given, is not
// before it.
func checkPeriod(f FieldErrors, startField string, start Date, endField string, end Date, what string) {
	if start.IsZero() {
		f.Add(startField, "Enter the "+what+" start date.")
		return
	}
	if !end.IsZero() && end.Before(start) {
		f.Add(endField, "The end date is before the start date.")
	}
}

// Validate checks an Organization (2.01): its name (S200) and the victim
// service provider flag (2.01.3, list 1.10), both required.
func (o *Organization) Validate() error {
	f := FieldErrors{}
	checkText(f, FieldOrganizationName, o.OrganizationName, "organization name", 200, true)
	checkText(f, FieldOrganizationCommonName, o.OrganizationCommonName, "common name", 200, false)
	checkCode(f, FieldVictimServiceProvider, o.VictimServiceProvider, true, "Say whether the organization is a victim service provider (2.01.3).")
	return f.Err("The organization was not saved.")
}

// ResidentialProjectType reports whether a project of type t (with RRH
// subtype sub) houses its clients: the project types an Affiliation's
// ResProjectID may name (2.02.C) and that have inventory (2.07).
func ResidentialProjectType(t *hud.ProjectType, sub *hud.RRHSubType) bool {
	if t == nil {
		return false
	}
	switch *t {
	case 0, 1, 2, 3, 8, 9, 10:
		return true
	case 13:
		return sub != nil && *sub == 2
	}
	return false
}

// ServicesOnlyProjectType reports whether a project may be affiliated
// with a residential project (2.02.B): Services Only (6) or RRH services
// only (13 with 2.02.A = 1).
func ServicesOnlyProjectType(t *hud.ProjectType, sub *hud.RRHSubType) bool {
	if t == nil {
		return false
	}
	return *t == 6 || (*t == 13 && sub != nil && *sub == 1)
}

// Validate checks a Project (2.02): name, organization, operating dates
// (2.02.3-2.02.4, ordered), continuum project (2.02.5), project type
// (2.02.6); RRH subtype (2.02.A) exactly for RRH (13); housing type
// (2.02.D) for residential projects; residential affiliation (2.02.B)
// only and always for services-only projects.
func (p *Project) Validate() error {
	f := FieldErrors{}
	checkText(f, FieldProjectName, p.ProjectName, "program name", 200, true)
	checkText(f, FieldProjectCommonName, p.ProjectCommonName, "common name", 200, false)
	if p.OrganizationID == "" {
		f.Add(FieldProjectOrganization, "Choose the organization that runs the program.")
	}
	checkPeriod(f, FieldOperatingStartDate, p.OperatingStartDate, FieldOperatingEndDate, p.OperatingEndDate, "operating")
	checkCode(f, FieldContinuumProject, p.ContinuumProject, true, "Say whether the program is part of the Continuum (2.02.5).")
	checkCode(f, FieldProjectType, p.ProjectType, true, "Choose the project type (2.02.6).")
	rrh := p.ProjectType != nil && *p.ProjectType == hud.ProjectTypePHRapidReHousing
	switch {
	case rrh && p.RRHSubType == nil:
		f.Add(FieldRRHSubType, "Choose the RRH subtype (2.02.A): rapid re-housing needs one.")
	case !rrh && p.RRHSubType != nil:
		f.Add(FieldRRHSubType, "Only a rapid re-housing program (project type 13) has an RRH subtype.")
	default:
		checkCode(f, FieldRRHSubType, p.RRHSubType, false, "")
	}
	residential := ResidentialProjectType(p.ProjectType, p.RRHSubType)
	switch {
	case residential && p.HousingType == nil:
		f.Add(FieldHousingType, "Choose the housing type (2.02.D): a residential program needs one.")
	case !residential && p.HousingType != nil && p.ProjectType != nil:
		f.Add(FieldHousingType, "Only residential programs have a housing type (2.02.D).")
	default:
		checkCode(f, FieldHousingType, p.HousingType, false, "")
	}
	servicesOnly := ServicesOnlyProjectType(p.ProjectType, p.RRHSubType)
	switch {
	case servicesOnly && p.ResidentialAffiliation == nil:
		f.Add(FieldResidentialAffiliation, "Say whether the program is affiliated with a residential program (2.02.B).")
	case !servicesOnly && p.ResidentialAffiliation != nil && p.ProjectType != nil:
		f.Add(FieldResidentialAffiliation, "Only services-only programs (type 6, or RRH services only) are affiliated with a residential program.")
	default:
		checkCode(f, FieldResidentialAffiliation, p.ResidentialAffiliation, false, "")
	}
	checkCode(f, FieldTargetPopulation, p.TargetPopulation, false, "")
	return f.Err("The program was not saved.")
}

// Validate checks a Funder (2.06): the funding source (2.06.1, current
// codes), the other funder's name (2.06.A) exactly for "Local or Other"
// (46), the grant ID (2.06.2, S100) and the grant's dates (2.06.3-2.06.4).
func (g *Funder) Validate() error {
	f := FieldErrors{}
	checkCode(f, FieldFunder, g.Funder, true, "Choose the funding source (2.06.1).")
	other := g.Funder != nil && *g.Funder == hud.FundingSourceLocalOrOtherFundingSource
	switch {
	case other:
		checkText(f, FieldOtherFunder, g.OtherFunder, "other funder's name (2.06.A)", 100, true)
	case strings.TrimSpace(g.OtherFunder) != "":
		f.Add(FieldOtherFunder, "Name another funder only for “Local or Other Funding Source”.")
	}
	checkText(f, FieldGrantID, g.GrantID, "grant ID", 100, true)
	checkPeriod(f, FieldStartDate, g.StartDate, FieldEndDate, g.EndDate, "grant")
	return f.Err("The grant was not saved.")
}

// Validate checks a ProjectCoC (2.03): a CoC code of list 2.03.1, a
// six-digit geocode (2.03.2), a two-letter state and five-digit ZIP.
func (c *ProjectCoC) Validate() error {
	f := FieldErrors{}
	checkCoC(f, c.CoCCode)
	switch {
	case c.Geocode == "":
		f.Add(FieldGeocode, "Enter the geocode (2.03.2).")
	case !digits(c.Geocode, 6):
		f.Add(FieldGeocode, "A geocode is six digits.")
	}
	checkText(f, FieldAddress1, c.Address1, "address", 100, false)
	checkText(f, FieldCity, c.City, "city", 50, false)
	if c.State != "" && (len(c.State) != 2 || strings.ToUpper(c.State) != c.State || strings.ContainsAny(c.State, "0123456789")) {
		f.Add(FieldState, "Enter the state's two capital letters (USPS code).")
	}
	if c.ZIP != "" && !digits(c.ZIP, 5) {
		f.Add(FieldZIP, "A ZIP code is five digits.")
	}
	checkCode(f, FieldGeographyType, c.GeographyType, false, "")
	return f.Err("The CoC record was not saved.")
}

func checkCoC(f FieldErrors, code string) {
	switch {
	case code == "":
		f.Add(FieldCoCCode, "Choose the Continuum of Care (2.03.1).")
	case !hud.Lists["2.03.1"].Valid(code):
		f.Add(FieldCoCCode, "This is not a CoC code HUD lists (as XX-999).")
	}
}

func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// ValidateFor checks an Inventory record (2.07) of a project of type pt:
// CoC (2.07.3), household type (2.07.4), availability (2.07.6) and bed
// type (2.07.5) exactly for emergency shelters (0, 1), units and beds
// (2.07.14-15) not negative, the dedicated beds (2.07.7-2.07.13) adding
// up to the total (eva check 46), and the dates (2.07.1-2.07.2).
func (v *Inventory) ValidateFor(pt *hud.ProjectType) error {
	f := FieldErrors{}
	checkCoC(f, v.CoCCode)
	checkCode(f, FieldHouseholdType, v.HouseholdType, true, "Choose the household type (2.07.4).")
	es := pt != nil && (*pt == hud.ProjectTypeEmergencyShelterEntryExit || *pt == hud.ProjectTypeEmergencyShelterNightByNight)
	if es {
		checkCode(f, FieldAvailability, v.Availability, true, "Choose the availability (2.07.6): shelters need it.")
		checkCode(f, FieldESBedType, v.ESBedType, true, "Choose the bed type (2.07.5): shelters need it.")
	} else {
		if v.Availability != nil {
			f.Add(FieldAvailability, "Only emergency shelters have an availability (2.07.6).")
		}
		if v.ESBedType != nil {
			f.Add(FieldESBedType, "Only emergency shelters have a bed type (2.07.5).")
		}
	}
	switch {
	case v.UnitInventory == nil:
		f.Add(FieldUnitInventory, "Enter the number of units (2.07.15).")
	case *v.UnitInventory < 0:
		f.Add(FieldUnitInventory, "The number of units cannot be negative.")
	}
	sum := 0
	for _, p := range v.DedicatedBeds() {
		if *p.N != nil {
			if **p.N < 0 {
				f.Add(p.Field, "A number of beds cannot be negative.")
			}
			sum += **p.N
		}
	}
	switch {
	case v.BedInventory == nil:
		f.Add(FieldBedInventory, "Enter the total number of beds (2.07.14).")
	case *v.BedInventory < 0:
		f.Add(FieldBedInventory, "The number of beds cannot be negative.")
	case sum != *v.BedInventory:
		f.Add(FieldBedInventory, "The total beds ("+strconv.Itoa(*v.BedInventory)+") must equal the dedicated and other beds below ("+strconv.Itoa(sum)+").")
	}
	checkPeriod(f, FieldStartDate, v.InventoryStartDate, FieldEndDate, v.InventoryEndDate, "inventory")
	return f.Err("The inventory was not saved.")
}

// InventoryBeds is one of the dedicated-bed counts of an Inventory record.
type InventoryBeds struct {
	Field, Label string
	N            **int
}

// DedicatedBeds returns the seven bed counts that add up to BedInventory
// (2.07.7-2.07.13), in HUD's order.
func (v *Inventory) DedicatedBeds() []InventoryBeds {
	return []InventoryBeds{
		{"ch_vet_beds", "Chronically homeless veteran beds (2.07.7)", &v.CHVetBedInventory},
		{"youth_vet_beds", "Youth veteran beds (2.07.8)", &v.YouthVetBedInventory},
		{"vet_beds", "Veteran beds (2.07.9)", &v.VetBedInventory},
		{"ch_youth_beds", "Chronically homeless youth beds (2.07.10)", &v.CHYouthBedInventory},
		{"youth_beds", "Youth beds (2.07.11)", &v.YouthBedInventory},
		{"ch_beds", "Chronically homeless beds (2.07.12)", &v.CHBedInventory},
		{"other_beds", "Other beds (2.07.13)", &v.OtherBedInventory},
	}
}

// Validate checks an HMISParticipation record (2.08): its type and dates.
func (h *HMISParticipation) Validate() error {
	f := FieldErrors{}
	checkCode(f, FieldHMISParticipationType, h.HMISParticipationType, true, "Choose how the program takes part in the HMIS (2.08.1).")
	checkPeriod(f, FieldStartDate, h.HMISParticipationStatusStartDate, FieldEndDate, h.HMISParticipationStatusEndDate, "participation")
	return f.Err("The HMIS participation was not saved.")
}

// Validate checks a CEParticipation record (2.09): access point (2.09.1)
// and receives referrals (2.09.2) required; the four assessment kinds
// (2.09.A) answered (0 when not offered) exactly for an access point,
// at least one of them yes; the dates (2.09.3-2.09.4).
func (c *CEParticipation) Validate() error {
	f := FieldErrors{}
	checkCode(f, FieldAccessPoint, c.AccessPoint, true, "Say whether the program is a CE access point (2.09.1).")
	checkCode(f, FieldReceivesReferrals, c.ReceivesReferrals, true, "Say whether the program receives CE referrals (2.09.2).")
	kinds := []*hud.NoYes{c.PreventionAssessment, c.CrisisAssessment, c.HousingAssessment, c.DirectServices}
	if c.AccessPoint != nil && *c.AccessPoint == 1 {
		yes := false
		for _, k := range kinds {
			yes = yes || (k != nil && *k == 1)
		}
		if !yes {
			f.Add(FieldCEAssessments, "An access point offers at least one of the kinds below (2.09.A).")
		}
	} else {
		for _, k := range kinds {
			if k != nil && *k == 1 {
				f.Add(FieldCEAssessments, "Only an access point offers these (2.09.A).")
			}
		}
	}
	checkPeriod(f, FieldStartDate, c.CEParticipationStatusStartDate, FieldEndDate, c.CEParticipationStatusEndDate, "participation")
	return f.Err("The CE participation was not saved.")
}
