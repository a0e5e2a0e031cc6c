// Package serve is the HTTP server of nlp serve: the toolkit's models behind
// a versioned JSON API, on the standard library's net/http.
//
// # Routes
//
// GET /healthz, /readyz (503 while shutting down), /metrics (Prometheus, a
// registry of the server's own) and /v1/openapi.json (the OpenAPI 3
// description, embedded, which a test keeps equal to the routes); GET
// /v1/info; POST /v1/tag, /v1/classify, /v1/translate (with a translator),
// /v1/pipeline (streamed); GET /v1/similar (with vectors). Routes are Go 1.22
// ServeMux patterns; another method on a known path is a 405 with Allow, an
// unknown path a 404, both in the JSON of every error:
// {"error": {"status", "message", "request_id"}}.
//
// # Batching
//
// The models are not safe for concurrent use, and a recurrent network runs a
// batch of sentences several times faster than the same sentences one at a
// time. So requests do not call the models: they queue their sentences (or
// texts) with a batcher, and the batcher's worker — one per copy of the model
// (Config.Workers, sharing the weights, as pipeline.Fork copies them) — takes
// the queued requests' sentences in arrival order into one batch, up to
// Config.MaxBatch sentences (and 1,024 words for the tagger), waiting at most
// Config.BatchWait after the oldest request arrived for others to join, runs
// the batch and hands each request its results. Sixteen clients sending a
// sentence each are tagged in one batch. A request larger than a batch is cut
// across batches (others join its last one), so a large request delays the
// others by a batch at most at a time. A request whose context is done — the
// client went away, or Config.RequestTimeout passed — is dropped before its
// next batch: nobody's sentences run for nobody. Config.NoBatching runs each
// request alone, the baseline batching is measured against.
//
// /v1/pipeline runs pipeline.Run with the request's body as its source and
// the response as its sink (the pipeline's own Reader and JSON Writer, so the
// records are those of nlp pipeline), flushing after each document; its tag
// and classify stages go through the same batchers, and the run stops with
// the request's context. /v1/tag writes its tokens with pipeline.TokensJSON,
// the Writer's encoding. Tokenizers (pipeline.Segment, one
// tokenize.Tokenizer each) are kept in a pool of one per core.
//
// # Limits
//
// Every limit is a Config field with a documented default: the body
// (MaxBody, 1 MiB: 413), the sentences and tokens of a request (MaxSentences,
// MaxTokens: 413), the requests in flight (MaxInflight: 429 with Retry-After
// at once rather than an unbounded queue), the time a request waits for the
// models (RequestTimeout: 503), the http.Server timeouts, and the grace
// period of a shutdown (Grace). Requests with a wrong Content-Type get 415,
// malformed JSON or unknown fields 400 naming what is wrong, a panic in a
// handler 500 with the request id while the server serves on. Run stops
// accepting on cancellation (SIGTERM in nlp serve), lets the requests in
// flight finish within Grace and returns nil when they did.
//
// Every response has an X-Request-Id (the client's when it sends a sane one);
// every request gets one access log record (log/slog: method, route, status,
// bytes, duration, request id). A bearer token (Config.Token) guards the /v1
// routes, compared in constant time; CORS headers are sent only for
// Config.CORSOrigin. No request names a file: models are loaded before New.
package serve
