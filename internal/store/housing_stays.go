package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
)

// This file is the bed board (issue 8): bed stays (check-in, check-out,
// moves) and holds. A stay ties a client's enrollment in the bed's
// program to the bed. The database keeps at most one open stay per bed
// and per client (unique partial indexes of migration 0016): when two
// people check different clients into one bed at the same moment, one
// insert wins and the other is told the bed was just taken.

// MaxHold is the longest a bed may be held.
const MaxHold = 7 * 24 * time.Hour

// Stay is one client's time in a bed.
type Stay struct {
	ID           string
	BedID        string
	EnrollmentID string
	PersonalID   string
	Start, End   time.Time // End zero while in the bed
}

// Hold keeps a bed for a client until Expires.
type Hold struct {
	ID, BedID, PersonalID string
	Expires               time.Time
}

// FieldEnrollment is the error field CheckIn sets when the client has no
// open enrollment in the bed's program (the page offers the intake).
const FieldEnrollment = "enrollment"

func bedTaken(label string) error {
	return &hmis.Error{Code: hmis.ECONFLICT, Message: label + " was just taken by another check-in: choose another bed.",
		Fields: map[string]string{"bed_id": label + " was just taken."}}
}

// writableClient is the check that the actor may record transactions for
// the client (access.Editable), else "not found" or forbidden.
func (s *Store) writableClient(ctx context.Context, personalID string) error {
	level, err := s.ClientAccess(ctx, personalID)
	if err != nil {
		return err
	}
	switch {
	case level == access.NotFound:
		return notFound("Client")
	case level < access.Editable:
		return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "You may see this client but not record their stays."}
	}
	return nil
}

// writableClientIn is writableClient for a stay or hold in a program's
// beds: the client is Editable, or the client's open enrollment in the
// program, which the stay goes under, is (access.DecideTransaction: an
// organization records stays in its own shelter programs of the clients
// it serves, whose record it otherwise sees only the intake of). An
// empty projectID (no such bed) leaves writableClient's answer.
func (s *Store) writableClientIn(ctx context.Context, personalID, projectID string) error {
	err := s.writableClient(ctx, personalID)
	if hmis.ErrorCode(err) != hmis.EFORBIDDEN || projectID == "" {
		return err
	}
	var enrollmentID string
	if rerr := s.read(ctx, func(tx *Tx) error {
		var err error
		enrollmentID, _, err = tx.openEnrollment(personalID, projectID)
		return err
	}); rerr != nil {
		return rerr
	}
	if enrollmentID == "" {
		return err
	}
	return s.writableEnrollment(ctx, personalID, enrollmentID, err)
}

// writableEnrollment is nil when the actor may change the client's
// enrollment (store.EnrollmentAccess), else denied.
func (s *Store) writableEnrollment(ctx context.Context, personalID, enrollmentID string, denied error) error {
	level, err := s.EnrollmentAccess(ctx, personalID, enrollmentID)
	if err != nil {
		return err
	}
	if level < access.Editable {
		return denied
	}
	return nil
}

// bedProject is the program of a bed ("" when there is no such bed).
func (s *Store) bedProject(ctx context.Context, bedID string) (string, error) {
	var projectID string
	err := s.read(ctx, func(tx *Tx) error {
		bs, err := tx.beds(` AND b.id = ?`, bedID)
		if err == nil && len(bs) > 0 {
			projectID = bs[0].ProjectID
		}
		return err
	})
	return projectID, err
}

// bedForStay reads a bed in use today, or "bed not found".
func (tx *Tx) bedForStay(bedID string) (Bed, error) {
	bs, err := tx.beds(` AND b.id = ?`, bedID)
	if err != nil {
		return Bed{}, err
	}
	if len(bs) == 0 || !bs[0].InUse(txToday(tx)) {
		return Bed{}, notFound("Bed")
	}
	return bs[0], nil
}

