package nn

import (
	"fmt"
	"math/rand/v2"
)

// Linear is an affine layer y = x·W + b over a batch of rows.
//
// x is N×In and y is N×Out, both row-major. W is stored In×Out (not Out×In as
// in PyTorch) so that the forward pass is one GEMM without a transpose; b is a
// 1×Out row added to every output row.
//
// Backward accumulates dW += xᵀ·dY and db += Σ_rows dY, and writes
// dX = dY·Wᵀ. Linear keeps no state between Forward and Backward: the caller
// passes x to both, so one Linear can serve several inputs per step. The
// products go through the package's packed kernel (or gemm), which allocates
// nothing once its packing buffers have grown; a Linear is therefore not safe
// for concurrent use.
type Linear struct {
	In, Out int
	W       *Param // In×Out, named prefix+".W"; Out×In when Tied
	B       *Param // 1×Out, named prefix+".b"
	// Tied marks a layer whose W is another layer's table read transposed
	// (NewTiedLinear): an embedding's Vocab×Dim rows as the weights of the
	// scores of the vocabulary.
	Tied   bool
	mm     gemmer
	packed bool        // PackWeights is on
	pw     packedParam // W packed for Forward, when packed
}

// PackWeights makes later Forward calls reuse one packed copy of W instead of
// packing it at every call, as Layer.PackWeights does: worth it when calls are
// many and small (a decoder's output layer, one step of a few sentences at a
// time, packs a W of millions of values for a product of a few rows). The copy
// is renewed when W's version moves or its Value is replaced; a caller that
// writes W.Value directly must call Changed. UnpackWeights releases it.
func (l *Linear) PackWeights() { l.packed = true }

// UnpackWeights drops the copy made for PackWeights.
func (l *Linear) UnpackWeights() { l.packed, l.pw = false, packedParam{} }

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

// NewTiedLinear returns a layer computing x·tableᵀ + b: its weights are the
// rows of table (Out×In), such as the embedding of the words it scores (Press
// & Wolf 2017, tying input and output embeddings), and its gradient adds to
// table's. Only b (named prefix+".b", zero) is new. The table receives a
// gradient in every row at every Backward, so it should not be Sparse.
func NewTiedLinear(prefix string, table *Param) *Linear {
	return &Linear{In: table.Cols, Out: table.Rows, W: table, B: NewParam(prefix+".b", 1, table.Rows), Tied: true}
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
	if l.packed && kernelFits(n, l.Out, l.In) {
		l.mm.mulPacked(false, n, l.Out, l.In, x, l.In, l.pw.ofOp(l.W, l.Tied), dst, l.Out, true)
		return
	}
	l.mm.mul(false, l.Tied, n, l.Out, l.In, x, l.In, l.W.Value, l.ldw(), 1, dst, l.Out)
}

// Backward takes the gradient dY (N×Out) of the loss with respect to the output
// of Forward(·, x). It adds xᵀ·dY to W.Grad and the column sums of dY to B.Grad,
// and, when dX is not nil, overwrites dX (N×In) with dY·Wᵀ.
func (l *Linear) Backward(dX, x, dY []float64) {
	n := l.rows("Backward", x, dY)
	if dX != nil && len(dX) != len(x) {
		panic(fmt.Sprintf("nn: Linear.Backward: dX length %d, want %d", len(dX), len(x)))
	}
	if l.Tied {
		// dW (Out×In) += dYᵀ·x; dX = dY·W.
		l.mm.mul(true, false, l.Out, l.In, n, dY, l.Out, x, l.In, 1, l.W.AllocGrad(), l.In)
	} else {
		l.mm.mul(true, false, l.In, l.Out, n, x, l.In, dY, l.Out, 1, l.W.AllocGrad(), l.Out)
	}
	addColSums(l.B.AllocGrad(), dY, n, l.Out, l.Out)
	if dX != nil {
		l.mm.mul(false, !l.Tied, n, l.In, l.Out, dY, l.Out, l.W.Value, l.ldw(), 0, dX, l.In)
	}
}

// ldw is W's row stride.
func (l *Linear) ldw() int {
	if l.Tied {
		return l.In
	}
	return l.Out
}
