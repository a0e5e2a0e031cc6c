package nn

import (
	"fmt"
	"math/rand/v2"

	"github.com/nlp-go/nlp"
)

// EncoderConfig describes a stack of recurrent layers. Zero values mean the
// documented defaults.
type EncoderConfig struct {
	Cell          string `json:"cell"`          // cell name for NewCell; default "lstm"
	Input         int    `json:"input"`         // input width; required
	Hidden        int    `json:"hidden"`        // hidden width of each direction; required
	Layers        int    `json:"layers"`        // stacked layers; default 1
	Bidirectional bool   `json:"bidirectional"` // run each layer both ways and concatenate
}

// Bounds on an encoder's size, so that a mistyped flag or a corrupt model file
// gets an error rather than exhausting memory. MaxWeights is 2 GiB of float64
// weights; training holds three more arrays of the same size (the gradients and
// Adam's two moments).
const (
	MaxWidth   = 1 << 14 // input and hidden widths
	MaxLayers  = 64
	MaxWeights = 1 << 28
)

// Validate reports the first invalid field, in the order EncoderConfig declares
// them, then an encoder too large as a whole, as an error wrapping
// nlp.ErrConfig. The bounds keep a mistyped size from allocating without limit.
func (c EncoderConfig) Validate() error {
	bad := func(field, format string, args ...any) error {
		return nlp.ConfigError("nn", "EncoderConfig."+field, format, args...)
	}
	if c.Cell != "" {
		if _, err := NewCell(c.Cell); err != nil {
			return bad("Cell", "%q: %w", c.Cell, err)
		}
	}
	switch {
	case c.Input <= 0 || c.Input > MaxWidth:
		return bad("Input", "%d, want 1..%d", c.Input, MaxWidth)
	case c.Hidden <= 0 || c.Hidden > MaxWidth:
		return bad("Hidden", "%d, want 1..%d", c.Hidden, MaxWidth)
	case c.Layers < 0 || c.Layers > MaxLayers:
		return bad("Layers", "%d, want 0..%d (0: one)", c.Layers, MaxLayers)
	}
	if n := c.Weights(); n > MaxWeights {
		return nlp.ConfigError("nn", "EncoderConfig", "of %d layers of hidden size %d on inputs of %d: %d weights, more than the %d allowed",
			c.withDefaults().Layers, c.Hidden, c.Input, n, MaxWeights)
	}
	return nil
}

// Weights returns the number of weights the encoder holds: per layer and
// direction, the input and recurrent matrices, the biases and any peepholes.
// The widths and layers must be within the bounds Validate checks.
func (c EncoderConfig) Weights() int {
	c = c.withDefaults()
	cell, err := NewCell(c.Cell)
	if err != nil {
		return 0
	}
	gh := cell.Gates() * c.Hidden
	dirs, out := 1, c.Hidden
	if c.Bidirectional {
		dirs, out = 2, 2*c.Hidden
	}
	biases := 1
	if cell.RecurrentBias() {
		biases = 2
	}
	n, in := 0, c.Input
	for range c.Layers {
		n += dirs * ((in+c.Hidden+biases)*gh + cell.Peepholes()*c.Hidden)
		in = out
	}
	return n
}

func (c EncoderConfig) withDefaults() EncoderConfig {
	if c.Cell == "" {
		c.Cell = "lstm"
	}
	if c.Layers == 0 {
		c.Layers = 1
	}
	return c
}

// Encoder is a stack of recurrent layers, each reading the outputs of the one
// below: the many-to-many outputs of the top layer label every position (tagging),
// its final states summarise the sequence (classification).
type Encoder struct {
	Config EncoderConfig
	uni    []*Layer         // when !Bidirectional
	bi     []*Bidirectional // when Bidirectional
	outs   [][]float64      // each layer's outputs, (T·B)×Output
	douts  [][]float64      // gradients of those outputs
	dx     []float64
	dfin   []State
	batch  Batch
}

