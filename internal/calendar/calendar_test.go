package calendar

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // America/New_York without the system's zone files
)

func TestExpand(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	day := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, ny) }
	stamps := func(ts []time.Time) string {
		var out []string
		for _, t := range ts {
			out = append(out, t.In(ny).Format("01-02 15:04"))
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		name      string
		start     time.Time
		rule      Rule
		cancelled []time.Time
		from, to  time.Time
		want      string
	}{
		{"once", day(2026, 3, 2, 9), Rule{}, nil, day(2026, 3, 1, 0), day(2026, 3, 3, 0), "03-02 09:00"},
		{"once, outside", day(2026, 3, 2, 9), Rule{}, nil, day(2026, 3, 3, 0), day(2026, 3, 4, 0), ""},
		// 8 March 2026 is the daylight-saving change in New York: still 9:00.
		{"daily across DST", day(2026, 3, 6, 9), Rule{Freq: Daily, Count: 4}, nil, day(2026, 3, 1, 0), day(2026, 4, 1, 0),
			"03-06 09:00 03-07 09:00 03-08 09:00 03-09 09:00"},
		{"every 2 days until", day(2026, 3, 1, 9), Rule{Freq: Daily, Interval: 2, Until: time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC)}, nil,
			day(2026, 2, 1, 0), day(2026, 4, 1, 0), "03-01 09:00 03-03 09:00 03-05 09:00 03-07 09:00"},
		{"weekly MO,WE count 5", day(2026, 3, 4, 10), Rule{Freq: Weekly, ByDay: []time.Weekday{time.Monday, time.Wednesday}, Count: 5}, nil,
			day(2026, 3, 1, 0), day(2026, 5, 1, 0), "03-04 10:00 03-09 10:00 03-11 10:00 03-16 10:00 03-18 10:00"},
		{"every 2 weeks", day(2026, 3, 2, 10), Rule{Freq: Weekly, Interval: 2}, nil, day(2026, 3, 10, 0), day(2026, 4, 1, 0),
			"03-16 10:00 03-30 10:00"},
		{"cancelled", day(2026, 3, 2, 10), Rule{Freq: Weekly, Count: 3}, []time.Time{day(2026, 3, 9, 10)}, day(2026, 3, 1, 0), day(2026, 4, 1, 0),
			"03-02 10:00 03-16 10:00"},
		// The 31st: months without one are skipped, not counted.
		{"monthly 31st", day(2026, 1, 31, 8), Rule{Freq: Monthly, Count: 4}, nil, day(2026, 1, 1, 0), day(2027, 1, 1, 0),
			"01-31 08:00 03-31 08:00 05-31 08:00 07-31 08:00"},
		{"monthly, range in the middle", day(2026, 1, 15, 8), Rule{Freq: Monthly, Interval: 3}, nil, day(2026, 6, 1, 0), day(2026, 12, 31, 0),
			"07-15 08:00 10-15 08:00"},
	} {
		got := stamps(Expand(tc.start, time.Hour, tc.rule, tc.cancelled, tc.from, tc.to))
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestRuleRRULEAndValidate(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	r := Rule{Freq: Weekly, Interval: 2, ByDay: []time.Weekday{time.Wednesday, time.Monday}, Until: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}
	if got := r.RRULE(false, ny); got != "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20260701T035959Z" {
		t.Errorf("RRULE = %s", got)
	}
	if got := r.RRULE(true, ny); got != "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20260630" {
		t.Errorf("all-day RRULE = %s", got)
	}
	if got := r.Describe(); got != "Every 2 weeks on Mon, Wed, until 06/30/2026" {
		t.Errorf("Describe = %s", got)
	}
	start := time.Date(2026, 7, 1, 9, 0, 0, 0, ny)
	if errs := r.Validate(start); errs["repeat_until"] == "" {
		t.Errorf("until before start: %v", errs)
	}
	if errs := (Rule{Freq: Monthly, Count: 3, Until: start}).Validate(start); errs["repeat_count"] == "" {
		t.Errorf("count and until: %v", errs)
	}
	if errs := (Rule{Freq: Daily, ByDay: []time.Weekday{time.Monday}}).Validate(start); errs["repeat_byday"] == "" {
		t.Errorf("byday on daily: %v", errs)
	}
	if errs := (Rule{Freq: Weekly, Interval: 2, Count: 10}).Validate(start); len(errs) != 0 {
		t.Errorf("valid rule: %v", errs)
	}
}

func TestICSFoldingAndEscaping(t *testing.T) {
	var w ICS
	long := strings.Repeat("é", 60) // 120 octets
	w.Line("SUMMARY", Text("a;b,c\\d\nnext "+long))
	out := string(w.Bytes())
	if !strings.HasSuffix(out, "\r\n") {
		t.Fatal("no CRLF")
	}
	var joined strings.Builder
	for i, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d is %d octets", i, len(line))
		}
		if i > 0 {
			if line[0] != ' ' {
				t.Errorf("continuation %d does not start with a space", i)
			}
			line = line[1:]
		}
		joined.WriteString(line)
	}
	if want := `SUMMARY:a\;b\,c\\d\nnext ` + long; joined.String() != want {
		t.Errorf("unfolded = %q", joined.String())
	}
}

func TestVTimezone(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	var w ICS
	w.VTimezone("America/New_York", ny, 2026, 2026)
	out := string(w.Bytes())
	for _, want := range []string{"TZID:America/New_York", "BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400",
		"BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500"} {
		if !strings.Contains(out, want) {
			t.Errorf("VTIMEZONE lacks %q:\n%s", want, out)
		}
	}
	if IsUTC(ny, 2026) || !IsUTC(time.UTC, 2026) {
		t.Error("IsUTC")
	}
}
