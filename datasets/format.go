package datasets

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nlp-go/nlp/datasets/conllu"
	"github.com/nlp-go/nlp/internal/linescan"
)

// Format names a file format for tagged or raw text.
type Format int

const (
	// FormatAuto asks DetectFormat to look at the data.
	FormatAuto Format = iota
	// FormatCoNLLU is CoNLL-U (Universal Dependencies).
	FormatCoNLLU
	// FormatCoNLL is a CoNLL column format (token then tag columns).
	FormatCoNLL
	// FormatText is plain text, one document or sentence a line.
	FormatText
	// FormatBrown is the Brown corpus word/tag format.
	FormatBrown
	// FormatLabelled is labelled sentences, "LABEL text" or "text<TAB>label".
	FormatLabelled
	// FormatTokens is text already tokenized, one sentence a line, tokens separated
	// by white space (the word2vec corpora); DetectFormat never returns it, as it
	// cannot be told from plain text.
	FormatTokens
)

var formatNames = map[Format]string{FormatAuto: "auto", FormatCoNLLU: "conllu", FormatCoNLL: "conll", FormatText: "text", FormatBrown: "brown", FormatLabelled: "labelled", FormatTokens: "tokens"}

// String returns the name ParseFormat accepts.
func (f Format) String() string {
	if s, ok := formatNames[f]; ok {
		return s
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// ErrUnknownFormat is returned by ParseFormat for an unknown name.
var ErrUnknownFormat = errors.New("unknown format")

// ParseFormat parses "auto" (or ""), "conllu", "conll", "text", "brown", "labelled" or "tokens".
func ParseFormat(name string) (Format, error) {
	if name == "" {
		return FormatAuto, nil
	}
	for f, s := range formatNames {
		if strings.EqualFold(s, name) {
			return f, nil
		}
	}
	return FormatAuto, fmt.Errorf("datasets: format %q: %w (want auto, conllu, conll, text, brown, labelled or tokens)", name, ErrUnknownFormat)
}

// detectLines is how many non-blank lines DetectFormat looks at.
const detectLines = 40

// ErrAmbiguousFormat is wrapped by the error of SniffFormat when the beginning of
// the data could be CoNLL-U as well as text: only comment lines, or some lines
// that look like CoNLL-U word lines among others that do not. The caller names
// the format instead (a --input flag) rather than have the data read wrongly.
var ErrAmbiguousFormat = errors.New("cannot tell the format")

// conlluComments are the comment keys only CoNLL-U files use; a file whose first
// line is one of them is CoNLL-U.
var conlluComments = []string{"sent_id", "text", "newdoc", "newpar", "global.columns"}

// isCoNLLUComment reports a CoNLL-U comment line such as "# sent_id = 1".
func isCoNLLUComment(l string) bool {
	rest, ok := strings.CutPrefix(l, "#")
	if !ok {
		return false
	}
	rest = strings.TrimSpace(rest)
	for _, k := range conlluComments {
		if after, ok := strings.CutPrefix(rest, k); ok && (after == "" || after[0] == ' ' || after[0] == '=') {
			return true
		}
	}
	return false
}

// DetectFormat is SniffFormat without its error: an ambiguous beginning is
// FormatText. Readers of user input call SniffFormat, so that ambiguous data is
// an error rather than read as text. It never returns FormatAuto.
func DetectFormat(head []byte) Format {
	f, err := SniffFormat(head)
	if err != nil {
		return FormatText
	}
	return f
}

// SniffFormat guesses the format of data from its beginning (a UTF-8 byte order
// mark skipped), looking at the first 40 non-blank lines. CoNLL-U when most of
// its lines other than comments are ten tab-separated columns with an integer,
// range or decimal ID, or when its first line is a CoNLL-U comment (# sent_id,
// # text, # newdoc, # newpar, # global.columns): the reader then reads it to the
// end as CoNLL-U, and a malformed line is an error at its place rather than a
// reason to read the file as text. Brown when every token of every line is
// word/tag; CoNLL columns when every line has the same number (2 to 12) of
// columns and the columns are tab-separated, or blank lines separate groups of
// lines; labelled sentences when every line starts with a number of at most two
// digits and a space (the SST and IMDB files); plain text otherwise. An error
// wrapping ErrAmbiguousFormat when the lines are only comments, or when some
// but not most lines look like CoNLL-U word lines. It never returns FormatAuto.
func SniffFormat(head []byte) (Format, error) {
	text := string(linescan.TrimBOM(head))
	if i := strings.LastIndexByte(text, '\n'); i >= 0 && i < len(text)-1 && len(text) > 1<<12 {
		text = text[:i] // drop a partial last line of a long sample
	}
	lines := strings.Split(text, "\n")
	var rows []string
	blankBetween, blankSeen := false, false
	for _, l := range lines {
		l = strings.TrimRight(l, "\r")
		if strings.TrimSpace(l) == "" {
			blankSeen = len(rows) > 0
			continue
		}
		blankBetween = blankBetween || blankSeen
		rows = append(rows, l)
		if len(rows) == detectLines {
			break
		}
	}
	if len(rows) == 0 {
		return FormatText, nil
	}
	brown, tabs, labelled := true, true, true
	cols := -1
	sameCols := true
	comments, wordLines := 0, 0
	for _, l := range rows {
		if strings.HasPrefix(l, "#") {
			comments++
		} else if f := strings.Split(l, "\t"); len(f) == 10 && conllu.IsID(f[0]) {
			wordLines++
		}
		if !strings.Contains(l, "\t") {
			tabs = false
		}
		if lab, text, ok := strings.Cut(l, " "); !ok || len(lab) > 2 || strings.TrimSpace(text) == "" {
			labelled = false
		} else if !isLabelNumber(lab) {
			labelled = false
		}
		fields := strings.Fields(l)
		for _, t := range fields {
			if i := strings.LastIndexByte(t, '/'); i <= 0 || i == len(t)-1 {
				brown = false
			}
		}
		row := conllu.SplitColumns(l)
		n := len(row)
		if row[0] == conllu.DocStart {
			continue
		}
		if cols < 0 {
			cols = n
		} else if n != cols {
			sameCols = false
		}
	}
	others := len(rows) - comments
	switch {
	case others > 0 && 2*wordLines > others, isCoNLLUComment(rows[0]):
		return FormatCoNLLU, nil
	case others == 0:
		return FormatAuto, fmt.Errorf("%w: the first %d non-blank lines are all comments (starting with #), as in CoNLL-U, but there is no word line", ErrAmbiguousFormat, len(rows))
	case wordLines > 0:
		return FormatAuto, fmt.Errorf("%w: %d of the first %d lines look like CoNLL-U word lines, the others do not", ErrAmbiguousFormat, wordLines, others)
	case brown:
		return FormatBrown, nil
	case sameCols && cols >= 2 && cols <= 12 && (tabs || blankBetween):
		return FormatCoNLL, nil
	case labelled:
		return FormatLabelled, nil
	}
	return FormatText, nil
}

// isLabelNumber reports a label of the SST and IMDB files: a decimal number of
// one or two digits without a leading zero ("0" itself allowed).
func isLabelNumber(s string) bool {
	if s == "" || len(s) > 2 || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
