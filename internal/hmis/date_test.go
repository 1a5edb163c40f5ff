package hmis

import (
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hud"
)

func TestDate_AgeOn(t *testing.T) {
	for _, tc := range []struct {
		name    string
		dob, on string
		wantAge int
	}{
		{"birthday today", "1940-10-09", "2026-10-09", 86},
		{"day before birthday", "1940-10-09", "2026-10-08", 85},
		{"leap-day birthday, common year, 28 Feb", "2004-02-29", "2022-02-28", 17},
		{"leap-day birthday, common year, 1 Mar", "2004-02-29", "2022-03-01", 18},
		{"leap-day birthday, leap year", "2004-02-29", "2024-02-29", 20},
		{"born on the day", "2026-11-27", "2026-11-27", 0},
		{"missing DOB", "", "2026-11-27", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dob, _ := ParseDate(tc.dob)
			if got := dob.AgeOn(MustDate(tc.on)); got != tc.wantAge {
				t.Errorf("AgeOn = %d, want %d", got, tc.wantAge)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	// The fast path gives time.Parse's date, or leaves the string to it.
	for _, s := range []string{"2024-02-29", "2023-02-28", "1940-01-09", "2026-12-31", "0000-01-01", "9999-12-31", "2023-04-30"} {
		want, err := time.Parse(DateLayout, s)
		if got, perr := ParseDate(s); err != nil || perr != nil || !got.Time().Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", s, got, perr, want)
		}
	}
	for _, s := range []string{"2023-02-29", "2023-04-31", "2023-13-01", "2023-00-10", "2023-01-00", "2023-1-010", "+023-01-01"} {
		if _, ok := parseDateFast(s); ok {
			t.Errorf("parseDateFast(%q) succeeded", s)
		}
	}
	for _, s := range []string{"2023-02-30", "10/09/1940", "1940-1-9", "x"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) succeeded", s)
		}
	}
	d := MustDate("2024-02-29")
	if d.String() != "2024-02-29" || d.AddDays(1).String() != "2024-03-01" || d.DaysUntil(MustDate("2024-03-10")) != 10 {
		t.Errorf("date arithmetic on %v", d)
	}
	var z Date
	if v, _ := z.Value(); v != nil || z.String() != "" {
		t.Errorf("zero date = %v %q, want NULL and empty", v, z.String())
	}
	var s Date
	if err := s.Scan("2025-10-01 00:00:00"); err != nil || s.String() != "2025-10-01" {
		t.Errorf("Scan datetime text = %v %v", s, err)
	}
}

func TestMoney(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		ok   bool
	}{{"1234.5", "1234.50", true}, {"-12", "-12.00", true}, {"0.005", "0.01", true}, {"$12", "", false}, {"1,000", "", false}, {"1e3", "", false}} {
		m, err := ParseMoney(tc.in)
		if (err == nil) != tc.ok || (tc.ok && m.String() != tc.want) {
			t.Errorf("ParseMoney(%q) = %v, %v; want %q ok=%v", tc.in, m, err, tc.want, tc.ok)
		}
	}
}

func TestError(t *testing.T) {
	fe := FieldErrors{}
	if fe.Err("x") != nil {
		t.Fatal("no field errors must be nil")
	}
	fe.Add("dob", "Enter a date.")
	fe.Add("dob", "second message ignored")
	err := fe.Err("The client could not be saved.")
	if ErrorCode(err) != EINVALID || ErrorMessage(err) != "The client could not be saved." || err.Error() != "The client could not be saved. (dob: Enter a date.)" {
		t.Errorf("field error = %v", err)
	}
	if ErrorMessage(errPlain("secret detail")) == "secret detail" {
		t.Error("internal error text shown to users")
	}
}

type errPlain string

func (e errPlain) Error() string { return string(e) }

func TestFunderFamily(t *testing.T) {
	for code, want := range map[int]string{2: FamilyCoC, 8: FamilyESG, 15: FamilyHOPWA, 33: FamilyVA, 21: FamilyPATH, 24: FamilyRHY, 46: FamilyOther} {
		if got := FunderFamily(code); got != want {
			t.Errorf("FunderFamily(%d) = %s, want %s", code, got, want)
		}
	}
}

// TestFunderFamily_AgreesWithLabels checks the hand-kept family table
// against the 2.06.1 labels, so a new funding source can't be missed.
func TestFunderFamily_AgreesWithLabels(t *testing.T) {
	prefixes := []struct{ prefix, family string }{
		{"HUD: CoC", FamilyCoC}, {"HUD: Unsheltered", FamilyCoC}, {"HUD: Rural Special", FamilyCoC},
		{"HUD: ESG", FamilyESG}, {"HUD: HOPWA", FamilyHOPWA}, {"VA:", FamilyVA}, {"HUD: HUD/VASH", FamilyVA},
		{"HHS: PATH", FamilyPATH}, {"HHS: RHY", FamilyRHY},
	}
	for _, v := range hud.FundingSourceValues() {
		want := FamilyOther
		for _, p := range prefixes {
			if strings.HasPrefix(v.Label(), p.prefix) {
				want = p.family
				break
			}
		}
		if got := FunderFamily(int(v)); got != want {
			t.Errorf("FunderFamily(%d %q) = %s, want %s", int(v), v.Label(), got, want)
		}
	}
}
