package search

import (
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

var now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"José", "jose"},
		{"GARCÍA-LÓPEZ", "garcia lopez"},
		{"O'Brien", "obrien"},
		{"St. John", "st john"},
		{"Nguyễn", "nguyen"},
		{"Łukasz Żółć", "lukasz zolc"},
		{"Müller  Straße", "muller strasse"},
		{"  de_la   Cruz ", "de la cruz"},
		{"<script>alert(1)</script>", "script alert 1 script"},
		{"'; DROP TABLE clients; --", "drop table clients"},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if len(latinA) != 0x80 || len(latin1) != 0x40 || len(vietRun) != 0x1ef9-0x1ea0+1 {
		t.Fatal("fold tables have the wrong length")
	}
}

func TestNewName_MultiPartSurnames(t *testing.T) {
	for _, s := range []string{"Garcia Lopez", "Garcia-Lopez", "GARCÍA LÓPEZ", "garcia-lópez"} {
		n := NewName(s)
		if n.Joined != "garcialopez" || len(n.Parts) != 2 {
			t.Errorf("NewName(%q) = %+v", s, n)
		}
	}
	if got := NewName("de la Cruz").significant(); len(got) != 1 || got[0] != "cruz" {
		t.Errorf("significant parts of de la Cruz = %v", got)
	}
}

