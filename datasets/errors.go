package datasets

import (
	"errors"

	"github.com/nlp-go/nlp/internal/linescan"
)

// Sentinel errors wrapped in the readers' *nlp.ParseError; test them with
// errors.Is. Invalid UTF-8 is nlp.ErrInvalidUTF8, shared by every reader of the
// toolkit; the CoNLL formats' own sentinels are in package conllu.
var (
	// ErrBadToken: a token that does not have the expected shape (for example a
	// Brown token without "/tag").
	ErrBadToken = errors.New("bad token")
	// ErrBadLabel: a labelled-sentence line whose label is missing or malformed.
	ErrBadLabel = errors.New("bad label")
	// ErrBadLine: a line that fits none of the forms the format allows (an
	// empty vocabulary file).
	ErrBadLine = errors.New("bad line")
)

// parseErr is linescan.Errorf, short for the readers that count lines themselves.
var parseErr = linescan.Errorf
