package conllu

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/nlp-go/nlp/internal/linescan"
)

// Compact is a CoNLL-U sentence held in little memory, so that a sentence of a
// million words costs tens of megabytes, not hundreds: its comment lines, and
// its word lines as read, all in one string, with where each starts and its
// kind (about 16 bytes a line besides the line's own bytes, where a Sentence
// keeps ten strings, 170 bytes, a line). A word's columns are cut out of its
// line when asked for (Token). Reader.ReadCompact reads one; Writer.WriteCompact
// writes it back byte for byte, with new UPOS and XPOS if given. It is what
// the pipeline keeps of a CoNLL-U sentence to write it back.
type Compact struct {
	// Comments are the comment lines before the words, as in Sentence.
	Comments []string
	lines    string     // the word lines, each followed by "\n"
	toks     []lineInfo // one per word line, in file order
	words    int        // word lines of kind Word
}

// lineInfo is where a word line starts in Compact.lines, and its kind: 8
// bytes. The word lines of a sentence so hold at most MaxSentenceBytes.
type lineInfo struct {
	start uint32
	kind  TokenKind
}

// MaxSentenceBytes is the most bytes the word lines of one sentence may hold
// (4 GiB, some 150 million words; the longest sentence of the UD treebanks has
// a few hundred). Reader refuses a longer sentence with ErrBadLine.
const MaxSentenceBytes = 1<<32 - 1

// Len returns the number of word lines (multiword ranges and empty nodes
// included).
func (c *Compact) Len() int { return len(c.toks) }

// NumWords returns the number of syntactic words (lines of kind Word).
func (c *Compact) NumWords() int { return c.words }

// Kind returns the kind of word line i.
func (c *Compact) Kind(i int) TokenKind { return c.toks[i].kind }

// line returns word line i without its line break.
func (c *Compact) line(i int) string {
	end := len(c.lines)
	if i+1 < len(c.toks) {
		end = int(c.toks[i+1].start)
	}
	return c.lines[c.toks[i].start : end-1]
}

// Token returns word line i as a Token; its fields share the memory of c.
func (c *Compact) Token(i int) Token {
	f := splitFields(c.line(i))
	return Token{Kind: c.toks[i].kind, ID: f[0], Form: f[1], Lemma: f[2], UPOS: f[3], XPOS: f[4],
		Feats: f[5], Head: f[6], Deprel: f[7], Deps: f[8], Misc: f[9]}
}

// splitFields cuts a word line known to hold ten columns at its tabs.
func splitFields(line string) [10]string {
	var f [10]string
	for k := 0; k < 9; k++ {
		i := strings.IndexByte(line, '\t')
		f[k], line = line[:i], line[i+1:]
	}
	f[9] = line
	return f
}

// Forms returns the forms of the syntactic words (sharing the memory of c).
func (c *Compact) Forms() []string {
	out := make([]string, 0, c.words)
	for i := range c.toks {
		if c.toks[i].kind == Word {
			out = append(out, formOf(c.line(i)))
		}
	}
	return out
}

// formOf returns the second column of a word line.
func formOf(line string) string {
	line = line[strings.IndexByte(line, '\t')+1:]
	return line[:strings.IndexByte(line, '\t')]
}

// Comment returns the value of the first comment "# key = value" and whether
// it exists, as Sentence.Comment does.
func (c *Compact) Comment(key string) (string, bool) { return comment(c.Comments, key) }

