package datasets

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/internal/linescan"
)

// ColumnSentence is a sentence in a CoNLL column format (CoNLL-2000 style): one row
// per token, the token first and its tags after it.
type ColumnSentence struct {
	Rows [][]string
}

// Column returns column k (0 = the tokens) of every row; rows too short give "".
func (s *ColumnSentence) Column(k int) []string {
	out := make([]string, len(s.Rows))
	for i, r := range s.Rows {
		if k < len(r) {
			out[i] = r[k]
		}
	}
	return out
}

// Tokens returns column 0.
func (s *ColumnSentence) Tokens() []string { return s.Column(0) }

// ColumnReader reads the simple CoNLL column formats: one token a line with its
// tag(s) in further columns, tab-separated (fields may then hold spaces) or separated
// by runs of spaces, and a blank line between sentences. Every row of the input must
// have the number of columns of the first one. "-DOCSTART-" lines (CoNLL-2003) are
// skipped; the blank line after the last sentence may be left out.
type ColumnReader struct {
	ls      *linescan.Scanner
	columns int
}

// NewColumnReader returns a reader of the CoNLL column format from r.
func NewColumnReader(r io.Reader) *ColumnReader {
	return &ColumnReader{ls: linescan.New(r, 1<<24)}
}

// Columns returns the number of columns per row, known after the first row (0 before).
func (r *ColumnReader) Columns() int { return r.columns }

// Read returns the next sentence, or io.EOF after the last one. A row whose column
// count differs from the first row's gives a *ParseError wrapping ErrFieldCount.
func (r *ColumnReader) Read() (*ColumnSentence, error) {
	var s *ColumnSentence
	for r.ls.Scan() {
		line := strings.TrimRight(r.ls.Text(), "\r")
		if !utf8.ValidString(line) {
			return nil, r.ls.ErrAt(invalidUTF8Column(line), nlp.ErrInvalidUTF8, "")
		}
		if strings.TrimSpace(line) == "" {
			if s != nil {
				return s, nil
			}
			continue
		}
		row := splitColumns(line)
		if row[0] == docStart {
			continue
		}
		if r.columns == 0 {
			r.columns = len(row)
		}
		if len(row) != r.columns {
			return nil, r.ls.ErrAt(0, ErrFieldCount, "want %d columns as on the first row, got %d", r.columns, len(row))
		}
		for k, f := range row {
			if f == "" {
				return nil, r.ls.ErrAt(0, ErrEmptyField, "column %d is empty", k+1)
			}
		}
		if s == nil {
			s = &ColumnSentence{}
		}
		s.Rows = append(s.Rows, row)
	}
	if err := r.ls.Err(); err != nil {
		return nil, err
	}
	if s != nil {
		return s, nil
	}
	return nil, io.EOF
}

// docStart marks a document boundary in CoNLL-2003 files; such rows are skipped.
const docStart = "-DOCSTART-"

// splitColumns splits on tabs when the line has one, else on runs of spaces.
func splitColumns(line string) []string {
	if strings.IndexByte(line, '\t') >= 0 {
		return strings.Split(line, "\t")
	}
	return strings.Fields(line)
}

// ColumnWriter writes sentences in the CoNLL column format, tab-separated, each
// followed by a blank line; a ColumnReader reads back the same rows.
type ColumnWriter struct {
	w   *bufio.Writer
	err error
}

// NewColumnWriter returns a writer of the column format to w; call Flush when done.
func NewColumnWriter(w io.Writer) *ColumnWriter {
	return &ColumnWriter{w: bufio.NewWriterSize(w, 1<<16)}
}

// Write writes one sentence and its blank line. Fields must be non-empty and free
// of tabs and line breaks.
func (w *ColumnWriter) Write(s *ColumnSentence) error {
	if w.err != nil {
		return w.err
	}
	for i, row := range s.Rows {
		if len(row) > 0 && row[0] == docStart {
			return fmt.Errorf("datasets: conll: row %d: %w (a %s row would be skipped on reading)", i+1, ErrBadField, docStart)
		}
		for k, f := range row {
			if f == "" || strings.ContainsAny(f, "\t\n\r") {
				return fmt.Errorf("datasets: conll: row %d column %d %q: %w (want non-empty, no tab or line break)", i+1, k+1, clip(f), ErrBadField)
			}
		}
	}
	for _, row := range s.Rows {
		w.w.WriteString(strings.Join(row, "\t"))
		w.w.WriteByte('\n')
	}
	_, w.err = w.w.WriteString("\n")
	return w.err
}

// Flush writes any buffered data to the underlying writer.
func (w *ColumnWriter) Flush() error {
	if w.err != nil {
		return w.err
	}
	w.err = w.w.Flush()
	return w.err
}

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
	conllu, brown, tabs, labelled := true, true, true, true
	cols := -1
	sameCols := true
	comments := 0
	for _, l := range rows {
		if strings.HasPrefix(l, "#") {
			comments++
		} else {
			f := strings.Split(l, "\t")
			if len(f) != 10 || !isCoNLLUID(f[0]) {
				conllu = false
			}
		}
		if !strings.Contains(l, "\t") {
			tabs = false
		}
		if lab, text, ok := strings.Cut(l, " "); !ok || len(lab) > 2 || strings.TrimSpace(text) == "" {
			labelled = false
		} else if _, ok := parseInt(lab); !ok && lab != "0" {
			labelled = false
		}
		fields := strings.Fields(l)
		for _, t := range fields {
			if i := strings.LastIndexByte(t, '/'); i <= 0 || i == len(t)-1 {
				brown = false
			}
		}
		row := splitColumns(l)
		n := len(row)
		if row[0] == docStart {
			continue
		}
		if cols < 0 {
			cols = n
		} else if n != cols {
			sameCols = false
		}
	}
	switch {
	case conllu && comments < len(rows):
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

func isCoNLLUID(id string) bool {
	if _, ok := parseInt(id); ok {
		return true
	}
	if _, _, ok := parseRange(id); ok {
		return true
	}
	_, _, ok := parseDecimal(id)
	return ok
}
