package hmiscsv

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// progressEvery is how many rows pass between Progress calls.
const progressEvery = 10000

// requiredFiles stop an import when missing (KNOWN-ISSUES.md).
var requiredFiles = map[string]bool{"Export": true, "Client": true, "Project": true, "Enrollment": true}

// piiColumns hold values that never appear in clear in a report.
var piiColumns = map[string]bool{"FirstName": true, "MiddleName": true, "LastName": true, "NameSuffix": true,
	"SSN": true, "DOB": true, "UserFirstName": true, "UserLastName": true, "UserPhone": true, "UserEmail": true,
	"SourceContactFirst": true, "SourceContactLast": true, "SourceContactPhone": true, "SourceContactEmail": true}

// hashedColumns may hold hashes of up to 64 characters when HashStatus is not 1.
var hashedColumns = map[string]bool{"FirstName": true, "MiddleName": true, "LastName": true, "NameSuffix": true, "SSN": true}

// redact keeps the shape of a PII value: digits become #, letters x.
func redact(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i >= 24 {
			b.WriteString("…")
			break
		}
		switch {
		case r >= '0' && r <= '9':
			b.WriteByte('#')
		case r == '-' || r == '/' || r == ' ' || r == ':' || r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('x')
		}
	}
	return b.String()
}

// reader is the state of one Read.
type reader struct {
	x    *Export
	rep  *Report
	fn   func(file string, row int, rec any) error
	seed maphash.Seed
	mh   maphash.Hash

	hashed    bool
	exportIDs map[string]bool
	have      map[string]bool // files present with a header

	users, orgs, projects, clients, assessments, projectCoCs map[uint64]struct{}
	enrollments                                              map[uint64]enrollInfo // by EnrollmentID hash
	projIdx                                                  map[uint64]int32      // ProjectID hash -> projs index
	projs                                                    []projInfo
	households                                               []hhRow    // Enrollment.csv rows for the household checks
	entries                                                  []entryRow // Enrollment.csv rows for eva 1 (operating.go)
	opRows                                                   []opRow    // enrollments waiting for Exit.csv (operating.go)
	// dropped holds the keys of the Organization, Project and Assessment
	// rows left out by DropInvalidRows (pair(file, key)), so that the rows
	// pointing at them are dropped too rather than stopping the import.
	dropped map[uint64]struct{}

	bytesDone int64
	conv      *converter
}

func (r *reader) hash(s string) uint64 { return maphash.String(r.seed, s) }

func (r *reader) pair(a, b string) uint64 {
	r.mh.Reset()
	r.mh.WriteString(a)
	r.mh.WriteByte(0)
	r.mh.WriteString(b)
	return r.mh.Sum64()
}

func (r *reader) issue(file string, row int, col, val, msg string, sev Severity) {
	if piiColumns[col] && val != "" {
		val = redact(val)
	}
	if len(val) > 200 {
		val = val[:200] + "…"
	}
	r.rep.add(Issue{File: file, Row: row, Column: col, Value: val, Message: msg, Severity: sev})
}

