package report

import (
	"archive/zip"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Shell is the cell layout of one FY2026 table: row 1 (Header, whose first
// cell is column A's heading, usually empty) and the labels of rows 2.. in
// column A.
type Shell struct {
	Header []string
	Rows   []string
}

// ShellOf returns the FY2026 shell of table id ("Q5a") of report ("apr",
// "caper").
func ShellOf(rep, id string) (Shell, bool) {
	s, ok := shells[rep][id]
	return s, ok
}

// TableIDs lists the FY2026 tables of a report ("apr": 67, "caper": 40) in
// HUD's order.
func TableIDs(rep string) []string {
	var ids []string
	for id := range shells[rep] {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return LessID(ids[i], ids[j]) })
	return ids
}

// LessID orders table ids as HUD numbers them: Q4a < Q5a < Q9b < Q11 < Q13a1.
func LessID(a, b string) bool {
	na, ra := splitID(a)
	nb, rb := splitID(b)
	if na != nb {
		return na < nb
	}
	return ra < rb
}

func splitID(s string) (int, string) {
	s = strings.TrimPrefix(strings.ToUpper(s[:1])+s[1:], "Q")
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, _ := strconv.Atoi(s[:i])
	return n, s[i:]
}

// Ref names one client (and the enrollment used) behind a cell.
type Ref struct {
	PersonalID   string
	EnrollmentID string
}

// Kind says how a cell's value is written.
type Kind uint8

const (
	Count   Kind = iota // a whole number of clients or households
	Percent             // a fraction (0.7778 is 77.78%), at least 4 decimals
	Money               // dollars, 2 decimals
	Average             // days or counts: an integer or up to 4 decimals
	Text                // Text holds the value (Q4a)
)

// Cell is one value of a table with the clients behind it.
type Cell struct {
	Kind  Kind
	Value float64
	Text  string // for Kind Text
	Refs  []Ref  // the clients counted (Count cells); nil for derived cells
}

// String formats the cell as Sage expects (REFERENCE.md §4.2).
func (c Cell) String() string {
	switch c.Kind {
	case Text:
		return c.Text
	case Count:
		return strconv.FormatInt(int64(math.Round(c.Value)), 10)
	case Percent:
		return strconv.FormatFloat(round(c.Value, 4), 'f', 4, 64)
	case Money:
		return strconv.FormatFloat(round(c.Value, 2), 'f', 2, 64)
	default:
		v := round(c.Value, 4)
		if v == math.Trunc(v) {
			return strconv.FormatInt(int64(v), 10)
		}
		return strings.TrimRight(strconv.FormatFloat(v, 'f', 4, 64), "0")
	}
}

func round(v float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(v*p) / p
}

// Row is one row of a table: its label (column A) and cells B...
type Row struct {
	Label string
	Cells []Cell
}

// Table is one report question in HUD's cell layout.
type Table struct {
	ID     string   // HUD's table id: "Q5a"; Title(ID) names it
	Header []string // row 1, column A first
	Rows   []Row
}

// NewTable returns table id laid out by its FY2026 shell with every cell a
// zero Count.
func NewTable(rep, id string) *Table {
	s, ok := shells[rep][id]
	if !ok {
		panic("report: no FY2026 shell for " + rep + " " + id)
	}
	t := &Table{ID: id, Header: s.Header}
	for _, l := range s.Rows {
		t.Rows = append(t.Rows, Row{Label: l, Cells: make([]Cell, len(s.Header)-1)})
	}
	return t
}

// Cell returns the cell at row r (0 = the first row under the header) and
// column c (0 = column B).
func (t *Table) Cell(r, c int) *Cell { return &t.Rows[r].Cells[c] }

// AddDQ counts ref, on row of a data-quality table (the APR's Q6 tables,
// the CE APR's Q6a: columns B-D don't know/refused, missing, data issue,
// E the total), in the first of columns B-D that applies (dk, missing,
// issue) and in the total; it reports whether ref was counted.
func (t *Table) AddDQ(row int, ref Ref, dk, missing, issue bool) bool {
	col := -1
	switch {
	case dk:
		col = 0
	case missing:
		col = 1
	case issue:
		col = 2
	}
	if col < 0 {
		return false
	}
	t.Add(row, col, ref)
	t.Add(row, 3, ref)
	return true
}

// Add counts ref in cell (r, c). Callers count each client once per cell.
func (t *Table) Add(r, c int, ref Ref) {
	cell := t.Cell(r, c)
	if len(cell.Refs) == cap(cell.Refs) {
		// Doubling: append grows a long slice by a quarter, copying each
		// of a 100k APR's total column's refs about four times
		// (docs/PERFORMANCE.md).
		refs := make([]Ref, len(cell.Refs), max(8, 2*cap(cell.Refs)))
		copy(refs, cell.Refs)
		cell.Refs = refs
	}
	cell.Refs = append(cell.Refs, ref)
	cell.Value = float64(len(cell.Refs))
}

// Set puts a derived value into cell (r, c).
func (t *Table) Set(r, c int, k Kind, v float64) {
	*t.Cell(r, c) = Cell{Kind: k, Value: v}
}

// WriteCSV writes the table as one Sage CSV: every text cell quoted,
// numbers bare, CRLF line ends.
func (t *Table) WriteCSV(w io.Writer) error {
	var b strings.Builder
	line := func(cells []string, quoted []bool) {
		for i, s := range cells {
			if i > 0 {
				b.WriteByte(',')
			}
			if quoted[i] {
				b.WriteString(`"` + strings.ReplaceAll(s, `"`, `""`) + `"`)
			} else {
				b.WriteString(s)
			}
		}
		b.WriteString("\r\n")
	}
	q := make([]bool, len(t.Header))
	for i := range q {
		q[i] = true
	}
	line(t.Header, q)
	for _, r := range t.Rows {
		cells := []string{r.Label}
		quoted := []bool{true}
		for _, c := range r.Cells {
			cells = append(cells, c.String())
			quoted = append(quoted, c.Kind == Text)
		}
		line(cells, quoted)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Report is one run of a report: its tables in HUD's order.
type Report struct {
	Kind   string // "apr", "caper"
	Params Params
	Tables []*Table
}

// Table returns the table with id, or nil.
func (r *Report) Table(id string) *Table {
	for _, t := range r.Tables {
		if strings.EqualFold(t.ID, id) {
			return t
		}
	}
	return nil
}

// WriteSageZip writes the report as Sage's upload: a zip with one
// Q<id>.csv per table (REFERENCE.md §4.2).
func (r *Report) WriteSageZip(w io.Writer) error {
	zw := zip.NewWriter(w)
	for _, t := range r.Tables {
		f, err := zw.Create(t.ID + ".csv")
		if err != nil {
			return err
		}
		if err := t.WriteCSV(f); err != nil {
			return err
		}
	}
	return zw.Close()
}

// ReadCSV reads a table in HUD's layout (row 1 header, column A labels), as
// the test kit and Sage hold them.
func ReadCSV(rd io.Reader) (header []string, rows [][]string, err error) {
	cr := csv.NewReader(rd)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, nil, err
	}
	if len(recs) == 0 {
		return nil, nil, fmt.Errorf("empty table")
	}
	for i := range recs[0] {
		recs[0][i] = strings.TrimPrefix(recs[0][i], "\ufeff")
	}
	return recs[0], recs[1:], nil
}
