package subword

import (
	"cmp"
	"container/heap"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/nlp-go/nlp/internal/linescan"
)

const (
	// MaxMerges is the largest number of merges Learn accepts and a model file
	// may hold: subword vocabularies of translation systems have 10,000 to
	// 100,000 units, and the bound keeps a corrupt file from taking unbounded
	// memory.
	MaxMerges = 1 << 20

	// MaxWordLen is the length in characters (runes) beyond which a word is not
	// merged: Learn leaves it out and Segment splits it into single characters.
	// Segmenting a word costs time quadratic in its length; words this long are
	// URLs, numbers or noise rather than language, and as characters they stay
	// readable by the model (every character seen in training is a known unit),
	// where leaving them whole would make each an unknown word.
	MaxWordLen = 100

	// MinPairCount is the least number of occurrences for a pair to be merged,
	// as subword-nmt's default: a pair seen once in the training words teaches
	// nothing about other words, so Learn stops before merging such pairs.
	MinPairCount = 2

	// CacheSize is the number of words whose segmentation a BPE remembers;
	// when the cache is full it is emptied, so memory stays bounded on a stream
	// of ever new words while the frequent words are back in it at once.
	CacheSize = 1 << 16

	// EndOfWord marks, in the model file, the symbol that ends a word.
	EndOfWord = "</w>"

	// Separator ends every piece of a segmented word but the last.
	Separator = "@@"
)

// ErrWord is wrapped by Learn's error for a word it cannot learn from.
var ErrWord = errors.New("subword: bad word")

// symbol is a unit of a word: its text and whether it ends the word. The flag
// is kept apart from the text, so that a word that contains "</w>" is not
// mistaken for one that ends.
type symbol struct {
	text  string
	final bool
}

// name is the symbol as written in the model file.
func (s symbol) name() string {
	if s.final {
		return s.text + EndOfWord
	}
	return s.text
}

// pair is two adjacent symbols, by id.
type pair struct{ a, b int32 }

// merged is what a merge rule gives: its rank (0 for the first learnt) and
// the id of the merged symbol.
type merged struct{ rank, id int32 }

// BPE is a learnt byte-pair encoding: an ordered list of merges. Segment is
// safe for concurrent use.
type BPE struct {
	syms  []symbol
	ids   map[symbol]int32
	rules []pair          // in the order learnt
	ranks map[pair]merged // rules by pair

	mu    sync.Mutex
	cache map[string][]string
}

func newBPE() *BPE {
	return &BPE{ids: map[symbol]int32{}, ranks: map[pair]merged{}, cache: map[string][]string{}}
}

// id returns the id of s, adding it when it is new.
func (m *BPE) id(s symbol) int32 {
	if id, ok := m.ids[s]; ok {
		return id
	}
	id := int32(len(m.syms))
	m.syms = append(m.syms, s)
	m.ids[s] = id
	return id
}

// addRule appends the merge of p and returns the merged symbol's id.
func (m *BPE) addRule(p pair) int32 {
	a, b := m.syms[p.a], m.syms[p.b]
	id := m.id(symbol{a.text + b.text, b.final})
	m.ranks[p] = merged{int32(len(m.rules)), id}
	m.rules = append(m.rules, p)
	return id
}

// Len returns the number of merges.
func (m *BPE) Len() int { return len(m.rules) }

// Merges returns the merges in the order they apply, each as its two symbols
// written as in the model file ("e", "r</w>").
func (m *BPE) Merges() [][2]string {
	out := make([][2]string, len(m.rules))
	for i, p := range m.rules {
		out[i] = [2]string{m.syms[p.a].name(), m.syms[p.b].name()}
	}
	return out
}

