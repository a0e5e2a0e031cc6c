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
//	summary the rows of several levels runs (-json FILE, written by levels with
//	        -json): for each route, label and concurrency the median of each
//	        figure over the runs, and the ratio of req/s between the two labels
//	        when there are two (batching on against off)
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
	url, ewt, routes, mode, label, jsonOut string
	conc                                   []int
	requests                               int
	duration, every, timeout               time.Duration
	minWords, maxWords, pid                int
	warmup                                 int
	flat                                   float64
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
	fs.StringVar(&o.mode, "mode", "levels", "levels, soak, total or summary")
	fs.StringVar(&o.label, "label", "", "a label printed in each row (e.g. batching=on)")
	fs.StringVar(&o.jsonOut, "json", "", "levels: append each row to this file as a JSON line; summary: the file to read")
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
	if o.mode == "summary" {
		return summary(out, o.jsonOut)
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
	return fmt.Errorf("-mode %q: want levels, soak, total or summary", o.mode)
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

// row is one level's figures, as printed and as written to -json.
type row struct {
	Route     string  `json:"route"`
	Label     string  `json:"label"`
	Clients   int     `json:"clients"`
	Requests  int     `json:"requests"`
	Errors    int     `json:"errors"`
	ReqPerSec float64 `json:"req_per_s"`
	TokPerSec float64 `json:"tokens_per_s"`
	P50       float64 `json:"p50_ms"`
	P95       float64 `json:"p95_ms"`
	P99       float64 `json:"p99_ms"`
	PeakMB    float64 `json:"peak_rss_mb"` // -1: not measured
}

func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func levels(out io.Writer, o options, routes []*route) error {
	var rows []row
	peakNote := ""
	var errs []string
	for _, rt := range routes {
		for _, c := range o.conc {
			if o.pid > 0 && resetPeak(o.pid) != nil {
				peakNote = "(peak RSS since the server started: /proc/PID/clear_refs refused)"
			}
			r := attack(rt, c, o.requests, o.duration, o.timeout)
			peak := -1.0
			if o.pid > 0 {
				mem, err := readMemory(o.pid)
				if err != nil {
					return err
				}
				peak = float64(mem.hwm) / (1 << 20)
			}
			rows = append(rows, row{Route: rt.name, Label: o.label, Clients: c, Requests: r.requests, Errors: r.errors,
				ReqPerSec: r.reqPerSec(), TokPerSec: r.tokPerSec(), P50: msf(r.p50), P95: msf(r.p95), P99: msf(r.p99), PeakMB: peak})
			if r.errors > 0 {
				errs = append(errs, fmt.Sprintf("%s ×%d: codes %v, e.g. %s", rt.name, c, r.codes, strings.Join(r.firstErrors, " | ")))
			}
		}
	}
	if err := printRows(out, rows, nil); err != nil {
		return err
	}
	if peakNote != "" {
		fmt.Fprintln(out, peakNote)
	}
	for _, e := range errs {
		fmt.Fprintln(out, "errors:", e)
	}
	if o.jsonOut != "" {
		return appendRows(o.jsonOut, rows)
	}
	return nil
}

// printRows prints rows as a table; runs, when not nil, adds the number of
// runs behind each row (a summary's medians).
func printRows(out io.Writer, rows []row, runs []int) error {
	tw := tabwriter.NewWriter(out, 0, 0, 1, ' ', tabwriter.AlignRight|tabwriter.Debug)
	head := "route\tlabel\tclients\trequests\treq/s\ttokens/s\tp50 ms\tp95 ms\tp99 ms\terrors\tpeak RSS MB\t"
	if runs != nil {
		head += "runs\t"
	}
	fmt.Fprintln(tw, head)
	for i, r := range rows {
		peak := "-"
		if r.PeakMB >= 0 {
			peak = fmt.Sprintf("%.0f", r.PeakMB)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.1f\t%.0f\t%.1f\t%.1f\t%.1f\t%d\t%s\t", r.Route, r.Label, r.Clients, r.Requests,
			r.ReqPerSec, r.TokPerSec, r.P50, r.P95, r.P99, r.Errors, peak)
		if runs != nil {
			fmt.Fprintf(tw, "%d\t", runs[i])
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// appendRows appends rows to path as JSON lines: several runs (rounds, the
// two batching settings) gather in one file for the summary.
func appendRows(path string, rows []row) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, r := range rows {
		if err := enc.Encode(r); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// median returns the median of xs (the mean of the middle two for an even count).
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// summary prints, for each route, label and number of clients in the rows of
// path, the median of each figure over the runs (errors and requests summed,
// the peak RSS the largest), then, when the rows have exactly two labels, the
// ratio of the medians of req/s and p50 of the first label to the second.
func summary(out io.Writer, path string) error {
	if path == "" {
		return errors.New("summary: -json FILE is required")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	type key struct {
		route, label string
		clients      int
	}
	var order []key
	groups := map[key][]row{}
	var labels []string
	dec := json.NewDecoder(bytes.NewReader(b))
	for line := 1; ; line++ {
		var r row
		if err := dec.Decode(&r); err == io.EOF {
			break
		} else if err != nil {
			return fmt.Errorf("%s: row %d: %w", path, line, err)
		}
		k := key{r.Route, r.Label, r.Clients}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
		if !slices.Contains(labels, r.Label) {
			labels = append(labels, r.Label)
		}
	}
	if len(order) == 0 {
		return fmt.Errorf("%s: no rows", path)
	}
	var rows []row
	var runs []int
	med := map[key]row{}
	for _, k := range order {
		g := groups[k]
		col := func(f func(row) float64) float64 {
			xs := make([]float64, len(g))
			for i, r := range g {
				xs[i] = f(r)
			}
			return median(xs)
		}
		m := row{Route: k.route, Label: k.label, Clients: k.clients, PeakMB: -1,
			ReqPerSec: col(func(r row) float64 { return r.ReqPerSec }), TokPerSec: col(func(r row) float64 { return r.TokPerSec }),
			P50: col(func(r row) float64 { return r.P50 }), P95: col(func(r row) float64 { return r.P95 }),
			P99: col(func(r row) float64 { return r.P99 })}
		for _, r := range g {
			m.Requests += r.Requests
			m.Errors += r.Errors
			m.PeakMB = max(m.PeakMB, r.PeakMB)
		}
		rows = append(rows, m)
		runs = append(runs, len(g))
		med[k] = m
	}
	fmt.Fprintf(out, "medians over runs (%s)\n", path)
	if err := printRows(out, rows, runs); err != nil {
		return err
	}
	if len(labels) != 2 {
		return nil
	}
	fmt.Fprintf(out, "\n%s against %s (ratios of the medians)\n", labels[0], labels[1])
	tw := tabwriter.NewWriter(out, 0, 0, 1, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "route\tclients\treq/s ratio\tp50 ratio\t")
	for _, k := range order {
		if k.label != labels[0] {
			continue
		}
		a := med[k]
		b, ok := med[key{k.route, labels[1], k.clients}]
		if !ok || b.ReqPerSec == 0 || b.P50 == 0 {
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t\n", k.route, k.clients, a.ReqPerSec/b.ReqPerSec, a.P50/b.P50)
	}
	return tw.Flush()
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
