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
// The sentences still searched are expanded to k rows each; when some
// sentences end, the batch is compacted to the others, so that the longest
// sentence does not keep the finished ones computing.
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
	mem := m.dec.Cell.Memory()

	// The rows: row a·k+j is hypothesis j of sentence act[a].
	act := make([]int, B)
	for b := range act {
		act[b] = b
	}
	R := B * k
	h, c := make([]float64, R*D), []float64(nil)
	if mem {
		c = make([]float64, R*D)
	}
	for r := 0; r < R; r++ {
		copy(h[r*D:(r+1)*D], w.h0[(r/k)*D:(r/k+1)*D])
	}
	feed := make([]float64, R*O)
	live := make([]beamRow, R)
	for r := range live {
		live[r] = beamRow{parent: -1, id: bosID}
		if r%k != 0 {
			// One start per sentence, or the k rows would search the same.
			live[r].logp = math.Inf(-1)
		}
	}
	// Every row attends to its sentence's keys (encode set them): they are
	// repeated k times, and the rows of finished sentences dropped later.
	rows := make([]int, R)
	for r := range rows {
		rows[r] = r / k
	}
	m.att.SelectKeys(rows)
	lens := make([]int, R)
	for r := range lens {
		lens[r] = w.srcBt.Lengths[r/k]
	}

	finished := make([][]hypothesis, B)
	var history []stepRecord
	var prev []int
	var emb, x, hOut, u, ht, logits, nh, nc, nfeed []float64
	var cand []beamRow
	for t := 0; len(act) > 0; t++ {
		R := len(act) * k
		prev = prev[:0]
		for _, r := range live {
			prev = append(prev, r.id)
		}
		emb, x = grow(emb, R*E), grow(x, R*In)
		hOut, u, ht = grow(hOut, R*D), grow(u, R*(K+D)), grow(ht, R*O)
		logits = grow(logits, R*V)
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

		rec := stepRecord{rows: live, focus: make([]int, R)}
		if sc.keep {
			rec.alpha = make([][]float64, R)
		}
		for r := 0; r < R; r++ {
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
		keep := act[:0:0]
		for a, b := range act {
			cand = cand[:0]
			for j := 0; j < k; j++ {
				r := a*k + j
				next[r] = beamRow{parent: r, id: eosID, logp: math.Inf(-1)}
				if !math.IsInf(live[r].logp, -1) {
					cand = topK(cand, 2*k, r, live[r].logp, logits[r*V:(r+1)*V])
				}
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
					next[a*k+n] = cd
					n++
				}
			}
			if len(finished[b]) >= k || t+1 >= maxOutput(len(srcs[b])) || n == 0 {
				if len(finished[b]) == 0 {
					for j := 0; j < n; j++ {
						finished[b] = append(finished[b], m.readBack(history, next[a*k+j], t, false, sc))
					}
				}
				continue
			}
			keep = append(keep, a)
		}

		// The rows follow their parents (state, memory and h̃), the rows of
		// the sentences still searched moved up when others ended.
		nh, nfeed = grow(nh, len(keep)*k*D), grow(nfeed, len(keep)*k*O)
		if mem {
			nc = grow(nc, len(keep)*k*D)
		}
		nextLive := make([]beamRow, 0, len(keep)*k)
		for i, a := range keep {
			for j := 0; j < k; j++ {
				nr := next[a*k+j]
				p, r := nr.parent, i*k+j
				copy(nh[r*D:(r+1)*D], h[p*D:(p+1)*D])
				if mem {
					copy(nc[r*D:(r+1)*D], c[p*D:(p+1)*D])
				}
				copy(nfeed[r*O:(r+1)*O], feed[p*O:(p+1)*O])
				nextLive = append(nextLive, nr)
			}
		}
		h, nh = nh, h
		c, nc = nc, c
		feed, nfeed = nfeed, feed
		live = nextLive
		if len(keep) < len(act) && len(keep) > 0 {
			next, rows, nl := make([]int, len(keep)), rows[:0], lens[:0]
			for i, a := range keep {
				next[i] = act[a]
				for j := 0; j < k; j++ {
					rows = append(rows, a*k+j)
					nl = append(nl, lens[a*k+j])
				}
			}
			m.att.SelectKeys(rows)
			act, lens = next, nl
		}
		if len(keep) == 0 {
			act = nil
		}
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
