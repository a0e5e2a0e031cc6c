package tagger

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
	"strconv"
	"time"

	"github.com/nlp-go/nlp/datasets"
	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/internal/progress"
	"github.com/nlp-go/nlp/nn"
)

// Option adjusts training.
type Option func(*trainOptions)

type trainOptions struct {
	progress   io.Writer
	log        io.Writer
	out        string
	resume     bool
	teacher    *Ensemble
	unlabelled [][]string
	init       *Model
	stopAfter  int // testing: stop after this many epochs (0: never)
}

// WithTeacher trains on the probabilities that teacher (usually an ensemble of
// models trained on the same treebank) gives each training word, mixed with the
// gold tags by Config.Distill: knowledge distillation. An ensemble is more
// accurate than its members; a model trained towards its probabilities learns
// part of that back in a single model's size and speed (BENCHMARKS.md). The
// teacher tags the training set once, at the start; a resumed training must be
// given the same teacher.
func WithTeacher(teacher *Ensemble) Option { return func(o *trainOptions) { o.teacher = teacher } }

// WithUnlabelled adds sentences without tags (the words of each) to the
// training set, with the teacher's probabilities (WithTeacher, required) as
// their only targets: distillation on unlabelled text. The training sentences
// teach what the treebank says; these teach the student how the ensemble
// behaves on text the treebank does not hold, which is where a single model
// and an ensemble differ most. Every epoch goes through both.
func WithUnlabelled(sentences [][]string) Option {
	return func(o *trainOptions) { o.unlabelled = sentences }
}

// WithInit starts training from init's weights instead of random ones:
// fine-tuning. The model keeps init's shape and vocabularies (its
// configuration's model fields override the given ones; the training fields —
// learning rate, dropout, epochs … — are the given ones), so the training
// tags must be among init's tag sets and the vectors passed to Train are not
// read. Before the first epoch init itself is scored on dev and kept as the
// best so far: fine-tuning returns a model at least as good on dev as the one
// it started from (Report.BestEpoch 0 if no epoch beat it).
//
// A distilled model learns half its targets from its teachers; a few epochs on
// the gold tags alone at a small learning rate bring it back to the
// treebank's own conventions (BENCHMARKS.md).
func WithInit(init *Model) Option { return func(o *trainOptions) { o.init = init } }

// WithProgress draws a progress bar (loss, words/s, dev accuracy) on w.
func WithProgress(w io.Writer) Option { return func(o *trainOptions) { o.progress = w } }

// WithLog writes one line per epoch (loss, dev accuracy, time) to w.
func WithLog(w io.Writer) Option { return func(o *trainOptions) { o.log = w } }

// WithOutput saves the best model so far to path after every epoch that improves
// on dev, and a checkpoint to path+".ckpt" after every epoch; with resume set, a
// checkpoint found there is continued from, so an interrupted training loses at
// most one epoch.
func WithOutput(path string, resume bool) Option {
	return func(o *trainOptions) { o.out, o.resume = path, resume }
}

// EpochReport is what one epoch of training measured.
type EpochReport struct {
	Epoch    int     `json:"epoch"`
	Loss     float64 `json:"loss"` // mean cross-entropy per word, both heads
	DevUPOS  float64 `json:"dev_upos"`
	DevXPOS  float64 `json:"dev_xpos"`
	Seconds  float64 `json:"seconds"`
	WordsSec float64 `json:"words_per_second"`
}

// Report summarises a training run.
type Report struct {
	Epochs []EpochReport `json:"epochs"`
	// BestEpoch is the kept epoch, 1-based; 0 when a fine-tuning (WithInit)
	// kept its initial model.
	BestEpoch int `json:"best_epoch"`
	// InitUPOS and InitXPOS are the initial model's dev accuracies (WithInit).
	InitUPOS float64 `json:"init_upos,omitempty"`
	InitXPOS float64 `json:"init_xpos,omitempty"`
	// DevXPOSTokens counts the dev words with a gold XPOS: 0 for a treebank
	// without XPOS, whose XPOS accuracies mean nothing.
	DevXPOSTokens int `json:"dev_xpos_tokens"`
}

