package tagger

import (
	"math"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/nn"
)

// Config describes a tagger and its training. Zero values mean the documented
// defaults, so Config{} is the model the embedded English tagger uses.
type Config struct {
	// Model.
	Cell         string  `json:"cell"`           // sentence encoder cell (nn.NewCell); default "lstm"
	Hidden       int     `json:"hidden"`         // sentence BiLSTM width per direction; default 128
	Layers       int     `json:"layers"`         // stacked sentence layers; default 1
	WordDim      int     `json:"word_dim"`       // trainable word embedding; default 64
	CharDim      int     `json:"char_dim"`       // character embedding; default 32
	CharHidden   int     `json:"char_hidden"`    // character BiLSTM width per direction; default 64
	NoChars      bool    `json:"no_chars"`       // drop the character model (ablation)
	CasedWords   bool    `json:"cased_words"`    // trainable word vectors keyed by the form as written (default: lower-cased)
	MaxRunes     int     `json:"max_runes"`      // characters read per word: the first and last half; default 20
	MinWordCount int     `json:"min_word_count"` // training count for a trainable word vector; default 2
	PretrainedN  int     `json:"pretrained_n"`   // most frequent pretrained words kept besides the training words; default 20000
	FineTune     bool    `json:"fine_tune"`      // update the pretrained vectors too (default: frozen)
	CasedVectors bool    `json:"cased_vectors"`  // the pretrained vectors keep case: a word is looked up as written, then lower-cased (default: lower-cased only)
	Dropout      float64 `json:"dropout"`        // on the word features and the encoder output; default 0.33, negative for none
	WordDropout  float64 `json:"word_dropout"`   // α: a word seen c times is replaced by the unknown word with probability α/(α+c); default 0.25, negative for none

	// Training.
	LR        float64 `json:"lr"`         // Adam learning rate; default 0.002
	Clip      float64 `json:"clip"`       // gradient clipping by global norm; default 5
	BatchSize int     `json:"batch_size"` // sentences per batch; default 32
	Epochs    int     `json:"epochs"`     // at most; default 30
	Patience  int     `json:"patience"`   // epochs without dev improvement before stopping; default 4
	LRDecay   float64 `json:"lr_decay"`   // after an epoch without dev improvement the learning rate is multiplied by it; default 0.5, negative for none
	Average   float64 `json:"average"`    // decay of the moving average of the weights that is scored and kept (see Train); default 0 (none), e.g. 0.999
	Distill   float64 `json:"distill"`    // with a teacher (WithTeacher), the targets are (1−Distill)·gold + Distill·teacher's probabilities; default 0.5
	Seed      uint64  `json:"seed"`       // every random choice derives from it
}

// maxMaxRunes bounds Config.MaxRunes: words are cut to their first and last
// runes, and no word needs more than this many to be told apart.
const maxMaxRunes = 1 << 10

