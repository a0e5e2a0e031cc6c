package tagger_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nlp-go/nlp/models"
	"github.com/nlp-go/nlp/tagger"
)

// BenchmarkWindowAccuracy measures what cutting long sentences into windows
// costs in accuracy: the built-in model tags EWT dev with windows of several
// sizes and reports UPOS and XPOS accuracy (%) for each. It needs the data
// folder in NLP_DATA (make bench-tagger-window sets it).
func BenchmarkWindowAccuracy(b *testing.B) {
	dir := os.Getenv("NLP_DATA")
	if dir == "" {
		b.Skip("NLP_DATA not set")
	}
	dev, err := tagger.ReadCoNLLUFile(filepath.Join(dir, "ud-english-ewt", "en_ewt-ud-dev.conllu"))
	if err != nil {
		b.Fatal(err)
	}
	for _, w := range []struct {
		name          string
		size, context int
	}{
		{"whole", 1 << 30, 1},
		{"w8c4", 8, 4},
		{"w16c8", 16, 8},
		{"w32c16", 32, 16},
		{"default", tagger.WindowSize, tagger.WindowContext},
	} {
		b.Run(w.name, func(b *testing.B) {
			m, err := models.Tagger()
			if err != nil {
				b.Fatal(err)
			}
			tagger.SetWindow(m, w.size, w.context)
			var ev tagger.Evaluation
			for b.Loop() {
				ev = m.Evaluate(dev)
			}
			b.ReportMetric(100*ev.UPOS, "UPOS%")
			b.ReportMetric(100*ev.XPOS, "XPOS%")
		})
	}
}
