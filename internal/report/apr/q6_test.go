package apr

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// TestIncomeDQ checks Q6c's classification of an income record (Glossary,
// DQ Q4 rows 3-5, and 4.02: with 4.02.2 = yes every source is answered).
func TestIncomeDQ(t *testing.T) {
	yes, no := hud.NoYesMissing(1), hud.NoYesMissing(0)
	rec := func(any int, earned, ssi *hud.NoYesMissing) *hmis.IncomeBenefits {
		r := &hmis.IncomeBenefits{}
		if any >= 0 {
			a := hud.NoYesReasonsForMissingData(any)
			r.IncomeFromAnySource = &a
		}
		for _, p := range []**hud.NoYesMissing{&r.Earned, &r.Unemployment, &r.SSI, &r.SSDI, &r.VADisabilityService,
			&r.VADisabilityNonService, &r.PrivateDisability, &r.WorkersComp, &r.TANF, &r.GA, &r.SocSecRetirement,
			&r.Pension, &r.ChildSupport, &r.Alimony, &r.OtherIncomeSource} {
			*p = &no
		}
		r.Earned, r.SSI = earned, ssi
		return r
	}
	cases := []struct {
		name               string
		r                  *hmis.IncomeBenefits
		dk, missing, issue bool
	}{
		{"no record", nil, false, true, false},
		{"no income, no sources", rec(0, &no, &no), false, false, false},
		{"no income but a source", rec(0, &yes, &no), false, false, true},
		{"income, one source", rec(1, &yes, &no), false, false, false},
		{"income, no source", rec(1, &no, &no), false, false, true},
		{"income, a source unanswered", rec(1, nil, &yes), false, false, true},
		{"no income, a source unanswered", rec(0, nil, &no), false, false, false},
		{"client doesn't know", rec(8, &no, &no), true, false, false},
		{"not collected", rec(99, &no, &no), false, true, false},
		{"4.02.2 empty", rec(-1, &no, &no), false, true, false},
	}
	for _, c := range cases {
		dk, missing, issue := incomeDQ(c.r)
		if dk != c.dk || missing != c.missing || issue != c.issue {
			t.Errorf("%s: got dk %v missing %v issue %v, want %v %v %v", c.name, dk, missing, issue, c.dk, c.missing, c.issue)
		}
	}
}
