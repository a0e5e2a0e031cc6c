package datasets

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// TextConfig sets how a TextReader turns raw lines into token sequences.
type TextConfig struct {
	// SplitSentences splits each line into sentences (Punkt, through the Tokenizer);
	// false (the default) keeps one line as one sequence.
	SplitSentences bool
	// Lower lower-cases the tokens; false (the default) keeps their case.
	Lower bool
	// Replace lists old, new pairs replaced in each line before tokenizing, for
	// example "<br />", " " for the IMDB reviews; nil replaces nothing.
	Replace []string
}

// Validate reports a Replace list of odd length.
func (c TextConfig) Validate() error {
	if len(c.Replace)%2 != 0 {
		return fmt.Errorf("datasets: text: Replace has %d strings: %w", len(c.Replace), ErrOddReplace)
	}
	return nil
}

// ErrOddReplace is returned by TextConfig.Validate for a Replace list that is not
// made of old, new pairs.
var ErrOddReplace = errors.New("replace list needs old, new pairs")

// TextReader reads plain text, one document or sentence a line, and returns token
// sequences produced by a Tokenizer (PTB-style tokens). Blank lines are skipped.
type TextReader struct {
	sc    *bufio.Scanner
	cfg   TextConfig
	tok   *Tokenizer
	rep   *strings.Replacer
	line  int
	queue [][]string
}

// NewTextReader returns a reader of r. tok may be nil (a new Tokenizer is made);
// pass one to share its memo between readers of the same goroutine.
func NewTextReader(r io.Reader, cfg TextConfig, tok *Tokenizer) *TextReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<26)
	if tok == nil {
		tok = NewTokenizer()
	}
	tr := &TextReader{sc: sc, cfg: cfg, tok: tok}
	if len(cfg.Replace) > 0 && len(cfg.Replace)%2 == 0 {
		tr.rep = strings.NewReplacer(cfg.Replace...)
	}
	return tr
}

// Line returns the line number of the last line read.
func (r *TextReader) Line() int { return r.line }

// Read returns the tokens of the next sequence (a line, or a sentence of a line when
// SplitSentences is set), or io.EOF. Invalid UTF-8 gives a *ParseError.
func (r *TextReader) Read() ([]string, error) {
	for len(r.queue) == 0 {
		if !r.sc.Scan() {
			if err := r.sc.Err(); err != nil {
				return nil, &ParseError{Line: r.line + 1, Err: err}
			}
			return nil, io.EOF
		}
		r.line++
		line := r.sc.Text()
		if !utf8.ValidString(line) {
			return nil, parseErr(r.line, invalidUTF8Column(line), ErrInvalidUTF8, "")
		}
		if r.rep != nil {
			line = r.rep.Replace(line)
		}
		if r.cfg.SplitSentences {
			sents, err := r.tok.SentenceTokens(line)
			if err != nil {
				return nil, &ParseError{Line: r.line, Err: err}
			}
			r.queue = append(r.queue, sents...)
		} else if toks := r.tok.Tokenize(line); len(toks) > 0 {
			r.queue = append(r.queue, toks)
		}
	}
	s := r.queue[0]
	r.queue = r.queue[1:]
	if r.cfg.Lower {
		for i, t := range s {
			s[i] = strings.ToLower(t)
		}
	}
	return s, nil
}
