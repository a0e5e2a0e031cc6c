package translate

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nlp-go/nlp/train"
	"github.com/nlp-go/nlp/translate/bleu"
)

// reversal is a toy translation: every source word wI becomes vI and the
// order is reversed, so that the model must learn both a dictionary and,
// through the attention, where each output word comes from.
func reversal(rng *rand.Rand, n int) Parallel {
	var p Parallel
	for i := 0; i < n; i++ {
		k := 2 + rng.IntN(6)
		src, tgt := make([]string, k), make([]string, k)
		for j := range src {
			w := rng.IntN(12)
			src[j] = fmt.Sprintf("w%d", w)
			tgt[k-1-j] = fmt.Sprintf("v%d", w)
		}
		p.Src = append(p.Src, strings.Join(src, " "))
		p.Tgt = append(p.Tgt, strings.Join(tgt, " "))
	}
	return p
}

func toyConfig() Config {
	return Config{Emb: 16, Hidden: 24, Decoder: 32, Output: 16, Merges: -1, MinCount: 1, Dropout: -1,
		LR: 0.01, BatchSize: 32, Epochs: 12, MaxLength: 8, Seed: 1}
}

// TestLearnsReversal trains on the toy task through Train (the one training
// loop, text models, dev BLEU) and checks that greedy and beam search
// translate held-out sentences almost perfectly.
func TestLearnsReversal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	trainSet, dev := reversal(rng, 1500), reversal(rng, 100)
	m, rep, err := Train(context.Background(), toyConfig(), trainSet, dev)
	if err != nil {
		t.Fatal(err)
	}
	if rep.BestBLEU < 90 {
		t.Fatalf("dev BLEU %.2f after %d epochs, want ≥ 90", rep.BestBLEU, rep.Epochs)
	}
	for _, beam := range []int{1, 4} {
		tr, err := NewTranslator(m, DecodeOptions{Beam: beam})
		if err != nil {
			t.Fatal(err)
		}
		var acc bleu.Accumulator
		for i, h := range tr.Translate(dev.Src) {
			acc.Add(bleu.Tokenize(h), bleu.Tokenize(dev.Tgt[i]))
		}
		if s := acc.Score(); s.BLEU < 90 {
			t.Errorf("beam %d: BLEU %.2f, want ≥ 90", beam, s.BLEU)
		}
	}
	// A line far longer than any training sentence is translated in pieces
	// of at most MaxLength units (8 here): one line out, about as many words.
	words := make([]string, 1000)
	for i := range words {
		words[i] = fmt.Sprintf("w%d", i%12)
	}
	tr, _ := NewTranslator(m, DecodeOptions{Beam: 2})
	out := tr.Translate([]string{strings.Join(words, " "), ""})
	if n := len(strings.Fields(out[0])); len(out) != 2 || out[1] != "" || n < 900 || n > 1100 {
		t.Errorf("a line of 1000 words: %d lines, the first of %d words", len(out), n)
	}
}

// TestBeamBeatsGreedy checks the search itself on a model that has not
// learnt much: beam search never finds a hypothesis the model scores lower
// than the greedy one, and beam 1 is greedy decoding.
func TestBeamBeatsGreedy(t *testing.T) {
	cfg := toyConfig()
	cfg.Epochs = 1
	rng := rand.New(rand.NewPCG(2, 2))
	m, _, err := Train(context.Background(), cfg, reversal(rng, 200), Parallel{})
	if err != nil {
		t.Fatal(err)
	}
	m.SetTraining(false)
	src := reversal(rng, 30).Src
	var ids [][]int
	for _, s := range src {
		ids = append(ids, m.encodeSource(m.text.sourceUnits(s)))
	}
	greedy := m.decode(ids, search{beam: 1, alpha: 0})
	beam := m.decode(ids, search{beam: 5, alpha: 0})
	for i := range ids {
		if beam[i].closed && greedy[i].closed && beam[i].logp < greedy[i].logp-1e-9 {
			t.Errorf("sentence %d: beam log-probability %.6f below greedy %.6f", i, beam[i].logp, greedy[i].logp)
		}
		// The model's own score of the greedy output, teacher forced, is the
		// greedy search's.
		if greedy[i].closed {
			s, n := m.devLoss([]pair{{src: ids[i], tgt: greedy[i].ids}})
			if d := -s - greedy[i].logp; d > 1e-6 || d < -1e-6 || n != len(greedy[i].ids)+1 {
				t.Errorf("sentence %d: teacher-forced log-probability %.8f, search's %.8f", i, -s, greedy[i].logp)
			}
		}
	}
}

