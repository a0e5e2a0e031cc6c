package translate

import (
	"slices"
	"strings"
	"sync"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/nn"
)

// DecodeOptions set how a Translator searches. Zero values mean the
// documented defaults.
type DecodeOptions struct {
	// Beam is the number of hypotheses kept per sentence; 1 is greedy
	// decoding; default 5.
	Beam int
	// LengthPenalty α normalises a hypothesis' log-probability by its length
	// to the power α before they are compared: 0 favours short outputs, 1
	// compares per-unit means; default 1.5, chosen on Multi30k val (beam 5:
	// 24.25 BLEU at 0.6, 24.81 at 1, 25.10 at 1.5, 24.37 at 2).
	LengthPenalty float64
	// BatchSize is the number of sentences decoded together; default 32.
	BatchSize int
	// KeepUnknown writes <unk> for a unit the model cannot name; by default
	// it is replaced by the source unit the attention weighs most there.
	KeepUnknown bool
	// Threads is the number of batches decoded at once, each on its own
	// goroutine and replica of the model (sharing its weights); default 2.
	Threads int
}

// MaxBeam bounds DecodeOptions.Beam.
const MaxBeam = 64

// Validate reports the first invalid field as an error wrapping nlp.ErrConfig.
func (o DecodeOptions) Validate() error {
	bad := func(field, format string, args ...any) error {
		return nlp.ConfigError("translate", "DecodeOptions."+field, format, args...)
	}
	switch {
	case o.Beam < 0 || o.Beam > MaxBeam:
		return bad("Beam", "%d, want 0..%d (0: the default)", o.Beam, MaxBeam)
	case !(o.LengthPenalty >= 0 && o.LengthPenalty <= 4):
		return bad("LengthPenalty", "%g, want in [0, 4]", o.LengthPenalty)
	case o.BatchSize < 0 || o.BatchSize > MaxBatch:
		return bad("BatchSize", "%d, want 0..%d", o.BatchSize, MaxBatch)
	case o.Threads < 0 || o.Threads > MaxThreads:
		return bad("Threads", "%d, want 0..%d", o.Threads, MaxThreads)
	}
	return nil
}

// WithDefaults returns o with every zero value replaced by its default.
func (o DecodeOptions) WithDefaults() DecodeOptions {
	if o.Beam == 0 {
		o.Beam = 5
	}
	if o.LengthPenalty == 0 {
		o.LengthPenalty = 1.5
	}
	if o.BatchSize == 0 {
		o.BatchSize = 32
	}
	if o.Threads == 0 {
		o.Threads = 2
	}
	return o
}

// Translator translates text with a model; it is not safe for concurrent use
// (give each goroutine a Translator of its own Model.Clone). The model must
// not be trained while a Translator uses it.
type Translator struct {
	m       *Model
	workers []*Model // m and replicas of it, one per thread
	opt     DecodeOptions
}

// NewTranslator returns a translator of m searching as opt says.
func NewTranslator(m *Model, opt DecodeOptions) (*Translator, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	opt = opt.WithDefaults()
	t := &Translator{m: m, opt: opt, workers: []*Model{m}}
	for len(t.workers) < opt.Threads {
		r := m.replica()
		nn.ReleaseGrads(r.Params()) // a translator computes no gradient
		t.workers = append(t.workers, r)
	}
	for _, w := range t.workers {
		w.SetTraining(false)
		w.packWeights()
	}
	return t, nil
}

// Translate returns the translation of each line (one sentence a line, as
// text), in order; an empty or blank line translates to an empty line. A
// sentence longer than the model's Config.MaxLength (units, </s> included:
// the longest it was trained on) is translated in pieces of that length, so
// that no line, however long, takes more memory than a batch of pieces.
//
// The sentences are sorted by length and decoded BatchSize at a time, so
// that sentences of similar lengths share a batch: the more lines a call
// gets, the less padding.
func (t *Translator) Translate(lines []string) []string { return t.translateBatch(lines) }

