package datasets

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/nlp-go/nlp/internal/fileutil"
	"github.com/nlp-go/nlp/internal/linescan"
)

// LabelledFormat says where the label sits on a labelled-sentence line.
type LabelledFormat int

const (
	// LabelAuto takes LabelLast when the first non-blank line has a tab, else LabelFirst.
	LabelAuto LabelledFormat = iota
	// LabelFirst is "LABEL text": the label, one space, the text (the SST files
	// and the IMDB gz files).
	LabelFirst
	// LabelLast is "text<TAB>label" (TSV).
	LabelLast
)

// Example is one labelled sentence or document.
type Example struct {
	Label string
	Text  string
}

// LabelledReader reads labelled sentences one a line. Blank lines are skipped.
// A label is a non-empty string without white space.
type LabelledReader struct {
	ls     *linescan.Scanner
	format LabelledFormat
}

// NewLabelledReader returns a reader of r in the given format, accepting lines
// of up to linescan.DefaultMaxLine bytes (1 MiB).
func NewLabelledReader(r io.Reader, format LabelledFormat) *LabelledReader {
	return NewLabelledReaderMax(r, format, 0)
}

// NewLabelledReaderMax is NewLabelledReader accepting lines of up to maxLine
// bytes (0: linescan.DefaultMaxLine; at most linescan.MaxLineLimit); a longer
// line is a *ParseError wrapping nlp.ErrLineTooLong.
func NewLabelledReaderMax(r io.Reader, format LabelledFormat, maxLine int) *LabelledReader {
	return &LabelledReader{ls: linescan.New(r, maxLine), format: format}
}

// Read returns the next example, or io.EOF after the last one. A line without a
// label or without text gives a *ParseError wrapping ErrBadLabel.
func (r *LabelledReader) Read() (*Example, error) {
	for r.ls.Scan() {
		line := strings.TrimRight(r.ls.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if r.format == LabelAuto {
			r.format = LabelFirst
			if strings.IndexByte(line, '\t') >= 0 {
				r.format = LabelLast
			}
		}
		var label, text string
		var col int
		if r.format == LabelLast {
			i := strings.LastIndexByte(line, '\t')
			if i < 0 {
				return nil, r.ls.ErrAt(len(line)+1, ErrBadLabel, "want text<TAB>label, found no tab")
			}
			text, label, col = line[:i], line[i+1:], i+2
		} else {
			i := strings.IndexAny(line, " \t")
			if i < 0 {
				return nil, r.ls.ErrAt(len(line)+1, ErrBadLabel, "want LABEL text, found no text after %q", linescan.Clip(line))
			}
			label, text, col = line[:i], line[i+1:], 1
		}
		if label == "" || strings.ContainsAny(label, " \t") {
			return nil, r.ls.ErrAt(col, ErrBadLabel, "want a label without spaces, got %q", linescan.Clip(label))
		}
		if strings.TrimSpace(text) == "" {
			return nil, r.ls.ErrAt(0, ErrBadLabel, "label %q without text", linescan.Clip(label))
		}
		return &Example{Label: label, Text: text}, nil
	}
	if err := r.ls.Err(); err != nil {
		return nil, err
	}
	return nil, io.EOF
}

// Line returns the number of the line of the last example read (1-based), so
// that a caller can say where an example came from.
func (r *LabelledReader) Line() int { return r.ls.Line() }

// ReadAll reads the remaining examples.
func (r *LabelledReader) ReadAll() ([]Example, error) {
	var out []Example
	for {
		e, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, *e)
	}
}

// OpenFile opens path for reading and, when its name ends in ".gz" (the IMDB files),
// decompresses it. Close the returned ReadCloser when done.
func OpenFile(path string) (io.ReadCloser, error) {
	rc, err := fileutil.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("datasets: %w", err)
		}
		return nil, fmt.Errorf("datasets: read %q: %w", path, err)
	}
	return rc, nil
}

// ReadLabelledFile reads every example of a labelled file (gzipped when its name
// ends in ".gz"). Errors name the file and line.
func ReadLabelledFile(path string, format LabelledFormat) ([]Example, error) {
	rc, err := OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	ex, err := NewLabelledReader(rc, format).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("datasets: read %q: %w", path, err)
	}
	return ex, nil
}
