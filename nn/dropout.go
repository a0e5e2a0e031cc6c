package nn

import (
	"fmt"
	"math/rand/v2"
)

// Dropout is inverted dropout: in training mode each element is zeroed with
// probability P and the survivors are scaled by 1/(1−P), so the expected output
// equals the input and evaluation mode is the identity, with no rescaling.
//
// The mask of the last Forward is kept for Backward. Dropout draws from its own
// *rand.Rand, so a run is reproducible from the seed and does not disturb other
// random streams. A new Dropout is in training mode.
type Dropout struct {
	P        float64 // probability of dropping an element, in [0, 1)
	rng      *rand.Rand
	training bool
	mask     []float64 // 0 or 1/(1−P) per element of the last training Forward
	masked   bool      // the last Forward applied mask
}

// NewDropout returns a Dropout in training mode that drops with probability p
// and draws from rng.
func NewDropout(p float64, rng *rand.Rand) *Dropout {
	if !(p >= 0 && p < 1) {
		panic(fmt.Sprintf("nn: NewDropout: p=%v outside [0, 1)", p))
	}
	if rng == nil {
		panic("nn: NewDropout: nil rng")
	}
	return &Dropout{P: p, rng: rng, training: true}
}

// SetTraining switches between training (drop) and evaluation (identity) mode.
func (d *Dropout) SetTraining(on bool) { d.training = on }

// Training reports whether d is in training mode.
func (d *Dropout) Training() bool { return d.training }

// Forward writes x with dropout applied into dst, which may be x itself. In
// evaluation mode, or when P is 0, it copies x and draws nothing.
func (d *Dropout) Forward(dst, x []float64) {
	if len(dst) != len(x) {
		panic(fmt.Sprintf("nn: Dropout.Forward: dst length %d, want %d", len(dst), len(x)))
	}
	if !d.training || d.P == 0 {
		d.masked = false
		copy(dst, x)
		return
	}
	if !(d.P > 0 && d.P < 1) {
		panic(fmt.Sprintf("nn: Dropout.Forward: P=%v outside [0, 1)", d.P))
	}
	if cap(d.mask) < len(x) {
		d.mask = make([]float64, len(x))
	}
	d.mask = d.mask[:len(x)]
	d.masked = true
	keep := 1 / (1 - d.P)
	for i, v := range x {
		m := keep
		if d.rng.Float64() < d.P {
			m = 0
		}
		d.mask[i] = m
		dst[i] = v * m
	}
}

// Backward writes into dX, which may be dY itself, the gradient with respect to
// the input of the last Forward: dY times that Forward's mask, or dY unchanged
// if it did not drop.
func (d *Dropout) Backward(dX, dY []float64) {
	if len(dX) != len(dY) {
		panic(fmt.Sprintf("nn: Dropout.Backward: dX length %d, want %d", len(dX), len(dY)))
	}
	if !d.masked {
		copy(dX, dY)
		return
	}
	if len(dY) != len(d.mask) {
		panic(fmt.Sprintf("nn: Dropout.Backward: length %d, but the last Forward had %d", len(dY), len(d.mask)))
	}
	for i, g := range dY {
		dX[i] = g * d.mask[i]
	}
}
