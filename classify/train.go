package classify

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/nlp-go/nlp/datasets"
	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/internal/progress"
	"github.com/nlp-go/nlp/nn"
)

// Option sets an optional extra of Train.
type Option func(*options)

type options struct {
	progress   io.Writer
	log        io.Writer
	checkpoint string
	resume     bool
}

// WithProgress draws a progress bar (loss, sentences/s, last dev accuracy) on w.
func WithProgress(w io.Writer) Option { return func(o *options) { o.progress = w } }

// WithLog writes one line per epoch (loss, speed, dev accuracy) to w.
func WithLog(w io.Writer) Option { return func(o *options) { o.log = w } }

// WithCheckpoint writes the training state to path after every epoch (the
// current and the best parameters, the epoch, the early-stopping counters), and,
// with resume set and the file present, continues the training it records. The
// configuration must be the one the checkpoint was made with, except Epochs and
// Patience. The checkpoint also holds Adam's moments, so a resumed run takes
// the same steps as an uninterrupted one.
func WithCheckpoint(path string, resume bool) Option {
	return func(o *options) { o.checkpoint, o.resume = path, resume }
}

// Epoch records one training epoch.
type Epoch struct {
	Epoch       int     `json:"epoch"` // 1-based
	Loss        float64 `json:"loss"`  // mean training loss
	Seconds     float64 `json:"seconds"`
	PerSecond   float64 `json:"sentences_per_second"`
	DevAccuracy float64 `json:"dev_accuracy"` // -1 when there is no dev set (JSON has no NaN)
}

// Report summarises a training run.
type Report struct {
	Epochs      []Epoch `json:"epochs"`
	BestEpoch   int     `json:"best_epoch"`   // the epoch whose parameters the model keeps
	BestDev     float64 `json:"best_dev"`     // its dev accuracy
	Vocab       int     `json:"vocab"`        // stored words, <unk> included
	Pretrained  int     `json:"pretrained"`   // of which initialised from the vectors
	TrainTokens int     `json:"train_tokens"` // tokens read per epoch (after truncation)
}

// trainState is what a checkpoint adds to a model file.
type trainState struct {
	Epoch     int     `json:"epoch"` // epochs completed
	BestEpoch int     `json:"best_epoch"`
	BestDev   float64 `json:"best_dev"`
	Bad       int     `json:"bad"`       // epochs since the best
	LRScale   float64 `json:"lr_scale"`  // product of the decays so far
	NetSteps  int     `json:"net_steps"` // Adam steps taken, for its bias correction
	EmbSteps  int     `json:"emb_steps"`
	Report    Report  `json:"report"`

	bestValues [][]float64 // the best parameters, in Model.Params order
}

const metaTrainState = "train_state"

