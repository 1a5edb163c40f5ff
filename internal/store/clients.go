package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// This file is the client aggregate as the web pages use it (issue 4):
// intake, the client dashboard and recent clients. Every read goes
// through clientVisibility, the one rule of who sees which client.

// ClientDetail is a client with its ownership and sharing.
type ClientDetail struct {
	hmis.Client
	OrganizationID   string
	OrganizationName string
	Restriction      string // RestrictionOrganization, RestrictionRelease or RestrictionGlobal
}

// ClientEnrollment is one row of a client's Enrollments table.
type ClientEnrollment struct {
	EnrollmentID     string
	ProjectID        string
	ProjectName      string
	OrganizationName string
	HouseholdID      string
	Relationship     *hud.RelationshipToHoH
	CaseName         string // the head of household, "Last, First"; "" when not visible
	Members          int    // enrollments in the household
	EntryDate        hmis.Date
	ExitDate         hmis.Date // zero while enrolled
}

// ClientService is one row of a client's Services table.
type ClientService struct {
	ServicesID       string
	EnrollmentID     string
	DateProvided     hmis.Date
	RecordType       *hud.RecordType
	Amount           *hmis.Money // FAAmount: financial assistance
	ProjectName      string
	OrganizationName string
}

// HouseholdMember is another client who shares a household with a client.
type HouseholdMember struct {
	PersonalID   string
	FirstName    string
	LastName     string
	DOB          hmis.Date
	Relationship *hud.RelationshipToHoH // in the most recent shared household
}

// RecentClient is a client the acting account opened.
type RecentClient struct {
	PersonalID string
	FirstName  string
	LastName   string
	DOB        hmis.Date
}

// CreateClient validates c (hmis.Client.Validate), stores it as a client
// of the actor's organization, shared with that organization only, and
// audits the creation. It returns the client as stored.
func (s *Store) CreateClient(ctx context.Context, c hmis.Client) (hmis.Client, error) {
	return s.CreateClientDespite(ctx, c, 0)
}

// CreateClientDespite is CreateClient for a person the user declared new
// although the duplicate check found possibleDuplicates likely matches:
// the audit row says so.
func (s *Store) CreateClientDespite(ctx context.Context, c hmis.Client, possibleDuplicates int) (hmis.Client, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return c, errNoActor
	}
	if !actor.System && !actor.Role.CanWrite() {
		return c, &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Your role may not add clients."}
	}
	if !actor.System && actor.OrganizationID == "" {
		return c, &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Your account belongs to no organization, so it cannot add clients."}
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	c.SSN = hmis.SSNDigits(c.SSN)
	// A new record: Hearth gives the ID, the dates and the UserID.
	c.PersonalID, c.UserID = "", ""
	c.DateCreated, c.DateUpdated, c.DateDeleted = time.Time{}, time.Time{}, time.Time{}
	detail := ""
	if possibleDuplicates > 0 {
		detail = fmt.Sprintf("new person despite %d possible duplicates", possibleDuplicates)
	}
	err := s.write(ctx, func(tx *Tx) error {
		if err := insertRecord(tx, clientTable, &c); err != nil {
			return err
		}
		var org any
		if actor.OrganizationID != "" {
			org = actor.OrganizationID
		}
		if _, err := tx.exec(`UPDATE clients SET organization_id = ?, restriction = ? WHERE personal_id = ?`,
			org, RestrictionOrganization, c.PersonalID); err != nil {
			return err
		}
		return tx.audit("create", "client", c.PersonalID, detail)
	})
	return c, err
}

// visibleClient checks that the client id exists, is live and is one the
// actor may see (clientVisibility); anything else is "client not found".
func (tx *Tx) visibleClient(id string) (ClientDetail, error) {
	var d ClientDetail
	q := `SELECT c.organization_id, c.restriction, o.organization_name FROM clients c
		LEFT JOIN organizations o ON o.organization_id = c.organization_id
		WHERE c.personal_id = ? AND c.date_deleted IS NULL`
	args := []any{id}
	vis, vargs := clientVisibility(tx.actor, "c", txToday(tx))
	if vis != "" {
		q += ` AND ` + vis
		args = append(args, vargs...)
	}
	err := tx.queryRow(q, args...).Scan(scanString(&d.OrganizationID), scanString(&d.Restriction), scanString(&d.OrganizationName))
	return d, one(err, "client")
}

