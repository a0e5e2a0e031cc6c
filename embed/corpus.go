package embed

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/internal/linescan"
)

// Corpus is a tokenized text read once into word ids: one sentence per input line,
// tokens separated by white space. Words are numbered by decreasing count (ties in
// order of first appearance), so the words kept by a minimum count are a prefix of
// the vocabulary.
type Corpus struct {
	words  []string
	counts []int64
	ids    []int32 // every token of every sentence
	starts []int   // sentence s is ids[starts[s]:starts[s+1]]
}

// ReadCorpus reads the sentences of every reader in turn (one sentence a line).
// Lines may be up to linescan.DefaultMaxLine bytes (1 MiB) long (ReadCorpusMax
// for longer ones); a longer line is a *nlp.ParseError wrapping
// nlp.ErrLineTooLong. A line that is not valid UTF-8 or holds a NUL byte is an
// error (a *nlp.ParseError wrapping nlp.ErrInvalidUTF8 or nlp.ErrNUL, the one
// text policy of every reader), rather than words that no vectors file should
// hold.
func ReadCorpus(rs ...io.Reader) (*Corpus, error) { return ReadCorpusMax(0, rs...) }

// ReadCorpusMax is ReadCorpus accepting lines of up to maxLine bytes (0: 1 MiB;
// at most linescan.MaxLineLimit, 64 MiB).
func ReadCorpusMax(maxLine int, rs ...io.Reader) (*Corpus, error) {
	tmp := make(map[string]int32)
	var (
		words  []string
		counts []int64
		ids    []int32
		starts = []int{0}
	)
	for k, r := range rs {
		sc := linescan.New(r, maxLine)
		for sc.Scan() {
			b := sc.Bytes()
			n := len(ids)
			for len(b) > 0 {
				i := bytes.IndexFunc(b, notSpace)
				if i < 0 {
					break
				}
				b = b[i:]
				j := bytes.IndexFunc(b, isSpace)
				if j < 0 {
					j = len(b)
				}
				tok := b[:j]
				b = b[j:]
				id, ok := tmp[string(tok)]
				if !ok {
					id = int32(len(words))
					w := string(tok)
					tmp[w] = id
					words = append(words, w)
					counts = append(counts, 0)
				}
				counts[id]++
				ids = append(ids, id)
			}
			if len(ids) > n {
				starts = append(starts, len(ids))
			}
		}
		if err := sc.Err(); err != nil {
			// An *os.File knows its path: the error then names the file, as
			// the readers that open files by path do.
			var pe *nlp.ParseError
			if f, ok := r.(interface{ Name() string }); ok && errors.As(err, &pe) && pe.File == "" {
				pe.File = f.Name()
			}
			return nil, fmt.Errorf("embed: corpus %d: %w", k+1, err)
		}
	}
	// Renumber by decreasing count, stable in order of first appearance.
	order := make([]int32, len(words))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		switch {
		case counts[a] > counts[b]:
			return -1
		case counts[a] < counts[b]:
			return 1
		}
		return 0
	})
	remap := make([]int32, len(words))
	c := &Corpus{words: make([]string, len(words)), counts: make([]int64, len(words)), ids: ids, starts: starts}
	for newID, old := range order {
		remap[old] = int32(newID)
		c.words[newID] = words[old]
		c.counts[newID] = counts[old]
	}
	for i, id := range ids {
		ids[i] = remap[id]
	}
	return c, nil
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x85, 0xA0:
		return true
	}
	return r == 0x2028 || r == 0x2029 || r == 0x3000 || r == 0x1680 || (r >= 0x2000 && r <= 0x200a) || r == 0x202f || r == 0x205f
}

func notSpace(r rune) bool { return !isSpace(r) }

// Tokens returns the number of tokens read.
func (c *Corpus) Tokens() int { return len(c.ids) }

// Sentences returns the number of non-empty lines read.
func (c *Corpus) Sentences() int { return len(c.starts) - 1 }

// VocabSize returns the number of distinct words with at least minCount occurrences.
func (c *Corpus) VocabSize(minCount int) int {
	minCount = max(minCount, 1)
	// counts decrease: the kept words are a prefix.
	n, _ := slices.BinarySearchFunc(c.counts, int64(minCount), func(have, want int64) int {
		if have >= want {
			return -1
		}
		return 1
	})
	return n
}

// Word returns the word of id i (ids count from the most frequent word).
func (c *Corpus) Word(i int) string { return c.words[i] }

// Count returns how many times the word of id i occurs.
func (c *Corpus) Count(i int) int64 { return c.counts[i] }

// restrict returns the sentences with the words of id ≥ v removed (empty sentences
// dropped), as a flat id slice and sentence starts.
func (c *Corpus) restrict(v int) (ids []int32, starts []int) {
	ids = make([]int32, 0, len(c.ids))
	starts = append(make([]int, 0, len(c.starts)), 0)
	for s := 0; s+1 < len(c.starts); s++ {
		n := len(ids)
		for _, id := range c.ids[c.starts[s]:c.starts[s+1]] {
			if int(id) < v {
				ids = append(ids, id)
			}
		}
		if len(ids) > n {
			starts = append(starts, len(ids))
		}
	}
	return ids, starts
}