// checkWord reports why a word cannot be learnt from, or nil: it must be
// valid UTF-8 text without NUL bytes or white space, which could not be
// written to the model file one merge a line.
func checkWord(w string) error {
	if col, err := linescan.Check([]byte(w)); err != nil {
		return fmt.Errorf("%w %q: %w at byte %d", ErrWord, linescan.Clip(w), err, col)
	}
	if strings.IndexFunc(w, unicode.IsSpace) >= 0 {
		return fmt.Errorf("%w %q: white space in a word", ErrWord, linescan.Clip(w))
	}
	return nil
}

// Learn learns up to merges merge rules from a table of word counts (words
// as they will be segmented, usually the tokens of the training side of a
// corpus). It stops early when no pair occurs MinPairCount times. Words with a
// count of 0, of more than MaxWordLen characters or that contain EndOfWord
// (which would make the model file ambiguous) are left out; a negative
// count, or a word that holds white space or is not valid UTF-8, is an error.
//
// The most frequent pair is merged first; among pairs as frequent, the one
// whose two symbols, as written in the model file, sort last (byte-wise, the
// first symbol then the second), the rule of subword-nmt's learn_bpe (a max
// over (count, pair); byte order of UTF-8 is Python's code-point order).
//
// Pair counts are kept up to date incrementally: a merge revisits only the
// words that hold its pair (found through an index from pair to words), and
// a heap gives the next most frequent pair.
func Learn(counts map[string]int, merges int) (*BPE, error) {
	if merges < 0 || merges > MaxMerges {
		return nil, fmt.Errorf("subword: %d merges, want 0..%d", merges, MaxMerges)
	}
	words := slices.Sorted(maps.Keys(counts)) // a fixed order: ids do not depend on map order
	l := &learner{bpe: newBPE(), stats: map[pair]int64{}, where: map[pair][]int32{}, delta: map[pair]int64{}}
	for _, w := range words {
		c := counts[w]
		if c < 0 {
			return nil, fmt.Errorf("%w %q: count %d", ErrWord, linescan.Clip(w), c)
		}
		if err := checkWord(w); err != nil {
			return nil, err
		}
		if c == 0 || w == "" || utf8.RuneCountInString(w) > MaxWordLen || strings.Contains(w, EndOfWord) {
			continue
		}
		l.addWord(w, int64(c))
	}
	for p, c := range l.stats {
		l.heap.items = append(l.heap.items, entry{c, p})
	}
	l.heapInit()
	for l.bpe.Len() < merges {
		p, ok := l.best()
		if !ok {
			break
		}
		l.merge(p)
	}
	return l.bpe, nil
}

// learner holds Learn's state: the words as symbol ids, the pair counts, the
// index from pair to the words that hold it, and a heap of pairs by count.
type learner struct {
	bpe   *BPE
	words [][]int32
	freq  []int64
	stamp []int // the merge that last visited each word, against duplicates in where
	stats map[pair]int64
	where map[pair][]int32 // may list a word that no longer holds the pair, or twice
	delta map[pair]int64   // count changes of the current merge
	heap  pairHeap         // its names are set before each use: the symbols grow
}

func (l *learner) addWord(w string, c int64) {
	ids := make([]int32, 0, len(w))
	for i, r := range w {
		n := utf8.RuneLen(r)
		ids = append(ids, l.bpe.id(symbol{w[i : i+n], i+n == len(w)}))
	}
	idx := int32(len(l.words))
	l.words = append(l.words, ids)
	l.freq = append(l.freq, c)
	l.stamp = append(l.stamp, -1)
	for i := 0; i+1 < len(ids); i++ {
		p := pair{ids[i], ids[i+1]}
		l.stats[p] += c
		if ws := l.where[p]; len(ws) == 0 || ws[len(ws)-1] != idx {
			l.where[p] = append(ws, idx)
		}
	}
}

// best pops the most frequent pair, skipping heap entries whose count is out
// of date (a pair whose count changed was pushed again with the new count).
func (l *learner) best() (pair, bool) {
	l.heap.names = l.bpe.syms
	for l.heap.Len() > 0 {
		e := heap.Pop(&l.heap).(entry)
		if l.stats[e.p] != e.count {
			continue
		}
		if e.count < MinPairCount {
			return pair{}, false
		}
		return e.p, true
	}
	return pair{}, false
}

