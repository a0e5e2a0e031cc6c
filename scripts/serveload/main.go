// Command serveload is the load generator of `make bench-serve`
// (scripts/bench-serve.sh): it sends requests of real sentences to a running
// `nlp serve` at a fixed number of concurrent clients and reports requests/s,
// tokens/s, latency percentiles, errors and the server's resident memory.
//
// It is a main package of its own, not a command of nlp, so that vegeta and its
// dependencies are linked into this tool only and never into the nlp binary,
// whose users have no use for a load generator.
//
// Closed loop: vegeta runs with Workers = MaxWorkers = N and an unpaced rate
// (a pacer that never waits), so exactly N requests are in flight at any time:
// each worker sends its next request when the previous answer is read. This
// measures the throughput and latency N clients see, not a server pushed past
// saturation by an open-loop rate.
//
// Sentences: those of the EWT treebank file given (-ewt) with -min..-max words
// (18..22 by default, about 20), read at start. Routes:
//
//	tag-text    POST /v1/tag {"text": the sentence's text}
//	tag-tokens  POST /v1/tag {"sentences": [its words]}
//	classify    POST /v1/classify {"text": the sentence's text}
//
// Tokens: for /v1/tag the tokens of each successful answer (counted in the
// answer), for /v1/classify the mean words of the sentences a request.
//
// Modes:
//
//	levels  each route at each concurrency of -c, -n requests or -d, whichever ends first
//	soak    the first route of -routes at the first concurrency of -c for -d, the
//	        server's RSS sampled every -every; flat when the last sample is within
//	        -flat of the one a third of the way in (after the warm-up growth)
//	total   -n requests of the first route at the first concurrency, then the RSS
//
// Memory: with -pid, the server's VmRSS and VmHWM (peak) from /proc/PID/status.
// Before each level the peak is reset (writing 5 to /proc/PID/clear_refs, Linux
// 4.0 or later, allowed for our own processes), so the peak of a row is that of
// its level; where the reset is refused the peak is since the server started.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/nlp-go/nlp/datasets/conllu"
)

// Bounds of the flags: a run is bounded in requests and time whatever it is given.
const (
	maxRequests    = 10_000_000
	maxConcurrency = 1024
	maxDuration    = 2 * time.Hour
)

