package hmiscsv

import (
	"archive/zip"
	"compress/flate"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// CSVVersion is what the writer puts in Export.CSVVersion.
const CSVVersion = "2026 v1.0"

// SoftwareName is what the writer puts in Export.SoftwareName.
const SoftwareName = "Hearth"

// WriterOptions controls an export.
type WriterOptions struct {
	// Hashed writes HashStatus 4: FirstName, MiddleName, LastName and
	// NameSuffix as the SHA-256 of their Soundex code, SSN as the SHA-256 of
	// its 9 characters, each as 64 lower-case hex digits (docs/hmis-csv.md).
	Hashed bool
}

// Writer writes an FY2026 HMIS CSV export as a zip: all 24 files in HUD's
// order, HUD's column order and spelling, RFC 4180 quoting (only fields
// that need it), CRLF line ends, UTF-8 without BOM. The same records give
// the same bytes.
type Writer struct {
	zw     *zip.Writer
	header hmis.Export
	opt    WriterOptions
	cur    int // index in recordTypes of the file being written
	cw     *csv.Writer
	row    []string
	err    error
	closed bool
}

// NewWriter returns a Writer of a zip to w. header is Export.csv's row;
// the writer sets SoftwareName "Hearth", CSVVersion "2026 v1.0" and
// HashStatus (1, or 4 when hashed), and fills an empty ExportID, ExportDate,
// ExportPeriodType (3), ExportDirective (2) and ImplementationID ("Hearth").
// Every ExportID column is written as the header's ExportID.
func NewWriter(w io.Writer, header hmis.Export, opt WriterOptions) *Writer {
	if header.ExportDate.IsZero() {
		header.ExportDate = time.Now().UTC().Truncate(time.Second)
	}
	if header.ExportID == "" {
		header.ExportID = "HEARTH" + header.ExportDate.Format("20060102150405")
	}
	header.SoftwareName = SoftwareName
	header.CSVVersion = CSVVersion
	hs := hud.HashStatus(1)
	if opt.Hashed {
		hs = 4
	}
	header.HashStatus = &hs
	if header.ExportPeriodType == nil {
		v := hud.ExportPeriodType(3)
		header.ExportPeriodType = &v
	}
	if header.ExportDirective == nil {
		v := hud.ExportDirective(2)
		header.ExportDirective = &v
	}
	if header.ImplementationID == "" {
		header.ImplementationID = SoftwareName
	}
	zw := zip.NewWriter(w)
	// Fastest deflate: at 1M clients the default level spent 87 of the
	// export's 357 CPU seconds compressing, for a zip only ~30% smaller
	// (docs/PERFORMANCE.md).
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	return &Writer{zw: zw, header: header, opt: opt, cur: -1}
}

// Header returns Export.csv's row as written.
func (w *Writer) Header() hmis.Export { return w.header }

// advance finishes files up to (not including) index i and starts file i.
func (w *Writer) advance(i int) error {
	for w.cur < i {
		if w.cw != nil {
			w.cw.Flush()
			if err := w.cw.Error(); err != nil {
				return err
			}
		}
		w.cur++
		rt := recordTypes[w.cur]
		fw, err := w.zw.CreateHeader(&zip.FileHeader{Name: rt.name, Method: zip.Deflate, Modified: w.header.ExportDate.UTC()})
		if err != nil {
			return err
		}
		w.cw = csv.NewWriter(fw)
		w.cw.UseCRLF = true
		w.row = w.row[:0]
		for _, f := range rt.fields {
			w.row = append(w.row, f.col.Name)
		}
		w.cw.Write(w.row)
		if rt.file.Name == "Export" {
			h := w.header
			w.writeRow(rt, unsafe.Pointer(&h))
		}
	}
	return nil
}

// Write writes one record: a pointer to a typed record (*hmis.Client, ...).
// Records arrive grouped by file in HUD's file order.
func (w *Writer) Write(rec any) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("hmiscsv: Write after Close")
	}
	t := reflect.TypeOf(rec)
	rt := recordByType[t]
	if rt == nil || rt.file.Name == "Export" {
		return fmt.Errorf("hmiscsv: cannot write %T (want a pointer to a record type other than Export)", rec)
	}
	i := indexOf(rt)
	if i < w.cur {
		w.err = fmt.Errorf("hmiscsv: %s record after %s: records must come in HUD's file order", rt.file.Name, recordTypes[w.cur].file.Name)
		return w.err
	}
	if err := w.advance(i); err != nil {
		w.err = err
		return err
	}
	p := reflect.ValueOf(rec).UnsafePointer()
	if p == nil {
		return fmt.Errorf("hmiscsv: nil %T", rec)
	}
	w.writeRow(rt, p)
	return nil
}

