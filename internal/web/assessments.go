package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Assessments (issue 5 point 5). Setup → Assessments: administrators
// define an organization's own assessments (a named set of questions).
// Clients → Assessments: the client's assessments, HUD's (grouped by
// information date and collection stage) and the organizations' own, and
// a form to answer one of the user's organization's assessments.

const (
	setupAssessmentsPath = "setup/assessments"
	assessmentsMenuPath  = "clients/assessments"
)

type setupAssessmentsPage struct {
	Shell
	Assessments []setupAssessmentRow
	Form        *recordForm
	Action      string
}

type setupAssessmentRow struct {
	Name, Href, Organization, Status string
	Questions                        int
}

func (s *Server) setupAssessments(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := s.assessmentForm(r, rq, true)
	if err != nil {
		return err
	}
	f.Values["active"] = "1"
	return s.renderSetupAssessments(w, r, rq, http.StatusOK, f)
}

// assessmentForm: name, description, on/off; the organization when new.
func (s *Server) assessmentForm(r *http.Request, rq *request, withOrg bool) (*recordForm, error) {
	f := newRecordForm()
	if withOrg {
		orgs, err := store.FindRecords[hmis.Organization](r.Context(), rq.Site.Store, store.RecordFilter{})
		if err != nil {
			return nil, err
		}
		var opts []option
		for _, o := range orgs {
			opts = append(opts, option{o.OrganizationID, o.OrganizationName})
		}
		f.sel("organization_id", "Organization", opts)
	}
	f.text("name", "Assessment name", "Such as “Housing barriers”.")
	f.add(rfield{Name: "description", Label: "Description (optional)", Kind: "textarea"})
	f.check("active", "In use (case managers may answer it)")
	return f, nil
}

func (s *Server) renderSetupAssessments(w http.ResponseWriter, r *http.Request, rq *request, status int, f *recordForm) error {
	as, err := rq.Site.Store.OrgAssessments(r.Context(), "", false)
	if err != nil {
		return err
	}
	p := setupAssessmentsPage{Form: f, Action: rq.base() + "/" + setupAssessmentsPath}
	for _, a := range as {
		st := "In use"
		if !a.Active {
			st = "Not in use"
		}
		p.Assessments = append(p.Assessments, setupAssessmentRow{Name: a.Name, Href: p.Action + "/" + a.ID,
			Organization: a.OrganizationName, Status: st, Questions: len(a.Questions)})
	}
	f.fill()
	if p.Shell, err = s.shell(r, rq, "home", p.Action, "Organization assessments"); err != nil {
		return err
	}
	return s.render(w, r, status, "setup_assessments", &p)
}

func (s *Server) setupAssessmentAdd(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := s.assessmentForm(r, rq, true)
	if err != nil {
		return err
	}
	if err := f.read(r); err != nil {
		return err
	}
	a := store.OrgAssessment{OrganizationID: f.Values["organization_id"], Name: f.Values["name"],
		Description: f.Values["description"], Active: f.Values["active"] != ""}
	err = rq.Site.Store.SaveOrgAssessment(r.Context(), &a)
	if err == nil {
		http.Redirect(w, r, rq.base()+"/"+setupAssessmentsPath+"/"+a.ID, http.StatusSeeOther)
		return nil
	}
	if ok, err := f.takeErr(err); !ok {
		return err
	}
	return s.renderSetupAssessments(w, r, rq, http.StatusUnprocessableEntity, f)
}

type setupAssessmentPage struct {
	Shell
	Assessment             store.OrgAssessment
	Back, Action, AddQHref string
	Saved                  bool
	Form, QForm            *recordForm
	Questions              []questionRow
}

type questionRow struct {
	Label, Kind, Choices, RemoveAction string
	Required                           bool
}

func questionForm() *recordForm {
	f := newRecordForm()
	f.text("label", "Question", "")
	var kinds []option
	for _, k := range store.QuestionKinds {
		kinds = append(kinds, option{k.Kind, k.Label})
	}
	f.sel("kind", "Kind of answer", kinds)
	f.add(rfield{Name: "choices", Label: "Choices, one per line (for “one of a list of choices”)", Kind: "textarea"})
	f.check("required", "An answer is required")
	return f
}

