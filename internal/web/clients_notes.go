package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Case Notes (issue 4): a client's notes, newest first, each with its
// author, date and (when tied to one) enrollment, and a form to add one.
// Notes follow the client's sharing, and a note restricted to its
// organization is seen by that organization only (store/case_notes.go).
// The search box finds notes of the user's organization by their words.
// Reading the list and adding a note are audited by the store.

type clientNotesPage struct {
	Shell
	Name          string
	DashboardHref string
	Action        string
	CanAdd        bool
	Added         bool
	Query         string
	Notes         []noteRow
	Enrollments   []option
	Values        map[string]string
	Errors        map[string]string
	Error         string
}

type noteRow struct {
	Date, Author, Organization, Program, Written string
	Restricted                                   bool
	Paragraphs                                   []string
}

func (s *Server) clientNotesPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showClientNotes(w, r, rq, r.PathValue("personalID"))
}

func (s *Server) showClientNotes(w http.ResponseWriter, r *http.Request, rq *request, id string) error {
	c, err := findVisibleClient(r, rq, id)
	if err != nil {
		return err
	}
	return s.renderClientNotes(w, r, rq, http.StatusOK, c, map[string]string{}, nil)
}

func (s *Server) renderClientNotes(w http.ResponseWriter, r *http.Request, rq *request, status int, c store.ClientDetail,
	values, errs map[string]string) error {
	ctx := r.Context()
	st := rq.Site.Store
	p := clientNotesPage{Name: clientDisplayName(&c.Client), DashboardHref: clientHref(rq, c.PersonalID),
		Action: clientHref(rq, c.PersonalID) + "/notes", Added: r.URL.Query().Get("added") != "",
		Query: clip(strings.TrimSpace(r.URL.Query().Get("q")), 200), Values: values, Errors: errs}
	if p.Values["note_date"] == "" {
		p.Values["note_date"] = noteDateDefault()
	}
	if len(errs) > 0 {
		p.Error = "The note was not saved: correct the fields marked below."
	}
	level, err := st.ClientAccess(ctx, c.PersonalID)
	if err != nil {
		return err
	}
	p.CanAdd = level >= access.Editable
	var notes []store.CaseNote
	if p.Query != "" && r.Method == http.MethodGet {
		notes, err = st.SearchCaseNotes(ctx, store.CaseNoteSearch{Text: p.Query, PersonalID: c.PersonalID})
	} else {
		notes, err = st.FindCaseNotes(ctx, c.PersonalID)
	}
	if err != nil {
		return err
	}
	for _, n := range notes {
		row := noteRow{Date: usDate(n.NoteDate), Author: n.AuthorName, Organization: n.OrganizationName,
			Program: n.ProjectName, Written: datetime(n.DateCreated), Restricted: n.RestrictedToOrg != ""}
		for _, para := range strings.Split(strings.ReplaceAll(n.Text, "\r\n", "\n"), "\n\n") {
			if para = strings.TrimSpace(para); para != "" {
				row.Paragraphs = append(row.Paragraphs, para)
			}
		}
		p.Notes = append(p.Notes, row)
	}
	if p.CanAdd {
		enrolls, err := st.FindClientEnrollments(ctx, c.PersonalID)
		if err != nil {
			return err
		}
		for _, e := range enrolls {
			name := e.ProjectName
			if name == "" {
				name = "Program " + e.ProjectID
			}
			p.Enrollments = append(p.Enrollments, option{e.EnrollmentID, name + ", entered " + usDate(e.EntryDate)})
		}
	}
	if p.Shell, err = s.shell(r, rq, "clients", rq.base()+"/"+notesMenuPath, "Case Notes: "+p.Name); err != nil {
		return err
	}
	return s.render(w, r, status, "client_notes", &p)
}

// addClientNote saves a note, or shows the form again as typed.
func (s *Server) addClientNote(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := findVisibleClient(r, rq, r.PathValue("personalID"))
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	values := map[string]string{
		"text":          clip(r.PostFormValue("text"), store.MaxCaseNoteChars+100),
		"note_date":     clip(strings.TrimSpace(r.PostFormValue("note_date")), 40),
		"enrollment_id": clip(strings.TrimSpace(r.PostFormValue("enrollment_id")), 64),
	}
	if r.PostFormValue("restricted") != "" {
		values["restricted"] = "1"
	}
	errs := map[string]string{}
	n := store.NewCaseNote{PersonalID: c.PersonalID, EnrollmentID: values["enrollment_id"], Text: values["text"],
		Restricted: values["restricted"] != ""}
	if values["note_date"] != "" {
		d, ok := parseClientDate(values["note_date"])
		if !ok {
			errs["note_date"] = "Enter a real date as MM/DD/YYYY."
		}
		n.NoteDate = d
	}
	if len(errs) == 0 {
		_, err = rq.Site.Store.AddCaseNote(r.Context(), n)
		var e *hmis.Error
		switch {
		case err == nil:
			http.Redirect(w, r, clientHref(rq, c.PersonalID)+"/notes?added=1", http.StatusSeeOther)
			return nil
		case errors.As(err, &e) && e.Code == hmis.EINVALID && len(e.Fields) > 0:
			errs = e.Fields
		case errors.As(err, &e) && e.Code == hmis.ENOTFOUND:
			return errNoClient
		default:
			return err
		}
	}
	return s.renderClientNotes(w, r, rq, http.StatusUnprocessableEntity, c, values, errs)
}

// today's date as the note form's default.
func noteDateDefault() string { return usDate(hmis.DateOf(time.Now())) }
