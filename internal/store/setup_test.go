package store_test

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func adminCtx(t *testing.T) hmis.Actor {
	return hmis.Actor{AccountID: "adm", UserID: "uadm", Username: "admin", Role: hmis.RoleAdmin, Via: "test"}
}

// wantField fails unless err is EINVALID with a message on field.
func wantField(t *testing.T, what string, err error, field string) {
	t.Helper()
	e, ok := err.(*hmis.Error)
	if !ok || e.Code != hmis.EINVALID || e.Fields[field] == "" {
		t.Errorf("%s: want a message on %s, got %v", what, field, err)
	}
}

func TestStore_SetupRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := hmis.NewContext(t.Context(), adminCtx(t))
		cm := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "a1", UserID: "u1", Role: hmis.RoleCaseManager, OrganizationID: "x", Via: "test"})

		// Organization (2.01): the VSP flag is required; case managers may not.
		o := hmis.Organization{OrganizationName: "  Hope Shelter  "}
		wantField(t, "org without VSP", s.SaveOrganization(ctx, &o), hmis.FieldVictimServiceProvider)
		o.VictimServiceProvider = new(hud.NoYes(0))
		if err := s.SaveOrganization(cm, &o); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("case manager saves an organization: %v", err)
		}
		if err := s.SaveOrganization(ctx, &o); err != nil {
			t.Fatal(err)
		}
		if o.OrganizationID == "" || o.OrganizationName != "Hope Shelter" {
			t.Errorf("saved organization %+v", o)
		}

		// Project (2.02): RRH subtype only for type 13; dates ordered.
		p := hmis.Project{OrganizationID: o.OrganizationID, ProjectName: "Bridge RRH", OperatingStartDate: hmis.MustDate("2024-01-01"),
			OperatingEndDate: hmis.MustDate("2023-12-31"), ContinuumProject: new(hud.NoYes(1)), ProjectType: new(hud.ProjectType(13))}
		err := s.SaveProject(ctx, &p)
		wantField(t, "end before start", err, hmis.FieldOperatingEndDate)
		wantField(t, "RRH without subtype", err, hmis.FieldRRHSubType)
		p.OperatingEndDate = hmis.Date{}
		p.RRHSubType = new(hud.RRHSubType(2))
		wantField(t, "RRH housing without housing type", s.SaveProject(ctx, &p), hmis.FieldHousingType)
		p.HousingType = new(hud.HousingType(3))
		if err := s.SaveProject(ctx, &p); err != nil {
			t.Fatal(err)
		}
		es := hmis.Project{OrganizationID: o.OrganizationID, ProjectName: "Night Shelter", OperatingStartDate: hmis.MustDate("2020-01-01"),
			ContinuumProject: new(hud.NoYes(1)), ProjectType: new(hud.ProjectType(1)), RRHSubType: new(hud.RRHSubType(1)), HousingType: new(hud.HousingType(1))}
		wantField(t, "subtype on a shelter", s.SaveProject(ctx, &es), hmis.FieldRRHSubType)
		es.RRHSubType = nil
		es.OrganizationID = "nope"
		wantField(t, "unknown organization", s.SaveProject(ctx, &es), hmis.FieldProjectOrganization)
		es.OrganizationID = o.OrganizationID
		if err := s.SaveProject(ctx, &es); err != nil {
			t.Fatal(err)
		}

		// Funder (2.06): Other funder only for 46; dates ordered.
		g := hmis.Funder{ProjectID: p.ProjectID, Funder: new(hud.FundingSource(46)), GrantID: "G-1",
			StartDate: hmis.MustDate("2024-01-01")}
		wantField(t, "other without name", s.SaveFunder(ctx, &g), hmis.FieldOtherFunder)
		g.Funder, g.EndDate = new(hud.FundingSource(3)), hmis.MustDate("2023-01-01")
		wantField(t, "grant end before start", s.SaveFunder(ctx, &g), hmis.FieldEndDate)
		g.EndDate = hmis.MustDate("2026-12-31")
		if err := s.SaveFunder(ctx, &g); err != nil {
			t.Fatal(err)
		}
		g.GrantID = "G-2"
		if err := s.SaveFunder(ctx, &g); err != nil {
			t.Fatal(err)
		}
		fs, err := store.FindRecords[hmis.Funder](ctx, s, store.RecordFilter{ProjectID: p.ProjectID})
		if err != nil || len(fs) != 1 || fs[0].GrantID != "G-2" {
			t.Errorf("funders after edit: %+v, %v", fs, err)
		}
		// A forged edit moving the grant to another program is "not found".
		moved := fs[0]
		moved.ProjectID = es.ProjectID
		if err := s.SaveFunder(ctx, &moved); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("grant moved to another program: %v", err)
		}

		// ProjectCoC (2.03) and Inventory (2.07).
		c := hmis.ProjectCoC{ProjectID: es.ProjectID, CoCCode: "ZZ-999", Geocode: "12345"}
		err = s.SaveProjectCoC(ctx, &c)
		wantField(t, "bad CoC", err, hmis.FieldCoCCode)
		wantField(t, "bad geocode", err, hmis.FieldGeocode)
		c.CoCCode, c.Geocode = "or-500", "419012"
		if err := s.SaveProjectCoC(ctx, &c); err != nil {
			t.Fatal(err)
		}
		inv := hmis.Inventory{ProjectID: es.ProjectID, CoCCode: "OR-501", HouseholdType: new(hud.HouseholdType(1)),
			UnitInventory: new(20), BedInventory: new(20), OtherBedInventory: new(15), VetBedInventory: new(4),
			InventoryStartDate: hmis.MustDate("2024-01-01")}
		err = s.SaveInventory(ctx, &inv)
		wantField(t, "shelter without availability", err, hmis.FieldAvailability)
		wantField(t, "beds not adding up", err, hmis.FieldBedInventory)
		inv.Availability, inv.ESBedType, inv.OtherBedInventory = new(hud.Availability(1)), new(hud.BedType(1)), new(16)
		wantField(t, "CoC not the program's", s.SaveInventory(ctx, &inv), hmis.FieldCoCCode)
		inv.CoCCode = "OR-500"
		if err := s.SaveInventory(ctx, &inv); err != nil {
			t.Fatal(err)
		}

		// HMIS (2.08) and CE (2.09) participation.
		h := hmis.HMISParticipation{ProjectID: es.ProjectID, HMISParticipationType: new(hud.HMISParticipationType(1))}
		wantField(t, "participation without start", s.SaveHMISParticipation(ctx, &h), hmis.FieldStartDate)
		h.HMISParticipationStatusStartDate = hmis.MustDate("2020-01-01")
		if err := s.SaveHMISParticipation(ctx, &h); err != nil {
			t.Fatal(err)
		}
		ce := hmis.CEParticipation{ProjectID: es.ProjectID, AccessPoint: new(hud.NoYes(1)), ReceivesReferrals: new(hud.NoYes(1)),
			PreventionAssessment: new(hud.NoYes(0)), CrisisAssessment: new(hud.NoYes(0)), HousingAssessment: new(hud.NoYes(0)),
			DirectServices: new(hud.NoYes(0)), CEParticipationStatusStartDate: hmis.MustDate("2020-01-01")}
		wantField(t, "access point offering nothing", s.SaveCEParticipation(ctx, &ce), hmis.FieldCEAssessments)
		ce.CrisisAssessment = new(hud.NoYes(1))
		if err := s.SaveCEParticipation(ctx, &ce); err != nil {
			t.Fatal(err)
		}

		// Affiliation: a services-only program affiliated with the shelter.
		sso := hmis.Project{OrganizationID: o.OrganizationID, ProjectName: "Outreach Services", OperatingStartDate: hmis.MustDate("2020-01-01"),
			ContinuumProject: new(hud.NoYes(1)), ProjectType: new(hud.ProjectType(6)), ResidentialAffiliation: new(hud.NoYes(1))}
		if err := s.SaveProject(ctx, &sso); err != nil {
			t.Fatal(err)
		}
		bad := hmis.Affiliation{ProjectID: sso.ProjectID, ResProjectID: sso.ProjectID}
		wantField(t, "affiliated with itself", s.SaveAffiliation(ctx, &bad), hmis.FieldResProjectID)
		a := hmis.Affiliation{ProjectID: sso.ProjectID, ResProjectID: es.ProjectID}
		if err := s.SaveAffiliation(ctx, &a); err != nil {
			t.Fatal(err)
		}

		// The service catalog.
		k := store.CatalogEntry{ProjectID: es.ProjectID, Name: "Bed night", RecordType: new(hud.RecordType(200)), TypeProvided: new(7),
			Unit: "night", DefaultUnits: 1}
		wantField(t, "type not of the record type's list", s.SaveCatalogEntry(ctx, &k), "type_provided")
		k.TypeProvided = new(200)
		k.Active = true
		if err := s.SaveCatalogEntry(ctx, &k); err != nil {
			t.Fatal(err)
		}
		ssvf := store.CatalogEntry{ProjectID: es.ProjectID, Name: "SSVF other", RecordType: new(hud.RecordType(144)), TypeProvided: new(6), DefaultUnits: 1}
		wantField(t, "other SSVF service without its description (V2.D)", s.SaveCatalogEntry(ctx, &ssvf), "other_type")
		ssvf.OtherType = "Legal aid clinic"
		if err := s.SaveCatalogEntry(ctx, &ssvf); err != nil {
			t.Fatal(err)
		}
		vaBenefits := store.CatalogEntry{ProjectID: es.ProjectID, Name: "VA benefits", RecordType: new(hud.RecordType(144)), TypeProvided: new(3),
			DefaultUnits: 1}
		wantField(t, "SSVF 3 without its sub-type (V2.A)", s.SaveCatalogEntry(ctx, &vaBenefits), "sub_type")
		vaBenefits.SubType = new(99)
		wantField(t, "sub-type not of V2.A", s.SaveCatalogEntry(ctx, &vaBenefits), "sub_type")
		vaBenefits.SubType = new(2)
		if err := s.SaveCatalogEntry(ctx, &vaBenefits); err != nil {
			t.Fatal(err)
		}
		withSub := store.CatalogEntry{ProjectID: es.ProjectID, Name: "Bed", RecordType: new(hud.RecordType(200)), TypeProvided: new(200),
			SubType: new(1), DefaultUnits: 1}
		wantField(t, "sub-type on a bed night", s.SaveCatalogEntry(ctx, &withSub), "sub_type")
		meal := store.CatalogEntry{ProjectID: es.ProjectID, Name: "Hot meal", Unit: "meal", DefaultUnits: 0, Active: true}
		wantField(t, "zero units", s.SaveCatalogEntry(ctx, &meal), "default_units")
		meal.DefaultUnits, meal.DefaultAmount = 1, new(hmis.Money(350))
		if err := s.SaveCatalogEntry(ctx, &meal); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveCatalogEntry(cm, &meal); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("case manager edits the catalog: %v", err)
		}

		ps, err := s.FindProgramSetup(ctx, es.ProjectID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps.CoCs) != 1 || len(ps.Inventory) != 1 || len(ps.HMISParticipations) != 1 || len(ps.CEParticipations) != 1 ||
			len(ps.Catalog) != 4 || ps.Catalog[1].Name != "Hot meal" || *ps.Catalog[1].DefaultAmount != 350 ||
			ps.Catalog[2].OtherType != "Legal aid clinic" || *ps.Catalog[3].SubType != 2 {
			t.Errorf("program setup: %+v", ps)
		}
		if _, err := s.FindProgramSetup(cm, es.ProjectID); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("case manager reads setup: %v", err)
		}
		progs, err := s.SetupPrograms(ctx)
		if err != nil || len(progs) != 3 {
			t.Errorf("programs %+v, %v", progs, err)
		}

		// Every save is audited.
		entries, err := s.FindAudit(ctx, store.AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, e := range entries {
			counts[e.Action+" "+e.Entity]++
		}
		for _, want := range []string{"create organization", "create project", "create funder", "update funder", "create project_coc",
			"create inventory", "create hmis_participation", "create ce_participation", "create affiliation", "create service_catalog"} {
			if counts[want] == 0 {
				t.Errorf("no audit %q in %v", want, counts)
			}
		}
	})
}
