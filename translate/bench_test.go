package translate

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkTrainStep is one training step of the default configuration on
// a batch of 64 pairs of 13 source and 14 target units (Multi30k's means)
// over vocabularies of 8,000 units; units/s counts both sides, </s> included.
func BenchmarkTrainStep(b *testing.B) {
	m := benchModel(b, Config{Seed: 1})
	m.SetTraining(true)
	pairs := benchPairs(64, 13, 14)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.trainStep(pairs, 0)
	}
	b.ReportMetric(float64(b.N*64*(13+14))/b.Elapsed().Seconds(), "units/s")
}

// BenchmarkDecode translates 64 sentences of 13 units, greedy and with beam 5.
func BenchmarkDecode(b *testing.B) {
	m := benchModel(b, Config{Seed: 1})
	m.packWeights()
	pairs := benchPairs(64, 13, 0)
	var srcs [][]int
	for _, p := range pairs {
		srcs = append(srcs, p.src)
	}
	for _, beam := range []int{1, 5} {
		b.Run(map[int]string{1: "greedy", 5: "beam5"}[beam], func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				m.decode(srcs, search{beam: beam, alpha: 1})
			}
			b.ReportMetric(float64(b.N*len(srcs))/b.Elapsed().Seconds(), "sentences/s")
		})
	}
}

func benchModel(b *testing.B, cfg Config) *Model {
	units := func(n int) *vocab {
		u := append([]string(nil), specials...)
		for i := 0; i < n; i++ {
			u = append(u, string(rune('a'+i%26))+string(rune('a'+i/26%26))+string(rune('a'+i/676)))
		}
		v, err := vocabOf(u)
		if err != nil {
			b.Fatal(err)
		}
		return v
	}
	m, err := newModel(cfg, units(8000), units(8000), &textModel{}, rand.New(rand.NewPCG(1, 0)))
	if err != nil {
		b.Fatal(err)
	}
	return m
}

func benchPairs(n, ls, lt int) []pair {
	rng := rand.New(rand.NewPCG(2, 0))
	ps := make([]pair, n)
	for i := range ps {
		for j := 0; j < ls; j++ {
			ps[i].src = append(ps[i].src, firstUnitID+rng.IntN(8000))
		}
		ps[i].src = append(ps[i].src, eosID)
		for j := 0; j < lt; j++ {
			ps[i].tgt = append(ps[i].tgt, firstUnitID+rng.IntN(8000))
		}
	}
	return ps
}
