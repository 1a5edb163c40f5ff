package hmiscsv

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// entry is one CSV file of an export.
type entry struct {
	name string // as found: "Sample HMIS Data/Client.csv"
	dir  string // folder inside the export; "" at the top
	size int64  // uncompressed bytes
	open func() (io.ReadCloser, error)
}

// Open opens an HMIS CSV export: a .zip or a folder. The CSV files may sit
// in a sub-folder of the zip; names are matched case-insensitively. Open
// fails only when the file set cannot be read at all; everything else is
// reported by Read.
func Open(p string) (*Export, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("hmiscsv: %s: %w", filepath.Base(p), errors.Unwrap(err))
	}
	x := &Export{path: p, files: map[string]*entry{}}
	var all []*entry
	if st.IsDir() {
		err = filepath.WalkDir(p, func(fp string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !strings.EqualFold(filepath.Ext(fp), ".csv") {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(p, fp)
			rel = filepath.ToSlash(rel)
			name := fp
			all = append(all, &entry{name: rel, dir: path.Dir(rel), size: info.Size(),
				open: func() (io.ReadCloser, error) { return os.Open(name) }})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("hmiscsv: %s: cannot read the folder: %v", filepath.Base(p), err)
		}
	} else {
		zr, err := zip.OpenReader(p)
		if err != nil {
			return nil, fmt.Errorf("hmiscsv: %s is not a zip file or a folder (%v)", filepath.Base(p), err)
		}
		x.zip = zr
		for _, f := range zr.File {
			if f.FileInfo().IsDir() || !strings.EqualFold(path.Ext(f.Name), ".csv") ||
				strings.HasPrefix(f.Name, "__MACOSX/") || strings.HasPrefix(path.Base(f.Name), "._") {
				continue
			}
			f := f
			all = append(all, &entry{name: f.Name, dir: path.Dir(f.Name), size: int64(f.UncompressedSize64), open: f.Open})
		}
	}
	for i := range all {
		if all[i].dir == "." {
			all[i].dir = ""
		}
	}
	// The shallowest copy of each file wins (a zip may hold a folder).
	sort.SliceStable(all, func(i, j int) bool { return strings.Count(all[i].name, "/") < strings.Count(all[j].name, "/") })
	for _, e := range all {
		k := strings.ToLower(path.Base(e.name))
		if _, ok := x.files[k]; !ok {
			x.files[k] = e
			x.total += e.size
		}
	}
	if len(x.files) == 0 {
		x.Close()
		return nil, fmt.Errorf("hmiscsv: %s holds no CSV files", filepath.Base(p))
	}
	x.detect()
	return x, nil
}

// Close releases the export's files.
func (x *Export) Close() error {
	if x.zip != nil {
		err := x.zip.Close()
		x.zip = nil
		return err
	}
	return nil
}

// header returns the header row of a file, or nil when the file is absent or empty.
func (x *Export) header(file string) []string {
	e := x.files[strings.ToLower(file)]
	if e == nil {
		return nil
	}
	rc, err := e.open()
	if err != nil {
		return nil
	}
	defer rc.Close()
	cr := csv.NewReader(skipBOM(bufio.NewReader(rc)))
	h, err := cr.Read()
	if err != nil {
		return nil
	}
	return h
}

func hasColumn(h []string, name string) bool {
	for _, c := range h {
		if strings.EqualFold(strings.TrimSpace(c), name) {
			return true
		}
	}
	return false
}

// detect finds the version from the headers (and Export.CSVVersion) and
// reads Export.csv's first row into x.Header.
func (x *Export) detect() {
	client := x.header("Client.csv")
	switch {
	case x.files["enrollmentcoc.csv"] != nil || hasColumn(client, "Ethnicity") || hasColumn(client, "Female"):
		x.Version = "2022"
	case hasColumn(client, "HispanicLatinaeo") || hasColumn(client, "Woman") || hasColumn(client, "GenderNone"):
		x.Version = "2024"
	case hasColumn(client, "HispanicLatinao") || hasColumn(client, "Sex"):
		x.Version = "2026"
	}
	// Export.csv's first row, read without validation (Read validates it).
	if e := x.files["export.csv"]; e != nil {
		if rc, err := e.open(); err == nil {
			cr := csv.NewReader(skipBOM(bufio.NewReader(rc)))
			cr.FieldsPerRecord = -1
			h, err1 := cr.Read()
			r, err2 := cr.Read()
			rc.Close()
			if err1 == nil && err2 == nil {
				rt := recordByName["export"]
				p := rt.newFunc()
				for i, name := range h {
					if f := rt.field(strings.TrimSpace(name)); f != nil && i < len(r) {
						decodeLoose(p, f, r[i])
					}
				}
				x.Header = *(*hmis.Export)(p)
			}
		}
	}
	if x.Version == "" {
		v := strings.TrimSpace(x.Header.CSVVersion)
		switch {
		case strings.HasPrefix(v, "2024"):
			x.Version = "2024"
		case strings.HasPrefix(v, "2022"), strings.HasPrefix(v, "1."):
			x.Version = "2022"
		default:
			x.Version = "2026"
		}
	}
	x.spec = map[string]*hud.Spec{"2026": hud.FY2026, "2024": hud.FY2024, "2022": hud.FY2022}[x.Version]
}

// decodeLoose sets a field from a value, ignoring what cannot be read.
func decodeLoose(p uintptrRecord, f *field, s string) {
	if s == "" {
		return
	}
	switch f.kind {
	case kString:
		setString(p, f, s)
	case kIntPtr:
		if n, _, ok := parseInt(s); ok {
			setInt(p, f, n)
		}
	case kDate:
		if d, _, ok := parseDate(s); ok {
			*(*hmis.Date)(fieldPtr(p, f)) = d
		}
	case kDateTime:
		if t, _, ok := parseDateTime(s); ok {
			*(*timeT)(fieldPtr(p, f)) = t
		}
	case kMoneyPtr:
		if m, _, ok := parseMoney(s); ok {
			*(**hmis.Money)(fieldPtr(p, f)) = &m
		}
	}
}

// skipBOM drops a UTF-8 byte order mark.
func skipBOM(r *bufio.Reader) *bufio.Reader {
	if b, err := r.Peek(3); err == nil && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		r.Discard(3)
	}
	return r
}
