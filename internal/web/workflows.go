package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/workflow"
)

// Guided workflows (issue 5): intake, update, annual assessment, exit and
// post-exit, step by step, with exactly the elements HUD requires of the
// program (internal/workflow, from the element rules). Every step is saved
// as a draft (store.SaveDraft), so a workflow can be paused and resumed
// where it stopped; completing it writes the HUD records in one
// transaction (store.CompleteWorkflow).
//
// Stable addresses other pages link to:
//
//	GET /{site}/workflows/start?client=PERSONALID[&project=PROJECTID]&stage=intake
//	GET /{site}/workflows/start?enrollment=ENROLLMENTID&stage=exit|update|annual|post-exit

const (
	workflowsPath = "workflows"
	pausedPath    = "home/paused"
)

// workflowStartHref is the address that starts an intake for a client.
func workflowStartHref(rq *request, personalID string) string {
	return rq.base() + "/" + workflowsPath + "/start?" + url.Values{"client": {personalID}, "stage": {"intake"}}.Encode()
}

// enrollmentWorkflowHref starts a stage after intake for an enrollment.
func enrollmentWorkflowHref(rq *request, enrollmentID string, st workflow.Stage) string {
	return rq.base() + "/" + workflowsPath + "/start?" + url.Values{"enrollment": {enrollmentID}, "stage": {string(st)}}.Encode()
}

func draftHref(rq *request, id string, step int) string {
	return fmt.Sprintf("%s/%s/%s/step/%d", rq.base(), workflowsPath, url.PathEscape(id), step)
}

// --- Start -----------------------------------------------------------

type startMember struct {
	PersonalID, Name, Detail string
	Checked, Fixed           bool // Fixed: the client the workflow starts from
	Relationship             string
	EnrollmentID             string
}

type workflowStartPage struct {
	Shell
	Stage        workflow.Stage
	StageLabel   string
	ClientName   string
	ClientHref   string
	Action       string
	Programs     []option
	Project      string
	ProjectName  string // after intake: the enrollment's program
	Members      []startMember
	Relationship []option
	Hidden       map[string]string
	Extra        []string // members added by HMIS ID
	AddID        string
	Errors       map[string]string
	Error        string
}

func (s *Server) workflowStart(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderWorkflowStart(w, r, rq, http.StatusOK, r.URL.Query(), nil)
}

