package web

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Client Fields (issue 4 item 3), Clients tab, administrators only: the
// HMIS's own client fields beyond HUD's (limited English, marital status,
// education, ...), shown in the client's information panel and edited on
// Edit Client Information. Fields are added, relabelled, reordered and
// made inactive, never deleted (store/client_fields.go).

const clientFieldsPath = "clients/fields"

type clientFieldsPage struct {
	Shell
	FieldKinds []option
	Fields     []fieldRow
	New        fieldRow // the add form, as typed after a refusal
	Saved      bool
}

type fieldRow struct {
	ID, Label, Kind, KindLabel, Choices, Position string
	Active                                        bool
	Sensitive                                     bool // sealed at rest, masked unless revealed (issue 6 item 7)
	Errors                                        map[string]string
}

var fieldKinds = []option{{store.FieldText, "Text"}, {store.FieldYesNo, "Yes / no"}, {store.FieldChoice, "List of choices"}}

func kindLabel(k string) string {
	for _, o := range fieldKinds {
		if o.Value == k {
			return o.Label
		}
	}
	return k
}

func (s *Server) clientFields(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderClientFields(w, r, rq, http.StatusOK, "", nil, fieldRow{Active: true})
}

func (s *Server) renderClientFields(w http.ResponseWriter, r *http.Request, rq *request, status int, failed string,
	typed *fieldRow, add fieldRow) error {
	defs, err := rq.Site.Store.ClientFieldDefs(r.Context(), true)
	if err != nil {
		return err
	}
	p := clientFieldsPage{New: add, Saved: r.URL.Query().Get("saved") != "", FieldKinds: fieldKinds}
	for _, d := range defs {
		row := fieldRow{ID: d.ID, Label: d.Label, Kind: d.Kind, KindLabel: kindLabel(d.Kind), Choices: strings.Join(d.Choices, "\n"),
			Position: strconv.Itoa(d.Position), Active: d.Active, Sensitive: d.Sensitive}
		if typed != nil && d.ID == failed {
			row = *typed
			row.Kind, row.KindLabel = d.Kind, kindLabel(d.Kind)
		}
		p.Fields = append(p.Fields, row)
	}
	if p.Shell, err = s.shell(r, rq, "clients", rq.base()+"/"+clientFieldsPath, "Client Fields"); err != nil {
		return err
	}
	return s.render(w, r, status, "client_fields", &p)
}

var nonIDChars = regexp.MustCompile(`[^a-z0-9]+`)

// fieldID makes a new field's ID from its label ("Pets allowed?" -> pets_allowed).
func fieldID(label string) string {
	id := strings.Trim(nonIDChars.ReplaceAllString(strings.ToLower(label), "_"), "_")
	if id == "" || id[0] < 'a' || id[0] > 'z' {
		id = "field_" + id
	}
	return strings.TrimRight(clip(id, 40), "_")
}

// saveClientField adds a field (no id) or changes one.
func (s *Server) saveClientField(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	row := fieldRow{ID: clip(strings.TrimSpace(r.PostFormValue("id")), 64), Label: clip(r.PostFormValue("label"), 200),
		Kind: clip(r.PostFormValue("kind"), 20), Choices: clip(r.PostFormValue("choices"), 5000),
		Position: clip(strings.TrimSpace(r.PostFormValue("position")), 6), Active: r.PostFormValue("active") != "",
		Sensitive: r.PostFormValue("sensitive") != ""}
	adding := row.ID == ""
	d := store.ClientFieldDef{ID: row.ID, Label: row.Label, Kind: row.Kind, Active: row.Active, Sensitive: row.Sensitive,
		Choices: strings.Split(strings.ReplaceAll(row.Choices, "\r\n", "\n"), "\n")}
	if adding {
		d.ID, d.Active = fieldID(row.Label), true
		row.Active = true
	}
	errs := map[string]string{}
	if row.Position != "" {
		n, err := strconv.Atoi(row.Position)
		if err != nil || n < 0 || n > 9999 {
			errs["position"] = "A position is a whole number from 0 to 9999."
		}
		d.Position = n
	} else if adding {
		defs, err := rq.Site.Store.ClientFieldDefs(r.Context(), true)
		if err != nil {
			return err
		}
		for _, x := range defs {
			d.Position = max(d.Position, x.Position+1)
		}
	}
	if len(errs) == 0 {
		if adding {
			if defs, err := rq.Site.Store.ClientFieldDefs(r.Context(), true); err != nil {
				return err
			} else {
				for _, x := range defs {
					if x.ID == d.ID {
						errs["label"] = "A field with this name exists already."
					}
				}
			}
		}
	}
	if len(errs) == 0 {
		err := rq.Site.Store.SaveClientFieldDef(r.Context(), d)
		var e *hmis.Error
		switch {
		case err == nil:
			http.Redirect(w, r, rq.base()+"/"+clientFieldsPath+"?saved=1", http.StatusSeeOther)
			return nil
		case errors.As(err, &e) && e.Code == hmis.EINVALID && len(e.Fields) > 0:
			errs = e.Fields
			if msg, ok := errs["id"]; ok && adding {
				delete(errs, "id")
				errs["label"] = "Start the name with a letter. (" + msg + ")"
			}
		default:
			return err
		}
	}
	row.Errors = errs
	if adding {
		return s.renderClientFields(w, r, rq, http.StatusUnprocessableEntity, "", nil, row)
	}
	return s.renderClientFields(w, r, rq, http.StatusUnprocessableEntity, row.ID, &row, fieldRow{Active: true})
}