// Train learns a tagger from train, choosing the epoch by accuracy on dev
// (early stopping), with word vectors vecs (nil for none: the ablation without
// word2vec). It returns the best model seen.
func Train(cfg Config, train, dev Data, vecs *embed.Vectors, opts ...Option) (*Model, Report, error) {
	var o trainOptions
	for _, opt := range opts {
		opt(&o)
	}
	if err := cfg.Validate(); err != nil {
		return nil, Report{}, err
	}
	cfg = cfg.WithDefaults()
	if err := checkData("train", train, true); err != nil {
		return nil, Report{}, err
	}
	if err := checkData("dev", dev, true); err != nil {
		return nil, Report{}, err
	}
	if len(o.unlabelled) > 0 {
		if o.teacher == nil {
			return nil, Report{}, errors.New("tagger: unlabelled sentences need a teacher to learn from (WithTeacher)")
		}
		if err := checkData("unlabelled", Data{Forms: o.unlabelled}, false); err != nil {
			return nil, Report{}, err
		}
	}
	var m *Model
	var err error
	if o.init != nil {
		m, err = fromInit(o.init, cfg, train)
	} else {
		m, err = newModel(cfg, buildVocabularies(cfg, train, vecs), rand.New(rand.NewPCG(cfg.Seed, 1)))
		if err == nil && vecs != nil {
			m.setPretrained(vecs)
		}
	}
	if err != nil {
		return nil, Report{}, err
	}
	tr := &trainer{m: m, opt: nn.NewAdam(cfg.LR), o: o}
	tr.opt.Beta2 = 0.9 // as in Dozat & Manning's taggers: adapts faster to sparse word gradients
	return tr.run(train, dev)
}

// fromInit makes the model a fine-tuning starts from: init's shape,
// vocabularies and weights, with cfg's training settings. An XPOS of "_" the
// model does not predict is "not annotated" and teaches nothing, as in Train.
func fromInit(init *Model, cfg Config, train Data) (*Model, error) {
	unknown := func(i, j int, set, tag string) error {
		return fmt.Errorf("tagger: train sentence %d, word %d: %s tag %q is not one the initial model predicts; fine-tuning keeps its tag sets",
			i+1, j+1, set, tag)
	}
	for i, s := range train.UPOS {
		for j, u := range s {
			if _, ok := init.upos.id(u); !ok {
				return nil, unknown(i, j, "UPOS", u)
			}
			if x := train.XPOS[i][j]; x != noTag {
				if _, ok := init.xpos.id(x); !ok {
					return nil, unknown(i, j, "XPOS", x)
				}
			}
		}
	}
	m, err := newModel(cfg.withModelOf(init.cfg), init.vocabularies(), nil)
	if err != nil {
		return nil, err
	}
	src := init.params()
	for i, p := range m.params() {
		copy(p.Value, src[i].Value)
	}
	m.weightsChanged()
	return m, nil
}

// checkData reports a malformed data set (mismatched lengths, no words).
func checkData(name string, d Data, tagged bool) error {
	if d.Len() == 0 {
		return fmt.Errorf("tagger: the %s set is empty", name)
	}
	for i, s := range d.Forms {
		if len(s) == 0 {
			return fmt.Errorf("tagger: %s sentence %d has no words", name, i+1)
		}
	}
	if !tagged {
		return nil
	}
	if len(d.UPOS) != d.Len() || len(d.XPOS) != d.Len() {
		return fmt.Errorf("tagger: the %s set has %d sentences but %d/%d tag lists", name, d.Len(), len(d.UPOS), len(d.XPOS))
	}
	for i, s := range d.Forms {
		if len(d.UPOS[i]) != len(s) || len(d.XPOS[i]) != len(s) {
			return fmt.Errorf("tagger: %s sentence %d has %d words but %d/%d tags", name, i+1, len(s), len(d.UPOS[i]), len(d.XPOS[i]))
		}
	}
	return nil
}

