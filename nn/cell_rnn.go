package nn

// tanhRNN is the vanilla (Elman) recurrent cell:
//
//	h_t = tanh(x_t W + h_{t-1} U + b)
//
// Backpropagating through T steps multiplies the gradient by diag(1 − h²) Uᵀ at
// every step; with the derivative of tanh at most 1 and U of moderate norm the
// product shrinks geometrically, which is why this cell cannot learn long-range
// dependencies (the vanishing gradient; see GradientFlow).
type tanhRNN struct{}

func (tanhRNN) Name() string        { return "rnn" }
func (tanhRNN) Gates() int          { return 1 }
func (tanhRNN) Memory() bool        { return false }
func (tanhRNN) Peepholes() int      { return 0 }
func (tanhRNN) RecurrentBias() bool { return false }
func (tanhRNN) ForgetBlock() int    { return -1 }

func (tanhRNN) forward(s *step) {
	H := s.H
	for b := 0; b < s.B; b++ {
		if !s.active[b] {
			continue // padding: the layer carries the state
		}
		a, u, h, bias := s.a[b*H:(b+1)*H], s.u[b*H:(b+1)*H], s.h[b*H:(b+1)*H], s.bias[:H]
		for k := range a {
			a[k] += bias[k] + u[k]
		}
		tanhs(a, a)
		copy(h, a)
	}
}

func (tanhRNN) backward(s *step) {
	H := s.H
	for b := 0; b < s.B; b++ {
		if !s.active[b] {
			continue
		}
		r := b * H
		a, dh, da, dhp := s.a[r:r+H], s.dh[r:r+H], s.da[r:r+H], s.dhPrev[r:r+H]
		for k := range da {
			da[k] = dh[k] * (1 - a[k]*a[k])
			dhp[k] = 0
		}
	}
}
