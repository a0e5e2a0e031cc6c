// Package web is the page of nlp serve: a single HTML page, its style sheet and
// its script, embedded in the binary so that the server needs no files and the
// page works offline. The page talks to the server's API (v1, described at
// /v1/openapi.json): it
// sends the text to /v1/pipeline and reads the answer as a stream, colours
// each word by its part of speech, draws a sentiment bar a sentence and, when
// /v1/info says a translator is loaded, asks /v1/translate for each sentence
// with its attention.
//
// Handler serves the files of static/ and nothing else: "/" is index.html,
// "/app.js" is static/app.js; any other path (a directory, a file outside
// static/, a name with "..") is 404, or goes to the server's own handler of
// unknown routes (NotFound). Every answer of the page carries a
// Content-Security-Policy that allows the page's own files and API alone — no
// inline script, no external script, style, font or image, no frames — so the
// page cannot load anything from elsewhere even if a tag were injected into it.
//
// Caching: the files change only with the binary, so each has a strong ETag (a
// hash of its content) and "Cache-Control: no-cache": the browser keeps its
// copy and revalidates it with a request that costs a 304 and no body. A
// max-age would save that request but would keep an old script running against
// a new server after an upgrade.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"time"
)

//go:embed static
var static embed.FS

// ContentSecurityPolicy is the Content-Security-Policy header of every answer of
// Handler: the page's own origin for scripts, styles, images and API calls,
// nothing else (default-src 'none'), no inline script, no plugins, no framing
// by other sites, no form posted elsewhere.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"

// contentTypes maps the extensions of the files in static/ to their media
// types, set explicitly so that the answer does not depend on the machine's
// MIME tables. A file whose extension is missing here is not served (the test
// checks that every file of static/ has one).
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".svg":  "image/svg+xml",
}

// file is one embedded file, ready to serve.
type file struct {
	body        []byte
	contentType string
	etag        string
}

// files holds every file of static/ by its URL path ("/app.js"); "/" is
// index.html. Built once: the set is fixed at build time.
var files = loadFiles()

func loadFiles() map[string]file {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	m := map[string]file{}
	err = fs.WalkDir(sub, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ct, ok := contentTypes[path.Ext(name)]
		if !ok {
			return nil
		}
		body, err := fs.ReadFile(sub, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		m["/"+name] = file{body: body, contentType: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	if err != nil {
		panic(err) // reading an embedded FS does not fail
	}
	if index, ok := m["/index.html"]; ok {
		m["/"] = index
	}
	return m
}

// Option configures Handler.
type Option func(*handler)

// NotFound makes Handler pass every request that is not for one of the page's
// files to h — the server's own 404, in the JSON of its errors — instead of
// answering a plain-text 404 itself.
func NotFound(h http.Handler) Option {
	return func(p *handler) { p.notFound = h }
}

// Handler returns the handler of the page's files. Mount it at the root of the
// server ("GET /", or "/" with NotFound): the page refers to its files and to
// the API by relative URLs. It answers GET and HEAD of the files (405 with
// Allow for another method) and 404 for any other path.
func Handler(opts ...Option) http.Handler {
	h := &handler{}
	for _, o := range opts {
		o(h)
	}
	return h
}

type handler struct {
	notFound http.Handler
}

func (p *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The path is looked up as sent, never cleaned into another one: "/a/../app.js"
	// is not a file of the page, and nothing maps a path to the file system.
	f, ok := files[r.URL.Path]
	if !ok && p.notFound != nil {
		p.notFound.ServeHTTP(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if !ok {
		http.Error(w, "404 page not found: "+r.URL.Path, http.StatusNotFound)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed: the page's files answer GET and HEAD", http.StatusMethodNotAllowed)
		return
	}
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", f.etag)
	// ServeContent answers If-None-Match with 304, HEAD without a body, and ranges.
	http.ServeContent(w, r, r.URL.Path, time.Time{}, bytes.NewReader(f.body))
}
