package nn

// lstm is the long short-term memory cell (Hochreiter & Schmidhuber 1997, with the
// forget gate of Gers et al. 2000). With gate blocks in the order i, f, g, o:
//
//	i = σ(a_i + u_i)            input gate: how much of the candidate to write
//	f = σ(a_f + u_f)            forget gate: how much of the old memory to keep
//	g = tanh(a_g + u_g)         candidate memory
//	c_t = f ⊙ c_{t-1} + i ⊙ g   the cell-state path
//	o = σ(a_o + u_o)            output gate
//	h_t = o ⊙ tanh(c_t)
//
// The memory is updated additively, so ∂c_t/∂c_{t-1} = diag(f): when the forget
// gate stays open (its bias starts at 1) the gradient flows back along c for many
// steps without vanishing.
//
// Two variants from the lecture share this code:
//   - peephole (Gers & Schmidhuber 2000): the gates also see the memory through
//     diagonal weights, i and f from c_{t-1} (+ p_i ⊙ c_{t-1}, + p_f ⊙ c_{t-1}) and
//     o from c_t (+ p_o ⊙ c_t);
//   - no input gate ("nig"): i is fixed at 1, so c_t = f ⊙ c_{t-1} + g and the
//     blocks are f, g, o.
type lstm struct {
	peephole    bool
	noInputGate bool
}

func (l lstm) Name() string {
	switch {
	case l.peephole:
		return "peephole"
	case l.noInputGate:
		return "nig"
	}
	return "lstm"
}

func (l lstm) Gates() int {
	if l.noInputGate {
		return 3
	}
	return 4
}

func (lstm) Memory() bool { return true }

func (l lstm) Peepholes() int {
	if l.peephole {
		return 3
	}
	return 0
}

func (lstm) RecurrentBias() bool { return false }

func (l lstm) ForgetBlock() int {
	if l.noInputGate {
		return 0
	}
	return 1
}

// blocks returns the offsets of the i, f, g, o blocks within a row of width G·H;
// i is -1 when the cell has no input gate.
func (l lstm) blocks(H int) (i, f, g, o int) {
	if l.noInputGate {
		return -1, 0, H, 2 * H
	}
	return 0, H, 2 * H, 3 * H
}

func (l lstm) forward(s *step) {
	H, GH := s.H, l.Gates()*s.H
	oi, of, og, oo := l.blocks(H)
	var pi, pf, po []float64
	if l.peephole {
		pi, pf, po = s.peep[:H], s.peep[H:2*H], s.peep[2*H:3*H]
	}
	bias := s.bias[:GH]
	for b := 0; b < s.B; b++ {
		if !s.active[b] {
			continue // padding: the layer carries the state
		}
		a, u := s.a[b*GH:(b+1)*GH], s.u[b*GH:(b+1)*GH]
		cp, c, h, tc := s.cPrev[b*H:(b+1)*H], s.c[b*H:(b+1)*H], s.h[b*H:(b+1)*H], s.cache[b*H:(b+1)*H]
		// Pre-activations of all gates, in place: a + b + u.
		for k := range a {
			a[k] += bias[k] + u[k]
		}
		if l.peephole {
			for k := 0; k < H; k++ {
				a[oi+k] += pi[k] * cp[k]
				a[of+k] += pf[k] * cp[k]
			}
		}
		// Gates: σ on i and f (adjacent blocks), tanh on the candidate g.
		if oi >= 0 {
			sigmoids(a[oi : oi+H])
		}
		sigmoids(a[of : of+H])
		tanhs(a[og:og+H], a[og:og+H])
		// The cell-state path: c = f ⊙ c_prev + i ⊙ g (i = 1 without an input gate).
		f, g := a[of:of+H], a[og:og+H]
		if oi >= 0 {
			i := a[oi : oi+H]
			for k := range c {
				c[k] = f[k]*cp[k] + i[k]*g[k]
			}
		} else {
			for k := range c {
				c[k] = f[k]*cp[k] + g[k]
			}
		}
		// The output gate (which a peephole lets see the new c), then h = o ⊙ tanh(c).
		o := a[oo : oo+H]
		if l.peephole {
			for k := range o {
				o[k] += po[k] * c[k]
			}
		}
		sigmoids(o)
		tanhs(tc, c)
		for k := range h {
			h[k] = o[k] * tc[k]
		}
	}
}

