package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Check-In / Check-Out (issue 8): find the client with the Find Client
// search, then check them in to a free bed, hold a bed for them, or (when
// they are in a bed) check them out or move them. A client without an
// open enrollment in the bed's program is sent to the program's intake
// workflow; a check-out offers the exit workflow.

// datetimeLocal is the value format of <input type="datetime-local">.
const datetimeLocal = "2006-01-02T15:04"

type checkinPage struct {
	Shell
	Action     string
	Search     clientSearch
	Searched   bool
	Message    string
	Results    []checkinResult
	Client     *checkinClient
	BedID      string
	FreeBeds   []option
	Done       string
	ExitHref   string
	Error      string
	IntakeHref string
	Values     map[string]string
	Errors     map[string]string
	BoardHref  string
	AddHref    string // Add New Client, with the search carried over
}

type checkinResult struct {
	Name, DOB, Href string
	Programs        []store.ClientProgram
}

type checkinClient struct {
	PersonalID, Name, DashboardHref string
	StayID, Bed, Since              string
	HoldID, HeldBed, HeldUntil      string
}

func (s *Server) checkinPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	p := &checkinPage{BedID: clip(q.Get("bed"), 64), Values: map[string]string{}, Errors: map[string]string{}}
	switch q.Get("done") {
	case "out":
		p.Done = "The client was checked out."
		if e := clip(q.Get("enrollment"), 64); e != "" {
			p.ExitHref = rq.base() + "/workflows/start?" + url.Values{"enrollment": {e}, "stage": {"exit"}}.Encode()
		}
	case "hold":
		p.Done = "The bed is held."
	case "release":
		p.Done = "The hold was released."
	case "in":
		p.Done = "The client was checked in."
	case "move":
		p.Done = "The client was moved."
	}
	return s.renderCheckin(w, r, rq, http.StatusOK, p, clip(q.Get("client"), 64))
}

func (s *Server) renderCheckin(w http.ResponseWriter, r *http.Request, rq *request, status int, p *checkinPage, personalID string) error {
	ctx := r.Context()
	st := rq.Site.Store
	p.Action = rq.base() + "/" + checkinPath
	p.BoardHref = rq.base() + "/" + boardPath
	if len(p.Errors) > 0 && p.Error == "" {
		p.Error = "Nothing was saved: correct the fields marked below."
	}
	if personalID == "" {
		p.Search, p.Searched = readSearch(r.URL.Query())
		if p.Searched {
			fp := findPage{Search: p.Search}
			if err := s.runSearch(r, rq, &fp); err != nil {
				return err
			}
			p.Message = fp.Message
			p.AddHref = rq.base() + "/" + intakePath + "?" + p.Search.values().Encode()
			for _, res := range fp.Results {
				v := url.Values{"client": {res.PersonalID}}
				if p.BedID != "" {
					v.Set("bed", p.BedID)
				}
				p.Results = append(p.Results, checkinResult{Name: res.Name, DOB: res.DOB, Programs: res.Programs,
					Href: housingHref(rq, checkinPath, v)})
			}
		}
	} else {
		c, err := findVisibleClient(r, rq, personalID)
		if err != nil {
			return err
		}
		cl := &checkinClient{PersonalID: c.PersonalID, Name: clientDisplayName(&c.Client), DashboardHref: clientHref(rq, c.PersonalID)}
		stay, bed, in, err := st.CurrentStay(ctx, c.PersonalID)
		if err != nil {
			if hmis.ErrorCode(err) == hmis.ENOTFOUND {
				return errNoClient
			}
			return err
		}
		if in {
			cl.StayID, cl.Bed, cl.Since = stay.ID, bedName(bed), since(stay.Start)
		}
		p.Client = cl
		free, err := st.FreeBeds(ctx, c.PersonalID)
		if err != nil {
			return err
		}
		for _, b := range free {
			p.FreeBeds = append(p.FreeBeds, option{b.ID, bedName(b)})
		}
		if p.Values["expires"] == "" {
			p.Values["expires"] = time.Now().Add(4 * time.Hour).Format(datetimeLocal)
		}
	}
	var err error
	if p.Shell, err = s.shell(r, rq, "housing", rq.base()+"/"+checkinPath, "Check-In / Check-Out"); err != nil {
		return err
	}
	return s.render(w, r, status, "housing_checkin", p)
}

// bedName is "Bed 3, Dorm A, Main Street Shelter (Program)".
func bedName(b store.Bed) string {
	return b.Label + ", " + b.RoomName + ", " + b.PlaceName + " (" + b.ProjectName + ")"
}

