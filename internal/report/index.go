package report

import (
	"sync"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Index is a Dataset with the lookups reports need, built once (deleted
// records, DateDeleted set, are left out).
type Index struct {
	DS                     *hmis.Dataset
	Organizations          map[string]*hmis.Organization
	Projects               map[string]*hmis.Project
	Clients                map[string]*hmis.Client
	Enrollments            map[string]*hmis.Enrollment
	EnrollmentsByProject   map[string][]*hmis.Enrollment
	EnrollmentsByHousehold map[string][]*hmis.Enrollment
	EnrollmentsByClient    map[string][]*hmis.Enrollment
	Exits                  map[string]*hmis.Exit // by EnrollmentID
	Funders                map[string][]*hmis.Funder
	ProjectCoCs            map[string][]*hmis.ProjectCoC
	Affiliations           map[string][]*hmis.Affiliation
	CEParticipations       map[string][]*hmis.CEParticipation

	// By EnrollmentID.
	Income       map[string][]*hmis.IncomeBenefits
	Disabilities map[string][]hmis.DisabilityFact // ds.DisabilityFacts when the report loader set it
	HealthAndDV  map[string][]*hmis.HealthAndDV
	Services     map[string][]*hmis.Service
	BedNights    map[string][]hmis.Date
	CLS          map[string][]*hmis.CurrentLivingSituation
	Education    map[string][]*hmis.YouthEducationStatus

	// exitOf is Exits keyed by the indexed enrollment itself (nil when
	// open): a pointer hashes and compares faster than an EnrollmentID, and
	// ExitDate is asked millions of times by a 100k APR (docs/PERFORMANCE.md).
	// An enrollment not in it is looked up by ID in Exits.
	exitOf map[*hmis.Enrollment]*hmis.Exit
}

// NewIndex indexes ds.
func NewIndex(ds *hmis.Dataset) *Index {
	x := &Index{
		DS:                     ds,
		Organizations:          map[string]*hmis.Organization{},
		Projects:               map[string]*hmis.Project{},
		Clients:                map[string]*hmis.Client{},
		Enrollments:            map[string]*hmis.Enrollment{},
		EnrollmentsByProject:   map[string][]*hmis.Enrollment{},
		EnrollmentsByHousehold: map[string][]*hmis.Enrollment{},
		EnrollmentsByClient:    map[string][]*hmis.Enrollment{},
		Exits:                  map[string]*hmis.Exit{},
		Funders:                map[string][]*hmis.Funder{},
		ProjectCoCs:            map[string][]*hmis.ProjectCoC{},
		Affiliations:           map[string][]*hmis.Affiliation{},
		CEParticipations:       map[string][]*hmis.CEParticipation{},
		Income:                 map[string][]*hmis.IncomeBenefits{},
		HealthAndDV:            map[string][]*hmis.HealthAndDV{},
		Services:               map[string][]*hmis.Service{},
		BedNights:              map[string][]hmis.Date{},
		CLS:                    map[string][]*hmis.CurrentLivingSituation{},
		Education:              map[string][]*hmis.YouthEducationStatus{},
	}
	// The enrollment-level records on another core meanwhile: each loop
	// fills its own maps (docs/PERFORMANCE.md).
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range ds.IncomeBenefits {
			r := &ds.IncomeBenefits[i]
			if r.DateDeleted.IsZero() {
				x.Income[r.EnrollmentID] = append(x.Income[r.EnrollmentID], r)
			}
		}
		if ds.DisabilityFacts != nil {
			x.Disabilities = ds.DisabilityFacts
		} else {
			x.Disabilities = map[string][]hmis.DisabilityFact{}
			for i := range ds.Disabilities {
				r := &ds.Disabilities[i]
				if r.DateDeleted.IsZero() {
					x.Disabilities[r.EnrollmentID] = append(x.Disabilities[r.EnrollmentID], r.Fact())
				}
			}
		}
		for i := range ds.HealthAndDV {
			r := &ds.HealthAndDV[i]
			if r.DateDeleted.IsZero() {
				x.HealthAndDV[r.EnrollmentID] = append(x.HealthAndDV[r.EnrollmentID], r)
			}
		}
		for i := range ds.Services {
			r := &ds.Services[i]
			if !r.DateDeleted.IsZero() {
				continue
			}
			x.Services[r.EnrollmentID] = append(x.Services[r.EnrollmentID], r)
			if iv(r.RecordType) == 200 { // 4.14 bed night
				x.BedNights[r.EnrollmentID] = append(x.BedNights[r.EnrollmentID], r.DateProvided)
			}
		}
		for i := range ds.CurrentLivingSituations {
			r := &ds.CurrentLivingSituations[i]
			if r.DateDeleted.IsZero() {
				x.CLS[r.EnrollmentID] = append(x.CLS[r.EnrollmentID], r)
			}
		}
		for i := range ds.YouthEducationStatus {
			r := &ds.YouthEducationStatus[i]
			if r.DateDeleted.IsZero() {
				x.Education[r.EnrollmentID] = append(x.Education[r.EnrollmentID], r)
			}
		}
	})
	for i := range ds.Organizations {
		r := &ds.Organizations[i]
		if r.DateDeleted.IsZero() {
			x.Organizations[r.OrganizationID] = r
		}
	}
	for i := range ds.Projects {
		r := &ds.Projects[i]
		if r.DateDeleted.IsZero() {
			x.Projects[r.ProjectID] = r
		}
	}
	for i := range ds.Funders {
		r := &ds.Funders[i]
		if r.DateDeleted.IsZero() {
			x.Funders[r.ProjectID] = append(x.Funders[r.ProjectID], r)
		}
	}
	for i := range ds.ProjectCoCs {
		r := &ds.ProjectCoCs[i]
		if r.DateDeleted.IsZero() {
			x.ProjectCoCs[r.ProjectID] = append(x.ProjectCoCs[r.ProjectID], r)
		}
	}
	for i := range ds.Affiliations {
		r := &ds.Affiliations[i]
		if r.DateDeleted.IsZero() {
			x.Affiliations[r.ProjectID] = append(x.Affiliations[r.ProjectID], r)
		}
	}
	for i := range ds.CEParticipations {
		r := &ds.CEParticipations[i]
		if r.DateDeleted.IsZero() {
			x.CEParticipations[r.ProjectID] = append(x.CEParticipations[r.ProjectID], r)
		}
	}
	for i := range ds.Clients {
		r := &ds.Clients[i]
		if r.DateDeleted.IsZero() {
			x.Clients[r.PersonalID] = r
		}
	}
	for i := range ds.Enrollments {
		r := &ds.Enrollments[i]
		if r.DateDeleted.IsZero() {
			x.Enrollments[r.EnrollmentID] = r
			x.EnrollmentsByProject[r.ProjectID] = append(x.EnrollmentsByProject[r.ProjectID], r)
			x.EnrollmentsByHousehold[r.HouseholdID] = append(x.EnrollmentsByHousehold[r.HouseholdID], r)
			x.EnrollmentsByClient[r.PersonalID] = append(x.EnrollmentsByClient[r.PersonalID], r)
		}
	}
	for i := range ds.Exits {
		r := &ds.Exits[i]
		if r.DateDeleted.IsZero() {
			if old := x.Exits[r.EnrollmentID]; old == nil || r.ExitDate.After(old.ExitDate) {
				x.Exits[r.EnrollmentID] = r
			}
		}
	}
	x.exitOf = make(map[*hmis.Enrollment]*hmis.Exit, len(x.Enrollments))
	for i := range ds.Enrollments {
		r := &ds.Enrollments[i]
		if r.DateDeleted.IsZero() {
			x.exitOf[r] = x.Exits[r.EnrollmentID]
		}
	}
	wg.Wait()
	return x
}

