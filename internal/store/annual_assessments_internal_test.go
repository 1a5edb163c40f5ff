package store

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

func TestAnniversary(t *testing.T) {
	for _, tc := range []struct {
		start string
		n     int
		want  string
	}{
		{"2024-02-29", 1, "2025-02-28"},
		{"2024-02-29", 4, "2028-02-29"},
		{"2023-12-31", 1, "2024-12-31"},
		{"2025-03-01", 2, "2027-03-01"},
	} {
		if got := anniversary(hmis.MustDate(tc.start), tc.n).String(); got != tc.want {
			t.Errorf("anniversary(%s, %d) = %s, want %s", tc.start, tc.n, got, tc.want)
		}
	}
}
