package serve

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/nlp-go/nlp/serve/web"
)

// route is one endpoint: its method and path (a Go 1.22 ServeMux pattern),
// its handler, and whether it is open (no token, no in-flight slot: health,
// readiness, metrics, the API description).
type route struct {
	method, path string
	handle       func(w http.ResponseWriter, r *http.Request) error
	open         bool
}

type ctxKey int

const requestIDKey ctxKey = 0

// requestID returns the id the middleware gave the request.
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// newRequestID returns the client's X-Request-Id when it is a short token of
// safe characters (so that logs can follow a request across services), a
// random one otherwise.
func newRequestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-Id"); len(id) > 0 && len(id) <= 64 && strings.Trim(id,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") == "" {
		return id
	}
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// statusWriter records the status and the bytes of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (Flush, deadlines,
// full duplex).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// buildHandler registers the routes on a ServeMux and wraps it in the
// middleware.
func (s *Server) buildHandler() http.Handler {
	s.routes = s.routeTable()
	mux := http.NewServeMux()
	methods := map[string][]string{}
	for _, rt := range s.routes {
		rt := rt
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !rt.open {
				if err := s.authorize(r); err != nil {
					s.writeError(w, r, err)
					return
				}
				select {
				case s.inflight <- struct{}{}:
					s.metrics.inflight.Inc()
					defer func() { <-s.inflight; s.metrics.inflight.Dec() }()
				default:
					s.metrics.rejected.Inc()
					w.Header().Set("Retry-After", "1")
					s.writeError(w, r, errorf(http.StatusTooManyRequests,
						"%d requests in flight, the most this server takes (--max-inflight): retry later", s.cfg.MaxInflight))
					return
				}
			}
			if err := rt.handle(w, r); err != nil {
				s.writeError(w, r, err)
			}
		})
		mux.Handle(rt.method+" "+rt.path, h)
		methods[rt.path] = append(methods[rt.path], rt.method)
	}
	// Another method on a known path: 405 with Allow, in the JSON of errors
	// (the mux's own 405 is plain text).
	for path, ms := range methods {
		allow := strings.Join(ms, ", ")
		if strings.Contains(allow, http.MethodGet) {
			allow += ", " + http.MethodHead
		}
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			s.writeError(w, r, errorf(http.StatusMethodNotAllowed, "method %s not allowed on %s: use %s", r.Method, path, allow))
		})
	}
	// Everything else is the web page (package serve/web), whose handler hands
	// a path that is not one of its files to the API's JSON 404.
	mux.Handle("/", web.Handler(web.NotFound(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, errorf(http.StatusNotFound, "no route %s %s (the API is described at /v1/openapi.json)", r.Method, r.URL.Path))
	}))))
	return s.middleware(mux)
}

// middleware gives every request an id (X-Request-Id on the response), CORS
// headers when configured, recovery from a panic (500 with the id; the server
// serves on), and after it one access log record and the request metrics.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID(r)
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey, id))
		// The limit is given the server's own ResponseWriter, not a wrapper:
		// through it the server learns that the limit was hit and closes the
		// connection rather than reading the rest of the body as a request.
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
		sw := &statusWriter{ResponseWriter: w}
		sw.Header().Set("X-Request-Id", id)
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.metrics.panics.Inc()
				s.log.Error("panic serving a request", "request_id", id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if sw.status == 0 {
					s.writeError(sw, r, errorf(http.StatusInternalServerError, "internal error (request id %s)", id))
				}
			}
			route := r.Pattern
			if route == "" {
				route = "other" // no route matched (404, 405, a CORS preflight): one label for all
			}
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			d := time.Since(start)
			s.metrics.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
			s.metrics.duration.WithLabelValues(route).Observe(d.Seconds())
			s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("route", route),
				slog.String("path", r.URL.Path), slog.Int("status", status), slog.Int64("bytes", sw.bytes),
				slog.Duration("duration", d), slog.String("request_id", id))
		}()
		if o := s.cfg.CORSOrigin; o != "" {
			h := sw.Header()
			h.Set("Access-Control-Allow-Origin", o)
			h.Add("Vary", "Origin")
			h.Set("Access-Control-Expose-Headers", "X-Request-Id, Retry-After")
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
				h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
				h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id")
				h.Set("Access-Control-Max-Age", "600")
				sw.WriteHeader(http.StatusNoContent)
				return
			}
		}
		if s.beforeHandle != nil {
			s.beforeHandle(r)
		}
		// The mux sets r.Pattern on the request it is given: this one, so that
		// the deferred function sees the route.
		next.ServeHTTP(sw, r)
	})
}

// authorize checks the bearer token when the server has one. The tokens are
// compared through their SHA-256 digests in constant time, so that neither
// the content nor the length of the token leaks through timing.
func (s *Server) authorize(r *http.Request) error {
	if s.cfg.Token == "" {
		return nil
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	a, b := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(s.cfg.Token))
	if !ok || subtle.ConstantTimeCompare(a[:], b[:]) != 1 {
		return errorf(http.StatusUnauthorized, "missing or wrong bearer token (Authorization: Bearer <token>)")
	}
	return nil
}

// withTimeout bounds a request's wait for the models (cfg.RequestTimeout).
func (s *Server) withTimeout(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
}

// waitError turns the error of a wait for a model into the answer: 503 when
// the request's time ran out, the server is closing, or the client left (who
// will not read it).
func (s *Server) waitError(err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return errorf(http.StatusServiceUnavailable, "the request took longer than %v (the server is overloaded or the request too large)", s.cfg.RequestTimeout)
	case errors.Is(err, context.Canceled):
		return errorf(http.StatusServiceUnavailable, "request cancelled")
	case errors.Is(err, errStopped):
		return errorf(http.StatusServiceUnavailable, "%v", err)
	}
	return err
}