// renderWorkflowStart shows the start page for the query (or the posted
// form) q: choose the program (intake) and the household members.
func (s *Server) renderWorkflowStart(w http.ResponseWriter, r *http.Request, rq *request, status int, q url.Values, errs map[string]string) error {
	ctx := r.Context()
	st := rq.Site.Store
	stage, err := workflow.ParseStage(q.Get("stage"))
	if err != nil {
		return err
	}
	p := workflowStartPage{Stage: stage, StageLabel: stage.Label(), Action: rq.base() + "/" + workflowsPath + "/start",
		Project: clip(q.Get("project"), 64), Errors: errs, Hidden: map[string]string{"stage": string(stage)}}
	if len(errs) > 0 {
		p.Error = "The workflow did not start: correct the fields marked below."
		if m := errs[""]; m != "" {
			p.Error = m
		}
	}
	for _, v := range hud.Lists["3.15.1"].Current() {
		p.Relationship = append(p.Relationship, option{v.Key, v.Label})
	}
	chosen := map[string]bool{}
	for _, id := range q["member"] {
		chosen[id] = true
	}
	var start string
	if stage == workflow.Intake {
		start = clip(q.Get("client"), 64)
		c, err := findVisibleClient(r, rq, start)
		if err != nil {
			return err
		}
		p.ClientName, p.ClientHref = clientDisplayName(&c.Client), clientHref(rq, c.PersonalID)
		p.Hidden["client"] = c.PersonalID
		progs, err := st.WorkflowPrograms(ctx)
		if err != nil {
			return err
		}
		for _, pr := range progs {
			label := pr.Name
			if pr.ProjectType != nil {
				label += " (" + pr.ProjectType.Label() + ")"
			}
			p.Programs = append(p.Programs, option{pr.ProjectID, label})
		}
		rel := func(id, def string) string {
			if v := q.Get("rel." + id); v != "" {
				return v
			}
			return def
		}
		p.Members = append(p.Members, startMember{PersonalID: c.PersonalID, Name: clientDisplayName(&c.Client), Detail: piiAgeDetail(r, rq, c.DOB),
			Checked: true, Fixed: true, Relationship: rel(c.PersonalID, "1")})
		families, err := st.FindClientFamily(ctx, c.PersonalID)
		if err != nil {
			return err
		}
		seen := map[string]bool{c.PersonalID: true}
		// Members added by their HMIS ID (a household that has not stayed
		// together before).
		for _, id := range append(q["extra"], strings.TrimSpace(q.Get("add_id"))) {
			id = clip(strings.TrimSpace(id), 64)
			if id == "" || seen[id] {
				continue
			}
			m, err := findVisibleClient(r, rq, id)
			if err == errNoClient {
				if p.Errors == nil {
					p.Errors = map[string]string{}
				}
				p.Errors["add_id"] = "No client with this HMIS ID that you may see. Find the client first; the ID is on their dashboard."
				p.AddID = id
				continue
			} else if err != nil {
				return err
			}
			seen[id] = true
			p.Extra = append(p.Extra, id)
			p.Members = append(p.Members, startMember{PersonalID: id, Name: personName(m.FirstName, m.MiddleName, m.LastName), Detail: piiAgeDetail(r, rq, m.DOB),
				Checked: true, Relationship: rel(id, "")})
		}
		// The client's family (Clients → Family) first: the people the
		// client lives with now; relationships are offered when the client
		// heads the family (3.15 is to the head).
		fam, err := st.ClientFamilyGroup(ctx, c.PersonalID)
		if err != nil {
			return err
		}
		clientHeads := false
		for _, m := range fam.Members {
			clientHeads = clientHeads || (m.Self && m.Head())
		}
		for _, m := range fam.Members {
			if seen[m.PersonalID] {
				continue
			}
			seen[m.PersonalID] = true
			def := ""
			if clientHeads && !m.Head() {
				def = strconv.Itoa(int(m.Relationship))
			}
			p.Members = append(p.Members, startMember{PersonalID: m.PersonalID, Name: personName(m.FirstName, "", m.LastName),
				Detail: piiAgeDetail(r, rq, m.DOB) + " · family", Checked: chosen[m.PersonalID], Relationship: rel(m.PersonalID, def)})
		}
		for _, h := range families {
			for _, m := range h.Members {
				if seen[m.PersonalID] {
					continue
				}
				seen[m.PersonalID] = true
				def := ""
				if m.Relationship != nil && *m.Relationship != 1 {
					def = strconv.Itoa(int(*m.Relationship))
				}
				p.Members = append(p.Members, startMember{PersonalID: m.PersonalID, Name: personName(m.FirstName, "", m.LastName),
					Detail: piiAgeDetail(r, rq, m.DOB) + " · in " + h.ProjectName, Checked: chosen[m.PersonalID], Relationship: rel(m.PersonalID, def)})
			}
		}
	} else {
		eid := clip(q.Get("enrollment"), 64)
		base, members, err := st.HouseholdEnrollments(ctx, eid, stage != workflow.PostExit)
		if hmis.ErrorCode(err) == hmis.ENOTFOUND {
			return errPageNotFound
		} else if err != nil {
			return err
		}
		start = base.PersonalID
		p.Hidden["enrollment"] = eid
		people, err := st.WorkflowPeople(ctx, members)
		if err != nil {
			return err
		}
		if len(people) == 0 {
			return &hmis.Error{Code: hmis.EINVALID, Message: "Nobody in this household is still enrolled: there is nothing to " + strings.ToLower(stage.Label()) + "."}
		}
		if p.ProjectName, err = st.ProjectName(ctx, base.ProjectID); err != nil {
			return err
		}
		for _, m := range people {
			if m.PersonalID == base.PersonalID {
				p.ClientName, p.ClientHref = m.Name, clientHref(rq, m.PersonalID)
			}
			rel := ""
			if m.Relationship != nil {
				rel = m.Relationship.Label()
			}
			checked := len(chosen) == 0 || chosen[m.PersonalID]
			p.Members = append(p.Members, startMember{PersonalID: m.PersonalID, Name: m.Name, EnrollmentID: m.EnrollmentID,
				Detail: piiAgeDetail(r, rq, m.DOB) + " · " + rel + " · entered " + usDate(m.EntryDate), Checked: checked, Relationship: rel})
		}
	}
	if p.Shell, err = s.shell(r, rq, "clients", "", p.StageLabel+": "+p.ClientName); err != nil {
		return err
	}
	return s.render(w, r, status, "workflow_start", &p)
}

func ageDetail(dob hmis.Date) string {
	if dob.IsZero() {
		return "date of birth not recorded"
	}
	return "born " + usDate(dob) + ", age " + age(dob, hmis.DateOf(time.Now()))
}

