package search

import "sort"

// nicknames maps a folded given name to the names it is a nickname of or
// has as nicknames (nicknames.csv read both ways: the data set lists some
// pairs in one direction only, and a few backwards).
var nicknames = func() map[string][]string {
	m := make(map[string][]string, 2*len(nicknamePairs))
	for _, p := range nicknamePairs {
		m[p[0]] = append(m[p[0]], p[1])
		m[p[1]] = append(m[p[1]], p[0])
	}
	for _, v := range m {
		sort.Strings(v)
	}
	return m
}()

// Nicknames returns the names linked to the folded given name by a
// nickname relation (Bill: William, Robert, ...), sorted.
func Nicknames(name string) []string { return nicknames[name] }

// IsNickname reports whether a and b (folded) are a name and its nickname,
// in either direction (Bill/William, Peggy/Margaret).
func IsNickname(a, b string) bool {
	if a == b {
		return false
	}
	l := nicknames[a]
	i := sort.SearchStrings(l, b)
	return i < len(l) && l[i] == b
}