// openEnrollment returns the client's enrollment in a program open
// today (entered, not exited), among those the actor may see; "" if none.
func (tx *Tx) openEnrollment(personalID, projectID string) (string, hmis.Date, error) {
	cond, args, ok, err := tx.clientTransactions(personalID, "e.personal_id", "e")
	if err != nil || !ok {
		return "", hmis.Date{}, err
	}
	today := txToday(tx)
	var id string
	var entry hmis.Date
	err = tx.queryRow(`SELECT e.enrollment_id, e.entry_date FROM enrollments e
		WHERE `+cond+` AND e.project_id = ? AND e.date_deleted IS NULL AND e.entry_date <= ?
		  AND NOT EXISTS (SELECT 1 FROM exits x WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL AND x.exit_date <= ?)
		ORDER BY e.entry_date DESC, e.enrollment_id LIMIT 1`, append(args, projectID, nullDate(today), nullDate(today))...).Scan(&id, &entry)
	if errors.Is(err, sql.ErrNoRows) {
		return "", hmis.Date{}, nil
	}
	return id, entry, err
}

// openStayOf returns the client's open stay and its bed's label.
func (tx *Tx) openStayOf(personalID string) (Stay, string, error) {
	var st Stay
	var label string
	err := tx.queryRow(`SELECT s.id, s.bed_id, s.enrollment_id, s.personal_id, s.started_at, b.label FROM housing_stays s
		JOIN housing_beds b ON b.id = s.bed_id WHERE s.personal_id = ? AND s.ended_at IS NULL`, personalID).
		Scan(&st.ID, &st.BedID, &st.EnrollmentID, &st.PersonalID, scanTime(&st.Start), &label)
	if errors.Is(err, sql.ErrNoRows) {
		return Stay{}, "", nil
	}
	return st, label, err
}

