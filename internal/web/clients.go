package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/search"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Find Client (issue 4): one box that takes a name in any order, a date
// of birth, an SSN or its last four, plus optional fields. Add New Client
// starts with the same search: "Add a new client" is offered only once a
// search has been run (clients_new.go).

const (
	findPath   = "clients/find"
	intakePath = "clients/new"
	// findLimit is how many matches the page shows.
	findLimit = 25
	// maxField is how much of one search field is read.
	maxField = 64
)

// clientSearch is the search form as typed.
type clientSearch struct {
	Q, First, Middle, Last, SSN, DOB, HMISID string
}

// searchFields are the form's field names, in clientSearch order.
var searchFields = []string{"q", "first", "middle", "last", "ssn", "dob", "hmis_id"}

func (cs *clientSearch) fields() []*string {
	return []*string{&cs.Q, &cs.First, &cs.Middle, &cs.Last, &cs.SSN, &cs.DOB, &cs.HMISID}
}

// readSearch reads the search from a query string; searched is whether
// the form was sent (even empty).
func readSearch(v url.Values) (cs clientSearch, searched bool) {
	for i, f := range cs.fields() {
		name := searchFields[i]
		if _, ok := v[name]; ok {
			searched = true
		}
		limit := maxField
		if name == "q" {
			limit = search.MaxInput
		}
		*f = clip(strings.TrimSpace(v.Get(name)), limit)
	}
	return cs, searched
}

// clip shortens s to at most n bytes without splitting a character.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// values returns the search as a query string (links carry it on).
func (cs clientSearch) values() url.Values {
	v := url.Values{}
	for i, f := range cs.fields() {
		if *f != "" {
			v.Set(searchFields[i], *f)
		}
	}
	return v
}

// query is what the search engine is asked: the box, with the fields
// over it.
func (cs clientSearch) query(now time.Time) search.Query {
	q := search.Parse(cs.Q, now)
	q.First, q.Middle, q.Last = cs.First, cs.Middle, cs.Last
	if cs.SSN != "" {
		p := search.Parse(cs.SSN, now)
		q.SSN, q.SSN4 = p.SSN, p.SSN4
	}
	if cs.DOB != "" {
		if p := search.Parse(cs.DOB, now); !p.DOB.IsZero() {
			q.DOB, q.BirthYear = p.DOB, 0
		} else if p.BirthYear != 0 {
			q.BirthYear = p.BirthYear
		}
	}
	if cs.HMISID != "" {
		q.PersonalID = cs.HMISID
	}
	return q
}

// clientResult is one match as the page shows it.
type clientResult struct {
	store.ClientMatch
	Href     string
	Intake   string // starts an intake (workflows.go)
	Name     string // "Last, First Middle"
	DOB      string // MM/DD/YYYY
	Age      string
	Percent  int
	Likely   bool // a likely duplicate (score >= search.DuplicateThreshold)
	Programs []store.ClientProgram
}

// findPage is Find Client, and the first step of Add New Client.
type findPage struct {
	Shell
	Intake   bool   // Add New Client's search step
	Action   string // where the form goes
	Search   clientSearch
	Searched bool
	Message  string // why there are no results (empty search, nothing found)
	Results  []clientResult
	AddHref  string // Add New Client's form, with what was searched
}

func (s *Server) findClient(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.clientSearchPage(w, r, rq, false)
}

func (s *Server) clientSearchPage(w http.ResponseWriter, r *http.Request, rq *request, intake bool) error {
	p := findPage{Intake: intake, Action: rq.base() + "/" + findPath}
	title := "Find Client"
	if intake {
		p.Action, title = rq.base()+"/"+intakePath, "Add New Client"
	}
	var err error
	if p.Shell, err = s.shell(r, rq, "clients", p.Action, title); err != nil {
		return err
	}
	p.Search, p.Searched = readSearch(r.URL.Query())
	if p.Searched {
		if err := s.runSearch(r, rq, &p); err != nil {
			return err
		}
	}
	if isFragment(r) && r.Header.Get("HX-Target") == "client-results" {
		return s.renderFragment(w, http.StatusOK, "client_find", "client-results", &p)
	}
	return s.render(w, r, http.StatusOK, "client_find", &p)
}

