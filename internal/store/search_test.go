package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/search"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func searchClient(id, first, last, dob, ssn string) hmis.Client {
	c := hmis.Client{PersonalID: id, FirstName: first, LastName: last, SSN: ssn,
		NameDataQuality: new(hud.NameDataQualityFullNameReported), VeteranStatus: new(hud.NoYesReasonsForMissingDataNo)}
	if dob != "" {
		c.DOB = hmis.MustDate(dob)
	}
	return c
}

// found runs a search and returns the IDs found, best first.
func found(t *testing.T, ctx context.Context, s *store.Store, text string) []string {
	t.Helper()
	ms, err := s.SearchClients(ctx, search.Parse(text, time.Now()), 10)
	if err != nil {
		t.Fatalf("search %q: %v", text, err)
	}
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.PersonalID)
	}
	return ids
}

func TestStore_SearchClients(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		lennon := searchClient("c1", "John", "Lennon", "1940-10-09", "123-45-6789")
		if err := store.CreateRecord(ctx, s, &lennon); err != nil {
			t.Fatal(err)
		}
		// Batch inserts are indexed too.
		err := s.Batch(ctx, func(b *store.Batch) error {
			for _, c := range []hmis.Client{
				searchClient("c2", "Margaret", "Garcia-Lopez", "1975-03-04", "xxxxx4321"),
				searchClient("c3", "William", "Smith", "1980-12-01", ""),
				searchClient("c4", "Julia", "Lennon", "1940-10-09", "222334444"),
			} {
				if err := store.Add(b, &c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ text, want string }{
			{"Lennon, John", "c1"},
			{"Jon Lenon 10/9/1940", "c1"},
			{"john lennon 124-35-6789", "c1"},
			{"Peggy Lopez 4321", "c2"},
			{"Bill Smith", "c3"},
			{"smith 1/12/1980", "c3"},
			{"julia", "c4"},   // a first name alone
			{"william", "c3"}, // (the surname-alone key would miss both)
			{"c3", ""},        // too short for an ID: a name nobody has
		} {
			got := found(t, ctx, s, tc.text)
			if tc.want == "" {
				if len(got) != 0 {
					t.Errorf("%q found %v, want nothing", tc.text, got)
				}
				continue
			}
			if len(got) == 0 || got[0] != tc.want {
				t.Errorf("%q found %v, want %s first", tc.text, got, tc.want)
			}
		}

		// An update re-files the client under its new name.
		lennon.LastName = "Ono-Lennon"
		lennon.FirstName = "Yoko"
		if err := store.UpdateRecord(ctx, s, &lennon); err != nil {
			t.Fatal(err)
		}
		if got := found(t, ctx, s, "Yoko Ono 10/9/1940"); len(got) == 0 || got[0] != "c1" {
			t.Errorf("after update: %v", got)
		}
		ms, err := s.SearchClients(ctx, search.Parse("John Lennon 1/1/1950", time.Now()), 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.PersonalID == "c1" {
				t.Errorf("after update the old name still finds c1: %+v", m)
			}
		}
		// A soft-deleted client is gone from search.
		if err := store.DeleteRecord[hmis.Client](ctx, s, "c3"); err != nil {
			t.Fatal(err)
		}
		if got := found(t, ctx, s, "William Smith 12/1/1980"); len(got) != 0 {
			t.Errorf("deleted client found: %v", got)
		}
		// Nothing to search for is an error with a hint, not every client.
		if _, err := s.SearchClients(ctx, search.Parse("!!!", time.Now()), 10); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Errorf("empty search: %v", err)
		}
		// Hostile and huge input is just text.
		for _, text := range []string{"'; DROP TABLE clients; --", "<script>alert(1)</script> Lennon", strings.Repeat("x%_' ", 2000)} {
			if _, err := s.SearchClients(ctx, search.Parse(text, time.Now()), 10); err != nil {
				t.Errorf("search %.30q: %v", text, err)
			}
		}
		// One audit row per search, without PII.
		audit, err := s.FindAudit(ctx, store.AuditFilter{Action: "search", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(audit) != 15 {
			t.Errorf("%d search audit rows, want 15", len(audit))
		}
		for _, a := range audit {
			if !strings.HasSuffix(a.Detail, " results") || strings.Contains(strings.ToLower(a.Detail), "lennon") {
				t.Errorf("audit detail %q", a.Detail)
			}
		}
	})
}

func TestStore_SearchClients_Visibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		for _, c := range []hmis.Client{
			searchClient("mine", "Maria", "Gonzalez", "1990-01-02", ""),
			searchClient("theirs", "Maria", "Gonzales", "1990-01-02", ""),
			searchClient("shared", "Mario", "Gonzalez", "1990-01-02", ""),
		} {
			if err := store.CreateRecord(ctx, s, &c); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range []string{
			`UPDATE clients SET organization_id = 'o1' WHERE personal_id = 'mine'`,
			`UPDATE clients SET organization_id = 'o2' WHERE personal_id IN ('theirs', 'shared')`,
			`UPDATE clients SET restriction = 'global' WHERE personal_id = 'shared'`,
		} {
			if err := storetest.Exec(s, q); err != nil {
				t.Fatal(err)
			}
		}
		cm := hmis.NewContext(t.Context(), hmis.Actor{Username: "cm", UserID: "cm", OrganizationID: "o1", Role: hmis.RoleCaseManager, Via: "test"})
		got := found(t, cm, s, "Maria Gonzalez 1/2/1990")
		if strings.Join(got, " ") != "mine shared" {
			t.Errorf("case manager of o1 found %v, want [mine shared]", got)
		}
		if got := found(t, ctx, s, "Maria Gonzalez 1/2/1990"); len(got) != 3 {
			t.Errorf("the system found %v, want all three", got)
		}
	})
}

