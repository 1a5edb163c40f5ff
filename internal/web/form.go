package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
)

// A generic record form (Setup's records, the services form): a list of
// fields, each with its value as typed and its message, rendered by the
// "record-fields" partial. Values are kept as typed, so nothing is lost
// when a field is refused; messages come from hmis and the store keyed by
// the field names.

// rfield is one field of a record form.
type rfield struct {
	Name, Label, Hint string
	Kind              string // "text", "select", "grouped" (a select with option groups), "checkbox", "textarea"
	Options           []option
	Groups            []optGroup
	Value, Error      string
}

type optGroup struct {
	Label   string
	Options []option
}

// recordForm holds the fields of a form in order and the values typed.
type recordForm struct {
	Fields []rfield
	Values map[string]string
	Errors map[string]string
	Other  []string // messages about no one field
}

func newRecordForm() *recordForm {
	return &recordForm{Values: map[string]string{}, Errors: map[string]string{}}
}

func (f *recordForm) add(fl rfield) { f.Fields = append(f.Fields, fl) }

func (f *recordForm) text(name, label, hint string) {
	f.add(rfield{Name: name, Label: label, Hint: hint, Kind: "text"})
}

func (f *recordForm) date(name, label string) {
	f.add(rfield{Name: name, Label: label, Hint: "MM/DD/YYYY", Kind: "text"})
}

func (f *recordForm) sel(name, label string, opts []option) {
	f.add(rfield{Name: name, Label: label, Kind: "select", Options: opts})
}

func (f *recordForm) check(name, label string) {
	f.add(rfield{Name: name, Label: label, Kind: "checkbox"})
}

// read takes the form's values from the request, clipped.
func (f *recordForm) read(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The form could not be read."}
	}
	for _, fl := range f.Fields {
		v := r.PostFormValue(fl.Name)
		if fl.Kind != "textarea" {
			v = strings.TrimSpace(v)
		}
		f.Values[fl.Name] = clip(v, 4000)
	}
	return nil
}

// fill copies values and errors into the fields for rendering; messages
// keyed by no field go to Other.
func (f *recordForm) fill() {
	known := map[string]bool{}
	for i := range f.Fields {
		fl := &f.Fields[i]
		fl.Value, fl.Error = f.Values[fl.Name], f.Errors[fl.Name]
		known[fl.Name] = true
	}
	f.Other = nil
	for k, msg := range f.Errors {
		if !known[k] {
			f.Other = append(f.Other, msg)
		}
	}
}

// takeErr moves an EINVALID error's field messages into the form and
// reports whether it did; other errors are returned as they are.
func (f *recordForm) takeErr(err error) (bool, error) {
	var e *hmis.Error
	if errors.As(err, &e) && e.Code == hmis.EINVALID {
		for k, v := range e.Fields {
			f.Errors[k] = v
		}
		if len(e.Fields) == 0 {
			f.Errors["_"] = e.Message
		}
		return true, nil
	}
	return false, err
}

// Parsers: each records a message on a bad value and returns the empty one.

func (f *recordForm) code(name string) *int {
	v := f.Values[name]
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f.Errors[name] = "Choose one of the listed answers."
		return nil
	}
	return &n
}

// hudCode reads a HUD code of type T; validity is hmis's to judge.
func hudCode[T ~int](f *recordForm, name string) *T {
	n := f.code(name)
	if n == nil {
		return nil
	}
	v := T(*n)
	return &v
}

func (f *recordForm) dateVal(name string) hmis.Date {
	v := f.Values[name]
	if v == "" {
		return hmis.Date{}
	}
	d, ok := parseClientDate(v)
	if !ok {
		f.Errors[name] = "Enter a real date as MM/DD/YYYY."
	}
	return d
}

func (f *recordForm) intVal(name string) *int {
	v := strings.ReplaceAll(f.Values[name], ",", "")
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n > 1_000_000 || n < -1_000_000 {
		f.Errors[name] = "Enter a whole number."
		return nil
	}
	return &n
}

func (f *recordForm) money(name string) *hmis.Money {
	v := strings.TrimPrefix(strings.ReplaceAll(f.Values[name], ",", ""), "$")
	if v == "" {
		return nil
	}
	m, err := hmis.ParseMoney(v)
	if err != nil || m > 100_000_000_00 || m < -100_000_000_00 {
		f.Errors[name] = "Enter an amount in dollars, such as 125.50."
		return nil
	}
	return &m
}

// Value writers for loading a record into a form.

func codeStr[T ~int](p *T) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(int(*p))
}

func dateStr(d hmis.Date) string { return usDate(d) }

func moneyStr(m *hmis.Money) string {
	if m == nil {
		return ""
	}
	return m.String()
}

// noYes are the options of list 1.10.
func noYes() []option { return hudOptions(hud.NoYesValues()) }
