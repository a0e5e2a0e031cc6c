package translate

import (
	"math"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/nn"
)

// Config describes a translation model and its training. Zero values mean the
// documented defaults, so Config{} is the model `make model-translate` builds.
type Config struct {
	// Model.
	Cell      string `json:"cell"`       // encoder and decoder cell (nn.NewCell); default "gru"
	Emb       int    `json:"emb"`        // source and target word (or subword) embedding width; default 256
	Hidden    int    `json:"hidden"`     // encoder width per direction; default 256
	Layers    int    `json:"layers"`     // stacked bidirectional encoder layers; default 1
	Decoder   int    `json:"decoder"`    // decoder width; default 512
	Attention string `json:"attention"`  // "general" (Luong), "additive" (Bahdanau) or "dot"; default "general"
	AttHidden int    `json:"att_hidden"` // additive attention's hidden width; default Decoder
	Output    int    `json:"output"`     // width of the attentional state h̃; default Emb
	// NoInputFeeding stops feeding h̃_{t−1} into the decoder's input (Luong et
	// al.'s input feeding is on by default: it tells the decoder where it
	// attended before, which reduces words translated twice or not at all).
	NoInputFeeding bool `json:"no_input_feeding"`
	// Tied uses the target embedding as the output layer's weights (Press &
	// Wolf 2017): a third fewer weights, and every unit's vector learns from
	// both reading and writing it; needs Output = Emb.
	Tied     bool `json:"tied"`
	Merges   int  `json:"merges"`    // byte-pair merges learnt per language; default 8000, negative for whole words
	MinCount int  `json:"min_count"` // a unit must occur this often in training to get its own vector; default 2

	// Training.
	Dropout   float64 `json:"dropout"`    // on embeddings, encoder outputs and h̃; default 0.3, negative for none
	LR        float64 `json:"lr"`         // Adam learning rate; default 0.001
	Clip      float64 `json:"clip"`       // gradient clipping by global norm; default 5
	BatchSize int     `json:"batch_size"` // sentence pairs per batch; default 64
	MaxLength int     `json:"max_length"` // training pairs with a side longer than this many units are skipped; default 80
	Epochs    int     `json:"epochs"`     // at most; default 20
	Steps     int     `json:"steps"`      // optimizer steps at most, over all epochs; 0: no limit (for benchmarks)
	Patience  int     `json:"patience"`   // evaluations without dev improvement before stopping; default 4
	LRDecay   float64 `json:"lr_decay"`   // after an evaluation without improvement the rate is multiplied by it; default 0.5, negative for none
	// Threads is the number of shards a batch is split into, each run by its
	// own goroutine on a replica of the model, their gradients summed in a
	// fixed order; 0 means 2. Results are reproducible for a given Seed and
	// Threads.
	Threads int    `json:"threads"`
	Seed    uint64 `json:"seed"` // every random choice derives from it
}

// MaxThreads bounds Config.Threads.
const MaxThreads = 256

// Bounds on the sizes a configuration may ask for, so that a mistyped flag or
// a corrupt model file is an error and not an allocation without limit.
const (
	// MaxMerges bounds Config.Merges: the vocabularies of Multi30k need 10k.
	MaxMerges = 1 << 17
	// MaxLength bounds Config.MaxLength and the units of a sentence given to
	// Translate; longer sentences are cut into pieces (see Translator).
	MaxLength = 1024
	// MaxBatch bounds Config.BatchSize.
	MaxBatch = 4096
)

