package embed

import (
	"errors"
	"fmt"
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

// Validate reports the first setting that is out of range.
func (c Config) Validate() error {
	d := c.WithDefaults()
	var errs []error
	switch d.Engine {
	case Native, Wego:
	default:
		errs = append(errs, fmt.Errorf("engine %q, want native or wego", c.Engine))
	}
	switch d.Model {
	case SkipGram, CBOW:
	default:
		errs = append(errs, fmt.Errorf("model %q, want skipgram or cbow", c.Model))
	}
	switch d.Optimizer {
	case NegativeSampling, HierarchicalSoftmax:
	default:
		errs = append(errs, fmt.Errorf("optimizer %q, want ns or hs", c.Optimizer))
	}
	if d.Dim < 0 || d.Dim > maxDim {
		errs = append(errs, fmt.Errorf("dim %d, want 1..%d", c.Dim, maxDim))
	}
	if d.Window < 0 {
		errs = append(errs, fmt.Errorf("window %d, want > 0", c.Window))
	}
	if d.Negative < 0 {
		errs = append(errs, fmt.Errorf("negative %d, want > 0", c.Negative))
	}
	if d.Sample >= 1 {
		errs = append(errs, fmt.Errorf("sample %g, want below 1", c.Sample))
	}
	if d.Epochs < 0 {
		errs = append(errs, fmt.Errorf("epochs %d, want > 0", c.Epochs))
	}
	if d.Alpha < 0 || d.Alpha > 1 {
		errs = append(errs, fmt.Errorf("alpha %g, want in (0, 1]", c.Alpha))
	}
	if d.Threads < 0 || d.Threads > 1024 {
		errs = append(errs, fmt.Errorf("threads %d, want 1..1024", c.Threads))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("embed: config: %w", err)
	}
	return nil
}
