package datasets

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nlp-go/nlp"
)

func TestVocab(t *testing.T) {
	var c Counter
	c.Add(strings.Fields("the cat the dog the cat a rare")...)
	tests := []struct {
		name  string
		cfg   VocabConfig
		words []string
		unk   int64
	}{
		{"all", VocabConfig{}, []string{"<unk>", "the", "cat", "a", "dog", "rare"}, 0},
		{"min count 2", VocabConfig{MinCount: 2}, []string{"<unk>", "the", "cat"}, 3},
		{"max size 1", VocabConfig{MaxSize: 1, Unknown: "UNK"}, []string{"UNK", "the"}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := c.Vocab(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(v.Words(), tt.words) {
				t.Errorf("words = %q, want %q", v.Words(), tt.words)
			}
			if v.Count(v.Unknown()) != tt.unk {
				t.Errorf("unknown count = %d, want %d", v.Count(0), tt.unk)
			}
			if v.ID("zebra") != v.Unknown() {
				t.Error("OOV word not mapped to the unknown ID")
			}
			if _, ok := v.Lookup(v.Word(0)); ok {
				t.Error("the unknown word itself is reported as known")
			}
		})
	}
	if _, err := c.Vocab(VocabConfig{MinCount: -1}); !errors.Is(err, nlp.ErrConfig) {
		t.Errorf("err = %v", err)
	}
}

func TestVocabIDsAndSaveLoad(t *testing.T) {
	var c Counter
	c.Add(strings.Fields("b a b c b a")...)
	v, _ := c.Vocab(VocabConfig{MinCount: 2})
	ids, oov := v.AppendIDs(nil, []string{"a", "b", "z", "c"})
	if !reflect.DeepEqual(ids, []int{2, 1, 0, 0}) || oov != 2 {
		t.Errorf("ids %v oov %d", ids, oov)
	}
	path := filepath.Join(t.TempDir(), "v.tsv")
	if err := v.Save(path); err != nil {
		t.Fatal(err)
	}
	w, err := LoadVocab(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(w.Words(), v.Words()) || w.Count(1) != 3 || w.Count(0) != 1 {
		t.Errorf("loaded %q counts %d %d", w.Words(), w.Count(0), w.Count(1))
	}
	// A plain word list reads too; bad counts and duplicates do not.
	if w, err := ReadVocab(strings.NewReader("<unk>\nthe\ncat 4\n")); err != nil || w.Len() != 3 || w.Count(2) != 4 {
		t.Errorf("word list: %v %v", w, err)
	}
	// So does a word2vec text vectors file.
	if w, err := ReadVocab(strings.NewReader("2 3\nthe 0.1 0.2 0.3\ncat 1 2 3\n")); err != nil || w.Len() != 3 || w.ID("cat") != 2 {
		t.Errorf("vectors file: %v %v", w, err)
	}
	for _, bad := range []string{"", "<unk>\nthe\tx\n", "<unk>\nthe\nthe\n"} {
		if _, err := ReadVocab(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	var buf bytes.Buffer
	v.WriteTo(&buf)
	if buf.String() != "<unk>\t1\nb\t3\na\t2\n" {
		t.Errorf("file = %q", buf.String())
	}
}

func TestBatcher(t *testing.T) {
	lengths := make([]int, 1000)
	for i := range lengths {
		lengths[i] = 1 + (i*7919)%60
	}
	b, err := NewBatcher(lengths, BatchConfig{BatchSize: 16, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	e0 := b.Epoch(0)
	seen := make([]int, len(lengths))
	spread := 0
	for _, bt := range e0 {
		lo, hi := 1<<30, 0
		for _, i := range bt {
			seen[i]++
			lo, hi = min(lo, lengths[i]), max(hi, lengths[i])
		}
		spread += hi - lo
	}
	for i, n := range seen {
		if n != 1 {
			t.Fatalf("sentence %d in %d batches", i, n)
		}
	}
	if avg := float64(spread) / float64(len(e0)); avg > 3 {
		t.Errorf("average length spread in a batch = %.1f, want small", avg)
	}
	if !reflect.DeepEqual(e0, b.Epoch(0)) {
		t.Error("same seed and epoch, different batches")
	}
	if reflect.DeepEqual(e0, b.Epoch(1)) {
		t.Error("epochs 0 and 1 identical")
	}
	b2, _ := NewBatcher(lengths, BatchConfig{BatchSize: 16, Seed: 4})
	if reflect.DeepEqual(e0, b2.Epoch(0)) {
		t.Error("seeds 3 and 4 identical")
	}
	d, _ := NewBatcher(lengths, BatchConfig{BatchSize: 16, DropLast: true})
	for _, bt := range d.Epoch(0) {
		if len(bt) != 16 {
			t.Fatalf("DropLast kept a batch of %d", len(bt))
		}
	}
	if _, err := NewBatcher(lengths, BatchConfig{BatchSize: -1}); !errors.Is(err, nlp.ErrConfig) {
		t.Errorf("err = %v", err)
	}
}

// TestReadVocabFormat: a file that starts like word2vec vectors must continue
// like them; a binary vectors file or a text one with bad lines is an error at
// the line, not a vocabulary of garbage (issue 17, item 7).
func TestReadVocabFormat(t *testing.T) {
	v, err := ReadVocab(strings.NewReader("2 2\nthe 0.1 -2e-3\ncat\t1 2\n"))
	if err != nil || v.Len() != 3 {
		t.Fatalf("text vectors: %v, %v", v, err)
	}
	raw := make([]byte, 8)
	binary.LittleEndian.PutUint32(raw, math.Float32bits(0.5))
	binary.LittleEndian.PutUint32(raw[4:], math.Float32bits(1))
	for _, tc := range []struct {
		name, in string
		line     int
		is       error
	}{
		{"binary vectors", "2 2\nthe " + string(raw) + "\ncat " + string(raw) + "\n", 2, nil},
		{"missing values", "2 2\nthe 0.1 0.2\ncat 0.3\n", 3, ErrBadLine},
		{"not numbers", "2 2\nthe 0.1 0.2\ncat on mat\n", 3, ErrBadLine},
		{"NUL", "the 3\nca\x00t 2\n", 2, nlp.ErrNUL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadVocab(strings.NewReader(tc.in))
			var pe *nlp.ParseError
			if !errors.As(err, &pe) || pe.Line != tc.line || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Errorf("err = %v, want a ParseError at line %d wrapping %v", err, tc.line, tc.is)
			}
		})
	}
}
