package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
)

// The Housing tab (issue 8): Inventory (administrators describe places,
// rooms and beds; the HUD Inventory of those programs is computed from
// them), the Bed Board, Check-In / Check-Out, the Nightly Roster of
// night-by-night shelters and Utilization. The store does the work and
// the access checks (store/housing*.go); these pages read forms and show.

const (
	boardPath       = "housing/beds"
	checkinPath     = "housing/checkin"
	rosterPath      = "housing/roster"
	utilizationPath = "housing/utilization"
	inventoryPath   = "housing/inventory"
	// maxBedsAtOnce is how many beds one "add beds" form may create.
	maxBedsAtOnce = 50
)

// housingRoutes registers the Housing tab's pages.
func (s *Server) housingRoutes(sm *http.ServeMux) {
	sm.Handle("GET /{site}/"+inventoryPath, s.admin(s.inventoryPage))
	sm.Handle("POST /{site}/"+inventoryPath+"/places", s.admin(s.addPlace))
	sm.Handle("POST /{site}/"+inventoryPath+"/rooms", s.admin(s.addRoom))
	sm.Handle("POST /{site}/"+inventoryPath+"/beds", s.admin(s.saveBeds))
	sm.Handle("GET /{site}/"+boardPath, s.page(s.bedBoard))
	sm.Handle("GET /{site}/"+checkinPath, s.page(s.checkinPage))
	sm.Handle("POST /{site}/"+checkinPath, s.page(s.checkIn))
	sm.Handle("POST /{site}/"+checkinPath+"/out", s.page(s.checkOut))
	sm.Handle("POST /{site}/"+checkinPath+"/move", s.page(s.moveBed))
	sm.Handle("POST /{site}/"+checkinPath+"/hold", s.page(s.holdBed))
	sm.Handle("POST /{site}/"+checkinPath+"/release", s.page(s.releaseHold))
	sm.Handle("GET /{site}/"+rosterPath, s.page(s.rosterPage))
	sm.Handle("POST /{site}/"+rosterPath, s.page(s.saveRoster))
	sm.Handle("GET /{site}/"+utilizationPath, s.page(s.utilizationPage))
}

type inventoryPage struct {
	Shell
	Places     []placeView
	Programs   []option
	PlaceOpts  []option
	RoomOpts   []option
	Household  []option
	BedTypes   []option
	Avail      []option
	Computed   []computedInventory
	Form       string // the form the values and errors belong to
	Values     map[string]string
	Errors     map[string]string
	Error      string
	Done       string
	EditingBed bool
	F          map[string]selectField // the forms' selects, by name
	T          map[string]formField   // the forms' text fields, by name
}

type placeView struct {
	Name  string
	Rooms []roomView
}

type roomView struct {
	Name   string
	IsUnit bool
	Beds   []bedView
}

// bedView is a bed as the inventory table shows it.
type bedView struct {
	Label, Program, Household, BedType, Availability, Dedicated, From, Until, EditHref string
	Ended                                                                              bool
}

type computedInventory struct {
	Program string
	Records []inventoryRow
}

type inventoryRow struct {
	ID, Household, Availability, BedType, From, Until            string
	Beds, Units, CHVet, YouthVet, Vet, CHYouth, Youth, CH, Other int
}

func intOf(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func labelOf[T interface{ Label() string }](p *T) string {
	if p == nil {
		return ""
	}
	return (*p).Label()
}

func dedicatedLabel(b store.Bed) string {
	var d []string
	if b.Chronic {
		d = append(d, "Chronically homeless")
	}
	if b.Veteran {
		d = append(d, "Veterans")
	}
	if b.Youth {
		d = append(d, "Youth")
	}
	return strings.Join(d, ", ")
}

func (s *Server) inventoryPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	values := map[string]string{}
	form := ""
	if id := r.URL.Query().Get("bed"); id != "" {
		b, err := rq.Site.Store.FindBed(r.Context(), clip(id, 64))
		if err != nil {
			return err
		}
		form, values = "bed", bedValues(b)
	}
	done := ""
	switch r.URL.Query().Get("done") {
	case "place":
		done = "The place was added."
	case "room":
		done = "The room was added."
	case "bed":
		done = "The beds were saved, and the program’s HUD inventory computed again."
	}
	return s.renderInventory(w, r, rq, http.StatusOK, form, values, nil, done)
}