func (s *Server) runSearch(r *http.Request, rq *request, p *findPage) error {
	ctx := r.Context()
	st := rq.Site.Store
	q := p.Search.query(time.Now())
	if p.Intake {
		p.AddHref = rq.base() + "/" + intakePath + "/form?" + intakePrefill(p.Search, q).Encode()
	}
	if q.Empty() {
		p.Message = "Type what you know about the client: a name in any order (“Lennon, John”), a date of birth, an SSN or its last four, or an HMIS ID."
		if p.Intake {
			p.AddHref = ""
			p.Message = "Search first, so that nobody is entered twice: " + strings.TrimPrefix(p.Message, "Type what you know about the client: ")
		}
		return nil
	}
	ms, err := st.SearchClients(ctx, q, findLimit)
	if err != nil {
		if hmis.ErrorCode(err) == hmis.EINVALID {
			p.Message = hmis.ErrorMessage(err)
			return nil
		}
		return err
	}
	p.Results, err = s.clientResults(r, rq, ms)
	if err != nil {
		return err
	}
	if len(p.Results) == 0 {
		p.Message = "No client matches this search. Check the spelling, or search with less: a last name alone, or a date of birth."
	}
	return nil
}

// clientResults dresses matches for the page, with their programs.
func (s *Server) clientResults(r *http.Request, rq *request, ms []store.ClientMatch) ([]clientResult, error) {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.PersonalID
	}
	progs, err := rq.Site.Store.ClientPrograms(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	today := hmis.DateOf(time.Now())
	out := make([]clientResult, len(ms))
	for i, m := range ms {
		out[i] = clientResult{ClientMatch: m, Href: clientHref(rq, m.PersonalID), Intake: workflowStartHref(rq, m.PersonalID),
			Name: personName(m.FirstName, m.MiddleName, m.LastName), DOB: piiDOB(r, rq, m.DOB), Age: age(m.DOB, today),
			Percent: int(m.Score*100 + 0.5), Likely: m.Score >= search.DuplicateThreshold, Programs: progs[m.PersonalID]}
	}
	return out, nil
}

// intakePrefill carries a search into Add New Client's form.
func intakePrefill(cs clientSearch, q search.Query) url.Values {
	v := url.Values{"searched": {"1"}}
	first, last := cs.First, cs.Last
	if first == "" && last == "" && len(q.Names) > 0 {
		// "Last, First" or "First Last", as typed.
		words := strings.FieldsFunc(cs.Q, func(r rune) bool { return r == ' ' || r == ',' })
		var names []string
		for _, w := range words {
			if p := search.Parse(w, time.Now()); len(p.Names) == 1 {
				names = append(names, w)
			}
		}
		switch {
		case q.Comma > 0 && len(names) >= 2:
			last, first = names[0], names[1]
		case len(names) >= 2:
			first, last = names[0], names[len(names)-1]
		case len(names) == 1:
			last = names[0]
		}
	}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("first_name", first)
	set("middle_name", cs.Middle)
	set("last_name", last)
	if !q.DOB.IsZero() {
		set("dob", usDate(q.DOB))
	}
	set("ssn", q.SSN)
	return v
}

// clientHref is a client's dashboard.
func clientHref(rq *request, personalID string) string {
	return rq.base() + "/clients/" + url.PathEscape(personalID)
}

// personName is "Last, First Middle".
func personName(first, middle, last string) string {
	given := strings.TrimSpace(first + " " + middle)
	switch {
	case last == "" && given == "":
		return "(no name)"
	case last == "":
		return given
	case given == "":
		return last
	}
	return last + ", " + given
}

// usDate is a date as US case managers write it: 10/09/1940.
func usDate(d hmis.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Format("01/02/2006")
}

// age is the age on today, or "".
func age(dob, today hmis.Date) string {
	if dob.IsZero() || dob.After(today) {
		return ""
	}
	return strconv.Itoa(dob.AgeOn(today))
}
