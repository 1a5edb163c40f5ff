package hmiscsv

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Conditional rules of the FY2026 spec: "null unless X", "non-null if X"
// (columns.csv validation notes, REFERENCE.md §1.1/§1.3) and the collection
// rules of fy2026/element_rules.csv. Under the severity policy
// (KNOWN-ISSUES.md) none of them stops an import: a breach is imported as
// given and listed as a warning, like a code not in its list.

// cond is one condition on a row: the column's integer code is one of in,
// or, with in nil, the column is not empty. A column named "project.X"
// is X of the row's project (through ProjectID, or the enrollment's
// project through EnrollmentID): ProjectType, RRHSubType, or Funder (any of
// the project's funder codes).
type cond struct {
	col string
	in  []int
}

// ruleKind says what a rule asks of its column.
type ruleKind uint8

const (
	emptyUnless ruleKind = iota // empty unless one alternative holds
	emptyWhen                   // empty when one alternative holds
	setWhen                     // not empty when one alternative holds
	inWhen                      // one of values when one alternative holds
)

// rule is one conditional rule. when holds alternatives, each an AND of
// conds; the rule's condition is their OR.
type rule struct {
	file, col, element string
	kind               ruleKind
	when               [][]cond
	values             []int // inWhen
	hopwa              bool  // checked only for projects with a HOPWA funder (2.06.1 codes 13–19)
}

// c1 is a condition of one alternative with one cond.
func c1(col string, in ...int) [][]cond { return [][]cond{{{col, in}}} }

var (
	raceCols = []string{"AmIndAKNative", "Asian", "BlackAfAmerican", "HispanicLatinao", "MidEastNAfrican", "NativeHIPacific", "White"}
	leaveCLS = []int{215, 206, 207, 225, 204, 205, 302, 329, 314, 332, 336, 335, 410, 435, 421, 411}
	hivYes   = [][]cond{{{"DisabilityType", []int{8}}, {"DisabilityResponse", []int{1}}}}
)

func raceNoneOK() [][]cond {
	var all []cond
	for _, c := range raceCols {
		all = append(all, cond{c, []int{0, 99}})
	}
	return [][]cond{all}
}

