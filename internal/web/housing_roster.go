package web

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Nightly Roster (issue 8): for a night-by-night shelter and a night,
// everyone enrolled that night; tick who is present and one save records
// their HUD bed nights (Services RecordType 200). A row whose enrollment
// does not cover the night refuses the save, with the message on that
// row (store.RecordBedNights).

type rosterPage struct {
	Shell
	Action   string
	Programs []option
	Program  string
	Night    string
	Rows     []rosterRowView
	Done     string
	Error    string
	Errors   map[string]string
	Chosen   bool
}

type rosterRowView struct {
	EnrollmentID, Name, Href, Entry, Exit string
	Present                               bool
	Error                                 string
}

func (s *Server) rosterPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	p := &rosterPage{Program: clip(q.Get("program"), 64), Night: clip(q.Get("night"), 20), Errors: map[string]string{}}
	if q.Has("added") {
		p.Done = fmt.Sprintf("Saved: %s bed nights recorded, %s removed.", clip(q.Get("added"), 6), clip(q.Get("removed"), 6))
	}
	if err := s.fillRoster(r, rq, p, nil, nil); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "housing_roster", p)
}

// fillRoster reads the programs and the night's roster into p. ticked,
// when not nil, are the ticks as sent; sent are the rows a refused save
// held (those no longer on the roster are added with their message).
func (s *Server) fillRoster(r *http.Request, rq *request, p *rosterPage, ticked map[string]bool, sent []string) error {
	ctx := r.Context()
	st := rq.Site.Store
	p.Action = rq.base() + "/" + rosterPath
	progs, err := st.NightShelters(ctx)
	if err != nil {
		return err
	}
	for _, pr := range progs {
		p.Programs = append(p.Programs, option{pr.ProjectID, programLabel(pr)})
	}
	if p.Program == "" && len(progs) == 1 {
		p.Program = progs[0].ProjectID
	}
	if p.Night == "" {
		p.Night = usDate(hmis.DateOf(time.Now()))
	}
	if p.Program != "" {
		night, ok := parseClientDate(p.Night)
		if !ok {
			p.Errors["night"] = "Enter the night as MM/DD/YYYY."
		} else {
			p.Chosen = true
			rows, err := st.Roster(ctx, p.Program, night)
			if err != nil {
				return err
			}
			on := map[string]bool{}
			for _, row := range rows {
				on[row.EnrollmentID] = true
			}
			var gone []string
			for _, id := range sent {
				if !on[id] && p.Errors[id] != "" {
					gone = append(gone, id)
				}
			}
			extra, err := st.RosterRowsByID(ctx, p.Program, night, gone)
			if err != nil {
				return err
			}
			for _, row := range append(rows, extra...) {
				v := rosterRowView{EnrollmentID: row.EnrollmentID, Name: personName(row.FirstName, "", row.LastName),
					Href: clientHref(rq, row.PersonalID), Entry: usDate(row.EntryDate), Exit: usDate(row.ExitDate), Present: row.Present,
					Error: p.Errors[row.EnrollmentID]}
				if ticked != nil {
					v.Present = ticked[row.EnrollmentID]
				}
				p.Rows = append(p.Rows, v)
			}
		}
	}
	p.Shell, err = s.shell(r, rq, "housing", rq.base()+"/"+rosterPath, "Nightly Roster")
	return err
}

func (s *Server) saveRoster(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := readForm(r, "program", "night")
	if err != nil {
		return err
	}
	p := &rosterPage{Program: v["program"], Night: v["night"], Errors: map[string]string{}}
	rows := r.PostForm["row"]
	if len(rows) > 2000 {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The roster is too long to save at once."}
	}
	ticked := map[string]bool{}
	for _, id := range r.PostForm["present"] {
		ticked[id] = true
	}
	night, ok := parseClientDate(v["night"])
	if !ok {
		p.Error = "Nothing was saved: enter the night as MM/DD/YYYY."
		if err := s.fillRoster(r, rq, p, ticked, nil); err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "housing_roster", p)
	}
	res, err := rq.Site.Store.RecordBedNights(r.Context(), v["program"], night, rows, ticked)
	if err != nil {
		e, ok := err.(*hmis.Error)
		if !ok || (e.Code != hmis.EINVALID && e.Code != hmis.ENOTFOUND) {
			return err
		}
		p.Error = e.Message
		if e.Code == hmis.ENOTFOUND {
			p.Error = "Nothing was saved: a row of the roster is not an enrollment of this program you may see. Load the roster again."
		}
		for k, msg := range e.Fields {
			p.Errors[k] = msg
		}
		if err := s.fillRoster(r, rq, p, ticked, rows); err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "housing_roster", p)
	}
	http.Redirect(w, r, housingHref(rq, rosterPath, url.Values{"program": {v["program"]}, "night": {usDate(night)},
		"added": {fmt.Sprint(res.Added)}, "removed": {fmt.Sprint(res.Removed)}}), http.StatusSeeOther)
	return nil
}
