package transfer

import (
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// SourceKey returns the key of the source an export comes from: the
// --source name when given, else Export.SourceID and Export.SourceName.
// Each part is trimmed, lower-cased and its inner spaces collapsed, so
// "Old HMIS" and " old  hmis" are one source. Every imported record's ID
// depends on the key (docs/hmis-csv-ids.md); "" means the export names
// no source.
func SourceKey(override string, h hmis.Export) string {
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	if k := norm(override); k != "" {
		return k
	}
	id, name := norm(h.SourceID), norm(h.SourceName)
	if id == "" && name == "" {
		return ""
	}
	return id + "/" + name
}

// idMapper maps a source's HUD IDs to Hearth's (store.SourceRecordID).
type idMapper struct{ key string }

// id maps one ID of the given kind in place; an empty ID stays empty.
func (m idMapper) id(p *string, kind string) {
	if *p != "" {
		*p = store.SourceRecordID(m.key, kind, *p)
	}
}

// Kinds: the CSV file (without .csv) whose key an ID refers to.
const (
	kOrganization = "Organization"
	kUser         = "User"
	kProject      = "Project"
	kClient       = "Client"
	kEnrollment   = "Enrollment"
	kHousehold    = "Household"
	kAssessment   = "Assessment"
)

// mapRecord rewrites every ID in rec, its own and its references, and
// clears ExportID (not stored).
func (m idMapper) mapRecord(rec any) {
	switch r := rec.(type) {
	case *hmis.Organization:
		m.id(&r.OrganizationID, kOrganization)
		m.id(&r.UserID, kUser)
		r.ExportID = ""
	case *hmis.User:
		m.id(&r.UserID, kUser)
		r.ExportID = ""
	case *hmis.Project:
		m.id(&r.ProjectID, kProject)
		m.id(&r.OrganizationID, kOrganization)
		m.id(&r.UserID, kUser)
		r.ExportID = ""
	case *hmis.Funder:
		m.id(&r.FunderID, "Funder")
		m.id(&r.ProjectID, kProject)
		m.id(&r.UserID, kUser)
		r.ExportID = ""
	case *hmis.ProjectCoC:
		m.id(&r.ProjectCoCID, "ProjectCoC")
		m.id(&r.ProjectID, kProject)
		m.id(&r.UserID, kUser)
		r.ExportID = ""
	case *hmis.Inventory:
		m.id(&r.InventoryID, "Inventory")
		m.id(&r.ProjectID, kProject)
		m.id(&r.UserID, kUser)
		r.ExportID = ""
	case *hmis.Affiliation:
		m.id(&r.AffiliationID, "Affiliation")
		m.id(&r.ProjectID, kProject)
		m.id(&r.ResProjectID, kProject)
		m.id(&r.UserID, kUser)
		r.ExportID = ""
	case *hmis.HMISParticipation:
		m.id(&r.HMISParticipationID, "HMISParticipation")
		m.id(&r.ProjectID, kProject)
		m.id(&r.UserID, kUser)
		r.ExportID = ""
	case *hmis.CEParticipation:
		m.id(&r.CEParticipationID, "CEParticipation")
		m.id(&r.ProjectID, kProject)
		m.id(&r.UserID, kUser)
		r.ExportID = ""
	case *hmis.Client:
		m.id(&r.PersonalID, kClient)
		m.id(&r.UserID, kUser)
		r.ExportID = ""
	case *hmis.Enrollment:
		m.id(&r.EnrollmentID, kEnrollment)
		m.id(&r.PersonalID, kClient)
		m.id(&r.ProjectID, kProject)
		m.id(&r.HouseholdID, kHousehold)
		m.id(&r.UserID, kUser)
		r.ExportID = ""
	case *hmis.Exit:
		m.id(&r.ExitID, "Exit")
		m.enrollmentLevel(&r.EnrollmentID, &r.PersonalID, &r.UserID, &r.ExportID)
	case *hmis.IncomeBenefits:
		m.id(&r.IncomeBenefitsID, "IncomeBenefits")
		m.enrollmentLevel(&r.EnrollmentID, &r.PersonalID, &r.UserID, &r.ExportID)
	case *hmis.HealthAndDV:
		m.id(&r.HealthAndDVID, "HealthAndDV")
		m.enrollmentLevel(&r.EnrollmentID, &r.PersonalID, &r.UserID, &r.ExportID)
	case *hmis.EmploymentEducation:
		m.id(&r.EmploymentEducationID, "EmploymentEducation")
		m.enrollmentLevel(&r.EnrollmentID, &r.PersonalID, &r.UserID, &r.ExportID)
	case *hmis.Disability:
		m.id(&r.DisabilitiesID, "Disabilities")
		m.enrollmentLevel(&r.EnrollmentID, &r.PersonalID, &r.UserID, &r.ExportID)
	case *hmis.Service:
		m.id(&r.ServicesID, "Services")
		m.enrollmentLevel(&r.EnrollmentID, &r.PersonalID, &r.UserID, &r.ExportID)
	case *hmis.CurrentLivingSituation:
		m.id(&r.CurrentLivingSitID, "CurrentLivingSituation")
		m.enrollmentLevel(&r.EnrollmentID, &r.PersonalID, &r.UserID, &r.ExportID)
	case *hmis.Assessment:
		m.id(&r.AssessmentID, kAssessment)
		m.enrollmentLevel(&r.EnrollmentID, &r.PersonalID, &r.UserID, &r.ExportID)
	case *hmis.AssessmentQuestion:
		m.id(&r.AssessmentQuestionID, "AssessmentQuestions")
		m.id(&r.AssessmentID, kAssessment)
		m.enrollmentLevel(&r.EnrollmentID, &r.PersonalID, &r.UserID, &r.ExportID)
	case *hmis.AssessmentResult:
		m.id(&r.AssessmentResultID, "AssessmentResults")
		m.id(&r.AssessmentID, kAssessment)
		m.enrollmentLevel(&r.EnrollmentID, &r.PersonalID, &r.UserID, &r.ExportID)
	case *hmis.Event:
		m.id(&r.EventID, "Event")
		m.enrollmentLevel(&r.EnrollmentID, &r.PersonalID, &r.UserID, &r.ExportID)
	case *hmis.YouthEducationStatus:
		m.id(&r.YouthEducationStatusID, "YouthEducationStatus")
		m.enrollmentLevel(&r.EnrollmentID, &r.PersonalID, &r.UserID, &r.ExportID)
	}
}

func (m idMapper) enrollmentLevel(enrollmentID, personalID, userID, exportID *string) {
	m.id(enrollmentID, kEnrollment)
	m.id(personalID, kClient)
	m.id(userID, kUser)
	*exportID = ""
}
