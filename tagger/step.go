package tagger

import (
	"math/rand/v2"

	"github.com/nlp-go/nlp/nn"
)

// work holds one batch's ids and activations. Every buffer grows to the largest
// batch seen and is then reused.
type work struct {
	bt           nn.Batch
	preIDs       []int // T·B rows of the pretrained table, PadID for none
	wordIDs      []int // T·B trainable word ids, PadID for padding
	uposT, xposT []int // T·B gold tag ids, IgnoreIndex for padding
	// Distillation: with soft set, the targets are the distributions tU
	// (T·B × UPOS tags) and tX instead of uposT and xposT.
	soft   bool
	tU, tX []float64

	// Character model: the batch's distinct forms (those not memoised, at
	// inference), and for each row the form's index.
	uniq    []string
	uniqOf  map[string]int
	uniqIdx []int
	runes   []int
	cfin    []float64 // U × 2·CharHidden
	dcfin   []float64

	pre, word     []float64 // T·B × width, from the embeddings
	x             []float64 // T·B × inputDim: the word features
	yd            []float64 // encoder outputs after dropout
	lu, lx        []float64 // logits of the two heads
	dlu, dlx      []float64
	dyd, dyd2     []float64
	dPre, dWord   []float64
	predU, predX  []int
	lengthScratch []int

	// Inference from memoised projections.
	newForms        []string
	newUniq         []int // each new form's index in uniq
	newPre, newWord []int
	entry           []int       // the memo entry of each of uniq
	projNew         [][]float64 // per direction, the new forms' projections
	a               [][]float64 // per direction, (T·B)×ProjectedWidth

}

// load fills the batch ids for sentences (forms), with gold tags when upos and
// xpos are given. In training, rare words are replaced by the unknown word with
// probability α/(α+count) (word dropout), so that the model learns what to do
// with words it has not seen.
func (m *Model) load(forms [][]string, upos, xpos [][]string, rng *rand.Rand) {
	w := &m.ws
	B := len(forms)
	T := 0
	w.lengthScratch = w.lengthScratch[:0]
	for _, s := range forms {
		T = max(T, len(s))
		w.lengthScratch = append(w.lengthScratch, len(s))
	}
	w.bt = nn.Batch{Steps: T, Lengths: w.lengthScratch}
	w.soft = false
	rows := T * B
	w.preIDs = growInts(w.preIDs, rows)
	w.wordIDs = growInts(w.wordIDs, rows)
	w.uposT = growInts(w.uposT, rows)
	w.xposT = growInts(w.xposT, rows)
	w.uniqIdx = growInts(w.uniqIdx, rows)
	if w.uniqOf == nil {
		w.uniqOf = make(map[string]int)
	}
	clear(w.uniqOf)
	w.uniq = w.uniq[:0]
	alpha := m.cfg.WordDropout
	for t := 0; t < T; t++ {
		for b, s := range forms {
			r := t*B + b
			if t >= len(s) {
				w.preIDs[r], w.wordIDs[r], w.uniqIdx[r] = nn.PadID, nn.PadID, -1
				w.uposT[r], w.xposT[r] = nn.IgnoreIndex, nn.IgnoreIndex
				continue
			}
			form := s[t]
			w.preIDs[r] = nn.PadID
			if id, ok := m.preID(form); ok {
				w.preIDs[r] = id
			}
			id, ok := m.words.id(m.wordKey(form))
			if !ok {
				id = 0
			}
			if rng != nil && id > 0 && alpha > 0 && rng.Float64() < alpha/(alpha+float64(m.wordCounts[id])) {
				id = 0
			}
			w.wordIDs[r] = id
			w.uposT[r], w.xposT[r] = nn.IgnoreIndex, nn.IgnoreIndex
			if upos != nil && upos[b] != nil { // nil: an unlabelled sentence
				w.uposT[r] = tagID(m.upos, upos[b][t])
				w.xposT[r] = tagID(m.xpos, xpos[b][t])
			}
			u, seen := w.uniqOf[form]
			if !seen {
				u = len(w.uniq)
				w.uniqOf[form] = u
				w.uniq = append(w.uniq, form)
			}
			w.uniqIdx[r] = u
		}
	}
}

