package report

import (
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// IncomeStatus says whether an income record gives an amount.
type IncomeStatus int

const (
	IncomeKnown    IncomeStatus = iota // Amount is the total monthly income
	IncomeDontKnow                     // 4.02.2 = 8 or 9
	IncomeMissing                      // data not collected
	IncomeNoRecord                     // no record for the stage
)

// IncomeSource is one cash income source of 4.02 with its amount
// (IncomeTypes.csv's IncomeGroup names).
type IncomeSource struct {
	Name   string
	Flag   *hud.NoYesMissing
	Amount *hmis.Money
}

// Sources returns the 15 cash income sources of r in HUD's order
// (../shared/hud/reports/IncomeTypes.csv).
func Sources(r *hmis.IncomeBenefits) []IncomeSource {
	return []IncomeSource{
		{"Earned", r.Earned, r.EarnedAmount},
		{"Unemployment", r.Unemployment, r.UnemploymentAmount},
		{"SSI", r.SSI, r.SSIAmount},
		{"SSDI", r.SSDI, r.SSDIAmount},
		{"VADisabilityService", r.VADisabilityService, r.VADisabilityServiceAmount},
		{"VADisabilityNonService", r.VADisabilityNonService, r.VADisabilityNonServiceAmount},
		{"PrivateDisability", r.PrivateDisability, r.PrivateDisabilityAmount},
		{"WorkersComp", r.WorkersComp, r.WorkersCompAmount},
		{"TANF", r.TANF, r.TANFAmount},
		{"GA", r.GA, r.GAAmount},
		{"SocSecRetirement", r.SocSecRetirement, r.SocSecRetirementAmount},
		{"Pension", r.Pension, r.PensionAmount},
		{"ChildSupport", r.ChildSupport, r.ChildSupportAmount},
		{"Alimony", r.Alimony, r.AlimonyAmount},
		{"OtherIncomeSource", r.OtherIncomeSource, r.OtherIncomeAmount},
	}
}

// TotalIncome is the APR's "total income on a specific record" (spec,
// Report Programming Basics), rules 1-7 in order. Amounts are in cents.
func TotalIncome(r *hmis.IncomeBenefits) (hmis.Money, IncomeStatus) {
	if r == nil {
		return 0, IncomeNoRecord
	}
	if r.TotalMonthlyIncome != nil && *r.TotalMonthlyIncome > 0 { // 2
		return *r.TotalMonthlyIncome, IncomeKnown
	}
	var sum hmis.Money
	entered := false
	for _, s := range Sources(r) { // 3
		if iv(s.Flag) == 1 && s.Amount != nil && *s.Amount >= 0 {
			sum += *s.Amount
			entered = true
		}
	}
	if entered {
		return sum, IncomeKnown
	}
	any := iv(r.IncomeFromAnySource)
	switch {
	case any == 0: // 4
		return 0, IncomeKnown
	case r.TotalMonthlyIncome != nil && *r.TotalMonthlyIncome <= 0 && (any == 1 || any == -1): // 5
		return 0, IncomeKnown
	case any == 8 || any == 9: // 6
		return 0, IncomeDontKnow
	}
	return 0, IncomeMissing // 7
}

// EarnedIncome is 4.02.A (zero when 4.02.3 is yes without an amount).
func EarnedIncome(r *hmis.IncomeBenefits) hmis.Money {
	if r == nil || iv(r.Earned) != 1 || r.EarnedAmount == nil {
		return 0
	}
	return *r.EarnedAmount
}

// IncomeAtStart is the stay's stage-1 record dated on the project start.
func (u *Universe) IncomeAtStart(c *Client) *hmis.IncomeBenefits {
	return u.record(c, 1, c.Enrollment.EntryDate)
}

// IncomeAtExit is the stay's stage-3 record dated on the exit (nil for stayers).
func (u *Universe) IncomeAtExit(c *Client) *hmis.IncomeBenefits {
	if c.Exit == nil {
		return nil
	}
	return u.record(c, 3, c.Exit.ExitDate)
}

func (u *Universe) record(c *Client, stage int, on hmis.Date) *hmis.IncomeBenefits {
	var best *hmis.IncomeBenefits
	for _, r := range c.income {
		if iv(r.DataCollectionStage) == stage && r.InformationDate.Equal(on) {
			if best == nil || r.DateUpdated.After(best.DateUpdated) {
				best = r
			}
		}
	}
	return best
}
