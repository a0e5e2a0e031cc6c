package metrics

import (
	"math"
	"slices"
	"testing"
)

func TestCountsScore(t *testing.T) {
	for _, tc := range []struct {
		c    Counts
		want Score
	}{
		{Counts{Gold: 4, Predicted: 2, Correct: 2}, Score{1, 0.5, 2.0 / 3}},
		{Counts{Gold: 3, Predicted: 0, Correct: 0}, Score{0, 0, 0}}, // never predicted
		{Counts{Gold: 0, Predicted: 5, Correct: 0}, Score{0, 0, 0}}, // never gold
		{Counts{Gold: 10, Predicted: 10, Correct: 10}, Score{1, 1, 1}},
	} {
		got := tc.c.Score()
		for _, v := range [][2]float64{{got.Precision, tc.want.Precision}, {got.Recall, tc.want.Recall}, {got.F1, tc.want.F1}} {
			if math.Abs(v[0]-v[1]) > 1e-15 {
				t.Errorf("%+v: %+v, want %+v", tc.c, got, tc.want)
				break
			}
		}
	}
}

func TestCounter(t *testing.T) {
	var c Counter[string]
	gold := []string{"NOUN", "VERB", "NOUN", "DET", "NOUN"}
	pred := []string{"NOUN", "NOUN", "VERB", "DET", "ADJ"}
	for i := range gold {
		c.Add(gold[i], pred[i])
	}
	if got, want := c.Labels(), []string{"NOUN", "VERB", "DET", "ADJ"}; !slices.Equal(got, want) {
		t.Errorf("labels %v, want %v", got, want)
	}
	if got, want := c.Counts("NOUN"), (Counts{Gold: 3, Predicted: 2, Correct: 1}); got != want {
		t.Errorf("NOUN %+v, want %+v", got, want)
	}
	if got := c.Counts("X"); got != (Counts{}) {
		t.Errorf("unseen label %+v", got)
	}
	var scores []Score
	for _, l := range c.Labels() {
		scores = append(scores, c.Counts(l).Score())
	}
	// NOUN: P 1/2 R 1/3 F1 0.4; VERB 0; DET 1; ADJ 0.
	if got := MacroF1(scores); math.Abs(got-1.4/4) > 1e-15 {
		t.Errorf("macro F1 %v, want %v", got, 1.4/4)
	}
}
