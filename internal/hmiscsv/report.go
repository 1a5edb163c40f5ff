package hmiscsv

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Severity says whether an Issue stops an import.
type Severity int

// Severities (KNOWN-ISSUES.md, import severity policy).
const (
	Warning Severity = iota // imported as meant, listed in the report
	Error                   // nothing may be written
)

func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// Issue is one finding of the reader.
type Issue struct {
	File     string // "Client.csv"; "" for the file set as a whole
	Row      int    // line number in the file, header = 1; 0 for the file as a whole
	Column   string // HUD's column name, "" for the row or file
	Value    string // the value as read; redacted for PII columns (names, SSN, DOB)
	Message  string
	Severity Severity
}

func (i Issue) String() string {
	s := i.File
	if s == "" {
		s = "export"
	}
	if i.Row > 0 {
		s += " row " + strconv.Itoa(i.Row)
	}
	if i.Column != "" {
		s += ", " + i.Column
		if i.Value != "" {
			s += " " + strconv.Quote(i.Value)
		}
	}
	return fmt.Sprintf("%s: %s (%s)", s, i.Message, i.Severity)
}

// FileSummary is one file of the export as read.
type FileSummary struct {
	Name string // "Client.csv"
	Rows int    // data rows (header excluded)
}

// MaxIssuesPerKind caps Report.Issues: of each kind (file, column, message
// and severity), the first MaxIssuesPerKind are kept and the rest counted
// in Report.Omitted.
const MaxIssuesPerKind = 1000

// Report is the result of reading an export.
type Report struct {
	Version string        // "2026", "2024" or "2022"
	Files   []FileSummary // the files read, in HUD order
	Issues  []Issue       // capped, see MaxIssuesPerKind
	// Omitted counts the issues left out of Issues, by kind
	// ("Client.csv DOB: not a date (error)").
	Omitted map[string]int
	// Dropped counts the rows left out by Export.DropInvalidRows, by file
	// ("Enrollment.csv"); each also has its "dropped: ..." warning.
	Dropped map[string]int

	errors, warnings int
	kinds            map[issueKind]int
}

type issueKind struct {
	file, column, message string
	sev                   Severity
}

// add records an issue, keeping the first MaxIssuesPerKind of each kind.
func (r *Report) add(i Issue) {
	if i.Severity == Error {
		r.errors++
	} else {
		r.warnings++
	}
	if r.kinds == nil {
		r.kinds = map[issueKind]int{}
	}
	k := issueKind{i.File, i.Column, i.Message, i.Severity}
	n := r.kinds[k]
	r.kinds[k] = n + 1
	if n < MaxIssuesPerKind {
		r.Issues = append(r.Issues, i)
		return
	}
	if r.Omitted == nil {
		r.Omitted = map[string]int{}
	}
	key := i.File
	if i.Column != "" {
		key += " " + i.Column
	}
	r.Omitted[fmt.Sprintf("%s: %s (%s)", key, i.Message, i.Severity)]++
}

// Errors returns the number of errors found, including omitted ones.
func (r *Report) Errors() int { return r.errors }

// Warnings returns the number of warnings found, including omitted ones.
func (r *Report) Warnings() int { return r.warnings }

// DroppedRows returns the number of rows left out by Export.DropInvalidRows.
func (r *Report) DroppedRows() int {
	n := 0
	for _, c := range r.Dropped {
		n += c
	}
	return n
}

// DroppedText lists the dropped rows by file for a record or an audit
// entry: "Disabilities.csv 1, Enrollment.csv 75"; "" when none.
func (r *Report) DroppedText() string {
	var parts []string
	for _, f := range sortedKeys(r.Dropped) {
		parts = append(parts, fmt.Sprintf("%s %d", f, r.Dropped[f]))
	}
	return strings.Join(parts, ", ")
}

// WriteText writes the report for people: a summary, then one line per
// issue ("Client.csv row 17, DOB "####-##-##": not a date (error)").
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("HMIS CSV version %s: %d errors, %d warnings\n", r.Version, r.errors, r.warnings)
	for _, f := range r.Files {
		if n := r.Dropped[f.Name]; n > 0 {
			ew.printf("  %s: %d rows, %d dropped\n", f.Name, f.Rows, n)
			continue
		}
		ew.printf("  %s: %d rows\n", f.Name, f.Rows)
	}
	for _, i := range r.Issues {
		ew.printf("%s\n", i)
	}
	for _, k := range sortedKeys(r.Omitted) {
		ew.printf("... and %d more: %s\n", r.Omitted[k], k)
	}
	return ew.err
}

// WriteCSV writes the issues as CSV: file,row,column,value,severity,message.
// Omitted issues are summed up in rows with an empty row number.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"file", "row", "column", "value", "severity", "message"})
	for _, i := range r.Issues {
		row := ""
		if i.Row > 0 {
			row = strconv.Itoa(i.Row)
		}
		cw.Write([]string{i.File, row, i.Column, i.Value, i.Severity.String(), i.Message})
	}
	for _, k := range sortedKeys(r.Omitted) {
		cw.Write([]string{"", "", "", "", "", fmt.Sprintf("%d more: %s", r.Omitted[k], k)})
	}
	cw.Flush()
	return cw.Error()
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
