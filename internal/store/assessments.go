package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// This file is assessments (issue 5 point 5): the client's Assessments
// list, made of the HUD assessment records grouped by information date
// and collection stage (4.02-4.04 IncomeBenefits, 4.05-4.10 Disabilities,
// 4.11 HealthAndDV, R4/R6 EmploymentEducation, C3 YouthEducationStatus;
// DataCollectionStage 5.03: entry, update, annual, exit, post-exit), and
// the organization's own assessments (migration 0017): a named set of
// questions an administrator defines for an organization, answered for a
// client at a point in time. Answers follow the client's sharing as case
// notes do (recordVisibility on the client, transactionVisibility on the
// response, which takes its enrollment's restriction).

// Question kinds of an organization's assessment.
const (
	QuestionText   = "text"
	QuestionNumber = "number"
	QuestionYesNo  = "yes_no"
	QuestionChoice = "choice"
)

// QuestionKinds are the kinds with their labels, in form order.
var QuestionKinds = []struct{ Kind, Label string }{
	{QuestionText, "Text"}, {QuestionNumber, "Number"}, {QuestionYesNo, "Yes or no"}, {QuestionChoice, "One of a list of choices"},
}

// OrgAssessment is one of an organization's own assessments.
type OrgAssessment struct {
	ID               string
	OrganizationID   string
	OrganizationName string
	Name             string
	Description      string
	Active           bool
	Questions        []OrgQuestion
}

// OrgQuestion is one question of an OrgAssessment.
type OrgQuestion struct {
	ID       string
	Position int
	Label    string
	Kind     string
	Choices  []string // QuestionChoice only
	Required bool
}

// mayDefine: administrators define assessments for any organization,
// organization administrators for their own.
func mayDefine(a hmis.Actor, orgID string) error {
	if a.System || a.Role == hmis.RoleAdmin || (a.Role == hmis.RoleOrgAdmin && a.OrganizationID == orgID && orgID != "") {
		return nil
	}
	return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only administrators define an organization's assessments."}
}

// SaveOrgAssessment adds (empty ID) or renames, describes and turns on or
// off an organization's assessment; audited ("org_assessment").
func (s *Store) SaveOrgAssessment(ctx context.Context, a *OrgAssessment) error {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return errNoActor
	}
	a.Name, a.Description = strings.TrimSpace(a.Name), strings.TrimSpace(a.Description)
	f := hmis.FieldErrors{}
	switch {
	case a.Name == "":
		f.Add("name", "Enter the assessment's name.")
	case utf8.RuneCountInString(a.Name) > 100:
		f.Add("name", "The name is longer than 100 characters.")
	}
	if utf8.RuneCountInString(a.Description) > 2000 {
		f.Add("description", "The description is longer than 2,000 characters.")
	}
	return s.write(ctx, func(tx *Tx) error {
		if a.ID != "" {
			var org string
			err := tx.queryRow(`SELECT organization_id FROM org_assessments WHERE id = ? AND date_deleted IS NULL`, a.ID).Scan(&org)
			if errors.Is(err, sql.ErrNoRows) {
				return notFound("Assessment")
			} else if err != nil {
				return err
			}
			a.OrganizationID = org
		}
		if err := mayDefine(actor, a.OrganizationID); err != nil {
			return err
		}
		if _, err := findRecord(tx, organizationTable, a.OrganizationID); hmis.ErrorCode(err) == hmis.ENOTFOUND {
			f.Add("organization_id", "Choose one of the organizations.")
		} else if err != nil {
			return err
		}
		if err := f.Err("The assessment was not saved."); err != nil {
			return err
		}
		active := 0
		if a.Active {
			active = 1
		}
		if a.ID == "" {
			a.ID = NewID()
			if _, err := tx.exec(`INSERT INTO org_assessments (id, organization_id, name, description, active, date_created, date_updated)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, a.ID, a.OrganizationID, a.Name, a.Description, active, tx.ts(tx.now), tx.ts(tx.now)); err != nil {
				return err
			}
			return tx.audit("create", "org_assessment", a.ID, a.Name)
		}
		if _, err := tx.exec(`UPDATE org_assessments SET name = ?, description = ?, active = ?, date_updated = ? WHERE id = ?`,
			a.Name, a.Description, active, tx.ts(tx.now), a.ID); err != nil {
			return err
		}
		return tx.audit("update", "org_assessment", a.ID, a.Name)
	})
}

// AddOrgQuestion adds a question at the end of an assessment.
func (s *Store) AddOrgQuestion(ctx context.Context, assessmentID string, q *OrgQuestion) error {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return errNoActor
	}
	q.Label = strings.TrimSpace(q.Label)
	f := hmis.FieldErrors{}
	switch {
	case q.Label == "":
		f.Add("label", "Write the question.")
	case utf8.RuneCountInString(q.Label) > 300:
		f.Add("label", "A question is at most 300 characters.")
	}
	known := false
	for _, k := range QuestionKinds {
		known = known || k.Kind == q.Kind
	}
	if !known {
		f.Add("kind", "Choose the kind of answer.")
	}
	var choices []string
	seen := map[string]bool{}
	for _, c := range q.Choices {
		if c = strings.TrimSpace(c); c != "" && !seen[strings.ToLower(c)] {
			seen[strings.ToLower(c)] = true
			choices = append(choices, c)
			if utf8.RuneCountInString(c) > 100 {
				f.Add("choices", "A choice is at most 100 characters.")
			}
		}
	}
	switch {
	case q.Kind == QuestionChoice && len(choices) < 2:
		f.Add("choices", "List at least two choices, one per line.")
	case q.Kind != QuestionChoice && len(choices) > 0:
		f.Add("choices", "Only a question answered from a list has choices.")
	case len(choices) > 50:
		f.Add("choices", "List at most 50 choices.")
	}
	q.Choices = choices
	return s.write(ctx, func(tx *Tx) error {
		a, err := tx.orgAssessment(assessmentID)
		if err != nil {
			return err
		}
		if err := mayDefine(actor, a.OrganizationID); err != nil {
			return err
		}
		if err := f.Err("The question was not added."); err != nil {
			return err
		}
		q.ID, q.Position = NewID(), len(a.Questions)+1
		if len(a.Questions) > 0 {
			q.Position = a.Questions[len(a.Questions)-1].Position + 1
		}
		req := 0
		if q.Required {
			req = 1
		}
		if _, err := tx.exec(`INSERT INTO org_assessment_questions (id, assessment_id, position, label, kind, choices, required, date_created)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, q.ID, assessmentID, q.Position, q.Label, q.Kind, strings.Join(choices, "\n"), req,
			tx.ts(tx.now)); err != nil {
			return err
		}
		return tx.audit("question.add", "org_assessment", assessmentID, "question "+q.ID)
	})
}

