package tokenize

import (
	"strings"
	"unicode/utf8"
)

// Span is where a token or a sentence is in the text it came from: the bytes
// text[Start:End].
type Span struct {
	Start, End int
}

// AppendSpans appends to dst the spans, in bytes of text, of the tokens that
// AppendTokens gives for text, in the same order, and returns the extended slice.
//
// text[s.Start:s.End] is the token as written. It is the token itself except
// where prose rewrites the text before splitting it: the quotes “ ” and the
// token " (that of one of them), ‘ ’ or "&rsquo;" and ' (so "don’t" gives the
// tokens "do" and "n't", the second spanning "n’t"), and, in invalid UTF-8, a
// run of invalid bytes and "\uFFFD". No character other than white space is
// left out: the spans of a whitespace-free chunk of text tile it.
func (t *Tokenizer) AppendSpans(dst []Span, text string) []Span {
	for i := 0; ; {
		start, end := nextChunk(text, i)
		if start == end {
			return dst
		}
		if c := text[start:end]; isPlainWord(c) {
			dst = append(dst, Span{start, end})
		} else {
			prev := start
			for _, e := range t.chunk(c).ends {
				dst = append(dst, Span{prev, start + e})
				prev = start + e
			}
		}
		i = end
	}
}

// align returns where each of toks ends in the chunk s, appended to ends, and
// whether toks tile s: each token is the next bytes of s, or what prose's
// sanitizer made of them (runs.go), and together they cover s. prose's
// tokens do not tile a chunk when it loses text ("don't." gives only "do"), or
// when lower-casing changed the length of the text it sliced ('İ').
func align(s string, toks []string, ends []int) ([]int, bool) {
	pos := 0
	for _, tok := range toks {
		if tok == "" {
			return ends, false
		}
		for j := 0; j < len(tok); {
			switch {
			case pos < len(s) && s[pos] == tok[j]:
				pos++
				j++
				continue
			case tok[j] == '"' && (strings.HasPrefix(s[pos:], "\u201c") || strings.HasPrefix(s[pos:], "\u201d")):
				pos += len("\u201c")
				j++
				continue
			case tok[j] == '\'' && (strings.HasPrefix(s[pos:], "\u2018") || strings.HasPrefix(s[pos:], "\u2019")):
				pos += len("\u2018")
				j++
				continue
			case tok[j] == '\'' && strings.HasPrefix(s[pos:], "&rsquo;"):
				pos += len("&rsquo;")
				j++
				continue
			case strings.HasPrefix(tok[j:], "\uFFFD") && invalidAt(s, pos):
				// strings.ToValidUTF8 made a run of invalid bytes one U+FFFD.
				for invalidAt(s, pos) {
					pos++
				}
				j += len("\uFFFD")
				continue
			}
			return ends, false
		}
		ends = append(ends, pos)
	}
	return ends, pos == len(s)
}

// invalidAt reports whether s has an invalid UTF-8 byte at i.
func invalidAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	return r == utf8.RuneError && size == 1
}

// clitics are the endings prose splits off, in the order it looks for them.
var clitics = [...]string{"'ll", "'s", "'re", "'m", "n't"}

// splitClitics splits a chunk on which prose loses text, which happens when a
// clitic is followed by more in one chunk ("don't.", "he's!", "'sup"): prose
// splits "do" off "n't.", then finds "n't" at the start of what is left, splits
// nothing, sees that nothing changed and stops, dropping "n't.". Here the clitic
// is split off in that case too, and splitting goes on as prose would: "don't."
// gives "do", "n't", "."; "'sup" gives "'s", "up".
//
// Until its last clitic is split off, prose's rounds over such a chunk are
// simple: no chunk holding an apostrophe is one prose keeps whole (an emoticon
// or an abbreviation), so it peels the characters "$", "(", `"` and "[" off the
// start, then splits before the first clitic it finds (in the order of clitics,
// not of position), and peels nothing off the end while a clitic is left. This
// does the same, in linear time (the next place of each clitic is remembered),
// then gives the rest, which holds no clitic to split, to prose.
func (t *Tokenizer) splitClitics(s string) []string {
	x := proseSanitizer.Replace(s)
	// Clitics are ASCII: lower-case ASCII letters only, so that positions in
	// lower are positions in x (strings.ToLower may change the length).
	lb := []byte(x)
	for i, c := range lb {
		if 'A' <= c && c <= 'Z' {
			lb[i] = c + 'a' - 'A'
		}
	}
	lower := string(lb)
	var toks []string
	pos := 0
	for pos < len(x) && isLeadPeel(x[pos]) {
		toks = append(toks, asciiTokens[x[pos]])
		pos++
	}
	var next [len(clitics)]int // where clitic k is next found at or after pos; -1: nowhere
	for k, c := range clitics {
		next[k] = index(lower, pos, c)
	}
	for pos < len(x) {
		k := -1
		for i, c := range clitics {
			if next[i] >= 0 && next[i] < pos {
				next[i] = index(lower, pos, c)
			}
			if next[i] >= 0 && len(x)-pos > len(c) {
				k = i
				break
			}
		}
		if k < 0 {
			break
		}
		end := next[k] // split before the clitic...
		if end == pos {
			end += len(clitics[k]) // ...or, where prose would lose the rest, after it
		}
		toks = append(toks, x[pos:end])
		pos = end
	}
	if pos < len(x) {
		toks = append(toks, t.split(x[pos:])...)
	}
	return toks
}

// index returns the position of the first c in s at or after from, or -1.
func index(s string, from int, c string) int {
	i := strings.Index(s[from:], c)
	if i < 0 {
		return -1
	}
	return from + i
}
