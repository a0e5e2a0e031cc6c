package tagger

import (
	"fmt"
	"math/rand/v2"

	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/nn"
)

// Model is a trained (or training) part-of-speech tagger. It is not safe for
// concurrent use: give each goroutine its own (Clone).
type Model struct {
	cfg  Config
	lang string // ISO 639-1 code of the training text's language; "" if unknown

	words      *vocab // trainable words, lower-cased; id 0 is the unknown word
	wordCounts []int  // training count of each trainable word
	trainForms *vocab // every lower-cased form seen in training, for OOV statistics
	pre        *vocab // words with a pretrained vector (nil without vectors)
	chars      *vocab // characters; id 0 is the unknown character
	upos, xpos *vocab // tag sets, in order of first appearance in training
	preDim     int    // width of the pretrained vectors (0: none)
	// memo holds, per form, the first layer's input projections (see
	// projectNew); it is only used at inference, and made on first use.
	memo *projMemo

	preEmb  *nn.Embedding // nil without vectors
	wordEmb *nn.Embedding
	charEmb *nn.Embedding // nil with NoChars
	charEnc *nn.Encoder   // nil with NoChars
	// charBuckets read words of similar length together, through encoders
	// sharing charEnc's weights.
	charBuckets []*charBucket
	// charProj is each character's input projection per direction of the
	// character BiLSTM (see charProjections), made on first use at inference.
	charProj [2][]float64
	enc      *nn.Encoder
	headU    *nn.Linear
	headX    *nn.Linear
	inDrop   *nn.Dropout
	outDrop  *nn.Dropout

	// window is how Tag cuts long sentences (zero: WindowSize, WindowContext).
	window window

	ws work
}

// projMemoLimit bounds the memo of input projections (4 KB a form with the
// default sizes, 48 MB in all): memory stays flat on any input, while on
// running text nearly every frequent word is found there (on 5 MB of reviews,
// 1.06M tokens, 61k of the forms read are computed, against 125k when a memo
// of 8,192 forms started afresh each time it filled).
const projMemoLimit = 12288

// inputDim is the width of a word's features: pretrained | trainable | characters.
func (m *Model) inputDim() int { return m.preDim + m.cfg.WordDim + m.charDim() }

func (m *Model) charDim() int {
	if m.cfg.NoChars {
		return 0
	}
	return 2 * m.cfg.CharHidden
}

// Config returns the model's configuration, defaults filled in.
func (m *Model) Config() Config { return m.cfg }

// UPOSTags and XPOSTags list the tag sets the model predicts.
func (m *Model) UPOSTags() []string { return append([]string(nil), m.upos.items...) }

// XPOSTags lists the language-specific tags the model predicts.
func (m *Model) XPOSTags() []string { return append([]string(nil), m.xpos.items...) }

// KnownForm reports whether form (in any case) occurred in the training data.
func (m *Model) KnownForm(form string) bool {
	_, ok := m.trainForms.id(norm(form))
	return ok
}

// vocabularies is what a model needs besides its weights; it is saved in the
// model file's metadata.
type vocabularies struct {
	Words      []string `json:"words"`       // trainable words (id 0: unknown)
	WordCounts []int    `json:"word_counts"` // their training counts
	TrainForms []string `json:"train_forms"` // every lower-cased training form
	Pretrained []string `json:"pretrained"`  // rows of the pretrained table
	PreDim     int      `json:"pretrained_dim"`
	Chars      []string `json:"chars"`
	UPOS       []string `json:"upos"`
	XPOS       []string `json:"xpos"`
}

