package nn

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// Linear is an affine layer y = x·W + b over a batch of rows.
//
// x is N×In and y is N×Out, both row-major. W is stored In×Out (not Out×In as
// in PyTorch) so that the forward pass is one GEMM without a transpose; b is a
// 1×Out row added to every output row.
//
// Backward accumulates dW += xᵀ·dY and db += Σ_rows dY, and writes
// dX = dY·Wᵀ. Linear keeps no state between Forward and Backward: the caller
// passes x to both, so one Linear can serve several inputs per step.
type Linear struct {
	In, Out int
	W       *Param // In×Out, named prefix+".W"
	B       *Param // 1×Out, named prefix+".b"
}

// NewLinear returns an In×Out layer whose parameters are named prefix+".W" and
// prefix+".b". W is drawn with InitXavier from rng and b starts at zero; a nil
// rng leaves W at zero, for a layer whose values will be loaded.
func NewLinear(prefix string, in, out int, rng *rand.Rand) *Linear {
	if in <= 0 || out <= 0 {
		panic(fmt.Sprintf("nn: NewLinear %s: sizes must be positive, got in=%d out=%d", prefix, in, out))
	}
	l := &Linear{
		In: in, Out: out,
		W: NewParam(prefix+".W", in, out),
		B: NewParam(prefix+".b", 1, out),
	}
	if rng != nil {
		InitXavier(l.W, rng)
	}
	return l
}

// Params lists W and b.
func (l *Linear) Params() []*Param { return []*Param{l.W, l.B} }

// rows checks that x holds whole rows of width l.In and y the matching rows of
// width l.Out, and returns the number of rows.
func (l *Linear) rows(op string, x, y []float64) int {
	if len(x)%l.In != 0 {
		panic(fmt.Sprintf("nn: Linear.%s: input length %d is not a multiple of In=%d", op, len(x), l.In))
	}
	n := len(x) / l.In
	if len(y) != n*l.Out {
		panic(fmt.Sprintf("nn: Linear.%s: output length %d, want %d×%d", op, len(y), n, l.Out))
	}
	return n
}

// Forward writes x·W + b into dst (N×Out) for the N×In rows of x.
func (l *Linear) Forward(dst, x []float64) {
	n := l.rows("Forward", x, dst)
	b := l.B.Value
	for i := 0; i < n; i++ {
		copy(dst[i*l.Out:(i+1)*l.Out], b)
	}
	serialGemm(false, false, n, l.Out, l.In, 1, x, l.In, l.W.Value, l.Out, 1, dst, l.Out)
}

// Backward takes the gradient dY (N×Out) of the loss with respect to the output
// of Forward(·, x). It adds xᵀ·dY to W.Grad and the column sums of dY to B.Grad,
// and, when dX is not nil, overwrites dX (N×In) with dY·Wᵀ.
func (l *Linear) Backward(dX, x, dY []float64) {
	n := l.rows("Backward", x, dY)
	if dX != nil && len(dX) != len(x) {
		panic(fmt.Sprintf("nn: Linear.Backward: dX length %d, want %d", len(dX), len(x)))
	}
	serialGemm(true, false, l.In, l.Out, n, 1, x, l.In, dY, l.Out, 1, l.W.Grad, l.Out)
	db := l.B.Grad
	for i := 0; i < n; i++ {
		for j, v := range dY[i*l.Out : (i+1)*l.Out] {
			db[j] += v
		}
	}
	if dX != nil {
		serialGemm(false, true, n, l.In, l.Out, 1, dY, l.Out, l.W.Value, l.Out, 0, dX, l.In)
	}
}

// Tile sizes for serialGemm: gonum's Dgemm runs serially (and allocates
// nothing) when the product has fewer than four 64×64 blocks, and otherwise
// starts goroutines, allocating on every call. 64×192 is three blocks.
const (
	gemmTileRows = 64
	gemmTileCols = 192
)

// serialGemm computes c = alpha·op(a)·op(b) + beta·c on row-major slices (c is
// m×n, k the inner size), tile by tile so that every call to gonum stays on its
// serial, allocation-free path. The tiles of c are disjoint, so applying beta per
// tile is the same as applying it once.
func serialGemm(ta, tb bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		// BLAS would scale c by beta; do it here so the tiles need no k == 0 case.
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
	impl := blas64.Implementation()
	for i := 0; i < m; i += gemmTileRows {
		mc := min(gemmTileRows, m-i)
		aOff := i * lda // row i of a stored m×k
		if ta {
			aOff = i // column i of a stored k×m
		}
		for j := 0; j < n; j += gemmTileCols {
			nc := min(gemmTileCols, n-j)
			bOff := j // column j of b stored k×n
			if tb {
				bOff = j * ldb // row j of b stored n×k
			}
			impl.Dgemm(tA, tB, mc, nc, k, alpha, a[aOff:], lda, b[bOff:], ldb, beta, c[i*ldc+j:], ldc)
		}
	}
}
