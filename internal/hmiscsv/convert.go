package hmiscsv

import (
	"strings"
	"unsafe"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// converter maps records of older versions onto the FY2026 model
// (docs/hmis-csv.md lists every rule and what is lost).
type converter struct {
	version string
	renames map[string]string // "file.column" (lower) -> FY2026 column

	// FY2022 state
	enrollmentCoC map[string]string // EnrollmentID -> CoC code (EnrollmentCoC.csv)
	projects      []hmis.Project    // for HMISParticipation and CEParticipation
	participating map[string]string // ProjectID -> HMISParticipatingProject
	vsp           map[string]bool   // OrganizationID -> VictimServiceProvider = 1
}

func newConverter(version string) *converter {
	c := &converter{version: version, renames: map[string]string{}}
	if version == "2024" || version == "2022" {
		c.renames["client.hispaniclatinaeo"] = "HispanicLatinao"
	}
	if version == "2022" {
		c.renames["incomebenefits.vamedicalservices"] = "VHAServices"
		c.renames["incomebenefits.novamedreason"] = "NoVHAReason"
		c.renames["healthanddv.domesticviolencevictim"] = "DomesticViolenceSurvivor"
		c.enrollmentCoC = map[string]string{}
		c.participating = map[string]string{}
		c.vsp = map[string]bool{}
	}
	return c
}

// rename returns the FY2026 name of a column of the file's version.
func (c *converter) rename(file, col string) string {
	if n, ok := c.renames[strings.ToLower(file+"."+col)]; ok {
		return n
	}
	return col
}

// synthesizes reports whether a missing file is built from other files.
func (c *converter) synthesizes(file string) bool {
	return c.version == "2022" && (file == "HMISParticipation" || file == "CEParticipation")
}

// exitCounseling are the Exit columns whose list narrowed from 1.7 to 1.10
// in FY2026: a FY2024 99 has no FY2026 value and is read as empty.
var exitCounseling = []string{"CounselingReceived", "IndividualCounseling", "FamilyCounseling", "GroupCounseling",
	"PostExitCounselingPlan", "EmailSocialMedia", "Telephone", "InPersonIndividual", "InPersonGroup"}

// convert applies the version's rules to one decoded row.
func (c *converter) convert(r *reader, rt *recordType, p unsafe.Pointer, b *binding, rec []string, ck *checker) {
	if c.version == "2026" {
		return
	}
	file := rt.file.Name
	if file == "Exit" {
		for _, n := range exitCounseling {
			f := rt.field(n)
			if v, ok := intValue(p, f); ok && v == 99 {
				clearInt(p, f)
			}
		}
	}
	if c.version != "2022" {
		return
	}
	switch file {
	case "Export":
		x := (*hmis.Export)(p)
		if x.ImplementationID == "" {
			x.ImplementationID = strings.TrimSpace(x.SourceID + " " + x.SourceName)
		}
	case "Organization":
		o := (*hmis.Organization)(p)
		if o.VictimServiceProvider != nil && *o.VictimServiceProvider == 1 {
			c.vsp[o.OrganizationID] = true
		}
	case "Project":
		pr := (*hmis.Project)(p)
		if pr.ProjectType != nil {
			tm := strings.TrimSpace(b.extra(rec, "TrackingMethod"))
			switch {
			case *pr.ProjectType == 1 && tm == "0":
				ck.setInt(rt.field("ProjectType"), 0) // ES entry/exit
			case tm == "3":
				ck.setInt(rt.field("ProjectType"), 1) // night-by-night (HUD Data Lab's rule)
			}
			// ES with a blank tracking method stays 1 (night-by-night), as HUD Data Lab.
			if *pr.ProjectType == 13 && pr.RRHSubType == nil {
				ck.setInt(rt.field("RRHSubType"), 2) // RRH: housing with or without services
			}
		}
		c.participating[pr.ProjectID] = strings.TrimSpace(b.extra(rec, "HMISParticipatingProject"))
		c.projects = append(c.projects, *pr)
	case "Client":
		cl := (*hmis.Client)(p)
		eth := strings.TrimSpace(b.extra(rec, "Ethnicity"))
		hisp := 0
		if eth == "1" {
			hisp = 1
		}
		ck.setInt(rt.field("HispanicLatinao"), hisp)
		if hisp == 1 {
			cl.RaceNone = nil
		}
		if cl.MidEastNAfrican == nil {
			ck.setInt(rt.field("MidEastNAfrican"), 0)
		}
	case "Enrollment":
		c.livingSituation(rt, p, ck, "LivingSituation", "RentalSubsidyType")
		e := (*hmis.Enrollment)(p)
		if e.EnrollmentCoC == "" {
			e.EnrollmentCoC = c.enrollmentCoC[e.EnrollmentID]
		}
	case "Exit":
		c.livingSituation(rt, p, ck, "Destination", "DestinationSubsidyType")
	case "CurrentLivingSituation":
		c.livingSituation(rt, p, ck, "CurrentLivingSituation", "CLSSubsidyType")
	case "Services":
		s := (*hmis.Service)(p)
		// V3.2/V3.5: FAStartDate and FAEndDate are "null unless RecordType =
		// 152" (SSVF financial assistance), so HOPWA's 151 rows keep them empty.
		if s.RecordType != nil && *s.RecordType == 152 {
			if s.FAStartDate.IsZero() {
				s.FAStartDate = s.DateProvided
			}
			if s.FAEndDate.IsZero() {
				s.FAEndDate = s.DateProvided
			}
		}
	}
}

// livingSituation maps a two-digit FY2022 code to its three-digit code and
// subsidy type. Codes not in the crosswalk pass through unchanged.
func (c *converter) livingSituation(rt *recordType, p unsafe.Pointer, ck *checker, col, subsidy string) {
	f := rt.field(col)
	v, ok := intValue(p, f)
	if !ok {
		return
	}
	m, ok := livingSituation2022[v]
	if !ok {
		return
	}
	ck.setInt(f, m[0])
	if m[1] != 0 {
		ck.setInt(rt.field(subsidy), m[1])
	}
}

// readEnrollmentCoC reads FY2022 EnrollmentCoC.csv: the CoC of each
// enrollment is the row at project start (DataCollectionStage 1) with the
// earliest InformationDate, else the earliest row of any stage.
func (r *reader) readEnrollmentCoC() error {
	rc, cr, cnt, header, _ := r.open("EnrollmentCoC.csv")
	if rc == nil {
		return nil
	}
	defer rc.Close()
	b := r.bind(nil, "EnrollmentCoC.csv", "EnrollmentCoC", header)
	type best struct {
		start bool
		date  hmis.Date
	}
	seen := map[string]best{}
	rows := 0
	for {
		rec, err := cr.Read()
		if err != nil {
			break
		}
		rows++
		e := strings.TrimSpace(b.extra(rec, "EnrollmentID"))
		coc := strings.TrimSpace(b.extra(rec, "CoCCode"))
		if e == "" || coc == "" {
			continue
		}
		d, _, _ := parseDate(b.extra(rec, "InformationDate"))
		cand := best{start: strings.TrimSpace(b.extra(rec, "DataCollectionStage")) == "1", date: d}
		old, ok := seen[e]
		if !ok || (cand.start && !old.start) || (cand.start == old.start && cand.date.Before(old.date)) {
			seen[e] = cand
			r.conv.enrollmentCoC[e] = coc
		}
	}
	r.bytesDone += cnt.n
	r.rep.Files = append(r.rep.Files, FileSummary{Name: "EnrollmentCoC.csv", Rows: rows})
	return nil
}

// synthesize builds a file FY2022 did not have: HMISParticipation.csv and
// CEParticipation.csv, one row per project.
func (c *converter) synthesize(r *reader, rt *recordType) (int, error) {
	if !c.synthesizes(rt.file.Name) {
		return 0, nil
	}
	for _, pr := range c.projects {
		var rec any
		switch rt.file.Name {
		case "HMISParticipation":
			h := &hmis.HMISParticipation{HMISParticipationID: pr.ProjectID, ProjectID: pr.ProjectID,
				HMISParticipationStatusStartDate: pr.OperatingStartDate, HMISParticipationStatusEndDate: pr.OperatingEndDate,
				DateCreated: pr.DateCreated, DateUpdated: pr.DateUpdated, UserID: pr.UserID, DateDeleted: pr.DateDeleted, ExportID: pr.ExportID}
			var t hud.HMISParticipationType
			switch part := c.participating[pr.ProjectID]; {
			case c.vsp[pr.OrganizationID]:
				t = 2
				h.HMISParticipationType = &t
			case part == "1":
				t = 1
				h.HMISParticipationType = &t
			case part != "":
				t = 0
				h.HMISParticipationType = &t
			}
			rec = h
		case "CEParticipation":
			no := hud.NoYes(0)
			no2 := no
			rec = &hmis.CEParticipation{CEParticipationID: pr.ProjectID, ProjectID: pr.ProjectID, AccessPoint: &no, ReceivesReferrals: &no2,
				CEParticipationStatusStartDate: pr.OperatingStartDate, CEParticipationStatusEndDate: pr.OperatingEndDate,
				DateCreated: pr.DateCreated, DateUpdated: pr.DateUpdated, UserID: pr.UserID, DateDeleted: pr.DateDeleted, ExportID: pr.ExportID}
		}
		if err := r.fn(rt.name, 0, rec); err != nil {
			return 0, err
		}
	}
	return len(c.projects), nil
}
