package translate

import (
	"math"
	"slices"

	"github.com/nlp-go/nlp/nn"
)

// hypothesis is a finished (or, at the length limit, unfinished) output of
// the beam search: its units and, for each, the source position it attended
// to most and, when asked for, all its attention weights.
type hypothesis struct {
	ids    []int       // target unit ids, </s> excluded
	focus  []int       // per unit, the source position of highest attention
	alpha  [][]float64 // per unit, the weights over the source (nil unless kept)
	logp   float64     // log-probability, </s> included when finished
	score  float64     // logp normalised for length
	closed bool        // ended with </s>
}

// search settings for decode.
type search struct {
	beam  int     // hypotheses kept per sentence; 1 is greedy decoding
	alpha float64 // length normalisation: score = logp / length^alpha
	keep  bool    // keep every attention weight (for the heatmap)
}

// maxOutput is the number of units decoded for a source of n units at most:
// translations are seldom more than twice as long as their source.
func maxOutput(n int) int { return min(2*n+10, MaxLength) }

// beamRow is one live hypothesis of step t: the row of step t−1 it extends,
// the unit it added and its log-probability so far.
type beamRow struct {
	parent, id int
	logp       float64
}

// step history of the search, to read the hypotheses back.
type stepRecord struct {
	rows  []beamRow   // R rows (parent −1 for a dead row)
	focus []int       // R: argmax of each row's attention at this step
	alpha [][]float64 // R×S when kept
}

// decode translates the sources (unit ids, each ending with </s>) in one
// batch by beam search (greedy for beam 1), the model in evaluation mode.
// The B sentences are expanded to B·k rows; a sentence whose search has
// ended keeps its rows in the batch (as dead rows) until the batch ends.
func (m *Model) decode(srcs [][]int, sc search) []hypothesis {
	B, k := len(srcs), max(sc.beam, 1)
	out := make([]hypothesis, B)
	if B == 0 {
		return out
	}
	pairs := make([]pair, B)
	for b, s := range srcs {
		pairs[b] = pair{src: s}
	}
	m.batch(pairs)
	m.encode()
	w := &m.ws
	S := w.srcBt.Steps
	K, D, O, E := m.enc.Output(), m.cfg.Decoder, m.cfg.Output, m.cfg.Emb
	In, V := m.decoderInput(), m.tgt.size()
	R := B * k

	// Every hypothesis row attends to its sentence's keys: repeat them k times.
	keys := make([]float64, S*R*K)
	lens := make([]int, R)
	for s := 0; s < S; s++ {
		for r := 0; r < R; r++ {
			copy(keys[(s*R+r)*K:(s*R+r+1)*K], w.keys[(s*B+r/k)*K:(s*B+r/k+1)*K])
		}
	}
	for r := range lens {
		lens[r] = w.srcBt.Lengths[r/k]
	}
	m.att.SetKeys(keys, nn.Batch{Steps: S, Lengths: lens})
	mem := m.dec.Cell.Memory()
	h, c := make([]float64, R*D), []float64(nil)
	if mem {
		c = make([]float64, R*D)
	}
	for r := 0; r < R; r++ {
		copy(h[r*D:(r+1)*D], w.h0[(r/k)*D:(r/k+1)*D])
	}
	feed := make([]float64, R*O)
	prev := make([]int, R)
	live := make([]beamRow, R)
	for r := range live {
		live[r] = beamRow{parent: -1, id: bosID}
		if r%k != 0 {
			// One start per sentence, or the k rows would search the same.
			live[r].logp = math.Inf(-1)
		}
	}
	done := make([]bool, B)
	limit := make([]int, B)
	for b, s := range srcs {
		limit[b] = maxOutput(len(s))
	}
	finished := make([][]hypothesis, B)
	var history []stepRecord

	emb, x := make([]float64, R*E), make([]float64, R*In)
	hOut, u, ht := make([]float64, R*D), make([]float64, R*(K+D)), make([]float64, R*O)
	logits := make([]float64, R*V)
	nh, nc, nfeed := make([]float64, R*D), make([]float64, len(c)), make([]float64, R*O)
	var cand []beamRow
	for t := 0; ; t++ {
		for r := range prev {
			prev[r] = live[r].id
		}
		m.tgtEmb.Forward(emb, prev)
		if m.cfg.NoInputFeeding {
			copy(x, emb)
		} else {
			m.feedInput(x, emb, feed, R)
		}
		m.dec.Forward(hOut, D, x, In, nn.FullBatch(R, 1), &nn.State{H: h, C: c})
		st := m.dec.Final()
		copy(h, st.H)
		if mem {
			copy(c, st.C)
		}
		m.attend(0, ht, u, hOut, R)
		copy(feed, ht)
		m.out.Forward(logits, ht)
		nn.LogSoftmax(logits, logits, V)

		rec := stepRecord{rows: make([]beamRow, R), focus: make([]int, R)}
		if sc.keep {
			rec.alpha = make([][]float64, R)
		}
		for r := 0; r < R; r++ {
			rec.rows[r] = live[r]
			a := w.alpha[r*S : (r+1)*S]
			rec.focus[r] = argmax(a[:lens[r]])
			if sc.keep {
				rec.alpha[r] = append([]float64(nil), a[:lens[r]]...)
			}
		}
		history = append(history, rec)

		// Each sentence keeps the k best extensions of its rows; one that
		// ends with </s> is finished instead.
		next := make([]beamRow, R)
		for b := 0; b < B; b++ {
			for j := 0; j < k; j++ {
				next[b*k+j] = beamRow{parent: -1, id: eosID, logp: math.Inf(-1)}
			}
			if done[b] {
				continue
			}
			cand = cand[:0]
			for j := 0; j < k; j++ {
				r := b*k + j
				if math.IsInf(live[r].logp, -1) {
					continue
				}
				cand = topK(cand, 2*k, r, live[r].logp, logits[r*V:(r+1)*V])
			}
			slices.SortFunc(cand, func(p, q beamRow) int { return -cmpFloat(p.logp, q.logp) })
			// An ending among the k best candidates finishes a hypothesis;
			// one ranked lower would not have survived and is dropped (or
			// greedy decoding would stop at any second-best </s>).
			n := 0
			for rank, cd := range cand {
				if cd.id == eosID {
					if rank < k {
						finished[b] = append(finished[b], m.readBack(history, cd, t, true, sc))
					}
					continue
				}
				if n < k {
					next[b*k+n] = cd
					n++
				}
			}
			if len(finished[b]) >= k || t+1 >= limit[b] || n == 0 {
				done[b] = true
				if len(finished[b]) == 0 {
					for j := 0; j < n; j++ {
						finished[b] = append(finished[b], m.readBack(history, next[b*k+j], t, false, sc))
					}
				}
			}
		}
		if !slices.Contains(done, false) {
			break
		}
		// The rows follow their parents: state, cell memory and h̃.
		for r, nr := range next {
			p := nr.parent
			if p < 0 {
				p = r
			}
			copy(nh[r*D:(r+1)*D], h[p*D:(p+1)*D])
			if mem {
				copy(nc[r*D:(r+1)*D], c[p*D:(p+1)*D])
			}
			copy(nfeed[r*O:(r+1)*O], feed[p*O:(p+1)*O])
		}
		h, nh = nh, h
		c, nc = nc, c
		feed, nfeed = nfeed, feed
		live = next
	}
	for b := range out {
		best := 0
		for i, hy := range finished[b] {
			if hy.score > finished[b][best].score {
				best = i
			}
		}
		out[b] = finished[b][best]
	}
	return out
}

