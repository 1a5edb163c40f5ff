package store

import (
	"testing"
	"time"
)

func TestSQLiteTime(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		time.Date(2024, 12, 31, 23, 59, 59, 120000000, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 1000, time.UTC),
		time.Date(2024, 6, 7, 8, 9, 10, 999999999, time.UTC),
		time.Date(2024, 6, 7, 8, 9, 10, 500, time.UTC),
		time.Date(2024, 6, 7, 8, 9, 10, 123456000, time.UTC),
	} {
		if got, want := sqliteTime(tm), tm.Format(timestampLayout); got != want {
			t.Errorf("%v: %q, want %q", tm, got, want)
		}
	}
}

// TestParseSQLiteTime checks the fast path of nullTime.parse against
// time.Parse: the same time for what it reads, and a fall-back (ok false)
// for what it does not.
func TestParseSQLiteTime(t *testing.T) {
	for _, s := range []string{
		"2024-01-02 03:04:05", "2024-12-31 23:59:59.12", "2024-06-07 08:09:10.999999",
		"2024-02-29 00:00:00", "2024-06-07 08:09:10.123456789", "1999-01-01 12:00:00.5",
	} {
		got, ok := parseSQLiteTime(s)
		want, err := time.Parse(timestampLayout, s)
		if !ok || err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("%q: %v %v, want %v (%v)", s, got, ok, want, err)
		}
		var n time.Time
		if err := (nullTime{&n}).Scan(s); err != nil || !n.Equal(want) {
			t.Errorf("Scan(%q) = %v, %v; want %v", s, n, err, want)
		}
	}
	for _, s := range []string{
		"2023-02-29 00:00:00", "2024-01-02T03:04:05Z", "2024-01-02 24:00:00", "2024-01-02 03:04:05.", "2024-01-02 3:04:05",
		"2024-01-02", "2024-01-02 03:04:60", "2024-01-02 03:04:05.1234567890", "0001-01-01 00:00:00",
	} {
		if _, ok := parseSQLiteTime(s); ok {
			t.Errorf("%q: read by the fast path", s)
		}
	}
	var n time.Time
	if err := (nullTime{&n}).Scan("2024-01-02T03:04:05Z"); err != nil || !n.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("RFC 3339 fall-back: %v %v", n, err)
	}
}
