package token

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokenize splits s into words and punctuation, keeping case (see the
// package comment for what a word is). White space separates tokens and is
// dropped. A byte that is not valid UTF-8 is a token of its own.
func Tokenize(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			toks = append(toks, s[i:i+1])
		case unicode.IsSpace(r):
		case isWordStart(r):
			n = wordEnd(s, i) - i
			toks = append(toks, s[i:i+n])
		case isPaired(r):
			toks = append(toks, s[i:i+n])
		default:
			// A run of one character: "...", "--", "!!".
			c := s[i : i+n]
			for strings.HasPrefix(s[i+n:], c) {
				n += len(c)
			}
			toks = append(toks, s[i:i+n])
		}
		i += n
	}
	return toks
}

// isWordStart reports whether r starts a word: a letter, a number or "_",
// as \w in bleu's rule.
func isWordStart(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// isWordChar reports whether r continues a word: isWordStart or a mark.
func isWordChar(r rune) bool {
	return isWordStart(r) || unicode.Is(unicode.M, r)
}

// wordEnd returns the end of the word that starts at i.
func wordEnd(s string, i int) int {
	prev := rune(0)
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		if isWordChar(r) {
			prev = r
			i += n
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[i+n:])
		switch {
		case (r == '-' || r == '\'' || r == '’') && isWordStart(next):
			// "e-mail", "don't", "l’homme"
		case (r == '.' || r == ',' || r == ':') && isDigit(prev) && isDigit(next):
			// "3.5", "1,000", "10:30"
		case r == '-' && (i+n == len(s) || unicode.IsSpace(next)):
			return i + n // "Ein- und Ausgang"
		default:
			return i
		}
		prev = r
		i += n
	}
	return i
}

func isDigit(r rune) bool { return unicode.IsDigit(r) }

// isPaired reports whether r is a quote or bracket: each is a token of its
// own, so that Detokenize can pair them.
func isPaired(r rune) bool {
	return strings.ContainsRune(`"'()[]{}„“”‚‘’«»`, r)
}