// Read streams every record in HUD's file order, converted to the FY2026
// model, and calls fn with a pointer to the typed record (*hmis.Client,
// *hmis.Enrollment, ...; Export.csv is in x.Header, not passed). file is
// the file name ("Client.csv") and row the line number (header = 1).
//
// Rows with errors are not passed to fn. A duplicate key in a large file
// is only known at the end of the file, after earlier rows were passed, so
// callers must discard everything when Report.Errors() > 0. If fn returns
// an error, Read stops and returns it with the report so far.
func (x *Export) Read(fn func(file string, row int, rec any) error) (*Report, error) {
	if fn == nil {
		fn = func(string, int, any) error { return nil }
	}
	r := &reader{x: x, fn: fn, seed: maphash.MakeSeed(), rep: &Report{Version: x.Version},
		exportIDs: map[string]bool{}, have: map[string]bool{},
		users: map[uint64]struct{}{}, orgs: map[uint64]struct{}{}, projects: map[uint64]struct{}{},
		clients: map[uint64]struct{}{}, assessments: map[uint64]struct{}{}, projectCoCs: map[uint64]struct{}{},
		enrollments: map[uint64]enrollInfo{}, projIdx: map[uint64]int32{}}
	r.mh.SetSeed(r.seed)
	r.hashed = x.Header.HashStatus != nil && *x.Header.HashStatus != 1
	r.conv = newConverter(x.Version)
	if x.Version != "2026" {
		r.issue("", 0, "", "", fmt.Sprintf("FY%s export: converted to FY2026 (docs/hmis-csv.md lists what changes)", x.Version), Warning)
	}
	dirs := map[string]bool{}
	for _, e := range x.files {
		if e.dir != "" {
			dirs[e.dir] = true
		}
	}
	for _, d := range sortedKeys(dirs) {
		r.issue("", 0, "", "", fmt.Sprintf("files sit in the folder %q of the export, not at its top", d), Warning)
	}
	known := map[string]bool{}
	for _, f := range x.spec.Files {
		known[strings.ToLower(f.FileName())] = true
	}
	for _, f := range hud.FY2026.Files {
		known[strings.ToLower(f.FileName())] = true
	}
	for _, k := range sortedKeys(x.files) {
		if !known[k] {
			r.issue(x.files[k].name, 0, "", "", "not an HMIS CSV file: ignored", Warning)
		}
	}
	for _, rt := range recordTypes {
		if x.files[strings.ToLower(rt.name)] != nil {
			continue
		}
		if requiredFiles[rt.file.Name] {
			r.issue(rt.name, 0, "", "", "required file missing", Error)
		} else if !r.conv.synthesizes(rt.file.Name) {
			r.issue(rt.name, 0, "", "", "file missing: read as empty", Warning)
		}
	}
	if x.Version == "2022" {
		if err := r.readEnrollmentCoC(); err != nil {
			return r.rep, err
		}
	}
	for _, rt := range recordTypes {
		if err := r.readFile(rt); err != nil {
			return r.rep, err
		}
		if rt.file.Name == "Exit" {
			r.checkOperating()
		}
	}
	if n := r.rowsOf("Enrollment.csv"); n == 0 && r.have["Enrollment"] {
		r.issue("Enrollment.csv", 0, "", "", "no enrollment records", Warning)
	}
	return r.rep, nil
}

func (r *reader) rowsOf(name string) int {
	for _, f := range r.rep.Files {
		if f.Name == name {
			return f.Rows
		}
	}
	return 0
}

// countingReader counts bytes for Progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// binding maps the header of one file onto the FY2026 record.
type binding struct {
	fields []*field      // per header index; nil when ignored
	src    []*hud.Column // per header index: the column in the file's version
	extras map[string]int
	limit  []int // per header index: maximum string length; 0 none
}

func (b *binding) extra(rec []string, name string) string {
	if i, ok := b.extras[strings.ToLower(name)]; ok && i < len(rec) {
		return rec[i]
	}
	return ""
}

// bind reads a header row.
func (r *reader) bind(rt *recordType, fileName, specName string, header []string) *binding {
	vf := r.x.spec.File(specName)
	b := &binding{fields: make([]*field, len(header)), src: make([]*hud.Column, len(header)), limit: make([]int, len(header)), extras: map[string]int{}}
	seen := map[string]bool{}
	last := -1
	ordered := true
	for i, h := range header {
		name := strings.TrimSpace(h)
		if seen[strings.ToLower(name)] {
			r.issue(fileName, 1, name, "", "column appears twice: the second is ignored", Warning)
			continue
		}
		seen[strings.ToLower(name)] = true
		var vc *hud.Column
		vi := -1
		if vf != nil {
			vc, vi = vf.Column(name)
		}
		target := name
		if vc != nil {
			if vc.Name != name {
				r.issue(fileName, 1, name, "", fmt.Sprintf("header spelled %q; HUD spells it %q", name, vc.Name), Warning)
			}
			if vi < last {
				ordered = false
			}
			last = vi
			target = r.conv.rename(specName, vc.Name)
		}
		var f *field
		if rt != nil {
			f = rt.field(target)
		}
		switch {
		case vc == nil && f == nil:
			r.issue(fileName, 1, name, "", "unknown column: ignored", Warning)
		case vc == nil:
			r.issue(fileName, 1, name, "", fmt.Sprintf("column not in the FY%s spec: read as FY2026", r.x.Version), Warning)
			vc = f.col
		case f == nil:
			b.extras[strings.ToLower(vc.Name)] = i
		}
		b.fields[i], b.src[i] = f, vc
		if vc != nil && vc.Type == hud.TypeString {
			b.limit[i] = vc.Length
			if r.hashed && hashedColumns[vc.Name] {
				b.limit[i] = 64
			}
		}
	}
	if !ordered {
		r.issue(fileName, 1, "", "", "columns in another order than HUD's (read by name)", Warning)
	}
	if vf != nil {
		for _, c := range vf.Columns {
			if !seen[strings.ToLower(c.Name)] {
				r.issue(fileName, 1, c.Name, "", "column missing: read as empty", Warning)
			}
		}
	}
	return b
}

