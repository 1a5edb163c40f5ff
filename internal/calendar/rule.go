// Package calendar is the calendar's arithmetic, without a database:
// recurrence rules (the subset of RFC 5545 RRULE that Hearth supports),
// their expansion into occurrences, and the iCalendar (RFC 5545) writer
// for the private feeds. It imports only the standard library.
//
// The RRULE subset, stated plainly:
//
//	FREQ=DAILY, WEEKLY or MONTHLY (nothing else: no YEARLY, HOURLY, ...)
//	INTERVAL=1..99 (every n days, weeks or months; default 1)
//	COUNT=1..730 or UNTIL=<date> (never both; neither: no end)
//	BYDAY=MO,TU,... for WEEKLY only (plain weekdays, no ordinals such as 1MO);
//	  without it a weekly event repeats on its start's weekday
//	MONTHLY repeats on the start's day of the month; a month without
//	  that day (the 31st in April) is skipped, as RFC 5545 says
//	WKST is always MO. No BYMONTH, BYMONTHDAY, BYSETPOS, BYHOUR, ...
//
// Cancelled occurrences are EXDATEs. Recurrences repeat at the same wall
// clock time in the event's time zone, across daylight-saving changes.
package calendar

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Frequencies.
const (
	Daily   = "DAILY"
	Weekly  = "WEEKLY"
	Monthly = "MONTHLY"
)

// Limits of the subset.
const (
	MaxInterval = 99
	MaxCount    = 730
	// maxSteps bounds an expansion (a daily rule over ten years is 3,650).
	maxSteps = 20000
)

// Rule is a recurrence rule; the zero Rule is "does not repeat".
type Rule struct {
	Freq     string         // "", Daily, Weekly or Monthly
	Interval int            // 1 when zero
	Count    int            // 0: no count
	Until    time.Time      // zero: no end; else a date (00:00 UTC), inclusive
	ByDay    []time.Weekday // Weekly only; empty: the start's weekday
}

// Repeats reports whether the rule repeats at all.
func (r Rule) Repeats() bool { return r.Freq != "" }

func (r Rule) interval() int {
	if r.Interval < 1 {
		return 1
	}
	return r.Interval
}

// Validate checks the rule against the subset and the event's first
// start (a date in the event's zone), returning messages by form field:
// repeat, repeat_interval, repeat_count, repeat_until, repeat_byday.
func (r Rule) Validate(start time.Time) map[string]string {
	errs := map[string]string{}
	switch r.Freq {
	case "":
		return errs
	case Daily, Weekly, Monthly:
	default:
		errs["repeat"] = "Choose daily, weekly or monthly."
		return errs
	}
	if r.Interval < 0 || r.Interval > MaxInterval {
		errs["repeat_interval"] = fmt.Sprintf("Repeat every 1 to %d periods.", MaxInterval)
	}
	if r.Count != 0 && !r.Until.IsZero() {
		errs["repeat_count"] = "Give a number of times or an end date, not both."
	}
	if r.Count < 0 || r.Count > MaxCount {
		errs["repeat_count"] = fmt.Sprintf("Repeat 1 to %d times.", MaxCount)
	}
	if !r.Until.IsZero() {
		sd := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
		if r.Until.Before(sd) {
			errs["repeat_until"] = "The last date cannot be before the event's first day."
		}
	}
	if len(r.ByDay) > 0 && r.Freq != Weekly {
		errs["repeat_byday"] = "Weekdays can be chosen for weekly events only."
	}
	return errs
}

var dayCodes = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// DayCode is the RFC 5545 weekday code ("MO").
func DayCode(d time.Weekday) string { return dayCodes[d] }

// ParseDayCode reads a weekday code.
func ParseDayCode(s string) (time.Weekday, bool) {
	i := slices.Index(dayCodes[:], strings.ToUpper(strings.TrimSpace(s)))
	return time.Weekday(i), i >= 0
}

// sortedDays returns ByDay from Monday to Sunday (WKST=MO), without repeats.
func (r Rule) sortedDays() []time.Weekday {
	ds := slices.Clone(r.ByDay)
	slices.SortFunc(ds, func(a, b time.Weekday) int { return mondayIndex(a) - mondayIndex(b) })
	return slices.Compact(ds)
}

func mondayIndex(d time.Weekday) int { return (int(d) + 6) % 7 }

// ByDayString is ByDay as stored: "MO,WE".
func (r Rule) ByDayString() string {
	var codes []string
	for _, d := range r.sortedDays() {
		codes = append(codes, DayCode(d))
	}
	return strings.Join(codes, ",")
}

// ParseByDay reads "MO,WE".
func ParseByDay(s string) ([]time.Weekday, error) {
	var out []time.Weekday
	for _, p := range strings.Split(s, ",") {
		if strings.TrimSpace(p) == "" {
			continue
		}
		d, ok := ParseDayCode(p)
		if !ok {
			return nil, fmt.Errorf("calendar: unknown weekday %q", p)
		}
		out = append(out, d)
	}
	return out, nil
}

