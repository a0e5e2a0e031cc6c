package serve

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the server's Prometheus metrics, in a registry of its own (not
// the global one), so that two servers in one process — tests — count apart.
type metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec   // by route and status
	duration    *prometheus.HistogramVec // by route
	inflight    prometheus.Gauge
	rejected    prometheus.Counter       // 429s: the in-flight cap was full
	batchItems  *prometheus.HistogramVec // sentences or texts a model batch, by model
	batchWeight *prometheus.HistogramVec // words (tagger) or bytes (classifier) a model batch
	queueWait   *prometheus.HistogramVec // seconds from a request's queueing to its first batch, by model
	dropped     *prometheus.CounterVec   // jobs dropped because their request was cancelled, by model
	pipelines   *prometheus.CounterVec   // /v1/pipeline runs by result: ok, cancelled, error
	panics      prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nlp_http_requests_total", Help: "HTTP requests answered, by route pattern and status code.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "nlp_http_request_duration_seconds", Help: "Time to answer a request, by route pattern.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .2, .5, 1, 2, 5, 10, 30},
		}, []string{"route"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "nlp_http_requests_in_flight", Help: "Requests to /v1 being served.",
		}),
		rejected: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "nlp_http_requests_rejected_total", Help: "Requests answered 429 because the in-flight cap was full.",
		}),
		batchItems: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "nlp_batch_items", Help: "Sentences (tagger) or texts (classifier) in a model batch.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256},
		}, []string{"model"}),
		batchWeight: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "nlp_batch_weight", Help: "Words (tagger) or bytes of text (classifier) in a model batch.",
			Buckets: prometheus.ExponentialBuckets(8, 2, 14),
		}, []string{"model"}),
		queueWait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "nlp_batch_queue_wait_seconds", Help: "Time from a request's queueing to its first model batch.",
			Buckets: []float64{.0001, .0005, .001, .002, .005, .01, .02, .05, .1, .2, .5, 1, 5},
		}, []string{"model"}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nlp_batch_dropped_total", Help: "Queued requests dropped before running because their client went away or their time ran out.",
		}, []string{"model"}),
		pipelines: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nlp_pipeline_runs_total", Help: "Runs of /v1/pipeline by result: ok, cancelled (the client went away), error.",
		}, []string{"result"}),
		panics: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "nlp_http_panics_total", Help: "Handler panics recovered (answered 500).",
		}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.inflight, m.rejected, m.batchItems, m.batchWeight, m.queueWait,
		m.dropped, m.pipelines, m.panics,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
