// Package speed measures the throughput of one recurrent layer, for `nlp bench
// lstm` and the comparisons in BENCHMARKS.md against PyTorch's reference script.
// It is benchmark tooling, not part of the library: it lives here so that nn's
// API holds only what a model needs.
package speed

import (
	"math/rand/v2"
	"time"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/nn"
)

// Config describes a throughput measurement of one recurrent layer, the
// shapes of PyTorch's reference script (shared/bench/torch_lstm_bench.py).
type Config struct {
	Cell          string        // default "lstm"
	Input         int           // default 100
	Hidden        int           // default 128
	Batch         int           // default 32
	Steps         int           // default 25
	Bidirectional bool          // both directions, run in parallel when Parallel is set
	Parallel      bool          // run the two directions on two goroutines
	Duration      time.Duration // time spent on each of training and inference; default 3 s
	Seed          uint64
}

// Validate reports the first invalid field, in the order Config declares
// them, as an error wrapping nlp.ErrConfig.
func (c Config) Validate() error {
	c = c.withDefaults()
	bad := func(field, format string, args ...any) error {
		return nlp.ConfigError("speed", "Config."+field, format, args...)
	}
	if _, err := nn.NewCell(c.Cell); err != nil {
		return bad("Cell", "%q: %w", c.Cell, err)
	}
	switch {
	case c.Input <= 0:
		return bad("Input", "%d, want > 0", c.Input)
	case c.Hidden <= 0:
		return bad("Hidden", "%d, want > 0", c.Hidden)
	case c.Batch <= 0:
		return bad("Batch", "%d, want > 0", c.Batch)
	case c.Steps <= 0:
		return bad("Steps", "%d, want > 0", c.Steps)
	}
	return nil
}

func (c Config) withDefaults() Config {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.Input, 100)
	def(&c.Hidden, 128)
	def(&c.Batch, 32)
	def(&c.Steps, 25)
	if c.Cell == "" {
		c.Cell = "lstm"
	}
	if c.Duration == 0 {
		c.Duration = 3 * time.Second
	}
	return c
}

// Result is what Measure found, in tokens (batch × steps) per second.
type Result struct {
	Config      Config
	TrainTokS   float64 // forward + backward of the sum of the outputs
	InferTokS   float64 // forward only
	TrainRounds int
	InferRounds int
}

// Measure times forward+backward and forward-only passes of one layer on
// random input, after a warm-up, for cfg.Duration each.
func Measure(cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	cfg = cfg.withDefaults()
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	enc, err := nn.NewEncoder(nn.EncoderConfig{Cell: cfg.Cell, Input: cfg.Input, Hidden: cfg.Hidden,
		Bidirectional: cfg.Bidirectional}, "bench", rng)
	if err != nil {
		return Result{}, err
	}
	enc.SetParallel(cfg.Parallel)
	bt := nn.FullBatch(cfg.Batch, cfg.Steps)
	x := make([]float64, bt.Rows()*cfg.Input)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	// d(sum of outputs)/d(outputs) is all ones.
	dy := make([]float64, bt.Rows()*enc.Output())
	for i := range dy {
		dy[i] = 1
	}
	params := enc.Params()
	train := func() {
		for _, p := range params {
			p.ZeroGrad()
		}
		enc.Forward(x, bt)
		enc.Backward(dy, nil)
	}
	infer := func() { enc.Forward(x, bt) }
	tokens := float64(bt.Rows())
	res := Result{Config: cfg}
	res.TrainRounds, res.TrainTokS = timeLoop(train, cfg.Duration, tokens)
	// Inference as a model serves it: the weights packed once, not at every call
	// (training repacks after each optimizer step, so it is timed without).
	enc.PackWeights()
	res.InferRounds, res.InferTokS = timeLoop(infer, cfg.Duration, tokens)
	return res, nil
}

// timeLoop runs f three times to warm up, then at least once and as often as fits in d.
func timeLoop(f func(), d time.Duration, tokens float64) (int, float64) {
	for i := 0; i < 3; i++ {
		f()
	}
	n, start := 0, time.Now()
	for n == 0 || time.Since(start) < d {
		f()
		n++
	}
	return n, float64(n) * tokens / time.Since(start).Seconds()
}
