package classify

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/datasets/tokenize"
	"github.com/nlp-go/nlp/nn"
)

// Unknown is the word of vocabulary ID 0, which stands for every word outside
// the stored vocabulary.
const Unknown = "<unk>"

// Model is a trained classifier: the vocabulary and its embedding table, the
// recurrent encoder, the output layer and the label set. A Model reuses its
// buffers between calls, so it is not safe for concurrent use; Clone gives
// each goroutine its own.
type Model struct {
	// Config is the configuration the model was built with, defaults filled in.
	Config Config
	// Labels are the classes as they appear in the training file, in output order.
	Labels []string
	// Language is the ISO 639-1 code of the language of the training text
	// ("en"), "" if unknown; Save records it in the file (WithLanguage sets it
	// for a training).
	Language string

	words []string       // ID → word; words[0] is Unknown
	index map[string]int // word → ID
	emb   *nn.Embedding
	enc   *nn.Encoder
	out   *nn.Linear

	embDrop, outDrop *nn.Dropout
	tok              *tokenize.Tokenizer

	// Buffers, grown to the largest batch and reused.
	ids     []int
	lengths []int
	x       []float64 // (T·B)×Dim
	feat    []float64 // B×Output
	featD   []float64 // B×Output after dropout
	dFeat   []float64
	dFeatD  []float64
	logits  []float64 // B×Classes
	dLogits []float64
	dOut    []float64 // (T·B)×Output, for max pooling
	argmax  []int32   // B×Output: the step each pooled maximum came from
	batch   nn.Batch

	helper *Model // a Clone for the second prediction worker, made on first use
}

// newModel builds an untrained model with the given vocabulary and labels;
// cfg must have its defaults filled in. The weights are drawn from rng (nil:
// zero, for weights about to be loaded or shared).
func newModel(cfg Config, words, labels []string, dim int, rng *rand.Rand) (*Model, error) {
	if len(labels) < 2 {
		return nil, fmt.Errorf("classify: need at least 2 classes, got %d", len(labels))
	}
	if len(cfg.LabelNames) != 0 && len(cfg.LabelNames) != len(labels) {
		return nil, nlp.ConfigError("classify", "Config.LabelNames", "%d names for %d labels %v", len(cfg.LabelNames), len(labels), labels)
	}
	if len(words) == 0 || words[0] != Unknown {
		return nil, fmt.Errorf("classify: vocabulary must start with %q", Unknown)
	}
	m := &Model{Config: cfg, Labels: labels, words: words, index: make(map[string]int, len(words))}
	for i, w := range words {
		if _, dup := m.index[w]; dup {
			return nil, fmt.Errorf("classify: duplicate word %q in the vocabulary", w)
		}
		m.index[w] = i
	}
	m.emb = nn.NewEmbedding("emb", len(words), dim, rng)
	enc, err := nn.NewEncoder(nn.EncoderConfig{Cell: cfg.Cell, Input: dim, Hidden: cfg.Hidden, Layers: cfg.Layers, Bidirectional: cfg.Bidirectional}, "enc", rng)
	if err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	m.enc = enc
	m.out = nn.NewLinear("out", enc.Output(), len(labels), rng)
	m.setCompact()
	m.embDrop = nn.NewDropout(rate(cfg.EmbedDropout), rand.New(rand.NewPCG(cfg.Seed, 1)))
	m.outDrop = nn.NewDropout(rate(cfg.Dropout), rand.New(rand.NewPCG(cfg.Seed, 2)))
	m.setTraining(false)
	m.tok = tokenize.New()
	return m, nil
}

// setCompact makes Save write the embedding table as binary16 and the other
// parameters as float32: the table takes a quarter of its float64 size, which
// is what lets a 40,000-word vocabulary fit in 10 MB. (Checkpoints keep
// float64: package train writes them.)
func (m *Model) setCompact() {
	for _, p := range m.Params() {
		p.Store32 = true
	}
	m.emb.W.Store16 = true
}

// Params lists every parameter: the embedding table, the encoder, the output layer.
func (m *Model) Params() []*nn.Param {
	ps := append([]*nn.Param{}, m.emb.Params()...)
	ps = append(ps, m.enc.Params()...)
	return append(ps, m.out.Params()...)
}

// Vocab returns the stored vocabulary, ID order; entry 0 is Unknown.
func (m *Model) Vocab() []string { return m.words }

// Names returns the display name of each class: Config.LabelNames, or Labels.
func (m *Model) Names() []string {
	if len(m.Config.LabelNames) == len(m.Labels) {
		return m.Config.LabelNames
	}
	return m.Labels
}

// LabelIndex returns the output index of a label, given either as in the training
// file or by its display name.
func (m *Model) LabelIndex(label string) (int, bool) {
	for i, l := range m.Labels {
		if l == label {
			return i, true
		}
	}
	for i, l := range m.Config.LabelNames {
		if l == label {
			return i, true
		}
	}
	return 0, false
}

func (m *Model) setTraining(on bool) {
	m.embDrop.SetTraining(on)
	m.outDrop.SetTraining(on)
}

