package tokenize

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/jdkato/prose/v2"
	"gopkg.in/neurosnap/sentences.v1"
	"gopkg.in/neurosnap/sentences.v1/english"

	"github.com/nlp-go/nlp/internal/linescan"
)

// maxCacheEntries and maxCacheBytes bound the Tokenizer's memo of whitespace-separated
// chunks; when either fills up the memo is cleared, so memory stays bounded on any input.
// The byte bound matters for punctuation: a 1 MB chunk of "." is 1M one-byte tokens,
// 16 MB of string headers, which the entry count alone would not limit.
const (
	maxCacheEntries = 1 << 17
	maxCacheBytes   = 64 << 20
)

// Tokenizer splits raw text into Penn-Treebank-style tokens ("don't" → "do", "n't";
// "(word)," → "(", "word", ")", ",") with prose's rule-based tokenizer, and into
// sentences with the Punkt model that prose uses.
//
// prose's NewDocument reloads its tagging model and its sentence model on every call
// unless told otherwise. A Tokenizer turns tagging, entity extraction and prose's
// own segmentation off, loads the Punkt model once (on the first call to Sentences),
// passes plain words (ASCII letters, digits, hyphens) through untouched, and
// memoises the tokens of every other whitespace-separated chunk, since prose splits
// chunks independently of one another: the output is the same as prose's, faster,
// except that quotes and brackets outside ASCII, which prose leaves attached to
// words («так», „so“), are split off, and that what prose drops after a clitic
// followed by more in a chunk ("don't." gives "do" alone) is kept (splitClitics). Runs of punctuation longer than 32 bytes at
// either end of a chunk are cut before prose sees them (prose is quadratic in their
// length), with the same tokens: the time is linear in the text on any input.
// Tokens may share memory with the input text.
//
// A Tokenizer is not safe for concurrent use; give each goroutine its own.
type Tokenizer struct {
	cache      map[string]chunkToks
	cacheBytes int // an estimate of the memory the memo holds (keys, tokens, headers)
	opts       []prose.DocOpt

	segOnce sync.Once
	seg     *sentences.DefaultSentenceTokenizer
	segErr  error
}

// New returns a Tokenizer. It loads no model: tokenization is rule-based,
// and the sentence model is loaded on first use.
func New() *Tokenizer {
	return &Tokenizer{
		cache: make(map[string]chunkToks),
		opts: []prose.DocOpt{
			prose.WithSegmentation(false),
			prose.WithTagging(false),
			prose.WithExtraction(false),
			prose.UsingModel(&prose.Model{}),
		},
	}
}

// Tokenize returns the tokens of text, treated as a single sentence.
func (t *Tokenizer) Tokenize(text string) []string {
	return t.AppendTokens(nil, text)
}

// AppendTokens appends the tokens of text to dst and returns the extended slice;
// reusing dst avoids an allocation per call.
func (t *Tokenizer) AppendTokens(dst []string, text string) []string {
	for i := 0; ; {
		start, end := nextChunk(text, i)
		if start == end {
			return dst
		}
		if c := text[start:end]; isPlainWord(c) {
			dst = append(dst, c) // prose returns it unchanged: no memo needed
		} else {
			dst = append(dst, t.chunk(c).toks...)
		}
		i = end
	}
}

