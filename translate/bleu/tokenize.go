package bleu

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokenize splits s into the tokens bleu.py scores: s is lower-cased as Python's
// str.lower does it, then cut as re.findall(r"\w+(?:[-']\w+)*|[^\w\s]", s) cuts
// it. A word is a run of word characters that may continue over single hyphens
// and apostrophes ("don't", "e-mail", "5-year-old" stay whole, "rock-'n'" does
// not: a hyphen directly followed by an apostrophe ends the word); every other
// character that is not white space is a token of its own (".", "$", "😀").
//
// Word characters are Python 3's \w on str patterns: letters (categories L*),
// numbers (N*: every Unicode digit, "²", "½", "Ⅻ") and "_"; combining marks are
// not, so "e\u0301" is the two tokens "e" and "\u0301", as in Python. White space
// is Python's \s: categories Z*, \t \n \v \f \r, U+001C..U+001F and U+0085. The
// tables are Go's (Unicode 15), Python 3.11's are Unicode 14: they agree on every
// character Unicode 14 assigns (TestUnicodeTables). A byte that is not valid
// UTF-8, which Python could not have read, is a token of one byte.
func Tokenize(s string) []string { return split(lower(s)) }

// TokenizeCased is Tokenize without lower-casing, for cased BLEU.
func TokenizeCased(s string) []string { return split(s) }

// split cuts s by the pattern \w+(?:[-']\w+)*|[^\w\s]. The greedy regexp
// never backtracks into a match here: \w+ takes the whole run, and a "-" or
// "'" joins only when a word character follows it, so one forward scan finds
// the same tokens.
func split(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			toks = append(toks, s[i:i+1])
			i++
		case isSpace(r):
			i += n
		case isWord(r):
			j := wordEnd(s, i+n)
			for j < len(s) && (s[j] == '-' || s[j] == '\'') {
				r2, n2 := utf8.DecodeRuneInString(s[j+1:])
				if !isWord(r2) { // utf8.RuneError, for a bad byte too, is not a word character
					break
				}
				j = wordEnd(s, j+1+n2)
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			toks = append(toks, s[i:i+n])
			i += n
		}
	}
	return toks
}

// wordEnd returns the end of the run of word characters starting at i.
func wordEnd(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWord(r) {
			break
		}
		i += n
	}
	return i
}

// isWord reports whether Python's \w matches r: str.isalnum() or "_", which
// in Unicode 14 is exactly the letters and numbers.
func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// isSpace reports whether Python's \s matches r: str.isspace(), which adds the
// ASCII separators U+001C..U+001F to Go's unicode.IsSpace.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || 0x1c <= r && r <= 0x1f
}

// lower is Python's str.lower: Go's unicode.ToLower for every character but
// two. "İ" (U+0130) becomes "i\u0307", its full lower-case mapping, and a
// capital sigma becomes the final "ς" at the end of a word and "σ" elsewhere
// (Unicode's Final_Sigma context, see finalSigma).
func lower(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteByte(s[i]) // kept as it is, to become a token of its own
		case r == 'İ':
			b.WriteString("i\u0307")
		case r == 'Σ':
			if finalSigma(s, i, i+n) {
				b.WriteRune('ς')
			} else {
				b.WriteRune('σ')
			}
		default:
			b.WriteRune(unicode.ToLower(r))
		}
		i += n
	}
	return b.String()
}

// finalSigma reports whether the sigma at s[i:j] is in the Final_Sigma
// context as CPython tests it: a cased character before it and none after it,
// case-ignorable characters skipped on both sides.
func finalSigma(s string, i, j int) bool {
	before := false
	for k := i; k > 0; {
		r, n := utf8.DecodeLastRuneInString(s[:k])
		k -= n
		if !caseIgnorable(r) {
			before = isCased(r)
			break
		}
	}
	if !before {
		return false
	}
	for k := j; k < len(s); {
		r, n := utf8.DecodeRuneInString(s[k:])
		k += n
		if !caseIgnorable(r) {
			return !isCased(r)
		}
	}
	return true
}

// isCased is Unicode's Cased property: upper-case, lower-case or title-case.
func isCased(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) ||
		unicode.Is(unicode.Other_Lowercase, r) || unicode.Is(unicode.Other_Uppercase, r)
}

// caseIgnorable is Unicode's Case_Ignorable property: marks, format
// characters, modifier letters and symbols, and the characters of word-break
// classes MidLetter, MidNumLet and Single_Quote (midWord).
func caseIgnorable(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk) ||
		unicode.Is(midWord, r)
}

// midWord holds the characters of word-break classes MidLetter, MidNumLet and
// Single_Quote (Unicode 15 WordBreakProperty.txt) that are not already marks,
// format characters or modifiers.
var midWord = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x0027, Hi: 0x0027, Stride: 1}, // '
		{Lo: 0x002e, Hi: 0x002e, Stride: 1}, // .
		{Lo: 0x003a, Hi: 0x003a, Stride: 1}, // :
		{Lo: 0x00b7, Hi: 0x00b7, Stride: 1}, // ·
		{Lo: 0x0387, Hi: 0x0387, Stride: 1},
		{Lo: 0x055f, Hi: 0x055f, Stride: 1},
		{Lo: 0x05f4, Hi: 0x05f4, Stride: 1},
		{Lo: 0x2018, Hi: 0x2019, Stride: 1}, // ‘ ’
		{Lo: 0x2024, Hi: 0x2024, Stride: 1},
		{Lo: 0x2027, Hi: 0x2027, Stride: 1},
		{Lo: 0xfe13, Hi: 0xfe13, Stride: 1},
		{Lo: 0xfe52, Hi: 0xfe52, Stride: 1},
		{Lo: 0xfe55, Hi: 0xfe55, Stride: 1},
		{Lo: 0xff07, Hi: 0xff07, Stride: 1},
		{Lo: 0xff0e, Hi: 0xff0e, Stride: 1},
		{Lo: 0xff1a, Hi: 0xff1a, Stride: 1},
	},
	LatinOffset: 4,
}
