package generate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"time"

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
	maxTime    time.Duration
	stopAfter  int // testing: stop as if out of time after this many steps in all (0: never)
}

// WithProgress draws a progress bar (characters, characters/s, the training
// loss in nats and bits per character, the best validation loss) on w.
func WithProgress(w io.Writer) Option { return func(o *options) { o.progress = w } }

// WithLog writes one line per validation (step, losses, speed) to w.
func WithLog(w io.Writer) Option { return func(o *options) { o.log = w } }

// WithCheckpoint writes the training state to path at every validation and when
// training stops: the current and the best parameters, Adam's moments, the
// recurrent states carried between chunks and the step. With resume set and
// the file present, Train continues the training it records, exactly: the
// resumed run takes the same steps as an uninterrupted one. The configuration
// must be the checkpoint's, except Steps.
func WithCheckpoint(path string, resume bool) Option {
	return func(o *options) { o.checkpoint, o.resume = path, resume }
}

// WithMaxDuration stops training cleanly after the step during which d has
// elapsed (d ≤ 0: no limit): Train validates, writes the checkpoint and returns
// the best model so far (the current one when there is no validation text),
// with Report.Stopped set.
func WithMaxDuration(d time.Duration) Option { return func(o *options) { o.maxTime = d } }

// Validation records one evaluation on the validation text during training.
type Validation struct {
	Step      int     `json:"step"`       // steps done
	TrainNats float64 `json:"train_nats"` // mean training loss since the previous validation
	ValidNats float64 `json:"valid_nats"` // -1 without validation text (JSON has no NaN)
	ValidBits float64 `json:"valid_bits"`
	Seconds   float64 `json:"seconds"` // training time so far (this run and the runs it resumes)
}

// Report summarises a training run.
type Report struct {
	Vocab          int          `json:"vocab"`       // characters of the training text
	Params         int          `json:"params"`      // trainable values
	TrainChars     int          `json:"train_chars"` // predictions in the training text (characters and line ends)
	ValidChars     int          `json:"valid_chars"`
	ValidUnknown   int          `json:"valid_unknown"`    // validation characters outside the vocabulary
	ChunksPerEpoch int          `json:"chunks_per_epoch"` // steps that make one pass over the training text
	Steps          int          `json:"steps"`            // steps done
	Seconds        float64      `json:"seconds"`          // training time (validation included)
	CharsPerSecond float64      `json:"chars_per_second"` // training characters per second of training steps alone
	Validations    []Validation `json:"validations"`
	BestStep       int          `json:"best_step"`  // the step whose parameters the model keeps
	BestValid      float64      `json:"best_valid"` // its validation loss, nats per character (-1: none)
	Stopped        bool         `json:"stopped"`    // stopped by WithMaxDuration before Steps
}

// trainState is what a checkpoint adds to a model file.
type trainState struct {
	Step      int     `json:"step"` // steps done
	BestStep  int     `json:"best_step"`
	BestValid float64 `json:"best_valid"`
	Report    Report  `json:"report"`
	StepSecs  float64 `json:"step_seconds"` // time spent in training steps so far
}

const metaTrainState = "train_state"

