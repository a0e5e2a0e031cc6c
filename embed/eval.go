package embed

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/nlp-go/nlp/internal/linescan"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// Pair is a word pair with a human similarity score (WordSim353, SimLex-999).
type Pair struct {
	A, B  string
	Score float64
}

// ReadPairs reads word pairs, one a line: two words and a score separated by tabs or
// spaces, further columns ignored. Blank lines and lines starting with '#' are skipped.
func ReadPairs(r io.Reader) ([]Pair, error) {
	var ps []Pair
	sc := linescan.New(r, bufio.MaxScanTokenSize)
	for sc.Scan() {
		s := strings.TrimSpace(sc.Text())
		if s == "" || s[0] == '#' {
			continue
		}
		f := strings.Fields(s)
		if len(f) < 3 {
			return nil, fmt.Errorf("embed: pairs: %w", sc.ErrAt(0, ErrFieldCount, "%d, want 3", len(f)))
		}
		x, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return nil, fmt.Errorf("embed: pairs: %w", sc.ErrAt(0, err, ""))
		}
		ps = append(ps, Pair{A: f[0], B: f[1], Score: x})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("embed: pairs: %w", err)
	}
	return ps, nil
}

// SimilarityResult is the outcome of EvalSimilarity.
type SimilarityResult struct {
	Spearman float64 // Spearman's ρ between cosines and human scores over the pairs found
	Pairs    int     // pairs with both words in the vocabulary
	OOV      int     // pairs left out because a word has no vector
}

// lookup finds word as given or, failing that, lower-cased (the corpora are lower-cased,
// the evaluation sets are not always).
func (v *Vectors) lookup(word string) (int, bool) {
	if i, ok := v.index[word]; ok {
		return i, true
	}
	i, ok := v.index[strings.ToLower(word)]
	return i, ok
}

// EvalSimilarity correlates the cosine similarity of each pair with its human score.
func EvalSimilarity(v *Vectors, pairs []Pair) SimilarityResult {
	var res SimilarityResult
	var model, human []float64
	norms := v.rowNorms()
	for _, p := range pairs {
		i, ok1 := v.lookup(p.A)
		j, ok2 := v.lookup(p.B)
		if !ok1 || !ok2 {
			res.OOV++
			continue
		}
		cos := 0.0
		if norms[i] > 0 && norms[j] > 0 {
			cos = float64(dot32(v.Row(i), v.Row(j))) / (float64(norms[i]) * float64(norms[j]))
		}
		model = append(model, cos)
		human = append(human, p.Score)
	}
	res.Pairs = len(model)
	res.Spearman = Spearman(model, human)
	return res
}

// Spearman returns Spearman's rank correlation of x and y: the Pearson correlation of
// their ranks, tied values sharing the mean of the ranks they span. It returns NaN for
// fewer than two values or a constant input.
func Spearman(x, y []float64) float64 {
	if len(x) != len(y) {
		panic("embed: Spearman of slices of different lengths")
	}
	if len(x) < 2 {
		return math.NaN()
	}
	return pearson(ranks(x), ranks(y))
}

// ranks returns the 1-based ranks of x, ties averaged.
func ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = avg
		}
		i = j + 1
	}
	return r
}

func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return sxy / math.Sqrt(sxx*syy)
}

// Question is one analogy "A is to B as C is to D" of a named section.
type Question struct {
	Section    string
	A, B, C, D string
}

// ReadQuestions reads analogy questions in the word2vec questions-words.txt format:
// ": section" headers, then four words a line. Blank lines and '#' lines are skipped.
func ReadQuestions(r io.Reader) ([]Question, error) {
	var qs []Question
	sc := linescan.New(r, bufio.MaxScanTokenSize)
	section := ""
	for sc.Scan() {
		s := strings.TrimSpace(sc.Text())
		switch {
		case s == "" || s[0] == '#':
			continue
		case s[0] == ':':
			section = strings.TrimSpace(s[1:])
			continue
		}
		f := strings.Fields(s)
		if len(f) != 4 {
			return nil, fmt.Errorf("embed: questions: %w", sc.ErrAt(0, ErrFieldCount, "%d words, want 4", len(f)))
		}
		qs = append(qs, Question{Section: section, A: f[0], B: f[1], C: f[2], D: f[3]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("embed: questions: %w", err)
	}
	return qs, nil
}

// AnalogyResult is the outcome of EvalAnalogy.
type AnalogyResult struct {
	Accuracy float64 // Correct / Answered (NaN if none answered)
	Correct  int
	Answered int // questions whose four words are all among the searched words
	OOV      int // questions left out because a word is missing
}

// EvalAnalogy answers each question by 3CosAdd among the first limit words (0: all),
// the three query words excluded, and counts exact hits. Words are matched as given or
// lower-cased. Questions are scored in batches with one matrix product each.
func EvalAnalogy(v *Vectors, qs []Question, limit int) AnalogyResult {
	if limit <= 0 || limit > v.Len() {
		limit = v.Len()
	}
	d := v.dim
	// Unit vectors of the searched words, as float64 for the BLAS product.
	unit := make([]float64, limit*d)
	norms := v.rowNorms()
	for i := 0; i < limit; i++ {
		if norms[i] == 0 {
			continue
		}
		for k, x := range v.Row(i) {
			unit[i*d+k] = float64(x) / float64(norms[i])
		}
	}
	find := func(w string) (int, bool) {
		i, ok := v.lookup(w)
		return i, ok && i < limit
	}
	type known struct{ a, b, c, d int }
	var ks []known
	res := AnalogyResult{}
	for _, q := range qs {
		a, ok1 := find(q.A)
		b, ok2 := find(q.B)
		c, ok3 := find(q.C)
		e, ok4 := find(q.D)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			res.OOV++
			continue
		}
		ks = append(ks, known{a, b, c, e})
	}
	res.Answered = len(ks)
	const batch = 256
	query := make([]float64, batch*d)
	scores := make([]float64, batch*limit)
	for s := 0; s < len(ks); s += batch {
		n := min(batch, len(ks)-s)
		for r := 0; r < n; r++ {
			k := ks[s+r]
			q := query[r*d : (r+1)*d]
			for j := range q {
				q[j] = unit[k.b*d+j] - unit[k.a*d+j] + unit[k.c*d+j]
			}
		}
		blas64.Gemm(blas.NoTrans, blas.Trans, 1,
			blas64.General{Rows: n, Cols: d, Stride: d, Data: query},
			blas64.General{Rows: limit, Cols: d, Stride: d, Data: unit},
			0, blas64.General{Rows: n, Cols: limit, Stride: limit, Data: scores})
		for r := 0; r < n; r++ {
			k := ks[s+r]
			row := scores[r*limit : (r+1)*limit]
			best, bestS := -1, math.Inf(-1)
			for j, x := range row {
				if x > bestS && j != k.a && j != k.b && j != k.c {
					best, bestS = j, x
				}
			}
			if best == k.d {
				res.Correct++
			}
		}
	}
	res.Accuracy = math.NaN()
	if res.Answered > 0 {
		res.Accuracy = float64(res.Correct) / float64(res.Answered)
	}
	return res
}