// startWorkflow creates the draft and opens its first step.
func (s *Server) startWorkflow(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	f := r.PostForm
	stage, err := workflow.ParseStage(f.Get("stage"))
	if err != nil {
		return err
	}
	ctx := r.Context()
	st := rq.Site.Store
	if f.Get("action") == "add" {
		// Add a member by HMIS ID: the same page again, with them.
		return s.renderWorkflowStart(w, r, rq, http.StatusOK, f, nil)
	}
	errs := map[string]string{}
	d := store.Draft{Stage: stage, Values: map[string]map[string]string{}}
	if stage == workflow.Intake {
		d.PersonalID = clip(f.Get("client"), 64)
		d.ProjectID = clip(f.Get("project"), 64)
		if d.ProjectID == "" {
			errs["project"] = "Choose the program to enroll in."
		}
		members := append([]string{d.PersonalID}, f["member"]...)
		if id := strings.TrimSpace(f.Get("add_id")); id != "" {
			errs["add_id"] = "Press Add to add this client, or clear the box."
		}
		household := map[string]string{}
		seen := map[string]bool{}
		for _, id := range members {
			id = clip(id, 64)
			if seen[id] || id == "" {
				continue
			}
			seen[id] = true
			d.Members = append(d.Members, store.DraftMember{PersonalID: id})
			rel := f.Get("rel." + id)
			if rel == "" {
				errs["rel."+id] = "Choose the relationship to the head of household."
			}
			household[workflow.Key(id, "relationship")] = rel
		}
		d.Values[workflow.StepHousehold] = household
	} else {
		eid := clip(f.Get("enrollment"), 64)
		base, members, err := st.HouseholdEnrollments(ctx, eid, stage != workflow.PostExit)
		if err != nil {
			return err
		}
		d.PersonalID, d.ProjectID, d.EnrollmentID = base.PersonalID, base.ProjectID, eid
		chosen := map[string]bool{}
		for _, id := range f["member"] {
			chosen[id] = true
		}
		people, err := st.WorkflowPeople(ctx, members)
		if err != nil {
			return err
		}
		household := map[string]string{}
		for i, m := range members {
			if !chosen[m.PersonalID] {
				continue
			}
			d.Members = append(d.Members, m)
			if rel := people[i].Relationship; rel != nil {
				household[workflow.Key(m.PersonalID, "relationship")] = strconv.Itoa(int(*rel))
			}
		}
		if len(d.Members) == 0 {
			errs["members"] = "Choose at least one household member."
		}
		// Exactly one head of household (3.15): the head leaves only with
		// everyone else, or after another member became the head.
		if stage == workflow.Exit && len(d.Members) < len(members) {
			for i, m := range members {
				if chosen[m.PersonalID] && people[i].Relationship != nil && *people[i].Relationship == 1 {
					errs["members"] = "The head of household exits only with the whole household: the members who stay would have no head. Exit everyone, or make another member the head first."
				}
			}
		}
		d.Values["_household"] = household
	}
	if len(errs) == 0 {
		d, err = st.StartDraft(ctx, d)
		var e *hmis.Error
		switch {
		case err == nil:
			http.Redirect(w, r, draftHref(rq, d.ID, 1), http.StatusSeeOther)
			return nil
		case errors.As(err, &e) && e.Code == hmis.EINVALID:
			errs = e.Fields
			if len(errs) == 0 {
				errs = map[string]string{"": e.Message}
			}
		case errors.As(err, &e) && (e.Code == hmis.EFORBIDDEN || e.Code == hmis.ENOTFOUND):
			// A member the user may not change or see: untick them.
			errs = map[string]string{"": e.Message + " Untick the members whose record you may not change."}
		default:
			return err
		}
	}
	return s.renderWorkflowStart(w, r, rq, http.StatusUnprocessableEntity, f, errs)
}

// --- Steps -----------------------------------------------------------

// wfState is a draft with everything its pages need.
type wfState struct {
	draft   store.Draft
	run     *workflow.Run
	pages   []workflow.Page
	people  []store.WorkflowPerson
	project string // name
	// The organization's own questions (one optional step).
	questions []workflow.Question
}

func (s *Server) loadWorkflow(r *http.Request, rq *request, id string) (*wfState, error) {
	ctx := r.Context()
	st := rq.Site.Store
	d, err := st.OpenDraft(ctx, clip(id, 64))
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		return nil, &hmis.Error{Code: hmis.ENOTFOUND, Message: "There is no workflow in progress at this address: it was completed or discarded, or it is not yours."}
	} else if err != nil {
		return nil, err
	}
	wp, proj, err := st.WorkflowProject(ctx, d.ProjectID, hmis.Date{})
	if err != nil {
		return nil, err
	}
	def, err := workflow.Derive(wp, d.Stage)
	if err != nil {
		return nil, err
	}
	questions, err := st.WorkflowQuestions(ctx, proj.OrganizationID, def.Key, d.Stage)
	if err != nil {
		return nil, err
	}
	people, err := st.WorkflowPeople(ctx, d.Members)
	if err != nil {
		return nil, err
	}
	cocs, err := st.ProgramCoCs(ctx, d.ProjectID)
	if err != nil {
		return nil, err
	}
	run := &workflow.Run{Stage: d.Stage, Project: wp, Def: def, Values: d.AllValues(), Today: hmis.DateOf(time.Now()), CoCs: cocs}
	for _, p := range people {
		run.Members = append(run.Members, p.Person)
		if !p.EntryDate.IsZero() && (run.EntryDate.IsZero() || p.EntryDate.Before(run.EntryDate)) {
			run.EntryDate = p.EntryDate
		}
		if p.ExitDate.After(run.ExitDate) {
			run.ExitDate = p.ExitDate
		}
		// The identity step starts from what the client record holds.
		if k := workflow.Key(p.PersonalID, "veteran_status"); run.Values[k] == "" && p.VeteranCode != nil {
			run.Values[k] = strconv.Itoa(int(*p.VeteranCode))
		}
		if k := workflow.Key(p.PersonalID, "sex"); run.Values[k] == "" && p.Sex != nil {
			run.Values[k] = strconv.Itoa(int(*p.Sex))
		}
	}
	return &wfState{draft: d, run: run, pages: workflow.WithQuestions(workflow.Pages(def, wp.Type), questions), people: people,
		project: store.ProjectDisplayName(proj), questions: questions}, nil
}

