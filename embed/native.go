package embed

import (
	"io"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/nlp-go/nlp/internal/progress"
)

// Sigmoid lookup: σ on [−maxExp, maxExp] in sigTableSize steps; outside it the
// gradient is taken as saturated.
const (
	maxExp       = 6
	sigTableSize = 4096
	lrUpdate     = 10000 // words between learning-rate updates
)

var sigTable = func() [sigTableSize + 1]float32 {
	var t [sigTableSize + 1]float32
	for i := range t {
		x := (float64(i)/sigTableSize*2 - 1) * maxExp
		t[i] = float32(1 / (1 + math.Exp(-x)))
	}
	return t
}()

// sigmoid returns σ(f) for |f| < maxExp from the table.
func sigmoid(f float32) float32 {
	return sigTable[int((f+maxExp)*(sigTableSize/(2*maxExp)))]
}

// rng is splitmix64: a 64-bit state advanced by a Weyl constant and mixed. It is
// small, fast and good enough for sampling; one per goroutine.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a number in [0, n) (n < 2³²) by the multiply-shift method.
func (r *rng) intn(n int) int { return int((r.next() >> 32) * uint64(n) >> 32) }

// float returns a number in [0, 1).
func (r *rng) float() float32 { return float32(r.next()>>40) / (1 << 24) }

// aliasTable samples word ids from the unigram distribution raised to the power 3/4
// in constant time (Walker's alias method): pick a column uniformly, keep it with
// probability prob, else take its alias.
type aliasTable struct {
	prob  []uint32 // keep threshold, scaled to 2³²
	alias []int32
}

