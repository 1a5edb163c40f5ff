// Package search matches clients: it normalises names (case, accents,
// punctuation, multi-part surnames), derives phonetic keys (Metaphone),
// knows nicknames (generated from ../shared/data/nicknames.csv), compares
// dates of birth and SSNs the way intake staff get them wrong, parses the
// one search box, scores a candidate from 0 to 1 and explains the score in
// one line.
//
// It is pure: no database. The store asks it for the blocking keys of a
// client (IndexKeys) and of a query (Matcher.Keys), fetches the candidates
// whose keys meet, and asks it to score them (Matcher.Score). SSNs are
// only ever seen here as keyed digests (Digests): the store keeps the
// HMACs, never compares SSNs in clear.
package search

//go:generate go run ./internal/gennick ../../../shared/data/nicknames.csv nicknames_gen.go
