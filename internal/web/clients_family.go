package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/search"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Family (issue 4): the client's family — the people they live with,
// kept on the client (store/families.go), with their relationship to the
// head of household (3.15); members are added from a search, their
// relationship changed, the head changed and members removed — and the
// client's households as enrolled (their enrollments' HouseholdID).
// Members the user may not see are counted ("1 member not shown"), never
// named (store.ClientFamilyGroup, store.FindClientFamily).

type clientFamilyPage struct {
	Shell
	Name          string
	DashboardHref string
	Action        string
	CanChange     bool
	Family        []familyGroupRow
	FamilyHidden  string
	Households    []householdView
	Relationships []option // 3.15 without "Self" and 99
	Find          string   // the add-a-member search as typed
	Found         []familyCandidate
	FindMessage   string
	Notice        string
	Error         string
	Errors        map[string]string
	Values        map[string]string
}

type familyGroupRow struct {
	PersonalID, Href, Name, DOB, Relationship, RelationshipCode string
	Head, Self                                                  bool
	Error                                                       string // a refused change of this member
}

type familyCandidate struct {
	PersonalID, Name, DOB, Reason string
	InFamily                      bool
	Error                         string // a refused add
}

// rowError is the refusal of a change to member, if any.
func rowError(errs map[string]string, member string) string {
	for _, op := range []string{"add", "relationship", "head", "remove"} {
		if e := errs[op+":"+member]; e != "" {
			return e
		}
	}
	return ""
}

type householdView struct {
	Program, Entry string
	Members        []familyRow
	Hidden         string // "1 member not shown", or ""
}

type familyRow struct {
	Href, Name, DOB, Relationship string
	Head, Self                    bool
}

func (s *Server) clientFamilyPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showClientFamily(w, r, rq, r.PathValue("personalID"))
}

func (s *Server) showClientFamily(w http.ResponseWriter, r *http.Request, rq *request, id string) error {
	c, err := findVisibleClient(r, rq, id)
	if err != nil {
		return err
	}
	return s.renderClientFamily(w, r, rq, http.StatusOK, c, nil, nil)
}

func (s *Server) renderClientFamily(w http.ResponseWriter, r *http.Request, rq *request, status int, c store.ClientDetail,
	values, errs map[string]string) error {
	id := c.PersonalID
	ctx := r.Context()
	st := rq.Site.Store
	hs, err := st.FindClientFamily(ctx, id)
	if err != nil {
		return err
	}
	if err := st.Audit(ctx, "read", "client", id, "family"); err != nil {
		return err
	}
	p := clientFamilyPage{Name: clientDisplayName(&c.Client), DashboardHref: clientHref(rq, id),
		Action: clientHref(rq, id) + "/family", Errors: errs, Values: values}
	if p.Values == nil {
		p.Values = map[string]string{}
	}
	if len(errs) > 0 {
		p.Error = "The family was not changed: see the message below."
	}
	switch r.URL.Query().Get("done") {
	case "added":
		p.Notice = "The member was added to the family."
	case "changed":
		p.Notice = "The family was changed."
	case "removed":
		p.Notice = "The member was removed from the family."
	}
	level, err := st.ClientAccess(ctx, id)
	if err != nil {
		return err
	}
	p.CanChange = level >= access.Editable
	for _, v := range hud.RelationshipToHoHValues() {
		if v != hud.RelationshipToHoHSelf && v != 99 && !v.Retired() {
			p.Relationships = append(p.Relationships, option{strconv.Itoa(int(v)), v.Label()})
		}
	}
	g, err := st.ClientFamilyGroup(ctx, id)
	if err != nil {
		return err
	}
	inFamily := map[string]bool{}
	for _, m := range g.Members {
		inFamily[m.PersonalID] = true
		p.Family = append(p.Family, familyGroupRow{PersonalID: m.PersonalID, Href: clientHref(rq, m.PersonalID),
			Name: personName(m.FirstName, "", m.LastName), DOB: piiDOB(r, rq, m.DOB), Relationship: m.Relationship.Label(),
			RelationshipCode: strconv.Itoa(int(m.Relationship)), Head: m.Head(), Self: m.Self,
			Error: rowError(errs, m.PersonalID)})
	}
	if g.Hidden > 0 {
		p.FamilyHidden = plural(g.Hidden, "member", "members") + " not shown: you may not see their records."
	}
	if p.CanChange {
		p.Find = clip(strings.TrimSpace(r.URL.Query().Get("find")), 200)
		if p.Find == "" {
			p.Find = p.Values["find"]
		}
		if p.Find != "" {
			q := search.Parse(p.Find, time.Now())
			if q.Empty() {
				p.FindMessage = "Type a name, a date of birth or an HMIS ID to find the person to add."
			} else if ms, err := st.SearchClients(ctx, q, 10); err != nil {
				if hmis.ErrorCode(err) != hmis.EINVALID {
					return err
				}
				p.FindMessage = hmis.ErrorMessage(err)
			} else {
				for _, m := range ms {
					if m.PersonalID == id {
						continue
					}
					p.Found = append(p.Found, familyCandidate{PersonalID: m.PersonalID, Name: personName(m.FirstName, "", m.LastName),
						DOB: piiDOB(r, rq, m.DOB), Reason: m.Reason, InFamily: inFamily[m.PersonalID], Error: rowError(errs, m.PersonalID)})
				}
				if len(p.Found) == 0 {
					p.FindMessage = "Nobody you may see matches this search. Add the person as a new client first (Add New Client), then come back."
				}
			}
		}
	}
	for _, h := range hs {
		v := householdView{Program: h.ProjectName, Entry: usDate(h.EntryDate)}
		if v.Program == "" {
			v.Program = "Household " + h.HouseholdID
		}
		if h.Hidden > 0 {
			v.Hidden = plural(h.Hidden, "member", "members") + " not shown: you may not see their records."
		}
		for _, m := range h.Members {
			row := familyRow{Href: clientHref(rq, m.PersonalID), Name: personName(m.FirstName, "", m.LastName),
				DOB: piiDOB(r, rq, m.DOB), Head: m.HeadOfHousehold(), Self: m.Self}
			if m.Relationship != nil {
				row.Relationship = m.Relationship.Label()
			} else {
				row.Relationship = "Not recorded"
			}
			v.Members = append(v.Members, row)
		}
		p.Households = append(p.Households, v)
	}
	if p.Shell, err = s.shell(r, rq, "clients", rq.base()+"/"+familyMenuPath, "Family: "+p.Name); err != nil {
		return err
	}
	return s.render(w, r, status, "client_family", &p)
}

