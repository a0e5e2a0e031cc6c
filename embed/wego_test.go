package embed

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestWegoStream(t *testing.T) {
	// 10,000 words, t = 1e-3, so t·N = 10: a word of count k is kept with probability
	// p(k) = (√(k/10) + 1)·10/k per occurrence and epoch: 0.0344 for "a" (9,000 times),
	// 0.416 for "b" (100 times) and always for "c" (3 times).
	var in strings.Builder
	for i := range 1000 {
		switch {
		case i%10 == 0:
			in.WriteString("b a a a a a a a a a\n")
		case i%400 == 1:
			in.WriteString("c a a a a a a a a a\n")
		default:
			in.WriteString("a a a a a a a a a a\n")
		}
	}
	c := readString(t, in.String())
	var out bytes.Buffer
	words, err := wegoStream(&out, c, 3, Config{Epochs: 3, Sample: 1e-3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(out.String())
	if int64(len(fields)) != words {
		t.Fatalf("reported %d words, wrote %d", words, len(fields))
	}
	seen := map[string]int{}
	for _, f := range fields {
		seen[f]++
	}
	for i, w := range []string{"a", "b", "c"} {
		k := float64(c.Count(i))
		p := min((math.Sqrt(k/10)+1)*10/k, 1)
		want := 3 * k * p
		if got := float64(seen[w]); math.Abs(got-want) > 5*math.Sqrt(want*(1-p))+1e-9 {
			t.Errorf("%s (count %v) kept %v times in 3 epochs, want about %.1f", w, k, got, want)
		}
	}
}

func TestReadWegoVectors(t *testing.T) {
	// wego's Save: no header, "%f " values, every word it read.
	saved := "the 0.100000 0.200000 \nrare 9.000000 9.000000 \ncat -1.000000 0.500000 \n"
	v, err := readWegoVectors(strings.NewReader(saved), []string{"the", "cat", "dog"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := mustVectors(t, []string{"the", "cat", "dog"}, 2, []float32{0.1, 0.2, -1, 0.5, 0, 0})
	sameVectors(t, v, want)
	if _, err := readWegoVectors(strings.NewReader("x 1\n"), []string{"x"}, 2); err == nil {
		t.Error("short line accepted")
	}
}

// TestWegoRecoversPlantedGroups trains through wego with one goroutine.
func TestWegoRecoversPlantedGroups(t *testing.T) {
	if raceEnabled {
		t.Skip("wego races on its learning rate even with one goroutine")
	}
	c := readString(t, plantedCorpus(1, 2000))
	for _, opt := range []Optimizer{HierarchicalSoftmax, NegativeSampling} {
		t.Run(string(opt), func(t *testing.T) {
			v, err := Train(c, Config{Engine: Wego, Optimizer: opt, Dim: 16, Epochs: 3, MinCount: 1, Threads: 1})
			if err != nil {
				t.Fatal(err)
			}
			if v.Len() != 40 {
				t.Fatalf("%d words, want 40", v.Len())
			}
			if p := groupPurity(v); p < 0.9 {
				t.Errorf("%.0f%% of neighbours in the same group, want ≥ 90%%", 100*p)
			}
		})
	}
}

func BenchmarkTrainWego(b *testing.B) {
	c := readString(b, plantedCorpus(3, 5000))
	for _, opt := range []Optimizer{NegativeSampling, HierarchicalSoftmax} {
		b.Run(fmt.Sprint(opt), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Train(c, Config{Engine: Wego, Optimizer: opt, Epochs: 1, MinCount: 1}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*c.Tokens())/b.Elapsed().Seconds(), "words/s")
		})
	}
}