// rules cites each HUD element. Rules whose columns.csv note adds "Null
// check only applicable when Funder in c(13:19)" have hopwa set.
var rules = []rule{
	// Project (2.02)
	{file: "Project", col: "RRHSubType", element: "2.02.A", kind: emptyUnless, when: c1("ProjectType", 13)},
	{file: "Project", col: "ResidentialAffiliation", element: "2.02.B", kind: setWhen,
		when: [][]cond{{{"ProjectType", []int{6}}}, {{"ProjectType", []int{13}}, {"RRHSubType", []int{1}}}}},
	// Funder (2.06)
	{file: "Funder", col: "OtherFunder", element: "2.06.A", kind: setWhen, when: c1("Funder", 46)},
	// Inventory (2.07)
	{file: "Inventory", col: "Availability", element: "2.07.6", kind: emptyUnless, when: c1("project.ProjectType", 0, 1)},
	{file: "Inventory", col: "ESBedType", element: "2.07.5", kind: emptyUnless, when: c1("project.ProjectType", 0, 1)},
	// CEParticipation (2.09)
	{file: "CEParticipation", col: "PreventionAssessment", element: "2.09.A", kind: setWhen, when: c1("AccessPoint", 1)},
	{file: "CEParticipation", col: "CrisisAssessment", element: "2.09.A", kind: setWhen, when: c1("AccessPoint", 1)},
	{file: "CEParticipation", col: "HousingAssessment", element: "2.09.A", kind: setWhen, when: c1("AccessPoint", 1)},
	{file: "CEParticipation", col: "DirectServices", element: "2.09.A", kind: setWhen, when: c1("AccessPoint", 1)},
	// Client (3.03, 3.04)
	{file: "Client", col: "DOB", element: "3.03", kind: emptyWhen, when: c1("DOBDataQuality", 8, 9, 99)},
	{file: "Client", col: "RaceNone", element: "3.04", kind: emptyUnless, when: raceNoneOK()},
	// Enrollment (3.917, 3.20, P3, R2)
	{file: "Enrollment", col: "RentalSubsidyType", element: "3.917.A", kind: emptyUnless, when: c1("LivingSituation", 435)},
	// 3.20 is collected in PH (3, 9, 10, 13); element_rules.csv adds Pay
	// for Success (funder 35) in type 7 and GPD CM/HR (funder 45) in SSO (6).
	{file: "Enrollment", col: "MoveInDate", element: "3.20", kind: emptyUnless, when: [][]cond{
		{{"project.ProjectType", []int{3, 9, 10, 13}}},
		{{"project.ProjectType", []int{7}}, {"project.Funder", []int{35}}},
		{{"project.ProjectType", []int{6}}, {"project.Funder", []int{45}}}}},
	{file: "Enrollment", col: "ReasonNotEnrolled", element: "P3.A", kind: emptyUnless, when: c1("ClientEnrolledInPATH", 0)},
	{file: "Enrollment", col: "ReasonNoServices", element: "R2.A", kind: emptyUnless, when: c1("EligibleForRHY", 0)},
	{file: "Enrollment", col: "RunawayYouth", element: "R2.B", kind: emptyUnless, when: c1("EligibleForRHY", 1)},
	// Exit (3.12, W5, R15–R20)
	{file: "Exit", col: "DestinationSubsidyType", element: "3.12.A", kind: emptyUnless, when: c1("Destination", 435)},
	{file: "Exit", col: "OtherDestination", element: "3.12.B", kind: emptyUnless, when: c1("Destination", 17)},
	{file: "Exit", col: "SubsidyInformation", element: "W5.A", kind: inWhen, when: c1("HousingAssessment", 1), values: []int{1, 2, 3, 4}},
	{file: "Exit", col: "SubsidyInformation", element: "W5.B", kind: inWhen, when: c1("HousingAssessment", 2), values: []int{11, 12}},
	{file: "Exit", col: "EarlyExitReason", element: "R17.A", kind: emptyUnless, when: c1("ProjectCompletionStatus", 3)},
	{file: "Exit", col: "ExchangeForSexPastThreeMonths", element: "R15.A", kind: emptyUnless, when: c1("ExchangeForSex", 1)},
	{file: "Exit", col: "CountOfExchangeForSex", element: "R15.B", kind: emptyUnless, when: c1("ExchangeForSex", 1)},
	{file: "Exit", col: "AskedOrForcedToExchangeForSex", element: "R15.C", kind: emptyUnless, when: c1("ExchangeForSex", 1)},
	{file: "Exit", col: "AskedOrForcedToExchangeForSexPastThreeMonths", element: "R15.D", kind: emptyUnless, when: c1("AskedOrForcedToExchangeForSex", 1)},
	{file: "Exit", col: "CoercedToContinueWork", element: "R16.A", kind: emptyUnless,
		when: [][]cond{{{"WorkplaceViolenceThreats", []int{1}}}, {{"WorkplacePromiseDifference", []int{1}}}}},
	{file: "Exit", col: "LaborExploitPastThreeMonths", element: "R16.B", kind: emptyUnless,
		when: [][]cond{{{"WorkplaceViolenceThreats", []int{1}}}, {{"WorkplacePromiseDifference", []int{1}}}}},
	{file: "Exit", col: "IndividualCounseling", element: "R18.A", kind: emptyUnless, when: c1("CounselingReceived", 1)},
	{file: "Exit", col: "FamilyCounseling", element: "R18.A", kind: emptyUnless, when: c1("CounselingReceived", 1)},
	{file: "Exit", col: "GroupCounseling", element: "R18.A", kind: emptyUnless, when: c1("CounselingReceived", 1)},
	{file: "Exit", col: "SessionCountAtExit", element: "R18.B", kind: emptyUnless, when: c1("CounselingReceived", 1)},
	{file: "Exit", col: "EmailSocialMedia", element: "R20.A", kind: emptyUnless, when: c1("AftercareProvided", 1)},
	{file: "Exit", col: "Telephone", element: "R20.A", kind: emptyUnless, when: c1("AftercareProvided", 1)},
	{file: "Exit", col: "InPersonIndividual", element: "R20.A", kind: emptyUnless, when: c1("AftercareProvided", 1)},
	{file: "Exit", col: "InPersonGroup", element: "R20.A", kind: emptyUnless, when: c1("AftercareProvided", 1)},
	// IncomeBenefits (4.02–4.04, W3)
	{file: "IncomeBenefits", col: "OtherIncomeSourceIdentify", element: "4.02.P", kind: emptyUnless, when: c1("OtherIncomeSource", 1)},
	{file: "IncomeBenefits", col: "OtherBenefitsSourceIdentify", element: "4.03.A", kind: emptyUnless, when: c1("OtherBenefitsSource", 1)},
	{file: "IncomeBenefits", col: "OtherInsuranceIdentify", element: "4.04.12A", kind: emptyUnless, when: c1("OtherInsurance", 1)},
	{file: "IncomeBenefits", col: "NoMedicaidReason", element: "4.04.3A", kind: emptyUnless, when: c1("Medicaid", 0), hopwa: true},
	{file: "IncomeBenefits", col: "NoMedicareReason", element: "4.04.4A", kind: emptyUnless, when: c1("Medicare", 0), hopwa: true},
	{file: "IncomeBenefits", col: "NoSCHIPReason", element: "4.04.5A", kind: emptyUnless, when: c1("SCHIP", 0), hopwa: true},
	{file: "IncomeBenefits", col: "NoVHAReason", element: "4.04.6A", kind: emptyUnless, when: c1("VHAServices", 0), hopwa: true},
	{file: "IncomeBenefits", col: "NoEmployerProvidedReason", element: "4.04.7A", kind: emptyUnless, when: c1("EmployerProvided", 0), hopwa: true},
	{file: "IncomeBenefits", col: "NoCOBRAReason", element: "4.04.8A", kind: emptyUnless, when: c1("COBRA", 0), hopwa: true},
	{file: "IncomeBenefits", col: "NoPrivatePayReason", element: "4.04.9A", kind: emptyUnless, when: c1("PrivatePay", 0), hopwa: true},
	{file: "IncomeBenefits", col: "NoStateHealthInsReason", element: "4.04.10A", kind: emptyUnless, when: c1("StateHealthIns", 0), hopwa: true},
	{file: "IncomeBenefits", col: "NoIndianHealthServicesReason", element: "4.04.11A", kind: emptyUnless, when: c1("IndianHealthServices", 0), hopwa: true},
	{file: "IncomeBenefits", col: "NoADAPReason", element: "W3.B", kind: emptyUnless, when: c1("ADAP", 0), hopwa: true},
	{file: "IncomeBenefits", col: "NoRyanWhiteReason", element: "W3.C", kind: emptyUnless, when: c1("RyanWhiteMedDent", 0), hopwa: true},
	// HealthAndDV (4.11, R10)
	{file: "HealthAndDV", col: "WhenOccurred", element: "4.11.A", kind: emptyUnless, when: c1("DomesticViolenceSurvivor", 1)},
	{file: "HealthAndDV", col: "CurrentlyFleeing", element: "4.11.B", kind: emptyUnless, when: c1("DomesticViolenceSurvivor", 1)},
	{file: "HealthAndDV", col: "DueDate", element: "R10.A", kind: emptyUnless, when: c1("PregnancyStatus", 1)},
	// EmploymentEducation (R6)
	{file: "EmploymentEducation", col: "EmploymentType", element: "R6.A", kind: emptyUnless, when: c1("Employed", 1)},
	{file: "EmploymentEducation", col: "NotEmployedReason", element: "R6.B", kind: emptyUnless, when: c1("Employed", 0)},
	// Disabilities: the HOPWA dependents of 4.08 HIV/AIDS (W4, W6)
	{file: "Disabilities", col: "TCellCountAvailable", element: "W4.2", kind: emptyUnless, when: hivYes, hopwa: true},
	{file: "Disabilities", col: "TCellCount", element: "W4.A", kind: emptyUnless, when: c1("TCellCountAvailable", 1), hopwa: true},
	{file: "Disabilities", col: "TCellSource", element: "W4.B", kind: emptyUnless, when: c1("TCellCount"), hopwa: true},
	{file: "Disabilities", col: "ViralLoadAvailable", element: "W4.3", kind: emptyUnless, when: hivYes, hopwa: true},
	{file: "Disabilities", col: "ViralLoad", element: "W4.C", kind: emptyUnless, when: c1("ViralLoadAvailable", 1), hopwa: true},
	{file: "Disabilities", col: "ViralLoadSource", element: "W4.D", kind: emptyUnless, when: c1("ViralLoad"), hopwa: true},
	{file: "Disabilities", col: "AntiRetroviral", element: "W6.2", kind: emptyUnless, when: hivYes, hopwa: true},
	// Services (V2, V3, W2, P2, C2)
	{file: "Services", col: "OtherTypeProvided", element: "V2.D/V8.A", kind: emptyUnless, when: [][]cond{
		{{"RecordType", []int{144}}, {"TypeProvided", []int{6}}}, {{"RecordType", []int{210}}, {"TypeProvided", []int{12}}}}},
	{file: "Services", col: "MovingOnOtherType", element: "C2.A", kind: emptyUnless,
		when: [][]cond{{{"RecordType", []int{300}}, {"TypeProvided", []int{5}}}}},
	{file: "Services", col: "SubTypeProvided", element: "V2.A-C", kind: emptyUnless,
		when: [][]cond{{{"RecordType", []int{144}}, {"TypeProvided", []int{3, 4, 5}}}}},
	{file: "Services", col: "FAAmount", element: "V3.3/W2", kind: emptyUnless, when: c1("RecordType", 151, 152)},
	{file: "Services", col: "FAStartDate", element: "V3.2", kind: emptyUnless, when: c1("RecordType", 152)},
	{file: "Services", col: "FAEndDate", element: "V3.5", kind: emptyUnless, when: c1("RecordType", 152)},
	{file: "Services", col: "ReferralOutcome", element: "P2.A", kind: emptyUnless, when: c1("RecordType", 161)},
	// CurrentLivingSituation (4.12)
	{file: "CurrentLivingSituation", col: "CLSSubsidyType", element: "4.12.A", kind: emptyUnless, when: c1("CurrentLivingSituation", 435)},
	{file: "CurrentLivingSituation", col: "VerifiedBy", element: "4.12.3", kind: emptyUnless, when: c1("project.ProjectType", 14)},
	{file: "CurrentLivingSituation", col: "LeaveSituation14Days", element: "4.12.B", kind: emptyUnless, when: c1("CurrentLivingSituation", leaveCLS...)},
	{file: "CurrentLivingSituation", col: "SubsequentResidence", element: "4.12.C", kind: emptyUnless, when: c1("LeaveSituation14Days", 1)},
	{file: "CurrentLivingSituation", col: "ResourcesToObtain", element: "4.12.D", kind: emptyUnless, when: c1("LeaveSituation14Days", 1)},
	{file: "CurrentLivingSituation", col: "LeaseOwn60Day", element: "4.12.E", kind: emptyUnless, when: c1("LeaveSituation14Days", 1)},
	{file: "CurrentLivingSituation", col: "MovedTwoOrMore", element: "4.12.F", kind: emptyUnless, when: c1("LeaveSituation14Days", 1)},
	// Event (4.20)
	{file: "Event", col: "ResultDate", element: "4.20.E", kind: emptyUnless, when: c1("ReferralResult")},
	// YouthEducationStatus (C3)
	{file: "YouthEducationStatus", col: "MostRecentEdStatus", element: "C3.A", kind: emptyUnless, when: c1("CurrentSchoolAttend", 0)},
	{file: "YouthEducationStatus", col: "CurrentEdStatus", element: "C3.B", kind: emptyUnless, when: c1("CurrentSchoolAttend", 1, 2)},
}

