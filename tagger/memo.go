package tagger

// projMemo memoises, per word form, the sentence encoder's first-layer input
// projections (both directions, side by side): a word's features are the same
// wherever it occurs, so at inference their product with the first layer's
// weights is computed once per distinct form (see projectNew).
//
// Memory is bounded by limit entries. When the memo is full a new form takes
// the place of one not used lately (the CLOCK approximation of least recently
// used): on running text the frequent words stay, where starting afresh would
// recompute all of them. The values are kept in float32, which halves the
// memo; the rounding (a relative 6e-8) changes no tag in practice, and the
// tests check tags against a model that memoised nothing.
type projMemo struct {
	limit int // entries at most (exceeded only by a batch with more distinct forms)
	width int // float32 values an entry holds

	slot   map[string]int32 // the entry of each memoised form
	forms  []string         // the form each entry holds
	ref    []bool           // used since the clock hand last passed
	pinned []uint32         // the batch that last used the entry: not evicted during it
	chunks [][]float32      // the values, memoChunk entries a chunk, allocated as needed
	hand   int              // the next entry the clock considers for eviction
	batch  uint32           // the current batch, counted from 1
}

// memoChunk is how many entries are allocated at once: small enough that
// tagging a few lines does not allocate the whole memo.
const memoChunk = 256

func newProjMemo(limit, width int) *projMemo {
	return &projMemo{limit: limit, width: width, slot: make(map[string]int32)}
}

// beginBatch starts a batch: until the next call, the entries it looks up or
// adds stay memoised, so that all of the batch's forms can be read at the end.
func (p *projMemo) beginBatch() { p.batch++ }

// lookup returns the entry of form, marking it used by the current batch.
func (p *projMemo) lookup(form string) (int, bool) {
	e, ok := p.slot[form]
	if !ok {
		return 0, false
	}
	p.ref[e], p.pinned[e] = true, p.batch
	return int(e), true
}

// add makes an entry for form (not memoised), whose values the caller then
// fills through values, evicting a form not used lately when the memo is full.
func (p *projMemo) add(form string) int {
	e := p.victim()
	if e == len(p.forms) {
		p.forms = append(p.forms, form)
		p.ref = append(p.ref, true)
		p.pinned = append(p.pinned, p.batch)
		if e/memoChunk == len(p.chunks) {
			p.chunks = append(p.chunks, make([]float32, memoChunk*p.width))
		}
	} else {
		delete(p.slot, p.forms[e])
		p.forms[e], p.ref[e], p.pinned[e] = form, true, p.batch
	}
	p.slot[form] = int32(e)
	return e
}

// victim is the entry a new form goes to: a new one below the limit, else the
// first the clock hand finds unused since its last pass and not pinned by the
// current batch. If the batch pins every entry, a new one is made anyway.
func (p *projMemo) victim() int {
	n := len(p.forms)
	if n < p.limit {
		return n
	}
	// Two turns clear every reference bit; past them every entry is pinned.
	for range 2 * n {
		e := p.hand
		p.hand = (p.hand + 1) % n
		switch {
		case p.pinned[e] == p.batch:
		case p.ref[e]:
			p.ref[e] = false
		default:
			return e
		}
	}
	return n
}

// values is entry e's projections: width float32s.
func (p *projMemo) values(e int) []float32 {
	c := p.chunks[e/memoChunk]
	off := (e % memoChunk) * p.width
	return c[off : off+p.width : off+p.width]
}

// reset forgets every form (the weights changed), keeping the allocated chunks.
func (p *projMemo) reset() {
	clear(p.slot)
	p.forms, p.ref, p.pinned = p.forms[:0], p.ref[:0], p.pinned[:0]
	p.hand = 0
}

// len is the number of memoised forms.
func (p *projMemo) len() int { return len(p.forms) }
