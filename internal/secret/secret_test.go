package secret_test

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/secret"
)

func TestLoad_CreatesKeyFile(t *testing.T) {
	dir := t.TempDir()
	k1, err := secret.Load("", dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, secret.FileName))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	k2, err := secret.Load("", dir)
	if err != nil {
		t.Fatal(err)
	}
	sealed := k1.Seal([]byte("JBSWY3DPEHPK3PXP"), []byte("totp:a1"))
	if got, err := k2.Open(sealed, []byte("totp:a1")); err != nil || string(got) != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("reloaded key: %q %v", got, err)
	}
	if _, err := k2.Open(sealed, []byte("totp:a2")); err == nil {
		t.Error("value opened for another row")
	}
	if strings.Contains(sealed, "JBSWY3DP") {
		t.Error("sealed value holds the plaintext")
	}
	os.Chmod(filepath.Join(dir, secret.FileName), 0o644)
	if _, err := secret.Load("", dir); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("world-readable key file: %v", err)
	}
}

func TestLoad_FromVariable(t *testing.T) {
	raw := bytes.Repeat([]byte{7}, 32)
	k, err := secret.Load(base64.StdEncoding.EncodeToString(raw), "")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := secret.New(bytes.Repeat([]byte{8}, 32))
	if _, err := other.Open(k.Seal([]byte("x"), nil), nil); err == nil {
		t.Error("opened with another key")
	}
	for _, bad := range []string{"not base64!", base64.StdEncoding.EncodeToString([]byte("short"))} {
		if _, err := secret.Load(bad, ""); err == nil {
			t.Errorf("key %q accepted", bad)
		}
	}
}

func TestDerive(t *testing.T) {
	raw := bytes.Repeat([]byte{7}, secret.KeySize)
	k, err := secret.New(raw)
	if err != nil {
		t.Fatal(err)
	}
	a, b := k.Derive("client search"), k.Derive("other")
	if len(a) != 32 || bytes.Equal(a, b) || bytes.Equal(a, raw) {
		t.Errorf("derived keys %x %x", a, b)
	}
	k2, _ := secret.New(raw)
	if !bytes.Equal(k2.Derive("client search"), a) {
		t.Error("the same key and label derive different keys")
	}
	other, _ := secret.New(bytes.Repeat([]byte{8}, secret.KeySize))
	if bytes.Equal(other.Derive("client search"), a) {
		t.Error("another key derives the same key")
	}
}