// Train trains a classifier on train, choosing the epoch by accuracy on dev
// (early stopping; with no dev examples the last epoch is kept). vectors may be
// nil (then Init defaults to random). The labels are those of train.
func Train(cfg Config, train, dev []Example, vectors *embed.Vectors, opts ...Option) (*Model, *Report, error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	if len(train) == 0 {
		return nil, nil, errors.New("classify: no training examples")
	}
	if cfg.Init == "" && vectors != nil {
		cfg.Init = InitWord2Vec // Init's default with vectors
	}
	cfg = cfg.WithDefaults()
	if cfg.Init == InitWord2Vec && vectors == nil {
		return nil, nil, fmt.Errorf("%w: init %q needs vectors", ErrBadConfig, InitWord2Vec)
	}

	var (
		m     *Model
		state trainState
		rep   = &Report{}
		err   error
	)
	resumed := false
	if o.checkpoint != "" && o.resume {
		if _, statErr := os.Stat(o.checkpoint); statErr == nil {
			m, state, err = loadCheckpoint(o.checkpoint, cfg)
			if err != nil {
				return nil, nil, err
			}
			*rep = state.Report
			resumed = true
		}
	}
	tok := datasets.NewTokenizer()
	trainToks := make([][]string, len(train))
	for i, e := range train {
		trainToks[i] = tok.AppendTokens(nil, toLowerClean(e.Text))
	}
	if !resumed {
		labels := labelSet(train)
		words := buildVocab(trainToks, vectors, cfg)
		dim := cfg.Dim
		if cfg.Init == InitWord2Vec {
			dim = vectors.Dim()
			cfg.Dim = dim
		}
		rng := rand.New(rand.NewPCG(cfg.Seed, 0))
		m, err = newModel(cfg, words, labels, dim, rng)
		if err != nil {
			return nil, nil, err
		}
		rep.Vocab = len(words)
		if cfg.Init == InitWord2Vec {
			rep.Pretrained = initFromVectors(m, vectors, rng)
		}
		state.BestDev = -1
		state.LRScale = 1
	}
	m.Config.Epochs, m.Config.Patience = cfg.Epochs, cfg.Patience
	cfg = m.Config

	// Encode the data.
	seqs := make([][]int, len(train))
	ys := make([]int, len(train))
	lengths := make([]int, len(train))
	rep.TrainTokens = 0
	for i, e := range train {
		y, ok := m.LabelIndex(e.Label)
		if !ok {
			return nil, nil, fmt.Errorf("classify: line %d: label %q not in the checkpoint's labels %v", e.Line, e.Label, m.Labels)
		}
		seqs[i], ys[i] = m.encode(nil, trainToks[i]), y
		lengths[i] = len(seqs[i])
		rep.TrainTokens += lengths[i]
	}
	trainToks = nil // only the (truncated) IDs are needed from here on
	devSeqs, devYs, err := m.encodeExamples(dev)
	if err != nil {
		return nil, nil, err
	}
	batcher, err := datasets.NewBatcher(lengths, datasets.BatchConfig{BatchSize: cfg.BatchSize, Seed: cfg.Seed})
	if err != nil {
		return nil, nil, fmt.Errorf("classify: %w", err)
	}

	embParams := m.emb.Params()
	netParams := append(m.enc.Params(), m.out.Params()...)
	all := m.Params()
	optNet := nn.NewAdam(cfg.LR * state.LRScale)
	optNet.WeightDecay = cfg.WeightDecay
	optEmb := nn.NewAdam(cfg.EmbedLR * state.LRScale)
	adam := optimizers{net: optNet, emb: optEmb, netParams: netParams, embParams: embParams}
	best := cloneValues(all)
	if resumed {
		if err := loadOptimizers(o.checkpoint, m, best, state, adam); err != nil {
			return nil, nil, err
		}
	}

	targets := make([]int, cfg.BatchSize)
	for epoch := state.Epoch; epoch < cfg.Epochs; epoch++ {
		if cfg.Patience > 0 && state.Bad >= cfg.Patience {
			break
		}
		frozen := cfg.Freeze || epoch < cfg.FreezeEpochs
		m.emb.Frozen = frozen
		// Dropout streams depend on the seed and the epoch only, so a resumed run
		// draws the same masks as an uninterrupted one.
		m.embDrop = nn.NewDropout(rate(cfg.EmbedDropout), rand.New(rand.NewPCG(cfg.Seed, uint64(2*epoch+101))))
		m.outDrop = nn.NewDropout(rate(cfg.Dropout), rand.New(rand.NewPCG(cfg.Seed, uint64(2*epoch+102))))
		m.setTraining(true)
		bar := progress.New(o.progress, fmt.Sprintf("epoch %d/%d", epoch+1, cfg.Epochs), int64(len(train)), "sentences")
		start := time.Now()
		var sum float64
		var n int
		for _, idx := range batcher.Epoch(epoch) {
			targets = targets[:0]
			for _, i := range idx {
				targets = append(targets, ys[i])
			}
			m.forward(seqs, idx)
			nn.ZeroGrad(all)
			loss := m.backward(targets)
			if cfg.Clip > 0 {
				nn.ClipGradNorm(all, cfg.Clip)
			}
			optNet.Step(netParams)
			if !frozen {
				optEmb.Step(embParams)
			}
			sum += loss * float64(len(idx))
			n += len(idx)
			bar.Add(int64(len(idx)))
			if math.IsNaN(loss) {
				return nil, nil, fmt.Errorf("classify: epoch %d: loss is NaN (lower the learning rate)", epoch+1)
			}
			bar.Note("loss %.4f dev %s", sum/float64(n), accString(state.BestDev, len(dev)))
		}
		secs := time.Since(start).Seconds()
		m.setTraining(false)
		m.emb.Frozen = false
		ep := Epoch{Epoch: epoch + 1, Loss: sum / float64(n), Seconds: secs, PerSecond: float64(n) / secs, DevAccuracy: -1}
		if len(dev) > 0 {
			ep.DevAccuracy = m.accuracy(devSeqs, devYs)
		}
		bar.Note("loss %.4f dev %s", ep.Loss, accString(ep.DevAccuracy, len(dev)))
		bar.Finish()
		rep.Epochs = append(rep.Epochs, ep)
		if len(dev) == 0 || ep.DevAccuracy > state.BestDev {
			state.BestDev, state.BestEpoch, state.Bad = ep.DevAccuracy, ep.Epoch, 0
			copyValues(best, all)
		} else {
			state.Bad++
			state.LRScale *= cfg.Decay
			optNet.LR, optEmb.LR = cfg.LR*state.LRScale, cfg.EmbedLR*state.LRScale
		}
		if o.log != nil {
			mark := ""
			if state.BestEpoch == ep.Epoch {
				mark = " *"
			}
			fmt.Fprintf(o.log, "epoch %d: loss %.4f, %.1f s, %.0f sentences/s, dev accuracy %s%s\n",
				ep.Epoch, ep.Loss, ep.Seconds, ep.PerSecond, accString(ep.DevAccuracy, len(dev)), mark)
		}
		state.Epoch = epoch + 1
		state.NetSteps, state.EmbSteps = optNet.Steps(), optEmb.Steps()
		rep.BestEpoch, rep.BestDev = state.BestEpoch, state.BestDev
		state.Report = *rep
		if o.checkpoint != "" {
			if err := saveCheckpoint(o.checkpoint, m, best, state, adam); err != nil {
				return nil, nil, err
			}
		}
	}
	copyValues(all, best)
	// Round to the precision of the model file, so that a saved and reloaded
	// model answers exactly as this one, and score the rounded model.
	for _, p := range all {
		p.RoundToStorage()
	}
	rep.BestEpoch, rep.BestDev = state.BestEpoch, state.BestDev
	if len(dev) > 0 {
		rep.BestDev = m.accuracy(devSeqs, devYs)
	}
	return m, rep, nil
}