func TestMetaphone(t *testing.T) {
	same := [][2]string{
		{"catherine", "kathryn"}, {"steven", "stephen"}, {"jon", "john"}, {"lenon", "lennon"},
		{"smith", "smyth"}, {"phillips", "philips"}, {"knight", "night"}, {"cristina", "kristina"},
		{"geoffrey", "jeffrey"}, {"wright", "right"}, {"philip", "filip"},
	}
	for _, p := range same {
		if a, b := Metaphone(p[0]), Metaphone(p[1]); a != b || a == "" {
			t.Errorf("Metaphone(%s) = %s, Metaphone(%s) = %s: want equal", p[0], a, p[1], b)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"catherine", "K0RN"}, {"lennon", "LNN"}, {"smith", "SM0"}, {"xavier", "SFR"}, {"", ""},
	} {
		if got := Metaphone(tc.in); got != tc.want {
			t.Errorf("Metaphone(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if a, b := Metaphone("smith"), Metaphone("jones"); a == b {
		t.Errorf("smith and jones share %s", a)
	}
}

func TestNicknames(t *testing.T) {
	for _, p := range [][2]string{{"bill", "william"}, {"william", "bill"}, {"peggy", "margaret"}, {"bob", "robert"}, {"matt", "matthew"}} {
		if !IsNickname(p[0], p[1]) {
			t.Errorf("IsNickname(%s, %s) = false", p[0], p[1])
		}
	}
	for _, p := range [][2]string{{"bill", "bill"}, {"john", "mary"}, {"", "bill"}} {
		if IsNickname(p[0], p[1]) {
			t.Errorf("IsNickname(%s, %s) = true", p[0], p[1])
		}
	}
}

func TestDamerau(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"smith", "smtih", 1}, {"jon", "john", 1}, {"lenon", "lennon", 1}, {"smith", "smith", 0},
		{"", "abc", 3}, {"abc", "", 3}, {"ca", "abc", 3}, {"martha", "marhta", 1}, {"kitten", "sitting", 3},
	} {
		if got := Damerau(tc.a, tc.b); got != tc.want {
			t.Errorf("Damerau(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestCompareDOB(t *testing.T) {
	d := hmis.MustDate
	for _, tc := range []struct {
		q, c string
		want DOBMatch
	}{
		{"1940-10-09", "1940-10-09", DOBExact},
		{"1940-09-10", "1940-10-09", DOBSwapped},
		{"1941-10-09", "1940-10-09", DOBYearOff},
		{"1939-10-09", "1940-10-09", DOBYearOff},
		{"1940-10-08", "1940-10-09", DOBDigit},
		{"1904-10-09", "1940-10-09", DOBDigit}, // adjacent digits transposed
		{"1940-10-25", "1940-10-01", DOBYearMonth},
		{"1940-03-25", "1940-10-01", DOBYear},
		{"1952-03-25", "1940-10-01", DOBNone},
		{"1940-10-09", "", DOBNone},
	} {
		var c hmis.Date
		if tc.c != "" {
			c = d(tc.c)
		}
		if got := CompareDOB(d(tc.q), c); got != tc.want {
			t.Errorf("CompareDOB(%s, %s) = %v (%s), want %v", tc.q, tc.c, got, dobLabel[got], tc.want)
		}
	}
}

func TestDOBVariants(t *testing.T) {
	vs := DOBVariants(hmis.MustDate("1940-10-09"))
	has := map[string]bool{}
	for _, v := range vs {
		if has[v.String()] {
			t.Errorf("variant %s twice", v)
		}
		has[v.String()] = true
	}
	for _, want := range []string{"1940-10-09", "1940-09-10", "1939-10-09", "1941-10-09", "1940-10-08", "1940-11-09", "1904-10-09"} {
		if !has[want] {
			t.Errorf("variants lack %s", want)
		}
	}
	if vs[0].String() != "1940-10-09" || len(vs) > 80 {
		t.Errorf("variants: first %s, %d in all", vs[0], len(vs))
	}
}

func TestNormalizeSSN(t *testing.T) {
	for _, tc := range []struct{ in, full, last4 string }{
		{"123-45-6789", "123456789", "6789"},
		{"123456789", "123456789", "6789"},
		{"xxx-xx-6789", "", "6789"},
		{"123xx6789", "", "6789"},
		{"***-**-6789", "", "6789"},
		{"6789", "", "6789"},
		{"12345", "", ""},
		{"abc", "", ""},
		{"", "", ""},
	} {
		f, l := NormalizeSSN(tc.in)
		if f != tc.full || l != tc.last4 {
			t.Errorf("NormalizeSSN(%q) = %q, %q; want %q, %q", tc.in, f, l, tc.full, tc.last4)
		}
	}
}

func TestCompareSSN(t *testing.T) {
	dg := NewDigester([]byte("0123456789abcdef0123456789abcdef"))
	rec := func(s string) (string, string) { return dg.Digests(s) }
	for _, tc := range []struct {
		typed, stored string
		want          SSNMatch
	}{
		{"123456789", "123-45-6789", SSNExact},
		{"124356789", "123456789", SSNTransposed},
		{"123456798", "123456789", SSNTransposed},
		{"6789", "123456789", SSNLastFour},
		{"123456789", "xxxxx6789", SSNLastFour},
		{"6789", "xxxxx6789", SSNLastFour},
		{"987654321", "123456789", SSNDiffers},
		{"1111", "123456789", SSNDiffers},
		{"123456789", "", SSNNone},
	} {
		f, l := NormalizeSSN(tc.typed)
		full, last4 := rec(tc.stored)
		if got := dg.query(f, l).compare(full, last4); got != tc.want {
			t.Errorf("typed %s, stored %s: %v, want %v", tc.typed, tc.stored, got, tc.want)
		}
	}
	// The digest is keyed: another site's key gives another digest.
	a, _ := dg.Digests("123456789")
	b, _ := NewDigester([]byte("another key, another site.......")).Digests("123456789")
	if a == b || strings.Contains(a, "6789") {
		t.Errorf("digests not keyed: %s %s", a, b)
	}
}

func TestParse(t *testing.T) {
	names := func(q Query) string {
		var s []string
		for _, n := range q.Names {
			s = append(s, strings.Join(n.Parts, "-"))
		}
		return strings.Join(s, " ")
	}
	for _, tc := range []struct {
		in, names string
		comma     int
		dob       string
		ssn, ssn4 string
		year      int
		id        string
	}{
		{in: "Lennon, John", names: "lennon john", comma: 1},
		{in: "john lennon", names: "john lennon"},
		{in: "Jon Lenon", names: "jon lenon"},
		{in: "john lennon 10/9/1940", names: "john lennon", dob: "1940-10-09"},
		{in: "1940-10-09 lennon", names: "lennon", dob: "1940-10-09"},
		{in: "9 Oct 1940 John Lennon", names: "john lennon", dob: "1940-10-09"},
		{in: "John Oct 9, 1940 Lennon", names: "john lennon", dob: "1940-10-09"},
		{in: "october 9th 1940", dob: "1940-10-09"},
		{in: "10/9/40 lennon", names: "lennon", dob: "1940-10-09"},
		{in: "25/12/1980", dob: "1980-12-25"},
		{in: "123-45-6789 Lennon", names: "lennon", ssn: "123456789", ssn4: "6789"},
		{in: "lennon 6789", names: "lennon", ssn4: "6789"},
		{in: "lennon 1940", names: "lennon", ssn4: "1940", year: 1940},
		{in: "xxx-xx-6789", ssn4: "6789"},
		{in: "Garcia-Lopez, Maria", names: "garcia-lopez maria", comma: 1},
		{in: "Maria García López", names: "maria garcia lopez"},
		{in: "c8ea33e4a0e5C0000000a58", id: "c8ea33e4a0e5C0000000a58"},
		{in: "'; DROP TABLE clients; --", names: "drop table clients"},
		{in: "!!! ???"},
		{in: "2/30/1990 smith", names: "smith"}, // no 30 February
	} {
		q := Parse(tc.in, now)
		if got := names(q); got != tc.names || q.Comma != tc.comma || q.DOB.String() != tc.dob ||
			q.SSN != tc.ssn || q.SSN4 != tc.ssn4 || q.BirthYear != tc.year || q.PersonalID != tc.id {
			t.Errorf("Parse(%q) = names %q comma %d dob %q ssn %q/%q year %d id %q", tc.in, got, q.Comma, q.DOB, q.SSN, q.SSN4, q.BirthYear, q.PersonalID)
		}
	}
	if !Parse("!!! ???", now).Empty() || Parse("smith", now).Empty() {
		t.Error("Empty")
	}
	long := strings.Repeat("lennon ", 2000)
	if q := Parse(long, now); len(q.Names) > maxNames {
		t.Errorf("10,000 characters gave %d names", len(q.Names))
	}
}

var testKey = []byte("test key: thirty-two bytes long!")

func record(first, middle, last, dob, ssn string) Record {
	r := Record{First: first, Middle: middle, Last: last}
	if dob != "" {
		r.DOB = hmis.MustDate(dob)
	}
	r.SSNDigest, r.SSN4Digest = NewDigester(testKey).Digests(ssn)
	return r
}

// TestScore covers every rule of issue 4: each row is a query, the
// record it should find, the least score and the reason.
func TestScore(t *testing.T) {
	lennon := record("John", "Winston", "Lennon", "1940-10-09", "123456789")
	for _, tc := range []struct {
		name, query string
		rec         Record
		min         float64
		reason      string
	}{
		{"last, first", "Lennon, John", lennon, 1, "name match"},
		{"first last", "john lennon", lennon, 1, "name match"},
		{"typos", "Jon Lenon", lennon, 0.85, "nickname of first name, last name sounds alike"},
		{"transposition", "John Smtih", record("John", "", "Smith", "", ""), 0.9, "first name match, last name typo"},
		{"phonetic", "Kathryn Jones", record("Catherine", "", "Jones", "", ""), 0.9, "first name sounds alike, last name match"},
		{"phonetic 2", "Stephen King", record("Steven", "", "King", "", ""), 0.9, "first name sounds alike, last name match"},
		{"nickname", "Bill Smith", record("William", "", "Smith", "", ""), 0.9, "nickname of first name, last name match"},
		{"nickname 2", "Peggy Olson 1950-03-04", record("Margaret", "", "Olson", "1950-03-04", ""), 0.9, "nickname of first name, last name match, DOB match"},
		{"swapped without comma", "Lennon John", lennon, 0.95, "name match"},
		{"swapped in the record", "Lennon, John", record("Lennon", "", "John", "", ""), 0.9, "first and last swapped, name match"},
		{"hyphenated", "Maria Garcia-Lopez", record("Maria", "", "Garcia Lopez", "", ""), 1, "name match"},
		{"joined parts", "Maria Garcia Lopez", record("María", "", "García-López", "", ""), 1, "name match"},
		{"one part", "Maria Lopez", record("Maria", "", "Garcia-Lopez", "", ""), 0.9, "first name match, last name matches part of surname"},
		{"accents and case", "JOSE HERNANDEZ", record("José", "", "Hernández", "", ""), 1, "name match"},
		{"dob swapped", "John Lennon 9/10/1940", lennon, 0.95, "name match, DOB day/month swapped"},
		{"dob digit", "John Lennon 10/8/1940", lennon, 0.9, "name match, DOB one digit off"},
		{"dob year", "John Lennon 10/9/1941", lennon, 0.9, "name match, DOB year off by one"},
		{"ssn transposed", "John Lennon 124-35-6789", lennon, 0.9, "name match, SSN two digits transposed"},
		{"ssn last four", "John Lennon 6789", lennon, 0.95, "name match, SSN last four match"},
		{"issue example", "Johnny Lennon 9/10/1940 6789", record("John", "", "Lennon", "1940-10-09", "123456789"), 0.85,
			"nickname of first name, last name match, DOB day/month swapped, SSN last four match"},
		{"year alone", "Lennon 1940", lennon, 0.9, "last name match, birth year match"},
		{"dob only", "10/9/1940", lennon, 1, "DOB match"},
		{"first name alone", "john", record("John", "", "Smith", "", ""), 0.9, "first name match"},
		{"nickname alone", "bill", record("William", "", "Smith", "", ""), 0.9, "nickname of first name"},
	} {
		m := NewMatcher(Parse(tc.query, now), testKey)
		score, reason := m.Score(tc.rec, "x")
		if score < tc.min || score > 1 || reason != tc.reason {
			t.Errorf("%s: %q scores %.3f %q; want ≥ %.2f %q", tc.name, tc.query, score, reason, tc.min, tc.reason)
		}
		// The blocking keys of the query meet the record's.
		sel, names := m.Keys()
		idx := map[int64]bool{}
		for _, k := range IndexKeys(tc.rec) {
			idx[k] = true
		}
		met := false
		for _, k := range append(sel, names...) {
			met = met || idx[k]
		}
		if !met && tc.name != "transposition" { // Smtih/Smith differ in sound: found through DOB or SSN keys
			t.Errorf("%s: %q: no blocking key meets the record's", tc.name, tc.query)
		}
	}
}

func TestScore_Distinct(t *testing.T) {
	for _, tc := range []struct {
		name, query string
		rec         Record
		max         float64
	}{
		{"other person, same name", "John Lennon 10/9/1940 123-45-6789", record("John", "", "Lennon", "1975-03-22", "987654321"), 0.6},
		{"twins", "Mary Lennon 10/9/1940", record("John", "", "Lennon", "1940-10-09", ""), 0.7},
		{"nothing alike", "Maria Garcia", record("John", "", "Lennon", "", ""), 0.1},
	} {
		score, reason := NewMatcher(Parse(tc.query, now), testKey).Score(tc.rec, "x")
		if score > tc.max {
			t.Errorf("%s: %q scores %.3f (%s), want ≤ %.2f", tc.name, tc.query, score, reason, tc.max)
		}
	}
	if s, r := NewMatcher(Query{PersonalID: "abc123def"}, testKey).Score(Record{}, "abc123def"); s != 1 || r != "HMIS ID match" {
		t.Errorf("ID: %v %q", s, r)
	}
}
