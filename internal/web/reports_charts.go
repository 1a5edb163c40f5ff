package web

import (
	"fmt"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/reportrun"
)

// Charts of a run (issue 7 point 7): persons served month by month,
// exits by destination group (Q23c's subtotals) and length of stay
// (Q22a1, or the CAPER's Q22a2). Each is an SVG drawn here, on the
// server, as horizontal bars (long labels stay readable), with a title
// and description for screen readers and the same numbers as a table
// under it: the text alternative.

// chart is one bar chart, laid out for the template.
type chart struct {
	ID, Title, Description string
	LabelHead, ValueHead   string
	Width, Height          int
	AxisX                  int // where the bars start
	Bars                   []reportBar
	Empty                  bool
}

type reportBar struct {
	Label      string
	Value      int
	Y, W       int // top and width of the bar
	TextY      int // baseline of the label and value
	ValueX     int // where the value is written
	Href       string
	Percentage string
}

const (
	chartWidth  = 720
	chartLabelW = 300
	chartBarMax = 340
	chartRow    = 24
	chartBarH   = 16
	chartTop    = 8
)

// newChart lays bars out.
func newChart(id, title, desc, labelHead, valueHead string, bars []reportBar) chart {
	c := chart{ID: id, Title: title, Description: desc, LabelHead: labelHead, ValueHead: valueHead,
		Width: chartWidth, AxisX: chartLabelW, Height: chartTop*2 + chartRow*len(bars)}
	top, total := 0, 0
	for _, b := range bars {
		top = max(top, b.Value)
		total += b.Value
	}
	c.Empty = total == 0
	for i, b := range bars {
		b.Y = chartTop + i*chartRow + (chartRow-chartBarH)/2
		b.TextY = chartTop + i*chartRow + chartRow/2 + 5
		if top > 0 {
			b.W = b.Value * chartBarMax / top
		}
		if b.Value > 0 && b.W < 2 {
			b.W = 2
		}
		b.ValueX = chartLabelW + b.W + 6
		if total > 0 {
			b.Percentage = fmt.Sprintf("%.1f%%", float64(b.Value)*100/float64(total))
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// reportCharts draws the charts the report has the data for.
func reportCharts(res *reportrun.Result) []chart {
	rep := res.Report
	var out []chart
	if c, ok := servedByMonth(res); ok {
		out = append(out, c)
	}
	if t := rep.Table("Q23c"); t != nil {
		var bars []reportBar
		for _, row := range t.Rows {
			if name, ok := strings.CutSuffix(row.Label, " Subtotal"); ok && len(row.Cells) > 0 {
				bars = append(bars, reportBar{Label: name, Value: int(row.Cells[0].Value)})
			}
		}
		if len(bars) > 0 {
			out = append(out, newChart("chart-exits", "Exits by destination group",
				"Leavers by the group of their destination at exit (3.12), from table Q23c.", "Destination group", "Leavers", bars))
		}
	}
	for _, id := range []string{"Q22a1", "Q22a2"} {
		t := rep.Table(id)
		if t == nil {
			continue
		}
		var bars []reportBar
		for _, row := range t.Rows {
			if row.Label != "Total" && len(row.Cells) > 0 {
				bars = append(bars, reportBar{Label: row.Label, Value: int(row.Cells[0].Value)})
			}
		}
		out = append(out, newChart("chart-stay", "Length of stay",
			"Persons by the length of their stay (leavers and stayers), from table "+id+".", "Length of stay", "Persons", bars))
	}
	return out
}

// servedByMonth counts, for each month of the report period, the persons
// served (Q5a column C, or the DQ report's Q1: every active client) whose
// stay overlapped that month.
func servedByMonth(res *reportrun.Result) (chart, bool) {
	rep := res.Report
	var t *report.Table
	for _, id := range []string{"Q5a", "Q1"} {
		if t = rep.Table(id); t != nil {
			break
		}
	}
	if t == nil || len(t.Rows) == 0 || len(t.Rows[0].Cells) == 0 {
		return chart{}, false
	}
	cell := t.Rows[0].Cells[len(t.Rows[0].Cells)-1] // all active clients
	p := rep.Params
	type span struct{ from, to hmis.Date }
	enrollments := map[string]span{}
	for _, e := range res.Dataset.Enrollments {
		enrollments[e.EnrollmentID] = span{from: e.EntryDate}
	}
	for _, x := range res.Dataset.Exits {
		if s, ok := enrollments[x.EnrollmentID]; ok {
			s.to = x.ExitDate
			enrollments[x.EnrollmentID] = s
		}
	}
	// Months, or quarters when the period is longer than two years.
	step := 1
	st, en := p.Start.Time(), p.End.Time()
	first := hmis.NewDate(st.Year(), st.Month(), 1)
	months := (en.Year()-st.Year())*12 + int(en.Month()) - int(st.Month()) + 1
	if months > 24 {
		step = 3
	}
	var bars []reportBar
	for m := 0; m < months && len(bars) < 60; m += step {
		from := first.Time().AddDate(0, m, 0)
		to := from.AddDate(0, step, -1)
		lo, hi := hmis.DateOf(from), hmis.DateOf(to)
		if lo.Before(p.Start) {
			lo = p.Start
		}
		if hi.After(p.End) {
			hi = p.End
		}
		seen := map[string]bool{}
		for _, ref := range cell.Refs {
			s, ok := enrollments[ref.EnrollmentID]
			if !ok || s.from.IsZero() || s.from.After(hi) || (!s.to.IsZero() && s.to.Before(lo)) {
				continue
			}
			seen[ref.PersonalID] = true
		}
		label := from.Format("Jan 2006")
		if step == 3 {
			label = from.Format("Jan") + "–" + to.Format("Jan 2006")
		}
		bars = append(bars, reportBar{Label: label, Value: len(seen)})
	}
	c := newChart("chart-served", "Persons served over the period",
		"Persons with a stay in the report's programs during each month of the period (from table "+t.ID+"). A person served in several months counts in each.",
		"Month", "Persons", bars)
	for i := range c.Bars {
		c.Bars[i].Percentage = "" // months overlap: no share of a whole
	}
	return c, true
}