func bedValues(b store.Bed) map[string]string {
	v := map[string]string{"id": b.ID, "room_id": b.RoomID, "project_id": b.ProjectID, "coc_code": b.CoCCode, "label": b.Label,
		"household_type": strconv.Itoa(int(b.HouseholdType)), "bed_type": strconv.Itoa(int(b.BedType)),
		"availability": strconv.Itoa(int(b.Availability)), "start_date": usDate(b.StartDate), "end_date": usDate(b.EndDate), "count": "1"}
	for k, on := range map[string]bool{"ch": b.Chronic, "vet": b.Veteran, "youth": b.Youth} {
		if on {
			v[k] = "1"
		}
	}
	return v
}

func (s *Server) renderInventory(w http.ResponseWriter, r *http.Request, rq *request, status int, form string,
	values, errs map[string]string, done string) error {
	ctx := r.Context()
	st := rq.Site.Store
	p := inventoryPage{Form: form, Values: values, Errors: errs, Done: done,
		Household: hudOptions(hud.HouseholdTypeValues()), BedTypes: hudOptions(hud.BedTypeValues()),
		Avail: hudOptions(hud.AvailabilityValues()), EditingBed: form == "bed" && values["id"] != ""}
	if p.Values == nil {
		p.Values = map[string]string{}
	}
	if p.Errors == nil {
		p.Errors = map[string]string{}
	}
	if len(p.Errors) > 0 {
		p.Error = "Nothing was saved: correct the fields marked below."
	}
	if p.Values["count"] == "" {
		p.Values["count"] = "1"
	}
	var err error
	places, err := st.Places(ctx)
	if err != nil {
		return err
	}
	today := hmis.DateOf(time.Now())
	for _, pl := range places {
		p.PlaceOpts = append(p.PlaceOpts, option{pl.ID, pl.Name})
		pv := placeView{Name: pl.Name}
		for _, rm := range pl.Rooms {
			p.RoomOpts = append(p.RoomOpts, option{rm.ID, pl.Name + " — " + rm.Name})
			rv := roomView{Name: rm.Name, IsUnit: rm.IsUnit}
			for _, b := range rm.Beds {
				rv.Beds = append(rv.Beds, bedView{Label: b.Label, Program: b.ProjectName, Household: b.HouseholdType.Label(),
					BedType: b.BedType.Label(), Availability: b.Availability.Label(), Dedicated: dedicatedLabel(b),
					From: usDate(b.StartDate), Until: usDate(b.EndDate), Ended: !b.EndDate.IsZero() && !b.EndDate.After(today),
					EditHref: housingHref(rq, inventoryPath, url.Values{"bed": {b.ID}}) + "#bed-form"})
			}
			pv.Rooms = append(pv.Rooms, rv)
		}
		p.Places = append(p.Places, pv)
	}
	progs, err := st.HousingPrograms(ctx)
	if err != nil {
		return err
	}
	for _, pr := range progs {
		p.Programs = append(p.Programs, option{pr.ProjectID, programLabel(pr)})
		if pr.Beds > 0 {
			invs, err := store.FindRecords[hmis.Inventory](ctx, st, store.RecordFilter{ProjectID: pr.ProjectID})
			if err != nil {
				return err
			}
			ci := computedInventory{Program: programLabel(pr)}
			for _, inv := range invs {
				ci.Records = append(ci.Records, inventoryRow{ID: inv.InventoryID, Household: labelOf(inv.HouseholdType),
					Availability: labelOf(inv.Availability), BedType: labelOf(inv.ESBedType), From: usDate(inv.InventoryStartDate),
					Until: usDate(inv.InventoryEndDate), Beds: intOf(inv.BedInventory), Units: intOf(inv.UnitInventory),
					CHVet: intOf(inv.CHVetBedInventory), YouthVet: intOf(inv.YouthVetBedInventory), Vet: intOf(inv.VetBedInventory),
					CHYouth: intOf(inv.CHYouthBedInventory), Youth: intOf(inv.YouthBedInventory), CH: intOf(inv.CHBedInventory),
					Other: intOf(inv.OtherBedInventory)})
			}
			p.Computed = append(p.Computed, ci)
		}
	}
	p.fields()
	if p.Shell, err = s.shell(r, rq, "housing", rq.base()+"/"+inventoryPath, "Inventory"); err != nil {
		return err
	}
	return s.render(w, r, status, "housing_inventory", &p)
}

