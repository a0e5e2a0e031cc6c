package translate

import (
	"fmt"
	"math/rand/v2"

	"github.com/nlp-go/nlp/nn"
)

// Model is an encoder–decoder with attention (see the package doc for its
// equations). Its methods are not safe for concurrent use: each holds the
// workspaces of a pass; Clone gives a copy sharing the weights.
type Model struct {
	cfg      Config
	src, tgt *vocab
	text     *textModel // tokenizer, truecaser and subword units of both sides

	srcEmb, tgtEmb *nn.Embedding
	enc            *nn.Encoder   // bidirectional, stacked: keys K = 2·Hidden wide
	bridge         *nn.Linear    // encoder summary (K) → the decoder's first state (Decoder)
	dec            *nn.Layer     // input [E y_{t−1}; h̃_{t−1}] (Emb + Output, or Emb), state Decoder
	att            *nn.Attention // query h_t, keys the encoder outputs
	comb           *nn.Linear    // [c_t; h_t] (K + Decoder) → h̃_t (Output), then tanh
	out            *nn.Linear    // h̃_t → scores of the target units

	// Dropout on the embedded source and target units, on the encoder's
	// outputs and on h̃ before the output layer (each keeps its own mask for
	// the backward pass); in evaluation mode they are the identity.
	srcDrop, tgtDrop, keyDrop, outDrop *nn.Dropout

	ws workspace
}

// newModel builds a model of cfg (with its defaults) over the given
// vocabularies, weights drawn from rng (nil: zero, for weights to be loaded).
func newModel(cfg Config, src, tgt *vocab, text *textModel, rng *rand.Rand) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	m := &Model{cfg: cfg, src: src, tgt: tgt, text: text}
	enc, err := nn.NewEncoder(nn.EncoderConfig{Cell: cfg.Cell, Input: cfg.Emb, Hidden: cfg.Hidden, Layers: cfg.Layers, Bidirectional: true}, "enc", rng)
	if err != nil {
		return nil, fmt.Errorf("translate: %w", err)
	}
	m.enc = enc
	K := enc.Output()
	dcfg := nn.EncoderConfig{Cell: cfg.Cell, Input: m.decoderInput(), Hidden: cfg.Decoder}
	if err := dcfg.Validate(); err != nil {
		return nil, fmt.Errorf("translate: decoder: %w", err)
	}
	cell, _ := nn.NewCell(cfg.Cell)
	m.dec = nn.NewLayer(cell, dcfg.Input, cfg.Decoder, false, "dec", rng)
	att, err := nn.NewAttention(cfg.Attention, cfg.Decoder, K, cfg.AttHidden, "att", rng)
	if err != nil {
		return nil, fmt.Errorf("translate: %w", err)
	}
	m.att = att
	m.srcEmb = nn.NewEmbedding("src_emb", src.size(), cfg.Emb, rng)
	m.tgtEmb = nn.NewEmbedding("tgt_emb", tgt.size(), cfg.Emb, rng)
	m.bridge = nn.NewLinear("bridge", K, cfg.Decoder, rng)
	m.comb = nn.NewLinear("comb", K+cfg.Decoder, cfg.Output, rng)
	if cfg.Tied {
		m.out = nn.NewTiedLinear("out", m.tgtEmb.W)
		// Every row is read by the output layer at every step.
		m.tgtEmb.W.Sparse = false
	} else {
		m.out = nn.NewLinear("out", cfg.Output, tgt.size(), rng)
	}
	// The tables are most of the weights: float16 in the file (as the tagger's
	// pretrained vectors) keeps the shipped model small; the rest are float32.
	for _, p := range m.Params() {
		p.Store32 = true
	}
	m.srcEmb.W.Store16, m.tgtEmb.W.Store16, m.out.W.Store16 = true, true, true
	drop := func(k uint64) *nn.Dropout {
		return nn.NewDropout(cfg.dropout(), rand.New(rand.NewPCG(cfg.Seed, k)))
	}
	m.srcDrop, m.tgtDrop, m.keyDrop, m.outDrop = drop(1), drop(2), drop(3), drop(4)
	m.SetTraining(false)
	return m, nil
}

// decoderInput is the width of the decoder's input: the previous unit's
// embedding and, with input feeding, the previous attentional state.
func (m *Model) decoderInput() int {
	if m.cfg.NoInputFeeding {
		return m.cfg.Emb
	}
	return m.cfg.Emb + m.cfg.Output
}

// Config returns the model's configuration, defaults filled in.
func (m *Model) Config() Config { return m.cfg }

// Params lists every weight in a fixed order (the order of the model file).
func (m *Model) Params() []*nn.Param {
	ps := []*nn.Param{m.srcEmb.W, m.tgtEmb.W}
	ps = append(ps, m.enc.Params()...)
	ps = append(ps, m.bridge.Params()...)
	ps = append(ps, m.dec.Params()...)
	ps = append(ps, m.att.Params()...)
	ps = append(ps, m.comb.Params()...)
	if m.cfg.Tied {
		return append(ps, m.out.B) // its W is tgtEmb's, listed first
	}
	return append(ps, m.out.Params()...)
}

// SetTraining switches dropout on (training) or off (evaluation, decoding).
func (m *Model) SetTraining(on bool) {
	for _, d := range []*nn.Dropout{m.srcDrop, m.tgtDrop, m.keyDrop, m.outDrop} {
		d.SetTraining(on)
	}
}

// packWeights makes the layers keep packed copies of their weights, for
// decoding: a step of a few sentences would otherwise pack the output layer's
// millions of weights for a product of a few rows. The copies follow the
// weights when an optimizer changes them.
func (m *Model) packWeights() {
	m.enc.PackWeights()
	m.dec.PackWeights()
	m.bridge.PackWeights()
	m.comb.PackWeights()
	m.out.PackWeights()
}

// replica returns a model whose weights share m's values (updates to m are
// seen at once) and have gradients and workspaces of their own: a training
// shard. Its weights must not be packed (nn.Layer.PackWeights), since a
// packed copy would not see m's updates.
func (m *Model) replica() *Model {
	r, err := newModel(m.cfg, m.src, m.tgt, m.text, nil)
	if err != nil {
		panic(err) // m was built from the same configuration
	}
	src := m.Params()
	for i, p := range r.Params() {
		p.Value = src[i].Value
	}
	return r
}

// addGradsTo adds m's gradients to dst's (a model of the same shape) and
// clears m's.
func (m *Model) addGradsTo(dst *Model) { nn.AddGrads(dst.Params(), m.Params()) }
