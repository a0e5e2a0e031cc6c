package nlp_test

import (
	"errors"
	"math"
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

// TestValidateNonFinite checks that every numeric training field rejects NaN
// and ±Inf, and the learning rates values above 1, naming the field: NaN
// passes a range test written as one comparison, and a non-finite or huge
// rate saved models of NaN weights (issue 17).
func TestValidateNonFinite(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name  string
		v     interface{ Validate() error }
		field string
	}{
		{"tagger lr 1e30", tagger.Config{LR: 1e30}, "Config.LR"},
		{"tagger lr NaN", tagger.Config{LR: nan}, "Config.LR"},
		{"tagger lr negative", tagger.Config{LR: -0.1}, "Config.LR"},
		{"tagger dropout -Inf", tagger.Config{Dropout: -inf}, "Config.Dropout"},
		{"tagger word dropout NaN", tagger.Config{WordDropout: nan}, "Config.WordDropout"},
		{"tagger clip Inf", tagger.Config{Clip: inf}, "Config.Clip"},
		{"tagger lr decay -Inf", tagger.Config{LRDecay: -inf}, "Config.LRDecay"},
		{"tagger average NaN", tagger.Config{Average: nan}, "Config.Average"},
		{"tagger distill NaN", tagger.Config{Distill: nan}, "Config.Distill"},
		{"classify lr 2", classify.Config{LR: 2}, "Config.LR"},
		{"classify lr Inf", classify.Config{LR: inf}, "Config.LR"},
		{"classify embed lr NaN", classify.Config{EmbedLR: nan}, "Config.EmbedLR"},
		{"classify clip Inf", classify.Config{Clip: inf}, "Config.Clip"},
		{"classify clip NaN", classify.Config{Clip: nan}, "Config.Clip"},
		{"classify dropout -Inf", classify.Config{Dropout: -inf}, "Config.Dropout"},
		{"classify weight decay Inf", classify.Config{WeightDecay: inf}, "Config.WeightDecay"},
		{"generate lr NaN", generate.Config{LR: nan}, "Config.LR"},
		{"generate lr 1e30", generate.Config{LR: 1e30}, "Config.LR"},
		{"generate clip -Inf", generate.Config{Clip: -inf}, "Config.Clip"},
		{"generate dropout NaN", generate.Config{Dropout: nan}, "Config.Dropout"},
		{"generate temperature NaN", generate.SampleConfig{Temperature: nan}, "SampleConfig.Temperature"},
		{"embed alpha NaN", embed.Config{Alpha: nan}, "Config.Alpha"},
		{"embed alpha 2", embed.Config{Alpha: 2}, "Config.Alpha"},
		{"embed sample NaN", embed.Config{Sample: nan}, "Config.Sample"},
		{"embed sample -Inf", embed.Config{Sample: -inf}, "Config.Sample"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.v.Validate()
			if !errors.Is(err, nlp.ErrConfig) || !strings.Contains(err.Error(), ": "+tc.field+" ") {
				t.Fatalf("Validate() = %v, want an nlp.ErrConfig naming %s", err, tc.field)
			}
		})
	}
	// The zero values still mean the defaults.
	for _, v := range []interface{ Validate() error }{tagger.Config{}, classify.Config{}, generate.Config{}, generate.SampleConfig{}, embed.Config{}} {
		if err := v.Validate(); err != nil {
			t.Errorf("%T{}: %v", v, err)
		}
	}
}