// boundCond and boundRule are a cond and a rule resolved to fields.
type boundCond struct {
	f    *field // nil for a project.* condition
	proj string // ProjectType, RRHSubType or Funder
	in   []int
}

type boundRule struct {
	f      *field
	kind   ruleKind
	when   [][]boundCond
	values []int
	hopwa  bool
	msg    string
}

// customChecks are the checks of a file that are not table rules.
var customChecks = map[string]func(*checker){
	"Client":         (*checker).clientYears,
	"Enrollment":     (*checker).enrollmentChecks,
	"Exit":           (*checker).exitChecks,
	"Inventory":      (*checker).inventoryChecks,
	"IncomeBenefits": (*checker).incomeTotal,
	"Affiliation":    (*checker).affiliation,
}

func init() {
	rt := recordByName["incomebenefits"]
	for i := range rt.fields {
		if f := &rt.fields[i]; f.kind == kMoneyPtr && f.col.Name != "TotalMonthlyIncome" {
			incomeAmounts = append(incomeAmounts, f)
		}
	}
	for _, r := range rules {
		rt := recordByName[strings.ToLower(r.file)]
		if rt == nil || rt.field(r.col) == nil {
			panic("hmiscsv: rule on unknown column " + r.file + "." + r.col)
		}
		br := boundRule{f: rt.field(r.col), kind: r.kind, values: r.values, hopwa: r.hopwa}
		var alts []string
		for _, alt := range r.when {
			var bs []boundCond
			var parts []string
			for _, c := range alt {
				bc := boundCond{in: c.in}
				name := c.col
				if p, ok := strings.CutPrefix(c.col, "project."); ok {
					bc.proj = p
					name = "the project's " + p
				} else if bc.f = rt.field(c.col); bc.f == nil {
					panic("hmiscsv: rule condition on unknown column " + r.file + "." + c.col)
				}
				bs = append(bs, bc)
				parts = append(parts, condText(name, c.in))
			}
			br.when = append(br.when, bs)
			alts = append(alts, strings.Join(parts, " and "))
		}
		what := strings.Join(alts, ", or ")
		switch r.kind {
		case emptyUnless:
			br.msg = "should be empty unless " + what
		case emptyWhen:
			br.msg = "should be empty when " + what
		case setWhen:
			br.msg = "should not be empty when " + what
		case inWhen:
			br.msg = "should be " + intsText(r.values) + " when " + what
		}
		br.msg += " (" + r.element + ")"
		if r.hopwa {
			br.msg += " [HOPWA funder]"
		}
		rt.rules = append(rt.rules, br)
	}
	for file, fn := range customChecks {
		recordByName[strings.ToLower(file)].custom = fn
	}
}

