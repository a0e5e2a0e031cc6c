package generate

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/nlp-go/nlp/nn"
)

// Generate writes text with the model, the lecture's one-to-many loop: from a
// zero state it reads <s> (then the prime, if any), draws a character from
// softmax(logits/Temperature) restricted to the TopK most probable, reads it
// back, and so on until it draws </s> (the end of the line) or the line reaches
// MaxLen characters. The next line starts by reading </s> <s> in the state the
// previous one left, as in training, so that lines follow one another. <unk> is
// never drawn. It returns the lines without their newlines: the lines the prime
// completes, then Lines generated lines, the first of which begins with the
// prime's last line.
func (m *Model) Generate(cfg SampleConfig) ([]string, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	s := m.newSampler(cfg.Seed)
	s.feed(m.StartID())
	var out []string
	var line strings.Builder
	for _, c := range cfg.Prime {
		if c == '\n' {
			out = append(out, line.String())
			line.Reset()
			s.feed(EndID)
			s.feed(m.StartID())
			continue
		}
		line.WriteRune(c)
		s.feed(m.ID(c))
	}
	n := len([]rune(line.String()))
	for done := 0; done < cfg.Lines; {
		id := EndID
		if n < cfg.MaxLen {
			id = s.sample(cfg)
		}
		if id == EndID {
			out = append(out, line.String())
			line.Reset()
			n = 0
			done++
			if done < cfg.Lines {
				s.feed(EndID)
				s.feed(m.StartID())
			}
			continue
		}
		line.WriteRune(m.chars[id-FirstCharID])
		n++
		s.feed(id)
	}
	return out, nil
}

// sampler runs the network one symbol at a time on a one-stream replica and
// draws from its output; after the first step it allocates nothing.
type sampler struct {
	m      *Model
	n      *net
	st     []nn.State
	rng    *rand.Rand
	probs  []float64
	order  []int
	logits []float64 // the logits after the last symbol read
}

func (m *Model) newSampler(seed uint64) *sampler {
	if m.gen == nil {
		m.gen = m.main.replica()
	}
	s := &sampler{m: m, n: m.gen, rng: rand.New(rand.NewPCG(seed, 0x5eed))}
	s.st = s.n.newStates(1)
	s.probs = make([]float64, m.Classes())
	s.order = make([]int, 0, m.Classes())
	return s
}

// feed reads one symbol and leaves the logits of the next one in s.logits.
func (s *sampler) feed(id int) {
	n := s.n
	n.prepare(1)
	n.ids[0] = id
	n.forward(n.fullBatch(1, 1), s.st)
	s.logits = n.logits[:n.classes]
}

// sample draws the next symbol from s.logits (never UnknownID).
func (s *sampler) sample(cfg SampleConfig) int {
	V := len(s.logits)
	if cfg.Greedy || cfg.TopK == 1 {
		best := -1
		for c := 0; c < V; c++ {
			if c != UnknownID && (best < 0 || s.logits[c] > s.logits[best]) {
				best = c
			}
		}
		return best
	}
	// The candidates: every class but <unk>, or the TopK most probable (ties to
	// the lower ID).
	s.order = s.order[:0]
	for c := 0; c < V; c++ {
		if c != UnknownID {
			s.order = append(s.order, c)
		}
	}
	if cfg.TopK > 0 && cfg.TopK < len(s.order) {
		slices.SortStableFunc(s.order, func(a, b int) int {
			switch {
			case s.logits[a] > s.logits[b]:
				return -1
			case s.logits[a] < s.logits[b]:
				return 1
			}
			return 0
		})
		s.order = s.order[:cfg.TopK]
		slices.Sort(s.order)
	}
	hi := math.Inf(-1)
	for _, c := range s.order {
		hi = max(hi, s.logits[c])
	}
	var sum float64
	for _, c := range s.order {
		p := math.Exp((s.logits[c] - hi) / cfg.Temperature)
		s.probs[c] = p
		sum += p
	}
	u := s.rng.Float64() * sum
	for _, c := range s.order {
		u -= s.probs[c]
		if u < 0 {
			return c
		}
	}
	return s.order[len(s.order)-1] // rounding: u landed on the sum itself
}
