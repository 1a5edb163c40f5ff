package hmiscsv

import (
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Value parsers. Each returns the value, a warning ("" when the value is in
// HUD's format) and whether it could be read at all.

func atoi(s string) (int, bool) {
	neg := false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 || len(s) > 18 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// parseInt reads a whole number. "1.0" and " 1 " are read with a warning.
func parseInt(s string) (int, string, bool) {
	if n, ok := atoi(s); ok {
		return n, "", true
	}
	t := strings.TrimSpace(s)
	if n, ok := atoi(t); ok {
		return n, "spaces around a number", true
	}
	if i := strings.IndexByte(t, '.'); i > 0 && strings.Trim(t[i+1:], "0") == "" {
		if n, ok := atoi(t[:i]); ok {
			return n, "whole number written with decimals", true
		}
	}
	return 0, "", false
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

var daysIn = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// ymd checks a calendar date.
func ymd(y, m, d int) (hmis.Date, bool) {
	if y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn[m] {
		return hmis.Date{}, false
	}
	if m == 2 && d == 29 && !(y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		return hmis.Date{}, false
	}
	return hmis.NewDate(y, time.Month(m), d), true
}

// isoDate reads yyyy-mm-dd exactly.
func isoDate(s string) (hmis.Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s[:4]) || !digits(s[5:7]) || !digits(s[8:]) {
		return hmis.Date{}, false
	}
	y, _ := atoi(s[:4])
	m, _ := atoi(s[5:7])
	d, _ := atoi(s[8:])
	return ymd(y, m, d)
}

// clock reads hh:mm:ss or hh:mm.
func clock(s string) (h, m, sec int, ok bool) {
	if len(s) != 8 && len(s) != 5 {
		return 0, 0, 0, false
	}
	if s[2] != ':' || !digits(s[:2]) || !digits(s[3:5]) {
		return 0, 0, 0, false
	}
	h, _ = atoi(s[:2])
	m, _ = atoi(s[3:5])
	if len(s) == 8 {
		if s[5] != ':' || !digits(s[6:]) {
			return 0, 0, 0, false
		}
		sec, _ = atoi(s[6:])
	}
	return h, m, sec, h < 24 && m < 60 && sec < 60
}

// shortDate reads dd-mm-yy (seen in Eva's demo export) as 20yy-mm-dd.
func shortDate(s string) (hmis.Date, bool) {
	if len(s) != 8 || s[2] != '-' || s[5] != '-' || !digits(s[:2]) || !digits(s[3:5]) || !digits(s[6:]) {
		return hmis.Date{}, false
	}
	d, _ := atoi(s[:2])
	m, _ := atoi(s[3:5])
	y, _ := atoi(s[6:])
	return ymd(2000+y, m, d)
}

// parseDate reads a D value: yyyy-mm-dd; a date-time is read as its date
// with a warning.
func parseDate(s string) (hmis.Date, string, bool) {
	if d, ok := isoDate(s); ok {
		return d, "", true
	}
	if len(s) > 10 {
		if t, _, ok := parseDateTime(s); ok {
			return hmis.DateOf(t), "a date-time where a date belongs", true
		}
	}
	return hmis.Date{}, "", false
}

// parseDateTime reads a T value: yyyy-mm-dd hh:mm:ss. Read with a warning:
// a date alone (midnight), hh:mm without seconds, a "T" separator,
// fractional seconds, and dd-mm-yy.
func parseDateTime(s string) (time.Time, string, bool) {
	if len(s) == 19 && (s[10] == ' ' || s[10] == 'T') {
		if d, ok := isoDate(s[:10]); ok {
			if h, m, sec, ok := clock(s[11:]); ok {
				w := ""
				if s[10] == 'T' {
					w = "date-time not in yyyy-mm-dd hh:mm:ss format"
				}
				return d.Time().Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second), w, true
			}
		}
		return time.Time{}, "", false
	}
	if d, ok := isoDate(s); ok {
		return d.Time(), "a date where a date-time belongs", true
	}
	if len(s) > 19 && (s[10] == ' ' || s[10] == 'T') && s[19] == '.' && digits(s[20:]) {
		t, _, ok := parseDateTime(s[:19])
		return t, "date-time with fractional seconds (dropped)", ok
	}
	if len(s) == 16 && (s[10] == ' ' || s[10] == 'T') {
		if d, ok := isoDate(s[:10]); ok {
			if h, m, _, ok := clock(s[11:]); ok {
				return d.Time().Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute), "date-time without seconds", true
			}
		}
	}
	if d, ok := shortDate(s); ok {
		return d.Time(), "date written dd-mm-yy, read as 20yy-mm-dd", true
	}
	return time.Time{}, "", false
}

// parseMoney reads decimal dollars: no "$", no thousands separators.
func parseMoney(s string) (hmis.Money, string, bool) {
	t := s
	neg := false
	if len(t) > 0 && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = t[1:]
	}
	whole, frac, dot := strings.Cut(t, ".")
	if (whole == "" && frac == "") || !digits(whole) || !digits(frac) || len(whole) > 15 {
		return 0, "", false
	}
	w, _ := atoi(whole)
	if whole == "" {
		w = 0
	}
	warn := ""
	cents := 0
	switch {
	case !dot || len(frac) == 0:
	case len(frac) == 1:
		cents = int(frac[0]-'0') * 10
	default:
		cents = int(frac[0]-'0')*10 + int(frac[1]-'0')
		if len(frac) > 2 {
			if strings.Trim(frac[2:], "0") != "" {
				warn = "money with more than 2 decimals (rounded)"
				if frac[2] >= '5' {
					cents++
				}
			}
		}
	}
	v := hmis.Money(w*100 + cents)
	if neg {
		v = -v
	}
	return v, warn, true
}