// recordVisible reports whether the actor may see the client's whole
// record (enrollments, services), not only its intake (recordVisibility).
func (tx *Tx) recordVisible(id string) (bool, error) {
	vis, vargs := recordVisibility(tx.actor, "c", txToday(tx))
	if vis == "" {
		return true, nil
	}
	err := tx.queryRow(`SELECT 1 FROM clients c WHERE c.personal_id = ? AND `+vis, append([]any{id}, vargs...)...).Scan(new(int))
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}

// enrollmentVisible reports whether the actor may see the live
// enrollment id of a live client (enrollmentVisibility).
func (tx *Tx) enrollmentVisible(id string) (bool, error) {
	q := `SELECT 1 FROM enrollments e JOIN clients c ON c.personal_id = e.personal_id AND c.date_deleted IS NULL
		WHERE e.enrollment_id = ? AND e.date_deleted IS NULL`
	args := []any{id}
	if vis, vargs := enrollmentVisibility(tx, "c", "e"); vis != "" {
		q, args = q+` AND `+vis, append(args, vargs...)
	}
	err := tx.queryRow(q, args...).Scan(new(int))
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}

// clientTransactions starts a query for a client's transactions
// (enrollments, services, ...): the client must be visible ("not found"
// otherwise), and ok is false when there is nothing more to show. cond
// and args restrict the rows to the personal ID and to transactions the
// actor may see, one transactionVisibility per alias (a service and the
// enrollment it belongs to, say). When only the client's intake is
// visible, the rows are those of the actor's organization's programs
// (servedVisibility on the alias "e", which must then be the enrollment,
// LEFT JOINed or not); without an "e" alias, ok is false.
func (tx *Tx) clientTransactions(personalID, idColumn string, aliases ...string) (cond string, args []any, ok bool, err error) {
	if _, err := tx.visibleClient(personalID); err != nil {
		return "", nil, false, err
	}
	record, err := tx.recordVisible(personalID)
	if err != nil {
		return "", nil, false, err
	}
	cond, args = idColumn+" = ?", []any{personalID}
	if !record {
		if !slices.Contains(aliases, "e") {
			return "", nil, false, nil
		}
		if served, err := tx.servesClient(personalID); err != nil || !served {
			return "", nil, false, err // intake only, none of the actor's programs
		}
		sv, sargs := servedVisibility(tx.actor, "e")
		cond, args = cond+" AND "+sv, append(args, sargs...)
	}
	for _, a := range aliases {
		if tv, targs := transactionVisibility(tx.actor, a); tv != "" {
			cond, args = cond+" AND "+tv, append(args, targs...)
		}
	}
	return cond, args, true, nil
}

// FindClientByID returns the client with the PersonalID id, if the actor
// may see it; a client the actor may not see is "not found", exactly as a
// missing one.
func (s *Store) FindClientByID(ctx context.Context, id string) (ClientDetail, error) {
	var d ClientDetail
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return d, errNoActor
	}
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		if d, err = tx.visibleClient(id); err != nil {
			return err
		}
		d.Client, err = findRecord(tx, clientTable, id)
		return err
	})
	return d, err
}