type wfField struct {
	Name, ID, Label, Kind, Value, Error string
	Required, Checked                   bool
	Options                             []option
	// ShowIf is a follow-up's triggers for static/workflow_followups.js:
	// "TRIGGERID=VALUE ..." (any); empty for other fields.
	ShowIf string
}

type wfSection struct {
	Name, Detail string
	Identity     []fact
	Fields       []wfField
}

type wfStep struct {
	N           int
	Name, Href  string
	Current     bool
	Done        bool
	ReachedStep bool
}

type workflowStepPage struct {
	Shell
	Title       string
	StageLabel  string
	Program     string
	ClientName  string
	ClientHref  string
	N, M        int
	StepName    string
	Steps       []wfStep
	Action      string
	Autosave    string // htmx posts the answers here on every change
	Version     int
	Household   []wfField
	Members     []wfSection
	Notice      string
	Review      bool
	ReviewPages []reviewPage
	Error       string
	Conflict    string
	Saved       bool
	Warnings    []string // data-quality warnings to confirm
}

type reviewPage struct {
	Name, Href string
	Rows       []fact
}

// workflowPage shows step n of a draft.
func (s *Server) workflowPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	ws, err := s.loadWorkflow(r, rq, r.PathValue("id"))
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > len(ws.pages) {
		return errPageNotFound
	}
	return s.renderWorkflowPage(w, r, rq, http.StatusOK, ws, n, nil, "")
}

