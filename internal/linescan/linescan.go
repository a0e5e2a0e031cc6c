// Package linescan reads an input line by line for the toolkit's readers,
// keeping the number and the byte offset of each line, so that every line
// format reports the same positions in its *nlp.ParseError.
//
// It also holds the one text policy of the toolkit: a line must be valid UTF-8
// and hold no NUL byte (Check). The Scanner applies it to every line it reads,
// so every reader built on it gets the same errors at the same positions;
// readers that split lines themselves (CoNLL-U, pipeline input) call Check.
package linescan

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/nlp-go/nlp"
)

// Line lengths: every line reader of the toolkit accepts lines of up to
// DefaultMaxLine bytes unless told otherwise, and never more than
// MaxLineLimit, so that no input takes unbounded memory; a longer line is a
// *nlp.ParseError wrapping nlp.ErrLineTooLong (TooLong) that names it.
const (
	DefaultMaxLine = 1 << 20  // 1 MiB
	MaxLineLimit   = 64 << 20 // 64 MiB
)

// CheckMax reports whether max is a line length a reader may be given: 0
// (DefaultMaxLine) or 1..MaxLineLimit.
func CheckMax(max int) error {
	if max < 0 || max > MaxLineLimit {
		return fmt.Errorf("%d, want 1..%d (0: %d)", max, MaxLineLimit, DefaultMaxLine)
	}
	return nil
}

// Max returns max, or DefaultMaxLine for 0 (or less), capped at MaxLineLimit.
func Max(max int) int {
	if max <= 0 {
		return DefaultMaxLine
	}
	return min(max, MaxLineLimit)
}

// TooLong returns the error for line, starting at byte lineStart, longer
// than max bytes.
func TooLong(line int, lineStart int64, max int) *nlp.ParseError {
	return Errorf(line, lineStart, 0, nlp.ErrLineTooLong, "more than %d bytes", max)
}

// Scanner is a bufio.Scanner of lines that knows where each line starts.
type Scanner struct {
	max   int
	sc    *bufio.Scanner
	err   *nlp.ParseError // the line that broke the text policy, if any
	line  int             // 1-based number of the current line, 0 before the first
	start int64           // byte offset of the current line
	next  int64           // byte offset of the line after it
	bom   bool            // the first line starts with a UTF-8 byte order mark
}

// New returns a scanner of r accepting lines of up to max bytes (Max: 0 is
// DefaultMaxLine); a longer line is an error wrapping nlp.ErrLineTooLong, so
// that no input takes unbounded memory.
func New(r io.Reader, max int) *Scanner {
	max = Max(max)
	s := &Scanner{sc: bufio.NewScanner(r), max: max}
	// Room for the line break too ("\r\n"): a line of max bytes is read,
	// a longer one is refused in Scan (or by bufio.Scanner, ErrTooLong).
	s.sc.Buffer(make([]byte, 0, min(max+2, 1<<16)), max+2)
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
// on an error (see Err). A line that is not valid UTF-8 or holds a NUL byte is
// an error (Check), after which Scan keeps returning false.
func (s *Scanner) Scan() bool {
	if s.err != nil || !s.sc.Scan() {
		return false
	}
	s.line++
	if s.line == 1 {
		s.bom = HasBOM(s.sc.Bytes())
	}
	if len(s.sc.Bytes()) > s.max {
		s.err = TooLong(s.line, s.start, s.max)
		return false
	}
	if col, err := Check(s.Bytes()); err != nil {
		s.err = s.ErrAt(col, err, "")
		return false
	}
	return true
}

// Text returns the current line without its "\n" (and a "\r" before it), and
// without the UTF-8 byte order mark that may open the first line.
func (s *Scanner) Text() string { return string(s.Bytes()) }

// Bytes returns the current line as Text does, without copying it: the slice
// is valid until the next call to Scan, for readers that keep only parts of
// the line (the word2vec corpus reader, which interns its tokens).
func (s *Scanner) Bytes() []byte {
	if s.bom && s.line == 1 {
		return s.sc.Bytes()[len(BOM):]
	}
	return s.sc.Bytes()
}

// BOM is the UTF-8 byte order mark, U+FEFF, that some editors put at the start
// of a file. Every reader of the toolkit drops it from the first line (TrimBOM),
// so that it never ends up inside a token or breaks format detection.
const BOM = "\ufeff"

// HasBOM reports whether b starts with the UTF-8 byte order mark.
func HasBOM(b []byte) bool { return bytes.HasPrefix(b, []byte(BOM)) }

// TrimBOM returns b without a leading UTF-8 byte order mark.
func TrimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte(BOM)) }

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
	if s.err != nil {
		return s.err
	}
	if err := s.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return TooLong(s.line+1, s.next, s.max)
		}
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

// Check applies the text policy of every reader to one line: it returns the
// 1-based byte column of the first invalid UTF-8 sequence or NUL byte, and
// nlp.ErrInvalidUTF8 or nlp.ErrNUL; 0 and nil for a good line. The common case,
// a good line, costs one pass of utf8.Valid and one of IndexByte.
func Check(line []byte) (int, error) {
	nul := bytes.IndexByte(line, 0)
	if utf8.Valid(line) {
		if nul >= 0 {
			return nul + 1, nlp.ErrNUL
		}
		return 0, nil
	}
	col := InvalidUTF8Column(string(line))
	if nul >= 0 && nul+1 < col {
		return nul + 1, nlp.ErrNUL
	}
	return col, nlp.ErrInvalidUTF8
}

// CheckString is Check for a string.
func CheckString(line string) (int, error) {
	nul := strings.IndexByte(line, 0)
	if utf8.ValidString(line) {
		if nul >= 0 {
			return nul + 1, nlp.ErrNUL
		}
		return 0, nil
	}
	col := InvalidUTF8Column(line)
	if nul >= 0 && nul+1 < col {
		return nul + 1, nlp.ErrNUL
	}
	return col, nlp.ErrInvalidUTF8
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
