package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// TOTP (RFC 6238) with the parameters every authenticator app assumes:
// HMAC-SHA1, 30-second steps, 6 digits. A code is accepted for the step
// before and after the current one (clocks drift), and only once.
const (
	TOTPPeriod    = 30
	TOTPDigits    = 6
	totpSecretLen = 20 // 160 bits, RFC 4226's recommendation
)

// b32 is the base32 authenticator apps read: RFC 4648, no padding.
var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a random secret.
func NewTOTPSecret() []byte {
	b := make([]byte, totpSecretLen)
	rand.Read(b)
	return b
}

// EncodeTOTPSecret is the secret as people type it into an app.
func EncodeTOTPSecret(secret []byte) string { return b32.EncodeToString(secret) }

// GroupTOTPSecret writes the base32 secret in groups of four, for reading
// off a screen: "JBSW Y3DP EHPK 3PXP".
func GroupTOTPSecret(secret []byte) string {
	s := EncodeTOTPSecret(secret)
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

// TOTPURI is the otpauth:// URI an authenticator app imports (Google's
// Key URI format): issuer and account label, the secret and parameters.
func TOTPURI(issuer, account string, secret []byte) string {
	label := url.PathEscape(issuer + ":" + account)
	q := url.Values{}
	q.Set("secret", EncodeTOTPSecret(secret))
	q.Set("issuer", issuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", fmt.Sprint(TOTPDigits))
	q.Set("period", fmt.Sprint(TOTPPeriod))
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// TOTPStep is the time step t falls in.
func TOTPStep(t time.Time) int64 { return t.Unix() / TOTPPeriod }

// hotp is RFC 4226's HOTP: the dynamic truncation of HMAC-SHA1(secret,
// counter), as a zero-padded decimal of digits digits.
func hotp(secret []byte, counter uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, secret)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// TOTPCode is the code for a time step.
func TOTPCode(secret []byte, step int64) string { return hotp(secret, uint64(step), TOTPDigits) }

// TOTPResult is what MatchTOTP found.
type TOTPResult int

const (
	TOTPWrong  TOTPResult = iota // no step around now has this code
	TOTPReused                   // the code is right but was used already
	TOTPOK
)

// MatchTOTP looks for code among the steps around now and returns the
// step it belongs to. A code for a step at or before lastStep was used
// already: a code is good once. Every step is compared, in constant time.
func MatchTOTP(secret []byte, code string, now time.Time, lastStep int64) (int64, TOTPResult) {
	code = NormalizeCode(code)
	if len(code) != TOTPDigits {
		return 0, TOTPWrong
	}
	cur := TOTPStep(now)
	var found int64
	res := TOTPWrong
	for step := cur - 1; step <= cur+1; step++ {
		if subtle.ConstantTimeCompare([]byte(TOTPCode(secret, step)), []byte(code)) != 1 {
			continue
		}
		switch {
		case step > lastStep && res != TOTPOK:
			found, res = step, TOTPOK
		case step <= lastStep && res == TOTPWrong:
			res = TOTPReused
		}
	}
	return found, res
}

// IsTOTPCode reports whether s looks like a 6-digit code rather than a
// recovery code.
func IsTOTPCode(s string) bool {
	s = NormalizeCode(s)
	if len(s) != TOTPDigits {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// NormalizeCode drops the spaces and dashes people type or paste into
// codes, and lower-cases recovery codes.
func NormalizeCode(s string) string {
	return strings.ToLower(strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, s))
}

// RecoveryCodeCount is how many recovery codes an enrolment makes.
const RecoveryCodeCount = 10

// NewRecoveryCodes returns n one-time codes of 12 characters (60 bits)
// from an alphabet without look-alikes, written as xxxx-xxxx-xxxx.
func NewRecoveryCodes(n int) []string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789" // 31 characters
	out := make([]string, n)
	for i := range out {
		b := make([]byte, 12)
		for j := range b {
			var r [1]byte
			for {
				rand.Read(r[:])
				if int(r[0]) < 248 { // 248 = 8*31: no modulo bias
					break
				}
			}
			b[j] = alphabet[int(r[0])%len(alphabet)]
		}
		out[i] = string(b[0:4]) + "-" + string(b[4:8]) + "-" + string(b[8:12])
	}
	return out
}

// HashRecoveryCode is how a recovery code is stored: SHA-256 of its
// normalised form (the codes are random and long, so no slow hash is
// needed to make guessing from the hash hopeless).
func HashRecoveryCode(code string) string {
	sum := sha256.Sum256([]byte("hearth-recovery:" + NormalizeCode(code)))
	return hex.EncodeToString(sum[:])
}
