package translate

import (
	"math"

	"github.com/nlp-go/nlp/nn"
)

// pair is one training example as unit ids: the source (ending with </s>)
// and the target (without <s> or </s>, which the batch adds).
type pair struct {
	src, tgt []int
}

// workspace holds one batch's buffers, grown to the largest batch seen and
// then reused, so that steady-state steps allocate little.
type workspace struct {
	srcIDs, tgtIn, tgtOut []int     // time-major ids; nn.PadID past a length
	srcBt, tgtBt          nn.Batch  // the two sides' ragged batches
	xs                    []float64 // (S·B)×Emb: source embeddings after dropout
	keys                  []float64 // (S·B)×K: encoder outputs after dropout
	final                 []float64 // B×K: the encoder's summary
	h0                    []float64 // B×Decoder: the decoder's first state
	ye                    []float64 // (T·B)×Emb: target input embeddings after dropout
	x                     []float64 // B×In: one step's decoder input
	hs                    []float64 // (T·B)×Decoder: decoder states
	ctx, alpha            []float64 // B×K, B×S: one step's context and weights
	u                     []float64 // (T·B)×(K+Decoder): [c_t; h_t]
	ht                    []float64 // (T·B)×Output: h̃_t
	htd                   []float64 // (T·B)×Output: h̃_t after dropout
	logits                []float64 // chunk×V
	dht, du, dx, dfeed    []float64
	dye, dkeys, dfinal    []float64
	dz0                   []float64
}

// outChunk is how many rows of scores the output layer computes at once:
// the scores of a whole batch (T·B×V, 150 MB for 30×64×10k) are never held.
const outChunk = 256

// batch lays out the pairs time-major into the workspace.
func (m *Model) batch(pairs []pair) {
	w := &m.ws
	B := len(pairs)
	S, T := 0, 0
	srcL, tgtL := make([]int, B), make([]int, B)
	for b, p := range pairs {
		srcL[b], tgtL[b] = len(p.src), len(p.tgt)+1
		S, T = max(S, srcL[b]), max(T, tgtL[b])
	}
	w.srcBt, w.tgtBt = nn.Batch{Steps: S, Lengths: srcL}, nn.Batch{Steps: T, Lengths: tgtL}
	w.srcIDs = fill(w.srcIDs, S*B, nn.PadID)
	w.tgtIn = fill(w.tgtIn, T*B, nn.PadID)
	w.tgtOut = fill(w.tgtOut, T*B, nn.IgnoreIndex)
	for b, p := range pairs {
		for s, id := range p.src {
			w.srcIDs[s*B+b] = id
		}
		w.tgtIn[b] = bosID
		for t, id := range p.tgt {
			w.tgtIn[(t+1)*B+b] = id
			w.tgtOut[t*B+b] = id
		}
		w.tgtOut[len(p.tgt)*B+b] = eosID
	}
}

// encode runs the source side of the laid-out batch: embeddings, encoder,
// the decoder's first state, and the keys set in the attention.
func (m *Model) encode() {
	w := &m.ws
	S, B := w.srcBt.Steps, w.srcBt.B()
	E, K, D := m.cfg.Emb, m.enc.Output(), m.cfg.Decoder
	w.xs = grow(w.xs, S*B*E)
	m.srcEmb.Forward(w.xs, w.srcIDs[:S*B])
	m.srcDrop.Forward(w.xs, w.xs)
	out := m.enc.Forward(w.xs, w.srcBt)
	w.keys = grow(w.keys, S*B*K)
	m.keyDrop.Forward(w.keys, out)
	w.final = grow(w.final, B*K)
	m.enc.Final(w.final)
	w.h0 = grow(w.h0, B*D)
	m.bridge.Forward(w.h0, w.final)
	tanhInPlace(w.h0)
	m.att.SetKeys(w.keys, w.srcBt)
}

// attend turns the decoder state h (B×Decoder) of step t into h̃ (B×Output)
// through the attention, keeping [c; h] in u (B×(K+Decoder)) for backward.
func (m *Model) attend(t int, ht, u, h []float64, B int) {
	w := &m.ws
	K, D := m.enc.Output(), m.cfg.Decoder
	S := w.srcBt.Steps
	w.ctx, w.alpha = grow(w.ctx, B*K), grow(w.alpha, B*S)
	m.att.Forward(t, w.ctx, w.alpha, h)
	for b := 0; b < B; b++ {
		copy(u[b*(K+D):b*(K+D)+K], w.ctx[b*K:(b+1)*K])
		copy(u[b*(K+D)+K:(b+1)*(K+D)], h[b*D:(b+1)*D])
	}
	m.comb.Forward(ht, u)
	tanhInPlace(ht)
}

