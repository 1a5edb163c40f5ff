package search

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// NormalizeSSN reads an SSN as typed or stored: nine digits (dashes and
// spaces ignored) give full; a masked or partial SSN whose last four
// characters are digits (xxx-xx-6789, 123xx6789, ***-**-6789) and four
// digits alone give last four only. Anything else gives nothing.
func NormalizeSSN(s string) (full, last4 string) {
	var b strings.Builder
	masked := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == 'x' || r == 'X' || r == '*' || r == '#':
			b.WriteByte('x')
			masked = true
		case r == '-' || r == ' ':
		default:
			return "", ""
		}
	}
	d := b.String()
	switch {
	case len(d) == 9 && !masked:
		return d, d[5:]
	case len(d) == 4 && !masked:
		return "", d
	case masked && len(d) >= 4 && !strings.Contains(d[len(d)-4:], "x"):
		return "", d[len(d)-4:]
	}
	return "", ""
}

// Digester computes the keyed blind index of SSNs: HMAC-SHA256 under the
// site's key, truncated to 128 bits, hex. The same SSN always gives the
// same digest on a site and an unrelated one on another; without the key
// a digest cannot be checked against guesses.
type Digester struct{ key []byte }

// NewDigester returns a Digester for the site key.
func NewDigester(key []byte) Digester { return Digester{key: key} }

func (d Digester) sum(kind, s string) string {
	m := hmac.New(sha256.New, d.key)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// Digests returns the digests of an SSN as stored (see NormalizeSSN):
// of the full nine digits ("" when not known) and of the last four (""
// when not known).
func (d Digester) Digests(ssn string) (full, last4 string) {
	f, l := NormalizeSSN(ssn)
	if f != "" {
		full = d.sum("ssn", f)
	}
	if l != "" {
		last4 = d.sum("ssn4", l)
	}
	return full, last4
}

// transpositions returns the nine-digit SSNs that differ from s by two
// adjacent digits swapped.
func transpositions(s string) []string {
	var out []string
	b := []byte(s)
	for i := 0; i+1 < len(b); i++ {
		if b[i] == b[i+1] {
			continue
		}
		b[i], b[i+1] = b[i+1], b[i]
		out = append(out, string(b))
		b[i], b[i+1] = b[i+1], b[i]
	}
	return out
}

// SSNMatch is how a typed SSN compares with a recorded one.
type SSNMatch int

// SSN comparison outcomes.
const (
	SSNNone       SSNMatch = iota // nothing to compare
	SSNExact                      // all nine digits
	SSNTransposed                 // two adjacent digits transposed
	SSNLastFour                   // the last four agree, nothing more is known
	SSNDiffers                    // known on both sides and different
)

var ssnLabel = map[SSNMatch]string{
	SSNExact: "SSN match", SSNTransposed: "SSN two digits transposed", SSNLastFour: "SSN last four match",
	SSNDiffers: "SSN differs",
}

// ssnQuery holds the digests of a typed SSN.
type ssnQuery struct {
	full       string   // digest of the nine digits
	transposed []string // digests of its adjacent transpositions
	last4      string   // digest of the last four
}

func (d Digester) query(full, last4 string) ssnQuery {
	var q ssnQuery
	if full != "" {
		q.full = d.sum("ssn", full)
		for _, t := range transpositions(full) {
			q.transposed = append(q.transposed, d.sum("ssn", t))
		}
	}
	if last4 != "" {
		q.last4 = d.sum("ssn4", last4)
	}
	return q
}

// compare compares the typed SSN with a record's digests.
func (q ssnQuery) compare(full, last4 string) SSNMatch {
	if q.full == "" && q.last4 == "" {
		return SSNNone
	}
	if q.full != "" && full != "" {
		if q.full == full {
			return SSNExact
		}
		for _, t := range q.transposed {
			if t == full {
				return SSNTransposed
			}
		}
		return SSNDiffers
	}
	if q.last4 != "" && last4 != "" {
		if q.last4 == last4 {
			return SSNLastFour
		}
		return SSNDiffers
	}
	return SSNNone
}
