package search

import (
	"strings"
	"unicode"
)

// Fold returns s in the form names are compared in: lower case, accents
// removed (José -> jose, Nguyễn -> nguyen, Łukasz -> lukasz), apostrophes
// and periods dropped (O'Brien -> obrien, St. John -> st john), every
// other character that is not a letter or digit a single space (hyphens
// included: Garcia-Lopez -> garcia lopez), trimmed.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\'' || r == '’' || r == '‘' || r == '`' || r == '.' || r == 'ʻ':
			continue
		case r >= 0x300 && r <= 0x36f: // combining accents
			continue
		}
		if f, ok := foldRune(r); ok {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(f)
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		space = true
	}
	return b.String()
}

// Latin letters with diacritics and their plain forms. Upper-case
// letters map to lower case; '1' stands for "ae", '2' "th", '3' "ss",
// '4' "oe" and ' ' for a separator.
const (
	latin1  = "aaaaaa1ceeeeiiiidnooooo ouuuuy23aaaaaa1ceeeeiiiidnooooo ouuuuy2y" // U+00C0..U+00FF
	latinA  = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkkllllllllllnnnnnnnnnoooooo44rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs"
	vietRun = "aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy" // U+1EA0..U+1EF9
)

var foldMulti = map[byte]string{'1': "ae", '2': "th", '3': "ss", '4': "oe"}

// foldRune returns the plain lower-case form of a letter with a
// diacritic (or of an ASCII letter); ok is false for other runes.
func foldRune(r rune) (string, bool) {
	var c byte
	switch {
	case r < 0x80:
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			return string(r), true
		}
		return "", false
	case r >= 0xc0 && r <= 0xff:
		c = latin1[r-0xc0]
	case r >= 0x100 && r <= 0x17f:
		c = latinA[r-0x100]
	case r >= 0x1ea0 && r <= 0x1ef9:
		c = vietRun[r-0x1ea0]
	case r == 0x1a0 || r == 0x1a1: // Ơ ơ
		c = 'o'
	case r == 0x1af || r == 0x1b0: // Ư ư
		c = 'u'
	default:
		return "", false
	}
	if c == ' ' {
		return "", false
	}
	if m, ok := foldMulti[c]; ok {
		return m, true
	}
	return string(c), true
}

// particles are surname parts too common to identify anyone on their own
// (de la Cruz, Van Dyke, St. John); they stay in the joined surname.
var particles = map[string]bool{
	"de": true, "del": true, "la": true, "las": true, "los": true, "da": true, "das": true, "di": true,
	"do": true, "dos": true, "du": true, "van": true, "von": true, "der": true, "den": true, "le": true,
	"st": true, "saint": true, "y": true, "e": true, "bin": true, "ibn": true, "al": true, "el": true,
}

// Name is a normalised name: its folded parts and their concatenation.
// "Garcia-Lopez" and "García López" both give parts [garcia lopez] and
// Joined "garcialopez".
type Name struct {
	Parts  []string
	Joined string
}

// NewName normalises a name as typed or stored.
func NewName(s string) Name {
	parts := strings.Fields(Fold(s))
	return Name{Parts: parts, Joined: strings.Join(parts, "")}
}

// IsZero reports whether the name is empty.
func (n Name) IsZero() bool { return n.Joined == "" }

// join concatenates names: the units of a surname typed as several words.
func join(ns ...Name) Name {
	var out Name
	for _, n := range ns {
		out.Parts = append(out.Parts, n.Parts...)
	}
	out.Joined = strings.Join(out.Parts, "")
	return out
}

// significant returns the parts that identify: the parts without
// particles, or the joined name when that leaves nothing.
func (n Name) significant() []string {
	var out []string
	for _, p := range n.Parts {
		if !particles[p] {
			out = append(out, p)
		}
	}
	if len(out) == 0 && n.Joined != "" {
		out = []string{n.Joined}
	}
	return out
}
