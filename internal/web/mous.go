package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// MOU Agreements (issue 6 item 3), administrators only: agreements
// between organizations that an information release can name instead of
// listing organizations. One-way: releases of the first organization's
// clients share with the second; two-way: both directions. Defining one
// goes through store.AddMOU (administrators only, audited).

const mousPath = "clients/mous"

type mousPage struct {
	Shell
	Added  bool
	Error  string
	MOUs   []mouRow
	From   selectField
	To     selectField
	Values map[string]string
	Errors map[string]string
}

type mouRow struct {
	Name, Direction string
	Grants          []string
}

func (s *Server) mous(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderMOUs(w, r, rq, http.StatusOK, map[string]string{"direction": "two-way"}, nil, "")
}

func (s *Server) renderMOUs(w http.ResponseWriter, r *http.Request, rq *request, status int, values, errs map[string]string, msg string) error {
	p := mousPage{Added: r.Method == http.MethodGet && r.URL.Query().Get("added") != "", Error: msg, Values: values, Errors: errs}
	if p.Errors == nil {
		p.Errors = map[string]string{}
	}
	for _, k := range []string{"name", "from", "to", "direction"} {
		values[k] += "" // every field the template reads is in the map
	}
	names, err := organizationNames(r, rq)
	if err != nil {
		return err
	}
	var orgs []option
	for _, id := range sortedKeys(names) {
		orgs = append(orgs, option{id, nameOr(names[id], id) + " (" + id + ")"})
	}
	slices.SortFunc(orgs, func(a, b option) int { return strings.Compare(a.Label, b.Label) })
	p.From = selectField{Name: "from", Label: "First organization (its clients’ releases share)", Error: p.Errors["from"], Value: values["from"], Options: orgs}
	p.To = selectField{Name: "to", Label: "Second organization (it sees what the releases share)", Error: p.Errors["to"], Value: values["to"], Options: orgs}
	ms, err := rq.Site.Store.ListMOUs(r.Context())
	if err != nil {
		return err
	}
	for _, m := range ms {
		row := mouRow{Name: m.Name, Direction: "One-way"}
		if m.TwoWay() {
			row.Direction = "Two-way"
		}
		for _, g := range m.Grants {
			row.Grants = append(row.Grants, "Releases of "+nameOr(names[g.From], g.From)+"’s clients may share with "+nameOr(names[g.To], g.To))
		}
		p.MOUs = append(p.MOUs, row)
	}
	if p.Shell, err = s.shell(r, rq, "clients", rq.base()+"/"+mousPath, "MOU Agreements"); err != nil {
		return err
	}
	return s.render(w, r, status, "mous", &p)
}

func (s *Server) addMOU(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	values := map[string]string{
		"name":      clip(strings.TrimSpace(r.PostFormValue("name")), 220),
		"from":      clip(r.PostFormValue("from"), 64),
		"to":        clip(r.PostFormValue("to"), 64),
		"direction": clip(r.PostFormValue("direction"), 20),
	}
	errs := map[string]string{}
	switch {
	case values["name"] == "":
		errs["name"] = "Enter the agreement's name."
	case len(values["name"]) > 200:
		errs["name"] = "The name may be at most 200 characters."
	}
	if values["from"] == "" {
		errs["from"] = "Choose the first organization."
	}
	switch {
	case values["to"] == "":
		errs["to"] = "Choose the second organization."
	case values["to"] == values["from"]:
		errs["to"] = "Choose an organization other than the first."
	}
	grants := []store.MOUGrant{{From: values["from"], To: values["to"]}}
	switch values["direction"] {
	case "two-way":
		grants = append(grants, store.MOUGrant{From: values["to"], To: values["from"]})
	case "one-way":
	default:
		errs["direction"] = "Choose one-way or two-way."
	}
	if len(errs) == 0 {
		_, err := rq.Site.Store.AddMOU(r.Context(), values["name"], grants)
		switch {
		case err == nil:
			http.Redirect(w, r, rq.base()+"/"+mousPath+"?added=1", http.StatusSeeOther)
			return nil
		case hmis.ErrorCode(err) == hmis.EINVALID:
			return s.renderMOUs(w, r, rq, http.StatusUnprocessableEntity, values, errs, "The agreement was not saved: "+hmis.ErrorMessage(err))
		default:
			return err
		}
	}
	return s.renderMOUs(w, r, rq, http.StatusUnprocessableEntity, values, errs, "The agreement was not saved: correct the fields marked below.")
}
