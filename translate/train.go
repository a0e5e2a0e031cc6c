package translate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/nlp-go/nlp/datasets"
	"github.com/nlp-go/nlp/internal/shards"
	"github.com/nlp-go/nlp/nn"
	"github.com/nlp-go/nlp/train"
	"github.com/nlp-go/nlp/translate/bleu"
)

// ErrEmpty is returned when there is nothing to train on or to score.
var ErrEmpty = errors.New("no sentence pairs")

// Metric names of the evaluations in Report.Evals.
const (
	MetricBLEU       = "bleu"       // dev BLEU, greedy decoding, as package bleu computes it
	MetricPerplexity = "perplexity" // dev perplexity per target unit (</s> included), teacher forced
)

// Option sets an optional extra of Train.
type Option func(*options)

type options struct {
	training train.Options
}

// WithTraining passes the training loop's options (see train.Options): the
// checkpoint, resuming from it, the file that receives the best model at
// every improvement, the time limit and the progress callbacks.
func WithTraining(o train.Options) Option { return func(opt *options) { opt.training = o } }

// Report summarises a training run: the loop's report (every evaluation in
// Evals, Eval.Loss the training cross-entropy per target unit) and what only
// a translation model has.
type Report struct {
	SrcVocab   int `json:"src_vocab"`   // source units, specials included
	TgtVocab   int `json:"tgt_vocab"`   // target units
	Params     int `json:"params"`      // trainable values
	Pairs      int `json:"pairs"`       // training pairs used
	Skipped    int `json:"skipped"`     // training pairs longer than MaxLength
	TrainUnits int `json:"train_units"` // target units of an epoch (</s> included)
	// UnitsPerSecond counts source and target units read per second of
	// training steps, up to the last evaluation.
	UnitsPerSecond float64 `json:"units_per_second"`
	BestBLEU       float64 `json:"best_bleu"` // dev BLEU of the kept weights; −1 without dev pairs
	train.Report
}

// Train learns a model of cfg from the training pairs, scoring it on dev
// (greedy BLEU, which chooses the weights kept) after every epoch. The
// vocabularies, the truecasers and the subword units are learnt from the
// training pairs alone. The steps run in train.Run: cancelling ctx stops at
// the next step with the best weights so far; Report.Stopped says why.
func Train(ctx context.Context, cfg Config, trainSet, dev Parallel, opts ...Option) (*Model, *Report, error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	if err := trainSet.check("training"); err != nil {
		return nil, nil, err
	}
	if err := dev.check("dev"); err != nil {
		return nil, nil, err
	}
	if trainSet.Len() == 0 {
		return nil, nil, fmt.Errorf("translate: training: %w", ErrEmpty)
	}
	cfg = cfg.WithDefaults()
	t, err := newTask(cfg, trainSet, dev)
	if err != nil {
		return nil, nil, err
	}
	loop := train.Config{Epochs: cfg.Epochs, Steps: cfg.Steps, Patience: cfg.Patience, Clip: cfg.Clip}
	if cfg.LRDecay > 0 && cfg.LRDecay < 1 {
		loop.Schedule, loop.Decay = train.Plateau, cfg.LRDecay
	}
	defer t.pool.Stop()
	tr, err := train.Run(ctx, t, loop, o.training)
	if err != nil {
		return nil, nil, fmt.Errorf("translate: %w", err)
	}
	t.m.SetTraining(false)
	rep := t.report
	rep.Report = *tr
	rep.BestBLEU = -1
	if b := tr.Best(); b != nil && b.Scored {
		rep.BestBLEU = b.Metrics[MetricBLEU]
	}
	if tr.Seconds > 0 {
		rep.UnitsPerSecond = float64(tr.Steps) * t.unitsPerStep / tr.Seconds
	}
	return t.m, &rep, nil
}

