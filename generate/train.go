package generate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/nlp-go/nlp/internal/shards"
	"github.com/nlp-go/nlp/nn"
	"github.com/nlp-go/nlp/train"
)

// Option sets an optional extra of Train.
type Option func(*options)

type options struct {
	training train.Options
}

// WithTraining passes the training loop's options (see train.Options): the
// checkpoint written at every validation and when training stops, resuming
// from it, the file that receives the best model at every improvement, the
// time limit, and the progress and validation callbacks. A checkpoint holds
// the current and best parameters, Adam's moments, the recurrent states
// carried between chunks and the position, so a resumed training takes
// exactly the steps an uninterrupted one would; its configuration must be the
// checkpoint's except Steps, and its texts the same.
func WithTraining(o train.Options) Option { return func(opt *options) { opt.training = o } }

// Metric names of the evaluations in Report.Evals: the validation loss in
// nats and in bits per character.
const (
	MetricValidNats = "valid_nats"
	MetricValidBits = "valid_bits"
)

// Report summarises a training run: the loop's report (every validation in
// Evals, Eval.Loss being the training loss in nats per character since the
// validation before, weighted by characters) and what only a character model
// has.
type Report struct {
	Vocab          int     `json:"vocab"`       // characters of the training text
	Params         int     `json:"params"`      // trainable values
	TrainChars     int     `json:"train_chars"` // predictions in the training text (characters and line ends)
	ValidChars     int     `json:"valid_chars"`
	ValidUnknown   int     `json:"valid_unknown"`    // validation characters outside the vocabulary
	ChunksPerEpoch int     `json:"chunks_per_epoch"` // steps that make one pass over the training text
	CharsPerSecond float64 `json:"chars_per_second"` // characters read (B·T per step) per second of training steps, up to the last validation
	// BestValid is the validation loss of the kept parameters in nats per
	// character; -1 without validation text (JSON has no NaN).
	BestValid float64 `json:"best_valid"`
	train.Report
}

// Train trains a model on the lines of text, scoring it on valid (which may be
// empty) every ValidEvery steps and keeping the parameters of the best
// validation. See the package documentation for the stream, the batches and the
// loss. The steps run in train.Run: cancelling ctx stops training at the next
// step boundary, with the checkpoint (if any) written and the best parameters
// so far returned; Report.Stopped then says why.
func Train(ctx context.Context, cfg Config, text, valid []string, opts ...Option) (*Model, *Report, error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	t, rep, err := run(ctx, cfg, text, valid, o)
	if err != nil {
		return nil, nil, err
	}
	return t.m, rep, nil
}

// run is Train, returning the task, whose optimizer and carried states the
// tests compare.
func run(ctx context.Context, cfg Config, text, valid []string, o options) (*task, *Report, error) {
	t, loopCfg, err := newTask(cfg, text, valid)
	if err != nil {
		return nil, nil, err
	}
	defer t.sh.Stop()
	tr, err := train.Run(ctx, t, loopCfg, o.training)
	if err != nil {
		return nil, nil, fmt.Errorf("generate: %w", err)
	}
	for _, n := range t.nets {
		n.setTraining(false)
	}
	rep := t.report
	rep.Report = *tr
	rep.BestValid = -1
	if b := tr.Best(); b != nil && b.Scored {
		rep.BestValid = b.Metrics[MetricValidNats]
	}
	if tr.Seconds > 0 {
		// Report.Steps and Seconds both stop at the last validation.
		rep.CharsPerSecond = float64(tr.Steps) * float64(t.cfg.BatchSize*t.cfg.BPTT) / tr.Seconds
	}
	return t, &rep, nil
}

// task is the training of a character model as train.Run sees it: a pass over
// the text is an epoch of K chunks, one step each.
type task struct {
	m        *Model
	cfg      Config
	seq      []int // the training stream
	validSeq []int
	K        int // chunks per pass
	report   Report
	identity map[string]string
	groups   []train.Group

	// The shards: net i reads streams first[i] … first[i]+width[i]−1,
	// carrying their states from chunk to chunk in carry[i].
	nets         []*net
	sh           *shards.Pool
	first, width []int
	carry        [][]nn.State
	state        []*nn.Param // views of carry, for the checkpoint

	offset    int        // of the streams in this pass
	offsetSrc *rand.PCG  // reseeded per pass: no allocation per epoch
	offsetRng *rand.Rand // over offsetSrc
	sums      []float64  // per shard, of the current step
	total     int        // scored predictions of the current step
	shardStep func(i int)
}

