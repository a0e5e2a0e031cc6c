package classify

import (
	"fmt"

	"github.com/nlp-go/nlp/internal/metrics"
)

// ClassScore is the precision, recall and F1 of one class.
type ClassScore struct {
	Label     string  `json:"label"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"` // examples whose gold label is this class
}

// Evaluation scores a model on labelled examples.
type Evaluation struct {
	Examples int          `json:"examples"`
	Accuracy float64      `json:"accuracy"`
	MacroF1  float64      `json:"macro_f1"` // the unweighted mean of the classes' F1
	PerClass []ClassScore `json:"per_class"`
	// Confusion[g][p] counts examples of gold class g predicted as p, classes in
	// the order of Labels.
	Confusion [][]int  `json:"confusion"`
	Labels    []string `json:"labels"`
}

// Evaluate classifies the examples and scores the predictions. A gold label the
// model does not know (by training label or display name) is an error naming
// its line.
func (m *Model) Evaluate(examples []Example) (*Evaluation, error) {
	if len(examples) == 0 {
		// An accuracy over nothing printed as 0.00% with exit 0.
		return nil, fmt.Errorf("classify: evaluate: %w", ErrEmptySet)
	}
	seqs, ys, err := m.encodeExamples(examples)
	if err != nil {
		return nil, err
	}
	preds := m.predictSeqs(seqs)
	pred := make([]int, len(preds))
	for i, p := range preds {
		pred[i] = p.Index
	}
	return score(m.Names(), ys, pred), nil
}

// score builds an Evaluation from gold and predicted class indices; the
// per-class scores come from internal/metrics, the tagger's scorer too.
func score(labels []string, gold, pred []int) *Evaluation {
	C := len(labels)
	ev := &Evaluation{Examples: len(gold), Labels: labels, Confusion: make([][]int, C), PerClass: make([]ClassScore, C)}
	for c := range ev.Confusion {
		ev.Confusion[c] = make([]int, C)
	}
	var counts metrics.Counter[int]
	right := 0
	for i := range gold {
		ev.Confusion[gold[i]][pred[i]]++
		counts.Add(gold[i], pred[i])
		if gold[i] == pred[i] {
			right++
		}
	}
	if len(gold) > 0 {
		ev.Accuracy = float64(right) / float64(len(gold))
	}
	scores := make([]metrics.Score, C)
	for c := range C {
		k := counts.Counts(c)
		scores[c] = k.Score()
		ev.PerClass[c] = ClassScore{Label: labels[c], Precision: scores[c].Precision, Recall: scores[c].Recall, F1: scores[c].F1, Support: k.Gold}
	}
	ev.MacroF1 = metrics.MacroF1(scores)
	return ev
}
