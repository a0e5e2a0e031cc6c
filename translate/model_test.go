package translate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nlp-go/nlp/nn"
)

// tinyModel builds a model over synthetic vocabularies of nSrc and nTgt
// units, with every width small enough for finite differences.
func tinyModel(t *testing.T, cfg Config, nSrc, nTgt int) *Model {
	t.Helper()
	units := func(prefix string, n int) *vocab {
		u := append([]string(nil), specials...)
		for i := 0; i < n; i++ {
			u = append(u, fmt.Sprintf("%s%d", prefix, i))
		}
		v, err := vocabOf(u)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	m, err := newModel(cfg, units("s", nSrc), units("t", nTgt), &textModel{}, rand.New(rand.NewPCG(cfg.Seed, 0)))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// randomPairs draws n pairs of random lengths (a source of length 0 but for
// its </s> included, to test the mask).
func randomPairs(rng *rand.Rand, n, nSrc, nTgt, maxLen int) []pair {
	ps := make([]pair, n)
	for i := range ps {
		ls, lt := rng.IntN(maxLen+1), rng.IntN(maxLen+1)
		if i == 0 {
			ls = 0
		}
		for j := 0; j < ls; j++ {
			ps[i].src = append(ps[i].src, firstUnitID+rng.IntN(nSrc))
		}
		ps[i].src = append(ps[i].src, eosID)
		for j := 0; j < lt; j++ {
			ps[i].tgt = append(ps[i].tgt, firstUnitID+rng.IntN(nTgt))
		}
	}
	return ps
}

// TestGradients compares the gradient of the whole model — output layer,
// the decoder's steps with input feeding, the attention, the bridge, the
// encoder and both embeddings — with central finite differences of the loss,
// for every attention kind, with and without input feeding, for a GRU and an
// LSTM, on a ragged batch.
func TestGradients(t *testing.T) {
	for _, cell := range []string{"gru", "lstm"} {
		for _, kind := range nn.AttentionKinds() {
			for _, feed := range []bool{true, false} {
				tied := !feed // the tied output layer, once per cell and kind
				name := fmt.Sprintf("%s/%s/feed=%v/tied=%v", cell, kind, feed, tied)
				t.Run(name, func(t *testing.T) {
					cfg := Config{Cell: cell, Emb: 4, Hidden: 3, Layers: 2, Decoder: 5, Attention: kind, AttHidden: 3, Output: 4,
						NoInputFeeding: !feed, Tied: tied, Dropout: -1, Seed: 3}
					if kind == "dot" {
						cfg.Decoder = 6
					}
					m := tinyModel(t, cfg, 6, 7)
					m.SetTraining(true)
					pairs := randomPairs(rand.New(rand.NewPCG(5, 8)), 4, 6, 7, 4)
					ps := m.Params()
					nn.ZeroGrad(ps)
					m.trainStep(pairs, 0)
					loss := func() float64 {
						s, n := m.devLoss(pairs)
						return s / float64(n)
					}
					rng := rand.New(rand.NewPCG(1, 2))
					for _, p := range ps {
						// A sample of each tensor's entries keeps the test fast.
						for k := 0; k < 6; k++ {
							i := rng.IntN(len(p.Value))
							v := p.Value[i]
							const h = 1e-6
							p.Value[i] = v + h
							p.Changed()
							up := loss()
							p.Value[i] = v - h
							p.Changed()
							down := loss()
							p.Value[i] = v
							p.Changed()
							num := (up - down) / (2 * h)
							if d := math.Abs(num - p.Grad[i]); d > 1e-7+1e-5*math.Abs(num) {
								t.Fatalf("%s[%d]: analytic %.10g, finite difference %.10g", p.Name, i, p.Grad[i], num)
							}
						}
					}
				})
			}
		}
	}
}
