package auth

import (
	"testing"
	"time"
)

// TestHOTP_RFC6238 checks the SHA-1 test vectors of RFC 6238 appendix B
// (8 digits, secret "12345678901234567890", 30-second steps).
func TestHOTP_RFC6238(t *testing.T) {
	secret := []byte("12345678901234567890")
	for _, tc := range []struct {
		unix int64
		want string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	} {
		step := TOTPStep(time.Unix(tc.unix, 0))
		if got := hotp(secret, uint64(step), 8); got != tc.want {
			t.Errorf("T=%d: %s, want %s", tc.unix, got, tc.want)
		}
		// The 6-digit code is the same truncation, modulo 10^6.
		if got := TOTPCode(secret, step); got != tc.want[2:] {
			t.Errorf("T=%d 6 digits: %s, want %s", tc.unix, got, tc.want[2:])
		}
	}
}

// TestHOTP_RFC4226 checks RFC 4226 appendix D.
func TestHOTP_RFC4226(t *testing.T) {
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for i, w := range want {
		if got := hotp([]byte("12345678901234567890"), uint64(i), 6); got != w {
			t.Errorf("count %d: %s, want %s", i, got, w)
		}
	}
}
