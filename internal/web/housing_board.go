package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Bed Board (issue 8): for each shelter every bed in use today, who is in
// it (named only when the user may see the client and this enrollment;
// otherwise "Occupied"), since when, holds, and the free beds, with
// filters by program, room and household type.

type boardPage struct {
	Shell
	Program, Room, Household string
	Programs, Rooms          []option
	Households               []option
	Places                   []boardPlaceView
	CheckinHref              string
	Filtered                 bool
	Done                     string
	ReleaseAction            string
}

type boardPlaceView struct {
	Name                        string
	Programs                    bool // beds of more than one program: the column is shown
	Total, Occupied, Held, Free int
	Beds                        []boardBedView
}

type boardBedView struct {
	Label, Room, Program, Household string
	Status                          string // "free", "occupied", "held"
	Name, ClientHref                string // the occupant or holder, when visible
	Since, Until                    string
	ActionHref, ActionLabel         string
	HoldID                          string // a visible hold the user may release
}

func (s *Server) bedBoard(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	st := rq.Site.Store
	q := r.URL.Query()
	p := boardPage{Program: clip(q.Get("program"), 64), Room: clip(q.Get("room"), 64), Household: clip(q.Get("household"), 4),
		Households: hudOptions(hud.HouseholdTypeValues()), CheckinHref: rq.base() + "/" + checkinPath}
	p.ReleaseAction = rq.base() + "/" + checkinPath + "/release"
	switch q.Get("done") {
	case "in":
		p.Done = "The client was checked in."
	case "hold":
		p.Done = "The bed is held."
	case "release":
		p.Done = "The hold was released."
	}
	p.Filtered = p.Program != "" || p.Room != "" || p.Household != ""
	hh, _ := strconv.Atoi(p.Household)
	places, err := st.Places(ctx)
	if err != nil {
		return err
	}
	for _, pl := range places {
		for _, rm := range pl.Rooms {
			p.Rooms = append(p.Rooms, option{rm.ID, pl.Name + " — " + rm.Name})
		}
	}
	progs, err := st.HousingPrograms(ctx)
	if err != nil {
		return err
	}
	for _, pr := range progs {
		if pr.Beds > 0 {
			p.Programs = append(p.Programs, option{pr.ProjectID, programLabel(pr)})
		}
	}
	board, err := st.BedBoard(ctx, store.BoardFilter{ProjectID: p.Program, RoomID: p.Room, HouseholdType: hh})
	if err != nil {
		return err
	}
	for _, bp := range board {
		pv := boardPlaceView{Name: bp.Name, Total: bp.Total, Occupied: bp.Occupied, Held: bp.Held, Free: bp.Free}
		for _, b := range bp.Beds {
			v := boardBedView{Label: b.Label, Room: b.RoomName, Program: b.ProjectName, Household: b.HouseholdType.Label(), Status: "free",
				ActionHref: housingHref(rq, checkinPath, url.Values{"bed": {b.ID}}), ActionLabel: "Check in"}
			switch {
			case b.Stay != nil:
				v.Status, v.Since, v.ActionHref, v.ActionLabel = "occupied", since(b.Stay.Since), "", ""
				if !b.Stay.Hidden {
					v.Name, v.ClientHref = personName(b.Stay.FirstName, "", b.Stay.LastName), clientHref(rq, b.Stay.PersonalID)
					v.ActionHref, v.ActionLabel = housingHref(rq, checkinPath, url.Values{"client": {b.Stay.PersonalID}}), "Check out or move"
				}
			case b.Hold != nil:
				v.Status, v.Until = "held", datetime(b.Hold.Expires)
				if !b.Hold.Hidden {
					v.Name, v.ClientHref = personName(b.Hold.FirstName, "", b.Hold.LastName), clientHref(rq, b.Hold.PersonalID)
					v.ActionHref = housingHref(rq, checkinPath, url.Values{"client": {b.Hold.PersonalID}, "bed": {b.ID}})
					v.HoldID = b.Hold.HoldID
				} else {
					v.ActionHref, v.ActionLabel = "", ""
				}
			}
			pv.Programs = pv.Programs || (len(pv.Beds) > 0 && pv.Beds[0].Program != v.Program)
			pv.Beds = append(pv.Beds, v)
		}
		p.Places = append(p.Places, pv)
	}
	if p.Shell, err = s.shell(r, rq, "housing", rq.base()+"/"+boardPath, "Bed Board"); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "housing_board", &p)
}

// since is when a stay began: the time today, else the date and time.
func since(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	l := t.Local()
	if y, m, d := l.Date(); y == time.Now().Year() && m == time.Now().Month() && d == time.Now().Day() {
		return "today " + l.Format("3:04 PM")
	}
	return l.Format("01/02/2006 3:04 PM")
}
