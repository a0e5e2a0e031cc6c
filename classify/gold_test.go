package classify_test

import (
	"testing"

	"github.com/nlp-go/nlp/models"
)

// goldFloor is a little under the embedded model's measured accuracy (0.8522) on the gold
// fixture (see BENCHMARKS.md, classify).
const goldFloor = 0.84

// TestEmbeddedModelGold classifies a fixed third of SST-2 dev with the embedded
// model.
func TestEmbeddedModelGold(t *testing.T) {
	m, err := models.Classifier()
	if err != nil {
		t.Fatal(err)
	}
	gold := readTestdata(t, "sst2-gold.txt")
	ev, err := m.Evaluate(gold)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("embedded model on %d gold sentences: accuracy %.4f, macro-F1 %.4f", ev.Examples, ev.Accuracy, ev.MacroF1)
	if ev.Accuracy < goldFloor {
		t.Fatalf("accuracy %.4f below the floor %.2f", ev.Accuracy, goldFloor)
	}
}
