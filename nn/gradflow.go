package nn

import (
	"math"
	"math/rand/v2"

	"github.com/nlp-go/nlp"
)

// GradFlowConfig describes the vanishing-gradient experiment: each cell reads
// one random sequence and the loss looks only at the last step's h.
type GradFlowConfig struct {
	Cells  []string // default rnn, lstm, gru
	Steps  int      // sequence length; default 100, at most MaxGradFlowSteps
	Input  int      // input width; default 32, at most MaxGradFlowWidth
	Hidden int      // hidden width; default 64, at most MaxGradFlowWidth
	Seed   uint64   // weights, inputs and loss weights all derive from it
}

// The limits of GradFlowConfig: the experiment keeps every step's state for
// the backward pass, so memory grows with Steps × Hidden; at these limits one
// cell takes about 330 MB.
const (
	MaxGradFlowSteps = 10000
	MaxGradFlowWidth = 512
)

// Validate reports the first invalid field, in the order GradFlowConfig
// declares them, as an error wrapping nlp.ErrConfig.
func (c GradFlowConfig) Validate() error {
	bad := func(field, format string, args ...any) error {
		return nlp.ConfigError("nn", "GradFlowConfig."+field, format, args...)
	}
	for _, name := range c.Cells {
		if _, err := NewCell(name); err != nil {
			return bad("Cells", "%q: %w", name, err)
		}
	}
	switch {
	case c.Steps < 0 || c.Steps > MaxGradFlowSteps:
		return bad("Steps", "%d, want 0..%d", c.Steps, MaxGradFlowSteps)
	case c.Input < 0 || c.Input > MaxGradFlowWidth:
		return bad("Input", "%d, want 0..%d", c.Input, MaxGradFlowWidth)
	case c.Hidden < 0 || c.Hidden > MaxGradFlowWidth:
		return bad("Hidden", "%d, want 0..%d", c.Hidden, MaxGradFlowWidth)
	}
	return nil
}

func (c GradFlowConfig) withDefaults() GradFlowConfig {
	if len(c.Cells) == 0 {
		c.Cells = []string{"rnn", "lstm", "gru"}
	}
	if c.Steps == 0 {
		c.Steps = 100
	}
	if c.Input == 0 {
		c.Input = 32
	}
	if c.Hidden == 0 {
		c.Hidden = 64
	}
	return c
}

// GradFlow is the experiment's result: for each cell, Norms[d] is ‖∂L/∂h_t‖ at
// distance d = T−1−t from the last step, for L = w·h_T with w a fixed random unit vector.
type GradFlow struct {
	Config GradFlowConfig
	Cells  []string
	Norms  [][]float64 // [cell][distance]
}

// GradientFlow runs the lecture's experiment on why a vanilla RNN fails: it
// backpropagates a loss on the last step through an untrained layer of each cell
// (PyTorch's initialisation, forget bias 1) and records how the gradient norm
// decays with distance. The tanh RNN's gradient shrinks by a roughly constant
// factor per step; the LSTM's flows back along the memory c, scaled only by the
// forget gate, and stays orders of magnitude larger.
func GradientFlow(cfg GradFlowConfig) (GradFlow, error) {
	if err := cfg.Validate(); err != nil {
		return GradFlow{}, err
	}
	cfg = cfg.withDefaults()
	T, D, H := cfg.Steps, cfg.Input, cfg.Hidden
	data := rand.New(rand.NewPCG(cfg.Seed, 1))
	x := make([]float64, T*D)
	for i := range x {
		x[i] = data.NormFloat64()
	}
	w := make([]float64, H)
	norm := 0.0
	for i := range w {
		w[i] = data.NormFloat64()
		norm += w[i] * w[i]
	}
	for i := range w {
		w[i] /= math.Sqrt(norm)
	}
	res := GradFlow{Config: cfg, Cells: cfg.Cells}
	for _, name := range cfg.Cells {
		cell, _ := NewCell(name)
		// Every cell gets the same weight stream, so the comparison is of cells, not draws.
		l := NewLayer(cell, D, H, false, name, rand.New(rand.NewPCG(cfg.Seed, 2)))
		bt := FullBatch(1, T)
		l.Forward(nil, H, x, D, bt, nil)
		norms := make([]float64, T)
		l.GradHook = func(t int, dh []float64) {
			s := 0.0
			for _, v := range dh {
				s += v * v
			}
			norms[T-1-t] = math.Sqrt(s)
		}
		l.Backward(nil, D, nil, H, &State{H: w})
		res.Norms = append(res.Norms, norms)
	}
	return res, nil
}
