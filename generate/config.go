package generate

import (
	"math"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/nn"
)

// Learning-rate schedules.
const (
	ScheduleCosine   = "cosine"   // LR·(f + (1−f)·(1 + cos(π·s/(Steps−1)))/2) at step s, f = MinLRFraction: from LR down to f·LR at the last step (train.Cosine)
	ScheduleConstant = "constant" // LR at every step
)

// MinLRFraction is f of ScheduleCosine: the learning rate of the last step as
// a fraction of LR.
const MinLRFraction = 0.05

// Config sets the model and its training. Every zero value means the default
// given in its comment, so Config{} is a working configuration (the issue's
// 2×256 LSTM, batches of 64 streams × 100 characters); Validate reports values
// out of range.
type Config struct {
	// Model.

	Cell   string `json:"cell"`   // recurrent cell, one of nn.CellNames(); "" means "lstm"
	Hidden int    `json:"hidden"` // hidden width of each layer; 0 means 256
	Layers int    `json:"layers"` // stacked recurrent layers; 0 means 2
	Embed  int    `json:"embed"`  // width of the character vectors fed to the first layer; 0 means 64

	// Training.

	BatchSize int     `json:"batch_size"` // parallel streams B; 0 means 64
	BPTT      int     `json:"bptt"`       // characters per stream and step T (truncated backpropagation); 0 means 100
	Steps     int     `json:"steps"`      // optimizer steps; 0 means 1500
	LR        float64 `json:"lr"`         // Adam's learning rate at the start; 0 means 0.002
	Schedule  string  `json:"schedule"`   // ScheduleCosine or ScheduleConstant; "" means cosine
	Clip      float64 `json:"clip"`       // global gradient-norm clipping; 0 means 5, negative none
	Dropout   float64 `json:"dropout"`    // dropout between stacked layers (as PyTorch's LSTM dropout); 0 means none
	// ValidEvery is the number of steps between two validations (and
	// checkpoints); 0 means 100.
	ValidEvery int `json:"valid_every"`
	// Threads is the number of shards a batch is split into, each run by its own
	// goroutine, their gradients summed in a fixed order; 0 means 2. Results are
	// reproducible for a given Seed and Threads.
	Threads int    `json:"threads"`
	Seed    uint64 `json:"seed"` // seeds the weights, the epochs' offsets and dropout
}

// Validate reports the first invalid field, in the order Config declares them,
// as an error wrapping nlp.ErrConfig.
func (c Config) Validate() error {
	bad := func(field, format string, args ...any) error {
		return nlp.ConfigError("generate", "Config."+field, format, args...)
	}
	if c.Cell != "" {
		if _, err := nn.NewCell(c.Cell); err != nil {
			return bad("Cell", "%q: %w", c.Cell, err)
		}
	}
	// Every float is tested with finite first: NaN and ±Inf pass a range test
	// written as one comparison, and a non-finite rate or clip trains a model
	// of NaN weights that still saves (issue 17).
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	switch {
	case c.Hidden < 0 || c.Hidden > nn.MaxWidth:
		return bad("Hidden", "%d, want 0..%d (0: the default)", c.Hidden, nn.MaxWidth)
	case c.Layers < 0 || c.Layers > nn.MaxLayers:
		return bad("Layers", "%d, want 0..%d (0: the default)", c.Layers, nn.MaxLayers)
	case c.Embed < 0 || c.Embed > nn.MaxWidth:
		return bad("Embed", "%d, want 0..%d (0: the default)", c.Embed, nn.MaxWidth)
	case c.BatchSize < 0:
		return bad("BatchSize", "%d, want ≥ 0", c.BatchSize)
	case c.BPTT < 0:
		return bad("BPTT", "%d, want ≥ 0", c.BPTT)
	case c.Steps < 0:
		return bad("Steps", "%d, want ≥ 0", c.Steps)
	case !(c.LR >= 0 && c.LR <= 1):
		return bad("LR", "%v, want in [0, 1]", c.LR)
	case c.Schedule != "" && c.Schedule != ScheduleCosine && c.Schedule != ScheduleConstant:
		return bad("Schedule", "%q, want %q or %q", c.Schedule, ScheduleCosine, ScheduleConstant)
	case !finite(c.Clip):
		return bad("Clip", "%v, want a finite value", c.Clip)
	case !(c.Dropout >= 0 && c.Dropout < 1):
		return bad("Dropout", "%v, want in [0, 1)", c.Dropout)
	case c.ValidEvery < 0:
		return bad("ValidEvery", "%d, want ≥ 0", c.ValidEvery)
	case c.Threads < 0 || c.Threads > 256:
		return bad("Threads", "%d, want 0..256 (0: the default)", c.Threads)
	case c.Threads > 0 && c.BatchSize > 0 && c.Threads > c.BatchSize:
		return bad("Threads", "%d, more than BatchSize %d (each thread needs a stream)", c.Threads, c.BatchSize)
	}
	return nil
}

