package main

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/classify"
	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/models"
	"github.com/nlp-go/nlp/serve"
	"github.com/nlp-go/nlp/translate"
)

func init() {
	register(&cli.Command{
		Name:  "serve",
		Usage: "serve the models over HTTP: a JSON API (/v1), health, readiness and Prometheus metrics",
		Description: "Serves the tagger and the sentiment classifier (the built-in ones unless --tagger and --classifier say\n" +
			"otherwise), and a translator and word vectors when given, on the loopback interface unless --addr says\n" +
			"otherwise. Concurrent requests are gathered into model batches (--batch-wait, --max-batch). The API is\n" +
			"described at /v1/openapi.json. SIGTERM or Ctrl-C stops accepting and lets the requests in flight finish\n" +
			"within --grace; the exit status is then 0.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "addr", Value: serve.DefaultAddr, Usage: "address to listen on (host:port; :PORT listens on every interface)"},
			&cli.StringFlag{Name: "tagger", Usage: "tagger model file (default: the embedded English EWT model)"},
			&cli.StringFlag{Name: "classifier", Usage: "classifier model file (default: the embedded SST-2 sentiment model)"},
			&cli.StringFlag{Name: "translator", Usage: "translation model file, or \"builtin\" for the embedded German→English model (default: none, /v1/translate answers 404)"},
			&cli.StringFlag{Name: "vectors", Usage: "word2vec vectors for /v1/similar (default: none)"},
			&cli.DurationFlag{Name: "batch-wait", Value: serve.DefaultBatchWait, Usage: "how long a request may wait for others to fill a model batch; 0 turns batching off"},
			&cli.IntFlag{Name: "max-batch", Value: serve.DefaultMaxBatch, Usage: "sentences (or texts) in a model batch"},
			&cli.BoolFlag{Name: "no-batching", Usage: "run each request alone through the models (as --batch-wait 0)"},
			&cli.IntFlag{Name: "workers", Value: 1, Usage: "copies of each model running batches at once (sharing the weights)"},
			&cli.Int64Flag{Name: "max-body", Value: serve.DefaultMaxBody, Usage: "largest request body in bytes (413 above)"},
			&cli.IntFlag{Name: "max-tokens", Value: serve.DefaultMaxTokens, Usage: "most tokens in a /v1/tag request (413 above)"},
			&cli.IntFlag{Name: "max-sentences", Value: serve.DefaultMaxSentences, Usage: "most sentences in a /v1/tag request, texts in a /v1/classify request (413 above)"},
			&cli.IntFlag{Name: "max-translate", Value: serve.DefaultMaxTranslate, Usage: "most texts in a /v1/translate request (413 above)"},
			&cli.IntFlag{Name: "max-inflight", Value: serve.DefaultMaxInflight, Usage: "most /v1 requests served at once; more are answered 429 with Retry-After"},
			&cli.DurationFlag{Name: "request-timeout", Value: serve.DefaultRequestTimeout, Usage: "longest wait of a request for the models (503 after)"},
			&cli.DurationFlag{Name: "grace", Value: serve.DefaultGrace, Usage: "time the requests in flight get to finish after SIGTERM or Ctrl-C"},
			&cli.StringFlag{Name: "token-file", Usage: "file holding a bearer token that every /v1 route requires (Authorization: Bearer TOKEN)"},
			&cli.StringFlag{Name: "cors-origin", Usage: "origin allowed to call the API from a browser (CORS headers are sent only with it)"},
			&cli.StringFlag{Name: "log-format", Value: "text", Usage: "access log on stderr: text or json"},
		},
		Action: serveAction,
	})
}

// maxServeGrace bounds --grace: a shutdown longer than this is a hang.
const maxServeGrace = 10 * time.Minute

