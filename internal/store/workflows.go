package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/workflow"
)

// This file is the store side of the guided workflows (issue 5): the
// program a workflow is derived for, paused workflows (workflow_drafts,
// migration 0020) and completing a workflow, which writes its HUD records
// in one transaction.

// WorkflowProject returns the program projectID as the workflow package
// needs it: its type and the HUD funders (2.06.1) open on day (zero: today).
func (s *Store) WorkflowProject(ctx context.Context, projectID string, day hmis.Date) (workflow.Project, hmis.Project, error) {
	var wp workflow.Project
	var p hmis.Project
	err := s.read(ctx, func(tx *Tx) error {
		if day.IsZero() {
			day = txToday(tx)
		}
		var err error
		if p, err = tx.workflowProject(projectID); err != nil {
			return err
		}
		funders, err := findRecords(tx, tableOf[hmis.Funder](), RecordFilter{ProjectID: projectID})
		if err != nil {
			return err
		}
		wp, err = workflow.ProjectOf(p, funders, day)
		return err
	})
	return wp, p, err
}

func (tx *Tx) workflowProject(projectID string) (hmis.Project, error) {
	p, err := findRecord(tx, tableOf[hmis.Project](), projectID)
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		return p, notFound("Program")
	}
	return p, err
}

// ProjectName returns a program's name (its common name when it has no
// name), for headings.
func (s *Store) ProjectName(ctx context.Context, projectID string) (string, error) {
	var name string
	err := s.read(ctx, func(tx *Tx) error {
		p, err := tx.workflowProject(projectID)
		name = ProjectDisplayName(p)
		return err
	})
	return name, err
}

// ProjectDisplayName is p's name for headings: its common name when it has
// no name.
func ProjectDisplayName(p hmis.Project) string {
	if p.ProjectName != "" {
		return p.ProjectName
	}
	return p.ProjectCommonName
}

// DeriveWorkflow returns the workflow of program projectID at stage, from
// its type and the funders open on day (zero: today).
func DeriveWorkflow(ctx context.Context, s *Store, projectID string, stage workflow.Stage, day hmis.Date) (workflow.Definition, error) {
	wp, _, err := s.WorkflowProject(ctx, projectID, day)
	if err != nil {
		return workflow.Definition{}, err
	}
	return workflow.Derive(wp, stage)
}

// Draft statuses.
const (
	DraftActive    = "active"    // being filled in
	DraftPaused    = "paused"    // paused by its author
	DraftCompleted = "completed" // its records are written
	DraftDiscarded = "discarded"
)

// DraftMember is one household member of a workflow.
type DraftMember struct {
	PersonalID   string `json:"personal_id"`
	EnrollmentID string `json:"enrollment_id,omitempty"` // update, annual, exit, post-exit
}

// Draft is a workflow in progress.
type Draft struct {
	ID           string
	PersonalID   string // the client it was started from
	ProjectID    string
	EnrollmentID string // the enrollment an update, annual or exit was started from
	Stage        workflow.Stage
	Step         int // the page to resume at (0-based)
	Members      []DraftMember
	Values       map[string]map[string]string // page name -> form name -> typed value
	Stamp        string
	Status       string
	Version      int
	AccountID    string
	DateCreated  time.Time
	DateUpdated  time.Time

	// For lists: names the actor may see.
	ClientName  string
	ProjectName string
	AuthorName  string
}

// AllValues merges every page's answers.
func (d *Draft) AllValues() map[string]string {
	out := map[string]string{}
	for _, page := range d.Values {
		maps.Copy(out, page)
	}
	return out
}

// WorkflowProgram is a program the actor's organization runs.
type WorkflowProgram struct {
	ProjectID   string
	Name        string
	ProjectType *hud.ProjectType
}

