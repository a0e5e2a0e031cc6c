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

// Windows in which Tag reads a long sentence. A sentence of at most
// WindowSize+2·WindowContext words is tagged whole, as it always was; a longer
// one is read in overlapping windows of that many words, each giving the tags
// of its middle WindowSize words and reading WindowContext words on each side
// as context, so that every word is tagged with at least WindowContext words of
// context on each side (or the sentence's own edge) and the network's buffers
// stay bounded whatever the sentence length: memory grows with the words of a
// sentence (a few strings per word), not with the network's 22 KB per word.
//
// The values were chosen on EWT dev (BENCHMARKS.md, "tagger: long sentences"):
// a BiLSTM's effective context is short, and windows as small as 16 words with
// 8 of context change few tags; 64 words of context on each side is far more
// than the tags depend on, and a window of 384 words is longer than every
// sentence of EWT (the longest has 159 words), so no ordinary sentence is cut.
const (
	WindowSize    = 256
	WindowContext = 64
)

// window is the size and context Tag cuts long sentences with (zero values:
// WindowSize and WindowContext).
type window struct{ size, context int }

func (w window) values() (size, context int) {
	size, context = w.size, w.context
	if size <= 0 {
		size = WindowSize
	}
	if context <= 0 {
		context = WindowContext
	}
	return size, context
}

// Tag tags sentences (the forms of their words). Sentences are grouped by
// length into batches; the result is in input order. Empty sentences get empty
// tags. A sentence longer than WindowSize+2·WindowContext words is tagged in
// overlapping windows (see WindowSize), in memory bounded whatever its length.
func (m *Model) Tag(forms [][]string) []Tagged { return collectTags(forms, m.TagFunc) }

// TagFunc tags as Tag does, handing the tags of word k of sentence i to set
// instead of returning them: nothing is allocated per word, for a caller that
// keeps the tags elsewhere (the pipeline, in its tokens; a sentence of a
// million words would otherwise hold 32 MB of tags twice).
func (m *Model) TagFunc(forms [][]string, set func(i, k int, upos, xpos string)) {
	inBatches(forms, m.window, m.upos.items, m.xpos.items, func(batch [][]string) (predU, predX []int) {
		m.load(batch, nil, nil, nil)
		if m.ws.bt.Steps == 0 {
			return nil, nil
		}
		m.inferForward()
		m.predict()
		return m.ws.predU, m.ws.predX
	}, set)
}

// collectTags runs tagFunc on forms and returns the tags as Tag does.
func collectTags(forms [][]string, tagFunc func([][]string, func(i, k int, upos, xpos string))) []Tagged {
	out := make([]Tagged, len(forms))
	for i, s := range forms {
		out[i] = Tagged{UPOS: make([]string, len(s)), XPOS: make([]string, len(s))}
	}
	tagFunc(forms, func(i, k int, upos, xpos string) {
		out[i].UPOS[k], out[i].XPOS[k] = upos, xpos
	})
	return out
}

// inBatches tags forms predictBatch sentences at a time, long ones in windows
// (inWindows), and hands set the tags of word k of sentence i. tagBatch returns
// the ids (in upos and xpos) of the tags of a batch's words, time-major: word
// k of sentence b at k·B+b for a batch of B; nil when the batch has no words.
func inBatches(forms [][]string, win window, upos, xpos []string, tagBatch func([][]string) (predU, predX []int), set func(i, k int, upos, xpos string)) {
	var predU, predX []int
	inWindows(forms, win, func(batch [][]string) bool {
		predU, predX = tagBatch(batch)
		return predU != nil
	}, func(p piece, b, B int) {
		for k := p.keep; k < p.keep+p.n; k++ {
			set(p.sent, p.start+k, upos[predU[k*B+b]], xpos[predX[k*B+b]])
		}
	})
}

// inWindows is how every reading of sentences by the network — tagging
// (Model.Tag, Ensemble.Tag) and a teacher's probabilities (distillation) —
// cuts and batches them: sentences longer than a window are cut into windows
// (see WindowSize), and the pieces are batched by length, predictBatch at a
// time (lengthBatches), so that the network's buffers stay bounded whatever
// the sentences' length. run reads a batch and reports whether it had words;
// then keep is called for each of its pieces: piece p is row b of a batch of
// B, and its word k (counted from p.start; p.keep ≤ k < p.keep+p.n are the
// words it gives results for) is at row k·B+b of the batch's time-major
// output.
func inWindows(forms [][]string, win window, run func(batch [][]string) bool, keep func(p piece, b, B int)) {
	pieces, pforms := windows(forms, win)
	for idx, batch := range lengthBatches(pforms) {
		if !run(batch) {
			continue
		}
		for b, i := range idx {
			keep(pieces[i], b, len(batch))
		}
	}
}

// piece is a window of a sentence: forms[sent][start:start+len], of which
// the words keep to keep+n (counted from start) take their tags from it.
type piece struct {
	sent, start, keep, n int
}

// windows cuts forms into what the network reads: a sentence of at most
// size+2·context words whole, a longer one in windows of size+2·context words
// (fewer at its ends), each keeping the tags of its middle size words. It
// returns the pieces and their forms (slices of forms).
func windows(forms [][]string, win window) ([]piece, [][]string) {
	size, context := win.values()
	pieces := make([]piece, 0, len(forms))
	pforms := make([][]string, 0, len(forms))
	for i, s := range forms {
		n := len(s)
		if n <= size+2*context {
			pieces = append(pieces, piece{sent: i, n: n})
			pforms = append(pforms, s)
			continue
		}
		for lo := 0; lo < n; lo += size {
			hi := min(lo+size, n)
			start, end := max(lo-context, 0), min(hi+context, n)
			pieces = append(pieces, piece{sent: i, start: start, keep: lo - start, n: hi - lo})
			pforms = append(pforms, s[start:end])
		}
	}
	return pieces, pforms
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