// FindClientEnrollments returns the enrollments of a client the actor may
// see, newest first, with the program, the household's size and its head.
func (s *Store) FindClientEnrollments(ctx context.Context, personalID string) ([]ClientEnrollment, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	var out []ClientEnrollment
	err := s.read(ctx, func(tx *Tx) error {
		cond, args, ok, err := tx.clientTransactions(personalID, "e.personal_id", "e")
		if err != nil || !ok {
			return err
		}
		rows, err := tx.query(`SELECT e.enrollment_id, e.project_id, p.project_name, o.organization_name, e.household_id,
				e.relationship_to_ho_h, e.entry_date,
				(SELECT MIN(x.exit_date) FROM exits x WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL),
				(SELECT COUNT(*) FROM enrollments m WHERE m.household_id = e.household_id AND m.date_deleted IS NULL)
			FROM enrollments e
			LEFT JOIN projects p ON p.project_id = e.project_id
			LEFT JOIN organizations o ON o.organization_id = p.organization_id
			WHERE `+cond+` AND e.date_deleted IS NULL
			ORDER BY e.entry_date DESC, e.enrollment_id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e ClientEnrollment
			if err := rows.Scan(&e.EnrollmentID, scanString(&e.ProjectID), scanString(&e.ProjectName), scanString(&e.OrganizationName),
				scanString(&e.HouseholdID), scanInt(&e.Relationship), &e.EntryDate, &e.ExitDate, &e.Members); err != nil {
				return err
			}
			out = append(out, e)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		return tx.caseNames(out)
	})
	return out, err
}

// caseNames fills in each enrollment's case name: its household's head,
// where the actor may see that client.
func (tx *Tx) caseNames(es []ClientEnrollment) error {
	var ids []any
	seen := map[string]bool{}
	for _, e := range es {
		if e.HouseholdID != "" && !seen[e.HouseholdID] {
			seen[e.HouseholdID] = true
			ids = append(ids, e.HouseholdID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	names := map[string]string{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		q := `SELECT m.household_id, c.first_name, c.last_name FROM enrollments m
			JOIN clients c ON c.personal_id = m.personal_id
			WHERE m.household_id IN (` + placeholders(len(chunk)) + `) AND m.relationship_to_ho_h = 1
			AND m.date_deleted IS NULL AND c.date_deleted IS NULL`
		args := append([]any(nil), chunk...)
		if vis, vargs := clientVisibility(tx.actor, "c", txToday(tx)); vis != "" {
			q += ` AND ` + vis
			args = append(args, vargs...)
		}
		rows, err := tx.query(q, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var h, first, last string
			if err := rows.Scan(&h, scanString(&first), scanString(&last)); err != nil {
				rows.Close()
				return err
			}
			names[h] = caseName(first, last)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for i := range es {
		es[i].CaseName = names[es[i].HouseholdID]
	}
	return nil
}

// caseName is "Last, First", as ClientTrack names a case.
func caseName(first, last string) string {
	first, last = strings.TrimSpace(first), strings.TrimSpace(last)
	switch {
	case last == "":
		return first
	case first == "":
		return last
	}
	return last + ", " + first
}

// FindClientServices returns the services of a client the actor may see,
// newest first, with the program and organization that provided them.
func (s *Store) FindClientServices(ctx context.Context, personalID string) ([]ClientService, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	var out []ClientService
	err := s.read(ctx, func(tx *Tx) error {
		// A service under a restricted enrollment (a DV program's stay) is
		// as hidden as the enrollment: its program would name it.
		cond, args, ok, err := tx.clientTransactions(personalID, "s.personal_id", "s", "e")
		if err != nil || !ok {
			return err
		}
		rows, err := tx.query(`SELECT s.services_id, s.enrollment_id, s.date_provided, s.record_type, s.fa_amount,
				p.project_name, o.organization_name
			FROM services s
			LEFT JOIN enrollments e ON e.enrollment_id = s.enrollment_id
			LEFT JOIN projects p ON p.project_id = e.project_id
			LEFT JOIN organizations o ON o.organization_id = p.organization_id
			WHERE `+cond+` AND s.date_deleted IS NULL
			ORDER BY s.date_provided DESC, s.services_id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v ClientService
			if err := rows.Scan(&v.ServicesID, scanString(&v.EnrollmentID), &v.DateProvided, scanInt(&v.RecordType),
				scanMoney(&v.Amount), scanString(&v.ProjectName), scanString(&v.OrganizationName)); err != nil {
				return err
			}
			out = append(out, v)
		}
		return rows.Err()
	})
	return out, err
}

