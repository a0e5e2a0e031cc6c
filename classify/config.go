package classify

import (
	"math"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/nn"
)

// Pooling choices: how the encoder's outputs become one vector per sentence.
const (
	PoolLast = "last" // the final hidden state (forward: after the last word; bidirectional: [forward last | backward first])
	PoolMax  = "max"  // the element-wise maximum of the top layer's outputs over the sentence's steps
)

// Embedding initialisations.
const (
	InitWord2Vec = "word2vec" // rows copied from the pretrained vectors; words without one get random rows
	InitRandom   = "random"   // every row drawn at random (the ablation)
)

// Config sets the model and its training. Every zero value means the default
// given in its comment, so Config{} is a working configuration; Validate reports
// values that are out of range. Where 0 is a default, a negative value turns the
// feature off (dropout, clipping, patience).
type Config struct {
	// Model.

	Cell          string `json:"cell"`          // recurrent cell, one of nn.CellNames(); "" means "lstm"
	Hidden        int    `json:"hidden"`        // hidden width of each direction; 0 means 128
	Layers        int    `json:"layers"`        // stacked recurrent layers; 0 means 1
	Bidirectional bool   `json:"bidirectional"` // run each layer both ways and concatenate
	// Pool is PoolLast or PoolMax; "" means PoolMax when Bidirectional, else PoolLast
	// (the lecture's many-to-one: the last hidden state).
	Pool string `json:"pool"`
	// Init is InitWord2Vec or InitRandom; "" means InitWord2Vec when vectors are
	// given to Train, else InitRandom.
	Init string `json:"init"`
	// Dim is the embedding width with InitRandom; 0 means 100. With InitWord2Vec
	// it is the vectors' width.
	Dim int `json:"dim"`
	// MaxVocab bounds the stored vocabulary (besides <unk>): the training words by
	// decreasing count, then the most frequent words of the vectors, until MaxVocab
	// words (see the package documentation); 0 means 40000.
	MaxVocab int `json:"max_vocab"`
	// MinCount drops training words seen fewer times from the training-word part of
	// the vocabulary (they may still enter as frequent vectors words); 0 means 1.
	MinCount int `json:"min_count"`
	// MaxLen is the longest input kept, in tokens: a longer text keeps its first
	// MaxLen/4 and its last MaxLen−MaxLen/4 tokens (head and tail); 0 means 400.
	MaxLen int `json:"max_len"`

	// Training.

	Epochs    int     `json:"epochs"`     // passes over the training set at most; 0 means 10
	Patience  int     `json:"patience"`   // stop after this many epochs without a better dev accuracy; 0 means 3, negative never
	BatchSize int     `json:"batch_size"` // sentences per batch; 0 means 32
	LR        float64 `json:"lr"`         // Adam learning rate of the network; 0 means 0.001
	// EmbedLR is the learning rate of the embedding table (fine-tuning); 0 means LR/10
	// with InitWord2Vec and LR with InitRandom.
	EmbedLR float64 `json:"embed_lr"`
	// Decay multiplies both learning rates after every epoch that does not improve
	// the dev accuracy (reduce on plateau); 0 means 1, no decay.
	Decay float64 `json:"decay,omitempty"`
	// Freeze keeps the embedding table fixed for the whole training.
	Freeze bool `json:"freeze"`
	// FreezeEpochs keeps the embedding table fixed for the first FreezeEpochs epochs
	// only, then fine-tunes it; 0 means none.
	FreezeEpochs int     `json:"freeze_epochs"`
	EmbedDropout float64 `json:"embed_dropout"` // dropout on the word vectors; 0 means 0.25, negative none
	Dropout      float64 `json:"dropout"`       // dropout before the output layer; 0 means 0.5, negative none
	Clip         float64 `json:"clip"`          // global gradient-norm clipping; 0 means 5, negative none
	WeightDecay  float64 `json:"weight_decay"`  // L2 on the network's weights (not the embeddings); 0 means none
	Seed         uint64  `json:"seed"`          // seeds the weights, the batches and dropout

	// LabelNames optionally renames the classes for display, in the order of
	// Model.Labels (sorted: numerically when every label is a number); empty
	// means the labels themselves.
	LabelNames []string `json:"label_names,omitempty"`
}

