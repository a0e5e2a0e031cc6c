package embed

// The training loops spend nearly all their time in two kernels on vectors of the
// embedding dimension, dot32 and axpy32. On amd64 with AVX2 and FMA they run in
// assembly, eight lanes at a time (kernels_amd64.s); elsewhere in the portable Go below,
// unrolled by four with independent accumulators so that the CPU overlaps the
// multiply-adds, the slices resliced to one length so that the bounds checks go.

// dotGeneric returns Σ x[i]·y[i]; y must be at least as long as x.
func dotGeneric(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		xs, ys := x[i:i+4:i+4], y[i:i+4:i+4]
		s0 += xs[0] * ys[0]
		s1 += xs[1] * ys[1]
		s2 += xs[2] * ys[2]
		s3 += xs[3] * ys[3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpyGeneric computes y += a·x; y must be at least as long as x.
func axpyGeneric(a float32, x, y []float32) {
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		xs, ys := x[i:i+4:i+4], y[i:i+4:i+4]
		ys[0] += a * xs[0]
		ys[1] += a * xs[1]
		ys[2] += a * xs[2]
		ys[3] += a * xs[3]
	}
	for ; i < len(x); i++ {
		y[i] += a * x[i]
	}
}
