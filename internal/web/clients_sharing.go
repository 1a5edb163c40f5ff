package web

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Sharing (issue 6 items 2 and 3): a client's restriction and information
// releases, reached from the Client Dashboard. The page shows the
// restriction with a form to change it, the releases with their status
// on today's date, a form to record a release (with the client's
// signature drawn on a pad, static/signature.js, or a witnessed verbal
// consent) and a one-click revoke with a reason. Everything goes through
// the store's sharing functions (store/releases.go), which decide who may
// change what and audit each change on the client; the page view and
// each signature image shown are audited here as reads of the client.
// A client the user may not see is "not found", like everywhere else.

// maxSharingForm bounds a sharing form: a signature PNG of at most
// store.MaxSignatureBytes, base64-encoded, and the other fields.
const maxSharingForm = store.MaxSignatureBytes*4/3 + 64<<10

// sigPrefix starts the signature pad's value (canvas.toDataURL).
const sigPrefix = "data:image/png;base64,"

type sharingPage struct {
	Shell
	Name          string
	DashboardHref string
	Action        string
	Restriction   string // the stored restriction
	Label         string // its label
	Restrictions  []option
	CanManage     bool
	Notice        string
	Error         string
	Releases      []releaseRow
	Orgs          []checkOption
	MOUs          []checkOption
	Values        map[string]string
	Errors        map[string]string
	AdminMOUHref  string // administrators: where MOU agreements are defined
}

// checkOption is one checkbox of a list.
type checkOption struct {
	Value, Label string
	Checked      bool
}

type releaseRow struct {
	ID, Number, Status, StatusClass  string
	Begin, End, Coverage, SharesWith string
	Consent, SignatureHref, Recorded string
	Revoked                          string // "revoked on DATE: reason"
	CanRevoke                        bool
	RevokeError, RevokeReason        string
}

// sharingStatusClass colours a release's status tag.
var sharingStatusClass = map[string]string{
	access.StatusActive:  "hearth-tag-open",
	access.StatusPending: "hearth-tag-pending",
	access.StatusExpired: "hearth-tag-ended",
	access.StatusRevoked: "hearth-tag-ended",
}

func (s *Server) clientSharingPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := findVisibleClient(r, rq, r.PathValue("personalID"))
	if err != nil {
		return err
	}
	if err := rq.Site.Store.Audit(r.Context(), "read", "client", c.PersonalID, "sharing"); err != nil {
		return err
	}
	notice := map[string]string{
		"restriction": "The restriction was changed.",
		"release":     "The release was recorded.",
		"revoked":     "The release was revoked: it no longer shares the record.",
	}[r.URL.Query().Get("saved")]
	return s.renderSharing(w, r, rq, http.StatusOK, c, sharingForm{notice: notice})
}

// sharingForm is what a failed post gives back to the page.
type sharingForm struct {
	notice        string
	err           string
	values        map[string]string
	errs          map[string]string
	chosen        []string // "org:ID" and "mou:ID" ticked
	revokeID      string   // the release whose revoke failed
	revokeErr     string
	revokeReason  string
	restrictValue string
}