// RRULE returns the rule's RRULE value. until is how UNTIL is written:
// RFC 5545 wants a DATE for all-day events and a UTC DATE-TIME (the end
// of the last day in the event's zone) for the others.
func (r Rule) RRULE(allDay bool, loc *time.Location) string {
	if !r.Repeats() {
		return ""
	}
	parts := []string{"FREQ=" + r.Freq}
	if r.interval() > 1 {
		parts = append(parts, "INTERVAL="+strconv.Itoa(r.interval()))
	}
	if r.Freq == Weekly && len(r.ByDay) > 0 {
		parts = append(parts, "BYDAY="+r.ByDayString())
	}
	switch {
	case r.Count > 0:
		parts = append(parts, "COUNT="+strconv.Itoa(r.Count))
	case !r.Until.IsZero() && allDay:
		parts = append(parts, "UNTIL="+r.Until.Format("20060102"))
	case !r.Until.IsZero():
		end := time.Date(r.Until.Year(), r.Until.Month(), r.Until.Day(), 23, 59, 59, 0, loc)
		parts = append(parts, "UNTIL="+end.UTC().Format("20060102T150405Z"))
	}
	return strings.Join(parts, ";")
}

// Describe says the rule in words: "Every 2 weeks on Mon, Wed, 10 times".
func (r Rule) Describe() string {
	if !r.Repeats() {
		return "Does not repeat"
	}
	unit := map[string]string{Daily: "day", Weekly: "week", Monthly: "month"}[r.Freq]
	s := "Every " + unit
	if n := r.interval(); n > 1 {
		s = "Every " + strconv.Itoa(n) + " " + unit + "s"
	}
	if r.Freq == Weekly && len(r.ByDay) > 0 {
		var names []string
		for _, d := range r.sortedDays() {
			names = append(names, d.String()[:3])
		}
		s += " on " + strings.Join(names, ", ")
	}
	switch {
	case r.Count == 1:
		s += ", once"
	case r.Count > 1:
		s += ", " + strconv.Itoa(r.Count) + " times"
	case !r.Until.IsZero():
		s += ", until " + r.Until.Format("01/02/2006")
	}
	return s
}

// Expand returns the starts of the occurrences of an event that begins at
// start (its first occurrence, in the event's zone: start.Location())
// and lasts dur, that overlap [from, to), minus those in cancelled
// (original starts). A rule that does not repeat gives the event itself.
// COUNT counts cancelled occurrences too (RFC 5545: EXDATE applies after
// COUNT).
func Expand(start time.Time, dur time.Duration, r Rule, cancelled []time.Time, from, to time.Time) []time.Time {
	var out []time.Time
	keep := func(s time.Time) {
		if s.Before(to) && s.Add(dur).After(from) || dur == 0 && !s.Before(from) && s.Before(to) {
			for _, c := range cancelled {
				if c.Equal(s) {
					return
				}
			}
			out = append(out, s)
		}
	}
	if !r.Repeats() {
		keep(start)
		return out
	}
	loc := start.Location()
	y, m, d := start.Date()
	hh, mm, ss := start.Clock()
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, hh, mm, ss, 0, loc) }
	var untilEnd time.Time // the first instant after the last allowed day
	if !r.Until.IsZero() {
		untilEnd = time.Date(r.Until.Year(), r.Until.Month(), r.Until.Day()+1, 0, 0, 0, 0, loc)
	}
	n := 0
	// emit handles one candidate; it reports false when the series is over.
	emit := func(s time.Time) bool {
		if s.Before(start) {
			return true
		}
		if !untilEnd.IsZero() && !s.Before(untilEnd) || r.Count > 0 && n >= r.Count || !s.Before(to) {
			return false
		}
		n++
		keep(s)
		return true
	}
	step := r.interval()
	switch r.Freq {
	case Daily:
		for k := 0; k < maxSteps; k++ {
			if !emit(at(y, m, d+k*step)) {
				break
			}
		}
	case Weekly:
		days := r.sortedDays()
		if len(days) == 0 {
			days = []time.Weekday{start.Weekday()}
		}
		monday := d - mondayIndex(start.Weekday())
	weeks:
		for k := 0; k < maxSteps; k++ {
			for _, wd := range days {
				if !emit(at(y, m, monday+7*k*step+mondayIndex(wd))) {
					break weeks
				}
			}
		}
	case Monthly:
		for k := 0; k < maxSteps; k++ {
			first := time.Date(y, m+time.Month(k*step), 1, 0, 0, 0, 0, loc)
			s := at(first.Year(), first.Month(), d)
			if s.Month() != first.Month() {
				continue // no such day this month: skipped, not counted
			}
			if !emit(s) {
				break
			}
		}
	}
	return out
}