type options struct {
	url, ewt, routes, mode, label string
	conc                          []int
	requests                      int
	duration, every, timeout      time.Duration
	minWords, maxWords, pid       int
	warmup                        int
	flat                          float64
}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "serveload:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	var o options
	fs := flag.NewFlagSet("serveload", flag.ContinueOnError)
	fs.StringVar(&o.url, "url", "http://127.0.0.1:8080", "the server's base URL")
	fs.StringVar(&o.ewt, "ewt", "../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu", "EWT CoNLL-U file to take sentences from")
	fs.StringVar(&o.routes, "routes", "tag-text,tag-tokens,classify", "routes, comma-separated: tag-text, tag-tokens, classify")
	fs.StringVar(&o.mode, "mode", "levels", "levels, soak or total")
	fs.StringVar(&o.label, "label", "", "a label printed in each row (e.g. batching=on)")
	conc := fs.String("c", "1,4,16,64", "concurrent clients, comma-separated")
	fs.IntVar(&o.requests, "n", 2000, fmt.Sprintf("requests a level (at most %d)", maxRequests))
	fs.DurationVar(&o.duration, "d", 30*time.Second, fmt.Sprintf("time a level at most (soak: its length; at most %v)", maxDuration))
	fs.DurationVar(&o.every, "every", 10*time.Second, "soak: the RSS sampling interval")
	fs.DurationVar(&o.timeout, "timeout", 60*time.Second, "timeout of a request")
	fs.IntVar(&o.minWords, "min", 18, "fewest words of a sentence")
	fs.IntVar(&o.maxWords, "max", 22, "most words of a sentence")
	fs.IntVar(&o.pid, "pid", 0, "the server's process id, for its RSS (0: not reported)")
	fs.IntVar(&o.warmup, "warmup", 200, "requests of each route before measuring (not counted)")
	fs.Float64Var(&o.flat, "flat", 0.05, "soak: the growth of RSS still called flat")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var err error
	if o.conc, err = parseInts(*conc); err != nil {
		return fmt.Errorf("-c: %w", err)
	}
	switch {
	case o.requests < 1 || o.requests > maxRequests:
		return fmt.Errorf("-n %d: want 1..%d", o.requests, maxRequests)
	case o.duration <= 0 || o.duration > maxDuration:
		return fmt.Errorf("-d %v: want more than 0, at most %v", o.duration, maxDuration)
	case o.every <= 0:
		return fmt.Errorf("-every %v: want more than 0", o.every)
	case o.minWords < 1 || o.maxWords < o.minWords:
		return fmt.Errorf("-min %d -max %d: want 1 ≤ min ≤ max", o.minWords, o.maxWords)
	case o.warmup < 0 || o.warmup > maxRequests:
		return fmt.Errorf("-warmup %d: want 0..%d", o.warmup, maxRequests)
	}
	sents, err := readSentences(o.ewt, o.minWords, o.maxWords)
	if err != nil {
		return err
	}
	var routes []*route
	for _, name := range strings.Split(o.routes, ",") {
		r, err := newRoute(strings.TrimSpace(name), o.url, sents)
		if err != nil {
			return err
		}
		routes = append(routes, r)
	}
	words := 0
	for _, s := range sents {
		words += len(s.words)
	}
	fmt.Fprintf(out, "# %d EWT sentences of %d..%d words (mean %.1f) from %s; %s; %s\n",
		len(sents), o.minWords, o.maxWords, float64(words)/float64(len(sents)), o.ewt, o.url, o.label)

	for _, r := range routes {
		if o.warmup > 0 {
			attack(r, 4, o.warmup, o.duration, o.timeout)
		}
	}
	switch o.mode {
	case "levels":
		return levels(out, o, routes)
	case "soak":
		return soak(out, o, routes[0])
	case "total":
		return total(out, o, routes[0])
	}
	return fmt.Errorf("-mode %q: want levels, soak or total", o.mode)
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > maxConcurrency {
			return nil, fmt.Errorf("%q: want integers 1..%d separated by commas", f, maxConcurrency)
		}
		out = append(out, n)
	}
	return out, nil
}

// sentence is one treebank sentence: its text and its syntactic words.
type sentence struct {
	text  string
	words []string
}