// buildVocabularies counts the training data: trainable words (seen at least
// MinWordCount times, most frequent first), characters, tags, and the words
// whose pretrained vectors the model keeps — every training word that has one
// and the PretrainedN most frequent words of the vectors, so that frequent
// words absent from the treebank still arrive with a meaning.
func buildVocabularies(cfg Config, train Data, vecs *embed.Vectors) vocabularies {
	counts := map[string]int{}     // lower-cased forms
	wordCounts := map[string]int{} // trainable-vocabulary keys
	chars := map[string]int{}
	upos, xpos := map[string]bool{}, map[string]bool{}
	for i, s := range train.Forms {
		for j, f := range s {
			counts[norm(f)]++
			wordCounts[wordKey(cfg, f)]++
			for _, r := range f {
				chars[string(r)]++
			}
			upos[train.UPOS[i][j]] = true
			xpos[train.XPOS[i][j]] = true
		}
	}
	forms := sortedByCount(counts)
	v := vocabularies{Words: []string{unknownWord}, WordCounts: []int{0}, TrainForms: forms}
	for _, f := range sortedByCount(wordCounts) {
		if wordCounts[f] >= cfg.MinWordCount {
			v.Words = append(v.Words, f)
			v.WordCounts = append(v.WordCounts, wordCounts[f])
		}
	}
	v.Chars = []string{unknownChar}
	for _, c := range sortedKeys(chars) {
		v.Chars = append(v.Chars, c)
	}
	// "_" is CoNLL-U's empty column. In a treebank without XPOS it is the only
	// one, and the model learns to write it; where other sentences have XPOS
	// (two treebanks trained on together, one without), it means "not
	// annotated": left out of the tag set, those words teach the XPOS head
	// nothing (see tagID) instead of teaching it to answer "_".
	if len(xpos) > 1 {
		delete(xpos, noTag)
	}
	v.UPOS, v.XPOS = sortedKeys(upos), sortedKeys(xpos)
	if vecs != nil {
		v.PreDim = vecs.Dim()
		keep := map[string]bool{}
		for i := 0; i < min(cfg.PretrainedN, vecs.Len()); i++ {
			w := vecs.Word(i)
			keep[w] = true
			v.Pretrained = append(v.Pretrained, w)
		}
		add := func(f string) {
			if _, ok := vecs.Index(f); ok && !keep[f] {
				keep[f] = true
				v.Pretrained = append(v.Pretrained, f)
			}
		}
		for _, f := range forms {
			add(f)
		}
		if cfg.CasedVectors {
			// The training words as written too, most frequent first.
			cased := map[string]int{}
			for _, s := range train.Forms {
				for _, f := range s {
					cased[f]++
				}
			}
			for _, f := range sortedByCount(cased) {
				add(f)
			}
		}
	}
	return v
}

// sortedByCount lists the keys of counts, most frequent first, ties in
// lexical order (so that vocabularies do not depend on map order).
func sortedByCount(counts map[string]int) []string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// trainer runs the epochs of one training.
type trainer struct {
	m      *Model
	opt    *nn.Adam
	o      trainOptions
	report Report
	best   float64
	bad    int
	bestW  [][]float64
	// avg is the moving average of the trainable weights (Config.Average),
	// swap the live weights while the average is scored.
	avg, swap [][]float64
}

// checkpoint metadata keys.
const (
	metaEpoch  = "epoch"
	metaBest   = "best"
	metaBad    = "bad_epochs"
	metaSteps  = "adam_steps"
	metaReport = "report"
	metaLR     = "lr"
)