// ExitDate returns the exit date of a stay (zero when open).
func (x *Index) ExitDate(e *hmis.Enrollment) hmis.Date {
	if ex := x.ExitOf(e); ex != nil {
		return ex.ExitDate
	}
	return hmis.Date{}
}

// ExitOf returns the stay's exit record (Exits by its EnrollmentID), nil
// when open.
func (x *Index) ExitOf(e *hmis.Enrollment) *hmis.Exit {
	if ex, ok := x.exitOf[e]; ok {
		return ex
	}
	return x.Exits[e.EnrollmentID]
}

// DisabledAtStart reports whether the stay's project-start disability
// records (stage 1) show a disabling condition: 4.06 developmental or 4.08
// HIV/AIDS yes, or 4.05, 4.07, 4.09, 4.10 yes with "expected to be of
// long-continued and indefinite duration and substantially impairs" yes
// (Glossary, Chronic Homelessness: Disabling Condition).
func (x *Index) DisabledAtStart(e *hmis.Enrollment) bool {
	for _, d := range x.Disabilities[e.EnrollmentID] {
		if d.DataCollectionStage != 1 || d.DisabilityResponse < 0 {
			continue
		}
		resp := d.DisabilityResponse
		switch d.DisabilityType {
		case 6, 8:
			if resp == 1 {
				return true
			}
		case 5, 7, 9:
			if resp == 1 && d.IndefiniteAndImpairs == 1 {
				return true
			}
		case 10:
			if resp >= 1 && resp <= 3 && d.IndefiniteAndImpairs == 1 {
				return true
			}
		}
	}
	return false
}
