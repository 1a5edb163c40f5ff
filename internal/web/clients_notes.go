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
	// EnrollmentRequired: a client the user's organization serves but may
	// not change as a whole: a note must be tied to one of the
	// organization's own programs' enrollments (store.EnrollmentAccess).
	EnrollmentRequired bool
	Added              bool
	Query              string
	Notes              []noteRow
	Enrollments        []option
	Values             map[string]string
	Errors             map[string]string
	Error              string
	Notice             string // "The note was changed." / "... deleted."
	Editing            string // the id of the note whose edit form is open
}

type noteRow struct {
	ID, Date, Author, Organization, Program, Written, Edited string
	Version                                                  string // DateUpdated, for the edit and delete forms
	Restricted, CanChange, Editing, Deleting                 bool
	Paragraphs                                               []string
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
	switch r.URL.Query().Get("done") {
	case "updated":
		p.Notice = "The note was changed."
	case "deleted":
		p.Notice = "The note was deleted."
	}
	if p.Editing = values["edit_id"]; p.Editing == "" && r.Method == http.MethodGet {
		p.Editing = clip(r.URL.Query().Get("edit"), 64)
	}
	if len(errs) > 0 && p.Error == "" {
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
		row := noteRow{ID: n.ID, Date: usDate(n.NoteDate), Author: n.AuthorName, Organization: n.OrganizationName,
			Program: n.ProjectName, Written: datetime(n.DateCreated), Restricted: n.RestrictedToOrg != "",
			Version: n.DateUpdated.UTC().Format(time.RFC3339Nano), CanChange: store.MayChangeCaseNote(ctx, n)}
		if n.DateUpdated.After(n.DateCreated) {
			row.Edited = datetime(n.DateUpdated)
		}
		if row.CanChange && r.Method == http.MethodGet && r.URL.Query().Get("delete") == n.ID {
			row.Deleting = true
		}
		if row.CanChange && p.Editing == n.ID {
			row.Editing = true
			if values["edit_id"] != n.ID { // opening the form: the note as saved
				p.Values["edit_text"] = n.Text
				p.Values["edit_date"] = usDate(n.NoteDate)
				if row.Restricted {
					p.Values["edit_restricted"] = "1"
				}
			}
		}
		for _, para := range strings.Split(strings.ReplaceAll(n.Text, "\r\n", "\n"), "\n\n") {
			if para = strings.TrimSpace(para); para != "" {
				row.Paragraphs = append(row.Paragraphs, para)
			}
		}
		p.Notes = append(p.Notes, row)
	}
	if p.CanAdd || level >= access.Intake {
		enrolls, err := st.FindClientEnrollments(ctx, c.PersonalID)
		if err != nil {
			return err
		}
		for _, e := range enrolls {
			if !p.CanAdd || p.EnrollmentRequired {
				if lv, err := st.EnrollmentAccess(ctx, c.PersonalID, e.EnrollmentID); err != nil {
					return err
				} else if lv < access.Editable {
					continue
				}
				p.EnrollmentRequired = true
			}
			name := e.ProjectName
			if name == "" {
				name = "Program " + e.ProjectID
			}
			p.Enrollments = append(p.Enrollments, option{e.EnrollmentID, name + ", entered " + usDate(e.EntryDate)})
		}
		p.CanAdd = p.CanAdd || p.EnrollmentRequired
	}
	if p.Shell, err = s.shell(r, rq, "clients", rq.base()+"/"+notesMenuPath, "Case Notes: "+p.Name); err != nil {
		return err
	}
	return s.render(w, r, status, "client_notes", &p)
}

// addClientNote saves a note, or shows the form again as typed; the same
// form action edits or deletes one (op=update|delete).
func (s *Server) addClientNote(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := findVisibleClient(r, rq, r.PathValue("personalID"))
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	switch r.PostFormValue("op") {
	case "update", "delete":
		return s.changeClientNote(w, r, rq, c)
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

// changeClientNote edits (op=update) or deletes (op=delete) a note. Only
// its author or an administrator may (the store decides); a note changed
// by someone else since the form was opened is not overwritten: the form
// comes back with what was typed and says so.
func (s *Server) changeClientNote(w http.ResponseWriter, r *http.Request, rq *request, c store.ClientDetail) error {
	id := clip(strings.TrimSpace(r.PostFormValue("note_id")), 64)
	version, _ := time.Parse(time.RFC3339Nano, r.PostFormValue("version"))
	if version.IsZero() {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read: open the note again."}
	}
	st := rq.Site.Store
	if r.PostFormValue("op") == "delete" {
		err := st.DeleteCaseNote(r.Context(), c.PersonalID, id, version)
		var e *hmis.Error
		switch {
		case err == nil:
			http.Redirect(w, r, clientHref(rq, c.PersonalID)+"/notes?done=deleted", http.StatusSeeOther)
			return nil
		case errors.As(err, &e) && e.Code == hmis.ENOTFOUND:
			return errPageNotFound
		default:
			return err
		}
	}
	values := map[string]string{
		"edit_id":   id,
		"edit_text": clip(r.PostFormValue("edit_text"), store.MaxCaseNoteChars+100),
		"edit_date": clip(strings.TrimSpace(r.PostFormValue("edit_date")), 40),
	}
	if r.PostFormValue("edit_restricted") != "" {
		values["edit_restricted"] = "1"
	}
	errs := map[string]string{}
	ch := store.CaseNoteChange{Text: values["edit_text"], Restricted: values["edit_restricted"] != "", Version: version}
	if values["edit_date"] != "" {
		d, ok := parseClientDate(values["edit_date"])
		if !ok {
			errs["edit_date"] = "Enter a real date as MM/DD/YYYY."
		}
		ch.NoteDate = d
	}
	if len(errs) == 0 {
		_, err := st.UpdateCaseNote(r.Context(), c.PersonalID, id, ch)
		var e *hmis.Error
		switch {
		case err == nil:
			http.Redirect(w, r, clientHref(rq, c.PersonalID)+"/notes?done=updated", http.StatusSeeOther)
			return nil
		case errors.As(err, &e) && e.Code == hmis.EINVALID && len(e.Fields) > 0:
			for k, v := range e.Fields {
				errs["edit_"+strings.TrimPrefix(strings.TrimPrefix(k, "note_"), "edit_")] = v
			}
		case errors.As(err, &e) && e.Code == hmis.ECONFLICT:
			errs["edit_text"] = e.Message
		case errors.As(err, &e) && e.Code == hmis.ENOTFOUND:
			return errPageNotFound
		default:
			return err
		}
	}
	status := http.StatusUnprocessableEntity
	if _, conflict := errs["edit_text"]; conflict && len(errs) == 1 && strings.HasPrefix(errs["edit_text"], "Someone changed") {
		status = http.StatusConflict
	}
	return s.renderClientNotes(w, r, rq, status, c, values, errs)
}