// readBack follows the parents from the candidate made at step t back to
// the start: the units, their attention and the score.
func (m *Model) readBack(history []stepRecord, cd beamRow, t int, closed bool, sc search) hypothesis {
	hy := hypothesis{logp: cd.logp, closed: closed}
	n := t + 1 // units generated, </s> or the last unit included
	if !closed {
		hy.ids = make([]int, n)
	} else {
		hy.ids = make([]int, n-1)
	}
	hy.focus = make([]int, len(hy.ids))
	if sc.keep {
		hy.alpha = make([][]float64, len(hy.ids))
	}
	// The candidate extends row cd.parent of step t; that row's record at
	// step t holds the attention that chose cd.id.
	id, r := cd.id, cd.parent
	for s := t; s >= 0; s-- {
		if s < len(hy.ids) {
			hy.ids[s] = id
			hy.focus[s] = history[s].focus[r]
			if sc.keep {
				hy.alpha[s] = history[s].alpha[r]
			}
		}
		row := history[s].rows[r]
		id, r = row.id, row.parent
	}
	hy.score = hy.logp / math.Pow(float64(n), sc.alpha)
	return hy
}

// topK adds to cand (kept at most n long: the best n) the extensions of row
// r, of log-probability base, by every unit, given the row's
// log-probabilities of the next unit.
func topK(cand []beamRow, n, r int, base float64, logp []float64) []beamRow {
	worst := worstOf(cand, n)
	for v, lp := range logp {
		s := base + lp
		if v == bosID || (worst >= 0 && s <= cand[worst].logp) {
			continue // <s> is never generated
		}
		if len(cand) < n {
			cand = append(cand, beamRow{parent: r, id: v, logp: s})
		} else {
			cand[worst] = beamRow{parent: r, id: v, logp: s}
		}
		worst = worstOf(cand, n)
	}
	return cand
}

// worstOf is the index of the lowest candidate once there are n, else −1.
func worstOf(cand []beamRow, n int) int {
	if len(cand) < n {
		return -1
	}
	w := 0
	for i := range cand {
		if cand[i].logp < cand[w].logp {
			w = i
		}
	}
	return w
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func argmax(x []float64) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}
