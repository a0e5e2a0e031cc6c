package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/nlp-go/nlp/classify"
	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/pipeline"
	"github.com/nlp-go/nlp/tagger"
	"github.com/nlp-go/nlp/translate"
)

// Models are what a server serves; each is optional, and a route whose model
// is missing answers 404 saying so. They are loaded before New (never by a
// request) and not used by anything else once given to it.
type Models struct {
	Tagger     *tagger.Model
	Classifier *classify.Model
	Translator *translate.Model
	Vectors    *embed.Vectors
}

// Batches of the tagger stop at tagBatchWords words (the tagger's own group
// bound), those of the classifier at classifyBatchBytes bytes of text.
const (
	tagBatchWords      = 1024
	classifyBatchBytes = 64 << 10
)

// Server is the HTTP server: its routes, limits, model batchers and metrics.
// Handler serves in-process (tests); Run listens and shuts down gracefully.
type Server struct {
	cfg     Config
	log     *slog.Logger
	models  Models
	metrics *metrics
	routes  []route
	handler http.Handler

	tag      *batcher[[]string, tagger.Tagged]
	classify *batcher[string, classify.Prediction]
	segs     chan pipeline.Stage[*pipeline.Document, *pipeline.Document] // a pool of segmenters (tokenizers)

	trSem       chan struct{}                 // one translation at a time: the translators share the model
	translators map[int]*translate.Translator // by beam, sharing the one model; guarded by trSem

	inflight chan struct{} // the in-flight cap: a slot a request
	draining atomic.Bool   // Run is shutting down: /readyz answers 503
	closeOne sync.Once

	// beforeHandle, when set (by tests), is called inside the middleware's
	// recover before each handler: how a test makes a handler panic.
	beforeHandle func(*http.Request)
}

// New returns a server of models with the limits of cfg (zero values: the
// defaults). The copies of the models the batchers run are made here.
func New(cfg Config, models Models) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	s := &Server{cfg: cfg, log: cfg.Logger, models: models, metrics: newMetrics(),
		inflight: make(chan struct{}, cfg.MaxInflight), trSem: make(chan struct{}, 1), translators: map[int]*translate.Translator{}}
	if m := models.Tagger; m != nil {
		runs := make([]func([][]string) []tagger.Tagged, cfg.Workers)
		for i := range runs {
			c := m
			if i > 0 {
				c = m.Clone()
			}
			runs[i] = c.Tag
		}
		s.tag = newBatcher("tagger", runs, cfg.MaxBatch, tagBatchWords, cfg.BatchWait, cfg.NoBatching,
			func(forms []string) int { return len(forms) }, s.metrics)
	}
	if m := models.Classifier; m != nil {
		runs := make([]func([]string) []classify.Prediction, cfg.Workers)
		for i := range runs {
			c := m
			if i > 0 {
				c = m.Clone()
			}
			runs[i] = func(texts []string) []classify.Prediction {
				// The model's tokenizer is one of its buffers: tokenize here,
				// on the worker that owns it.
				toks := make([][]string, len(texts))
				for k, t := range texts {
					toks[k] = c.Tokens(t)
				}
				return c.PredictTokens(toks)
			}
		}
		s.classify = newBatcher("classifier", runs, cfg.MaxBatch, classifyBatchBytes, cfg.BatchWait, cfg.NoBatching,
			func(text string) int { return len(text) + 1 }, s.metrics)
	}
	// Tokenizers: one per core is as many as can run at once; each keeps a
	// bounded memo (tokenize.Tokenizer) and loads its sentence model once.
	n := max(2, runtime.GOMAXPROCS(0))
	s.segs = make(chan pipeline.Stage[*pipeline.Document, *pipeline.Document], n)
	seg := pipeline.Segment(pipeline.SegmentConfig{})
	for range n {
		s.segs <- pipeline.Fork(seg)
	}
	s.handler = s.buildHandler()
	return s, nil
}

// Handler returns the server's HTTP handler: every route behind the
// middleware (request id, access log, metrics, recovery, CORS, auth, the
// in-flight cap).
func (s *Server) Handler() http.Handler { return s.handler }

// Close stops the model batchers: call it once no request is being served
// (Run does). Requests still waiting for a model fail.
func (s *Server) Close() {
	s.closeOne.Do(func() {
		if s.tag != nil {
			s.tag.Close()
		}
		if s.classify != nil {
			s.classify.Close()
		}
	})
}

// Run serves on ln (on cfg.Addr when ln is nil) until ctx is cancelled, then
// shuts down gracefully: /readyz turns 503, the listener closes, requests in
// flight get up to cfg.Grace to finish, and Run returns nil when they all
// did, an error when some were cut. ready, when not nil, is called with the
// address once the server accepts connections.
func (s *Server) Run(ctx context.Context, ln net.Listener, ready func(addr net.Addr)) error {
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", s.cfg.Addr); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
	}
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr())
	}
	select {
	case err := <-errc:
		s.Close()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.draining.Store(true)
	s.log.Info("shutting down", "grace", s.cfg.Grace)
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.Grace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		srv.Close() // cancels the contexts of the requests left: their queued work is dropped
		err = fmt.Errorf("serve: requests still running after the %v grace period were cut", s.cfg.Grace)
	}
	if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = fmt.Errorf("serve: %w", e)
	}
	s.Close()
	return err
}

// segmenter takes a segmenter from the pool; put gives it back.
func (s *Server) segmenter(ctx context.Context) (pipeline.Stage[*pipeline.Document, *pipeline.Document], error) {
	select {
	case seg := <-s.segs:
		return seg, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// segment splits d's text into sentences and tokens, as nlp pipeline does.
func (s *Server) segment(ctx context.Context, d *pipeline.Document) error {
	seg, err := s.segmenter(ctx)
	if err != nil {
		return err
	}
	defer func() { s.segs <- seg }()
	_, err = seg.Process(ctx, []*pipeline.Document{d})
	return err
}

// translator returns the translator searching with beam (made on first use,
// sharing the model); the caller holds trSem.
func (s *Server) translator(beam int) (*translate.Translator, error) {
	if t, ok := s.translators[beam]; ok {
		return t, nil
	}
	t, err := translate.NewTranslator(s.models.Translator, translate.DecodeOptions{Beam: beam, Threads: 1})
	if err != nil {
		return nil, err
	}
	s.translators[beam] = t
	return t, nil
}
