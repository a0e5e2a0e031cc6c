package classify_test

import (
	"testing"

	"github.com/nlp-go/nlp/classify"
	"github.com/nlp-go/nlp/models"
)

// TestEmbeddedModelGold classifies a fixed third of the dev sentences with
// each embedded model. The floors sit a little under what the shipped models
// measure on these slices (see BENCHMARKS.md, classify), so a model that got
// worse fails here.
func TestEmbeddedModelGold(t *testing.T) {
	for _, tc := range []struct {
		name  string
		load  func() (*classify.Model, error)
		gold  string
		floor float64
	}{
		// SST-2: every third sentence of stsa.binary.dev (291); the model measures 0.8729 (the former one 0.8522).
		{"sst2", models.Classifier, "sst2-gold.txt", 0.86},
		// SST-5: every third sentence of stsa.fine.dev (367); the model measures 0.5341.
		{"sst5", models.ClassifierSST5, "sst5-gold.txt", 0.52},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := tc.load()
			if err != nil {
				t.Fatal(err)
			}
			ev, err := m.Evaluate(readTestdata(t, tc.gold))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("embedded %s model on %d gold sentences: accuracy %.4f, macro-F1 %.4f", tc.name, ev.Examples, ev.Accuracy, ev.MacroF1)
			if ev.Accuracy < tc.floor {
				t.Fatalf("accuracy %.4f below the floor %.2f", ev.Accuracy, tc.floor)
			}
		})
	}
}
