package web

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, method, target string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

// TestFilesServed: every file of static/ on disk is served at its name with its
// content, its media type and the security and caching headers; "/" is index.html.
func TestFilesServed(t *testing.T) {
	h := Handler()
	want := map[string]string{
		"/":            "text/html; charset=utf-8",
		"/index.html":  "text/html; charset=utf-8",
		"/style.css":   "text/css; charset=utf-8",
		"/app.js":      "text/javascript; charset=utf-8",
		"/favicon.svg": "image/svg+xml",
	}
	for p, ct := range want {
		resp := get(t, h, "GET", p, nil)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: status %d", p, resp.StatusCode)
		}
		if got := resp.Header.Get("Content-Type"); got != ct {
			t.Errorf("GET %s: Content-Type %q, want %q", p, got, ct)
		}
		name := strings.TrimPrefix(p, "/")
		if name == "" {
			name = "index.html"
		}
		disk, err := os.ReadFile(filepath.Join("static", name))
		if err != nil {
			t.Fatal(err)
		}
		if string(body) != string(disk) {
			t.Errorf("GET %s: body differs from static/%s", p, name)
		}
		if got := resp.Header.Get("Content-Security-Policy"); got != ContentSecurityPolicy {
			t.Errorf("GET %s: CSP %q", p, got)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options %q", p, got)
		}
		if got := resp.Header.Get("Cache-Control"); got != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q", p, got)
		}
		if etag := resp.Header.Get("ETag"); !regexp.MustCompile(`^"[0-9a-f]{16}"$`).MatchString(etag) {
			t.Errorf("GET %s: ETag %q", p, etag)
		}
	}
	// Every file on disk has a media type, so none is silently left out.
	err := filepath.WalkDir("static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if _, ok := contentTypes[filepath.Ext(name)]; !ok {
			t.Errorf("%s: no media type for %q in contentTypes: it would not be served", name, filepath.Ext(name))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCSPForbidsExternal: the policy allows nothing but the page's own origin,
// and the page refers to nothing outside it (no http: or https: URL, no inline
// script or style, no style attribute) — what the policy would block.
func TestCSPForbidsExternal(t *testing.T) {
	directives := map[string]string{}
	for _, d := range strings.Split(ContentSecurityPolicy, ";") {
		f := strings.Fields(d)
		if len(f) == 0 {
			continue
		}
		directives[f[0]] = strings.Join(f[1:], " ")
	}
	if directives["default-src"] != "'none'" {
		t.Errorf("default-src %q, want 'none'", directives["default-src"])
	}
	for name, v := range directives {
		for _, src := range strings.Fields(v) {
			if src != "'self'" && src != "'none'" {
				t.Errorf("%s allows %s: only 'self' or 'none' are allowed", name, src)
			}
		}
	}
	for _, name := range []string{"index.html", "style.css", "app.js", "favicon.svg"} {
		b, err := fs.ReadFile(static, "static/"+name)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		// The SVG's namespace is a name, not a resource.
		s = strings.ReplaceAll(s, `xmlns="http://www.w3.org/2000/svg"`, "")
		for _, bad := range []string{"http://", "https://", "//cdn", "@import", "url("} {
			if strings.Contains(s, bad) {
				t.Errorf("%s refers to %q", name, bad)
			}
		}
		if name == "index.html" {
			if regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`).MatchString(s) {
				t.Errorf("index.html has an inline script")
			}
			if regexp.MustCompile(`<style|\sstyle=|\son[a-z]+=`).MatchString(s) {
				t.Errorf("index.html has an inline style or event handler")
			}
		}
	}
}

// TestNotFound: paths that are not files of static/ are 404 — unknown names,
// directories, the Go sources next to static/, traversal, and names with the
// "static/" prefix.
func TestNotFound(t *testing.T) {
	h := Handler()
	for _, p := range []string{
		"/nope.js", "/static/index.html", "/static/", "/web.go", "/web_test.go",
		"/../web.go", "/%2e%2e/web.go", "/a/../app.js", "/./app.js", "//app.js",
		"/app.js/", "/index.html/", "/v1/info", "/APP.JS",
	} {
		resp := get(t, h, "GET", p, nil)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", p, resp.StatusCode)
		}
		if got := resp.Header.Get("Content-Security-Policy"); got != ContentSecurityPolicy {
			t.Errorf("GET %s: 404 without the CSP", p)
		}
	}
}

func TestMethods(t *testing.T) {
	h := Handler()
	resp := get(t, h, "POST", "/", nil)
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /: status %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
	resp = get(t, h, "HEAD", "/app.js", nil)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || len(body) != 0 || resp.Header.Get("Content-Type") != contentTypes[".js"] {
		t.Errorf("HEAD /app.js: status %d, %d bytes, type %q", resp.StatusCode, len(body), resp.Header.Get("Content-Type"))
	}
}

// TestRevalidation: a request with the file's ETag gets 304 and no body; the
// ETags of different files differ.
func TestRevalidation(t *testing.T) {
	h := Handler()
	first := get(t, h, "GET", "/app.js", nil)
	etag := first.Header.Get("ETag")
	resp := get(t, h, "GET", "/app.js", map[string]string{"If-None-Match": etag})
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Errorf("If-None-Match %s: status %d, %d bytes", etag, resp.StatusCode, len(body))
	}
	if other := get(t, h, "GET", "/style.css", nil).Header.Get("ETag"); other == etag {
		t.Errorf("app.js and style.css share the ETag %s", etag)
	}
	resp = get(t, h, "GET", "/app.js", map[string]string{"If-None-Match": `"0000000000000000"`})
	if resp.StatusCode != 200 {
		t.Errorf("stale ETag: status %d, want 200", resp.StatusCode)
	}
}

// TestNotFoundOption: with NotFound, paths that are not files go to the given
// handler (whatever the method), and the files are still served.
func TestNotFoundOption(t *testing.T) {
	fallback := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTeapot)
		io.WriteString(w, `{"error":{"status":418,"message":"`+r.Method+` `+r.URL.Path+`"}}`)
	})
	h := Handler(NotFound(fallback))
	for _, c := range []struct{ method, path string }{{"GET", "/v1/nope"}, {"POST", "/nope"}, {"GET", "/a/../app.js"}} {
		resp := get(t, h, c.method, c.path, nil)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusTeapot || !strings.Contains(string(body), c.method+" "+c.path) {
			t.Errorf("%s %s: %d %s, want the fallback's answer", c.method, c.path, resp.StatusCode, body)
		}
	}
	if resp := get(t, h, "GET", "/app.js", nil); resp.StatusCode != 200 {
		t.Errorf("GET /app.js with NotFound: status %d", resp.StatusCode)
	}
	if resp := get(t, h, "POST", "/", nil); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST / with NotFound: status %d, want 405", resp.StatusCode)
	}
}
