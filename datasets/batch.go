package datasets

import (
	"math/rand/v2"
	"sort"

	"github.com/nlp-go/nlp"
)

// BatchConfig sets how sentences are grouped into training batches.
type BatchConfig struct {
	// BatchSize is the number of sentences per batch; 0 means 32.
	BatchSize int
	// PoolBatches is how many batches' worth of shuffled sentences are sorted by
	// length together: larger pools give batches of more similar lengths (less
	// padding), smaller pools more randomness; 0 means 50.
	PoolBatches int
	// DropLast drops a final batch smaller than BatchSize; false keeps it.
	DropLast bool
	// Seed seeds the shuffles; the same seed and epoch give the same batches.
	Seed uint64
}

// Validate reports the first invalid field, in the order BatchConfig declares
// them, as an error wrapping nlp.ErrConfig.
func (c BatchConfig) Validate() error {
	switch {
	case c.BatchSize < 0:
		return nlp.ConfigError("datasets", "BatchConfig.BatchSize", "%d, want ≥ 0", c.BatchSize)
	case c.PoolBatches < 0:
		return nlp.ConfigError("datasets", "BatchConfig.PoolBatches", "%d, want ≥ 0", c.PoolBatches)
	}
	return nil
}

// Batcher makes length-bucketed batches of sentence indices, a new arrangement each
// epoch: the sentences are shuffled, cut into pools of PoolBatches×BatchSize, each
// pool is sorted by length and cut into batches, and the batches are shuffled. It
// uses its own random source, never the global one.
type Batcher struct {
	lengths []int
	cfg     BatchConfig
}

// NewBatcher returns a Batcher over sentences of the given lengths (one per sentence).
func NewBatcher(lengths []int, cfg BatchConfig) (*Batcher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = 32
	}
	if cfg.PoolBatches == 0 {
		cfg.PoolBatches = 50
	}
	return &Batcher{lengths: append([]int(nil), lengths...), cfg: cfg}, nil
}

// Epoch returns the batches of epoch e (any integer): slices of sentence indices,
// every sentence in exactly one batch (unless DropLast drops a short one).
func (b *Batcher) Epoch(e int) [][]int {
	rng := rand.New(rand.NewPCG(b.cfg.Seed, uint64(e)))
	n := len(b.lengths)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	rng.Shuffle(n, func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
	bs := b.cfg.BatchSize
	pool := bs * b.cfg.PoolBatches
	var batches [][]int
	for start := 0; start < n; start += pool {
		p := idx[start:min(start+pool, n)]
		sort.SliceStable(p, func(i, j int) bool { return b.lengths[p[i]] < b.lengths[p[j]] })
		for s := 0; s < len(p); s += bs {
			batches = append(batches, p[s:min(s+bs, len(p))])
		}
	}
	if b.cfg.DropLast {
		kept := batches[:0]
		for _, bt := range batches {
			if len(bt) == bs {
				kept = append(kept, bt)
			}
		}
		batches = kept
	}
	rng.Shuffle(len(batches), func(i, j int) { batches[i], batches[j] = batches[j], batches[i] })
	return batches
}