// NewEncoder builds the stack with parameters named prefix.l0, prefix.l1, …,
// drawn from rng (nil: zero, for weights to be loaded).
func NewEncoder(cfg EncoderConfig, prefix string, rng *rand.Rand) (*Encoder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	cell, _ := NewCell(cfg.Cell)
	e := &Encoder{Config: cfg}
	in := cfg.Input
	for i := 0; i < cfg.Layers; i++ {
		name := fmt.Sprintf("%s.l%d", prefix, i)
		if cfg.Bidirectional {
			e.bi = append(e.bi, NewBidirectional(cell, in, cfg.Hidden, name, rng))
		} else {
			e.uni = append(e.uni, NewLayer(cell, in, cfg.Hidden, false, name, rng))
		}
		in = e.Output()
	}
	e.outs = make([][]float64, cfg.Layers)
	e.douts = make([][]float64, cfg.Layers)
	return e, nil
}

// Output is the width of each output row: Hidden, or 2·Hidden when bidirectional.
func (e *Encoder) Output() int {
	if e.Config.Bidirectional {
		return 2 * e.Config.Hidden
	}
	return e.Config.Hidden
}

// Params lists all parameters, bottom layer first.
func (e *Encoder) Params() []*Param {
	var ps []*Param
	for _, l := range e.uni {
		ps = append(ps, l.Params()...)
	}
	for _, l := range e.bi {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// PackWeights makes every layer keep its weights packed for the product kernel
// between passes (see Layer.PackWeights): for inference, above all on small batches.
func (e *Encoder) PackWeights() {
	for _, l := range e.layers() {
		l.PackWeights()
	}
}

// UnpackWeights undoes PackWeights.
func (e *Encoder) UnpackWeights() {
	for _, l := range e.layers() {
		l.UnpackWeights()
	}
}

// layers lists every Layer of the stack, both directions of bidirectional ones.
func (e *Encoder) layers() []*Layer {
	ls := append([]*Layer(nil), e.uni...)
	for _, b := range e.bi {
		ls = append(ls, b.Fwd, b.Bwd)
	}
	return ls
}

// SetParallel chooses whether the two directions of bidirectional layers run on
// two goroutines (the default) or one after the other.
func (e *Encoder) SetParallel(on bool) {
	for _, l := range e.bi {
		l.Parallel = on
	}
}

// Forward runs the stack over x ((T·B)×Input, time-major) and returns the top
// layer's outputs, (T·B)×Output; the slice belongs to the encoder.
func (e *Encoder) Forward(x []float64, bt Batch) []float64 {
	e.batch = bt
	in, ld := x, e.Config.Input
	out := e.Output()
	for i := 0; i < e.Config.Layers; i++ {
		e.outs[i] = grow(e.outs[i], bt.Rows()*out)
		if e.Config.Bidirectional {
			e.bi[i].Forward(e.outs[i], out, in, ld, bt)
		} else {
			e.uni[i].Forward(e.outs[i], out, in, ld, bt, nil)
		}
		in, ld = e.outs[i], out
	}
	return e.outs[e.Config.Layers-1]
}

// Final writes the top layer's final hidden state into dst (B×Output): for a
// bidirectional stack, [forward state after the last real step | reverse state
// after the first step]. This is the many-to-one summary of each sequence.
func (e *Encoder) Final(dst []float64) {
	H, B, out := e.Config.Hidden, e.batch.B(), e.Output()
	top := e.Config.Layers - 1
	if !e.Config.Bidirectional {
		copy(dst[:B*H], e.uni[top].Final().H)
		return
	}
	f, r := e.bi[top].Final()
	for b := 0; b < B; b++ {
		copy(dst[b*out:b*out+H], f.H[b*H:(b+1)*H])
		copy(dst[b*out+H:(b+1)*out], r.H[b*H:(b+1)*H])
	}
}

// Backward takes the gradient of the top outputs (dy, (T·B)×Output, nil for
// none) and of the final hidden state as written by Final (dFinal, B×Output, nil
// for none), adds every parameter's gradient and returns the gradient of the
// input, (T·B)×Input, which belongs to the encoder.
func (e *Encoder) Backward(dy, dFinal []float64) []float64 {
	bt, H, out := e.batch, e.Config.Hidden, e.Output()
	B := bt.B()
	top := e.Config.Layers - 1
	for i := top; i >= 0; i-- {
		var dIn []float64
		ldIn := e.Config.Input
		if i > 0 {
			e.douts[i-1] = grow(e.douts[i-1], bt.Rows()*out)
			clear(e.douts[i-1])
			dIn, ldIn = e.douts[i-1], out
		} else {
			e.dx = grow(e.dx, bt.Rows()*e.Config.Input)
			clear(e.dx)
			dIn = e.dx
		}
		dOut := dy
		if i < top {
			dOut = e.douts[i]
		}
		var dfF, dfR *State
		if i == top && dFinal != nil {
			if len(e.dfin) < 2 {
				e.dfin = make([]State, 2)
			}
			if e.Config.Bidirectional {
				// Split [fwd | rev] rows into the two directions' state gradients.
				e.dfin[0].H = grow(e.dfin[0].H, B*H)
				e.dfin[1].H = grow(e.dfin[1].H, B*H)
				for b := 0; b < B; b++ {
					copy(e.dfin[0].H[b*H:(b+1)*H], dFinal[b*out:b*out+H])
					copy(e.dfin[1].H[b*H:(b+1)*H], dFinal[b*out+H:(b+1)*out])
				}
				dfF, dfR = &e.dfin[0], &e.dfin[1]
			} else {
				e.dfin[0].H = dFinal[:B*H]
				dfF = &e.dfin[0]
			}
		}
		if e.Config.Bidirectional {
			e.bi[i].Backward(dIn, ldIn, dOut, out, dfF, dfR)
		} else {
			e.uni[i].Backward(dIn, ldIn, dOut, out, dfF)
		}
	}
	return e.dx
}

// ShareParams returns an encoder with the same parameters (the same *Param, so
// updates and gradients are shared) and a workspace of its own. Use it to run
// several batches through one set of weights before going back through them,
// such as words grouped by length in a character model, or to run inference
// on several goroutines.
func (e *Encoder) ShareParams() *Encoder {
	c := &Encoder{Config: e.Config, outs: make([][]float64, len(e.outs)), douts: make([][]float64, len(e.douts))}
	for _, l := range e.uni {
		c.uni = append(c.uni, l.shareParams())
	}
	for _, l := range e.bi {
		c.bi = append(c.bi, &Bidirectional{Fwd: l.Fwd.shareParams(), Bwd: l.Bwd.shareParams(), Parallel: l.Parallel})
	}
	return c
}

// firstLayers lists the layers reading the encoder's input: one, or the two
// directions of a bidirectional first layer.
func (e *Encoder) firstLayers() []*Layer {
	if e.Config.Bidirectional {
		return []*Layer{e.bi[0].Fwd, e.bi[0].Bwd}
	}
	return []*Layer{e.uni[0]}
}

// ProjectedWidth is the width of an input projection: gates × Hidden.
func (e *Encoder) ProjectedWidth() int {
	l := e.firstLayers()[0]
	return l.Cell.Gates() * l.Hidden
}

// Project computes the input projections x·W of the first layer for rows rows of
// x (rows×Input): dst[d] (rows×ProjectedWidth) for each direction d, forward
// first. An input that recurs (a word) can be projected once and its rows
// reused with ForwardProjected.
func (e *Encoder) Project(dst [][]float64, x []float64, rows int) {
	for d, l := range e.firstLayers() {
		GH := l.Cell.Gates() * l.Hidden
		if pw := l.packedW(); pw != nil && kernelFits(rows, GH, l.In) {
			l.ws.mm.mulPacked(false, rows, GH, l.In, x, l.In, pw, dst[d], GH, false)
			continue
		}
		l.ws.mm.mul(false, false, rows, GH, l.In, x, l.In, l.W.Value, GH, 0, dst[d], GH)
	}
}

// ForwardProjected is Forward for inference with the first layer's input
// projections given, a[d] ((T·B)×ProjectedWidth) for each direction as made by
// Project. The projections are overwritten. Backward cannot follow it.
func (e *Encoder) ForwardProjected(a [][]float64, bt Batch) []float64 {
	e.batch = bt
	out := e.Output()
	gh := e.ProjectedWidth()
	var in []float64
	for i := 0; i < e.Config.Layers; i++ {
		e.outs[i] = grow(e.outs[i], bt.Rows()*out)
		switch {
		case i == 0 && e.Config.Bidirectional:
			e.bi[0].ForwardProjected(e.outs[0], out, a[0], a[1], gh, bt)
		case i == 0:
			e.uni[0].ForwardProjected(e.outs[0], out, a[0], gh, bt, nil)
		case e.Config.Bidirectional:
			e.bi[i].Forward(e.outs[i], out, in, out, bt)
		default:
			e.uni[i].Forward(e.outs[i], out, in, out, bt, nil)
		}
		in = e.outs[i]
	}
	return e.outs[e.Config.Layers-1]
}
