package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// Attention lets each step of a decoder look at a whole sequence of keys (the
// encoder's outputs). For the query q_t (1×Query) of sequence b at decoder step
// t and the keys k_s (1×Key) of the same sequence, s < length, it scores every
// key,
//
//	additive ("additive", Bahdanau et al. 2015):   e_{t,s} = vᵀ tanh(q_t W_q + k_s W_k + b)
//	multiplicative ("general", Luong et al. 2015): e_{t,s} = q_t W k_sᵀ
//	dot ("dot", Luong et al. 2015):                e_{t,s} = q_t · k_s   (no parameters; Query = Key)
//
// turns the scores into weights over the unmasked keys and averages the keys:
//
//	α_t = softmax_s(e_t)  over s < length (α_{t,s} = 0 exactly past it)
//	c_t = Σ_s α_{t,s} k_s  (the context, 1×Key)
//
// A sequence of length 0 has all-zero weights and a zero context.
//
// Weights are stored In×Out like Linear's: W_q is Query×Hidden, W_k Key×Hidden,
// b and v are 1×Hidden, and W is Query×Key. The key side of the scores (k W_k + b,
// or k Wᵀ) is computed once per batch of keys by SetKeys, for every decoder
// step; its gradients, and those of W_k, b and W, are gathered over all steps
// and turned into products once, in KeysGrad.
//
// The workspace grows to the largest batch and number of steps seen and is then
// reused, so steady-state steps allocate nothing. An Attention is not safe for
// concurrent use.
type Attention struct {
	Kind               string // "additive", "general" or "dot"
	Query, Key, Hidden int    // widths of q, of k, and of the additive kind's tanh layer (0 for the others)

	Wq, Wk, B, V *Param // additive: Query×Hidden, Key×Hidden, 1×Hidden, 1×Hidden; nil otherwise
	W            *Param // general: Query×Key; nil otherwise

	ws attentionWorkspace
}

// attentionWorkspace holds the keys of the current pass, what Forward records
// for Backward, the gradient accumulators and the scratch.
type attentionWorkspace struct {
	keys  []float64 // (S·B)×Key, the caller's: must not change during the pass
	batch Batch
	set   bool      // SetKeys has run
	kp    []float64 // (S·B)×P: k W_k + b (additive, P = Hidden) or k Wᵀ (general, P = Query)
	steps int       // decoder steps recorded since SetKeys
	q     []float64 // steps·B×Query: the queries, copied
	qp    []float64 // steps·B×Hidden: q W_q (additive)
	alpha []float64 // steps·B×S: the weights

	// selected marks keys chosen by SelectKeys, for inference only; sel and
	// selKp are the two buffers SelectKeys alternates between.
	selected   bool
	sel, selKp [2][]float64
	selNext    int

	grads bool      // the accumulators hold gradient of this pass
	dkp   []float64 // (S·B)×P: dL/dkp
	dkeys []float64 // (S·B)×Key: dL/dkeys through the values (and the dot scores)
	dqp   []float64 // B×Hidden (additive) or B×Query (general): dL/d(q W_q) or dL/dq of one step
	g     []float64 // S: dL/dα of one row, then dL/de
	z     []float64 // Hidden: one tanh row
	mm    gemmer
}

// AttentionKinds lists the kinds NewAttention accepts, sorted.
func AttentionKinds() []string { return []string{"additive", "dot", "general"} }

