package embed

import (
	"errors"
	"fmt"
	"io"
)

var errEmptyVocab = errors.New("embed: no word reaches the minimum count")

// Option sets an optional extra of Train.
type Option func(*options)

type options struct {
	progress io.Writer
}

// WithProgress draws a progress bar (words/s, ETA) on w, normally os.Stderr.
func WithProgress(w io.Writer) Option { return func(o *options) { o.progress = w } }

// Train learns word vectors from c with the settings of cfg (zero fields take their
// defaults). The vocabulary is every word with at least cfg.MinCount occurrences, most
// frequent first.
func Train(c *Corpus, cfg Config, opts ...Option) (*Vectors, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	var o options
	for _, f := range opts {
		f(&o)
	}
	switch cfg.Engine {
	case Wego:
		v, err := trainWego(c, cfg, o.progress)
		if err != nil {
			return nil, fmt.Errorf("embed: wego: %w", err)
		}
		return v, nil
	default:
		return trainNative(c, cfg, o.progress)
	}
}
