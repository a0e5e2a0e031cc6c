package tagger

import (
	"iter"
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

// predictPadded bounds a batch's padded words (sentences × the longest), and
// with them the buffers every layer keeps for its largest batch.
const predictPadded = 1024

// Tag tags sentences (the forms of their words). Sentences are grouped by
// length into batches; the result is in input order. Empty sentences get empty tags.
func (m *Model) Tag(forms [][]string) []Tagged {
	return inBatches(forms, m.upos.items, m.xpos.items, func(batch [][]string) (predU, predX []int) {
		m.load(batch, nil, nil, nil)
		if m.ws.bt.Steps == 0 {
			return nil, nil
		}
		m.inferForward()
		m.predict()
		return m.ws.predU, m.ws.predX
	})
}

// inBatches tags forms predictBatch sentences at a time, sorted by length so
// that a batch has little padding. tagBatch returns the ids (in upos and xpos)
// of the tags of a batch's words, time-major: word k of sentence b at k·B+b for
// a batch of B; nil when the batch has no words.
func inBatches(forms [][]string, upos, xpos []string, tagBatch func([][]string) (predU, predX []int)) []Tagged {
	out := make([]Tagged, len(forms))
	for idx, batch := range lengthBatches(forms) {
		predU, predX := tagBatch(batch)
		if predU == nil {
			continue
		}
		B := len(batch)
		for b, i := range idx {
			n := len(forms[i])
			t := Tagged{UPOS: make([]string, n), XPOS: make([]string, n)}
			for k := 0; k < n; k++ {
				t.UPOS[k] = upos[predU[k*B+b]]
				t.XPOS[k] = xpos[predX[k*B+b]]
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

// lengthBatches yields forms predictBatch sentences at a time (fewer where
// they are long, to keep within predictPadded words), from the shortest to the
// longest so that a batch has little padding: each batch's indices in forms
// and its sentences (a slice reused from batch to batch).
func lengthBatches(forms [][]string) iter.Seq2[[]int, [][]string] {
	return func(yield func([]int, [][]string) bool) {
		order := make([]int, len(forms))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return len(forms[a]) - len(forms[b]) })
		batch := make([][]string, 0, predictBatch)
		for start, end := 0, 0; start < len(order); start = end {
			// Sorted by length, the last sentence is the longest: grow while
			// the padded batch stays within bounds (one sentence at least).
			end = start + 1
			for end < len(order) && end-start < predictBatch && (end-start+1)*len(forms[order[end]]) <= predictPadded {
				end++
			}
			idx := order[start:end]
			batch = batch[:0]
			for _, i := range idx {
				batch = append(batch, forms[i])
			}
			if !yield(idx, batch) {
				return
			}
		}
	}
}