// NewAttention returns attention of the given kind between queries of width
// query and keys of width key; hidden is the width of the additive kind's tanh
// layer (ignored by the others). Parameters are named prefix+".Wq", ".Wk", ".b",
// ".v" (additive) or prefix+".W" (general) and drawn as PyTorch's nn.Linear
// draws them, uniformly from ±1/√fan_in: W_q as a Linear from Query, W_k and b
// as one from Key, v as one from Hidden, W as one from Key. A nil rng leaves
// them at zero, for values that will be loaded.
func NewAttention(kind string, query, key, hidden int, prefix string, rng *rand.Rand) (*Attention, error) {
	if query <= 0 || key <= 0 {
		return nil, fmt.Errorf("nn: NewAttention %s: sizes must be positive, got query=%d key=%d", prefix, query, key)
	}
	a := &Attention{Kind: kind, Query: query, Key: key}
	uniform := func(p *Param, fanIn int) {
		if rng != nil {
			InitUniform(p, rng, 1/math.Sqrt(float64(fanIn)))
		}
	}
	switch kind {
	case "additive":
		if hidden <= 0 {
			return nil, fmt.Errorf("nn: NewAttention %s: additive attention needs a positive hidden size, got %d", prefix, hidden)
		}
		a.Hidden = hidden
		a.Wq = NewParam(prefix+".Wq", query, hidden)
		a.Wk = NewParam(prefix+".Wk", key, hidden)
		a.B = NewParam(prefix+".b", 1, hidden)
		a.V = NewParam(prefix+".v", 1, hidden)
		uniform(a.Wq, query)
		uniform(a.Wk, key)
		uniform(a.B, key)
		uniform(a.V, hidden)
	case "general":
		a.W = NewParam(prefix+".W", query, key)
		uniform(a.W, key)
	case "dot":
		if query != key {
			return nil, fmt.Errorf("nn: NewAttention %s: dot attention needs query and key of one width, got %d and %d", prefix, query, key)
		}
	default:
		return nil, fmt.Errorf("nn: unknown attention kind %q (want one of %s)", kind, strings.Join(AttentionKinds(), ", "))
	}
	return a, nil
}

// Params lists the parameters of the kind (none for "dot").
func (a *Attention) Params() []*Param {
	switch {
	case a.Wq != nil:
		return []*Param{a.Wq, a.Wk, a.B, a.V}
	case a.W != nil:
		return []*Param{a.W}
	}
	return nil
}

// projWidth is P, the width of the precomputed key projection (0 for "dot").
func (a *Attention) projWidth() int {
	switch {
	case a.Wq != nil:
		return a.Hidden
	case a.W != nil:
		return a.Query
	}
	return 0
}

// growKeep is grow for a slice whose content must survive: it keeps the first
// len(s) values and at least doubles the capacity, so that recording one step at
// a time reallocates only a logarithmic number of times.
func growKeep(s []float64, n int) []float64 {
	if cap(s) >= n {
		return s[:n]
	}
	ns := make([]float64, n, max(n, 2*cap(s)))
	copy(ns, s)
	return ns
}

// SetKeys starts a pass over a batch of key sequences: keys (S·B)×Key,
// time-major (row s·B+b, as nn.Batch), bt gives lengths: positions s ≥ length
// are masked (weight exactly 0). Precomputes k W_k (additive) or k Wᵀ (general)
// once for all steps. keys must stay unchanged until the backward pass ends.
// It forgets the steps and any gradient of the previous pass not yet taken by
// KeysGrad.
func (a *Attention) SetKeys(keys []float64, bt Batch) {
	bt.check()
	SB := bt.Rows()
	if len(keys) < SB*a.Key {
		panic(fmt.Sprintf("nn: Attention.SetKeys: keys has %d values, want %d×%d", len(keys), SB, a.Key))
	}
	ws := &a.ws
	ws.keys, ws.batch, ws.set = keys[:SB*a.Key], bt, true
	ws.steps, ws.grads, ws.selected = 0, false, false
	P := a.projWidth()
	ws.kp = grow(ws.kp, SB*P)
	switch {
	case a.Wq != nil:
		// kp = k W_k + b.
		for r := 0; r < SB; r++ {
			copy(ws.kp[r*P:(r+1)*P], a.B.Value)
		}
		ws.mm.mul(false, false, SB, P, a.Key, ws.keys, a.Key, a.Wk.Value, P, 1, ws.kp, P)
	case a.W != nil:
		// kp = k Wᵀ, so that e_{t,s} = q_t · kp_s.
		ws.mm.mul(false, true, SB, P, a.Key, ws.keys, a.Key, a.W.Value, a.Key, 0, ws.kp, P)
	}
}