func newAliasTable(counts []int64, power float64) aliasTable {
	n := len(counts)
	w := make([]float64, n)
	var sum float64
	for i, c := range counts {
		w[i] = math.Pow(float64(c), power)
		sum += w[i]
	}
	t := aliasTable{prob: make([]uint32, n), alias: make([]int32, n)}
	var small, large []int
	for i := range w {
		w[i] *= float64(n) / sum
		if w[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		t.prob[s] = uint32(w[s] * (1 << 32))
		t.alias[s] = int32(l)
		w[l] -= 1 - w[s]
		if w[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	for _, i := range append(small, large...) { // rounding leftovers: probability 1
		t.prob[i] = math.MaxUint32
		t.alias[i] = int32(i)
	}
	return t
}

func (t *aliasTable) sample(r *rng) int32 {
	x := r.next()
	i := int((x >> 32) * uint64(len(t.prob)) >> 32)
	if uint32(x) < t.prob[i] {
		return int32(i)
	}
	return t.alias[i]
}

// huffman holds each word's path in the Huffman tree of the counts: the inner nodes
// from the root down (points) and the branch taken at each (codes).
type huffman struct {
	off    []int32 // word w's path is [off[w], off[w+1])
	points []int32
	codes  []uint8
}

// newHuffmanWithEnd is newHuffman over counts and one more leaf, an end-of-sentence
// symbol occurring sentences times, put where its count sorts. The symbol is
// never predicted and its path is dropped: the result holds the paths of the
// len(counts) words, through len(counts) inner nodes (one more than without it).
//
// word2vec C keeps its "</s>" token in the vocabulary and so in the tree; gensim
// does not, and its SimLex-999 under hierarchical softmax is lower. Paired over
// six seeds on one thread (bench corpus), the extra leaf raises ours from 0.084
// to 0.088, where word2vec C's six seeds average 0.090 (BENCHMARKS.md). The leaf
// takes about 5% of the mass near the root, which changes the first decisions
// of every word's path.
func newHuffmanWithEnd(counts []int64, sentences int64) huffman {
	if sentences <= 0 {
		return newHuffman(counts)
	}
	pos, _ := slices.BinarySearchFunc(counts, sentences, func(c, s int64) int {
		if c >= s { // decreasing order: the leaf goes after every count ≥ its own
			return -1
		}
		return 1
	})
	all := slices.Concat(counts[:pos], []int64{sentences}, counts[pos:])
	h := newHuffman(all)
	out := huffman{off: make([]int32, 1, len(counts)+1)}
	for w := range all {
		if w == pos {
			continue
		}
		out.points = append(out.points, h.points[h.off[w]:h.off[w+1]]...)
		out.codes = append(out.codes, h.codes[h.off[w]:h.off[w+1]]...)
		out.off = append(out.off, int32(len(out.points)))
	}
	return out
}

// newHuffman builds the tree by repeatedly merging the two lightest nodes. counts must
// be sorted in decreasing order; leaves are 0..n-1 and inner nodes n..2n-2 (root last).
func newHuffman(counts []int64) huffman {
	n := len(counts)
	h := huffman{off: make([]int32, n+1)}
	if n < 2 {
		return h
	}
	weight := make([]int64, 2*n-1)
	parent := make([]int32, 2*n-1)
	branch := make([]uint8, 2*n-1)
	copy(weight, counts)
	// Two queues: leaves from the lightest (the end) and inner nodes in creation order,
	// whose weights never decrease.
	leaf, inner, next := n-1, n, n
	pop := func() int {
		if leaf >= 0 && (inner >= next || weight[leaf] <= weight[inner]) {
			leaf--
			return leaf + 1
		}
		inner++
		return inner - 1
	}
	for ; next < 2*n-1; next++ {
		a, b := pop(), pop()
		weight[next] = weight[a] + weight[b]
		parent[a], parent[b] = int32(next), int32(next)
		branch[b] = 1
	}
	root := 2*n - 2
	var path []int32
	var code []uint8
	for w := 0; w < n; w++ {
		path, code = path[:0], code[:0]
		for x := w; x != root; x = int(parent[x]) {
			code = append(code, branch[x])
			path = append(path, parent[x]-int32(n))
		}
		for i := len(path) - 1; i >= 0; i-- {
			h.points = append(h.points, path[i])
			h.codes = append(h.codes, code[i])
		}
		h.off[w+1] = int32(len(h.points))
	}
	return h
}

// native is the state shared by the training goroutines.
type native struct {
	cfg    Config
	v, d   int
	syn0   []float32 // input vectors, the result
	syn1   []float32 // output vectors (ns) or inner-node vectors (hs)
	ids    []int32
	starts []int
	keep   []uint32 // subsampling: keep word w when a 32-bit draw is below keep[w]
	noise  aliasTable
	tree   huffman
	total  float64      // words to process over all epochs
	done   atomic.Int64 // words processed so far, by all goroutines
	bar    *progress.Bar
}

// trainNative trains on the words of c with at least cfg.MinCount occurrences.
func trainNative(c *Corpus, cfg Config, w io.Writer) (*Vectors, error) {
	v := c.VocabSize(cfg.MinCount)
	if v == 0 {
		return nil, errEmptyVocab
	}
	t := &native{cfg: cfg, v: v, d: cfg.Dim}
	t.ids, t.starts = c.restrict(v)
	counts := c.counts[:v]
	var n int64
	for _, k := range counts {
		n += k
	}
	t.keep = subsampleThresholds(counts, n, cfg.Sample)
	r := rng{s: cfg.Seed}
	t.syn0 = make([]float32, v*t.d)
	for i := range t.syn0 {
		t.syn0[i] = (r.float() - 0.5) / float32(t.d)
	}
	if cfg.Optimizer == HierarchicalSoftmax {
		t.tree = newHuffmanWithEnd(counts, int64(len(t.starts)-1))
		t.syn1 = make([]float32, v*t.d) // v inner nodes, the end-of-sentence leaf included
	} else {
		t.noise = newAliasTable(counts, 0.75)
		t.syn1 = make([]float32, v*t.d)
	}
	t.total = float64(cfg.Epochs) * float64(len(t.ids))
	t.bar = progress.New(w, "embed native", int64(t.total), "words")

	// Give each goroutine a contiguous run of sentences of about equal length.
	threads := min(cfg.Threads, len(t.starts)-1)
	bounds := make([]int, threads+1)
	for k, s := 1, 0; k < threads; k++ {
		target := len(t.ids) * k / threads
		for t.starts[s] < target {
			s++
		}
		bounds[k] = s
	}
	bounds[threads] = len(t.starts) - 1
	var wg sync.WaitGroup
	for k := 0; k < threads; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			t.worker(bounds[k], bounds[k+1], rng{s: cfg.Seed ^ (uint64(k+1) * 0xd1b54a32d192ed03)})
		}(k)
	}
	wg.Wait()
	t.bar.Finish()
	return &Vectors{words: c.words[:v], dim: t.d, data: t.syn0, index: indexOf(c.words[:v])}, nil
}

func indexOf(words []string) map[string]int {
	m := make(map[string]int, len(words))
	for i, w := range words {
		m[w] = i
	}
	return m
}

// worker runs every epoch over sentences [s0, s1). Nothing is allocated per word.
func (t *native) worker(s0, s1 int, r rng) {
	cfg, d := t.cfg, t.d
	sent := make([]int32, 0, 1024)
	neu1 := make([]float32, d)  // CBOW: mean of the context vectors
	neu1e := make([]float32, d) // gradient for the input vector(s)
	minAlpha := float32(cfg.Alpha * 1e-4)
	alpha := float32(cfg.Alpha)
	local := 0 // words since the last learning-rate update
	update := func() {
		done := t.done.Add(int64(local))
		t.bar.Add(int64(local))
		local = 0
		alpha = float32(cfg.Alpha * (1 - float64(done)/(t.total+1)))
		alpha = max(alpha, minAlpha)
	}
	for epoch := 0; epoch < cfg.Epochs; epoch++ {
		for s := s0; s < s1; s++ {
			words := t.ids[t.starts[s]:t.starts[s+1]]
			local += len(words)
			sent = sent[:0]
			for _, w := range words {
				if uint32(r.next()) < t.keep[w] {
					sent = append(sent, w)
				}
			}
			for i, w := range sent {
				b := cfg.Window - r.intn(cfg.Window) // effective window 1..Window
				lo, hi := max(i-b, 0), min(i+b, len(sent)-1)
				if cfg.Model == SkipGram {
					// Each (w, context word) pair is one prediction. With negative
					// sampling w's vector predicts the context word. With
					// hierarchical softmax, as in the original code, the context
					// word's vector predicts w down w's path in the tree: the same
					// pairs, but on the bench corpus SimLex-999 rises from 0.076 to
					// 0.083 (mean of seeds 1–3, one thread; BENCHMARKS.md).
					hs := cfg.Optimizer == HierarchicalSoftmax
					for j := lo; j <= hi; j++ {
						if j == i {
							continue
						}
						in, target := t.syn0[int(w)*d:int(w)*d+d], sent[j]
						if hs {
							c := int(sent[j])
							in, target = t.syn0[c*d:c*d+d], w
						}
						clear(neu1e)
						t.output(target, in, neu1e, alpha, &r)
						axpy32(1, neu1e, in)
					}
					continue
				}
				// CBOW: predict w from the mean of its context.
				clear(neu1)
				cw := 0
				for j := lo; j <= hi; j++ {
					if j != i {
						c := int(sent[j])
						axpy32(1, t.syn0[c*d:c*d+d], neu1)
						cw++
					}
				}
				if cw == 0 {
					continue
				}
				inv := 1 / float32(cw)
				for k := range neu1 {
					neu1[k] *= inv
				}
				clear(neu1e)
				t.output(w, neu1, neu1e, alpha, &r)
				for j := lo; j <= hi; j++ {
					if j != i {
						c := int(sent[j])
						axpy32(1, neu1e, t.syn0[c*d:c*d+d])
					}
				}
			}
			if local >= lrUpdate {
				update()
			}
		}
	}
	update()
}

// output does one gradient step of the output layer for predicting target from the
// hidden vector h: it updates the output vectors and adds ∂(log-likelihood)/∂h·alpha
// to grad.
func (t *native) output(target int32, h, grad []float32, alpha float32, r *rng) {
	d := t.d
	if t.cfg.Optimizer == HierarchicalSoftmax {
		for k := t.tree.off[target]; k < t.tree.off[target+1]; k++ {
			p := int(t.tree.points[k])
			out := t.syn1[p*d : p*d+d]
			f := dot32(h, out)
			if f <= -maxExp || f >= maxExp {
				continue
			}
			g := (1 - float32(t.tree.codes[k]) - sigmoid(f)) * alpha
			axpy32(g, out, grad)
			axpy32(g, h, out)
		}
		return
	}
	for k := 0; k <= t.cfg.Negative; k++ {
		word, label := target, float32(1)
		if k > 0 {
			word, label = t.noise.sample(r), 0
			if word == target {
				continue
			}
		}
		out := t.syn1[int(word)*d : int(word)*d+d]
		f := dot32(h, out)
		var g float32
		switch {
		case f > maxExp:
			g = (label - 1) * alpha
		case f < -maxExp:
			g = label * alpha
		default:
			g = (label - sigmoid(f)) * alpha
		}
		axpy32(g, out, grad)
		axpy32(g, h, out)
	}
}