// open opens one file for streaming; nil when absent. It reads the header.
func (r *reader) open(fileName string) (rc io.ReadCloser, cr *csv.Reader, cnt *countingReader, header []string, err error) {
	e := r.x.files[strings.ToLower(fileName)]
	if e == nil {
		return nil, nil, nil, nil, nil
	}
	name := e.name
	rc, err = e.open()
	if err != nil {
		r.issue(name, 0, "", "", "cannot be read: "+err.Error(), Error)
		return nil, nil, nil, nil, nil
	}
	cnt = &countingReader{r: rc}
	cr = csv.NewReader(skipBOM(bufio.NewReaderSize(cnt, 256<<10)))
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	h, err := cr.Read()
	if err == io.EOF {
		r.issue(baseName(name), 0, "", "", "empty file (no header row): read as empty", Warning)
		rc.Close()
		return nil, nil, cnt, nil, nil
	}
	if err != nil {
		r.issue(baseName(name), 1, "", "", "unreadable CSV: "+csvErr(err), Error)
		rc.Close()
		return nil, nil, cnt, nil, nil
	}
	return rc, cr, cnt, slices.Clone(h), nil
}

func baseName(n string) string {
	if i := strings.LastIndexByte(n, '/'); i >= 0 {
		return n[i+1:]
	}
	return n
}

func csvErr(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// readFile streams one file.
func (r *reader) readFile(rt *recordType) error {
	fileName := rt.name
	rc, cr, cnt, header, _ := r.open(fileName)
	if rc == nil {
		if cnt != nil {
			r.bytesDone += cnt.n
		}
		if rt.file.Name == "Export" {
			r.rep.Files = append(r.rep.Files, FileSummary{Name: fileName})
			return nil
		}
		n, err := r.conv.synthesize(r, rt)
		r.rep.Files = append(r.rep.Files, FileSummary{Name: fileName, Rows: n})
		return err
	}
	defer rc.Close()
	r.have[rt.file.Name] = true
	b := r.bind(rt, fileName, rt.file.Name, header)
	keyIdx := -1
	for i, f := range b.fields {
		if f != nil && f.idx == 0 {
			keyIdx = i
		}
	}
	if keyIdx < 0 {
		r.issue(fileName, 1, rt.fields[0].col.Name, "", "key column missing: file not read", Error)
		return nil
	}
	var pkHashes []uint64
	useSort := r.keySet(rt.file.Name) == nil && rt.file.Name != "Enrollment" && rt.file.Name != "Export"
	rows, parseErrs := 0, 0
	ck := &checker{r: r, rt: rt, file: fileName}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			r.issue(fileName, line, "", "", "unreadable CSV row: "+csvErr(err), Error)
			if parseErrs++; parseErrs > 100 {
				r.issue(fileName, line, "", "", "too many unreadable rows: rest of the file skipped", Error)
				break
			}
			continue
		}
		rows++
		line, _ := cr.FieldPos(0)
		if r.x.Progress != nil && rows%progressEvery == 0 {
			r.x.Progress(fileName, rows, r.bytesDone+cnt.n, r.x.total)
		}
		if len(rec) != len(header) {
			if r.x.DropInvalidRows && len(rec) < len(header) && rt.file.Name != "Export" {
				r.drop(fileName, line, "", "", fmt.Sprintf("row has %d fields, the header %d (truncated row)", len(rec), len(header)))
				if keyIdx < len(rec) {
					r.markDropped(rt.file.Name, strings.TrimSpace(rec[keyIdx]))
				}
				continue
			}
			r.issue(fileName, line, "", "", fmt.Sprintf("row has %d fields, the header %d (truncated or broken row)", len(rec), len(header)), Error)
			continue
		}
		p := rt.newFunc()
		ck.start(p, line)
		for i, s := range rec {
			if f := b.fields[i]; f != nil {
				ck.decode(f, b.src[i], b.limit[i], s)
			}
		}
		r.conv.convert(r, rt, p, b, rec, ck)
		ck.lists()
		if rt.file.Name == "Export" {
			ck.export()
			if !ck.bad && r.rowsOf(fileName) == 0 && len(r.exportIDs) == 1 {
				r.x.Header = *(*hmis.Export)(p)
			}
			continue
		}
		ck.keys(&pkHashes, useSort)
		ck.settle()
		if ck.bad {
			continue
		}
		ck.conditional()
		if err := r.fn(fileName, line, rt.asAny(p)); err != nil {
			return err
		}
	}
	r.bytesDone += cnt.n
	if rt.file.Name == "Export" && rows > 1 {
		r.issue(fileName, 0, "", "", fmt.Sprintf("Export.csv has %d rows: the first describes the export", rows), Warning)
	}
	r.rep.Files = append(r.rep.Files, FileSummary{Name: fileName, Rows: rows})
	if r.x.Progress != nil {
		r.x.Progress(fileName, rows, r.bytesDone, r.x.total)
	}
	if useSort {
		r.duplicates(rt, header[keyIdx], keyIdx, pkHashes)
	}
	if rt.file.Name == "Enrollment" {
		r.checkHouseholds(fileName)
		r.checkDuplicateEntries(fileName)
		r.sortOperating()
	}
	return nil
}

