package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Per-field PII on the client pages (issue 6 items 4 and 7):
//
//   - Date of birth: a user without the DOB permission sees the year of
//     birth and the age instead of the date (piiMaskDOB), on every page
//     and download that shows a DOB.
//   - Photo: shown on the dashboard to users with the photo permission
//     (served by GET /{site}/clients/{id}/photo, never cached, nosniff,
//     each view audited), a placeholder otherwise; uploaded or removed on
//     the dashboard by users who may change the client.
//   - Sensitive client fields: "Hidden (sensitive)" on the dashboard; a
//     user holding the permission posts "Show the sensitive fields" (to
//     /{site}/clients/{id}/sensitive), audited before the values show.

// piiPhotoView is the dashboard's photo panel.
type piiPhotoView struct {
	Src          string // the photo's address; "" shows the placeholder
	Has          bool   // a photo is stored
	Permitted    bool   // the user holds the photo permission
	UploadAction string // the upload/remove form; "" when the user may not change the client
	Error        string // a refused upload
	MaxMB        int
}

// piiGrants returns the acting user's PII permissions for this request
// (read once per request).
func piiGrants(r *http.Request, rq *request) (store.PIIGrants, error) {
	if rq.pii != nil {
		return rq.pii, nil
	}
	g, err := rq.Site.Store.MyPIIGrants(r.Context())
	if err != nil {
		return nil, err
	}
	rq.pii = g
	return g, nil
}

// piiDOB is a date of birth as this request's user may see it (see
// piiMaskDOB). When the permissions cannot be read, the masked form.
func piiDOB(r *http.Request, rq *request, dob hmis.Date) string {
	g, _ := piiGrants(r, rq)
	return piiMaskDOB(g, dob)
}

// piiAgeDetail is ageDetail as this request's user may see it: "born
// 01/02/1980, age 44", or "born 1980, age 44" without the DOB permission.
func piiAgeDetail(r *http.Request, rq *request, dob hmis.Date) string {
	if dob.IsZero() {
		return ageDetail(dob)
	}
	return "born " + piiDOB(r, rq, dob) + ", age " + age(dob, hmis.DateOf(time.Now()))
}

// piiMaskDOB is a date of birth as a user sees it: the date (MM/DD/YYYY)
// with the DOB permission; without it the year of birth only ("1980"),
// which the age shown next to it gives away within a year anyway. ""
// when none is recorded.
func piiMaskDOB(g store.PIIGrants, dob hmis.Date) string {
	switch {
	case dob.IsZero():
		return ""
	case g[access.PIIDOB]:
		return usDate(dob)
	}
	return dob.Format("2006")
}

// piiDashboard fills the dashboard's PII parts: the DOB as the user may
// see it, the photo panel, and the sensitive fields' reveal button.
func piiDashboard(r *http.Request, rq *request, p *clientDashboard, hiddenFields bool) error {
	g, err := piiGrants(r, rq)
	if err != nil {
		return err
	}
	id := p.Client.PersonalID
	p.DOB = piiMaskDOB(g, p.Client.DOB)
	if !g[access.PIIDOB] {
		for i := range p.Members {
			p.Members[i].DOB = piiMaskDOB(g, p.Members[i].HouseholdMember.DOB)
		}
		for i, f := range p.Facts {
			if f.Label != "Date of birth" || p.Client.DOB.IsZero() {
				continue
			}
			p.Facts[i].Value = piiMaskDOB(g, p.Client.DOB) + " (year of birth only)"
			if dq := p.Client.DOBDataQuality; dq != nil {
				p.Facts[i].Value += " (" + dq.Label() + ")"
			}
		}
	}
	if hiddenFields && g[access.PIISensitive] {
		p.SensitiveRevealAction = clientHref(rq, id) + "/sensitive"
	}
	uploadErr, _ := r.Context().Value(piiPhotoErrKey{}).(string)
	return piiFillPhoto(r, rq, g, &p.Photo, id, uploadErr)
}

// piiPhotoErrKey carries a refused upload's message to the dashboard
// shown again.
type piiPhotoErrKey struct{}

// piiStatusWriter turns the dashboard's 200 into the refusal's status.
type piiStatusWriter struct {
	http.ResponseWriter
	status int
}

func (w piiStatusWriter) WriteHeader(code int) {
	if code == http.StatusOK {
		code = w.status
	}
	w.ResponseWriter.WriteHeader(code)
}

func piiFillPhoto(r *http.Request, rq *request, g store.PIIGrants, v *piiPhotoView, id, uploadErr string) error {
	st := rq.Site.Store
	has, err := st.HasClientPhoto(r.Context(), id)
	if err != nil {
		return err
	}
	level, err := st.ClientAccess(r.Context(), id)
	if err != nil {
		return err
	}
	*v = piiPhotoView{Has: has, Permitted: g[access.PIIPhoto], Error: uploadErr, MaxMB: store.MaxClientPhotoBytes >> 20}
	if has && v.Permitted {
		v.Src = clientHref(rq, id) + "/photo"
	}
	if level >= access.Editable {
		v.UploadAction = clientHref(rq, id) + "/photo"
	}
	return nil
}

