package nn

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

var impl = blas64.Implementation()

// gemm computes c = alpha·op(a)·op(b) + beta·c on row-major slices, where op
// transposes when the flag is set; m×n is the shape of c and k the inner size.
func gemm(ta, tb bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		// BLAS treats an empty product as zero; keep beta's scaling of c.
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			for j := range row {
				row[j] *= beta
			}
		}
		return
	}
	tA, tB := blas.NoTrans, blas.NoTrans
	if ta {
		tA = blas.Trans
	}
	if tb {
		tB = blas.Trans
	}
	// gonum splits a product into 64×64 blocks and, from four blocks on, starts a
	// goroutine per block. Our layers already run independent work in parallel,
	// and per-step products are small, so we hand it tiles of at most 64×192 (three
	// blocks), which it computes serially: no goroutines, no allocation.
	const tm, tn = 64, 192
	if m <= tm && n <= tn {
		impl.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	for i := 0; i < m; i += tm {
		mi := min(tm, m-i)
		var ai []float64
		if ta {
			ai = a[i:]
		} else {
			ai = a[i*lda:]
		}
		for j := 0; j < n; j += tn {
			nj := min(tn, n-j)
			var bj []float64
			if tb {
				bj = b[j*ldb:]
			} else {
				bj = b[j:]
			}
			impl.Dgemm(tA, tB, mi, nj, k, alpha, ai, lda, bj, ldb, beta, c[i*ldc+j:], ldc)
		}
	}
}

// addColSums adds the column sums of the m×n matrix a (row stride lda) to dst.
func addColSums(dst []float64, a []float64, m, n, lda int) {
	dst = dst[:n]
	for i := 0; i < m; i++ {
		row := a[i*lda : i*lda+n]
		for j, v := range row {
			dst[j] += v
		}
	}
}

// grow returns s resliced to n elements, reallocating only when its capacity is short.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
