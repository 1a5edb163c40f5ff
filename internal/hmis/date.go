package hmis

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// DateLayout is HUD's date format (HMIS CSV type D).
const DateLayout = "2006-01-02"

// DateTimeLayout is HUD's date-time format (HMIS CSV type T).
const DateTimeLayout = "2006-01-02 15:04:05"

// Date is a calendar date with no time of day or zone (HUD type D: DOB,
// EntryDate, ExitDate, ...). The zero Date means "no date" and is stored as
// NULL.
type Date struct {
	t time.Time // midnight UTC; zero when empty
}

// NewDate returns the date y-m-d.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	if t.IsZero() {
		return Date{}
	}
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// ParseDate parses yyyy-mm-dd; the empty string is the zero Date.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	if d, ok := parseDateFast(s); ok {
		return d, nil
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date (yyyy-mm-dd)", s)
	}
	return Date{t}, nil
}

// parseDateFast reads a well-formed yyyy-mm-dd without time.Parse (the
// report loader reads a million dates: docs/PERFORMANCE.md); ok is false
// for anything else, left to time.Parse and its error.
func parseDateFast(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, false
	}
	y, ok1 := dateDigits(s[0:4])
	m, ok2 := dateDigits(s[5:7])
	d, ok3 := dateDigits(s[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > 28 && d > dateDaysIn(time.Month(m), y) {
		return Date{}, false
	}
	return NewDate(y, time.Month(m), d), true
}

// dateDigits reads s, all ASCII digits, as a number.
func dateDigits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// dateDaysIn is the number of days of month m of year y.
func dateDaysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// MustDate is ParseDate for constants in tests and generators; it panics on error.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is empty.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return d.t }

// String returns yyyy-mm-dd, or "" for the zero Date.
func (d Date) String() string {
	if d.t.IsZero() {
		return ""
	}
	return d.t.Format(DateLayout)
}

// Format formats d with a time layout ("" for the zero Date).
func (d Date) Format(layout string) string {
	if d.t.IsZero() {
		return ""
	}
	return d.t.Format(layout)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// Equal reports whether d and e are the same date.
func (d Date) Equal(e Date) bool { return d.t.Equal(e.t) }

// AddDays returns d plus n days.
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// AddDate returns d plus the given years, months and days.
func (d Date) AddDate(y, m, n int) Date { return Date{d.t.AddDate(y, m, n)} }

// DaysUntil returns the number of days from d to e (negative if e is earlier).
func (d Date) DaysUntil(e Date) int { return int(e.t.Sub(d.t).Hours() / 24) }

// AgeOn returns the age in whole years of a person born on d, on day on.
// A person born on 29 February turns a year older on 1 March in common years.
func (d Date) AgeOn(on Date) int {
	if d.IsZero() || on.IsZero() {
		return -1
	}
	age := on.t.Year() - d.t.Year()
	if on.t.Month() < d.t.Month() || (on.t.Month() == d.t.Month() && on.t.Day() < d.t.Day()) {
		age--
	}
	return age
}

// Value implements driver.Valuer: yyyy-mm-dd text, or NULL.
func (d Date) Value() (driver.Value, error) {
	if d.t.IsZero() {
		return nil, nil
	}
	return d.t.Format(DateLayout), nil
}

// Scan implements sql.Scanner for DATE (PostgreSQL) and TEXT (SQLite) columns.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = DateOf(v)
		return nil
	case string:
		return d.scanString(v)
	case []byte:
		return d.scanString(string(v))
	}
	return fmt.Errorf("cannot scan %T into Date", src)
}

func (d *Date) scanString(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// MarshalText implements encoding.TextMarshaler (yyyy-mm-dd).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}
