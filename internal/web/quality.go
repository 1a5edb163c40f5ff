package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Data completeness (issue 5 point 8): Clients → Data Completeness shows,
// for each of the current client's enrollments, what HUD's data quality
// report would count as missing, "client doesn't know / prefers not to
// answer", a data issue, or late, each with a link to fix it; Clients →
// Program Data Quality shows the same by client for one program.

const (
	qualityMenuPath        = "clients/quality"
	programQualityMenuPath = "clients/program-quality"
)

type qualityPage struct {
	Shell
	Name, DashboardHref string
	Enrollments         []qualityEnrollment
	// The program page.
	Action, ProgramID, Since, SinceError string
	Programs                             []option
	Counts                               map[string]int
	Chosen                               bool
}

type qualityEnrollment struct {
	Heading, ClientHref string
	Findings            []qualityFinding
}

type qualityFinding struct {
	Element, Label, Kind, KindLabel, Detail, FixHref string
}

var dqKindLabels = map[string]string{
	hmis.DQMissing: "Missing",
	hmis.DQDKR:     "Client doesn’t know / prefers not to answer",
	hmis.DQIssue:   "Data issue",
	hmis.DQLate:    "Entered late",
}

// qualityRows turns the store's findings into rows with fix links: the
// client's own elements in Edit Client Information, the enrollment's in
// an update workflow for its program.
func qualityRows(rq *request, qs []store.EnrollmentQuality, withName bool) []qualityEnrollment {
	var out []qualityEnrollment
	for _, q := range qs {
		e := qualityEnrollment{Heading: q.ProjectName + ", entered " + usDate(q.EntryDate), ClientHref: clientHref(rq, q.PersonalID)}
		if !q.ExitDate.IsZero() {
			e.Heading += ", exited " + usDate(q.ExitDate)
		}
		if withName {
			e.Heading = caseName(q.FirstName, q.LastName) + " · " + e.Heading
		}
		for _, f := range q.Findings {
			row := qualityFinding{Element: f.Element, Label: f.Label, Kind: f.Kind, KindLabel: dqKindLabels[f.Kind], Detail: f.Detail}
			switch {
			case f.Client:
				row.FixHref = clientHref(rq, q.PersonalID) + "/edit"
			case f.Kind != hmis.DQLate:
				row.FixHref = rq.base() + "/workflows/start?" + url.Values{"client": {q.PersonalID}, "project": {q.ProjectID},
					"stage": {"update"}}.Encode()
			}
			e.Findings = append(e.Findings, row)
		}
		out = append(out, e)
	}
	return out
}

func (s *Server) clientQualityPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showClientQuality(w, r, rq, r.PathValue("personalID"))
}

func (s *Server) showClientQuality(w http.ResponseWriter, r *http.Request, rq *request, id string) error {
	c, err := findVisibleClient(r, rq, id)
	if err != nil {
		return err
	}
	qs, err := rq.Site.Store.ClientCompleteness(r.Context(), c.PersonalID)
	if err != nil {
		return err
	}
	p := qualityPage{Name: clientDisplayName(&c.Client), DashboardHref: clientHref(rq, c.PersonalID),
		Enrollments: qualityRows(rq, qs, false), Counts: store.FindingsCount(qs)}
	if p.Shell, err = s.shell(r, rq, "clients", rq.base()+"/"+qualityMenuPath, "Data Completeness: "+p.Name); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "client_quality", &p)
}

func (s *Server) programQuality(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	p := qualityPage{Action: rq.base() + "/" + programQualityMenuPath, ProgramID: clip(q.Get("program"), 64),
		Since: clip(strings.TrimSpace(q.Get("since")), 20)}
	if p.Since == "" {
		p.Since = usDate(hmis.DateOf(time.Now()).AddDate(-1, 0, 0))
	}
	var err error
	if p.Programs, err = s.serviceRosterPrograms(r, rq); err != nil {
		return err
	}
	since, ok := parseClientDate(p.Since)
	if !ok {
		p.SinceError = "Enter a real date as MM/DD/YYYY."
	}
	known := false
	for _, o := range p.Programs {
		known = known || o.Value == p.ProgramID
	}
	if known && ok {
		qs, err := rq.Site.Store.ProgramDataQuality(r.Context(), p.ProgramID, since)
		if err != nil {
			return err
		}
		p.Chosen, p.Enrollments, p.Counts = true, qualityRows(rq, qs, true), store.FindingsCount(qs)
	}
	if p.Shell, err = s.shell(r, rq, "clients", p.Action, "Program Data Quality"); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "program_quality", &p)
}

// qualityRoutes adds the two data-quality pages.
func (s *Server) qualityRoutes(sm *http.ServeMux) {
	sm.Handle("GET /{site}/"+qualityMenuPath, s.page(s.lastClient(qualityMenuPath, "Data Completeness", s.showClientQuality)))
	sm.Handle("GET /{site}/"+programQualityMenuPath, s.page(s.programQuality))
}