// fields builds the three forms' fields: the values and errors go to the
// form that was sent.
func (p *inventoryPage) fields() {
	p.F, p.T = map[string]selectField{}, map[string]formField{}
	forms := map[string]string{"room_id": "bed", "project_id": "bed", "label": "bed", "count": "bed", "coc_code": "bed",
		"household_type": "bed", "bed_type": "bed", "availability": "bed", "start_date": "bed", "end_date": "bed",
		"place_id": "room", "room_name": "room", "name": "place"}
	val := func(name string) (string, string) {
		if forms[name] != p.Form {
			return "", ""
		}
		return p.Values[name], p.Errors[name]
	}
	sel := func(name, label string, opts []option) {
		v, e := val(name)
		p.F[name] = selectField{Name: name, Label: label, Value: v, Error: e, Options: opts}
	}
	text := func(name, label string) {
		v, e := val(name)
		p.T[name] = formField{Name: name, Label: label, Autocomplete: "off", Value: v, Error: e}
	}
	sel("room_id", "Room", p.RoomOpts)
	sel("project_id", "Program", p.Programs)
	sel("household_type", "Household type (2.07.4)", p.Household)
	sel("bed_type", "Bed type (2.07.5)", p.BedTypes)
	sel("availability", "Availability (2.07.6)", p.Avail)
	sel("place_id", "Place", p.PlaceOpts)
	if p.EditingBed {
		text("label", "Bed name")
	} else {
		text("label", "Bed name (with several beds, each gets a number after it)")
	}
	text("count", "Number of beds")
	if p.Form != "bed" {
		t := p.T["count"]
		t.Value = "1"
		p.T["count"] = t
	}
	text("coc_code", "CoC code (2.07.3; empty: the program’s)")
	text("start_date", "In the inventory from (2.07.1, MM/DD/YYYY)")
	text("end_date", "Out of the inventory from (2.07.2, MM/DD/YYYY; empty while in use)")
	text("room_name", "Room name")
	text("name", "Name of the shelter or housing site")
}

// programLabel is a program's name with its HUD project type.
func programLabel(p store.HousingProgram) string {
	name := p.ProjectName
	if name == "" {
		name = "Program " + p.ProjectID
	}
	if p.ProjectType != nil {
		name += " (" + p.ProjectType.ShortLabel() + ")"
	}
	return name
}

