package search

import (
	"strconv"
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Record is a client as search sees it: names as stored, the date of
// birth, and the SSN only as digests (Digester.Digests).
type Record struct {
	First, Middle, Last string
	DOB                 hmis.Date
	SSNDigest           string // of the nine digits; "" when unknown
	SSN4Digest          string // of the last four; "" when unknown
}

// DuplicateThreshold is the score from which a record is a likely
// duplicate of what was typed at intake (issue 4: the duplicate check).
// Chosen on the labelled set (testdata/labelled.csv; docs/search.md).
const DuplicateThreshold = 0.8

// Field weights. A field counts when both the query and the record have
// it; when only the query has it, it counts as a weak 0.3 (the record
// can neither confirm nor refute it), so a record that matches on more
// outranks one that is merely silent, and a name alone on a record
// without DOB or SSN never reaches DuplicateThreshold: the duplicate
// check needs a name with a DOB, or an SSN (issue 4).
const (
	wFirst  = 0.25
	wLast   = 0.30
	wMiddle = 0.05
	wDOB    = 0.25
	wYear   = 0.10
	wSSN    = 0.30
	wSSN4   = 0.15
	unknown = 0.3
)

// nameKind says how two names compare.
type nameKind int

const (
	nameNone nameKind = iota
	nameExact
	nameNickname
	namePhonetic
	nameTypo
	nameInitial
	namePrefix
	namePart
	nameNickTypo
)

var nameSimilarity = map[nameKind]float64{nameExact: 1, nameNickname: 0.92, namePhonetic: 0.88, nameTypo: 0.86,
	nameInitial: 0.65, namePrefix: 0.75, namePart: 0.9, nameNickTypo: 0.8}

// compareName compares a typed name with a recorded one.
func compareName(q, c Name, first bool) (float64, nameKind) {
	if q.IsZero() || c.IsZero() {
		return 0, nameNone
	}
	if q.Joined == c.Joined {
		return 1, nameExact
	}
	best, kind := simple(q.Joined, c.Joined, first)
	// Multi-part names: one part for the whole (Lopez for Garcia Lopez,
	// Mary for Mary Ann), as a part is weaker than the whole.
	if len(q.Parts) > 1 || len(c.Parts) > 1 {
		for _, qp := range q.significant() {
			for _, cp := range c.significant() {
				if s, k := simple(qp, cp, first); k != nameNone && s*nameSimilarity[namePart] > best {
					best, kind = s*nameSimilarity[namePart], namePart
				}
			}
		}
	}
	return best, kind
}

// simple compares two single folded words.
func simple(q, c string, first bool) (float64, nameKind) {
	switch {
	case q == c:
		return 1, nameExact
	case len(q) == 1:
		if c[0] == q[0] {
			return nameSimilarity[nameInitial], nameInitial
		}
		return 0, nameNone
	case first && IsNickname(q, c):
		return nameSimilarity[nameNickname], nameNickname
	case Metaphone(q) == Metaphone(c) && len(q) > 1 && len(c) > 1:
		return nameSimilarity[namePhonetic], namePhonetic
	}
	d := Damerau(q, c)
	n := min(len(q), len(c))
	switch {
	case d == 1 && n >= 3:
		return nameSimilarity[nameTypo], nameTypo
	case d == 2 && n >= 6:
		return 0.7, nameTypo
	case len(q) >= 3 && strings.HasPrefix(c, q):
		return nameSimilarity[namePrefix], namePrefix
	}
	if first && n >= 3 {
		// A nickname typed with a slip: Frahkie for Frances (Frankie).
		for _, v := range Nicknames(c) {
			if Damerau(q, v) == 1 && len(v) >= 3 {
				return nameSimilarity[nameNickTypo], nameNickTypo
			}
		}
	}
	return 0, nameNone
}

var firstLabel = map[nameKind]string{nameExact: "first name match", nameNickname: "nickname of first name",
	namePhonetic: "first name sounds alike", nameTypo: "first name typo", nameInitial: "first initial match",
	namePrefix: "first name starts alike", namePart: "first name matches part", nameNickTypo: "nickname of first name (typo)",
	nameNone: "first name differs"}

var lastLabel = map[nameKind]string{nameExact: "last name match", nameNickname: "last name is a nickname",
	namePhonetic: "last name sounds alike", nameTypo: "last name typo", nameInitial: "last initial match",
	namePrefix: "last name starts alike", namePart: "last name matches part of surname", nameNickTypo: "last name typo",
	nameNone: "last name differs"}

// assign is one reading of the typed name words: which is the first name,
// which the surname.
type assign struct {
	first, middle, last Name
	reversed            bool // surname typed first without a comma
}

// Matcher scores records against one query.
type Matcher struct {
	q       Query
	dig     Digester
	ssn     ssnQuery
	assigns []assign
	// yearOrSSN4: a lone four-digit number that may be the birth year or
	// the SSN's last four; both readings are scored, the better counts.
	yearOrSSN4 bool
}

// NewMatcher prepares q for scoring under the site's SSN key.
func NewMatcher(q Query, key []byte) *Matcher {
	m := &Matcher{q: q, dig: NewDigester(key)}
	m.ssn = m.dig.query(q.SSN, q.SSN4)
	m.yearOrSSN4 = q.SSN == "" && q.BirthYear != 0 && q.SSN4 == strconv.Itoa(q.BirthYear)
	switch {
	case q.fields():
		m.assigns = []assign{{first: NewName(q.First), middle: NewName(q.Middle), last: NewName(q.Last)}}
	case q.Comma > 0 && q.Comma < len(q.Names):
		m.assigns = []assign{{last: join(q.Names[:q.Comma]...), first: q.Names[q.Comma], middle: join(q.Names[q.Comma+1:]...)}}
	case len(q.Names) == 1:
		m.assigns = []assign{{last: q.Names[0]}, {first: q.Names[0]}}
	default:
		n := q.Names
		for j := 1; j < len(n); j++ {
			m.assigns = append(m.assigns, assign{first: n[0], middle: join(n[1:j]...), last: join(n[j:]...)})
		}
		for j := 1; j < len(n); j++ {
			m.assigns = append(m.assigns, assign{last: join(n[:j]...), first: n[j], middle: join(n[j+1:]...), reversed: true})
		}
	}
	return m
}

// Query returns the query the matcher was made for.
func (m *Matcher) Query() Query { return m.q }

// part is one field's contribution to a score.
type part struct {
	w, sim float64
	label  string
}

// Score returns how well r matches the query, from 0 to 1, and a one-line
// reason ("nickname of first name, DOB day/month swapped, SSN last four
// match").
func (m *Matcher) Score(r Record, personalID string) (float64, string) {
	if m.q.PersonalID != "" && m.q.PersonalID == personalID {
		return 1, "HMIS ID match"
	}
	var best []part
	bestScore := -1.0
	rf, rm, rl := NewName(r.First), NewName(r.Middle), NewName(r.Last)
	try := func(ps []part) {
		if s := total(ps); s > bestScore {
			bestScore, best = s, ps
		}
	}
	rest := m.restParts(r)
	for _, a := range m.assigns {
		names := nameParts(a, rf, rm, rl, false)
		if a.reversed {
			names = scale(names, 0.98)
		}
		for _, rp := range rest {
			try(append(append([]part(nil), names...), rp...))
		}
		// The record's own first and last swapped.
		if !a.first.IsZero() && !a.last.IsZero() {
			sw := scale(nameParts(a, rl, rm, rf, true), 0.96)
			for _, rp := range rest {
				try(append(append([]part(nil), sw...), rp...))
			}
		}
	}
	if len(m.assigns) == 0 {
		for _, rp := range rest {
			try(rp)
		}
	}
	if bestScore < 0 {
		return 0, ""
	}
	var labels []string
	for _, p := range best {
		if p.label != "" {
			labels = append(labels, p.label)
		}
	}
	return round(bestScore), strings.Join(labels, ", ")
}

// nameParts scores the names of one reading against a record's names.
func nameParts(a assign, rf, rm, rl Name, swapped bool) []part {
	var ps []part
	// Swapped, the typed surname is compared with the record's first
	// name: by first-name rules (nicknames).
	fs, fk := compareName(a.first, rf, !swapped)
	ls, lk := compareName(a.last, rl, swapped)
	if swapped {
		ps = append(ps, part{label: "first and last swapped"})
	}
	switch {
	case !a.first.IsZero() && !a.last.IsZero() && fk == nameExact && lk == nameExact:
		ps = append(ps, part{w: wFirst, sim: 1, label: "name match"}, part{w: wLast, sim: 1})
	default:
		if !a.first.IsZero() {
			if rf.IsZero() {
				ps = append(ps, part{w: wFirst, sim: unknown, label: "no first name on record"})
			} else {
				ps = append(ps, part{w: wFirst, sim: fs, label: firstLabel[fk]})
			}
		}
		if !a.last.IsZero() {
			if rl.IsZero() {
				ps = append(ps, part{w: wLast, sim: unknown, label: "no last name on record"})
			} else {
				ps = append(ps, part{w: wLast, sim: ls, label: lastLabel[lk]})
			}
		}
	}
	if !a.middle.IsZero() && !rm.IsZero() {
		if s, k := compareName(a.middle, rm, true); k != nameNone {
			ps = append(ps, part{w: wMiddle, sim: s, label: "middle name match"})
		}
	}
	return ps
}

// restParts returns the readings of the DOB and SSN fields for r: one,
// or two when a lone four-digit number may be a year or the last four.
func (m *Matcher) restParts(r Record) [][]part {
	var dob []part
	q := m.q
	switch {
	case !q.DOB.IsZero() && r.DOB.IsZero():
		dob = append(dob, part{w: wDOB, sim: unknown, label: "no DOB on record"})
	case !q.DOB.IsZero():
		k := CompareDOB(q.DOB, r.DOB)
		dob = append(dob, part{w: wDOB, sim: dobSim[k], label: dobLabel[k]})
	}
	ssn := m.ssnPart(r, q.SSN4 != "" || q.SSN != "")
	if !m.yearOrSSN4 {
		var year []part
		if q.BirthYear != 0 {
			year = m.yearPart(r)
		}
		return [][]part{append(append(dob, ssn...), year...)}
	}
	asSSN := append(append([]part(nil), dob...), ssn...)
	asYear := append(append([]part(nil), dob...), m.yearPart(r)...)
	return [][]part{asSSN, asYear}
}

func (m *Matcher) ssnPart(r Record, asked bool) []part {
	if !asked {
		return nil
	}
	w := wSSN
	if m.q.SSN == "" {
		w = wSSN4
	}
	k := m.ssn.compare(r.SSNDigest, r.SSN4Digest)
	switch k {
	case SSNNone:
		return []part{{w: w, sim: unknown, label: "no SSN on record"}}
	case SSNExact:
		return []part{{w: w, sim: 1, label: ssnLabel[k]}}
	case SSNTransposed:
		return []part{{w: w, sim: 0.9, label: ssnLabel[k]}}
	case SSNLastFour:
		if m.q.SSN == "" {
			return []part{{w: w, sim: 1, label: ssnLabel[k]}}
		}
		return []part{{w: w, sim: 0.8, label: ssnLabel[k]}}
	}
	return []part{{w: w, sim: 0, label: ssnLabel[k]}}
}

func (m *Matcher) yearPart(r Record) []part {
	if r.DOB.IsZero() {
		return []part{{w: wYear, sim: unknown, label: "no DOB on record"}}
	}
	switch d := r.DOB.Time().Year() - m.q.BirthYear; {
	case d == 0:
		return []part{{w: wYear, sim: 1, label: "birth year match"}}
	case d == 1 || d == -1:
		return []part{{w: wYear, sim: 0.7, label: "birth year off by one"}}
	}
	return []part{{w: wYear, sim: 0, label: "birth year differs"}}
}

func scale(ps []part, f float64) []part {
	out := make([]part, len(ps))
	for i, p := range ps {
		p.sim *= f
		out[i] = p
	}
	return out
}

func total(ps []part) float64 {
	var sw, s float64
	for _, p := range ps {
		sw += p.w
		s += p.w * p.sim
	}
	if sw == 0 {
		return 0
	}
	return s / sw
}

func round(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }
