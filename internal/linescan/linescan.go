// Package linescan reads an input line by line for the toolkit's readers,
// keeping the number and the byte offset of each line, so that every line
// format reports the same positions in its *nlp.ParseError.
package linescan

import (
	"bufio"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/nlp-go/nlp"
)

// Scanner is a bufio.Scanner of lines that knows where each line starts.
type Scanner struct {
	sc    *bufio.Scanner
	line  int   // 1-based number of the current line, 0 before the first
	start int64 // byte offset of the current line
	next  int64 // byte offset of the line after it
}

// New returns a scanner of r accepting lines of up to max bytes; a longer line
// is an error (bufio.ErrTooLong), so that no input takes unbounded memory.
func New(r io.Reader, max int) *Scanner {
	s := &Scanner{sc: bufio.NewScanner(r)}
	s.sc.Buffer(make([]byte, 0, min(max, 1<<16)), max)
	s.sc.Split(s.split)
	return s
}

// split is bufio.ScanLines counting the bytes it consumes.
func (s *Scanner) split(data []byte, atEOF bool) (int, []byte, error) {
	adv, tok, err := bufio.ScanLines(data, atEOF)
	if tok != nil {
		s.start = s.next
	}
	s.next += int64(adv)
	return adv, tok, err
}

// Scan advances to the next line; it returns false at the end of the input or
// on an error (see Err).
func (s *Scanner) Scan() bool {
	if !s.sc.Scan() {
		return false
	}
	s.line++
	return true
}

// Text returns the current line without its "\n" (and a "\r" before it).
func (s *Scanner) Text() string { return s.sc.Text() }

// Line returns the 1-based number of the current line (0 before the first).
func (s *Scanner) Line() int { return s.line }

// Start returns the byte offset of the current line from the start of the input.
func (s *Scanner) Start() int64 { return s.start }

// End returns the byte offset just after the current line (its line break
// included): where the next line would start.
func (s *Scanner) End() int64 { return s.next }

// ErrAt returns a parse error at byte column col (1-based; 0 for the whole line)
// of the current line. A non-empty format adds detail after err, which is
// usually a sentinel the caller can test with errors.Is.
func (s *Scanner) ErrAt(col int, err error, format string, args ...any) *nlp.ParseError {
	return Errorf(s.line, s.start, col, err, format, args...)
}

// Err returns the read error, positioned at the line that could not be read, or
// nil at a clean end of the input.
func (s *Scanner) Err() error {
	if err := s.sc.Err(); err != nil {
		return &nlp.ParseError{Line: s.line + 1, Offset: s.next, Err: err}
	}
	return nil
}

// Errorf returns a parse error at byte column col (1-based; 0 for the whole
// line) of line, which starts at byte lineStart of the input: the Offset is
// computed from the two. A non-empty format adds detail after err.
func Errorf(line int, lineStart int64, col int, err error, format string, args ...any) *nlp.ParseError {
	if format != "" {
		err = fmt.Errorf("%w: "+format, append([]any{err}, args...)...)
	}
	off := lineStart
	if col > 0 {
		off += int64(col - 1)
	}
	return &nlp.ParseError{Line: line, Column: col, Offset: off, Err: err}
}

// InvalidUTF8Column returns the 1-based byte column of the first invalid UTF-8
// byte of s, 0 if there is none: the column of every ErrInvalidUTF8.
func InvalidUTF8Column(s string) int {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return i + 1
		}
		i += size
	}
	return 0
}

// Clip shortens s for an error message, so that a bad field of a long line
// does not flood the terminal.
func Clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}
