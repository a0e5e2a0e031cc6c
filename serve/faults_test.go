package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/models"
	"github.com/nlp-go/nlp/translate"
)

// TestAuthAndCORS: with a token every /v1 route but the description needs
// it, health, readiness and metrics stay open; CORS headers come only with
// an origin, and a preflight is answered without the token.
func TestAuthAndCORS(t *testing.T) {
	const origin = "https://example.org"
	_, ts := newTestServer(t, Config{Token: "s3cret", CORSOrigin: origin}, testModels(t))
	checkError(t, "no token", do(t, nil, "GET", ts.URL+"/v1/info", "", nil), 401, "bearer token")
	checkError(t, "wrong token", do(t, nil, "GET", ts.URL+"/v1/info", "", nil, "Authorization", "Bearer s3cre"), 401)
	checkError(t, "not bearer", do(t, nil, "GET", ts.URL+"/v1/info", "", nil, "Authorization", "s3cret"), 401)
	checkError(t, "tag without token", postJSON(t, ts.URL+"/v1/tag", `{"text": "a"}`), 401)
	r := do(t, nil, "GET", ts.URL+"/v1/info", "", nil, "Authorization", "Bearer s3cret")
	if r.status != 200 || r.header.Get("Access-Control-Allow-Origin") != origin {
		t.Errorf("with the token: %d, Access-Control-Allow-Origin %q: %s", r.status, r.header.Get("Access-Control-Allow-Origin"), r.body)
	}
	for _, path := range []string{"/healthz", "/readyz", "/metrics", "/v1/openapi.json"} {
		if r := do(t, nil, "GET", ts.URL+path, "", nil); r.status != 200 {
			t.Errorf("%s without a token: %d", path, r.status)
		}
	}
	r = do(t, nil, "OPTIONS", ts.URL+"/v1/tag", "", nil, "Origin", origin, "Access-Control-Request-Method", "POST",
		"Access-Control-Request-Headers", "authorization,content-type")
	if r.status != 204 || r.header.Get("Access-Control-Allow-Origin") != origin ||
		!strings.Contains(r.header.Get("Access-Control-Allow-Methods"), "POST") ||
		!strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("preflight: %d %v", r.status, r.header)
	}
	_, plain := shared(t)
	if r := do(t, nil, "GET", plain.URL+"/v1/info", "", nil, "Origin", origin); r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("CORS header without --cors-origin: %v", r.header)
	}
	if _, err := New(Config{MaxInflight: -1}, Models{}); err == nil || !strings.Contains(err.Error(), "MaxInflight") {
		t.Errorf("New with MaxInflight -1: %v", err)
	}
}

