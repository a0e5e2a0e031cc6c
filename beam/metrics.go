package beam

import (
	sdk "github.com/apache/beam/sdks/v2/go/pkg/beam"
)

// Counters returns the toolkit's Beam counters of a finished job (namespace
// "nlp": records, documents, sentences, tokens, dead_letters), summed over
// the steps that count them. A runner that reports no metrics gives an empty
// map.
func Counters(pr sdk.PipelineResult) map[string]int64 {
	out := map[string]int64{}
	if pr == nil {
		return out
	}
	for _, c := range pr.Metrics().AllMetrics().Counters() {
		if c.Key.Namespace == metricsNamespace {
			out[c.Key.Name] += c.Result()
		}
	}
	return out
}