// RemoveOrgQuestion retires a question: no longer asked; answers given
// keep it as it was asked.
func (s *Store) RemoveOrgQuestion(ctx context.Context, assessmentID, questionID string) error {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return errNoActor
	}
	return s.write(ctx, func(tx *Tx) error {
		a, err := tx.orgAssessment(assessmentID)
		if err != nil {
			return err
		}
		if err := mayDefine(actor, a.OrganizationID); err != nil {
			return err
		}
		res, err := tx.exec(`UPDATE org_assessment_questions SET date_deleted = ? WHERE id = ? AND assessment_id = ? AND date_deleted IS NULL`,
			tx.ts(tx.now), questionID, assessmentID)
		if err != nil {
			return err
		}
		if err := affected(res, "Question"); err != nil {
			return err
		}
		return tx.audit("question.remove", "org_assessment", assessmentID, "question "+questionID)
	})
}

// orgAssessment loads one live assessment with its live questions.
func (tx *Tx) orgAssessment(id string) (OrgAssessment, error) {
	as, err := tx.orgAssessments(` AND a.id = ?`, id)
	if err != nil {
		return OrgAssessment{}, err
	}
	if len(as) == 0 {
		return OrgAssessment{}, notFound("Assessment")
	}
	return as[0], nil
}

func (tx *Tx) orgAssessments(cond string, args ...any) ([]OrgAssessment, error) {
	rows, err := tx.query(`SELECT a.id, a.organization_id, o.organization_name, a.name, a.description, a.active
		FROM org_assessments a LEFT JOIN organizations o ON o.organization_id = a.organization_id
		WHERE a.date_deleted IS NULL`+cond+` ORDER BY o.organization_name, a.name, a.id`, args...)
	if err != nil {
		return nil, err
	}
	var out []OrgAssessment
	index := map[string]int{}
	for rows.Next() {
		var a OrgAssessment
		var active int
		if err := rows.Scan(&a.ID, &a.OrganizationID, scanString(&a.OrganizationName), &a.Name, &a.Description, &active); err != nil {
			rows.Close()
			return nil, err
		}
		a.Active = active == 1
		index[a.ID] = len(out)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]any, 0, len(out))
	for _, a := range out {
		ids = append(ids, a.ID)
	}
	rows, err = tx.query(`SELECT assessment_id, id, position, label, kind, choices, required FROM org_assessment_questions
		WHERE date_deleted IS NULL AND assessment_id IN (`+placeholders(len(ids))+`) ORDER BY position, id`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var aid, choices string
		var q OrgQuestion
		var req int
		if err := rows.Scan(&aid, &q.ID, &q.Position, &q.Label, &q.Kind, &choices, &req); err != nil {
			return nil, err
		}
		if choices != "" {
			q.Choices = strings.Split(choices, "\n")
		}
		q.Required = req == 1
		a := &out[index[aid]]
		a.Questions = append(a.Questions, q)
	}
	return out, rows.Err()
}

