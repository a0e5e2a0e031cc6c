package datasets

import (
	"errors"

	"github.com/nlp-go/nlp/internal/linescan"
)

// Sentinel errors wrapped in the readers' *nlp.ParseError; test them with
// errors.Is. Invalid UTF-8 is nlp.ErrInvalidUTF8, shared by every reader of the
// toolkit.
var (
	// ErrFieldCount: a CoNLL-U word line without exactly ten tab-separated columns.
	ErrFieldCount = errors.New("wrong number of columns")
	// ErrBadID: a CoNLL-U ID that is not N, N-M or N.M, or out of sequence.
	ErrBadID = errors.New("bad ID")
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

// parseErr is linescan.Errorf, short for the readers that count lines themselves.
var parseErr = linescan.Errorf