func (tr *trainer) run(train, dev Data) (*Model, Report, error) {
	m, cfg := tr.m, tr.m.cfg
	if n := len(tr.o.unlabelled); n > 0 {
		// Untagged rows (nil) make the teacher's probabilities the whole target.
		train = Data{
			Forms: append(slices.Clip(train.Forms), tr.o.unlabelled...),
			UPOS:  append(slices.Clip(train.UPOS), make([][]string, n)...),
			XPOS:  append(slices.Clip(train.XPOS), make([][]string, n)...),
		}
	}
	lengths := make([]int, train.Len())
	for i, s := range train.Forms {
		lengths[i] = len(s)
	}
	batcher, err := datasets.NewBatcher(lengths, datasets.BatchConfig{BatchSize: cfg.BatchSize, Seed: cfg.Seed})
	if err != nil {
		return nil, Report{}, fmt.Errorf("tagger: %w", err)
	}
	tr.best = math.Inf(-1)
	start := 0
	if tr.o.out != "" && tr.o.resume {
		if start, err = tr.restore(); err != nil {
			return nil, Report{}, err
		}
	}
	if tr.o.init != nil && start == 0 {
		// The starting point is the score to beat, and the model kept if
		// nothing beats it.
		ev := m.Evaluate(dev)
		tr.report.InitUPOS, tr.report.InitXPOS, tr.report.DevXPOSTokens = ev.UPOS, ev.XPOS, ev.XPOSTokens
		tr.best = (ev.UPOS + ev.XPOS) / 2
		tr.keepBest()
		if tr.o.log != nil {
			fmt.Fprintf(tr.o.log, "initial model: dev UPOS %.2f%% %s\n", 100*ev.UPOS, xposNote(ev))
		}
		if tr.o.out != "" {
			if err := m.Save(tr.o.out); err != nil {
				return nil, Report{}, err
			}
		}
	}
	tr.o.init = nil // its weights are copied: let it be collected
	params := m.trainable()
	words := train.Words()
	var softU, softX [][]float32
	if tr.o.teacher != nil {
		if tr.o.log != nil {
			fmt.Fprintf(tr.o.log, "teacher: %d model(s) tagging %d training sentences (%d of them unlabelled)\n",
				len(tr.o.teacher.models), train.Len(), len(tr.o.unlabelled))
		}
		softU, softX = tr.o.teacher.probabilities(train.Forms, m.upos, m.xpos)
		// Only the probabilities are needed from here on: let the teachers and
		// their buffers (grown to the longest batch) be collected.
		tr.o.teacher = nil
	}
	for epoch := start; epoch < cfg.Epochs && tr.bad < cfg.Patience; epoch++ {
		began := time.Now()
		// Every random stream of an epoch derives from (seed, epoch), so a resumed
		// training makes the same choices as an uninterrupted one.
		rng := rand.New(rand.NewPCG(cfg.Seed, uint64(1000+epoch)))
		m.inDrop = nn.NewDropout(cfg.Dropout, rand.New(rand.NewPCG(cfg.Seed, uint64(2000+epoch))))
		m.outDrop = nn.NewDropout(cfg.Dropout, rand.New(rand.NewPCG(cfg.Seed, uint64(3000+epoch))))
		bar := progress.New(tr.o.progress, fmt.Sprintf("epoch %d/%d", epoch+1, cfg.Epochs), int64(words), "words")
		var lossSum float64
		var lossWords int
		for _, idx := range batcher.Epoch(epoch) {
			forms, upos, xpos := make([][]string, len(idx)), make([][]string, len(idx)), make([][]string, len(idx))
			for i, k := range idx {
				forms[i], upos[i], xpos[i] = train.Forms[k], train.UPOS[k], train.XPOS[k]
			}
			m.load(forms, upos, xpos, rng)
			if softU != nil {
				m.softTargets(idx, softU, softX)
			}
			m.forward()
			nn.ZeroGrad(params)
			loss, n := m.backward()
			nn.ClipGradNorm(params, cfg.Clip)
			tr.opt.Step(params)
			tr.average(params)
			lossSum += loss * float64(n)
			lossWords += n
			bar.Add(int64(m.ws.bt.Rows() - padding(m.ws.bt)))
			bar.Note("loss %.3f", lossSum/float64(max(lossWords, 1)))
		}
		bar.Finish()
		m.weightsChanged()
		trainSecs := time.Since(began).Seconds()
		tr.swapAverage(params) // score (and keep) the averaged weights
		ev := m.Evaluate(dev)
		tr.report.DevXPOSTokens = ev.XPOSTokens
		rep := EpochReport{Epoch: epoch + 1, Loss: lossSum / float64(max(lossWords, 1)), DevUPOS: ev.UPOS, DevXPOS: ev.XPOS,
			Seconds: trainSecs, WordsSec: float64(words) / trainSecs}
		tr.report.Epochs = append(tr.report.Epochs, rep)
		if tr.o.log != nil {
			fmt.Fprintf(tr.o.log, "epoch %d: loss %.4f, dev UPOS %.2f%% %s, %.1fs (%.0f words/s)\n",
				rep.Epoch, rep.Loss, 100*rep.DevUPOS, xposNote(ev), rep.Seconds, rep.WordsSec)
		}
		if score := (ev.UPOS + ev.XPOS) / 2; score > tr.best {
			tr.best, tr.bad, tr.report.BestEpoch = score, 0, epoch+1
			tr.keepBest()
			if tr.o.out != "" {
				if err := m.Save(tr.o.out); err != nil {
					return nil, Report{}, err
				}
			}
		} else {
			// A plateau: smaller steps often find the rest of the way down.
			tr.bad++
			tr.opt.LR *= cfg.LRDecay
		}
		tr.swapAverage(params) // training goes on from the live weights
		if tr.o.out != "" {
			if err := tr.checkpoint(epoch + 1); err != nil {
				return nil, Report{}, err
			}
		}
		if tr.o.stopAfter > 0 && epoch+1 >= tr.o.stopAfter {
			break
		}
	}
	tr.restoreBest()
	// The model returned is the one the file holds, to the last bit.
	m.roundToStorage()
	return m, tr.report, nil
}

