package hmiscsv

import (
	"strings"
	"testing"
)

// opDates sets the project's operating start and end dates (2.02.3, 2.02.4).
func opDates(start, end string) func(string) string {
	return replace("Shelter\",,2020-01-01,,", "Shelter\",,"+start+","+end+",")
}

// noExit empties Exit.csv (header only).
func noExit(s string) string { return s[:strings.Index(s, "\r\n")+2] }

// inventory adds an Inventory.csv row of P1 with the given dates.
func inventory(start, end string) func(string) string {
	return func(s string) string {
		return s + "V1,P1,XX-501,1,,1,1,0,0,0,0,0,0,1,," + start + "," + end + ",2025-10-02 09:30:00,2025-10-02 09:30:00,U1,,X1\r\n"
	}
}

// TestOperatingChecks: eva 1, 99, 116–120, 44 and 79, each a warning on the
// row, column and value it is about. The fixture's project operates from
// 2020-01-01; its enrollment runs from 2025-01-15 to 2025-03-01; the
// export is dated 2025-10-02.
func TestOperatingChecks(t *testing.T) {
	type edits = map[string]func(string) string
	cases := []struct {
		name          string
		edits         edits
		file          string
		row           int
		col, val, msg string
	}{
		{"116 begins after the operating end", edits{"Project.csv": opDates("2020-01-01", "2024-12-31")},
			"Enrollment.csv", 2, "EntryDate", "2025-01-15", "eva 116"},
		{"117 begins before the operating start", edits{"Project.csv": opDates("2025-02-01", "")},
			"Enrollment.csv", 2, "EntryDate", "2025-01-15", "eva 117"},
		{"118 ends before the operating start", edits{"Project.csv": opDates("2025-06-01", "")},
			"Exit.csv", 2, "ExitDate", "2025-03-01", "eva 118"},
		{"118 open, operating start to come", edits{"Project.csv": opDates("2026-01-01", ""), "Exit.csv": noExit},
			"Enrollment.csv", 2, "EntryDate", "2025-01-15", "eva 118"},
		{"119 ends after the operating end", edits{"Project.csv": opDates("2020-01-01", "2025-02-01")},
			"Exit.csv", 2, "ExitDate", "2025-03-01", "eva 119"},
		{"119 open after the operating end", edits{"Project.csv": opDates("2020-01-01", "2025-06-01"), "Exit.csv": noExit},
			"Enrollment.csv", 2, "EntryDate", "2025-01-15", "eva 119"},
		{"120 crosses the operating period", edits{"Project.csv": opDates("2025-02-01", "2025-02-15")},
			"Enrollment.csv", 2, "EntryDate", "2025-01-15", "eva 120"},
		{"120 open across the operating period", edits{"Project.csv": opDates("2025-02-01", "2025-06-01"), "Exit.csv": noExit},
			"Enrollment.csv", 2, "EntryDate", "2025-01-15", "eva 120"},
		{"99 exit before start", edits{"Exit.csv": replace("2025-03-01", "2025-01-01")},
			"Exit.csv", 2, "ExitDate", "2025-01-01", "eva 99"},
		{"1 duplicate entry", edits{"Enrollment.csv": func(s string) string {
			row := strings.Split(s, "\r\n")[1]
			return s + strings.Replace(strings.Replace(row, "E1,", "E2,", 1), ",H1,1,", ",H2,1,", 1) + "\r\n"
		}}, "Enrollment.csv", 3, "EntryDate", "2025-01-15", "eva 1)"},
		{"79 inventory before the operating start", edits{"Inventory.csv": inventory("2019-06-01", "")},
			"Inventory.csv", 2, "InventoryStartDate", "2019-06-01", "eva 79"},
		{"44 inventory after the operating end", edits{"Project.csv": opDates("2020-01-01", "2025-12-31"), "Inventory.csv": inventory("2020-01-01", "2026-06-30")},
			"Inventory.csv", 2, "InventoryEndDate", "2026-06-30", "eva 44"},
		{"44 inventory open, the project closed", edits{"Project.csv": opDates("2020-01-01", "2025-12-31"), "Inventory.csv": inventory("2020-01-01", "")},
			"Inventory.csv", 2, "InventoryEndDate", "", "eva 44"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, rep, err := ReadDataset(fixture(t, tc.edits))
			if err != nil {
				t.Fatal(err)
			}
			if rep.Errors() > 0 {
				t.Fatalf("%d errors\n%s", rep.Errors(), summary(rep))
			}
			var found []Issue
			for _, is := range rep.Issues {
				if strings.Contains(is.Message, "eva ") && (strings.Contains(is.Message, "2.02") || strings.Contains(is.Message, "3.1")) {
					found = append(found, is)
				}
			}
			if len(found) != 1 {
				t.Fatalf("%d operating-period or date warnings, want 1\n%s", len(found), summary(rep))
			}
			is := found[0]
			if is.Severity != Warning || is.File != tc.file || is.Row != tc.row || is.Column != tc.col || is.Value != tc.val || !strings.Contains(is.Message, tc.msg) {
				t.Errorf("got %s; want %s row %d, %s %q: %s", is, tc.file, tc.row, tc.col, tc.val, tc.msg)
			}
		})
	}
}

// TestOperatingChecksWithinPeriod: an enrollment inside the operating
// period, and inventory inside it, raise none of these warnings.
func TestOperatingChecksWithinPeriod(t *testing.T) {
	_, rep, err := ReadDataset(fixture(t, map[string]func(string) string{
		"Project.csv": opDates("2020-01-01", "2025-12-31"), "Inventory.csv": inventory("2020-01-01", "2025-12-31")}))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Errors() != 0 || rep.Warnings() != 0 {
		t.Errorf("%d errors, %d warnings\n%s", rep.Errors(), rep.Warnings(), summary(rep))
	}
}
