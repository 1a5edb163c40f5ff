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