// TestSaveLoad checks that a saved and loaded model translates as the
// original does (its tables rounded to their storage precision first).
func TestSaveLoad(t *testing.T) {
	cfg := toyConfig()
	cfg.Epochs = 2
	rng := rand.New(rand.NewPCG(3, 3))
	m, _, err := Train(context.Background(), cfg, reversal(rng, 300), Parallel{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Params() {
		p.RoundToStorage()
	}
	path := filepath.Join(t.TempDir(), "m.model")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	l, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	src := reversal(rng, 20).Src
	a, _ := NewTranslator(m, DecodeOptions{Beam: 3})
	b, _ := NewTranslator(l, DecodeOptions{Beam: 3})
	if x, y := a.Translate(src), b.Translate(src); !slices.Equal(x, y) {
		t.Fatalf("loaded model translates differently:\n%q\n%q", x, y)
	}
}

// TestResumeExact interrupts a training after its first epoch and resumes
// it from the checkpoint: the weights must be those of an uninterrupted run.
func TestResumeExact(t *testing.T) {
	cfg := toyConfig()
	cfg.Epochs, cfg.Dropout = 2, 0.2
	rng := rand.New(rand.NewPCG(4, 4))
	data, dev := reversal(rng, 200), reversal(rng, 20)
	whole, _, err := Train(context.Background(), cfg, data, dev)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ckpt := filepath.Join(dir, "m.ckpt")
	first := cfg
	first.Epochs = 1
	if _, _, err := Train(context.Background(), first, data, dev, WithTraining(train.Options{Checkpoint: ckpt})); err != nil {
		t.Fatal(err)
	}
	resumed, _, err := Train(context.Background(), cfg, data, dev, WithTraining(train.Options{Checkpoint: ckpt, Resume: true}))
	if err != nil {
		t.Fatal(err)
	}
	wp := whole.Params()
	for i, p := range resumed.Params() {
		if !slices.Equal(p.Value, wp[i].Value) {
			t.Fatalf("%s differs after resuming", p.Name)
		}
	}
}

// TestExplain checks the attention matrix of a translation: a row per output
// unit, a column per source unit (</s> included), each row a distribution,
// and on the toy task each output word attends most to the word it
// translates.
func TestExplain(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	m, _, err := Train(context.Background(), toyConfig(), reversal(rng, 1500), reversal(rng, 100))
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := NewTranslator(m, DecodeOptions{Beam: 3})
	a := tr.Explain("w1 w2 w3 w4")
	if !slices.Equal(a.Source, []string{"w1", "w2", "w3", "w4", "</s>"}) || a.Translation != "V4 v3 v2 v1" {
		t.Fatalf("source %q, translation %q", a.Source, a.Translation)
	}
	if len(a.Weights) != len(a.Target) {
		t.Fatalf("%d rows for %d target units", len(a.Weights), len(a.Target))
	}
	for i, row := range a.Weights {
		sum := 0.0
		for _, v := range row {
			sum += v
		}
		if len(row) != len(a.Source) || sum < 1-1e-9 || sum > 1+1e-9 {
			t.Fatalf("row %d: %v", i, row)
		}
		// v4 comes from w4 (column 3), v3 from w3, …
		if best := slices.Index(row, slices.Max(row)); best != 3-i {
			t.Errorf("%s attends most to %s", a.Target[i], a.Source[best])
		}
	}
}
