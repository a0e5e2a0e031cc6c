package datasets

import (
	"io"
	"strings"

	"github.com/nlp-go/nlp/internal/linescan"
)

// TaggedToken is a word with one tag.
type TaggedToken struct {
	Word string
	Tag  string
}

// TaggedSentence is a sentence of tagged words, as read from the Brown corpus.
type TaggedSentence struct {
	Tokens []TaggedToken
}

// Words returns the words of s in order.
func (s *TaggedSentence) Words() []string {
	w := make([]string, len(s.Tokens))
	for i, t := range s.Tokens {
		w[i] = t.Word
	}
	return w
}

// Tags returns the tags of s in order.
func (s *TaggedSentence) Tags() []string {
	t := make([]string, len(s.Tokens))
	for i, tok := range s.Tokens {
		t[i] = tok.Tag
	}
	return t
}

// BrownReader reads the Brown corpus format: each non-blank line (tab-indented in
// the distributed files) is one sentence of space-separated word/tag tokens. A token
// is split at its LAST "/", so "1/2/cd" is the word "1/2" with tag "cd".
type BrownReader struct {
	ls *linescan.Scanner
}

// NewBrownReader returns a reader of the Brown format from r, accepting lines
// of up to linescan.DefaultMaxLine bytes (1 MiB).
func NewBrownReader(r io.Reader) *BrownReader { return NewBrownReaderMax(r, 0) }

// NewBrownReaderMax is NewBrownReader accepting lines of up to maxLine bytes
// (0: linescan.DefaultMaxLine; at most linescan.MaxLineLimit); a longer line
// is a *ParseError wrapping nlp.ErrLineTooLong.
func NewBrownReaderMax(r io.Reader, maxLine int) *BrownReader {
	return &BrownReader{ls: linescan.New(r, maxLine)}
}

// Read returns the next sentence, or io.EOF after the last one. Malformed tokens give
// a *ParseError wrapping ErrBadToken or ErrInvalidUTF8.
func (r *BrownReader) Read() (*TaggedSentence, error) {
	for r.ls.Scan() {
		line := r.ls.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		s := &TaggedSentence{}
		i := 0
		for i < len(line) {
			for i < len(line) && isBlank(line[i]) {
				i++
			}
			start := i
			for i < len(line) && !isBlank(line[i]) {
				i++
			}
			if start == i {
				break
			}
			tok := line[start:i]
			slash := strings.LastIndexByte(tok, '/')
			if slash <= 0 || slash == len(tok)-1 {
				return nil, r.ls.ErrAt(start+1, ErrBadToken, "want word/tag, got %q", linescan.Clip(tok))
			}
			s.Tokens = append(s.Tokens, TaggedToken{Word: tok[:slash], Tag: tok[slash+1:]})
		}
		return s, nil
	}
	if err := r.ls.Err(); err != nil {
		return nil, err
	}
	return nil, io.EOF
}

// isBlank reports an ASCII space, tab or carriage return.
func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }
