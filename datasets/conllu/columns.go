package conllu

import (
	"bufio"
	"fmt"
	"io"
	"strings"

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
func NewColumnReader(r io.Reader) *ColumnReader { return NewColumnReaderMax(r, 0) }

// NewColumnReaderMax returns a reader of r accepting lines of up to maxLine
// bytes (0: linescan.DefaultMaxLine, 1 MiB); a longer line is a *ParseError
// wrapping nlp.ErrLineTooLong.
func NewColumnReaderMax(r io.Reader, maxLine int) *ColumnReader {
	return &ColumnReader{ls: linescan.New(r, maxLine)}
}

// Columns returns the number of columns per row, known after the first row (0 before).
func (r *ColumnReader) Columns() int { return r.columns }

// Read returns the next sentence, or io.EOF after the last one. A row whose column
// count differs from the first row's gives a *ParseError wrapping ErrFieldCount.
func (r *ColumnReader) Read() (*ColumnSentence, error) {
	var s *ColumnSentence
	for r.ls.Scan() {
		line := strings.TrimRight(r.ls.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			if s != nil {
				return s, nil
			}
			continue
		}
		row := SplitColumns(line)
		if row[0] == DocStart {
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

// DocStart marks a document boundary in CoNLL-2003 files; ColumnReader skips
// such rows, and ColumnWriter refuses them (they would not read back).
const DocStart = "-DOCSTART-"

// SplitColumns splits a line of a column file as ColumnReader does: on tabs when
// the line has one, else on runs of spaces.
func SplitColumns(line string) []string {
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
		if len(row) > 0 && row[0] == DocStart {
			return fmt.Errorf("conllu: columns: row %d: %w (a %s row would be skipped on reading)", i+1, ErrBadField, DocStart)
		}
		for k, f := range row {
			if f == "" || strings.ContainsAny(f, "\t\n\r") {
				return fmt.Errorf("conllu: columns: row %d column %d %q: %w (want non-empty, no tab or line break)", i+1, k+1, linescan.Clip(f), ErrBadField)
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
