package datasets

import (
	"errors"
	"io"
	"strings"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/datasets/tokenize"
	"github.com/nlp-go/nlp/internal/linescan"
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
	// MaxLine is the longest line read, in bytes: 0 means
	// linescan.DefaultMaxLine (1 MiB), at most linescan.MaxLineLimit (64 MiB).
	// A longer line is a *ParseError wrapping nlp.ErrLineTooLong.
	MaxLine int
}

// Validate reports the first invalid field, in the order TextConfig declares
// them, as an error wrapping nlp.ErrConfig (and ErrOddReplace for Replace).
func (c TextConfig) Validate() error {
	if len(c.Replace)%2 != 0 {
		return nlp.ConfigError("datasets", "TextConfig.Replace", "%d strings: %w", len(c.Replace), ErrOddReplace)
	}
	if err := linescan.CheckMax(c.MaxLine); err != nil {
		return nlp.ConfigError("datasets", "TextConfig.MaxLine", "%w", err)
	}
	return nil
}

// ErrOddReplace is returned by TextConfig.Validate for a Replace list that is not
// made of old, new pairs.
var ErrOddReplace = errors.New("replace list needs old, new pairs")

// TextReader reads plain text, one document or sentence a line, and returns token
// sequences produced by a Tokenizer (PTB-style tokens). Blank lines are skipped.
type TextReader struct {
	ls    *linescan.Scanner
	cfg   TextConfig
	tok   *tokenize.Tokenizer
	rep   *strings.Replacer
	queue [][]string
}

// NewTextReader returns a reader of r. tok may be nil (a new Tokenizer is made);
// pass one to share its memo between readers of the same goroutine.
func NewTextReader(r io.Reader, cfg TextConfig, tok *tokenize.Tokenizer) *TextReader {
	if tok == nil {
		tok = tokenize.New()
	}
	tr := &TextReader{ls: linescan.New(r, cfg.MaxLine), cfg: cfg, tok: tok}
	if len(cfg.Replace) > 0 && len(cfg.Replace)%2 == 0 {
		tr.rep = strings.NewReplacer(cfg.Replace...)
	}
	return tr
}

// Line returns the line number of the last line read.
func (r *TextReader) Line() int { return r.ls.Line() }

// Read returns the tokens of the next sequence (a line, or a sentence of a line when
// SplitSentences is set), or io.EOF. Invalid UTF-8 gives a *ParseError.
func (r *TextReader) Read() ([]string, error) {
	for len(r.queue) == 0 {
		if !r.ls.Scan() {
			if err := r.ls.Err(); err != nil {
				return nil, err
			}
			return nil, io.EOF
		}
		line := r.ls.Text()
		if r.rep != nil {
			line = r.rep.Replace(line)
		}
		if r.cfg.SplitSentences {
			sents, err := r.tok.SentenceTokens(line)
			if err != nil {
				return nil, r.ls.ErrAt(0, err, "")
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
