// Package auth signs people in: argon2id password hashes, the lockout
// after repeated failures, and session tokens. Sessions themselves are
// stored (and revocable) in the store.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// argon2id parameters: OWASP's minimum (19 MiB, 2 passes, 1 lane), chosen
// so a sign-in stays quick on an old laptop serving a busy agency.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// MinPasswordLength follows NIST SP 800-63B for passwords chosen by people.
const MinPasswordLength = 12

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("auth: malformed password hash")

// VerifyPassword reports whether password matches the PHC-format hash,
// in constant time. The parameters are read from the hash, so hashes made
// with older parameters keep working.
func VerifyPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// CheckPasswordPolicy says what is wrong with a new password, if anything:
// too short, too long, or common (IsCommonPassword).
func CheckPasswordPolicy(password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The password is too short.",
			Fields: map[string]string{"password": fmt.Sprintf("Use at least %d characters.", MinPasswordLength)}}
	}
	if utf8.RuneCountInString(password) > 256 {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The password is too long.",
			Fields: map[string]string{"password": "Use at most 256 characters."}}
	}
	if IsCommonPassword(password) {
		return errCommonPassword
	}
	return nil
}

// NewToken returns a random 256-bit token, URL-safe, for sessions and feeds.
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewPassword returns a random password of n characters from an alphabet
// without look-alikes (no 0/O, 1/l/I), for demo accounts.
func NewPassword(n int) string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