// softTargets makes the loaded batch train towards (1−Distill)·gold +
// Distill·teacher, or towards the teacher alone for a word without a gold tag
// (unlabelled text): sentence b of the batch is word-by-word probabilities
// softU[idx[b]] (UPOS) and softX[idx[b]] (XPOS), in the model's tag order.
func (m *Model) softTargets(idx []int, softU, softX [][]float32) {
	w := &m.ws
	B, nu, nx := len(idx), m.upos.len(), m.xpos.len()
	rows := w.bt.Rows()
	w.tU, w.tX = growFloats(w.tU, rows*nu), growFloats(w.tX, rows*nx)
	clear(w.tU)
	clear(w.tX)
	mix := func(dst []float64, teacher []float32, gold int) {
		lambda := m.cfg.Distill
		if gold == nn.IgnoreIndex {
			lambda = 1
		}
		for j, p := range teacher {
			dst[j] = lambda * float64(p)
		}
		if gold != nn.IgnoreIndex {
			dst[gold] += 1 - lambda
		}
	}
	for b, k := range idx {
		for t := 0; t < w.bt.Lengths[b]; t++ {
			r := t*B + b
			mix(w.tU[r*nu:(r+1)*nu], softU[k][t*nu:(t+1)*nu], w.uposT[r])
			mix(w.tX[r*nx:(r+1)*nx], softX[k][t*nx:(t+1)*nx], w.xposT[r])
		}
	}
	w.soft = true
}

// tagID is a tag's id, or IgnoreIndex for a tag the model does not know (it
// then neither trains nor scores the model).
func tagID(v *vocab, tag string) int {
	if id, ok := v.id(tag); ok {
		return id
	}
	return nn.IgnoreIndex
}

func growInts(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}

