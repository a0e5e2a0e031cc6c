package tagger

import (
	"errors"
	"fmt"

	"github.com/nlp-go/nlp/nn"
)

// Ensemble tags with several models at once: each word gets the tags whose
// probability, averaged over the models, is highest. Models trained with other
// seeds or settings make partly different mistakes, so an ensemble is more
// accurate than any of its members (on EWT dev, five models score about a
// quarter of a point above the best of them; BENCHMARKS.md), at the cost of
// running them all. It also serves as the teacher of a single model
// (WithTeacher, `nlp tag train --teacher`).
type Ensemble struct {
	models []*Model
	// uIdx[k][i] is model k's id for the first model's UPOS tag i; xIdx for XPOS.
	uIdx, xIdx [][]int
	// Probabilities summed over the models, rows × tags of the first model.
	sumU, sumX, prob []float64
	predU, predX     []int
	// window is how Tag and probabilities cut long sentences (zero:
	// WindowSize, WindowContext).
	window window
}

// NewEnsemble returns an ensemble of the models, which must share their tag
// sets (as models trained on the same treebank do), in any order.
func NewEnsemble(models ...*Model) (*Ensemble, error) {
	if len(models) == 0 {
		return nil, errors.New("tagger: an ensemble needs at least one model")
	}
	e := &Ensemble{models: models}
	first := models[0]
	for k, m := range models {
		u, err := tagMap(first.upos, m.upos)
		if err != nil {
			return nil, fmt.Errorf("tagger: ensemble: model %d's UPOS tags differ from model 1's: %w", k+1, err)
		}
		x, err := tagMap(first.xpos, m.xpos)
		if err != nil {
			return nil, fmt.Errorf("tagger: ensemble: model %d's XPOS tags differ from model 1's: %w", k+1, err)
		}
		e.uIdx, e.xIdx = append(e.uIdx, u), append(e.xIdx, x)
	}
	return e, nil
}

// tagMap maps each tag of want to its id in have, which must hold the same tags.
func tagMap(want, have *vocab) ([]int, error) {
	if want.len() != have.len() {
		return nil, fmt.Errorf("%d tags against %d", have.len(), want.len())
	}
	ids := tagIndex(want, have)
	for i, id := range ids {
		if id < 0 {
			return nil, fmt.Errorf("no tag %q", want.items[i])
		}
	}
	return ids, nil
}

// Tag tags sentences (the forms of their words) like Model.Tag, long ones in
// windows of WindowSize words with WindowContext words of context.
func (e *Ensemble) Tag(forms [][]string) []Tagged { return collectTags(forms, e.TagFunc) }

// TagFunc is Model.TagFunc with the ensemble.
func (e *Ensemble) TagFunc(forms [][]string, set func(i, k int, upos, xpos string)) {
	first := e.models[0]
	nu, nx := first.upos.len(), first.xpos.len()
	inBatches(forms, e.window, first.upos.items, first.xpos.items, func(batch [][]string) (predU, predX []int) {
		rows := e.sumBatch(batch)
		if rows == 0 {
			return nil, nil
		}
		e.predU, e.predX = growInts(e.predU, rows), growInts(e.predX, rows)
		nn.Argmax(e.predU, e.sumU, nu)
		nn.Argmax(e.predX, e.sumX, nx)
		return e.predU, e.predX
	}, set)
}

// sumBatch runs every model over a batch and leaves in sumU and sumX the sums
// of their probabilities, time-major rows in the first model's tag order. It
// returns the number of rows, 0 for a batch without words.
func (e *Ensemble) sumBatch(batch [][]string) int {
	first := e.models[0]
	nu, nx := first.upos.len(), first.xpos.len()
	rows := 0
	for k, m := range e.models {
		m.load(batch, nil, nil, nil)
		if m.ws.bt.Steps == 0 {
			return 0
		}
		m.inferForward()
		if k == 0 {
			rows = m.ws.bt.Rows()
			e.sumU, e.sumX = growFloats(e.sumU, rows*nu), growFloats(e.sumX, rows*nx)
			clear(e.sumU)
			clear(e.sumX)
		}
		e.prob = addProbs(e.sumU, e.prob, m.ws.lu, e.uIdx[k], rows)
		e.prob = addProbs(e.sumX, e.prob, m.ws.lx, e.xIdx[k], rows)
	}
	return rows
}

