package hmiscsv

import (
	"archive/zip"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// Export is an opened HMIS CSV export (a zip or a folder).
type Export struct {
	Version string      // "2026", "2024" or "2022", detected from the headers and CSVVersion
	Header  hmis.Export // the first row of Export.csv, converted to FY2026
	// Progress, when set, is called about every 10,000 rows and at the end
	// of each file, for progress bars: bytesRead of bytesTotal (uncompressed).
	Progress func(file string, rows int, bytesRead, bytesTotal int64)
	// DropInvalidRows, when set, leaves out the rows that the severity
	// policy makes errors only because they are cut short or point at a
	// record that is not in the file set (hearth import
	// --drop-invalid-rows): each is a warning "dropped: ..." and counted in
	// Report.Dropped. Every other error stays an error.
	DropInvalidRows bool

	path  string
	zip   *zip.ReadCloser
	files map[string]*entry // by lower-case base name: "client.csv"
	total int64             // uncompressed bytes of all files
	spec  *hud.Spec         // the detected version's layout
}

// Open opens an HMIS CSV export: a .zip or a folder. The CSV files may sit
// in a sub-folder of the zip; names are matched case-insensitively.
