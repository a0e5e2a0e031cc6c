package nn

import "math"

// The cells apply σ and tanh to whole gate blocks at once, so that on amd64 the
// work goes to the AVX2 routines of activation_amd64.s (four lanes at a time,
// accurate to a few units in the last place); elsewhere, and for the last few
// elements of a block, the scalar functions do it.

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// tanh is math.Tanh; named so the cell code reads like its equations.
func tanh(x float64) float64 { return math.Tanh(x) }

// sigmoids replaces every x[i] by σ(x[i]).
func sigmoids(x []float64) {
	n := 0
	if useKernel {
		n = len(x) &^ 3
		if n > 0 {
			sigmoid4(&x[0], n)
		}
	}
	for i := n; i < len(x); i++ {
		x[i] = sigmoid(x[i])
	}
}

// tanhs sets dst[i] = tanh(src[i]); dst and src may be the same slice.
func tanhs(dst, src []float64) {
	dst = dst[:len(src)]
	n := 0
	if useKernel {
		n = len(src) &^ 3
		if n > 0 {
			tanh4(&dst[0], &src[0], n)
		}
	}
	for i := n; i < len(src); i++ {
		dst[i] = tanh(src[i])
	}
}