// piiPhoto serves a client's photo to a user who sees the client and
// holds the photo permission (audited by the store); "not found"
// otherwise, as for a client without a photo.
func (s *Server) piiPhoto(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := findVisibleClient(r, rq, r.PathValue("personalID"))
	if err != nil {
		return err
	}
	p, err := rq.Site.Store.ClientPhoto(r.Context(), c.PersonalID)
	switch {
	case hmis.ErrorCode(err) == hmis.ENOTFOUND, hmis.ErrorCode(err) == hmis.EFORBIDDEN:
		return errPageNotFound
	case err != nil:
		return err
	}
	h := w.Header()
	h.Set("Content-Type", p.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(p.Data)))
	h.Set("Content-Disposition", "inline")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write(p.Data)
	return err
}

// piiPhotoPost uploads (op=upload, multipart field "photo") or removes
// (op=remove) a client's photo. A refused upload shows the dashboard
// again with the message on the photo field.
func (s *Server) piiPhotoPost(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := findVisibleClient(r, rq, r.PathValue("personalID"))
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, store.MaxClientPhotoBytes+64<<10)
	// A refused upload: the dashboard again, the message on the photo field.
	refuse := func(msg string) error {
		ctx := context.WithValue(r.Context(), piiPhotoErrKey{}, "The photo was not saved: "+msg)
		return s.showClient(piiStatusWriter{w, http.StatusUnprocessableEntity}, r.WithContext(ctx), rq, c.PersonalID)
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if isTooLarge(err) {
			return refuse(fmt.Sprintf("a photo may be at most %d MB.", store.MaxClientPhotoBytes>>20))
		}
		if err := r.ParseForm(); err != nil {
			return refuse("the form could not be read.")
		}
	}
	st := rq.Site.Store
	switch r.PostFormValue("op") {
	case "remove":
		err = st.DeleteClientPhoto(r.Context(), c.PersonalID)
	case "upload":
		f, _, ferr := r.FormFile("photo")
		if ferr != nil {
			err = st.SetClientPhoto(r.Context(), c.PersonalID, nil)
			break
		}
		raw, rerr := io.ReadAll(io.LimitReader(f, store.MaxClientPhotoBytes+1))
		f.Close()
		if rerr != nil {
			return refuse("the file could not be read.")
		}
		err = st.SetClientPhoto(r.Context(), c.PersonalID, raw)
	default:
		return refuse("the form could not be read.")
	}
	var e *hmis.Error
	switch {
	case err == nil:
		http.Redirect(w, r, clientHref(rq, c.PersonalID)+"#photo-heading", http.StatusSeeOther)
		return nil
	case hmis.ErrorCode(err) == hmis.ENOTFOUND:
		return errNoClient
	case errors.As(err, &e) && e.Fields["photo"] != "":
		msg := e.Fields["photo"]
		return refuse(strings.ToLower(msg[:1]) + msg[1:])
	}
	return err
}

type piiSensitivePage struct {
	Shell
	Name, DashboardHref string
	Fields              []fact
}

// piiRevealSensitive shows a client's sensitive fields to a user holding
// the permission; the store audits it first.
func (s *Server) piiRevealSensitive(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := findVisibleClient(r, rq, r.PathValue("personalID"))
	if err != nil {
		return err
	}
	st := rq.Site.Store
	values, err := st.RevealSensitiveFields(r.Context(), c.PersonalID)
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		return errNoClient
	} else if err != nil {
		return err
	}
	defs, err := st.ClientFieldDefs(r.Context(), true)
	if err != nil {
		return err
	}
	p := piiSensitivePage{Name: clientDisplayName(&c.Client), DashboardHref: clientHref(rq, c.PersonalID)}
	for _, d := range defs {
		if v, ok := values[d.ID]; ok && d.Sensitive {
			switch {
			case d.Kind == store.FieldYesNo && v == "yes":
				v = "Yes"
			case d.Kind == store.FieldYesNo && v == "no":
				v = "No"
			}
			p.Fields = append(p.Fields, fact{Label: d.Label, Value: v})
		}
	}
	if p.Shell, err = s.shell(r, rq, "clients", rq.base()+"/"+dashboardPath, "Sensitive fields: "+p.Name); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "client_sensitive", &p)
}

// piiFormDOB is the edit form's date of birth for a user without the DOB
// permission: "xx/xx/1980".
func piiFormDOB(dob hmis.Date) string { return "xx/xx/" + dob.Format("2006") }

// piiMaskFormDOB shows the edit form's stored date of birth as
// piiFormDOB to a user without the DOB permission (a date they typed
// stays as typed).
func piiMaskFormDOB(r *http.Request, rq *request, dob hmis.Date, values map[string]string) {
	if dob.IsZero() || values["dob"] != usDate(dob) {
		return
	}
	if g, err := piiGrants(r, rq); err != nil || !g[access.PIIDOB] {
		values["dob"] = piiFormDOB(dob)
	}
}

// piiKeepMaskedDOB puts the stored date of birth back into an edit form
// that sent the masked one unchanged (the user did not type a new date).
func piiKeepMaskedDOB(r *http.Request, rq *request, dob hmis.Date) {
	if err := r.ParseForm(); err != nil || dob.IsZero() {
		return
	}
	if v := r.PostForm.Get("dob"); v != "" && v == piiFormDOB(dob) {
		r.PostForm.Set("dob", usDate(dob))
	}
}