// task is a translation model's training as train.Run sees it.
type task struct {
	m            *Model
	pairs, dev   []pair
	devRefs      [][]string // dev references, tokenized as BLEU reads them
	devSrc       []string
	batcher      *datasets.Batcher
	batches      [][]int
	groups       []train.Group
	report       Report
	unitsPerStep float64 // mean source and target units of a batch

	// The shards of a step: replica i (replicas[0] is m) trains on
	// shard[i], a part of the batch, its loss sum in sums[i].
	replicas []*Model
	shard    [][]pair
	sums     []float64
	total    int // target units of the batch
	pool     *shards.Pool
	job      func(i int)
}

// newTask prepares the text models, the vocabularies, the model and the
// batches.
func newTask(cfg Config, trainSet, dev Parallel) (*task, error) {
	text, err := learnText(cfg, trainSet)
	if err != nil {
		return nil, err
	}
	srcUnits, tgtUnits := text.units(trainSet)
	var sc, tc datasets.Counter
	for i := range srcUnits {
		sc.Add(srcUnits[i]...)
		tc.Add(tgtUnits[i]...)
	}
	src, tgt := newVocab(&sc, cfg.MinCount), newVocab(&tc, cfg.MinCount)
	m, err := newModel(cfg, src, tgt, text, rand.New(rand.NewPCG(cfg.Seed, 0)))
	if err != nil {
		return nil, err
	}
	t := &task{m: m}
	lengths := make([]int, 0, len(srcUnits))
	units := 0
	for i := range srcUnits {
		if len(srcUnits[i])+1 > cfg.MaxLength || len(tgtUnits[i])+1 > cfg.MaxLength {
			t.report.Skipped++
			continue
		}
		p := pair{src: m.encodeSource(srcUnits[i])}
		p.tgt, _ = tgt.encode(nil, tgtUnits[i])
		t.pairs = append(t.pairs, p)
		lengths = append(lengths, max(len(p.src), len(p.tgt)+1))
		t.report.TrainUnits += len(p.tgt) + 1
		units += len(p.src) + len(p.tgt) + 1
	}
	if len(t.pairs) == 0 {
		return nil, fmt.Errorf("translate: training: %w of at most %d units (MaxLength)", ErrEmpty, cfg.MaxLength)
	}
	t.unitsPerStep = float64(units) / float64(len(t.pairs)) * float64(min(cfg.BatchSize, len(t.pairs)))
	devSrc, devTgt := text.units(dev)
	for i := range devSrc {
		p := pair{src: m.encodeSource(devSrc[i])}
		p.tgt, _ = tgt.encode(nil, devTgt[i])
		t.dev = append(t.dev, p)
		t.devRefs = append(t.devRefs, bleu.Tokenize(dev.Tgt[i]))
	}
	t.devSrc = dev.Src
	if t.batcher, err = datasets.NewBatcher(lengths, datasets.BatchConfig{BatchSize: cfg.BatchSize, Seed: cfg.Seed}); err != nil {
		return nil, fmt.Errorf("translate: %w", err)
	}
	t.replicas = []*Model{m}
	for len(t.replicas) < cfg.Threads {
		t.replicas = append(t.replicas, m.replica())
	}
	t.shard, t.sums = make([][]pair, cfg.Threads), make([]float64, cfg.Threads)
	t.pool = shards.New(cfg.Threads)
	t.job = func(i int) {
		t.sums[i] = 0
		if len(t.shard[i]) > 0 { // a batch smaller than Threads
			t.sums[i], _ = t.replicas[i].trainStep(t.shard[i], t.total)
		}
	}
	adam := nn.NewAdam(cfg.LR)
	t.groups = []train.Group{{Name: "translate", Params: m.Params(), Adam: adam, LR: cfg.LR}}
	t.report.SrcVocab, t.report.TgtVocab, t.report.Pairs = src.size(), tgt.size(), len(t.pairs)
	for _, p := range m.Params() {
		t.report.Params += p.Size()
	}
	return t, nil
}

// Groups is one group: every weight under one Adam.
func (t *task) Groups() []train.Group { return t.groups }

