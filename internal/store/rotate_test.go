package store_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/secret"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func newTestKey(t *testing.T) *secret.Key {
	raw := make([]byte, secret.KeySize)
	rand.Read(raw)
	k, err := secret.New(raw)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestStore_SensitiveFieldSealed: a sensitive field's value is sealed in
// the database row (no plaintext), bound to its client and field (copied
// to another client it does not open), masked by ClientFieldValues and
// opened only by RevealSensitiveFields, which is audited.
func TestStore_SensitiveFieldSealed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		for _, c := range []hmis.Client{searchClient("sf1", "Ada", "Lovelace", "1815-12-10", ""), searchClient("sf2", "Mary", "Somerville", "1780-12-26", "")} {
			if err := store.CreateRecord(ctx, s, &c); err != nil {
				t.Fatal(err)
			}
		}
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(s.SaveClientFieldDef(ctx, store.ClientFieldDef{ID: "diagnosis", Label: "Diagnosis", Kind: store.FieldText, Position: 9, Active: true, Sensitive: true}))
		must(s.SetClientFieldValues(ctx, "sf1", map[string]string{"diagnosis": "Analytical engine fever"}))
		must(s.SetClientFieldValues(ctx, "sf2", map[string]string{"diagnosis": "Something else"}))
		raw, err := storetest.QueryString(s, `SELECT value FROM client_field_values WHERE personal_id = 'sf1' AND field_id = 'diagnosis'`)
		if err != nil || !strings.HasPrefix(raw, "f1:") || strings.Contains(strings.ToLower(raw), "engine") {
			t.Fatalf("raw row %q (%v): want it sealed", raw, err)
		}
		v, err := s.ClientFieldValues(ctx, "sf1")
		if err != nil || v["diagnosis"] != store.SensitiveFieldMask {
			t.Errorf("ClientFieldValues %v %v", v, err)
		}
		// The masked value sent back keeps the stored one.
		must(s.SetClientFieldValues(ctx, "sf1", map[string]string{"diagnosis": store.SensitiveFieldMask}))
		got, err := s.RevealSensitiveFields(ctx, "sf1")
		if err != nil || got["diagnosis"] != "Analytical engine fever" {
			t.Errorf("reveal %v %v", got, err)
		}
		// Copied onto another client: does not open.
		must(storetest.Exec(s, `UPDATE client_field_values SET value = ? WHERE personal_id = 'sf2'`, raw))
		if _, err := s.RevealSensitiveFields(ctx, "sf2"); err == nil {
			t.Error("a value copied to another client opened")
		}
		must(storetest.Exec(s, `DELETE FROM client_field_values WHERE personal_id = 'sf2'`))
		// A read-only user (no permission by default) is refused.
		ro := hmis.NewContext(t.Context(), hmis.Actor{Username: "ro", Role: hmis.RoleReadOnly, Via: "test"})
		if _, err := s.RevealSensitiveFields(ro, "sf1"); hmis.ErrorCode(err) != hmis.ENOTFOUND && hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("read-only: %v", err)
		}
		rows, err := s.FindAudit(ctx, store.AuditFilter{Action: "field.reveal", EntityID: "sf1"})
		if err != nil || len(rows) != 1 || rows[0].Detail != "fields: Diagnosis" {
			t.Errorf("audit %+v %v", rows, err)
		}
	})
}

