package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Editing a recorded service (Clients → Services → Change): the service
// (another of the program's catalog), date, end date, units, amount,
// provider and note. The store checks them as when recording and keeps
// the HUD Services record in line (store/services_edit.go). The form
// carries the service's version and the values as opened: a service
// changed by someone else meanwhile is refused (409) and the page shows
// what changed, keeping what was typed.

// svcEdit is the edit form of one service.
type svcEdit struct {
	ID, Version, Heading, CancelHref string
	Form                             *recordForm
	Orig                             []option // the values as opened (hidden orig_* fields)
	Conflict                         []fact   // what someone else changed since
}

// svcEditFields are the edited values, in form order, with their labels.
var svcEditFields = []struct{ Name, Label string }{
	{"catalog_id", "Service"}, {"date_provided", "Date provided"}, {"end_date", "End date"}, {"units", "Units"},
	{"amount", "$ Total"}, {"provider_org", "Provider organization"}, {"note", "Note"},
}

// svcEditValues are a service's values as the edit form shows them.
func svcEditValues(v store.ServiceRow) map[string]string {
	m := map[string]string{"catalog_id": v.CatalogID, "date_provided": usDate(v.DateProvided), "end_date": usDate(v.EndDate),
		"units": "", "amount": moneyStr(v.Amount), "provider_org": v.ProviderOrg, "note": v.Note}
	if v.Units > 0 {
		m["units"] = strconv.Itoa(v.Units)
	}
	return m
}

// svcEditForm is the edit form of service v: the services of its
// enrollment's program catalog, and the fields of the record form.
func (s *Server) svcEditForm(ctx context.Context, st *store.Store, personalID string, v store.ServiceRow) (*recordForm, error) {
	f := newRecordForm()
	enrolls, err := st.FindClientEnrollments(ctx, personalID)
	if err != nil {
		return nil, err
	}
	var opts []option
	for _, e := range enrolls {
		if e.EnrollmentID != v.EnrollmentID {
			continue
		}
		cat, err := st.ProgramCatalog(ctx, e.ProjectID)
		if err != nil {
			return nil, err
		}
		for _, k := range cat {
			name := k.Name
			if k.HUD() {
				name += " (HUD: " + catalogHUDLabel(k) + ")"
			}
			opts = append(opts, option{k.ID, name})
		}
	}
	f.sel("edit_catalog_id", "Service", opts)
	f.date("edit_date_provided", "Date provided")
	f.date("edit_end_date", "End date (optional, for a service over several days)")
	f.text("edit_units", "Units", "Empty: the service's default units.")
	f.text("edit_amount", "$ Total", "Empty: no amount.")
	orgOpts, err := serviceProviderOptions(ctx, st)
	if err != nil {
		return nil, err
	}
	f.sel("edit_provider_org", "Provider organization", orgOpts)
	f.text("edit_note", "Note (optional)", "")
	return f, nil
}

// svcEditSection is the edit form to show: edit as posted, or the one
// ?edit=ID opens (a recorded service the user may change).
func (s *Server) svcEditSection(r *http.Request, rq *request, personalID string, canChange bool, action string, rows []store.ServiceRow, edit *svcEdit) (*svcEdit, error) {
	if edit != nil {
		edit.Form.fill()
		return edit, nil
	}
	id := r.URL.Query().Get("edit")
	if !canChange || r.Method != http.MethodGet || id == "" {
		return nil, nil
	}
	for _, v := range rows {
		if v.ID != id || v.Version.IsZero() {
			continue
		}
		f, err := s.svcEditForm(r.Context(), rq.Site.Store, personalID, v)
		if err != nil {
			return nil, err
		}
		values := svcEditValues(v)
		e := &svcEdit{ID: v.ID, Version: v.Version.UTC().Format(time.RFC3339Nano), Form: f, CancelHref: action,
			Heading: v.Name + " of " + usDate(v.DateProvided)}
		for _, fl := range svcEditFields {
			f.Values["edit_"+fl.Name] = values[fl.Name]
			e.Orig = append(e.Orig, option{"orig_" + fl.Name, values[fl.Name]})
		}
		f.fill()
		return e, nil
	}
	return nil, nil
}