// OrgAssessments returns the assessments of an organization ("" for
// every organization), with their questions; activeOnly leaves out those
// turned off. Definitions are not client data.
func (s *Store) OrgAssessments(ctx context.Context, orgID string, activeOnly bool) ([]OrgAssessment, error) {
	var out []OrgAssessment
	err := s.read(ctx, func(tx *Tx) error {
		cond, args := "", []any{}
		if orgID != "" {
			cond, args = cond+` AND a.organization_id = ?`, append(args, orgID)
		}
		if activeOnly {
			cond += ` AND a.active = 1`
		}
		var err error
		out, err = tx.orgAssessments(cond, args...)
		return err
	})
	return out, err
}

// FindOrgAssessment returns one assessment with its questions.
func (s *Store) FindOrgAssessment(ctx context.Context, id string) (OrgAssessment, error) {
	var a OrgAssessment
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		a, err = tx.orgAssessment(id)
		return err
	})
	return a, err
}

// NewOrgResponse is an assessment answered for a client.
type NewOrgResponse struct {
	AssessmentID string
	PersonalID   string
	EnrollmentID string // optional
	Date         hmis.Date
	Stage        *hud.DataCollectionStage // optional: 5.03
	Answers      map[string]string        // question ID -> answer as typed
}

// QuestionField is the EINVALID field of a question's answer.
func QuestionField(questionID string) string { return "q_" + questionID }

// checkAnswer returns the answer as stored, or a message.
func checkAnswer(q OrgQuestion, v string) (string, string) {
	v = strings.TrimSpace(v)
	if v == "" {
		if q.Required {
			return "", "Answer this question."
		}
		return "", ""
	}
	switch q.Kind {
	case QuestionNumber:
		if _, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64); err != nil || strings.ContainsAny(v, "eExX") {
			return "", "Enter a number."
		}
		return strings.ReplaceAll(v, ",", ""), ""
	case QuestionYesNo:
		switch strings.ToLower(v) {
		case "yes":
			return "Yes", ""
		case "no":
			return "No", ""
		}
		return "", "Answer yes or no."
	case QuestionChoice:
		for _, c := range q.Choices {
			if c == v {
				return v, ""
			}
		}
		return "", "Choose one of the listed answers."
	}
	if utf8.RuneCountInString(v) > 2000 {
		return "", "An answer is at most 2,000 characters."
	}
	return v, ""
}