func indexOf(rt *recordType) int {
	for i, x := range recordTypes {
		if x == rt {
			return i
		}
	}
	return -1
}

func (w *Writer) writeRow(rt *recordType, p unsafe.Pointer) {
	w.row = w.row[:0]
	for i := range rt.fields {
		f := &rt.fields[i]
		s := ""
		switch f.kind {
		case kString:
			s = stringValue(p, f)
			if f.col.Name == "ExportID" {
				s = w.header.ExportID
			} else if w.opt.Hashed && rt.file.Name == "Client" && s != "" && hashedColumns[f.col.Name] {
				s = hashValue(f.col.Name, s)
			}
		case kIntPtr:
			if v, ok := intValue(p, f); ok {
				s = strconv.Itoa(v)
			}
		case kDate:
			s = dateValue(p, f).String()
		case kDateTime:
			if t := *(*time.Time)(fieldPtr(p, f)); !t.IsZero() {
				s = t.Format(hmis.DateTimeLayout)
			}
		case kMoneyPtr:
			if m := *(**hmis.Money)(fieldPtr(p, f)); m != nil {
				s = m.String()
			}
		}
		w.row = append(w.row, s)
	}
	w.cw.Write(w.row)
}

// Close writes every remaining file (header only) and finishes the zip.
// It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	if err := w.advance(len(recordTypes) - 1); err != nil {
		return err
	}
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		return err
	}
	return w.zw.Close()
}

// WriteDataset writes ds as a zip to w, with ds.Export as the header.
func WriteDataset(w io.Writer, ds *hmis.Dataset, opt WriterOptions) error {
	zw := NewWriter(w, ds.Export, opt)
	v := reflect.ValueOf(ds).Elem()
	for _, rt := range recordTypes[1:] {
		s := v.FieldByName(rt.plural)
		for i := 0; i < s.Len(); i++ {
			if err := zw.Write(s.Index(i).Addr().Interface()); err != nil {
				return err
			}
		}
	}
	return zw.Close()
}

// ReadDataset reads the whole export at path into memory (for tests and
// small files). When the report has errors the dataset holds only the
// rows without errors.
func ReadDataset(path string) (*hmis.Dataset, *Report, error) {
	return readDataset(path, false)
}

// readDataset is ReadDataset, with Export.DropInvalidRows set to drop.
func readDataset(path string, drop bool) (*hmis.Dataset, *Report, error) {
	x, err := Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer x.Close()
	x.DropInvalidRows = drop
	ds := &hmis.Dataset{}
	v := reflect.ValueOf(ds).Elem()
	rep, err := x.Read(func(file string, row int, rec any) error {
		rt := recordByName[strings.ToLower(strings.TrimSuffix(file, ".csv"))]
		s := v.FieldByName(rt.plural)
		s.Set(reflect.Append(s, reflect.ValueOf(rec).Elem()))
		return nil
	})
	ds.Export = x.Header
	return ds, rep, err
}

// hashValue is HUD's hashed form of a Client name or SSN (HashStatus 4).
func hashValue(col, s string) string {
	if col != "SSN" {
		s = soundex(s)
		if s == "" {
			return ""
		}
	}
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// soundex is American Soundex: the first letter and three digits ("R163").
// Characters other than ASCII letters are ignored.
func soundex(s string) string {
	const codes = "01230120022455012623010202" // A..Z
	var out []byte
	var last byte
	for i := 0; i < len(s) && len(out) < 4; i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c < 'A' || c > 'Z' {
			continue
		}
		code := codes[c-'A']
		if len(out) == 0 {
			out = append(out, c)
			last = code
			continue
		}
		switch {
		case c == 'H' || c == 'W':
			continue // do not separate equal codes
		case code == '0':
			last = 0 // vowels separate equal codes
		case code != last:
			out = append(out, code)
			last = code
		}
	}
	if len(out) == 0 {
		return ""
	}
	for len(out) < 4 {
		out = append(out, '0')
	}
	return string(out)
}