// nextChunk returns the bounds of the first whitespace-free chunk of text at or
// after byte i; start == end when there is none.
func nextChunk(text string, i int) (start, end int) {
	n := len(text)
	// Skip white space (ASCII fast path, then Unicode).
	for i < n {
		c := text[i]
		if c < 0x80 {
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
				i++
				continue
			}
			break
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += size
	}
	start = i
	for i < n {
		c := text[i]
		if c < 0x80 {
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return start, i
}

// chunkToks are the tokens of a chunk and where each ends in it, in bytes: the
// tokens tile the chunk, so token k spans ends[k-1] (0 for the first) to ends[k].
type chunkToks struct {
	toks []string
	ends []int
}

// chunk returns the tokens of one whitespace-free chunk, from the memo when possible.
func (t *Tokenizer) chunk(s string) chunkToks {
	if ct, ok := t.cache[s]; ok {
		return ct
	}
	toks := splitQuotes(t.split(s))
	ends, ok := align(s, toks, nil)
	if !ok {
		// prose lost part of the chunk (a clitic followed by more, "don't."):
		// split it without losing anything.
		toks = splitQuotes(t.splitClitics(s))
		if ends, ok = align(s, toks, ends[:0]); !ok {
			toks, ends = []string{strings.Clone(s)}, append(ends[:0], len(s))
		}
	}
	ct := chunkToks{toks: toks, ends: ends}
	size := 2 * len(s) // the key, and at most as many bytes of tokens
	size += 24 * len(toks)
	if len(t.cache) >= maxCacheEntries || t.cacheBytes+size > maxCacheBytes {
		clear(t.cache)
		t.cacheBytes = 0
	}
	t.cache[strings.Clone(s)] = ct
	t.cacheBytes += size
	return ct
}

// split returns prose's tokens of a chunk, cutting long runs of punctuation
// before prose sees them (runs.go).
func (t *Tokenizer) split(s string) []string {
	if len(s) <= maxDirect {
		return t.safeProse(s)
	}
	return t.longChunk(s)
}

// safeProse returns prose's tokens of one chunk, whatever the chunk holds.
func (t *Tokenizer) safeProse(s string) []string {
	toks, ok := t.prose(s)
	if !ok {
		// prose slices the chunk at byte offsets found in its lower-cased copy, and
		// panics when lower-casing changes the length (invalid UTF-8, or letters
		// such as 'İ'). Retry with invalid bytes replaced, else keep the chunk whole.
		if v := strings.ToValidUTF8(s, "\uFFFD"); v != s {
			toks, ok = t.prose(v)
		}
		if !ok {
			toks = []string{strings.Clone(s)}
		}
	}
	return toks
}

// prose tokenizes one chunk with prose, reporting false if prose panics.
func (t *Tokenizer) prose(s string) (toks []string, ok bool) {
	defer func() {
		if recover() != nil {
			toks, ok = nil, false
		}
	}()
	doc, err := prose.NewDocument(s, t.opts...)
	if err != nil {
		return nil, false
	}
	pt := doc.Tokens()
	toks = make([]string, len(pt))
	for i, tok := range pt {
		toks[i] = strings.Clone(tok.Text)
	}
	return toks, true
}

// splitQuotes splits off the opening and closing quotes and brackets outside
// ASCII that prose leaves attached to a word: Russian «ёлки», German „Faust“,
// ‹…›, 【…】. (prose handles the ASCII ones and turns “ ” into ".) toks is
// returned as is when there is nothing to split, which is nearly always.
func splitQuotes(toks []string) []string {
	var out []string
	for i, tok := range toks {
		lead, trail := quoteEdges(tok)
		if lead == 0 && trail == 0 {
			if out != nil {
				out = append(out, tok)
			}
			continue
		}
		if out == nil {
			out = append(make([]string, 0, len(toks)+2), toks[:i]...)
		}
		for _, r := range tok[:lead] {
			out = append(out, string(r))
		}
		if word := tok[lead : len(tok)-trail]; word != "" {
			out = append(out, word)
		}
		for _, r := range tok[len(tok)-trail:] {
			out = append(out, string(r))
		}
	}
	if out == nil {
		return toks
	}
	return out
}

// quoteEdges measures, in bytes, the non-ASCII opening brackets (Unicode Ps)
// and quotes (Pi, Pf) that begin tok and the closing brackets (Pe) and quotes
// that end it. Quotes count on either side: which one opens depends on the
// language (German „…“ closes with an initial quote, Danish »…« opens with a
// final one). A token made of nothing else ("»", "«»") is left whole.
func quoteEdges(tok string) (lead, trail int) {
	for lead < len(tok) {
		r, size := utf8.DecodeRuneInString(tok[lead:])
		if r < utf8.RuneSelf || !unicode.In(r, unicode.Ps, unicode.Pi, unicode.Pf) {
			break
		}
		lead += size
	}
	for trail < len(tok)-lead {
		r, size := utf8.DecodeLastRuneInString(tok[:len(tok)-trail])
		if r < utf8.RuneSelf || !unicode.In(r, unicode.Pe, unicode.Pi, unicode.Pf) {
			break
		}
		trail += size
	}
	if lead+trail == len(tok) {
		return 0, 0
	}
	return lead, trail
}

// isPlainWord reports whether prose would return s unchanged as one token: ASCII
// letters, digits and hyphens only, no apostrophe, no punctuation to split off.
// (The emoticons prose knows that fit this pattern, such as "xD", stay whole too.)
func isPlainWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Sentences splits text into sentences with prose's Punkt sentence model (loaded
// once per Tokenizer) and returns their text, trimmed of surrounding space.
func (t *Tokenizer) Sentences(text string) ([]string, error) {
	spans, err := t.SentenceSpans(text)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(spans))
	for i, sp := range spans {
		out[i] = text[sp.Start:sp.End]
	}
	return out, nil
}

// SentenceSpans returns where the sentences of text are, in bytes, as
// Sentences splits them: each trimmed of surrounding space, in order, none
// empty. The text between two of them is white space.
func (t *Tokenizer) SentenceSpans(text string) ([]Span, error) {
	t.segOnce.Do(func() {
		t.seg, t.segErr = english.NewSentenceTokenizer(nil)
	})
	if t.segErr != nil {
		return nil, t.segErr
	}
	return t.segment(text)
}

// ErrSegment is returned by Sentences when the sentence splitter fails on its input.
var ErrSegment = errors.New("sentence splitter failed")

func (t *Tokenizer) segment(text string) (out []Span, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("tokenize: %w on %q: %v", ErrSegment, linescan.Clip(text), r)
		}
	}()
	for _, s := range t.seg.Tokenize(text) {
		// The splitter's sentences are text[Start:End], one after the other;
		// anything else would be a bug of its, not to be passed on silently.
		if s.Start < 0 || s.Start > s.End || s.End > len(text) || text[s.Start:s.End] != s.Text {
			return nil, fmt.Errorf("tokenize: %w on %q: sentence at %d:%d is not the text there", ErrSegment, linescan.Clip(text), s.Start, s.End)
		}
		st := strings.TrimLeftFunc(s.Text, unicode.IsSpace)
		start := s.End - len(st)
		st = strings.TrimRightFunc(st, unicode.IsSpace)
		if st == "" {
			continue
		}
		sp := Span{start, start + len(st)}
		if n := len(out); n > 0 && endsWithInitial(text[out[n-1].Start:out[n-1].End]) {
			out[n-1].End = sp.End
			continue
		}
		out = append(out, sp)
	}
	return out, nil
}

// endsWithInitial reports whether s ends with an initial outside the Latin
// script: one capital letter and a full stop after a space or at the start
// ("Л. Н. Толстой"). The Punkt model is English: it knows that "J. K." does
// not end a sentence, but not that "Л." does not either.
func endsWithInitial(s string) bool {
	rest, ok := strings.CutSuffix(s, ".")
	if !ok {
		return false
	}
	r, size := utf8.DecodeLastRuneInString(rest)
	if r < utf8.RuneSelf || !unicode.IsUpper(r) {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(rest[:len(rest)-size])
	return len(rest) == size || unicode.IsSpace(before)
}

// SentenceTokens splits text into sentences, then each sentence into tokens.
func (t *Tokenizer) SentenceTokens(text string) ([][]string, error) {
	sents, err := t.Sentences(text)
	if err != nil {
		return nil, err
	}
	out := make([][]string, 0, len(sents))
	for _, s := range sents {
		if toks := t.Tokenize(s); len(toks) > 0 {
			out = append(out, toks)
		}
	}
	return out, nil
}
