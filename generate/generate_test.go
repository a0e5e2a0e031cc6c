package generate

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/nlp-go/nlp"
)

// regular is a highly regular text: three lines repeated.
func regular(n int) []string {
	var lines []string
	for i := 0; i < n; i++ {
		lines = append(lines, "the cat sat on the mat", "a dog ran", "")
	}
	return lines
}

func tinyConfig() Config {
	return Config{Hidden: 32, Layers: 1, Embed: 8, BatchSize: 4, BPTT: 16, Steps: 300, LR: 0.01, ValidEvery: 100, Seed: 1}
}

func TestLearnsRegularText(t *testing.T) {
	m, rep, err := Train(context.Background(), tinyConfig(), regular(60), regular(5))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := m.Evaluate(regular(5), EvalConfig{Streams: 4, BPTT: 16})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ValidChars != CountChars(regular(5)) || ev.Chars != rep.ValidChars || rep.TrainChars != CountChars(regular(60)) {
		t.Fatalf("counts: report %d/%d, eval %d", rep.TrainChars, rep.ValidChars, ev.Chars)
	}
	if math.Abs(ev.Nats-rep.BestValid) > 1e-12 {
		t.Fatalf("Evaluate with the training's layout gives %v, the training's validation %v", ev.Nats, rep.BestValid)
	}
	uniform := math.Log(float64(m.Classes()))
	if rep.BestValid > 0.1*uniform {
		t.Fatalf("valid loss %.4f, uniform %.4f", rep.BestValid, uniform)
	}
	lines, err := m.Generate(SampleConfig{Lines: 6, Temperature: 0.1, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%q", lines)
	got := strings.Join(lines, "|")
	if !strings.Contains(got, "the cat sat on the mat|a dog ran|") {
		t.Fatalf("generated %q", lines)
	}
}

// constantModel returns an untrained model over the characters of lines whose
// output weights are zero and whose output bias is bias (one per class): every
// prediction is softmax(bias), whatever the input.
func constantModel(t *testing.T, lines []string, bias func(m *Model, c int) float64) *Model {
	t.Helper()
	cfg := Config{Hidden: 4, Layers: 2, Embed: 3}.WithDefaults()
	m, err := newModel(cfg, vocabulary(lines), rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	clear(m.main.out.W.Value)
	for c := range m.main.out.B.Value {
		m.main.out.B.Value[c] = bias(m, c)
	}
	return m
}

func TestLossAccounting(t *testing.T) {
	lines := []string{"abca", "", "bb", "ccc a"}
	// Zero logits: exactly ln(V) per prediction, V the classes a prediction can
	// take (</s>, <unk> and the characters; never <s>).
	m := constantModel(t, lines, func(*Model, int) float64 { return 0 })
	for _, streams := range []int{1, 2, 5, 100} {
		ev, err := m.Evaluate(lines, EvalConfig{Streams: streams, BPTT: 3})
		if err != nil {
			t.Fatal(err)
		}
		if want := 4 + 0 + 2 + 5 + 4; ev.Chars != want || ev.Lines != 4 {
			t.Fatalf("streams %d: %d predictions over %d lines, want %d over 4", streams, ev.Chars, ev.Lines, want)
		}
		if want := math.Log(float64(FirstCharID + 4)); math.Abs(ev.Nats-want) > 1e-12 || math.Abs(ev.Bits-want/math.Ln2) > 1e-12 {
			t.Fatalf("streams %d: %v nats, want ln(6) = %v", streams, ev.Nats, want)
		}
	}
	// A bias per class: the loss is the mean of −log softmax(bias)[target] over
	// every character and line end, computed here from the counts.
	m = constantModel(t, lines, func(m *Model, c int) float64 { return 0.3*float64(c) - 0.1*float64(c*c) })
	b := m.main.out.B.Value
	var z float64
	for _, v := range b {
		z += math.Exp(v)
	}
	nll := func(c int) float64 { return -(b[c] - math.Log(z)) }
	var sum float64
	n := 0
	for _, l := range lines {
		for _, r := range l {
			sum += nll(m.ID(r))
			n++
		}
		sum += nll(EndID)
		n++
	}
	ev, err := m.Evaluate(append(lines[:len(lines):len(lines)], "z"), EvalConfig{Streams: 3, BPTT: 2})
	if err != nil {
		t.Fatal(err)
	}
	sum += nll(UnknownID) + nll(EndID) // "z" is outside the vocabulary
	n += 2
	if ev.Chars != n || ev.Unknown != 1 || math.Abs(ev.Nats-sum/float64(n)) > 1e-12 {
		t.Fatalf("got %+v, want %d predictions, 1 unknown, %v nats", ev, n, sum/float64(n))
	}
}

func TestSampling(t *testing.T) {
	m, _, err := Train(context.Background(), tinyConfig(), regular(60), nil)
	if err != nil {
		t.Fatal(err)
	}
	gen := func(cfg SampleConfig) []string {
		t.Helper()
		lines, err := m.Generate(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return lines
	}
	greedy := gen(SampleConfig{Lines: 4, Greedy: true})
	for name, cfg := range map[string]SampleConfig{
		"temperature→0": {Lines: 4, Temperature: 1e-9, Seed: 7},
		"top-k 1":       {Lines: 4, TopK: 1, Seed: 8},
	} {
		if got := gen(cfg); !slices.Equal(got, greedy) {
			t.Errorf("%s: %q, argmax %q", name, got, greedy)
		}
	}
	hot := SampleConfig{Lines: 5, Temperature: 3, TopK: 5, Seed: 11}
	a, b := gen(hot), gen(hot)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different text: %q %q", a, b)
	}
	hot.Seed = 12
	if c := gen(hot); slices.Equal(a, c) {
		t.Errorf("seeds 11 and 12 gave the same text %q", a)
	}
	if len(a) != 5 {
		t.Errorf("%d lines, want 5", len(a))
	}
	// The prime is continued.
	p := gen(SampleConfig{Lines: 2, Greedy: true, Prime: "xx\nthe cat s"})
	if len(p) != 3 || p[0] != "xx" || p[1] != "the cat sat on the mat" {
		t.Errorf("primed: %q", p)
	}
}

func TestSamplingStops(t *testing.T) {
	lines := []string{"ab"}
	// </s> certain: every line is empty.
	m := constantModel(t, lines, func(_ *Model, c int) float64 { return map[bool]float64{true: 50}[c == EndID] })
	got, err := m.Generate(SampleConfig{Lines: 3, Seed: 1})
	if err != nil || !slices.Equal(got, []string{"", "", ""}) {
		t.Fatalf("%q, %v", got, err)
	}
	// 'b' certain (and <unk> more likely still, but never drawn): lines stop at MaxLen.
	m = constantModel(t, lines, func(m *Model, c int) float64 {
		return map[int]float64{m.ID('b'): 50, UnknownID: 100}[c]
	})
	got, err = m.Generate(SampleConfig{Lines: 2, MaxLen: 7, Seed: 1, Prime: "aa"})
	if err != nil || !slices.Equal(got, []string{"aabbbbb", "bbbbbbb"}) {
		t.Fatalf("%q, %v", got, err)
	}
	if _, err := m.Generate(SampleConfig{TopK: -1}); !errors.Is(err, nlp.ErrConfig) {
		t.Fatalf("top-k -1: %v", err)
	}
}

func TestSamplerAllocs(t *testing.T) {
	m := constantModel(t, []string{"abc"}, func(*Model, int) float64 { return 0 })
	s := m.newSampler(1)
	cfg := SampleConfig{Temperature: 0.8, TopK: 3}.WithDefaults()
	s.feed(m.StartID())
	if a := testing.AllocsPerRun(50, func() { s.feed(s.sample(cfg)) }); a != 0 {
		t.Fatalf("%v allocations per generated character", a)
	}
}
