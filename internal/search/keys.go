package search

import (
	"hash/fnv"
	"sort"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Blocking keys. A client is indexed under a handful of keys (IndexKeys);
// a query computes the keys its matches may carry (Matcher.Keys); the
// store fetches the clients whose keys meet and Score ranks them. Keys are
// 64-bit FNV-1a hashes of short strings ("n|LNN|JN"), so the index is
// two integers per row; a collision only adds a candidate that scores
// low.
//
// A client's keys (F: Metaphone of the first name and of each of its
// parts; L: of the surname joined and of each significant part):
//
//	n|L|F    name pair             l|L      surname alone
//	f|F      first name alone      (a one-word search: "john")
//	fd|F|D   first name + DOB      ld|L|D   surname + DOB
//	d|D      DOB alone             s|H s4|H SSN digests (full, last four)
//
// Nicknames are expanded on the query side only (Bill looks up William's
// code too), and so are the DOB's slips (DOBVariants), so the index stays
// at about ten rows a client.

func key(parts ...string) int64 {
	h := fnv.New64a()
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{'|'})
		}
		h.Write([]byte(p))
	}
	return int64(h.Sum64())
}

// codes returns the Metaphone codes of a name: of the whole and, for a
// name of several parts, of each significant part.
func codes(n Name) []string {
	if n.IsZero() {
		return nil
	}
	out := []string{Metaphone(n.Joined)}
	if len(n.Parts) > 1 {
		for _, p := range n.significant() {
			out = append(out, Metaphone(p))
		}
	}
	return dedupe(out)
}

// firstCodes are the codes of a typed first name and of its nicknames.
func firstCodes(n Name, nick bool) []string {
	out := codes(n)
	if !nick {
		return out
	}
	words := append([]string{n.Joined}, n.Parts...)
	for _, w := range words {
		for _, v := range Nicknames(w) {
			out = append(out, Metaphone(v))
		}
	}
	return dedupe(out)
}

func dedupe(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if v != "" && (i == 0 || v != s[i-1]) {
			out = append(out, v)
		}
	}
	return out
}

func dedupeKeys(ks []int64) []int64 {
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	out := ks[:0]
	for i, k := range ks {
		if i == 0 || k != ks[i-1] {
			out = append(out, k)
		}
	}
	return out
}

// IndexKeys returns the blocking keys of a client, sorted, each once.
func IndexKeys(r Record) []int64 {
	fc, lc := codes(NewName(r.First)), codes(NewName(r.Last))
	var ks []int64
	for _, l := range lc {
		ks = append(ks, key("l", l))
		for _, f := range fc {
			ks = append(ks, key("n", l, f))
		}
	}
	for _, f := range fc {
		ks = append(ks, key("f", f))
	}
	if !r.DOB.IsZero() {
		d := r.DOB.String()
		ks = append(ks, key("d", d))
		for _, f := range fc {
			ks = append(ks, key("fd", f, d))
		}
		for _, l := range lc {
			ks = append(ks, key("ld", l, d))
		}
	}
	if r.SSNDigest != "" {
		ks = append(ks, key("s", r.SSNDigest))
	}
	if r.SSN4Digest != "" {
		ks = append(ks, key("s4", r.SSN4Digest))
	}
	return dedupeKeys(ks)
}

// Keys returns the blocking keys to look up for the query: selective
// keys (a DOB or SSN with a name, a DOB, an SSN), which find a handful of
// clients each, and name keys, which may find thousands on a large site
// and are worth reading only when the selective ones found no good match.
func (m *Matcher) Keys() (selective, names []int64) {
	q := m.q
	var dobs []string
	if !q.DOB.IsZero() {
		for _, d := range DOBVariants(q.DOB) {
			dobs = append(dobs, d.String())
		}
	}
	for _, a := range m.assigns {
		readings := []assign{a}
		if !a.first.IsZero() && !a.last.IsZero() && !a.reversed {
			readings = append(readings, assign{first: a.last, last: a.first}) // the record swapped
		}
		for _, r := range readings {
			fAll, fOwn, lc := firstCodes(r.first, true), codes(r.first), codes(r.last)
			if len(lc) == 0 { // a first name alone: "john" read as a first name
				for _, f := range fAll {
					names = append(names, key("f", f))
				}
			}
			for _, l := range lc {
				if len(fAll) == 0 {
					names = append(names, key("l", l))
				}
				for _, f := range fAll {
					names = append(names, key("n", l, f))
				}
			}
			for i, d := range dobs {
				fc := fOwn
				if i < 2 { // the DOB as typed and swapped: with nicknames
					fc = fAll
				}
				for _, f := range fc {
					selective = append(selective, key("fd", f, d))
				}
				for _, l := range lc {
					selective = append(selective, key("ld", l, d))
				}
			}
		}
	}
	if len(dobs) > 0 {
		selective = append(selective, key("d", dobs[0]))
		if len(dobs) > 1 && CompareDOB(q.DOB, hmis.MustDate(dobs[1])) == DOBSwapped {
			selective = append(selective, key("d", dobs[1]))
		}
	}
	if m.ssn.full != "" {
		selective = append(selective, key("s", m.ssn.full))
		for _, t := range m.ssn.transposed {
			selective = append(selective, key("s", t))
		}
	}
	if m.ssn.last4 != "" {
		selective = append(selective, key("s4", m.ssn.last4))
	}
	return dedupeKeys(selective), dedupeKeys(names)
}