func (s *Server) renderSharing(w http.ResponseWriter, r *http.Request, rq *request, status int, c store.ClientDetail, f sharingForm) error {
	ctx := r.Context()
	st := rq.Site.Store
	actor, _ := hmis.ActorFrom(ctx)
	name := clientDisplayName(&c.Client)
	p := sharingPage{Name: name, DashboardHref: clientHref(rq, c.PersonalID), Action: clientHref(rq, c.PersonalID) + "/sharing",
		Restriction: c.Restriction, Label: access.Restriction(c.Restriction).Label(),
		CanManage: access.MayManageSharing(actor, c.OrganizationID), Notice: f.notice, Error: f.err,
		Values: f.values, Errors: f.errs}
	if p.Values == nil {
		p.Values = map[string]string{}
	}
	for _, k := range []string{"number", "begin", "end", "coverage", "consent", "witness", "signature"} {
		p.Values[k] += "" // every field the template reads is in the map
	}
	if p.Errors == nil {
		p.Errors = map[string]string{}
	}
	if isAdmin(rq) {
		p.AdminMOUHref = rq.base() + "/" + mousPath
	}
	chosenRestriction := c.Restriction
	if f.restrictValue != "" {
		chosenRestriction = f.restrictValue
	}
	for _, rs := range []access.Restriction{access.RestrictOrganization, access.ShareByRelease, access.ShareGlobally} {
		p.Restrictions = append(p.Restrictions, option{string(rs), rs.Label()})
	}
	p.Values["restriction"] = chosenRestriction
	if p.Values["coverage"] == "" {
		p.Values["coverage"] = string(access.CoverRecord)
	}
	if p.Values["consent"] == "" {
		p.Values["consent"] = "signature"
	}
	if p.Values["begin"] == "" && p.Values["end"] == "" && len(f.errs) == 0 {
		today := hmis.DateOf(time.Now())
		p.Values["begin"] = usDate(today)
		p.Values["end"] = usDate(today.AddDays(364))
	}

	orgNames, err := organizationNames(r, rq)
	if err != nil {
		return err
	}
	mous, err := st.ListMOUs(ctx)
	if err != nil {
		return err
	}
	mouNames := map[string]string{}
	for _, m := range mous {
		mouNames[m.ID] = m.Name
	}
	rels, err := st.ClientReleases(ctx, c.PersonalID)
	if err != nil {
		if hmis.ErrorCode(err) == hmis.ENOTFOUND {
			return errNoClient
		}
		return err
	}
	today := hmis.DateOf(st.Now())
	for i := len(rels) - 1; i >= 0; i-- { // newest first
		rel := rels[i]
		row := releaseRow{ID: rel.ID, Number: rel.Number, Status: rel.Status(today), Begin: usDate(rel.Begin), End: usDate(rel.End),
			Coverage: coverageLabel(rel.Coverage), Recorded: datetime(rel.CreatedAt)}
		row.StatusClass = sharingStatusClass[row.Status]
		var with []string
		for _, o := range rel.Organizations {
			with = append(with, nameOr(orgNames[o], "Organization "+o))
		}
		for _, m := range rel.MOUs {
			with = append(with, "MOU: "+nameOr(mouNames[m], m))
		}
		row.SharesWith = strings.Join(with, "; ")
		if rel.HasSignature {
			row.Consent = "Signed by the client"
			row.SignatureHref = clientHref(rq, c.PersonalID) + "/signature?" + url.Values{"release": {rel.ID}}.Encode()
		} else {
			row.Consent = "Verbal consent, witnessed by " + rel.Witness
		}
		if !rel.RevokedAt.IsZero() {
			row.Revoked = "Revoked " + datetime(rel.RevokedAt) + ": " + rel.RevokeReason
		}
		row.CanRevoke = p.CanManage && rel.RevokedAt.IsZero() && row.Status != access.StatusExpired
		if rel.ID == f.revokeID {
			row.RevokeError, row.RevokeReason = f.revokeErr, f.revokeReason
		}
		p.Releases = append(p.Releases, row)
	}
	if p.CanManage {
		for _, id := range sortedKeys(orgNames) {
			if id == c.OrganizationID {
				continue // the owner sees the record anyway
			}
			p.Orgs = append(p.Orgs, checkOption{id, nameOr(orgNames[id], id), slices.Contains(f.chosen, "org:"+id)})
		}
		slices.SortFunc(p.Orgs, func(a, b checkOption) int { return strings.Compare(a.Label, b.Label) })
		for _, m := range mous {
			p.MOUs = append(p.MOUs, checkOption{m.ID, mouLabel(m, orgNames), slices.Contains(f.chosen, "mou:"+m.ID)})
		}
	}
	if p.Shell, err = s.shell(r, rq, "clients", rq.base()+"/"+dashboardPath, "Sharing: "+name); err != nil {
		return err
	}
	return s.render(w, r, status, "client_sharing", &p)
}

// restrictionPrompt is the choice of restriction offered right after an
// intake (issue 6 item 2), when the user may change it: the three
// restrictions, Restrict to Organization (the default) first.
func restrictionPrompt(r *http.Request, c store.ClientDetail) []option {
	actor, _ := hmis.ActorFrom(r.Context())
	if !access.MayManageSharing(actor, c.OrganizationID) {
		return nil
	}
	var out []option
	for _, rs := range []access.Restriction{access.RestrictOrganization, access.ShareByRelease, access.ShareGlobally} {
		out = append(out, option{string(rs), rs.Label()})
	}
	return out
}

// clientSharingPost serves the page's three forms, told apart by "op".
func (s *Server) clientSharingPost(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := findVisibleClient(r, rq, r.PathValue("personalID"))
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxSharingForm)
	if err := r.ParseForm(); err != nil {
		if isTooLarge(err) {
			return &hmis.Error{Code: hmis.EINVALID, Message: "The form was too large: the signature image may be at most 512 KB."}
		}
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	switch r.PostFormValue("op") {
	case "restrict":
		return s.setRestriction(w, r, rq, c)
	case "add":
		return s.addRelease(w, r, rq, c)
	case "revoke":
		return s.revokeRelease(w, r, rq, c)
	}
	return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
}

func (s *Server) setRestriction(w http.ResponseWriter, r *http.Request, rq *request, c store.ClientDetail) error {
	v := clip(r.PostFormValue("restriction"), 20)
	rs, err := access.ParseRestriction(v)
	if err == nil {
		err = rq.Site.Store.SetClientRestriction(r.Context(), c.PersonalID, rs)
	}
	switch {
	case err == nil:
		http.Redirect(w, r, clientHref(rq, c.PersonalID)+"/sharing?saved=restriction", http.StatusSeeOther)
		return nil
	case hmis.ErrorCode(err) == hmis.EINVALID:
		return s.renderSharing(w, r, rq, http.StatusUnprocessableEntity, c,
			sharingForm{err: "The restriction was not changed: choose one of the three restrictions.", errs: map[string]string{"restriction": "Choose a restriction."}})
	case hmis.ErrorCode(err) == hmis.ENOTFOUND:
		return errNoClient
	}
	return err
}

func (s *Server) addRelease(w http.ResponseWriter, r *http.Request, rq *request, c store.ClientDetail) error {
	values := map[string]string{
		"number":    clip(strings.TrimSpace(r.PostFormValue("number")), 60),
		"coverage":  clip(r.PostFormValue("coverage"), 20),
		"begin":     clip(strings.TrimSpace(r.PostFormValue("begin")), 40),
		"end":       clip(strings.TrimSpace(r.PostFormValue("end")), 40),
		"consent":   clip(r.PostFormValue("consent"), 20),
		"witness":   clip(strings.TrimSpace(r.PostFormValue("witness")), 220),
		"signature": r.PostFormValue("signature"),
	}
	errs := map[string]string{}
	nr := store.NewRelease{PersonalID: c.PersonalID, Number: values["number"]}
	var chosen []string
	for _, o := range r.PostForm["org"] {
		nr.Organizations = append(nr.Organizations, clip(o, 64))
		chosen = append(chosen, "org:"+clip(o, 64))
	}
	for _, m := range r.PostForm["mou"] {
		nr.MOUs = append(nr.MOUs, clip(m, 64))
		chosen = append(chosen, "mou:"+clip(m, 64))
	}
	if len(nr.Organizations) == 0 && len(nr.MOUs) == 0 {
		errs["shares_with"] = "Choose at least one organization or MOU agreement the release shares with."
	}
	if len(values["number"]) > 50 {
		errs["number"] = "The release number may be at most 50 characters."
	}
	var err error
	if nr.Coverage, err = access.ParseCoverage(values["coverage"]); err != nil {
		errs["coverage"] = "Choose what the release covers."
	}
	var ok bool
	switch {
	case values["begin"] == "":
		errs["begin"] = "Enter the first day the release is in force, as MM/DD/YYYY."
	default:
		if nr.Begin, ok = parseClientDate(values["begin"]); !ok {
			errs["begin"] = "Enter a real date as MM/DD/YYYY."
		}
	}
	switch {
	case values["end"] == "":
		errs["end"] = "Enter the last day the release is in force, as MM/DD/YYYY."
	default:
		if nr.End, ok = parseClientDate(values["end"]); !ok {
			errs["end"] = "Enter a real date as MM/DD/YYYY."
		} else if errs["begin"] == "" && nr.End.Before(nr.Begin) {
			errs["end"] = "The end date is before the begin date: the release must end on or after " + usDate(nr.Begin) + "."
		}
	}
	switch values["consent"] {
	case "signature":
		values["witness"] = ""
		sig, err := decodeSignature(values["signature"])
		if err != "" {
			errs["signature"] = err
			values["signature"] = ""
		}
		nr.Signature = sig
	case "verbal":
		values["signature"] = ""
		if values["witness"] == "" {
			errs["witness"] = "Enter the name of the person who witnessed the verbal consent."
		} else if len(values["witness"]) > 200 {
			errs["witness"] = "The witness's name may be at most 200 characters."
		}
		nr.Witness = values["witness"]
	default:
		errs["consent"] = "Choose how the client consented: a signature or a witnessed verbal consent."
	}
	if len(errs) == 0 {
		_, err := rq.Site.Store.AddRelease(r.Context(), nr)
		var e *hmis.Error
		switch {
		case err == nil:
			http.Redirect(w, r, clientHref(rq, c.PersonalID)+"/sharing?saved=release", http.StatusSeeOther)
			return nil
		case errors.As(err, &e) && e.Code == hmis.EINVALID:
			errs["form"] = e.Message
		case errors.As(err, &e) && e.Code == hmis.ENOTFOUND:
			return errNoClient
		default:
			return err
		}
	}
	msg := "The release was not recorded: correct the fields marked below."
	if m := errs["form"]; m != "" {
		msg = "The release was not recorded: " + m
	}
	return s.renderSharing(w, r, rq, http.StatusUnprocessableEntity, c, sharingForm{err: msg, values: values, errs: errs, chosen: chosen})
}

