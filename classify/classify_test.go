package classify_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/classify"
	"github.com/nlp-go/nlp/datasets"
	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/nn"
	"github.com/nlp-go/nlp/train"
)

func readTestdata(t testing.TB, name string) []classify.Example {
	t.Helper()
	ex, err := classify.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

func smallVectors(t testing.TB) *embed.Vectors {
	t.Helper()
	v, err := embed.Load(filepath.Join("testdata", "vectors-small.bin"))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// smallConfig trains in a few seconds on the testdata slices.
func smallConfig(seed uint64) classify.Config {
	return classify.Config{Hidden: 32, Epochs: 4, Seed: seed, LR: 0.003}
}

// TestTrainLearns trains on 692 SST-2 sentences and checks the accuracy on 436
// others, well above the 50% of chance.
func TestTrainLearns(t *testing.T) {
	train, dev := readTestdata(t, "sst2-train.txt"), readTestdata(t, "sst2-dev.txt")
	for _, tc := range []struct {
		name string
		cfg  classify.Config
		min  float64
	}{
		{"lstm-last", smallConfig(1), 0.68},
		{"bilstm-max", func() classify.Config { c := smallConfig(1); c.Bidirectional = true; return c }(), 0.68},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, rep, err := classify.Train(context.Background(), tc.cfg, train, dev, smallVectors(t))
			if err != nil {
				t.Fatal(err)
			}
			ev, err := m.Evaluate(dev)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("dev accuracy %.3f (best epoch %d), macro-F1 %.3f", ev.Accuracy, rep.BestEpoch, ev.MacroF1)
			if ev.Accuracy < tc.min {
				t.Errorf("dev accuracy %.3f < %.2f", ev.Accuracy, tc.min)
			}
			if ev.Accuracy != rep.BestDev {
				t.Errorf("Evaluate gives %.4f, training reported %.4f for the kept epoch", ev.Accuracy, rep.BestDev)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	train, dev := readTestdata(t, "sst2-train.txt")[:200], readTestdata(t, "sst2-dev.txt")[:50]
	cfg := classify.Config{Hidden: 8, Epochs: 2, Seed: 3, Bidirectional: true}
	v := smallVectors(t)
	a, _, err := classify.Train(context.Background(), cfg, train, dev, v)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := classify.Train(context.Background(), cfg, train, dev, v)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range a.Params() {
		if !reflect.DeepEqual(p.Value, b.Params()[i].Value) {
			t.Fatalf("%s differs between two runs with the same seed", p.Name)
		}
	}
	cfg.Seed = 4
	c, _, err := classify.Train(context.Background(), cfg, train, dev, v)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a.Params()[1].Value, c.Params()[1].Value) {
		t.Fatal("another seed gives the same weights")
	}
}

// TestLanguage checks that WithLanguage puts the language in the model,
// that Save and Load (and LoadBytes, Clone) keep it, and that a model without
// one has no "language" entry in its file.
func TestLanguage(t *testing.T) {
	train := readTestdata(t, "sst2-train.txt")[:50]
	cfg := classify.Config{Hidden: 4, Epochs: 1}
	dir := t.TempDir()
	for _, lang := range []string{"ru", ""} {
		m, _, err := classify.Train(context.Background(), cfg, train, nil, nil, classify.WithLanguage(lang))
		if err != nil {
			t.Fatal(err)
		}
		if m.Language != lang || m.Clone().Language != lang {
			t.Errorf("trained with language %q: Language %q, clone's %q", lang, m.Language, m.Clone().Language)
		}
		path := filepath.Join(dir, "m"+lang+".model")
		if err := m.Save(path); err != nil {
			t.Fatal(err)
		}
		got, err := classify.Load(path)
		if err != nil || got.Language != lang {
			t.Errorf("Load: language %q (%v), want %q", got.Language, err, lang)
		}
		meta, err := nn.LoadMeta(path)
		if err != nil {
			t.Fatal(err)
		}
		if js, ok := meta["language"]; (lang == "") == ok || (ok && js != `"`+lang+`"`) {
			t.Errorf("language %q: file metadata %q (present %v)", lang, js, ok)
		}
	}
}

func TestSaveLoad(t *testing.T) {
	train := readTestdata(t, "sst2-train.txt")[:100]
	cfg := classify.Config{Hidden: 8, Epochs: 1, Layers: 2, Cell: "gru", LabelNames: []string{"neg", "pos"}}
	m, _, err := classify.Train(context.Background(), cfg, train, nil, smallVectors(t))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	texts := []string{"A gorgeous, witty film.", "", "utterly tedious <br /> and LONG", "zzzz qqqq"}
	want := m.PredictAll(texts)
	got, err := classify.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	got2, err := classify.LoadBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []*classify.Model{got, got2, m.Clone()} {
		if !reflect.DeepEqual(g.Config, m.Config) || !reflect.DeepEqual(g.Labels, m.Labels) || !reflect.DeepEqual(g.Vocab(), m.Vocab()) {
			t.Fatal("configuration, labels or vocabulary changed through Save/Load")
		}
		for _, p := range g.Params() {
			if p.Grad != nil {
				t.Fatalf("%s: a loaded or cloned model keeps %d gradients", p.Name, len(p.Grad))
			}
		}
		p := g.PredictAll(texts)
		for i := range p {
			if p[i].Label != want[i].Label || p[i].Index != want[i].Index {
				t.Fatalf("text %d: %v after loading, %v before", i, p[i], want[i])
			}
			// Train rounds the model to the file's precision: the answers are identical.
			if !reflect.DeepEqual(p[i].Probs, want[i].Probs) {
				t.Fatalf("text %d: probabilities %v after loading, %v before", i, p[i].Probs, want[i].Probs)
			}
		}
	}
	if got.Names()[0] != "neg" || want[0].Label != "neg" && want[0].Label != "pos" {
		t.Fatalf("names %v, label %q", got.Names(), want[0].Label)
	}
}

// TestCheckpointResume trains four epochs in one go and two, then two more
// resumed from the checkpoint in a new Train call: with Adam's moments, the
// plateau decay and the frozen embedding's epochs in the checkpoint, the two
// models are the same to the last bit.
func TestCheckpointResume(t *testing.T) {
	trainSet, dev := readTestdata(t, "sst2-train.txt")[:150], readTestdata(t, "sst2-dev.txt")[:40]
	v := smallVectors(t)
	ckpt := filepath.Join(t.TempDir(), "m.ckpt")
	cfg := classify.Config{Hidden: 8, Epochs: 4, Patience: -1, Decay: 0.5, FreezeEpochs: 1, Seed: 5}
	whole, wholeRep, err := classify.Train(context.Background(), cfg, trainSet, dev, v)
	if err != nil {
		t.Fatal(err)
	}
	two := cfg
	two.Epochs = 2
	_, rep, err := classify.Train(context.Background(), two, trainSet, dev, v, classify.WithTraining(trainOpts(ckpt, false)))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Evals) != 2 {
		t.Fatalf("%d epochs, want 2", len(rep.Evals))
	}
	var epochs []int
	opts := trainOpts(ckpt, true)
	opts.Evaluated = func(e train.Eval) { epochs = append(epochs, e.Epoch) }
	resumed, rep, err := classify.Train(context.Background(), cfg, trainSet, dev, v, classify.WithTraining(opts))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Evals) != 4 || !slices.Equal(epochs, []int{3, 4}) || rep.BestEpoch != wholeRep.BestEpoch || rep.BestDev != wholeRep.BestDev {
		t.Fatalf("resumed run: %d epochs in the report, evaluated %v, best epoch %d (%g); uninterrupted best epoch %d (%g)",
			len(rep.Evals), epochs, rep.BestEpoch, rep.BestDev, wholeRep.BestEpoch, wholeRep.BestDev)
	}
	for i, p := range whole.Params() {
		if q := resumed.Params()[i]; !slices.Equal(p.Value, q.Value) {
			t.Fatalf("%s: the resumed training differs from the uninterrupted one", p.Name)
		}
	}
	// Another configuration must not resume from this checkpoint.
	cfg.Hidden = 9
	if _, _, err := classify.Train(context.Background(), cfg, trainSet, dev, v, classify.WithTraining(trainOpts(ckpt, true))); !errors.Is(err, train.ErrCheckpoint) ||
		!strings.Contains(err.Error(), "another config") {
		t.Fatalf("resume with another configuration: %v", err)
	}
	// Nor a damaged one: an error, not a silent fresh start.
	data, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 1
	if err := os.WriteFile(ckpt, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Hidden = 8
	if _, _, err := classify.Train(context.Background(), cfg, trainSet, dev, v, classify.WithTraining(trainOpts(ckpt, true))); !errors.Is(err, nn.ErrCorrupt) {
		t.Fatalf("resume from a damaged checkpoint: %v", err)
	}
}

func trainOpts(ckpt string, resume bool) train.Options {
	return train.Options{Checkpoint: ckpt, Resume: resume}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Reading: errors name the file and the line.
	for _, tc := range []struct{ content, want string }{
		{"1 good\n\n0\n", ":3:"},
		{"1 fine\n0 \xff bad\n", ":2:"},
	} {
		_, err := classify.ReadFile(write("bad.txt", tc.content))
		if err == nil || !strings.Contains(err.Error(), "bad.txt"+tc.want) {
			t.Errorf("ReadFile(%q) error %v, want file and line %q", tc.content, err, tc.want)
		}
	}
	if _, err := classify.ReadFile(filepath.Join(dir, "missing.txt")); err == nil {
		t.Error("missing file: no error")
	}
	// Training.
	one := []classify.Example{{Label: "1", Text: "a"}, {Label: "1", Text: "b"}}
	if _, _, err := classify.Train(context.Background(), classify.Config{}, one, nil, nil); err == nil {
		t.Error("one class: no error")
	}
	if _, _, err := classify.Train(context.Background(), classify.Config{}, nil, nil, nil); err == nil {
		t.Error("no examples: no error")
	}
	if _, _, err := classify.Train(context.Background(), classify.Config{Init: classify.InitWord2Vec}, one, nil, nil); !errors.Is(err, nlp.ErrConfig) {
		t.Errorf("word2vec without vectors: %v", err)
	}
	two := []classify.Example{{Label: "0", Text: "bad"}, {Label: "1", Text: "good"}}
	if _, _, err := classify.Train(context.Background(), classify.Config{Hidden: 4, Epochs: 1}, two, []classify.Example{{Label: "7", Text: "x", Line: 12}}, nil); err == nil || !strings.Contains(err.Error(), "line 12") {
		t.Errorf("unknown dev label: %v", err)
	}
	m, _, err := classify.Train(context.Background(), classify.Config{Hidden: 4, Epochs: 1}, two, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Evaluate([]classify.Example{{Label: "2", Text: "x", Line: 4}}); err == nil || !strings.Contains(err.Error(), "line 4") {
		t.Errorf("unknown label in Evaluate: %v", err)
	}
	// Loading.
	good := filepath.Join(dir, "m.safetensors")
	if err := m.Save(good); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(good)
	for name, bad := range map[string][]byte{
		"empty":     nil,
		"truncated": data[:len(data)/2],
		"text":      []byte("hello"),
		"flipped":   append(append([]byte{}, data[:len(data)-3]...), data[len(data)-3]^1, data[len(data)-2], data[len(data)-1]),
	} {
		if _, err := classify.LoadBytes(bad); err == nil {
			t.Errorf("%s model: no error", name)
		}
		if _, err := classify.Load(write(name+".safetensors", string(bad))); err == nil || !strings.Contains(err.Error(), name+".safetensors") {
			t.Errorf("%s model file: error %v should name the file", name, err)
		}
	}
	// A model file of another kind.
	other := filepath.Join(dir, "other.safetensors")
	p := nn.NewParam("w", 1, 1)
	if err := nn.Save(other, []*nn.Param{p}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := classify.Load(other); !errors.Is(err, classify.ErrNotClassifier) {
		t.Errorf("other model: %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		cfg classify.Config
		ok  bool
	}{
		{classify.Config{}, true},
		{classify.Config{Cell: "gru", Bidirectional: true, Pool: "last", Dropout: -1}, true},
		{classify.Config{Cell: "transformer"}, false},
		{classify.Config{Hidden: -1}, false},
		{classify.Config{Hidden: 2_000_000_000}, false},
		{classify.Config{Dim: 1 << 20}, false},
		{classify.Config{Layers: 100}, false},
		{classify.Config{Pool: "mean"}, false},
		{classify.Config{Init: "glove"}, false},
		{classify.Config{Dropout: 1}, false},
		{classify.Config{EmbedDropout: 1.5}, false},
		{classify.Config{LR: -0.1}, false},
		{classify.Config{MaxLen: 1}, false},
		{classify.Config{Epochs: -1}, false},
		{classify.Config{Decay: 1.5}, false},
		{classify.Config{Decay: 0.5}, true},
	} {
		err := tc.cfg.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("%+v: Validate() = %v", tc.cfg, err)
		}
		if err != nil && !errors.Is(err, nlp.ErrConfig) {
			t.Errorf("%v does not wrap nlp.ErrConfig", err)
		}
	}
	d := classify.Config{Init: classify.InitWord2Vec}.WithDefaults()
	if d.Cell != "lstm" || d.Hidden != 128 || d.Pool != classify.PoolLast || d.Init != classify.InitWord2Vec || d.EmbedLR != d.LR/10 {
		t.Errorf("defaults: %+v", d)
	}
	if d := (classify.Config{Bidirectional: true}).WithDefaults(); d.Pool != classify.PoolMax || d.Init != classify.InitRandom {
		t.Errorf("bidirectional defaults: %+v", d)
	}
}

func TestSplit(t *testing.T) {
	var ex []classify.Example
	for i := 0; i < 100; i++ {
		ex = append(ex, classify.Example{Label: "x", Line: i + 1})
	}
	tr, dv := classify.Split(ex, 0.1, 1)
	tr2, dv2 := classify.Split(ex, 0.1, 1)
	if len(tr) != 90 || len(dv) != 10 || !reflect.DeepEqual(dv, dv2) || !reflect.DeepEqual(tr, tr2) {
		t.Fatalf("split %d/%d, not reproducible or wrong sizes", len(tr), len(dv))
	}
	if ex[0].Line != 1 {
		t.Fatal("Split changed its input")
	}
}

// TestTrainOnPhrases trains on the phrases of 342 treebank trees (every 25th
// of SST train) and on their sentences alone, and checks that the phrases'
// labels teach more: the reason to read the trees.
func TestTrainOnPhrases(t *testing.T) {
	path := filepath.Join("testdata", "sst-trees-train.txt")
	dev := readTestdata(t, "sst2-dev.txt")
	acc := map[bool]float64{}
	for _, phrases := range []bool{false, true} {
		train, err := classify.ReadTreeFile(path, datasets.TreeView{Phrases: phrases, Binary: true}, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, rep, err := classify.Train(context.Background(), smallConfig(1), train, dev, smallVectors(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("phrases %v: %d examples, dev accuracy %.3f (best epoch %d)", phrases, len(train), rep.BestDev, rep.BestEpoch)
		acc[phrases] = rep.BestDev
	}
	if acc[true] < acc[false]+0.02 {
		t.Errorf("phrases %.3f, sentences %.3f: want phrases ahead by 2 points", acc[true], acc[false])
	}
}

func TestReadTreeFileErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trees.txt")
	if err := os.WriteFile(path, []byte("(3 (2 a) (4 b))\n(3 (2 a) (4 b)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := classify.ReadTreeFile(path, datasets.TreeView{}, 0)
	var pe *nlp.ParseError
	if !errors.As(err, &pe) || pe.File != path || pe.Line != 2 || pe.Column != 15 || !strings.HasPrefix(err.Error(), "classify: datasets: read: "+path+":2:15:") {
		t.Errorf("err = %v", err)
	}
}