// FindClientHousehold returns the other clients, visible to the actor,
// who share a household (an enrollment's HouseholdID) with the client,
// most recent household first.
func (s *Store) FindClientHousehold(ctx context.Context, personalID string) ([]HouseholdMember, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	var out []HouseholdMember
	err := s.read(ctx, func(tx *Tx) error {
		if _, err := tx.visibleClient(personalID); err != nil {
			return err
		}
		q := `SELECT c.personal_id, c.first_name, c.last_name, c.dob, m.relationship_to_ho_h
			FROM enrollments e
			JOIN enrollments m ON m.household_id = e.household_id AND m.personal_id <> e.personal_id AND m.date_deleted IS NULL
			JOIN clients c ON c.personal_id = m.personal_id AND c.date_deleted IS NULL
			WHERE e.personal_id = ? AND e.date_deleted IS NULL AND e.household_id IS NOT NULL AND e.household_id <> ''`
		args := []any{personalID}
		if vis, vargs := clientVisibility(tx.actor, "c", txToday(tx)); vis != "" {
			q += ` AND ` + vis
			args = append(args, vargs...)
		}
		q += ` ORDER BY e.entry_date DESC, c.last_name, c.first_name`
		rows, err := tx.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		seen := map[string]bool{}
		for rows.Next() {
			var m HouseholdMember
			if err := rows.Scan(&m.PersonalID, scanString(&m.FirstName), scanString(&m.LastName), &m.DOB, scanInt(&m.Relationship)); err != nil {
				return err
			}
			if !seen[m.PersonalID] {
				seen[m.PersonalID] = true
				out = append(out, m)
			}
		}
		return rows.Err()
	})
	return out, err
}

// ClientPrograms returns, for each of the clients ids, the programs they
// were enrolled in, most recent first, at most four each, as far as the
// actor may see their records.
func (s *Store) ClientPrograms(ctx context.Context, ids []string) (map[string][]ClientProgram, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	out := map[string][]ClientProgram{}
	if len(ids) == 0 {
		return out, nil
	}
	err := s.read(ctx, func(tx *Tx) error {
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		q := `SELECT e.personal_id, p.project_name, e.project_id,
				(SELECT COUNT(*) FROM exits x WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL)
			FROM enrollments e LEFT JOIN projects p ON p.project_id = e.project_id
			JOIN clients c ON c.personal_id = e.personal_id
			WHERE e.personal_id IN (` + placeholders(len(args)) + `) AND e.date_deleted IS NULL`
		if vis, vargs := enrollmentVisibility(tx, "c", "e"); vis != "" {
			q += ` AND ` + vis
			args = append(args, vargs...)
		}
		rows, err := tx.query(q+` ORDER BY e.entry_date DESC`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var pid, name, project string
			var exits int
			if err := rows.Scan(&pid, scanString(&name), scanString(&project), &exits); err != nil {
				return err
			}
			if name == "" {
				name = "Program " + project
			}
			ps := out[pid]
			dup := false
			for _, p := range ps {
				dup = dup || p.Name == name
			}
			if !dup && len(ps) < 4 {
				out[pid] = append(ps, ClientProgram{Name: name, Open: exits == 0})
			}
		}
		return rows.Err()
	})
	return out, err
}

// ClientProgram is a program a client is or was enrolled in.
type ClientProgram struct {
	Name string
	Open bool // enrolled now
}