// housingFailure shows a refused action on the page again: field errors
// and conflicts are the user's to fix, anything else is an error page.
func (s *Server) housingFailure(w http.ResponseWriter, r *http.Request, rq *request, p *checkinPage, personalID string, err error) error {
	var e *hmis.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code {
	case hmis.EINVALID, hmis.ECONFLICT, hmis.EFORBIDDEN:
	case hmis.ENOTFOUND:
		if personalID == "" || strings.HasPrefix(e.Message, "Bed") {
			p.Error = e.Message
			return s.renderCheckin(w, r, rq, http.StatusNotFound, p, personalID)
		}
		return errNoClient
	default:
		return err
	}
	p.Error = e.Message
	if project := e.Fields[store.FieldEnrollment]; project != "" {
		p.IntakeHref = rq.base() + "/workflows/start?" + url.Values{"client": {personalID}, "project": {project}, "stage": {"intake"}}.Encode()
	} else {
		for k, v := range e.Fields {
			p.Errors[k] = v
		}
	}
	status := http.StatusUnprocessableEntity
	if e.Code == hmis.ECONFLICT {
		status = http.StatusConflict
	}
	return s.renderCheckin(w, r, rq, status, p, personalID)
}

func (s *Server) checkIn(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := readForm(r, "client", "bed_id")
	if err != nil {
		return err
	}
	p := &checkinPage{BedID: v["bed_id"], Values: v, Errors: map[string]string{}}
	if v["bed_id"] == "" {
		p.Errors["bed_id"] = "Choose a free bed."
		return s.renderCheckin(w, r, rq, http.StatusUnprocessableEntity, p, v["client"])
	}
	if _, err := rq.Site.Store.CheckIn(r.Context(), v["bed_id"], v["client"]); err != nil {
		return s.housingFailure(w, r, rq, p, v["client"], err)
	}
	http.Redirect(w, r, housingHref(rq, boardPath, url.Values{"done": {"in"}}), http.StatusSeeOther)
	return nil
}

// parseLocal reads a datetime-local value (or MM/DD/YYYY h:mm PM).
func parseLocal(s string) (time.Time, bool) {
	for _, layout := range []string{datetimeLocal, "01/02/2006 3:04 PM", "1/2/2006 3:04 PM", "01/02/2006 15:04"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), time.Local); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func (s *Server) checkOut(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := readForm(r, "client", "stay", "checked_out_at")
	if err != nil {
		return err
	}
	p := &checkinPage{Values: v, Errors: map[string]string{}}
	var at time.Time
	if v["checked_out_at"] != "" {
		var ok bool
		if at, ok = parseLocal(v["checked_out_at"]); !ok {
			p.Errors["checked_out_at"] = "Enter a real date and time, or leave it empty for now."
			return s.renderCheckin(w, r, rq, http.StatusUnprocessableEntity, p, v["client"])
		}
	}
	st, err := rq.Site.Store.CheckOut(r.Context(), v["stay"], at)
	if err != nil {
		return s.housingFailure(w, r, rq, p, v["client"], err)
	}
	http.Redirect(w, r, housingHref(rq, checkinPath, url.Values{"client": {st.PersonalID}, "done": {"out"},
		"enrollment": {st.EnrollmentID}}), http.StatusSeeOther)
	return nil
}

func (s *Server) moveBed(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := readForm(r, "client", "stay", "move_bed")
	if err != nil {
		return err
	}
	p := &checkinPage{Values: v, Errors: map[string]string{}}
	if v["move_bed"] == "" {
		p.Errors["move_bed"] = "Choose the bed to move to."
		return s.renderCheckin(w, r, rq, http.StatusUnprocessableEntity, p, v["client"])
	}
	if _, err := rq.Site.Store.MoveStay(r.Context(), v["stay"], v["move_bed"]); err != nil {
		return s.housingFailure(w, r, rq, p, v["client"], err)
	}
	http.Redirect(w, r, housingHref(rq, checkinPath, url.Values{"client": {v["client"]}, "done": {"move"}}), http.StatusSeeOther)
	return nil
}

func (s *Server) holdBed(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := readForm(r, "client", "hold_bed", "expires")
	if err != nil {
		return err
	}
	p := &checkinPage{Values: v, Errors: map[string]string{}}
	until, ok := parseLocal(v["expires"])
	switch {
	case v["hold_bed"] == "":
		p.Errors["hold_bed"] = "Choose the bed to hold."
	case !ok:
		p.Errors["expires"] = "Enter the date and time the hold ends."
	}
	if len(p.Errors) > 0 {
		return s.renderCheckin(w, r, rq, http.StatusUnprocessableEntity, p, v["client"])
	}
	if _, err := rq.Site.Store.HoldBed(r.Context(), v["hold_bed"], v["client"], until); err != nil {
		return s.housingFailure(w, r, rq, p, v["client"], err)
	}
	http.Redirect(w, r, housingHref(rq, boardPath, url.Values{"done": {"hold"}}), http.StatusSeeOther)
	return nil
}

func (s *Server) releaseHold(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := readForm(r, "hold")
	if err != nil {
		return err
	}
	if err := rq.Site.Store.ReleaseHold(r.Context(), v["hold"]); err != nil {
		if hmis.ErrorCode(err) == hmis.ENOTFOUND {
			return errPageNotFound
		}
		return err
	}
	http.Redirect(w, r, housingHref(rq, boardPath, url.Values{"done": {"release"}}), http.StatusSeeOther)
	return nil
}