func growFloats(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// charBucketMax are the upper word lengths (in characters) of the groups the
// character model reads together: a batch of words padded to its longest one
// would mostly compute padding, since most words are short.
var charBucketMax = []int{2, 4, 6, 8, 11, 1 << 30}

// charBucket is one group of words of similar length and the encoder (sharing
// the character model's weights) that reads them.
type charBucket struct {
	enc     *nn.Encoder
	forms   []int // indices into the forms being read
	lengths []int
	ids     []int // time-major character ids
	x       []float64
	a       [2][]float64 // at inference, the input projections per direction
	fin     []float64
	dfin    []float64
}

// charProjections fills m.charProj, every character's input projection for
// each direction of the character BiLSTM, if the weights changed since.
func (m *Model) charProjections() {
	if m.charProj[0] != nil {
		return
	}
	n, gh := m.charEmb.W.Rows, m.charEnc.ProjectedWidth()
	for d := range m.charProj {
		m.charProj[d] = make([]float64, n*gh)
	}
	m.charEnc.Project(m.charProj[:], m.charEmb.W.Value, n)
}

// charForward runs the character BiLSTM over forms and leaves their final
// states in w.cfin (len(forms) × 2·CharHidden). At inference (infer), each
// character's input projection comes from a table made once for the weights
// (charProjections) instead of a product per character read.
func (m *Model) charForward(forms []string, infer bool) {
	w := &m.ws
	if len(m.charBuckets) == 0 {
		for i := range charBucketMax {
			enc := m.charEnc
			if i > 0 {
				enc = m.charEnc.ShareParams()
			}
			m.charBuckets = append(m.charBuckets, &charBucket{enc: enc})
		}
	}
	for _, cb := range m.charBuckets {
		cb.forms, cb.lengths = cb.forms[:0], cb.lengths[:0]
	}
	for i, f := range forms {
		w.runes = m.runesOf(w.runes, f)
		n := len(w.runes)
		k := 0
		for n > charBucketMax[k] {
			k++
		}
		cb := m.charBuckets[k]
		cb.forms = append(cb.forms, i)
		cb.lengths = append(cb.lengths, n)
	}
	dc := m.charDim()
	w.cfin = growFloats(w.cfin, len(forms)*dc)
	for _, cb := range m.charBuckets {
		U := len(cb.forms)
		if U == 0 {
			continue
		}
		Tc := 0
		for _, n := range cb.lengths {
			Tc = max(Tc, n)
		}
		cb.ids = growInts(cb.ids, Tc*U)
		for i := range cb.ids {
			cb.ids[i] = nn.PadID
		}
		for u, fi := range cb.forms {
			w.runes = m.runesOf(w.runes, forms[fi])
			for t, id := range w.runes {
				cb.ids[t*U+u] = id
			}
		}
		bt := nn.Batch{Steps: Tc, Lengths: cb.lengths}
		if infer {
			m.charProjections()
			gh := m.charEnc.ProjectedWidth()
			for d, table := range m.charProj {
				cb.a[d] = growFloats(cb.a[d], Tc*U*gh)
				for r, id := range cb.ids {
					dst := cb.a[d][r*gh : (r+1)*gh]
					if id == nn.PadID {
						clear(dst)
					} else {
						copy(dst, table[id*gh:(id+1)*gh])
					}
				}
			}
			cb.enc.ForwardProjected(cb.a[:], bt)
		} else {
			cb.x = growFloats(cb.x, Tc*U*m.cfg.CharDim)
			m.charEmb.Forward(cb.x, cb.ids)
			cb.enc.Forward(cb.x, bt)
		}
		cb.fin = growFloats(cb.fin, U*dc)
		cb.enc.Final(cb.fin)
		for u, fi := range cb.forms {
			copy(w.cfin[fi*dc:(fi+1)*dc], cb.fin[u*dc:(u+1)*dc])
		}
	}
}

// charBackward takes the gradient of w.cfin (w.dcfin) back through the
// character model of the last charForward.
func (m *Model) charBackward() {
	w := &m.ws
	dc := m.charDim()
	for _, cb := range m.charBuckets {
		U := len(cb.forms)
		if U == 0 {
			continue
		}
		cb.dfin = growFloats(cb.dfin, U*dc)
		for u, fi := range cb.forms {
			copy(cb.dfin[u*dc:(u+1)*dc], w.dcfin[fi*dc:(fi+1)*dc])
		}
		dcx := cb.enc.Backward(nil, cb.dfin)
		m.charEmb.Backward(cb.ids, dcx)
	}
}

// features builds w.x, the word features of the loaded batch, for training.
func (m *Model) features() {
	w := &m.ws
	rows := w.bt.Rows()
	in, dp, dw, dc := m.inputDim(), m.preDim, m.cfg.WordDim, m.charDim()
	w.x = growFloats(w.x, rows*in)
	if m.preEmb != nil {
		w.pre = growFloats(w.pre, rows*dp)
		m.preEmb.Forward(w.pre, w.preIDs[:rows])
	}
	w.word = growFloats(w.word, rows*dw)
	m.wordEmb.Forward(w.word, w.wordIDs[:rows])
	if dc > 0 {
		m.charForward(w.uniq, false)
	}
	for r := 0; r < rows; r++ {
		row := w.x[r*in : (r+1)*in]
		copy(row[:dp], w.pre[r*dp:(r+1)*dp])
		copy(row[dp:dp+dw], w.word[r*dw:(r+1)*dw])
		if dc == 0 {
			continue
		}
		if u := w.uniqIdx[r]; u < 0 {
			clear(row[dp+dw:])
		} else {
			copy(row[dp+dw:], w.cfin[u*dc:(u+1)*dc])
		}
	}
}

// projectNew computes the first layer's input projections of the batch's forms
// that are not memoised yet, memoises them, and leaves in w.entry the memo
// entry of each of the batch's forms. A word's features — its vectors and its
// characters — are the same wherever it occurs, and so is their product with
// the first layer's weights, the largest product of the pass: at inference it
// is computed once per distinct form.
func (m *Model) projectNew() {
	w := &m.ws
	gh, dirs := m.enc.ProjectedWidth(), len(w.projNew)
	if m.memo == nil {
		m.memo = newProjMemo(projMemoLimit, dirs*gh)
	}
	m.memo.beginBatch()
	w.entry = growInts(w.entry, len(w.uniq))
	w.newForms, w.newUniq = w.newForms[:0], w.newUniq[:0]
	for u, f := range w.uniq {
		if e, ok := m.memo.lookup(f); ok {
			w.entry[u] = e
			continue
		}
		w.newForms = append(w.newForms, f)
		w.newUniq = append(w.newUniq, u)
	}
	n := len(w.newForms)
	if n == 0 {
		return
	}
	in, dp, dw, dc := m.inputDim(), m.preDim, m.cfg.WordDim, m.charDim()
	ids, wids := growInts(w.newPre, n), growInts(w.newWord, n)
	for i, f := range w.newForms {
		ids[i] = -1
		if id, ok := m.preID(f); ok {
			ids[i] = id
		}
		wids[i] = 0
		if id, ok := m.words.id(m.wordKey(f)); ok {
			wids[i] = id
		}
	}
	w.newPre, w.newWord = ids, wids
	w.pre = growFloats(w.pre, n*dp)
	if m.preEmb != nil {
		m.preEmb.Forward(w.pre, ids)
	}
	w.word = growFloats(w.word, n*dw)
	m.wordEmb.Forward(w.word, wids)
	if dc > 0 {
		m.charForward(w.newForms, true)
	}
	w.x = growFloats(w.x, n*in)
	for i := 0; i < n; i++ {
		row := w.x[i*in : (i+1)*in]
		copy(row[:dp], w.pre[i*dp:(i+1)*dp])
		copy(row[dp:dp+dw], w.word[i*dw:(i+1)*dw])
		copy(row[dp+dw:], w.cfin[i*dc:(i+1)*dc])
	}
	for d := range w.projNew {
		w.projNew[d] = growFloats(w.projNew[d], n*gh)
	}
	m.enc.Project(w.projNew, w.x, n)
	for i, f := range w.newForms {
		e := m.memo.add(f)
		vals := m.memo.values(e)
		for d, pd := range w.projNew {
			dst := vals[d*gh : (d+1)*gh]
			for k, v := range pd[i*gh : (i+1)*gh] {
				dst[k] = float32(v)
			}
		}
		w.entry[w.newUniq[i]] = e
	}
}

// inferForward runs the loaded batch to the logits from memoised projections.
func (m *Model) inferForward() {
	w := &m.ws
	m.projectNew()
	rows := w.bt.Rows()
	gh := m.enc.ProjectedWidth()
	for d := range w.a {
		w.a[d] = growFloats(w.a[d], rows*gh)
	}
	for r := 0; r < rows; r++ {
		u := w.uniqIdx[r]
		var vals []float32
		if u >= 0 {
			vals = m.memo.values(w.entry[u])
		}
		for d := range w.a {
			dst := w.a[d][r*gh : (r+1)*gh]
			if u < 0 {
				clear(dst)
				continue
			}
			for k, v := range vals[d*gh : (d+1)*gh] {
				dst[k] = float64(v)
			}
		}
	}
	y := m.enc.ForwardProjected(w.a, w.bt)
	w.lu = growFloats(w.lu, rows*m.upos.len())
	w.lx = growFloats(w.lx, rows*m.xpos.len())
	m.headU.Forward(w.lu, y)
	m.headX.Forward(w.lx, y)
}

// forward runs the loaded batch through the network up to the logits, in
// training mode (dropout on).
func (m *Model) forward() {
	w := &m.ws
	m.setTraining(true)
	m.features()
	rows := w.bt.Rows()
	m.inDrop.Forward(w.x, w.x)
	y := m.enc.Forward(w.x, w.bt)
	w.yd = growFloats(w.yd, len(y))
	m.outDrop.Forward(w.yd, y)
	w.lu = growFloats(w.lu, rows*m.upos.len())
	w.lx = growFloats(w.lx, rows*m.xpos.len())
	m.headU.Forward(w.lu, w.yd)
	m.headX.Forward(w.lx, w.yd)
}

// backward computes the loss of the loaded batch (the mean cross-entropy of
// both heads over its words) and adds every gradient.
func (m *Model) backward() (loss float64, words int) {
	w := &m.ws
	rows := w.bt.Rows()
	w.dlu = growFloats(w.dlu, len(w.lu))
	w.dlx = growFloats(w.dlx, len(w.lx))
	var lu, lx float64
	var n int
	if w.soft {
		lu, n = nn.SoftCrossEntropy(w.dlu, w.lu, m.upos.len(), w.tU[:rows*m.upos.len()])
		lx, _ = nn.SoftCrossEntropy(w.dlx, w.lx, m.xpos.len(), w.tX[:rows*m.xpos.len()])
	} else {
		lu, n = nn.SoftmaxCrossEntropy(w.dlu, w.lu, m.upos.len(), w.uposT[:rows])
		lx, _ = nn.SoftmaxCrossEntropy(w.dlx, w.lx, m.xpos.len(), w.xposT[:rows])
	}
	out := m.enc.Output()
	w.dyd = growFloats(w.dyd, rows*out)
	w.dyd2 = growFloats(w.dyd2, rows*out)
	m.headU.Backward(w.dyd, w.yd, w.dlu)
	m.headX.Backward(w.dyd2, w.yd, w.dlx)
	for i, v := range w.dyd2 {
		w.dyd[i] += v
	}
	m.outDrop.Backward(w.dyd, w.dyd)
	dx := m.enc.Backward(w.dyd, nil)
	m.inDrop.Backward(dx, dx)

	in, dp, dw, dc := m.inputDim(), m.preDim, m.cfg.WordDim, m.charDim()
	w.dWord = growFloats(w.dWord, rows*dw)
	for r := 0; r < rows; r++ {
		copy(w.dWord[r*dw:(r+1)*dw], dx[r*in+dp:r*in+dp+dw])
	}
	m.wordEmb.Backward(w.wordIDs[:rows], w.dWord)
	if m.preEmb != nil && !m.preEmb.Frozen {
		w.dPre = growFloats(w.dPre, rows*dp)
		for r := 0; r < rows; r++ {
			copy(w.dPre[r*dp:(r+1)*dp], dx[r*in:r*in+dp])
		}
		m.preEmb.Backward(w.preIDs[:rows], w.dPre)
	}
	if dc > 0 {
		U := len(w.uniq)
		w.dcfin = growFloats(w.dcfin, U*dc)
		clear(w.dcfin)
		for r := 0; r < rows; r++ {
			u := w.uniqIdx[r]
			if u < 0 {
				continue
			}
			d, s := w.dcfin[u*dc:(u+1)*dc], dx[r*in+dp+dw:(r+1)*in]
			for k, v := range s {
				d[k] += v
			}
		}
		m.charBackward()
	}
	return lu + lx, n
}

// predict writes the arg-max tags of the loaded batch into w.predU and w.predX.
func (m *Model) predict() {
	w := &m.ws
	rows := w.bt.Rows()
	w.predU = growInts(w.predU, rows)
	w.predX = growInts(w.predX, rows)
	nn.Argmax(w.predU, w.lu, m.upos.len())
	nn.Argmax(w.predX, w.lx, m.xpos.len())
}