// SelectKeys replaces the key sequences of the pass by a selection of them,
// for inference: sequence i of the new set is sequence rows[i] of the current
// one, which may be chosen several times (the hypotheses of a beam search
// share their sentence's keys) or not at all (a sentence whose search has
// ended). The keys and their projections are copied, not computed again: a
// beam search of width k would otherwise project every key k times, and again
// whenever a sentence leaves the batch. The steps recorded are forgotten and
// no Backward may follow.
func (a *Attention) SelectKeys(rows []int) {
	ws := &a.ws
	if !ws.set {
		panic("nn: Attention.SelectKeys without SetKeys")
	}
	S, B, nb := ws.batch.Steps, ws.batch.B(), len(rows)
	P := a.projWidth()
	i := ws.selNext
	ws.selNext = 1 - i
	keys, kp := grow(ws.sel[i], S*nb*a.Key), grow(ws.selKp[i], S*nb*P)
	lens := make([]int, nb)
	for j, r := range rows {
		if r < 0 || r >= B {
			panic(fmt.Sprintf("nn: Attention.SelectKeys: row %d outside [0, %d)", r, B))
		}
		lens[j] = ws.batch.Lengths[r]
		for s := 0; s < S; s++ {
			copy(keys[(s*nb+j)*a.Key:(s*nb+j+1)*a.Key], ws.keys[(s*B+r)*a.Key:(s*B+r+1)*a.Key])
			copy(kp[(s*nb+j)*P:(s*nb+j+1)*P], ws.kp[(s*B+r)*P:(s*B+r+1)*P])
		}
	}
	ws.sel[i], ws.selKp[i] = keys, kp
	ws.keys, ws.kp = keys, kp
	ws.batch = Batch{Steps: S, Lengths: lens}
	ws.steps, ws.grads, ws.selected = 0, false, true
}

// Forward computes for decoder step t the context (B×Key) and the weights (B×S;
// row b, zero past its length; nil skips them) for queries q (B×Query), and
// records what Backward(t) needs (t = 0, 1, … ; inference may pass t = 0 every
// time so nothing accumulates).
//
// With kp_s the precomputed key side of row s of sequence b:
//
//	additive: qp = q W_q,  e_s = Σ_j v_j tanh(qp_j + kp_{s,j})
//	general:  e_s = q · kp_s   (kp = k Wᵀ)
//	dot:      e_s = q · k_s
//	α_s = exp(e_s − m) / Σ_{s'<n} exp(e_{s'} − m), m = max_{s<n} e_s, for s < n; 0 past n
//	c = Σ_{s<n} α_s k_s
//
// Memory: the additive kind keeps only qp (B×Hidden per step), not the B×S×Hidden
// tanh activations, which Backward recomputes from qp and kp: one more tanh per
// score in exchange for S times less memory per step (a 50-step decoder over a
// 64×50 batch with Hidden 256 would otherwise hold 330 MB of activations).
func (a *Attention) Forward(t int, ctx, weights, q []float64) {
	ws := &a.ws
	if !ws.set {
		panic("nn: Attention.Forward without SetKeys")
	}
	S, B := ws.batch.Steps, ws.batch.B()
	if t < 0 || t > ws.steps {
		panic(fmt.Sprintf("nn: Attention.Forward: step %d after %d recorded steps", t, ws.steps))
	}
	if len(q) < B*a.Query {
		panic(fmt.Sprintf("nn: Attention.Forward: q has %d values, want %d×%d", len(q), B, a.Query))
	}
	if len(ctx) < B*a.Key {
		panic(fmt.Sprintf("nn: Attention.Forward: ctx has %d values, want %d×%d", len(ctx), B, a.Key))
	}
	if weights != nil && len(weights) < B*S {
		panic(fmt.Sprintf("nn: Attention.Forward: weights has %d values, want %d×%d", len(weights), B, S))
	}
	if t == ws.steps {
		ws.steps++
		ws.q = growKeep(ws.q, ws.steps*B*a.Query)
		ws.alpha = growKeep(ws.alpha, ws.steps*B*S)
		if a.Wq != nil {
			ws.qp = growKeep(ws.qp, ws.steps*B*a.Hidden)
		}
	}
	qt := ws.q[t*B*a.Query : (t+1)*B*a.Query]
	copy(qt, q)
	alpha := ws.alpha[t*B*S : (t+1)*B*S]
	var qp []float64
	if a.Wq != nil {
		H := a.Hidden
		qp = ws.qp[t*B*H : (t+1)*B*H]
		ws.mm.mul(false, false, B, H, a.Query, qt, a.Query, a.Wq.Value, H, 0, qp, H)
		ws.z = grow(ws.z, H)
	}

	for b, n := range ws.batch.Lengths {
		row := alpha[b*S : (b+1)*S]
		c := ctx[b*a.Key : (b+1)*a.Key]
		clear(row[n:])
		clear(c)
		if n == 0 {
			continue
		}
		// Scores.
		for s := 0; s < n; s++ {
			r := s*B + b
			switch {
			case a.Wq != nil:
				H := a.Hidden
				z := ws.z
				kp := ws.kp[r*H : (r+1)*H]
				for j, v := range qp[b*H : (b+1)*H] {
					z[j] = v + kp[j]
				}
				tanhs(z, z)
				row[s] = impl.Ddot(H, a.V.Value, 1, z, 1)
			case a.W != nil:
				row[s] = impl.Ddot(a.Query, qt[b*a.Query:], 1, ws.kp[r*a.Query:], 1)
			default:
				row[s] = impl.Ddot(a.Key, qt[b*a.Key:], 1, ws.keys[r*a.Key:], 1)
			}
		}
		// Softmax over the unmasked positions.
		m := row[0]
		for _, e := range row[1:n] {
			m = max(m, e)
		}
		sum := 0.0
		for s := 0; s < n; s++ {
			row[s] = math.Exp(row[s] - m)
			sum += row[s]
		}
		for s := 0; s < n; s++ {
			row[s] /= sum
		}
		// Context.
		for s := 0; s < n; s++ {
			impl.Daxpy(a.Key, row[s], ws.keys[(s*B+b)*a.Key:(s*B+b+1)*a.Key], 1, c, 1)
		}
	}
	if weights != nil {
		copy(weights[:B*S], alpha)
	}
}

