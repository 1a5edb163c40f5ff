package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

//go:embed templates
var templateFS embed.FS

func parsePages(funcs template.FuncMap) (map[string]*template.Template, error) {
	// Every file in templates/pages is a page, parsed with the layout and
	// partials into its own set, once, at start.
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	pages := make(map[string]*template.Template, len(files))
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/partials/*.html", "templates/pages/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parse page %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// funcs are the template functions every page may use.
func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"asset":    s.assets.url,
		"cf":       clientTextField,
		"cs":       clientSelectField,
		"count":    thousands,
		"datetime": datetime,
		"field":    newFormField,
		"join":     strings.Join,
		"plural":   plural,
		"withValue": func(v string, f formField) formField {
			f.Value = v
			return f
		},

		// The Workflows page (workflows_admin.go).
		"elementList": elementList, "stepRequired": stepRequired,
		"questionSubject": wfQuestionSubject,
	}
}

// isFragment reports whether the request wants only the page's main
// content: an htmx request that is not a boosted navigation.
func isFragment(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Boosted") != "true"
}

// render executes a page into a buffer, so that a template error becomes
// an error page instead of half a page, then writes it. htmx requests get
// the "main" fragment, others the whole layout.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) error {
	t, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("web: no page template %q", page)
	}
	name := "layout"
	if isFragment(r) {
		name = "main"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("web: render %s: %w", page, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Vary", "HX-Request")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes()) // an error here means the browser went away: nobody to tell
	return nil
}

// renderFragment executes one named block of a page's set (an htmx
// fragment that is not the whole main content, e.g. a polled status).
func (s *Server) renderFragment(w http.ResponseWriter, status int, page, block string, data any) error {
	t, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("web: no page template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, data); err != nil {
		return fmt.Errorf("web: render %s/%s: %w", page, block, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
	return nil
}

// thousands formats n with comma separators: 12345 -> "12,345".
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return neg + s
}

// plural writes a count of things: "1 error", "1,204 errors".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

// datetime formats a time the way US case managers read it, in the
// server's time zone.
func datetime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("01/02/2006 3:04 PM MST")
}

// formField is what a form-field partial needs: name, label, the
// browser's autocomplete hint, the field's error message, if any, and
// the value as typed (see withValue).
type formField struct {
	Name, Label, Autocomplete, Error, Value string
}

func newFormField(name, label, autocomplete string, errs map[string]string) formField {
	return formField{Name: name, Label: label, Autocomplete: autocomplete, Error: errs[name]}
}