// WorkflowPrograms returns the programs the actor's organization runs,
// by name, the only ones its users may enroll clients in (the system, and
// an HMIS administrator of no organization: every program).
func (s *Store) WorkflowPrograms(ctx context.Context) ([]WorkflowProgram, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return nil, errNoActor
	}
	var out []WorkflowProgram
	err := s.read(ctx, func(tx *Tx) error {
		q := `SELECT project_id, project_name, project_type FROM projects WHERE date_deleted IS NULL`
		var args []any
		if !anyProgram(actor) {
			q += ` AND organization_id = ?`
			args = append(args, actor.OrganizationID)
		}
		rows, err := tx.query(q+` ORDER BY project_name, project_id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p WorkflowProgram
			if err := rows.Scan(&p.ProjectID, scanString(&p.Name), scanInt(&p.ProjectType)); err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// anyProgram reports whether the actor may enroll in any program: the
// system, or an HMIS administrator who belongs to no organization.
func anyProgram(a hmis.Actor) bool {
	return a.System || (a.Role == hmis.RoleAdmin && a.OrganizationID == "")
}

// mayWrite refuses a draft change to a read-only account.
func mayWrite(a hmis.Actor) error {
	if !a.System && !a.Role.CanWrite() {
		return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Your account may read client data but not change it."}
	}
	return nil
}

// mayEnroll checks the actor's organization runs the program.
func (tx *Tx) mayEnroll(projectID string) (hmis.Project, error) {
	p, err := tx.workflowProject(projectID)
	if err != nil {
		return p, err
	}
	if !anyProgram(tx.actor) && p.OrganizationID != tx.actor.OrganizationID {
		return p, &hmis.Error{Code: hmis.EINVALID, Message: "Your organization does not run this program.",
			Fields: map[string]string{"project": "Choose one of your organization's programs."}}
	}
	return p, nil
}

// ProgramCoCs returns the CoC codes (2.03) of a program, the choices of 3.16.
func (s *Store) ProgramCoCs(ctx context.Context, projectID string) ([]string, error) {
	var out []string
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		out, err = strings1(tx, `SELECT DISTINCT coc_code FROM project_cocs WHERE project_id = ? AND date_deleted IS NULL AND coc_code IS NOT NULL ORDER BY coc_code`, projectID)
		return err
	})
	return out, err
}

// WorkflowPerson is a household member as the workflow pages show them.
type WorkflowPerson struct {
	workflow.Person
	Relationship *hud.RelationshipToHoH // the enrollment's 3.15 (update, annual, exit)
	EntryDate    hmis.Date
	ExitDate     hmis.Date
	VeteranCode  *hud.NoYesReasonsForMissingData
	Sex          *hud.Sex
	SSN          string // masked: last four digits
	RaceEthnic   bool   // 3.04 answered
}

// WorkflowPeople returns the members of a draft as the actor may see them
// (each member must be visible), with their enrollment for stages after
// intake.
func (s *Store) WorkflowPeople(ctx context.Context, members []DraftMember) ([]WorkflowPerson, error) {
	var out []WorkflowPerson
	err := s.read(ctx, func(tx *Tx) error {
		for _, m := range members {
			if _, err := tx.visibleClient(m.PersonalID); err != nil {
				return err
			}
			c, err := findRecord(tx, clientTable, m.PersonalID)
			if err != nil {
				return err
			}
			p := WorkflowPerson{Person: workflow.Person{PersonalID: c.PersonalID, Name: caseName(c.FirstName, c.LastName),
				DOB: c.DOB, EnrollmentID: m.EnrollmentID, Veteran: c.VeteranStatus != nil && *c.VeteranStatus == 1},
				VeteranCode: c.VeteranStatus, Sex: c.Sex}
			if n := len(c.SSN); n >= 4 {
				p.SSN = "xxx-xx-" + c.SSN[n-4:]
			}
			p.RaceEthnic = c.RaceNone != nil || ptrSet(c.AmIndAKNative) || ptrSet(c.Asian) || ptrSet(c.BlackAfAmerican) ||
				ptrSet(c.HispanicLatinao) || ptrSet(c.MidEastNAfrican) || ptrSet(c.NativeHIPacific) || ptrSet(c.White)
			if m.EnrollmentID != "" {
				e, err := tx.memberEnrollment(m.EnrollmentID, m.PersonalID)
				if err != nil {
					return err
				}
				// The last HIV/AIDS (4.08) answer of the stay: HOPWA's W4
				// and W6 are asked of members with HIV/AIDS.
				var hiv sql.NullInt64
				err = tx.queryRow(`SELECT disability_response FROM disabilities WHERE enrollment_id = ? AND disability_type = 8
					AND date_deleted IS NULL ORDER BY information_date DESC, date_created DESC LIMIT 1`, m.EnrollmentID).Scan(&hiv)
				if err != nil && !errors.Is(err, sql.ErrNoRows) {
					return err
				}
				p.HIVAIDS = hiv.Valid && hiv.Int64 == 1
				p.Relationship, p.EntryDate = e.RelationshipToHoH, e.EntryDate
				if err := tx.queryRow(`SELECT MIN(exit_date) FROM exits WHERE enrollment_id = ? AND date_deleted IS NULL`,
					m.EnrollmentID).Scan(&p.ExitDate); err != nil {
					return err
				}
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

func ptrSet[T ~int](p *T) bool { return p != nil && *p == 1 }

// memberEnrollment returns an enrollment of the client the actor may see.
func (tx *Tx) memberEnrollment(enrollmentID, personalID string) (hmis.Enrollment, error) {
	q := `SELECT 1 FROM enrollments e WHERE e.enrollment_id = ? AND e.personal_id = ? AND e.date_deleted IS NULL`
	args := []any{enrollmentID, personalID}
	if tv, targs := transactionVisibility(tx.actor, "e"); tv != "" {
		q += ` AND ` + tv
		args = append(args, targs...)
	}
	if err := tx.queryRow(q, args...).Scan(new(int)); err != nil {
		return hmis.Enrollment{}, one(err, "Enrollment")
	}
	return findRecord(tx, tableOf[hmis.Enrollment](), enrollmentID)
}

// HouseholdEnrollments returns, for an enrollment the actor may see, the
// enrollments of its household the actor may see (members still enrolled
// first when open is true), the base of an update, annual or exit.
func (s *Store) HouseholdEnrollments(ctx context.Context, enrollmentID string, open bool) (hmis.Enrollment, []DraftMember, error) {
	var base hmis.Enrollment
	var out []DraftMember
	err := s.read(ctx, func(tx *Tx) error {
		e, err := findRecord(tx, tableOf[hmis.Enrollment](), enrollmentID)
		if err != nil {
			return notFound("Enrollment")
		}
		if _, err := tx.memberEnrollment(enrollmentID, e.PersonalID); err != nil {
			return err
		}
		if ok, err := tx.enrollmentVisible(enrollmentID); err != nil || !ok {
			return notFound("Enrollment")
		}
		base = e
		q := `SELECT e.enrollment_id, e.personal_id FROM enrollments e
			JOIN clients c ON c.personal_id = e.personal_id AND c.date_deleted IS NULL
			WHERE e.household_id = ? AND e.project_id = ? AND e.date_deleted IS NULL`
		args := []any{e.HouseholdID, e.ProjectID}
		if open {
			q += ` AND NOT EXISTS (SELECT 1 FROM exits x WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL)`
		}
		if vis, vargs := enrollmentVisibility(tx, "c", "e"); vis != "" {
			q += ` AND ` + vis
			args = append(args, vargs...)
		}
		rows, err := tx.query(q+` ORDER BY e.relationship_to_ho_h, e.entry_date, e.enrollment_id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m DraftMember
			if err := rows.Scan(&m.EnrollmentID, &m.PersonalID); err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	return base, out, err
}

// enrollmentStamp is the state of the members' enrollments: their last
// change and their exits. A workflow after intake records it when it
// starts and completes only if it is unchanged (optimistic concurrency).
func (tx *Tx) enrollmentStamp(members []DraftMember) (string, error) {
	var parts []string
	for _, m := range members {
		if m.EnrollmentID == "" {
			continue
		}
		var updated time.Time
		var exits int
		if err := tx.queryRow(`SELECT e.date_updated, (SELECT COUNT(*) FROM exits x WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL)
			FROM enrollments e WHERE e.enrollment_id = ?`, m.EnrollmentID).Scan(scanTime(&updated), &exits); err != nil {
			return "", one(err, "Enrollment")
		}
		parts = append(parts, fmt.Sprintf("%s@%s#%d", m.EnrollmentID, updated.UTC().Format(time.RFC3339Nano), exits))
	}
	return strings.Join(parts, ","), nil
}

// workflowMemberAccess is what the actor may do with a member of a
// workflow (level) and with the member's client record (client). At
// intake (a new enrollment) the member's client record decides. After
// intake (update, annual, exit, post-exit) the member's enrollment
// decides (EnrollmentAccess): an organization changes its own programs'
// enrollments of the clients it serves (access.DecideTransaction), even
// when it sees only their intake.
func (s *Store) workflowMemberAccess(ctx context.Context, stage workflow.Stage, m DraftMember) (level, client access.Level, err error) {
	client, err = s.ClientAccess(ctx, m.PersonalID)
	if err != nil || stage == workflow.Intake || m.EnrollmentID == "" {
		return client, client, err
	}
	level, err = s.EnrollmentAccess(ctx, m.PersonalID, m.EnrollmentID)
	return level, client, err
}

// StartDraft begins a workflow for the members (each one the actor may
// change: workflowMemberAccess), in a program the actor's organization runs, and audits it on
// each member ("workflow.start").
func (s *Store) StartDraft(ctx context.Context, d Draft) (Draft, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return d, errNoActor
	}
	if len(d.Members) == 0 {
		return d, &hmis.Error{Code: hmis.EINVALID, Message: "Choose who to enroll.", Fields: map[string]string{"members": "Choose at least one household member."}}
	}
	for _, m := range d.Members {
		level, _, err := s.workflowMemberAccess(ctx, d.Stage, m)
		if err != nil {
			return d, err
		}
		if level == access.NotFound {
			return d, notFound("Client")
		}
		if level < access.Editable {
			return d, &hmis.Error{Code: hmis.EFORBIDDEN, Message: "You may see a member of this household but not change their record."}
		}
	}
	err := s.write(ctx, func(tx *Tx) error {
		if _, err := tx.mayEnroll(d.ProjectID); err != nil {
			return err
		}
		stamp, err := tx.enrollmentStamp(d.Members)
		if err != nil {
			return err
		}
		d.ID, d.Stamp, d.Status, d.Version, d.AccountID = NewID(), stamp, DraftActive, 1, actor.AccountID
		d.DateCreated, d.DateUpdated = tx.now, tx.now
		if d.Values == nil {
			d.Values = map[string]map[string]string{}
		}
		members, data, err := draftJSON(d)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO workflow_drafts (id, personal_id, project_id, enrollment_id, stage, step, members, data, stamp,
				status, version, organization_id, account_id, user_id, date_created, date_updated)
			VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`,
			d.ID, d.PersonalID, d.ProjectID, nullString(d.EnrollmentID), string(d.Stage), members, data, d.Stamp, d.Status,
			nullString(actor.OrganizationID), actor.AccountID, actor.UserID, tx.ts(tx.now), tx.ts(tx.now)); err != nil {
			return err
		}
		for _, m := range d.Members {
			if err := tx.audit("workflow.start", "client", m.PersonalID, string(d.Stage)+" workflow "+d.ID+" in program "+d.ProjectID); err != nil {
				return err
			}
		}
		return nil
	})
	return d, err
}

func draftJSON(d Draft) (members, data string, err error) {
	m, err := json.Marshal(d.Members)
	if err != nil {
		return "", "", err
	}
	v, err := json.Marshal(d.Values)
	return string(m), string(v), err
}

const draftSelect = `SELECT d.id, d.personal_id, d.project_id, d.enrollment_id, d.stage, d.step, d.members, d.data, d.stamp,
		d.status, d.version, d.account_id, d.date_created, d.date_updated, p.project_name, c.first_name, c.last_name,
		a.first_name, a.last_name, d.user_id
	FROM workflow_drafts d
	JOIN clients c ON c.personal_id = d.personal_id AND c.date_deleted IS NULL
	LEFT JOIN projects p ON p.project_id = d.project_id
	LEFT JOIN accounts a ON a.id = d.account_id`

// draftCondition: the actor's own drafts and their organization's (the
// client must be visible too); the system sees every draft.
func draftCondition(tx *Tx) (string, []any) {
	cond, args := `1=1`, []any{}
	if !tx.actor.System {
		if tx.actor.OrganizationID != "" {
			cond, args = `(d.account_id = ? OR d.organization_id = ?)`, []any{tx.actor.AccountID, tx.actor.OrganizationID}
		} else {
			cond, args = `d.account_id = ?`, []any{tx.actor.AccountID}
		}
	}
	if vis, vargs := clientVisibility(tx.actor, "c", txToday(tx)); vis != "" {
		cond += ` AND ` + vis
		args = append(args, vargs...)
	}
	return cond, args
}

func (tx *Tx) drafts(where string, args []any) ([]Draft, error) {
	cond, cargs := draftCondition(tx)
	rows, err := tx.query(draftSelect+` WHERE `+where+` AND `+cond+` ORDER BY d.date_updated DESC, d.id`, append(args, cargs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Draft
	for rows.Next() {
		var d Draft
		var stage, members, data, cf, cl, af, al, userID string
		if err := rows.Scan(&d.ID, &d.PersonalID, &d.ProjectID, scanString(&d.EnrollmentID), &stage, &d.Step, &members, &data,
			&d.Stamp, &d.Status, &d.Version, &d.AccountID, scanTime(&d.DateCreated), scanTime(&d.DateUpdated),
			scanString(&d.ProjectName), scanString(&cf), scanString(&cl), scanString(&af), scanString(&al), &userID); err != nil {
			return nil, err
		}
		d.Stage = workflow.Stage(stage)
		d.ClientName = caseName(cf, cl)
		if d.AuthorName = strings.TrimSpace(af + " " + al); d.AuthorName == "" {
			d.AuthorName = userID
		}
		if err := json.Unmarshal([]byte(members), &d.Members); err != nil {
			return nil, fmt.Errorf("workflow draft %s: members: %w", d.ID, err)
		}
		if err := json.Unmarshal([]byte(data), &d.Values); err != nil {
			return nil, fmt.Errorf("workflow draft %s: data: %w", d.ID, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// liveDraft loads the unfinished (active or paused) draft id the actor
// may see; any other is not found.
func (tx *Tx) liveDraft(id string) (Draft, error) {
	ds, err := tx.drafts(`d.id = ? AND d.status IN (?, ?)`, []any{id, DraftActive, DraftPaused})
	if err != nil {
		return Draft{}, err
	}
	if len(ds) == 0 {
		return Draft{}, notFound("Workflow")
	}
	return ds[0], nil
}

// editDraft loads the live draft id for a save of its answers, when the
// actor may write and version is still the draft's (else ECONFLICT with
// the message conflict); its Values are never nil.
func (tx *Tx) editDraft(id string, version int, conflict string) (Draft, error) {
	if err := mayWrite(tx.actor); err != nil {
		return Draft{}, err
	}
	d, err := tx.liveDraft(id)
	if err != nil {
		return Draft{}, err
	}
	if d.Version != version {
		return Draft{}, &hmis.Error{Code: hmis.ECONFLICT, Message: conflict}
	}
	if d.Values == nil {
		d.Values = map[string]map[string]string{}
	}
	return d, nil
}

// OpenDraft returns a draft the actor may continue (theirs or their
// organization's, about a client they may see), audited on the client
// ("read", "workflow draft").
func (s *Store) OpenDraft(ctx context.Context, id string) (Draft, error) {
	var d Draft
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		if d, err = tx.liveDraft(id); err != nil {
			return err
		}
		return tx.audit("read", "client", d.PersonalID, "workflow draft "+d.ID)
	})
	return d, err
}

// PausedFilter selects paused workflows.
type PausedFilter struct {
	PersonalID string // one client's (any member); "" for the actor's own
}

// PausedDrafts lists unfinished workflows, paused ones and those left
// without pausing (a session that timed out): the actor's own (Home →
// Paused Applications), or a client's that the actor may continue (the
// client dashboard).
func (s *Store) PausedDrafts(ctx context.Context, f PausedFilter) ([]Draft, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return nil, errNoActor
	}
	var out []Draft
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		if f.PersonalID == "" {
			out, err = tx.drafts(`d.account_id = ? AND d.status IN (?, ?)`, []any{actor.AccountID, DraftPaused, DraftActive})
			return err
		}
		out, err = tx.drafts(`d.status IN (?, ?) AND (d.personal_id = ? OR d.members LIKE ?)`,
			[]any{DraftPaused, DraftActive, f.PersonalID, `%"personal_id":"` + likeEscape(f.PersonalID) + `"%`})
		return err
	})
	return out, err
}

// SaveDraft stores the typed answers of one page and the page to resume
// at, when version is still the draft's (else a conflict: someone else
// saved it first). paused marks it paused. It returns the new version.
func (s *Store) SaveDraft(ctx context.Context, id string, version int, page string, values map[string]string, step int, paused bool) (int, error) {
	newVersion := version + 1
	err := s.write(ctx, func(tx *Tx) error {
		d, err := tx.editDraft(id, version, "Someone else saved this workflow after you opened this page; your answers on this page were not saved. Open it again to see their changes.")
		if err != nil {
			return err
		}
		if page != "" {
			d.Values[page] = values
		}
		_, data, err := draftJSON(d)
		if err != nil {
			return err
		}
		status := DraftActive
		if paused {
			status = DraftPaused
		}
		res, err := tx.exec(`UPDATE workflow_drafts SET data = ?, step = ?, status = ?, version = ?, date_updated = ?
			WHERE id = ? AND version = ?`, data, step, status, newVersion, tx.ts(tx.now), id, version)
		if err != nil {
			return err
		}
		if err := affected(res, "Workflow"); err != nil {
			return err
		}
		action := "workflow.save"
		if paused {
			action = "workflow.pause"
		}
		return tx.audit(action, "client", d.PersonalID, fmt.Sprintf("workflow %s, step %d", id, step+1))
	})
	return newVersion, err
}

// AutosaveDraft keeps what is typed on a page, as typed, while it is being
// filled in (a session that times out loses nothing saved this way). It
// neither advances the draft nor changes its version, so the page's own
// save still goes through; with a stale version nothing is kept (ECONFLICT).
func (s *Store) AutosaveDraft(ctx context.Context, id string, version int, page string, values map[string]string) error {
	return s.write(ctx, func(tx *Tx) error {
		d, err := tx.editDraft(id, version, "Someone else saved this workflow after you opened this page.")
		if err != nil {
			return err
		}
		d.Values[page] = values
		_, data, err := draftJSON(d)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE workflow_drafts SET data = ?, date_updated = ? WHERE id = ? AND version = ?`,
			data, tx.ts(tx.now), id, version); err != nil {
			return err
		}
		return tx.audit("workflow.autosave", "client", d.PersonalID, "workflow "+id)
	})
}