func (s *Server) setupAssessment(w http.ResponseWriter, r *http.Request, rq *request) error {
	a, err := rq.Site.Store.FindOrgAssessment(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	f, _ := s.assessmentForm(r, rq, false)
	f.Values["name"], f.Values["description"] = a.Name, a.Description
	if a.Active {
		f.Values["active"] = "1"
	}
	return s.renderSetupAssessment(w, r, rq, http.StatusOK, a, f, questionForm())
}

func (s *Server) renderSetupAssessment(w http.ResponseWriter, r *http.Request, rq *request, status int, a store.OrgAssessment, f, qf *recordForm) error {
	base := rq.base() + "/" + setupAssessmentsPath
	p := setupAssessmentPage{Assessment: a, Back: base, Action: base + "/" + a.ID, AddQHref: base + "/" + a.ID + "/questions",
		Saved: r.URL.Query().Get("saved") != "", Form: f, QForm: qf}
	for _, q := range a.Questions {
		row := questionRow{Label: q.Label, Choices: strings.Join(q.Choices, ", "), Required: q.Required,
			RemoveAction: base + "/" + a.ID + "/questions/" + q.ID + "/remove"}
		for _, k := range store.QuestionKinds {
			if k.Kind == q.Kind {
				row.Kind = k.Label
			}
		}
		p.Questions = append(p.Questions, row)
	}
	f.fill()
	qf.fill()
	var err error
	if p.Shell, err = s.shell(r, rq, "home", base, "Assessment: "+a.Name); err != nil {
		return err
	}
	return s.render(w, r, status, "setup_assessment", &p)
}

func (s *Server) setupAssessmentSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	a, err := rq.Site.Store.FindOrgAssessment(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	f, _ := s.assessmentForm(r, rq, false)
	if err := f.read(r); err != nil {
		return err
	}
	up := a
	up.Name, up.Description, up.Active = f.Values["name"], f.Values["description"], f.Values["active"] != ""
	err = rq.Site.Store.SaveOrgAssessment(r.Context(), &up)
	if err == nil {
		http.Redirect(w, r, rq.base()+"/"+setupAssessmentsPath+"/"+a.ID+"?saved=1", http.StatusSeeOther)
		return nil
	}
	if ok, err := f.takeErr(err); !ok {
		return err
	}
	return s.renderSetupAssessment(w, r, rq, http.StatusUnprocessableEntity, a, f, questionForm())
}

func (s *Server) setupQuestionAdd(w http.ResponseWriter, r *http.Request, rq *request) error {
	a, err := rq.Site.Store.FindOrgAssessment(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	qf := questionForm()
	if err := qf.read(r); err != nil {
		return err
	}
	q := store.OrgQuestion{Label: qf.Values["label"], Kind: qf.Values["kind"], Required: qf.Values["required"] != ""}
	if c := strings.TrimSpace(qf.Values["choices"]); c != "" {
		q.Choices = strings.Split(strings.ReplaceAll(c, "\r\n", "\n"), "\n")
	}
	err = rq.Site.Store.AddOrgQuestion(r.Context(), a.ID, &q)
	if err == nil {
		http.Redirect(w, r, rq.base()+"/"+setupAssessmentsPath+"/"+a.ID+"?saved=1", http.StatusSeeOther)
		return nil
	}
	if ok, err := qf.takeErr(err); !ok {
		return err
	}
	f, _ := s.assessmentForm(r, rq, false)
	f.Values["name"], f.Values["description"] = a.Name, a.Description
	if a.Active {
		f.Values["active"] = "1"
	}
	return s.renderSetupAssessment(w, r, rq, http.StatusUnprocessableEntity, a, f, qf)
}

func (s *Server) setupQuestionRemove(w http.ResponseWriter, r *http.Request, rq *request) error {
	id := r.PathValue("id")
	if err := rq.Site.Store.RemoveOrgQuestion(r.Context(), id, r.PathValue("qid")); err != nil {
		return err
	}
	http.Redirect(w, r, rq.base()+"/"+setupAssessmentsPath+"/"+id+"?saved=1", http.StatusSeeOther)
	return nil
}

// The client's Assessments.

type clientAssessmentsPage struct {
	Shell
	Name, DashboardHref, Action string
	Added                       bool
	Entries                     []assessmentRow
	Available                   []option // the user's organization's assessments, to answer
	Answering                   *store.OrgAssessment
	Form                        *recordForm
	AnnualDue                   []annualDueRow
}

type assessmentRow struct {
	Date, Stage, Name, Organization, Program string
	HUD                                      bool
	Elements                                 []string
	Answers                                  []store.Answer
}

func (s *Server) clientAssessmentsPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showClientAssessments(w, r, rq, r.PathValue("personalID"))
}

func (s *Server) showClientAssessments(w http.ResponseWriter, r *http.Request, rq *request, id string) error {
	c, err := findVisibleClient(r, rq, id)
	if err != nil {
		return err
	}
	var answering *store.OrgAssessment
	var f *recordForm
	if aid := clip(r.URL.Query().Get("answer"), 64); aid != "" {
		a, err := s.answerable(r, rq, c.PersonalID, aid)
		if err != nil {
			return err
		}
		answering = &a
		if f, err = s.answerForm(r, rq, c.PersonalID, a); err != nil {
			return err
		}
		f.Values["assessment_date"] = usDate(hmis.DateOf(time.Now()))
	}
	return s.renderClientAssessments(w, r, rq, http.StatusOK, c, answering, f)
}

// answerable returns one of the user's organization's assessments in use
// (any organization's for administrators), when the user may change the
// client.
func (s *Server) answerable(r *http.Request, rq *request, personalID, id string) (store.OrgAssessment, error) {
	a, err := rq.Site.Store.FindOrgAssessment(r.Context(), id)
	if err != nil {
		return a, err
	}
	if !a.Active || (!isAdmin(rq) && a.OrganizationID != rq.Account.OrganizationID) {
		return a, &hmis.Error{Code: hmis.ENOTFOUND, Message: "Assessment not found."}
	}
	ok, err := served2MayAssess(r, rq, personalID)
	if err != nil {
		return a, err
	}
	if !ok {
		return a, &hmis.Error{Code: hmis.EFORBIDDEN, Message: "You may see this client but not assess them."}
	}
	return a, nil
}

// served2MayAssess reports whether the user may answer their
// organization's assessments for the client: the client may be changed,
// or the organization serves the client and the role writes
// (store.MayRecordServed; the answer must then be tied to one of its own
// programs' enrollments, which the store checks).
func served2MayAssess(r *http.Request, rq *request, personalID string) (bool, error) {
	level, err := rq.Site.Store.ClientAccess(r.Context(), personalID)
	if err != nil || level >= access.Editable {
		return level >= access.Editable, err
	}
	if level == access.NotFound {
		return false, nil
	}
	return rq.Site.Store.MayRecordServed(r.Context(), personalID)
}

func (s *Server) answerForm(r *http.Request, rq *request, personalID string, a store.OrgAssessment) (*recordForm, error) {
	f := newRecordForm()
	f.date("assessment_date", "Date of the assessment")
	enrolls, err := rq.Site.Store.FindClientEnrollments(r.Context(), personalID)
	if err != nil {
		return nil, err
	}
	var opts []option
	for _, e := range enrolls {
		opts = append(opts, option{e.EnrollmentID, e.ProjectName + ", entered " + usDate(e.EntryDate)})
	}
	label := "Enrollment (optional)"
	if level, err := rq.Site.Store.ClientAccess(r.Context(), personalID); err != nil {
		return nil, err
	} else if level < access.Editable {
		// A client the organization serves: its own programs' stays only.
		label = "Enrollment (required: one of your organization's programs)"
	}
	f.sel("enrollment_id", label, opts)
	f.sel("stage", "Collection stage (optional; 5.03)", hudOptions(hud.DataCollectionStageValues()))
	for _, q := range a.Questions {
		label := q.Label
		if q.Required {
			label += " (required)"
		}
		name := store.QuestionField(q.ID)
		switch q.Kind {
		case store.QuestionYesNo:
			f.sel(name, label, []option{{"Yes", "Yes"}, {"No", "No"}})
		case store.QuestionChoice:
			var opts []option
			for _, c := range q.Choices {
				opts = append(opts, option{c, c})
			}
			f.sel(name, label, opts)
		case store.QuestionNumber:
			f.text(name, label, "A number.")
		default:
			f.add(rfield{Name: name, Label: label, Kind: "textarea"})
		}
	}
	return f, nil
}

func (s *Server) renderClientAssessments(w http.ResponseWriter, r *http.Request, rq *request, status int, c store.ClientDetail,
	answering *store.OrgAssessment, f *recordForm) error {
	ctx := r.Context()
	st := rq.Site.Store
	p := clientAssessmentsPage{Name: clientDisplayName(&c.Client), DashboardHref: clientHref(rq, c.PersonalID),
		Action: clientHref(rq, c.PersonalID) + "/assessments", Added: r.URL.Query().Get("added") != "", Answering: answering, Form: f}
	entries, err := st.FindClientAssessments(ctx, c.PersonalID)
	if err != nil {
		return err
	}
	for _, e := range entries {
		row := assessmentRow{Date: usDate(e.Date), Name: e.Name, Organization: e.Organization, Program: e.ProjectName, HUD: e.HUD,
			Elements: e.Elements, Answers: e.Answers}
		if e.Stage != nil {
			row.Stage = stageLabel(*e.Stage)
		}
		p.Entries = append(p.Entries, row)
	}
	if p.AnnualDue, err = annualDueRows(r, rq, c.PersonalID); err != nil {
		return err
	}
	mayAssess, err := served2MayAssess(r, rq, c.PersonalID)
	if err != nil {
		return err
	}
	if mayAssess && rq.Account != nil {
		org := rq.Account.OrganizationID
		if isAdmin(rq) {
			org = ""
		}
		if org != "" || isAdmin(rq) {
			as, err := st.OrgAssessments(ctx, org, true)
			if err != nil {
				return err
			}
			for _, a := range as {
				label := a.Name
				if isAdmin(rq) {
					label += " (" + a.OrganizationName + ")"
				}
				p.Available = append(p.Available, option{p.Action + "?answer=" + a.ID, label})
			}
		}
	}
	if f != nil {
		f.fill()
	}
	if p.Shell, err = s.shell(r, rq, "clients", rq.base()+"/"+assessmentsMenuPath, "Assessments: "+p.Name); err != nil {
		return err
	}
	return s.render(w, r, status, "client_assessments", &p)
}

// stageLabel names a collection stage (5.03) as case managers say it.
func stageLabel(v hud.DataCollectionStage) string {
	switch v {
	case hud.DataCollectionStageProjectEntry:
		return "Start (project entry)"
	case hud.DataCollectionStageAnnualAssessment:
		return "Annual"
	}
	return v.Label()
}

func (s *Server) addClientAssessment(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := findVisibleClient(r, rq, r.PathValue("personalID"))
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	a, err := s.answerable(r, rq, c.PersonalID, clip(r.PostFormValue("assessment_id"), 64))
	if err != nil {
		return err
	}
	f, err := s.answerForm(r, rq, c.PersonalID, a)
	if err != nil {
		return err
	}
	if err := f.read(r); err != nil {
		return err
	}
	n := store.NewOrgResponse{AssessmentID: a.ID, PersonalID: c.PersonalID, EnrollmentID: f.Values["enrollment_id"],
		Date: f.dateVal("assessment_date"), Stage: hudCode[hud.DataCollectionStage](f, "stage"), Answers: map[string]string{}}
	if f.Values["assessment_date"] == "" {
		f.Errors["assessment_date"] = "Enter the date of the assessment."
	}
	for _, q := range a.Questions {
		n.Answers[q.ID] = f.Values[store.QuestionField(q.ID)]
	}
	if len(f.Errors) == 0 {
		_, err := rq.Site.Store.AnswerOrgAssessment(r.Context(), n)
		var e *hmis.Error
		switch {
		case err == nil:
			http.Redirect(w, r, clientHref(rq, c.PersonalID)+"/assessments?added=1", http.StatusSeeOther)
			return nil
		case errors.As(err, &e) && e.Code == hmis.ENOTFOUND:
			return err
		}
		if ok, err := f.takeErr(err); !ok {
			return err
		}
	}
	return s.renderClientAssessments(w, r, rq, http.StatusUnprocessableEntity, c, &a, f)
}

// assessmentRoutes adds Setup → Assessments and Clients → Assessments.
func (s *Server) assessmentRoutes(sm *http.ServeMux) {
	sm.Handle("GET /{site}/"+setupAssessmentsPath, s.admin(s.setupAssessments))
	sm.Handle("POST /{site}/"+setupAssessmentsPath, s.admin(s.setupAssessmentAdd))
	sm.Handle("GET /{site}/"+setupAssessmentsPath+"/{id}", s.admin(s.setupAssessment))
	sm.Handle("POST /{site}/"+setupAssessmentsPath+"/{id}", s.admin(s.setupAssessmentSave))
	sm.Handle("POST /{site}/"+setupAssessmentsPath+"/{id}/questions", s.admin(s.setupQuestionAdd))
	sm.Handle("POST /{site}/"+setupAssessmentsPath+"/{id}/questions/{qid}/remove", s.admin(s.setupQuestionRemove))
	sm.Handle("GET /{site}/"+assessmentsMenuPath, s.page(s.lastClient(assessmentsMenuPath, "Assessments", s.showClientAssessments)))
}

// annualDueRow is an annual assessment due or overdue
// (store/annual_assessments.go, the rule the calendar shows too).
type annualDueRow struct {
	Client, ClientHref, Program, Anniversary, Window string
	Overdue                                          bool
}

// annualDueRows lists the annual assessments due or overdue of one client.
func annualDueRows(r *http.Request, rq *request, personalID string) ([]annualDueRow, error) {
	due, err := rq.Site.Store.ClientAnnualAssessments(r.Context(), personalID)
	if err != nil {
		return nil, err
	}
	var out []annualDueRow
	for _, d := range due {
		out = append(out, annualDueRow{Client: caseName(d.FirstName, d.LastName), ClientHref: clientHref(rq, d.PersonalID) + "/assessments",
			Program: d.ProjectName, Anniversary: usDate(d.Anniversary), Window: usDate(d.WindowStart) + " – " + usDate(d.WindowEnd),
			Overdue: d.Status == store.AnnualOverdue})
	}
	return out, nil
}
