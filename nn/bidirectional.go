package nn

import (
	"math/rand/v2"
)

// layerTask runs one Forward or Backward of a layer on a pool worker; its fields
// are the call's arguments, so handing it over allocates nothing.
type layerTask struct {
	end       taskDone
	l         *Layer
	backward  bool
	projected bool      // Forward: x holds the projections (ForwardProjected)
	y, x      []float64 // Forward: outputs and inputs; Backward: dy and dx
	ldy, ldx  int
	bt        Batch
	state     *State // Forward: initial state; Backward: gradient of the final state
}

func (t *layerTask) done() *taskDone { return &t.end }

func (t *layerTask) run() {
	switch {
	case t.backward:
		t.l.Backward(t.x, t.ldx, t.y, t.ldy, t.state)
	case t.projected:
		t.l.ForwardProjected(t.y, t.ldy, t.x, t.ldx, t.bt, t.state)
	default:
		t.l.Forward(t.y, t.ldy, t.x, t.ldx, t.bt, t.state)
	}
	t.y, t.x, t.state = nil, nil, nil // keep no references between calls
}

// Bidirectional runs two layers of the same cell over a batch, one forward in time
// and one backward from each sequence's last real step, and concatenates their
// outputs: row t·B+b of the output is [h→_t | h←_t], 2·Hidden wide. Every position
// then sees its whole sentence, left context through one half, right through the other.
//
// The directions are independent, so with Parallel set they run on two goroutines.
type Bidirectional struct {
	Fwd, Bwd *Layer
	Parallel bool
	dxBwd    []float64 // the reverse direction's input gradient when run in parallel
	task     layerTask // the reverse direction's work when run in parallel
}

// NewBidirectional returns a bidirectional layer whose parameters are named
// prefix.fwd.* and prefix.bwd.*; it runs both directions in parallel.
func NewBidirectional(cell Cell, in, hidden int, prefix string, rng *rand.Rand) *Bidirectional {
	return &Bidirectional{
		Fwd:      NewLayer(cell, in, hidden, false, prefix+".fwd", rng),
		Bwd:      NewLayer(cell, in, hidden, true, prefix+".bwd", rng),
		Parallel: true,
	}
}

// PackWeights makes both directions keep their weights packed between passes
// (see Layer.PackWeights).
func (l *Bidirectional) PackWeights() { l.Fwd.PackWeights(); l.Bwd.PackWeights() }

// UnpackWeights undoes PackWeights.
func (l *Bidirectional) UnpackWeights() { l.Fwd.UnpackWeights(); l.Bwd.UnpackWeights() }

// Params lists the parameters of both directions.
func (l *Bidirectional) Params() []*Param { return append(l.Fwd.Params(), l.Bwd.Params()...) }

// Forward writes the concatenated outputs to y, (T·B)×2·Hidden with stride ldy.
func (l *Bidirectional) Forward(y []float64, ldy int, x []float64, ldx int, bt Batch) {
	l.forward(y, ldy, x, x, ldx, bt, false)
}

// ForwardProjected is Forward with the input projections of each direction
// given (aF for the forward one, aB for the reverse; see Layer.ForwardProjected).
func (l *Bidirectional) ForwardProjected(y []float64, ldy int, aF, aB []float64, lda int, bt Batch) {
	l.forward(y, ldy, aF, aB, lda, bt, true)
}

// forward runs both directions, the forward one over xF and the reverse one over
// xB: the same input, or (projected) each direction's own projections.
func (l *Bidirectional) forward(y []float64, ldy int, xF, xB []float64, ldx int, bt Batch, projected bool) {
	var yb []float64
	if y != nil {
		yb = y[l.Fwd.Hidden:]
	}
	fwd := func() {
		if projected {
			l.Fwd.ForwardProjected(y, ldy, xF, ldx, bt, nil)
		} else {
			l.Fwd.Forward(y, ldy, xF, ldx, bt, nil)
		}
	}
	t := &l.task
	t.l, t.backward, t.projected, t.y, t.ldy, t.x, t.ldx, t.bt, t.state = l.Bwd, false, projected, yb, ldy, xB, ldx, bt, nil
	if !l.Parallel {
		fwd()
		t.run()
		return
	}
	runPair(fwd, t)
}

// Final returns the final states of the forward and the reverse direction; the
// reverse one is its state after reading each sequence's first step.
func (l *Bidirectional) Final() (fwd, bwd State) { return l.Fwd.Final(), l.Bwd.Final() }

// Backward takes the gradient of the concatenated outputs (dy, stride ldy, nil for
// none) and of each direction's final state, adds parameter gradients, and adds
// the input gradient to dx (nil to skip).
func (l *Bidirectional) Backward(dx []float64, ldx int, dy []float64, ldy int, dFwd, dBwd *State) {
	H := l.Fwd.Hidden
	var dyb []float64
	if dy != nil {
		dyb = dy[H:]
	}
	if !l.Parallel {
		l.Fwd.Backward(dx, ldx, dy, ldy, dFwd)
		l.Bwd.Backward(dx, ldx, dyb, ldy, dBwd)
		return
	}
	// Both directions add into dx: give the reverse one its own buffer.
	rows, in := l.Bwd.ws.batch.Rows(), l.Bwd.In
	var dxb []float64
	if dx != nil {
		l.dxBwd = grow(l.dxBwd, rows*in)
		clear(l.dxBwd)
		dxb = l.dxBwd
	}
	t := &l.task
	t.l, t.backward, t.projected, t.y, t.ldy, t.x, t.ldx, t.state = l.Bwd, true, false, dyb, ldy, dxb, in, dBwd
	runPair(func() { l.Fwd.Backward(dx, ldx, dy, ldy, dFwd) }, t)
	if dx == nil {
		return
	}
	for r := 0; r < rows; r++ {
		d, s := dx[r*ldx:r*ldx+in], l.dxBwd[r*in:(r+1)*in]
		for k, v := range s {
			d[k] += v
		}
	}
}
