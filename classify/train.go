package classify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/datasets"
	"github.com/nlp-go/nlp/datasets/tokenize"
	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/nn"
	"github.com/nlp-go/nlp/train"
)

// Option sets an optional extra of Train.
type Option func(*options)

type options struct {
	run  train.Options
	lang string
}

// WithLanguage records code, the ISO 639-1 code of the training text's
// language ("en"), in the model (Model.Language) and every file the training
// writes.
func WithLanguage(code string) Option { return func(opt *options) { opt.lang = code } }

// WithTraining sets what the training loop does besides training: the
// checkpoint written after every epoch and resumed from, the file the best
// model is written to, a time limit, and the progress and per-epoch callbacks
// (see package train). A resumed run must be given the same configuration
// (Epochs and Patience aside), data and vectors; the checkpoint holds Adam's
// moments, so it takes the same steps as an uninterrupted one.
func WithTraining(o train.Options) Option { return func(opt *options) { opt.run = o } }

// Report summarises a training run: the loop's report (an evaluation per
// epoch, with the dev accuracy as the metric "accuracy") and the data.
type Report struct {
	train.Report
	// BestDev is the dev accuracy of the returned model (rounded to the
	// precision of its file); -1 without dev examples.
	BestDev     float64 `json:"best_dev"`
	Vocab       int     `json:"vocab"`        // stored words, <unk> included
	Pretrained  int     `json:"pretrained"`   // of which initialised from the vectors
	TrainTokens int     `json:"train_tokens"` // tokens read per epoch (after truncation)
}

// Train trains a classifier on train, choosing the epoch by accuracy on dev
// (early stopping; with no dev examples the last epoch is kept). vectors may be
// nil (then Init defaults to random). The labels are those of train. A
// cancelled ctx stops the training at the next batch; the best model so far is
// returned, with Report.Stopped set.
func Train(ctx context.Context, cfg Config, trainSet, dev []Example, vectors *embed.Vectors, opts ...Option) (*Model, *Report, error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	if len(trainSet) == 0 {
		return nil, nil, errors.New("classify: no training examples")
	}
	if cfg.Init == "" && vectors != nil {
		cfg.Init = InitWord2Vec // Init's default with vectors
	}
	cfg = cfg.WithDefaults()
	if cfg.Init == InitWord2Vec && vectors == nil {
		return nil, nil, nlp.ConfigError("classify", "Config.Init", "%q needs vectors", InitWord2Vec)
	}
	rep := &Report{}
	tok := tokenize.New()
	trainToks := make([][]string, len(trainSet))
	for i, e := range trainSet {
		trainToks[i] = tok.AppendTokens(nil, toLowerClean(e.Text))
	}
	labels := labelSet(trainSet)
	words, err := buildVocab(trainToks, vectors, cfg)
	if err != nil {
		return nil, nil, err
	}
	if cfg.Init == InitWord2Vec {
		cfg.Dim = vectors.Dim()
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0))
	m, err := newModel(cfg, words, labels, cfg.Dim, rng)
	if err != nil {
		return nil, nil, err
	}
	m.Language = o.lang
	rep.Vocab = len(words)
	if cfg.Init == InitWord2Vec {
		rep.Pretrained = initFromVectors(m, vectors, rng)
	}

	t := &task{m: m, seqs: make([][]int, len(trainSet)), ys: make([]int, len(trainSet)), targets: make([]int, 0, cfg.BatchSize)}
	lengths := make([]int, len(trainSet))
	for i, e := range trainSet {
		y, _ := m.LabelIndex(e.Label) // the labels are train's
		t.seqs[i], t.ys[i] = m.encode(nil, trainToks[i]), y
		lengths[i] = len(t.seqs[i])
		rep.TrainTokens += lengths[i]
	}
	trainToks = nil // only the (truncated) IDs are needed from here on
	if t.devSeqs, t.devYs, err = m.encodeExamples(dev); err != nil {
		return nil, nil, err
	}
	if t.batcher, err = datasets.NewBatcher(lengths, datasets.BatchConfig{BatchSize: cfg.BatchSize, Seed: cfg.Seed}); err != nil {
		return nil, nil, fmt.Errorf("classify: %w", err)
	}
	net := nn.NewAdam(cfg.LR)
	net.WeightDecay = cfg.WeightDecay
	// The groups in Params order: the gradient norm sums them in this order.
	t.groups = []train.Group{
		{Name: "embedding", Params: m.emb.Params(), Adam: nn.NewAdam(cfg.EmbedLR), LR: cfg.EmbedLR,
			Frozen: func(epoch int) bool { return cfg.Freeze || epoch < cfg.FreezeEpochs }},
		{Name: "network", Params: append(m.enc.Params(), m.out.Params()...), Adam: net, LR: cfg.LR},
	}
	loop := train.Config{Epochs: cfg.Epochs, Patience: max(cfg.Patience, 0), Clip: max(cfg.Clip, 0),
		Schedule: train.Plateau, Decay: cfg.Decay}
	trep, err := train.Run(ctx, t, loop, o.run)
	if err != nil {
		return nil, nil, fmt.Errorf("classify: %w", err)
	}
	rep.Report = *trep
	m.emb.Frozen = false
	m.setTraining(false)
	// Round to the precision of the model file, so that a saved and reloaded
	// model answers exactly as this one, and score the rounded model.
	for _, p := range m.Params() {
		p.RoundToStorage()
	}
	rep.BestDev = -1
	if len(dev) > 0 {
		rep.BestDev = m.accuracy(t.devSeqs, t.devYs)
	}
	return m, rep, nil
}