// duplicates finds repeated keys among the sorted hashes, then reads the
// file again for the rows of the repeats (only when there are any).
func (r *reader) duplicates(rt *recordType, keyCol string, keyIdx int, hs []uint64) {
	slices.Sort(hs)
	dups := map[uint64]int{}
	for i := 1; i < len(hs); i++ {
		if hs[i] == hs[i-1] {
			dups[hs[i]] = 0
		}
	}
	if len(dups) == 0 {
		return
	}
	e := r.x.files[strings.ToLower(rt.name)]
	rc, err := e.open()
	if err != nil {
		r.issue(rt.name, 0, keyCol, "", "duplicate keys", Error)
		return
	}
	defer rc.Close()
	cr := csv.NewReader(skipBOM(bufio.NewReaderSize(rc, 256<<10)))
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	cr.Read()
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil || keyIdx >= len(rec) {
			continue
		}
		h := r.hash(strings.TrimSpace(rec[keyIdx]))
		if n, ok := dups[h]; ok {
			dups[h] = n + 1
			if n > 0 {
				line, _ := cr.FieldPos(0)
				r.issue(rt.name, line, keyCol, rec[keyIdx], "duplicate key: an earlier row has it too", Error)
			}
		}
	}
}

// keySet is the set of keys kept for foreign-key checks, nil for files no
// one refers to.
func (r *reader) keySet(file string) map[uint64]struct{} {
	switch file {
	case "Organization":
		return r.orgs
	case "User":
		return r.users
	case "Project":
		return r.projects
	case "Client":
		return r.clients
	case "Assessment":
		return r.assessments
	}
	return nil
}

// checker validates one row.
type checker struct {
	r      *reader
	rt     *recordType
	file   string
	p      unsafe.Pointer
	line   int
	bad    bool // the row is not passed on
	failed bool // the row has an error (not only orphans)
	ints   []int
	// orphans are the row's references to records not in the file set,
	// kept until the row is settled (DropInvalidRows only).
	orphans []Issue
}

func (c *checker) start(p unsafe.Pointer, line int) {
	c.p, c.line, c.bad, c.failed = p, line, false, false
	c.ints = nil
	c.orphans = c.orphans[:0]
}

func (c *checker) warn(col, val, msg string) { c.r.issue(c.file, c.line, col, val, msg, Warning) }

func (c *checker) fail(col, val, msg string) {
	c.bad, c.failed = true, true
	c.r.issue(c.file, c.line, col, val, msg, Error)
}