// DiscardDraft abandons a workflow; nothing of it is written.
func (s *Store) DiscardDraft(ctx context.Context, id string) error {
	return s.write(ctx, func(tx *Tx) error {
		if err := mayWrite(tx.actor); err != nil {
			return err
		}
		d, err := tx.liveDraft(id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE workflow_drafts SET status = ?, date_updated = ?, data = ? WHERE id = ?`,
			DraftDiscarded, tx.ts(tx.now), "{}", id); err != nil {
			return err
		}
		return tx.audit("workflow.discard", "client", d.PersonalID, "workflow "+id)
	})
}

// CompleteWorkflow writes the records of a completed workflow in one
// transaction, after the rules that need the database: each member may be
// changed by the actor; at intake no overlapping stay of a member in the
// same program and one head of household; after intake, the enrollments
// unchanged since the workflow started (optimistic concurrency), not
// already exited, and every date within the stay. Each record is audited,
// and the draft is marked completed. Refusals name the form field.
func (s *Store) CompleteWorkflow(ctx context.Context, id string, version int, recs workflow.Records) error {
	d, err := s.OpenDraft(ctx, id)
	if err != nil {
		return err
	}
	for _, m := range d.Members {
		level, client, err := s.workflowMemberAccess(ctx, d.Stage, m)
		if err != nil {
			return err
		}
		if level < access.Editable {
			return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "You may not change the record of a member of this household."}
		}
		// A client the actor's organization only serves: the workflow
		// writes under its own program's enrollment, never on the client
		// record, which belongs to another organization.
		if a, ok := recs.Clients[m.PersonalID]; ok && a != (workflow.ClientAnswers{}) && client < access.Editable {
			return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "A member of this household is a client of another organization: this workflow may not change their client record."}
		}
	}
	return s.write(ctx, func(tx *Tx) error {
		var cur int
		if err := tx.queryRow(`SELECT version FROM workflow_drafts WHERE id = ? AND status IN (?, ?)`, id, DraftActive, DraftPaused).Scan(&cur); err != nil {
			return one(err, "Workflow")
		}
		if cur != version {
			return &hmis.Error{Code: hmis.ECONFLICT, Message: "Someone else saved this workflow after you opened this page. Open it again to see their changes."}
		}
		if _, err := tx.mayEnroll(d.ProjectID); err != nil {
			return err
		}
		if d.Stage != workflow.Intake {
			stamp, err := tx.enrollmentStamp(d.Members)
			if err != nil {
				return err
			}
			if stamp != d.Stamp {
				return &hmis.Error{Code: hmis.ECONFLICT, Message: "This household's enrollment was changed by someone else (or exited) after this " +
					strings.ToLower(d.Stage.Label()) + " started; nothing was saved. Discard this workflow and start again from the client's Enrollments to see the change."}
			}
		}
		if err := tx.stayRules(d, recs); err != nil {
			return err
		}
		if err := tx.writeWorkflow(d, recs); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE workflow_drafts SET status = ?, version = version + 1, date_updated = ?, date_completed = ? WHERE id = ?`,
			DraftCompleted, tx.ts(tx.now), tx.ts(tx.now), id); err != nil {
			return err
		}
		for _, m := range d.Members {
			if err := tx.audit("workflow.complete", "client", m.PersonalID, string(d.Stage)+" workflow "+id); err != nil {
				return err
			}
		}
		// Confirmed data-quality warnings: the issue and the form field
		// (PERSONALID.field), never an answer.
		for _, w := range recs.Warnings {
			pid, field, _ := strings.Cut(w.Field, ".")
			if err := tx.audit("workflow.dq_warning_confirmed", "client", pid, w.Issue+" ("+field+"), workflow "+id); err != nil {
				return err
			}
		}
		return nil
	})
}

