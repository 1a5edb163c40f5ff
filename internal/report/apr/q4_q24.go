package apr

import (
	"sort"
	"strconv"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/report"
)

func init() {
	builders["Q4a"] = q4a
	builders["Q24a"] = q24a
	builders["Q24b"] = q24b
	builders["Q24e"] = q24e
	builders["Q27m"] = q27m
}

func text(s string) report.Cell { return report.Cell{Kind: report.Text, Text: s} }

func codeText[T ~int](p *T) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(int(*p))
}

// q4a: one row per project of the run (spec Q4a; FY2026 columns A-Q).
func q4a(r *run) *report.Table {
	t := &report.Table{ID: "Q4a"}
	t.Header = r.table("Q4a").Header
	clients, households := map[string]int{}, map[string]int{}
	for _, c := range r.u.Clients {
		clients[c.Enrollment.ProjectID]++
		if c.HoH {
			households[c.Enrollment.ProjectID]++
		}
	}
	prs := append([]*hmis.Project(nil), r.u.Projects...)
	sort.Slice(prs, func(i, j int) bool { return prs[i].ProjectID < prs[j].ProjectID })
	for _, p := range prs {
		org := r.x.Organizations[p.OrganizationID]
		orgName, vsp := "", ""
		if org != nil {
			orgName, vsp = org.OrganizationName, codeText(org.VictimServiceProvider)
		}
		// 2.09.1 access point as of the operating end date or the report end.
		on := r.p.End
		if !p.OperatingEndDate.IsZero() && p.OperatingEndDate.Before(on) {
			on = p.OperatingEndDate
		}
		access := "0"
		for _, ce := range r.x.CEParticipations[p.ProjectID] {
			if !ce.CEParticipationStatusStartDate.After(on) && (ce.CEParticipationStatusEndDate.IsZero() || !ce.CEParticipationStatusEndDate.Before(on)) {
				access = codeText(ce.AccessPoint)
			}
		}
		var affiliated []string
		for _, a := range r.x.Affiliations[p.ProjectID] {
			affiliated = append(affiliated, a.ResProjectID)
		}
		var cocs, geos []string
		for _, pc := range r.x.ProjectCoCs[p.ProjectID] {
			cocs = append(cocs, pc.CoCCode)
			geos = append(geos, pc.Geocode)
		}
		cells := []report.Cell{
			text(p.OrganizationID), text(p.ProjectName), text(p.ProjectID), text(codeText(p.ProjectType)),
			text(codeText(p.RRHSubType)), text(access), text(codeText(p.ResidentialAffiliation)),
			text(strings.Join(affiliated, ",")), text(strings.Join(cocs, ",")), text(strings.Join(geos, ",")),
			text(vsp), text(r.p.Software), text(r.p.Start.String()), text(r.p.End.String()),
			{Kind: report.Count, Value: float64(clients[p.ProjectID])}, {Kind: report.Count, Value: float64(households[p.ProjectID])},
		}
		t.Rows = append(t.Rows, report.Row{Label: orgName, Cells: cells})
	}
	return t
}

// q24a (CAPER): housing assessment at exit (W5) of Homelessness Prevention
// leavers.
func q24a(r *run) *report.Table {
	t := r.table("Q24a")
	for _, c := range r.u.Clients {
		if !c.Leaver || c.Type != hud.ProjectTypeHomelessnessPrevention {
			continue
		}
		ha, sub := -1, -1
		if c.Exit != nil {
			ha, sub = code(c.Exit.HousingAssessment), code(c.Exit.SubsidyInformation)
		}
		row := 13
		switch ha {
		case 1:
			switch sub {
			case 1, 2, 3, 4:
				row = sub - 1
			}
		case 2:
			switch sub {
			case 11:
				row = 4
			case 12:
				row = 5
			}
		case 3, 4, 5, 6, 7:
			row = ha + 3
		case 10:
			row = 11
		case 8, 9:
			row = 12
		}
		addHH(t, row, c)
		addHH(t, 14, c)
	}
	return t
}

// q24b: Moving On assistance (C2, Services RecordType 300) provided to heads
// of household in PSH during the stay, by type (MoveOnAssistance.csv).
func q24b(r *run) *report.Table {
	t := r.table("Q24b")
	for _, c := range r.u.Clients {
		if !c.HoH || c.Type != hud.ProjectTypePHPermanentSupportiveHousing {
			continue
		}
		seen := map[int]bool{}
		for _, s := range r.x.Services[c.Enrollment.EnrollmentID] {
			if code(s.RecordType) != 300 || s.TypeProvided == nil || s.DateProvided.After(r.p.End) {
				continue
			}
			if v := *s.TypeProvided; v >= 1 && v <= 5 && !seen[v] {
				seen[v] = true
				addHH(t, v-1, c)
			}
		}
	}
	return t
}

// q24e: sex (4.21) of active clients.
func q24e(r *run) *report.Table {
	t := r.table("Q24e")
	for _, c := range r.u.Clients {
		row := 3
		if c.Client != nil {
			switch code(c.Client.Sex) {
			case 0:
				row = 0
			case 1:
				row = 1
			case 8, 9:
				row = 2
			}
		}
		addHH(t, row, c)
		addHH(t, 4, c)
	}
	return t
}

// q27m: education status (C3) of youth at project start and at exit.
func q27m(r *run) *report.Table {
	t := r.table("Q27m")
	for _, c := range r.u.Clients {
		if !c.Youth {
			continue
		}
		for col, stage := range []int{1, 3} {
			if stage == 3 && !c.Leaver {
				continue
			}
			var rec *hmis.YouthEducationStatus
			for _, y := range r.x.Education[c.Enrollment.EnrollmentID] {
				if code(y.DataCollectionStage) == stage && (rec == nil || y.InformationDate.After(rec.InformationDate)) {
					rec = y
				}
			}
			att := -1
			if rec != nil {
				att = code(rec.CurrentSchoolAttend)
			}
			switch att {
			case 0, 1, 2:
				t.Add(att, col, c.Ref())
			case 8, 9:
				t.Add(3, col, c.Ref())
			default:
				t.Add(4, col, c.Ref())
			}
			if att == 0 {
				switch v := code(rec.MostRecentEdStatus); {
				case v >= 0 && v <= 7:
					t.Add(6+v, col, c.Ref())
				case v == 8 || v == 9:
					t.Add(14, col, c.Ref())
				default:
					t.Add(15, col, c.Ref())
				}
			}
			if att == 1 || att == 2 {
				switch v := code(rec.CurrentEdStatus); {
				case v >= 0 && v <= 4:
					t.Add(17+v, col, c.Ref())
				case v == 8 || v == 9:
					t.Add(22, col, c.Ref())
				default:
					t.Add(23, col, c.Ref())
				}
			}
			t.Add(24, col, c.Ref())
		}
	}
	return t
}
