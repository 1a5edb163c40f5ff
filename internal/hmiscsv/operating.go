package hmiscsv

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// The eva checks that compare an enrollment's dates with its project's
// operating period (2.02.3 OperatingStartDate, 2.02.4 OperatingEndDate) and
// with its own start (3.10 EntryDate, 3.11 ExitDate), and the inventory
// with the operating period (2.07). All are warnings: the severity policy
// stops an import for none of them.
//
// Memory: a project keeps its two dates (projInfo), an enrollment its
// entry date in the 4 bytes enrollInfo had spare. Only the enrollments
// whose verdict depends on their exit (they begin before the operating
// start, or their project has an operating end date) are kept as 24-byte
// opRows from Enrollment.csv to the end of Exit.csv.

// noDay is a day number for "no date".
const noDay = math.MinInt32

// dayNum is d as days since 1970-01-01, or noDay.
func dayNum(d hmis.Date) int32 {
	if d.IsZero() {
		return noDay
	}
	u := d.Time().Unix()
	q := u / 86400
	if u%86400 < 0 {
		q--
	}
	return int32(q)
}

// dayText writes a day number as yyyy-mm-dd.
func dayText(n int32) string {
	return time.Unix(int64(n)*86400, 0).UTC().Format(hmis.DateLayout)
}

// opRow is an enrollment whose operating-period verdict waits for Exit.csv.
type opRow struct {
	enr      uint64 // EnrollmentID hash
	line     int32  // its Enrollment.csv line
	exitLine int32  // its Exit.csv line; 0 without an exit
	exit     int32  // ExitDate day; noDay without an exit
	_        int32
}

// Messages of the operating-period checks (eva_checks.csv IDs).
const (
	msgOpAfter        = "the enrollment begins after the project's operating end date (2.02.4, 3.10, eva 116)"
	msgOpCrossStart   = "the enrollment begins before the project's operating start date (2.02.3, 3.10, eva 117)"
	msgOpBefore       = "the enrollment ends before the project's operating start date (2.02.3, 3.11, eva 118)"
	msgOpBeforeOpen   = "the enrollment has no exit and the project's operating start date is still to come (2.02.3, eva 118)"
	msgOpCrossEnd     = "the enrollment ends after the project's operating end date (2.02.4, 3.11, eva 119)"
	msgOpCrossEndOpen = "the enrollment has no exit, but the project's operating end date has passed (2.02.4, 3.11, eva 119)"
	msgOpCrossPeriod  = "the enrollment begins before the project's operating start date and ends after its operating end date, or has no exit (2.02.3, 2.02.4, eva 120)"
	msgExitBeforeIn   = "the exit date is before the project start date (3.11, 3.10, eva 99)"
	msgDupEntry       = "the client has another enrollment in this project with the same project start date: a duplicate enrollment (3.10, eva 1)"
	msgInvBeforeOp    = "the inventory starts before the project's operating start date (2.07, 2.02.3, eva 79)"
	msgInvAfterOpEnd  = "the inventory ends after the project's operating end date, or has no end date while the project has one (2.07, 2.02.4, eva 44)"
)

// enrollmentChecks are the custom checks of an Enrollment.csv row.
func (c *checker) enrollmentChecks() {
	c.moveIn()
	if isSet(c.p, c.rt.field("DateDeleted")) {
		return
	}
	c.r.dupEntry(c)
	c.operatingEntry()
}

// operatingEntry: eva 116 now; the enrollments whose verdict depends on
// the exit wait in r.opRows.
func (c *checker) operatingEntry() {
	r := c.r
	pi := c.project()
	entry := dateValue(c.p, c.rt.field("EntryDate"))
	if pi == nil || entry.IsZero() {
		return
	}
	in := dayNum(entry)
	if pi.opEnd != noDay && in > pi.opEnd {
		c.warn("EntryDate", entry.String(), msgOpAfter)
		return
	}
	if (pi.opStart != noDay && in < pi.opStart) || pi.opEnd != noDay {
		r.opRows = append(r.opRows, opRow{enr: r.hash(c.str("EnrollmentID")), line: int32(c.line), exit: noDay})
	}
}

// exitChecks are the custom checks of an Exit.csv row.
func (c *checker) exitChecks() {
	c.aftercare()
	if isSet(c.p, c.rt.field("DateDeleted")) {
		return
	}
	r := c.r
	exit := dateValue(c.p, c.rt.field("ExitDate"))
	h := r.hash(c.str("EnrollmentID"))
	e, ok := r.enrollments[h]
	if exit.IsZero() || !ok {
		return
	}
	out := dayNum(exit)
	if e.entry != noDay && out < e.entry {
		c.warn("ExitDate", exit.String(), msgExitBeforeIn)
	}
	if len(r.opRows) == 0 {
		return
	}
	if i, found := slices.BinarySearchFunc(r.opRows, h, func(o opRow, h uint64) int { return cmp.Compare(o.enr, h) }); found && r.opRows[i].exitLine == 0 {
		r.opRows[i].exit, r.opRows[i].exitLine = out, int32(c.line)
	}
}

