package generate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/nn"
	"github.com/nlp-go/nlp/train"
)

func TestSaveLoad(t *testing.T) {
	m, _, err := Train(context.Background(), Config{Hidden: 8, Layers: 2, Embed: 4, BatchSize: 2, BPTT: 8, Steps: 20, Seed: 2, Cell: "gru"}, regular(10), nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.model")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	m2, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg := SampleConfig{Lines: 4, Temperature: 1.2, Seed: 5, Prime: "th"}
	a, _ := m.Generate(cfg)
	b, _ := m2.Generate(cfg)
	if !slices.Equal(a, b) || m2.Config != m.Config || !slices.Equal(m2.Chars(), m.Chars()) {
		t.Fatalf("after load: %q, before %q", b, a)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LoadBytes(data); err != nil {
		t.Fatal(err)
	}
	// A flipped byte, a truncated file, another kind of file: errors, not panics.
	bad := slices.Clone(data)
	bad[len(bad)-3] ^= 0x40
	if _, err := LoadBytes(bad); !errors.Is(err, nn.ErrCorrupt) {
		t.Errorf("altered: %v", err)
	}
	for _, n := range []int{0, 7, 100, len(data) / 2} {
		if _, err := LoadBytes(data[:n]); err == nil {
			t.Errorf("truncated to %d bytes: no error", n)
		}
	}
	other := filepath.Join(t.TempDir(), "other.model")
	if err := nn.Save(other, []*nn.Param{nn.NewParam("x", 1, 2)}, map[string]string{"kind": `"classify"`}); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(other); !errors.Is(err, ErrNotGenerator) {
		t.Errorf("another model: %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none")); err == nil || !strings.Contains(err.Error(), "none") {
		t.Errorf("missing file: %v", err)
	}
}

// TestResumeExact checks that a training cancelled halfway (from the
// progress callback, inside a pass over the text and between two
// validations) and resumed from its checkpoint ends, bit for bit, as one run
// straight through: the parameters, Adam's moments and step count, the
// carried states and the validations, dropout and several passes included.
func TestResumeExact(t *testing.T) {
	cfg := Config{Hidden: 8, Layers: 2, Embed: 4, BatchSize: 3, BPTT: 7, Steps: 42, ValidEvery: 15, Dropout: 0.2, Seed: 4, LR: 0.01}
	text, valid := regular(6), regular(2)
	ctx := context.Background()
	straight, rep1, err := run(ctx, cfg, text, valid, options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep1.ChunksPerEpoch >= cfg.Steps/2 || (cfg.Steps/2)%rep1.ChunksPerEpoch == 0 {
		t.Fatalf("the test should cover several passes and stop inside one: %d chunks per pass", rep1.ChunksPerEpoch)
	}
	ckpt := filepath.Join(t.TempDir(), "m.ckpt")
	stop, cancel := context.WithCancel(ctx)
	defer cancel()
	_, rep, err := run(stop, cfg, text, valid, options{train.Options{Checkpoint: ckpt, Resume: true, Progress: func(p train.Progress) {
		if p.Done == cfg.Steps/2 {
			cancel()
		}
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stopped != "canceled" || rep.Steps != 21 || len(rep.Evals) != 1 {
		t.Fatalf("first half: stopped %q after %d steps, %d validations; want canceled after 21, 1", rep.Stopped, rep.Steps, len(rep.Evals))
	}
	// A checkpoint is not a model: Load says so.
	if _, err := Load(ckpt); !errors.Is(err, ErrCheckpoint) {
		t.Fatalf("Load of a checkpoint: %v", err)
	}
	resumed, rep2, err := run(ctx, cfg, text, valid, options{train.Options{Checkpoint: ckpt, Resume: true}})
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Steps != 42 || rep2.BestStep != rep1.BestStep || rep2.BestValid != rep1.BestValid || len(rep2.Evals) != len(rep1.Evals) {
		t.Fatalf("resumed %+v\nstraight %+v", rep2, rep1)
	}
	for i, e := range rep1.Evals {
		if e2 := rep2.Evals[i]; e2.Step != e.Step || e2.Metrics[MetricValidNats] != e.Metrics[MetricValidNats] || e2.Loss != e.Loss {
			t.Errorf("validation %d: resumed %+v, straight %+v", i, e2, e)
		}
	}
	same := func(what string, a, b []*nn.Param) {
		t.Helper()
		if len(a) != len(b) {
			t.Fatalf("%s: %d tensors, straight %d", what, len(b), len(a))
		}
		for i := range a {
			if !slices.Equal(a[i].Value, b[i].Value) {
				t.Errorf("%s: %s differs after resuming", what, a[i].Name)
			}
		}
	}
	same("parameters", straight.m.Params(), resumed.m.Params())
	ga, gb := straight.groups[0], resumed.groups[0]
	same("Adam", ga.Adam.StateParams(ga.Params), gb.Adam.StateParams(gb.Params))
	if ga.Adam.Steps() != gb.Adam.Steps() || ga.Adam.Steps() != 42 {
		t.Errorf("Adam steps: straight %d, resumed %d", ga.Adam.Steps(), gb.Adam.Steps())
	}
	same("carried states", straight.State(), resumed.State())
	if n := slices.IndexFunc(straight.State(), func(p *nn.Param) bool { return slices.ContainsFunc(p.Value, func(v float64) bool { return v != 0 }) }); n < 0 {
		t.Error("the carried states are all zero: the test compares nothing")
	}

	// Another configuration, another text or a damaged file cannot be resumed.
	resume := options{train.Options{Checkpoint: ckpt, Resume: true}}
	other := cfg
	other.Hidden = 9
	if _, _, err := run(ctx, other, text, valid, resume); !errors.Is(err, train.ErrCheckpoint) || !strings.Contains(err.Error(), "another config") {
		t.Errorf("resume with another configuration: %v", err)
	}
	if _, _, err := run(ctx, cfg, regular(7), valid, resume); !errors.Is(err, train.ErrCheckpoint) || !strings.Contains(err.Error(), "another train_text") {
		t.Errorf("resume on another text: %v", err)
	}
	data, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-5] ^= 0x10
	if err := os.WriteFile(ckpt, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(ctx, cfg, text, valid, resume); !errors.Is(err, train.ErrCheckpoint) || !errors.Is(err, nn.ErrCorrupt) {
		t.Errorf("resume from a corrupt checkpoint: %v", err)
	}
}

// TestMaxDuration stops a long training by its time limit: the last steps
// are validated, the report says "time", and the model is usable.
func TestMaxDuration(t *testing.T) {
	var evals []train.Eval
	m, rep, err := Train(context.Background(), Config{Hidden: 8, Layers: 1, Embed: 4, BatchSize: 2, BPTT: 8, Steps: 1 << 20, Seed: 1},
		regular(10), regular(2), WithTraining(train.Options{MaxDuration: 50 * time.Millisecond, Evaluated: func(e train.Eval) { evals = append(evals, e) }}))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stopped != "time" || len(evals) != len(rep.Evals) {
		t.Fatalf("stopped %q, %d validations reported, %d in the report", rep.Stopped, len(evals), len(rep.Evals))
	}
	if rep.Steps > 0 && (rep.Evals[len(rep.Evals)-1].Step != rep.Steps || rep.BestValid <= 0 || rep.CharsPerSecond <= 0) {
		t.Fatalf("report %+v", rep)
	}
	path := filepath.Join(t.TempDir(), "m")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	if m2, err := Load(path); err != nil {
		t.Fatal(err)
	} else if _, err := m2.Generate(SampleConfig{Lines: 2}); err != nil {
		t.Fatal(err)
	}
}

func TestInvalidInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, s := range []string{"", "\n"} {
		if _, err := ReadFile(write("empty.txt", s)); !errors.Is(err, ErrEmpty) {
			t.Errorf("%q: %v", s, err)
		}
	}
	_, err := ReadFile(write("bad.txt", "good line\r\nsecond\nthi\xffrd\n"))
	var pe *nlp.ParseError
	if !errors.As(err, &pe) || pe.Line != 3 || pe.Column != 4 || pe.Offset != 21 || !errors.Is(err, nlp.ErrInvalidUTF8) || !strings.Contains(err.Error(), "bad.txt:3:4") {
		t.Fatalf("invalid UTF-8: %v", err)
	}
	lines, err := ReadFile(write("crlf.txt", "a\r\n\r\nb"))
	if err != nil || !slices.Equal(lines, []string{"a", "", "b"}) {
		t.Fatalf("CRLF: %q %v", lines, err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.txt")); err == nil {
		t.Error("missing file: no error")
	}
	for _, cfg := range []Config{{Hidden: -1}, {Cell: "lstmx"}, {LR: -1}, {Dropout: 1}, {Schedule: "step"}, {Threads: 5, BatchSize: 4}} {
		if _, _, err := Train(context.Background(), cfg, regular(3), nil); !errors.Is(err, nlp.ErrConfig) {
			t.Errorf("%+v: %v", cfg, err)
		}
	}
	if _, _, err := Train(context.Background(), Config{}, nil, nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("no text: %v", err)
	}
	if _, _, err := Train(context.Background(), Config{}, []string{"short"}, nil); err == nil || !strings.Contains(err.Error(), "too few") {
		t.Errorf("short text: %v", err)
	}
	m := constantModel(t, []string{"ab"}, func(*Model, int) float64 { return 0 })
	if _, err := m.Evaluate(nil, EvalConfig{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("evaluate nothing: %v", err)
	}
	if _, err := m.Evaluate([]string{"a"}, EvalConfig{Streams: -1}); !errors.Is(err, nlp.ErrConfig) {
		t.Errorf("streams -1: %v", err)
	}
}

func TestSplitTail(t *testing.T) {
	lines := []string{"0123456789", "abcd", "efgh", "ij", ""}
	// 11+5+5+3+1 = 25 predictions; 80% is 20: the first line starting at ≥ 20 is "ij" (offset 21).
	head, tail := SplitTail(lines, 0.2)
	if !slices.Equal(head, lines[:3]) || !slices.Equal(tail, lines[3:]) {
		t.Fatalf("head %q tail %q", head, tail)
	}
	if CountChars(lines) != 25 {
		t.Fatal(CountChars(lines))
	}
}

// TestTrainStepAllocs checks that steady-state training steps allocate
// nothing: twice the steps, the same allocations.
func TestTrainStepAllocs(t *testing.T) {
	mallocs := func(steps int) uint64 {
		var a, b runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&a)
		if _, _, err := Train(context.Background(), Config{Hidden: 8, Layers: 2, Embed: 4, BatchSize: 4, BPTT: 8, Steps: steps, ValidEvery: 1 << 30, Dropout: 0.1, Seed: 1}, regular(40), nil); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&b)
		return b.Mallocs - a.Mallocs
	}
	mallocs(5) // warm up lazily initialised packages
	short, long := mallocs(20), mallocs(120)
	if long > short+10 { // a little slack for the runtime's own
		t.Fatalf("%d allocations for 20 steps, %d for 120", short, long)
	}
}
