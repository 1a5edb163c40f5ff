package demo

import (
	"context"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
)

// serviceCatalogs gives each demo program a service catalog (issue 5),
// so that case managers can record services and use the roster on demo
// data: HUD services where the program's type or funders record them
// (bed nights 4.14 in night-by-night shelters, SSVF V2, HOPWA W1, PATH
// P1) and the program's own (meals, case management, bus passes).
func serviceCatalogs(ctx context.Context, st *store.Store) error {
	progs, err := st.SetupPrograms(ctx)
	if err != nil {
		return err
	}
	for _, sp := range progs {
		funders, err := store.FindRecords[hmis.Funder](ctx, st, store.RecordFilter{ProjectID: sp.ProjectID})
		if err != nil {
			return err
		}
		for _, k := range catalogFor(sp.ProjectType, funders) {
			k.ProjectID, k.Active = sp.ProjectID, true
			if k.DefaultUnits == 0 {
				k.DefaultUnits = 1
			}
			if err := st.SaveCatalogEntry(ctx, &k); err != nil {
				return err
			}
		}
	}
	return nil
}

// catalogFor is a program's demo catalog.
func catalogFor(pt *hud.ProjectType, funders []hmis.Funder) []store.CatalogEntry {
	funded := map[hud.FundingSource]bool{}
	for _, f := range funders {
		if f.Funder != nil {
			funded[*f.Funder] = true
		}
	}
	hudService := func(name string, rt hud.RecordType, tp int, unit string) store.CatalogEntry {
		return store.CatalogEntry{Name: name, RecordType: &rt, TypeProvided: &tp, Unit: unit}
	}
	out := []store.CatalogEntry{{Name: "Case management session", Unit: "session"}}
	if pt != nil {
		switch *pt {
		case hud.ProjectTypeEmergencyShelterNightByNight:
			out = append(out, hudService("Bed night", 200, 200, "night"),
				store.CatalogEntry{Name: "Hot meal", Unit: "meal"})
		case hud.ProjectTypeEmergencyShelterEntryExit, hud.ProjectTypeTransitionalHousing, hud.ProjectTypeSafeHaven, hud.ProjectTypeDayShelter:
			out = append(out, store.CatalogEntry{Name: "Hot meal", Unit: "meal"})
		case hud.ProjectTypeStreetOutreach:
			out = append(out, store.CatalogEntry{Name: "Hygiene kit", Unit: "kit"})
		}
	}
	if funded[hud.FundingSourceVASupportiveServicesForVeteranFamilies] {
		out = append(out, hudService("SSVF case management", 144, 2, "session"), hudService("SSVF outreach", 144, 1, "contact"))
	}
	for code := hud.FundingSource(13); code <= 19; code++ { // HOPWA (2.06.1 codes 13-19)
		if funded[code] {
			out = append(out, hudService("HOPWA case management", 143, 2, "session"))
			break
		}
	}
	if funded[hud.FundingSourceHHSPATHStreetOutreachAndSupportiveServices] {
		out = append(out, hudService("PATH re-engagement", 141, 1, "contact"))
	}
	bus := hmis.Money(250)
	out = append(out, store.CatalogEntry{Name: "Bus pass", Unit: "pass", DefaultAmount: &bus})
	return out
}
