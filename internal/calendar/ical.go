package calendar

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"
)

// ICS writes an iCalendar stream (RFC 5545): CRLF line ends, content
// lines folded at 75 octets (never inside a UTF-8 character), TEXT
// values escaped.
type ICS struct{ b bytes.Buffer }

// Bytes returns what was written.
func (w *ICS) Bytes() []byte { return w.b.Bytes() }

// Line writes one content line, name[;params]:value, folded. value is
// written as given: use Text for TEXT values.
func (w *ICS) Line(name, value string) {
	line := name + ":" + value
	const max = 75
	first := true
	for len(line) > 0 {
		limit := max
		if !first {
			limit = max - 1 // the leading space of a continuation counts
			w.b.WriteString(" ")
		}
		n := len(line)
		if n > limit {
			n = limit
			for n > 0 && !utf8.RuneStart(line[n]) {
				n--
			}
		}
		w.b.WriteString(line[:n])
		w.b.WriteString("\r\n")
		line = line[n:]
		first = false
	}
}

// Text escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon,
// comma and newlines.
func Text(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.NewReplacer(`\`, `\\`, `;`, `\;`, `,`, `\,`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// UTCStamp formats t as a UTC DATE-TIME: 20261127T150405Z.
func UTCStamp(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// LocalStamp formats t as a DATE-TIME in its own zone (for TZID=).
func LocalStamp(t time.Time) string { return t.Format("20060102T150405") }

// DateStamp formats t's date as a DATE: 20261127.
func DateStamp(t time.Time) string { return t.Format("20060102") }

// IsUTC reports whether loc keeps UTC's offset all year round, so that
// times can be written in UTC without a VTIMEZONE.
func IsUTC(loc *time.Location, year int) bool {
	for m := time.January; m <= time.December; m++ {
		if _, off := time.Date(year, m, 1, 0, 0, 0, 0, loc).Zone(); off != 0 {
			return false
		}
	}
	return true
}

// VTimezone writes a VTIMEZONE for loc named tzid, covering the years
// from first to last: one STANDARD or DAYLIGHT sub-component per offset
// change, found by probing the zone (Go does not expose its rules), plus
// one for the offset in force at the start of first.
func (w *ICS) VTimezone(tzid string, loc *time.Location, first, last int) {
	w.Line("BEGIN", "VTIMEZONE")
	w.Line("TZID", tzid)
	t := time.Date(first, 1, 1, 0, 0, 0, 0, loc)
	name, off := t.Zone()
	w.zonePart(t, name, off, off)
	end := time.Date(last+1, 1, 1, 0, 0, 0, 0, loc)
	for t.Before(end) {
		next := t.Add(24 * time.Hour)
		if _, o := next.Zone(); o != off {
			// Narrow the change down to the second.
			lo, hi := t, next
			for hi.Sub(lo) > time.Second {
				mid := lo.Add(hi.Sub(lo) / 2)
				if _, o := mid.Zone(); o == off {
					lo = mid
				} else {
					hi = mid
				}
			}
			n, o := hi.Zone()
			w.zonePart(hi, n, off, o)
			off = o
		}
		t = next
	}
	w.Line("END", "VTIMEZONE")
}

// zonePart writes one onset: DTSTART is the local time of the change as
// the clock read just before it (the old offset), as RFC 5545 requires.
func (w *ICS) zonePart(at time.Time, name string, from, to int) {
	kind := "STANDARD"
	if isDST(at) {
		kind = "DAYLIGHT"
	}
	w.Line("BEGIN", kind)
	w.Line("DTSTART", at.UTC().Add(time.Duration(from)*time.Second).Format("20060102T150405"))
	w.Line("TZOFFSETFROM", offset(from))
	w.Line("TZOFFSETTO", offset(to))
	if name != "" {
		w.Line("TZNAME", Text(name))
	}
	w.Line("END", kind)
}

func isDST(t time.Time) bool { return t.IsDST() }

// offset formats seconds east of UTC as +HHMM (or +HHMMSS).
func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	s := sign + pad2(sec/3600) + pad2(sec%3600/60)
	if sec%60 != 0 {
		s += pad2(sec % 60)
	}
	return s
}

func pad2(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

// ZoneName returns an IANA name for the server's zone (time.Local),
// which the calendar stores with each event and the feed writes as
// TZID: $TZ when set, else the target of /etc/localtime, else "UTC".
func ZoneName() string {
	if tz, ok := os.LookupEnv("TZ"); ok {
		tz = strings.TrimPrefix(tz, ":")
		if tz == "" {
			return "UTC"
		}
		if loc, err := time.LoadLocation(tz); err == nil {
			if IsUTC(loc, time.Now().Year()) {
				return "UTC"
			}
			return tz
		}
	}
	if target, err := filepath.EvalSymlinks("/etc/localtime"); err == nil {
		if _, name, ok := strings.Cut(target, "zoneinfo/"); ok {
			if loc, err := time.LoadLocation(name); err == nil && !IsUTC(loc, time.Now().Year()) {
				return name
			}
		}
	}
	return "UTC" // also for Etc/UTC and its aliases: the feed then writes UTC times
}

// Location loads the zone named name, or time.Local when it cannot.
func Location(name string) *time.Location {
	if name == "" {
		return time.Local
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.Local
}