// task is a classifier's training as the loop sees it.
type task struct {
	m       *Model
	seqs    [][]int // training sentences as word IDs
	ys      []int   // and their labels
	devSeqs [][]int
	devYs   []int
	batcher *datasets.Batcher
	batches [][]int // the current epoch's
	targets []int
	groups  []train.Group
}

func (t *task) Groups() []train.Group { return t.groups }

func (t *task) Epoch(e int) int {
	m, cfg := t.m, t.m.Config
	m.emb.Frozen = cfg.Freeze || e < cfg.FreezeEpochs
	// Dropout streams depend on the seed and the epoch only, so a resumed run
	// draws the same masks as an uninterrupted one.
	m.embDrop = nn.NewDropout(rate(cfg.EmbedDropout), rand.New(rand.NewPCG(cfg.Seed, uint64(2*e+101))))
	m.outDrop = nn.NewDropout(rate(cfg.Dropout), rand.New(rand.NewPCG(cfg.Seed, uint64(2*e+102))))
	m.setTraining(true)
	t.batches = t.batcher.Epoch(e)
	return len(t.batches)
}

func (t *task) Step(_, i int) (float64, int, error) {
	idx := t.batches[i]
	t.targets = t.targets[:0]
	for _, k := range idx {
		t.targets = append(t.targets, t.ys[k])
	}
	t.m.forward(t.seqs, idx)
	return t.m.backward(t.targets), len(idx), nil
}

func (t *task) Evaluate() (train.Score, error) {
	if len(t.devSeqs) == 0 {
		return train.NoScore, nil
	}
	t.m.setTraining(false)
	defer t.m.setTraining(true)
	acc := t.m.accuracy(t.devSeqs, t.devYs)
	return train.Score{Value: acc, Metrics: map[string]float64{"accuracy": acc}}, nil
}

// Identity is what a checkpoint must match: the configuration but for the
// fields a resumed run may change, the vocabulary and the labels.
func (t *task) Identity() (map[string]string, error) {
	cfg := t.m.Config
	cfg.Epochs, cfg.Patience = 0, 0
	c, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	vocab, _ := json.Marshal(t.m.words)
	labels, _ := json.Marshal(t.m.Labels)
	return map[string]string{nn.MetaConfig: string(c), metaVocab: string(vocab), metaLabels: string(labels)}, nil
}