// merge adds the rule for p and rewrites the words that hold p, updating the
// counts of the pairs around each merged occurrence.
func (l *learner) merge(p pair) {
	iter := l.bpe.Len()
	m := l.bpe.addRule(p)
	clear(l.delta)
	for _, w := range l.where[p] {
		if l.stamp[w] == iter {
			continue
		}
		l.stamp[w] = iter
		syms, f := l.words[w], l.freq[w]
		if !hasPair(syms, p) {
			continue
		}
		for i := 0; i+1 < len(syms); i++ {
			l.delta[pair{syms[i], syms[i+1]}] -= f
		}
		j := 0
		for i := 0; i < len(syms); j++ {
			if i+1 < len(syms) && syms[i] == p.a && syms[i+1] == p.b {
				syms[j] = m
				i += 2
			} else {
				syms[j] = syms[i]
				i++
			}
		}
		syms = syms[:j]
		l.words[w] = syms
		for i := 0; i+1 < len(syms); i++ {
			q := pair{syms[i], syms[i+1]}
			l.delta[q] += f
			if q.a == m || q.b == m {
				if ws := l.where[q]; len(ws) == 0 || ws[len(ws)-1] != w {
					l.where[q] = append(ws, w)
				}
			}
		}
	}
	delete(l.where, p)
	l.heap.names = l.bpe.syms
	for q, d := range l.delta {
		if d == 0 {
			continue
		}
		c := l.stats[q] + d
		if c <= 0 {
			delete(l.stats, q)
			continue
		}
		l.stats[q] = c
		if c >= MinPairCount {
			heap.Push(&l.heap, entry{c, q})
		}
	}
	// Out-of-date entries pile up; rebuild the heap when they are most of it.
	if l.heap.Len() > 4*len(l.stats)+1024 {
		l.heap.items = l.heap.items[:0]
		for q, c := range l.stats {
			l.heap.items = append(l.heap.items, entry{c, q})
		}
		l.heapInit()
	}
}

func (l *learner) heapInit() {
	l.heap.names = l.bpe.syms
	heap.Init(&l.heap)
}

func hasPair(syms []int32, p pair) bool {
	for i := 0; i+1 < len(syms); i++ {
		if syms[i] == p.a && syms[i+1] == p.b {
			return true
		}
	}
	return false
}

// entry is a pair and its count when it was pushed.
type entry struct {
	count int64
	p     pair
}

// pairHeap orders entries most frequent first, ties broken as Learn says.
type pairHeap struct {
	items []entry
	names []symbol // the symbols, for ties
}

func (h *pairHeap) Len() int { return len(h.items) }
func (h *pairHeap) Less(i, j int) bool {
	x, y := h.items[i], h.items[j]
	if x.count != y.count {
		return x.count > y.count
	}
	return h.comparePairs(x.p, y.p) > 0
}
func (h *pairHeap) Swap(i, j int) { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *pairHeap) Push(x any)    { h.items = append(h.items, x.(entry)) }
func (h *pairHeap) Pop() any {
	e := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return e
}

// comparePairs compares two pairs by their symbols as written in the file.
func (h *pairHeap) comparePairs(p, q pair) int {
	if c := compareNames(h.names[p.a], h.names[q.a]); c != 0 {
		return c
	}
	return compareNames(h.names[p.b], h.names[q.b])
}

// compareNames compares s.name() and t.name() without building them.
func compareNames(s, t symbol) int {
	if s == t {
		return 0
	}
	n := min(len(s.text), len(t.text))
	if c := strings.Compare(s.text[:n], t.text[:n]); c != 0 {
		return c
	}
	// One text is a prefix of the other: compare what follows it.
	rest := func(x symbol) string {
		r := x.text[n:]
		if x.final {
			r += EndOfWord
		}
		return r
	}
	return cmp.Compare(rest(s), rest(t))
}
