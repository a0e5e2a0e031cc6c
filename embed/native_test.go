package embed

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestHuffman(t *testing.T) {
	// The textbook example: counts 45, 16, 13, 12, 9, 5 give code lengths 1, 3, 3, 3, 4, 4.
	counts := []int64{45, 16, 13, 12, 9, 5}
	h := newHuffman(counts)
	wantLen := []int{1, 3, 3, 3, 4, 4}
	codes := make([]string, len(counts))
	kraft := 0.0
	for w := range counts {
		n := int(h.off[w+1] - h.off[w])
		if n != wantLen[w] {
			t.Errorf("word %d (count %d): code length %d, want %d", w, counts[w], n, wantLen[w])
		}
		var b strings.Builder
		for k := h.off[w]; k < h.off[w+1]; k++ {
			b.WriteByte('0' + h.codes[k])
		}
		codes[w] = b.String()
		kraft += math.Pow(2, -float64(n))
		if h.points[h.off[w]] != int32(len(counts)-2) {
			t.Errorf("word %d: path starts at inner node %d, want the root %d", w, h.points[h.off[w]], len(counts)-2)
		}
	}
	if kraft != 1 {
		t.Errorf("Kraft sum %v, want 1 (a full binary tree)", kraft)
	}
	for i := range codes {
		for j := range codes {
			if i != j && strings.HasPrefix(codes[j], codes[i]) {
				t.Errorf("code %q of word %d prefixes %q of word %d", codes[i], i, codes[j], j)
			}
		}
	}
}

func TestHuffmanWithEnd(t *testing.T) {
	// An end-of-sentence leaf of weight 21 among 45, 16, 13, 12, 9, 5 merges
	// 5+9, 12+13, 14+16, 21+25, 30+45, then the root: the words' codes get
	// lengths 2, 3, 3, 3, 4, 4, and the leaf, whose path is dropped, length 2.
	counts := []int64{45, 16, 13, 12, 9, 5}
	h := newHuffmanWithEnd(counts, 21)
	wantLen := []int{2, 3, 3, 3, 4, 4}
	if len(h.off) != len(counts)+1 {
		t.Fatalf("%d paths, want one per word (%d)", len(h.off)-1, len(counts))
	}
	kraft := 0.0
	inner := int32(len(counts)) // inner nodes of a tree of n+1 leaves
	for w := range counts {
		n := int(h.off[w+1] - h.off[w])
		if n != wantLen[w] {
			t.Errorf("word %d (count %d): code length %d, want %d", w, counts[w], n, wantLen[w])
		}
		kraft += math.Pow(2, -float64(n))
		for k := h.off[w]; k < h.off[w+1]; k++ {
			if p := h.points[k]; p < 0 || p >= inner {
				t.Errorf("word %d: inner node %d outside [0, %d)", w, p, inner)
			}
		}
		if h.points[h.off[w]] != inner-1 {
			t.Errorf("word %d: path starts at %d, want the root %d", w, h.points[h.off[w]], inner-1)
		}
	}
	// The words leave exactly the end leaf's share of the code space: 2⁻².
	if kraft != 0.75 {
		t.Errorf("Kraft sum of the words %v, want 0.75", kraft)
	}
	// No sentences: the plain tree.
	if got, want := newHuffmanWithEnd(counts, 0), newHuffman(counts); !slices.Equal(got.codes, want.codes) || !slices.Equal(got.points, want.points) {
		t.Error("newHuffmanWithEnd(counts, 0) differs from newHuffman(counts)")
	}
}

func TestAliasTable(t *testing.T) {
	counts := []int64{1000, 100, 10, 1}
	tab := newAliasTable(counts, 0.75)
	want := make([]float64, len(counts))
	sum := 0.0
	for i, c := range counts {
		want[i] = math.Pow(float64(c), 0.75)
		sum += want[i]
	}
	r := rng{s: 7}
	const n = 1 << 20
	got := make([]float64, len(counts))
	for range n {
		got[tab.sample(&r)]++
	}
	for i := range got {
		p, q := got[i]/n, want[i]/sum
		if math.Abs(p-q) > 4*math.Sqrt(q*(1-q)/n)+1e-6 {
			t.Errorf("word %d drawn with frequency %.5f, want %.5f", i, p, q)
		}
	}
}

func TestSubsampleThresholds(t *testing.T) {
	// 1000 words; t = 0.01, so t·N = 10: a word of count 40 is kept with probability
	// (√(40/10) + 1)·10/40 = 0.75; counts up to (1+√5)/2·… ≤ 10·(golden ratio)² are kept always.
	keep := subsampleThresholds([]int64{40, 10, 1}, 1000, 0.01)
	if got := float64(keep[0]) / (1 << 32); math.Abs(got-0.75) > 1e-9 {
		t.Errorf("keep(40) = %v, want 0.75", got)
	}
	if keep[1] != math.MaxUint32 || keep[2] != math.MaxUint32 {
		t.Errorf("rare words not always kept: %v", keep[1:])
	}
	if off := subsampleThresholds([]int64{900}, 1000, 0); off[0] != math.MaxUint32 {
		t.Errorf("t = 0 drops words")
	}
}

