package tokenize

import "strings"

// Why long runs of punctuation are split before prose sees them.
//
// prose splits a whitespace-free chunk in a loop (doSplit in prose's tokenize.go)
// that removes ONE character per round: a leading "$", "(", `"` or "[", or a
// trailing ",", ")", `"`, "]", "!", ";", ".", "?", ":" or "'". Every round also
// counts the runes of what is left, lower-cases it, searches it for "'ll", "'s",
// "'re", "'m" and "n't", matches it against a regular expression, and prepends the
// trailing character to a slice: each round costs time in the length of the chunk,
// so a chunk with a run of n such characters at either end costs n² (8 KB of "."
// took 1 s, 100 KB over 100 s). Other chunks, however long (words, URLs, mixed
// scripts, emoji), take a handful of rounds and linear time.
//
// We bound what prose is given rather than fork it: a leading run longer than
// keepRun bytes is cut to keepRun bytes and a trailing run likewise, and the
// characters cut off become one-character tokens here. That is exactly what prose
// makes of them, because each of prose's rounds over such a long remainder peels
// the character as well:
//
//   - prose keeps a chunk whole only when it is one of its emoticons (the longest,
//     "(╯°□°）╯︵┻━┻", is 29 bytes) or looks like "U.S.A." or "Mr." (which starts
//     with a letter and has a letter before its final "."); what is left while a
//     cut-off character is peeled is longer than keepRun bytes, and starts with a
//     leading-run character or ends with at least two trailing-run characters;
//   - leading characters are peeled before anything else, so the leading run goes
//     first, up to its first other character;
//   - a clitic ("'s", "n't", ...) anywhere in the chunk is split off before any
//     trailing character, after which prose stops peeling: a chunk with one keeps its
//     trailing run (prose takes linear time on it anyway).
//
// So the tokens are prose's own on any input (TestLongRunsMatchProse checks it
// against prose), and prose is given at most 2·keepRun bytes of peelable runs per
// chunk, which bounds its rounds and makes the whole tokenizer linear in its input.

const (
	// keepRun is the longest part of a run of peelable punctuation at either end of
	// a chunk that prose is given; the rest of the run becomes one-character tokens
	// here. It must exceed the length of prose's longest emoticon (29 bytes).
	keepRun = 32

	// maxDirect is the longest chunk given to prose whole: below it, prose's n²
	// costs at most maxDirect rounds per byte, about as much as the cut chunks cost.
	maxDirect = 2 * keepRun
)

// proseSanitizer is a copy of the replacements prose applies to text before
// splitting it (its sanitizer, unexported). Runs are found in the replaced text,
// since that is what prose peels: "“““" is a run of `"`. Replacing twice changes
// nothing, so giving prose replaced text gives its tokens of the original.
var proseSanitizer = strings.NewReplacer(
	"\u201c", `"`,
	"\u201d", `"`,
	"\u2018", "'",
	"\u2019", "'",
	"&rsquo;", "'")

// asciiTokens holds a one-byte string for every ASCII byte, so that the tokens of
// a cut-off run neither allocate nor keep the chunk's memory alive.
var asciiTokens = func() (t [128]string) {
	for i := range t {
		t[i] = string(rune(i))
	}
	return t
}()

// isLeadPeel reports whether prose peels c off the start of a chunk.
func isLeadPeel(c byte) bool {
	return c == '$' || c == '(' || c == '"' || c == '['
}

// isTrailPeel reports whether prose peels c off the end of a chunk.
func isTrailPeel(c byte) bool {
	switch c {
	case ',', ')', '"', ']', '!', ';', '.', '?', ':', '\'':
		return true
	}
	return false
}

// hasClitic reports whether prose would split a clitic off s: it searches the
// lower-cased chunk for these, before it looks at trailing characters.
func hasClitic(s string) bool {
	if !strings.ContainsAny(s, "'") {
		return false // all five contain an apostrophe: the common case costs no copy
	}
	l := strings.ToLower(s)
	for _, c := range [...]string{"'ll", "'s", "'re", "'m", "n't"} {
		if strings.Contains(l, c) {
			return true
		}
	}
	return false
}

// longChunk returns prose's tokens of a chunk longer than maxDirect, giving prose
// at most keepRun bytes of the chunk's leading and trailing runs (see above).
func (t *Tokenizer) longChunk(s string) []string {
	clean := proseSanitizer.Replace(s)

	// The leading run, less the keepRun bytes that stay with the rest (so what
	// prose sees while peeling the cut-off part is never short enough to be special).
	p := 0
	for p < len(clean) && isLeadPeel(clean[p]) {
		p++
	}
	k := max(0, min(p, len(clean)-keepRun)) // clean may be shorter than s
	rest := clean[k:]

	// The trailing run, counted after rest's own leading run (a `"` can be in both),
	// cut only when no clitic stops prose before it reaches the run.
	q := 0
	for q < len(rest) && isLeadPeel(rest[q]) {
		q++
	}
	e := len(rest)
	for e > q && isTrailPeel(rest[e-1]) {
		e--
	}
	cut := len(rest)
	if len(rest)-e > keepRun && !hasClitic(rest) {
		cut = e + keepRun
	}
	core := t.safeProse(rest[:cut])

	// Sized once: a run of 100k characters is 100k tokens, and growing the slice
	// step by step costs more than the rest of the work.
	toks := make([]string, 0, k+len(core)+len(rest)-cut)
	for i := 0; i < k; i++ {
		toks = append(toks, asciiTokens[clean[i]])
	}
	toks = append(toks, core...)
	for i := cut; i < len(rest); i++ {
		toks = append(toks, asciiTokens[rest[i]])
	}
	return toks
}
