package hmiscsv

import (
	"maps"
	"strings"
	"testing"
)

// orphanEdits add to the valid fixture an enrollment E2 whose client C9 is
// not in Client.csv, an exit of E2, and a second IncomeBenefits row of E1
// cut short at the end of the file (no final newline): the three kinds of
// rows --drop-invalid-rows leaves out.
var orphanEdits = map[string]func(string) string{
	"Enrollment.csv": func(s string) string {
		row := strings.Split(s, "\r\n")[1]
		return s + strings.Replace(strings.Replace(row, "E1,C1,", "E2,C9,", 1), ",H1,", ",H2,", 1) + "\r\n"
	},
	"Exit.csv": func(s string) string {
		return s + strings.Replace(strings.Split(s, "\r\n")[1], "X1,E1,C1,", "X2,E2,C9,", 1) + "\r\n"
	},
	"IncomeBenefits.csv": func(s string) string {
		row := strings.Replace(strings.Split(s, "\r\n")[1], "I1,", "I2,", 1)
		return s + row[:strings.Index(row, ",2025-10-02 09:30:00")] // cut short, no final newline
	},
}

func TestDropInvalidRows(t *testing.T) {
	dir := fixture(t, orphanEdits)

	// Strict (the default): errors, named with file and row.
	_, rep, err := readDataset(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct {
		file string
		row  int
		msg  string
	}{
		{"Enrollment.csv", 3, "no Client.csv row has this PersonalID"},
		{"Exit.csv", 3, "no Enrollment.csv row has this EnrollmentID"},
		{"Exit.csv", 3, "no Client.csv row has this PersonalID"},
		{"IncomeBenefits.csv", 3, "truncated"},
	} {
		if !hasIssue(rep, Error, want.file, want.row, want.msg) {
			t.Errorf("strict: no error %q at %s row %d\n%s", want.msg, want.file, want.row, summary(rep))
		}
	}
	if rep.Errors() != 4 || rep.DroppedRows() != 0 {
		t.Errorf("strict: %d errors, %d dropped; want 4, 0\n%s", rep.Errors(), rep.DroppedRows(), summary(rep))
	}

	// With the option: no errors, the three rows left out with warnings.
	ds, rep, err := readDataset(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Errors() != 0 {
		t.Fatalf("dropping: %d errors\n%s", rep.Errors(), summary(rep))
	}
	for _, want := range []struct {
		file string
		row  int
		msg  string
	}{
		{"Enrollment.csv", 3, "dropped: no Client.csv row has this PersonalID"},
		{"Exit.csv", 3, "dropped: no Enrollment.csv row has this EnrollmentID"},
		{"IncomeBenefits.csv", 3, "dropped: row has "},
	} {
		if !hasIssue(rep, Warning, want.file, want.row, want.msg) {
			t.Errorf("dropping: no warning %q at %s row %d\n%s", want.msg, want.file, want.row, summary(rep))
		}
	}
	wantDropped := map[string]int{"Enrollment.csv": 1, "Exit.csv": 1, "IncomeBenefits.csv": 1}
	if !maps.Equal(rep.Dropped, wantDropped) || rep.DroppedRows() != 3 {
		t.Errorf("Dropped = %v, want %v", rep.Dropped, wantDropped)
	}
	if got := rep.DroppedText(); got != "Enrollment.csv 1, Exit.csv 1, IncomeBenefits.csv 1" {
		t.Errorf("DroppedText = %q", got)
	}
	if len(ds.Enrollments) != 1 || ds.Enrollments[0].EnrollmentID != "E1" || len(ds.Exits) != 1 || ds.Exits[0].ExitID != "X1" ||
		len(ds.IncomeBenefits) != 1 || ds.IncomeBenefits[0].IncomeBenefitsID != "I1" {
		t.Errorf("kept %d enrollments, %d exits, %d income rows", len(ds.Enrollments), len(ds.Exits), len(ds.IncomeBenefits))
	}
}

// TestDropInvalidRowsKeepsOtherErrors: the option drops nothing else; a row
// that has another error besides a missing reference stays an error.
func TestDropInvalidRowsKeepsOtherErrors(t *testing.T) {
	withOrphans := func(extra map[string]func(string) string) map[string]func(string) string {
		m := maps.Clone(orphanEdits)
		for f, fn := range extra {
			if old, ok := m[f]; ok {
				m[f] = func(s string) string { return fn(old(s)) }
			} else {
				m[f] = fn
			}
		}
		return m
	}
	cases := []struct {
		name  string
		edits map[string]func(string) string
		file  string
		row   int
		msg   string
	}{
		{"orphan with an impossible date", withOrphans(map[string]func(string) string{"Enrollment.csv": func(s string) string {
			i := strings.Index(s, "E2,C9,P1,2025-01-15")
			return s[:i] + strings.Replace(s[i:], "2025-01-15", "2023-02-30", 1)
		}}), "Enrollment.csv", 3, "not a date"},
		{"orphan with an impossible date keeps the orphan an error", withOrphans(map[string]func(string) string{"Enrollment.csv": func(s string) string {
			i := strings.Index(s, "E2,C9,P1,2025-01-15")
			return s[:i] + strings.Replace(s[i:], "2025-01-15", "2023-02-30", 1)
		}}), "Enrollment.csv", 3, "no Client.csv row"},
		{"dollar sign", withOrphans(map[string]func(string) string{"IncomeBenefits.csv": replace("1234.50", "$12")}), "IncomeBenefits.csv", 2, "not an amount of money"},
		{"duplicate key", withOrphans(map[string]func(string) string{"Client.csv": func(s string) string { return s + strings.Split(s, "\r\n")[1] + "\r\n" }}), "Client.csv", 3, "duplicate key"},
		{"too many fields", map[string]func(string) string{"Exit.csv": func(s string) string { return strings.Replace(s, ",X1\r\n", ",X1,extra\r\n", 1) }}, "Exit.csv", 2, "truncated or broken"},
		{"missing Client.csv", map[string]func(string) string{"Client.csv": remove}, "Client.csv", 0, "required file missing"},
		{"project of a funder missing", map[string]func(string) string{"ProjectCoC.csv": replace(",P1,", ",P9,")}, "ProjectCoC.csv", 2, "no Project.csv row"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, rep, err := readDataset(fixture(t, tc.edits), true)
			if err != nil {
				t.Fatal(err)
			}
			if !hasIssue(rep, Error, tc.file, tc.row, tc.msg) {
				t.Errorf("no error %q at %s row %d\n%s", tc.msg, tc.file, tc.row, summary(rep))
			}
		})
	}
}

// TestDropInvalidRowsCascade: a dropped project takes its ProjectCoC rows,
// its enrollments and their records with it.
func TestDropInvalidRowsCascade(t *testing.T) {
	dir := fixture(t, map[string]func(string) string{"Project.csv": func(s string) string {
		s = strings.TrimSuffix(s, "\r\n")
		return s[:strings.LastIndex(s, ",")] + "\r\n" // the one row loses its last field
	}})
	ds, rep, err := readDataset(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Errors() != 0 {
		t.Fatalf("%d errors\n%s", rep.Errors(), summary(rep))
	}
	want := map[string]int{"Project.csv": 1, "ProjectCoC.csv": 1, "Enrollment.csv": 1, "Exit.csv": 1, "IncomeBenefits.csv": 1}
	if !maps.Equal(rep.Dropped, want) {
		t.Errorf("Dropped = %v, want %v\n%s", rep.Dropped, want, summary(rep))
	}
	if !hasIssue(rep, Warning, "ProjectCoC.csv", 2, "(that row was dropped)") {
		t.Errorf("no cascade warning\n%s", summary(rep))
	}
	if len(ds.Projects)+len(ds.ProjectCoCs)+len(ds.Enrollments)+len(ds.Exits) != 0 || len(ds.Clients) != 1 {
		t.Errorf("kept %d projects, %d enrollments, %d clients", len(ds.Projects), len(ds.Enrollments), len(ds.Clients))
	}
}
