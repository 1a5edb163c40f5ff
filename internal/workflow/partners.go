package workflow

import (
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// The federal partners' elements (HOPWA W, PATH P, RHY R, VA V) the
// workflow collects: each is one or a few coded questions stored on the
// stage's records. Elements not listed here (V1, V7, W4, W6, C3, R20)
// appear on their step with a notice that Hearth does not collect them yet.

// memberRecords are one member's records being built, nil where the
// stage has none (an enrollment after intake, an exit before exit).
type memberRecords struct {
	c   *ClientAnswers
	hiv *hmis.Disability // the HIV/AIDS (4.08) record of this stage
	ye  *hmis.YouthEducationStatus
	ac  *Aftercare
	e   *hmis.Enrollment
	x   *hmis.Exit
	ib  *hmis.IncomeBenefits
	h   *hmis.HealthAndDV
	ee  *hmis.EmploymentEducation
}

type partnerField struct {
	name, label, list string
	main              bool // the element's main question: required when the element is
	set               func(m *memberRecords, v string)
}

// numberMax is the largest value of the partner number fields that allow
// more than 1000 (W4.A T-cell count, W4.C viral load).
var numberMax = map[string]int{"tcell_count": 1500, "viral_load": 999999}

// numberMin is the smallest value of the partner number fields that start
// above 0: R18.B sessions received by exit and R18.2 sessions planned
// (FY2026 columns.csv: "Integer >0").
var numberMin = map[string]int{"session_count": 1, "sessions_in_plan": 1}

// Where each partner element is stored.
const (
	onHIVRecord    = "hiv"
	onYouth        = "youth"
	onAftercare    = "aftercare"
	onClientRecord = "client"
	onEnrollment   = "enrollment"
	onExit         = "exit"
	onIncome       = "income"
	onHealth       = "health"
	onEmployment   = "employment"
)

type partnerElement struct {
	record string
	fields []partnerField
}

func onE(f func(e *hmis.Enrollment, v string)) func(*memberRecords, string) {
	return func(m *memberRecords, v string) {
		if m.e != nil {
			f(m.e, v)
		}
	}
}

func onX(f func(x *hmis.Exit, v string)) func(*memberRecords, string) {
	return func(m *memberRecords, v string) {
		if m.x != nil {
			f(m.x, v)
		}
	}
}

func onIB(f func(ib *hmis.IncomeBenefits, v string)) func(*memberRecords, string) {
	return func(m *memberRecords, v string) {
		if m.ib != nil {
			f(m.ib, v)
		}
	}
}

func onH(f func(h *hmis.HealthAndDV, v string)) func(*memberRecords, string) {
	return func(m *memberRecords, v string) {
		if m.h != nil {
			f(m.h, v)
		}
	}
}

func onEE(f func(ee *hmis.EmploymentEducation, v string)) func(*memberRecords, string) {
	return func(m *memberRecords, v string) {
		if m.ee != nil {
			f(m.ee, v)
		}
	}
}

type yn = hud.NoYesReasonsForMissingData

func onHIV(f func(d *hmis.Disability, v string)) func(*memberRecords, string) {
	return func(m *memberRecords, v string) {
		if m.hiv != nil {
			f(m.hiv, v)
		}
	}
}

func onClient(f func(c *ClientAnswers, v string)) func(*memberRecords, string) {
	return func(m *memberRecords, v string) {
		if m.c != nil {
			f(m.c, v)
		}
	}
}

func onYE(f func(y *hmis.YouthEducationStatus, v string)) func(*memberRecords, string) {
	return func(m *memberRecords, v string) {
		if m.ye != nil {
			f(m.ye, v)
		}
	}
}

// year reads a four-digit year the form checked.
func year(v string) *int { return code[int](v) }

var partnerElements = map[string]partnerElement{
	"P4": {onIncome, []partnerField{{"soar", "Connection with SOAR (P4)", "1.8", true,
		onIB(func(ib *hmis.IncomeBenefits, v string) { ib.ConnectionWithSOAR = code[yn](v) })}}},
	"W3": {onIncome, []partnerField{
		{"adap", "Receiving AIDS Drug Assistance Program (ADAP) (W3)", "1.8", true,
			onIB(func(ib *hmis.IncomeBenefits, v string) { ib.ADAP = code[yn](v) })},
		{"no_adap_reason", "If not receiving ADAP: why (W3.B)", "W3", false,
			onIB(func(ib *hmis.IncomeBenefits, v string) { ib.NoADAPReason = code[hud.NoAssistanceReason](v) })},
		{"ryan_white", "Receiving Ryan White-funded medical or dental assistance (W3)", "1.8", true,
			onIB(func(ib *hmis.IncomeBenefits, v string) { ib.RyanWhiteMedDent = code[yn](v) })},
		{"no_ryan_white_reason", "If not receiving Ryan White-funded assistance: why (W3.C)", "W3", false,
			onIB(func(ib *hmis.IncomeBenefits, v string) { ib.NoRyanWhiteReason = code[hud.NoAssistanceReason](v) })}}},
	"W4": {onHIVRecord, []partnerField{
		{"tcell_available", "T-cell (CD4) count available (W4)", "1.8", true,
			onHIV(func(d *hmis.Disability, v string) { d.TCellCountAvailable = code[yn](v) })},
		// W4.A/W4.B: asked when the count is available (1).
		{name: "tcell_count", label: "If available: T-cell (CD4) count (W4.A, 0 to 1,500)", list: "number",
			set: onHIV(func(d *hmis.Disability, v string) { d.TCellCount = code[int](v) })},
		{name: "tcell_source", label: "If available: how the T-cell count was obtained (W4.B)", list: "W4.B",
			set: onHIV(func(d *hmis.Disability, v string) { d.TCellSource = code[hud.TCellSourceViralLoadSource](v) })},
		{"viral_load_available", "Viral load information available (W4)", "W4.3", true,
			onHIV(func(d *hmis.Disability, v string) { d.ViralLoadAvailable = code[hud.ViralLoadAvailable](v) })},
		// W4.C/W4.D: asked when the viral load is available (1).
		{name: "viral_load", label: "If available: viral load (W4.C, copies/mL, 0 to 999,999)", list: "number",
			set: onHIV(func(d *hmis.Disability, v string) { d.ViralLoad = code[int](v) })},
		{name: "viral_load_source", label: "If available: how the viral load was obtained (W4.D)", list: "W4.B",
			set: onHIV(func(d *hmis.Disability, v string) { d.ViralLoadSource = code[hud.TCellSourceViralLoadSource](v) })}}},
	"W6": {onHIVRecord, []partnerField{{"antiretroviral", "Prescribed anti-retroviral medication (W6)", "1.8", true,
		onHIV(func(d *hmis.Disability, v string) { d.AntiRetroviral = code[yn](v) })}}},
	"V1": {onClientRecord, []partnerField{
		{"year_entered_service", "Year entered military service (V1, YYYY)", "year", true,
			onClient(func(c *ClientAnswers, v string) { c.YearEnteredService = year(v) })},
		{"year_separated", "Year separated from military service (V1, YYYY)", "year", true,
			onClient(func(c *ClientAnswers, v string) { c.YearSeparated = year(v) })},
		{"military_branch", "Branch of the military (V1)", "V1.11", true,
			onClient(func(c *ClientAnswers, v string) { c.MilitaryBranch = code[hud.MilitaryBranch](v) })},
		{"discharge_status", "Discharge status (V1)", "V1.12", true,
			onClient(func(c *ClientAnswers, v string) { c.DischargeStatus = code[hud.DischargeStatus](v) })}}},
	"C3": {onYouth, []partnerField{
		{"current_school_attend", "Current school enrollment and attendance (C3)", "C3.2", true,
			onYE(func(y *hmis.YouthEducationStatus, v string) {
				y.CurrentSchoolAttend = code[hud.CurrentSchoolAttended](v)
			})},
		{"most_recent_ed_status", "If not enrolled: most recent educational status (C3.A)", "C3.A", false,
			onYE(func(y *hmis.YouthEducationStatus, v string) { y.MostRecentEdStatus = code[hud.MostRecentEdStatus](v) })},
		{"current_ed_status", "If enrolled: current educational status (C3.B)", "C3.B", false,
			onYE(func(y *hmis.YouthEducationStatus, v string) { y.CurrentEdStatus = code[hud.CurrentEdStatus](v) })}}},
	"R20": {onAftercare, []partnerField{{"aftercare_provided", "Aftercare plans: aftercare was provided (R20)", "R20.2", true,
		func(m *memberRecords, v string) {
			if m.ac != nil {
				m.ac.Provided = code[hud.AftercareProvided](v)
			}
		}}}},
	"W5": {onExit, []partnerField{{"housing_assessment", "Housing assessment at exit (W5)", "W5.1", true,
		onX(func(x *hmis.Exit, v string) { x.HousingAssessment = code[hud.HousingAssessmentAtExit](v) })}}},
	"R1": {onEnrollment, []partnerField{{"referral_source", "Referral source (R1)", "R1.1", true,
		onE(func(e *hmis.Enrollment, v string) { e.ReferralSource = code[hud.ReferralSource](v) })},
		{"outreach_approaches", "If referred by an outreach project: times approached by outreach before entering (R1.A)", "number", false,
			onE(func(e *hmis.Enrollment, v string) { e.CountOutreachReferralApproaches = code[int](v) })}}},
	"R2": {onEnrollment, []partnerField{{"eligible_for_rhy", "Youth eligible for RHY services (R2)", "1.7", true,
		onE(func(e *hmis.Enrollment, v string) {
			e.EligibleForRHY = code[hud.NoYesMissing](v)
			e.DateOfBCPStatus = e.EntryDate
		})}}},
	"R4": {onEmployment, []partnerField{{"last_grade", "Last grade completed (R4)", "R4.1", true,
		onEE(func(ee *hmis.EmploymentEducation, v string) { ee.LastGradeCompleted = code[hud.LastGradeCompleted](v) })}}},
	"R5": {onEmployment, []partnerField{{"school_status", "School status (R5)", "R5.1", true,
		onEE(func(ee *hmis.EmploymentEducation, v string) { ee.SchoolStatus = code[hud.SchoolStatus](v) })}}},
	"R6": {onEmployment, []partnerField{
		{"employed", "Employed (R6)", "1.8", true, onEE(func(ee *hmis.EmploymentEducation, v string) { ee.Employed = code[yn](v) })},
		{"employment_type", "If employed: type of employment (R6.A)", "R6.A", false,
			onEE(func(ee *hmis.EmploymentEducation, v string) { ee.EmploymentType = code[hud.EmploymentType](v) })},
		{"not_employed_reason", "If not employed: why (R6.B)", "R6.B", false,
			onEE(func(ee *hmis.EmploymentEducation, v string) { ee.NotEmployedReason = code[hud.NotEmployedReason](v) })}}},
	"R7": {onHealth, []partnerField{{"general_health", "General health status (R7)", "R7.1", true,
		onH(func(h *hmis.HealthAndDV, v string) { h.GeneralHealthStatus = code[hud.HealthStatus](v) })}}},
	"R8": {onHealth, []partnerField{{"dental_health", "Dental health status (R8)", "R7.1", true,
		onH(func(h *hmis.HealthAndDV, v string) { h.DentalHealthStatus = code[hud.HealthStatus](v) })}}},
	"R9": {onHealth, []partnerField{{"mental_health", "Mental health status (R9)", "R7.1", true,
		onH(func(h *hmis.HealthAndDV, v string) { h.MentalHealthStatus = code[hud.HealthStatus](v) })}}},
	"R10": {onHealth, []partnerField{{"pregnancy", "Pregnancy status (R10)", "1.8", true,
		onH(func(h *hmis.HealthAndDV, v string) { h.PregnancyStatus = code[yn](v) })},
		{"due_date", "If pregnant: due date (R10.A, MM/DD/YYYY)", "date", false,
			onH(func(h *hmis.HealthAndDV, v string) { h.DueDate, _ = ParseUSDate(v) })}}},
	"R11": {onEnrollment, []partnerField{{"former_ward_child_welfare", "Formerly a ward of child welfare or foster care (R11)", "1.8", true,
		onE(func(e *hmis.Enrollment, v string) { e.FormerWardChildWelfare = code[yn](v) })}}},
	"R12": {onEnrollment, []partnerField{{"former_ward_juvenile_justice", "Formerly a ward of the juvenile justice system (R12)", "1.8", true,
		onE(func(e *hmis.Enrollment, v string) { e.FormerWardJuvenileJustice = code[yn](v) })}}},
	"R13": {onEnrollment, []partnerField{
		{"unemployment_fam", "Family critical issues (R13): unemployment in the family", "1.8", true,
			onE(func(e *hmis.Enrollment, v string) { e.UnemploymentFam = code[yn](v) })},
		{"mental_health_fam", "Mental health disorder in the family (R13)", "1.8", true,
			onE(func(e *hmis.Enrollment, v string) { e.MentalHealthDisorderFam = code[yn](v) })},
		{"physical_disability_fam", "Physical disability in the family (R13)", "1.8", true,
			onE(func(e *hmis.Enrollment, v string) { e.PhysicalDisabilityFam = code[yn](v) })},
		{"substance_use_fam", "Alcohol or drug use disorder in the family (R13)", "1.8", true,
			onE(func(e *hmis.Enrollment, v string) { e.AlcoholDrugUseDisorderFam = code[yn](v) })},
		{"insufficient_income", "Insufficient income to support the youth (R13)", "1.8", true,
			onE(func(e *hmis.Enrollment, v string) { e.InsufficientIncome = code[yn](v) })},
		{"incarcerated_parent", "Incarcerated parent of the youth (R13)", "1.8", true,
			onE(func(e *hmis.Enrollment, v string) { e.IncarceratedParent = code[yn](v) })}}},
	"R15": {onExit, []partnerField{{"exchange_for_sex", "Ever received anything in exchange for sex (R15)", "1.8", true,
		onX(func(x *hmis.Exit, v string) { x.ExchangeForSex = code[yn](v) })},
		{"exchange_for_sex_recent", "If yes: in the past three months (R15.A)", "1.8", false,
			onX(func(x *hmis.Exit, v string) { x.ExchangeForSexPastThreeMonths = code[yn](v) })},
		{"exchange_for_sex_count", "If yes: how many times (R15.B)", "R15.B", false,
			onX(func(x *hmis.Exit, v string) { x.CountOfExchangeForSex = code[hud.CountExchangeForSex](v) })},
		{"forced_exchange_for_sex", "If yes: ever made or persuaded to do so by anyone (R15.C)", "1.8", false,
			onX(func(x *hmis.Exit, v string) { x.AskedOrForcedToExchangeForSex = code[yn](v) })},
		{"forced_exchange_for_sex_recent", "If made or persuaded: in the past three months (R15.D)", "1.8", false,
			onX(func(x *hmis.Exit, v string) { x.AskedOrForcedToExchangeForSexPastThreeMonths = code[yn](v) })}}},
	"R16": {onExit, []partnerField{
		{"workplace_violence", "Ever afraid to quit a job because of threats of violence (R16)", "1.8", true,
			onX(func(x *hmis.Exit, v string) { x.WorkplaceViolenceThreats = code[yn](v) })},
		{"workplace_promise", "Ever promised work where the work was different (R16)", "1.8", true,
			onX(func(x *hmis.Exit, v string) { x.WorkplacePromiseDifference = code[yn](v) })},
		{"coerced_to_continue_work", "If either is yes: ever made to continue work by threats or force (R16.A)", "1.8", false,
			onX(func(x *hmis.Exit, v string) { x.CoercedToContinueWork = code[yn](v) })},
		{"labor_exploit_recent", "If either is yes: in the past three months (R16.B)", "1.8", false,
			onX(func(x *hmis.Exit, v string) { x.LaborExploitPastThreeMonths = code[yn](v) })}}},
	"R17": {onExit, []partnerField{{"completion_status", "Project completion status (R17)", "R17.1", true,
		onX(func(x *hmis.Exit, v string) { x.ProjectCompletionStatus = code[hud.ProjectCompletionStatus](v) })},
		{"early_exit_reason", "If expelled or involuntarily discharged: the major reason (R17.A)", "R17.A", false,
			onX(func(x *hmis.Exit, v string) { x.EarlyExitReason = code[hud.ExpelledReason](v) })}}},
	"R18": {onExit, []partnerField{{"counseling", "Client received counseling (R18)", "1.10", true,
		onX(func(x *hmis.Exit, v string) { x.CounselingReceived = code[hud.NoYes](v) })},
		{"individual_counseling", "If yes: individual counseling (R18.A)", "1.10", false,
			onX(func(x *hmis.Exit, v string) { x.IndividualCounseling = code[hud.NoYes](v) })},
		{"family_counseling", "If yes: family counseling (R18.A)", "1.10", false,
			onX(func(x *hmis.Exit, v string) { x.FamilyCounseling = code[hud.NoYes](v) })},
		{"group_counseling", "If yes: group counseling, individual or family (R18.A)", "1.10", false,
			onX(func(x *hmis.Exit, v string) { x.GroupCounseling = code[hud.NoYes](v) })},
		{"session_count", "If yes: number of sessions received by exit (R18.B, 1 or more)", "number", false,
			onX(func(x *hmis.Exit, v string) { x.SessionCountAtExit = code[int](v) })},
		{"sessions_in_plan", "Total number of sessions planned in the youth’s treatment or service plan (R18.2, 1 or more)", "number", false,
			onX(func(x *hmis.Exit, v string) { x.SessionsInPlan = code[int](v) })},
		{"post_exit_counseling_plan", "A plan is in place to start or continue counseling after exit (R18.3)", "1.10", true,
			onX(func(x *hmis.Exit, v string) { x.PostExitCounselingPlan = code[hud.NoYes](v) })}}},
	"R19": {onExit, []partnerField{
		{"destination_safe_client", "Exit destination safe, as the client sees it (R19)", "1.8", true,
			onX(func(x *hmis.Exit, v string) { x.DestinationSafeClient = code[yn](v) })},
		{"destination_safe_worker", "Exit destination safe, as the worker sees it (R19)", "R19.A", true,
			onX(func(x *hmis.Exit, v string) { x.DestinationSafeWorker = code[hud.WorkerResponse](v) })}}},
	"V4": {onEnrollment, []partnerField{{"percent_ami", "Percent of area median income (V4)", "V4.1", true,
		onE(func(e *hmis.Enrollment, v string) { e.PercentAMI = code[hud.PercentAMI](v) })}}},
	"V6": {onEnrollment, []partnerField{{"vamc_station", "VAMC station number (V6)", "V6.1", true,
		onE(func(e *hmis.Enrollment, v string) { e.VAMCStation = v })}}},
	"V7": {onEnrollment, []partnerField{
		{"target_screen_reqd", "HP targeting criteria screening required (V7)", "1.7", true,
			onE(func(e *hmis.Enrollment, v string) { e.TargetScreenReqd = code[hud.NoYesMissing](v) })},
		{"time_to_housing_loss", "Time to housing loss (V7.A)", "V7.A", false, onE(func(e *hmis.Enrollment, v string) { e.TimeToHousingLoss = code[hud.TimeToHousingLoss](v) })},
		{"annual_percent_ami", "Annual household gross income, percent of AMI (V7.B)", "V7.B", false, onE(func(e *hmis.Enrollment, v string) { e.AnnualPercentAMI = code[hud.AnnualPercentAMI](v) })},
		{"literal_homeless_history", "Past experience of homelessness (V7.C)", "V7.C", false, onE(func(e *hmis.Enrollment, v string) { e.LiteralHomelessHistory = code[hud.LiteralHomelessHistory](v) })},
		{"eviction_history", "Rental evictions in the past (V7.G)", "V7.G", false, onE(func(e *hmis.Enrollment, v string) { e.EvictionHistory = code[hud.EvictionHistory](v) })},
		{"incarcerated_adult", "Adult in the household incarcerated (V7.I)", "V7.I", false, onE(func(e *hmis.Enrollment, v string) { e.IncarceratedAdult = code[hud.IncarceratedAdult](v) })},
		{"dependent_under6", "Dependents under six (V7.O)", "V7.O", false, onE(func(e *hmis.Enrollment, v string) { e.DependentUnder6 = code[hud.DependentUnder6](v) })},
		{"client_leaseholder", "Client is a current leaseholder (V7.D)", "1.7", false, onE(func(e *hmis.Enrollment, v string) { e.ClientLeaseholder = code[hud.NoYesMissing](v) })},
		{"hoh_leaseholder", "Head of household has been a leaseholder (V7.E)", "1.7", false, onE(func(e *hmis.Enrollment, v string) { e.HOHLeaseholder = code[hud.NoYesMissing](v) })},
		{"subsidy_at_risk", "Household has a rental subsidy at risk (V7.F)", "1.7", false, onE(func(e *hmis.Enrollment, v string) { e.SubsidyAtRisk = code[hud.NoYesMissing](v) })},
		{"criminal_record", "Criminal record for arson, drug dealing or manufacture, or felony against persons (V7.H)", "1.7", false, onE(func(e *hmis.Enrollment, v string) { e.CriminalRecord = code[hud.NoYesMissing](v) })},
		{"prison_discharge", "Discharged from an institution in the last six months (V7.J)", "1.7", false, onE(func(e *hmis.Enrollment, v string) { e.PrisonDischarge = code[hud.NoYesMissing](v) })},
		{"sex_offender", "Registered sex offender (V7.K)", "1.7", false, onE(func(e *hmis.Enrollment, v string) { e.SexOffender = code[hud.NoYesMissing](v) })},
		{"disabled_hoh", "Head of household with a disabling condition (V7.L)", "1.7", false, onE(func(e *hmis.Enrollment, v string) { e.DisabledHoH = code[hud.NoYesMissing](v) })},
		{"current_pregnant", "Currently pregnant (V7.M)", "1.7", false, onE(func(e *hmis.Enrollment, v string) { e.CurrentPregnant = code[hud.NoYesMissing](v) })},
		{"single_parent", "Single parent with a minor child (V7.N)", "1.7", false, onE(func(e *hmis.Enrollment, v string) { e.SingleParent = code[hud.NoYesMissing](v) })},
		{"hh5plus", "Household size of five or more (V7.P)", "1.7", false, onE(func(e *hmis.Enrollment, v string) { e.HH5Plus = code[hud.NoYesMissing](v) })},
		{"coc_prioritized", "Household identified as a local CoC priority (V7.Q)", "1.7", false, onE(func(e *hmis.Enrollment, v string) { e.CoCPrioritized = code[hud.NoYesMissing](v) })},
		{"hp_screening_score", "HP screening score (V7.R)", "number", false, onE(func(e *hmis.Enrollment, v string) { e.HPScreeningScore = code[int](v) })},
		{"threshold_score", "Threshold score (V7.S)", "number", false, onE(func(e *hmis.Enrollment, v string) { e.ThresholdScore = code[int](v) })}}},
	"V9": {onExit, []partnerField{{"cm_exit_reason", "HUD-VASH case management exit reason (V9)", "V9.1", true,
		onX(func(x *hmis.Exit, v string) { x.CMExitReason = code[hud.CMExitReason](v) })}}},
	"V10": {onEnrollment, []partnerField{{"mental_health_consultation", "Mental health consultation (V10)", "V10", true,
		onE(func(e *hmis.Enrollment, v string) { e.MentalHealthConsultation = code[hud.MentalHealthConsultation](v) })}}},
}

// partnerFormFields returns the form fields of partner element e.
func partnerFormFields(e Element) []Field {
	pe, ok := partnerElements[e.ID]
	if !ok {
		return nil
	}
	var out []Field
	for _, f := range pe.fields {
		switch f.list {
		case "year":
			out = append(out, Field{f.name, f.label, e.ID, KindYear, "", e.Required && f.main})
			continue
		case "number":
			out = append(out, Field{f.name, f.label, e.ID, KindNumber, "", e.Required && (f.main || followUps[f.name].Required)})
			continue
		case "date":
			out = append(out, Field{f.name, f.label, e.ID, KindDate, "", e.Required && (f.main || followUps[f.name].Required)})
			continue
		}
		out = append(out, Field{f.name, f.label, e.ID, KindSelect, f.list, e.Required && (f.main || followUps[f.name].Required)})
	}
	return out
}

// needs reports whether the run asks member p any partner element stored
// on record kind.
func (r *Run) needs(p Person, kind string) bool {
	for id, pe := range partnerElements {
		if pe.record != kind {
			continue
		}
		if e, ok := r.Def.Element(id); ok && r.Asks(e, p) {
			return true
		}
	}
	return false
}

// setPartners stores member p's partner answers on their records.
func (r *Run) setPartners(p Person, m *memberRecords) {
	for id, pe := range partnerElements {
		e, ok := r.Def.Element(id)
		if !ok || !r.Asks(e, p) {
			continue
		}
		for _, f := range pe.fields {
			if v := r.v(p, f.name); v != "" {
				f.set(m, v)
			}
		}
	}
}
