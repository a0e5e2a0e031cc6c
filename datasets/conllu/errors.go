package conllu

import "errors"

// Sentinel errors wrapped in the readers' *nlp.ParseError; test them with
// errors.Is. Invalid UTF-8 is nlp.ErrInvalidUTF8, shared by every reader of the
// toolkit.
var (
	// ErrFieldCount: a CoNLL-U word line without exactly ten tab-separated
	// columns, or a row of a column file with another number of columns than
	// the first row.
	ErrFieldCount = errors.New("wrong number of columns")
	// ErrBadID: a CoNLL-U ID that is not N, N-M or N.M, or out of sequence.
	ErrBadID = errors.New("bad ID")
	// ErrMissingBlankLine: the last sentence is not followed by a blank line.
	ErrMissingBlankLine = errors.New("missing blank line after the last sentence")
	// ErrEmptyField: a column that must hold a value is empty.
	ErrEmptyField = errors.New("empty field")
	// ErrBadLine: a line that fits none of the forms CoNLL-U allows.
	ErrBadLine = errors.New("bad line")
)
