package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func TestStore_ListMOUs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		for _, o := range []string{"A", "B", "C"} {
			if err := store.CreateRecord(ctx, s, &hmis.Organization{OrganizationID: o, OrganizationName: o}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.AddMOU(ctx, "Zeta one-way", []store.MOUGrant{{From: "A", To: "C"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddMOU(ctx, "Alpha two-way", []store.MOUGrant{{From: "A", To: "B"}, {From: "B", To: "A"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddMOU(ctx, "Unknown", []store.MOUGrant{{From: "A", To: "Z"}}); hmis.ErrorCode(err) != hmis.EINVALID || !strings.Contains(err.Error(), `"Z"`) {
			t.Errorf("unknown organization: %v", err)
		}
		if _, err := s.AddMOU(ctx, strings.Repeat("x", 201), []store.MOUGrant{{From: "A", To: "B"}}); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Errorf("long name: %v", err)
		}
		ms, err := s.ListMOUs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 2 || ms[0].Name != "Alpha two-way" || ms[1].Name != "Zeta one-way" {
			t.Fatalf("MOUs %+v", ms)
		}
		if !ms[0].TwoWay() || len(ms[0].Grants) != 2 || ms[1].TwoWay() || ms[1].Grants[0] != (store.MOUGrant{From: "A", To: "C"}) {
			t.Errorf("grants %+v", ms)
		}
		if _, err := s.ListMOUs(context.Background()); err == nil {
			t.Error("ListMOUs without an actor")
		}
	})
}
