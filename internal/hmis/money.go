package hmis

import (
	"database/sql/driver"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Money is an amount in cents (HUD type M: income amounts, service FAAmount).
// Cents keep sums exact; HUD writes money as decimal dollars.
type Money int64

// ParseMoney reads decimal dollars ("1234.5", "-12.00"); no "$" or separators.
func ParseMoney(s string) (Money, error) {
	s = strings.TrimSpace(s)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(s, "eExX") {
		return 0, fmt.Errorf("%q is not an amount of money", s)
	}
	return Money(math.Round(f * 100)), nil
}

// String writes decimal dollars with two decimals, as HUD's exports do.
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// Value stores money as a decimal number of dollars.
func (m Money) Value() (driver.Value, error) { return float64(m) / 100, nil }

// Scan reads NUMERIC (PostgreSQL, as string or float) or REAL (SQLite).
func (m *Money) Scan(src any) error {
	switch v := src.(type) {
	case float64:
		*m = Money(math.Round(v * 100))
	case int64:
		*m = Money(v * 100)
	case string:
		p, err := ParseMoney(v)
		if err != nil {
			return err
		}
		*m = p
	case []byte:
		p, err := ParseMoney(string(v))
		if err != nil {
			return err
		}
		*m = p
	default:
		return fmt.Errorf("cannot scan %T into Money", src)
	}
	return nil
}
