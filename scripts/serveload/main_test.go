package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestAttackClosedLoop: at N clients the server sees at most N requests at
// once and, since each takes a while, exactly N most of the time; n requests
// are sent, no more; the bodies go out in turn; tokens are counted in the answers.
func TestAttackClosedLoop(t *testing.T) {
	for _, conc := range []int{1, 4, 16} {
		var inflight, peak, total atomic.Int64
		var mu sync.Mutex
		seen := map[string]int{}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := inflight.Add(1)
			defer inflight.Add(-1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			total.Add(1)
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			seen[string(b)]++
			mu.Unlock()
			time.Sleep(5 * time.Millisecond)
			io.WriteString(w, `{"sentences":[{"tokens":[{"form":"a"},{"form":"b"},{"form":"c"}]}]}`)
		}))
		rt, err := newRoute("tag-text", srv.URL, []sentence{{"a b", []string{"a", "b"}}, {"c d e", []string{"c", "d", "e"}}})
		if err != nil {
			t.Fatal(err)
		}
		const n = 96
		r := attack(rt, conc, n, time.Minute, 10*time.Second)
		srv.Close()
		if r.requests != n || total.Load() != n || r.errors != 0 {
			t.Errorf("%d clients: %d results, %d requests served, %d errors; want %d, %d, 0", conc, r.requests, total.Load(), r.errors, n, n)
		}
		if int(peak.Load()) != conc {
			t.Errorf("%d clients: at most %d requests in flight, want exactly %d", conc, peak.Load(), conc)
		}
		if r.tokens != 3*n {
			t.Errorf("%d clients: %d tokens, want %d (3 an answer)", conc, r.tokens, 3*n)
		}
		if seen[`{"text":"a b"}`] != n/2 || seen[`{"text":"c d e"}`] != n/2 {
			t.Errorf("%d clients: bodies sent %v, want each %d times", conc, seen, n/2)
		}
		if !(r.p50 >= 5*time.Millisecond && r.p50 <= r.p95 && r.p95 <= r.p99) {
			t.Errorf("%d clients: p50 %v p95 %v p99 %v", conc, r.p50, r.p95, r.p99)
		}
	}
}