// workflowResume opens a draft at the step it stopped at.
func (s *Server) workflowResume(w http.ResponseWriter, r *http.Request, rq *request) error {
	ws, err := s.loadWorkflow(r, rq, r.PathValue("id"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, draftHref(rq, ws.draft.ID, min(ws.draft.Step+1, len(ws.pages))), http.StatusSeeOther)
	return nil
}

func (s *Server) renderWorkflowPage(w http.ResponseWriter, r *http.Request, rq *request, status int, ws *wfState, n int, errs map[string]string, conflict string) error {
	return s.renderWorkflowPageWith(w, r, rq, status, ws, n, errs, conflict, nil)
}

func (s *Server) renderWorkflowPageWith(w http.ResponseWriter, r *http.Request, rq *request, status int, ws *wfState, n int, errs map[string]string, conflict string, warnings []string) error {
	pg := ws.pages[n-1]
	d := ws.draft
	p := workflowStepPage{StageLabel: d.Stage.Label(), Program: ws.project, N: n, M: len(ws.pages), StepName: pg.Name,
		Action: draftHref(rq, d.ID, n), Autosave: draftHref(rq, d.ID, n) + "/autosave", Version: d.Version, Review: pg.Review, Conflict: conflict,
		Saved: r.URL.Query().Get("saved") != "", Warnings: warnings}
	for _, pp := range ws.people {
		if pp.PersonalID == d.PersonalID {
			p.ClientName, p.ClientHref = pp.Name, clientHref(rq, pp.PersonalID)
		}
	}
	for i, x := range ws.pages {
		p.Steps = append(p.Steps, wfStep{N: i + 1, Name: x.Name, Href: draftHref(rq, d.ID, i+1), Current: i+1 == n,
			Done: i < d.Step, ReachedStep: i <= d.Step})
	}
	if len(errs) > 0 {
		p.Error = "This step was not saved as complete: correct the answers marked below. What you typed is kept."
		if m := errs[""]; m != "" {
			p.Error = m
		}
	}
	run := ws.run
	for _, f := range pg.Household {
		p.Household = append(p.Household, s.wfField(run, f, f.Name, errs))
	}
	for _, pp := range ws.people {
		sec := wfSection{Name: pp.Name, Detail: piiAgeDetail(r, rq, pp.DOB)}
		if run.HoH(pp.Person) {
			sec.Detail += " · head of household"
		}
		if pg.Name == workflow.StepIdentity {
			race := "Answered"
			if !pp.RaceEthnic {
				race = "Not recorded"
			}
			ssn := pp.SSN
			if ssn == "" {
				ssn = "Not recorded"
			}
			dob := piiDOB(r, rq, pp.DOB)
			if dob == "" {
				dob = "Not recorded"
			}
			sec.Identity = []fact{{"Name (3.01)", pp.Name}, {"SSN (3.02)", ssn}, {"Date of birth (3.03)", dob}, {"Race and ethnicity (3.04)", race}}
		}
		for _, f := range pg.Member {
			e := run.ElementOf(f.Element)
			if !run.Asks(e, pp.Person) {
				continue
			}
			sec.Fields = append(sec.Fields, s.wfField(run, f, workflow.Key(pp.PersonalID, f.Name), errs))
		}
		if len(sec.Fields) > 0 || len(sec.Identity) > 0 {
			p.Members = append(p.Members, sec)
		}
	}
	if len(pg.Notice) > 0 {
		p.Notice = "Hearth does not collect " + strings.Join(pg.Notice, ", ") + " in this workflow yet: record them where your HMIS administrator says."
	}
	if pg.Review {
		for i, x := range ws.pages[:len(ws.pages)-1] {
			rp := reviewPage{Name: x.Name, Href: draftHref(rq, d.ID, i+1)}
			for _, f := range x.Household {
				if v := run.Values[f.Name]; v != "" {
					rp.Rows = append(rp.Rows, fact{f.Label, answerLabel(f, v)})
				}
			}
			for _, pp := range ws.people {
				for _, f := range x.Member {
					if v := run.Values[workflow.Key(pp.PersonalID, f.Name)]; v != "" {
						rp.Rows = append(rp.Rows, fact{pp.Name + ": " + f.Label, answerLabel(f, v)})
					}
				}
			}
			p.ReviewPages = append(p.ReviewPages, rp)
		}
	}
	var err error
	p.Title = fmt.Sprintf("%s: %s, step %d of %d", p.StageLabel, p.ClientName, n, p.M)
	if p.Shell, err = s.shell(r, rq, "clients", "", p.Title); err != nil {
		return err
	}
	return s.render(w, r, status, "workflow_step", &p)
}

func answerLabel(f workflow.Field, v string) string {
	switch f.Kind {
	case workflow.KindSelect:
		if l := hud.Lists[f.List]; l != nil {
			if lbl := l.Label(v); lbl != "" {
				return lbl
			}
		}
	case workflow.KindCheck:
		return "Yes"
	case workflow.KindMoney:
		return "$" + v
	}
	return v
}

func (s *Server) wfField(run *workflow.Run, f workflow.Field, key string, errs map[string]string) wfField {
	out := wfField{Name: key, ID: wfFieldID(key), Label: f.Label, Kind: f.Kind,
		Value: run.Values[key], Error: errs[key], Required: f.Required}
	if f.Kind == workflow.KindCheck {
		out.Checked = out.Value == "1"
	}
	if fu, ok := run.FollowUpOf(f); ok {
		out.ShowIf = wfpartnerShowIf(key, fu)
		out.Required = run.Required(f)
	}
	if f.Kind == workflow.KindSelect {
		if f.List == "" && f.Name == workflow.FieldCoC {
			for _, c := range run.CoCs {
				out.Options = append(out.Options, option{c, c})
			}
		}
		for _, v := range f.Options() {
			out.Options = append(out.Options, option{v.Key, v.Label})
		}
	}
	return out
}

// pageValues reads page pg's answers from the posted form: the household
// fields and each member's fields they are asked.
func pageValues(r *http.Request, run *workflow.Run, pg workflow.Page) map[string]string {
	out := map[string]string{}
	for _, f := range pg.Household {
		out[f.Name] = clip(strings.TrimSpace(r.PostFormValue(f.Name)), 200)
		run.Values[f.Name] = out[f.Name]
	}
	// Relationships first: who is the head decides what is asked.
	for _, pass := range []bool{true, false} {
		for _, f := range pg.Member {
			if (f.Name == "relationship") != pass {
				continue
			}
			for _, p := range run.Members {
				k := workflow.Key(p.PersonalID, f.Name)
				out[k] = clip(strings.TrimSpace(r.PostFormValue(k)), 2000) // longer than any field: the step refuses what is too long (4.12.4: 250)
				run.Values[k] = out[k]
			}
		}
	}
	// Drop the answers of members the element is not asked of (a child's
	// income, say): HUD collects them about heads and adults only.
	for _, f := range pg.Member {
		e := run.ElementOf(f.Element)
		for _, p := range run.Members {
			if !run.Asks(e, p) {
				k := workflow.Key(p.PersonalID, f.Name)
				delete(out, k)
				delete(run.Values, k)
			}
		}
	}
	return out
}

// saveWorkflowPage handles a step's buttons: next (validate and save),
// back, pause (save as typed), complete (the review) and discard.
func (s *Server) saveWorkflowPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	ws, err := s.loadWorkflow(r, rq, r.PathValue("id"))
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > len(ws.pages) {
		return errPageNotFound
	}
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	ctx := r.Context()
	st := rq.Site.Store
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	action := r.PostFormValue("action")
	pg := ws.pages[n-1]
	d := ws.draft
	if action == "discard" {
		if err := st.DiscardDraft(ctx, d.ID); err != nil {
			return err
		}
		http.Redirect(w, r, clientHref(rq, d.PersonalID)+"/enrollments?discarded=1", http.StatusSeeOther)
		return nil
	}
	if pg.Review {
		if action == "back" {
			http.Redirect(w, r, draftHref(rq, d.ID, n-1), http.StatusSeeOther)
			return nil
		}
		if action == "pause" {
			if _, err := st.SaveDraft(ctx, d.ID, version, "", nil, n-1, true); err != nil {
				return s.workflowConflict(w, r, rq, ws, n, err)
			}
			http.Redirect(w, r, rq.base()+"/"+pausedPath+"?paused=1", http.StatusSeeOther)
			return nil
		}
		return s.completeWorkflow(w, r, rq, ws, version)
	}
	values := pageValues(r, ws.run, pg)
	var errs map[string]string
	var warnings []workflow.Warning
	step := n - 1
	switch action {
	case "pause", "back":
	default:
		if errs = ws.run.Validate(pg); len(errs) == 0 {
			// Eva's warnings: confirmed by the case manager, and the
			// confirmation kept with the answers (and audited at completion).
			warnings = ws.run.Warnings(pg)
			if len(warnings) > 0 && r.PostFormValue("confirm_warnings") != "1" {
				errs = map[string]string{}
			} else {
				for _, w := range warnings {
					values[confirmedPrefix+w.Field] = w.Issue
				}
				warnings = nil
				step = max(n, d.Step)
			}
		}
	}
	if step < d.Step && len(errs) == 0 && action != "pause" {
		step = d.Step
	}
	if action == "pause" {
		step = n - 1
	}
	newVersion, err := st.SaveDraft(ctx, d.ID, version, pg.Name, values, step, action == "pause")
	if err != nil {
		return s.workflowConflict(w, r, rq, ws, n, err)
	}
	ws.draft.Version, ws.draft.Step = newVersion, step
	switch {
	case action == "pause":
		http.Redirect(w, r, rq.base()+"/"+pausedPath+"?paused=1", http.StatusSeeOther)
		return nil
	case action == "back":
		http.Redirect(w, r, draftHref(rq, d.ID, max(n-1, 1)), http.StatusSeeOther)
		return nil
	case len(warnings) > 0:
		return s.renderWorkflowWarnings(w, r, rq, ws, n, warnings)
	case len(errs) > 0:
		return s.renderWorkflowPage(w, r, rq, http.StatusUnprocessableEntity, ws, n, errs, "")
	}
	http.Redirect(w, r, draftHref(rq, d.ID, n+1), http.StatusSeeOther)
	return nil
}