// openPipeline starts a /v1/pipeline request whose body stays open: it
// writes one line, waits for its record, and returns the writer of the body
// (close it to end the request), the response and the reader of its lines.
func openPipeline(t *testing.T, ctx context.Context, url string) (*io.PipeWriter, *http.Response, *bufio.Reader) {
	t.Helper()
	pr, pw := io.Pipe()
	req, err := http.NewRequestWithContext(ctx, "POST", url+"/v1/pipeline", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "text/plain")
	go pw.Write([]byte("The first document is short.\n"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(resp.Body)
	line, err := br.ReadString('\n')
	if err != nil || !strings.Contains(line, `"text":"The first document is short."`) {
		t.Fatalf("first record %q, %v", line, err)
	}
	return pw, resp, br
}

// TestInflightCap: with the cap full, a /v1 request is answered 429 with
// Retry-After at once; the open routes still answer; once the slot is free
// the request succeeds. The slot is held by a streaming /v1/pipeline request.
func TestInflightCap(t *testing.T) {
	_, ts := newTestServer(t, Config{MaxInflight: 1}, testModels(t))
	pw, resp, br := openPipeline(t, context.Background(), ts.URL)
	r := do(t, nil, "GET", ts.URL+"/v1/info", "", nil)
	checkError(t, "cap full", r, 429, "--max-inflight")
	if r.header.Get("Retry-After") != "1" {
		t.Errorf("429 without Retry-After: %v", r.header)
	}
	if r := do(t, nil, "GET", ts.URL+"/healthz", "", nil); r.status != 200 {
		t.Errorf("/healthz with the cap full: %d", r.status)
	}
	pw.Write([]byte("A second one.\n"))
	pw.Close()
	rest, err := io.ReadAll(br)
	resp.Body.Close()
	if err != nil || strings.Count(string(rest), "\n") != 1 || !strings.Contains(string(rest), `"doc":1`) {
		t.Errorf("rest of the stream %q, %v", rest, err)
	}
	if r := do(t, nil, "GET", ts.URL+"/v1/info", "", nil); r.status != 200 {
		t.Errorf("after the slot is free: %d %s", r.status, r.body)
	}
}

// TestPipelineClientGone: a client that goes away in the middle of a stream
// whose body never ends stops the server's run: the run ends (counted by
// result), and the tagger then runs no more of its sentences.
func TestPipelineClientGone(t *testing.T) {
	s, ts := newTestServer(t, Config{}, testModels(t))
	ctx, cancel := context.WithCancel(context.Background())
	pw, resp, _ := openPipeline(t, ctx, ts.URL)
	var fed atomic.Int64
	go func() { // a client that keeps writing documents until it is cut off
		for {
			if _, err := pw.Write([]byte("Another document goes into the stream, and it never ends.\n")); err != nil {
				return
			}
			fed.Add(1)
		}
	}()
	if !waitFor(10*time.Second, func() bool { return fed.Load() > 100 }) {
		t.Fatal("the server reads no more of the body")
	}
	cancel()
	resp.Body.Close()
	ended := func() float64 {
		return testutil.ToFloat64(s.metrics.pipelines.WithLabelValues("cancelled")) + testutil.ToFloat64(s.metrics.pipelines.WithLabelValues("error"))
	}
	if !waitFor(10*time.Second, func() bool { return ended() == 1 }) {
		t.Fatalf("the run did not end after the client left (%v runs ended)", ended())
	}
	if ok := testutil.ToFloat64(s.metrics.pipelines.WithLabelValues("ok")); ok != 0 {
		t.Errorf("%v runs counted ok", ok)
	}
	pw.CloseWithError(errors.New("test over"))
	sum := func() float64 {
		n, _ := metricValue(t, ts.URL, `nlp_batch_items_sum{model="tagger"}`)
		return n
	}
	// A batch that had started when the run ended finishes (its requests are
	// gone, its result dropped); after it the tagger runs nothing more of
	// the stream, though the client was still sending.
	before := sum()
	time.Sleep(200 * time.Millisecond)
	if after := sum(); after-before > DefaultMaxBatch {
		t.Errorf("the tagger ran %v more sentences after the run ended", after-before)
	}
}

// TestShutdownUnderLoad: Run's graceful shutdown in the middle of a load of
// requests that take a while each: /readyz turns 503, Run returns nil (every
// request finished within the grace period), and every request the server
// answered reached its client whole, with 200 — no accepted request failed.
func TestShutdownUnderLoad(t *testing.T) {
	s, err := New(Config{Logger: quiet, Grace: 20 * time.Second}, testModels(t))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, ln, nil) }()
	url := "http://" + ln.Addr().String()
	body, _ := json.Marshal(map[string]any{"text": strings.Join(sixteen(), " ")})
	var ok, failed atomic.Int64
	var bad sync.Map
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				resp, err := http.Post(url+"/v1/tag", "application/json", strings.NewReader(string(body)))
				if err != nil {
					return // refused or closed before the request was accepted: the server is gone
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 || !strings.Contains(string(b), `"sentences"`) {
					failed.Add(1)
					bad.Store(fmt.Sprintf("%d %v %.200s", resp.StatusCode, err, b), true)
					return
				}
				ok.Add(1)
			}
		}()
	}
	inflight := func() float64 { return testutil.ToFloat64(s.metrics.inflight) }
	if !waitFor(20*time.Second, func() bool { return ok.Load() >= 8 && inflight() >= 2 }) {
		t.Fatalf("no load: %d answered, %v in flight", ok.Load(), inflight())
	}
	cancel()
	if !waitFor(5*time.Second, s.draining.Load) {
		t.Fatal("not draining after the cancel")
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != 503 {
		t.Errorf("/readyz while shutting down: %d", rec.Code)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return")
	}
	wg.Wait()
	answered := testutil.ToFloat64(s.metrics.requests.WithLabelValues("POST /v1/tag", "200"))
	t.Logf("%d requests answered 200 before and during the shutdown", ok.Load())
	bad.Range(func(k, _ any) bool { t.Errorf("a request failed: %v", k); return true })
	if failed.Load() > 0 || answered != float64(ok.Load()) {
		t.Errorf("the server answered %v requests 200, the clients got %d (and %d failures)", answered, ok.Load(), failed.Load())
	}
}

