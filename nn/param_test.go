package nn

import (
	"math/rand/v2"
	"testing"
)

// TestReleaseGrad: a model whose gradients were released (as loaded models
// are) trains exactly like one that kept them, the buffers coming back on
// first use, and ZeroGrad on a released Param allocates nothing.
func TestReleaseGrad(t *testing.T) {
	type net struct {
		emb *Embedding
		enc *Encoder
		out *Linear
	}
	build := func() net {
		rng := rand.New(rand.NewPCG(3, 3))
		enc, err := NewEncoder(EncoderConfig{Cell: "peephole", Input: 4, Hidden: 3, Bidirectional: true}, "enc", rng)
		if err != nil {
			t.Fatal(err)
		}
		return net{NewEmbedding("emb", 7, 4, rng), enc, NewLinear("out", 6, 2, rng)}
	}
	params := func(n net) []*Param {
		return append(append(n.emb.Params(), n.enc.Params()...), n.out.Params()...)
	}
	kept, released := build(), build()
	ReleaseGrads(params(released))
	for _, p := range params(released) {
		p.ZeroGrad()
		if p.Grad != nil {
			t.Fatalf("%s: ZeroGrad allocated a released gradient", p.Name)
		}
	}
	bt := Batch{Steps: 3, Lengths: []int{3, 2}}
	ids := []int{1, 2, 3, 4, 5, 0}
	dy := randomSlice(rand.New(rand.NewPCG(5, 5)), bt.Rows()*2)
	for _, n := range []net{kept, released} {
		opt := NewAdam(0.01)
		for range 2 {
			x := make([]float64, len(ids)*4)
			n.emb.Forward(x, ids)
			h := n.enc.Forward(x, bt)
			y := make([]float64, bt.Rows()*2)
			n.out.Forward(y, h)
			ZeroGrad(params(n))
			dh := make([]float64, len(h))
			n.out.Backward(dh, h, dy)
			dx := n.enc.Backward(dh, nil)
			n.emb.Backward(ids, dx)
			opt.Step(params(n))
		}
	}
	pk, pr := params(kept), params(released)
	for i := range pk {
		if len(pr[i].Grad) != len(pk[i].Grad) {
			t.Fatalf("%s: %d gradients after training, want %d", pk[i].Name, len(pr[i].Grad), len(pk[i].Grad))
		}
		for j := range pk[i].Value {
			if pk[i].Value[j] != pr[i].Value[j] || pk[i].Grad[j] != pr[i].Grad[j] {
				t.Fatalf("%s[%d]: value %g grad %g after release, want %g and %g", pk[i].Name, j,
					pr[i].Value[j], pr[i].Grad[j], pk[i].Value[j], pk[i].Grad[j])
			}
		}
	}
}