func serveAction(c *cli.Context) error {
	args, err := positionalArgs(c, "serve")
	if err != nil {
		return err
	}
	if len(args) != 0 {
		return fmt.Errorf("serve: takes no arguments, got %q", args)
	}
	var logger *slog.Logger
	switch f := c.String("log-format"); f {
	case "text":
		logger = slog.New(slog.NewTextHandler(c.App.ErrWriter, nil))
	case "json":
		logger = slog.New(slog.NewJSONHandler(c.App.ErrWriter, nil))
	default:
		return fmt.Errorf("serve: --log-format must be text or json, got %q", f)
	}
	if g := c.Duration("grace"); g < 0 || g > maxServeGrace {
		return fmt.Errorf("serve: --grace must be between 0 and %v, got %v", maxServeGrace, g)
	}
	cfg := serve.Config{
		Addr:           c.String("addr"),
		MaxBody:        c.Int64("max-body"),
		MaxTokens:      c.Int("max-tokens"),
		MaxSentences:   c.Int("max-sentences"),
		MaxTranslate:   c.Int("max-translate"),
		MaxInflight:    c.Int("max-inflight"),
		MaxBatch:       c.Int("max-batch"),
		BatchWait:      c.Duration("batch-wait"),
		NoBatching:     c.Bool("no-batching") || (c.IsSet("batch-wait") && c.Duration("batch-wait") == 0),
		Workers:        c.Int("workers"),
		RequestTimeout: c.Duration("request-timeout"),
		Grace:          c.Duration("grace"),
		CORSOrigin:     c.String("cors-origin"),
		Logger:         logger,
	}
	// 0 means "the default" to serve.Config, not to a user who typed it.
	if c.IsSet("max-body") && cfg.MaxBody < 1 {
		return fmt.Errorf("serve: --max-body must be at least 1")
	}
	for _, f := range []string{"max-tokens", "max-sentences", "max-translate", "max-inflight", "max-batch", "workers"} {
		if c.IsSet(f) && c.Int(f) < 1 {
			return fmt.Errorf("serve: --%s must be at least 1", f)
		}
	}
	if c.IsSet("request-timeout") && cfg.RequestTimeout <= 0 {
		return fmt.Errorf("serve: --request-timeout must be positive")
	}
	if p := c.String("token-file"); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("serve: --token-file: %w", err)
		}
		if cfg.Token = strings.TrimSpace(string(b)); cfg.Token == "" {
			return fmt.Errorf("serve: --token-file %s is empty: a token is required", p)
		}
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	m, err := serveModels(c)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	s, err := serve.New(cfg, m)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// main's watch of the signals allows stopGrace for the command to return;
	// a server may take its whole --grace, and a little more to close.
	extraGrace.Store(int64(cfg.WithDefaults().Grace))
	err = s.Run(commandContext(c), nil, func(addr net.Addr) {
		logger.Info("listening", "url", "http://"+addr.String(), "api", "http://"+addr.String()+"/v1/openapi.json")
	})
	if err != nil {
		return err
	}
	logger.Info("stopped")
	return nil
}

// serveModels loads the models the flags name: the built-in tagger and
// classifier unless others are given, a translator and vectors only when
// given. Nothing is loaded later: no request names a file.
func serveModels(c *cli.Context) (serve.Models, error) {
	var m serve.Models
	var err error
	if m.Tagger, err = loadTagger(c.String("tagger")); err != nil {
		return m, err
	}
	if p := c.String("classifier"); p != "" {
		m.Classifier, err = classify.Load(p)
	} else {
		m.Classifier, err = models.Classifier()
	}
	if err != nil {
		return m, err
	}
	switch p := c.String("translator"); p {
	case "":
	case "builtin":
		m.Translator, err = models.Translator()
	default:
		m.Translator, err = translate.Load(p)
	}
	if err != nil {
		return m, err
	}
	if p := c.String("vectors"); p != "" {
		if m.Vectors, err = embed.Load(p); err != nil {
			return m, err
		}
	}
	return m, nil
}