// autosaveWorkflowPage keeps a step's answers as they are typed (htmx,
// on change), so that nothing is lost if the session times out. It
// answers 204 whatever happened: a stale or finished draft is reported by
// the step's own save.
func (s *Server) autosaveWorkflowPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	ws, err := s.loadWorkflow(r, rq, r.PathValue("id"))
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		w.WriteHeader(http.StatusNoContent)
		return nil
	} else if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > len(ws.pages) || ws.pages[n-1].Review {
		return errPageNotFound
	}
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	pg := ws.pages[n-1]
	err = rq.Site.Store.AutosaveDraft(r.Context(), ws.draft.ID, version, pg.Name, pageValues(r, ws.run, pg))
	switch hmis.ErrorCode(err) {
	case "", hmis.ECONFLICT, hmis.ENOTFOUND:
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	return err
}

// confirmedPrefix marks, among a page's answers, the data-quality
// warnings the case manager confirmed: "_confirmed.FIELD" = Eva's issue.
const confirmedPrefix = "_confirmed."

// renderWorkflowWarnings shows the step again with its warnings and a box
// to confirm them.
func (s *Server) renderWorkflowWarnings(w http.ResponseWriter, r *http.Request, rq *request, ws *wfState, n int, ws2 []workflow.Warning) error {
	var list []string
	for _, x := range ws2 {
		list = append(list, x.Text)
	}
	return s.renderWorkflowPageWith(w, r, rq, http.StatusOK, ws, n, nil, "", list)
}

// workflowConflict shows the page again, as typed, when the save was
// refused because someone else saved the workflow first.
func (s *Server) workflowConflict(w http.ResponseWriter, r *http.Request, rq *request, ws *wfState, n int, err error) error {
	var e *hmis.Error
	if !errors.As(err, &e) || e.Code != hmis.ECONFLICT {
		return err
	}
	// Show what the other person saved on this page where it differs from
	// what this page holds (kept as typed; saving again replaces theirs).
	pg := ws.pages[n-1]
	theirs := ws.draft.Values[pg.Name]
	var changes []string
	diff := func(key, label string, f workflow.Field) {
		mine, other := ws.run.Values[key], theirs[key]
		if mine == other {
			return
		}
		show := func(v string) string {
			if v == "" {
				return "no answer"
			}
			return answerLabel(f, v)
		}
		changes = append(changes, label+": saved by the other person “"+show(other)+"”, yours “"+show(mine)+"”")
	}
	for _, f := range pg.Household {
		diff(f.Name, f.Label, f)
	}
	for _, f := range pg.Member {
		for _, p := range ws.people {
			diff(workflow.Key(p.PersonalID, f.Name), p.Name+", "+f.Label, f)
		}
	}
	msg := e.Message
	if len(changes) > 0 {
		msg = "Someone else saved this step after you opened it. What they saved differs from yours here: " + strings.Join(changes, "; ") +
			". Yours is shown below; save again to keep yours."
	}
	return s.renderWorkflowPage(w, r, rq, http.StatusConflict, ws, n, nil, msg)
}

