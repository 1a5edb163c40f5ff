package demo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
)

// leadSetting is the site setting that names the HMIS lead agency.
const leadSetting = "hmis_lead_organization_id"

// LeadOrganization returns the organization ID of the HMIS lead agency
// (the one the demo marks), or the first organization when none is marked.
func LeadOrganization(ctx context.Context, st *store.Store) (string, error) {
	id, ok, err := st.Setting(ctx, leadSetting)
	if err != nil {
		return "", err
	}
	if ok && id != "" {
		if _, err := store.FindRecordByID[hmis.Organization](ctx, st, id); err == nil {
			return id, nil
		}
	}
	orgs, err := store.FindRecords[hmis.Organization](ctx, st, store.RecordFilter{Limit: 1})
	if err != nil {
		return "", err
	}
	if len(orgs) == 0 {
		return "", hmis.Errorf(hmis.ENOTFOUND, "The site has no organizations.")
	}
	return orgs[0].OrganizationID, nil
}

// ensureStaff creates the demo's HUD Users that do not exist yet.
func ensureStaff(ctx context.Context, st *store.Store, today hmis.Date, c *Counts) ([]string, error) {
	var userIDs, missing []string
	for i := range staff {
		id := staffUserID(i)
		userIDs = append(userIDs, id)
		if _, err := store.FindRecordByID[hmis.User](ctx, st, id); err != nil {
			if hmis.ErrorCode(err) != hmis.ENOTFOUND {
				return nil, err
			}
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return userIDs, nil
	}
	created := at(today.AddDate(-4, 0, 0), 8, 30)
	err := st.Batch(ctx, func(b *store.Batch) error {
		for i := range staff {
			id := staffUserID(i)
			if !contains(missing, id) {
				continue
			}
			first, last := staff[i][0], staff[i][1]
			email := strings.ToLower(strings.ReplaceAll(first+"."+last, "'", "")) + "@example.org"
			u := hmis.User{UserID: id, UserFirstName: first, UserLastName: last, UserEmail: email,
				UserPhone: "555010" + strconv.Itoa(1000 + i)[1:], DateCreated: created, DateUpdated: created}
			if err := store.Add(b, &u); err != nil {
				return err
			}
			c.Users++
		}
		return nil
	})
	return userIDs, err
}

// createCoC writes the demo Continuum of Care (organizations, projects,
// grants, CoC and inventory records) and marks the lead agency.
func createCoC(ctx context.Context, st *store.Store, o Options, today hmis.Date, users []string, c *Counts) (string, error) {
	n, err := store.CountRecords[hmis.Organization](ctx, st, store.RecordFilter{IncludeDeleted: true})
	if err != nil {
		return "", err
	}
	id := newIDs("hearth-demo-setup", strconv.FormatInt(o.Seed, 10), strconv.Itoa(n))
	golive := today.AddDate(-4, 0, 0)
	grantFrom := hmis.NewDate(today.Time().Year()-4, time.October, 1)
	state := strings.ToUpper(o.CoCCode[:2])
	orgIDs := make([]string, len(orgSpecs))
	lead := ""
	stamp := func(i int) (time.Time, string) {
		return at(golive, 9, i), users[i%len(users)]
	}
	err = st.Batch(ctx, func(b *store.Batch) error {
		for i, os := range orgSpecs {
			orgIDs[i] = id.next('O')
			ts, u := stamp(i)
			org := hmis.Organization{OrganizationID: orgIDs[i], OrganizationName: os.name, OrganizationCommonName: os.common,
				VictimServiceProvider: ptr(hud.NoYes(b2i(os.vsp))), DateCreated: ts, DateUpdated: ts, UserID: u}
			if err := store.Add(b, &org); err != nil {
				return err
			}
			c.Organizations++
			if os.lead {
				lead = orgIDs[i]
			}
		}
		for i, ps := range projSpecs {
			if err := addProject(b, id, c, &ps, orgIDs[ps.org], o.CoCCode, state, golive, grantFrom, i, users); err != nil {
				return fmt.Errorf("%s: %w", ps.name, err)
			}
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return lead, st.SetSetting(ctx, leadSetting, lead)
}

func addProject(b *store.Batch, id *ids, c *Counts, ps *projSpec, orgID, coc, state string, golive, grantFrom hmis.Date, i int, users []string) error {
	opened := hmis.MustDate(ps.opened)
	ts := at(golive, 10, i)
	u := users[i%len(users)]
	p := hmis.Project{ProjectID: id.next('P'), OrganizationID: orgID, ProjectName: ps.name, ProjectCommonName: ps.common,
		OperatingStartDate: opened, ContinuumProject: ptr(hud.NoYes(1)), ProjectType: ptr(ps.ptype),
		TargetPopulation: ptr(hud.TargetPopulation(4)), HOPWAMedAssistedLivingFac: ptr(hud.HOPWAMedAssistedLivingFac(2)),
		DateCreated: ts, DateUpdated: ts, UserID: u}
	if ps.target != 0 {
		p.TargetPopulation = ptr(ps.target)
	}
	if ps.housing != 0 {
		p.HousingType = ptr(ps.housing)
	}
	if ps.ptype == hud.ProjectTypePHRapidReHousing {
		p.RRHSubType = ptr(ps.rrhSub)
		if ps.rrhSub == 1 {
			p.ResidentialAffiliation = ptr(hud.NoYes(0))
		}
	}
	for _, f := range ps.funders {
		if f.kind == grantHOPWA {
			p.HOPWAMedAssistedLivingFac = ptr(hud.HOPWAMedAssistedLivingFac(0))
			p.ContinuumProject = ptr(hud.NoYes(0))
		}
	}
	if err := store.Add(b, &p); err != nil {
		return err
	}
	c.Projects++
	start := grantFrom
	if opened.After(start) {
		start = opened
	}
	for j, f := range ps.funders {
		fr := hmis.Funder{FunderID: id.next('F'), ProjectID: p.ProjectID, Funder: ptr(f.code), OtherFunder: f.other,
			GrantID: grantID(f.kind, state, start, i*7+j), StartDate: start, DateCreated: ts, DateUpdated: ts, UserID: u}
		if err := store.Add(b, &fr); err != nil {
			return err
		}
		c.Funders++
	}
	st, geocode, zip, s := geoFor(coc, ps.site)
	pc := hmis.ProjectCoC{ProjectCoCID: id.next('G'), ProjectID: p.ProjectID, CoCCode: coc, Geocode: geocode,
		Address1: s.street, City: s.city, State: st, ZIP: zip, GeographyType: ptr(hud.GeographyType(s.geography)),
		DateCreated: ts, DateUpdated: ts, UserID: u}
	if ps.comparab {
		pc.Address1, pc.ZIP = "", "" // a DV shelter's address is confidential
	}
	if err := store.Add(b, &pc); err != nil {
		return err
	}
	c.ProjectCoCs++
	for _, iv := range ps.inv {
		if err := store.Add(b, inventory(id, p, iv, coc, opened, ts, u)); err != nil {
			return err
		}
		c.Inventory++
	}
	part := hmis.HMISParticipation{HMISParticipationID: id.next('H'), ProjectID: p.ProjectID,
		HMISParticipationType: ptr(hud.HMISParticipationType(1)), HMISParticipationStatusStartDate: opened,
		DateCreated: ts, DateUpdated: ts, UserID: u}
	if ps.comparab {
		part.HMISParticipationType = ptr(hud.HMISParticipationType(2))
	}
	if err := store.Add(b, &part); err != nil {
		return err
	}
	if ps.ce || ps.ceRefs {
		ce := hmis.CEParticipation{CEParticipationID: id.next('Q'), ProjectID: p.ProjectID,
			AccessPoint: ptr(hud.NoYes(b2i(ps.ce))), ReceivesReferrals: ptr(hud.NoYes(b2i(ps.ceRefs))),
			CEParticipationStatusStartDate: start, DateCreated: ts, DateUpdated: ts, UserID: u}
		if ps.ce {
			yes := ptr(hud.NoYes(1))
			ce.PreventionAssessment, ce.CrisisAssessment, ce.HousingAssessment, ce.DirectServices = yes, yes, yes, ptr(hud.NoYes(0))
		}
		if err := store.Add(b, &ce); err != nil {
			return err
		}
	}
	return nil
}

func inventory(id *ids, p hmis.Project, iv invSpec, coc string, from hmis.Date, ts time.Time, u string) *hmis.Inventory {
	other := iv.beds - iv.chVet - iv.youthVet - iv.vet - iv.chYouth - iv.youth - iv.ch
	r := &hmis.Inventory{InventoryID: id.next('I'), ProjectID: p.ProjectID, CoCCode: coc, HouseholdType: ptr(iv.hh),
		UnitInventory: ptr(iv.units), BedInventory: ptr(iv.beds), CHVetBedInventory: ptr(iv.chVet),
		YouthVetBedInventory: ptr(iv.youthVet), VetBedInventory: ptr(iv.vet), CHYouthBedInventory: ptr(iv.chYouth),
		YouthBedInventory: ptr(iv.youth), CHBedInventory: ptr(iv.ch), OtherBedInventory: ptr(other),
		InventoryStartDate: from, DateCreated: ts, DateUpdated: ts, UserID: u}
	if t := *p.ProjectType; t == hud.ProjectTypeEmergencyShelterEntryExit || t == hud.ProjectTypeEmergencyShelterNightByNight {
		r.Availability = ptr(iv.avail)
		r.ESBedType = ptr(hud.BedType(1))
	}
	return r
}

// grantID makes a GrantID (2.06.2) in the style of each funder's awards.
func grantID(kind int, state string, start hmis.Date, n int) string {
	yy := start.Time().Year() % 100
	switch kind {
	case grantCoC:
		return fmt.Sprintf("%s%04dL9T%02d%02d01", state, 101+n*13, 10+n%8, yy)
	case grantESG:
		return fmt.Sprintf("E-%02d-UC-%s-%04d", yy, stateGeo[state][0], 20+n)
	case grantHOPWA:
		return fmt.Sprintf("%sH%02dF%03d", state, yy, 10+n)
	case grantVA:
		return fmt.Sprintf("%02d-%s-%03d", yy, state, 100+n)
	case grantVASH:
		return fmt.Sprintf("VASH-%s%03d-%02d", state, 40+n, yy)
	case grantPATH:
		return fmt.Sprintf("SM-%02d-PATH-%s-%02d", yy, state, n%50)
	case grantRHY:
		return fmt.Sprintf("90C%c%04d", "XYZ"[n%3], 1000+n*37)
	}
	return fmt.Sprintf("HC-FY%02d-%03d", yy, n)
}

// at returns the date-time of d at h:m (UTC); minutes may overflow into
// later hours.
func at(d hmis.Date, h, m int) time.Time {
	return d.Time().Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// ptr returns a pointer to v (HUD's integer codes are pointers: nil is empty).
func ptr[T any](v T) *T { return &v }
