package search

import (
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// DOBMatch is how a typed date of birth compares with a recorded one.
type DOBMatch int

// DOB comparison outcomes, best first.
const (
	DOBNone      DOBMatch = iota // no resemblance (or a date is missing)
	DOBExact                     // the same date
	DOBSwapped                   // day and month swapped (10/9 for 9/10)
	DOBYearOff                   // same day and month, year one off
	DOBDigit                     // one digit off, or two adjacent digits transposed
	DOBYearMonth                 // same year and month (approximate DOBs: the 1st)
	DOBYear                      // same year only
)

var dobSim = map[DOBMatch]float64{DOBExact: 1, DOBSwapped: 0.88, DOBYearOff: 0.82, DOBDigit: 0.82, DOBYearMonth: 0.5, DOBYear: 0.3}

var dobLabel = map[DOBMatch]string{
	DOBNone: "DOB differs", DOBExact: "DOB match", DOBSwapped: "DOB day/month swapped",
	DOBYearOff: "DOB year off by one", DOBDigit: "DOB one digit off",
	DOBYearMonth: "DOB same month and year", DOBYear: "DOB same year",
}

// CompareDOB compares a typed date of birth q with a recorded one c.
func CompareDOB(q, c hmis.Date) DOBMatch {
	if q.IsZero() || c.IsZero() {
		return DOBNone
	}
	if q.Equal(c) {
		return DOBExact
	}
	qy, qm, qd := q.Time().Date()
	cy, cm, cd := c.Time().Date()
	switch {
	case qy == cy && int(qm) == cd && qd == int(cm):
		return DOBSwapped
	case qm == cm && qd == cd && (qy-cy == 1 || cy-qy == 1):
		return DOBYearOff
	}
	a, b := q.Format("20060102"), c.Format("20060102")
	diff, first := 0, -1
	for i := range len(a) {
		if a[i] != b[i] {
			if diff == 0 {
				first = i
			}
			diff++
		}
	}
	switch {
	case diff == 1:
		return DOBDigit
	case diff == 2 && first+1 < len(a) && a[first] == b[first+1] && a[first+1] == b[first]:
		return DOBDigit
	case qy == cy && qm == cm:
		return DOBYearMonth
	case qy == cy:
		return DOBYear
	}
	return DOBNone
}

// DOBVariants returns the dates a typed DOB may stand for, d first: day
// and month swapped, year one off, each digit of YYYYMMDD but the first
// two slipped, adjacent digits transposed. Only real dates from 1900 to
// 2100 are returned, each once.
func DOBVariants(d hmis.Date) []hmis.Date {
	if d.IsZero() {
		return nil
	}
	seen := map[string]bool{}
	var out []hmis.Date
	add := func(s string) {
		if seen[s] {
			return
		}
		seen[s] = true
		t, err := time.Parse("20060102", s)
		if err != nil || t.Year() < 1900 || t.Year() > 2100 {
			return
		}
		out = append(out, hmis.DateOf(t))
	}
	s := d.Format("20060102")
	add(s)
	y, m, dd := d.Time().Date()
	add(d.Format("2006") + pad2(dd) + pad2(int(m)))
	add(strconv.Itoa(y-1) + s[4:])
	add(strconv.Itoa(y+1) + s[4:])
	b := []byte(s)
	for i := 2; i < len(b); i++ {
		orig := b[i]
		for c := byte('0'); c <= '9'; c++ {
			if c != orig {
				b[i] = c
				add(string(b))
			}
		}
		b[i] = orig
	}
	for i := 2; i+1 < len(b); i++ {
		b[i], b[i+1] = b[i+1], b[i]
		add(string(b))
		b[i], b[i+1] = b[i+1], b[i]
	}
	return out
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

var months = map[string]time.Month{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
	"may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
	"september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

// parseNumericDate reads 10/9/1940, 10-9-40, 10.09.1940 (US order: month
// first, as HMIS users write), 1940-10-09 and 1940/10/09. Two-digit
// years are in the century that puts them in the past (pivot: now).
func parseNumericDate(s string, now time.Time) (hmis.Date, bool) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(f) != 3 {
		return hmis.Date{}, false
	}
	n := make([]int, 3)
	for i, p := range f {
		v, err := strconv.Atoi(p)
		if err != nil || len(p) > 4 {
			return hmis.Date{}, false
		}
		n[i] = v
	}
	var y, m, d int
	switch {
	case len(f[0]) == 4:
		y, m, d = n[0], n[1], n[2]
	case len(f[2]) == 4:
		m, d, y = n[0], n[1], n[2]
		if m > 12 && d <= 12 { // 25/12/1980: a day-first writer
			m, d = d, m
		}
	case len(f[2]) == 2:
		m, d, y = n[0], n[1], fullYear(n[2], now)
		if m > 12 && d <= 12 {
			m, d = d, m
		}
	default:
		return hmis.Date{}, false
	}
	return makeDate(y, m, d)
}

// fullYear turns a two-digit year into the latest year not after now.
func fullYear(yy int, now time.Time) int {
	y := now.Year() - now.Year()%100 + yy
	if y > now.Year() {
		y -= 100
	}
	return y
}

func makeDate(y, m, d int) (hmis.Date, bool) {
	if y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return hmis.Date{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return hmis.Date{}, false // 31 April
	}
	return hmis.DateOf(t), true
}
