package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/workflow"
)

// Workflows (HMIS administrators): a program's derived workflow at each
// stage, HUD's steps and elements as the element rules give them (not
// editable), and the organization's own optional questions: add, remove,
// reorder, and place their step after any step.

const workflowAdminPath = "home/workflows"

type workflowAdminPage struct {
	Shell
	Action     string
	Programs   []option
	Stages     []option
	Project    string
	Stage      string
	Key        string
	Steps      []workflow.Step
	Questions  []workflow.Question
	Kinds      []option
	Subjects   []option // whom a question may be asked of
	AfterSteps []option
	AfterStep  string
	Values     map[string]string
	Errors     map[string]string
	Error      string
	Done       string
	Sharing    []string // other programs with the same definition
	// Days without activity after which an enrollment is flagged.
	InactiveDays int
}

func (s *Server) workflowAdmin(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderWorkflowAdmin(w, r, rq, http.StatusOK, r.URL.Query(), nil, nil)
}

func (s *Server) renderWorkflowAdmin(w http.ResponseWriter, r *http.Request, rq *request, status int, q url.Values, values, errs map[string]string) error {
	ctx := r.Context()
	st := rq.Site.Store
	p := workflowAdminPage{Action: rq.base() + "/" + workflowAdminPath, Project: clip(q.Get("project"), 64), Stage: q.Get("stage"),
		Values: values, Errors: errs, Done: clip(r.URL.Query().Get("done"), 40)}
	if p.Stage == "" {
		p.Stage = string(workflow.Intake)
	}
	if p.Values == nil {
		p.Values = map[string]string{}
	}
	if len(errs) > 0 {
		p.Error = "Not saved: correct the fields marked below."
	}
	days, err := st.InactiveDays(ctx)
	if err != nil {
		return err
	}
	p.InactiveDays = days
	if v := values["inactive_days"]; v != "" {
		p.Values["inactive_days"] = v
	} else {
		p.Values["inactive_days"] = strconv.Itoa(days)
	}
	for _, st := range workflow.Stages {
		p.Stages = append(p.Stages, option{string(st), st.Label()})
	}
	for _, k := range workflow.QuestionKinds {
		p.Kinds = append(p.Kinds, option{k.Kind, k.Label})
	}
	for _, k := range workflow.QuestionSubjects {
		p.Subjects = append(p.Subjects, option{k.Subject, k.Label})
	}
	if p.Values["asked_of"] == "" {
		p.Values["asked_of"] = hud.SubjectHoH
	}
	progs, err := st.WorkflowPrograms(ctx)
	if err != nil {
		return err
	}
	for _, pr := range progs {
		p.Programs = append(p.Programs, option{pr.ProjectID, pr.Name})
	}
	if p.Project != "" {
		stage, err := workflow.ParseStage(p.Stage)
		if err != nil {
			return err
		}
		wp, proj, err := st.WorkflowProject(ctx, p.Project, hmis.Date{})
		if hmis.ErrorCode(err) == hmis.ENOTFOUND {
			return errPageNotFound
		} else if err != nil {
			return err
		}
		def, err := workflow.Derive(wp, stage)
		if err != nil {
			return err
		}
		p.Key, p.Steps = def.Key, def.Steps
		// The programs that share this definition (same HUD requirements).
		for _, pr := range progs {
			if pr.ProjectID == p.Project {
				continue
			}
			owp, _, err := st.WorkflowProject(ctx, pr.ProjectID, hmis.Date{})
			if hmis.ErrorCode(err) == hmis.EINVALID {
				continue // no project type
			} else if err != nil {
				return err
			}
			if od, err := workflow.Derive(owp, stage); err == nil && od.Key == def.Key {
				p.Sharing = append(p.Sharing, pr.Name)
			}
		}
		if p.Questions, err = st.WorkflowQuestions(ctx, proj.OrganizationID, def.Key, stage); err != nil {
			return err
		}
		p.AfterSteps = append(p.AfterSteps, option{"", "Just before the review (last)"})
		for _, step := range def.Steps {
			p.AfterSteps = append(p.AfterSteps, option{step.Name, "After “" + step.Name + "”"})
		}
		if len(p.Questions) > 0 {
			p.AfterStep = p.Questions[0].AfterStep
		}
	}
	if p.Shell, err = s.shell(r, rq, "home", rq.base()+"/"+workflowAdminPath, "Workflows"); err != nil {
		return err
	}
	return s.render(w, r, status, "workflow_admin", &p)
}

