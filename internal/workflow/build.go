package workflow

import (
	"slices"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// Records are the HUD records a completed workflow writes, in one
// transaction (store.CompleteWorkflow).
type Records struct {
	Day         hmis.Date         // the information date (5.04) of every record
	Enrollments []hmis.Enrollment // intake: new enrollments
	MoveIn      hmis.Date         // update, exit: the HoH's move-in date to record (3.20), zero for none
	// Engagement are the dates of engagement (4.13) to record on existing
	// enrollments (update, exit), by EnrollmentID; kept only where none is.
	Engagement map[string]hmis.Date
	// CurrentLivingSituations (4.12) and bed nights (4.14, Services of
	// RecordType 200) of the contact this workflow records.
	CurrentLivingSituations []hmis.CurrentLivingSituation
	Services                []hmis.Service
	Exits                   []hmis.Exit
	Income                  []hmis.IncomeBenefits
	Health                  []hmis.HealthAndDV
	Employment              []hmis.EmploymentEducation  // R4–R6
	Youth                   []hmis.YouthEducationStatus // C3
	Aftercare               []Aftercare                 // R20, on the stay's exit
	// Answers to the organization's own questions.
	Answers []Answer
	// Warnings are the data-quality warnings the case manager confirmed
	// (audited with the records).
	Warnings     []Warning
	Disabilities []hmis.Disability
	// Clients are the record-creation answers to keep on the client
	// (3.07 veteran status, 4.21 sex), by PersonalID.
	Clients map[string]ClientAnswers
}

// Aftercare is R20, recorded after exit on the stay's Exit record.
type Aftercare struct {
	EnrollmentID string
	Date         hmis.Date // R20.1, the information date
	Provided     *hud.AftercareProvided
}

// ClientAnswers are a client's record-creation answers given in the workflow.
type ClientAnswers struct {
	VeteranStatus *hud.NoYesReasonsForMissingData
	Sex           *hud.Sex
	// V1 veteran's information.
	YearEnteredService, YearSeparated *int
	MilitaryBranch                    *hud.MilitaryBranch
	DischargeStatus                   *hud.DischargeStatus
}

// Build returns the records of the run. newID makes record identifiers.
// It assumes every page was validated.
func (r *Run) Build(newID func() string) Records {
	var out Records
	out.Clients = map[string]ClientAnswers{}
	day := r.Day()
	out.Day = day
	stage := r.Stage.DataCollectionStage()
	householdID := newID()
	var coc string
	if r.Def.Has("3.16") {
		coc = r.Values[FieldCoC]
	}
	has := func(p Person, id string) bool {
		e, ok := r.Def.Element(id)
		return ok && r.Asks(e, p)
	}
	for _, p := range r.Members {
		v := func(f string) string { return r.v(p, f) }
		var m memberRecords
		var e hmis.Enrollment
		var x hmis.Exit
		var ib hmis.IncomeBenefits
		var h hmis.HealthAndDV
		var ee hmis.EmploymentEducation
		var ca ClientAnswers
		var dis []hmis.Disability
		var ye hmis.YouthEducationStatus
		var ac Aftercare
		enrollmentID := p.EnrollmentID
		if r.Stage == Intake {
			enrollmentID = newID()
			e = hmis.Enrollment{EnrollmentID: enrollmentID, PersonalID: p.PersonalID, ProjectID: r.Project.ID,
				EntryDate: day, HouseholdID: householdID, RelationshipToHoH: code[hud.RelationshipToHoH](v("relationship")),
				EnrollmentCoC: coc}
			if has(p, "3.917") {
				e.LivingSituation = code[hud.LivingSituation](v("living_situation"))
				e.RentalSubsidyType = code[hud.RentalSubsidyType](v("rental_subsidy"))
				e.LengthOfStay = code[hud.ResidencePriorLengthOfStay](v("length_of_stay"))
				e.DateToStreetESSH, _ = ParseUSDate(v("date_to_street"))
				e.TimesHomelessPastThreeYears = code[hud.TimesHomelessPastThreeYears](v("times_homeless"))
				e.MonthsHomelessPastThreeYears = code[hud.MonthsHomelessPastThreeYears](v("months_homeless"))
				if !is3917A(r.Project.Type) { // 3.917B: 2A/2B from the length of stay, 2C as answered
					e.PreviousStreetESSH = code[hud.NoYesMissing](v("previous_street_essh"))
					e.LOSUnderThreshold = losUnderThreshold(v("living_situation"), v("length_of_stay"))
				}
			}
			if has(p, "3.08") {
				e.DisablingCondition = code[hud.NoYesReasonsForMissingData](v("disabling_condition"))
			}
			if r.HoH(p) && r.Def.Has("3.20") { // 3.20: the head's, where the rules ask it
				e.MoveInDate = r.Date(FieldMoveInDate)
			}
			if has(p, "4.13") {
				e.DateOfEngagement, _ = ParseUSDate(v(FieldEngagementDate))
			}
			m.e = &e
			if exit := r.Date(FieldExitDate); !exit.IsZero() {
				out.Exits = append(out.Exits, hmis.Exit{ExitID: newID(), EnrollmentID: enrollmentID, PersonalID: p.PersonalID,
					ExitDate: exit, Destination: code[hud.LivingSituation](r.Values["past_destination"])})
			}
			if has(p, "3.07") {
				ca.VeteranStatus = code[hud.NoYesReasonsForMissingData](v("veteran_status"))
			}
			if has(p, "4.21") {
				ca.Sex = code[hud.Sex](v("sex"))
			}
			m.c = &ca
		}
		if r.Stage == Exit {
			x = hmis.Exit{ExitID: newID(), EnrollmentID: enrollmentID, PersonalID: p.PersonalID, ExitDate: day}
			if has(p, "3.12") {
				x.Destination = code[hud.LivingSituation](v(FieldDestination))
				x.DestinationSubsidyType = code[hud.RentalSubsidyType](v("destination_subsidy"))
				x.OtherDestination = v("other_destination")
			}
			m.x = &x
		}
		if r.Stage != Intake {
			if r.HoH(p) && r.Def.Has("3.20") {
				out.MoveIn = r.Date(FieldMoveInDate)
			}
			if d, ok := ParseUSDate(v(FieldEngagementDate)); ok && has(p, "4.13") {
				if out.Engagement == nil {
					out.Engagement = map[string]hmis.Date{}
				}
				out.Engagement[enrollmentID] = d
			}
		}
		if has(p, "4.12") && v("current_living_situation") != "" {
			out.CurrentLivingSituations = append(out.CurrentLivingSituations, hmis.CurrentLivingSituation{CurrentLivingSitID: newID(),
				EnrollmentID: enrollmentID, PersonalID: p.PersonalID, InformationDate: day,
				CurrentLivingSituation: code[hud.LivingSituation](v("current_living_situation")),
				CLSSubsidyType:         code[hud.RentalSubsidyType](v("cls_subsidy")),
				LeaveSituation14Days:   code[hud.NoYesReasonsForMissingData](v("cls_leave_14_days")),
				SubsequentResidence:    code[hud.NoYesReasonsForMissingData](v("cls_subsequent_residence")),
				ResourcesToObtain:      code[hud.NoYesReasonsForMissingData](v("cls_resources_to_obtain")),
				LeaseOwn60Day:          code[hud.NoYesReasonsForMissingData](v("cls_lease_own_60_day")),
				MovedTwoOrMore:         code[hud.NoYesReasonsForMissingData](v("cls_moved_two_or_more")),
				LocationDetails:        v("cls_location_details")})
			if r.Project.Type == hud.ProjectTypeCoordinatedEntry { // 4.12.3: CE only
				out.CurrentLivingSituations[len(out.CurrentLivingSituations)-1].VerifiedBy = v("cls_verified_by")
			}
		}
		if has(p, "4.14") && v(FieldBedNight) == "1" {
			bed := hud.RecordType(200)
			typ := 200 // Bed night (list 1.4, RecordType 200)
			out.Services = append(out.Services, hmis.Service{ServicesID: newID(), EnrollmentID: enrollmentID, PersonalID: p.PersonalID,
				DateProvided: day, RecordType: &bed, TypeProvided: &typ})
		}
		if has(p, "4.02") || has(p, "4.03") || has(p, "4.04") || r.needs(p, onIncome) {
			ib = hmis.IncomeBenefits{IncomeBenefitsID: newID(), EnrollmentID: enrollmentID, PersonalID: p.PersonalID,
				InformationDate: day, DataCollectionStage: &stage}
			if has(p, "4.02") {
				r.income(p, &ib)
			}
			if has(p, "4.03") {
				ib.BenefitsFromAnySource = code[hud.NoYesReasonsForMissingData](v("benefits_from_any_source"))
				yes := sources(r, p, ib.BenefitsFromAnySource)
				ib.SNAP, ib.WIC, ib.TANFChildCare = yes("snap"), yes("wic"), yes("tanf_child_care")
				ib.TANFTransportation, ib.OtherTANF, ib.OtherBenefitsSource = yes("tanf_transportation"), yes("other_tanf"), yes("other_benefits")
			}
			if has(p, "4.04") {
				ib.InsuranceFromAnySource = code[hud.NoYesReasonsForMissingData](v("insurance_from_any_source"))
				yes := sources(r, p, ib.InsuranceFromAnySource)
				ib.Medicaid, ib.Medicare, ib.SCHIP, ib.VHAServices = yes("medicaid"), yes("medicare"), yes("schip"), yes("vha")
				ib.EmployerProvided, ib.COBRA, ib.PrivatePay = yes("employer"), yes("cobra"), yes("private_pay")
				ib.StateHealthIns, ib.IndianHealthServices, ib.OtherInsurance = yes("state_health"), yes("indian_health"), yes("other_insurance")
			}
			m.ib = &ib
		}
		if has(p, "4.11") || r.needs(p, onHealth) {
			h = hmis.HealthAndDV{HealthAndDVID: newID(), EnrollmentID: enrollmentID, PersonalID: p.PersonalID,
				InformationDate: day, DataCollectionStage: &stage}
			if has(p, "4.11") {
				h.DomesticViolenceSurvivor = code[hud.NoYesReasonsForMissingData](v("dv_survivor"))
				h.WhenOccurred = code[hud.WhenDVOccurred](v("dv_when"))
				h.CurrentlyFleeing = code[hud.NoYesReasonsForMissingData](v("dv_fleeing"))
			}
			m.h = &h
		}
		if r.needs(p, onEmployment) {
			ee = hmis.EmploymentEducation{EmploymentEducationID: newID(), EnrollmentID: enrollmentID, PersonalID: p.PersonalID,
				InformationDate: day, DataCollectionStage: &stage}
			m.ee = &ee
		}
		for _, d := range disabilities {
			if !has(p, d.element) {
				continue
			}
			n := "dis_" + d.element[:1] + "_" + d.element[2:]
			resp := code[int](v(n))
			if resp == nil {
				continue
			}
			typ := d.typ
			dis = append(dis, hmis.Disability{DisabilitiesID: newID(), EnrollmentID: enrollmentID,
				PersonalID: p.PersonalID, InformationDate: day, DisabilityType: &typ, DisabilityResponse: resp,
				IndefiniteAndImpairs: code[hud.NoYesReasonsForMissingData](v(n + "_impairs")), DataCollectionStage: &stage})
		}
		if r.needs(p, onHIVRecord) {
			// W4/W6 live on the HIV/AIDS record of the stage; at an annual
			// assessment, where 4.08 is not asked, one is written for the
			// member known to have HIV/AIDS.
			i := slices.IndexFunc(dis, func(d hmis.Disability) bool { return *d.DisabilityType == 8 })
			if i < 0 {
				typ, yes := hud.DisabilityType(8), 1
				dis = append(dis, hmis.Disability{DisabilitiesID: newID(), EnrollmentID: enrollmentID, PersonalID: p.PersonalID,
					InformationDate: day, DisabilityType: &typ, DisabilityResponse: &yes, DataCollectionStage: &stage})
				i = len(dis) - 1
			}
			m.hiv = &dis[i]
		}
		if r.needs(p, onYouth) {
			ye = hmis.YouthEducationStatus{YouthEducationStatusID: newID(), EnrollmentID: enrollmentID, PersonalID: p.PersonalID,
				InformationDate: day, DataCollectionStage: &stage}
			m.ye = &ye
		}
		if r.needs(p, onAftercare) {
			ac = Aftercare{EnrollmentID: enrollmentID, Date: day}
			m.ac = &ac
		}
		r.setPartners(p, &m)
		if m.ye != nil {
			out.Youth = append(out.Youth, ye)
		}
		if m.ac != nil {
			out.Aftercare = append(out.Aftercare, ac)
		}
		out.Disabilities = append(out.Disabilities, dis...)
		if ca != (ClientAnswers{}) {
			out.Clients[p.PersonalID] = ca
		}
		if m.e != nil {
			out.Enrollments = append(out.Enrollments, e)
		}
		if m.x != nil {
			out.Exits = append(out.Exits, x)
		}
		if m.ib != nil {
			out.Income = append(out.Income, ib)
		}
		if m.h != nil {
			out.Health = append(out.Health, h)
		}
		if m.ee != nil {
			out.Employment = append(out.Employment, ee)
		}
	}
	return out
}

// sources returns the 1.7 answer of a source box: Yes when ticked, No when
// the "from any source" answer is Yes or No and the box is not ticked,
// empty otherwise.
func sources(r *Run, p Person, any *hud.NoYesReasonsForMissingData) func(string) *hud.NoYesMissing {
	return func(f string) *hud.NoYesMissing {
		yes, no := hud.NoYesMissing(1), hud.NoYesMissing(0)
		switch {
		case r.v(p, f) == "1":
			return &yes
		case any != nil && (*any == 0 || *any == 1):
			return &no
		}
		return nil
	}
}

// income fills in 4.02: each source Yes with its amount, No when the
// answer is Yes or No and the source has none, and the total.
func (r *Run) income(p Person, ib *hmis.IncomeBenefits) {
	ib.IncomeFromAnySource = code[hud.NoYesReasonsForMissingData](r.v(p, "income_from_any_source"))
	answered := ib.IncomeFromAnySource != nil && (*ib.IncomeFromAnySource == 0 || *ib.IncomeFromAnySource == 1)
	var total hmis.Money
	set := func(flag **hud.NoYesMissing, amount **hmis.Money, f string) {
		m := money(r.v(p, f))
		switch {
		case m > 0:
			yes := hud.NoYesMissing(1)
			*flag, *amount = &yes, &m
			total += m
		case answered:
			no := hud.NoYesMissing(0)
			*flag = &no
		}
	}
	set(&ib.Earned, &ib.EarnedAmount, "earned_amount")
	set(&ib.Unemployment, &ib.UnemploymentAmount, "unemployment_amount")
	set(&ib.SSI, &ib.SSIAmount, "ssi_amount")
	set(&ib.SSDI, &ib.SSDIAmount, "ssdi_amount")
	set(&ib.VADisabilityService, &ib.VADisabilityServiceAmount, "va_service_amount")
	set(&ib.TANF, &ib.TANFAmount, "tanf_amount")
	set(&ib.GA, &ib.GAAmount, "ga_amount")
	set(&ib.SocSecRetirement, &ib.SocSecRetirementAmount, "soc_sec_amount")
	set(&ib.Pension, &ib.PensionAmount, "pension_amount")
	set(&ib.ChildSupport, &ib.ChildSupportAmount, "child_support_amount")
	set(&ib.Alimony, &ib.AlimonyAmount, "alimony_amount")
	set(&ib.OtherIncomeSource, &ib.OtherIncomeAmount, "other_income_amount")
	if answered {
		ib.TotalMonthlyIncome = &total
	}
}

// losUnderThreshold is 3.917.2A/2B (LOSUnderThreshold): whether a stay in
// an institution was under 90 days, or in a temporary or permanent place
// under 7 nights; nil for a homeless situation or an unknown length.
func losUnderThreshold(ls, los string) *hud.NoYesMissing {
	var under []string
	switch {
	case slices.Contains(institutional, ls):
		under = []string{"10", "11", "2", "3"}
	case slices.Contains(temporaryPermanent, ls):
		under = []string{"10", "11"}
	default:
		return nil
	}
	switch los {
	case "", "8", "9", "99":
		return nil
	}
	v := hud.NoYesMissing(0)
	if slices.Contains(under, los) {
		v = 1
	}
	return &v
}
