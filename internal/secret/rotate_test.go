package secret

import (
	"os"
	"path/filepath"
	"testing"
)

// TestGenerateWriteRead: a generated key written with WriteFile (0600,
// never over an existing file) reads back as the same key; a key file
// others can read is refused.
func TestGenerateWriteRead(t *testing.T) {
	k, b64, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "new.key")
	if err := WriteFile(path, b64); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v", fi.Mode().Perm(), err)
	}
	if err := WriteFile(path, b64); err == nil {
		t.Error("WriteFile overwrote an existing key file")
	}
	k2, got, err := ReadFile(path)
	if err != nil || got != b64 {
		t.Fatalf("ReadFile %q %v", got, err)
	}
	sealed := k.Seal([]byte("x"), []byte("ad"))
	if b, err := k2.Open(sealed, []byte("ad")); err != nil || string(b) != "x" {
		t.Errorf("the key read back does not open: %v", err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ReadFile(path); err == nil {
		t.Error("a key file others can read was accepted")
	}
}