// Epoch orders the batches of epoch e and restarts the dropout streams from
// (Seed, e) alone, so that a resumed run makes the choices of an
// uninterrupted one.
func (t *task) Epoch(e int) int {
	cfg := t.m.cfg
	for i, r := range t.replicas {
		drop := func(k uint64) *nn.Dropout {
			return nn.NewDropout(cfg.dropout(), rand.New(rand.NewPCG(cfg.Seed, uint64(1000*(e+1)+10*i)+k)))
		}
		r.srcDrop, r.tgtDrop, r.keyDrop, r.outDrop = drop(1), drop(2), drop(3), drop(4)
		r.SetTraining(true)
	}
	t.batches = t.batcher.Epoch(e)
	return len(t.batches)
}

// Step trains on batch i, split into shards run at once: the loss is the
// mean cross-entropy per target unit of the batch.
func (t *task) Step(e, i int) (float64, int, error) {
	idx := t.batches[i]
	S := len(t.replicas)
	t.total = 0
	for s := range t.shard {
		t.shard[s] = t.shard[s][:0]
		for _, k := range idx[s*len(idx)/S : (s+1)*len(idx)/S] {
			t.shard[s] = append(t.shard[s], t.pairs[k])
			t.total += len(t.pairs[k].tgt) + 1
		}
	}
	t.pool.Run(t.job)
	sum := 0.0
	for s, r := range t.replicas {
		sum += t.sums[s]
		if s > 0 {
			r.addGradsTo(t.m)
		}
	}
	loss := sum / float64(t.total)
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return 0, 0, fmt.Errorf("translate: the loss of batch %d of epoch %d is %v", i+1, e+1, loss)
	}
	return loss, t.total, nil
}

// Evaluate scores the weights on dev: the perplexity with teacher forcing and
// the BLEU of greedy translations, which decides.
func (t *task) Evaluate() (train.Score, error) {
	if len(t.dev) == 0 {
		return train.NoScore, nil
	}
	t.m.SetTraining(false)
	defer t.m.SetTraining(true)
	sum, n := 0.0, 0
	for b := 0; b < len(t.dev); b += t.m.cfg.BatchSize {
		s, k := t.m.devLoss(t.dev[b:min(b+t.m.cfg.BatchSize, len(t.dev))])
		sum, n = sum+s, n+k
	}
	// One worker: replicas would not see the weights change from one
	// evaluation to the next (their packed copies follow only m's versions).
	t.m.packWeights()
	tr := &Translator{m: t.m, workers: []*Model{t.m}, opt: DecodeOptions{Beam: 1}.WithDefaults()}
	var acc bleu.Accumulator
	for i, hyp := range tr.Translate(t.devSrc) {
		acc.Add(bleu.Tokenize(hyp), t.devRefs[i])
	}
	sc := acc.Score()
	return train.Score{Value: sc.BLEU, Metrics: map[string]float64{
		MetricBLEU: sc.BLEU, MetricPerplexity: math.Exp(sum / float64(max(n, 1))),
	}}, nil
}

// Identity is what a checkpoint must have been made with: the configuration
// but for the epochs and the patience, the text models and vocabularies (by
// digest) and the size of the data.
func (t *task) Identity() (map[string]string, error) {
	cfg := t.m.cfg
	cfg.Epochs, cfg.Patience = 0, 0
	c, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("translate: %w", err)
	}
	meta, err := t.m.meta()
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	for _, k := range []string{metaSrcVocab, metaTgtVocab, metaText} {
		h.Write([]byte(meta[k]))
	}
	return map[string]string{
		metaKind:        `"` + kindTranslate + `"`,
		metaConfig:      string(c),
		"vocab_sha256":  `"` + hex.EncodeToString(h.Sum(nil)) + `"`,
		"training_data": fmt.Sprintf(`"%d pairs, %d target units"`, len(t.pairs), t.report.TrainUnits),
	}, nil
}

// Save writes the model (the loop calls it with the best weights in place).
func (t *task) Save(path string) error { return t.m.Save(path) }

var (
	_ train.Task  = (*task)(nil)
	_ train.Saver = (*task)(nil)
)