func condText(name string, in []int) string {
	switch {
	case in == nil:
		return name + " is not empty"
	case name == "the project's Funder":
		return "the project has funder " + intsText(in)
	}
	return name + " is " + intsText(in)
}

func intsText(in []int) string {
	var s []string
	for _, v := range in {
		s = append(s, strconv.Itoa(v))
	}
	if len(s) == 1 {
		return s[0]
	}
	return "one of " + strings.Join(s, ", ")
}

// isSet reports whether the field holds a value.
func isSet(p unsafe.Pointer, f *field) bool {
	fp := fieldPtr(p, f)
	switch f.kind {
	case kString:
		return *(*string)(fp) != ""
	case kIntPtr:
		return *(**int)(fp) != nil
	case kDate:
		return !(*hmis.Date)(fp).IsZero()
	case kDateTime:
		return !(*time.Time)(fp).IsZero()
	case kMoneyPtr:
		return *(**hmis.Money)(fp) != nil
	}
	return false
}

// valueText is the field's value for the report.
func valueText(p unsafe.Pointer, f *field) string {
	fp := fieldPtr(p, f)
	switch f.kind {
	case kString:
		return *(*string)(fp)
	case kIntPtr:
		if v, ok := intValue(p, f); ok {
			return strconv.Itoa(v)
		}
	case kDate:
		return (*hmis.Date)(fp).String()
	case kDateTime:
		if t := *(*time.Time)(fp); !t.IsZero() {
			return t.Format(time.DateTime)
		}
	case kMoneyPtr:
		if m := *(**hmis.Money)(fp); m != nil {
			return m.String()
		}
	}
	return ""
}

