package search

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Query is what a user asks for: the one search box (Parse), the optional
// fields of the form, or both.
type Query struct {
	// Names are the name words of the box in the order typed; a
	// hyphenated word is one Name with several parts.
	Names []Name
	// Comma is how many of Names came before a comma ("Lennon, John":
	// 1): they are the surname. 0: no comma, order unknown.
	Comma int

	// The form's fields; when any is set, Names is not used for names.
	First, Middle, Last string

	DOB        hmis.Date
	BirthYear  int    // a year typed alone (1940), when no DOB was given
	SSN        string // nine digits
	SSN4       string // last four digits, alone or of SSN
	PersonalID string // an HMIS ID typed (8 to 32 letters and digits) or given
}

// MaxInput is how much of the search box is read; the rest is ignored.
const MaxInput = 300

// maxNames is how many name words are used.
const maxNames = 4

// Parse reads the search box: a name in any order ("Lennon, John", "john
// lennon", "Jon Lenon"), a date of birth (10/9/1940, 1940-10-09, 9 Oct
// 1940, Oct 9, 1940), an SSN in full or its last four, an HMIS ID (32
// hexadecimal characters), in any order. What it cannot read is ignored.
// now places two-digit years.
func Parse(text string, now time.Time) Query {
	if len(text) > MaxInput {
		text = text[:MaxInput]
	}
	var q Query
	// Split at spaces and commas, remembering where the first comma was.
	type tok struct {
		s     string
		comma bool // a comma follows
	}
	var toks []tok
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r == ';' }) {
		parts := strings.Split(f, ",")
		for i, p := range parts {
			if p != "" {
				toks = append(toks, tok{p, false})
			} else if len(toks) > 0 {
				toks[len(toks)-1].comma = true
			}
			if i < len(parts)-1 && p != "" {
				toks[len(toks)-1].comma = true
			}
		}
	}
	comma := false // a comma followed a name: "Last, First"
	used := make([]bool, len(toks))
	lower := func(i int) string {
		if i < 0 || i >= len(toks) || used[i] {
			return ""
		}
		return strings.Trim(strings.ToLower(toks[i].s), ".")
	}
	num := func(i int, maxLen int) (int, bool) {
		s := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(lower(i), "th"), "st"), "nd"), "rd")
		if s == "" || len(s) > maxLen {
			return 0, false
		}
		v, err := strconv.Atoi(s)
		return v, err == nil
	}
	// Dates with a month name: 9 Oct 1940, Oct 9 1940, October 9th, 1940.
	for i := range toks {
		m, ok := months[lower(i)]
		if !ok {
			continue
		}
		if d, ok := num(i-1, 2); ok {
			if y, ok := num(i+1, 4); ok && len(lower(i+1)) == 4 {
				if dt, ok := makeDate(y, int(m), d); ok && q.DOB.IsZero() {
					q.DOB = dt
					used[i-1], used[i], used[i+1] = true, true, true
					continue
				}
			}
		}
		if d, ok := num(i+1, 2); ok {
			if y, ok := num(i+2, 4); ok && len(lower(i+2)) == 4 {
				if dt, ok := makeDate(y, int(m), d); ok && q.DOB.IsZero() {
					q.DOB = dt
					used[i], used[i+1], used[i+2] = true, true, true
				}
			}
		}
	}
	var years []int
	for i, t := range toks {
		if used[i] {
			continue
		}
		s := strings.Trim(t.s, ".")
		if s == "" {
			continue
		}
		if d, ok := parseNumericDate(s, now); ok {
			if q.DOB.IsZero() {
				q.DOB = d
			}
			continue
		}
		if full, last4 := NormalizeSSN(s); full != "" || last4 != "" {
			if full != "" {
				q.SSN, q.SSN4 = full, last4
				continue
			}
			if y, err := strconv.Atoi(last4); err == nil && !strings.ContainsAny(s, "xX*#") && y >= 1900 && y <= now.Year() {
				years = append(years, y) // 1940: a year or the last four; both are tried
			}
			if q.SSN4 == "" {
				q.SSN4 = last4
			}
			continue
		}
		if isHexID(s) {
			q.PersonalID = s
			continue
		}
		n := NewName(s)
		if n.IsZero() || len(q.Names) >= maxNames {
			continue
		}
		hasLetter := false
		for _, c := range n.Joined {
			if c >= 'a' && c <= 'z' || c > 0x7f {
				hasLetter = true
				break
			}
		}
		if !hasLetter {
			continue // numbers that are neither a date nor an SSN
		}
		q.Names = append(q.Names, n)
		if t.comma && !comma {
			comma, q.Comma = true, len(q.Names)
		}
	}
	if q.Comma == len(q.Names) {
		q.Comma = 0
	}
	if q.DOB.IsZero() && len(years) == 1 {
		q.BirthYear = years[0]
	}
	return q
}

// isHexID reports whether s looks like an HMIS ID (HUD's PersonalID is
// up to 32 characters): 8 to 32 letters and digits, with both.
func isHexID(s string) bool {
	if len(s) < 8 || len(s) > 32 {
		return false
	}
	letters, digits := 0, 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letters++
		default:
			return false
		}
	}
	return letters > 0 && digits > 0
}

// Empty reports whether the query has nothing to search by.
func (q Query) Empty() bool {
	return len(q.Names) == 0 && q.First == "" && q.Middle == "" && q.Last == "" && q.DOB.IsZero() &&
		q.BirthYear == 0 && q.SSN == "" && q.SSN4 == "" && q.PersonalID == ""
}

// fields reports whether the query has names from the form's fields.
func (q Query) fields() bool { return q.First != "" || q.Middle != "" || q.Last != "" }