func readSentences(path string, lo, hi int) ([]sentence, error) {
	all, err := conllu.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []sentence
	for _, s := range all {
		words := s.Forms()
		if len(words) >= lo && len(words) <= hi {
			out = append(out, sentence{text: s.Text(), words: words})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no sentence of %d..%d words", path, lo, hi)
	}
	return out, nil
}

// route is the requests of one kind, one a sentence, sent in turn.
type route struct {
	name   string
	url    string
	bodies [][]byte
	// meanWords is the mean of the sentences' treebank words: the tokens of a
	// request whose answer does not list them (classify). The bodies are sent
	// in turn, so over many requests the sum is that of the sentences sent.
	meanWords float64
	// countTokens counts the tokens of an answer; nil: meanWords.
	countTokens func(body []byte) int
	next        atomic.Uint64
}

var formKey = []byte(`"form":`)

func newRoute(name, base string, sents []sentence) (*route, error) {
	r := &route{name: name}
	for _, s := range sents {
		var v any
		switch name {
		case "tag-text":
			r.url, v = base+"/v1/tag", map[string]string{"text": s.text}
		case "tag-tokens":
			r.url, v = base+"/v1/tag", map[string][][]string{"sentences": {s.words}}
		case "classify":
			r.url, v = base+"/v1/classify", map[string]string{"text": s.text}
		default:
			return nil, fmt.Errorf("unknown route %q (want tag-text, tag-tokens or classify)", name)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		r.bodies = append(r.bodies, b)
		r.meanWords += float64(len(s.words)) / float64(len(sents))
	}
	if strings.HasPrefix(name, "tag") {
		r.countTokens = func(body []byte) int { return bytes.Count(body, formKey) }
	}
	return r, nil
}

var jsonHeader = map[string][]string{"Content-Type": {"application/json"}}

// targeter hands out the route's bodies in turn, from any worker.
func (r *route) targeter() vegeta.Targeter {
	return func(t *vegeta.Target) error {
		i := (r.next.Add(1) - 1) % uint64(len(r.bodies))
		t.Method, t.URL, t.Body, t.Header = "POST", r.url, r.bodies[i], jsonHeader
		return nil
	}
}

// countPacer sends as fast as the workers take requests (closed loop) and
// stops after n.
type countPacer struct{ n uint64 }

func (p countPacer) Pace(_ time.Duration, hits uint64) (time.Duration, bool) { return 0, hits >= p.n }
func (p countPacer) Rate(time.Duration) float64                              { return math.Inf(1) }

// result is what one level measured.
type result struct {
	requests, errors int
	codes            map[string]int
	firstErrors      []string
	elapsed          time.Duration
	tokens           int
	p50, p95, p99    time.Duration
}

func (r result) reqPerSec() float64 {
	return float64(r.requests-r.errors) / r.elapsed.Seconds()
}

func (r result) tokPerSec() float64 { return float64(r.tokens) / r.elapsed.Seconds() }

// attack sends n requests of rt (or for d, whichever ends first) from exactly
// conc concurrent clients. Latency percentiles are exact (every latency kept
// and sorted; 8 bytes a request) rather than vegeta's estimate.
func attack(rt *route, conc, n int, d, timeout time.Duration) result {
	atk := vegeta.NewAttacker(
		vegeta.Workers(uint64(conc)), vegeta.MaxWorkers(uint64(conc)),
		vegeta.Connections(conc), vegeta.KeepAlive(true), vegeta.Timeout(timeout),
		vegeta.HTTP2(false), vegeta.Redirects(vegeta.NoFollow),
	)
	var m vegeta.Metrics
	lat := make([]time.Duration, 0, min(n, 1<<20))
	res := result{codes: map[string]int{}}
	start := time.Now()
	for r := range atk.Attack(rt.targeter(), countPacer{uint64(n)}, d, rt.name) {
		m.Add(r)
		lat = append(lat, r.Latency)
		res.requests++
		if r.Error != "" {
			res.errors++
			if len(res.firstErrors) < 3 {
				res.firstErrors = append(res.firstErrors, fmt.Sprintf("%s: %.200s", r.Error, r.Body))
			}
			continue
		}
		if rt.countTokens != nil {
			res.tokens += rt.countTokens(r.Body)
		}
	}
	res.elapsed = time.Since(start)
	if rt.countTokens == nil {
		res.tokens = int(math.Round(rt.meanWords * float64(res.requests-res.errors)))
	}
	m.Close()
	res.codes = m.StatusCodes
	slices.Sort(lat)
	q := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(math.Ceil(p*float64(len(lat))))-1)]
	}
	res.p50, res.p95, res.p99 = q(0.50), q(0.95), q(0.99)
	return res
}

// memory is a process's resident set now and at its peak, in bytes.
type memory struct{ rss, hwm int64 }

func readMemory(pid int) (memory, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memory{}, err
	}
	var m memory
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		f := strings.Fields(v) // "123456 kB"
		if len(f) != 2 || f[1] != "kB" {
			return memory{}, fmt.Errorf("/proc/%d/status: %s: unexpected %q", pid, k, v)
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return memory{}, fmt.Errorf("/proc/%d/status: %s: %w", pid, k, err)
		}
		if k == "VmRSS" {
			m.rss = n << 10
		} else {
			m.hwm = n << 10
		}
	}
	return m, nil
}

// resetPeak resets the process's VmHWM to its current RSS (Linux 4.0+).
func resetPeak(pid int) error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

