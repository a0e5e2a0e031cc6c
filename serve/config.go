package serve

import (
	"log/slog"
	"time"

	"github.com/nlp-go/nlp"
)

// Defaults of Config; each is documented on its field.
const (
	DefaultAddr           = "127.0.0.1:8080"
	DefaultMaxBody        = 1 << 20
	DefaultMaxTokens      = 10_000
	DefaultMaxSentences   = 1_000
	DefaultMaxTranslate   = 32
	DefaultMaxInflight    = 64
	DefaultMaxBatch       = 64
	DefaultBatchWait      = 2 * time.Millisecond
	DefaultGrace          = 10 * time.Second
	DefaultRequestTimeout = 30 * time.Second
)

// Upper bounds of the configurable limits, checked by Validate (and stated by
// the flags of nlp serve): far above any useful value, low enough that no
// setting turns a limit into none.
const (
	MaxMaxBody      = 1 << 30
	MaxMaxTokens    = 10_000_000
	MaxMaxSentences = 1_000_000
	MaxMaxInflight  = 1 << 16
	MaxMaxBatch     = 4096
	MaxWorkers      = 64
	MaxBatchWait    = time.Second
)

// Config sets the server's address and limits. Zero values mean the defaults.
type Config struct {
	// Addr is the address Run listens on when it is given no listener:
	// DefaultAddr, the loopback interface only, unless told otherwise.
	Addr string
	// MaxBody bounds a request's body in bytes (413 above it): DefaultMaxBody
	// (1 MiB). It also bounds a line of /v1/pipeline input.
	MaxBody int64
	// MaxTokens bounds the tokens of a /v1/tag request, after tokenization for
	// raw text (413 above it): DefaultMaxTokens. With MaxSentences it bounds
	// the time one request holds a model, since batches are cut from requests
	// but a request is tagged to the end once started.
	MaxTokens int
	// MaxSentences bounds the sentences of a /v1/tag request and the texts of
	// a /v1/classify request (413 above it): DefaultMaxSentences.
	MaxSentences int
	// MaxTranslate bounds the texts of a /v1/translate request (413 above it):
	// DefaultMaxTranslate; translation costs a beam search a text.
	MaxTranslate int
	// MaxInflight caps the requests to /v1 being served at once; one more is
	// answered 429 with Retry-After at once rather than queued:
	// DefaultMaxInflight.
	MaxInflight int
	// MaxBatch bounds the sentences (tagger) or texts (classifier) of one
	// model batch gathered from concurrent requests: DefaultMaxBatch (64,
	// the tagger's own group size). A batch also stops at 1,024 words for the
	// tagger and 64 KiB of text for the classifier.
	MaxBatch int
	// BatchWait is how long the oldest queued request may wait for others to
	// fill a batch: DefaultBatchWait (2 ms). NoBatching turns batching off.
	BatchWait time.Duration
	// NoBatching runs each request alone through the model (the baseline
	// against which batching is measured).
	NoBatching bool
	// Workers is the number of copies of each batched model (each with its own
	// buffers and goroutine, sharing the weights): 1 by default. The tagger
	// already runs its two directions on two goroutines.
	Workers int
	// RequestTimeout bounds the time a /v1 request other than /v1/pipeline
	// waits for its results (503 after it): DefaultRequestTimeout.
	RequestTimeout time.Duration
	// ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout are those of
	// http.Server: 5 s, 60 s, 60 s (extended at every flush of /v1/pipeline,
	// so that a long stream is not cut) and 120 s by default.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// Grace is how long Run waits for requests in flight once its context is
	// cancelled (SIGTERM): DefaultGrace (10 s).
	Grace time.Duration
	// Token, when not empty, is the bearer token every /v1 route but
	// /v1/openapi.json requires (401 otherwise).
	Token string
	// CORSOrigin, when not empty, is sent as Access-Control-Allow-Origin, and
	// preflight requests are answered; without it no CORS header is sent.
	CORSOrigin string
	// Logger receives one access log record a request (method, route, status,
	// bytes, duration, request id) and the server's own messages; nil means
	// slog.Default().
	Logger *slog.Logger
}

// Validate reports the first invalid field as an error wrapping nlp.ErrConfig.
func (c Config) Validate() error {
	bad := func(field, format string, args ...any) error {
		return nlp.ConfigError("serve", "Config."+field, format, args...)
	}
	ints := []struct {
		name   string
		v, max int64
	}{
		{"MaxBody", c.MaxBody, MaxMaxBody},
		{"MaxTokens", int64(c.MaxTokens), MaxMaxTokens},
		{"MaxSentences", int64(c.MaxSentences), MaxMaxSentences},
		{"MaxTranslate", int64(c.MaxTranslate), MaxMaxSentences},
		{"MaxInflight", int64(c.MaxInflight), MaxMaxInflight},
		{"MaxBatch", int64(c.MaxBatch), MaxMaxBatch},
		{"Workers", int64(c.Workers), MaxWorkers},
	}
	for _, f := range ints {
		if f.v < 0 || f.v > f.max {
			return bad(f.name, "%d, want 0..%d (0: the default)", f.v, f.max)
		}
	}
	if c.BatchWait < 0 || c.BatchWait > MaxBatchWait {
		return bad("BatchWait", "%v, want 0..%v", c.BatchWait, MaxBatchWait)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"RequestTimeout", c.RequestTimeout}, {"ReadHeaderTimeout", c.ReadHeaderTimeout}, {"ReadTimeout", c.ReadTimeout},
		{"WriteTimeout", c.WriteTimeout}, {"IdleTimeout", c.IdleTimeout}, {"Grace", c.Grace}} {
		if d.v < 0 {
			return bad(d.name, "%v, want ≥ 0 (0: the default)", d.v)
		}
	}
	return nil
}

// WithDefaults returns c with every zero value replaced by its default.
func (c Config) WithDefaults() Config {
	def := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	defD := func(p *time.Duration, v time.Duration) {
		if *p == 0 {
			*p = v
		}
	}
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.MaxBody == 0 {
		c.MaxBody = DefaultMaxBody
	}
	def(&c.MaxTokens, DefaultMaxTokens)
	def(&c.MaxSentences, DefaultMaxSentences)
	def(&c.MaxTranslate, DefaultMaxTranslate)
	def(&c.MaxInflight, DefaultMaxInflight)
	def(&c.MaxBatch, DefaultMaxBatch)
	def(&c.Workers, 1)
	defD(&c.BatchWait, DefaultBatchWait)
	defD(&c.RequestTimeout, DefaultRequestTimeout)
	defD(&c.ReadHeaderTimeout, 5*time.Second)
	defD(&c.ReadTimeout, 60*time.Second)
	defD(&c.WriteTimeout, 60*time.Second)
	defD(&c.IdleTimeout, 120*time.Second)
	defD(&c.Grace, DefaultGrace)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}