// stayRules are the rules of a stay that need other rows.
func (tx *Tx) stayRules(d Draft, recs workflow.Records) error {
	fields := map[string]string{}
	heads := 0
	for _, e := range recs.Enrollments {
		if e.RelationshipToHoH != nil && *e.RelationshipToHoH == 1 {
			heads++
		}
		if e.EntryDate.After(txToday(tx)) {
			fields[workflow.FieldEntryDate] = "The project start date cannot be in the future."
		}
		var exit hmis.Date
		for _, x := range recs.Exits {
			if x.EnrollmentID == e.EnrollmentID {
				exit = x.ExitDate
			}
		}
		// No overlapping stays of one client in one program: another stay
		// overlaps when it started before this one ends and has not ended
		// by the day this one starts.
		q := `SELECT COUNT(*) FROM enrollments o
			WHERE o.personal_id = ? AND o.project_id = ? AND o.date_deleted IS NULL
			AND NOT EXISTS (SELECT 1 FROM exits x WHERE x.enrollment_id = o.enrollment_id AND x.date_deleted IS NULL AND x.exit_date <= ?)`
		args := []any{e.PersonalID, e.ProjectID, nullDate(e.EntryDate)}
		if !exit.IsZero() {
			q += ` AND o.entry_date < ?`
			args = append(args, nullDate(exit))
		}
		var n int
		if err := tx.queryRow(q, args...).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			fields[workflow.FieldEntryDate] = "A member of the household already has a stay in this program on these dates; HUD allows no overlapping stays in one program."
		}
	}
	if len(recs.Enrollments) > 0 && heads != 1 {
		fields["relationship"] = "A household has exactly one head of household (3.15)."
	}
	for _, x := range recs.Exits {
		if x.EnrollmentID == "" || len(recs.Enrollments) > 0 {
			continue
		}
		e, err := findRecord(tx, tableOf[hmis.Enrollment](), x.EnrollmentID)
		if err != nil {
			return err
		}
		if x.ExitDate.Before(e.EntryDate) {
			fields[workflow.FieldExitDate] = "The exit date cannot be before a member's project start date (" + e.EntryDate.Format("01/02/2006") + ")."
		}
		if !recs.MoveIn.IsZero() && recs.MoveIn.Before(e.EntryDate) {
			fields[workflow.FieldMoveInDate] = "The move-in date cannot be before the project start date."
		}
	}
	if len(fields) > 0 {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The workflow was not completed: correct the fields marked.", Fields: fields}
	}
	return nil
}