// WithDefaults returns c with every zero value replaced by its default.
func (c Config) WithDefaults() Config {
	if c.Cell == "" {
		c.Cell = "lstm"
	}
	if c.Hidden == 0 {
		c.Hidden = 256
	}
	if c.Layers == 0 {
		c.Layers = 2
	}
	if c.Embed == 0 {
		c.Embed = 64
	}
	if c.BatchSize == 0 {
		c.BatchSize = 64
	}
	if c.BPTT == 0 {
		c.BPTT = 100
	}
	if c.Steps == 0 {
		c.Steps = 1500
	}
	if c.LR == 0 {
		c.LR = 0.002
	}
	if c.Schedule == "" {
		c.Schedule = ScheduleCosine
	}
	if c.Clip == 0 {
		c.Clip = 5
	}
	if c.ValidEvery == 0 {
		c.ValidEvery = 100
	}
	if c.Threads == 0 {
		c.Threads = min(2, c.BatchSize)
	}
	return c
}

// SampleConfig sets how Generate draws text. Zero values mean the defaults in
// the comments.
type SampleConfig struct {
	// Lines is the number of lines to generate; 0 means 1.
	Lines int
	// MaxLen is the longest line, in characters: a line that has not ended by
	// then is cut; 0 means 1000.
	MaxLen int
	// Temperature divides the logits before the softmax: below 1 sharpens the
	// distribution (more likely, more repetitive text), above 1 flattens it;
	// 0 means 1. Greedy is the limit of Temperature → 0.
	Temperature float64
	// Greedy takes the most probable character at every step (argmax) instead
	// of sampling.
	Greedy bool
	// TopK samples among the K most probable characters only; 0 means all.
	TopK int
	// Seed seeds the sampling: the same model, configuration and seed give the
	// same text.
	Seed uint64
	// Prime is a beginning to continue: the model reads it after the start
	// symbol and generation goes on from its end. A newline in it ends a line
	// (the model reads </s> <s>); the lines it completes are returned as read
	// and do not count toward Lines.
	Prime string
}

// Validate reports the first invalid field, in the order SampleConfig declares
// them, as an error wrapping nlp.ErrConfig.
func (c SampleConfig) Validate() error {
	bad := func(field, format string, args ...any) error {
		return nlp.ConfigError("generate", "SampleConfig."+field, format, args...)
	}
	switch {
	case c.Lines < 0:
		return bad("Lines", "%d, want ≥ 0", c.Lines)
	case c.MaxLen < 0:
		return bad("MaxLen", "%d, want ≥ 0", c.MaxLen)
	case !(c.Temperature >= 0) || math.IsInf(c.Temperature, 1):
		return bad("Temperature", "%v, want a finite value ≥ 0", c.Temperature)
	case c.TopK < 0:
		return bad("TopK", "%d, want ≥ 0", c.TopK)
	}
	return nil
}

// WithDefaults returns c with every zero value replaced by its default: the
// configuration Generate runs.
func (c SampleConfig) WithDefaults() SampleConfig {
	if c.Lines == 0 {
		c.Lines = 1
	}
	if c.MaxLen == 0 {
		c.MaxLen = 1000
	}
	if c.Temperature == 0 {
		c.Temperature = 1
	}
	return c
}
