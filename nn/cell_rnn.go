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

// backward is backpropagation through one step. With dh_t complete (the output
// gradient dy_t plus what step t+1 sent back) and tanh'(·) = 1 − h_t², the cell
// computes
//
//	da_t = dh_t ⊙ (1 − h_t²)      da (a holds h_t after the forward pass)
//
// and the Layer the rest, one product each over all steps and rows:
//
//	dW = Σ_t x_tᵀ da_t     dU = Σ_t h_{t−1}ᵀ da_t     db = Σ_t da_t
//	dx_t = da_t Wᵀ         dh_{t−1} = da_t Uᵀ
//
// so from step to step the gradient is multiplied by diag(1 − h_t²) Uᵀ. The
// cell's own part of dh_{t−1} (dhPrev) is 0: h_{t−1} reaches h_t only through U.
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
