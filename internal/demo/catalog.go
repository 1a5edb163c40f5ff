package demo

import (
	"context"
	"slices"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
)

// program is a project clients can be enrolled in, with what the generator
// needs to know about it. The catalog is read back from the store, so a
// later run on a site (or a site whose projects were imported) works the
// same way as the first run.
type program struct {
	id, name string
	ptype    hud.ProjectType
	rrhSub   hud.RRHSubType
	funders  []hmis.Funder
	coc      string
	opStart  hmis.Date
	opEnd    hmis.Date
	users    []string // staff who enter this program's data

	// Who it serves.
	adults, families, children  bool // household types (2.07.4)
	youthOnly, vetOnly, hivOnly bool
}

// fundedBy reports whether one of the program's grants is code.
func (p *program) fundedBy(codes ...hud.FundingSource) bool {
	for _, f := range p.funders {
		if f.Funder != nil && slices.Contains(codes, *f.Funder) {
			return true
		}
	}
	return false
}

// open reports whether an enrollment may start on d: the project operates
// and a grant is in force (or the project has no grants).
func (p *program) open(d hmis.Date) bool {
	if d.Before(p.opStart) || (!p.opEnd.IsZero() && d.After(p.opEnd)) {
		return false
	}
	if len(p.funders) == 0 {
		return true
	}
	for _, f := range p.funders {
		if !d.Before(f.StartDate) && (f.EndDate.IsZero() || !d.After(f.EndDate)) {
			return true
		}
	}
	return false
}

// residential reports whether the program houses people (so it has beds
// and, for PH, a move-in date).
func (p *program) permanent() bool {
	switch p.ptype {
	case hud.ProjectTypePHPermanentSupportiveHousing, hud.ProjectTypePHHousingOnly, hud.ProjectTypePHHousingWithServices:
		return true
	case hud.ProjectTypePHRapidReHousing:
		return p.rrhSub != 1
	}
	return false
}

var (
	vaFunders  = []hud.FundingSource{20, 27, 30, 32, 33, 37, 38, 39, 40, 41, 42, 45}
	rhyFunders = []hud.FundingSource{22, 23, 24, 25, 26}
	hopwa      = []hud.FundingSource{13, 14, 15, 16, 17, 18, 19}
)

// loadCatalog reads the site's projects that take HMIS clients: those with
// a project type, not victim-service comparable databases, and open at
// some point of the last three years.
func loadCatalog(ctx context.Context, st *store.Store, users []string, coc string, today hmis.Date) ([]*program, error) {
	projects, err := store.FindRecords[hmis.Project](ctx, st, store.RecordFilter{})
	if err != nil {
		return nil, err
	}
	funders, err := store.FindRecords[hmis.Funder](ctx, st, store.RecordFilter{})
	if err != nil {
		return nil, err
	}
	cocs, err := store.FindRecords[hmis.ProjectCoC](ctx, st, store.RecordFilter{})
	if err != nil {
		return nil, err
	}
	inv, err := store.FindRecords[hmis.Inventory](ctx, st, store.RecordFilter{})
	if err != nil {
		return nil, err
	}
	parts, err := store.FindRecords[hmis.HMISParticipation](ctx, st, store.RecordFilter{})
	if err != nil {
		return nil, err
	}
	comparable := map[string]bool{}
	for _, pt := range parts {
		if pt.HMISParticipationType != nil && *pt.HMISParticipationType != 1 && pt.HMISParticipationStatusEndDate.IsZero() {
			comparable[pt.ProjectID] = true
		}
	}
	var out []*program
	for i, pr := range projects {
		if pr.ProjectType == nil || comparable[pr.ProjectID] {
			continue
		}
		p := &program{id: pr.ProjectID, name: pr.ProjectName, ptype: *pr.ProjectType, opStart: pr.OperatingStartDate, opEnd: pr.OperatingEndDate}
		if pr.RRHSubType != nil {
			p.rrhSub = *pr.RRHSubType
		}
		for _, f := range funders {
			if f.ProjectID == p.id {
				p.funders = append(p.funders, f)
			}
		}
		for _, c := range cocs {
			if c.ProjectID == p.id && (p.coc == "" || c.CoCCode == coc) {
				p.coc = c.CoCCode
			}
		}
		if p.coc == "" {
			continue // HUD requires EnrollmentCoC to be one of the project's CoCs
		}
		hasInv := false
		for _, iv := range inv {
			if iv.ProjectID != p.id || iv.HouseholdType == nil {
				continue
			}
			hasInv = true
			switch *iv.HouseholdType {
			case 1:
				p.adults = true
			case 3:
				p.families = true
			case 4:
				p.children = true
			}
		}
		p.youthOnly = p.fundedBy(rhyFunders...) || p.fundedBy(43)
		p.vetOnly = p.fundedBy(vaFunders...) && !p.fundedBy(8, 9, 10, 11, 2, 3, 4, 5, 6, 46)
		p.hivOnly = p.fundedBy(hopwa...) || (pr.TargetPopulation != nil && *pr.TargetPopulation == 3)
		if pr.TargetPopulation != nil && *pr.TargetPopulation == 1 {
			continue // DV-only projects: their clients are not generated
		}
		if !hasInv {
			p.adults, p.families = true, true
			p.children = p.youthOnly
		}
		// Two or three staff members per program.
		for k := range 2 + i%2 {
			p.users = append(p.users, users[(i*3+k)%len(users)])
		}
		if !p.opEnd.IsZero() && p.opEnd.Before(today.AddDate(-3, 0, 0)) {
			continue
		}
		out = append(out, p)
	}
	return out, nil
}