// Train trains a model on the lines of train, scoring it on valid (which may be
// empty) every ValidEvery steps and keeping the parameters of the best
// validation. See the package documentation for the stream, the batches and the
// loss.
func Train(cfg Config, train, valid []string, opts ...Option) (*Model, *Report, error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	if len(train) == 0 {
		return nil, nil, fmt.Errorf("generate: training text: %w", ErrEmpty)
	}
	cfg = cfg.WithDefaults()
	var (
		m       *Model
		st      = trainState{BestValid: -1}
		resumed bool
		err     error
	)
	if o.checkpoint != "" && o.resume {
		if _, statErr := os.Stat(o.checkpoint); statErr == nil {
			if m, st, err = loadCheckpointMeta(o.checkpoint, cfg); err != nil {
				return nil, nil, err
			}
			resumed = true
		}
	}
	if !resumed {
		chars := vocabulary(train)
		if m, err = newModel(cfg, chars, rand.New(rand.NewPCG(cfg.Seed, 0))); err != nil {
			return nil, nil, err
		}
	}
	m.Config.Steps = cfg.Steps
	cfg = m.Config
	rep := &st.Report

	seq, _ := m.Encode(train)
	B, T, W := cfg.BatchSize, cfg.BPTT, cfg.Threads
	N := len(seq) - 1
	K := (N - (T - 1)) / (B * T)
	if K < 1 {
		return nil, nil, fmt.Errorf("generate: the training text has %d characters, too few for one batch of %d streams × %d (at least %d): lower the batch size or the BPTT length",
			N, B, T, B*T+T-1)
	}
	if resumed && (rep.TrainChars != CountChars(train) || rep.ChunksPerEpoch != K) {
		return nil, nil, fmt.Errorf("generate: resume %q: the checkpoint was made on another text (%d characters, now %d)", o.checkpoint, rep.TrainChars, CountChars(train))
	}
	validSeq, validUnk := m.Encode(valid)
	rep.Vocab, rep.TrainChars, rep.ChunksPerEpoch = len(m.chars), CountChars(train), K
	rep.ValidChars, rep.ValidUnknown = CountChars(valid), validUnk
	rep.Params = 0
	for _, p := range m.Params() {
		rep.Params += p.Size()
	}

	// The shards: net i reads streams first[i] … first[i]+b[i]−1.
	nets := []*net{m.main}
	for len(nets) < W {
		nets = append(nets, m.main.replica())
	}
	sh := newShards(W)
	defer sh.stop()
	first, width := make([]int, W), make([]int, W)
	carry := make([][]nn.State, W)
	for i := range nets {
		first[i], width[i] = i*B/W, (i+1)*B/W-i*B/W
		carry[i] = nets[i].newStates(width[i])
	}

	params := m.Params()
	adam := nn.NewAdam(cfg.LR)
	best := cloneValues(params)
	if resumed {
		if err := loadCheckpointValues(o.checkpoint, m, best, adam, carry); err != nil {
			return nil, nil, err
		}
		adam.SetSteps(st.Step)
	}

	start := m.StartID()
	offset := 0
	var (
		sums   = make([]float64, W)
		counts = make([]int, W)
		total  int
		step   int
	)
	// One training step on shard i (set up by the loop below).
	shardStep := func(i int) {
		n := nets[i]
		bt := n.fullBatch(width[i], T)
		n.forward(bt, carry[i])
		sums[i], counts[i] = n.loss(bt.Rows(), true, total)
		n.backward(bt)
	}
	var validNets []*net // the shards also validate
	validNets = append(validNets, nets...)
	validate := func() float64 {
		if len(validSeq) < 2 {
			return -1
		}
		sum, n := m.evaluate(validSeq, B, T, validNets, sh)
		for _, n := range nets {
			n.setTraining(true)
		}
		return sum / float64(n)
	}

	began := time.Now()
	secsBefore := rep.Seconds
	stepSecs := st.StepSecs
	bar := progress.New(o.progress, "train", int64(cfg.Steps)*int64(B*T), "chars")
	bar.Set(int64(st.Step) * int64(B*T))
	for _, n := range nets {
		n.setTraining(true)
	}
	var lossSum float64
	var lossSteps int
	note := func() {
		if o.progress == nil {
			return // formatting the note would allocate at every step
		}
		tr := math.NaN()
		if lossSteps > 0 {
			tr = lossSum / float64(lossSteps)
		}
		v := "-"
		if st.BestValid >= 0 {
			v = fmt.Sprintf("%.4f", st.BestValid)
		}
		bar.Note("step %d loss %.4f nats %.3f bits/char, best valid %s", step, tr, tr/math.Ln2, v)
	}
	stopped := false
	for step = st.Step; step < cfg.Steps; {
		t0 := time.Now()
		epoch, k := step/K, step%K
		if k == 0 {
			// A new pass over the text: fresh states and a new offset, so that
			// chunks do not always start at the same characters.
			for i := range carry {
				zeroStates(carry[i])
			}
		}
		if k == 0 || step == st.Step {
			offset = rand.New(rand.NewPCG(cfg.Seed, 1<<32+uint64(epoch))).IntN(T)
		}
		total = 0
		for i, n := range nets {
			b := width[i]
			n.prepare(b * T)
			for j := 0; j < b; j++ {
				base := offset + (first[i]+j)*K*T + k*T
				for t := 0; t < T; t++ {
					r := t*b + j
					n.ids[r] = seq[base+t]
					n.targets[r] = target(seq[base+t+1], start)
					if n.targets[r] != nn.IgnoreIndex {
						total++
					}
				}
			}
			// Dropout masks depend on the seed, the step and the shard only, so a
			// resumed run draws the same ones.
			n.dropSrc.Seed(cfg.Seed^0x9e3779b97f4a7c15, uint64(step)<<8|uint64(i))
		}
		sh.run(shardStep)
		for i := 1; i < W; i++ {
			nets[i].addGradsTo(m.main)
		}
		var sum float64
		for i := range sums {
			sum += sums[i]
		}
		loss := sum / float64(total)
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return nil, nil, fmt.Errorf("generate: step %d: the loss is %v (lower the learning rate)", step+1, loss)
		}
		if cfg.Clip > 0 {
			nn.ClipGradNorm(params, cfg.Clip)
		}
		adam.LR = cfg.lrAt(step)
		adam.Step(params)
		nn.ZeroGrad(params)
		step++
		stepSecs += time.Since(t0).Seconds()
		lossSum += loss
		lossSteps++
		bar.Add(int64(B * T))
		note()

		out := o.maxTime > 0 && time.Since(began) >= o.maxTime || o.stopAfter > 0 && step >= o.stopAfter
		if step%cfg.ValidEvery == 0 || step == cfg.Steps || out {
			v := validate()
			val := Validation{Step: step, TrainNats: lossSum / float64(lossSteps), ValidNats: v, ValidBits: -1,
				Seconds: secsBefore + time.Since(began).Seconds()}
			if v >= 0 {
				val.ValidBits = v / math.Ln2
			}
			lossSum, lossSteps = 0, 0
			rep.Validations = append(rep.Validations, val)
			if v < 0 || st.BestValid < 0 || v < st.BestValid {
				st.BestValid, st.BestStep = v, step
				copyValues(best, params)
			}
			if o.log != nil {
				mark := ""
				if st.BestStep == step && v >= 0 {
					mark = " *"
				}
				vs := "-"
				if v >= 0 {
					vs = fmt.Sprintf("%.4f nats %.4f bits", v, v/math.Ln2)
				}
				fmt.Fprintf(o.log, "step %d: train %.4f nats %.4f bits, valid %s, %.0f chars/s, %.0f s%s\n",
					step, val.TrainNats, val.TrainNats/math.Ln2, vs, float64(step-st.Step)*float64(B*T)/max(stepSecs-st.StepSecs, 1e-9), val.Seconds, mark)
			}
			rep.Steps, rep.Seconds = step, val.Seconds
			rep.BestStep, rep.BestValid = st.BestStep, st.BestValid
			rep.CharsPerSecond = float64(step) * float64(B*T) / max(stepSecs, 1e-9)
			if o.checkpoint != "" {
				cs := st
				cs.Step, cs.StepSecs = step, stepSecs
				if err := saveCheckpoint(o.checkpoint, m, best, adam, carry, cs); err != nil {
					return nil, nil, err
				}
			}
			note()
		}
		if out && step < cfg.Steps {
			stopped = true
			break
		}
	}
	bar.Finish()
	rep.Steps = step
	rep.Seconds = secsBefore + time.Since(began).Seconds()
	rep.CharsPerSecond = float64(step) * float64(B*T) / max(stepSecs, 1e-9)
	rep.BestStep, rep.BestValid = st.BestStep, st.BestValid
	rep.Stopped = stopped
	copyValues(params, best)
	for _, n := range nets {
		n.setTraining(false)
	}
	return m, rep, nil
}

