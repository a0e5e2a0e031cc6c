package nn

// gru is the gated recurrent unit (Cho et al. 2014) in PyTorch's formulation,
// with gate blocks r, z, n:
//
//	r = σ(a_r + u_r)                 reset gate
//	z = σ(a_z + u_z)                 update gate
//	n = tanh(a_n + r ⊙ (u_n + b_un)) candidate, seeing the reset part of h_{t-1}
//	h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}
//
// It merges the LSTM's memory into h: the z ⊙ h_{t-1} term is the additive path
// that carries the gradient. Because r multiplies the recurrent product, that
// product has its own bias b_u (RecurrentBias).
type gru struct{}

func (gru) Name() string        { return "gru" }
func (gru) Gates() int          { return 3 }
func (gru) Memory() bool        { return false }
func (gru) Peepholes() int      { return 0 }
func (gru) RecurrentBias() bool { return true }
func (gru) ForgetBlock() int    { return -1 }

func (gru) forward(s *step) {
	H, GH := s.H, 3*s.H
	bias := s.bias[:GH]
	for b := 0; b < s.B; b++ {
		if !s.active[b] {
			continue // padding: the layer carries the state
		}
		a, u := s.a[b*GH:(b+1)*GH], s.u[b*GH:(b+1)*GH]
		r0 := b * H
		hp, h, un := s.hPrev[r0:r0+H], s.h[r0:r0+H], s.cache[r0:r0+H]
		// r and z: σ(a + b + u) over the first two blocks.
		for k := 0; k < 2*H; k++ {
			a[k] += bias[k] + u[k]
		}
		sigmoids(a[:2*H])
		// n = tanh(a_n + b_n + r ⊙ u_n), keeping u_n for the backward pass.
		r, z, n := a[:H], a[H:2*H], a[2*H:3*H]
		copy(un, u[2*H:3*H])
		for k := range n {
			n[k] += bias[2*H+k] + r[k]*un[k]
		}
		tanhs(n, n)
		for k := range h {
			h[k] = (1-z[k])*n[k] + z[k]*hp[k]
		}
	}
}

func (gru) backward(s *step) {
	H, GH := s.H, 3*s.H
	for b := 0; b < s.B; b++ {
		if !s.active[b] {
			continue // padding: the layer carries the state
		}
		a, da, du := s.a[b*GH:(b+1)*GH], s.da[b*GH:(b+1)*GH], s.du[b*GH:(b+1)*GH]
		r0 := b * H
		hp, un, dh, dhp := s.hPrev[r0:r0+H], s.cache[r0:r0+H], s.dh[r0:r0+H], s.dhPrev[r0:r0+H]
		for k := 0; k < H; k++ {
			r, z, n := a[k], a[H+k], a[2*H+k]
			dnz := dh[k] * (1 - z) * (1 - n*n)
			dz := dh[k] * (hp[k] - n) * z * (1 - z)
			dr := dnz * un[k] * r * (1 - r)
			da[k], da[H+k], da[2*H+k] = dr, dz, dnz
			du[k], du[H+k], du[2*H+k] = dr, dz, dnz*r
			dhp[k] = dh[k] * z
		}
	}
}
