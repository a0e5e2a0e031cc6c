package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestVectorActivations compares the AVX2 σ and tanh with the scalar ones over
// the whole range, the saturated ends and the odd tails of a block.
func TestVectorActivations(t *testing.T) {
	if !kernelAvailable {
		t.Skip("no AVX2 on this CPU")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	xs := []float64{0, 1e-300, -1e-300, 1e-8, -1e-8, 0.5, -0.5, 20, -20, 40, -40, 354, -354, 800, -800, 1e300, -1e300}
	for i := 0; i < 100000; i++ {
		xs = append(xs, rng.NormFloat64()*4, (rng.Float64()*2-1)*750)
	}
	xs = xs[:len(xs)-1] // an odd length, so the scalar tail runs too
	sig := append([]float64(nil), xs...)
	th := make([]float64, len(xs))
	sigmoids(sig)
	tanhs(th, xs)
	for i, x := range xs {
		if ws := 1 / (1 + math.Exp(-x)); math.Abs(sig[i]-ws) > 4e-16*math.Max(1, ws) && math.Abs(sig[i]-ws) > 1e-300 {
			t.Fatalf("σ(%g) = %.17g, want %.17g", x, sig[i], ws)
		}
		if wt := math.Tanh(x); math.Abs(th[i]-wt) > 4e-16 {
			t.Fatalf("tanh(%g) = %.17g, want %.17g", x, th[i], wt)
		}
	}
}

func BenchmarkActivations(b *testing.B) {
	x := randomSlice(rand.New(rand.NewPCG(1, 1)), 4096)
	y := make([]float64, len(x))
	for _, on := range kernelModes() {
		name := "scalar"
		if on {
			name = "avx2"
		}
		b.Run("sigmoid/"+name, func(b *testing.B) {
			withKernel(on, func() {
				for i := 0; i < b.N; i++ {
					copy(y, x)
					sigmoids(y)
				}
			})
		})
		b.Run("tanh/"+name, func(b *testing.B) {
			withKernel(on, func() {
				for i := 0; i < b.N; i++ {
					tanhs(y, x)
				}
			})
		})
	}
}
