package search

// Phonetic keys: Lawrence Philips' original Metaphone (1990).
//
// Why Metaphone: Soundex keeps the first letter as written, so
// Catherine/Kathryn and Cristina/Kristina never meet, and its four-character
// codes lump too many surnames together to block a million records on.
// Metaphone maps the English spellings that intake staff confuse onto one
// code (C/K/Q, PH/F, TH, silent GH/KN/WR, doubled letters, vowels after the
// first letter): Catherine and Kathryn are both K0RN, Steven and Stephen
// STFN, Jon and John JN, Lenon and Lennon LNN. Double Metaphone adds a
// second code for Slavic, Germanic, Spanish and Chinese spellings, at
// twice the index keys and four times the code; here the blocking keys
// also include the date of birth and the SSN digests, and scoring uses
// edit distance, so a surname the single code misses is still found
// through them. Codes are capped at six characters.

const metaphoneMax = 6

func isVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }

// Metaphone returns the Metaphone code of a folded word (a-z; other
// characters are ignored), upper case, at most six characters.
func Metaphone(word string) string {
	w := make([]byte, 0, len(word))
	for i := 0; i < len(word); i++ {
		if c := word[i]; c >= 'a' && c <= 'z' {
			w = append(w, c)
		}
	}
	if len(w) == 0 {
		return ""
	}
	at := func(i int) byte {
		if i < 0 || i >= len(w) {
			return 0
		}
		return w[i]
	}
	out := make([]byte, 0, metaphoneMax)
	emit := func(s string) { out = append(out, s...) }
	i := 0
	switch {
	case len(w) > 1 && (string(w[:2]) == "ae" || string(w[:2]) == "gn" || string(w[:2]) == "kn" ||
		string(w[:2]) == "pn" || string(w[:2]) == "wr"):
		i = 1
	case w[0] == 'x':
		emit("S")
		i = 1
	case len(w) > 1 && string(w[:2]) == "wh":
		emit("W")
		i = 2
	}
	for ; i < len(w) && len(out) < metaphoneMax; i++ {
		c := w[i]
		if c == at(i-1) && c != 'c' {
			continue // doubled letters count once
		}
		next, next2 := at(i+1), at(i+2)
		switch c {
		case 'a', 'e', 'i', 'o', 'u':
			if i == 0 {
				emit(string(c - 32))
			}
		case 'b':
			if !(at(i-1) == 'm' && i == len(w)-1) {
				emit("B")
			}
		case 'c':
			switch {
			case at(i-1) == 's' && (next == 'i' || next == 'e' || next == 'y'):
				// silent: SCI, SCE, SCY
			case next == 'i' && next2 == 'a':
				emit("X")
			case next == 'h':
				if at(i-1) == 's' {
					emit("K")
				} else {
					emit("X")
				}
				i++
			case next == 'i' || next == 'e' || next == 'y':
				emit("S")
			default:
				emit("K")
			}
		case 'd':
			if next == 'g' && (next2 == 'e' || next2 == 'y' || next2 == 'i') {
				emit("J")
				i++
			} else {
				emit("T")
			}
		case 'g':
			switch {
			case next == 'h' && i+2 < len(w) && !isVowel(next2):
				// silent: GH not before a vowel (night, Hugh)
			case next == 'n' && (i+2 == len(w) || (next2 == 'e' && at(i+3) == 'd' && i+4 == len(w))):
				// silent: -GN, -GNED
			case (next == 'i' || next == 'e' || next == 'y') && at(i-1) != 'g':
				emit("J")
			default:
				emit("K")
			}
		case 'h':
			prev := at(i - 1)
			if prev == 'c' || prev == 's' || prev == 'p' || prev == 't' || prev == 'g' {
				break
			}
			if i > 0 && isVowel(prev) && !isVowel(next) {
				break
			}
			emit("H")
		case 'k':
			if at(i-1) != 'c' {
				emit("K")
			}
		case 'p':
			if next == 'h' {
				emit("F")
			} else {
				emit("P")
			}
		case 'q':
			emit("K")
		case 's':
			switch {
			case next == 'h':
				emit("X")
			case next == 'i' && (next2 == 'o' || next2 == 'a'):
				emit("X")
			default:
				emit("S")
			}
		case 't':
			switch {
			case next == 'i' && (next2 == 'o' || next2 == 'a'):
				emit("X")
			case next == 'h':
				emit("0")
			case next == 'c' && next2 == 'h':
				// silent: TCH
			default:
				emit("T")
			}
		case 'v':
			emit("F")
		case 'w', 'y':
			if isVowel(next) {
				emit(string(c - 32))
			}
		case 'x':
			emit("KS")
		case 'z':
			emit("S")
		default: // f j l m n r
			emit(string(c - 32))
		}
	}
	if len(out) > metaphoneMax {
		out = out[:metaphoneMax]
	}
	return string(out)
}