// changeClientFamily serves the Family page's forms: op=add (member,
// relationship), op=relationship (member, relationship), op=head (member,
// relationship: the former head's), op=remove (member). A refusal shows
// the page again with the reason next to the form it concerns.
func (s *Server) changeClientFamily(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := findVisibleClient(r, rq, r.PathValue("personalID"))
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	op := r.PostFormValue("op")
	member := clip(strings.TrimSpace(r.PostFormValue("member")), 64)
	values := map[string]string{"op": op, "member": member, "find": clip(strings.TrimSpace(r.PostFormValue("find")), 200),
		"relationship": clip(r.PostFormValue("relationship"), 4)}
	rel := hud.RelationshipToHoH(0)
	if n, err := strconv.Atoi(values["relationship"]); err == nil {
		rel = hud.RelationshipToHoH(n)
	}
	st := rq.Site.Store
	ctx := r.Context()
	done := "changed"
	switch op {
	case "add":
		err, done = st.AddFamilyMember(ctx, c.PersonalID, member, rel), "added"
	case "relationship":
		err = st.SetFamilyRelationship(ctx, c.PersonalID, member, rel)
	case "head":
		err = st.MakeFamilyHead(ctx, c.PersonalID, member, rel)
	case "remove":
		err, done = st.RemoveFamilyMember(ctx, c.PersonalID, member), "removed"
	default:
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	var e *hmis.Error
	switch {
	case err == nil:
		http.Redirect(w, r, clientHref(rq, c.PersonalID)+"/family?done="+done, http.StatusSeeOther)
		return nil
	case errors.As(err, &e) && e.Code == hmis.EINVALID && len(e.Fields) > 0:
		errs := map[string]string{}
		for _, msg := range e.Fields {
			errs[op+":"+member] = msg // shown next to the form it concerns
		}
		if values["find"] != "" {
			r.URL.RawQuery = url.Values{"find": {values["find"]}}.Encode()
		}
		return s.renderClientFamily(w, r, rq, http.StatusUnprocessableEntity, c, values, errs)
	case errors.As(err, &e) && e.Code == hmis.ENOTFOUND:
		return errNoClient
	}
	return err
}
