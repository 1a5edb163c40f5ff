package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Utilization (issue 8): occupancy per night and the average per program
// over a period, as an SVG chart drawn here on the server (no script)
// with a text alternative and the numbers as a table. Averages under 65%
// or over 105% are flagged (store.Utilization says how each program's
// capacity and occupancy are counted).

type utilizationPage struct {
	Shell
	Action   string
	From, To string
	Program  string
	Programs []option
	Errors   map[string]string
	Error    string
	Results  []utilizationView
	Ran      bool
	Low      int
	High     int
}

type utilizationView struct {
	ID, Name, Average, Flag, CapacityFrom, OccupancyFrom string
	Nights                                               []nightView
	Chart                                                chartView
}

type nightView struct {
	Night              string
	Capacity, Occupied int
	Percent            string
}

// chartView is an SVG bar chart: one bar per night, its height the
// night's utilization, with reference lines at 65%, 100% and 105%.
type chartView struct {
	Width, Height, Left, Bottom, Top int
	Bars                             []chartBar
	Lines                            []chartLine
	Ticks                            []chartTick
}

type chartBar struct {
	X, Y, W, H int
	Title      string
	Flagged    bool
}

type chartLine struct {
	Y     int
	Label string
	Dash  bool
	Right bool // label at the right end, above the line (105% sits close to 100%)
}

type chartTick struct {
	X     int
	Label string
}

func (s *Server) utilizationPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	st := rq.Site.Store
	q := r.URL.Query()
	today := hmis.DateOf(time.Now())
	p := &utilizationPage{Action: rq.base() + "/" + utilizationPath, From: clip(q.Get("from"), 20), To: clip(q.Get("to"), 20),
		Program: clip(q.Get("program"), 64), Errors: map[string]string{}, Low: store.UtilizationLow, High: store.UtilizationHigh}
	if p.From == "" {
		p.From = usDate(today.AddDays(-30))
	}
	if p.To == "" {
		p.To = usDate(today.AddDays(-1))
	}
	progs, err := st.HousingPrograms(ctx)
	if err != nil {
		return err
	}
	for _, pr := range progs {
		p.Programs = append(p.Programs, option{pr.ProjectID, programLabel(pr)})
	}
	from, ok1 := parseClientDate(p.From)
	to, ok2 := parseClientDate(p.To)
	if !ok1 {
		p.Errors["from"] = "Enter the first night as MM/DD/YYYY."
	}
	if !ok2 {
		p.Errors["to"] = "Enter the last night as MM/DD/YYYY."
	}
	status := http.StatusOK
	if len(p.Errors) == 0 {
		res, err := st.Utilization(ctx, from, to, p.Program)
		if e, ok := err.(*hmis.Error); ok && e.Code == hmis.EINVALID {
			for k, v := range e.Fields {
				p.Errors[k] = v
			}
		} else if err != nil {
			return err
		}
		p.Ran = err == nil
		for _, u := range res {
			p.Results = append(p.Results, utilizationOf(u))
		}
	}
	if len(p.Errors) > 0 {
		p.Error = "Correct the period: " + firstOf(p.Errors, "from", "to")
		status = http.StatusUnprocessableEntity
	}
	if p.Shell, err = s.shell(r, rq, "housing", rq.base()+"/"+utilizationPath, "Utilization"); err != nil {
		return err
	}
	return s.render(w, r, status, "housing_utilization", p)
}

func firstOf(m map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := m[k]; v != "" {
			return v
		}
	}
	return ""
}

func percent(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) + "%" }

func utilizationOf(u store.ProgramUtilization) utilizationView {
	name := u.ProjectName
	if u.ProjectType != nil {
		name += " (" + u.ProjectType.ShortLabel() + ")"
	}
	v := utilizationView{ID: u.ProjectID, Name: name, Average: percent(u.Average), Flag: u.Flag,
		CapacityFrom: u.CapacityFrom, OccupancyFrom: u.OccupancyFrom}
	for _, n := range u.Nights {
		nv := nightView{Night: usDate(n.Night), Capacity: n.Capacity, Occupied: n.Occupied}
		if n.Capacity > 0 {
			nv.Percent = percent(n.Percent())
		}
		v.Nights = append(v.Nights, nv)
	}
	v.Chart = chartOf(u)
	return v
}

// chartOf lays out the bars: the plot is 640 by 160 pixels, the y axis
// from 0 to 120% (or the highest night, rounded up to 20%).
func chartOf(u store.ProgramUtilization) chartView {
	c := chartView{Width: 720, Height: 220, Left: 48, Top: 12, Bottom: 190}
	plotW, plotH := c.Width-c.Left-8, c.Bottom-c.Top
	top := 120.0
	for _, n := range u.Nights {
		if p := n.Percent(); p > top {
			top = float64(int(p/20)+1) * 20
		}
	}
	y := func(p float64) int { return c.Bottom - int(p/top*float64(plotH)+0.5) }
	n := len(u.Nights)
	step := float64(plotW) / float64(max(n, 1))
	w := max(int(step*0.8), 1)
	for i, nt := range u.Nights {
		x := c.Left + int(float64(i)*step+step*0.1)
		p := nt.Percent()
		b := chartBar{X: x, Y: y(p), W: w, H: c.Bottom - y(p),
			Title:   fmt.Sprintf("%s: %d of %d beds (%s)", usDate(nt.Night), nt.Occupied, nt.Capacity, percent(p)),
			Flagged: nt.Capacity > 0 && (p < store.UtilizationLow || p > store.UtilizationHigh)}
		c.Bars = append(c.Bars, b)
		if n <= 10 || i%((n+9)/10) == 0 {
			c.Ticks = append(c.Ticks, chartTick{X: x + w/2, Label: nt.Night.Format("01/02")})
		}
	}
	c.Lines = []chartLine{
		{Y: y(store.UtilizationLow), Label: fmt.Sprintf("%d%%", store.UtilizationLow), Dash: true},
		{Y: y(100), Label: "100%"},
		{Y: y(store.UtilizationHigh), Label: fmt.Sprintf("%d%%", store.UtilizationHigh), Dash: true, Right: true},
	}
	return c
}