// newTask builds the model and its training, and the loop's configuration
// that reproduces generate's schedule.
func newTask(cfg Config, text, valid []string) (*task, train.Config, error) {
	if err := cfg.Validate(); err != nil {
		return nil, train.Config{}, err
	}
	if len(text) == 0 {
		return nil, train.Config{}, fmt.Errorf("generate: training text: %w", ErrEmpty)
	}
	cfg = cfg.WithDefaults()
	m, err := newModel(cfg, vocabulary(text), rand.New(rand.NewPCG(cfg.Seed, 0)))
	if err != nil {
		return nil, train.Config{}, err
	}
	t := &task{m: m, cfg: cfg}
	t.seq, _ = m.Encode(text)
	B, T, W := cfg.BatchSize, cfg.BPTT, cfg.Threads
	N := len(t.seq) - 1
	t.K = (N - (T - 1)) / (B * T)
	if t.K < 1 {
		return nil, train.Config{}, fmt.Errorf("generate: the training text has %d characters, too few for one batch of %d streams × %d (at least %d): lower the batch size or the BPTT length",
			N, B, T, B*T+T-1)
	}
	var validUnk int
	t.validSeq, validUnk = m.Encode(valid)
	t.report = Report{Vocab: len(m.chars), TrainChars: CountChars(text), ChunksPerEpoch: t.K,
		ValidChars: CountChars(valid), ValidUnknown: validUnk}
	for _, p := range m.Params() {
		t.report.Params += p.Size()
	}
	if t.identity, err = m.identity(text, valid); err != nil {
		return nil, train.Config{}, err
	}
	t.groups = []train.Group{{Name: "model", Params: m.Params(), Adam: nn.NewAdam(cfg.LR), LR: cfg.LR}}

	t.nets = []*net{m.main}
	for len(t.nets) < W {
		t.nets = append(t.nets, m.main.replica())
	}
	t.sh = shards.New(W)
	t.first, t.width = make([]int, W), make([]int, W)
	t.carry = make([][]nn.State, W)
	for i, n := range t.nets {
		t.first[i], t.width[i] = i*B/W, (i+1)*B/W-i*B/W
		t.carry[i] = n.newStates(t.width[i])
		for l, s := range t.carry[i] {
			t.state = append(t.state, &nn.Param{Name: fmt.Sprintf("carry.s%d.l%d.h", i, l), Rows: t.width[i], Cols: cfg.Hidden, Value: s.H})
			if s.C != nil {
				t.state = append(t.state, &nn.Param{Name: fmt.Sprintf("carry.s%d.l%d.c", i, l), Rows: t.width[i], Cols: cfg.Hidden, Value: s.C})
			}
		}
	}
	t.sums = make([]float64, W)
	t.offsetSrc = rand.NewPCG(0, 0)
	t.offsetRng = rand.New(t.offsetSrc)
	// Made once, so that a step allocates nothing.
	t.shardStep = func(i int) {
		n := t.nets[i]
		bt := n.fullBatch(t.width[i], T)
		n.forward(bt, t.carry[i])
		t.sums[i], _ = n.loss(bt.Rows(), true, t.total)
		n.backward(bt)
	}

	loopCfg := train.Config{Steps: cfg.Steps, EvalEvery: cfg.ValidEvery, Schedule: train.Cosine, MinLR: MinLRFraction}
	if cfg.Schedule == ScheduleConstant {
		loopCfg.Schedule = train.Constant
	}
	if cfg.Clip > 0 && !math.IsInf(cfg.Clip, 1) {
		loopCfg.Clip = cfg.Clip // a negative (or infinite) Clip means none, the loop's 0
	}
	return t, loopCfg, nil
}

// identity is what a checkpoint must match: the model's metadata with Steps
// left out (a resume may change it; its zero is the default, so the
// checkpoint's metadata still reads as a model's), and the texts.
func (m *Model) identity(text, valid []string) (map[string]string, error) {
	c := *m
	c.Config.Steps = 0
	meta, err := c.meta()
	if err != nil {
		return nil, err
	}
	meta[metaTrainText] = textID(text)
	meta[metaValidText] = textID(valid)
	return meta, nil
}

