package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/search"
	"github.com/hearth-hmis/hearth/internal/store"
)

// searchResult is one line of `hearth search --json`.
type searchResult struct {
	PersonalID string  `json:"personal_id"`
	FirstName  string  `json:"first_name"`
	LastName   string  `json:"last_name"`
	DOB        string  `json:"dob"` // YYYY-MM-DD; YYYY without the DOB permission
	Score      float64 `json:"score"`
	Reason     string  `json:"reason"`
}

// hearth search --site SITE [--limit N] [--as USER] [--json] TEXT...: the
// Find Client box from the command line.
func runSearch(ctx context.Context, e env, args []string) error {
	var c commonFlags
	var limit int
	var asJSON bool
	fs := newFlagSet("search", "--site SITE [--limit N] [--as USER] [--json] TEXT...")
	c.register(fs, true, true)
	fs.IntVar(&limit, "limit", store.DefaultSearchLimit, fmt.Sprintf("most matches to print (1 to %d)", store.MaxSearchLimit))
	fs.BoolVar(&asJSON, "json", false, "print a JSON array: personal_id, first_name, last_name, dob, score, reason")
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	// --json after the text is still the flag.
	var words []string
	for _, w := range rest {
		if w == "--json" || w == "-json" {
			asJSON = true
			continue
		}
		words = append(words, w)
	}
	text := strings.TrimSpace(strings.Join(words, " "))
	if text == "" {
		return usagef(`search: say what to look for: a name in any order, a date of birth, an SSN or its last four, e.g. hearth search --site %s --json "Lennon, John 10/9/1940"`, orDefault(c.site, "SITE"))
	}
	if limit < 1 || limit > store.MaxSearchLimit {
		return usagef("search: --limit must be between 1 and %d", store.MaxSearchLimit)
	}
	ctx, reg, site, err := openSite(ctx, e, c)
	if err != nil {
		return err
	}
	defer reg.Close()
	q := search.Parse(text, site.Store.Now())
	var matches []store.ClientMatch
	if q.Empty() {
		// Nothing searchable (punctuation only): no match, with a hint.
		fmt.Fprintln(e.stderr, "hearth: search: nothing to search for in the text: give a name, a date of birth or an SSN")
	} else if matches, err = site.Store.SearchClients(ctx, q, limit); err != nil {
		return err
	}
	// Without the DOB permission (hearth user pii), the year of birth only.
	grants, err := site.Store.MyPIIGrants(ctx)
	if err != nil {
		return err
	}
	out := make([]searchResult, 0, len(matches))
	ages := make([]string, 0, len(matches))
	now := hmis.DateOf(site.Store.Now())
	for _, m := range matches {
		dob := m.DOB.String()
		if !grants[access.PIIDOB] && !m.DOB.IsZero() {
			dob = m.DOB.Format("2006")
		}
		out = append(out, searchResult{PersonalID: m.PersonalID, FirstName: m.FirstName, LastName: m.LastName,
			DOB: dob, Score: m.Score, Reason: m.Reason})
		age := ""
		if !m.DOB.IsZero() {
			age = fmt.Sprintf(" (%d)", m.DOB.AgeOn(now))
		}
		ages = append(ages, age)
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	if len(out) == 0 {
		fmt.Fprintln(e.stdout, "No matching clients.")
		return nil
	}
	for i, r := range out {
		fmt.Fprintf(e.stdout, "%.2f  %-32s  %s, %s  %s%s  %s\n", r.Score, r.PersonalID, r.LastName, r.FirstName, r.DOB, ages[i], r.Reason)
	}
	return nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