// newModel builds a model with fresh weights for the vocabularies, drawn from
// rng (nil: zero, for weights about to be loaded or shared).
func newModel(cfg Config, v vocabularies, rng *rand.Rand) (*Model, error) {
	cfg = cfg.WithDefaults()
	if len(v.UPOS) == 0 || len(v.XPOS) == 0 {
		return nil, fmt.Errorf("tagger: no tags to learn")
	}
	m := &Model{
		cfg:        cfg,
		words:      newVocab(v.Words),
		wordCounts: v.WordCounts,
		trainForms: newVocab(v.TrainForms),
		chars:      newVocab(v.Chars),
		upos:       newVocab(v.UPOS),
		xpos:       newVocab(v.XPOS),
		preDim:     v.PreDim,
	}
	if v.PreDim > 0 {
		m.pre = newVocab(v.Pretrained)
		m.preEmb = nn.NewEmbedding("pretrained", len(v.Pretrained), v.PreDim, nil)
		// Frozen word2vec vectors need no more than half precision, which keeps
		// the model file small; fine-tuned ones are kept as float32.
		m.preEmb.W.Store16 = !cfg.FineTune
		m.preEmb.W.Store32 = cfg.FineTune
		m.preEmb.Frozen = !cfg.FineTune
	}
	m.wordEmb = nn.NewEmbedding("word", len(v.Words), cfg.WordDim, rng)
	// The trainable word vectors are the file's second-largest table; binary16
	// halves it, and the model is rescored at that precision after training.
	m.wordEmb.W.Store16 = true
	scaleParam(m.wordEmb.W, 0.1) // small random start: the pretrained part leads
	if !cfg.NoChars {
		m.charEmb = nn.NewEmbedding("char", len(v.Chars), cfg.CharDim, rng)
		m.charEmb.W.Store32 = true
		scaleParam(m.charEmb.W, 0.1)
		var err error
		m.charEnc, err = nn.NewEncoder(nn.EncoderConfig{Cell: "lstm", Input: cfg.CharDim, Hidden: cfg.CharHidden, Bidirectional: true}, "charenc", rng)
		if err != nil {
			return nil, fmt.Errorf("tagger: character encoder: %w", err)
		}
	}
	enc, err := nn.NewEncoder(nn.EncoderConfig{Cell: cfg.Cell, Input: m.inputDim(), Hidden: cfg.Hidden, Layers: cfg.Layers, Bidirectional: true}, "encoder", rng)
	if err != nil {
		return nil, fmt.Errorf("tagger: sentence encoder: %w", err)
	}
	// Pack the recurrent weights once per change rather than once per pass:
	// tagging runs many small passes with the same weights.
	enc.PackWeights()
	if m.charEnc != nil {
		m.charEnc.PackWeights()
	}
	m.enc = enc
	m.ws.a, m.ws.projNew = make([][]float64, 2), make([][]float64, 2) // two directions
	m.headU = nn.NewLinear("upos", enc.Output(), len(v.UPOS), rng)
	m.headX = nn.NewLinear("xpos", enc.Output(), len(v.XPOS), rng)
	m.inDrop = nn.NewDropout(cfg.Dropout, rand.New(rand.NewPCG(cfg.Seed, 101)))
	m.outDrop = nn.NewDropout(cfg.Dropout, rand.New(rand.NewPCG(cfg.Seed, 102)))
	// float32 is ample for every weight in the file, which must stay small
	// enough to embed; the frozen pretrained table goes further, to binary16.
	for _, p := range m.params() {
		p.Store32 = !p.Store16
	}
	return m, nil
}

func scaleParam(p *nn.Param, s float64) {
	for i := range p.Value {
		p.Value[i] *= s
	}
}

// setPretrained copies the vectors of the pretrained vocabulary into the table,
// at the precision the model file keeps, so that training sees what a loaded
// model will.
func (m *Model) setPretrained(vecs *embed.Vectors) {
	for i, w := range m.pre.items {
		if row, ok := vecs.Vector(w); ok {
			m.preEmb.SetRow32(i, row)
		}
	}
	m.preEmb.W.RoundToStorage()
}

// roundToStorage rounds every parameter to its precision in the model file.
func (m *Model) roundToStorage() {
	for _, p := range m.params() {
		p.RoundToStorage()
	}
	m.weightsChanged()
}

// params lists every parameter, in the order they are saved.
func (m *Model) params() []*nn.Param {
	var ps []*nn.Param
	if m.preEmb != nil {
		ps = append(ps, m.preEmb.Params()...)
	}
	ps = append(ps, m.wordEmb.Params()...)
	if m.charEmb != nil {
		ps = append(ps, m.charEmb.Params()...)
		ps = append(ps, m.charEnc.Params()...)
	}
	ps = append(ps, m.enc.Params()...)
	ps = append(ps, m.headU.Params()...)
	ps = append(ps, m.headX.Params()...)
	return ps
}

// trainable lists the parameters the optimizer updates.
func (m *Model) trainable() []*nn.Param {
	ps := m.params()
	if m.preEmb != nil && m.preEmb.Frozen {
		return ps[1:]
	}
	return ps
}

// vocabularies returns what newModel needs to rebuild m.
func (m *Model) vocabularies() vocabularies {
	v := vocabularies{
		Words: m.words.items, WordCounts: m.wordCounts, TrainForms: m.trainForms.items,
		PreDim: m.preDim, Chars: m.chars.items, UPOS: m.upos.items, XPOS: m.xpos.items,
	}
	if m.pre != nil {
		v.Pretrained = m.pre.items
	}
	return v
}

// setTraining switches dropout on or off.
func (m *Model) setTraining(on bool) {
	m.inDrop.SetTraining(on)
	m.outDrop.SetTraining(on)
}

// weightsChanged forgets what was computed with the old weights: the memo of
// character features used at inference, and the layers' packed weights.
func (m *Model) weightsChanged() {
	if m.memo != nil {
		m.memo.reset()
	}
	m.charProj = [2][]float64{}
	for _, p := range m.params() {
		p.Changed()
	}
}
