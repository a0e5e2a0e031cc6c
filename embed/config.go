package embed

import (
	"math"

	"github.com/nlp-go/nlp"
)

// Engine names a training implementation.
type Engine string

// The training engines.
const (
	// Native is this package's trainer, written from the paper: unigram^0.75 negative
	// sampling, Huffman-tree hierarchical softmax, the original subsampling, linear
	// learning-rate decay over all epochs, lock-free threads, reproducible at one thread.
	Native Engine = "native"
	// Wego drives github.com/ynqa/wego with our vocabulary and subsampling; see wego.go
	// for what its API allows and what it does not.
	Wego Engine = "wego"
)

// Model names the word2vec architecture.
type Model string

// The architectures of Mikolov et al. (2013).
const (
	SkipGram Model = "skipgram" // predict each context word from the centre word
	CBOW     Model = "cbow"     // predict the centre word from the mean of its context
)

// Optimizer names the output layer that approximates the softmax.
type Optimizer string

// The two output layers.
const (
	NegativeSampling    Optimizer = "ns" // k noise words from the unigram^0.75 distribution
	HierarchicalSoftmax Optimizer = "hs" // binary decisions along the word's Huffman code
)

// Config holds the training settings. The zero value of each field means the default
// given in its comment, which are the settings of the word2vec paper and tool.
type Config struct {
	Engine    Engine    // "native" (default) or "wego"
	Model     Model     // "skipgram" (default) or "cbow"
	Optimizer Optimizer // "ns" or "hs"; default ns for the native engine, hs for wego (see wego.go)
	Dim       int       // vector dimension; default 100
	Window    int       // maximum distance to a context word; default 5
	Negative  int       // noise words per positive example (ns only); default 5
	// Sample is the subsampling threshold t: a word of corpus frequency f is kept with
	// probability (√(f/t) + 1)·t/f. Default 1e-3; a negative value turns subsampling off.
	Sample   float64
	MinCount int // words seen fewer times are dropped; default 5; a negative value keeps all
	Epochs   int // passes over the corpus; default 5
	// Alpha is the initial learning rate, decayed linearly to Alpha·1e-4 over all epochs;
	// default 0.025 for skip-gram and 0.05 for CBOW.
	Alpha   float64
	Threads int    // training goroutines; default 1 (results then reproducible for a seed)
	Seed    uint64 // seed of every random choice; 0 is a valid seed
}

// WithDefaults returns c with zero fields replaced by their defaults (and the
// negative values that mean "off" by what they mean): the configuration Train
// runs. Exported so that a command line can show the defaults it does not
// repeat.
func (c Config) WithDefaults() Config {
	if c.Engine == "" {
		c.Engine = Native
	}
	if c.Model == "" {
		c.Model = SkipGram
	}
	if c.Optimizer == "" {
		c.Optimizer = NegativeSampling
		if c.Engine == Wego {
			c.Optimizer = HierarchicalSoftmax
		}
	}
	if c.Dim == 0 {
		c.Dim = 100
	}
	if c.Window == 0 {
		c.Window = 5
	}
	if c.Negative == 0 {
		c.Negative = 5
	}
	if c.Sample == 0 {
		c.Sample = 1e-3
	} else if c.Sample < 0 {
		c.Sample = 0
	}
	if c.MinCount == 0 {
		c.MinCount = 5
	} else if c.MinCount < 0 {
		c.MinCount = 1
	}
	if c.Epochs == 0 {
		c.Epochs = 5
	}
	if c.Alpha == 0 {
		c.Alpha = 0.025
		if c.Model == CBOW {
			c.Alpha = 0.05
		}
	}
	if c.Threads == 0 {
		c.Threads = 1
	}
	return c
}

// Validate reports the first invalid field, in the order Config declares them,
// as an error wrapping nlp.ErrConfig; it checks the values defaults leave, and
// names the value the caller gave.
func (c Config) Validate() error {
	bad := func(field, format string, args ...any) error {
		return nlp.ConfigError("embed", "Config."+field, format, args...)
	}
	d := c.WithDefaults()
	switch {
	case d.Engine != Native && d.Engine != Wego:
		return bad("Engine", "%q, want native or wego", c.Engine)
	case d.Model != SkipGram && d.Model != CBOW:
		return bad("Model", "%q, want skipgram or cbow", c.Model)
	case d.Optimizer != NegativeSampling && d.Optimizer != HierarchicalSoftmax:
		return bad("Optimizer", "%q, want ns or hs", c.Optimizer)
	case d.Dim < 0 || d.Dim > maxDim:
		return bad("Dim", "%d, want 1..%d", c.Dim, maxDim)
	case d.Window < 0:
		return bad("Window", "%d, want > 0", c.Window)
	case d.Negative < 0:
		return bad("Negative", "%d, want > 0", c.Negative)
	// Written so that NaN fails too: it would make every vector NaN.
	case !(d.Sample < 1) || math.IsInf(c.Sample, -1):
		return bad("Sample", "%g, want a finite value below 1", c.Sample)
	case d.Epochs < 0:
		return bad("Epochs", "%d, want > 0", c.Epochs)
	case !(d.Alpha >= 0 && d.Alpha <= 1):
		return bad("Alpha", "%g, want in (0, 1]", c.Alpha)
	case d.Threads < 0 || d.Threads > 1024:
		return bad("Threads", "%d, want 1..1024", c.Threads)
	}
	return nil
}
