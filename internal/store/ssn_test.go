package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// storedSSN is clients.ssn as stored.
func storedSSN(t *testing.T, s *store.Store, id string) string {
	t.Helper()
	v, err := storetest.QueryString(s, `SELECT ssn FROM clients WHERE personal_id = ?`, id)
	if err != nil {
		t.Fatalf("read stored ssn: %v", err)
	}
	return v
}

// TestStore_SSNSealed: every write path stores the SSN sealed, every read
// path gives it back in clear, and the search finds clients by SSN from
// the digests computed at write time.
func TestStore_SSNSealed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		// CreateRecord, then UpdateRecord.
		c := searchClient("ssn1", "Rosalind", "Franklin", "1920-07-25", "536228814")
		if err := store.CreateRecord(ctx, s, &c); err != nil {
			t.Fatal(err)
		}
		// The bulk path (imports, seeding).
		if err := s.Batch(ctx, func(b *store.Batch) error {
			d := searchClient("ssn2", "Dorothy", "Hodgkin", "1910-05-12", "412559087")
			return store.Add(b, &d)
		}); err != nil {
			t.Fatal(err)
		}
		for id, ssn := range map[string]string{"ssn1": "536228814", "ssn2": "412559087"} {
			v := storedSSN(t, s, id)
			if !strings.HasPrefix(v, "s1:") || strings.Contains(v, ssn) || strings.Contains(v, ssn[5:]) {
				t.Errorf("%s: stored SSN %q is not sealed", id, v)
			}
			got, err := store.FindRecordByID[hmis.Client](ctx, s, id)
			if err != nil || got.SSN != ssn {
				t.Errorf("%s: read back %q (%v), want %s", id, got.SSN, err, ssn)
			}
		}
		c.SSN = "536228815"
		if err := store.UpdateRecord(ctx, s, &c); err != nil {
			t.Fatal(err)
		}
		if v := storedSSN(t, s, "ssn1"); strings.Contains(v, "536228815") || !strings.HasPrefix(v, "s1:") {
			t.Errorf("after update: stored %q", v)
		}
		if d, err := s.FindClientByID(ctx, "ssn1"); err != nil || d.SSN != "536228815" {
			t.Errorf("FindClientByID: %q %v", d.SSN, err)
		}

		// Search by the full SSN and by the last four: the index was
		// filed from the envelope's digests.
		if got := found(t, ctx, s, "536-22-8815"); len(got) == 0 || got[0] != "ssn1" {
			t.Errorf("search by SSN: %v", got)
		}
		if got := found(t, ctx, s, "Hodgkin 9087"); len(got) == 0 || got[0] != "ssn2" {
			t.Errorf("search by name and last four: %v", got)
		}

		// The export gives HUD the SSN in clear.
		exported := map[string]string{}
		if _, err := s.ExportRecords(ctx, store.ExportScope{}, func(rec any) error {
			if c, ok := rec.(*hmis.Client); ok {
				exported[c.PersonalID] = c.SSN
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if exported["ssn1"] != "536228815" || exported["ssn2"] != "412559087" {
			t.Errorf("exported SSNs %v", exported)
		}

		// A sealed SSN copied onto another client's row does not open.
		if err := storetest.Exec(s, `UPDATE clients SET ssn = (SELECT ssn FROM clients WHERE personal_id = 'ssn1') WHERE personal_id = 'ssn2'`); err != nil {
			t.Fatal(err)
		}
		if _, err := store.FindRecordByID[hmis.Client](ctx, s, "ssn2"); err == nil || strings.Contains(err.Error(), "536") {
			t.Errorf("copied envelope: %v", err)
		}
	})
}

// TestStore_SealSSNs: a database holding SSNs in clear (an older Hearth)
// is sealed once, searches find the clients again, and a start with
// another site key is refused.
func TestStore_SealSSNs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		for _, c := range []hmis.Client{
			searchClient("old1", "Barbara", "McClintock", "1902-06-16", "301447219"),
			searchClient("old2", "Lise", "Meitner", "1878-11-07", ""),
		} {
			if err := store.CreateRecord(ctx, s, &c); err != nil {
				t.Fatal(err)
			}
		}
		// As an older Hearth stored it: in clear, no seal recorded yet.
		if err := storetest.Exec(s, `UPDATE clients SET ssn = '301447219' WHERE personal_id = 'old1'`); err != nil {
			t.Fatal(err)
		}
		if err := storetest.Exec(s, `DELETE FROM settings WHERE key = 'ssn_sealed_with'`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RefreshClientSearch(ctx); err != nil {
			t.Fatal(err)
		}
		// Never read in clear by the indexer: not found by SSN yet.
		if got := found(t, ctx, s, "301-44-7219"); len(got) != 0 {
			t.Errorf("the indexer filed a clear SSN: %v", got)
		}
		n, err := s.SealSSNs(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("SealSSNs: %d, %v; want 1", n, err)
		}
		if v := storedSSN(t, s, "old1"); !strings.HasPrefix(v, "s1:") || strings.Contains(v, "7219") {
			t.Errorf("after sealing: %q", v)
		}
		if v := storedSSN(t, s, "old2"); v != "" {
			t.Errorf("an empty SSN became %q", v)
		}
		if got := found(t, ctx, s, "301-44-7219"); len(got) == 0 || got[0] != "old1" {
			t.Errorf("search by SSN after sealing: %v", got)
		}
		if n, err := s.SealSSNs(context.Background()); err != nil || n != 0 {
			t.Errorf("second SealSSNs: %d, %v", n, err)
		}
		audit, err := s.FindAudit(ctx, store.AuditFilter{Action: "ssn.seal"})
		if err != nil || len(audit) != 1 || !strings.HasPrefix(audit[0].Detail, "1 client SSNs sealed") {
			t.Errorf("audit %+v %v", audit, err)
		}
	})
}