// average folds the weights after an optimizer step into their moving average,
// avg ← d·avg + (1−d)·θ with d = min(Average, (1+t)/(10+t)) after step t, so
// that the first steps, far from where training ends, weigh little for long.
// Averaging the weights of the last few hundred steps (Polyak averaging) smooths
// the noise of the last steps out of the model that is scored and kept.
func (tr *trainer) average(params []*nn.Param) {
	decay := tr.m.cfg.Average
	if decay == 0 {
		return
	}
	if tr.avg == nil {
		tr.averageParams()
	}
	t := float64(tr.opt.Steps())
	d := min(decay, (1+t)/(10+t))
	for i, p := range params {
		a := tr.avg[i]
		for k, v := range p.Value {
			a[k] = d*a[k] + (1-d)*v
		}
	}
}

// swapAverage exchanges the live weights and their average (a no-op without
// averaging); called twice, it puts everything back.
func (tr *trainer) swapAverage(params []*nn.Param) {
	if tr.avg == nil {
		return
	}
	if tr.swap == nil {
		tr.swap = make([][]float64, len(params))
	}
	for i, p := range params {
		tr.swap[i] = append(tr.swap[i][:0], p.Value...)
		copy(p.Value, tr.avg[i])
		tr.avg[i], tr.swap[i] = tr.swap[i], tr.avg[i]
	}
	tr.m.weightsChanged()
}

// padding counts the padding rows of a batch.
func padding(bt nn.Batch) int {
	n := 0
	for _, l := range bt.Lengths {
		n += bt.Steps - l
	}
	return n
}

// keepBest copies the current weights aside; restoreBest puts them back.
func (tr *trainer) keepBest() {
	ps := tr.m.params()
	if tr.bestW == nil {
		tr.bestW = make([][]float64, len(ps))
	}
	for i, p := range ps {
		tr.bestW[i] = append(tr.bestW[i][:0], p.Value...)
	}
}

func (tr *trainer) restoreBest() {
	if tr.bestW == nil {
		return
	}
	for i, p := range tr.m.params() {
		copy(p.Value, tr.bestW[i])
	}
	tr.m.weightsChanged()
}

// checkpoint saves the weights, the optimizer and the early-stopping state
// after epoch (1-based) to out.ckpt.
func (tr *trainer) checkpoint(epoch int) error {
	meta, err := tr.m.metadata()
	if err != nil {
		return err
	}
	rep, _ := json.Marshal(tr.report)
	meta[metaEpoch] = strconv.Itoa(epoch)
	meta[metaBest] = strconv.FormatFloat(tr.best, 'g', -1, 64)
	meta[metaBad] = strconv.Itoa(tr.bad)
	meta[metaSteps] = strconv.Itoa(tr.opt.Steps())
	meta[metaLR] = strconv.FormatFloat(tr.opt.LR, 'g', -1, 64)
	meta[metaReport] = string(rep)
	ps := append(fullPrecision(tr.m.params()), tr.opt.StateParams(tr.m.trainable())...)
	ps = append(ps, tr.averageParams()...)
	if err := nn.Save(tr.o.out+".ckpt", ps, meta); err != nil {
		return fmt.Errorf("tagger: checkpoint: %w", err)
	}
	return nil
}

