package nn

import (
	"math"
	"testing"
)

// TestGradientFlowVanishes asserts the lecture's claim: 50 steps back from the
// loss, the vanilla RNN's gradient is orders of magnitude below the LSTM's.
func TestGradientFlowVanishes(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		res, err := GradientFlow(GradFlowConfig{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string][]float64{}
		for i, c := range res.Cells {
			byName[c] = res.Norms[i]
			if len(res.Norms[i]) != 100 {
				t.Fatalf("%s: %d norms, want 100", c, len(res.Norms[i]))
			}
			// At distance 0 the gradient is the loss weight itself, a unit vector.
			if math.Abs(res.Norms[i][0]-1) > 1e-12 {
				t.Fatalf("%s: norm at the last step %g, want 1", c, res.Norms[i][0])
			}
		}
		rnn, lstm := byName["rnn"][50], byName["lstm"][50]
		if !(rnn < 1e-3*lstm) {
			t.Errorf("seed %d: at distance 50, rnn %.3g vs lstm %.3g: want the rnn at least 1000× smaller", seed, rnn, lstm)
		}
		// The RNN's decay is steady: each 10 steps shrink it further.
		for d := 10; d < 100; d += 10 {
			if byName["rnn"][d] >= byName["rnn"][d-10] {
				t.Errorf("seed %d: rnn norm grew from %.3g to %.3g between distances %d and %d",
					seed, byName["rnn"][d-10], byName["rnn"][d], d-10, d)
			}
		}
	}
}

func TestGradientFlowRejectsUnknownCell(t *testing.T) {
	if _, err := GradientFlow(GradFlowConfig{Cells: []string{"lstm", "bogus"}}); err == nil {
		t.Fatal("unknown cell accepted")
	}
}
