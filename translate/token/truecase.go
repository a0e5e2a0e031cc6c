package token

import (
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Truecaser knows the usual form of words: the case they are written with
// where case says something about the word, not about the position (after
// the start of a sentence). It is Moses's truecaser reduced to the sentence's
// first word, the one whose case is not the word's own: Truecase lower-cases
// "Ein" at the start of a sentence, because "ein" is its usual form, and keeps
// "Hund", whose usual form is capitalised.
//
// A model stores it as Forms, a list of strings, and gets it back with
// NewTruecaser. A Truecaser is not changed by its methods and is safe for
// concurrent use.
type Truecaser struct {
	usual map[string]string // lower-cased word → usual form
}

// LearnTruecase counts, in tokenized sentences, the forms each word is
// written with outside sentence-initial positions (see Truecase), and keeps
// for each word its most frequent form; among forms as frequent, the one that
// sorts first byte-wise (upper case before lower: a word seen once as "Bank"
// and once as "bank" stays capitalised, the safe side for German nouns).
func LearnTruecase(sentences [][]string) *Truecaser {
	counts := map[string]map[string]int{}
	for _, s := range sentences {
		initial := initialPositions(s)
		for i, w := range s {
			if initial[i] || !hasLetter(w) {
				continue
			}
			k := strings.ToLower(w)
			if counts[k] == nil {
				counts[k] = map[string]int{}
			}
			counts[k][w]++
		}
	}
	t := &Truecaser{usual: make(map[string]string, len(counts))}
	for k, forms := range counts {
		best, n := "", 0
		for f, c := range forms {
			if c > n || c == n && f < best {
				best, n = f, c
			}
		}
		t.usual[k] = best
	}
	return t
}

// NewTruecaser returns the truecaser whose usual forms are forms (as Forms
// returns them). When two forms are the same word in different case, the last
// one is kept.
func NewTruecaser(forms []string) *Truecaser {
	t := &Truecaser{usual: make(map[string]string, len(forms))}
	for _, f := range forms {
		if f != "" {
			t.usual[strings.ToLower(f)] = f
		}
	}
	return t
}

// Forms returns the usual form of every word the truecaser knows, sorted
// case-insensitively: what a model stores to make the truecaser again with
// NewTruecaser.
func (t *Truecaser) Forms() []string {
	keys := slices.Sorted(maps.Keys(t.usual))
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = t.usual[k]
	}
	return out
}

// Len returns the number of words the truecaser knows.
func (t *Truecaser) Len() int { return len(t.usual) }

// Usual returns the usual form of word and whether the word is known.
func (t *Truecaser) Usual(word string) (string, bool) {
	f, ok := t.usual[strings.ToLower(word)]
	return f, ok
}

// Truecase returns a copy of tokens whose sentence-initial words are replaced
// by their usual form; other words, and words the truecaser does not know,
// are kept as they are. A word is sentence-initial when it is the first word
// token of the sentence (punctuation, quotes and brackets before it do not
// count; "3" is a word), or the first after ". ! ? : …" (Moses's rule: a
// second sentence on the line, or one after a colon, starts there too).
func (t *Truecaser) Truecase(tokens []string) []string {
	out := slices.Clone(tokens)
	for i, initial := range initialPositions(tokens) {
		if initial {
			if f, ok := t.usual[strings.ToLower(tokens[i])]; ok {
				out[i] = f
			}
		}
	}
	return out
}

// initialPositions marks the sentence-initial words of s.
func initialPositions(s []string) []bool {
	initial := make([]bool, len(s))
	start := true
	for i, w := range s {
		switch {
		case isWord(w):
			initial[i] = start
			start = false
		case strings.Trim(w, ".!?:…") == "":
			start = true
		}
	}
	return initial
}

func hasLetter(w string) bool { return strings.IndexFunc(w, unicode.IsLetter) >= 0 }

// isWord reports whether w is a word token (it starts as Tokenize's words
// do), not punctuation.
func isWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return isWordStart(r)
}

// Capitalize returns a copy of tokens whose first word, when it starts with a
// letter, starts with a capital (the letter in title case, which for most
// letters is upper case), for a sentence the model wrote truecased. Quotes
// and brackets before the word are skipped; a first word that starts with a
// digit ("3 dogs") is left as it is.
func Capitalize(tokens []string) []string {
	out := slices.Clone(tokens)
	for i, w := range out {
		if !isWord(w) {
			continue
		}
		if r, n := utf8.DecodeRuneInString(w); unicode.IsLetter(r) {
			out[i] = string(unicode.ToTitle(r)) + w[n:]
		}
		break
	}
	return out
}
