package transfer

import (
	"context"
	"fmt"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// LoadDataset reads into memory what an export of the projects would hold
// (store.ExportRecords: only what the actor in ctx may see, audited as one
// export): the records a HUD report runs on. Enrollments started after end
// are left out; earlier ones are all kept, so that household rules (the
// household's start, members who left before the report) see them.
func LoadDataset(ctx context.Context, st *store.Store, projectIDs []string, end hmis.Date) (*hmis.Dataset, error) {
	ds := &hmis.Dataset{}
	_, err := st.ExportRecords(ctx, store.ExportScope{ProjectIDs: projectIDs, End: end}, func(rec any) error {
		switch r := rec.(type) {
		case *hmis.Organization:
			ds.Organizations = append(ds.Organizations, *r)
		case *hmis.User:
			ds.Users = append(ds.Users, *r)
		case *hmis.Project:
			ds.Projects = append(ds.Projects, *r)
		case *hmis.Funder:
			ds.Funders = append(ds.Funders, *r)
		case *hmis.ProjectCoC:
			ds.ProjectCoCs = append(ds.ProjectCoCs, *r)
		case *hmis.Inventory:
			ds.Inventory = append(ds.Inventory, *r)
		case *hmis.Affiliation:
			ds.Affiliations = append(ds.Affiliations, *r)
		case *hmis.HMISParticipation:
			ds.HMISParticipations = append(ds.HMISParticipations, *r)
		case *hmis.CEParticipation:
			ds.CEParticipations = append(ds.CEParticipations, *r)
		case *hmis.Client:
			ds.Clients = append(ds.Clients, *r)
		case *hmis.Enrollment:
			ds.Enrollments = append(ds.Enrollments, *r)
		case *hmis.Exit:
			ds.Exits = append(ds.Exits, *r)
		case *hmis.IncomeBenefits:
			ds.IncomeBenefits = append(ds.IncomeBenefits, *r)
		case *hmis.HealthAndDV:
			ds.HealthAndDV = append(ds.HealthAndDV, *r)
		case *hmis.EmploymentEducation:
			ds.EmploymentEducation = append(ds.EmploymentEducation, *r)
		case *hmis.Disability:
			ds.Disabilities = append(ds.Disabilities, *r)
		case *hmis.Service:
			ds.Services = append(ds.Services, *r)
		case *hmis.CurrentLivingSituation:
			ds.CurrentLivingSituations = append(ds.CurrentLivingSituations, *r)
		case *hmis.Assessment:
			ds.Assessments = append(ds.Assessments, *r)
		case *hmis.AssessmentQuestion:
			ds.AssessmentQuestions = append(ds.AssessmentQuestions, *r)
		case *hmis.AssessmentResult:
			ds.AssessmentResults = append(ds.AssessmentResults, *r)
		case *hmis.Event:
			ds.Events = append(ds.Events, *r)
		case *hmis.YouthEducationStatus:
			ds.YouthEducationStatus = append(ds.YouthEducationStatus, *r)
		default:
			return fmt.Errorf("report data: unexpected record %T", rec)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ds, nil
}
