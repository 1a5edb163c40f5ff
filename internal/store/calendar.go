package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/calendar"
	"github.com/hearth-hmis/hearth/internal/hmis"
)

// This file is the calendar (issue 8, migration 0019_calendar): events
// with staff and client attendees, recurrences and cancelled
// occurrences, follow-ups. Who sees an event:
//
//   - an event with client attendees is client data: seen by the users
//     who may see the whole record of every one of its clients
//     (recordVisibility, the one rule), by none other, and reading it is
//     audited on each client; a client the user's organization serves
//     (access.Serves: a live enrollment in one of its programs) counts
//     for the events of that organization (calendar_events.organization_id,
//     the organization the owner acted for), and a user who may write
//     adds such a client to events of their organization (access.MayServe);
//   - an event without clients is seen by its owner and its staff
//     attendees only.
//
// Only the owner changes or deletes an event; the owner and staff
// attendees mark its follow-up done.

// Limits of an event's fields.
const (
	MaxEventTitle     = 200
	MaxEventLocation  = 300
	MaxEventNotes     = 5000
	MaxEventAttendees = 50
)

// EventStaff is a staff attendee.
type EventStaff struct {
	AccountID string
	Name      string // "First Last", else the username
}

// EventClient is a client attendee.
type EventClient struct {
	PersonalID          string
	FirstName, LastName string
}

// Initials are the client's initials ("J.D."), what a feed shows by default.
func (c EventClient) Initials() string {
	var b strings.Builder
	for _, n := range []string{c.FirstName, c.LastName} {
		if r, _ := utf8.DecodeRuneInString(strings.TrimSpace(n)); r != utf8.RuneError {
			b.WriteString(strings.ToUpper(string(r)) + ".")
		}
	}
	if b.Len() == 0 {
		return "Client"
	}
	return b.String()
}

// Event is one calendar event (a whole series when it repeats).
type Event struct {
	ID             string
	OwnerAccountID string
	OwnerName      string
	Title          string
	Location       string
	Notes          string
	AllDay         bool
	// Start and End are the first occurrence, in the event's zone
	// (TimeZone). All-day: dates at midnight, End exclusive (the day after
	// the last day).
	Start, End   time.Time
	TimeZone     string
	Rule         calendar.Rule
	FollowUp     bool
	FollowUpDone time.Time // zero while not done
	Staff        []EventStaff
	Clients      []EventClient
	Cancelled    []time.Time // original starts of cancelled occurrences
	DateCreated  time.Time
	DateUpdated  time.Time
}

// Duration is how long each occurrence lasts.
func (e *Event) Duration() time.Duration { return e.End.Sub(e.Start) }

// Zone is the event's time zone.
func (e *Event) Zone() *time.Location { return calendar.Location(e.TimeZone) }

// Occurrence is one occurrence of an event.
type Occurrence struct {
	Event      *Event
	Start, End time.Time
}

// EventInput is what CreateEvent and UpdateEvent take. Start and End are
// wall-clock times in TimeZone ("" is the server's zone); for an all-day
// event only their dates count and End is the last day (inclusive).
type EventInput struct {
	Title, Location, Notes string
	AllDay                 bool
	Start, End             time.Time
	TimeZone               string
	Rule                   calendar.Rule
	FollowUp               bool
	StaffIDs               []string // accounts.id
	ClientIDs              []string // PersonalIDs
}