func cloneValues(ps []*nn.Param) [][]float64 {
	out := make([][]float64, len(ps))
	for i, p := range ps {
		out[i] = slices.Clone(p.Value)
	}
	return out
}

// copyValues copies parameter values between [][]float64 and []*nn.Param in
// either direction.
func copyValues[D, S [][]float64 | []*nn.Param](dst D, src S) {
	d, s := valuesOf(dst), valuesOf(src)
	for i := range d {
		copy(d[i], s[i])
	}
}

func valuesOf[V [][]float64 | []*nn.Param](x V) [][]float64 {
	switch v := any(x).(type) {
	case [][]float64:
		return v
	case []*nn.Param:
		out := make([][]float64, len(v))
		for i, p := range v {
			out[i] = p.Value
		}
		return out
	}
	return nil
}

// errNotCheckpoint means a model file without a training state.
var errNotCheckpoint = errors.New("not a checkpoint (no training state)")

// configsMatch reports whether a checkpoint's configuration is the one asked
// for, ignoring Steps.
func configsMatch(a, b Config) bool {
	a.Steps, b.Steps = 0, 0
	return a == b
}

// checkpointParams lists what a checkpoint holds besides the model: the best
// parameters, Adam's moments and the carried states.
func checkpointParams(m *Model, best [][]float64, adam *nn.Adam, carry [][]nn.State) []*nn.Param {
	ps := m.Params()
	all := append([]*nn.Param{}, ps...)
	for i, p := range ps {
		all = append(all, &nn.Param{Name: "best." + p.Name, Rows: p.Rows, Cols: p.Cols, Value: best[i]})
	}
	all = append(all, adam.StateParams(ps)...)
	for i, sts := range carry {
		for l, s := range sts {
			b := len(s.H) / m.Config.Hidden
			all = append(all, &nn.Param{Name: fmt.Sprintf("carry.s%d.l%d.h", i, l), Rows: b, Cols: m.Config.Hidden, Value: s.H})
			if s.C != nil {
				all = append(all, &nn.Param{Name: fmt.Sprintf("carry.s%d.l%d.c", i, l), Rows: b, Cols: m.Config.Hidden, Value: s.C})
			}
		}
	}
	return all
}

