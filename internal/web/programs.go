package web

import (
	"net/http"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Program workflows: in ClientTrack a case manager picks the program, then
// Intake or Exit, and the workflow walks through every screen the program's
// funder requires. The Clients tab lists the programs by funder family.

// programGroups returns one menu group per funder family (CoC, ESG, VA,
// ...) listing the site's programs with a grant in force.
func (s *Server) programGroups(r *http.Request, rq *request, href string) ([]navGroup, error) {
	menu, err := rq.Site.Store.ProgramMenu(r.Context())
	if err != nil {
		return nil, err
	}
	var out []navGroup
	for _, g := range menu {
		ng := navGroup{Label: g.Family}
		for _, p := range g.Programs {
			h := rq.base() + "/clients/programs/" + p.ProjectID
			ng.Items = append(ng.Items, navLink{Label: programName(p), Href: h, Detail: p.OrganizationName, Current: h == href})
		}
		out = append(out, ng)
	}
	return out, nil
}

func programName(p store.ProgramMenuItem) string {
	if p.ProjectName == "" {
		return "Program " + p.ProjectID
	}
	return p.ProjectName
}

// programPage is a program's workflow page, and its Intake and Exit steps.
type programPage struct {
	Shell
	Program  store.ProgramMenuItem
	Families []string
	Name     string
	Step     string // "", "Intake" or "Exit"
	Intake   string // links
	Exit     string
	// The guided workflows (workflows.go): who to start an intake for,
	// and the program's active clients with their exit links.
	FindHref     string
	RecentName   string
	RecentStart  string
	Active       []activeRow
	InactiveDays int
	Flagged      int
}

var programSteps = map[string]string{"": "", "intake": "Intake", "exit": "Exit"}

func (s *Server) program(w http.ResponseWriter, r *http.Request, rq *request) error {
	step, ok := programSteps[r.PathValue("step")]
	if !ok {
		return errPageNotFound
	}
	id := r.PathValue("projectID")
	href := rq.base() + "/clients/programs/" + id
	menu, err := rq.Site.Store.ProgramMenu(r.Context())
	if err != nil {
		return err
	}
	p := programPage{Step: step, Intake: href + "/intake", Exit: href + "/exit"}
	found := false
	for _, g := range menu {
		for _, it := range g.Programs {
			if it.ProjectID == id {
				p.Program, found = it, true
				p.Families = append(p.Families, g.Family)
			}
		}
	}
	if !found {
		return &hmis.Error{Code: hmis.ENOTFOUND, Message: "There is no program with a current grant at this address."}
	}
	p.Name = programName(p.Program)
	if err := s.programWorkflows(r, rq, id, &p); err != nil {
		return err
	}
	title := p.Name
	if step != "" {
		title += ": " + step
	}
	if p.Shell, err = s.shell(r, rq, "clients", href, title); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "program", &p)
}
