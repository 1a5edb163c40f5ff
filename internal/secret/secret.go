// Package secret holds the site key: the 32-byte AES key that seals
// secrets at rest (TOTP secrets now; SSNs and other sensitive fields in
// issue 6 item 7). The key comes from HEARTH_SECRET_KEY (base64 of 32
// bytes) or, when that is unset, from the file secret.key in the data
// folder, created with 0600 permissions on first use. Sealed values are
// AES-256-GCM with a random nonce and bound to what they belong to (the
// additional data, e.g. "totp:" + account ID), so a sealed value copied
// onto another row does not open.
//
// The key is never written to the database, to backups made of it or to
// exports: keep secret.key (or the variable) apart from the database
// backups, and back it up on its own: without it sealed values are lost.
package secret

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// EnvVar is the variable that supplies the key as base64.
const EnvVar = "HEARTH_SECRET_KEY"

// FileName is the key file in the data folder.
const FileName = "secret.key"

// KeySize is the key length in bytes (AES-256).
const KeySize = 32

// Key seals and opens values.
type Key struct {
	aead cipher.AEAD
	raw  []byte // for Derive only
}

// New returns a Key for 32 raw bytes.
func New(raw []byte) (*Key, error) {
	if len(raw) != KeySize {
		return nil, fmt.Errorf("secret: the key must be %d bytes, not %d", KeySize, len(raw))
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Key{aead: aead, raw: bytes.Clone(raw)}, nil
}

// Derive returns a 32-byte key for another purpose, named by label (e.g.
// the client search's SSN digests), as HMAC-SHA256(key, label): knowing
// a derived key tells nothing of the site key or of other derived keys.
func (k *Key) Derive(label string) []byte {
	m := hmac.New(sha256.New, k.raw)
	m.Write([]byte("hearth derive\x00" + label))
	return m.Sum(nil)
}

// Parse reads a key written as base64 (standard or URL alphabet, padded
// or not), as in HEARTH_SECRET_KEY.
func Parse(b64 string) (*Key, error) {
	b64 = strings.TrimSpace(b64)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw, err := enc.DecodeString(b64); err == nil {
			if len(raw) != KeySize {
				return nil, fmt.Errorf("%s must be %d bytes in base64, not %d bytes (make one with: openssl rand -base64 32)", EnvVar, KeySize, len(raw))
			}
			return New(raw)
		}
	}
	return nil, fmt.Errorf("%s is not base64 (make one with: openssl rand -base64 32)", EnvVar)
}

// Load returns the site key: from envValue (HEARTH_SECRET_KEY) when set,
// else from dataDir/secret.key, which is created with a new random key
// and 0600 permissions when it does not exist. A key file others can read
// is refused.
func Load(envValue, dataDir string) (*Key, error) {
	if envValue != "" {
		return Parse(envValue)
	}
	if dataDir == "" {
		return nil, errors.New("secret: no data folder for secret.key")
	}
	path := filepath.Join(dataDir, FileName)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return create(path)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the key file %s: %w", path, err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("the key file %s can be read by others (mode %v): chmod 600 it", path, fi.Mode().Perm())
	}
	k, err := Parse(string(b))
	if err != nil {
		return nil, fmt.Errorf("the key file %s: %w", path, err)
	}
	return k, nil
}

// create writes a new random key to path, unless another process got
// there first, in which case that key is read.
func create(path string) (*Key, error) {
	raw := make([]byte, KeySize)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return Parse(string(b))
	}
	if err != nil {
		return nil, fmt.Errorf("cannot create the key file %s: %w", path, err)
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(raw) + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("cannot write the key file %s: %w", path, err)
	}
	return New(raw)
}

// sealedPrefix marks the format of a sealed value, so it can change.
const sealedPrefix = "v1:"

// Seal encrypts plaintext bound to ad and returns it as text.
func (k *Key) Seal(plaintext, ad []byte) string {
	nonce := make([]byte, k.aead.NonceSize())
	rand.Read(nonce)
	out := k.aead.Seal(nonce, nonce, plaintext, ad)
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out)
}

// ErrOpen is the answer to a sealed value that does not open: another
// key, another row's value, or altered bytes.
var ErrOpen = errors.New("secret: the value cannot be opened with this key (was HEARTH_SECRET_KEY or secret.key changed?)")

// Open decrypts a value made by Seal with the same ad.
func (k *Key) Open(sealed string, ad []byte) ([]byte, error) {
	rest, ok := strings.CutPrefix(sealed, sealedPrefix)
	if !ok {
		return nil, ErrOpen
	}
	b, err := base64.RawStdEncoding.DecodeString(rest)
	if err != nil || len(b) < k.aead.NonceSize() {
		return nil, ErrOpen
	}
	n := k.aead.NonceSize()
	out, err := k.aead.Open(nil, b[:n], b[n:], ad)
	if err != nil {
		return nil, ErrOpen
	}
	return out, nil
}

// Generate returns a new random key and its base64 form (as
// HEARTH_SECRET_KEY and secret.key hold it), for key rotation.
func Generate() (*Key, string, error) {
	raw := make([]byte, KeySize)
	if _, err := rand.Read(raw); err != nil {
		return nil, "", err
	}
	k, err := New(raw)
	if err != nil {
		return nil, "", err
	}
	return k, base64.StdEncoding.EncodeToString(raw), nil
}

// ReadFile reads a key written as base64 from path (a new key given to
// key rotation); a file others can read is refused, as for secret.key.
func ReadFile(path string) (*Key, string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("cannot read the key file %s: %w", path, err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, "", fmt.Errorf("the key file %s can be read by others (mode %v): chmod 600 it", path, fi.Mode().Perm())
	}
	k, err := Parse(string(b))
	if err != nil {
		return nil, "", fmt.Errorf("the key file %s: %w", path, err)
	}
	return k, strings.TrimSpace(string(b)), nil
}

// WriteFile writes a key's base64 form to path with 0600 permissions,
// synced to disk; the file must not exist yet.
func WriteFile(path, b64 string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("cannot create the key file %s: %w", path, err)
	}
	_, err = f.WriteString(b64 + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("cannot write the key file %s: %w", path, err)
	}
	return nil
}
