package tagger

import (
	"slices"
)

// Tagged is the tagging of one sentence.
type Tagged struct {
	UPOS []string
	XPOS []string
}

// predictBatch is the number of sentences tagged together: large enough for
// efficient matrix products, small enough to keep padding low once sorted.
const predictBatch = 64

// Tag tags sentences (the forms of their words). Sentences are grouped by
// length into batches; the result is in input order. Empty sentences get empty tags.
func (m *Model) Tag(forms [][]string) []Tagged {
	out := make([]Tagged, len(forms))
	order := make([]int, len(forms))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(forms[a]) - len(forms[b]) })
	batch := make([][]string, 0, predictBatch)
	for start := 0; start < len(order); start += predictBatch {
		idx := order[start:min(start+predictBatch, len(order))]
		batch = batch[:0]
		for _, i := range idx {
			batch = append(batch, forms[i])
		}
		m.load(batch, nil, nil, nil)
		if m.ws.bt.Steps == 0 {
			continue
		}
		m.inferForward()
		m.predict()
		B := len(batch)
		for b, i := range idx {
			n := len(forms[i])
			t := Tagged{UPOS: make([]string, n), XPOS: make([]string, n)}
			for k := 0; k < n; k++ {
				t.UPOS[k] = m.upos.items[m.ws.predU[k*B+b]]
				t.XPOS[k] = m.xpos.items[m.ws.predX[k*B+b]]
			}
			out[i] = t
		}
	}
	for i := range out {
		if out[i].UPOS == nil {
			out[i] = Tagged{UPOS: []string{}, XPOS: []string{}}
		}
	}
	return out
}
