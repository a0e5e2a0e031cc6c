package classify

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

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
// lines are skipped. Errors name the file and the line.
func ReadFile(path string) ([]Example, error) {
	rc, err := datasets.OpenFile(path)
	if err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	defer rc.Close()
	ex, err := Read(rc)
	if err != nil {
		return nil, fmt.Errorf("classify: %s:%w", path, err)
	}
	return ex, nil
}

// maxLine bounds one line of a labelled file (IMDB reviews run to about 14 kB).
const maxLine = 16 << 20

// Read reads labelled examples from r as ReadFile does. An error starts with the
// line number ("12: ...").
func Read(r io.Reader) ([]Example, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var out []Example
	format := datasets.LabelAuto
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if strings.TrimSpace(text) == "" {
			continue
		}
		if format == datasets.LabelAuto {
			format = datasets.LabelFirst
			if strings.IndexByte(text, '\t') >= 0 {
				format = datasets.LabelLast
			}
		}
		e, err := datasets.NewLabelledReader(strings.NewReader(text), format).Read()
		if err != nil {
			// The reader saw one line, so its own position (line 1) is
			// dropped for the file's line number.
			var pe *datasets.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%d: %w", line, pe.Err)
			}
			return nil, fmt.Errorf("%d: %w", line, err)
		}
		out = append(out, Example{Label: e.Label, Text: e.Text, Line: line})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%d: %w", line+1, err)
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
