package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
)

// fdCompare checks analytic against the central finite-difference gradient of
// loss with respect to values, which loss reads in place; values are restored.
func fdCompare(t *testing.T, what string, values, analytic []float64, loss func() float64) {
	t.Helper()
	orig := slices.Clone(values)
	numeric := fd.Gradient(nil, func(x []float64) float64 {
		copy(values, x)
		return loss()
	}, slices.Clone(orig), &fd.Settings{Formula: fd.Central, Step: 1e-6})
	copy(values, orig)
	for i := range numeric {
		if d := math.Abs(numeric[i] - analytic[i]); d > 1e-7+1e-6*math.Abs(numeric[i]) {
			t.Errorf("%s[%d]: analytic %.12g, finite difference %.12g", what, i, analytic[i], numeric[i])
		}
	}
}

// normals returns n draws from N(0, 1).
func normals(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	return v
}

// dot is Σ a_i·b_i, a linear loss whose gradient with respect to a is b.
func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func TestLinearForward(t *testing.T) {
	l := NewLinear("out", 2, 3, nil)
	copy(l.W.Value, []float64{1, 2, 3, 4, 5, 6}) // In×Out
	copy(l.B.Value, []float64{0.5, -1, 0})
	x := []float64{1, 0, 1, -1}
	y := make([]float64, 6)
	l.Forward(y, x)
	want := []float64{1.5, 1, 3, -2.5, -4, -3}
	if !slices.Equal(y, want) {
		t.Errorf("Forward = %v, want %v", y, want)
	}
}

// TestLinearGradients checks dW, db and dX against finite differences of
// L = Σ R ⊙ (xW + b) for shapes that straddle the GEMM tiles (64×192).
// With tied, W is an Out×In table read transposed (NewTiedLinear).
func TestLinearGradients(t *testing.T) {
	for _, tc := range []struct{ n, in, out int }{
		{1, 1, 1}, {3, 4, 5}, {7, 2, 9}, {70, 3, 200}, {5, 130, 2},
	} {
		for _, tied := range []bool{false, true} {
			t.Run(fmt.Sprintf("%dx%d→%d/tied=%v", tc.n, tc.in, tc.out, tied), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(1, 2))
				l := NewLinear("lin", tc.in, tc.out, rng)
				if tied {
					table := NewParam("emb", tc.out, tc.in)
					InitUniform(table, rng, 1)
					l = NewTiedLinear("lin", table)
				}
				InitUniform(l.B, rng, 1)
				x := normals(rng, tc.n*tc.in)
				r := normals(rng, tc.n*tc.out)
				y := make([]float64, tc.n*tc.out)
				loss := func() float64 {
					l.Forward(y, x)
					return dot(y, r)
				}
				dX := make([]float64, len(x))
				for i := range dX {
					dX[i] = math.NaN() // Backward must overwrite dX
				}
				// Start from a non-zero gradient: Backward accumulates into W and b.
				copy(l.W.Grad, normals(rng, len(l.W.Grad)))
				prevW, prevB := slices.Clone(l.W.Grad), slices.Clone(l.B.Grad)
				l.Backward(dX, x, r)
				for i := range prevW {
					l.W.Grad[i] -= prevW[i]
				}
				for i := range prevB {
					l.B.Grad[i] -= prevB[i]
				}
				fdCompare(t, "dW", l.W.Value, l.W.Grad, loss)
				fdCompare(t, "db", l.B.Value, l.B.Grad, loss)
				fdCompare(t, "dX", x, dX, loss)
			})
		}
	}
}

func TestLinearBackwardNilDX(t *testing.T) {
	l := NewLinear("lin", 3, 2, rand.New(rand.NewPCG(3, 4)))
	x := []float64{1, 2, 3}
	l.Backward(nil, x, []float64{1, -1})
	want := []float64{1, -1, 2, -2, 3, -3}
	if !slices.Equal(l.W.Grad, want) {
		t.Errorf("W.Grad = %v, want %v", l.W.Grad, want)
	}
}

func TestLinearShapePanics(t *testing.T) {
	l := NewLinear("lin", 3, 2, nil)
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"ragged input", func() { l.Forward(make([]float64, 2), make([]float64, 4)) }},
		{"short output", func() { l.Forward(make([]float64, 1), make([]float64, 3)) }},
		{"short dX", func() { l.Backward(make([]float64, 2), make([]float64, 3), make([]float64, 2)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc.f()
		})
	}
}

func ExampleLinear() {
	l := NewLinear("out", 2, 2, nil)
	copy(l.W.Value, []float64{1, 0, 0, 2}) // x·W scales the second column by 2
	copy(l.B.Value, []float64{1, 1})
	x := []float64{3, 4} // one row
	y := make([]float64, 2)
	l.Forward(y, x)
	fmt.Println(y)

	dX := make([]float64, 2)
	l.Backward(dX, x, []float64{1, 1}) // dL/dy for L = y0 + y1
	fmt.Println(dX, l.W.Grad, l.B.Grad)
	// Output:
	// [4 9]
	// [1 2] [3 3 4 4] [1 1]
}

// BenchmarkLinear is one forward and backward pass of an output layer over a
// batch of N rows (for a tagger, N = batch × steps).
func BenchmarkLinear(b *testing.B) {
	for _, s := range []struct{ n, in, out int }{
		{32, 256, 17}, {800, 256, 17}, {800, 256, 512}, {1, 128, 5},
	} {
		b.Run(fmt.Sprintf("N=%d/In=%d/Out=%d", s.n, s.in, s.out), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			l := NewLinear("lin", s.in, s.out, rng)
			x := normals(rng, s.n*s.in)
			y := make([]float64, s.n*s.out)
			dX := make([]float64, len(x))
			b.ReportAllocs()
			b.SetBytes(int64(8 * (len(x) + len(y))))
			for b.Loop() {
				l.Forward(y, x)
				l.Backward(dX, x, y)
			}
		})
	}
}

// TestLinearPackWeights checks that a Linear reusing a packed W computes what
// one packing at every call does, for shapes that straddle the kernel's
// panels, and that the copy follows W when an optimizer changes it.
func TestLinearPackWeights(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	for _, k := range kernelModes() {
		withKernel(k, func() {
			for _, rows := range []int{1, 3, 4, 9, 10, -1, -4, -9} {
				l := NewLinear("l", 13, 37, rng)
				if rows < 0 {
					// A tied layer: W is a 37×13 table read transposed.
					rows = -rows
					table := NewParam("emb", 37, 13)
					InitUniform(table, rng, 1)
					l = NewTiedLinear("l", table)
				}
				for i := range l.B.Value {
					l.B.Value[i] = rng.NormFloat64()
				}
				x := randomSlice(rng, rows*13)
				want, got := make([]float64, rows*37), make([]float64, rows*37)
				l.Forward(want, x)
				l.PackWeights()
				l.Forward(got, x)
				if !slices.Equal(got, want) {
					t.Fatalf("kernel=%v rows=%d: packed Forward differs", k, rows)
				}
				// A step of the optimizer moves W's version: the copy follows.
				l.W.Grad[0] = 1
				(&SGD{LR: 0.5}).Step([]*Param{l.W})
				l.Forward(got, x)
				l.UnpackWeights()
				l.Forward(want, x)
				if !slices.Equal(got, want) {
					t.Fatalf("kernel=%v rows=%d: packed Forward stale after a step", k, rows)
				}
			}
		})
	}
}