// Validate reports the first invalid field, in the order Config declares them,
// as an error wrapping nlp.ErrConfig.
func (c Config) Validate() error {
	bad := func(field, format string, args ...any) error {
		return nlp.ConfigError("classify", "Config."+field, format, args...)
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
	case c.Pool != "" && c.Pool != PoolLast && c.Pool != PoolMax:
		return bad("Pool", "%q, want %q or %q", c.Pool, PoolLast, PoolMax)
	case c.Init != "" && c.Init != InitWord2Vec && c.Init != InitRandom:
		return bad("Init", "%q, want %q or %q", c.Init, InitWord2Vec, InitRandom)
	case c.Dim < 0 || c.Dim > nn.MaxWidth:
		return bad("Dim", "%d, want 0..%d (0: the default)", c.Dim, nn.MaxWidth)
	case c.MaxVocab < 0:
		return bad("MaxVocab", "%d, want ≥ 0", c.MaxVocab)
	case c.MinCount < 0:
		return bad("MinCount", "%d, want ≥ 0", c.MinCount)
	case c.MaxLen < 0 || c.MaxLen == 1:
		return bad("MaxLen", "%d, want 0 or at least 2", c.MaxLen)
	case c.Epochs < 0:
		return bad("Epochs", "%d, want ≥ 0", c.Epochs)
	case c.BatchSize < 0:
		return bad("BatchSize", "%d, want ≥ 0", c.BatchSize)
	case !(c.LR >= 0 && c.LR <= 1):
		return bad("LR", "%v, want in [0, 1]", c.LR)
	case !(c.EmbedLR >= 0 && c.EmbedLR <= 1):
		return bad("EmbedLR", "%v, want in [0, 1]", c.EmbedLR)
	case !(c.Decay >= 0 && c.Decay <= 1):
		return bad("Decay", "%v, want in (0, 1], or 0 for none", c.Decay)
	case c.FreezeEpochs < 0:
		return bad("FreezeEpochs", "%d, want ≥ 0", c.FreezeEpochs)
	case !finite(c.EmbedDropout) || !(c.EmbedDropout < 1):
		return bad("EmbedDropout", "%v, want a finite value below 1", c.EmbedDropout)
	case !finite(c.Dropout) || !(c.Dropout < 1):
		return bad("Dropout", "%v, want a finite value below 1", c.Dropout)
	case !finite(c.Clip):
		return bad("Clip", "%v, want a finite value", c.Clip)
	// An L2 coefficient above 1 takes more than each weight itself away at
	// every step: no useful value lies there.
	case !(c.WeightDecay >= 0 && c.WeightDecay <= 1):
		return bad("WeightDecay", "%v, want in [0, 1]", c.WeightDecay)
	}
	return nil
}

// WithDefaults returns c with every zero value replaced by its default. Init's
// default depends on more than the Config — InitWord2Vec when Train is given
// vectors — so here an empty Init is InitRandom, and Train sets InitWord2Vec
// before calling WithDefaults when it has vectors (EmbedLR's default follows
// Init: LR/10 with word2vec, LR otherwise).
func (c Config) WithDefaults() Config {
	if c.Cell == "" {
		c.Cell = "lstm"
	}
	if c.Hidden == 0 {
		c.Hidden = 128
	}
	if c.Layers == 0 {
		c.Layers = 1
	}
	if c.Pool == "" {
		c.Pool = PoolLast
		if c.Bidirectional {
			c.Pool = PoolMax
		}
	}
	if c.Init == "" {
		c.Init = InitRandom
	}
	if c.Dim == 0 {
		c.Dim = 100
	}
	if c.MaxVocab == 0 {
		c.MaxVocab = 40000
	}
	if c.MinCount == 0 {
		c.MinCount = 1
	}
	if c.MaxLen == 0 {
		c.MaxLen = 400
	}
	if c.Epochs == 0 {
		c.Epochs = 10
	}
	if c.Patience == 0 {
		c.Patience = 3
	}
	if c.BatchSize == 0 {
		c.BatchSize = 32
	}
	if c.LR == 0 {
		c.LR = 0.001
	}
	if c.EmbedLR == 0 {
		c.EmbedLR = c.LR
		if c.Init == InitWord2Vec {
			c.EmbedLR = c.LR / 10
		}
	}
	if c.Decay == 0 {
		c.Decay = 1
	}
	if c.EmbedDropout == 0 {
		c.EmbedDropout = 0.25
	}
	if c.Dropout == 0 {
		c.Dropout = 0.5
	}
	if c.Clip == 0 {
		c.Clip = 5
	}
	return c
}

// rate turns a dropout setting (negative: none) into a probability.
func rate(p float64) float64 { return max(p, 0) }
