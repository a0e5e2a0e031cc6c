package nlp

import (
	"errors"
	"fmt"
)

// ParseError reports where an input is malformed, as encoding/csv's ParseError
// does. Every reader of the toolkit (CoNLL-U and the other corpus formats, word
// vectors, vocabularies, plain text, pipeline input) returns this one type, so a
// caller finds the position of any parse error with one errors.As.
type ParseError struct {
	// File names the input: a path, or a name such as "stdin". It is empty when
	// the reader was given an io.Reader without a name; functions that open a
	// file by path fill it.
	File string
	// Line is the 1-based line of the error. In a binary format it counts the
	// records the format defines (the word2vec header is line 1, the first
	// vector line 2).
	Line int
	// Column is the 1-based byte column of the error within the line, or 0 when
	// the error is about the whole line.
	Column int
	// Offset is the 0-based byte offset of the error from the start of the input:
	// the start of Line, plus Column-1 when there is a column. It locates the
	// error in a file without line breaks (a binary format) or for a tool that
	// seeks rather than counts lines.
	Offset int64
	// Err is the cause, often wrapping a sentinel error for errors.Is.
	Err error
}

// Error formats the position and the cause the way compilers do, so that editors
// jump to it: "train.conllu:12:5: bad ID: ...", or "train.conllu:12: ..." when no
// column applies. Without a file name it reads "line 12, column 5: ..." (or
// "line 12: ..."), since a bare "12:5:" would say nothing.
func (e *ParseError) Error() string {
	switch {
	case e.File != "" && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %v", e.File, e.Line, e.Column, e.Err)
	case e.File != "":
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	case e.Column > 0:
		return fmt.Sprintf("line %d, column %d: %v", e.Line, e.Column, e.Err)
	default:
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
}

// Unwrap returns the cause, so that errors.Is finds the sentinel it wraps.
func (e *ParseError) Unwrap() error { return e.Err }

// Sentinel errors shared by the packages; test with errors.Is.
var (
	// ErrInvalidUTF8 means an input line that is not valid UTF-8. Every text
	// format of the toolkit is UTF-8, so the readers all return this one
	// (wrapped in a *ParseError giving the first bad byte's column).
	ErrInvalidUTF8 = errors.New("invalid UTF-8")

	// ErrNUL means a NUL byte (U+0000) in a text input. It is valid UTF-8, but
	// no text format of the toolkit has a use for it: it comes from binary
	// files read as text, and would otherwise end up inside tokens and in the
	// output. Readers return it as they return ErrInvalidUTF8, in a *ParseError
	// whose column is the byte's.
	ErrNUL = errors.New("NUL byte in text")

	// ErrLineTooLong means an input line longer than the reader accepts (1 MiB
	// by default, at most 64 MiB: linescan.DefaultMaxLine, MaxLineLimit, the
	// --max-line flag of the commands). Every line reader of the toolkit
	// bounds its lines, so that no input takes unbounded memory, and returns
	// this one error in a *ParseError naming the line.
	ErrLineTooLong = errors.New("line too long")

	// ErrConfig is wrapped by every Validate method of every package (and so by
	// every function that validates its Config): errors.Is(err, ErrConfig)
	// tells a bad option from a bad input or a failed write, whichever package
	// the error comes from. The message names the package and the field.
	ErrConfig = errors.New("invalid configuration")
)

// ConfigError returns an error wrapping ErrConfig about one field of a package's
// configuration: ConfigError("tagger", "Config.Hidden", "%d, want 1..%d", -1, 4096)
// reads "tagger: invalid configuration: Config.Hidden -1, want 1..4096". It is how every
// Validate of the toolkit reports a field, so that all of them read alike; format
// may use %w to wrap a further cause.
func ConfigError(pkg, field, format string, args ...any) error {
	return fmt.Errorf("%s: %w: %s "+format, append([]any{pkg, ErrConfig, field}, args...)...)
}