func readForm(r *http.Request, names ...string) (map[string]string, error) {
	if err := r.ParseForm(); err != nil {
		return nil, &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	v := map[string]string{}
	for _, n := range names {
		if s := clip(strings.TrimSpace(r.PostFormValue(n)), 200); s != "" {
			v[n] = s
		}
	}
	return v, nil
}

// fieldErrors returns an EINVALID error's fields, or nil for other errors.
func fieldErrors(err error) map[string]string {
	var e *hmis.Error
	if errors.As(err, &e) && e.Code == hmis.EINVALID {
		if len(e.Fields) > 0 {
			return e.Fields
		}
		return map[string]string{"form": e.Message}
	}
	return nil
}

func (s *Server) addPlace(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := readForm(r, "name")
	if err != nil {
		return err
	}
	if _, err := rq.Site.Store.CreatePlace(r.Context(), v["name"]); err != nil {
		if fe := fieldErrors(err); fe != nil {
			return s.renderInventory(w, r, rq, http.StatusUnprocessableEntity, "place", v, fe, "")
		}
		return err
	}
	http.Redirect(w, r, rq.base()+"/"+inventoryPath+"?done=place", http.StatusSeeOther)
	return nil
}

func (s *Server) addRoom(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := readForm(r, "place_id", "room_name", "is_unit")
	if err != nil {
		return err
	}
	if _, err := rq.Site.Store.CreateRoom(r.Context(), v["place_id"], v["room_name"], v["is_unit"] != ""); err != nil {
		if fe := fieldErrors(err); fe != nil {
			return s.renderInventory(w, r, rq, http.StatusUnprocessableEntity, "room", v, fe, "")
		}
		return err
	}
	http.Redirect(w, r, rq.base()+"/"+inventoryPath+"?done=room", http.StatusSeeOther)
	return nil
}

// saveBeds adds count beds (labelled "Label 1", "Label 2", ... when more
// than one) or saves the bed being edited.
func (s *Server) saveBeds(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := readForm(r, "id", "room_id", "project_id", "coc_code", "label", "household_type", "bed_type", "availability",
		"ch", "vet", "youth", "start_date", "end_date", "count")
	if err != nil {
		return err
	}
	errs := map[string]string{}
	b := store.Bed{ID: v["id"], RoomID: v["room_id"], ProjectID: v["project_id"], CoCCode: v["coc_code"], Label: v["label"],
		Chronic: v["ch"] != "", Veteran: v["vet"] != "", Youth: v["youth"] != ""}
	code := func(name string) int {
		n, _ := strconv.Atoi(v[name])
		return n
	}
	b.HouseholdType, b.BedType, b.Availability = hud.HouseholdType(code("household_type")), hud.BedType(code("bed_type")),
		hud.Availability(code("availability"))
	for _, f := range []struct {
		name string
		d    *hmis.Date
	}{{"start_date", &b.StartDate}, {"end_date", &b.EndDate}} {
		if v[f.name] == "" {
			continue
		}
		d, ok := parseClientDate(v[f.name])
		if !ok {
			errs[f.name] = "Enter a real date as MM/DD/YYYY."
		}
		*f.d = d
	}
	count := 1
	if b.ID == "" && v["count"] != "" {
		n, err := strconv.Atoi(v["count"])
		if err != nil || n < 1 || n > maxBedsAtOnce {
			errs["count"] = fmt.Sprintf("Enter a number of beds from 1 to %d.", maxBedsAtOnce)
		}
		count = max(n, 1)
	}
	if len(errs) == 0 {
		for i := range count {
			bb := b
			if count > 1 {
				bb.Label = fmt.Sprintf("%s %d", strings.TrimSpace(b.Label), i+1)
			}
			if _, err := rq.Site.Store.SaveBed(r.Context(), bb); err != nil {
				if fe := fieldErrors(err); fe != nil {
					errs = fe
					break
				}
				return err
			}
		}
	}
	if len(errs) > 0 {
		return s.renderInventory(w, r, rq, http.StatusUnprocessableEntity, "bed", v, errs, "")
	}
	http.Redirect(w, r, rq.base()+"/"+inventoryPath+"?done=bed", http.StatusSeeOther)
	return nil
}

// housingHref is a Housing page with a query.
func housingHref(rq *request, path string, q url.Values) string {
	h := rq.base() + "/" + path
	if len(q) > 0 {
		h += "?" + q.Encode()
	}
	return h
}
