package classify

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/datasets"
)

// Example is one labelled text, with the line it came from (0 when it did not
// come from a file).
type Example struct {
	Label string
	Text  string
	Line  int
}

// ReadFile reads a labelled file: "LABEL text" lines (the SST files, and the
// IMDB files, gzipped when the name ends in ".gz") or "text<TAB>label" lines,
// told apart by the first non-blank line as datasets.LabelledReader does. Blank
// lines are skipped. A malformed line gives a *nlp.ParseError naming the file,
// so the message reads "classify: train.txt:12:3: ...". Lines may be up to
// linescan.DefaultMaxLine bytes (1 MiB) long (ReadFileMax for others).
func ReadFile(path string) ([]Example, error) { return ReadFileMax(path, 0) }

// ReadFileMax is ReadFile accepting lines of up to maxLine bytes (0: 1 MiB,
// at most 64 MiB); a longer line is a *nlp.ParseError wrapping
// nlp.ErrLineTooLong that names the file and the line.
func ReadFileMax(path string, maxLine int) ([]Example, error) {
	rc, err := datasets.OpenFile(path)
	if err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	defer rc.Close()
	ex, err := readMax(rc, maxLine)
	if err != nil {
		var pe *nlp.ParseError
		if errors.As(err, &pe) && pe.File == "" {
			pe.File = path
			return nil, fmt.Errorf("classify: %w", err)
		}
		return nil, fmt.Errorf("classify: %s: %w", path, err)
	}
	return ex, nil
}

// Read reads labelled examples from r as ReadFile does, with a
// datasets.LabelledReader, and keeps each example's line. A malformed line gives
// a *nlp.ParseError with its line and column.
func Read(r io.Reader) ([]Example, error) { return readMax(r, 0) }

func readMax(r io.Reader, maxLine int) ([]Example, error) {
	lr := datasets.NewLabelledReaderMax(r, datasets.LabelAuto, maxLine)
	var out []Example
	for {
		e, err := lr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, Example{Label: e.Label, Text: e.Text, Line: lr.Line()})
	}
}

// ReadTreeFile reads a file of sentiment trees (the Stanford Sentiment
// Treebank's PTB bracketing, datasets.TreeReader) as examples under view v:
// its sentences, or every distinct phrase, in five classes or SST-2's two. An
// example's Line is its tree's. A malformed tree gives a *nlp.ParseError
// naming the file; lines may be up to maxLine bytes (0: 1 MiB).
func ReadTreeFile(path string, v datasets.TreeView, maxLine int) ([]Example, error) {
	trees, err := datasets.ReadTreeFile(path, maxLine)
	if err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	ex := datasets.SentimentExamples(trees, v)
	out := make([]Example, len(ex))
	for i, e := range ex {
		out[i] = Example{Label: e.Label, Text: e.Text, Line: e.Line}
	}
	return out, nil
}

// Split shuffles examples with a PCG source seeded by seed and returns the first
// len−⌊frac·len⌋ as train and the rest as dev; the input is left unchanged.
// The IMDB dev split is Split(train, 0.1, 1).
func Split(examples []Example, frac float64, seed uint64) (train, dev []Example) {
	shuffled := append([]Example(nil), examples...)
	rng := rand.New(rand.NewPCG(seed, 0x1d))
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	n := len(shuffled) - int(frac*float64(len(shuffled)))
	return shuffled[:n], shuffled[n:]
}

// cleanText replaces the HTML line breaks of the IMDB reviews by spaces.
func cleanText(s string) string {
	if strings.Contains(s, "<br") {
		s = strings.NewReplacer("<br />", " ", "<br/>", " ", "<br>", " ").Replace(s)
	}
	return s
}