func accString(acc float64, n int) string {
	if n == 0 || math.IsNaN(acc) || acc < 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f%%", 100*acc)
}

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
// seen at least MinCount times by decreasing count (ties alphabetical), then,
// with InitWord2Vec, the words of the vectors in their file order (most frequent
// first) that are not in yet, until MaxVocab words besides Unknown.
func buildVocab(toks [][]string, vectors *embed.Vectors, cfg Config) []string {
	counts := map[string]int{}
	for _, s := range toks {
		for _, w := range truncate(s, cfg.MaxLen) {
			counts[w]++
		}
	}
	var train []string
	for w, c := range counts {
		if c >= cfg.MinCount && w != Unknown {
			train = append(train, w)
		}
	}
	sort.Slice(train, func(i, j int) bool {
		if counts[train[i]] != counts[train[j]] {
			return counts[train[i]] > counts[train[j]]
		}
		return train[i] < train[j]
	})
	if len(train) > cfg.MaxVocab {
		train = train[:cfg.MaxVocab]
	}
	words := append([]string{Unknown}, train...)
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
	return words
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

func cloneValues(ps []*nn.Param) [][]float64 {
	out := make([][]float64, len(ps))
	for i, p := range ps {
		out[i] = slices.Clone(p.Value)
	}
	return out
}

func copyValues[D, S any](dst D, src S) {
	d, s := valuesOf(dst), valuesOf(src)
	for i := range d {
		copy(d[i], s[i])
	}
}

func valuesOf(x any) [][]float64 {
	switch v := x.(type) {
	case [][]float64:
		return v
	case []*nn.Param:
		out := make([][]float64, len(v))
		for i, p := range v {
			out[i] = p.Value
		}
		return out
	}
	panic("classify: valuesOf")
}

// configsMatch reports whether a checkpoint's configuration is the one asked for,
// ignoring Epochs and Patience.
func configsMatch(a, b Config) bool {
	a.Epochs, a.Patience, b.Epochs, b.Patience = 0, 0, 0, 0
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