// TestStore_SSNKeyRequired: without the site key no SSN is written, and a
// start with another key than the SSNs were sealed with is refused.
func TestStore_SSNKeyRequired(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.db")
	open := func(opts store.Options) *store.Store {
		opts.Path = path
		s, err := store.Open(t.Context(), opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := s.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open(store.Options{Key: storetest.Key(t)})
	ctx := storetest.Context(t)
	if _, err := s.SealSSNs(ctx); err != nil {
		t.Fatal(err)
	}
	c := searchClient("k1", "Chien-Shiung", "Wu", "1912-05-31", "223456781")
	if err := store.CreateRecord(ctx, s, &c); err != nil {
		t.Fatal(err)
	}
	s.Close()

	other := open(store.Options{Key: storetest.Key(t)})
	if _, err := other.SealSSNs(ctx); err == nil || !strings.Contains(err.Error(), "another site key") {
		t.Errorf("another key: %v", err)
	}
	if _, err := store.FindRecordByID[hmis.Client](ctx, other, "k1"); err == nil {
		t.Error("another key opened the SSN")
	}
	other.Close()

	none := open(store.Options{})
	d := searchClient("k2", "Emmy", "Noether", "1882-03-23", "323456782")
	if err := store.CreateRecord(ctx, none, &d); err == nil {
		t.Error("an SSN was written without the site key")
	}
	d.SSN = ""
	if err := store.CreateRecord(ctx, none, &d); err != nil {
		t.Errorf("a client without an SSN, without the key: %v", err)
	}
}

// TestStore_RevealSSN: the full SSN is revealed only to the roles the
// site's rule lists (and administrators), for clients they may see, and
// each reveal is audited on the client.
func TestStore_RevealSSN(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		for _, o := range []string{"A", "B"} {
			if err := store.CreateRecord(ctx, s, &hmis.Organization{OrganizationID: o, OrganizationName: o}); err != nil {
				t.Fatal(err)
			}
		}
		c := searchClient("rv1", "Katherine", "Johnson", "1918-08-26", "224567890")
		if err := store.CreateRecord(ctx, s, &c); err != nil {
			t.Fatal(err)
		}
		if err := storetest.Exec(s, `UPDATE clients SET organization_id = 'A' WHERE personal_id = 'rv1'`); err != nil {
			t.Fatal(err)
		}
		as := func(org string, role hmis.Role) context.Context {
			return hmis.NewContext(t.Context(), hmis.Actor{Username: string(role) + org, OrganizationID: org, Role: role, Via: "test"})
		}
		cmA, roA, cmB := as("A", hmis.RoleCaseManager), as("A", hmis.RoleReadOnly), as("B", hmis.RoleCaseManager)
		if got, err := s.RevealSSN(cmA, "rv1"); err != nil || got != "224567890" {
			t.Errorf("case manager of A: %q %v", got, err)
		}
		if _, err := s.RevealSSN(roA, "rv1"); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("read-only of A: %v", err)
		}
		if _, err := s.RevealSSN(cmB, "rv1"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("case manager of B (hidden client): %v", err)
		}
		if _, err := s.RevealSSN(context.Background(), "rv1"); err == nil {
			t.Error("no actor")
		}
		// Case managers lose the permission; administrators keep it.
		if _, err := s.SetFullSSNRole(cmA, hmis.RoleCaseManager, false); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("a case manager changes the rule: %v", err)
		}
		roles, err := s.SetFullSSNRole(ctx, hmis.RoleCaseManager, false)
		if err != nil || len(roles) != 1 || roles[0] != hmis.RoleOrgAdmin {
			t.Fatalf("rule %v %v", roles, err)
		}
		if may, err := s.MayRevealSSN(cmA, "rv1"); err != nil || may {
			t.Errorf("case manager after the change: %v %v", may, err)
		}
		if got, err := s.RevealSSN(ctx, "rv1"); err != nil || got != "224567890" {
			t.Errorf("administrator: %q %v", got, err)
		}
		if _, err := s.SetFullSSNRole(ctx, hmis.RoleOrgAdmin, false); err != nil {
			t.Fatal(err)
		}
		if roles, err := s.FullSSNRoles(ctx); err != nil || len(roles) != 0 {
			t.Errorf("no role: %v %v", roles, err)
		}
		audit, err := s.FindAudit(ctx, store.AuditFilter{Action: "ssn.reveal", EntityID: "rv1"})
		if err != nil || len(audit) != 2 {
			t.Errorf("%d ssn.reveal audit rows (%v), want 2", len(audit), err)
		}
		for _, a := range audit {
			if strings.Contains(a.Detail, "4567") {
				t.Errorf("the SSN in the audit detail")
			}
		}
	})
}