// orphan reports a reference to a record that is not in the file set: an
// error under the severity policy, or, with DropInvalidRows, a reason to
// leave the row out (settle decides).
func (c *checker) orphan(col, val, msg string) {
	if !c.r.x.DropInvalidRows {
		c.fail(col, val, msg)
		return
	}
	c.bad = true
	c.orphans = append(c.orphans, Issue{Column: col, Value: val, Message: msg})
}

// settle ends a row's key checks under DropInvalidRows: a row whose only
// errors are orphan references is dropped with one warning (its first
// reason); a row with another error keeps them all as errors, as without
// the option.
func (c *checker) settle() {
	if len(c.orphans) == 0 {
		return
	}
	if c.failed {
		for _, o := range c.orphans {
			c.r.issue(c.file, c.line, o.Column, o.Value, o.Message, Error)
		}
		return
	}
	o := c.orphans[0]
	c.r.drop(c.file, c.line, o.Column, o.Value, o.Message)
	c.r.markDropped(c.rt.file.Name, stringValue(c.p, &c.rt.fields[0]))
}

// drop records a row left out by DropInvalidRows.
func (r *reader) drop(file string, line int, col, val, msg string) {
	if r.rep.Dropped == nil {
		r.rep.Dropped = map[string]int{}
	}
	r.rep.Dropped[file]++
	r.issue(file, line, col, val, "dropped: "+msg, Warning)
}

// markDropped remembers the key of a dropped Organization, Project or
// Assessment row: rows pointing at it are dropped in turn. (Clients and
// enrollments need no set: a row pointing at a missing one is dropped
// anyway.)
func (r *reader) markDropped(file, key string) {
	if key == "" || (file != "Organization" && file != "Project" && file != "Assessment") {
		return
	}
	if r.dropped == nil {
		r.dropped = map[uint64]struct{}{}
	}
	r.dropped[r.pair(file, key)] = struct{}{}
}

// wasDropped reports whether a row of file with key was dropped.
func (r *reader) wasDropped(file, key string) bool {
	_, ok := r.dropped[r.pair(file, key)]
	return ok
}

// missing reports a reference to a record of file that is not in it: an
// orphan when that record was dropped, an error otherwise.
func (c *checker) missing(file, col, val, msg string) {
	if c.r.wasDropped(file, val) {
		c.orphan(col, val, msg+" (that row was dropped)")
		return
	}
	c.fail(col, val, msg)
}

// setInt stores an integer from a per-row slab (one allocation per row).
func (c *checker) setInt(f *field, v int) {
	if len(c.ints) == 0 {
		c.ints = make([]int, c.rt.ints+2)
	}
	c.ints[0] = v
	*(**int)(fieldPtr(c.p, f)) = &c.ints[0]
	c.ints = c.ints[1:]
}

// decode reads one value into its field.
func (c *checker) decode(f *field, src *hud.Column, limit int, s string) {
	name := f.col.Name
	if s == "" {
		if f.idx == 0 {
			c.fail(name, "", "key value empty")
		} else if !src.Nullable {
			c.warn(name, "", "required value empty")
		}
		return
	}
	switch f.kind {
	case kString:
		if f.idx == 0 || strings.HasSuffix(name, "ID") {
			if t := strings.TrimSpace(s); t != s {
				s = t
			}
		}
		if limit > 0 && len(s) > limit {
			if utf8.RuneCountInString(s) > limit {
				c.warn(name, s, fmt.Sprintf("longer than S%d", limit))
			}
		}
		if !utf8.ValidString(s) {
			c.warn(name, "", "not valid UTF-8")
		}
		setString(c.p, f, s)
	case kIntPtr:
		if n, w, ok := parseInt(s); c.parsed(name, s, w, ok, "not a whole number") {
			c.setInt(f, n)
		}
	case kDate:
		if d, w, ok := parseDate(s); c.parsed(name, s, w, ok, "not a date (yyyy-mm-dd)") {
			*(*hmis.Date)(fieldPtr(c.p, f)) = d
		}
	case kDateTime:
		if t, w, ok := parseDateTime(s); c.parsed(name, s, w, ok, "not a date-time (yyyy-mm-dd hh:mm:ss)") {
			*(*timeT)(fieldPtr(c.p, f)) = t
		}
	case kMoneyPtr:
		if m, w, ok := parseMoney(s); c.parsed(name, s, w, ok, "not an amount of money (decimal dollars, no $ or commas)") {
			if m < 0 && src.NonNegative {
				c.warn(name, s, "negative amount where HUD allows none")
			}
			*(**hmis.Money)(fieldPtr(c.p, f)) = &m
		}
	}
}