// Metadata keys of a checkpoint's texts.
const (
	metaTrainText = "train_text"
	metaValidText = "valid_text"
)

// textID names lines by their number of characters and their SHA-256, so
// that a checkpoint is resumed on the very text it was made on; as JSON,
// which nn.Save requires of metadata.
func textID(lines []string) string {
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return fmt.Sprintf(`{"chars":%d,"sha256":"%s"}`, CountChars(lines), hex.EncodeToString(h.Sum(nil)))
}

// Groups implements train.Task: all parameters under one Adam.
func (t *task) Groups() []train.Group { return t.groups }

// Epoch implements train.Task: pass e over the text shifts the streams by a
// random offset below T drawn from (Seed, 2³²+e), so that chunks do not
// always start at the same characters.
func (t *task) Epoch(e int) int {
	t.offsetSrc.Seed(t.cfg.Seed, 1<<32+uint64(e))
	t.offset = t.offsetRng.IntN(t.cfg.BPTT)
	for _, n := range t.nets {
		n.setTraining(true)
	}
	return t.K
}

// Step implements train.Task: chunk k of pass e, every shard on its own
// goroutine, the replicas' gradients then added to the main net's in a fixed
// order. The loss is the mean over the scored predictions of the whole batch.
func (t *task) Step(e, k int) (float64, int, error) {
	if k == 0 {
		// A new pass starts from zero states. Not in Epoch: a run resumed
		// inside a pass calls Epoch again and must keep the loaded states.
		for i := range t.carry {
			zeroStates(t.carry[i])
		}
	}
	T, K, start := t.cfg.BPTT, t.K, t.m.StartID()
	step := e*K + k
	t.total = 0
	for i, n := range t.nets {
		b := t.width[i]
		n.prepare(b * T)
		for j := 0; j < b; j++ {
			base := t.offset + (t.first[i]+j)*K*T + k*T
			for s := 0; s < T; s++ {
				r := s*b + j
				n.ids[r] = t.seq[base+s]
				n.targets[r] = target(t.seq[base+s+1], start)
				if n.targets[r] != nn.IgnoreIndex {
					t.total++
				}
			}
		}
		// Dropout masks depend on the seed, the step and the shard only, so a
		// resumed run draws the same ones.
		n.dropSrc.Seed(t.cfg.Seed^0x9e3779b97f4a7c15, uint64(step)<<8|uint64(i))
	}
	t.sh.Run(t.shardStep)
	for i := 1; i < len(t.nets); i++ {
		t.nets[i].addGradsTo(t.m.main)
	}
	var sum float64
	for _, s := range t.sums {
		sum += s
	}
	return sum / float64(t.total), t.total, nil
}

// Evaluate implements train.Task: the validation loss in nats per character
// (Score.Value is its negative: lower is better), the validation text read
// as B streams by the training's shards.
func (t *task) Evaluate() (train.Score, error) {
	if len(t.validSeq) < 2 {
		return train.NoScore, nil
	}
	sum, n := t.m.evaluate(t.validSeq, t.cfg.BatchSize, t.cfg.BPTT, t.nets, t.sh)
	for _, n := range t.nets {
		n.setTraining(true)
	}
	v := sum / float64(n)
	return train.Score{Value: -v, Metrics: map[string]float64{MetricValidNats: v, MetricValidBits: v / math.Ln2}}, nil
}

// Identity implements train.Task.
func (t *task) Identity() (map[string]string, error) { return t.identity, nil }

// State implements train.Stateful: the recurrent states carried between
// chunks.
func (t *task) State() []*nn.Param { return t.state }

// Save implements train.Saver.
func (t *task) Save(path string) error { return t.m.Save(path) }

// Ensure the task is what the loop needs.
var (
	_ train.Task     = (*task)(nil)
	_ train.Stateful = (*task)(nil)
	_ train.Saver    = (*task)(nil)
)

// metaCheckpoint is the metadata key under which train.Run writes its state:
// a file that has it is a checkpoint, not a model.
const metaCheckpoint = "train_state"
