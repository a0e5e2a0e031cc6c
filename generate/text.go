package generate

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/datasets"
	"github.com/nlp-go/nlp/internal/linescan"
)

// ErrEmpty means a text without a single character. Invalid UTF-8 is
// nlp.ErrInvalidUTF8, wrapped in a *nlp.ParseError, as in every reader of the
// toolkit.
var ErrEmpty = errors.New("no text (the input has no characters)")

// ReadFile reads a text file (gzipped when its name ends in ".gz") as lines,
// as ReadLines does; errors name the file and the line.
func ReadFile(path string) ([]string, error) { return ReadFileMax(path, 0) }

// ReadFileMax is ReadFile accepting lines of up to maxLine bytes (0:
// linescan.DefaultMaxLine, 1 MiB; at most linescan.MaxLineLimit, 64 MiB); a
// longer line is a *nlp.ParseError wrapping nlp.ErrLineTooLong.
func ReadFileMax(path string, maxLine int) ([]string, error) {
	rc, err := datasets.OpenFile(path)
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	defer rc.Close()
	lines, err := readLines(rc, path, maxLine)
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	return lines, nil
}

// ReadLines splits a text into lines at '\n', removing a '\r' that ends a line
// (CRLF files); a final newline ends the last line rather than starting an
// empty one. Every line must be valid UTF-8 (a *nlp.ParseError wrapping
// nlp.ErrInvalidUTF8 otherwise), and a text with no character at all, not even an
// empty line, is ErrEmpty. Blank lines are kept: they are text too (the end of
// a speech in a play). Lines may be up to linescan.DefaultMaxLine bytes (1 MiB)
// long: a longer one is a *nlp.ParseError wrapping nlp.ErrLineTooLong.
func ReadLines(r io.Reader) ([]string, error) { return readLines(r, "", 0) }

func readLines(r io.Reader, name string, maxLine int) ([]string, error) {
	// linescan, as every line reader: bounded lines, the one text policy
	// (a byte order mark dropped), positions in its ParseErrors.
	sc := linescan.New(r, maxLine)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		var pe *nlp.ParseError
		if errors.As(err, &pe) && pe.File == "" {
			pe.File = name
		}
		return nil, err
	}
	if len(lines) == 0 || (len(lines) == 1 && lines[0] == "") {
		if name != "" {
			return nil, fmt.Errorf("%s: %w", name, ErrEmpty)
		}
		return nil, ErrEmpty
	}
	return lines, nil
}

// SplitTail splits lines into a head and a tail holding about the last fraction
// of the text, cut at a line boundary: the tail starts at the first line that
// begins at or after character offset ⌊(1−fraction)·N⌋, where N counts every
// character of the text including one newline per line (the units of the
// loss). It is how Train's ValidFraction and `nlp generate eval --tail-fraction`
// choose the validation text, so both score the same lines. fraction must be in
// (0, 1); either part may come out empty for a text of very few lines.
func SplitTail(lines []string, fraction float64) (head, tail []string) {
	n := 0
	for _, l := range lines {
		n += utf8.RuneCountInString(l) + 1
	}
	cut := int((1 - fraction) * float64(n))
	off := 0
	for i, l := range lines {
		if off >= cut {
			return lines[:i], lines[i:]
		}
		off += utf8.RuneCountInString(l) + 1
	}
	return lines, nil
}

// CountChars returns the number of predictions the loss counts for lines: every
// character plus one end-of-line symbol per line.
func CountChars(lines []string) int {
	n := 0
	for _, l := range lines {
		n += utf8.RuneCountInString(l) + 1
	}
	return n
}