// parsed reports a value parsed by one of the parse* functions: an error
// (the row is not passed on) when it could not be read (ok false), a
// warning when it was read with a tolerance (w, e.g. a date where a
// date-time belongs). It says whether the value may be stored.
func (c *checker) parsed(name, s, w string, ok bool, bad string) bool {
	if !ok {
		c.fail(name, s, bad)
		return false
	}
	if w != "" {
		c.warn(name, s, w)
	}
	return true
}

// lists checks integer codes against their FY2026 lists.
func (c *checker) lists() {
	for i := range c.rt.fields {
		f := &c.rt.fields[i]
		if f.kind != kIntPtr || (f.list == nil && f.listBy == nil) {
			continue
		}
		v, ok := intValue(c.p, f)
		if !ok {
			continue
		}
		l := f.list
		if f.listBy != nil {
			bv, ok := intValue(c.p, &c.rt.fields[f.by])
			if !ok {
				continue
			}
			l = hud.Lists[f.listBy.ListFor(bv)]
			if l == nil {
				continue
			}
		}
		lv, ok := l.LookupCode(v)
		switch {
		case !ok:
			c.warn(f.col.Name, strconv.Itoa(v), fmt.Sprintf("code not in list %s (%s): kept as given", l.Code, l.Name))
		case lv.Retired:
			c.warn(f.col.Name, strconv.Itoa(v), fmt.Sprintf("retired code of list %s (%s)", l.Code, l.Name))
		}
	}
}

func (c *checker) str(name string) string {
	f := c.rt.field(name)
	if f == nil {
		return ""
	}
	return stringValue(c.p, f)
}

// export checks one row of Export.csv.
func (c *checker) export() {
	id := c.str("ExportID")
	if c.r.exportIDs[id] {
		c.fail("ExportID", id, "duplicate key: an earlier row has it too")
	}
	if id != "" {
		c.r.exportIDs[id] = true
	}
}

// projectFiles refer to a project through ProjectID.
var projectFiles = map[string]bool{"Funder": true, "ProjectCoC": true, "Inventory": true, "Affiliation": true,
	"HMISParticipation": true, "CEParticipation": true}