// RecentClients returns the clients the acting account opened most
// recently (its "read client" audit rows), newest first, at most limit,
// and only those it may still see.
func (s *Store) RecentClients(ctx context.Context, limit int) ([]RecentClient, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return nil, errNoActor
	}
	if actor.AccountID == "" || limit <= 0 {
		return nil, nil
	}
	var out []RecentClient
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT entity_id FROM audit_log
			WHERE account_id = ? AND action = 'read' AND entity = 'client' AND entity_id <> ''
			ORDER BY id DESC LIMIT 500`, actor.AccountID)
		if err != nil {
			return err
		}
		var ids []string
		seen := map[string]bool{}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(ids) == 0 {
			return err
		}
		ids = ids[:min(len(ids), 4*limit)]
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		q := `SELECT c.personal_id, c.first_name, c.last_name, c.dob FROM clients c
			WHERE c.personal_id IN (` + placeholders(len(args)) + `) AND c.date_deleted IS NULL`
		if vis, vargs := clientVisibility(tx.actor, "c", txToday(tx)); vis != "" {
			q += ` AND ` + vis
			args = append(args, vargs...)
		}
		rows, err = tx.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		byID := map[string]RecentClient{}
		for rows.Next() {
			var c RecentClient
			if err := rows.Scan(&c.PersonalID, scanString(&c.FirstName), scanString(&c.LastName), &c.DOB); err != nil {
				return err
			}
			byID[c.PersonalID] = c
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			if c, ok := byID[id]; ok && len(out) < limit {
				out = append(out, c)
			}
		}
		return nil
	})
	return out, err
}

// UpdateClient validates c (hmis.Client.Validate) and writes it over the
// stored client with c's PersonalID. The actor must be allowed to change
// the client (access.Decide: Editable): a client the actor may not see is
// "client not found", one they may only see (shared by a release, or a
// read-only role) is EFORBIDDEN. The audit row lists the fields that
// changed, as UpdateRecord does (changeDetail: no PII values).
// It returns the client as stored.
func (s *Store) UpdateClient(ctx context.Context, c hmis.Client) (hmis.Client, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return c, errNoActor
	}
	// The decision first (its own read, as ClientAccess loads releases);
	// the write then checks again that the client is still visible.
	level, err := s.ClientAccess(ctx, c.PersonalID)
	if err != nil {
		return c, err
	}
	switch {
	case level == access.NotFound:
		return c, notFound("Client")
	case level < access.Editable:
		return c, &hmis.Error{Code: hmis.EFORBIDDEN, Message: "You may see this client but not change their information."}
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	c.SSN = hmis.SSNDigits(c.SSN)
	err = s.write(ctx, func(tx *Tx) error {
		if _, err := tx.visibleClient(c.PersonalID); err != nil {
			return err
		}
		before, err := findRecord(tx, clientTable, c.PersonalID)
		if err != nil {
			return err
		}
		c.DateCreated, c.DateDeleted = before.DateCreated, time.Time{}
		if err := updateRecord(tx, clientTable, &c); err != nil {
			return err
		}
		return tx.audit("update", clientTable.entity, c.PersonalID, changeDetail(&before, &c))
	})
	return c, err
}

// ClientChange is one entry of a client's history of changes.
type ClientChange struct {
	At     time.Time
	Actor  string
	Action string // "create", "update", "client.restrict", "release.add", ...
	Detail string // the fields that changed; never PII values
}

// ClientHistory returns the changes to a client's own record (created,
// updated, sharing changed), newest first, from the audit log (the
// client's access report), when the actor may see the client.
func (s *Store) ClientHistory(ctx context.Context, personalID string) ([]ClientChange, error) {
	if err := s.read(ctx, func(tx *Tx) error {
		_, err := tx.visibleClient(personalID)
		return err
	}); err != nil {
		return nil, err
	}
	entries, err := s.ClientAccessReport(ctx, personalID)
	if err != nil {
		return nil, err
	}
	var out []ClientChange
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if e.Entity != "client" || e.EntityID != personalID {
			continue
		}
		switch e.Action {
		case "create", "update", "delete", "client.restrict", "release.add", "release.revoke":
			out = append(out, ClientChange{At: e.At, Actor: e.Actor, Action: e.Action, Detail: e.Detail})
		}
	}
	return out, nil
}

// Household is one household of a client (an enrollment's HouseholdID):
// its members as far as the actor may see them.
type Household struct {
	HouseholdID string
	ProjectName string
	EntryDate   hmis.Date // the client's entry in this household
	Members     []FamilyMember
	Hidden      int // members the actor may not see: counted, never named
}

// FamilyMember is one member of a household.
type FamilyMember struct {
	PersonalID   string
	FirstName    string
	LastName     string
	DOB          hmis.Date
	Relationship *hud.RelationshipToHoH // 3.15, from the member's enrollment
	Self         bool                   // the client whose family this is
}

// HeadOfHousehold reports whether the member is the head (3.15 code 1).
func (m FamilyMember) HeadOfHousehold() bool {
	return m.Relationship != nil && *m.Relationship == 1
}

// FindClientFamily returns the households of a client the actor may see
// (from the client's enrollments the actor may see), newest first. A
// member is named only when the actor may see their whole record and
// their enrollment (recordVisibility and transactionVisibility, the rule
// of every transaction); the others are only counted, and their names
// never leave the database.
func (s *Store) FindClientFamily(ctx context.Context, personalID string) ([]Household, error) {
	var out []Household
	err := s.read(ctx, func(tx *Tx) error {
		cond, args, ok, err := tx.clientTransactions(personalID, "e.personal_id", "e")
		if err != nil || !ok {
			return err
		}
		rows, err := tx.query(`SELECT e.household_id, p.project_name, e.entry_date FROM enrollments e
			LEFT JOIN projects p ON p.project_id = e.project_id
			WHERE `+cond+` AND e.date_deleted IS NULL AND e.household_id IS NOT NULL AND e.household_id <> ''
			ORDER BY e.entry_date DESC, e.enrollment_id`, args...)
		if err != nil {
			return err
		}
		index := map[string]int{}
		for rows.Next() {
			var h Household
			if err := rows.Scan(&h.HouseholdID, scanString(&h.ProjectName), &h.EntryDate); err != nil {
				rows.Close()
				return err
			}
			if _, dup := index[h.HouseholdID]; !dup {
				index[h.HouseholdID] = len(out)
				out = append(out, h)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range out {
			if err := tx.householdMembers(&out[i], personalID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// householdMembers fills in h's members the actor may see and counts the
// others.
func (tx *Tx) householdMembers(h *Household, self string) error {
	var total int
	if err := tx.queryRow(`SELECT COUNT(DISTINCT m.personal_id) FROM enrollments m
		JOIN clients c ON c.personal_id = m.personal_id AND c.date_deleted IS NULL
		WHERE m.household_id = ? AND m.date_deleted IS NULL`, h.HouseholdID).Scan(&total); err != nil {
		return err
	}
	q := `SELECT c.personal_id, c.first_name, c.last_name, c.dob, m.relationship_to_ho_h FROM enrollments m
		JOIN clients c ON c.personal_id = m.personal_id AND c.date_deleted IS NULL
		WHERE m.household_id = ? AND m.date_deleted IS NULL`
	args := []any{h.HouseholdID}
	if vis, vargs := enrollmentVisibility(tx, "c", "m"); vis != "" {
		q += ` AND ` + vis
		args = append(args, vargs...)
	}
	rows, err := tx.query(q+` ORDER BY m.entry_date DESC, m.enrollment_id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var m FamilyMember
		if err := rows.Scan(&m.PersonalID, scanString(&m.FirstName), scanString(&m.LastName), &m.DOB, scanInt(&m.Relationship)); err != nil {
			return err
		}
		if seen[m.PersonalID] {
			continue
		}
		seen[m.PersonalID] = true
		m.Self = m.PersonalID == self
		h.Members = append(h.Members, m)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// Head of household first, then the client, then the others.
	slices.SortStableFunc(h.Members, func(a, b FamilyMember) int {
		rank := func(m FamilyMember) int {
			switch {
			case m.HeadOfHousehold():
				return 0
			case m.Self:
				return 1
			}
			return 2
		}
		return rank(a) - rank(b)
	})
	h.Hidden = max(total-len(h.Members), 0)
	return nil
}
