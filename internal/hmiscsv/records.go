package hmiscsv

import (
	"fmt"
	"reflect"
	"strings"
	"time"
	"unsafe"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// kind is how a field of a record struct holds its value.
type kind uint8

const (
	kString   kind = iota // string
	kIntPtr               // *int or *hud.<List> (underlying int)
	kDate                 // hmis.Date
	kDateTime             // time.Time
	kMoneyPtr             // *hmis.Money
)

// field is one FY2026 column of a record struct, located by offset so
// decoding needs no reflection per value.
type field struct {
	col    *hud.Column
	idx    int // column index in the FY2026 file
	off    uintptr
	kind   kind
	list   *hud.List // FY2026 list of an integer code column; nil when none
	listBy *hud.ListBy
	by     int // index in recordType.fields of ListBy.Column; -1 when none
}

// recordType binds one FY2026 file to its hmis struct.
type recordType struct {
	file    *hud.File
	name    string // "Client.csv"
	typ     reflect.Type
	fields  []field // in FY2026 column order
	ints    int     // number of kIntPtr fields (slab size per row)
	moneys  int
	byName  map[string]int // lower-case FY2026 column name -> fields index
	exact   map[string]int // HUD's spelling -> fields index
	plural  string         // hmis.Dataset field name
	newFunc func() unsafe.Pointer
	rules   []boundRule    // conditional rules (rules.go)
	custom  func(*checker) // the file's other row checks (rules.go); nil when none
}

var (
	timeType  = reflect.TypeOf(time.Time{})
	dateType  = reflect.TypeOf(hmis.Date{})
	moneyType = reflect.TypeOf(hmis.Money(0))
)

// recordTypes holds the FY2026 files in HUD's order; recordByName indexes them.
var (
	recordTypes  []*recordType
	recordByName = map[string]*recordType{}
	recordByType = map[reflect.Type]*recordType{}
)

func init() {
	dsType := reflect.TypeOf(hmis.Dataset{})
	for i := range hud.FY2026.Files {
		f := &hud.FY2026.Files[i]
		var sf reflect.StructField
		if f.Name == "Export" {
			sf, _ = dsType.FieldByName("Export")
		} else {
			for j := 1; j < dsType.NumField(); j++ {
				t := dsType.Field(j).Type.Elem()
				if strings.TrimSuffix(t.Name(), "") == recordName(f.Name) {
					sf = dsType.Field(j)
				}
			}
		}
		if sf.Type == nil {
			panic("hmiscsv: no hmis.Dataset field for " + f.Name)
		}
		typ := sf.Type
		if typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		rt := &recordType{file: f, name: f.FileName(), typ: typ, byName: map[string]int{}, exact: map[string]int{}, plural: sf.Name}
		for ci := range f.Columns {
			c := &f.Columns[ci]
			st, ok := typ.FieldByName(goFieldName(c.Name))
			if !ok {
				panic(fmt.Sprintf("hmiscsv: %s has no field for %s", typ, c.Name))
			}
			fd := field{col: c, idx: ci, off: st.Offset, by: -1, listBy: c.ListBy}
			switch {
			case st.Type.Kind() == reflect.String:
				fd.kind = kString
			case st.Type == dateType:
				fd.kind = kDate
			case st.Type == timeType:
				fd.kind = kDateTime
			case st.Type.Kind() == reflect.Pointer && st.Type.Elem() == moneyType:
				fd.kind = kMoneyPtr
				rt.moneys++
			case st.Type.Kind() == reflect.Pointer && st.Type.Elem().Kind() == reflect.Int:
				fd.kind = kIntPtr
				rt.ints++
			default:
				panic(fmt.Sprintf("hmiscsv: %s.%s has unsupported type %s", typ, c.Name, st.Type))
			}
			if c.List != "" {
				fd.list = hud.Lists[c.List]
			}
			rt.byName[strings.ToLower(c.Name)] = len(rt.fields)
			rt.exact[c.Name] = len(rt.fields)
			rt.fields = append(rt.fields, fd)
		}
		for i := range rt.fields {
			if b := rt.fields[i].listBy; b != nil {
				rt.fields[i].by = rt.byName[strings.ToLower(b.Column)]
			}
		}
		t := typ
		rt.newFunc = func() unsafe.Pointer { return reflect.New(t).UnsafePointer() }
		recordTypes = append(recordTypes, rt)
		recordByName[strings.ToLower(f.Name)] = rt
		recordByType[reflect.PointerTo(typ)] = rt
	}
}

func recordName(file string) string {
	switch file {
	case "Disabilities":
		return "Disability"
	case "Services":
		return "Service"
	case "AssessmentQuestions":
		return "AssessmentQuestion"
	case "AssessmentResults":
		return "AssessmentResult"
	}
	return file
}

// goFieldName is the struct field of a HUD column (the generator keeps
// HUD's names).
func goFieldName(col string) string { return col }

// fieldPtr returns the address of field f in the record at p.
func fieldPtr(p unsafe.Pointer, f *field) unsafe.Pointer { return unsafe.Add(p, f.off) }

// intValue returns the integer of a kIntPtr field and whether it is set.
func intValue(p unsafe.Pointer, f *field) (int, bool) {
	ip := *(**int)(fieldPtr(p, f))
	if ip == nil {
		return 0, false
	}
	return *ip, true
}

func setInt(p unsafe.Pointer, f *field, v int) {
	n := new(int)
	*n = v
	*(**int)(fieldPtr(p, f)) = n
}

func clearInt(p unsafe.Pointer, f *field) { *(**int)(fieldPtr(p, f)) = nil }

func stringValue(p unsafe.Pointer, f *field) string { return *(*string)(fieldPtr(p, f)) }

func setString(p unsafe.Pointer, f *field, s string) { *(*string)(fieldPtr(p, f)) = s }

func dateValue(p unsafe.Pointer, f *field) hmis.Date { return *(*hmis.Date)(fieldPtr(p, f)) }

// asAny returns the record at p as its typed pointer (*hmis.Client, ...).
func (rt *recordType) asAny(p unsafe.Pointer) any {
	return reflect.NewAt(rt.typ, p).Interface()
}

// field returns the field named name (case-insensitive), or nil.
func (rt *recordType) field(name string) *field {
	if i, ok := rt.exact[name]; ok {
		return &rt.fields[i]
	}
	i, ok := rt.byName[strings.ToLower(name)]
	if !ok {
		return nil
	}
	return &rt.fields[i]
}

type uintptrRecord = unsafe.Pointer
type timeT = time.Time
