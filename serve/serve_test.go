package serve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nlp-go/nlp/models"
)

// quiet is the logger of the test servers: access logs would drown the
// output of go test -v.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// testModels returns the built-in tagger and classifier, copies of their own
// (models decodes each once; a copy has its own buffers), so that servers
// of different tests never share a model's buffers.
func testModels(t testing.TB) Models {
	t.Helper()
	tm, err := models.Tagger()
	if err != nil {
		t.Fatal(err)
	}
	cm, err := models.Classifier()
	if err != nil {
		t.Fatal(err)
	}
	return Models{Tagger: tm, Classifier: cm}
}

// newTestServer starts a server of cfg (quiet unless it has a logger) on
// httptest; both are closed at the end of the test.
func newTestServer(t testing.TB, cfg Config, m Models) (*Server, *httptest.Server) {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = quiet
	}
	s, err := New(cfg, m)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		ts.Close()
		s.Close()
	})
	return s, ts
}

var (
	sharedOnce sync.Once
	sharedSrv  *Server
	sharedTS   *httptest.Server
)

// shared returns the server most tests use, with the default configuration
// and a hook that panics on requests with an X-Test-Panic header; it lives
// as long as the test binary.
func shared(t testing.TB) (*Server, *httptest.Server) {
	t.Helper()
	sharedOnce.Do(func() {
		s, err := New(Config{Logger: quiet}, testModels(t))
		if err != nil {
			t.Fatal(err)
		}
		s.beforeHandle = func(r *http.Request) {
			if r.Header.Get("X-Test-Panic") != "" {
				panic("a test asked for a panic")
			}
		}
		sharedSrv, sharedTS = s, httptest.NewServer(s.Handler())
	})
	if sharedSrv == nil {
		t.Fatal("the shared server failed to start")
	}
	return sharedSrv, sharedTS
}

// response is a response read whole.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request and reads the whole response.
func do(t testing.TB, c *http.Client, method, url, contentType string, body io.Reader, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, b}
}

// postJSON posts body (a string, or a value to encode) as application/json.
func postJSON(t testing.TB, url string, body any) response {
	t.Helper()
	var b []byte
	switch v := body.(type) {
	case string:
		b = []byte(v)
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	return do(t, nil, "POST", url, "application/json", bytes.NewReader(b))
}

// checkError checks that r is an error of status in the JSON of every error,
// its request id that of the X-Request-Id header, and its message containing
// each of want.
func checkError(t *testing.T, what string, r response, status int, want ...string) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: status %d, want %d; body %s", what, r.status, status, r.body)
		return
	}
	var e errorBody
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Errorf("%s: the body is not an error object: %v: %s", what, err, r.body)
		return
	}
	if e.Error.Status != status {
		t.Errorf("%s: error.status %d, want %d", what, e.Error.Status, status)
	}
	if id := r.header.Get("X-Request-Id"); id == "" || e.Error.RequestID != id {
		t.Errorf("%s: request_id %q, X-Request-Id %q", what, e.Error.RequestID, id)
	}
	for _, w := range want {
		if !strings.Contains(e.Error.Message, w) {
			t.Errorf("%s: message %q lacks %q", what, e.Error.Message, w)
		}
	}
}

// metricValue returns the value of the sample of /metrics whose line starts
// with prefix (a name and its labels), and whether there is one.
func metricValue(t testing.TB, url, prefix string) (float64, bool) {
	t.Helper()
	r := do(t, nil, "GET", url+"/metrics", "", nil)
	for _, line := range strings.Split(string(r.body), "\n") {
		if rest, ok := strings.CutPrefix(line, prefix+" "); ok {
			var v float64
			if _, err := fmt.Sscan(rest, &v); err != nil {
				t.Fatalf("metric line %q: %v", line, err)
			}
			return v, true
		}
	}
	return 0, false
}

// waitFor polls cond every 10 ms until it holds or timeout passes.
func waitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return cond()
}