// sortOperating orders the waiting enrollments for exitChecks' search,
// after Enrollment.csv.
func (r *reader) sortOperating() {
	slices.SortFunc(r.opRows, func(a, b opRow) int { return cmp.Compare(a.enr, b.enr) })
}

// checkOperating gives the waiting enrollments their verdict after
// Exit.csv (eva 117–120). Without an exit, an enrollment is taken to end
// on the export's date (Export.ExportDate; today when it has none), as
// eva's ExitAdjust does with the current date.
func (r *reader) checkOperating() {
	rows := r.opRows
	r.opRows = nil
	if len(rows) == 0 {
		return
	}
	today := dayNum(hmis.DateOf(time.Now()))
	if d := r.x.Header.ExportDate; !d.IsZero() {
		today = dayNum(hmis.DateOf(d))
	}
	slices.SortFunc(rows, func(a, b opRow) int { return cmp.Compare(a.line, b.line) })
	for _, o := range rows {
		e, ok := r.enrollments[o.enr]
		if !ok || e.proj < 0 {
			continue
		}
		pi := &r.projs[e.proj]
		in, s, end := e.entry, pi.opStart, pi.opEnd
		adj, open := o.exit, o.exit == noDay
		if open {
			adj = today
		}
		enrollment := func(msg string) { r.issue("Enrollment.csv", int(o.line), "EntryDate", dayText(in), msg, Warning) }
		exit := func(msg string) { r.issue("Exit.csv", int(o.exitLine), "ExitDate", dayText(o.exit), msg, Warning) }
		switch {
		case s != noDay && adj < s && open:
			enrollment(msgOpBeforeOpen)
		case s != noDay && adj < s:
			exit(msgOpBefore)
		case s != noDay && in < s && end != noDay && adj > end:
			enrollment(msgOpCrossPeriod)
		case s != noDay && in < s:
			enrollment(msgOpCrossStart)
		case end != noDay && adj > end && open:
			enrollment(msgOpCrossEndOpen)
		case end != noDay && adj > end:
			exit(msgOpCrossEnd)
		}
	}
}

// inventoryChecks: eva 79 and 44, an Inventory.csv row against its
// project's operating period.
func (c *checker) inventoryChecks() {
	if isSet(c.p, c.rt.field("DateDeleted")) {
		return
	}
	pi := c.project()
	if pi == nil {
		return
	}
	start, end := dateValue(c.p, c.rt.field("InventoryStartDate")), dateValue(c.p, c.rt.field("InventoryEndDate"))
	if !start.IsZero() && pi.opStart != noDay && dayNum(start) < pi.opStart {
		c.warn("InventoryStartDate", start.String(), msgInvBeforeOp)
	}
	if pi.opEnd != noDay && (end.IsZero() || dayNum(end) > pi.opEnd) {
		c.warn("InventoryEndDate", end.String(), msgInvAfterOpEnd)
	}
}

// entryRow is one live enrollment for eva 1 (16 bytes a row, freed after
// Enrollment.csv).
type entryRow struct {
	key  uint64 // hash of PersonalID, ProjectID and EntryDate
	line int32
	day  int32 // EntryDate
}

// dupEntry keeps a live Enrollment.csv row for checkDuplicateEntries.
func (r *reader) dupEntry(c *checker) {
	entry := dateValue(c.p, c.rt.field("EntryDate"))
	pid, prj := c.str("PersonalID"), c.str("ProjectID")
	if entry.IsZero() || pid == "" || prj == "" {
		return
	}
	r.mh.Reset()
	r.mh.WriteString(pid)
	r.mh.WriteByte(0)
	r.mh.WriteString(prj)
	r.mh.WriteByte(0)
	r.mh.WriteString(entry.String())
	r.entries = append(r.entries, entryRow{key: r.mh.Sum64(), line: int32(c.line), day: dayNum(entry)})
}

// checkDuplicateEntries: eva 1 "Duplicate Entries", a client with two
// enrollments in one project with the same project start date (3.10), a
// warning on each later row. The rows are sorted, not kept in a map.
func (r *reader) checkDuplicateEntries(file string) {
	es := r.entries
	r.entries = nil
	slices.SortFunc(es, func(a, b entryRow) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.line, b.line)
	})
	for i := 1; i < len(es); i++ {
		if es[i].key == es[i-1].key {
			r.issue(file, int(es[i].line), "EntryDate", dayText(es[i].day), msgDupEntry, Warning)
		}
	}
}