func (t *Translator) batch() int { return max(t.opt.BatchSize, 1) }

// Alignment is a translation with the attention that made it: Weights[i][j]
// is how much target unit i attended to source unit j (each row sums to 1).
type Alignment struct {
	Source, Target []string // units: words or subwords ("@@" ends a subword that a word continues)
	Weights        [][]float64
	Translation    string
}

// Explain translates one sentence and returns its attention matrix (the
// source's units include the final </s>).
func (t *Translator) Explain(line string) Alignment {
	units := t.m.text.sourceUnits(line)
	units = units[:min(len(units), t.pieceLen())]
	ids := t.m.encodeSource(units)
	hy := t.workers[0].decode([][]int{ids}, search{beam: t.opt.Beam, alpha: t.opt.LengthPenalty, keep: true})[0]
	src := append(slices.Clone(units), specials[eosID])
	tgt := t.targetUnits(hy, src)
	return Alignment{Source: src, Target: tgt, Weights: hy.alpha, Translation: t.m.text.targetText(tgt)}
}

// pieceLen is the longest source decoded at once, in units before </s>.
func (t *Translator) pieceLen() int { return t.m.cfg.MaxLength - 1 }

// translateBatch cuts the lines into pieces of at most pieceLen units,
// sorts them by length and decodes them BatchSize at a time.
func (t *Translator) translateBatch(lines []string) []string {
	type piece struct {
		line  int
		units []string
		ids   []int
	}
	var pieces []piece
	for i, l := range lines {
		units := t.m.text.sourceUnits(l)
		for len(units) > 0 {
			n := min(len(units), t.pieceLen())
			pieces = append(pieces, piece{line: i, units: units[:n], ids: t.m.encodeSource(units[:n])})
			units = units[n:]
		}
	}
	order := make([]int, len(pieces))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(pieces[a].ids) - len(pieces[b].ids) })
	outs := make([][]string, len(pieces))
	sc := search{beam: t.opt.Beam, alpha: t.opt.LengthPenalty}
	// Worker w decodes batches w, w+W, w+2W, … of the sorted pieces: the
	// workers get batches of every length, hence about the same work.
	var wg sync.WaitGroup
	for w, m := range t.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := w * t.batch(); s < len(order); s += len(t.workers) * t.batch() {
				idx := order[s:min(s+t.batch(), len(order))]
				srcs := make([][]int, len(idx))
				for j, k := range idx {
					srcs[j] = pieces[k].ids
				}
				for j, hy := range m.decode(srcs, sc) {
					outs[idx[j]] = t.targetUnits(hy, pieces[idx[j]].units)
				}
			}
		}()
	}
	wg.Wait()
	byLine := make([][]string, len(lines))
	for i, p := range pieces {
		byLine[p.line] = append(byLine[p.line], outs[i]...)
	}
	res := make([]string, len(lines))
	for i, units := range byLine {
		res[i] = t.m.text.targetText(units)
	}
	return res
}

// targetUnits names the units of a hypothesis; an unknown unit becomes the
// source unit attended to most (unless KeepUnknown), which is right for the
// names and numbers that the vocabulary lacks and are copied as they are.
func (t *Translator) targetUnits(hy hypothesis, src []string) []string {
	out := make([]string, len(hy.ids))
	for i, id := range hy.ids {
		u := t.m.tgt.units[id]
		if id == unkID && !t.opt.KeepUnknown && hy.focus[i] < len(src) {
			if s := src[hy.focus[i]]; s != specials[eosID] {
				u = strings.TrimSuffix(s, subwordMark)
			}
		}
		out[i] = u
	}
	return out
}

// encodeSource returns the ids of a source sentence's units, </s> added.
func (m *Model) encodeSource(units []string) []int {
	ids, _ := m.src.encode(make([]int, 0, len(units)+1), units)
	return append(ids, eosID)
}
