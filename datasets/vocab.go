package datasets

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/internal/fileutil"
	"github.com/nlp-go/nlp/internal/linescan"
)

// DefaultUnknown is the word that stands for every out-of-vocabulary token.
const DefaultUnknown = "<unk>"

// VocabConfig sets how a Counter becomes a Vocab.
type VocabConfig struct {
	// MinCount drops words seen fewer times; 0 means 1 (keep every word).
	MinCount int64
	// MaxSize keeps at most this many words besides the unknown word, the most
	// frequent ones; 0 means no limit.
	MaxSize int
	// Unknown is the unknown word, ID 0; "" means DefaultUnknown.
	Unknown string
}

// Validate reports the first invalid field, in the order VocabConfig declares
// them, as an error wrapping nlp.ErrConfig.
func (c VocabConfig) Validate() error {
	switch {
	case c.MinCount < 0:
		return nlp.ConfigError("datasets", "VocabConfig.MinCount", "%d, want ≥ 0", c.MinCount)
	case c.MaxSize < 0:
		return nlp.ConfigError("datasets", "VocabConfig.MaxSize", "%d, want ≥ 0", c.MaxSize)
	}
	return nil
}

// Counter counts words; the zero value is ready to use.
type Counter struct {
	counts map[string]int64
	total  int64
}

// Add counts each word once.
func (c *Counter) Add(words ...string) {
	if c.counts == nil {
		c.counts = make(map[string]int64)
	}
	for _, w := range words {
		c.counts[w]++
	}
	c.total += int64(len(words))
}

// Total returns the number of words counted.
func (c *Counter) Total() int64 { return c.total }

// Len returns the number of distinct words counted.
func (c *Counter) Len() int { return len(c.counts) }

// Count returns the number of times w was counted.
func (c *Counter) Count(w string) int64 { return c.counts[w] }

// Sorted returns the distinct words by decreasing count, ties in byte order
// of the word: the one order of every count-ordered vocabulary of the module,
// deterministic whatever the map's order.
func (c *Counter) Sorted() []string {
	words := make([]string, 0, len(c.counts))
	for w := range c.counts {
		words = append(words, w)
	}
	slices.SortFunc(words, func(a, b string) int {
		if c.counts[a] != c.counts[b] {
			return cmp.Compare(c.counts[b], c.counts[a])
		}
		return strings.Compare(a, b)
	})
	return words
}

// Vocab builds the vocabulary: ID 0 is the unknown word, whose count is the sum of
// the dropped words' counts; the kept words follow by decreasing count, ties in
// byte order of the word, so the result is deterministic.
func (c *Counter) Vocab(cfg VocabConfig) (*Vocab, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	minCount := max(cfg.MinCount, 1)
	unk := cfg.Unknown
	if unk == "" {
		unk = DefaultUnknown
	}
	var kept []string
	var dropped int64
	for _, w := range c.Sorted() {
		if n := c.counts[w]; n >= minCount && w != unk && (cfg.MaxSize == 0 || len(kept) < cfg.MaxSize) {
			kept = append(kept, w)
		} else {
			dropped += n
		}
	}
	v := newVocab(unk, len(kept)+1)
	v.counts[0] = dropped
	for _, w := range kept {
		v.add(w, c.counts[w])
	}
	return v, nil
}

// Vocab maps words to dense IDs and back. ID 0 is the unknown word; the others are
// in decreasing order of count. A Vocab is safe for concurrent reads.
type Vocab struct {
	words  []string
	counts []int64
	index  map[string]int
}

func newVocab(unk string, capacity int) *Vocab {
	v := &Vocab{words: make([]string, 0, capacity), counts: make([]int64, 0, capacity), index: make(map[string]int, capacity)}
	v.add(unk, 0)
	return v
}

func (v *Vocab) add(w string, c int64) {
	v.index[w] = len(v.words)
	v.words = append(v.words, w)
	v.counts = append(v.counts, c)
}

// Len returns the number of IDs, the unknown word included.
func (v *Vocab) Len() int { return len(v.words) }

// Unknown returns the ID of the unknown word (always 0).
func (v *Vocab) Unknown() int { return 0 }

// ID returns the ID of w, or the unknown ID when w is not in the vocabulary.
func (v *Vocab) ID(w string) int {
	if id, ok := v.index[w]; ok {
		return id
	}
	return 0
}

// Lookup returns the ID of w and whether w is in the vocabulary (the unknown word
// itself is not).
func (v *Vocab) Lookup(w string) (int, bool) {
	id, ok := v.index[w]
	return id, ok && id != 0
}

// Word returns the word of id; it panics if id is out of range.
func (v *Vocab) Word(id int) string { return v.words[id] }

// Count returns the training count of id (for ID 0, the total of dropped words).
func (v *Vocab) Count(id int) int64 { return v.counts[id] }

// Words returns the words in ID order; the slice must not be modified.
func (v *Vocab) Words() []string { return v.words }

