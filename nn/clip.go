package nn

import (
	"fmt"
	"math"
)

// ZeroGrad clears the gradients of params (only the touched rows of sparse ones).
func ZeroGrad(params []*Param) {
	for _, p := range params {
		p.ZeroGrad()
	}
}

// GradNorm is the L2 norm of all the gradients of params taken together. For a
// sparse Param only the touched rows are read: the others are zero.
func GradNorm(params []*Param) float64 {
	s := 0.0
	for _, p := range params {
		forRows(p, func(_ int, _, grad []float64) {
			for _, g := range grad {
				s += g * g
			}
		})
	}
	return math.Sqrt(s)
}

// ClipGradNorm rescales the gradients of params so that their global L2 norm
// (GradNorm) is at most maxNorm, and returns the norm before clipping. Scaling
// all gradients by one factor keeps the direction of the step, unlike clipping
// each element. When the norm is not finite the gradients are left alone, so
// that the caller can see the returned NaN or Inf and skip the step. A
// negative or NaN maxNorm is a programming error.
func ClipGradNorm(params []*Param, maxNorm float64) float64 {
	if !(maxNorm >= 0) {
		panic(fmt.Sprintf("nn: ClipGradNorm: maxNorm %v must be non-negative", maxNorm))
	}
	norm := GradNorm(params)
	if norm <= maxNorm || math.IsNaN(norm) || math.IsInf(norm, 0) {
		return norm
	}
	scale := maxNorm / norm
	for _, p := range params {
		forRows(p, func(_ int, _, grad []float64) {
			for i := range grad {
				grad[i] *= scale
			}
		})
	}
	return norm
}