// Tokens returns the tokens the model reads for a raw text: the text lower-cased
// and split into Penn-Treebank-style tokens by tokenize.Tokenizer, the way the
// training files were read.
func (m *Model) Tokens(text string) []string {
	return m.appendTokens(nil, text)
}

func (m *Model) appendTokens(dst []string, text string) []string {
	return m.tok.AppendTokens(dst, strings.ToLower(cleanText(text)))
}

// encode appends the IDs of a text's tokens, truncated to MaxLen by the head and
// tail rule; an empty text reads as one unknown word.
func (m *Model) encode(dst []int, toks []string) []int {
	toks = truncate(toks, m.Config.MaxLen)
	for _, w := range toks {
		dst = append(dst, m.index[w]) // missing words map to 0, Unknown
	}
	if len(toks) == 0 {
		dst = append(dst, 0)
	}
	return dst
}

// truncate keeps the first maxLen/4 and the last maxLen−maxLen/4 tokens of a
// longer sequence.
func truncate(toks []string, maxLen int) []string {
	if maxLen <= 0 || len(toks) <= maxLen {
		return toks
	}
	head := maxLen / 4
	tail := maxLen - head
	out := make([]string, 0, maxLen)
	out = append(out, toks[:head]...)
	return append(out, toks[len(toks)-tail:]...)
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// forward runs the network on the sequences seqs[i] for i in idx and leaves the
// logits in m.logits (B×Classes).
func (m *Model) forward(seqs [][]int, idx []int) {
	B := len(idx)
	T := 0
	m.lengths = grow(m.lengths, B)
	for b, i := range idx {
		m.lengths[b] = len(seqs[i])
		T = max(T, len(seqs[i]))
	}
	m.batch = nn.Batch{Steps: T, Lengths: m.lengths}
	m.ids = grow(m.ids, T*B)
	for b, i := range idx {
		s := seqs[i]
		for t := 0; t < T; t++ {
			id := nn.PadID
			if t < len(s) {
				id = s[t]
			}
			m.ids[t*B+b] = id
		}
	}
	dim, O, C := m.emb.Dim, m.enc.Output(), len(m.Labels)
	m.x = grow(m.x, T*B*dim)
	m.emb.Forward(m.x, m.ids)
	m.embDrop.Forward(m.x, m.x)
	y := m.enc.Forward(m.x, m.batch)
	m.feat = grow(m.feat, B*O)
	if m.Config.Pool == PoolMax {
		m.argmax = grow(m.argmax, B*O)
		maxPool(m.feat, m.argmax, y, m.batch, O)
	} else {
		m.enc.Final(m.feat)
	}
	m.featD = grow(m.featD, B*O)
	m.outDrop.Forward(m.featD, m.feat)
	m.logits = grow(m.logits, B*C)
	m.out.Forward(m.logits, m.featD)
}

// backward computes the loss of the last forward against targets (one per
// sequence) and adds every parameter's gradient. It returns the mean loss.
func (m *Model) backward(targets []int) float64 {
	B, O, C := m.batch.B(), m.enc.Output(), len(m.Labels)
	m.dLogits = grow(m.dLogits, B*C)
	loss, _ := nn.SoftmaxCrossEntropy(m.dLogits, m.logits, C, targets)
	m.dFeatD = grow(m.dFeatD, B*O)
	m.dFeat = grow(m.dFeat, B*O)
	m.out.Backward(m.dFeatD, m.featD, m.dLogits)
	m.outDrop.Backward(m.dFeat, m.dFeatD)
	var dx []float64
	if m.Config.Pool == PoolMax {
		m.dOut = grow(m.dOut, m.batch.Rows()*O)
		maxPoolBackward(m.dOut, m.dFeat, m.argmax, m.batch, O)
		dx = m.enc.Backward(m.dOut, nil)
	} else {
		dx = m.enc.Backward(nil, m.dFeat)
	}
	if !m.emb.Frozen {
		m.embDrop.Backward(dx, dx)
		m.emb.Backward(m.ids, dx)
	}
	return loss
}

// maxPool writes into dst (B×O) the maximum over each sequence's real steps of
// y ((T·B)×O, time-major), and into arg the step each maximum came from. A
// sequence of length 0 pools to zeros (arg −1).
func maxPool(dst []float64, arg []int32, y []float64, bt nn.Batch, O int) {
	B := bt.B()
	for b := 0; b < B; b++ {
		d := dst[b*O : (b+1)*O]
		a := arg[b*O : (b+1)*O]
		n := bt.Lengths[b]
		if n == 0 {
			clear(d)
			for j := range a {
				a[j] = -1
			}
			continue
		}
		copy(d, y[b*O:(b+1)*O])
		clear(a)
		for t := 1; t < n; t++ {
			row := y[(t*B+b)*O : (t*B+b+1)*O]
			for j, v := range row {
				if v > d[j] {
					d[j], a[j] = v, int32(t)
				}
			}
		}
	}
}

// maxPoolBackward routes dPool (B×O) to the steps the maxima came from,
// overwriting dy ((T·B)×O) with zeros elsewhere.
func maxPoolBackward(dy, dPool []float64, arg []int32, bt nn.Batch, O int) {
	clear(dy)
	B := bt.B()
	for b := 0; b < B; b++ {
		for j := 0; j < O; j++ {
			if t := arg[b*O+j]; t >= 0 {
				dy[(int(t)*B+b)*O+j] += dPool[b*O+j]
			}
		}
	}
}

// Prediction is the answer for one text.
type Prediction struct {
	Label string    // the display name of the most probable class
	Index int       // its index in Model.Labels
	Prob  float64   // its probability
	Probs []float64 // the probability of every class, in the order of Model.Labels
}

// predictBatch is the largest number of texts run through the network at once.
const predictBatch = 128

// Predict classifies one raw text.
func (m *Model) Predict(text string) Prediction {
	return m.PredictAll([]string{text})[0]
}

// PredictAll classifies raw texts, in batches of similar length.
func (m *Model) PredictAll(texts []string) []Prediction {
	seqs := make([][]int, len(texts))
	var toks []string
	for i, t := range texts {
		toks = m.appendTokens(toks[:0], t)
		seqs[i] = m.encode(nil, toks)
	}
	return m.predictSeqs(seqs)
}

// PredictTokens classifies texts already split into tokens (lower-cased as the
// model expects); it skips the tokenizer.
func (m *Model) PredictTokens(tokens [][]string) []Prediction {
	seqs := make([][]int, len(tokens))
	for i, t := range tokens {
		seqs[i] = m.encode(nil, t)
	}
	return m.predictSeqs(seqs)
}

func (m *Model) predictSeqs(seqs [][]int) []Prediction {
	m.setTraining(false)
	order := make([]int, len(seqs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return len(seqs[order[a]]) < len(seqs[order[b]]) })
	C := len(m.Labels)
	preds := make([]Prediction, len(seqs))
	probs := make([]float64, len(seqs)*C) // one allocation for every Probs
	var batches [][]int
	for lo := 0; lo < len(order); lo += predictBatch {
		batches = append(batches, order[lo:min(lo+predictBatch, len(order))])
	}
	if len(batches) < 2 || runtime.GOMAXPROCS(0) < 2 {
		for _, idx := range batches {
			m.predictBatch(seqs, idx, preds, probs)
		}
		return preds
	}
	// Two workers, each with its own buffers, take batches in turn: the batches
	// are independent, so the result does not depend on the schedule.
	if m.helper == nil {
		m.helper = m.Clone()
	}
	m.helper.setTraining(false)
	var next atomic.Int64
	var wg sync.WaitGroup
	for _, w := range []*Model{m, m.helper} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= len(batches) {
					return
				}
				w.predictBatch(seqs, batches[k], preds, probs)
			}
		}()
	}
	wg.Wait()
	return preds
}