// TestBadRequestsAmidLoad: malformed and oversized requests mixed into a load
// of valid ones: each bad one gets its 4xx, every valid one its right answer.
func TestBadRequestsAmidLoad(t *testing.T) {
	_, ts := shared(t)
	sents := sixteen()[:8]
	want := make([][][]apiToken, len(sents))
	for i, s := range sents {
		want[i] = directTags(t, s)
	}
	bad := []struct {
		contentType, body string
		status            int
	}{
		{"application/json", `{"text": "unterminated`, 400},
		{"application/json", `{"text": "a", "extra": 1}`, 400},
		{"application/json", `{"text": "` + strings.Repeat("x", DefaultMaxBody) + `"}`, 413},
		{"text/xml", `<text>a</text>`, 415},
		{"application/json", `{"sentences": [[""]]}`, 400},
		{"application/json", `{"text": "` + strings.Repeat("a ", DefaultMaxTokens+5) + `"}`, 413},
	}
	var wg sync.WaitGroup
	errs := make(chan string, 200)
	for i, s := range sents {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for range 4 {
				r := postJSON(t, ts.URL+"/v1/tag", map[string]string{"text": s})
				var got apiTagged
				if err := json.Unmarshal(r.body, &got); err != nil || r.status != 200 {
					errs <- fmt.Sprintf("valid %d: %d %v", i, r.status, err)
					return
				}
				if d := sameTags(got, want[i]); d != "" {
					errs <- fmt.Sprintf("valid %d: %s", i, d)
				}
			}
		}()
		go func() {
			defer wg.Done()
			for k := range 3 {
				b := bad[(i+k)%len(bad)]
				r := do(t, nil, "POST", ts.URL+"/v1/tag", b.contentType, strings.NewReader(b.body))
				if r.status != b.status {
					errs <- fmt.Sprintf("bad %.40q: %d, want %d", b.body, r.status, b.status)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestPunctuation: 100 KB of one punctuation character in one request is
// answered well within the request timeout, by every route that reads text.
func TestPunctuation(t *testing.T) {
	_, ts := shared(t)
	text := strings.Repeat("!", 100_000)
	for _, c := range []struct {
		path, contentType, body string
		status                  []int
	}{
		{"/v1/tag", "application/json", `{"text": "` + text + `"}`, []int{200, 413}},
		{"/v1/classify", "application/json", `{"text": "` + text + `"}`, []int{200}},
		{"/v1/pipeline", "text/plain", text + "\n", []int{200}},
	} {
		start := time.Now()
		r := do(t, nil, "POST", ts.URL+c.path, c.contentType, strings.NewReader(c.body))
		d := time.Since(start)
		t.Logf("%s: %d in %v, %d bytes", c.path, r.status, d, len(r.body))
		if r.status != c.status[0] && (len(c.status) == 1 || r.status != c.status[1]) {
			t.Errorf("%s: status %d, want %v: %.300s", c.path, r.status, c.status, r.body)
		}
		if d > 10*time.Second {
			t.Errorf("%s: %v", c.path, d)
		}
	}
}

// TestTranslateAndSimilar: a server with the built-in translator and a few
// vectors (and no tagger): translations equal the translator's, with
// attention when asked; neighbours equal the vectors'; the missing models'
// routes answer 404.
func TestTranslateAndSimilar(t *testing.T) {
	tm, err := models.Translator()
	if err != nil {
		t.Fatal(err)
	}
	vecs, err := embed.NewVectors([]string{"dog", "cat", "car", "bus"}, 2, []float32{1, 0, 0.9, 0.2, 0, 1, 0.2, 0.9})
	if err != nil {
		t.Fatal(err)
	}
	_, ts := newTestServer(t, Config{}, Models{Translator: tm, Vectors: vecs})
	direct, err := models.Translator()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := translate.NewTranslator(direct, translate.DecodeOptions{Beam: 5})
	if err != nil {
		t.Fatal(err)
	}
	in := []string{"Ein Hund läuft über die Wiese.", "Zwei Männer spielen Fußball."}
	want := tr.Translate(in)
	var got struct {
		Translations []struct {
			Text      string      `json:"text"`
			Source    []string    `json:"source"`
			Target    []string    `json:"target"`
			Attention [][]float64 `json:"attention"`
		} `json:"translations"`
	}
	r := postJSON(t, ts.URL+"/v1/translate", map[string]any{"texts": in})
	if err := json.Unmarshal(r.body, &got); err != nil || r.status != 200 || len(got.Translations) != 2 {
		t.Fatalf("translate: %d %v %s", r.status, err, r.body)
	}
	for i, g := range got.Translations {
		if g.Text != want[i] || g.Attention != nil {
			t.Errorf("translation %d: %q (attention %v), want %q", i, g.Text, g.Attention != nil, want[i])
		}
	}
	r = postJSON(t, ts.URL+"/v1/translate", map[string]any{"text": in[0], "beam": 1, "attention": true})
	got.Translations = nil
	if err := json.Unmarshal(r.body, &got); err != nil || r.status != 200 || len(got.Translations) != 1 {
		t.Fatalf("translate with attention: %d %v %s", r.status, err, r.body)
	}
	g := got.Translations[0]
	if g.Text == "" || len(g.Attention) != len(g.Target) || len(g.Attention[0]) != len(g.Source) {
		t.Errorf("attention %d×%d for %d target and %d source units", len(g.Attention), len(g.Attention[0]), len(g.Target), len(g.Source))
	}
	for i, row := range g.Attention {
		sum := 0.0
		for _, w := range row {
			sum += w
		}
		if math.Abs(sum-1) > 1e-6 {
			t.Errorf("attention row %d sums to %v", i, sum)
		}
	}
	checkError(t, "beam 11", postJSON(t, ts.URL+"/v1/translate", `{"text": "Hallo", "beam": 11}`), 400, `"beam"`)
	checkError(t, "too many texts", postJSON(t, ts.URL+"/v1/translate", map[string]any{"texts": make([]string, DefaultMaxTranslate+1)}), 413, "--max-translate")
	checkError(t, "tag without a tagger", postJSON(t, ts.URL+"/v1/tag", `{"text": "a"}`), 404, "no tagger model")

	r = do(t, nil, "GET", ts.URL+"/v1/similar?word=dog&n=2", "", nil)
	var sim struct {
		Word       string `json:"word"`
		Neighbours []struct {
			Word       string  `json:"word"`
			Similarity float64 `json:"similarity"`
		} `json:"neighbours"`
	}
	if err := json.Unmarshal(r.body, &sim); err != nil || r.status != 200 || len(sim.Neighbours) != 2 {
		t.Fatalf("similar: %d %v %s", r.status, err, r.body)
	}
	for i, w := range []string{"cat", "bus"} {
		s, _ := vecs.Similarity("dog", w)
		if sim.Neighbours[i].Word != w || sim.Neighbours[i].Similarity != s {
			t.Errorf("neighbour %d: %+v, want %s %v", i, sim.Neighbours[i], w, s)
		}
	}
	checkError(t, "unknown word", do(t, nil, "GET", ts.URL+"/v1/similar?word=zebra", "", nil), 400, "zebra")
	checkError(t, "n 0", do(t, nil, "GET", ts.URL+"/v1/similar?word=dog&n=0", "", nil), 400, `"n"`)
	checkError(t, "no word", do(t, nil, "GET", ts.URL+"/v1/similar", "", nil), 400, `"word"`)
}
