package hud

import "strings"

// Spec is one version of the HMIS CSV format: its files in HUD's order.
type Spec struct {
	Version string // "FY2026"
	Files   []File
}

// File is one CSV file of an export, e.g. Client (Client.csv).
type File struct {
	Name    string   // "Client"; the file is Name + ".csv"
	Columns []Column // in HUD's column order
}

// Type is an HMIS CSV data type.
type Type byte

// HMIS CSV data types.
const (
	TypeString   Type = 'S' // text of at most Column.Length characters
	TypeInt      Type = 'I' // whole number, often a code of Column.List
	TypeDate     Type = 'D' // yyyy-mm-dd
	TypeDateTime Type = 'T' // yyyy-mm-dd hh:mm:ss
	TypeMoney    Type = 'M' // decimal dollars
)

func (t Type) String() string { return string(t) }

// Column is one column of a CSV file.
type Column struct {
	Name        string // HUD's spelling: "PersonalID", "HOHLeaseholder"
	Element     string // HUD data element number(s) (DE#): "3.917.1"; "" for system columns
	Type        Type
	Length      int    // maximum length of a TypeString column
	NonNegative bool   // HUD's M+: money that must not be negative
	List        string // code of the value list in Lists; "" when none
	// ListBy is set for columns whose list depends on another column's value
	// (Services.TypeProvided by RecordType, Disabilities.DisabilityResponse
	// by DisabilityType).
	ListBy   *ListBy
	Nullable bool   // whether HUD allows the column to be empty
	Notes    string // HUD's validation notes, as written
}

// ListBy picks a column's list from another column of the same row.
type ListBy struct {
	Column  string         // the deciding column, e.g. "RecordType"
	Lists   map[int]string // its value -> list code
	Default string         // list for any other value; "" when none
}

// ListFor returns the list code for the deciding column's value.
func (b *ListBy) ListFor(v int) string {
	if l, ok := b.Lists[v]; ok {
		return l
	}
	return b.Default
}

// FileName is the file's name in an export: "Client.csv".
func (f *File) FileName() string { return f.Name + ".csv" }

// Key is the primary-key column (always the first).
func (f *File) Key() *Column { return &f.Columns[0] }

// Column returns the column named name, matched case-insensitively (exports
// write "HoHLeaseholder" or "TcellCount"), and its index.
func (f *File) Column(name string) (*Column, int) {
	for i := range f.Columns {
		if strings.EqualFold(f.Columns[i].Name, name) {
			return &f.Columns[i], i
		}
	}
	return nil, -1
}

// File returns the file named name ("Client" or "Client.csv", any case), or nil.
func (s *Spec) File(name string) *File {
	name = strings.TrimSuffix(strings.ToLower(name), ".csv")
	for i := range s.Files {
		if strings.ToLower(s.Files[i].Name) == name {
			return &s.Files[i]
		}
	}
	return nil
}
