package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// Utilization (issue 8): occupancy per night and average utilization per
// program over a period, with HUD's rule of thumb (HIC/PIT data quality
// guidance): an average under 65% or over 105% needs a look.
//
// Capacity on a night: the program's beds on the board in use that night;
// a program without beds on the board uses its HUD Inventory records
// (BedInventory, 2.07.14) in force that night.
// Occupancy on a night:
//   - beds on the board: the stays open that night (a stay from the 3rd to
//     the 5th occupies the nights of the 3rd and the 4th);
//   - otherwise a night-by-night shelter: the clients with a bed night
//     (Services 200) on that date;
//   - otherwise: the clients enrolled that night (entered on or before it,
//     not exited on or before it).
//
// Stays are counted whoever is in the bed (the bed board shows every
// occupied bed too); bed nights and enrollments only where the actor may
// see the client and the enrollment, like the dashboard's counts.

// MaxUtilizationNights is the longest period accepted.
const MaxUtilizationNights = 366

// Rule-of-thumb bounds, in percent.
const (
	UtilizationLow  = 65
	UtilizationHigh = 105
)

// UtilizationNight is one night of a program.
type UtilizationNight struct {
	Night              hmis.Date
	Capacity, Occupied int
}

// Percent is the night's utilization (0 with no capacity).
func (n UtilizationNight) Percent() float64 {
	if n.Capacity == 0 {
		return 0
	}
	return 100 * float64(n.Occupied) / float64(n.Capacity)
}

// ProgramUtilization is one program over the period.
type ProgramUtilization struct {
	ProjectID, ProjectName string
	ProjectType            *hud.ProjectType
	CapacityFrom           string // "bed board" or "HUD inventory"
	OccupancyFrom          string // "bed stays", "bed nights" or "enrollments"
	Nights                 []UtilizationNight
	Average                float64 // occupied nights / bed nights available, in percent
	Flag                   string  // "under 65%", "over 105%" or ""
}

// residential are the project types with beds (HUD's HIC types).
var residential = map[hud.ProjectType]bool{
	hud.ProjectTypeEmergencyShelterEntryExit: true, hud.ProjectTypeEmergencyShelterNightByNight: true,
	hud.ProjectTypeTransitionalHousing: true, hud.ProjectTypePHPermanentSupportiveHousing: true,
	hud.ProjectTypeSafeHaven: true, hud.ProjectTypePHHousingOnly: true, hud.ProjectTypePHHousingWithServices: true,
	hud.ProjectTypePHRapidReHousing: true,
}

