package nn

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkEncoder sweeps the shapes of the speed goal (input 100, 25 steps) over
// hidden size and batch, bidirectional LSTM, training (forward+backward) and
// inference; tokens/s is reported as a metric. Steady state must show 0 allocs/op.
func BenchmarkEncoder(b *testing.B) {
	for _, cell := range []string{"lstm", "gru"} {
		for _, hidden := range []int{128, 256} {
			for _, batch := range []int{1, 32} {
				for _, mode := range []string{"train", "infer"} {
					name := fmt.Sprintf("%s/H=%d/B=%d/%s", cell, hidden, batch, mode)
					b.Run(name, func(b *testing.B) {
						benchEncoder(b, cell, hidden, batch, mode == "train")
					})
				}
			}
		}
	}
}

func benchEncoder(b *testing.B, cell string, hidden, batch int, train bool) {
	rng := rand.New(rand.NewPCG(1, 2))
	enc, err := NewEncoder(EncoderConfig{Cell: cell, Input: 100, Hidden: hidden, Bidirectional: true}, "b", rng)
	if err != nil {
		b.Fatal(err)
	}
	bt := FullBatch(batch, 25)
	x := randomSlice(rng, bt.Rows()*100)
	dy := randomSlice(rng, bt.Rows()*enc.Output())
	run := func() {
		enc.Forward(x, bt)
		if train {
			enc.Backward(dy, nil)
		}
	}
	if !train {
		enc.PackWeights() // as a model serving requests would
	}
	run() // size the workspaces
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run()
	}
	b.ReportMetric(float64(b.N*bt.Rows())/b.Elapsed().Seconds(), "tok/s")
}
