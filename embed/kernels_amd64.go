//go:build amd64 && !purego

package embed

import "github.com/nlp-go/nlp/internal/cpu"

// useAVX reports whether the CPU and OS support AVX2 and FMA.
var useAVX = cpu.AVX2FMA

//go:noescape
func dotAVX(x, y []float32) float32

//go:noescape
func axpyAVX(a float32, x, y []float32)

// dot32 returns Σ x[i]·y[i]; y must be at least as long as x.
func dot32(x, y []float32) float32 {
	if useAVX {
		return dotAVX(x, y[:len(x)])
	}
	return dotGeneric(x, y)
}

// axpy32 computes y += a·x; y must be at least as long as x.
func axpy32(a float32, x, y []float32) {
	if useAVX {
		axpyAVX(a, x, y[:len(x)])
		return
	}
	axpyGeneric(a, x, y)
}