// Save writes the model as it is now (the loop calls it with the best weights).
func (t *task) Save(path string) error { return t.m.Save(path) }

func toLowerClean(s string) string { return strings.ToLower(cleanText(s)) }

// encodeExamples tokenizes and encodes labelled examples; a label outside the
// model's is an error naming the line.
func (m *Model) encodeExamples(ex []Example) ([][]int, []int, error) {
	seqs := make([][]int, len(ex))
	ys := make([]int, len(ex))
	var toks []string
	for i, e := range ex {
		y, ok := m.LabelIndex(e.Label)
		if !ok {
			return nil, nil, fmt.Errorf("classify: line %d: label %q unknown to the model (labels %v)", e.Line, e.Label, m.Labels)
		}
		toks = m.appendTokens(toks[:0], e.Text)
		seqs[i], ys[i] = m.encode(nil, toks), y
	}
	return seqs, ys, nil
}

// accuracy classifies encoded sequences in batches and returns the fraction right.
func (m *Model) accuracy(seqs [][]int, ys []int) float64 {
	preds := m.predictSeqs(seqs)
	right := 0
	for i, p := range preds {
		if p.Index == ys[i] {
			right++
		}
	}
	return float64(right) / float64(len(seqs))
}

// labelSet returns the distinct labels of the examples, sorted (see sortLabels).
func labelSet(ex []Example) []string {
	seen := map[string]bool{}
	var labels []string
	for _, e := range ex {
		if !seen[e.Label] {
			seen[e.Label] = true
			labels = append(labels, e.Label)
		}
	}
	sortLabels(labels)
	return labels
}

// buildVocab chooses the stored vocabulary: Unknown, then the training words
// seen at least MinCount times by decreasing count (ties in byte order:
// datasets.Counter), then, with InitWord2Vec, the words of the vectors in
// their file order (most frequent first) that are not in yet, until MaxVocab
// words besides Unknown.
func buildVocab(toks [][]string, vectors *embed.Vectors, cfg Config) ([]string, error) {
	var counts datasets.Counter
	for _, s := range toks {
		counts.Add(truncate(s, cfg.MaxLen)...)
	}
	v, err := counts.Vocab(datasets.VocabConfig{MinCount: int64(cfg.MinCount), MaxSize: cfg.MaxVocab, Unknown: Unknown})
	if err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	words := slices.Clone(v.Words())
	if cfg.Init == InitWord2Vec && vectors != nil {
		in := make(map[string]bool, len(words))
		for _, w := range words {
			in[w] = true
		}
		for i := 0; i < vectors.Len() && len(words) <= cfg.MaxVocab; i++ {
			if w := vectors.Word(i); !in[w] {
				in[w] = true
				words = append(words, w)
			}
		}
	}
	return words, nil
}

// initFromVectors copies the pretrained vector of every word that has one and
// draws the others from a normal distribution with the vectors' mean standard
// deviation; Unknown starts at zero. It returns the number of words copied.
func initFromVectors(m *Model, v *embed.Vectors, rng *rand.Rand) int {
	data := v.Data()
	var sum, sq float64
	for _, x := range data {
		sum += float64(x)
		sq += float64(x) * float64(x)
	}
	mean := sum / float64(len(data))
	std := math.Sqrt(max(sq/float64(len(data))-mean*mean, 1e-12))
	n := 0
	row := make([]float64, m.emb.Dim)
	for id, w := range m.words {
		if id == 0 {
			clear(row)
			m.emb.SetRow(0, row)
			continue
		}
		if vec, ok := v.Vector(w); ok {
			m.emb.SetRow32(id, vec)
			n++
			continue
		}
		for j := range row {
			row[j] = rng.NormFloat64() * std
		}
		m.emb.SetRow(id, row)
	}
	return n
}