// Validate reports the first invalid field, in the order Config declares them,
// as an error wrapping nlp.ErrConfig.
func (c Config) Validate() error {
	bad := func(field, format string, args ...any) error {
		return nlp.ConfigError("translate", "Config."+field, format, args...)
	}
	if c.Cell != "" {
		if _, err := nn.NewCell(c.Cell); err != nil {
			return bad("Cell", "%q: %w", c.Cell, err)
		}
	}
	for _, f := range []struct {
		name   string
		v, max int
	}{
		{"Emb", c.Emb, nn.MaxWidth}, {"Hidden", c.Hidden, nn.MaxWidth}, {"Layers", c.Layers, nn.MaxLayers},
		{"Decoder", c.Decoder, nn.MaxWidth}, {"AttHidden", c.AttHidden, nn.MaxWidth}, {"Output", c.Output, nn.MaxWidth},
	} {
		if f.v < 0 || f.v > f.max {
			return bad(f.name, "%d, want 0..%d (0: the default)", f.v, f.max)
		}
	}
	if c.Attention != "" && !validKind(c.Attention) {
		return bad("Attention", "%q, want one of %v", c.Attention, nn.AttentionKinds())
	}
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	d := c.WithDefaults()
	switch {
	case d.Tied && d.Output != d.Emb:
		return bad("Tied", "needs Output (%d) = Emb (%d)", d.Output, d.Emb)
	case d.Attention == "dot" && d.Decoder != 2*d.Hidden:
		return bad("Attention", `"dot" needs Decoder (%d) = 2·Hidden (%d): it compares the decoder state with the encoder outputs directly`, d.Decoder, 2*d.Hidden)
	case c.Merges > MaxMerges:
		return bad("Merges", "%d, want at most %d", c.Merges, MaxMerges)
	case c.MinCount < 0:
		return bad("MinCount", "%d, want ≥ 0", c.MinCount)
	case !finite(c.Dropout) || !(c.Dropout < 1):
		return bad("Dropout", "%g, want a finite value below 1", c.Dropout)
	case !(c.LR >= 0 && c.LR <= 1):
		return bad("LR", "%g, want in (0, 1] (0: the default)", c.LR)
	case !finite(c.Clip) || !(c.Clip >= 0):
		return bad("Clip", "%g, want a finite value ≥ 0", c.Clip)
	case c.BatchSize < 0 || c.BatchSize > MaxBatch:
		return bad("BatchSize", "%d, want 0..%d", c.BatchSize, MaxBatch)
	case c.MaxLength < 0 || c.MaxLength > MaxLength:
		return bad("MaxLength", "%d, want 0..%d", c.MaxLength, MaxLength)
	case c.Epochs < 0:
		return bad("Epochs", "%d, want ≥ 0", c.Epochs)
	case c.Steps < 0:
		return bad("Steps", "%d, want ≥ 0", c.Steps)
	case c.Patience < 0:
		return bad("Patience", "%d, want ≥ 0", c.Patience)
	case !finite(c.LRDecay) || !(c.LRDecay <= 1):
		return bad("LRDecay", "%g, want a finite value at most 1", c.LRDecay)
	case c.Threads < 0 || c.Threads > MaxThreads:
		return bad("Threads", "%d, want 0..%d (0: the default)", c.Threads, MaxThreads)
	}
	return nil
}

func validKind(k string) bool {
	for _, v := range nn.AttentionKinds() {
		if v == k {
			return true
		}
	}
	return false
}

// WithDefaults returns c with every zero value replaced by its default: the
// configuration Train and Load run, whose values are documented on the
// fields. The negative values that mean "none" stay negative, so that
// WithDefaults is idempotent: a model file stores its result.
func (c Config) WithDefaults() Config {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	if c.Cell == "" {
		c.Cell = "gru"
	}
	def(&c.Emb, 256)
	def(&c.Hidden, 256)
	def(&c.Layers, 1)
	def(&c.Decoder, 512)
	if c.Attention == "" {
		c.Attention = "general"
	}
	def(&c.AttHidden, c.Decoder)
	def(&c.Output, c.Emb)
	def(&c.Merges, 8000)
	def(&c.MinCount, 2)
	if c.Dropout == 0 {
		c.Dropout = 0.3
	}
	if c.LR == 0 {
		c.LR = 0.001
	}
	if c.Clip == 0 {
		c.Clip = 5
	}
	def(&c.BatchSize, 64)
	def(&c.MaxLength, 80)
	def(&c.Epochs, 20)
	def(&c.Patience, 4)
	if c.LRDecay == 0 {
		c.LRDecay = 0.5
	}
	def(&c.Threads, 2)
	return c
}

// dropout is the dropout probability (none: 0).
func (c Config) dropout() float64 { return max(c.Dropout, 0) }