// svcUpdate saves an edited service (op=update).
func (s *Server) svcUpdate(w http.ResponseWriter, r *http.Request, rq *request, c store.ClientDetail) error {
	ctx := r.Context()
	st := rq.Site.Store
	id := clip(r.PostFormValue("edit_id"), 64)
	version, _ := time.Parse(time.RFC3339Nano, r.PostFormValue("version"))
	if version.IsZero() {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read: open the service again."}
	}
	rows, err := st.FindClientServiceRows(ctx, c.PersonalID)
	if err != nil {
		return err
	}
	var cur *store.ServiceRow
	for i := range rows {
		if rows[i].ID == id && !rows[i].Version.IsZero() {
			cur = &rows[i]
		}
	}
	if cur == nil {
		return errPageNotFound
	}
	f, err := s.svcEditForm(ctx, st, c.PersonalID, *cur)
	if err != nil {
		return err
	}
	if err := f.read(r); err != nil {
		return err
	}
	e := &svcEdit{ID: id, Version: r.PostFormValue("version"), Form: f, CancelHref: clientHref(rq, c.PersonalID) + "/services",
		Heading: cur.Name + " of " + usDate(cur.DateProvided)}
	for _, fl := range svcEditFields {
		e.Orig = append(e.Orig, option{"orig_" + fl.Name, clip(r.PostFormValue("orig_"+fl.Name), 600)})
	}
	ch := store.ServiceChange{CatalogID: f.Values["edit_catalog_id"], DateProvided: f.dateVal("edit_date_provided"),
		EndDate: f.dateVal("edit_end_date"), Amount: f.money("edit_amount"), ProviderOrg: f.Values["edit_provider_org"],
		Note: f.Values["edit_note"], Version: version}
	if f.Values["edit_date_provided"] == "" {
		f.Errors["edit_date_provided"] = "Enter the date the service was provided."
	}
	if u := f.intVal("edit_units"); u != nil {
		if *u < 1 {
			f.Errors["edit_units"] = "Units are a whole number from 1."
		}
		ch.Units = *u
	}
	status := http.StatusUnprocessableEntity
	if len(f.Errors) == 0 {
		err := st.UpdateService(ctx, c.PersonalID, id, ch)
		var he *hmis.Error
		switch {
		case err == nil:
			http.Redirect(w, r, clientHref(rq, c.PersonalID)+"/services?changed=1", http.StatusSeeOther)
			return nil
		case errors.As(err, &he) && he.Code == hmis.EINVALID:
			for k, v := range he.Fields {
				f.Errors["edit_"+strings.TrimPrefix(k, "edit_")] = v
			}
			if len(he.Fields) == 0 {
				f.Errors["_"] = he.Message
			}
		case errors.As(err, &he) && he.Code == hmis.ECONFLICT:
			// Show what changed since the form was opened; the form now
			// carries the current version, so saving again is a choice
			// made knowing the other change.
			status = http.StatusConflict
			now := svcEditValues(*cur)
			labels := map[string]string{}
			for _, o := range f.Fields {
				for _, opt := range o.Options {
					labels[o.Name+"|"+opt.Value] = opt.Label
				}
			}
			show := func(name, v string) string {
				if l, ok := labels["edit_"+name+"|"+v]; ok {
					return l
				}
				if v == "" {
					return "(empty)"
				}
				return v
			}
			e.Orig = nil
			for _, fl := range svcEditFields {
				was := clip(r.PostFormValue("orig_"+fl.Name), 600)
				if was != now[fl.Name] {
					e.Conflict = append(e.Conflict, fact{fl.Label, show(fl.Name, was) + " → " + show(fl.Name, now[fl.Name])})
				}
				e.Orig = append(e.Orig, option{"orig_" + fl.Name, now[fl.Name]})
			}
			e.Version = cur.Version.UTC().Format(time.RFC3339Nano)
		case errors.As(err, &he) && he.Code == hmis.ENOTFOUND:
			return errPageNotFound
		default:
			return err
		}
	}
	add, err := s.serviceForm(r, rq, c.PersonalID)
	if err != nil {
		return err
	}
	add.Values["date_provided"] = usDate(hmis.DateOf(time.Now()))
	if rq.Account != nil {
		add.Values["provider_org"] = rq.Account.OrganizationID
	}
	return s.renderClientServicesEdit(w, r, rq, status, c, add, e)
}
