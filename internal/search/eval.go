package search

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// This file makes evaluation data: realistic corruptions of real records,
// as intake staff and clients produce them. The labelled set
// (testdata/labelled.csv) and `hearth bench search` both use it, so the
// rates below are the ones every reported number is measured with.

// Person is a client as typed at intake, SSN in clear (evaluation only).
type Person struct {
	ID                  string
	First, Middle, Last string
	DOB                 hmis.Date
	SSN                 string // nine digits, a masked partial, or ""
}

// Corruption rates of a search query or an intake record (each applied
// independently, in this order).
const (
	RateNickname    = 0.20 // first name replaced by a nickname (or the formal name), when the name has one
	RateFirstTypo   = 0.15 // one keyboard slip in the first name (substitution, deletion, insertion or transposition)
	RateLastTypo    = 0.25 // one slip in the surname
	RateHyphen      = 0.50 // of multi-part surnames: one part only, or parts joined by a hyphen instead of a space
	RateSwapped     = 0.15 // name typed surname first, no comma
	RateLastComma   = 0.20 // "Last, First"
	RateDOBTyped    = 0.70 // a search query gives the DOB (others give an SSN or its last four)
	RateDOBSwap     = 0.08 // DOB day and month swapped (only where both are 12 or less)
	RateDOBDigit    = 0.07 // one digit of the DOB slipped
	RateDOBYear     = 0.05 // DOB year off by one
	RateSSNFull     = 0.35 // of queries without a DOB, and of intakes: the full SSN (others: the last four)
	RateSSNTranspos = 0.20 // of full SSNs: two adjacent digits transposed
	RateAccents     = 0.50 // accents dropped and case lowered
)

// Case is one evaluation query with its truth.
type Case struct {
	Text        string   // the search box
	Kinds       []string // the corruptions applied ("nickname", "last typo", ...)
	Intake      Query    // the same person as a full intake record (duplicate check)
	IntakeKinds []string
}

// Corrupt returns a search query and an intake record for p, corrupted
// at the rates above. ok is false when p has neither a usable DOB nor an
// SSN (nothing a user could tell them apart by) or no name.
func Corrupt(r *rand.Rand, p Person) (c Case, ok bool) {
	full, last4 := NormalizeSSN(p.SSN)
	if p.First == "" || p.Last == "" || (p.DOB.IsZero() && last4 == "") {
		return c, false
	}
	first, firstKinds := corruptFirst(r, p.First)
	last, lastKinds := corruptLast(r, p.Last)
	kinds := append(firstKinds, lastKinds...)
	if r.Float64() < RateAccents {
		first, last = strings.ToLower(Fold(first)), strings.ToLower(Fold(last))
	}
	var words []string
	switch x := r.Float64(); {
	case x < RateSwapped:
		words = []string{last, first}
		kinds = append(kinds, "swapped names")
	case x < RateSwapped+RateLastComma:
		words = []string{last + ",", first}
		kinds = append(kinds, "last, first")
	default:
		words = []string{first, last}
	}
	dob, dobKinds := corruptDOB(r, p.DOB)
	if !p.DOB.IsZero() && (last4 == "" || r.Float64() < RateDOBTyped) {
		words = append(words, formatDOB(r, dob))
		kinds = append(kinds, dobKinds...)
	} else {
		ssn, k := corruptSSN(r, full, last4)
		words = append(words, ssn)
		kinds = append(kinds, k)
	}
	c.Text = strings.Join(words, " ")
	c.Kinds = kinds

	// The intake: the whole record typed again, with its own slips.
	f2, k1 := corruptFirst(r, p.First)
	l2, k2 := corruptLast(r, p.Last)
	d2, k3 := corruptDOB(r, p.DOB)
	c.IntakeKinds = append(append(k1, k2...), k3...)
	c.Intake = Query{First: f2, Last: l2, DOB: d2}
	if r.Float64() < RateSwapped {
		c.Intake.First, c.Intake.Last = c.Intake.Last, c.Intake.First
		c.IntakeKinds = append(c.IntakeKinds, "swapped names")
	}
	if full != "" {
		s, k := full, "SSN"
		if r.Float64() < RateSSNTranspos {
			s, k = transposeDigits(r, full), "SSN transposed"
		}
		c.Intake.SSN, c.Intake.SSN4 = s, s[5:]
		c.IntakeKinds = append(c.IntakeKinds, k)
	} else if last4 != "" {
		c.Intake.SSN4 = last4
		c.IntakeKinds = append(c.IntakeKinds, "SSN last four")
	}
	return c, true
}

func corruptFirst(r *rand.Rand, s string) (string, []string) {
	var kinds []string
	if r.Float64() < RateNickname {
		if ns := Nicknames(Fold(s)); len(ns) > 0 {
			s = title(ns[r.IntN(len(ns))])
			kinds = append(kinds, "nickname")
		}
	}
	if r.Float64() < RateFirstTypo && len(s) >= 4 {
		s = typo(r, s)
		kinds = append(kinds, "first typo")
	}
	return s, kinds
}

