package hud

import (
	"strconv"
	"strings"
)

// List is one HUD code list, e.g. 2.02.6 ProjectType, for generic
// validation and select boxes. The typed lists (ProjectType, ...) carry the
// same facts as methods.
type List struct {
	Code string // HUD list code as the CSV spec writes it: "2.02.6", "3.12.1", "W5.AB"
	Name string // e.g. "ProjectType"
	// StringCodes is true for lists whose codes are not integers
	// (2.03.1 CoC codes "CA-510", V6.1 VAMC stations "528A5", race columns).
	StringCodes bool
	// Values in HUD's order, current values first; retired ones after.
	Values []ListValue

	index map[string]int
}

// ListValue is one code of a list.
type ListValue struct {
	Code    int    // the integer code; 0 for lists with StringCodes
	Key     string // the code as written in the HMIS CSV: "1", "435", "CA-510"
	Label   string // HUD's label
	Retired bool   // readable in old data, not offered for new data
}

// Lookup returns the value whose CSV code is key ("435", "CA-510").
// Leading and trailing spaces are ignored; integer codes may be written
// with leading zeros ("01").
func (l *List) Lookup(key string) (ListValue, bool) {
	if l == nil {
		return ListValue{}, false
	}
	key = strings.TrimSpace(key)
	if i, ok := l.index[key]; ok {
		return l.Values[i], true
	}
	if !l.StringCodes {
		if n, err := strconv.Atoi(key); err == nil {
			if i, ok := l.index[strconv.Itoa(n)]; ok {
				return l.Values[i], true
			}
		}
	} else if i, ok := l.index[strings.ToUpper(key)]; ok {
		return l.Values[i], true
	}
	return ListValue{}, false
}

// LookupCode returns the value with the integer code.
func (l *List) LookupCode(code int) (ListValue, bool) {
	if l == nil || l.StringCodes {
		return ListValue{}, false
	}
	i, ok := l.index[strconv.Itoa(code)]
	if !ok {
		return ListValue{}, false
	}
	return l.Values[i], true
}

// Valid reports whether key is a code of the list (current or retired).
func (l *List) Valid(key string) bool {
	_, ok := l.Lookup(key)
	return ok
}

// Label returns the label of key, or "" when key is not in the list.
func (l *List) Label(key string) string {
	v, _ := l.Lookup(key)
	return v.Label
}

// Current returns the values that new data may use (not retired), in order.
func (l *List) Current() []ListValue {
	out := make([]ListValue, 0, len(l.Values))
	for _, v := range l.Values {
		if !v.Retired {
			out = append(out, v)
		}
	}
	return out
}

func (l *List) buildIndex() {
	l.index = make(map[string]int, len(l.Values))
	for i, v := range l.Values {
		l.index[v.Key] = i
	}
}

func init() {
	for _, l := range Lists {
		l.buildIndex()
	}
}
