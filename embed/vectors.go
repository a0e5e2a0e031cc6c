package embed

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"
)

// ErrUnknownWord is returned (wrapped) by queries about a word that has no vector.
var ErrUnknownWord = errors.New("embed: unknown word")

// Vectors is a vocabulary with one dense float32 vector per word, stored row-major.
// Words are kept in the order they were given (files written by word2vec, gensim and
// this package list the most frequent words first, which the top-N restrictions rely on).
//
// Build it with NewVectors or a reader; treat it as immutable afterwards, which makes
// every query method safe for concurrent use.
type Vectors struct {
	words []string
	dim   int
	data  []float32
	index map[string]int

	normOnce sync.Once
	norms    []float32 // Euclidean norm of each row, computed on first query
}

// NewVectors returns vectors for words, whose i-th vector is data[i*dim:(i+1)*dim].
// It fails if the lengths disagree or a word is empty, repeated or contains white space.
// The slices are used, not copied.
func NewVectors(words []string, dim int, data []float32) (*Vectors, error) {
	if dim <= 0 {
		return nil, fmt.Errorf("embed: dimension %d, want > 0", dim)
	}
	if len(data) != len(words)*dim {
		return nil, fmt.Errorf("embed: %d values for %d words of dimension %d", len(data), len(words), dim)
	}
	index := make(map[string]int, len(words))
	for i, w := range words {
		if err := checkWord(w); err != nil {
			return nil, fmt.Errorf("embed: word %d: %w", i, err)
		}
		if j, dup := index[w]; dup {
			return nil, fmt.Errorf("embed: word %q at %d repeats word %d", w, i, j)
		}
		index[w] = i
	}
	return &Vectors{words: words, dim: dim, data: data, index: index}, nil
}

// checkWord rejects words that the word2vec formats cannot represent.
func checkWord(w string) error {
	if w == "" {
		return errors.New("empty word")
	}
	for i := 0; i < len(w); i++ {
		switch w[i] {
		case ' ', '\t', '\n', '\r', '\v', '\f':
			return fmt.Errorf("word %q contains white space", w)
		}
	}
	return nil
}

// Len returns the number of words.
func (v *Vectors) Len() int { return len(v.words) }

// Dim returns the dimension of the vectors.
func (v *Vectors) Dim() int { return v.dim }

// Words returns the vocabulary in stored order; the caller must not modify it.
func (v *Vectors) Words() []string { return v.words }

// Word returns the i-th word.
func (v *Vectors) Word(i int) string { return v.words[i] }

// Index returns the row of word and whether it is known.
func (v *Vectors) Index(word string) (int, bool) {
	i, ok := v.index[word]
	return i, ok
}

// Row returns the vector of the i-th word, aliasing the storage: do not modify it.
func (v *Vectors) Row(i int) []float32 { return v.data[i*v.dim : (i+1)*v.dim : (i+1)*v.dim] }

// Vector returns the vector of word (aliasing the storage) and whether it is known.
func (v *Vectors) Vector(word string) ([]float32, bool) {
	i, ok := v.index[word]
	if !ok {
		return nil, false
	}
	return v.Row(i), true
}

// Data returns the whole row-major matrix, aliasing the storage.
func (v *Vectors) Data() []float32 { return v.data }

func (v *Vectors) rowNorms() []float32 {
	v.normOnce.Do(func() {
		v.norms = make([]float32, len(v.words))
		for i := range v.norms {
			v.norms[i] = float32(math.Sqrt(float64(dot32(v.Row(i), v.Row(i)))))
		}
	})
	return v.norms
}

// Similarity returns the cosine similarity of two words.
func (v *Vectors) Similarity(a, b string) (float64, error) {
	i, ok := v.index[a]
	if !ok {
		return 0, fmt.Errorf("%w %q", ErrUnknownWord, a)
	}
	j, ok := v.index[b]
	if !ok {
		return 0, fmt.Errorf("%w %q", ErrUnknownWord, b)
	}
	n := v.rowNorms()
	if n[i] == 0 || n[j] == 0 {
		return 0, nil
	}
	return float64(dot32(v.Row(i), v.Row(j))) / (float64(n[i]) * float64(n[j])), nil
}

// Neighbor is a word and its cosine similarity to a query.
type Neighbor struct {
	Word       string
	Similarity float64
}

// Nearest returns the n words most similar to word by cosine, best first, word excluded.
func (v *Vectors) Nearest(word string, n int) ([]Neighbor, error) {
	q, ok := v.Vector(word)
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownWord, word)
	}
	return v.NearestTo(q, n, 0, word), nil
}

// Analogy answers "a is to b as c is to ?" by 3CosAdd: the words x maximising
// cos(x, b) − cos(x, a) + cos(x, c), that is cos(x, b̂ − â + ĉ) with unit vectors,
// searched among the first limit words (0: all), a, b and c excluded. It returns the
// n best, best first.
func (v *Vectors) Analogy(a, b, c string, n, limit int) ([]Neighbor, error) {
	q := make([]float32, v.dim)
	for _, t := range []struct {
		w string
		s float32
	}{{a, -1}, {b, 1}, {c, 1}} {
		i, ok := v.index[t.w]
		if !ok {
			return nil, fmt.Errorf("%w %q", ErrUnknownWord, t.w)
		}
		nrm := v.rowNorms()[i]
		if nrm == 0 {
			continue
		}
		axpy32(t.s/nrm, v.Row(i), q)
	}
	return v.NearestTo(q, n, limit, a, b, c), nil
}

// NearestTo returns the n words whose vectors have the highest cosine with q, best
// first, among the first limit words (0 or more than Len: all), the words in exclude left out.
func (v *Vectors) NearestTo(q []float32, n, limit int, exclude ...string) []Neighbor {
	if len(q) != v.dim {
		panic(fmt.Sprintf("embed: query of dimension %d for vectors of dimension %d", len(q), v.dim))
	}
	if limit <= 0 || limit > len(v.words) {
		limit = len(v.words)
	}
	if n <= 0 {
		return nil
	}
	qn := math.Sqrt(float64(dot32(q, q)))
	if qn == 0 {
		qn = 1
	}
	norms := v.rowNorms()
	skip := make(map[int]bool, len(exclude))
	for _, w := range exclude {
		if i, ok := v.index[w]; ok {
			skip[i] = true
		}
	}
	// Keep the n best in a small sorted slice: n is small next to the vocabulary.
	best := make([]Neighbor, 0, n+1)
	for i := 0; i < limit; i++ {
		if skip[i] || norms[i] == 0 {
			continue
		}
		s := float64(dot32(q, v.Row(i))) / (qn * float64(norms[i]))
		if len(best) == n && s <= best[n-1].Similarity {
			continue
		}
		k := sort.Search(len(best), func(j int) bool { return best[j].Similarity < s })
		best = append(best, Neighbor{})
		copy(best[k+1:], best[k:])
		best[k] = Neighbor{Word: v.words[i], Similarity: s}
		if len(best) > n {
			best = best[:n]
		}
	}
	return best
}