// insertWorkflowRecords inserts a workflow's records of one HUD type and
// audits each as created by the workflow (entity: the table's).
func insertWorkflowRecords[T Record](tx *Tx, recs []T, d Draft) error {
	t := tableOf[T]()
	for i := range recs {
		if err := insertRecord(tx, t, &recs[i]); err != nil {
			return err
		}
		if err := tx.audit("create", t.entity, *t.id(&recs[i]), "workflow "+d.ID); err != nil {
			return err
		}
	}
	return nil
}

// writeWorkflow inserts the records and updates the clients' record-creation
// answers and the enrollments' last change.
func (tx *Tx) writeWorkflow(d Draft, recs workflow.Records) error {
	for i := range recs.Enrollments {
		if err := insertRecord(tx, tableOf[hmis.Enrollment](), &recs.Enrollments[i]); err != nil {
			return err
		}
		if err := tx.audit("create", "enrollment", recs.Enrollments[i].EnrollmentID, "intake workflow "+d.ID); err != nil {
			return err
		}
	}
	for i := range recs.Exits {
		if err := insertRecord(tx, tableOf[hmis.Exit](), &recs.Exits[i]); err != nil {
			return err
		}
		if err := tx.audit("create", "exit", recs.Exits[i].ExitID, "workflow "+d.ID); err != nil {
			return err
		}
		if err := tx.endStaysAtExit(recs.Exits[i]); err != nil {
			return err
		}
	}
	if err := insertWorkflowRecords(tx, recs.Income, d); err != nil {
		return err
	}
	if err := insertWorkflowRecords(tx, recs.Health, d); err != nil {
		return err
	}
	if err := insertWorkflowRecords(tx, recs.Employment, d); err != nil {
		return err
	}
	if err := insertWorkflowRecords(tx, recs.Youth, d); err != nil {
		return err
	}
	for _, a := range recs.Aftercare {
		res, err := tx.exec(`UPDATE exits SET aftercare_date = ?, aftercare_provided = ?, date_updated = ?, user_id = ?
			WHERE enrollment_id = ? AND date_deleted IS NULL`, nullDate(a.Date), nullInt(a.Provided), tx.ts(tx.now), tx.actor.UserID, a.EnrollmentID)
		if err != nil {
			return err
		}
		if err := affected(res, "Exit"); err != nil {
			return err
		}
		if err := tx.audit("update", "exit", a.EnrollmentID, "aftercare (R20), workflow "+d.ID); err != nil {
			return err
		}
	}
	if err := insertWorkflowRecords(tx, recs.Disabilities, d); err != nil {
		return err
	}
	// Occurrences (4.12 current living situation, 4.14 bed nights, 4.13
	// date of engagement after intake: kept only where none is recorded).
	if err := insertWorkflowRecords(tx, recs.CurrentLivingSituations, d); err != nil {
		return err
	}
	if err := insertWorkflowRecords(tx, recs.Services, d); err != nil {
		return err
	}
	for eid, day := range recs.Engagement {
		if _, err := tx.exec(`UPDATE enrollments SET date_of_engagement = ?, date_updated = ?, user_id = ?
			WHERE enrollment_id = ? AND date_of_engagement IS NULL`, nullDate(day), tx.ts(tx.now), tx.actor.UserID, eid); err != nil {
			return err
		}
		if err := tx.audit("update", "enrollment", eid, "date of engagement (4.13), workflow "+d.ID); err != nil {
			return err
		}
	}
	for _, a := range recs.Answers {
		if _, err := tx.exec(`INSERT INTO workflow_answers (id, question_id, personal_id, enrollment_id, stage, information_date, value, user_id, date_created)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, NewID(), a.QuestionID, a.PersonalID, a.EnrollmentID, string(d.Stage),
			nullDate(recs.Day), a.Value, tx.actor.UserID, tx.ts(tx.now)); err != nil {
			return err
		}
		if err := tx.audit("create", "workflow_answer", a.EnrollmentID, "question "+a.QuestionID+", workflow "+d.ID); err != nil {
			return err
		}
	}
	for pid, a := range recs.Clients {
		var sets, detail []string
		var args []any
		set := func(col string, v any) {
			sets, args, detail = append(sets, col+" = ?"), append(args, v), append(detail, col)
		}
		if a.VeteranStatus != nil {
			set("veteran_status", int(*a.VeteranStatus))
		}
		if a.Sex != nil {
			set("sex", int(*a.Sex))
		}
		if a.YearEnteredService != nil {
			set("year_entered_service", *a.YearEnteredService)
		}
		if a.YearSeparated != nil {
			set("year_separated", *a.YearSeparated)
		}
		if a.MilitaryBranch != nil {
			set("military_branch", int(*a.MilitaryBranch))
		}
		if a.DischargeStatus != nil {
			set("discharge_status", int(*a.DischargeStatus))
		}
		if len(sets) == 0 {
			continue
		}
		args = append(args, tx.ts(tx.now), tx.actor.UserID, pid)
		if _, err := tx.exec(`UPDATE clients SET `+strings.Join(sets, ", ")+`, date_updated = ?, user_id = ? WHERE personal_id = ?`, args...); err != nil {
			return err
		}
		if err := tx.audit("update", "client", pid, "workflow "+d.ID+": "+strings.Join(detail, ", ")); err != nil {
			return err
		}
	}
	// The enrollments changed: a second workflow started before this one
	// completed is told so (enrollmentStamp).
	for _, m := range d.Members {
		if m.EnrollmentID == "" {
			continue
		}
		q := `UPDATE enrollments SET date_updated = ?, user_id = ? WHERE enrollment_id = ?`
		args := []any{tx.ts(tx.now), tx.actor.UserID, m.EnrollmentID}
		if !recs.MoveIn.IsZero() {
			q = `UPDATE enrollments SET date_updated = ?, user_id = ?, move_in_date = CASE WHEN relationship_to_ho_h = 1 AND move_in_date IS NULL THEN ? ELSE move_in_date END WHERE enrollment_id = ?`
			args = []any{tx.ts(tx.now), tx.actor.UserID, nullDate(recs.MoveIn), m.EnrollmentID}
		}
		if _, err := tx.exec(q, args...); err != nil {
			return err
		}
	}
	return nil
}

// NewQuestion is what AddWorkflowQuestion needs.
type NewQuestion struct {
	OrganizationID string
	DefinitionKey  string
	Stage          workflow.Stage
	AfterStep      string
	Label          string
	Kind           string
	AskedOf        string // workflow.QuestionSubjects; "" = head of household
}

// mayConfigure: only HMIS administrators (and the system) change
// workflows.
func mayConfigure(a hmis.Actor) error {
	if !a.System && a.Role != hmis.RoleAdmin {
		return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only HMIS administrators change workflows."}
	}
	return nil
}

// WorkflowQuestions returns an organization's questions of a definition at
// a stage, in order.
func (s *Store) WorkflowQuestions(ctx context.Context, organizationID, definitionKey string, stage workflow.Stage) ([]workflow.Question, error) {
	var out []workflow.Question
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.workflowQuestions(organizationID, definitionKey, stage)
		return err
	})
	return out, err
}

func (tx *Tx) workflowQuestions(organizationID, definitionKey string, stage workflow.Stage) ([]workflow.Question, error) {
	rows, err := tx.query(`SELECT id, label, kind, after_step, asked_of FROM workflow_questions
		WHERE organization_id = ? AND definition_key = ? AND stage = ? AND date_deleted IS NULL
		ORDER BY position, id`, organizationID, definitionKey, string(stage))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workflow.Question
	for rows.Next() {
		var q workflow.Question
		if err := rows.Scan(&q.ID, &q.Label, &q.Kind, &q.AfterStep, &q.AskedOf); err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// AddWorkflowQuestion adds an optional question to an organization's
// workflow, last on its step; audited on the organization.
func (s *Store) AddWorkflowQuestion(ctx context.Context, q NewQuestion) (workflow.Question, error) {
	var out workflow.Question
	err := s.write(ctx, func(tx *Tx) error {
		if err := mayConfigure(tx.actor); err != nil {
			return err
		}
		fields := map[string]string{}
		q.Label = strings.TrimSpace(q.Label)
		switch {
		case q.Label == "":
			fields["label"] = "Write the question."
		case len([]rune(q.Label)) > 200:
			fields["label"] = "A question holds at most 200 characters."
		}
		valid := false
		for _, k := range workflow.QuestionKinds {
			valid = valid || k.Kind == q.Kind
		}
		if !valid {
			fields["kind"] = "Choose the kind of answer."
		}
		if q.AskedOf == "" {
			q.AskedOf = hud.SubjectHoH
		}
		if workflow.QuestionSubjectLabel(q.AskedOf) == "" {
			fields["asked_of"] = "Choose whom the question is asked of."
		}
		if len(fields) > 0 {
			return &hmis.Error{Code: hmis.EINVALID, Message: "The question was not added.", Fields: fields}
		}
		if err := tx.requireOrganization(q.OrganizationID); err != nil {
			return err
		}
		existing, err := tx.workflowQuestions(q.OrganizationID, q.DefinitionKey, q.Stage)
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			q.AfterStep = existing[0].AfterStep
		}
		var pos int
		if err := tx.queryRow(`SELECT COALESCE(MAX(position), 0) FROM workflow_questions WHERE organization_id = ? AND definition_key = ? AND stage = ?`,
			q.OrganizationID, q.DefinitionKey, string(q.Stage)).Scan(&pos); err != nil {
			return err
		}
		out = workflow.Question{ID: NewID(), Label: q.Label, Kind: q.Kind, AfterStep: q.AfterStep, AskedOf: q.AskedOf}
		if _, err := tx.exec(`INSERT INTO workflow_questions (id, organization_id, definition_key, stage, after_step, label, kind, position,
				account_id, date_created, date_updated, asked_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			out.ID, q.OrganizationID, q.DefinitionKey, string(q.Stage), q.AfterStep, q.Label, q.Kind, pos+1,
			tx.actor.AccountID, tx.ts(tx.now), tx.ts(tx.now), q.AskedOf); err != nil {
			return err
		}
		return tx.audit("workflow_question.add", "organization", q.OrganizationID, "question "+out.ID+" asked of "+q.AskedOf+" in "+string(q.Stage)+" definition "+q.DefinitionKey)
	})
	return out, err
}

