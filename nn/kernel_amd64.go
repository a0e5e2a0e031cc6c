package nn

import "github.com/nlp-go/nlp/internal/cpu"

// Declarations of the assembly in kernel_amd64.s.

// kernel4x8 writes (acc false) or adds (acc true) the product of a packed k×4
// panel of A (transposed) and a packed k×8 panel of B to the 4×8 block of C at c
// (row stride ldc elements).
//
//go:noescape
func kernel4x8(k int, a, b, c *float64, ldc int, acc bool)

// kernelAvailable says whether kernel4x8 can run here; useKernel whether it does
// (tests switch it off to exercise the gonum path).
var (
	kernelAvailable = cpu.AVX2FMA
	useKernel       = kernelAvailable
)

// sigmoid4 sets x[i] = σ(x[i]) for the first n elements, n a multiple of 4.
//
//go:noescape
func sigmoid4(x *float64, n int)

// tanh4 sets dst[i] = tanh(src[i]) for the first n elements, n a multiple of 4.
//
//go:noescape
func tanh4(dst, src *float64, n int)

// kernel1x8 writes (acc false) or adds (acc true) the product of one row a of k
// contiguous values and a packed k×8 panel of B to c[0:8].
//
//go:noescape
func kernel1x8(k int, a, b, c *float64, acc bool)
