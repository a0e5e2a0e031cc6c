package generate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"unicode/utf8"

	"github.com/nlp-go/nlp/nn"
)

// Reserved IDs of the vocabulary. The characters of the training text follow
// from FirstCharID on, in code-point order; the start symbol <s> takes the ID
// after the last character (Model.StartID): it is read but never predicted, so
// the output layer has no class for it.
const (
	EndID       = 0 // </s>, the end of a line: the newline of the text
	UnknownID   = 1 // <unk>, any character the training text did not contain
	FirstCharID = 2
)

// The names of the reserved symbols, as the package documentation and the error
// messages write them.
const (
	StartSymbol   = "<s>"
	EndSymbol     = "</s>"
	UnknownSymbol = "<unk>"
)

// Model is a character-level language model: a table of character vectors, a
// stack of recurrent layers and a softmax layer over the characters. A Model
// reuses its buffers between calls, so it is not safe for concurrent use.
type Model struct {
	// Config is the configuration the model was trained with, defaults filled in.
	Config Config

	chars []rune       // ID−FirstCharID → character
	index map[rune]int // character → ID
	main  *net         // the parameters (and the first training shard)
	gen   *net         // a one-stream replica for Generate, made on first use
}

// newModel builds an untrained model over the given characters (sorted,
// distinct); cfg must have its defaults filled in. A nil rng leaves the
// parameters at zero, for values that Load will fill.
func newModel(cfg Config, chars []rune, rng *rand.Rand) (*Model, error) {
	m := &Model{Config: cfg, chars: chars, index: make(map[rune]int, len(chars))}
	for i, c := range chars {
		if _, dup := m.index[c]; dup || !utf8.ValidRune(c) || (i > 0 && c < chars[i-1]) {
			return nil, fmt.Errorf("generate: vocabulary: character %q duplicated, invalid or out of order", c)
		}
		if c == '\n' {
			return nil, fmt.Errorf("generate: vocabulary: the newline is not a character (it is %s)", EndSymbol)
		}
		m.index[c] = FirstCharID + i
	}
	var err error
	m.main, err = newNet(cfg, m.Classes(), rng)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Classes is the number of outputs of the softmax: </s>, <unk> and the characters.
func (m *Model) Classes() int { return FirstCharID + len(m.chars) }

// StartID is the ID of the start symbol <s>, an input only.
func (m *Model) StartID() int { return m.Classes() }

// Chars returns the characters of the vocabulary, in ID order from FirstCharID.
func (m *Model) Chars() []rune { return m.chars }

// ID returns the ID of a character: UnknownID for one outside the vocabulary,
// EndID for '\n'.
func (m *Model) ID(c rune) int {
	if c == '\n' {
		return EndID
	}
	if id, ok := m.index[c]; ok {
		return id
	}
	return UnknownID
}

// Params lists every parameter: the character table, the layers bottom first,
// the output layer.
func (m *Model) Params() []*nn.Param { return m.main.params() }

// Encode turns lines into the stream the model reads: each line wrapped as
// <s> c1 … cn </s>, the lines concatenated. It also returns how many
// characters were outside the vocabulary (read as <unk>).
func (m *Model) Encode(lines []string) (ids []int, unknown int) {
	n := 0
	for _, l := range lines {
		n += len(l) + 2
	}
	ids = make([]int, 0, n)
	start := m.StartID()
	for _, l := range lines {
		ids = append(ids, start)
		for _, c := range l {
			id := m.ID(c)
			if id == UnknownID {
				unknown++
			}
			ids = append(ids, id)
		}
		ids = append(ids, EndID)
	}
	return ids, unknown
}

// vocabulary returns the distinct characters of lines in code-point order.
func vocabulary(lines []string) []rune {
	seen := map[rune]bool{}
	for _, l := range lines {
		for _, c := range l {
			seen[c] = true
		}
	}
	chars := make([]rune, 0, len(seen))
	for c := range seen {
		chars = append(chars, c)
	}
	slices.Sort(chars)
	return chars
}

// net is one copy of the network's computation: the parameters (or a replica
// sharing their values, with gradients of its own) and the buffers of a batch of
// streams. Training and evaluation split a batch into shards, one net each.
type net struct {
	cfg     Config
	classes int
	emb     *nn.Embedding // (classes+1)×Embed: the characters and <s>
	layers  []*nn.Layer
	out     *nn.Linear // Hidden×classes
	drops   []*nn.Dropout
	dropSrc *rand.PCG

	// Buffers for T·b rows, grown to the largest batch and reused.
	ids, targets []int
	x            []float64   // (T·b)×Embed
	ys, dys      [][]float64 // per layer, (T·b)×Hidden
	dx0          []float64   // (T·b)×Embed
	logits       []float64   // (T·b)×classes
	dLogits      []float64
	lengths      []int
	ps           []*nn.Param // params(), made on first use
}

func newNet(cfg Config, classes int, rng *rand.Rand) (*net, error) {
	cell, err := nn.NewCell(cfg.Cell)
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	// The stack is an encoder in all but name: bound its size the same way.
	if err := (nn.EncoderConfig{Cell: cfg.Cell, Input: cfg.Embed, Hidden: cfg.Hidden, Layers: cfg.Layers}).Validate(); err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	n := &net{cfg: cfg, classes: classes}
	n.emb = nn.NewEmbedding("emb", classes+1, cfg.Embed, rng)
	in := cfg.Embed
	for l := 0; l < cfg.Layers; l++ {
		n.layers = append(n.layers, nn.NewLayer(cell, in, cfg.Hidden, false, fmt.Sprintf("rnn.l%d", l), rng))
		in = cfg.Hidden
	}
	n.out = nn.NewLinear("out", cfg.Hidden, classes, rng)
	n.dropSrc = rand.NewPCG(cfg.Seed, 0)
	for l := 0; l+1 < cfg.Layers; l++ {
		n.drops = append(n.drops, nn.NewDropout(cfg.Dropout, rand.New(n.dropSrc)))
	}
	n.ys = make([][]float64, cfg.Layers)
	n.dys = make([][]float64, cfg.Layers)
	n.setTraining(false)
	return n, nil
}

// replica returns a net whose parameters share n's values (updates to n are
// seen at once) and have gradients of their own.
func (n *net) replica() *net {
	r, err := newNet(n.cfg, n.classes, nil)
	if err != nil {
		panic(err) // n was built from the same configuration
	}
	src, dst := n.params(), r.params()
	for i := range src {
		dst[i].Value = src[i].Value
	}
	return r
}

// params lists the parameters, made once: training steps call it and must not
// allocate. The slice is clipped, so that appending to it copies.
func (n *net) params() []*nn.Param {
	if n.ps == nil {
		n.ps = append(n.ps, n.emb.Params()...)
		for _, l := range n.layers {
			n.ps = append(n.ps, l.Params()...)
		}
		n.ps = append(n.ps, n.out.Params()...)
	}
	return slices.Clip(n.ps)
}

func (n *net) setTraining(on bool) {
	for _, d := range n.drops {
		d.SetTraining(on)
	}
}

// newStates returns zero recurrent states for b streams, one per layer.
func (n *net) newStates(b int) []nn.State {
	st := make([]nn.State, len(n.layers))
	for l, layer := range n.layers {
		st[l].H = make([]float64, b*n.cfg.Hidden)
		if layer.Cell.Memory() {
			st[l].C = make([]float64, b*n.cfg.Hidden)
		}
	}
	return st
}

func zeroStates(st []nn.State) {
	for _, s := range st {
		clear(s.H)
		clear(s.C)
	}
}

// fullBatch returns a batch of b streams of T steps each, without allocating.
func (n *net) fullBatch(b, T int) nn.Batch {
	n.lengths = growInts(n.lengths, b)
	for i := range n.lengths {
		n.lengths[i] = T
	}
	return nn.Batch{Steps: T, Lengths: n.lengths}
}

// prepare sizes the id and target buffers for T·b rows.
func (n *net) prepare(rows int) {
	n.ids = growInts(n.ids, rows)
	n.targets = growInts(n.targets, rows)
}

// forward runs the network over n.ids (time-major, bt) from the states st and
// leaves the logits in n.logits; st then holds the states after each stream's
// last real step, ready for the next chunk.
func (n *net) forward(bt nn.Batch, st []nn.State) {
	rows, H, E := bt.Rows(), n.cfg.Hidden, n.cfg.Embed
	n.x = grow(n.x, rows*E)
	n.emb.Forward(n.x, n.ids[:rows])
	in, ldin := n.x, E
	for l, layer := range n.layers {
		n.ys[l] = grow(n.ys[l], rows*H)
		layer.Forward(n.ys[l], H, in, ldin, bt, &st[l])
		f := layer.Final()
		copy(st[l].H, f.H)
		copy(st[l].C, f.C)
		in, ldin = n.ys[l], H
		if l < len(n.drops) {
			// In place: the layer above keeps its input for Backward, this
			// layer does not need its output.
			n.drops[l].Forward(n.ys[l], n.ys[l])
		}
	}
	n.logits = grow(n.logits, rows*n.classes)
	n.out.Forward(n.logits, n.ys[len(n.layers)-1])
}

// loss returns the summed negative log-likelihood of n.targets under the
// logits of the last forward and the number of scored rows. With grad set it
// leaves in n.dLogits the gradient of (sum of NLL)/total, total being the
// scored rows of the whole batch across shards.
func (n *net) loss(rows int, grad bool, total int) (sum float64, count int) {
	var d []float64
	if grad {
		n.dLogits = grow(n.dLogits, rows*n.classes)
		d = n.dLogits
	}
	mean, cnt := nn.SoftmaxCrossEntropy(d, n.logits[:rows*n.classes], n.classes, n.targets[:rows])
	if grad && cnt > 0 {
		// SoftmaxCrossEntropy divides by this shard's count; the batch's mean
		// divides by the total.
		s := float64(cnt) / float64(total)
		for i := range d {
			d[i] *= s
		}
	}
	return mean * float64(cnt), cnt
}

// backward adds the gradients of the last loss to the parameters' Grad
// (truncated backpropagation: nothing flows into the initial states).
func (n *net) backward(bt nn.Batch) {
	rows, H, E, L := bt.Rows(), n.cfg.Hidden, n.cfg.Embed, len(n.layers)
	for l := range n.dys {
		n.dys[l] = grow(n.dys[l], rows*H)
	}
	n.out.Backward(n.dys[L-1], n.ys[L-1], n.dLogits)
	for l := L - 1; l >= 0; l-- {
		if l == 0 {
			n.dx0 = grow(n.dx0, rows*E)
			clear(n.dx0)
			n.layers[0].Backward(n.dx0, E, n.dys[0], H, nil)
			break
		}
		clear(n.dys[l-1])
		n.layers[l].Backward(n.dys[l-1], H, n.dys[l], H, nil)
		n.drops[l-1].Backward(n.dys[l-1], n.dys[l-1])
	}
	n.emb.Backward(n.ids[:rows], n.dx0)
}

// addGradsTo adds n's gradients to dst's (a model of the same shape) and
// clears n's.
func (n *net) addGradsTo(dst *net) { nn.AddGrads(dst.params(), n.params()) }

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

func growInts(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}
