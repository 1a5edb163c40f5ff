package hud

// ElementRule is one row of HUD's FY2026 collection matrix
// (../shared/hud/fy2026/element_rules.csv, see its README): for one
// client-level data element, which funders (list 2.06.1) and project types
// (list 2.02.6) collect it, about whom and at which collection points.
// ElementRules (element_rules_gen.go) holds every row.
type ElementRule struct {
	Element string // HUD element number as the CSV writes it: "3.01", "3.917A", "4.05", "R4"
	Name    string // HUD's name for the element

	// CollectedAbout is the rule's subject: SubjectAllClients, SubjectHoH,
	// SubjectHoHAndAdults, SubjectAdults, SubjectVeterans,
	// SubjectHIVAIDS or SubjectReceivingServices.
	CollectedAbout string

	// Stages are the collection points: StageRecordCreation,
	// StageProjectStart, StageUpdate, StageAnnual, StageExit,
	// StagePostExit, StageOccurrence. Empty for retired rules.
	Stages []string

	AllFunders      bool          // the rule applies whatever the funder ("ALL")
	Funders         []int         // 2.06.1 codes when not AllFunders; empty for "NONE"
	AllProjectTypes bool          // "ALL"
	ProjectTypes    []ProjectType // 2.02.6 codes when not AllProjectTypes

	// Level is the text after "level=" in the notes: LevelRequired,
	// "required [funder list partly inferred]", "required_by_GR",
	// "recommended", "recommended_beyond_DD", "project_type_applicability",
	// "removed_fy2026", "retired" or "uncertain".
	Level string
}

// Subjects (collected_about) of the element rules.
const (
	SubjectAllClients        = "all_clients"
	SubjectHoH               = "hoh"
	SubjectHoHAndAdults      = "hoh_and_adults"
	SubjectAdults            = "adults"
	SubjectVeterans          = "veterans"
	SubjectHIVAIDS           = "hh_members_with_hiv_aids"
	SubjectReceivingServices = "clients_receiving_services"
)

// Stages (collection points) of the element rules.
const (
	StageRecordCreation = "record_creation"
	StageProjectStart   = "project_start" // DataCollectionStage 1
	StageUpdate         = "update"        // 2
	StageAnnual         = "annual"        // 5
	StageExit           = "exit"          // 3
	StagePostExit       = "post_exit"     // 6
	StageOccurrence     = "occurrence"    // a dated record during the stay, no stage code
)

// Levels that decide collection.
const (
	LevelRequired                 = "required"
	LevelRequiredPartlyInferred   = "required [funder list partly inferred]"
	LevelProjectTypeApplicability = "project_type_applicability"
	LevelRemoved                  = "removed_fy2026"
	LevelRetired                  = "retired"
)

// Required reports whether the rule's level makes the element required
// ("required", including "required [funder list partly inferred]").
func (r ElementRule) Required() bool {
	return r.Level == LevelRequired || r.Level == LevelRequiredPartlyInferred
}

// Collected reports whether the rule asks for the element at all: retired
// and removed rules do not, and a project-type applicability row only
// narrows the funder rows, it asks for nothing by itself.
func (r ElementRule) Collected() bool {
	switch r.Level {
	case LevelRemoved, LevelRetired, LevelProjectTypeApplicability:
		return false
	}
	return len(r.Stages) > 0
}

// At reports whether the rule collects at stage.
func (r ElementRule) At(stage string) bool {
	for _, s := range r.Stages {
		if s == stage {
			return true
		}
	}
	return false
}

// AppliesTo reports whether the rule covers a project of type pt with one
// of the given open funders (2.06.1 codes).
func (r ElementRule) AppliesTo(pt ProjectType, funders []int) bool {
	if !r.AllProjectTypes {
		ok := false
		for _, t := range r.ProjectTypes {
			if t == pt {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if r.AllFunders {
		return true
	}
	for _, f := range funders {
		for _, g := range r.Funders {
			if f == g {
				return true
			}
		}
	}
	return false
}
