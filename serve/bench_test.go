package serve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nlp-go/nlp/datasets/tokenize"
)

// benchClients is the concurrency of the benchmarks: the 16 clients.
const benchClients = 16

// benchSentences returns 64 different sentences of 20 tokens each.
func benchSentences(b *testing.B) []string {
	tok := tokenize.New()
	var out []string
	for i := range 64 {
		s := fmt.Sprintf("Day %d: the %s man walked to the station, but the last train had left the town.", i+1, []string{"old", "young", "tired", "happy"}[i%4])
		if n := len(tok.Tokenize(s)); n != 20 {
			b.Fatalf("%q has %d tokens, want 20", s, n)
		}
		out = append(out, s)
	}
	return out
}

// runClients runs benchClients clients, each posting bodies in turn on a
// keep-alive connection, b.N requests in all, and reports requests/s, the
// given unit per second (perRequest of them a request) and the 99th
// percentile of the latency.
func runClients(b *testing.B, url string, bodies [][]byte, perRequest float64, unit string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients, MaxConnsPerHost: benchClients}}
	var next atomic.Int64
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range benchClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					break
				}
				t0 := time.Now()
				resp, err := client.Post(url, "application/json", bytes.NewReader(bodies[i%int64(len(bodies))]))
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	sec := time.Since(start).Seconds()
	b.StopTimer()
	client.CloseIdleConnections()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
	b.ReportMetric(float64(b.N)*perRequest/sec, unit+"/s")
}

// BenchmarkServeTag: /v1/tag over HTTP, 16 concurrent clients each sending
// one sentence of 20 tokens (raw text) a request, with batching and without.
//
//	go test -run '^$' -bench ServeTag -benchtime 2000x ./serve
func BenchmarkServeTag(b *testing.B) {
	sents := benchSentences(b)
	bodies := make([][]byte, len(sents))
	for i, s := range sents {
		bodies[i], _ = json.Marshal(map[string]string{"text": s})
	}
	for _, c := range []struct {
		name string
		cfg  Config
	}{{"batching", Config{}}, {"no-batching", Config{NoBatching: true}}, {"batching-workers2", Config{Workers: 2}},
		{"batching-wait5ms", Config{BatchWait: 5 * time.Millisecond}}} {
		b.Run(c.name, func(b *testing.B) {
			_, ts := newTestServer(b, c.cfg, testModels(b))
			runClients(b, ts.URL+"/v1/tag", bodies, 20, "tokens")
			reportBatch(b, ts.URL, "tagger")
		})
	}
}

// BenchmarkServeClassify: /v1/classify over HTTP, 16 concurrent clients each
// sending one sentence a request, with batching and without.
func BenchmarkServeClassify(b *testing.B) {
	sents := benchSentences(b)
	bodies := make([][]byte, len(sents))
	for i, s := range sents {
		bodies[i], _ = json.Marshal(map[string]string{"text": s})
	}
	for _, c := range []struct {
		name string
		cfg  Config
	}{{"batching", Config{}}, {"no-batching", Config{NoBatching: true}}} {
		b.Run(c.name, func(b *testing.B) {
			_, ts := newTestServer(b, c.cfg, testModels(b))
			runClients(b, ts.URL+"/v1/classify", bodies, 1, "sentences")
			reportBatch(b, ts.URL, "classifier")
		})
	}
}

// reportBatch reports the mean size of the model's batches.
func reportBatch(b *testing.B, url, model string) {
	n, _ := metricValue(b, url, `nlp_batch_items_count{model="`+model+`"}`)
	sum, _ := metricValue(b, url, `nlp_batch_items_sum{model="`+model+`"}`)
	if n > 0 {
		b.ReportMetric(sum/n, "items/batch")
	}
}

// BenchmarkTaggerDirect: the tagger alone, without the server, on the same
// sentences tokenized, n at a time: what batching can gain at most, and the
// ceiling of /v1/tag.
func BenchmarkTaggerDirect(b *testing.B) {
	m := testModels(b).Tagger
	tok := tokenize.New()
	var forms [][]string
	for _, s := range benchSentences(b) {
		forms = append(forms, tok.Tokenize(s))
	}
	for _, n := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("batch%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				m.Tag(forms[:n])
			}
			b.ReportMetric(float64(b.N*n*20)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}