// Utilization computes the programs' utilization from the night of from
// to the night of to (both included). projectID "" means every program
// with capacity in the period.
func (s *Store) Utilization(ctx context.Context, from, to hmis.Date, projectID string) ([]ProgramUtilization, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	fields := map[string]string{}
	if from.IsZero() {
		fields["from"] = "Enter the first night."
	}
	if to.IsZero() {
		fields["to"] = "Enter the last night."
	}
	if len(fields) == 0 && to.Before(from) {
		fields["to"] = "The last night cannot be before the first."
	} else if len(fields) == 0 && from.DaysUntil(to)+1 > MaxUtilizationNights {
		fields["to"] = fmt.Sprintf("Choose at most %d nights.", MaxUtilizationNights)
	}
	if len(fields) > 0 {
		return nil, &hmis.Error{Code: hmis.EINVALID, Message: "The period is not valid.", Fields: fields}
	}
	n := from.DaysUntil(to) + 1
	idx := func(d hmis.Date) int { return from.DaysUntil(d) }
	var out []ProgramUtilization
	err := s.read(ctx, func(tx *Tx) error {
		progs := map[string]*ProgramUtilization{}
		var order []*ProgramUtilization
		rows, err := tx.query(`SELECT project_id, COALESCE(project_name, ''), project_type FROM projects WHERE date_deleted IS NULL`)
		if err != nil {
			return err
		}
		for rows.Next() {
			p := &ProgramUtilization{}
			if err := rows.Scan(&p.ProjectID, &p.ProjectName, scanInt(&p.ProjectType)); err != nil {
				rows.Close()
				return err
			}
			if projectID != "" && p.ProjectID != projectID {
				continue
			}
			p.Nights = make([]UtilizationNight, n)
			for i := range p.Nights {
				p.Nights[i].Night = from.AddDays(i)
			}
			progs[p.ProjectID] = p
			order = append(order, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// Capacity: beds on the board.
		beds, err := tx.beds("")
		if err != nil {
			return err
		}
		board := map[string]bool{}
		for _, b := range beds {
			p := progs[b.ProjectID]
			if p == nil {
				continue
			}
			board[b.ProjectID] = true
			p.CapacityFrom, p.OccupancyFrom = "bed board", "bed stays"
			for i := range p.Nights {
				if b.InUse(p.Nights[i].Night) {
					p.Nights[i].Capacity++
				}
			}
		}
		// Capacity: HUD inventory of the other residential programs.
		rows, err = tx.query(`SELECT project_id, COALESCE(bed_inventory, 0), inventory_start_date, inventory_end_date FROM inventory
			WHERE date_deleted IS NULL AND (inventory_start_date IS NULL OR inventory_start_date <= ?)
			  AND (inventory_end_date IS NULL OR inventory_end_date > ?)`, nullDate(to), nullDate(from))
		if err != nil {
			return err
		}
		for rows.Next() {
			var pid string
			var beds int
			var start, end hmis.Date
			if err := rows.Scan(&pid, &beds, &start, &end); err != nil {
				rows.Close()
				return err
			}
			p := progs[pid]
			if p == nil || board[pid] || p.ProjectType == nil || !residential[*p.ProjectType] {
				continue
			}
			p.CapacityFrom = "HUD inventory"
			if *p.ProjectType == hud.ProjectTypeEmergencyShelterNightByNight {
				p.OccupancyFrom = "bed nights"
			} else {
				p.OccupancyFrom = "enrollments"
			}
			for i := range p.Nights {
				if (start.IsZero() || !start.After(p.Nights[i].Night)) && (end.IsZero() || end.After(p.Nights[i].Night)) {
					p.Nights[i].Capacity += beds
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// Occupancy: stays.
		end := time.Date(to.Time().Year(), to.Time().Month(), to.Time().Day()+1, 0, 0, 0, 0, time.Local)
		start := time.Date(from.Time().Year(), from.Time().Month(), from.Time().Day(), 0, 0, 0, 0, time.Local)
		rows, err = tx.query(`SELECT b.project_id, s.started_at, s.ended_at FROM housing_stays s JOIN housing_beds b ON b.id = s.bed_id
			WHERE s.started_at < ? AND (s.ended_at IS NULL OR s.ended_at >= ?)`, tx.ts(end), tx.ts(start))
		if err != nil {
			return err
		}
		for rows.Next() {
			var pid string
			var a, z time.Time
			if err := rows.Scan(&pid, scanTime(&a), scanTime(&z)); err != nil {
				rows.Close()
				return err
			}
			p := progs[pid]
			if p == nil {
				continue
			}
			first, last := hmis.DateOf(a.Local()), to
			if !z.IsZero() {
				last = hmis.DateOf(z.Local()).AddDays(-1)
			}
			for d := max(idx(first), 0); d <= min(idx(last), n-1); d++ {
				p.Nights[d].Occupied++
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// Occupancy: bed nights and enrollments, where visible, of the
		// programs counted that way only.
		var nightIDs, enrollIDs []any
		for _, p := range order {
			switch p.OccupancyFrom {
			case "bed nights":
				nightIDs = append(nightIDs, p.ProjectID)
			case "enrollments":
				enrollIDs = append(enrollIDs, p.ProjectID)
			}
		}
		in := func(ids []any) string {
			if len(ids) == 0 {
				return ` AND 1 = 0`
			}
			return ` AND e.project_id IN (?` + repeat(", ?", len(ids)-1) + `)`
		}
		vis, vargs := enrollmentVisibility(tx, "c", "e")
		cond, cargs := "", []any{}
		if vis != "" {
			cond, cargs = cond+` AND `+vis, append(cargs, vargs...)
		}
		rows, err = tx.query(`SELECT e.project_id, v.date_provided, COUNT(DISTINCT v.personal_id) FROM services v
			JOIN enrollments e ON e.enrollment_id = v.enrollment_id AND e.date_deleted IS NULL
			JOIN clients c ON c.personal_id = e.personal_id AND c.date_deleted IS NULL
			WHERE v.date_deleted IS NULL AND v.record_type = 200 AND v.date_provided >= ? AND v.date_provided <= ?`+in(nightIDs)+cond+`
			GROUP BY e.project_id, v.date_provided`, append(append([]any{nullDate(from), nullDate(to)}, nightIDs...), cargs...)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var pid string
			var d hmis.Date
			var k int
			if err := rows.Scan(&pid, &d, &k); err != nil {
				rows.Close()
				return err
			}
			if p := progs[pid]; p != nil && p.OccupancyFrom == "bed nights" {
				p.Nights[idx(d)].Occupied += k
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.query(`SELECT e.project_id, e.entry_date,
				(SELECT MIN(x.exit_date) FROM exits x WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL)
			FROM enrollments e JOIN clients c ON c.personal_id = e.personal_id AND c.date_deleted IS NULL
			WHERE e.date_deleted IS NULL AND e.entry_date <= ?`+in(enrollIDs)+cond, append(append([]any{nullDate(to)}, enrollIDs...), cargs...)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var pid string
			var entry, exit hmis.Date
			if err := rows.Scan(&pid, &entry, &exit); err != nil {
				rows.Close()
				return err
			}
			p := progs[pid]
			if p == nil || p.OccupancyFrom != "enrollments" || (!exit.IsZero() && !exit.After(from)) {
				continue
			}
			last := to
			if !exit.IsZero() {
				last = exit.AddDays(-1)
			}
			for d := max(idx(entry), 0); d <= min(idx(last), n-1); d++ {
				p.Nights[d].Occupied++
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, p := range order {
			var occ, cap int
			for _, nt := range p.Nights {
				if nt.Capacity > 0 {
					occ, cap = occ+nt.Occupied, cap+nt.Capacity
				}
			}
			if cap == 0 {
				continue
			}
			p.Average = 100 * float64(occ) / float64(cap)
			switch {
			case p.Average < UtilizationLow:
				p.Flag = fmt.Sprintf("under %d%%", UtilizationLow)
			case p.Average > UtilizationHigh:
				p.Flag = fmt.Sprintf("over %d%%", UtilizationHigh)
			}
			out = append(out, *p)
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].ProjectName < out[j].ProjectName })
	return out, err
}