// normalize checks the input, returning the event's stored start and end
// (all-day: midnight UTC dates, end exclusive) and messages by field.
func (in *EventInput) normalize() (start, end time.Time, fields map[string]string) {
	fields = map[string]string{}
	in.Title = strings.TrimSpace(in.Title)
	in.Location = strings.TrimSpace(in.Location)
	in.Notes = strings.TrimSpace(in.Notes)
	switch {
	case in.Title == "":
		fields["title"] = "Give the event a title."
	case utf8.RuneCountInString(in.Title) > MaxEventTitle:
		fields["title"] = fmt.Sprintf("A title holds at most %d characters.", MaxEventTitle)
	}
	if utf8.RuneCountInString(in.Location) > MaxEventLocation {
		fields["location"] = fmt.Sprintf("A location holds at most %d characters.", MaxEventLocation)
	}
	if utf8.RuneCountInString(in.Notes) > MaxEventNotes {
		fields["notes"] = fmt.Sprintf("Notes hold at most %d characters.", MaxEventNotes)
	}
	if in.TimeZone == "" {
		in.TimeZone = calendar.ZoneName()
	}
	if _, err := time.LoadLocation(in.TimeZone); err != nil {
		fields["time_zone"] = "Unknown time zone."
	}
	loc := calendar.Location(in.TimeZone)
	if in.Start.IsZero() {
		fields["start"] = "Give the start."
	}
	if in.End.IsZero() && !in.AllDay {
		fields["end"] = "Give the end."
	}
	if len(in.StaffIDs)+len(in.ClientIDs) > MaxEventAttendees {
		fields["attendees"] = fmt.Sprintf("An event has at most %d attendees.", MaxEventAttendees)
	}
	in.StaffIDs = uniqueNonEmpty(in.StaffIDs)
	in.ClientIDs = uniqueNonEmpty(in.ClientIDs)
	if fields["start"] != "" || fields["end"] != "" {
		return
	}
	if in.AllDay {
		start = time.Date(in.Start.Year(), in.Start.Month(), in.Start.Day(), 0, 0, 0, 0, time.UTC)
		last := start
		if !in.End.IsZero() {
			last = time.Date(in.End.Year(), in.End.Month(), in.End.Day(), 0, 0, 0, 0, time.UTC)
		}
		if last.Before(start) {
			fields["end"] = "The event cannot end before it starts."
		}
		end = last.AddDate(0, 0, 1)
	} else {
		start = time.Date(in.Start.Year(), in.Start.Month(), in.Start.Day(), in.Start.Hour(), in.Start.Minute(), 0, 0, loc)
		end = time.Date(in.End.Year(), in.End.Month(), in.End.Day(), in.End.Hour(), in.End.Minute(), 0, 0, loc)
		if !end.After(start) {
			fields["end"] = "The event must end after it starts."
		} else if end.Sub(start) > 31*24*time.Hour {
			fields["end"] = "An event lasts at most 31 days; use a repeating event instead."
		}
	}
	if in.Rule.Repeats() && fields["end"] == "" && end.Sub(start) > 24*time.Hour && in.Rule.Freq == calendar.Daily {
		fields["repeat"] = "An event longer than a day cannot repeat daily."
	}
	for k, v := range in.Rule.Validate(start) {
		fields[k] = v
	}
	return
}