// question returns a live question's organization, definition and stage.
func (tx *Tx) question(id string) (org, key, stage string, pos int, err error) {
	err = tx.queryRow(`SELECT organization_id, definition_key, stage, position FROM workflow_questions WHERE id = ? AND date_deleted IS NULL`, id).
		Scan(&org, &key, &stage, &pos)
	return org, key, stage, pos, one(err, "Question")
}

// RemoveWorkflowQuestion takes a question out of the workflow (answers
// already given are kept).
func (s *Store) RemoveWorkflowQuestion(ctx context.Context, id string) error {
	return s.write(ctx, func(tx *Tx) error {
		if err := mayConfigure(tx.actor); err != nil {
			return err
		}
		org, _, _, _, err := tx.question(id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE workflow_questions SET date_deleted = ?, date_updated = ? WHERE id = ?`, tx.ts(tx.now), tx.ts(tx.now), id); err != nil {
			return err
		}
		return tx.audit("workflow_question.remove", "organization", org, "question "+id)
	})
}

// SetWorkflowQuestionSubject changes whom a question is asked of (one of
// workflow.QuestionSubjects); answers already given are kept. Audited on
// the organization, old → new.
func (s *Store) SetWorkflowQuestionSubject(ctx context.Context, id, askedOf string) error {
	return s.write(ctx, func(tx *Tx) error {
		if err := mayConfigure(tx.actor); err != nil {
			return err
		}
		if workflow.QuestionSubjectLabel(askedOf) == "" {
			return &hmis.Error{Code: hmis.EINVALID, Message: "The question was not changed.",
				Fields: map[string]string{"asked_of": "Choose whom the question is asked of."}}
		}
		org, _, _, _, err := tx.question(id)
		if err != nil {
			return err
		}
		var old string
		if err := tx.queryRow(`SELECT asked_of FROM workflow_questions WHERE id = ?`, id).Scan(&old); err != nil {
			return err
		}
		if old == askedOf {
			return nil
		}
		if _, err := tx.exec(`UPDATE workflow_questions SET asked_of = ?, date_updated = ? WHERE id = ?`, askedOf, tx.ts(tx.now), id); err != nil {
			return err
		}
		return tx.audit("workflow_question.asked_of", "organization", org, "question "+id+": "+old+" → "+askedOf)
	})
}

// MoveWorkflowQuestion moves a question one place up (delta -1) or down (+1).
func (s *Store) MoveWorkflowQuestion(ctx context.Context, id string, delta int) error {
	return s.write(ctx, func(tx *Tx) error {
		if err := mayConfigure(tx.actor); err != nil {
			return err
		}
		org, key, stage, pos, err := tx.question(id)
		if err != nil {
			return err
		}
		qs, err := tx.workflowQuestions(org, key, workflow.Stage(stage))
		if err != nil {
			return err
		}
		i := slices.IndexFunc(qs, func(q workflow.Question) bool { return q.ID == id })
		j := i + delta
		if i < 0 || j < 0 || j >= len(qs) {
			return nil // already first or last
		}
		var other int
		if err := tx.queryRow(`SELECT position FROM workflow_questions WHERE id = ?`, qs[j].ID).Scan(&other); err != nil {
			return err
		}
		if other == pos {
			other = pos + delta
		}
		if _, err := tx.exec(`UPDATE workflow_questions SET position = ?, date_updated = ? WHERE id = ?`, other, tx.ts(tx.now), id); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE workflow_questions SET position = ?, date_updated = ? WHERE id = ?`, pos, tx.ts(tx.now), qs[j].ID); err != nil {
			return err
		}
		return tx.audit("workflow_question.move", "organization", org, "question "+id)
	})
}