// TestAttackErrors: error answers are counted as errors, with their body, and
// their tokens are not counted; classify counts the sentences' mean words.
func TestAttackErrors(t *testing.T) {
	var k atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if k.Add(1)%4 == 0 {
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"error":{"status":429,"message":"busy"}}`)
			return
		}
		io.WriteString(w, `{"results":[{"label":"positive"}]}`)
	}))
	defer srv.Close()
	rt, err := newRoute("classify", srv.URL, []sentence{{"a b", []string{"a", "b"}}, {"c d e f", []string{"c", "d", "e", "f"}}})
	if err != nil {
		t.Fatal(err)
	}
	r := attack(rt, 2, 40, time.Minute, 10*time.Second)
	if r.errors != 10 || r.codes["429"] != 10 || r.codes["200"] != 30 {
		t.Errorf("%d errors, codes %v; want 10 of 429 and 30 of 200", r.errors, r.codes)
	}
	if r.tokens != 30*3 {
		t.Errorf("%d tokens, want 90 (30 answers, 3 words a sentence on average)", r.tokens)
	}
	if len(r.firstErrors) == 0 || !strings.Contains(r.firstErrors[0], "busy") {
		t.Errorf("first errors %q: want the body's message", r.firstErrors)
	}
}

func TestReadMemory(t *testing.T) {
	m, err := readMemory(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	// This test process holds at least its Go runtime and at most a few GB.
	if m.rss < 1<<20 || m.hwm < m.rss || m.hwm > 8<<30 {
		t.Errorf("RSS %d, peak %d bytes", m.rss, m.hwm)
	}
	if _, err := readMemory(1 << 30); err == nil {
		t.Error("no error for a process that does not exist")
	}
}

// ewtSlice is the first sentences of EWT dev, the copy package datasets tests with.
const ewtSlice = "../../datasets/testdata/en_ewt-ud-dev-slice.conllu"

// TestReadSentences: the sentences of 18..22 words, counted here from the word
// lines (an integer ID) of the file, with their texts.
func TestReadSentences(t *testing.T) {
	b, err := os.ReadFile(ewtSlice)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	words, text := 0, ""
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "# text = "):
			text = strings.TrimPrefix(line, "# text = ")
		case line == "":
			if words >= 18 && words <= 22 {
				want = append(want, text)
			}
			words = 0
		case !strings.HasPrefix(line, "#"):
			id, _, _ := strings.Cut(line, "\t")
			if _, err := strconv.Atoi(id); err == nil {
				words++
			}
		}
	}
	got, err := readSentences(ewtSlice, 18, 22)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(want) == 0 {
		t.Fatalf("%d sentences, want %d (and some)", len(got), len(want))
	}
	for i := range got {
		if got[i].text != want[i] || len(got[i].words) < 18 || len(got[i].words) > 22 {
			t.Errorf("sentence %d: %q (%d words), want %q", i, got[i].text, len(got[i].words), want[i])
		}
	}
	if _, err := readSentences(ewtSlice, 500, 600); err == nil {
		t.Error("no error when no sentence has 500..600 words")
	}
}

func TestFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-c", "0"}, {"-c", "4,x"}, {"-c", "2000"}, {"-n", "0"}, {"-d", "0s"}, {"-d", "3h"},
		{"-min", "5", "-max", "3"}, {"-routes", "nope", "-ewt", ewtSlice}, {"-ewt", "testdata/missing.conllu"},
	} {
		var out bytes.Buffer
		if err := run(args, &out); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}

// TestSummary: medians over runs (the middle one, or the mean of the middle
// two), errors summed, the largest peak, and the ratio of the two labels.
func TestSummary(t *testing.T) {
	path := t.TempDir() + "/rows.jsonl"
	on := []row{
		{Route: "tag-text", Label: "batching=on", Clients: 4, Requests: 10, ReqPerSec: 100, P50: 2, PeakMB: 200},
		{Route: "tag-text", Label: "batching=on", Clients: 4, Requests: 10, ReqPerSec: 300, P50: 4, Errors: 1, PeakMB: 250},
		{Route: "tag-text", Label: "batching=on", Clients: 4, Requests: 10, ReqPerSec: 200, P50: 3, PeakMB: 210},
	}
	off := []row{
		{Route: "tag-text", Label: "batching=off", Clients: 4, Requests: 10, ReqPerSec: 100, P50: 1, PeakMB: 190},
		{Route: "tag-text", Label: "batching=off", Clients: 4, Requests: 10, ReqPerSec: 50, P50: 2, Errors: 2, PeakMB: 180},
	}
	// Interleaved, as bench-serve.sh writes them (a round on, a round off).
	for _, rows := range [][]row{on[:1], off[:1], on[1:2], off[1:], on[2:]} {
		if err := appendRows(path, rows); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := summary(&out, path); err != nil {
		t.Fatal(err)
	}
	// The table's rows as cells, whatever the alignment.
	var rows []string
	for _, line := range strings.Split(out.String(), "\n") {
		var cells []string
		for _, c := range strings.Split(line, "|") {
			cells = append(cells, strings.TrimSpace(c))
		}
		rows = append(rows, strings.Join(cells, ","))
	}
	got := strings.Join(rows, "\n")
	for _, want := range []string{
		// route, label, clients, requests, req/s, tokens/s, p50, p95, p99, errors, peak, runs
		"tag-text,batching=on,4,30,200.0,0,3.0,0.0,0.0,1,250,3,",
		"tag-text,batching=off,4,20,75.0,0,1.5,0.0,0.0,2,190,2,",
		"batching=on against batching=off (ratios of the medians)",
		"tag-text,4,2.67,2.00,", // 200/75, 3/1.5
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	if err := summary(&out, t.TempDir()+"/none.jsonl"); err == nil {
		t.Error("no error for a missing file")
	}
}