// feedInput writes one step's decoder input for B rows: the embedded
// previous units (B×Emb) and, with input feeding, the previous h̃ (nil: zero).
func (m *Model) feedInput(x, emb, feed []float64, B int) {
	E, In := m.cfg.Emb, m.decoderInput()
	for b := 0; b < B; b++ {
		copy(x[b*In:b*In+E], emb[b*E:(b+1)*E])
		if In > E {
			if feed == nil {
				clear(x[b*In+E : (b+1)*In])
			} else {
				copy(x[b*In+E:(b+1)*In], feed[b*(In-E):(b+1)*(In-E)])
			}
		}
	}
}

// teacherForward runs the decoder over the laid-out batch with teacher
// forcing (the input at step t is the reference unit t−1), one step at a time:
// with input feeding, step t's input holds step t−1's h̃.
func (m *Model) teacherForward() {
	w := &m.ws
	T, B := w.tgtBt.Steps, w.tgtBt.B()
	E, K, D, O := m.cfg.Emb, m.enc.Output(), m.cfg.Decoder, m.cfg.Output
	w.ye = grow(w.ye, T*B*E)
	m.tgtEmb.Forward(w.ye, w.tgtIn[:T*B])
	m.tgtDrop.Forward(w.ye, w.ye)
	w.x = grow(w.x, B*m.decoderInput())
	w.hs, w.u, w.ht = grow(w.hs, T*B*D), grow(w.u, T*B*(K+D)), grow(w.ht, T*B*O)
	m.dec.Begin(w.tgtBt, &nn.State{H: w.h0})
	for t := 0; t < T; t++ {
		var feed []float64
		if t > 0 {
			feed = w.ht[(t-1)*B*O : t*B*O]
		}
		m.feedInput(w.x, w.ye[t*B*E:(t+1)*B*E], feed, B)
		h := w.hs[t*B*D : (t+1)*B*D]
		m.dec.Step(t, h, w.x)
		m.attend(t, w.ht[t*B*O:(t+1)*B*O], w.u[t*B*(K+D):(t+1)*B*(K+D)], h, B)
	}
}

