package tagger

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/datasets/conllu"
	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/nn"
	"github.com/nlp-go/nlp/train"
	"github.com/nlpodyssey/safetensors"
)

// tiny is a configuration small enough to train in a second or two.
var tiny = Config{Hidden: 24, WordDim: 16, CharDim: 8, CharHidden: 12, Epochs: 6, Patience: 6, LR: 0.01, BatchSize: 16, Seed: 3}

func readData(t *testing.T, name string) Data {
	t.Helper()
	d, err := ReadCoNLLUFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// tinyVectors makes word vectors for a handful of words, so that the
// pretrained path of the model is exercised without a real embedding file.
func tinyVectors(t *testing.T) *embed.Vectors {
	t.Helper()
	words := []string{"the", "a", "of", "and", "to", "in", "is", "was", "it", "that"}
	data := make([]float32, len(words)*5)
	for i := range data {
		data[i] = float32((i*7)%11) / 11
	}
	v, err := embed.NewVectors(words, 5, data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// majority is the accuracy of always answering the most frequent UPOS of train.
func majority(train, dev Data) float64 {
	counts := map[string]int{}
	for _, s := range train.UPOS {
		for _, t := range s {
			counts[t]++
		}
	}
	best, n := "", 0
	for t, c := range counts {
		if c > n {
			best, n = t, c
		}
	}
	ok, all := 0, 0
	for _, s := range dev.UPOS {
		for _, t := range s {
			all++
			if t == best {
				ok++
			}
		}
	}
	return float64(ok) / float64(all)
}

// TestTrainLearns trains on 200 EWT sentences and checks that the tagger learns
// far beyond the majority baseline, that training is deterministic for a seed,
// and that a saved model tags exactly as the one in memory.
func TestTrainLearns(t *testing.T) {
	train, dev := readData(t, "ewt-train-slice.conllu"), readData(t, "ewt-dev-small.conllu")
	vecs := tinyVectors(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "m.tagger")
	m, rep, err := Train(t.Context(), tiny, train, dev, vecs, withOutput(out, false))
	if err != nil {
		t.Fatal(err)
	}
	ev := m.Evaluate(dev)
	base := majority(train, dev)
	t.Logf("dev UPOS %.3f XPOS %.3f (majority %.3f), best epoch %d", ev.UPOS, ev.XPOS, base, rep.BestEpoch)
	if ev.UPOS < base+0.25 {
		t.Errorf("dev UPOS %.3f: not clearly above the majority baseline %.3f", ev.UPOS, base)
	}
	if ev.Tokens != dev.Words() || len(ev.PerTag) == 0 {
		t.Errorf("evaluation counted %d tokens, %d tags", ev.Tokens, len(ev.PerTag))
	}
	if best := rep.Evals[rep.BestEpoch-1].Metrics[MetricUPOS]; best != ev.UPOS {
		t.Errorf("returned model scores %.4f, its best epoch %.4f", ev.UPOS, best)
	}

	// The best model was saved: loading it gives the same tags.
	loaded, err := Load(out)
	if err != nil {
		t.Fatal(err)
	}
	// It and its clones predict without gradient buffers, as large as the weights.
	for _, c := range []*Model{loaded, loaded.Clone(), m.Clone()} {
		for _, p := range c.params() {
			if p.Grad != nil {
				t.Fatalf("%s: a loaded or cloned model keeps %d gradients", p.Name, len(p.Grad))
			}
		}
	}
	a, b := m.Tag(dev.Forms), loaded.Tag(dev.Forms)
	for i := range a {
		if strings.Join(a[i].XPOS, " ") != strings.Join(b[i].XPOS, " ") || strings.Join(a[i].UPOS, " ") != strings.Join(b[i].UPOS, " ") {
			t.Fatalf("sentence %d: loaded model tags differently", i)
		}
	}

	// Same seed, same model.
	m2, _, err := Train(t.Context(), tiny, train, dev, vecs)
	if err != nil {
		t.Fatal(err)
	}
	if e2 := m2.Evaluate(dev); e2.UPOS != ev.UPOS || e2.XPOS != ev.XPOS {
		t.Errorf("a second run with the same seed scores %.4f/%.4f, the first %.4f/%.4f", e2.UPOS, e2.XPOS, ev.UPOS, ev.XPOS)
	}
}

// withOutput writes the best model to out and the checkpoint to
// out+".ckpt", and resumes from it if asked, as nlp tag train does.
func withOutput(out string, resume bool) Option {
	return WithTraining(train.Options{Out: out, Checkpoint: out + ".ckpt", Resume: resume})
}

// checkpointTensors reads every tensor of a checkpoint (weights, best
// weights, their average, Adam's moments) as bytes, by name.
func checkpointTensors(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n, md, err := safetensors.ReadMetadata(data)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for name, info := range md.Tensors() {
		out[name] = string(data[8+n:][info.DataOffsets[0]:info.DataOffsets[1]])
	}
	return out
}

// TestResume trains 4 epochs in one go, and 2 epochs + resume + 2 epochs in
// two ways (a run of 2 epochs extended to 4; a run of 4 cancelled after the
// second): the weights and the whole checkpoint (best weights, moving
// average, Adam's moments) must be identical, with and without averaging.
func TestResume(t *testing.T) {
	for _, avg := range []float64{0, 0.99} {
		t.Run(fmt.Sprintf("average=%g", avg), func(t *testing.T) { testResume(t, avg) })
	}
}

func testResume(t *testing.T, avg float64) {
	data, dev := readData(t, "ewt-train-slice.conllu"), readData(t, "ewt-dev-small.conllu")
	cfg := tiny
	cfg.Epochs = 4
	cfg.Average = avg
	dir := t.TempDir()
	fullOut := filepath.Join(dir, "full")
	full, repFull, err := Train(t.Context(), cfg, data, dev, nil, withOutput(fullOut, false))
	if err != nil {
		t.Fatal(err)
	}
	wantTensors := checkpointTensors(t, fullOut+".ckpt")
	if len(wantTensors) < 4*len(full.trainable()) && avg > 0 {
		t.Fatalf("the checkpoint holds %d tensors for %d weights", len(wantTensors), len(full.trainable()))
	}

	extended := filepath.Join(dir, "extended")
	short := cfg
	short.Epochs = 2
	if _, _, err := Train(t.Context(), short, data, dev, nil, withOutput(extended, false)); err != nil {
		t.Fatal(err)
	}
	cancelled := filepath.Join(dir, "cancelled")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stop := WithTraining(train.Options{Out: cancelled, Checkpoint: cancelled + ".ckpt", Progress: func(p train.Progress) {
		if p.Epoch == 1 && p.Step == p.Steps {
			cancel() // after the last step of epoch 2: the run stops before epoch 3
		}
	}})
	_, rep, err := Train(ctx, cfg, data, dev, nil, stop)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stopped != "canceled" || rep.Epochs != 2 || len(rep.Evals) != 2 {
		t.Fatalf("cancelled run: stopped %q after %d epochs, %d evaluations", rep.Stopped, rep.Epochs, len(rep.Evals))
	}

	for _, part := range []string{extended, cancelled} {
		// The configuration is part of the checkpoint: resuming with another is
		// refused, but the number of epochs may change.
		other := cfg
		other.LR *= 2
		if _, _, err := Train(t.Context(), other, data, dev, nil, withOutput(part, true)); !errors.Is(err, train.ErrCheckpoint) {
			t.Fatalf("resumed from a checkpoint made with another configuration: %v", err)
		}
		resumed, rep, err := Train(t.Context(), cfg, data, dev, nil, withOutput(part, true))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Evals) != 4 || rep.Evals[0].Epoch != 1 || rep.Stopped != "" || rep.BestEpoch != repFull.BestEpoch {
			t.Fatalf("%s: resumed report has %d evaluations, best epoch %d (one go: %d)", filepath.Base(part), len(rep.Evals), rep.BestEpoch, repFull.BestEpoch)
		}
		for i, e := range rep.Evals {
			if f := repFull.Evals[i]; e.Loss != f.Loss || e.Score != f.Score || !maps.Equal(e.Metrics, f.Metrics) {
				t.Errorf("%s: epoch %d: resumed %+v, one go %+v", filepath.Base(part), i+1, e, f)
			}
		}
		pf, pr := full.params(), resumed.params()
		for i := range pf {
			if !slices.Equal(pf[i].Value, pr[i].Value) {
				t.Fatalf("%s: %s differs from the uninterrupted run's", filepath.Base(part), pf[i].Name)
			}
		}
		got := checkpointTensors(t, part+".ckpt")
		if len(got) != len(wantTensors) {
			t.Fatalf("%s: %d tensors in the checkpoint, %d in the uninterrupted run's", filepath.Base(part), len(got), len(wantTensors))
		}
		for name, v := range wantTensors {
			if got[name] != v {
				t.Errorf("%s: checkpoint tensor %s differs from the uninterrupted run's", filepath.Base(part), name)
			}
		}
	}
}

// TestResumeDamagedCheckpoint: a checkpoint that does not verify is an
// error, never a silent restart. (The best weights live in the checkpoint,
// so a damaged best-model file is not read at all: it is written again.)
func TestResumeDamagedCheckpoint(t *testing.T) {
	data, dev := readData(t, "ewt-train-slice.conllu"), readData(t, "ewt-dev-small.conllu")
	cfg := tiny
	cfg.Epochs = 1
	out := filepath.Join(t.TempDir(), "m.tagger")
	m1, _, err := Train(t.Context(), cfg, data, dev, nil, withOutput(out, false))
	if err != nil {
		t.Fatal(err)
	}
	ckpt, err := os.ReadFile(out + ".ckpt")
	if err != nil {
		t.Fatal(err)
	}
	bad := slices.Clone(ckpt)
	bad[len(bad)-5] ^= 0x40
	if err := os.WriteFile(out+".ckpt", bad, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = Train(t.Context(), cfg, data, dev, nil, withOutput(out, true))
	if !errors.Is(err, train.ErrCheckpoint) || !errors.Is(err, nn.ErrCorrupt) {
		t.Fatalf("resume from a damaged checkpoint: %v, want ErrCheckpoint and ErrCorrupt", err)
	}

	// The case: the best model damaged, the checkpoint intact. The
	// resumed run (nothing left to train) returns the checkpoint's best
	// weights and writes them again.
	if err := os.WriteFile(out+".ckpt", ckpt, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, []byte("not a model"), 0o644); err != nil {
		t.Fatal(err)
	}
	m2, rep, err := Train(t.Context(), cfg, data, dev, nil, withOutput(out, true))
	if err != nil {
		t.Fatal(err)
	}
	if rep.BestEpoch != 1 || len(rep.Evals) != 1 {
		t.Fatalf("resumed finished run: best epoch %d, %d evaluations", rep.BestEpoch, len(rep.Evals))
	}
	loaded, err := Load(out)
	if err != nil {
		t.Fatalf("the best model was not written again: %v", err)
	}
	for i, p := range m1.params() {
		if !slices.Equal(p.Value, m2.params()[i].Value) || !slices.Equal(p.Value, loaded.params()[i].Value) {
			t.Fatalf("%s: the resumed run or its file differs from the best weights", p.Name)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []Config{{Cell: "cnn"}, {Hidden: -1}, {Dropout: 1}, {LR: -1},
		{Hidden: 2_000_000_000}, {WordDim: 1 << 20}, {Layers: 1000}, {MaxRunes: 1 << 20}} {
		if err := c.Validate(); !errors.Is(err, nlp.ErrConfig) {
			t.Errorf("%+v: %v, want nlp.ErrConfig", c, err)
		}
	}
	// Several bad fields: the first one declared is reported, the same every time
	// (the checks once ranged over a map, in a random order).
	many := Config{Epochs: -1, Patience: -1, CharDim: -1, Hidden: -1, BatchSize: -1}
	want := many.Validate().Error()
	if !strings.Contains(want, "Hidden") {
		t.Errorf("%q, want the error about Hidden, the first field declared", want)
	}
	for range 20 {
		if got := many.Validate().Error(); got != want {
			t.Fatalf("Validate says %q, then %q", want, got)
		}
	}
	// Each width allowed, but a sentence encoder of 2×2.1e9 weights: an error
	// before anything that size is allocated.
	huge := tiny
	huge.Hidden, huge.Layers = 10000, 8
	if _, _, err := Train(t.Context(), huge, readData(t, "ewt-train-slice.conllu"), readData(t, "ewt-train-slice.conllu"), nil); err == nil ||
		!strings.Contains(err.Error(), "weights") {
		t.Errorf("an encoder of 8 layers of 2×10,000: %v, want an error on its size", err)
	}
	train := readData(t, "ewt-train-slice.conllu")
	if _, _, err := Train(t.Context(), tiny, train, Data{}, nil); err == nil {
		t.Error("empty dev set accepted")
	}
	broken := Data{Forms: [][]string{{"a", "b"}}, UPOS: [][]string{{"X"}}, XPOS: [][]string{{"X", "X"}}}
	if _, _, err := Train(t.Context(), tiny, broken, broken, nil); err == nil {
		t.Error("mismatched tags accepted")
	}
}

func TestLoadRejectsOtherFiles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x")
	os.WriteFile(p, []byte("not a model"), 0o644)
	if _, err := Load(p); err == nil {
		t.Fatal("loaded garbage")
	}
	if _, err := Load(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("loaded a missing file")
	}
}

// TestCasedWords: with CasedWords the trainable vocabulary keeps "The" and
// "the" apart; by default both are "the".
func TestCasedWords(t *testing.T) {
	d := Data{Forms: [][]string{{"The", "the", "The", "the"}}, UPOS: [][]string{{"DET", "DET", "DET", "DET"}}, XPOS: [][]string{{"DT", "DT", "DT", "DT"}}}
	lower := buildVocabularies(tiny.WithDefaults(), d, nil)
	cased := tiny
	cased.CasedWords = true
	both := buildVocabularies(cased.WithDefaults(), d, nil)
	if strings.Join(lower.Words, " ") != "<unk> the" || lower.WordCounts[1] != 4 {
		t.Errorf("lower-cased vocabulary %v %v", lower.Words, lower.WordCounts)
	}
	if strings.Join(both.Words, " ") != "<unk> The the" || both.WordCounts[1] != 2 {
		t.Errorf("cased vocabulary %v %v", both.Words, both.WordCounts)
	}
}

// TestMemoOverflow tags more distinct forms than the projection memo holds,
// with common words recurring in every sentence, so that the memo fills in the
// middle of a batch whose other forms it already held (this used to panic). The
// tags must be those of a model whose memo starts empty for each sentence.
func TestMemoOverflow(t *testing.T) {
	cfg := tiny
	cfg.Epochs = 1
	m, _, err := Train(t.Context(), cfg, readData(t, "ewt-train-slice.conllu"), readData(t, "ewt-dev-small.conllu"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var sents [][]string
	for i := 0; len(sents)*40 < 2*projMemoLimit; i++ {
		s := []string{"The"}
		for k := 0; k < 40; k++ {
			s = append(s, fmt.Sprintf("w%dx%d", i, k))
		}
		sents = append(sents, append(s, "is", "here", "."))
	}
	got := m.Tag(sents)
	for i := 0; i < len(sents); i += 37 {
		want := m.Clone().Tag(sents[i : i+1])[0]
		if strings.Join(got[i].UPOS, " ") != strings.Join(want.UPOS, " ") {
			t.Fatalf("sentence %d: tags %v after the memo filled, %v from an empty memo", i, got[i].UPOS, want.UPOS)
		}
	}
}

// TestCasedVectors checks that with CasedVectors a word finds its pretrained
// vector as written before the lower-cased one, and that without it case is
// ignored.
func TestCasedVectors(t *testing.T) {
	train, dev := readData(t, "ewt-train-slice.conllu"), readData(t, "ewt-dev-small.conllu")
	words := []string{"the", "The", "apple", "Apple", "of"}
	data := make([]float32, len(words)*4)
	for i := range data {
		data[i] = float32(i%7) / 7
	}
	vecs, err := embed.NewVectors(words, 4, data)
	if err != nil {
		t.Fatal(err)
	}
	for _, cased := range []bool{false, true} {
		cfg := tiny
		cfg.CasedVectors = cased
		cfg.Epochs = 1
		m, _, err := Train(t.Context(), cfg, train, dev, vecs)
		if err != nil {
			t.Fatal(err)
		}
		row := func(form string) string {
			id, ok := m.preID(form)
			if !ok {
				return "none"
			}
			return m.pre.items[id]
		}
		want := map[string]string{"Apple": "apple", "apple": "apple", "APPLE": "apple", "The": "the", "pear": "none"}
		if cased {
			want["Apple"], want["The"] = "Apple", "The"
		}
		for form, w := range want {
			if got := row(form); got != w {
				t.Errorf("cased %v: %q finds the vector of %q, want %q", cased, form, got, w)
			}
		}
	}
}

// TestFineTune starts a training from a trained model (WithInit): the initial
// model is scored first, its shape is kept whatever the configuration asks,
// the result is never worse on dev than the start, and the start is copied,
// not changed.
func TestFineTune(t *testing.T) {
	train, dev := readData(t, "ewt-train-slice.conllu"), readData(t, "ewt-dev-small.conllu")
	vecs := tinyVectors(t)
	base := tiny
	base.Epochs = 2
	m0, _, err := Train(t.Context(), base, train, dev, vecs)
	if err != nil {
		t.Fatal(err)
	}
	e0 := m0.Evaluate(dev)
	score := func(e Evaluation) float64 { return (e.UPOS + e.XPOS) / 2 }

	ft := tiny
	ft.Hidden, ft.Epochs, ft.LR = 99, 3, 0.003 // the hidden width is m0's, not 99
	ft.LRDecay = -1                            // none: stored as 1, which the saved model must load with
	out := filepath.Join(t.TempDir(), "ft.tagger")
	m1, rep, err := Train(t.Context(), ft, train, dev, nil, WithInit(m0), withOutput(out, false))
	if err != nil {
		t.Fatal(err)
	}
	e1 := m1.Evaluate(dev)
	t.Logf("initial %.3f/%.3f, fine-tuned %.3f/%.3f (best epoch %d)", e0.UPOS, e0.XPOS, e1.UPOS, e1.XPOS, rep.BestEpoch)
	if rep.Initial == nil || rep.Initial.Metrics[MetricUPOS] != e0.UPOS || rep.Initial.Metrics[MetricXPOS] != e0.XPOS {
		t.Errorf("report's initial scores %+v, the initial model's %.4f/%.4f", rep.Initial, e0.UPOS, e0.XPOS)
	}
	if m1.Config().Hidden != m0.Config().Hidden || m1.Config().LR != 0.003 {
		t.Errorf("fine-tuned model: hidden %d, lr %g; want the initial model's %d and the given 0.003", m1.Config().Hidden, m1.Config().LR, m0.Config().Hidden)
	}
	if score(e1) < score(e0) {
		t.Errorf("fine-tuning returned a model worse than its start: %.4f < %.4f", score(e1), score(e0))
	}
	if e := m0.Evaluate(dev); e.UPOS != e0.UPOS || e.XPOS != e0.XPOS {
		t.Error("fine-tuning changed the initial model")
	}
	if rep.BestEpoch > 0 && len(rep.Evals) > 0 {
		if best := rep.Evals[rep.BestEpoch-1].Metrics; best[MetricUPOS] != e1.UPOS || best[MetricXPOS] != e1.XPOS {
			t.Errorf("kept epoch %d scored %v, the returned model %.4f/%.4f", rep.BestEpoch, best, e1.UPOS, e1.XPOS)
		}
	}
	if loaded, err := Load(out); err != nil {
		t.Fatal(err)
	} else if e := loaded.Evaluate(dev); e.UPOS != e1.UPOS || e.XPOS != e1.XPOS {
		t.Errorf("saved model scores %.4f/%.4f, the returned one %.4f/%.4f", e.UPOS, e.XPOS, e1.UPOS, e1.XPOS)
	}

	// A learning rate that wrecks the weights: no epoch beats the start, which
	// is what comes back.
	wreck := tiny
	wreck.Epochs, wreck.LR = 1, 1 // the largest rate Validate accepts
	m2, rep, err := Train(t.Context(), wreck, train, dev, nil, WithInit(m0))
	if err != nil {
		t.Fatal(err)
	}
	if rep.BestEpoch != 0 || len(rep.Evals) != 1 || rep.Evals[0].Score >= score(e0) {
		t.Fatalf("learning rate 1: best epoch %d of %d, want the initial model kept (report %+v)", rep.BestEpoch, len(rep.Evals), rep.Evals)
	}
	if e := m2.Evaluate(dev); e.UPOS != e0.UPOS || e.XPOS != e0.XPOS {
		t.Errorf("the initial model was kept but scores %.4f/%.4f, not %.4f/%.4f", e.UPOS, e.XPOS, e0.UPOS, e0.XPOS)
	}

	// Tags the initial model does not predict cannot be fine-tuned towards.
	odd := Data{Forms: train.Forms[:3], UPOS: train.UPOS[:3], XPOS: [][]string{train.XPOS[0], train.XPOS[1], slices.Clone(train.XPOS[2])}}
	odd.XPOS[2][1] = "ZZZ"
	if _, _, err := Train(t.Context(), ft, odd, dev, nil, WithInit(m0)); err == nil || !strings.Contains(err.Error(), `"ZZZ"`) || !strings.Contains(err.Error(), "sentence 3, word 2") {
		t.Errorf("a tag outside the initial model's set: error %v", err)
	}
}

// TestScoreUnannotatedXPOS: a gold XPOS of "_" (Russian Taiga has no XPOS at
// all) is not scored, rather than counted right when the model says "_" too.
func TestScoreUnannotatedXPOS(t *testing.T) {
	gold := Data{
		Forms: [][]string{{"Мама", "мыла", "раму"}, {"Он", "спит"}},
		UPOS:  [][]string{{"NOUN", "VERB", "NOUN"}, {"PRON", "VERB"}},
		XPOS:  [][]string{{"NN", "_", "NN"}, {"_", "_"}},
	}
	pred := []Tagged{
		{UPOS: []string{"NOUN", "VERB", "ADJ"}, XPOS: []string{"NN", "_", "JJ"}},
		{UPOS: []string{"PRON", "VERB"}, XPOS: []string{"_", "VB"}},
	}
	known := func(f string) bool { return f != "раму" }
	e := score(gold, pred, known)
	if e.Tokens != 5 || e.UPOS != 0.8 || e.XPOSTokens != 2 || e.XPOS != 0.5 || e.OOVTokens != 1 || e.OOVXPOS != 0 {
		t.Errorf("got tokens %d, UPOS %g, XPOS %g on %d, unseen %d at XPOS %g; want 5, 0.8, 0.5 on 2, 1 at 0",
			e.Tokens, e.UPOS, e.XPOS, e.XPOSTokens, e.OOVTokens, e.OOVXPOS)
	}
	// The matrix, in PerTag's order (NOUN and VERB twice in gold, PRON once;
	// ADJ only predicted): NOUN→NOUN 1, NOUN→ADJ 1, VERB→VERB 2, PRON→PRON 1.
	var order []string
	for _, ts := range e.PerTag {
		order = append(order, ts.Tag)
	}
	want := [][]int{{1, 0, 0, 1}, {0, 2, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 0}}
	if !slices.Equal(order, []string{"NOUN", "VERB", "PRON", "ADJ"}) || !reflect.DeepEqual(e.Matrix, want) {
		t.Errorf("matrix over %v: %v, want %v over [NOUN VERB PRON ADJ]", order, e.Matrix, want)
	}
	none := Data{Forms: gold.Forms[1:], UPOS: gold.UPOS[1:], XPOS: gold.XPOS[1:]}
	if e := score(none, pred[1:], known); e.XPOSTokens != 0 || e.XPOS != 0 || xposNote(e) != "XPOS not annotated" {
		t.Errorf("no gold XPOS: %d scored, XPOS %g, note %q", e.XPOSTokens, e.XPOS, xposNote(e))
	}
}

// TestUnannotatedXPOSTraining: trained on a treebank without XPOS, the model
// writes "_"; trained on it together with one that has XPOS, "_" means "not
// annotated" and is never predicted.
func TestUnannotatedXPOSTraining(t *testing.T) {
	train, dev := readData(t, "ewt-train-slice.conllu"), readData(t, "ewt-dev-small.conllu")
	blank := func(d Data) Data {
		out := Data{Forms: d.Forms, UPOS: d.UPOS}
		for _, s := range d.XPOS {
			out.XPOS = append(out.XPOS, slices.Repeat([]string{"_"}, len(s)))
		}
		return out
	}
	cfg := tiny
	cfg.Epochs = 1
	alone, _, err := Train(t.Context(), cfg, blank(train), blank(dev), nil)
	if err != nil {
		t.Fatal(err)
	}
	if tags := alone.XPOSTags(); len(tags) != 1 || tags[0] != "_" {
		t.Errorf("trained without XPOS, the model predicts %v, want [_]", tags)
	}
	half := train.Len() / 2
	mixed := Data{Forms: train.Forms[:half], UPOS: train.UPOS[:half], XPOS: train.XPOS[:half]}.Append(blank(Data{
		Forms: train.Forms[half:], UPOS: train.UPOS[half:], XPOS: train.XPOS[half:]}))
	m, _, err := Train(t.Context(), cfg, mixed, dev, nil)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(m.XPOSTags(), "_") || len(m.XPOSTags()) < 10 {
		t.Errorf("trained on a treebank with XPOS and one without, the model predicts %v", m.XPOSTags())
	}
	// Fine-tuning it on the half without XPOS is allowed: those words teach UPOS only.
	if _, _, err := Train(t.Context(), cfg, blank(train), dev, nil, WithInit(m)); err != nil {
		t.Errorf("fine-tuning on words without XPOS: %v", err)
	}
}

// TestRussian trains on 80 sentences of Russian GSD (Cyrillic, GSD's own XPOS
// tags) and scores the 20 after them: the tagger learns another language and
// script well beyond the majority tag, and tags a CoNLL-U file of it keeping
// every other column as written.
func TestRussian(t *testing.T) {
	all := readData(t, "ru-gsd-slice.conllu")
	cut := func(a, b int) Data { return Data{Forms: all.Forms[a:b], UPOS: all.UPOS[a:b], XPOS: all.XPOS[a:b]} }
	train, dev := cut(0, 80), cut(80, 100)
	cfg := tiny
	cfg.Epochs, cfg.Patience, cfg.LRDecay = 40, 40, -1 // the small-treebank recipe (BENCHMARKS.md)
	m, _, err := Train(t.Context(), cfg, train, dev, nil)
	if err != nil {
		t.Fatal(err)
	}
	ev := m.Evaluate(dev)
	base := majority(train, dev)
	t.Logf("Russian dev UPOS %.3f XPOS %.3f (majority %.3f)", ev.UPOS, ev.XPOS, base)
	if ev.UPOS < base+0.3 || ev.XPOSTokens != dev.Words() {
		t.Errorf("UPOS %.3f against the majority's %.3f; XPOS scored on %d of %d words", ev.UPOS, base, ev.XPOSTokens, dev.Words())
	}
	for _, tag := range []string{"VBC", "JJL", "NN"} { // GSD's tags, not Penn's alone
		if !slices.Contains(m.XPOSTags(), tag) {
			t.Errorf("XPOS tags %v lack GSD's %q", m.XPOSTags(), tag)
		}
	}

	in, err := os.ReadFile(filepath.Join("testdata", "ru-gsd-slice.conllu"))
	if err != nil {
		t.Fatal(err)
	}
	// Tag every sentence as read and write it back (what the pipeline's tag
	// stage and CoNLL-U writer do for nlp tag).
	sents, err := conllu.NewReader(bytes.NewReader(in)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	forms := make([][]string, len(sents))
	for i, s := range sents {
		forms[i] = s.Forms()
	}
	var out bytes.Buffer
	w := conllu.NewWriter(&out)
	for i, tg := range m.Tag(forms) {
		if err := sents[i].SetTags(tg.UPOS, tg.XPOS); err != nil {
			t.Fatal(err)
		}
		if err := w.Write(sents[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	inLines, outLines := strings.Split(string(in), "\n"), strings.Split(out.String(), "\n")
	if len(inLines) != len(outLines) {
		t.Fatalf("%d lines in, %d out", len(inLines), len(outLines))
	}
	for i, l := range inLines {
		a, b := strings.Split(l, "\t"), strings.Split(outLines[i], "\t")
		if len(a) != 10 {
			if l != outLines[i] {
				t.Fatalf("line %d changed: %q → %q", i+1, l, outLines[i])
			}
			continue
		}
		a[3], a[4], b[3], b[4] = "", "", "", ""
		if !slices.Equal(a, b) {
			t.Fatalf("line %d: columns other than UPOS and XPOS changed: %q → %q", i+1, l, outLines[i])
		}
	}
}

// TestWithModelOf: fine-tuning takes every field that shapes the weights from
// the initial model and every training field from the given configuration. A
// field added to Config must be put in one list or the other here.
func TestWithModelOf(t *testing.T) {
	model := []string{"Cell", "Hidden", "Layers", "WordDim", "CharDim", "CharHidden", "NoChars", "CasedWords",
		"MaxRunes", "MinWordCount", "PretrainedN", "FineTune", "CasedVectors"}
	training := []string{"Dropout", "WordDropout", "LR", "Clip", "BatchSize", "Epochs", "Patience", "LRDecay",
		"Average", "Distill", "Seed"}
	src := Config{Cell: "gru", Hidden: 1, Layers: 2, WordDim: 3, CharDim: 4, CharHidden: 5, NoChars: true, CasedWords: true,
		MaxRunes: 6, MinWordCount: 7, PretrainedN: 8, FineTune: true, CasedVectors: true,
		Dropout: 0.1, WordDropout: 0.2, LR: 0.3, Clip: 4, BatchSize: 5, Epochs: 6, Patience: 7, LRDecay: 0.8, Average: 0.9, Distill: 0.1, Seed: 11}
	given := Config{Cell: "rnn", Hidden: 21, Layers: 22, WordDim: 23, CharDim: 24, CharHidden: 25,
		MaxRunes: 26, MinWordCount: 27, PretrainedN: 28,
		Dropout: 0.5, WordDropout: 0.6, LR: 0.7, Clip: 8, BatchSize: 9, Epochs: 10, Patience: 11, LRDecay: 0.3, Average: 0.4, Distill: 0.2, Seed: 12}
	got := given.withModelOf(src)
	v, s, g := reflect.ValueOf(got), reflect.ValueOf(src), reflect.ValueOf(given)
	if v.NumField() != len(model)+len(training) {
		t.Fatalf("Config has %d fields, the test knows %d: decide whether the new one is a model or a training field",
			v.NumField(), len(model)+len(training))
	}
	for _, f := range model {
		if !reflect.DeepEqual(v.FieldByName(f).Interface(), s.FieldByName(f).Interface()) {
			t.Errorf("model field %s = %v, want the initial model's %v", f, v.FieldByName(f), s.FieldByName(f))
		}
	}
	for _, f := range training {
		if !reflect.DeepEqual(v.FieldByName(f).Interface(), g.FieldByName(f).Interface()) {
			t.Errorf("training field %s = %v, want the given %v", f, v.FieldByName(f), g.FieldByName(f))
		}
	}
}

// TestLanguage checks that WithLanguage records the language in the model
// and in the file Save writes (and Load, LoadBytes, Clone, an ensemble and a
// fine-tuning keep it), and that a model trained without it has none.
func TestLanguage(t *testing.T) {
	cfg := tiny
	cfg.Epochs = 1
	train := readData(t, "ewt-train-slice.conllu")
	m, _, err := Train(t.Context(), cfg, train, train, nil, WithLanguage("ru"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ru.tagger")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	fromBytes, err := LoadBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	ens, err := NewEnsemble(loaded, fromBytes)
	if err != nil {
		t.Fatal(err)
	}
	for what, got := range map[string]string{"trained": m.Language(), "loaded": loaded.Language(), "from bytes": fromBytes.Language(),
		"clone": loaded.Clone().Language(), "ensemble": ens.Language()} {
		if got != "ru" {
			t.Errorf("%s model: language %q, want ru", what, got)
		}
	}
	if meta, _ := nn.LoadMeta(path); meta["language"] != `"ru"` {
		t.Errorf("file metadata language = %q", meta["language"])
	}
	tuned, _, err := Train(t.Context(), cfg, train, train, nil, WithInit(loaded))
	if err != nil {
		t.Fatal(err)
	}
	if tuned.Language() != "ru" {
		t.Errorf("fine-tuned from a Russian model: language %q", tuned.Language())
	}
	plain, _, err := Train(t.Context(), cfg, train, train, nil)
	if err != nil {
		t.Fatal(err)
	}
	path2 := filepath.Join(t.TempDir(), "plain.tagger")
	if err := plain.Save(path2); err != nil {
		t.Fatal(err)
	}
	if meta, _ := nn.LoadMeta(path2); plain.Language() != "" || meta["language"] != "" {
		t.Errorf("no language given: %q, metadata %q", plain.Language(), meta["language"])
	}
	other, _ := LoadBytes(data)
	other.SetLanguage("en")
	if ens, _ := NewEnsemble(loaded, other); ens.Language() != "" {
		t.Errorf("ensemble of ru and en: language %q", ens.Language())
	}
}