// backward is backpropagation through one step of the cell. Write q̂ for the
// pre-activation of gate q, so that i = σ(î), f = σ(f̂), g = tanh(ĝ), o = σ(ô)
// with î = a_i + u_i (a_t = x_t W + b), and so on; dv is dL/dv. Given dh_t
// (complete: the layer's output gradient dy_t plus what step t+1 sent back
// through U) and dc_t's share from step t+1 (at the last step, the gradient of
// the final c), the cell computes, element by element (code names on the right;
// t is tanh(c_t), kept from the forward pass):
//
//	do   = dh_t ⊙ tanh(c_t)
//	dô   = do ⊙ o ⊙ (1 − o)                                  doz   (σ'(ô) = o(1 − o))
//	dc_t = dh_t ⊙ o ⊙ (1 − tanh²(c_t)) + dc_{t+1} ⊙ f_{t+1}  dc    (the second term is dcIn)
//	di   = dc_t ⊙ g,        dî = di ⊙ i ⊙ (1 − i)            diz
//	df   = dc_t ⊙ c_{t−1},  df̂ = df ⊙ f ⊙ (1 − f)            dfz
//	dg   = dc_t ⊙ i,        dĝ = dg ⊙ (1 − g²)               da[og+k]   (tanh'(ĝ) = 1 − g²)
//	dc_{t−1} = dc_t ⊙ f                                      dcPrev, the next (earlier) step's dcIn
//
// and writes da_t = [dî df̂ dĝ dô], which is also du_t: the gates see a_t and u_t
// only through their sum. The Layer then turns da into the gradients of the
// weights and of the inputs, one product each over all steps and rows:
//
//	dW = Σ_t x_tᵀ da_t     dU = Σ_t h_{t−1}ᵀ da_t     db = Σ_t da_t
//	dx_t = da_t Wᵀ         dh_{t−1} = da_t Uᵀ
//
// h_{t−1} reaches step t only through U, so the cell's own part of dh_{t−1}
// (dhPrev) is 0. On the forget path dc_{t−1} = dc_t ⊙ f: the gradient is damped
// only by the forget gate, which is why it survives many steps.
//
// The variants: without an input gate (nig) i = 1, so there is no dî and
// dĝ = dc_t ⊙ (1 − g²). With peepholes (î and f̂ also add p_i ⊙ c_{t−1} and
// p_f ⊙ c_{t−1}, ô adds p_o ⊙ c_t), c reaches the gates directly too:
//
//	dc_t     += dô ⊙ p_o
//	dc_{t−1} += dî ⊙ p_i + df̂ ⊙ p_f
//	dp_i += dî ⊙ c_{t−1}     dp_f += df̂ ⊙ c_{t−1}     dp_o += dô ⊙ c_t
//
// with dc_t's extra term added before di, df, dg and dc_{t−1} use it.
func (l lstm) backward(s *step) {
	H, GH := s.H, l.Gates()*s.H
	oi, of, og, oo := l.blocks(H)
	var pi, pf, po, dpi, dpf, dpo []float64
	if l.peephole {
		pi, pf, po = s.peep[:H], s.peep[H:2*H], s.peep[2*H:3*H]
		dpi, dpf, dpo = s.dpeep[:H], s.dpeep[H:2*H], s.dpeep[2*H:3*H]
	}
	for b := 0; b < s.B; b++ {
		if !s.active[b] {
			continue // padding: the layer carries the state
		}
		a, da := s.a[b*GH:(b+1)*GH], s.da[b*GH:(b+1)*GH]
		r := b * H
		cp, c, tc := s.cPrev[r:r+H], s.c[r:r+H], s.cache[r:r+H]
		dh, dcIn, dcp, dhp := s.dh[r:r+H], s.dc[r:r+H], s.dcPrev[r:r+H], s.dhPrev[r:r+H]
		for k := 0; k < H; k++ {
			f, g, o, t := a[of+k], a[og+k], a[oo+k], tc[k]
			doz := dh[k] * t * o * (1 - o)
			dc := dcIn[k] + dh[k]*o*(1-t*t)
			if po != nil {
				dc += doz * po[k]
				dpo[k] += doz * c[k]
			}
			dfz := dc * cp[k] * f * (1 - f)
			dcPrev := dc * f
			if oi >= 0 {
				i := a[oi+k]
				diz := dc * g * i * (1 - i)
				da[oi+k] = diz
				da[og+k] = dc * i * (1 - g*g)
				if pi != nil {
					dcPrev += diz * pi[k]
					dpi[k] += diz * cp[k]
				}
			} else {
				da[og+k] = dc * (1 - g*g)
			}
			if pf != nil {
				dcPrev += dfz * pf[k]
				dpf[k] += dfz * cp[k]
			}
			da[of+k], da[oo+k] = dfz, doz
			dcp[k], dhp[k] = dcPrev, 0
		}
	}
}