func saveCheckpoint(path string, m *Model, best [][]float64, adam *nn.Adam, carry [][]nn.State, st trainState) error {
	meta, err := m.meta()
	if err != nil {
		return err
	}
	js, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("generate: checkpoint: %w", err)
	}
	meta[metaTrainState] = string(js)
	if err := nn.Save(path, checkpointParams(m, best, adam, carry), meta); err != nil {
		return fmt.Errorf("generate: checkpoint: %w", err)
	}
	return nil
}

// loadCheckpointMeta builds the model a checkpoint describes (without its
// values: loadCheckpointValues fills them once the optimizer exists) and reads
// its training state; cfg (defaults filled) must match but for Steps.
func loadCheckpointMeta(path string, cfg Config) (*Model, trainState, error) {
	var st trainState
	meta, err := nn.LoadMeta(path)
	if err != nil {
		return nil, st, fmt.Errorf("generate: resume %q: %w", path, err)
	}
	m, err := fromMeta(meta)
	if err != nil {
		return nil, st, fmt.Errorf("generate: resume %q: %w", path, err)
	}
	js, ok := meta[metaTrainState]
	if !ok {
		return nil, st, fmt.Errorf("generate: resume %q: %w", path, errNotCheckpoint)
	}
	if err := json.Unmarshal([]byte(js), &st); err != nil {
		return nil, st, fmt.Errorf("generate: resume %q: %w: %v", path, nn.ErrCorrupt, err)
	}
	if !configsMatch(m.Config, cfg) {
		a, _ := json.Marshal(m.Config)
		b, _ := json.Marshal(cfg)
		return nil, st, fmt.Errorf("generate: resume %q: the checkpoint was made with another configuration:\n  checkpoint %s\n  now        %s", path, a, b)
	}
	return m, st, nil
}

func loadCheckpointValues(path string, m *Model, best [][]float64, adam *nn.Adam, carry [][]nn.State) error {
	if _, err := nn.Load(path, checkpointParams(m, best, adam, carry)); err != nil {
		return fmt.Errorf("generate: resume %q: %w", path, err)
	}
	return nil
}