// completeWorkflow checks every step again, then writes the records.
func (s *Server) completeWorkflow(w http.ResponseWriter, r *http.Request, rq *request, ws *wfState, version int) error {
	for i, pg := range ws.pages {
		if errs := ws.run.Validate(pg); len(errs) > 0 {
			return s.renderWorkflowPage(w, r, rq, http.StatusUnprocessableEntity, ws, i+1, errs, "")
		}
	}
	recs := ws.run.Build(store.NewID)
	recs.Answers = ws.run.Answers(ws.questions, recs)
	for k, issue := range ws.run.Values {
		if field, ok := strings.CutPrefix(k, confirmedPrefix); ok {
			recs.Warnings = append(recs.Warnings, workflow.Warning{Field: field, Issue: issue})
		}
	}
	err := rq.Site.Store.CompleteWorkflow(r.Context(), ws.draft.ID, version, recs)
	var e *hmis.Error
	switch {
	case err == nil:
		http.Redirect(w, r, clientHref(rq, ws.draft.PersonalID)+"/enrollments?done="+url.QueryEscape(string(ws.draft.Stage)), http.StatusSeeOther)
		return nil
	case errors.As(err, &e) && e.Code == hmis.ECONFLICT:
		return s.renderWorkflowPage(w, r, rq, http.StatusConflict, ws, len(ws.pages), nil, e.Message)
	case errors.As(err, &e) && e.Code == hmis.EINVALID && len(e.Fields) > 0:
		// Show the refusal on the step that holds the field.
		for i, pg := range ws.pages {
			errs := map[string]string{}
			for f, msg := range e.Fields {
				for _, hf := range pg.Household {
					if hf.Name == f {
						errs[f] = msg
					}
				}
				if f == "relationship" && slices.ContainsFunc(pg.Elements, func(x workflow.Element) bool { return x.ID == "3.15" }) {
					errs[""] = msg
				}
			}
			if len(errs) > 0 {
				return s.renderWorkflowPage(w, r, rq, http.StatusUnprocessableEntity, ws, i+1, errs, "")
			}
		}
		return s.renderWorkflowPage(w, r, rq, http.StatusUnprocessableEntity, ws, len(ws.pages), map[string]string{"": e.Message}, "")
	}
	return err
}

// --- Paused lists and the Enrollments page ---------------------------

type pausedRow struct {
	Href, Client, Program, Stage, Step, Saved, Author string
	Paused                                            bool // else left unfinished without pausing
}

type pausedPage struct {
	Shell
	Paused bool
	Rows   []pausedRow
}

func (s *Server) pausedRows(r *http.Request, rq *request, f store.PausedFilter) ([]pausedRow, error) {
	ds, err := rq.Site.Store.PausedDrafts(r.Context(), f)
	if err != nil {
		return nil, err
	}
	var out []pausedRow
	for _, d := range ds {
		out = append(out, pausedRow{Href: rq.base() + "/" + workflowsPath + "/" + url.PathEscape(d.ID), Client: d.ClientName,
			Program: d.ProjectName, Stage: d.Stage.Label(), Step: fmt.Sprintf("step %d", d.Step+1), Saved: datetime(d.DateUpdated),
			Author: d.AuthorName, Paused: d.Status == store.DraftPaused})
	}
	return out, nil
}

// pausedApplications is Home → Paused Applications: the user's paused workflows.
func (s *Server) pausedApplications(w http.ResponseWriter, r *http.Request, rq *request) error {
	rows, err := s.pausedRows(r, rq, store.PausedFilter{})
	if err != nil {
		return err
	}
	p := pausedPage{Rows: rows, Paused: r.URL.Query().Get("paused") != ""}
	if p.Shell, err = s.shell(r, rq, "home", rq.base()+"/"+pausedPath, "Paused Applications"); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "workflow_paused", &p)
}

// clientWorkflows is the client dashboard's panel: start an intake, and
// the client's paused workflows.
type clientWorkflows struct {
	StartHref      string
	EnrollmentHref string
	Paused         []pausedRow
}

func (s *Server) clientWorkflows(r *http.Request, rq *request, personalID string) (clientWorkflows, error) {
	rows, err := s.pausedRows(r, rq, store.PausedFilter{PersonalID: personalID})
	return clientWorkflows{StartHref: workflowStartHref(rq, personalID), EnrollmentHref: clientHref(rq, personalID) + "/enrollments", Paused: rows}, err
}

type clientEnrollmentsPage struct {
	Shell
	Name, DashboardHref, StartHref, Done string
	Discarded                            bool
	Rows                                 []clientEnrollmentRow
	Paused                               []pausedRow
}

type clientEnrollmentRow struct {
	store.ClientEnrollment
	Entry, Exit, Relationship                  string
	ExitHref, UpdateHref, AnnualHref, PostHref string
}

func (s *Server) clientEnrollmentsPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showClientEnrollments(w, r, rq, r.PathValue("personalID"))
}