// predictBatch runs one batch and fills its predictions.
func (m *Model) predictBatch(seqs [][]int, idx []int, preds []Prediction, probs []float64) {
	C := len(m.Labels)
	names := m.Names()
	m.forward(seqs, idx)
	for b, i := range idx {
		p := probs[i*C : (i+1)*C : (i+1)*C]
		nn.Softmax(p, m.logits[b*C:(b+1)*C], C)
		best := 0
		for c := range p {
			if p[c] > p[best] {
				best = c
			}
		}
		preds[i] = Prediction{Label: names[best], Index: best, Prob: p[best], Probs: p}
	}
}

// Clone returns a model sharing m's parameters (read-only) with buffers of its
// own, for classifying on another goroutine. (PredictAll already spreads large
// inputs over two goroutines.)
func (m *Model) Clone() *Model {
	// Built with a one-word table, which then takes the shape and values of
	// m's: a table of the vocabulary's size (and its gradient) would only be
	// garbage, twice the table, made every time the model is cloned.
	c, err := newModel(m.Config, []string{Unknown}, m.Labels, m.emb.Dim, nil)
	if err != nil {
		panic(err) // m was valid
	}
	c.words, c.index = m.words, m.index // read-only from here on
	c.Language = m.Language
	c.emb.Vocab, c.emb.W.Rows = m.emb.Vocab, m.emb.W.Rows
	src, dst := m.Params(), c.Params()
	for i := range src {
		dst[i].Value = src[i].Value
		dst[i].ReleaseGrad() // a clone predicts
	}
	return c
}

// sortLabels orders labels numerically when every one is a number, else as strings.
func sortLabels(labels []string) {
	numeric := true
	for _, l := range labels {
		if _, err := parseNumber(l); err != nil {
			numeric = false
			break
		}
	}
	if numeric {
		slices.SortFunc(labels, func(a, b string) int {
			x, _ := parseNumber(a)
			y, _ := parseNumber(b)
			if x != y {
				if x < y {
					return -1
				}
				return 1
			}
			return strings.Compare(a, b)
		})
		return
	}
	slices.Sort(labels)
}

func parseNumber(s string) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err == nil && (math.IsNaN(f) || math.IsInf(f, 0)) {
		err = strconv.ErrRange
	}
	return f, err
}