// Backward backpropagates step t (any order): dctx (B×Key) is dL/dc_t, dweights
// (B×S, nil for none) an optional extra dL/dα_t; it ADDS dL/dq_t into dq
// (B×Query; nil skips it) and accumulates dL/dkeys and the parameter gradients:
// those of W_q and v here, those of W_k, b and W (which act on the keys) in KeysGrad.
//
// For sequence b of length n, s < n (nothing flows to or from masked positions):
//
//	g_s  = dc · k_s + dα_s                       dL/dα_s
//	de_s = α_s (g_s − Σ_{s'} α_{s'} g_{s'})      through the softmax
//	dk_s += α_s dc                               through the values
//	additive, with z_s = tanh(qp + kp_s) recomputed:
//	  dv += Σ_s de_s z_s,  dp_s = de_s v ⊙ (1 − z_s²),  dqp = Σ_s dp_s,  dkp_s += dp_s
//	  dq += dqp W_qᵀ,  dW_q += qᵀ dqp            (one product each over the batch)
//	general: dq += Σ_s de_s kp_s,  dkp_s += de_s q
//	dot:     dq += Σ_s de_s k_s,   dk_s  += de_s q
func (a *Attention) Backward(t int, dq, dctx, dweights []float64) {
	ws := &a.ws
	S, B := ws.batch.Steps, ws.batch.B()
	if ws.selected {
		panic("nn: Attention.Backward after SelectKeys (inference only)")
	}
	if t < 0 || t >= ws.steps {
		panic(fmt.Sprintf("nn: Attention.Backward: step %d not recorded (%d steps since SetKeys)", t, ws.steps))
	}
	if len(dctx) < B*a.Key {
		panic(fmt.Sprintf("nn: Attention.Backward: dctx has %d values, want %d×%d", len(dctx), B, a.Key))
	}
	if dq != nil && len(dq) < B*a.Query {
		panic(fmt.Sprintf("nn: Attention.Backward: dq has %d values, want %d×%d", len(dq), B, a.Query))
	}
	if dweights != nil && len(dweights) < B*S {
		panic(fmt.Sprintf("nn: Attention.Backward: dweights has %d values, want %d×%d", len(dweights), B, S))
	}
	SB, P := ws.batch.Rows(), a.projWidth()
	if !ws.grads {
		// The first Backward of the pass: the accumulators start from zero.
		ws.grads = true
		ws.dkeys = grow(ws.dkeys, SB*a.Key)
		clear(ws.dkeys)
		ws.dkp = grow(ws.dkp, SB*P)
		clear(ws.dkp)
		for _, p := range a.Params() {
			p.AllocGrad()
		}
	}
	qt := ws.q[t*B*a.Query : (t+1)*B*a.Query]
	alpha := ws.alpha[t*B*S : (t+1)*B*S]
	ws.g = grow(ws.g, S)
	// dqp collects dL/d(q W_q) (additive) or dL/dq (general, dot) of the batch.
	D := a.Query
	var qp []float64
	if a.Wq != nil {
		D = a.Hidden
		qp = ws.qp[t*B*D : (t+1)*B*D]
		ws.z = grow(ws.z, D)
	}
	ws.dqp = grow(ws.dqp, B*D)
	clear(ws.dqp)

	for b, n := range ws.batch.Lengths {
		if n == 0 {
			continue
		}
		row := alpha[b*S : b*S+n]
		dc := dctx[b*a.Key : (b+1)*a.Key]
		g := ws.g[:n]
		dot := 0.0
		for s := range g {
			k := ws.keys[(s*B+b)*a.Key : (s*B+b+1)*a.Key]
			g[s] = impl.Ddot(a.Key, dc, 1, k, 1)
			if dweights != nil {
				g[s] += dweights[b*S+s]
			}
			dot += row[s] * g[s]
			impl.Daxpy(a.Key, row[s], dc, 1, ws.dkeys[(s*B+b)*a.Key:], 1)
		}
		for s := range g {
			g[s] = row[s] * (g[s] - dot) // now de_s
		}
		dd := ws.dqp[b*D : (b+1)*D]
		for s, de := range g {
			r := s*B + b
			switch {
			case a.Wq != nil:
				z := ws.z
				kp := ws.kp[r*D : (r+1)*D]
				for j, v := range qp[b*D : (b+1)*D] {
					z[j] = v + kp[j]
				}
				tanhs(z, z)
				impl.Daxpy(D, de, z, 1, a.V.Grad, 1)
				dkp := ws.dkp[r*D : (r+1)*D]
				for j, zj := range z {
					dp := de * a.V.Value[j] * (1 - zj*zj)
					dd[j] += dp
					dkp[j] += dp
				}
			case a.W != nil:
				impl.Daxpy(D, de, ws.kp[r*D:], 1, dd, 1)
				impl.Daxpy(D, de, qt[b*D:], 1, ws.dkp[r*D:], 1)
			default:
				impl.Daxpy(D, de, ws.keys[r*D:], 1, dd, 1)
				impl.Daxpy(D, de, qt[b*D:], 1, ws.dkeys[r*D:], 1)
			}
		}
	}

	if a.Wq != nil {
		ws.mm.mul(true, false, a.Query, D, B, qt, a.Query, ws.dqp, D, 1, a.Wq.Grad, D)
		if dq != nil {
			ws.mm.mul(false, true, B, a.Query, D, ws.dqp, D, a.Wq.Value, D, 1, dq, a.Query)
		}
		return
	}
	if dq != nil {
		for i, v := range ws.dqp {
			dq[i] += v
		}
	}
}