// restore continues from out.ckpt if it exists, returning the epoch to start at.
// The checkpoint must come from the same configuration and data.
func (tr *trainer) restore() (int, error) {
	path := tr.o.out + ".ckpt"
	meta, err := nn.LoadMeta(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("tagger: resume: %w", err)
	}
	want, err := tr.m.metadata()
	if err != nil {
		return 0, err
	}
	// The number of epochs may differ: a finished run can be extended.
	var was Config
	if err := json.Unmarshal([]byte(meta[metaConfig]), &was); err != nil {
		return 0, fmt.Errorf("tagger: resume from %q: bad configuration: %w", path, err)
	}
	was.Epochs = tr.m.cfg.Epochs
	if was != tr.m.cfg {
		return 0, fmt.Errorf("tagger: resume from %q: the checkpoint was made with another configuration", path)
	}
	if meta[metaVocab] != want[metaVocab] {
		return 0, fmt.Errorf("tagger: resume from %q: the checkpoint was made with other vocabularies", path)
	}
	ps := append(fullPrecision(tr.m.params()), tr.opt.StateParams(tr.m.trainable())...)
	ps = append(ps, tr.averageParams()...)
	if _, err := nn.Load(path, ps); err != nil {
		return 0, fmt.Errorf("tagger: resume: %w", err)
	}
	tr.m.weightsChanged()
	epoch, err1 := strconv.Atoi(meta[metaEpoch])
	best, err2 := strconv.ParseFloat(meta[metaBest], 64)
	bad, err3 := strconv.Atoi(meta[metaBad])
	steps, err4 := strconv.Atoi(meta[metaSteps])
	err5 := json.Unmarshal([]byte(meta[metaReport]), &tr.report)
	lr, err6 := strconv.ParseFloat(meta[metaLR], 64)
	if err := errors.Join(err1, err2, err3, err4, err5, err6); err != nil {
		return 0, fmt.Errorf("tagger: resume from %q: bad training state: %w", path, err)
	}
	tr.opt.SetSteps(steps)
	tr.opt.LR = lr
	tr.best, tr.bad = best, bad
	// The best weights so far are in the saved model; the checkpoint holds the latest.
	if best > math.Inf(-1) {
		if best, err := Load(tr.o.out); err == nil {
			tr.bestW = make([][]float64, 0)
			for _, p := range best.params() {
				tr.bestW = append(tr.bestW, p.Value)
			}
		}
	}
	return epoch, nil
}

// averageParams wraps the moving average of the weights as Params for the
// checkpoint (none without averaging), allocating it first if needed.
func (tr *trainer) averageParams() []*nn.Param {
	if tr.m.cfg.Average == 0 {
		return nil
	}
	params := tr.m.trainable()
	if tr.avg == nil {
		tr.avg = make([][]float64, len(params))
		for i, p := range params {
			tr.avg[i] = slices.Clone(p.Value)
		}
	}
	out := make([]*nn.Param, len(params))
	for i, p := range params {
		out[i] = &nn.Param{Name: "average." + p.Name, Rows: p.Rows, Cols: p.Cols, Value: tr.avg[i]}
	}
	return out
}

// stopAfter ends training after n epochs as if it had been interrupted there
// (the checkpoint is written, the run stops): for testing --resume.
func stopAfter(n int) Option { return func(o *trainOptions) { o.stopAfter = n } }

// fullPrecision returns Params sharing ps's values but stored as float64: a
// checkpoint keeps the weights exactly as they are in memory, so that a resumed
// training continues bit for bit.
func fullPrecision(ps []*nn.Param) []*nn.Param {
	out := make([]*nn.Param, len(ps))
	for i, p := range ps {
		out[i] = &nn.Param{Name: p.Name, Rows: p.Rows, Cols: p.Cols, Value: p.Value}
	}
	return out
}