// trainStep runs the pairs forward with teacher forcing and backward, adding
// every weight's gradient, and returns the sum of the cross-entropies of
// their target units (</s> included) and the number of units. The loss whose
// gradient it adds is that sum divided by total, the units of the whole batch
// of which the pairs may be a shard (0: the pairs are the batch).
func (m *Model) trainStep(pairs []pair, total int) (float64, int) {
	m.batch(pairs)
	m.encode()
	w := &m.ws
	T, B := w.tgtBt.Steps, w.tgtBt.B()
	E, K, D, O := m.cfg.Emb, m.enc.Output(), m.cfg.Decoder, m.cfg.Output
	In, V := m.decoderInput(), m.tgt.size()

	m.teacherForward()

	// Output layer and loss, a chunk of rows at a time; the loss is the mean
	// over every target unit of the batch, so each chunk's gradient is
	// rescaled from its own mean.
	n := 0
	for _, y := range w.tgtOut[:T*B] {
		if y != nn.IgnoreIndex {
			n++
		}
	}
	if total == 0 {
		total = n
	}
	w.htd = grow(w.htd, T*B*O)
	m.outDrop.Forward(w.htd, w.ht[:T*B*O])
	w.dht = grow(w.dht, T*B*O)
	loss := 0.0
	for r := 0; r < T*B; r += outChunk {
		rows := min(outChunk, T*B-r)
		w.logits = grow(w.logits, rows*V)
		x := w.htd[r*O : (r+rows)*O]
		m.out.Forward(w.logits, x)
		l, k := nn.SoftmaxCrossEntropy(w.logits, w.logits, V, w.tgtOut[r:r+rows])
		if k == 0 {
			clear(w.dht[r*O : (r+rows)*O])
			continue
		}
		loss += l * float64(k)
		scale := float64(k) / float64(total)
		for i := range w.logits {
			w.logits[i] *= scale
		}
		m.out.Backward(w.dht[r*O:(r+rows)*O], x, w.logits)
	}
	m.outDrop.Backward(w.dht[:T*B*O], w.dht[:T*B*O])

	// Back through the steps: h̃_t's gradient is the output's plus, with input
	// feeding, what step t+1's input sends back.
	w.du, w.dx = grow(w.du, B*(K+D)), grow(w.dx, B*In)
	w.dfeed = grow(w.dfeed, B*O)
	clear(w.dfeed)
	w.dye = grow(w.dye, T*B*E)
	w.dkeys = grow(w.dkeys, len(w.keys))
	clear(w.dkeys)
	dq := make([]float64, B*D)
	m.dec.BeginBackward(nil)
	for t := T - 1; t >= 0; t-- {
		dz := w.dht[t*B*O : (t+1)*B*O]
		ht := w.ht[t*B*O : (t+1)*B*O]
		for i, v := range ht {
			dz[i] = (dz[i] + w.dfeed[i]) * (1 - v*v)
		}
		m.comb.Backward(w.du, w.u[t*B*(K+D):(t+1)*B*(K+D)], dz)
		// du = [dc; dh]: the context's gradient goes to the attention, which
		// adds the query's gradient to dh.
		for b := 0; b < B; b++ {
			copy(w.ctx[b*K:(b+1)*K], w.du[b*(K+D):b*(K+D)+K])
			copy(dq[b*D:(b+1)*D], w.du[b*(K+D)+K:(b+1)*(K+D)])
		}
		m.att.Backward(t, dq, w.ctx[:B*K], nil)
		clear(w.dx)
		m.dec.BackStep(t, w.dx, dq)
		for b := 0; b < B; b++ {
			copy(w.dye[(t*B+b)*E:(t*B+b+1)*E], w.dx[b*In:b*In+E])
			if In > E {
				copy(w.dfeed[b*O:(b+1)*O], w.dx[b*In+E:(b+1)*In])
			}
		}
	}
	m.dec.EndBackward()
	m.tgtDrop.Backward(w.dye[:T*B*E], w.dye[:T*B*E])
	m.tgtEmb.Backward(w.tgtIn[:T*B], w.dye[:T*B*E])

	// The decoder's first state came from the encoder's summary.
	w.dz0 = grow(w.dz0, B*D)
	for i, v := range w.h0[:B*D] {
		w.dz0[i] = m.dec.InitialGrad().H[i] * (1 - v*v)
	}
	w.dfinal = grow(w.dfinal, B*K)
	m.bridge.Backward(w.dfinal, w.final[:B*K], w.dz0)
	m.att.KeysGrad(w.dkeys)
	m.keyDrop.Backward(w.dkeys, w.dkeys)
	dxs := m.enc.Backward(w.dkeys, w.dfinal)
	S := w.srcBt.Steps
	m.srcDrop.Backward(dxs[:S*B*E], dxs[:S*B*E])
	m.srcEmb.Backward(w.srcIDs[:S*B], dxs[:S*B*E])
	return loss, n
}

// devLoss is the mean cross-entropy per target unit of the pairs with
// teacher forcing and no dropout (the model must be in evaluation mode).
func (m *Model) devLoss(pairs []pair) (sum float64, n int) {
	m.batch(pairs)
	m.encode()
	m.teacherForward()
	w := &m.ws
	T, B := w.tgtBt.Steps, w.tgtBt.B()
	O, V := m.cfg.Output, m.tgt.size()
	for r := 0; r < T*B; r += outChunk {
		rows := min(outChunk, T*B-r)
		w.logits = grow(w.logits, rows*V)
		m.out.Forward(w.logits, w.ht[r*O:(r+rows)*O])
		l, k := nn.SoftmaxCrossEntropy(nil, w.logits, V, w.tgtOut[r:r+rows])
		sum += l * float64(k)
		n += k
	}
	return sum, n
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

func fill(s []int, n, v int) []int {
	if cap(s) < n {
		s = make([]int, n)
	}
	s = s[:n]
	for i := range s {
		s[i] = v
	}
	return s
}

func tanhInPlace(x []float64) {
	for i, v := range x {
		x[i] = math.Tanh(v)
	}
}