// projInfo is what the rules need of a project.
type projInfo struct {
	ptype, rrhSub  int // -1 when empty
	funders        uint64
	opStart, opEnd int32 // 2.02.3/2.02.4 as dayNum; noDay when empty (operating.go)
}

func (pi *projInfo) has(code int) bool { return code >= 0 && code < 64 && pi.funders&(1<<code) != 0 }

// hopwaFunders are the HOPWA funders (2.06.1 codes 13–19) as a bit set
// of projInfo.funders.
const hopwaFunders uint64 = 1<<13 | 1<<14 | 1<<15 | 1<<16 | 1<<17 | 1<<18 | 1<<19

func (pi *projInfo) hopwa() bool { return pi.funders&hopwaFunders != 0 }

// project returns the row's project: through its ProjectID, or its
// enrollment's project; nil when unknown.
func (c *checker) project() *projInfo {
	r := c.r
	if f := c.rt.field("ProjectID"); f != nil {
		if i, ok := r.projIdx[r.hash(stringValue(c.p, f))]; ok {
			return &r.projs[i]
		}
		return nil
	}
	if f := c.rt.field("EnrollmentID"); f != nil {
		if e, ok := r.enrollments[r.hash(stringValue(c.p, f))]; ok && e.proj >= 0 {
			return &r.projs[e.proj]
		}
	}
	return nil
}