// PlaceWorkflowStep moves the organization's step of a definition and
// stage after another step ("" = before the review): optional steps are
// reordered, HUD's required ones keep their order.
func (s *Store) PlaceWorkflowStep(ctx context.Context, organizationID, definitionKey string, stage workflow.Stage, afterStep string) error {
	return s.write(ctx, func(tx *Tx) error {
		if err := mayConfigure(tx.actor); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE workflow_questions SET after_step = ?, date_updated = ?
			WHERE organization_id = ? AND definition_key = ? AND stage = ? AND date_deleted IS NULL`,
			afterStep, tx.ts(tx.now), organizationID, definitionKey, string(stage)); err != nil {
			return err
		}
		return tx.audit("workflow_question.place", "organization", organizationID, string(stage)+" definition "+definitionKey)
	})
}

// FindWorkflowAnswers returns the answers to the organizations' own
// questions given for an enrollment the actor may see, with the question;
// audited on the client.
func (s *Store) FindWorkflowAnswers(ctx context.Context, enrollmentID string) ([]WorkflowAnswer, error) {
	var out []WorkflowAnswer
	err := s.write(ctx, func(tx *Tx) error {
		var pid string
		if err := tx.queryRow(`SELECT personal_id FROM enrollments WHERE enrollment_id = ? AND date_deleted IS NULL`, enrollmentID).Scan(&pid); err != nil {
			return one(err, "Enrollment")
		}
		if _, err := tx.visibleClient(pid); err != nil {
			return err
		}
		if _, err := tx.memberEnrollment(enrollmentID, pid); err != nil {
			return err
		}
		rows, err := tx.query(`SELECT a.question_id, q.label, a.stage, a.information_date, a.value, a.personal_id FROM workflow_answers a
			JOIN workflow_questions q ON q.id = a.question_id WHERE a.enrollment_id = ? ORDER BY a.information_date, q.position`, enrollmentID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a WorkflowAnswer
			if err := rows.Scan(&a.QuestionID, &a.Question, &a.Stage, &a.InformationDate, &a.Value, &a.PersonalID); err != nil {
				return err
			}
			out = append(out, a)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.audit("read", "client", pid, "workflow answers of enrollment "+enrollmentID)
	})
	return out, err
}

// WorkflowAnswer is an answer to an organization's question.
type WorkflowAnswer struct {
	QuestionID, Question, Stage, Value string
	PersonalID                         string // the member the answer is about
	InformationDate                    hmis.Date
}

// ActiveEnrollment is an open enrollment on a program's active clients list.
type ActiveEnrollment struct {
	EnrollmentID string
	PersonalID   string
	Name         string // "Last, First"
	Relationship *hud.RelationshipToHoH
	EntryDate    hmis.Date
	LastActivity hmis.Date // the last change of the enrollment, service, assessment or contact
}

// ActiveEnrollments returns a program's enrollments not exited that the
// actor may see, oldest activity first, each with the day of its last
// activity; reading the list is audited on the program.
func (s *Store) ActiveEnrollments(ctx context.Context, projectID string) ([]ActiveEnrollment, error) {
	var out []ActiveEnrollment
	err := s.write(ctx, func(tx *Tx) error {
		if _, err := tx.workflowProject(projectID); err != nil {
			return err
		}
		q := `SELECT e.enrollment_id, e.personal_id, c.first_name, c.last_name, e.relationship_to_ho_h, e.entry_date, e.date_updated,
				(SELECT MAX(v.date_provided) FROM services v WHERE v.enrollment_id = e.enrollment_id AND v.date_deleted IS NULL),
				(SELECT MAX(i.information_date) FROM income_benefits i WHERE i.enrollment_id = e.enrollment_id AND i.date_deleted IS NULL),
				(SELECT MAX(l.information_date) FROM current_living_situations l WHERE l.enrollment_id = e.enrollment_id AND l.date_deleted IS NULL)
			FROM enrollments e JOIN clients c ON c.personal_id = e.personal_id AND c.date_deleted IS NULL
			WHERE e.project_id = ? AND e.date_deleted IS NULL
			AND NOT EXISTS (SELECT 1 FROM exits x WHERE x.enrollment_id = e.enrollment_id AND x.date_deleted IS NULL)`
		args := []any{projectID}
		if vis, vargs := enrollmentVisibility(tx, "c", "e"); vis != "" {
			q += ` AND ` + vis
			args = append(args, vargs...)
		}
		rows, err := tx.query(q+` ORDER BY e.entry_date, e.enrollment_id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a ActiveEnrollment
			var first, last string
			var updated time.Time
			var service, income, contact hmis.Date
			if err := rows.Scan(&a.EnrollmentID, &a.PersonalID, scanString(&first), scanString(&last), scanInt(&a.Relationship),
				&a.EntryDate, scanTime(&updated), &service, &income, &contact); err != nil {
				return err
			}
			a.Name = caseName(first, last)
			a.LastActivity = hmis.DateOf(updated.Local())
			for _, d := range []hmis.Date{a.EntryDate, service, income, contact} {
				if d.After(a.LastActivity) {
					a.LastActivity = d
				}
			}
			out = append(out, a)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		slices.SortStableFunc(out, func(x, y ActiveEnrollment) int { return x.LastActivity.Time().Compare(y.LastActivity.Time()) })
		return tx.audit("read", "project", projectID, fmt.Sprintf("active clients list, %d enrollments", len(out)))
	})
	return out, err
}

// InactiveDaysSetting is the site setting: days without activity after
// which an enrollment never exited is flagged on its program's list.
const InactiveDaysSetting = "workflow.inactive_days"

// DefaultInactiveDays is used when the setting is not set.
const DefaultInactiveDays = 90

// InactiveDays returns the setting.
func (s *Store) InactiveDays(ctx context.Context) (int, error) {
	v, ok, err := s.Setting(ctx, InactiveDaysSetting)
	if err != nil || !ok {
		return DefaultInactiveDays, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return DefaultInactiveDays, nil
	}
	return n, nil
}

// SetInactiveDays changes the setting (HMIS administrators), audited.
func (s *Store) SetInactiveDays(ctx context.Context, days int) error {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return errNoActor
	}
	if err := mayConfigure(actor); err != nil {
		return err
	}
	if days < 1 || days > 3650 {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The number of days was not saved.",
			Fields: map[string]string{"inactive_days": "Enter a number of days from 1 to 3650."}}
	}
	return s.SetSetting(ctx, InactiveDaysSetting, strconv.Itoa(days))
}