// probabilities gives, for each sentence of forms, the ensemble's mean
// probability of every tag of upos and xpos (another model's tag sets) for each
// word: len(s)×upos.len() and len(s)×xpos.len() values, word by word. Tags the
// ensemble does not know get 0. Sentences are read as Tag reads them, in
// batches of similar lengths and long ones in windows (inWindows), so that
// the buffers stay bounded whatever a sentence's length.
func (e *Ensemble) probabilities(forms [][]string, upos, xpos *vocab) (pu, px [][]float32) {
	first := e.models[0]
	uFrom, xFrom := tagIndex(upos, first.upos), tagIndex(xpos, first.xpos)
	nu, nx := first.upos.len(), first.xpos.len()
	inv := 1 / float64(len(e.models))
	pu, px = make([][]float32, len(forms)), make([][]float32, len(forms))
	for i, s := range forms {
		pu[i], px[i] = make([]float32, len(s)*len(uFrom)), make([]float32, len(s)*len(xFrom))
	}
	inWindows(forms, e.window, func(batch [][]string) bool {
		return e.sumBatch(batch) > 0
	}, func(p piece, b, B int) {
		u, x := pu[p.sent], px[p.sent]
		for k := p.keep; k < p.keep+p.n; k++ {
			r, w := k*B+b, p.start+k
			for i, j := range uFrom {
				if j >= 0 {
					u[w*len(uFrom)+i] = float32(e.sumU[r*nu+j] * inv)
				}
			}
			for i, j := range xFrom {
				if j >= 0 {
					x[w*len(xFrom)+i] = float32(e.sumX[r*nx+j] * inv)
				}
			}
		}
	})
	return pu, px
}

// tagIndex maps each tag of want to its id in have, or −1 where have lacks it.
func tagIndex(want, have *vocab) []int {
	ids := make([]int, want.len())
	for i, t := range want.items {
		ids[i] = -1
		if id, ok := have.id(t); ok {
			ids[i] = id
		}
	}
	return ids
}

// addProbs adds the softmax of logits (rows × len(idx), one model's tag order)
// to sum (the first model's order: column i takes the model's column idx[i]),
// using buf as scratch, which it returns grown.
func addProbs(sum, buf, logits []float64, idx []int, rows int) []float64 {
	n := len(idx)
	buf = growFloats(buf, rows*n)
	nn.Softmax(buf, logits[:rows*n], n)
	for r := 0; r < rows; r++ {
		s, p := sum[r*n:(r+1)*n], buf[r*n:(r+1)*n]
		for i, j := range idx {
			s[i] += p[j]
		}
	}
	return buf
}

// Evaluate is Model.Evaluate with the ensemble; words unseen in training are
// those the first model never saw.
func (e *Ensemble) Evaluate(gold Data) Evaluation {
	return score(gold, e.Tag(gold.Forms), e.models[0].KnownForm)
}

// Clone returns an independent copy of the ensemble (a Clone of each model),
// for use on another goroutine: an ensemble's buffers, like a model's, are not
// safe for concurrent use.
func (e *Ensemble) Clone() *Ensemble {
	c := &Ensemble{models: make([]*Model, len(e.models)), uIdx: e.uIdx, xIdx: e.xIdx, window: e.window}
	for i, m := range e.models {
		c.models[i] = m.Clone()
	}
	return c
}

// Language returns the language its models share (Model.Language), "" if
// they differ or none says.
func (e *Ensemble) Language() string {
	lang := ""
	for i, m := range e.models {
		if i > 0 && m.lang != lang {
			return ""
		}
		lang = m.lang
	}
	return lang
}
