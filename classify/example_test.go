package classify_test

import (
	"context"
	"fmt"

	"github.com/nlp-go/nlp/classify"
	"github.com/nlp-go/nlp/models"
)

// Train a classifier from scratch (random embeddings) on a toy task and apply it.
func ExampleTrain() {
	var train []classify.Example
	good := []string{"great", "fine", "superb", "lovely"}
	bad := []string{"awful", "dull", "poor", "boring"}
	for i := 0; i < 64; i++ {
		train = append(train,
			classify.Example{Label: "pos", Text: "the film was " + good[i%4] + " , really"},
			classify.Example{Label: "neg", Text: "the film was " + bad[i%4] + " , really"})
	}
	cfg := classify.Config{Hidden: 16, Epochs: 8, LR: 0.01, Seed: 1}
	m, _, err := classify.Train(context.Background(), cfg, train, nil, nil)
	if err != nil {
		panic(err)
	}
	for _, p := range m.PredictAll([]string{"The film was SUPERB, really.", "The film was boring."}) {
		fmt.Println(p.Label)
	}
	// Output:
	// pos
	// neg
}

// The embedded model answers with a sentiment and the probability of each class.
func ExampleModel_Predict() {
	m, err := models.Classifier()
	if err != nil {
		panic(err)
	}
	p := m.Predict("A gorgeous, moving and beautifully acted film.")
	fmt.Println(p.Label, m.Names())
	p = m.Predict("A tedious, clumsy mess.")
	fmt.Println(p.Label, len(p.Probs))
	// Output:
	// positive [negative positive]
	// negative 2
}

// Evaluate scores a model on labelled examples.
func ExampleModel_Evaluate() {
	m, err := models.Classifier()
	if err != nil {
		panic(err)
	}
	ev, err := m.Evaluate([]classify.Example{
		{Label: "1", Text: "a triumph ."},
		{Label: "0", Text: "a waste of time ."},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(ev.Examples, ev.Accuracy, ev.Confusion)
	// Output: 2 1 [[1 0] [0 1]]
}
