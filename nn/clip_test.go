package nn

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

func TestClipGradNorm(t *testing.T) {
	for _, tc := range []struct {
		name     string
		maxNorm  float64
		wantNorm float64
		wantA    []float64
		wantB    []float64
	}{
		// Gradients (3) and (0, 4): global norm 5.
		{"clipped", 1, 5, []float64{0.6}, []float64{0, 0.8}},
		{"at the limit", 5, 5, []float64{3}, []float64{0, 4}},
		{"below the limit", 10, 5, []float64{3}, []float64{0, 4}},
		{"to zero", 0, 5, []float64{0}, []float64{0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := NewParam("a", 1, 1), NewParam("b", 1, 2)
			a.Grad[0], b.Grad[1] = 3, 4
			norm := ClipGradNorm([]*Param{a, b}, tc.maxNorm)
			if norm != tc.wantNorm {
				t.Errorf("norm %v, want %v", norm, tc.wantNorm)
			}
			if !closeTo(a.Grad, tc.wantA, 1e-15) || !closeTo(b.Grad, tc.wantB, 1e-15) {
				t.Errorf("grads %v %v, want %v %v", a.Grad, b.Grad, tc.wantA, tc.wantB)
			}
			if after := GradNorm([]*Param{a, b}); after > max(tc.maxNorm, 0)+1e-12 && after != tc.wantNorm {
				t.Errorf("norm after clipping %v", after)
			}
		})
	}
}

func TestClipGradNormSparse(t *testing.T) {
	e := NewParam("emb", 4, 2)
	e.Sparse = true
	copy(e.GradRow(2), []float64{6, 8})
	if norm := ClipGradNorm([]*Param{e}, 5); norm != 10 {
		t.Errorf("norm %v, want 10", norm)
	}
	if !slices.Equal(e.Grad, []float64{0, 0, 0, 0, 3, 4, 0, 0}) {
		t.Errorf("grad %v", e.Grad)
	}
}

func TestClipGradNormNonFinite(t *testing.T) {
	a := NewParam("a", 1, 2)
	a.Grad[0], a.Grad[1] = math.Inf(1), 1
	if norm := ClipGradNorm([]*Param{a}, 1); !math.IsInf(norm, 1) {
		t.Errorf("norm %v, want +Inf", norm)
	}
	if a.Grad[1] != 1 {
		t.Error("gradients changed although the norm is infinite")
	}
}

func TestZeroGrad(t *testing.T) {
	d := NewParam("d", 2, 2)
	e := NewParam("e", 3, 1)
	e.Sparse = true
	copy(d.Grad, []float64{1, 2, 3, 4})
	e.GradRow(1)[0] = 5
	ZeroGrad([]*Param{d, e})
	if slices.ContainsFunc(append(d.Grad, e.Grad...), func(g float64) bool { return g != 0 }) || len(e.TouchedRows()) != 0 {
		t.Errorf("after ZeroGrad: %v %v touched %v", d.Grad, e.Grad, e.TouchedRows())
	}
}

func ExampleClipGradNorm() {
	w := NewParam("w", 1, 2)
	params := []*Param{w}
	copy(w.Grad, []float64{30, 40})
	norm := ClipGradNorm(params, 5)
	fmt.Println(norm, w.Grad)
	ZeroGrad(params)
	fmt.Println(w.Grad)
	// Output:
	// 50 [3 4]
	// [0 0]
}
