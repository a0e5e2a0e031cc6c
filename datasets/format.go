package datasets

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nlp-go/nlp/datasets/conllu"
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

// DetectFormat guesses the format of data from its beginning: CoNLL-U when its lines
// are comments or ten tab-separated columns with a numeric ID; Brown when every
// token of every line is word/tag; CoNLL columns when every line has the same number
// (2 to 12) of columns and the columns are tab-separated, or blank lines separate
// groups of lines; labelled sentences when every line starts with a number of at
// most two digits and a space (the SST and IMDB files); plain text otherwise. It never returns FormatAuto.
func DetectFormat(head []byte) Format {
	text := string(head)
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
		return FormatText
	}
	isCoNLLU, brown, tabs, labelled := true, true, true, true
	cols := -1
	sameCols := true
	comments := 0
	for _, l := range rows {
		if strings.HasPrefix(l, "#") {
			comments++
		} else {
			f := strings.Split(l, "\t")
			if len(f) != 10 || !conllu.IsID(f[0]) {
				isCoNLLU = false
			}
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
	switch {
	case isCoNLLU && comments < len(rows):
		return FormatCoNLLU
	case brown:
		return FormatBrown
	case sameCols && cols >= 2 && cols <= 12 && (tabs || blankBetween):
		return FormatCoNLL
	case labelled:
		return FormatLabelled
	}
	return FormatText
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
