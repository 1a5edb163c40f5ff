package store_test

import (
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/search"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// TestHiddenDuplicateExists: only a strong match (name with DOB, or the
// full SSN) with a client the actor may not see answers true; a visible
// client, a weak match or an administrator answers false.
func TestHiddenDuplicateExists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		a := storetest.MustOrganization(t, s, "Org A")
		b := storetest.MustOrganization(t, s, "Org B")
		add := func(id, first, last, dob, ssn, org string, r access.Restriction) {
			c := searchClient(id, first, last, dob, ssn)
			if err := store.CreateRecord(ctx, s, &c); err != nil {
				t.Fatal(err)
			}
			if err := storetest.Exec(s, `UPDATE clients SET organization_id = ? WHERE personal_id = ?`, org, id); err != nil {
				t.Fatal(err)
			}
			if err := s.SetClientRestriction(ctx, id, r); err != nil {
				t.Fatal(err)
			}
		}
		add("hid", "Theodora", "Vantongeren", "1984-02-11", "287654321", a, access.RestrictOrganization)
		add("glob", "Casimir", "Oyelaran", "1990-07-30", "", a, access.ShareGlobally)
		add("own", "Philippa", "Ashgrove", "1975-12-01", "", b, access.RestrictOrganization)
		asB := hmis.NewContext(t.Context(), hmis.Actor{Username: "cm-b", UserID: "u", OrganizationID: b, Role: hmis.RoleCaseManager, Via: "test"})
		asAdmin := hmis.NewContext(t.Context(), hmis.Actor{Username: "admin", UserID: "u", Role: hmis.RoleAdmin, Via: "test"})
		dob := hmis.MustDate
		for _, tc := range []struct {
			name string
			q    search.Query
			want bool
		}{
			{"name and DOB", search.Query{First: "Theodora", Last: "Vantongeren", DOB: dob("1984-02-11")}, true},
			{"typo, DOB day/month swapped", search.Query{First: "Theodora", Last: "Vantongren", DOB: dob("1984-11-02")}, true},
			{"full SSN alone", search.Query{SSN: "287654321", SSN4: "4321"}, true},
			{"name alone", search.Query{First: "Theodora", Last: "Vantongeren"}, false},
			{"last four and name", search.Query{First: "Theodora", Last: "Vantongeren", SSN4: "4321"}, false},
			{"DOB alone", search.Query{DOB: dob("1984-02-11")}, false},
			{"name with another DOB", search.Query{First: "Theodora", Last: "Vantongeren", DOB: dob("1961-05-23")}, false},
			{"globally shared (visible)", search.Query{First: "Casimir", Last: "Oyelaran", DOB: dob("1990-07-30")}, false},
			{"own organization (visible)", search.Query{First: "Philippa", Last: "Ashgrove", DOB: dob("1975-12-01")}, false},
			{"nobody", search.Query{First: "Zebulon", Last: "Nightingale", DOB: dob("2001-01-01")}, false},
		} {
			got, err := s.HiddenDuplicateExists(asB, tc.q)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if got != tc.want {
				t.Errorf("%s: HiddenDuplicateExists = %v, want %v", tc.name, got, tc.want)
			}
		}
		if got, err := s.HiddenDuplicateExists(asAdmin, search.Query{First: "Theodora", Last: "Vantongeren", DOB: dob("1984-02-11")}); err != nil || got {
			t.Errorf("administrator: %v, %v; want false (they see every client)", got, err)
		}
		// HiddenDuplicateExists itself writes no audit row.
		if es, err := s.FindAudit(ctx, store.AuditFilter{Action: "duplicate_hint"}); err != nil || len(es) != 0 {
			t.Errorf("audit rows after HiddenDuplicateExists: %d, %v", len(es), err)
		}

		// Release to B: the client is visible, so no notice.
		if _, err := s.AddRelease(ctx, store.NewRelease{PersonalID: "hid", Organizations: []string{b},
			Begin: hmis.DateOf(s.Now()).AddDays(-1), End: hmis.DateOf(s.Now()).AddDays(5), Witness: "W"}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetClientRestriction(ctx, "hid", access.ShareByRelease); err != nil {
			t.Fatal(err)
		}
		if got, err := s.HiddenDuplicateExists(asB, search.Query{SSN: "287654321"}); err != nil || got {
			t.Errorf("shared by release: %v, %v; want false", got, err)
		}
	})
}

// TestDuplicateHintRateLimit: each notice is one audit row with no
// client ID and no PII; after DuplicateHintLimit notices in the window
// the notice stops and one "duplicate_hint.limited" row says so.
func TestDuplicateHintRateLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		a := storetest.MustOrganization(t, s, "Org A")
		b := storetest.MustOrganization(t, s, "Org B")
		c := searchClient("hid", "Theodora", "Vantongeren", "1984-02-11", "")
		if err := store.CreateRecord(ctx, s, &c); err != nil {
			t.Fatal(err)
		}
		if err := storetest.Exec(s, `UPDATE clients SET organization_id = ? WHERE personal_id = 'hid'`, a); err != nil {
			t.Fatal(err)
		}
		asB := hmis.NewContext(t.Context(), hmis.Actor{Username: "cm-b", UserID: "u", AccountID: "acct-b", OrganizationID: b, Role: hmis.RoleCaseManager, Via: "test"})
		q := search.Query{First: "Theodora", Last: "Vantongeren", DOB: hmis.MustDate("1984-02-11")}
		for i := range store.DuplicateHintLimit + 3 {
			got, err := s.DuplicateHint(asB, q)
			if err != nil {
				t.Fatal(err)
			}
			if want := i < store.DuplicateHintLimit; got != want {
				t.Fatalf("notice %d: %v, want %v", i+1, got, want)
			}
		}
		hints, err := s.FindAudit(ctx, store.AuditFilter{Action: "duplicate_hint"})
		if err != nil {
			t.Fatal(err)
		}
		if len(hints) != store.DuplicateHintLimit {
			t.Errorf("%d duplicate_hint rows, want %d", len(hints), store.DuplicateHintLimit)
		}
		for _, e := range hints {
			if e.Entity != "client" || e.EntityID != "" || e.AccountID != "acct-b" {
				t.Errorf("audit row %+v: want entity client, no entity ID, the account", e)
			}
			for _, pii := range []string{"Theodora", "Vantongeren", "1984", "hid"} {
				if containsFold(e.Detail, pii) {
					t.Errorf("audit detail %q holds %q", e.Detail, pii)
				}
			}
		}
		limited, err := s.FindAudit(ctx, store.AuditFilter{Action: "duplicate_hint.limited"})
		if err != nil || len(limited) != 1 {
			t.Errorf("duplicate_hint.limited rows: %d, %v; want 1", len(limited), err)
		}
	})
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