// Validate reports the first invalid field, in the order Config declares them,
// as an error wrapping nlp.ErrConfig. The upper bounds on the sizes are there so
// that a mistyped flag or a corrupt model file is an error rather than an
// allocation that exhausts memory.
func (c Config) Validate() error {
	bad := func(field, format string, args ...any) error {
		return nlp.ConfigError("tagger", "Config."+field, format, args...)
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
		{"Hidden", c.Hidden, nn.MaxWidth}, {"Layers", c.Layers, nn.MaxLayers}, {"WordDim", c.WordDim, nn.MaxWidth},
		{"CharDim", c.CharDim, nn.MaxWidth}, {"CharHidden", c.CharHidden, nn.MaxWidth}, {"MaxRunes", c.MaxRunes, maxMaxRunes},
	} {
		if f.v < 0 || f.v > f.max {
			return bad(f.name, "%d, want 0..%d (0: the default)", f.v, f.max)
		}
	}
	// Every float is tested with finite first: NaN and ±Inf pass a range test
	// written as one comparison, and a non-finite rate or clip trains a model
	// of NaN weights that still saves (issue 17).
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	switch {
	case c.MinWordCount < 0:
		return bad("MinWordCount", "%d, want ≥ 0", c.MinWordCount)
	case c.PretrainedN < 0:
		return bad("PretrainedN", "%d, want ≥ 0", c.PretrainedN)
	case !finite(c.Dropout) || !(c.Dropout < 1):
		return bad("Dropout", "%g, want a finite value below 1", c.Dropout)
	case !finite(c.WordDropout):
		return bad("WordDropout", "%g, want a finite value", c.WordDropout)
	// Adam's steps are about LR in size whatever the gradient: above 1 every
	// weight jumps by more than its own scale at each step (--lr 1e30 saved a
	// model of non-finite weights).
	case !(c.LR >= 0 && c.LR <= 1):
		return bad("LR", "%g, want in (0, 1] (0: the default)", c.LR)
	case !finite(c.Clip) || !(c.Clip >= 0):
		return bad("Clip", "%g, want a finite value ≥ 0", c.Clip)
	case c.BatchSize < 0:
		return bad("BatchSize", "%d, want ≥ 0", c.BatchSize)
	case c.Epochs < 0:
		return bad("Epochs", "%d, want ≥ 0", c.Epochs)
	case c.Patience < 0:
		return bad("Patience", "%d, want ≥ 0", c.Patience)
	// 1 is what "none" (negative) becomes, and is stored so in model files.
	case !finite(c.LRDecay) || !(c.LRDecay <= 1):
		return bad("LRDecay", "%g, want a finite value at most 1", c.LRDecay)
	case !(c.Average >= 0 && c.Average < 1):
		return bad("Average", "%g, want in [0, 1)", c.Average)
	case !(c.Distill >= 0 && c.Distill <= 1):
		return bad("Distill", "%g, want in [0, 1]", c.Distill)
	}
	return nil
}

// withModelOf returns c with the model fields (those that shape the weights
// and the vocabularies) of src, keeping c's training fields.
func (c Config) withModelOf(src Config) Config {
	c.Cell, c.Hidden, c.Layers, c.WordDim, c.CharDim, c.CharHidden = src.Cell, src.Hidden, src.Layers, src.WordDim, src.CharDim, src.CharHidden
	c.NoChars, c.CasedWords, c.MaxRunes, c.MinWordCount = src.NoChars, src.CasedWords, src.MaxRunes, src.MinWordCount
	c.PretrainedN, c.FineTune, c.CasedVectors = src.PretrainedN, src.FineTune, src.CasedVectors
	return c
}

// WithDefaults returns c with every zero value replaced by its default, and the
// negative values that mean "none" by what they mean (Dropout and WordDropout
// 0, LRDecay 1): the configuration Train and Load run, whose values are
// documented on the fields. Exported so that a command line can show the
// defaults it does not repeat.
func (c Config) WithDefaults() Config {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	if c.Cell == "" {
		c.Cell = "lstm"
	}
	def(&c.Hidden, 128)
	def(&c.Layers, 1)
	def(&c.WordDim, 64)
	def(&c.CharDim, 32)
	def(&c.CharHidden, 64)
	def(&c.MaxRunes, 20)
	def(&c.MinWordCount, 2)
	def(&c.PretrainedN, 20000)
	def(&c.BatchSize, 32)
	def(&c.Epochs, 30)
	def(&c.Patience, 4)
	if c.Dropout == 0 {
		c.Dropout = 0.33
	} else if c.Dropout < 0 {
		c.Dropout = 0
	}
	if c.WordDropout == 0 {
		c.WordDropout = 0.25
	} else if c.WordDropout < 0 {
		c.WordDropout = 0
	}
	if c.LR == 0 {
		c.LR = 0.002
	}
	if c.Distill == 0 {
		c.Distill = 0.5
	}
	if c.LRDecay == 0 {
		c.LRDecay = 0.5
	} else if c.LRDecay < 0 {
		c.LRDecay = 1
	}
	if c.Clip == 0 {
		c.Clip = 5
	}
	return c
}
