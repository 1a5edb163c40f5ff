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
