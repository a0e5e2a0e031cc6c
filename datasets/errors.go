package datasets

import (
	"errors"
	"fmt"
)

// ParseError is returned by the readers for malformed input. Line and Column are
// 1-based; Column counts bytes from the start of the line, and 0 means the whole line.
type ParseError struct {
	Line   int   // line of the error
	Column int   // byte column of the error (1-based), 0 if none applies
	Err    error // the actual error, often one of the sentinel errors below
}

// Error formats the position and the cause: "line 12, column 5: bad ID: ...".
func (e *ParseError) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("line %d, column %d: %v", e.Line, e.Column, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

// Unwrap returns the underlying error, so errors.Is finds the sentinels.
func (e *ParseError) Unwrap() error { return e.Err }

// Sentinel errors wrapped in ParseError; test them with errors.Is.
var (
	// ErrFieldCount: a CoNLL-U word line without exactly ten tab-separated columns.
	ErrFieldCount = errors.New("wrong number of columns")
	// ErrBadID: a CoNLL-U ID that is not N, N-M or N.M, or out of sequence.
	ErrBadID = errors.New("bad ID")
	// ErrInvalidUTF8: the line is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
	// ErrMissingBlankLine: the last sentence is not followed by a blank line.
	ErrMissingBlankLine = errors.New("missing blank line after the last sentence")
	// ErrEmptyField: a column that must hold a value is empty.
	ErrEmptyField = errors.New("empty field")
	// ErrBadToken: a token that does not have the expected shape (for example a
	// Brown token without "/tag").
	ErrBadToken = errors.New("bad token")
	// ErrBadLabel: a labelled-sentence line whose label is missing or malformed.
	ErrBadLabel = errors.New("bad label")
	// ErrBadLine: a line that fits none of the forms the format allows.
	ErrBadLine = errors.New("bad line")
)

func parseErr(line, col int, err error, format string, args ...any) *ParseError {
	if format != "" {
		err = fmt.Errorf("%w: "+format, append([]any{err}, args...)...)
	}
	return &ParseError{Line: line, Column: col, Err: err}
}
