package nn

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPackWeights checks that an encoder keeping its weights packed between
// passes computes exactly what an unpacked twin computes, and that every way
// the weights can change renews the packed copy: an optimizer step, Load,
// RoundToStorage, a direct write announced by Changed, and a replaced Value.
func TestPackWeights(t *testing.T) {
	if !useKernel {
		t.Skip("no product kernel on this machine: nothing is packed")
	}
	for _, batch := range []int{1, 5} {
		cfg := EncoderConfig{Cell: "lstm", Input: 7, Hidden: 9, Layers: 2, Bidirectional: true}
		packed, err := NewEncoder(cfg, "enc", rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		plain := packed.ShareParams() // same *Param, its own layers, never packed
		packed.PackWeights()
		bt := FullBatch(batch, 4)
		rng := rand.New(rand.NewPCG(2, 2))
		x := randomSlice(rng, bt.Rows()*cfg.Input)
		same := func(when string) {
			t.Helper()
			got := slices.Clone(packed.Forward(x, bt))
			want := plain.Forward(x, bt)
			if !slices.Equal(got, want) {
				t.Fatalf("batch %d, %s: packed output differs from unpacked", batch, when)
			}
		}
		same("first pass")
		same("second pass") // the packed copy reused

		// An optimizer step.
		params := packed.Params()
		for _, p := range params {
			copy(p.Grad, randomSlice(rng, len(p.Grad)))
		}
		NewAdam(0.1).Step(params)
		same("after an Adam step")

		// A direct write, announced.
		for _, p := range params {
			for i := range p.Value {
				p.Value[i] *= 0.5
			}
			p.Changed()
		}
		same("after Changed")

		// Rounding to the file's precision.
		for _, p := range params {
			p.Store16 = true
			p.RoundToStorage()
		}
		same("after RoundToStorage")

		// A Value slice replaced (a clone sharing another model's weights).
		for _, p := range params {
			p.Value = randomSlice(rng, len(p.Value))
		}
		same("after replacing Values")

		// UnpackWeights goes back to packing at every pass.
		packed.UnpackWeights()
		same("unpacked")
	}
}
