package tagger

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/nlp-go/nlp/datasets"
	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/train"
)

// Option adjusts training.
type Option func(*trainOptions)

type trainOptions struct {
	run        train.Options
	teacher    *Ensemble
	unlabelled [][]string
	init       *Model
	lang       string
}

// WithLanguage records code, the ISO 639-1 code of the treebank's language
// ("en"), in the model (Model.Language) and every file the training writes.
// Without it a fine-tuned model keeps its initial model's language, and
// another model has none.
func WithLanguage(code string) Option { return func(o *trainOptions) { o.lang = code } }

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
// best so far (train.Config.EvaluateFirst): fine-tuning returns a model at
// least as good on dev as the one it started from (Report.BestEpoch 0 and
// Report.Initial its scores if no epoch beat it).
//
// A distilled model learns half its targets from its teachers; a few epochs on
// the gold tags alone at a small learning rate bring it back to the
// treebank's own conventions (BENCHMARKS.md).
func WithInit(init *Model) Option { return func(o *trainOptions) { o.init = init } }

// WithTraining sets how the training loop runs, as opposed to what it
// computes: where the checkpoint goes and whether to resume from it
// (Checkpoint, Resume), the file that receives the best model at every
// improvement (Out), a time limit, and the callbacks through which a caller
// shows progress and one line per epoch (Progress, Evaluated). Progress's
// Items count the words of the epoch trained so far.
func WithTraining(o train.Options) Option { return func(t *trainOptions) { t.run = o } }

// Names of the development measures in each train.Eval's Metrics.
const (
	MetricUPOS = "upos" // UPOS accuracy on dev
	MetricXPOS = "xpos" // XPOS accuracy on the dev words with a gold XPOS
)

// Report summarises a training run: the loop's report, with one evaluation
// per epoch (its Loss the mean cross-entropy per word of both heads, its
// Metrics the dev accuracies MetricUPOS and MetricXPOS, its Score their mean,
// which chooses the epoch kept), the kept epoch (BestEpoch, 1-based; 0 when a
// fine-tuning kept its initial model, whose scores are in Initial), and the
// tagger's own counts.
type Report struct {
	train.Report
	// DevXPOSTokens counts the dev words with a gold XPOS: 0 for a treebank
	// without XPOS, whose XPOS accuracies mean nothing.
	DevXPOSTokens int `json:"dev_xpos_tokens"`
}

// Train learns a tagger from trainSet, choosing the epoch by accuracy on dev
// (early stopping), with word vectors vecs (nil for none: the ablation without
// word2vec). It returns the best model seen. The epochs are run by package
// train: cancelling ctx stops at the next step boundary with the best model
// so far returned (and written, with the checkpoint, where WithTraining says),
// Report.Stopped "canceled" and no error.
func Train(ctx context.Context, cfg Config, trainSet, dev Data, vecs *embed.Vectors, opts ...Option) (*Model, Report, error) {
	var o trainOptions
	for _, opt := range opts {
		opt(&o)
	}
	if err := cfg.Validate(); err != nil {
		return nil, Report{}, err
	}
	cfg = cfg.WithDefaults()
	if err := checkData("train", trainSet, true); err != nil {
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
		m, err = fromInit(o.init, cfg, trainSet)
	} else {
		m, err = newModel(cfg, buildVocabularies(cfg, trainSet, vecs), rand.New(rand.NewPCG(cfg.Seed, 1)))
		if err == nil && vecs != nil {
			m.setPretrained(vecs)
		}
	}
	if err != nil {
		return nil, Report{}, err
	}
	if o.init != nil {
		m.lang = o.init.lang
	}
	if o.lang != "" {
		m.lang = o.lang
	}
	t, err := newTask(m, trainSet, dev, o)
	if err != nil {
		return nil, Report{}, err
	}
	cfg = m.cfg
	loop := train.Config{
		Epochs:   cfg.Epochs,
		Patience: cfg.Patience,
		Clip:     cfg.Clip,
		// A plateau: smaller steps often find the rest of the way down.
		Schedule:      train.Plateau,
		Decay:         cfg.LRDecay,
		Average:       cfg.Average,
		EvaluateFirst: o.init != nil,
	}
	rep, err := train.Run(ctx, t, loop, o.run)
	if err != nil {
		return nil, Report{}, fmt.Errorf("tagger: %w", err)
	}
	// The model returned is the one the file holds, to the last bit.
	m.roundToStorage()
	return m, Report{Report: *rep, DevXPOSTokens: dev.XPOSTokens()}, nil
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
	var counts, wordCounts datasets.Counter // lower-cased forms; trainable-vocabulary keys
	chars := map[string]int{}
	upos, xpos := map[string]bool{}, map[string]bool{}
	for i, s := range train.Forms {
		for j, f := range s {
			counts.Add(norm(f))
			wordCounts.Add(wordKey(cfg, f))
			for _, r := range f {
				chars[string(r)]++
			}
			upos[train.UPOS[i][j]] = true
			xpos[train.XPOS[i][j]] = true
		}
	}
	forms := counts.Sorted()
	v := vocabularies{Words: []string{unknownWord}, WordCounts: []int{0}, TrainForms: forms}
	for _, f := range wordCounts.Sorted() {
		if n := int(wordCounts.Count(f)); n >= cfg.MinWordCount {
			v.Words = append(v.Words, f)
			v.WordCounts = append(v.WordCounts, n)
		}
	}
	v.Chars = []string{unknownChar}
	v.Chars = append(v.Chars, sortedKeys(chars)...)
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
			var cased datasets.Counter
			for _, s := range train.Forms {
				cased.Add(s...)
			}
			for _, f := range cased.Sorted() {
				add(f)
			}
		}
	}
	return v
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
