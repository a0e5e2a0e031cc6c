package tagger

import (
	"fmt"
	"slices"
	"sort"

	"github.com/nlp-go/nlp/internal/metrics"
)

// TagScore is precision, recall and F1 of one tag.
type TagScore struct {
	Tag       string  `json:"tag"`
	Gold      int     `json:"gold"`
	Predicted int     `json:"predicted"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// Confusion counts how often gold tag Gold was predicted as Predicted.
type Confusion struct {
	Gold      string `json:"gold"`
	Predicted string `json:"predicted"`
	Count     int    `json:"count"`
}

// Evaluation compares predicted tags with gold ones.
type Evaluation struct {
	Tokens     int         `json:"tokens"`
	UPOS       float64     `json:"upos"`        // accuracy
	XPOS       float64     `json:"xpos"`        // accuracy on the XPOSTokens
	XPOSTokens int         `json:"xpos_tokens"` // words with a gold XPOS ("_" is none: some treebanks have no XPOS)
	OOVTokens  int         `json:"oov_tokens"`  // words whose form never occurred in training
	OOVUPOS    float64     `json:"oov_upos"`
	OOVXPOS    float64     `json:"oov_xpos"`   // on the unseen words with a gold XPOS
	PerTag     []TagScore  `json:"per_tag"`    // UPOS, in order of gold frequency
	Confusions []Confusion `json:"confusions"` // UPOS, most frequent first
	// Matrix is the whole UPOS confusion matrix: Matrix[g][p] counts the words
	// of gold tag PerTag[g].Tag tagged PerTag[p].Tag (nlp tag eval --plot
	// draws it).
	Matrix [][]int `json:"upos_matrix"`
}

// noTag is CoNLL-U's empty column: a gold XPOS of noTag is not scored.
const noTag = "_"

// maxConfusions is how many confusions an Evaluation lists.
const maxConfusions = 20

// Evaluate tags gold's sentences and scores the result.
func (m *Model) Evaluate(gold Data) Evaluation {
	return score(gold, m.Tag(gold.Forms), m.KnownForm)
}

// score compares the tagging pred of gold's sentences with gold's tags; known
// says which forms occurred in training.
func score(gold Data, pred []Tagged, known func(string) bool) Evaluation {
	var e Evaluation
	var okU, okX, oovU, oovX, oovXTokens int
	var counts metrics.Counter[string]
	conf := map[[2]string]int{}  // errors
	pairs := map[[2]string]int{} // every (gold, predicted), for the matrix
	for i, s := range gold.Forms {
		for k, f := range s {
			gu, gx := gold.UPOS[i][k], gold.XPOS[i][k]
			pu, px := pred[i].UPOS[k], pred[i].XPOS[k]
			e.Tokens++
			oov := !known(f)
			if oov {
				e.OOVTokens++
			}
			counts.Add(gu, pu)
			pairs[[2]string{gu, pu}]++
			if gu == pu {
				okU++
				if oov {
					oovU++
				}
			} else {
				conf[[2]string{gu, pu}]++
			}
			if gx == noTag {
				continue // not annotated: nothing to score the XPOS against
			}
			e.XPOSTokens++
			if oov {
				oovXTokens++
			}
			if gx == px {
				okX++
				if oov {
					oovX++
				}
			}
		}
	}
	e.UPOS, e.XPOS = ratio(okU, e.Tokens), ratio(okX, e.XPOSTokens)
	e.OOVUPOS, e.OOVXPOS = ratio(oovU, e.OOVTokens), ratio(oovX, oovXTokens)
	// Per-tag scores, the most frequent gold tag first (tags only predicted,
	// with no gold count, last), ties in alphabetical order.
	tags := slices.Clone(counts.Labels())
	sort.Slice(tags, func(i, j int) bool {
		gi, gj := counts.Counts(tags[i]).Gold, counts.Counts(tags[j]).Gold
		if gi != gj {
			return gi > gj
		}
		return tags[i] < tags[j]
	})
	for _, t := range tags {
		k := counts.Counts(t)
		sc := k.Score()
		e.PerTag = append(e.PerTag, TagScore{Tag: t, Gold: k.Gold, Predicted: k.Predicted, Precision: sc.Precision, Recall: sc.Recall, F1: sc.F1})
	}
	index := make(map[string]int, len(tags))
	for i, t := range tags {
		index[t] = i
	}
	e.Matrix = make([][]int, len(tags))
	for i := range e.Matrix {
		e.Matrix[i] = make([]int, len(tags))
	}
	for k, n := range pairs {
		e.Matrix[index[k[0]]][index[k[1]]] = n
	}
	for k, n := range conf {
		e.Confusions = append(e.Confusions, Confusion{Gold: k[0], Predicted: k[1], Count: n})
	}
	sort.Slice(e.Confusions, func(i, j int) bool {
		a, b := e.Confusions[i], e.Confusions[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Gold != b.Gold {
			return a.Gold < b.Gold
		}
		return a.Predicted < b.Predicted
	})
	if len(e.Confusions) > maxConfusions {
		e.Confusions = e.Confusions[:maxConfusions]
	}
	return e
}

// xposNote gives the XPOS accuracy for a log line, or says there was none.
func xposNote(e Evaluation) string {
	if e.XPOSTokens == 0 {
		return "XPOS not annotated"
	}
	return fmt.Sprintf("XPOS %.2f%%", 100*e.XPOS)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
