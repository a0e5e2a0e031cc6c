//go:build !amd64 || purego

package embed

// dot32 returns Σ x[i]·y[i]; y must be at least as long as x.
func dot32(x, y []float32) float32 { return dotGeneric(x, y) }

// axpy32 computes y += a·x; y must be at least as long as x.
func axpy32(a float32, x, y []float32) { axpyGeneric(a, x, y) }