// TestStore_SearchClients_Index checks the index rows themselves: a
// client's keys are replaced on update and removed on delete, and the
// queue is empty after a search.
func TestStore_SearchClients_Index(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		var cs []hmis.Client
		for i := range 50 {
			cs = append(cs, searchClient(fmt.Sprintf("c%02d", i), "Ann", fmt.Sprintf("Name%c%c", 'a'+i%26, 'a'+i/26), "2000-01-01", ""))
		}
		if err := store.CreateRecords(ctx, s, cs); err != nil {
			t.Fatal(err)
		}
		n, err := s.RefreshClientSearch(ctx)
		if err != nil || n != 50 {
			t.Fatalf("refresh: %d, %v", n, err)
		}
		if n, err := s.RefreshClientSearch(ctx); err != nil || n != 0 {
			t.Fatalf("second refresh: %d, %v", n, err)
		}
		stats := func() store.ClientSearchStats {
			st, err := s.ClientSearchStats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		before := stats().Keys
		cs[0].DOB = hmis.MustDate("2001-02-03")
		if err := store.UpdateRecord(ctx, s, &cs[0]); err != nil {
			t.Fatal(err)
		}
		if n, err := s.RefreshClientSearch(ctx); err != nil || n != 1 {
			t.Fatalf("refresh after update: %d, %v", n, err)
		}
		if after := stats().Keys; after != before {
			t.Errorf("keys %d -> %d after changing a DOB", before, after)
		}
		if err := store.DeleteRecord[hmis.Client](ctx, s, "c00"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RefreshClientSearch(ctx); err != nil {
			t.Fatal(err)
		}
		if got := stats(); got.Indexed != 49 || got.Queued != 0 {
			t.Errorf("after a delete: %+v, want 49 indexed, none queued", got)
		}
		if got := found(t, ctx, s, "Ann Nameba 2000-01-01"); len(got) == 0 || got[0] != "c01" {
			t.Errorf("found %v", got)
		}
	})
}