// AnswerOrgAssessment records an organization's assessment answered for
// a client the actor may change, by a member of that organization (or an
// administrator); audited on the client ("assessment.add"). For a client
// the actor's organization only serves, the response must be tied to one
// of its own programs' enrollments (EnrollmentAccess: an organization
// assesses the clients it serves within its own stays).
func (s *Store) AnswerOrgAssessment(ctx context.Context, n NewOrgResponse) (string, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return "", errNoActor
	}
	if err := s.editableEnrollment(ctx, n.PersonalID, n.EnrollmentID); err != nil {
		if hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			return "", err
		}
		if n.EnrollmentID == "" {
			if may, merr := s.MayRecordServed(ctx, n.PersonalID); merr != nil {
				return "", merr
			} else if may {
				return "", &hmis.Error{Code: hmis.EINVALID, Message: "The assessment was not saved.", Fields: map[string]string{
					"enrollment_id": "Choose an enrollment of your organization's programs: an assessment of this client must be tied to one."}}
			}
		}
		return "", &hmis.Error{Code: hmis.EFORBIDDEN, Message: "You may see this client but not assess them."}
	}
	var id string
	err := s.write(ctx, func(tx *Tx) error {
		if _, err := tx.visibleClient(n.PersonalID); err != nil {
			return err
		}
		a, err := tx.orgAssessment(n.AssessmentID)
		if err != nil {
			return err
		}
		if !a.Active || (!actor.System && actor.Role != hmis.RoleAdmin && actor.OrganizationID != a.OrganizationID) {
			return notFound("Assessment")
		}
		f := hmis.FieldErrors{}
		today := txToday(tx)
		switch {
		case n.Date.IsZero():
			f.Add("assessment_date", "Enter the date of the assessment.")
		case n.Date.After(today):
			f.Add("assessment_date", "An assessment cannot be dated in the future.")
		}
		if n.Stage != nil && (!n.Stage.Valid() || n.Stage.Retired()) {
			f.Add("stage", "Choose one of the listed stages.")
		}
		restricted := ""
		if n.EnrollmentID != "" {
			ts, err := tx.serviceTargets([]string{n.EnrollmentID})
			if err != nil {
				return err
			}
			t, ok := ts[n.EnrollmentID]
			switch {
			case !ok || t.PersonalID != n.PersonalID:
				f.Add("enrollment_id", "Choose one of the client's enrollments.")
			case !n.Date.IsZero() && (n.Date.Before(t.EntryDate) || (!t.ExitDate.IsZero() && n.Date.After(t.ExitDate) &&
				(n.Stage == nil || *n.Stage != hud.DataCollectionStagePostExit))):
				f.Add("assessment_date", "The date is outside the enrollment's stay.")
			}
			restricted = t.RestrictedToOrg
		} else if n.Stage != nil {
			f.Add("enrollment_id", "A collection stage is about an enrollment: choose one, or no stage.")
		}
		answers := map[string]string{}
		for _, q := range a.Questions {
			v, msg := checkAnswer(q, n.Answers[q.ID])
			if msg != "" {
				f.Add(QuestionField(q.ID), msg)
			}
			if v != "" {
				answers[q.ID] = v
			}
		}
		if len(answers) == 0 && len(f) == 0 {
			f.Add("_", "Answer at least one question.")
		}
		if err := f.Err("The assessment was not saved."); err != nil {
			return err
		}
		id = NewID()
		if _, err := tx.exec(`INSERT INTO org_assessment_responses (id, assessment_id, personal_id, enrollment_id, organization_id,
				restricted_to_org, assessment_date, data_collection_stage, author_account_id, date_created, date_updated)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, a.ID, n.PersonalID, nullString(n.EnrollmentID), a.OrganizationID,
			nullString(restricted), nullDate(n.Date), nullInt(n.Stage), actor.AccountID, tx.ts(tx.now), tx.ts(tx.now)); err != nil {
			return err
		}
		for _, q := range a.Questions {
			if v, ok := answers[q.ID]; ok {
				if _, err := tx.exec(`INSERT INTO org_assessment_answers (response_id, question_id, label, value) VALUES (?, ?, ?, ?)`,
					id, q.ID, q.Label, v); err != nil {
					return err
				}
			}
		}
		return tx.audit("assessment.add", "client", n.PersonalID, "assessment "+id+" ("+a.Name+")")
	})
	return id, err
}

// AssessmentEntry is one row of a client's Assessments list.
type AssessmentEntry struct {
	Date         hmis.Date
	Stage        *hud.DataCollectionStage
	Name         string   // "HUD assessment" or the organization's assessment name
	Organization string   // the organization's assessment's owner
	ProjectName  string   // the enrollment's program
	Elements     []string // HUD: the elements recorded ("Income and benefits (4.02-4.04)")
	Answers      []Answer // the organization's: questions as asked, with answers
	HUD          bool
}

// Answer is one answered question.
type Answer struct{ Question, Value string }

// hudAssessmentTables are the HUD records collected at a stage, with the
// elements they hold.
var hudAssessmentTables = []struct{ table, label string }{
	{incomeBenefitsTable.name, "Income, benefits and health insurance (4.02–4.04)"},
	{disabilityTable.name, "Disabilities (4.05–4.10)"},
	{healthAndDVTable.name, "Health and domestic violence (4.11, R7, R8)"},
	{employmentEducationTable.name, "Employment and education (R4, R6)"},
	{youthEducationStatusTable.name, "Youth education status (C3)"},
}

// FindClientAssessments returns a client's assessments the actor may
// see, newest first: the HUD records grouped by enrollment, information
// date and collection stage, and the organization's assessments answered.
// Audited ("read", "client", "assessments").
func (s *Store) FindClientAssessments(ctx context.Context, personalID string) ([]AssessmentEntry, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	var out []AssessmentEntry
	err := s.read(ctx, func(tx *Tx) error {
		cond, args, ok, err := tx.clientTransactions(personalID, "x.personal_id", "e")
		if err != nil || !ok {
			return err
		}
		type key struct {
			enrollment, date string
			stage            int
		}
		index := map[key]int{}
		for _, ht := range hudAssessmentTables {
			rows, err := tx.query(`SELECT x.enrollment_id, p.project_name, x.information_date, x.data_collection_stage
				FROM `+ht.table+` x
				JOIN enrollments e ON e.enrollment_id = x.enrollment_id AND e.date_deleted IS NULL
				LEFT JOIN projects p ON p.project_id = e.project_id
				WHERE `+cond+` AND x.date_deleted IS NULL
				GROUP BY x.enrollment_id, p.project_name, x.information_date, x.data_collection_stage`, args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var e AssessmentEntry
				var enrollment string
				if err := rows.Scan(&enrollment, scanString(&e.ProjectName), &e.Date, scanInt(&e.Stage)); err != nil {
					rows.Close()
					return err
				}
				k := key{enrollment, e.Date.String(), -1}
				if e.Stage != nil {
					k.stage = int(*e.Stage)
				}
				i, seen := index[k]
				if !seen {
					e.Name, e.HUD = "HUD assessment", true
					i = len(out)
					index[k] = i
					out = append(out, e)
				}
				out[i].Elements = append(out[i].Elements, ht.label)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		// Coordinated entry assessments (4.19), hidden like their enrollment
		// and by their own restriction.
		acond, aargs, _, err := tx.clientTransactions(personalID, "a.personal_id", "a", "e")
		if err != nil {
			return err
		}
		rows, err := tx.query(`SELECT p.project_name, a.assessment_date, a.assessment_level, a.assessment_type, a.prioritization_status
			FROM assessments a
			LEFT JOIN enrollments e ON e.enrollment_id = a.enrollment_id
			LEFT JOIN projects p ON p.project_id = e.project_id
			WHERE `+acond+` AND a.date_deleted IS NULL`, aargs...)
		if err != nil {
			return err
		}
		for rows.Next() {
			e := AssessmentEntry{Name: "Coordinated entry assessment (4.19)", HUD: true}
			var level *hud.AssessmentLevel
			var typ *hud.AssessmentType
			var prio *hud.PrioritizationStatus
			if err := rows.Scan(scanString(&e.ProjectName), &e.Date, scanInt(&level), scanInt(&typ), scanInt(&prio)); err != nil {
				rows.Close()
				return err
			}
			if level != nil {
				e.Elements = append(e.Elements, level.Label())
			}
			if typ != nil {
				e.Elements = append(e.Elements, typ.Label())
			}
			if prio != nil {
				e.Elements = append(e.Elements, prio.Label())
			}
			out = append(out, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// The organizations' own assessments (alias r for the response).
		rcond, rargs, _, err := tx.clientTransactions(personalID, "r.personal_id", "r", "e")
		if err != nil {
			return err
		}
		if tv, targs := transactionVisibility(tx.actor, "ev"); tv != "" {
			rcond += ` AND (r.enrollment_id IS NULL OR EXISTS (SELECT 1 FROM enrollments ev
				WHERE ev.enrollment_id = r.enrollment_id AND ev.date_deleted IS NULL AND ` + tv + `))`
			rargs = append(rargs, targs...)
		}
		rows, err = tx.query(`SELECT r.id, a.name, o.organization_name, p.project_name, r.assessment_date, r.data_collection_stage
			FROM org_assessment_responses r
			JOIN org_assessments a ON a.id = r.assessment_id
			LEFT JOIN organizations o ON o.organization_id = r.organization_id
			LEFT JOIN enrollments e ON e.enrollment_id = r.enrollment_id
			LEFT JOIN projects p ON p.project_id = e.project_id
			WHERE `+rcond+` AND r.date_deleted IS NULL`, rargs...)
		if err != nil {
			return err
		}
		byID := map[string]int{}
		var ids []any
		for rows.Next() {
			var e AssessmentEntry
			var id string
			if err := rows.Scan(&id, &e.Name, scanString(&e.Organization), scanString(&e.ProjectName), &e.Date, scanInt(&e.Stage)); err != nil {
				rows.Close()
				return err
			}
			byID[id] = len(out)
			ids = append(ids, id)
			out = append(out, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(ids) == 0 {
			return err
		}
		rows, err = tx.query(`SELECT w.response_id, w.label, w.value FROM org_assessment_answers w
			LEFT JOIN org_assessment_questions q ON q.id = w.question_id
			WHERE w.response_id IN (`+placeholders(len(ids))+`) ORDER BY w.response_id, q.position, w.question_id`, ids...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var rid string
			var a Answer
			if err := rows.Scan(&rid, &a.Question, &a.Value); err != nil {
				return err
			}
			out[byID[rid]].Answers = append(out[byID[rid]].Answers, a)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.After(out[j].Date) })
	return out, s.Audit(ctx, "read", "client", personalID, fmt.Sprintf("assessments: %d", len(out)))
}