// TestStore_RotateKey: SSNs, sensitive field values and TOTP secrets
// sealed under key 1 read back after rotating to key 2, key 1 no longer
// opens them, the search still finds the client by SSN, and the rotation
// is audited once; a second rotation to the same key is a no-op.
func TestStore_RotateKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		// storetest's key is not known here: rotate to a known key 1 first.
		key1 := newTestKey(t)
		if _, err := s.RotateKey(ctx, key1); err != nil {
			t.Fatal(err)
		}
		c := searchClient("rk1", "Grace", "Hopper", "1906-12-09", "301447219")
		must(store.CreateRecord(ctx, s, &c))
		must(s.SaveClientFieldDef(ctx, store.ClientFieldDef{ID: "nickname", Label: "Nickname", Kind: store.FieldText, Position: 9, Active: true, Sensitive: true}))
		must(s.SetClientFieldValues(ctx, "rk1", map[string]string{"nickname": "Amazing Grace"}))
		must(store.CreateRecord(ctx, s, &hmis.Organization{OrganizationID: "O", OrganizationName: "O"}))
		acct, err := s.CreateAccount(ctx, hmis.Account{Username: "totpuser", Role: hmis.RoleCaseManager, OrganizationID: "O"}, "hash")
		must(err)
		must(s.BeginTOTP(ctx, acct.ID, key1.Seal([]byte("JBSWY3DPEHPK3PXP"), []byte("totp:"+acct.ID))))
		if _, err := s.SealSSNs(context.Background()); err != nil {
			t.Fatal(err)
		}
		oldFP := s.KeyFingerprint()

		key2 := newTestKey(t)
		if _, err := s.RotateKey(hmis.NewContext(t.Context(), hmis.Actor{Username: "cm", Role: hmis.RoleCaseManager}), key2); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("a case manager rotates: %v", err)
		}
		n, err := s.RotateKey(ctx, key2)
		if err != nil || n.SSNs != 1 || n.Fields != 1 || n.TOTP != 1 || n.Already {
			t.Fatalf("rotate: %+v %v", n, err)
		}
		if s.KeyFingerprint() == oldFP {
			t.Error("the store still uses the old key")
		}
		// Key 2 opens, key 1 does not.
		ssn, err := storetest.QueryString(s, `SELECT ssn FROM clients WHERE personal_id = 'rk1'`)
		must(err)
		parts := strings.SplitN(strings.TrimPrefix(ssn, "s1:"), ":", 3)
		if len(parts) != 3 {
			t.Fatalf("stored SSN %q", ssn)
		}
		if _, err := key1.Open(parts[2], []byte("ssn:rk1")); err == nil {
			t.Error("key 1 still opens the SSN")
		}
		if b, err := key2.Open(parts[2], []byte("ssn:rk1")); err != nil || string(b) != "301447219" {
			t.Errorf("key 2 opens the SSN: %q %v", b, err)
		}
		field, err := storetest.QueryString(s, `SELECT value FROM client_field_values WHERE personal_id = 'rk1'`)
		must(err)
		if _, err := key1.Open(strings.TrimPrefix(field, "f1:"), []byte("field:rk1\x00nickname")); err == nil {
			t.Error("key 1 still opens the field")
		}
		tf, err := s.FindTwoFactor(ctx, acct.ID)
		must(err)
		if _, err := key1.Open(tf.Sealed, []byte("totp:"+acct.ID)); err == nil {
			t.Error("key 1 still opens the TOTP secret")
		}
		if b, err := key2.Open(tf.Sealed, []byte("totp:"+acct.ID)); err != nil || string(b) != "JBSWY3DPEHPK3PXP" {
			t.Errorf("key 2 opens the TOTP secret: %q %v", b, err)
		}
		// Read back through the store.
		got, err := store.FindRecordByID[hmis.Client](ctx, s, "rk1")
		if err != nil || got.SSN != "301447219" {
			t.Errorf("client after rotation: %q %v", got.SSN, err)
		}
		vals, err := s.RevealSensitiveFields(ctx, "rk1")
		if err != nil || vals["nickname"] != "Amazing Grace" {
			t.Errorf("field after rotation: %v %v", vals, err)
		}
		if ids := found(t, ctx, s, "301-44-7219"); len(ids) == 0 || ids[0] != "rk1" {
			t.Errorf("search by SSN after rotation: %v", ids)
		}
		// The start check now wants key 2.
		if _, err := s.SealSSNs(context.Background()); err != nil {
			t.Errorf("SealSSNs under key 2: %v", err)
		}
		// Resumed: already under key 2.
		if n, err := s.RotateKey(ctx, key2); err == nil && !n.Already {
			t.Errorf("second rotation to the same key: %+v", n)
		}
		rows, err := s.FindAudit(ctx, store.AuditFilter{Action: "key.rotate"})
		if err != nil || len(rows) != 2 || !strings.Contains(rows[0].Detail+rows[1].Detail, "1 SSNs, 1 sensitive field values, 1 two-factor secrets") {
			t.Errorf("audit %+v %v", rows, err)
		}
		if len(rows) > 0 && strings.Contains(rows[0].Detail, "7219") {
			t.Error("PII in the audit")
		}
	})
}

// piiTinyPNG is a 2x2 PNG.
func piiTinyPNG(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