// AppendIDs appends the IDs of words to dst and returns it, with the number of
// unknown words among them.
func (v *Vocab) AppendIDs(dst []int, words []string) ([]int, int) {
	oov := 0
	for _, w := range words {
		id, ok := v.index[w]
		if !ok || id == 0 {
			oov++
			id = 0
		}
		dst = append(dst, id)
	}
	return dst, oov
}

// WriteTo writes the vocabulary as text: one "word<TAB>count" line per ID, the
// unknown word first.
func (v *Vocab) WriteTo(w io.Writer) (int64, error) {
	bw := bufio.NewWriter(w)
	var n int64
	for i, word := range v.words {
		k, err := fmt.Fprintf(bw, "%s\t%d\n", word, v.counts[i])
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
	return n, bw.Flush()
}

// Save writes the vocabulary to path through a temporary file and a rename.
func (v *Vocab) Save(path string) error {
	return writeFileAtomic(context.Background(), path, func(w io.Writer) error {
		if _, err := v.WriteTo(w); err != nil {
			return fmt.Errorf("datasets: save vocab %q: %w", path, err)
		}
		return nil
	})
}

// ErrDuplicateWord is returned when a vocabulary file lists a word twice.
var ErrDuplicateWord = errors.New("duplicate word")

// ReadVocab reads a vocabulary written by WriteTo. Its first line is the unknown
// word. Lines may also be a bare word (count 0) or "word count" separated by a space,
// so a plain word list reads too. A word2vec text vectors file (a "COUNT DIM" header,
// then "word v1 ... vDIM" lines) reads as the vocabulary of its words, in file order,
// after DefaultUnknown.
func ReadVocab(r io.Reader) (*Vocab, error) {
	sc := linescan.New(r, 1<<20)
	var v *Vocab
	for sc.Scan() {
		text := strings.TrimRight(sc.Text(), "\r")
		if text == "" {
			continue
		}
		if v == nil && isVectorsHeader(text) {
			_, dim, _ := strings.Cut(strings.TrimSpace(text), " ")
			n, _ := strconv.Atoi(strings.TrimSpace(dim))
			return readVectorsVocab(sc, n)
		}
		word, count := text, int64(0)
		sep := strings.LastIndexByte(text, '\t')
		if sep < 0 {
			sep = strings.LastIndexByte(text, ' ')
		}
		if sep > 0 {
			c, err := strconv.ParseInt(text[sep+1:], 10, 64)
			if err != nil || c < 0 {
				return nil, sc.ErrAt(sep+2, ErrBadToken, "want a count, got %q", linescan.Clip(text[sep+1:]))
			}
			word, count = text[:sep], c
		}
		if v == nil {
			v = newVocab(word, 1024)
			v.counts[0] = count
			continue
		}
		if _, dup := v.index[word]; dup {
			return nil, sc.ErrAt(1, ErrDuplicateWord, "%q", linescan.Clip(word))
		}
		v.add(word, count)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if v == nil {
		return nil, parseErr(1, 0, 0, ErrBadLine, "empty vocabulary: want the unknown word on the first line")
	}
	return v, nil
}

// LoadVocab reads a vocabulary file written by Save.
func LoadVocab(path string) (*Vocab, error) {
	f, err := fileutil.Open(path)
	if err != nil {
		return nil, fmt.Errorf("datasets: load vocab: %w", err)
	}
	defer f.Close()
	v, err := ReadVocab(f)
	if err != nil {
		return nil, fmt.Errorf("datasets: load vocab %q: %w", path, err)
	}
	return v, nil
}

// isVectorsHeader reports a word2vec text header: two positive integers.
func isVectorsHeader(line string) bool {
	f := strings.Fields(line)
	if len(f) != 2 {
		return false
	}
	for _, x := range f {
		if n, err := strconv.Atoi(x); err != nil || n <= 0 {
			return false
		}
	}
	return true
}

// readVectorsVocab reads the words of a word2vec text file after its header,
// checking that each line is a word and dim numbers: a binary vectors file
// (its header is the same) or any other file that merely starts with two
// numbers is an error at its first bad line, not a vocabulary of garbage.
// The scanner has already refused invalid UTF-8 and NUL bytes, which is what
// most binary vectors hit first.
func readVectorsVocab(sc *linescan.Scanner, dim int) (*Vocab, error) {
	v := newVocab(DefaultUnknown, 1024)
	for sc.Scan() {
		// ASCII white space only, as word2vec splits: a word may hold any other byte.
		f := strings.FieldsFunc(sc.Text(), func(r rune) bool { return r < utf8.RuneSelf && unicode.IsSpace(r) })
		if len(f) == 0 {
			continue
		}
		if len(f) != dim+1 {
			return nil, sc.ErrAt(0, ErrBadLine, "want a word and %d numbers (a word2vec text vectors line), got %d fields", dim, len(f))
		}
		for _, x := range f[1:] {
			if _, err := strconv.ParseFloat(x, 64); err != nil {
				return nil, sc.ErrAt(0, ErrBadLine, "want a word and %d numbers (a word2vec text vectors line), got %q", dim, linescan.Clip(x))
			}
		}
		word := f[0]
		if _, dup := v.index[word]; dup {
			continue // a vectors file may repeat the unknown word
		}
		v.add(word, 0)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return v, nil
}