// showClientEnrollments is Clients → Enrollments: the client's stays with
// links to exit, update, annual and post-exit workflows.
func (s *Server) showClientEnrollments(w http.ResponseWriter, r *http.Request, rq *request, id string) error {
	c, err := findVisibleClient(r, rq, id)
	if err != nil {
		return err
	}
	es, err := rq.Site.Store.FindClientEnrollments(r.Context(), c.PersonalID)
	if err != nil {
		return err
	}
	p := clientEnrollmentsPage{Name: clientDisplayName(&c.Client), DashboardHref: clientHref(rq, c.PersonalID),
		StartHref: workflowStartHref(rq, c.PersonalID), Discarded: r.URL.Query().Get("discarded") != ""}
	if st, err := workflow.ParseStage(r.URL.Query().Get("done")); err == nil {
		p.Done = st.Label()
	}
	// Post-exit is offered only where the program asks something after exit
	// (R20 aftercare, RHY).
	postExit := map[string]bool{}
	for _, e := range es {
		if _, seen := postExit[e.ProjectID]; seen || e.ExitDate.IsZero() {
			continue
		}
		postExit[e.ProjectID] = false
		if def, err := store.DeriveWorkflow(r.Context(), rq.Site.Store, e.ProjectID, workflow.PostExit, e.ExitDate); err == nil {
			postExit[e.ProjectID] = len(def.Steps) > 0
		} else if hmis.ErrorCode(err) != hmis.EINVALID && hmis.ErrorCode(err) != hmis.ENOTFOUND {
			return err
		}
	}
	for _, e := range es {
		row := clientEnrollmentRow{ClientEnrollment: e, Entry: usDate(e.EntryDate), Exit: usDate(e.ExitDate)}
		if e.Relationship != nil {
			row.Relationship = e.Relationship.Label()
		}
		if row.ProjectName == "" {
			row.ProjectName = "Program " + e.ProjectID
		}
		if e.ExitDate.IsZero() {
			row.ExitHref = enrollmentWorkflowHref(rq, e.EnrollmentID, workflow.Exit)
			row.UpdateHref = enrollmentWorkflowHref(rq, e.EnrollmentID, workflow.Update)
			row.AnnualHref = enrollmentWorkflowHref(rq, e.EnrollmentID, workflow.Annual)
		} else if postExit[e.ProjectID] {
			row.PostHref = enrollmentWorkflowHref(rq, e.EnrollmentID, workflow.PostExit)
		}
		p.Rows = append(p.Rows, row)
	}
	if p.Paused, err = s.pausedRows(r, rq, store.PausedFilter{PersonalID: c.PersonalID}); err != nil {
		return err
	}
	if p.Shell, err = s.shell(r, rq, "clients", rq.base()+"/"+enrollmentsMenuPath, "Enrollments: "+p.Name); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "client_enrollments", &p)
}

const enrollmentsMenuPath = "clients/enrollments"

// activeRow is one client on a program's active clients list.
type activeRow struct {
	store.ActiveEnrollment
	Href, ExitHref, UpdateHref, AnnualHref string
	Entry, Activity, Relationship          string
	Days                                   int
	Inactive                               bool // no activity for the configured number of days
}

// programWorkflows fills in the program page's workflow parts: the intake
// for the client opened last, and the active clients, flagged when
// nothing happened in their stay for the configured number of days.
func (s *Server) programWorkflows(r *http.Request, rq *request, projectID string, p *programPage) error {
	ctx := r.Context()
	st := rq.Site.Store
	p.FindHref = rq.base() + "/" + findPath
	recent, err := st.RecentClients(ctx, 1)
	if err != nil {
		return err
	}
	if len(recent) > 0 {
		p.RecentName = personName(recent[0].FirstName, "", recent[0].LastName)
		p.RecentStart = workflowStartHref(rq, recent[0].PersonalID) + "&project=" + url.QueryEscape(projectID)
	}
	if p.InactiveDays, err = st.InactiveDays(ctx); err != nil {
		return err
	}
	active, err := st.ActiveEnrollments(ctx, projectID)
	if err != nil {
		return err
	}
	today := hmis.DateOf(time.Now())
	for _, a := range active {
		row := activeRow{ActiveEnrollment: a, Href: clientHref(rq, a.PersonalID), Entry: usDate(a.EntryDate),
			Activity: usDate(a.LastActivity), Days: a.LastActivity.DaysUntil(today),
			ExitHref:   enrollmentWorkflowHref(rq, a.EnrollmentID, workflow.Exit),
			UpdateHref: enrollmentWorkflowHref(rq, a.EnrollmentID, workflow.Update),
			AnnualHref: enrollmentWorkflowHref(rq, a.EnrollmentID, workflow.Annual)}
		if a.Relationship != nil {
			row.Relationship = a.Relationship.Label()
		}
		row.Inactive = row.Days >= p.InactiveDays
		if row.Inactive {
			p.Flagged++
		}
		p.Active = append(p.Active, row)
	}
	return nil
}

// wfpartnerShowIf is the data-wf-show-if attribute of follow-up key (a
// member's "PERSONALID.field"): its triggers separated by spaces (any
// opens it), each "ID=V1,V2" (the field's answer is one of them), joined
// by "&" to the ones that must hold with it.
func wfpartnerShowIf(key string, fu workflow.FollowUp) string {
	pid, _, _ := strings.Cut(key, ".")
	var one func(t workflow.Trigger) string
	one = func(t workflow.Trigger) string {
		s := wfFieldID(workflow.Key(pid, t.Field)) + "=" + strings.Join(t.Values, ",")
		for _, u := range t.And {
			s += "&" + one(u)
		}
		return s
	}
	var parts []string
	for _, t := range fu.When {
		parts = append(parts, one(t))
	}
	return strings.Join(parts, " ")
}

// wfFieldID is the HTML id of form field key.
func wfFieldID(key string) string { return "f-" + wfFieldIDReplacer.Replace(key) }

var wfFieldIDReplacer = strings.NewReplacer(".", "-", "_", "-")
