package generate

import (
	"math"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/internal/shards"
	"github.com/nlp-go/nlp/nn"
)

// EvalConfig sets how Evaluate reads a text. Zero values mean the defaults in
// the comments.
type EvalConfig struct {
	// Streams cuts the text into this many consecutive parts read side by side
	// as one batch, each from a zero state: faster (the recurrence becomes a
	// matrix product) at the price of losing the context at the Streams−1 cuts.
	// Every character is still scored exactly once. 0 means 1: one pass over the
	// text in order, the state carried from its first character to its last.
	Streams int
	// BPTT is the number of characters per stream run at once; 0 means 100.
	BPTT int
	// Threads splits the streams among this many goroutines; 0 means
	// min(2, Streams).
	Threads int
}

// Eval is the score of a model on a text.
type Eval struct {
	Lines   int     `json:"lines"`
	Chars   int     `json:"chars"`   // predictions scored: every character plus one </s> per line
	Unknown int     `json:"unknown"` // characters outside the vocabulary (scored as <unk>)
	Nats    float64 `json:"nats"`    // mean negative log-likelihood per character, in nats
	Bits    float64 `json:"bits"`    // the same in bits: Nats / ln 2
}

// Validate reports the first invalid field, in the order EvalConfig declares
// them, as an error wrapping nlp.ErrConfig.
func (c EvalConfig) Validate() error {
	bad := func(field, format string, args ...any) error {
		return nlp.ConfigError("generate", "EvalConfig."+field, format, args...)
	}
	switch {
	case c.Streams < 0:
		return bad("Streams", "%d, want ≥ 0", c.Streams)
	case c.BPTT < 0:
		return bad("BPTT", "%d, want ≥ 0", c.BPTT)
	case c.Threads < 0 || c.Threads > 256:
		return bad("Threads", "%d, want 0..256 (0: the default)", c.Threads)
	}
	return nil
}

// Evaluate scores the model on lines: the mean negative log-likelihood of every
// character and of every line's end (</s>), each predicted from what precedes
// it, the state carried through the text (see EvalConfig.Streams). A <s> is
// never scored: after </s> it is certain.
func (m *Model) Evaluate(lines []string, cfg EvalConfig) (Eval, error) {
	if err := cfg.Validate(); err != nil {
		return Eval{}, err
	}
	if len(lines) == 0 {
		return Eval{}, ErrEmpty
	}
	seq, unk := m.Encode(lines)
	streams := max(cfg.Streams, 1)
	T := cfg.BPTT
	if T == 0 {
		T = 100
	}
	threads := cfg.Threads
	if threads == 0 {
		threads = 2
	}
	threads = min(threads, streams)
	nets := []*net{m.main}
	for len(nets) < threads {
		nets = append(nets, m.main.replica())
	}
	sh := shards.New(threads)
	defer sh.Stop()
	sum, n := m.evaluate(seq, streams, T, nets, sh)
	e := Eval{Lines: len(lines), Chars: n, Unknown: unk}
	if n > 0 {
		e.Nats = sum / float64(n)
		e.Bits = e.Nats / math.Ln2
	}
	return e, nil
}

// evaluate returns the summed negative log-likelihood of the predictions of
// seq (each seq[i+1] from seq[…i], <s> targets skipped) and their number, the
// text cut into streams parts read side by side in chunks of T, the parts split
// among the nets (run by sh).
func (m *Model) evaluate(seq []int, streams, T int, nets []*net, sh *shards.Pool) (float64, int) {
	M := len(seq) - 1 // predictions
	if M <= 0 {
		return 0, 0
	}
	streams = min(streams, M)
	W := min(len(nets), streams)
	start := m.StartID()
	// Part p covers the inputs seq[lo_p : lo_{p+1}].
	lo := func(p int) int { return p * M / streams }
	maxLen := 0
	for p := 0; p < streams; p++ {
		maxLen = max(maxLen, lo(p+1)-lo(p))
	}
	type shard struct {
		first, b int // streams first … first+b−1
		st       []nn.State
		sum      float64
		n        int
	}
	parts := make([]shard, W)
	for i := range parts {
		a, b := i*streams/W, (i+1)*streams/W
		parts[i] = shard{first: a, b: b - a, st: nets[i].newStates(b - a)}
		nets[i].setTraining(false)
	}
	for k := 0; k*T < maxLen; k++ {
		sh.Run(func(i int) {
			s, n := &parts[i], nets[i]
			steps := 0
			n.lengths = growInts(n.lengths, s.b)
			for j := 0; j < s.b; j++ {
				p := s.first + j
				l := min(max(lo(p+1)-lo(p)-k*T, 0), T)
				n.lengths[j] = l
				steps = max(steps, l)
			}
			bt := nn.Batch{Steps: steps, Lengths: n.lengths[:s.b]}
			n.prepare(bt.Rows())
			for j := 0; j < s.b; j++ {
				base := lo(s.first+j) + k*T
				for t := 0; t < steps; t++ {
					r := t*s.b + j
					if t >= n.lengths[j] {
						n.ids[r], n.targets[r] = nn.PadID, nn.IgnoreIndex
						continue
					}
					n.ids[r] = seq[base+t]
					n.targets[r] = target(seq[base+t+1], start)
				}
			}
			n.forward(bt, s.st)
			sum, cnt := n.loss(bt.Rows(), false, 0)
			s.sum += sum
			s.n += cnt
		})
	}
	var sum float64
	var n int
	for _, s := range parts { // a fixed order: the same sum whatever the schedule
		sum += s.sum
		n += s.n
	}
	return sum, n
}

// target is the training target for the symbol id: IgnoreIndex for <s>.
func target(id, start int) int {
	if id == start {
		return nn.IgnoreIndex
	}
	return id
}