// Text returns what Sentence.Text returns for the same sentence.
func (c *Compact) Text() string {
	if t, ok := c.Comment("text"); ok {
		return t
	}
	var b strings.Builder
	skipTo := 0
	for i := range c.toks {
		line := c.line(i)
		id, _, _ := strings.Cut(line, "\t")
		switch c.toks[i].kind {
		case EmptyNode:
			continue
		case MultiWord:
			_, end, _ := parseRange(id)
			skipTo = end
		case Word:
			if n, _ := parseInt(id); n <= skipTo {
				continue
			}
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(formOf(line))
	}
	return b.String()
}

// Sentence returns c as a Sentence, every column a field; the fields share the
// memory of c.
func (c *Compact) Sentence() *Sentence {
	s := &Sentence{Comments: c.Comments, Tokens: make([]Token, len(c.toks))}
	for i := range c.toks {
		s.Tokens[i] = c.Token(i)
	}
	return s
}

// Compact returns s in the compact form, refusing (ErrBadField) a field or
// comment that would not read back the same, as Writer.Write does.
func (s *Sentence) Compact() (*Compact, error) {
	if err := checkComments(s.Comments); err != nil {
		return nil, err
	}
	var b compactBuilder
	for i := range s.Tokens {
		t := &s.Tokens[i]
		f := [10]string{t.ID, t.Form, t.Lemma, t.UPOS, t.XPOS, t.Feats, t.Head, t.Deprel, t.Deps, t.Misc}
		if err := checkFields(i, f[:]); err != nil {
			return nil, err
		}
		for k, v := range f {
			if k > 0 {
				b.lines.WriteByte('\t')
			}
			b.lines.WriteString(v)
		}
		b.endLine(t.Kind)
	}
	return b.done(s.Comments), nil
}

// BareCompact returns a sentence of the words forms, numbered from 1, with "_"
// in every other column and no comment: the CoNLL-U form of tokenized text. A
// form that is empty or holds a tab or line break is refused (ErrBadField).
func BareCompact(forms []string) (*Compact, error) {
	var b compactBuilder
	b.toks = make([]lineInfo, 0, len(forms))
	var num [20]byte
	for i, f := range forms {
		if err := checkField(i, 1, f); err != nil {
			return nil, err
		}
		b.lines.Write(strconv.AppendInt(num[:0], int64(i+1), 10))
		b.lines.WriteByte('\t')
		b.lines.WriteString(f)
		b.lines.WriteString("\t_\t_\t_\t_\t_\t_\t_\t_")
		b.endLine(Word)
	}
	return b.done(nil), nil
}

// compactBuilder collects the word lines of a Compact.
type compactBuilder struct {
	lines strings.Builder
	toks  []lineInfo
	words int
	start uint32 // where the line being written starts
}

// addLine appends a word line (without its line break) of kind k.
func (b *compactBuilder) addLine(line []byte, k TokenKind) {
	// Grow makes room by doubling, not by the quarter append grows large
	// buffers by: a long sentence then leaves less garbage behind.
	b.lines.Grow(len(line) + 1)
	b.lines.Write(line)
	b.endLine(k)
}

// endLine ends the line written since the last one, of kind k.
func (b *compactBuilder) endLine(k TokenKind) {
	b.lines.WriteByte('\n')
	if len(b.toks) == cap(b.toks) {
		b.toks = slices.Grow(b.toks, max(len(b.toks), 16))
	}
	b.toks = append(b.toks, lineInfo{start: b.start, kind: k})
	b.start = uint32(b.lines.Len())
	if k == Word {
		b.words++
	}
}

// done returns the sentence built and resets b.
func (b *compactBuilder) done(comments []string) *Compact {
	c := &Compact{Comments: comments, lines: b.lines.String(), toks: b.toks, words: b.words}
	*b = compactBuilder{}
	return c
}

// checkComments refuses comments that would not read back the same.
func checkComments(comments []string) error {
	for i, c := range comments {
		if !strings.HasPrefix(c, "#") || strings.ContainsAny(c, "\n\r") {
			return fmt.Errorf("conllu: comment %d %q: %w (want '#' and no line break)", i+1, linescan.Clip(c), ErrBadField)
		}
	}
	return nil
}

// checkFields refuses the columns f of token i (0-based) if one would not
// read back the same.
func checkFields(i int, f []string) error {
	for k, v := range f {
		if err := checkField(i, k, v); err != nil {
			return err
		}
	}
	return nil
}

// checkField refuses column k (0-based) of token i (0-based) if it would not
// read back the same: empty, or holding a tab or line break.
func checkField(i, k int, v string) error {
	if v == "" || strings.ContainsAny(v, "\t\n\r") {
		return fmt.Errorf("conllu: token %d column %s %q: %w (want non-empty, no tab or line break)", i+1, columnNames[k], linescan.Clip(v), ErrBadField)
	}
	return nil
}
