// Package metrics scores predicted labels against gold ones: per-label
// precision, recall and F1, the one scorer behind the tagger's per-tag table and
// the classifier's per-class table.
//
// For a label ℓ, with TP the items whose gold and predicted label are both ℓ:
//
//	precision = TP / #predicted ℓ    recall = TP / #gold ℓ
//	F1 = 2·precision·recall / (precision + recall)
//
// each 0 when its denominator is 0, as scikit-learn's zero_division=0 does, so
// that a label never predicted (or never seen) scores 0 rather than NaN.
package metrics

// Counts are the tallies of one label from which its scores follow.
type Counts struct {
	Gold      int // items whose gold label is this one (its support)
	Predicted int // items predicted as this label
	Correct   int // items both gold and predicted as this label
}

// Score holds the precision, recall and F1 of one label.
type Score struct {
	Precision, Recall, F1 float64
}

// Score computes the precision, recall and F1 of c.
func (c Counts) Score() Score {
	s := Score{Precision: ratio(c.Correct, c.Predicted), Recall: ratio(c.Correct, c.Gold)}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Counter tallies gold and predicted labels, pair by pair. Labels are any
// comparable type: the tagger counts tag strings, the classifier class indices.
// The zero value is ready to use.
type Counter[L comparable] struct {
	counts map[L]*Counts
	labels []L // in order of first appearance, gold before predicted
}

// Add counts one item of gold label gold predicted as pred.
func (c *Counter[L]) Add(gold, pred L) {
	c.at(gold).Gold++
	c.at(pred).Predicted++
	if gold == pred {
		c.at(gold).Correct++
	}
}

func (c *Counter[L]) at(l L) *Counts {
	if c.counts == nil {
		c.counts = map[L]*Counts{}
	}
	k, ok := c.counts[l]
	if !ok {
		k = &Counts{}
		c.counts[l] = k
		c.labels = append(c.labels, l)
	}
	return k
}

// Counts returns the tallies of label l (all zero for a label never added).
func (c *Counter[L]) Counts(l L) Counts {
	if k, ok := c.counts[l]; ok {
		return *k
	}
	return Counts{}
}

// Labels returns every label added, as gold or as prediction, in the order
// they first appeared; callers sort them as their report needs.
func (c *Counter[L]) Labels() []L { return c.labels }

// MacroF1 is the unweighted mean of the F1 of scores: every label counts the
// same, however rare.
func MacroF1(scores []Score) float64 {
	m := 0.0
	for _, s := range scores {
		// Summing F1/n term by term (rather than dividing the sum) is how the
		// classifier always computed it; the golden outputs pin those bits.
		m += s.F1 / float64(len(scores))
	}
	return m
}