// startStay opens a stay, from at, of the client in the bed under the
// client's open enrollment in the bed's program: the bed must be free
// (and, for a check-in recorded late, free since at) and not held for
// someone else (the client's own hold is used up).
func (tx *Tx) startStay(b Bed, personalID string, at time.Time) (Stay, error) {
	enrollmentID, entry, err := tx.openEnrollment(personalID, b.ProjectID)
	if err != nil {
		return Stay{}, err
	}
	if enrollmentID == "" {
		return Stay{}, &hmis.Error{Code: hmis.EINVALID,
			Message: "The client has no open enrollment in " + b.ProjectName + ", the program of " + b.Label + ": enroll them first.",
			Fields:  map[string]string{FieldEnrollment: b.ProjectID}}
	}
	switch {
	case at.After(tx.now):
		return Stay{}, &hmis.Error{Code: hmis.EINVALID, Message: "A check-in cannot be in the future.",
			Fields: map[string]string{"checked_in_at": "In the future."}}
	case hmis.DateOf(at.Local()).Before(entry):
		return Stay{}, &hmis.Error{Code: hmis.EINVALID, Message: "A check-in cannot be before the enrollment's entry date (" +
			entry.Format("01/02/2006") + ").", Fields: map[string]string{"checked_in_at": "Before the entry date."}}
	}
	var n int
	if err := tx.queryRow(`SELECT COUNT(*) FROM housing_stays WHERE bed_id = ? AND (ended_at IS NULL OR ended_at > ?)`,
		b.ID, tx.ts(at)).Scan(&n); err != nil {
		return Stay{}, err
	}
	if n > 0 {
		return Stay{}, bedTaken(b.Label)
	}
	if err := tx.queryRow(`SELECT COUNT(*) FROM housing_stays WHERE personal_id = ? AND ended_at > ?`, personalID, tx.ts(at)).Scan(&n); err != nil {
		return Stay{}, err
	}
	if n > 0 {
		return Stay{}, &hmis.Error{Code: hmis.EINVALID, Message: "The client was in another bed after that time.",
			Fields: map[string]string{"checked_in_at": "Overlaps another stay."}}
	}
	var holdID, holdFor string
	var until time.Time
	err = tx.queryRow(`SELECT id, personal_id, expires_at FROM housing_holds WHERE bed_id = ? AND released_at IS NULL AND expires_at > ?
		ORDER BY expires_at DESC LIMIT 1`, b.ID, tx.ts(tx.now)).Scan(&holdID, &holdFor, scanTime(&until))
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return Stay{}, err
	case holdFor != personalID:
		return Stay{}, &hmis.Error{Code: hmis.ECONFLICT, Message: b.Label + " is held for another client until " +
			until.Local().Format("01/02/2006 3:04 PM") + ": choose another bed.", Fields: map[string]string{"bed_id": b.Label + " is held."}}
	default:
		if _, err := tx.exec(`UPDATE housing_holds SET released_at = ? WHERE id = ?`, tx.ts(tx.now), holdID); err != nil {
			return Stay{}, err
		}
	}
	st := Stay{ID: NewID(), BedID: b.ID, EnrollmentID: enrollmentID, PersonalID: personalID, Start: at}
	if _, err := tx.exec(`INSERT INTO housing_stays (id, bed_id, enrollment_id, personal_id, started_at, user_id, date_created, date_updated)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, st.ID, st.BedID, st.EnrollmentID, st.PersonalID, tx.ts(st.Start), tx.actor.UserID,
		tx.ts(tx.now), tx.ts(tx.now)); err != nil {
		if tx.d.uniqueViolation(err) == "housing_stays_open_client" {
			return Stay{}, &hmis.Error{Code: hmis.ECONFLICT, Message: "The client was just checked in to another bed."}
		}
		if hmis.ErrorCode(tx.d.translate(err)) == hmis.ECONFLICT {
			return Stay{}, bedTaken(b.Label)
		}
		return Stay{}, err
	}
	return st, nil
}

// uniqueViolation names the unique index a PostgreSQL insert broke ("" for
// any other error). SQLite needs none: its single writer runs check-ins one
// after the other, so startStay's own checks see the earlier stay.
func (d *dialect) uniqueViolation(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return pe.ConstraintName
	}
	return ""
}

// CheckIn puts a client in a free bed (issue 8). The client must have an
// open enrollment in the bed's program (else an EINVALID error with the
// field FieldEnrollment set to the program's ID), may not be in another
// bed (move them instead), and the bed must be free and not held for
// someone else. Audited on the client ("check_in").
func (s *Store) CheckIn(ctx context.Context, bedID, personalID string) (Stay, error) {
	return s.CheckInAt(ctx, bedID, personalID, time.Time{})
}

// CheckInAt is CheckIn recorded late: the stay began at at (zero: now),
// which may not be in the future, before the enrollment's entry date, or
// while the bed or the client had another stay.
func (s *Store) CheckInAt(ctx context.Context, bedID, personalID string, at time.Time) (Stay, error) {
	projectID, err := s.bedProject(ctx, bedID)
	if err != nil {
		return Stay{}, err
	}
	if err := s.writableClientIn(ctx, personalID, projectID); err != nil {
		return Stay{}, err
	}
	var st Stay
	err = s.write(ctx, func(tx *Tx) error {
		b, err := tx.bedForStay(bedID)
		if err != nil {
			return err
		}
		if cur, label, err := tx.openStayOf(personalID); err != nil {
			return err
		} else if cur.ID != "" {
			// A bed under an enrollment the actor may not see is not named.
			if ok, err := tx.enrollmentVisible(cur.EnrollmentID); err != nil {
				return err
			} else if !ok {
				return &hmis.Error{Code: hmis.ECONFLICT, Message: "The client is already checked in to another program's bed."}
			}
			return &hmis.Error{Code: hmis.ECONFLICT, Message: "The client is already checked in to " + label + ": move them instead."}
		}
		if at.IsZero() {
			at = tx.now
		}
		if st, err = tx.startStay(b, personalID, at.UTC().Truncate(time.Microsecond)); err != nil {
			return err
		}
		return tx.audit("check_in", "client", personalID, "bed "+b.ID+", stay "+st.ID)
	})
	return st, err
}

// visibleStay reads an open or closed stay whose client the actor may
// record for; anything else is "stay not found".
func (s *Store) visibleStay(ctx context.Context, stayID string) (Stay, error) {
	var st Stay
	err := s.read(ctx, func(tx *Tx) error {
		err := tx.queryRow(`SELECT id, bed_id, enrollment_id, personal_id, started_at, ended_at FROM housing_stays WHERE id = ?`, stayID).
			Scan(&st.ID, &st.BedID, &st.EnrollmentID, &st.PersonalID, scanTime(&st.Start), scanTime(&st.End))
		return one(err, "Stay")
	})
	if err != nil {
		return st, err
	}
	err = s.writableClient(ctx, st.PersonalID)
	if hmis.ErrorCode(err) == hmis.EFORBIDDEN {
		// The stay's own enrollment decides (a served client's stay in
		// the actor's organization's program).
		err = s.writableEnrollment(ctx, st.PersonalID, st.EnrollmentID, err)
		if hmis.ErrorCode(err) == hmis.EFORBIDDEN {
			if l, lerr := s.EnrollmentAccess(ctx, st.PersonalID, st.EnrollmentID); lerr == nil && l == access.NotFound {
				err = notFound("Stay")
			}
		}
	}
	if err != nil {
		if hmis.ErrorCode(err) == hmis.ENOTFOUND {
			return Stay{}, notFound("Stay")
		}
		return Stay{}, err
	}
	return st, nil
}

// CheckOut ends an open stay at at (zero: now). A check-out before the
// check-in, in the future, or of a stay already ended is refused.
// Audited on the client ("check_out"). It returns the stay as ended.
func (s *Store) CheckOut(ctx context.Context, stayID string, at time.Time) (Stay, error) {
	st, err := s.visibleStay(ctx, stayID)
	if err != nil {
		return st, err
	}
	err = s.write(ctx, func(tx *Tx) error {
		if at.IsZero() {
			at = tx.now
		}
		at = at.UTC().Truncate(time.Microsecond)
		var start time.Time
		var ended sql.NullString
		if err := tx.queryRow(`SELECT started_at, CASE WHEN ended_at IS NULL THEN NULL ELSE 'x' END FROM housing_stays WHERE id = ?`,
			stayID).Scan(scanTime(&start), &ended); err != nil {
			return one(err, "Stay")
		}
		switch {
		case ended.Valid:
			return &hmis.Error{Code: hmis.ECONFLICT, Message: "The client was already checked out of this bed."}
		case at.Before(start):
			return &hmis.Error{Code: hmis.EINVALID, Message: "A check-out cannot be before the check-in (" +
				start.Local().Format("01/02/2006 3:04 PM") + ").", Fields: map[string]string{"checked_out_at": "Before the check-in."}}
		case at.After(tx.now):
			return &hmis.Error{Code: hmis.EINVALID, Message: "A check-out cannot be in the future.",
				Fields: map[string]string{"checked_out_at": "In the future."}}
		}
		if _, err := tx.exec(`UPDATE housing_stays SET ended_at = ?, date_updated = ? WHERE id = ? AND ended_at IS NULL`,
			tx.ts(at), tx.ts(tx.now), stayID); err != nil {
			return err
		}
		st.End = at
		return tx.audit("check_out", "client", st.PersonalID, "bed "+st.BedID+", stay "+st.ID)
	})
	return st, err
}

// MoveStay moves a checked-in client to another free bed: the stay ends
// now and a new one starts in the new bed (under the client's open
// enrollment in that bed's program). Audited on the client ("move_bed").
func (s *Store) MoveStay(ctx context.Context, stayID, toBedID string) (Stay, error) {
	st, err := s.visibleStay(ctx, stayID)
	if err != nil {
		return st, err
	}
	var out Stay
	err = s.write(ctx, func(tx *Tx) error {
		b, err := tx.bedForStay(toBedID)
		if err != nil {
			return err
		}
		if b.ID == st.BedID {
			return &hmis.Error{Code: hmis.EINVALID, Message: "The client is in this bed already.", Fields: map[string]string{"bed_id": "Choose another bed."}}
		}
		res, err := tx.exec(`UPDATE housing_stays SET ended_at = ?, date_updated = ? WHERE id = ? AND ended_at IS NULL`,
			tx.ts(tx.now), tx.ts(tx.now), stayID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &hmis.Error{Code: hmis.ECONFLICT, Message: "The client was already checked out of this bed."}
		}
		if out, err = tx.startStay(b, st.PersonalID, tx.now); err != nil {
			return err
		}
		return tx.audit("move_bed", "client", st.PersonalID, fmt.Sprintf("bed %s to bed %s, stay %s", st.BedID, b.ID, out.ID))
	})
	return out, err
}

// HoldBed keeps a free bed for a client until expires (at most MaxHold
// ahead). Audited on the client ("hold_bed").
func (s *Store) HoldBed(ctx context.Context, bedID, personalID string, expires time.Time) (Hold, error) {
	projectID, err := s.bedProject(ctx, bedID)
	if err != nil {
		return Hold{}, err
	}
	if err := s.writableClientIn(ctx, personalID, projectID); err != nil {
		return Hold{}, err
	}
	h := Hold{ID: NewID(), BedID: bedID, PersonalID: personalID, Expires: expires.UTC().Truncate(time.Microsecond)}
	err = s.write(ctx, func(tx *Tx) error {
		if !h.Expires.After(tx.now) {
			return &hmis.Error{Code: hmis.EINVALID, Message: "A hold must end in the future.", Fields: map[string]string{"expires": "Choose a later time."}}
		}
		if h.Expires.Sub(tx.now) > MaxHold {
			return &hmis.Error{Code: hmis.EINVALID, Message: "A bed may be held for at most 7 days.", Fields: map[string]string{"expires": "Choose an earlier time."}}
		}
		b, err := tx.bedForStay(bedID)
		if err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(`SELECT (SELECT COUNT(*) FROM housing_stays WHERE bed_id = ? AND ended_at IS NULL)
			+ (SELECT COUNT(*) FROM housing_holds WHERE bed_id = ? AND released_at IS NULL AND expires_at > ?)`,
			bedID, bedID, tx.ts(tx.now)).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &hmis.Error{Code: hmis.ECONFLICT, Message: b.Label + " is not free: choose another bed."}
		}
		if _, err := tx.visibleClient(personalID); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO housing_holds (id, bed_id, personal_id, expires_at, user_id, date_created) VALUES (?, ?, ?, ?, ?, ?)`,
			h.ID, bedID, personalID, tx.ts(h.Expires), tx.actor.UserID, tx.ts(tx.now)); err != nil {
			return err
		}
		return tx.audit("hold_bed", "client", personalID, "bed "+bedID+", hold "+h.ID)
	})
	return h, err
}