func corruptLast(r *rand.Rand, s string) (string, []string) {
	var kinds []string
	if parts := strings.FieldsFunc(s, func(c rune) bool { return c == ' ' || c == '-' }); len(parts) == 2 && r.Float64() < RateHyphen {
		if r.IntN(2) == 0 {
			s = parts[r.IntN(2)]
			kinds = append(kinds, "one part of surname")
		} else {
			s = parts[0] + "-" + parts[1]
			kinds = append(kinds, "hyphenated surname")
		}
	}
	if r.Float64() < RateLastTypo && len(s) >= 4 {
		s = typo(r, s)
		kinds = append(kinds, "last typo")
	}
	return s, kinds
}

func corruptDOB(r *rand.Rand, d hmis.Date) (hmis.Date, []string) {
	if d.IsZero() {
		return d, nil
	}
	y, m, day := d.Time().Date()
	x := r.Float64()
	switch {
	case x < RateDOBSwap:
		if day <= 12 && day != int(m) {
			return hmis.NewDate(y, time.Month(day), int(m)), []string{"DOB day/month swapped"}
		}
	case x < RateDOBSwap+RateDOBDigit:
		b := []byte(d.Format("20060102"))
		for range 20 {
			i := 2 + r.IntN(6)
			old := b[i]
			b[i] = byte('0' + r.IntN(10))
			if t, err := time.Parse("20060102", string(b)); err == nil && b[i] != old && t.Year() <= time.Now().Year() {
				return hmis.DateOf(t), []string{"DOB digit slip"}
			}
			b[i] = old
		}
	case x < RateDOBSwap+RateDOBDigit+RateDOBYear:
		return d.AddDate(1-2*r.IntN(2), 0, 0), []string{"DOB year off by one"}
	}
	return d, nil
}

func corruptSSN(r *rand.Rand, full, last4 string) (string, string) {
	if full != "" && r.Float64() < RateSSNFull {
		if r.Float64() < RateSSNTranspos {
			s := transposeDigits(r, full)
			return s[:3] + "-" + s[3:5] + "-" + s[5:], "SSN transposed"
		}
		return full[:3] + "-" + full[3:5] + "-" + full[5:], "SSN"
	}
	return last4, "SSN last four"
}

func transposeDigits(r *rand.Rand, s string) string {
	b := []byte(s)
	for range 20 {
		i := r.IntN(len(b) - 1)
		if b[i] != b[i+1] {
			b[i], b[i+1] = b[i+1], b[i]
			return string(b)
		}
	}
	return s
}

// formatDOB writes d the ways users do: 10/9/1940, 1940-10-09, 9 Oct 1940.
func formatDOB(r *rand.Rand, d hmis.Date) string {
	switch r.IntN(3) {
	case 0:
		return d.Format("1/2/2006")
	case 1:
		return d.Format("2006-01-02")
	}
	return d.Format("2 Jan 2006")
}

// neighbours are the keys next to each letter on a US keyboard.
var neighbours = map[byte]string{
	'a': "qwsz", 'b': "vghn", 'c': "xdfv", 'd': "serfcx", 'e': "wsdr", 'f': "drtgvc", 'g': "ftyhbv", 'h': "gyujnb",
	'i': "ujko", 'j': "huikmn", 'k': "jiolm", 'l': "kop", 'm': "njk", 'n': "bhjm", 'o': "iklp", 'p': "ol",
	'q': "wa", 'r': "edft", 's': "awedxz", 't': "rfgy", 'u': "yhji", 'v': "cfgb", 'w': "qase", 'x': "zsdc",
	'y': "tghu", 'z': "asx",
}

// typo makes one slip in s: a neighbouring key, a dropped or doubled
// letter, or two letters transposed. The first letter is kept (people
// rarely get it wrong).
func typo(r *rand.Rand, s string) string {
	b := []byte(strings.ToLower(Fold(s)))
	if len(b) < 3 {
		return s
	}
	i := 1 + r.IntN(len(b)-1)
	switch r.IntN(4) {
	case 0:
		if n := neighbours[b[i]]; n != "" {
			b[i] = n[r.IntN(len(n))]
		}
	case 1:
		b = append(b[:i], b[i+1:]...)
	case 2:
		b = append(b[:i+1], b[i:]...)
	default:
		if i+1 < len(b) {
			b[i], b[i+1] = b[i+1], b[i]
		} else {
			b[i-1], b[i] = b[i], b[i-1]
		}
	}
	return title(string(b))
}

func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// String describes the case for logs.
func (c Case) String() string { return fmt.Sprintf("%q %v", c.Text, c.Kinds) }