// keys checks the primary key and the foreign keys of a row.
func (c *checker) keys(pks *[]uint64, useSort bool) {
	r := c.r
	file := c.rt.file.Name
	pk := stringValue(c.p, &c.rt.fields[0])
	if pk == "" {
		return
	}
	h := r.hash(pk)
	pkName := c.rt.fields[0].col.Name
	switch {
	case file == "Enrollment":
		if _, dup := r.enrollments[h]; dup {
			c.fail(pkName, pk, "duplicate key: an earlier row has it too")
			return
		}
	case !useSort:
		set := r.keySet(file)
		if _, dup := set[h]; dup {
			c.fail(pkName, pk, "duplicate key: an earlier row has it too")
			return
		}
	}
	// Foreign keys.
	if file == "Project" && r.have["Organization"] {
		if org := c.str("OrganizationID"); org != "" {
			if _, ok := r.orgs[r.hash(org)]; !ok {
				c.missing("Organization", "OrganizationID", org, "no Organization.csv row has this OrganizationID")
			}
		}
	}
	if projectFiles[file] && r.have["Project"] {
		if pid := c.str("ProjectID"); pid != "" {
			if _, ok := r.projects[r.hash(pid)]; !ok {
				c.missing("Project", "ProjectID", pid, "no Project.csv row has this ProjectID")
			}
		}
	}
	if file == "Affiliation" && r.have["Project"] {
		if pid := c.str("ResProjectID"); pid != "" {
			if _, ok := r.projects[r.hash(pid)]; !ok {
				c.warn("ResProjectID", pid, "no Project.csv row has this ProjectID")
			}
		}
	}
	if file == "Inventory" && r.have["ProjectCoC"] {
		if coc := c.str("CoCCode"); coc != "" {
			if _, ok := r.projectCoCs[r.pair(c.str("ProjectID"), coc)]; !ok {
				c.warn("CoCCode", coc, "no ProjectCoC.csv row has this CoCCode for the project")
			}
		}
	}
	var personal uint64
	if file == "Enrollment" {
		pid := c.str("PersonalID")
		personal = r.hash(pid)
		if r.have["Client"] && pid != "" {
			if _, ok := r.clients[personal]; !ok {
				c.orphan("PersonalID", pid, "no Client.csv row has this PersonalID")
			}
		}
		if prj := c.str("ProjectID"); r.have["Project"] && prj != "" {
			if _, ok := r.projects[r.hash(prj)]; !ok {
				c.orphan("ProjectID", prj, "no Project.csv row has this ProjectID")
			}
		}
		if coc := c.str("EnrollmentCoC"); coc != "" && r.have["ProjectCoC"] {
			if _, ok := r.projectCoCs[r.pair(c.str("ProjectID"), coc)]; !ok {
				c.warn("EnrollmentCoC", coc, "no ProjectCoC.csv row has this CoCCode for the project")
			}
		}
	} else if eid := c.rt.field("EnrollmentID"); eid != nil && r.have["Enrollment"] {
		e := stringValue(c.p, eid)
		pid := c.str("PersonalID")
		ph := r.hash(pid)
		if e != "" {
			if owner, ok := r.enrollments[r.hash(e)]; !ok {
				c.orphan("EnrollmentID", e, "no Enrollment.csv row has this EnrollmentID")
			} else if pid != "" && owner.client != ph {
				c.warn("PersonalID", pid, "differs from the PersonalID of the enrollment")
			}
		}
		if pid != "" && r.have["Client"] {
			if _, ok := r.clients[ph]; !ok {
				c.orphan("PersonalID", pid, "no Client.csv row has this PersonalID")
			}
		}
		if file == "AssessmentQuestions" || file == "AssessmentResults" {
			if a := c.str("AssessmentID"); a != "" && r.have["Assessment"] {
				if _, ok := r.assessments[r.hash(a)]; !ok {
					c.missing("Assessment", "AssessmentID", a, "no Assessment.csv row has this AssessmentID")
				}
			}
		}
	}
	if uf := c.rt.field("UserID"); uf != nil && file != "User" && r.have["User"] {
		if u := stringValue(c.p, uf); u != "" {
			if _, ok := r.users[r.hash(u)]; !ok {
				c.warn("UserID", u, "no User.csv row has this UserID")
			}
		}
	}
	if xf := c.rt.field("ExportID"); xf != nil && len(r.exportIDs) > 0 {
		if x := stringValue(c.p, xf); x != "" && !r.exportIDs[x] {
			c.warn("ExportID", x, "not the ExportID of Export.csv")
		}
	}
	if c.bad {
		return
	}
	// Register the key.
	switch {
	case file == "Enrollment":
		proj := int32(-1)
		if i, ok := r.projIdx[r.hash(c.str("ProjectID"))]; ok {
			proj = i
		}
		r.enrollments[h] = enrollInfo{client: personal, proj: proj, entry: dayNum(dateValue(c.p, c.rt.field("EntryDate")))}
		c.household(personal)
	case useSort:
		*pks = append(*pks, h)
	default:
		r.keySet(file)[h] = struct{}{}
	}
	if file == "ProjectCoC" {
		r.projectCoCs[r.pair(c.str("ProjectID"), c.str("CoCCode"))] = struct{}{}
	}
	if file == "Project" {
		r.projIdx[h] = int32(len(r.projs))
		r.projs = append(r.projs, projInfo{ptype: c.intOr("ProjectType", -1), rrhSub: c.intOr("RRHSubType", -1),
			opStart: dayNum(dateValue(c.p, c.rt.field("OperatingStartDate"))), opEnd: dayNum(dateValue(c.p, c.rt.field("OperatingEndDate")))})
	}
	if file == "Funder" && !isSet(c.p, c.rt.field("DateDeleted")) {
		if i, ok := r.projIdx[r.hash(c.str("ProjectID"))]; ok {
			if v := c.intOr("Funder", -1); v >= 0 && v < 64 {
				r.projs[i].funders |= 1 << v
			}
		}
	}
}

// intOr returns the integer of the named column, or def when empty.
func (c *checker) intOr(name string, def int) int {
	if v, ok := intValue(c.p, c.rt.field(name)); ok {
		return v
	}
	return def
}
