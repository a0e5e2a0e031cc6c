package classify_test

import (
	"context"
	"testing"

	"github.com/nlp-go/nlp/classify"
	"github.com/nlp-go/nlp/models"
)

// BenchmarkPredict classifies the 1,419 SST sentences of testdata (raw text:
// tokenizer included) with the embedded model; sentences/s is the speed target
// of the issue.
func BenchmarkPredict(b *testing.B) {
	m, err := models.Classifier()
	if err != nil {
		b.Fatal(err)
	}
	var texts []string
	for _, name := range []string{"sst2-train.txt", "sst2-dev.txt", "sst2-gold.txt"} {
		for _, e := range readTestdata(b, name) {
			texts = append(texts, e.Text)
		}
	}
	m.PredictAll(texts)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.PredictAll(texts)
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "sentences/s")
}

// BenchmarkTrainEpoch trains one epoch over the 692 training sentences of testdata.
func BenchmarkTrainEpoch(b *testing.B) {
	train := readTestdata(b, "sst2-train.txt")
	v := smallVectors(b)
	for _, bi := range []bool{false, true} {
		name := "lstm"
		if bi {
			name = "bilstm-max"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, _, err := classify.Train(context.Background(), classify.Config{Epochs: 1, Bidirectional: bi}, train, nil, v); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(train))/b.Elapsed().Seconds(), "sentences/s")
		})
	}
}
