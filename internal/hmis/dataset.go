package hmis

// Dataset is the bundle of HUD records that one HMIS CSV export holds: one
// slice per CSV file, in HUD's file order. It is the spine of Hearth:
// hmiscsv reads and writes it, the store imports and exports it, and
// reports run on it without SQL.
//
// The record structs (records_gen.go) are generated from HUD's FY2026
// machine-readable spec; their fields carry HUD's column names.
type Dataset struct {
	Export                  Export                   // Export.csv: one row describing the export
	Organizations           []Organization           // Organization.csv (2.01)
	Users                   []User                   // User.csv (5.07)
	Projects                []Project                // Project.csv (2.02)
	Funders                 []Funder                 // Funder.csv (2.06)
	ProjectCoCs             []ProjectCoC             // ProjectCoC.csv (2.03)
	Inventory               []Inventory              // Inventory.csv (2.07)
	Affiliations            []Affiliation            // Affiliation.csv (2.02.C)
	HMISParticipations      []HMISParticipation      // HMISParticipation.csv (2.08)
	CEParticipations        []CEParticipation        // CEParticipation.csv (2.09)
	Clients                 []Client                 // Client.csv (3.01-3.07, 4.21, V1)
	Enrollments             []Enrollment             // Enrollment.csv (3.10, 3.15, 3.16, 3.917, ...)
	Exits                   []Exit                   // Exit.csv (3.11, 3.12, ...)
	IncomeBenefits          []IncomeBenefits         // IncomeBenefits.csv (4.02-4.04, W3, P4)
	HealthAndDV             []HealthAndDV            // HealthAndDV.csv (4.11, R7-R10)
	EmploymentEducation     []EmploymentEducation    // EmploymentEducation.csv (R4-R6)
	Disabilities            []Disability             // Disabilities.csv (4.05-4.10, W4, W6)
	Services                []Service                // Services.csv (4.14, P1, P2, R14, W1, W2, V2, V3, V8, C2)
	CurrentLivingSituations []CurrentLivingSituation // CurrentLivingSituation.csv (4.12)
	Assessments             []Assessment             // Assessment.csv (4.19)
	AssessmentQuestions     []AssessmentQuestion     // AssessmentQuestions.csv (4.19.5)
	AssessmentResults       []AssessmentResult       // AssessmentResults.csv (4.19.6)
	Events                  []Event                  // Event.csv (4.20)
	YouthEducationStatus    []YouthEducationStatus   // YouthEducationStatus.csv (C3)

	// DisabilityFacts is set by the report loader (store.ReportDataset)
	// instead of Disabilities: the part of each live record reports read,
	// by EnrollmentID, each enrollment's in DisabilitiesID order. Only
	// reports read a Dataset that has it; nothing writes it out.
	DisabilityFacts map[string][]DisabilityFact
}
