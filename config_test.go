package nlp_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/classify"
	"github.com/nlp-go/nlp/datasets"
	"github.com/nlp-go/nlp/datasets/fetch"
	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/generate"
	"github.com/nlp-go/nlp/nn"
	"github.com/nlp-go/nlp/pipeline"
	"github.com/nlp-go/nlp/tagger"
)

// TestValidateErrConfig checks that a bad configuration of any package wraps the
// one nlp.ErrConfig, and that with several bad fields Validate names the first
// one declared, the same every time.
func TestValidateErrConfig(t *testing.T) {
	for _, tc := range []struct {
		name  string
		v     interface{ Validate() error }
		field string
	}{
		{"tagger", tagger.Config{Hidden: -1, Epochs: -1}, "Config.Hidden"},
		{"classify", classify.Config{Layers: -1, Dropout: 2}, "Config.Layers"},
		{"generate", generate.Config{Embed: -1, Threads: -1}, "Config.Embed"},
		{"generate sample", generate.SampleConfig{MaxLen: -1, TopK: -1}, "SampleConfig.MaxLen"},
		{"generate eval", generate.EvalConfig{Streams: -1, Threads: -1}, "EvalConfig.Streams"},
		{"embed", embed.Config{Dim: -1, Threads: -1}, "Config.Dim"},
		{"nn encoder", nn.EncoderConfig{Input: 0, Hidden: -1}, "EncoderConfig.Input"},
		{"nn gradflow", nn.GradFlowConfig{Steps: -1, Hidden: -1}, "GradFlowConfig.Steps"},
		{"datasets vocab", datasets.VocabConfig{MinCount: -1, MaxSize: -1}, "VocabConfig.MinCount"},
		{"datasets batch", datasets.BatchConfig{BatchSize: -1, PoolBatches: -1}, "BatchConfig.BatchSize"},
		{"datasets/fetch", fetch.Config{Attempts: -1}, "Config.Attempts"},
		{"datasets text", datasets.TextConfig{Replace: []string{"a"}}, "TextConfig.Replace"},
		{"datasets corpus", datasets.CorpusConfig{Recipe: "x"}, "CorpusConfig.Recipe"},
		{"pipeline", pipeline.Config{Batch: -1, Window: -1}, "Config.Batch"},
		{"pipeline read", pipeline.ReadConfig{Format: "xml", MaxLine: -1}, "ReadConfig.Format"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.v.Validate()
			if !errors.Is(err, nlp.ErrConfig) {
				t.Fatalf("%v does not wrap nlp.ErrConfig", err)
			}
			if !strings.Contains(err.Error(), ": "+tc.field+" ") {
				t.Errorf("%q does not name %s, the first bad field declared", err, tc.field)
			}
			for range 10 {
				if again := tc.v.Validate(); again.Error() != err.Error() {
					t.Fatalf("Validate says %q, then %q", err, again)
				}
			}
		})
	}
}