// workflowAdminPost adds, removes, moves questions and places their step.
func (s *Server) workflowAdminPost(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	ctx := r.Context()
	st := rq.Site.Store
	f := r.PostForm
	stage, err := workflow.ParseStage(f.Get("stage"))
	if err != nil {
		return err
	}
	if f.Get("action") == "inactive" {
		days, _ := strconv.Atoi(strings.TrimSpace(f.Get("inactive_days")))
		err := st.SetInactiveDays(ctx, days)
		var e *hmis.Error
		if errors.As(err, &e) && e.Code == hmis.EINVALID {
			return s.renderWorkflowAdmin(w, r, rq, http.StatusUnprocessableEntity, f, map[string]string{"inactive_days": f.Get("inactive_days")}, e.Fields)
		} else if err != nil {
			return err
		}
		http.Redirect(w, r, rq.base()+"/"+workflowAdminPath+"?done=saved", http.StatusSeeOther)
		return nil
	}
	project := clip(f.Get("project"), 64)
	wp, proj, err := st.WorkflowProject(ctx, project, hmis.Date{})
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		return errPageNotFound
	} else if err != nil {
		return err
	}
	def, err := workflow.Derive(wp, stage)
	if err != nil {
		return err
	}
	back := rq.base() + "/" + workflowAdminPath + "?" + url.Values{"project": {project}, "stage": {string(stage)}}.Encode()
	var done string
	switch f.Get("action") {
	case "add":
		values := map[string]string{"label": clip(f.Get("label"), 300), "kind": clip(f.Get("kind"), 20), "asked_of": clip(f.Get("asked_of"), 40)}
		_, err = st.AddWorkflowQuestion(ctx, store.NewQuestion{OrganizationID: proj.OrganizationID, DefinitionKey: def.Key, Stage: stage,
			AfterStep: clip(f.Get("after_step"), 100), Label: values["label"], Kind: values["kind"], AskedOf: values["asked_of"]})
		var e *hmis.Error
		if errors.As(err, &e) && e.Code == hmis.EINVALID {
			return s.renderWorkflowAdmin(w, r, rq, http.StatusUnprocessableEntity, f, values, e.Fields)
		}
		done = "added"
	case "remove":
		err, done = st.RemoveWorkflowQuestion(ctx, clip(f.Get("question"), 64)), "removed"
	case "asked_of":
		err, done = st.SetWorkflowQuestionSubject(ctx, clip(f.Get("question"), 64), clip(f.Get("asked_of"), 40)), "changed"
	case "up", "down":
		delta := 1
		if f.Get("action") == "up" {
			delta = -1
		}
		err, done = st.MoveWorkflowQuestion(ctx, clip(f.Get("question"), 64), delta), "moved"
	case "place":
		after := clip(f.Get("after_step"), 100)
		valid := after == ""
		for _, step := range def.Steps {
			valid = valid || step.Name == after
		}
		if !valid {
			return &hmis.Error{Code: hmis.EINVALID, Message: "Choose one of the workflow's steps."}
		}
		err, done = st.PlaceWorkflowStep(ctx, proj.OrganizationID, def.Key, stage, after), "placed"
	default:
		return &hmis.Error{Code: hmis.EINVALID, Message: "Unknown action."}
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, back+"&done="+url.QueryEscape(done), http.StatusSeeOther)
	return nil
}

// stepRequired reports whether a step holds a HUD-required element.
func stepRequired(s workflow.Step) bool {
	for _, e := range s.Elements {
		if e.Required {
			return true
		}
	}
	return false
}

func elementList(s workflow.Step) string {
	var out []string
	for _, e := range s.Elements {
		x := e.ID
		if !e.Required {
			x += " (optional)"
		}
		out = append(out, x+" · "+strings.ReplaceAll(e.AskedOf, "_", " "))
	}
	return strings.Join(out, "; ")
}

// wfQuestionSubject labels whom a question is asked of (the head of
// household for questions added before subjects existed).
func wfQuestionSubject(subject string) string {
	if l := workflow.QuestionSubjectLabel(subject); l != "" {
		return l
	}
	return workflow.QuestionSubjectLabel(hud.SubjectHoH)
}