func TestSigmoidTable(t *testing.T) {
	for _, x := range []float32{-5.99, -1, 0, 0.3, 5.99} {
		want := 1 / (1 + math.Exp(-float64(x)))
		if got := sigmoid(x); math.Abs(float64(got)-want) > 2e-3 {
			t.Errorf("sigmoid(%v) = %v, want %v", x, got, want)
		}
	}
}

// plantedCorpus returns sentences each drawn from one of two disjoint word groups,
// so that a word's neighbours should be its own group.
func plantedCorpus(seed uint64, sentences int) string {
	r := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	for range sentences {
		g := "a"
		if r.IntN(2) == 1 {
			g = "b"
		}
		for k := range 10 {
			if k > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%s%d", g, r.IntN(20))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func readString(t testing.TB, s string) *Corpus {
	t.Helper()
	c, err := ReadCorpus(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// groupPurity is the share of each word's 5 nearest neighbours in its own group.
func groupPurity(v *Vectors) float64 {
	same, all := 0, 0
	for _, w := range v.Words() {
		ns, _ := v.Nearest(w, 5)
		for _, n := range ns {
			all++
			if n.Word[0] == w[0] {
				same++
			}
		}
	}
	return float64(same) / float64(all)
}

func TestNativeRecoversPlantedGroups(t *testing.T) {
	c := readString(t, plantedCorpus(1, 2000))
	for _, model := range []Model{SkipGram, CBOW} {
		for _, opt := range []Optimizer{NegativeSampling, HierarchicalSoftmax} {
			for _, threads := range []int{1, 2} {
				t.Run(fmt.Sprintf("%s/%s/%d", model, opt, threads), func(t *testing.T) {
					v, err := Train(c, Config{Model: model, Optimizer: opt, Dim: 16, Epochs: 3, MinCount: 1, Threads: threads, Seed: 5})
					if err != nil {
						t.Fatal(err)
					}
					if v.Len() != 40 || v.Dim() != 16 {
						t.Fatalf("%d×%d vectors, want 40×16", v.Len(), v.Dim())
					}
					if p := groupPurity(v); p < 0.95 {
						t.Errorf("%.0f%% of neighbours in the same group, want ≥ 95%%", 100*p)
					}
				})
			}
		}
	}
}

func TestNativeReproducible(t *testing.T) {
	c := readString(t, plantedCorpus(2, 500))
	for _, cfg := range []Config{
		{Dim: 8, MinCount: 1},
		{Dim: 8, MinCount: 1, Model: CBOW, Optimizer: HierarchicalSoftmax, Sample: 1e-2},
	} {
		t.Run(fmt.Sprintf("%s/%s", cfg.Model, cfg.Optimizer), func(t *testing.T) {
			train := func(seed uint64) []float32 {
				cfg.Seed = seed
				v, err := Train(c, cfg)
				if err != nil {
					t.Fatal(err)
				}
				return v.Data()
			}
			a, b, other := train(9), train(9), train(10)
			if !slices.Equal(a, b) {
				t.Error("two runs with one seed at one thread differ")
			}
			if slices.Equal(a, other) {
				t.Error("two seeds give identical vectors")
			}
		})
	}
}

func TestMinCount(t *testing.T) {
	c := readString(t, "a a a b b c\nd a b\n")
	v, err := Train(c, Config{MinCount: 2, Dim: 4, Epochs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Words(); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("vocabulary %v, want [a b]", got)
	}
	if _, err := Train(c, Config{MinCount: 10}); err == nil {
		t.Error("training with an empty vocabulary succeeded")
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		cfg Config
		ok  bool
	}{
		{Config{}, true},
		{Config{Engine: Wego, Optimizer: HierarchicalSoftmax, Model: CBOW}, true},
		{Config{Engine: "torch"}, false},
		{Config{Model: "glove"}, false},
		{Config{Optimizer: "softmax"}, false},
		{Config{Dim: -1}, false},
		{Config{Sample: 1}, false},
		{Config{Alpha: 2}, false},
		{Config{Threads: -2}, false},
	} {
		t.Run(fmt.Sprintf("%+v", tc.cfg), func(t *testing.T) {
			if err := tc.cfg.Validate(); (err == nil) != tc.ok {
				t.Errorf("Validate() = %v, want ok=%v", err, tc.ok)
			}
		})
	}
	if d := (Config{Engine: Wego}).WithDefaults(); d.Optimizer != HierarchicalSoftmax {
		t.Errorf("wego's default optimizer %q, want hs", d.Optimizer)
	}
	if d := (Config{Model: CBOW}).WithDefaults(); d.Alpha != 0.05 {
		t.Errorf("CBOW's default alpha %v, want 0.05", d.Alpha)
	}
}

func BenchmarkTrainNative(b *testing.B) {
	c := readString(b, plantedCorpus(3, 5000))
	for _, opt := range []Optimizer{NegativeSampling, HierarchicalSoftmax} {
		for _, dim := range []int{50, 100} {
			b.Run(fmt.Sprintf("%s/dim%d", opt, dim), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Train(c, Config{Optimizer: opt, Dim: dim, Epochs: 1, MinCount: 1}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*c.Tokens())/b.Elapsed().Seconds(), "words/s")
			})
		}
	}
}