// TestErrors sends a request for every error status of the API and checks
// the status, the JSON of the error and what its message names.
func TestErrors(t *testing.T) {
	_, ts := shared(t)
	u := ts.URL
	checkError(t, "malformed JSON", postJSON(t, u+"/v1/tag", `{"text": "a",`), 400, "malformed JSON")
	checkError(t, "syntax error", postJSON(t, u+"/v1/tag", `{"text" "a"}`), 400, "malformed JSON at byte")
	checkError(t, "unknown field", postJSON(t, u+"/v1/tag", `{"txt": "a"}`), 400, `unknown field "txt"`)
	checkError(t, "wrong type", postJSON(t, u+"/v1/tag", `{"text": 3}`), 400, `field "text"`)
	checkError(t, "not an object", postJSON(t, u+"/v1/tag", `["a"]`), 400, "must be an object")
	checkError(t, "trailing data", postJSON(t, u+"/v1/tag", `{"text": "a"} {}`), 400, "after the request's object")
	checkError(t, "empty body", postJSON(t, u+"/v1/tag", ``), 400, "empty body")
	checkError(t, "both", postJSON(t, u+"/v1/tag", `{"text": "a", "sentences": [["a"]]}`), 400, "not both")
	checkError(t, "neither", postJSON(t, u+"/v1/tag", `{}`), 400, `"text"`, `"sentences"`)
	checkError(t, "empty sentence", postJSON(t, u+"/v1/tag", `{"sentences": [["a"], []]}`), 400, "sentences[1]")
	checkError(t, "blank token", postJSON(t, u+"/v1/tag", `{"sentences": [["a", " "]]}`), 400, "sentences[0][1]")
	checkError(t, "classify both", postJSON(t, u+"/v1/classify", `{"text": "a", "texts": ["b"]}`), 400, "not both")
	checkError(t, "content type", do(t, nil, "POST", u+"/v1/tag", "text/plain", strings.NewReader(`{"text": "a"}`)), 415, "application/json")
	checkError(t, "no content type", do(t, nil, "POST", u+"/v1/classify", "", strings.NewReader(`{"text": "a"}`)), 415, "none")
	checkError(t, "pipeline content type", do(t, nil, "POST", u+"/v1/pipeline", "application/json", strings.NewReader(`{"text": "a"}`)), 415, "text/plain")
	big := `{"text": "` + strings.Repeat("word ", DefaultMaxBody/5+10) + `"}`
	checkError(t, "body too large", postJSON(t, u+"/v1/tag", big), 413, "1048576-byte limit", "--max-body")
	checkError(t, "pipeline body too large", do(t, nil, "POST", u+"/v1/pipeline", "text/plain", strings.NewReader(strings.Repeat("word ", DefaultMaxBody/5+10))), 413, "--max-body")
	many := `{"text": "` + strings.Repeat("word ", DefaultMaxTokens+1) + `"}`
	checkError(t, "too many tokens", postJSON(t, u+"/v1/tag", many), 413, fmt.Sprint(DefaultMaxTokens+1), "--max-tokens")
	sents := make([][]string, DefaultMaxSentences+1)
	for i := range sents {
		sents[i] = []string{"a"}
	}
	checkError(t, "too many sentences", postJSON(t, u+"/v1/tag", map[string]any{"sentences": sents}), 413, "--max-sentences")
	checkError(t, "translate without a model", postJSON(t, u+"/v1/translate", `{"text": "Ein Hund."}`), 404, "no translation model", "--translator")
	checkError(t, "similar without vectors", do(t, nil, "GET", u+"/v1/similar?word=dog", "", nil), 404, "--vectors")
	checkError(t, "unknown path", do(t, nil, "GET", u+"/v2/tag", "", nil), 404, "/v2/tag")
	r := do(t, nil, "GET", u+"/v1/tag", "", nil)
	checkError(t, "GET /v1/tag", r, 405, "POST")
	if r.header.Get("Allow") != "POST" {
		t.Errorf("405: Allow %q, want POST", r.header.Get("Allow"))
	}
	r = do(t, nil, "DELETE", u+"/healthz", "", nil)
	checkError(t, "DELETE /healthz", r, 405)
	if r.header.Get("Allow") != "GET, HEAD" {
		t.Errorf("405: Allow %q, want GET, HEAD", r.header.Get("Allow"))
	}
}

// TestRecoveredPanic: a handler's panic is a 500 naming the request id, and
// the server answers the next request.
func TestRecoveredPanic(t *testing.T) {
	_, ts := shared(t)
	before, _ := metricValue(t, ts.URL, "nlp_http_panics_total")
	r := do(t, nil, "GET", ts.URL+"/v1/info", "", nil, "X-Test-Panic", "1", "X-Request-Id", "panic-42")
	checkError(t, "panic", r, 500, "panic-42")
	if r := do(t, nil, "GET", ts.URL+"/v1/info", "", nil); r.status != 200 {
		t.Errorf("after a panic: status %d: %s", r.status, r.body)
	}
	if after, _ := metricValue(t, ts.URL, "nlp_http_panics_total"); after != before+1 {
		t.Errorf("nlp_http_panics_total went from %v to %v, want one more", before, after)
	}
}