// ReleaseHold ends a hold before it expires. Audited on the client.
func (s *Store) ReleaseHold(ctx context.Context, holdID string) error {
	var personalID, bedID string
	err := s.read(ctx, func(tx *Tx) error {
		return one(tx.queryRow(`SELECT personal_id, bed_id FROM housing_holds WHERE id = ? AND released_at IS NULL`, holdID).
			Scan(&personalID, &bedID), "Hold")
	})
	if err != nil {
		return err
	}
	projectID, err := s.bedProject(ctx, bedID)
	if err != nil {
		return err
	}
	if err := s.writableClientIn(ctx, personalID, projectID); err != nil {
		if hmis.ErrorCode(err) == hmis.ENOTFOUND {
			return notFound("Hold")
		}
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`UPDATE housing_holds SET released_at = ? WHERE id = ? AND released_at IS NULL`, tx.ts(tx.now), holdID); err != nil {
			return err
		}
		return tx.audit("release_hold", "client", personalID, "bed "+bedID+", hold "+holdID)
	})
}

// BoardFilter selects beds of the bed board; zero fields match all.
type BoardFilter struct {
	ProjectID     string
	RoomID        string
	HouseholdType int
}

// BoardBed is one bed on the board, with who is in it or holds it.
type BoardBed struct {
	Bed
	Stay *BoardStay
	Hold *BoardHold
}

