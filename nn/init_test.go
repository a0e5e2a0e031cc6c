package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestInit(t *testing.T) {
	for _, tc := range []struct {
		name  string
		init  func(p *Param, rng *rand.Rand)
		bound float64 // values must lie in [−bound, bound]
		std   float64 // expected standard deviation
	}{
		{"uniform", func(p *Param, r *rand.Rand) { InitUniform(p, r, 0.3) }, 0.3, 0.3 / math.Sqrt(3)},
		{"recurrent", func(p *Param, r *rand.Rand) { InitRecurrent(p, r, 64) }, 0.125, 0.125 / math.Sqrt(3)},
		{"xavier", InitXavier, math.Sqrt(6.0 / (100 + 200)), math.Sqrt(2.0 / (100 + 200))},
		{"normal", func(p *Param, r *rand.Rand) { InitNormal(p, r, 0, 0.5) }, math.Inf(1), 0.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := NewParam("w", 100, 200)
			tc.init(p, rand.New(rand.NewPCG(1, 2)))
			q := NewParam("w", 100, 200)
			tc.init(q, rand.New(rand.NewPCG(1, 2)))
			if !slices.Equal(p.Value, q.Value) {
				t.Error("not deterministic for a seed")
			}
			ss := 0.0
			for _, v := range p.Value {
				if math.Abs(v) > tc.bound {
					t.Fatalf("value %v outside ±%v", v, tc.bound)
				}
				ss += v * v
			}
			if std := math.Sqrt(ss / float64(p.Size())); math.Abs(std-tc.std) > 0.02*tc.std {
				t.Errorf("standard deviation %.4f, want %.4f", std, tc.std)
			}
		})
	}
}

// TestNilRNGLeavesZero checks that layers built without an rng (to be loaded)
// draw nothing: every weight is zero, the forget bias included.
func TestNilRNGLeavesZero(t *testing.T) {
	enc, err := NewEncoder(EncoderConfig{Cell: "lstm", Input: 3, Hidden: 4, Layers: 2, Bidirectional: true}, "e", nil)
	if err != nil {
		t.Fatal(err)
	}
	ps := append(enc.Params(), NewLinear("l", 3, 2, nil).Params()...)
	ps = append(ps, NewEmbedding("emb", 5, 3, nil).Params()...)
	for _, p := range ps {
		for i, v := range p.Value {
			if v != 0 {
				t.Fatalf("%s[%d] = %g without an rng", p.Name, i, v)
			}
		}
	}
}