func mb(b int64) string { return fmt.Sprintf("%.0f", float64(b)/(1<<20)) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

func levels(out io.Writer, o options, routes []*route) error {
	tw := tabwriter.NewWriter(out, 0, 0, 1, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "route\tlabel\tclients\trequests\treq/s\ttokens/s\tp50 ms\tp95 ms\tp99 ms\terrors\tpeak RSS MB\t")
	peakNote := ""
	var errs []string
	for _, rt := range routes {
		for _, c := range o.conc {
			if o.pid > 0 && resetPeak(o.pid) != nil {
				peakNote = "(peak RSS since the server started: /proc/PID/clear_refs refused)"
			}
			r := attack(rt, c, o.requests, o.duration, o.timeout)
			peak := "-"
			if o.pid > 0 {
				mem, err := readMemory(o.pid)
				if err != nil {
					return err
				}
				peak = mb(mem.hwm)
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.1f\t%.0f\t%s\t%s\t%s\t%d\t%s\t\n", rt.name, o.label, c, r.requests,
				r.reqPerSec(), r.tokPerSec(), ms(r.p50), ms(r.p95), ms(r.p99), r.errors, peak)
			if r.errors > 0 {
				errs = append(errs, fmt.Sprintf("%s ×%d: codes %v, e.g. %s", rt.name, c, r.codes, strings.Join(r.firstErrors, " | ")))
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if peakNote != "" {
		fmt.Fprintln(out, peakNote)
	}
	for _, e := range errs {
		fmt.Fprintln(out, "errors:", e)
	}
	return nil
}

func soak(out io.Writer, o options, rt *route) error {
	if o.pid <= 0 {
		return errors.New("soak: -pid is required (the RSS is the point)")
	}
	c := o.conc[0]
	fmt.Fprintf(out, "soak: %s at %d clients for %v, RSS every %v\n", rt.name, c, o.duration, o.every)
	type sample struct {
		at  time.Duration
		rss int64
	}
	mem, err := readMemory(o.pid)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  %6.0fs  RSS %s MB\n", 0.0, mb(mem.rss))
	samples := []sample{{0, mem.rss}}
	done := make(chan result)
	start := time.Now()
	go func() { done <- attack(rt, c, maxRequests, o.duration, o.timeout) }()
	tick := time.NewTicker(o.every)
	defer tick.Stop()
	var r result
	for loop := true; loop; {
		select {
		case r = <-done:
			loop = false
		case <-tick.C:
			mem, err := readMemory(o.pid)
			if err != nil {
				<-done
				return err
			}
			samples = append(samples, sample{time.Since(start), mem.rss})
			fmt.Fprintf(out, "  %6.0fs  RSS %s MB\n", time.Since(start).Seconds(), mb(mem.rss))
		}
	}
	fmt.Fprintf(out, "soak: %d requests, %.1f req/s, %.0f tokens/s, p50 %s ms, p99 %s ms, %d errors\n",
		r.requests, r.reqPerSec(), r.tokPerSec(), ms(r.p50), ms(r.p99), r.errors)
	if len(samples) < 3 {
		fmt.Fprintln(out, "soak: too few samples to judge (make -d several times -every)")
		return nil
	}
	ref, last := samples[len(samples)/3], samples[len(samples)-1]
	growth := float64(last.rss-ref.rss) / float64(ref.rss)
	verdict := "flat"
	if growth > o.flat {
		verdict = "GROWING"
	}
	fmt.Fprintf(out, "soak: RSS %s MB at %.0fs, %s MB at the end (%+.1f%%): %s (threshold %+.0f%%)\n",
		mb(ref.rss), ref.at.Seconds(), mb(last.rss), 100*growth, verdict, 100*o.flat)
	return nil
}

func total(out io.Writer, o options, rt *route) error {
	c := o.conc[0]
	r := attack(rt, c, o.requests, o.duration, o.timeout)
	fmt.Fprintf(out, "total: %s at %d clients: %d requests in %.1fs, %.1f req/s, %.0f tokens/s, p50 %s ms, p99 %s ms, %d errors\n",
		rt.name, c, r.requests, r.elapsed.Seconds(), r.reqPerSec(), r.tokPerSec(), ms(r.p50), ms(r.p99), r.errors)
	if r.errors > 0 {
		fmt.Fprintf(out, "total: codes %v, e.g. %s\n", r.codes, strings.Join(r.firstErrors, " | "))
	}
	if o.pid > 0 {
		mem, err := readMemory(o.pid)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "total: server RSS after %s MB, peak %s MB\n", mb(mem.rss), mb(mem.hwm))
	}
	return nil
}