// BoardStay is who is in a bed. Hidden is true when the actor may not
// see the client (or this enrollment): the bed shows "occupied", with no
// name, ID or stay.
type BoardStay struct {
	StayID       string
	PersonalID   string
	EnrollmentID string
	FirstName    string
	LastName     string
	Since        time.Time
	Hidden       bool
}

// BoardHold is a hold in force on a bed (the client named only when
// visible).
type BoardHold struct {
	HoldID     string
	PersonalID string
	FirstName  string
	LastName   string
	Expires    time.Time
	Hidden     bool
}

// BoardPlace is one shelter on the board.
type BoardPlace struct {
	ID, Name                    string
	Beds                        []BoardBed
	Total, Occupied, Held, Free int
}

// BedBoard returns every bed in use today that f selects, place by place,
// with its occupant and hold. Names come only for clients the actor may
// see with this enrollment (enrollmentCondition);
// other occupied beds say only "occupied". Audited ("read", "bed_board",
// with how many clients were named).
func (s *Store) BedBoard(ctx context.Context, f BoardFilter) ([]BoardPlace, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	var out []BoardPlace
	named := 0
	err := s.read(ctx, func(tx *Tx) error {
		cond, args := "", []any{}
		if f.ProjectID != "" {
			cond, args = cond+` AND b.project_id = ?`, append(args, f.ProjectID)
		}
		if f.RoomID != "" {
			cond, args = cond+` AND b.room_id = ?`, append(args, f.RoomID)
		}
		if f.HouseholdType != 0 {
			cond, args = cond+` AND b.household_type = ?`, append(args, f.HouseholdType)
		}
		beds, err := tx.beds(cond, args...)
		if err != nil {
			return err
		}
		today := txToday(tx)
		byBed := map[string]*BoardBed{}
		var list []*BoardBed
		for _, b := range beds {
			if b.InUse(today) {
				bb := &BoardBed{Bed: b}
				byBed[b.ID] = bb
				list = append(list, bb)
			}
		}
		// Every open stay and hold; names only where visible.
		rows, err := tx.query(`SELECT s.id, s.bed_id, s.personal_id, s.enrollment_id, s.started_at FROM housing_stays s WHERE s.ended_at IS NULL`)
		if err != nil {
			return err
		}
		stays := map[string]*BoardStay{}
		for rows.Next() {
			var st BoardStay
			var bedID string
			if err := rows.Scan(&st.StayID, &bedID, &st.PersonalID, &st.EnrollmentID, scanTime(&st.Since)); err != nil {
				rows.Close()
				return err
			}
			if bb := byBed[bedID]; bb != nil {
				st.Hidden = true
				bb.Stay = &st
				stays[st.StayID] = bb.Stay
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		q := `SELECT s.id, c.first_name, c.last_name FROM housing_stays s
			JOIN clients c ON c.personal_id = s.personal_id AND c.date_deleted IS NULL
			JOIN enrollments e ON e.enrollment_id = s.enrollment_id AND e.date_deleted IS NULL
			WHERE s.ended_at IS NULL`
		var qargs []any
		if vis, vargs := enrollmentCondition(tx.actor, "c", "e", today); vis != "" {
			q, qargs = q+` AND `+vis, append(qargs, vargs...)
		}
		if rows, err = tx.query(q, qargs...); err != nil {
			return err
		}
		for rows.Next() {
			var id, first, last string
			if err := rows.Scan(&id, scanString(&first), scanString(&last)); err != nil {
				rows.Close()
				return err
			}
			if st := stays[id]; st != nil {
				st.FirstName, st.LastName, st.Hidden = first, last, false
				named++
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, st := range stays {
			if st.Hidden {
				*st = BoardStay{Hidden: true}
			}
		}
		hq := `SELECT h.id, h.bed_id, h.personal_id, h.expires_at, CASE WHEN c.personal_id IS NULL THEN NULL ELSE c.first_name END,
				CASE WHEN c.personal_id IS NULL THEN NULL ELSE c.last_name END
			FROM housing_holds h LEFT JOIN clients c ON c.personal_id = h.personal_id AND c.date_deleted IS NULL`
		hargs := []any{}
		if vis, vargs := clientVisibility(tx.actor, "c", today); vis != "" {
			hq += ` AND ` + vis
			hargs = append(hargs, vargs...)
		}
		hq += ` WHERE h.released_at IS NULL AND h.expires_at > ?`
		hargs = append(hargs, tx.ts(tx.now))
		if rows, err = tx.query(hq, hargs...); err != nil {
			return err
		}
		for rows.Next() {
			var h BoardHold
			var bedID string
			var first, last sql.NullString
			if err := rows.Scan(&h.HoldID, &bedID, &h.PersonalID, scanTime(&h.Expires), &first, &last); err != nil {
				rows.Close()
				return err
			}
			if !first.Valid && !last.Valid {
				h = BoardHold{HoldID: h.HoldID, Expires: h.Expires, Hidden: true}
			} else {
				h.FirstName, h.LastName = first.String, last.String
				named++
			}
			if bb := byBed[bedID]; bb != nil && bb.Stay == nil {
				bb.Hold = &h
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, bb := range list {
			if len(out) == 0 || out[len(out)-1].ID != bb.PlaceID {
				out = append(out, BoardPlace{ID: bb.PlaceID, Name: bb.PlaceName})
			}
			p := &out[len(out)-1]
			p.Beds = append(p.Beds, *bb)
			p.Total++
			switch {
			case bb.Stay != nil:
				p.Occupied++
			case bb.Hold != nil:
				p.Held++
			default:
				p.Free++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, s.Audit(ctx, "read", "bed_board", f.ProjectID, fmt.Sprintf("%d clients named", named))
}

// FreeBeds returns the beds in use today with no open stay and no hold
// in force (or held for personalID), for the check-in form.
func (s *Store) FreeBeds(ctx context.Context, personalID string) ([]Bed, error) {
	var out []Bed
	err := s.read(ctx, func(tx *Tx) error {
		beds, err := tx.beds(` AND NOT EXISTS (SELECT 1 FROM housing_stays s WHERE s.bed_id = b.id AND s.ended_at IS NULL)
			AND NOT EXISTS (SELECT 1 FROM housing_holds h WHERE h.bed_id = b.id AND h.released_at IS NULL AND h.expires_at > ?
				AND h.personal_id <> ?)`, tx.ts(tx.now), personalID)
		if err != nil {
			return err
		}
		today := txToday(tx)
		for _, b := range beds {
			if b.InUse(today) {
				out = append(out, b)
			}
		}
		return nil
	})
	return out, err
}

// CurrentStay is a client's open stay with its bed, for the check-out
// form; ok is false when the client is in no bed.
func (s *Store) CurrentStay(ctx context.Context, personalID string) (st Stay, bed Bed, ok bool, err error) {
	err = s.read(ctx, func(tx *Tx) error {
		if _, _, vis, err := tx.clientTransactions(personalID, "e.personal_id", "e"); err != nil || !vis {
			if err == nil {
				err = notFound("Client")
			}
			return err
		}
		cur, _, err := tx.openStayOf(personalID)
		if err != nil || cur.ID == "" {
			return err
		}
		// A stay under an enrollment the actor may not see (another
		// organization's program of a client the actor serves) is not shown.
		if vis, err := tx.enrollmentVisible(cur.EnrollmentID); err != nil || !vis {
			return err
		}
		bs, err := tx.beds(` AND b.id = ?`, cur.BedID)
		if err != nil || len(bs) == 0 {
			return err
		}
		st, bed, ok = cur, bs[0], true
		return nil
	})
	if err != nil {
		return st, bed, ok, err
	}
	return st, bed, ok, s.Audit(ctx, "read", "client", personalID, "bed stay")
}

// OpenEnrollment is an enrollment open today.
type OpenEnrollment struct {
	EnrollmentID, PersonalID, HouseholdID string
	EntryDate                             hmis.Date
	InBed                                 bool // the client has an open stay
}

// OpenEnrollments returns a program's enrollments open today that the
// actor may see (enrollmentCondition), by entry date:
// who could be in its beds. Only identifiers, no names. Audited ("read",
// "program").
func (s *Store) OpenEnrollments(ctx context.Context, projectID string) ([]OpenEnrollment, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	var out []OpenEnrollment
	err := s.read(ctx, func(tx *Tx) error {
		today := txToday(tx)
		q := `SELECT e.enrollment_id, e.personal_id, COALESCE(e.household_id, ''), e.entry_date,
				(SELECT COUNT(*) FROM housing_stays s WHERE s.personal_id = e.personal_id AND s.ended_at IS NULL)
			FROM enrollments e JOIN clients c ON c.personal_id = e.personal_id AND c.date_deleted IS NULL
			WHERE e.project_id = ? AND e.date_deleted IS NULL AND e.entry_date <= ?
			  AND NOT EXISTS (SELECT 1 FROM exits x WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL AND x.exit_date <= ?)`
		args := []any{projectID, nullDate(today), nullDate(today)}
		if vis, vargs := enrollmentCondition(tx.actor, "c", "e", today); vis != "" {
			q, args = q+` AND `+vis, append(args, vargs...)
		}
		rows, err := tx.query(q+` ORDER BY e.entry_date, e.household_id, e.enrollment_id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var o OpenEnrollment
			var n int
			if err := rows.Scan(&o.EnrollmentID, &o.PersonalID, &o.HouseholdID, &o.EntryDate, &n); err != nil {
				return err
			}
			o.InBed = n > 0
			out = append(out, o)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, s.Audit(ctx, "read", "program", projectID, fmt.Sprintf("open enrollments: %d", len(out)))
}

// endStaysAtExit checks the client out of any bed they still hold under
// the exited enrollment (issue 8: an exit frees the bed, so the board and
// utilization never count a client who has left). The stay ends at the
// end of the exit date, or now when that is later than now, and never
// before it began. Audited like a check-out.
func (tx *Tx) endStaysAtExit(x hmis.Exit) error {
	rows, err := tx.query(`SELECT id, bed_id, started_at FROM housing_stays WHERE enrollment_id = ? AND ended_at IS NULL`, x.EnrollmentID)
	if err != nil {
		return err
	}
	type open struct {
		id, bed string
		start   time.Time
	}
	var stays []open
	for rows.Next() {
		var o open
		if err := rows.Scan(&o.id, &o.bed, scanTime(&o.start)); err != nil {
			rows.Close()
			return err
		}
		stays = append(stays, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, o := range stays {
		end := x.ExitDate.Time().Add(24*time.Hour - time.Second).UTC()
		if x.ExitDate.IsZero() || end.After(tx.now) {
			end = tx.now
		}
		if end.Before(o.start) {
			end = o.start
		}
		if _, err := tx.exec(`UPDATE housing_stays SET ended_at = ?, date_updated = ? WHERE id = ? AND ended_at IS NULL`,
			tx.ts(end), tx.ts(tx.now), o.id); err != nil {
			return err
		}
		if err := tx.audit("check_out", "client", x.PersonalID, "bed "+o.bed+", stay "+o.id+": exit "+x.ExitID); err != nil {
			return err
		}
	}
	return nil
}
