package embed

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/nlp-go/nlp/internal/fileutil"
)

// The file names of the evaluation sets inside an evaluation folder.
const (
	WordSim353File = "wordsim353.tsv"
	SimLex999File  = "simlex999.txt"
	QuestionsFile  = "questions-words.txt"
)

// AnalogyLimit is the number of most frequent words the analogy evaluation searches.
const AnalogyLimit = 30000

// Evaluation gathers the standard scores of a set of vectors.
type Evaluation struct {
	Vocab      int
	WordSim353 SimilarityResult
	SimLex999  SimilarityResult
	Analogy    AnalogyResult
}

// ErrEmptySet means an evaluation file without a single item: a score over
// nothing would read as a (bad) result instead of a mistake in the file.
var ErrEmptySet = errors.New("empty evaluation set")

// EvaluateDir scores v on the sets in dir (WordSim353File, SimLex999File and
// QuestionsFile), the analogies among the AnalogyLimit most frequent words.
func EvaluateDir(v *Vectors, dir string) (Evaluation, error) {
	e := Evaluation{Vocab: v.Len()}
	for _, s := range []struct {
		file string
		dst  *SimilarityResult
	}{{WordSim353File, &e.WordSim353}, {SimLex999File, &e.SimLex999}} {
		path := filepath.Join(dir, s.file)
		ps, err := readFile(path, ReadPairs)
		if err != nil {
			return e, err
		}
		if len(ps) == 0 {
			// A correlation over no pairs is no score at all (NaN), not 0.
			return e, fmt.Errorf("embed: evaluate: %s: %w", path, ErrEmptySet)
		}
		*s.dst = EvalSimilarity(v, ps)
	}
	path := filepath.Join(dir, QuestionsFile)
	qs, err := readFile(path, ReadQuestions)
	if err != nil {
		return e, err
	}
	if len(qs) == 0 {
		return e, fmt.Errorf("embed: evaluate: %s: %w", path, ErrEmptySet)
	}
	e.Analogy = EvalAnalogy(v, qs, AnalogyLimit)
	return e, nil
}

func readFile[T any](path string, read func(io.Reader) (T, error)) (T, error) {
	f, err := fileutil.Open(path)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("embed: evaluate: %w", err)
	}
	defer f.Close()
	x, err := read(f)
	if err != nil {
		return x, fmt.Errorf("%w (in %s)", err, path)
	}
	return x, nil
}