// decodeSignature reads the signature pad's value, a PNG data URL; the
// message says what is wrong with it ("" when it is good).
func decodeSignature(v string) ([]byte, string) {
	if v == "" {
		return nil, "Ask the client to sign in the box (with a mouse, a finger or a pen), or choose verbal consent."
	}
	b64, ok := strings.CutPrefix(v, sigPrefix)
	if !ok {
		return nil, "The signature could not be read: clear the box and sign again."
	}
	sig, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || !strings.HasPrefix(string(sig), "\x89PNG\r\n\x1a\n") {
		return nil, "The signature could not be read: clear the box and sign again."
	}
	if len(sig) > store.MaxSignatureBytes {
		return nil, "The signature image is too large: clear the box and sign again."
	}
	return sig, ""
}

func (s *Server) revokeRelease(w http.ResponseWriter, r *http.Request, rq *request, c store.ClientDetail) error {
	id := clip(r.PostFormValue("release"), 64)
	reason := clip(strings.TrimSpace(r.PostFormValue("reason")), 600)
	// The release must be this client's (the store checks who may revoke).
	rels, err := rq.Site.Store.ClientReleases(r.Context(), c.PersonalID)
	if err != nil {
		if hmis.ErrorCode(err) == hmis.ENOTFOUND {
			return errNoClient
		}
		return err
	}
	if !slices.ContainsFunc(rels, func(x store.Release) bool { return x.ID == id }) {
		return errPageNotFound
	}
	fail := func(msg string) error {
		return s.renderSharing(w, r, rq, http.StatusUnprocessableEntity, c,
			sharingForm{err: "The release was not revoked: " + msg, revokeID: id, revokeErr: msg, revokeReason: reason})
	}
	if reason == "" {
		return fail("Give a reason for revoking the release.")
	}
	_, err = rq.Site.Store.RevokeRelease(r.Context(), id, reason)
	switch {
	case err == nil:
		http.Redirect(w, r, clientHref(rq, c.PersonalID)+"/sharing?saved=revoked", http.StatusSeeOther)
		return nil
	case hmis.ErrorCode(err) == hmis.EINVALID:
		return fail(hmis.ErrorMessage(err))
	case hmis.ErrorCode(err) == hmis.ENOTFOUND:
		return errPageNotFound
	}
	return err
}

// releaseSignature serves a release's signature image, for a client the
// user may see. Audited as a read of the client.
func (s *Server) releaseSignature(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := findVisibleClient(r, rq, r.PathValue("personalID"))
	if err != nil {
		return err
	}
	id := r.URL.Query().Get("release")
	rels, err := rq.Site.Store.ClientReleases(r.Context(), c.PersonalID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(rels, func(x store.Release) bool { return x.ID == id && x.HasSignature }) {
		return errPageNotFound
	}
	sig, err := rq.Site.Store.ReleaseSignature(r.Context(), id)
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		return errPageNotFound
	} else if err != nil {
		return err
	}
	if err := rq.Site.Store.Audit(r.Context(), "read", "client", c.PersonalID, "release signature"); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Disposition", "inline")
	_, err = w.Write(sig)
	return err
}

// organizationNames maps the site's organization IDs to their names.
func organizationNames(r *http.Request, rq *request) (map[string]string, error) {
	orgs, err := store.FindRecords[hmis.Organization](r.Context(), rq.Site.Store, store.RecordFilter{})
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(orgs))
	for _, o := range orgs {
		out[o.OrganizationID] = o.OrganizationName
	}
	return out, nil
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func nameOr(name, fallback string) string {
	if name == "" {
		return fallback
	}
	return name
}

func coverageLabel(c access.Coverage) string {
	if c == access.CoverIntake {
		return "Intake only"
	}
	return "Whole record"
}

// mouLabel names an agreement with its direction.
func mouLabel(m store.MOU, orgNames map[string]string) string {
	var parts []string
	seen := map[store.MOUGrant]bool{}
	for _, g := range m.Grants {
		if seen[g] {
			continue
		}
		from, to := nameOr(orgNames[g.From], g.From), nameOr(orgNames[g.To], g.To)
		rev := store.MOUGrant{From: g.To, To: g.From}
		if slices.Contains(m.Grants, rev) {
			seen[rev] = true
			parts = append(parts, from+" ↔ "+to)
		} else {
			parts = append(parts, from+" → "+to)
		}
		seen[g] = true
	}
	return m.Name + " (" + strings.Join(parts, ", ") + ")"
}