// holds evaluates one cond; ok is false when it cannot be decided (the
// project is unknown).
func (c *checker) holds(bc *boundCond, pi **projInfo, looked *bool) (holds, ok bool) {
	if bc.f != nil {
		if bc.in == nil {
			return isSet(c.p, bc.f), true
		}
		v, set := intValue(c.p, bc.f)
		return set && slices.Contains(bc.in, v), true
	}
	if !*looked {
		*pi, *looked = c.project(), true
	}
	p := *pi
	if p == nil {
		return false, false
	}
	switch bc.proj {
	case "ProjectType":
		return slices.Contains(bc.in, p.ptype), true
	case "RRHSubType":
		return slices.Contains(bc.in, p.rrhSub), true
	case "Funder":
		for _, v := range bc.in {
			if p.has(v) {
				return true, true
			}
		}
		return false, true
	}
	return false, false
}

// conditional checks the row against its file's conditional rules and the
// custom checks below.
func (c *checker) conditional() {
	var pi *projInfo
	looked := false
	rs := c.rt.rules
	for i := range rs {
		br := &rs[i]
		set := isSet(c.p, br.f)
		// Nothing to check: emptyUnless/emptyWhen/inWhen on an empty value.
		if !set && br.kind != setWhen {
			continue
		}
		if set && br.kind == setWhen {
			continue
		}
		if br.hopwa {
			if !looked {
				pi, looked = c.project(), true
			}
			if pi == nil || !pi.hopwa() {
				continue
			}
		}
		hit, decided := false, true
		for _, alt := range br.when {
			all := true
			for j := range alt {
				h, ok := c.holds(&alt[j], &pi, &looked)
				if !ok {
					decided = false
				}
				if !h {
					all = false
					break
				}
			}
			if all {
				hit = true
				break
			}
		}
		if !decided && !hit {
			continue
		}
		bad := false
		switch br.kind {
		case emptyUnless:
			bad = !hit
		case emptyWhen, setWhen:
			bad = hit
		case inWhen:
			v, _ := intValue(c.p, br.f)
			bad = hit && !slices.Contains(br.values, v)
		}
		if bad {
			c.warn(br.f.col.Name, valueText(c.p, br.f), br.msg)
		}
	}
	if c.rt.custom != nil {
		c.rt.custom(c)
	}
}

