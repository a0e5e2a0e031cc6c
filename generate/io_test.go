package generate

import (
	"bytes"
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
)

func TestSaveLoad(t *testing.T) {
	m, _, err := Train(Config{Hidden: 8, Layers: 2, Embed: 4, BatchSize: 2, BPTT: 8, Steps: 20, Seed: 2, Cell: "gru"}, regular(10), nil)
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

// TestResumeExact checks that a training stopped and resumed from its
// checkpoint ends with the same parameters, bit for bit, as one run straight
// through, dropout and several passes over the text included.
func TestResumeExact(t *testing.T) {
	cfg := Config{Hidden: 8, Layers: 2, Embed: 4, BatchSize: 3, BPTT: 7, Steps: 40, ValidEvery: 15, Dropout: 0.2, Seed: 4, LR: 0.01}
	text, valid := regular(6), regular(2)
	straight, rep1, err := Train(cfg, text, valid)
	if err != nil {
		t.Fatal(err)
	}
	if rep1.ChunksPerEpoch >= cfg.Steps/2 {
		t.Fatalf("the test should cover several passes: %d chunks per pass", rep1.ChunksPerEpoch)
	}
	ckpt := filepath.Join(t.TempDir(), "m.ckpt")
	_, rep, err := Train(cfg, text, valid, WithCheckpoint(ckpt, true), func(o *options) { o.stopAfter = 23 })
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Stopped || rep.Steps != 23 {
		t.Fatalf("first part: %+v", rep)
	}
	// The checkpoint is a usable model too.
	if _, err := Load(ckpt); err != nil {
		t.Fatal(err)
	}
	resumed, rep2, err := Train(cfg, text, valid, WithCheckpoint(ckpt, true))
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Steps != 40 || rep2.BestStep != rep1.BestStep || rep2.BestValid != rep1.BestValid {
		t.Fatalf("resumed %+v\nstraight %+v", rep2, rep1)
	}
	a, b := straight.Params(), resumed.Params()
	for i := range a {
		if !slices.Equal(a[i].Value, b[i].Value) {
			t.Fatalf("%s differs after resuming", a[i].Name)
		}
	}
	// Another configuration cannot resume this checkpoint.
	cfg.Hidden = 9
	if _, _, err := Train(cfg, text, valid, WithCheckpoint(ckpt, true)); err == nil || !strings.Contains(err.Error(), "another configuration") {
		t.Fatalf("resume with another configuration: %v", err)
	}
}

func TestMaxDuration(t *testing.T) {
	var log bytes.Buffer
	m, rep, err := Train(Config{Hidden: 8, Layers: 1, Embed: 4, BatchSize: 2, BPTT: 8, Steps: 1 << 20, Seed: 1},
		regular(10), regular(2), WithMaxDuration(time.Nanosecond), WithLog(&log))
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Stopped || rep.Steps != 1 || rep.BestStep != 1 || len(rep.Validations) != 1 || !strings.Contains(log.String(), "step 1:") {
		t.Fatalf("report %+v, log %q", rep, log.String())
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
		if _, _, err := Train(cfg, regular(3), nil); !errors.Is(err, nlp.ErrConfig) {
			t.Errorf("%+v: %v", cfg, err)
		}
	}
	if _, _, err := Train(Config{}, nil, nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("no text: %v", err)
	}
	if _, _, err := Train(Config{}, []string{"short"}, nil); err == nil || !strings.Contains(err.Error(), "too few") {
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
		if _, _, err := Train(Config{Hidden: 8, Layers: 2, Embed: 4, BatchSize: 4, BPTT: 8, Steps: steps, ValidEvery: 1 << 30, Dropout: 0.1, Seed: 1}, regular(40), nil); err != nil {
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
