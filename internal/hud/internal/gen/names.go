package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

var (
	parens     = regexp.MustCompile(`\([^)]*\)`)
	numRange   = regexp.MustCompile(`(\d)\s*-\s*(\d)`)
	notAlnum   = regexp.MustCompile(`[^A-Za-z0-9]+`)
	apostrophe = strings.NewReplacer("'", "", "’", "", "%", " percent ", "&", " and ", "+", " plus ", "$", "")
)

// labelWords splits a HUD label into identifier words. level 0 keeps the
// text before the first comma or semicolon and at most 6 words; level 1 the
// whole label and at most 10 words; level 2 everything, parentheses included.
func labelWords(label string, level int) []string {
	s := label
	if level < 2 {
		s = parens.ReplaceAllString(s, " ")
	}
	if level == 0 {
		if i := strings.IndexAny(s, ",;"); i > 0 {
			s = s[:i]
		}
	}
	s = numRange.ReplaceAllString(s, "$1 to $2")
	s = apostrophe.Replace(s)
	ws := strings.Fields(notAlnum.ReplaceAllString(s, " "))
	max := map[int]int{0: 7, 1: 10, 2: 1000}[level]
	if len(ws) > max {
		ws = ws[:max]
		for len(ws) > 1 && stopWords[strings.ToLower(ws[len(ws)-1])] {
			ws = ws[:len(ws)-1]
		}
	}
	return ws
}

var stopWords = map[string]bool{"a": true, "an": true, "and": true, "by": true, "for": true, "from": true,
	"in": true, "of": true, "on": true, "or": true, "than": true, "the": true, "to": true, "with": true, "without": true}

func camel(ws []string) string {
	var b strings.Builder
	for _, w := range ws {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	return b.String()
}

// nameConsts names the constants of every list that has them: the type name
// plus the label's words, made unique within the list by using more of the
// label, and finally the code.
func nameConsts(sp *spec) error {
	global := map[string]string{}
	for _, l := range sp.lists {
		if l.Type != "" {
			global[l.Type] = l.Code
		}
	}
	for _, l := range sp.lists {
		if !l.Consts {
			continue
		}
		level := make([]int, len(l.Values))
		for {
			names := map[string][]int{}
			for i, v := range l.Values {
				var n string
				if level[i] == 3 {
					n = l.Type + camel(labelWords(v.Label, 2)) + strconv.Itoa(v.Code)
				} else {
					n = l.Type + camel(labelWords(v.Label, level[i]))
				}
				if n == l.Type {
					n += strconv.Itoa(v.Code)
				}
				l.Values[i].Const = n
				names[n] = append(names[n], i)
			}
			changed := false
			for _, is := range names {
				if len(is) > 1 {
					for _, i := range is {
						if level[i] < 3 {
							level[i]++
							changed = true
						}
					}
				}
			}
			if !changed {
				break
			}
		}
		for _, v := range l.Values {
			if other, ok := global[v.Const]; ok {
				return fmt.Errorf("list %s: constant %s collides with list %s", l.Code, v.Const, other)
			}
			global[v.Const] = l.Code
		}
	}
	return nil
}

// snake turns a HUD column name into a SQL column name: PersonalID ->
// personal_id, HOHLeaseholder -> hoh_leaseholder, TCellCount -> t_cell_count,
// EnrollmentCoC -> enrollment_coc.
func snake(name string) string {
	name = strings.ReplaceAll(name, "CoC", "Coc")
	r := []rune(name)
	var b strings.Builder
	for i, c := range r {
		if i > 0 && unicode.IsUpper(c) {
			prev := r[i-1]
			nextLower := i+1 < len(r) && unicode.IsLower(r[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

// lowerFirst is used for unexported Go names: Client -> client, HMISParticipation -> hmisParticipation.
func lowerFirst(s string) string {
	r := []rune(s)
	i := 0
	for i < len(r) && unicode.IsUpper(r[i]) {
		i++
	}
	if i > 1 && i < len(r) {
		i-- // keep the last capital of an acronym: HMISParticipation -> hmisParticipation
	}
	for j := 0; j < i; j++ {
		r[j] = unicode.ToLower(r[j])
	}
	return string(r)
}