// clientYears: V1.1/V1.2 years between 1920 and the current year.
func (c *checker) clientYears() {
	now := time.Now().Year()
	for _, name := range []string{"YearEnteredService", "YearSeparated"} {
		if f := c.rt.field(name); f != nil {
			if v, ok := intValue(c.p, f); ok && (v < 1920 || v > now) {
				c.warn(name, strconv.Itoa(v), "should be a year from 1920 to the current year (V1)")
			}
		}
	}
}

// incomeAmounts are the 4.02.A–O amount fields of IncomeBenefits.csv
// (set in init, after records.go's init).
var incomeAmounts []*field

// incomeTotal: TotalMonthlyIncome (4.02.18) should match the sum of the
// amounts (4.02.A–O), when at least one amount is given.
func (c *checker) incomeTotal() {
	tf := c.rt.field("TotalMonthlyIncome")
	t := *(**hmis.Money)(fieldPtr(c.p, tf))
	if t == nil {
		return
	}
	var sum hmis.Money
	some := false
	for _, f := range incomeAmounts {
		if m := *(**hmis.Money)(fieldPtr(c.p, f)); m != nil {
			sum += *m
			some = true
		}
	}
	if some && sum != *t {
		c.warn("TotalMonthlyIncome", t.String(), "should be the sum of the income amounts (4.02.18)")
	}
}

// moveIn: 3.20 is never before the project start date (3.10).
func (c *checker) moveIn() {
	in, entry := dateValue(c.p, c.rt.field("MoveInDate")), dateValue(c.p, c.rt.field("EntryDate"))
	if !in.IsZero() && !entry.IsZero() && in.Before(entry) {
		c.warn("MoveInDate", in.String(), "before the project start date (3.20, 3.10)")
	}
}

// aftercare: R20.1 AftercareDate, and so R20.2, only within 180 days after
// the exit date (3.11).
func (c *checker) aftercare() {
	d, exit := dateValue(c.p, c.rt.field("AftercareDate")), dateValue(c.p, c.rt.field("ExitDate"))
	if !d.IsZero() && !exit.IsZero() && (d.Before(exit) || d.After(exit.AddDays(180))) {
		c.warn("AftercareDate", d.String(), "should be from the exit date to 180 days after it (R20.1)")
	}
}

// affiliation: 2.02.C links an SSO project (6) or an RRH services-only
// project (13, RRHSubType 1) to a residential project (0, 1, 2, 3, 8, 9,
// 10, or 13 with RRHSubType 2).
func (c *checker) affiliation() {
	r := c.r
	get := func(col string) *projInfo {
		if i, ok := r.projIdx[r.hash(c.str(col))]; ok {
			return &r.projs[i]
		}
		return nil
	}
	if p := get("ProjectID"); p != nil && !(p.ptype == 6 || p.ptype == 13 && p.rrhSub == 1) {
		c.warn("ProjectID", c.str("ProjectID"), "should be a project of type 6, or 13 with RRHSubType 1 (2.02.C)")
	}
	if p := get("ResProjectID"); p != nil {
		ok := slices.Contains([]int{0, 1, 2, 3, 8, 9, 10}, p.ptype) || p.ptype == 13 && p.rrhSub == 2
		if !ok {
			c.warn("ResProjectID", c.str("ResProjectID"), "should be a residential project: type 0, 1, 2, 3, 8, 9, 10, or 13 with RRHSubType 2 (2.02.C)")
		}
	}
}
