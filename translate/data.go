package translate

import (
	"errors"
	"fmt"
	"io"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/internal/fileutil"
	"github.com/nlp-go/nlp/internal/linescan"
)

// MaxLineBytes is the longest line the readers accept: far above any
// sentence, it keeps a file without line breaks from being read whole.
const MaxLineBytes = 1 << 20

// Parallel is a parallel corpus: Src[i] and Tgt[i] are a sentence and its
// translation, one line of text each.
type Parallel struct {
	Src, Tgt []string
}

// Len is the number of pairs.
func (p Parallel) Len() int { return len(p.Src) }

// check reports sides of different lengths.
func (p Parallel) check(what string) error {
	if len(p.Src) != len(p.Tgt) {
		return fmt.Errorf("translate: %s pairs: %d source sentences but %d targets", what, len(p.Src), len(p.Tgt))
	}
	return nil
}

// ErrLineCount is returned when the two sides of a parallel corpus do not
// have the same number of lines.
var ErrLineCount = errors.New("the two files have different numbers of lines")

// ReadParallel reads a parallel corpus from two files of one sentence a line
// (gzip-compressed when they end in .gz). Line i of one file translates line
// i of the other: files of different lengths are an error naming both. Lines
// must be valid UTF-8, without NUL, and at most MaxLineBytes long (a
// *nlp.ParseError naming the file and the line otherwise).
func ReadParallel(srcPath, tgtPath string) (Parallel, error) {
	src, err := ReadLines(srcPath)
	if err != nil {
		return Parallel{}, err
	}
	tgt, err := ReadLines(tgtPath)
	if err != nil {
		return Parallel{}, err
	}
	if len(src) != len(tgt) {
		return Parallel{}, fmt.Errorf("translate: %s has %d lines and %s %d: %w", srcPath, len(src), tgtPath, len(tgt), ErrLineCount)
	}
	return Parallel{Src: src, Tgt: tgt}, nil
}

// ReadLines reads a file of one sentence a line under the rules of
// ReadParallel.
func ReadLines(path string) ([]string, error) {
	f, err := fileutil.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	lines, err := readLines(f)
	var pe *nlp.ParseError
	if errors.As(err, &pe) {
		pe.File = path
		return nil, pe
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return lines, nil
}

func readLines(r io.Reader) ([]string, error) {
	sc := linescan.New(r, MaxLineBytes)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}