// KeysGrad ADDS the accumulated dL/dkeys ((S·B)×Key, including the path through
// the key projection; nil skips it) into dkeys and resets the accumulator for
// the next pass. It also adds the gradients of the parameters that act on the
// keys (W_k and b, or W), each one product over all steps, so call it once
// after the pass's Backward calls even when the keys need no gradient:
//
//	additive: dW_k += kᵀ dkp,  db += Σ_rows dkp,  dk += dkp W_kᵀ
//	general:  dW += dkpᵀ k,    dk += dkp W        (kp = k Wᵀ)
func (a *Attention) KeysGrad(dkeys []float64) {
	ws := &a.ws
	SB, P := ws.batch.Rows(), a.projWidth()
	if dkeys != nil && len(dkeys) < SB*a.Key {
		panic(fmt.Sprintf("nn: Attention.KeysGrad: dkeys has %d values, want %d×%d", len(dkeys), SB, a.Key))
	}
	if !ws.grads || SB == 0 {
		ws.grads = false
		return
	}
	ws.grads = false
	switch {
	case a.Wq != nil:
		ws.mm.mul(true, false, a.Key, P, SB, ws.keys, a.Key, ws.dkp, P, 1, a.Wk.Grad, P)
		addColSums(a.B.Grad, ws.dkp, SB, P, P)
		if dkeys != nil {
			ws.mm.mul(false, true, SB, a.Key, P, ws.dkp, P, a.Wk.Value, P, 1, dkeys, a.Key)
		}
	case a.W != nil:
		ws.mm.mul(true, false, P, a.Key, SB, ws.dkp, P, ws.keys, a.Key, 1, a.W.Grad, a.Key)
		if dkeys != nil {
			ws.mm.mul(false, false, SB, a.Key, P, ws.dkp, P, a.W.Value, a.Key, 1, dkeys, a.Key)
		}
	}
	if dkeys != nil {
		for i, v := range ws.dkeys {
			dkeys[i] += v
		}
	}
}
