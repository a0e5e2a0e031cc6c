package token

import "strings"

// Detokenize joins tokens into text as a reader expects it: words separated
// by single spaces, no space before , . ! ? ; : … % and closing brackets and
// quotes, none after opening brackets and quotes, "¿", "¡", "$", "£", and
// none on either side of "/". Quotes are told apart by pairing: a straight
// double (or single) quote opens, the next one closes; "„" opens a German
// quote that "“" closes, while "“" with no "„" open is an English opening
// quote that "”" closes; "‚" and "‘", "‘" and "’", "«" and "»" likewise. A
// hyphen right after a closing quote joins both sides, as in the German
// compound „Open“-Schild. Empty tokens are skipped.
//
// It follows English and German spacing; French puts a space before ! ? ; :
// and inside « », which Detokenize does not. It inverts Tokenize on text
// written with these rules: Detokenize(Tokenize(s)) == s for a sentence with
// single spaces between words, no space where Detokenize puts none, and a
// space after every punctuation token that is not an opening one (what the
// tests check on Multi30k). A straight "'" ending a word ("dogs' toys") is
// taken for a quote.
func Detokenize(tokens []string) string {
	var b strings.Builder
	var dq, sq, de, deSingle bool // open quotes: " ' „ ‚
	glue := true                  // no space before the next token
	closed := false               // the previous token closed a quote
	for _, t := range tokens {
		if t == "" {
			continue
		}
		left, right := false, false // no space before t, after t
		wasClosed := closed
		switch t {
		case `"`:
			left, right = dq, !dq
			dq = !dq
		case "'":
			left, right = sq, !sq
			sq = !sq
		case "„":
			right, de = true, true
		case "“":
			left, right = de, !de
			de = false
		case "‚":
			right, deSingle = true, true
		case "‘":
			left, right = deSingle, !deSingle
			deSingle = false
		case "”", "’", "»":
			left = true
		case "(", "[", "{", "«", "¿", "¡", "$", "£":
			right = true
		case "/":
			left, right = true, true
		case "-":
			// „Open“-Schild: a German compound with a quoted part.
			left, right = wasClosed, wasClosed
		default:
			left = strings.Trim(t, ",.!?;:…%)]}") == ""
		}
		closed = left && isQuote(t)
		if !glue && !left {
			b.WriteByte(' ')
		}
		b.WriteString(t)
		glue = right
	}
	return b.String()
}

// isQuote reports whether t is a quote character.
func isQuote(t string) bool {
	switch t {
	case `"`, "'", "„", "“", "”", "‚", "‘", "’", "«", "»":
		return true
	}
	return false
}