// TestHealthInfoMetrics checks the open routes, /v1/info, and that /metrics
// counts the requests by route and status.
func TestHealthInfoMetrics(t *testing.T) {
	_, ts := shared(t)
	if r := do(t, nil, "GET", ts.URL+"/healthz", "", nil); r.status != 200 || string(r.body) != "ok\n" {
		t.Errorf("/healthz: %d %q", r.status, r.body)
	}
	if r := do(t, nil, "GET", ts.URL+"/readyz", "", nil); r.status != 200 {
		t.Errorf("/readyz: %d %q", r.status, r.body)
	}
	r := do(t, nil, "GET", ts.URL+"/v1/info", "", nil)
	var info struct {
		Models map[string]struct {
			Language string   `json:"language"`
			Labels   []string `json:"labels"`
			UPOS     []string `json:"upos"`
		} `json:"models"`
		Limits map[string]int64 `json:"limits"`
	}
	if err := json.Unmarshal(r.body, &info); err != nil {
		t.Fatalf("/v1/info: %v: %s", err, r.body)
	}
	if info.Models["tagger"].Language != "en" || len(info.Models["tagger"].UPOS) != 17 ||
		strings.Join(info.Models["classifier"].Labels, ",") != "negative,positive" {
		t.Errorf("/v1/info models: %s", r.body)
	}
	if _, ok := info.Models["translator"]; ok {
		t.Errorf("/v1/info lists a translator none was given: %s", r.body)
	}
	if info.Limits["max_body"] != DefaultMaxBody || info.Limits["max_tokens"] != DefaultMaxTokens {
		t.Errorf("/v1/info limits: %s", r.body)
	}
	key := `nlp_http_requests_total{route="POST /v1/classify",status="200"}`
	before, _ := metricValue(t, ts.URL, key)
	for range 3 {
		if r := postJSON(t, ts.URL+"/v1/classify", `{"text": "A fine film."}`); r.status != 200 {
			t.Fatalf("classify: %d %s", r.status, r.body)
		}
	}
	postJSON(t, ts.URL+"/v1/classify", `{"txt": 1}`)
	if after, ok := metricValue(t, ts.URL, key); !ok || after != before+3 {
		t.Errorf("%s: %v then %v (found %v), want 3 more", key, before, after, ok)
	}
	if v, ok := metricValue(t, ts.URL, `nlp_http_requests_total{route="POST /v1/classify",status="400"}`); !ok || v < 1 {
		t.Errorf("no 400 counted for /v1/classify")
	}
	if _, ok := metricValue(t, ts.URL, `nlp_batch_items_count{model="classifier"}`); !ok {
		t.Errorf("no batch size histogram for the classifier")
	}
}

// TestOpenAPIRoutes: the routes of the description are those the server
// serves, and the server answers each (not with the 404 of unknown paths
// nor the 405 of a wrong method).
func TestOpenAPIRoutes(t *testing.T) {
	s, ts := shared(t)
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	r := do(t, nil, "GET", ts.URL+"/v1/openapi.json", "", nil)
	if err := json.Unmarshal(r.body, &doc); err != nil || !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("/v1/openapi.json: %v, openapi %q", err, doc.OpenAPI)
	}
	described := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			described[strings.ToUpper(method)+" "+path] = true
		}
	}
	served := map[string]bool{}
	for _, rt := range s.routes {
		served[rt.method+" "+rt.path] = true
	}
	for k := range served {
		if !described[k] {
			t.Errorf("%s is served but not in openapi.json", k)
		}
	}
	for k := range described {
		if !served[k] {
			t.Errorf("%s is in openapi.json but not served", k)
			continue
		}
		method, path, _ := strings.Cut(k, " ")
		r := do(t, nil, method, ts.URL+path, "application/json", strings.NewReader("{}"))
		if r.status == 405 || (r.status == 404 && bytes.Contains(r.body, []byte("no route"))) {
			t.Errorf("%s: the mux does not route it: %d %s", k, r.status, r.body)
		}
	}
}
