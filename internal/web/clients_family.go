package web

import "net/http"

// Family (issue 4): the client's households (their enrollments'
// HouseholdID), each member with their relationship to the head of
// household (3.15), the head marked. Members the user may not see are
// counted ("1 member not shown"), never named (store.FindClientFamily).

type clientFamilyPage struct {
	Shell
	Name          string
	DashboardHref string
	Households    []householdView
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
	hs, err := rq.Site.Store.FindClientFamily(r.Context(), id)
	if err != nil {
		return err
	}
	if err := rq.Site.Store.Audit(r.Context(), "read", "client", id, "family"); err != nil {
		return err
	}
	p := clientFamilyPage{Name: clientDisplayName(&c.Client), DashboardHref: clientHref(rq, id)}
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
				DOB: usDate(m.DOB), Head: m.HeadOfHousehold(), Self: m.Self}
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
	return s.render(w, r, http.StatusOK, "client_family", &p)
}
