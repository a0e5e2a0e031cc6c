package tagger

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/nlp-go/nlp/datasets"
	"github.com/nlp-go/nlp/nn"
	"github.com/nlp-go/nlp/train"
)

// task is a tagger's training seen from package train: the model, its data
// and the per-epoch random streams. The loop owns everything else (epochs,
// clipping, the learning-rate decay, averaging, the best weights,
// checkpoints).
type task struct {
	m      *Model
	data   Data // the training sentences, unlabelled ones (nil tags) last
	dev    Data
	groups []train.Group
	// batcher orders the sentences of each epoch from (Seed, epoch) alone.
	batcher *datasets.Batcher
	batches [][]int
	// rng draws the word dropout of the current epoch.
	rng *rand.Rand
	// softU and softX are the teacher's probabilities of every training word
	// (WithTeacher), nil without a teacher.
	softU, softX [][]float32
	// forms, upos and xpos are the batch's sentences, reused from step to step.
	forms, upos, xpos [][]string
}

// newTask prepares the training of m on trainSet (and o's unlabelled
// sentences), scored on dev: the batches, the teacher's probabilities, the
// optimizer.
func newTask(m *Model, trainSet, dev Data, o trainOptions) (*task, error) {
	if n := len(o.unlabelled); n > 0 {
		// Untagged rows (nil) make the teacher's probabilities the whole target.
		trainSet = Data{
			Forms: append(slices.Clip(trainSet.Forms), o.unlabelled...),
			UPOS:  append(slices.Clip(trainSet.UPOS), make([][]string, n)...),
			XPOS:  append(slices.Clip(trainSet.XPOS), make([][]string, n)...),
		}
	}
	lengths := make([]int, trainSet.Len())
	for i, s := range trainSet.Forms {
		lengths[i] = len(s)
	}
	batcher, err := datasets.NewBatcher(lengths, datasets.BatchConfig{BatchSize: m.cfg.BatchSize, Seed: m.cfg.Seed})
	if err != nil {
		return nil, fmt.Errorf("tagger: %w", err)
	}
	t := &task{m: m, data: trainSet, dev: dev, batcher: batcher}
	if o.teacher != nil {
		// The teacher tags once; only its probabilities are kept, so that the
		// teachers and their buffers can be collected.
		t.softU, t.softX = o.teacher.probabilities(trainSet.Forms, m.upos, m.xpos)
	}
	adam := nn.NewAdam(m.cfg.LR)
	adam.Beta2 = 0.9 // as in Dozat & Manning's taggers: adapts faster to sparse word gradients
	t.groups = []train.Group{{Name: "tagger", Params: m.trainable(), Adam: adam, LR: m.cfg.LR}}
	return t, nil
}

// Groups is one group: every trainable weight (the pretrained vectors only
// with FineTune), under one Adam.
func (t *task) Groups() []train.Group { return t.groups }

// Epoch orders the batches of epoch e and starts its random streams. Each
// derives from (Seed, epoch) alone, so that a resumed training makes the same
// choices as an uninterrupted one.
func (t *task) Epoch(e int) int {
	cfg := t.m.cfg
	t.rng = rand.New(rand.NewPCG(cfg.Seed, uint64(1000+e)))
	t.m.inDrop = nn.NewDropout(cfg.Dropout, rand.New(rand.NewPCG(cfg.Seed, uint64(2000+e))))
	t.m.outDrop = nn.NewDropout(cfg.Dropout, rand.New(rand.NewPCG(cfg.Seed, uint64(3000+e))))
	t.batches = t.batcher.Epoch(e)
	return len(t.batches)
}

// Step runs batch i forward and backward; the loss is the mean cross-entropy
// of both heads over the words with a target, which n counts.
func (t *task) Step(e, i int) (float64, int, error) {
	idx := t.batches[i]
	t.forms, t.upos, t.xpos = t.forms[:0], t.upos[:0], t.xpos[:0]
	for _, k := range idx {
		t.forms = append(t.forms, t.data.Forms[k])
		t.upos = append(t.upos, t.data.UPOS[k])
		t.xpos = append(t.xpos, t.data.XPOS[k])
	}
	t.m.load(t.forms, t.upos, t.xpos, t.rng)
	if t.softU != nil {
		t.m.softTargets(idx, t.softU, t.softX)
	}
	t.m.forward()
	loss, n := t.m.backward()
	return loss, n, nil
}

// Evaluate tags dev; the score that chooses the epoch is the mean of the
// UPOS and XPOS accuracies.
func (t *task) Evaluate() (train.Score, error) {
	ev := t.m.Evaluate(t.dev)
	return train.Score{
		Value:   (ev.UPOS + ev.XPOS) / 2,
		Metrics: map[string]float64{MetricUPOS: ev.UPOS, MetricXPOS: ev.XPOS},
	}, nil
}

// Identity is what a checkpoint must have been made with: the configuration
// but for the number of epochs (a finished run may be extended), the
// vocabularies (by digest: they are long, and an error quotes what differs)
// and the size of the training set.
func (t *task) Identity() (map[string]string, error) {
	cfg := t.m.cfg
	cfg.Epochs = 0
	c, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("tagger: %w", err)
	}
	v, err := json.Marshal(t.m.vocabularies())
	if err != nil {
		return nil, fmt.Errorf("tagger: %w", err)
	}
	sum := sha256.Sum256(v)
	// Model file metadata values are JSON: the digest and the sizes are
	// written as JSON strings.
	return map[string]string{
		metaKind:              kindTagger,
		metaConfig:            string(c),
		metaVocab + "_sha256": `"` + hex.EncodeToString(sum[:]) + `"`,
		"train_data":          fmt.Sprintf(`"%d sentences, %d words"`, t.data.Len(), t.data.Words()),
	}, nil
}

// Refresh forgets what was computed from the old weights (packed weights,
// the inference memo) when the loop changes them.
func (t *task) Refresh() { t.m.weightsChanged() }

// Save writes the model (the loop calls it with the best weights in place).
func (t *task) Save(path string) error { return t.m.Save(path) }

// The compiler checks that task is what Run and Options.Out need.
var (
	_ train.Task      = (*task)(nil)
	_ train.Saver     = (*task)(nil)
	_ train.Refresher = (*task)(nil)
)