func uniqueNonEmpty(ids []string) []string {
	var out []string
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// CreateEvent adds an event owned by the actor. Each client attendee must
// be a client the actor may change (access.Editable; not found when not
// visible) or one the actor's organization serves (access.MayServe: the
// event is then the organization's); staff attendees must be live accounts. Audited on the event
// and on each client ("calendar_event.create").
func (s *Store) CreateEvent(ctx context.Context, in EventInput) (Event, error) {
	return s.saveEvent(ctx, "", in)
}

// UpdateEvent changes an event the actor owns (its cancelled occurrences
// are kept). An event the actor may not see is not found; one the actor
// sees but does not own is forbidden.
func (s *Store) UpdateEvent(ctx context.Context, id string, in EventInput) (Event, error) {
	if id == "" {
		return Event{}, notFound("Event")
	}
	return s.saveEvent(ctx, id, in)
}

func (s *Store) saveEvent(ctx context.Context, id string, in EventInput) (Event, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return Event{}, errNoActor
	}
	if actor.AccountID == "" {
		return Event{}, &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only a user account has a calendar."}
	}
	start, end, fields := in.normalize()
	servedOnly := false // a client attendee the actor's organization only serves
	for _, pid := range in.ClientIDs {
		level, err := s.ClientAccess(ctx, pid)
		if err != nil {
			return Event{}, err
		}
		switch {
		case level == access.NotFound:
			return Event{}, notFound("Client")
		case level < access.Editable:
			var may bool
			if err := s.read(ctx, func(tx *Tx) error {
				var err error
				may, err = tx.mayServe(pid)
				return err
			}); err != nil {
				return Event{}, err
			}
			if !may {
				fields["clients"] = "You may see one of these clients but not add appointments to their record."
			}
			servedOnly = servedOnly || may
		}
	}
	var saved Event
	err := s.write(ctx, func(tx *Tx) error {
		var old *Event
		if id != "" {
			e, err := tx.event(id)
			if err != nil {
				return err
			}
			if e.OwnerAccountID != actor.AccountID {
				return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only the person who made this event may change it."}
			}
			old = &e
			if servedOnly {
				// A served client joins only an event of the organization
				// serving them: the one acted for now.
				var org sql.NullString
				if err := tx.queryRow(`SELECT organization_id FROM calendar_events WHERE id = ?`, id).Scan(&org); err != nil {
					return err
				}
				if org.String != actor.OrganizationID {
					fields["clients"] = "One of these clients is served by the organization you act for, not by the one this event was made for: make a new event."
				}
			}
		}
		for _, pid := range in.ClientIDs {
			if _, err := tx.visibleClient(pid); err != nil {
				return err
			}
		}
		for _, aid := range in.StaffIDs {
			var disabled bool
			err := tx.queryRow(`SELECT disabled FROM accounts WHERE id = ?`, aid).Scan(&disabled)
			if errors.Is(err, sql.ErrNoRows) || err == nil && disabled {
				fields["staff"] = "Choose staff attendees among the users of this site."
			} else if err != nil {
				return err
			}
		}
		if len(fields) > 0 {
			return &hmis.Error{Code: hmis.EINVALID, Message: "The event was not saved.", Fields: fields}
		}
		var until any
		if !in.Rule.Until.IsZero() {
			until = hmis.DateOf(in.Rule.Until).String()
		}
		var count any
		if in.Rule.Count > 0 {
			count = in.Rule.Count
		}
		interval := max(in.Rule.Interval, 1)
		if id == "" {
			id = NewID()
			if _, err := tx.exec(`INSERT INTO calendar_events (id, owner_account_id, organization_id, title, location, notes,
					all_day, starts_at, ends_at, time_zone, repeat_freq, repeat_interval, repeat_count, repeat_until, repeat_byday,
					follow_up, date_created, date_updated)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				id, actor.AccountID, nullString(actor.OrganizationID), in.Title, in.Location, in.Notes, in.AllDay,
				tx.ts(start), tx.ts(end), in.TimeZone, in.Rule.Freq, interval, count, until, in.Rule.ByDayString(),
				in.FollowUp, tx.ts(tx.now), tx.ts(tx.now)); err != nil {
				return err
			}
		} else {
			if _, err := tx.exec(`UPDATE calendar_events SET title = ?, location = ?, notes = ?, all_day = ?, starts_at = ?,
					ends_at = ?, time_zone = ?, repeat_freq = ?, repeat_interval = ?, repeat_count = ?, repeat_until = ?,
					repeat_byday = ?, follow_up = ?, date_updated = ? WHERE id = ?`,
				in.Title, in.Location, in.Notes, in.AllDay, tx.ts(start), tx.ts(end), in.TimeZone, in.Rule.Freq, interval,
				count, until, in.Rule.ByDayString(), in.FollowUp, tx.ts(tx.now), id); err != nil {
				return err
			}
			if _, err := tx.exec(`DELETE FROM calendar_attendees WHERE event_id = ?`, id); err != nil {
				return err
			}
		}
		for _, aid := range in.StaffIDs {
			if _, err := tx.exec(`INSERT INTO calendar_attendees (id, event_id, account_id) VALUES (?, ?, ?)`, NewID(), id, aid); err != nil {
				return err
			}
		}
		for _, pid := range in.ClientIDs {
			if _, err := tx.exec(`INSERT INTO calendar_attendees (id, event_id, personal_id) VALUES (?, ?, ?)`, NewID(), id, pid); err != nil {
				return err
			}
		}
		action := "calendar_event.create"
		if old != nil {
			action = "calendar_event.update"
		}
		if err := tx.audit(action, "calendar_event", id, fmt.Sprintf("%d staff, %d clients", len(in.StaffIDs), len(in.ClientIDs))); err != nil {
			return err
		}
		clients := in.ClientIDs
		if old != nil {
			for _, c := range old.Clients {
				if !slices.Contains(clients, c.PersonalID) {
					clients = append(clients, c.PersonalID)
				}
			}
		}
		for _, pid := range clients {
			if err := tx.audit(action, "client", pid, "calendar event "+id); err != nil {
				return err
			}
		}
		var err error
		saved, err = tx.event(id)
		return err
	})
	return saved, err
}

// eventSelect reads events (alias ev) with their owner's name.
const eventSelect = `SELECT ev.id, ev.owner_account_id, a.first_name, a.last_name, a.username, ev.title, ev.location, ev.notes,
		ev.all_day, ev.starts_at, ev.ends_at, ev.time_zone, ev.repeat_freq, ev.repeat_interval, ev.repeat_count,
		ev.repeat_until, ev.repeat_byday, ev.follow_up, ev.follow_up_done_at, ev.date_created, ev.date_updated
	FROM calendar_events ev
	LEFT JOIN accounts a ON a.id = ev.owner_account_id
	WHERE ev.date_deleted IS NULL`

// eventVisibility is the condition that the actor may see the event
// (alias ev): every client attendee's whole record is visible to the
// actor (recordVisibility; a deleted client hides the event) or, for an
// event of the actor's organization, the organization serves the client
// (servesVisibility), and an event without clients is the actor's own or
// one the actor attends.
func eventVisibility(tx *Tx) (string, []any) {
	clients := `(SELECT COUNT(*) FROM calendar_attendees ca WHERE ca.event_id = ev.id AND ca.personal_id IS NOT NULL) =
		(SELECT COUNT(*) FROM calendar_attendees ca JOIN clients c ON c.personal_id = ca.personal_id AND c.date_deleted IS NULL
		WHERE ca.event_id = ev.id`
	var args []any
	if vis, vargs := recordVisibility(tx.actor, "c", txToday(tx)); vis != "" {
		sv, sargs := servesVisibility(tx.actor, "c")
		clients += ` AND (` + vis + ` OR (ev.organization_id = ? AND ` + sv + `))`
		args = append(append(append(args, vargs...), tx.actor.OrganizationID), sargs...)
	}
	clients += `)`
	staff := `(EXISTS (SELECT 1 FROM calendar_attendees cp WHERE cp.event_id = ev.id AND cp.personal_id IS NOT NULL)
		OR ev.owner_account_id = ? OR EXISTS (SELECT 1 FROM calendar_attendees cs WHERE cs.event_id = ev.id AND cs.account_id = ?))`
	args = append(args, tx.actor.AccountID, tx.actor.AccountID)
	return clients + ` AND ` + staff, args
}

// events reads the events matching cond that the actor may see, with
// their attendees and cancelled occurrences.
func (tx *Tx) events(cond string, args []any) ([]Event, error) {
	vis, vargs := eventVisibility(tx)
	rows, err := tx.query(eventSelect+cond+` AND `+vis+` ORDER BY ev.starts_at, ev.id`, append(args, vargs...)...)
	if err != nil {
		return nil, err
	}
	var out []Event
	for rows.Next() {
		var e Event
		var first, last, user, byday string
		var count sql.NullInt64
		var until hmis.Date
		if err := rows.Scan(&e.ID, &e.OwnerAccountID, scanString(&first), scanString(&last), scanString(&user), &e.Title,
			&e.Location, &e.Notes, &e.AllDay, scanTime(&e.Start), scanTime(&e.End), &e.TimeZone, &e.Rule.Freq,
			&e.Rule.Interval, &count, &until, &byday, &e.FollowUp, scanTime(&e.FollowUpDone), scanTime(&e.DateCreated),
			scanTime(&e.DateUpdated)); err != nil {
			rows.Close()
			return nil, err
		}
		e.OwnerName = strings.TrimSpace(first + " " + last)
		if e.OwnerName == "" {
			e.OwnerName = user
		}
		e.Rule.Count = int(count.Int64)
		if !until.IsZero() {
			e.Rule.Until = until.Time()
		}
		if e.Rule.ByDay, err = calendar.ParseByDay(byday); err != nil {
			rows.Close()
			return nil, err
		}
		if !e.AllDay {
			loc := e.Zone()
			e.Start, e.End = e.Start.In(loc), e.End.In(loc)
		}
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := tx.eventDetails(&out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// eventDetails reads an event's attendees and cancelled occurrences.
func (tx *Tx) eventDetails(e *Event) error {
	rows, err := tx.query(`SELECT ca.account_id, a.first_name, a.last_name, a.username, ca.personal_id, c.first_name, c.last_name
		FROM calendar_attendees ca
		LEFT JOIN accounts a ON a.id = ca.account_id
		LEFT JOIN clients c ON c.personal_id = ca.personal_id
		WHERE ca.event_id = ? ORDER BY c.last_name, c.first_name, a.last_name, a.first_name, a.username`, e.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var aid, af, al, au, pid, cf, cl string
		if err := rows.Scan(scanString(&aid), scanString(&af), scanString(&al), scanString(&au), scanString(&pid),
			scanString(&cf), scanString(&cl)); err != nil {
			rows.Close()
			return err
		}
		if aid != "" {
			name := strings.TrimSpace(af + " " + al)
			if name == "" {
				name = au
			}
			e.Staff = append(e.Staff, EventStaff{AccountID: aid, Name: name})
		}
		if pid != "" {
			e.Clients = append(e.Clients, EventClient{PersonalID: pid, FirstName: cf, LastName: cl})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.query(`SELECT occurrence_start FROM calendar_exceptions WHERE event_id = ? ORDER BY occurrence_start`, e.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var t time.Time
		if err := rows.Scan(scanTime(&t)); err != nil {
			return err
		}
		if !e.AllDay {
			t = t.In(e.Zone())
		}
		e.Cancelled = append(e.Cancelled, t)
	}
	return rows.Err()
}

// event reads one event the actor may see.
func (tx *Tx) event(id string) (Event, error) {
	evs, err := tx.events(` AND ev.id = ?`, []any{id})
	if err != nil {
		return Event{}, err
	}
	if len(evs) == 0 {
		return Event{}, notFound("Event")
	}
	return evs[0], nil
}

// auditEventReads records that the actor read the client events in evs:
// one "read" row per client.
func (s *Store) auditEventReads(ctx context.Context, evs []Event, detail string) error {
	var ids []string
	for _, e := range evs {
		for _, c := range e.Clients {
			if !slices.Contains(ids, c.PersonalID) {
				ids = append(ids, c.PersonalID)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	sort.Strings(ids)
	return s.write(ctx, func(tx *Tx) error {
		for _, id := range ids {
			if err := tx.audit("read", "client", id, detail); err != nil {
				return err
			}
		}
		return nil
	})
}

// FindEvent returns an event the actor may see; any other is not found.
// Reading an event with clients is audited on each client.
func (s *Store) FindEvent(ctx context.Context, id string) (Event, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return Event{}, errNoActor
	}
	var e Event
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		e, err = tx.event(id)
		return err
	})
	if err != nil {
		return Event{}, err
	}
	return e, s.auditEventReads(ctx, []Event{e}, "calendar event "+id)
}

// EventQuery selects the events FindEvents returns.
type EventQuery struct {
	From, To time.Time // the occurrences overlapping [From, To)
	// PersonalID: the events of this client (who must be visible; not
	// found otherwise). Empty: the actor's own events (owner or attendee).
	PersonalID string
	// AccountID: with PersonalID empty, whose events (default: the actor).
	// Only the actor's own account is allowed to anyone but the system.
	AccountID string
}

// FindEvents returns the events (whole series) with an occurrence that
// may overlap [q.From, q.To), among those the actor may see; Occurrences
// expands them. Reading client events is audited on each client.
func (s *Store) FindEvents(ctx context.Context, q EventQuery) ([]Event, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return nil, errNoActor
	}
	if q.AccountID == "" {
		q.AccountID = actor.AccountID
	}
	if q.AccountID != actor.AccountID && !actor.System {
		return nil, notFound("Calendar")
	}
	var out []Event
	err := s.read(ctx, func(tx *Tx) error {
		cond := ` AND ev.starts_at < ?`
		args := []any{tx.ts(q.To.Add(24 * time.Hour))}
		// A series without repeats ends with its first occurrence.
		cond += ` AND (ev.repeat_freq <> '' OR ev.ends_at > ?)`
		args = append(args, tx.ts(q.From.Add(-24*time.Hour)))
		cond += ` AND (ev.repeat_until IS NULL OR ev.repeat_until >= ?)`
		args = append(args, hmis.DateOf(q.From.UTC().AddDate(0, 0, -32)).String())
		if q.PersonalID != "" {
			if _, err := tx.visibleClient(q.PersonalID); err != nil {
				return err
			}
			if ok, err := tx.recordVisible(q.PersonalID); err != nil {
				return err
			} else if !ok {
				// Intake only: none of the client's record, but the
				// events of the actor's organization when it serves the
				// client (eventVisibility).
				c, found, err := tx.accessClient(q.PersonalID)
				if err != nil || !found || !access.Serves(tx.actor, c) {
					return err
				}
			}
			cond += ` AND EXISTS (SELECT 1 FROM calendar_attendees cc WHERE cc.event_id = ev.id AND cc.personal_id = ?)`
			args = append(args, q.PersonalID)
		} else {
			cond += ` AND (ev.owner_account_id = ? OR EXISTS (SELECT 1 FROM calendar_attendees cm
				WHERE cm.event_id = ev.id AND cm.account_id = ?))`
			args = append(args, q.AccountID, q.AccountID)
		}
		var err error
		out, err = tx.events(cond, args)
		return err
	})
	if err != nil {
		return nil, err
	}
	if q.PersonalID != "" {
		return out, s.Audit(ctx, "read", "client", q.PersonalID, fmt.Sprintf("calendar: %d events", len(out)))
	}
	return out, s.auditEventReads(ctx, out, "calendar")
}

// Occurrences expands events into their occurrences overlapping
// [from, to), by start.
func Occurrences(evs []Event, from, to time.Time) []Occurrence {
	var out []Occurrence
	for i := range evs {
		e := &evs[i]
		f, t := from, to
		if e.AllDay {
			// All-day events are dates: compare them with the dates of
			// the range as read in the server's zone.
			f = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
			lt := to.In(from.Location())
			t = time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, time.UTC)
			if !lt.Equal(time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, lt.Location())) {
				t = t.AddDate(0, 0, 1)
			}
		}
		for _, st := range calendar.Expand(e.Start, e.Duration(), e.Rule, e.Cancelled, f, t) {
			out = append(out, Occurrence{Event: e, Start: st, End: st.Add(e.Duration())})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Event.AllDay != out[j].Event.AllDay {
			return out[i].Event.AllDay
		}
		return out[i].Start.Before(out[j].Start)
	})
	return out
}

// DeleteEvent removes an event the actor owns (soft delete), audited on
// the event and each client.
func (s *Store) DeleteEvent(ctx context.Context, id string) error {
	return s.ownEvent(ctx, id, "calendar_event.delete", func(tx *Tx, e Event) error {
		_, err := tx.exec(`UPDATE calendar_events SET date_deleted = ?, date_updated = ? WHERE id = ?`, tx.ts(tx.now), tx.ts(tx.now), id)
		return err
	})
}

// CancelOccurrence cancels one occurrence of a repeating event the actor
// owns; occurrence is its original start.
func (s *Store) CancelOccurrence(ctx context.Context, id string, occurrence time.Time) error {
	return s.ownEvent(ctx, id, "calendar_event.cancel_occurrence", func(tx *Tx, e Event) error {
		if !e.Rule.Repeats() {
			return &hmis.Error{Code: hmis.EINVALID, Message: "This event does not repeat: delete it instead."}
		}
		// The occurrences running at that instant: one of them must start then.
		found := calendar.Expand(e.Start, e.Duration(), e.Rule, nil, occurrence, occurrence.Add(time.Second))
		if !slices.ContainsFunc(found, occurrence.Equal) {
			return &hmis.Error{Code: hmis.EINVALID, Message: "The event has no occurrence at that time."}
		}
		_, err := tx.exec(`INSERT INTO calendar_exceptions (event_id, occurrence_start, cancelled_by, date_created) VALUES (?, ?, ?, ?)`,
			id, tx.ts(occurrence), tx.actor.AccountID, tx.ts(tx.now))
		if hmis.ErrorCode(tx.d.translate(err)) == hmis.ECONFLICT {
			return nil // already cancelled
		}
		return err
	})
}

func (s *Store) ownEvent(ctx context.Context, id, action string, fn func(*Tx, Event) error) error {
	return s.write(ctx, func(tx *Tx) error {
		e, err := tx.event(id)
		if err != nil {
			return err
		}
		if e.OwnerAccountID != tx.actor.AccountID {
			return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only the person who made this event may change it."}
		}
		if err := fn(tx, e); err != nil {
			return err
		}
		if err := tx.audit(action, "calendar_event", id, ""); err != nil {
			return err
		}
		for _, c := range e.Clients {
			if err := tx.audit(action, "client", c.PersonalID, "calendar event "+id); err != nil {
				return err
			}
		}
		return nil
	})
}

// SetFollowUpDone marks the follow-up of an event done (or not done
// again); the owner and staff attendees may.
func (s *Store) SetFollowUpDone(ctx context.Context, id string, done bool) error {
	return s.write(ctx, func(tx *Tx) error {
		e, err := tx.event(id)
		if err != nil {
			return err
		}
		mine := e.OwnerAccountID == tx.actor.AccountID
		for _, st := range e.Staff {
			mine = mine || st.AccountID == tx.actor.AccountID
		}
		if !mine {
			return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only the event's owner and staff attendees mark its follow-up."}
		}
		if !e.FollowUp {
			return &hmis.Error{Code: hmis.EINVALID, Message: "This event has no follow-up."}
		}
		var at any
		if done {
			at = tx.ts(tx.now)
		}
		if _, err := tx.exec(`UPDATE calendar_events SET follow_up_done_at = ?, date_updated = ? WHERE id = ?`, at, tx.ts(tx.now), id); err != nil {
			return err
		}
		return tx.audit("calendar_event.follow_up", "calendar_event", id, fmt.Sprintf("done: %t", done))
	})
}

// OverdueFollowUps returns the actor's events (owner or attendee)
// flagged for follow-up whose latest occurrence before now has ended
// without the follow-up being marked done since: that occurrence each.
func (s *Store) OverdueFollowUps(ctx context.Context, now time.Time) ([]Occurrence, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return nil, errNoActor
	}
	var evs []Event
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		evs, err = tx.events(` AND ev.follow_up = ? AND ev.starts_at < ? AND (ev.owner_account_id = ? OR EXISTS (SELECT 1
			FROM calendar_attendees cm WHERE cm.event_id = ev.id AND cm.account_id = ?))`,
			[]any{true, tx.ts(now), actor.AccountID, actor.AccountID})
		return err
	})
	if err != nil {
		return nil, err
	}
	var out []Occurrence
	for i := range evs {
		e := &evs[i]
		// The occurrences that ended in the last year, newest last.
		occ := calendar.Expand(e.Start, e.Duration(), e.Rule, e.Cancelled, now.AddDate(-1, 0, 0), now)
		for j := len(occ) - 1; j >= 0; j-- {
			end := occ[j].Add(e.Duration())
			if end.After(now) {
				continue
			}
			if e.FollowUpDone.IsZero() || e.FollowUpDone.Before(end) {
				out = append(out, Occurrence{Event: e, Start: occ[j], End: end})
			}
			break
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	var shown []Event
	for _, o := range out {
		shown = append(shown, *o.Event)
	}
	return out, s.auditEventReads(ctx, shown, "calendar follow-ups")
}
