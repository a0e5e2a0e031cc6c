package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDropoutStatistics checks that about P of the elements are dropped, that
// the survivors are scaled by 1/(1−P), and that the mean is preserved.
func TestDropoutStatistics(t *testing.T) {
	const n = 200000
	for _, p := range []float64{0.1, 0.5, 0.8} {
		t.Run(fmt.Sprint(p), func(t *testing.T) {
			d := NewDropout(p, rand.New(rand.NewPCG(11, 12)))
			x := make([]float64, n)
			for i := range x {
				x[i] = 1
			}
			y := make([]float64, n)
			d.Forward(y, x)
			zeros, sum := 0, 0.0
			for _, v := range y {
				switch {
				case v == 0:
					zeros++
				case math.Abs(v-1/(1-p)) > 1e-12:
					t.Fatalf("survivor %v, want %v", v, 1/(1-p))
				}
				sum += v
			}
			// Binomial standard deviation of the drop fraction is √(p(1−p)/n) ≈ 0.001;
			// allow five of them.
			sd := math.Sqrt(p * (1 - p) / n)
			if frac := float64(zeros) / n; math.Abs(frac-p) > 5*sd {
				t.Errorf("dropped fraction %.4f, want %.2f ± %.4f", frac, p, 5*sd)
			}
			if mean := sum / n; math.Abs(mean-1) > 5*sd/(1-p) {
				t.Errorf("mean %.4f, want 1", mean)
			}
		})
	}
}

func TestDropoutDeterministic(t *testing.T) {
	run := func(seed uint64) []float64 {
		d := NewDropout(0.3, rand.New(rand.NewPCG(seed, 0)))
		x := normals(rand.New(rand.NewPCG(99, 0)), 1000)
		out := make([]float64, 0, 2*len(x))
		y := make([]float64, len(x))
		for range 2 { // two batches: the stream continues between calls
			d.Forward(y, x)
			out = append(out, y...)
		}
		return out
	}
	if !slices.Equal(run(1), run(1)) {
		t.Error("same seed, different masks")
	}
	if slices.Equal(run(1), run(2)) {
		t.Error("different seeds, same masks")
	}
}

func TestDropoutBackwardUsesMask(t *testing.T) {
	d := NewDropout(0.5, rand.New(rand.NewPCG(3, 3)))
	x := normals(rand.New(rand.NewPCG(4, 4)), 64)
	y := make([]float64, len(x))
	d.Forward(y, x)
	// The layer is linear with the mask fixed, so dX for dY = 1 is y/x.
	dX := make([]float64, len(x))
	ones := make([]float64, len(x))
	for i := range ones {
		ones[i] = 1
	}
	d.Backward(dX, ones)
	for i := range x {
		if math.Abs(dX[i]*x[i]-y[i]) > 1e-12 {
			t.Fatalf("dX[%d] = %v, but y/x = %v", i, dX[i], y[i]/x[i])
		}
	}
	// In place.
	d.Backward(ones, ones)
	if !slices.Equal(ones, dX) {
		t.Error("in-place Backward differs")
	}
}

func TestDropoutEval(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	d := NewDropout(0.5, rng)
	d.SetTraining(false)
	if d.Training() {
		t.Fatal("Training() after SetTraining(false)")
	}
	x := []float64{1, 2, 3, 4}
	y := make([]float64, 4)
	d.Forward(y, x)
	dX := make([]float64, 4)
	d.Backward(dX, x)
	if !slices.Equal(y, x) || !slices.Equal(dX, x) {
		t.Errorf("eval mode: forward %v backward %v, want identity", y, dX)
	}
	// Evaluation draws nothing, so it does not shift the training stream.
	ref := rand.New(rand.NewPCG(5, 5))
	if rng.Uint64() != ref.Uint64() {
		t.Error("evaluation consumed random numbers")
	}
}

func TestNewDropoutPanics(t *testing.T) {
	for _, p := range []float64{-0.1, 1, math.NaN()} {
		t.Run(fmt.Sprint(p), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			NewDropout(p, rand.New(rand.NewPCG(1, 1)))
		})
	}
}

func ExampleDropout() {
	d := NewDropout(0.5, rand.New(rand.NewPCG(1, 2)))
	x := []float64{1, 1, 1, 1, 1, 1}
	y := make([]float64, len(x))
	d.Forward(y, x) // training: each element is 0 or 2
	ok := true
	for _, v := range y {
		ok = ok && (v == 0 || v == 2)
	}
	fmt.Println(ok)

	d.SetTraining(false)
	d.Forward(y, x) // evaluation: the identity
	fmt.Println(y)
	// Output:
	// true
	// [1 1 1 1 1 1]
}

func BenchmarkDropout(b *testing.B) {
	d := NewDropout(0.5, rand.New(rand.NewPCG(1, 1)))
	x := make([]float64, 800*256)
	d.Forward(x, x) // allocates the mask
	b.ReportAllocs()
	for b.Loop() {
		d.Forward(x, x)
		d.Backward(x, x)
	}
}
