package embed

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/ynqa/wego/pkg/model/modelutil/vector"
	"github.com/ynqa/wego/pkg/model/word2vec"

	"github.com/nlp-go/nlp/internal/progress"
)

// The wego engine hands training to github.com/ynqa/wego and takes from its API all
// it allows. What the pinned version does, read from its source:
//
//   - subsampling keeps a word with probability 1 − √(t/count) on the raw count, which
//     keeps nearly every word; we subsample ourselves with the original formula and
//     give wego t = 0, under which it keeps every word;
//   - its learning rate restarts at the initial value each epoch; we write one
//     independently subsampled copy of the corpus per epoch into a single stream and
//     run wego for one iteration, so its linear decay spans all epochs;
//   - its vocabulary takes every word it reads (the minimum count only filters the
//     training stream) and Save writes them all, untrained ones included; the stream we
//     write holds only our vocabulary, and we read back only its words;
//   - its negative samples are uniform over the vocabulary, not unigram^0.75, and no
//     option changes that: its hierarchical softmax is the stronger objective, so it is
//     this engine's default;
//   - it draws from math/rand's global source and a global unsynchronised generator,
//     so it cannot be seeded, and with more than one goroutine it races on that
//     generator, on the learning rate and on the cached Huffman paths;
//   - it sends one channel message per trained word to update the learning rate and
//     works in float64.
//
// Sentence boundaries are lost: wego reads a stream of words and its windows run
// across lines.

// wegoStream writes cfg.Epochs subsampled copies of the corpus restricted to v words.
func wegoStream(w io.Writer, c *Corpus, v int, cfg Config) (words int64, err error) {
	ids, starts := c.restrict(v)
	var n int64
	for _, k := range c.counts[:v] {
		n += k
	}
	keep := subsampleThresholds(c.counts[:v], n, cfg.Sample)
	r := rng{s: cfg.Seed}
	bw := bufio.NewWriterSize(w, 1<<16)
	for e := 0; e < cfg.Epochs; e++ {
		for s := 0; s+1 < len(starts); s++ {
			first := true
			for _, id := range ids[starts[s]:starts[s+1]] {
				if uint32(r.next()) >= keep[id] {
					continue
				}
				if !first {
					bw.WriteByte(' ')
				}
				first = false
				bw.WriteString(c.words[id])
				words++
			}
			if !first {
				bw.WriteByte('\n')
			}
		}
	}
	return words, bw.Flush()
}

// countingReader reports the words of the second pass over the stream (wego reads it
// once to build its dictionary and once to train) to a progress bar.
type countingReader struct {
	f     *os.File
	pass  int
	bar   *progress.Bar
	total int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	n, err := r.f.Read(p)
	if r.pass == 2 {
		r.bar.Add(int64(bytes.Count(p[:n], []byte{' '}) + bytes.Count(p[:n], []byte{'\n'})))
	}
	return n, err
}

func (r *countingReader) Seek(off int64, whence int) (int64, error) {
	if off == 0 && whence == io.SeekStart {
		r.pass++
	}
	return r.f.Seek(off, whence)
}

func trainWego(c *Corpus, cfg Config, w io.Writer) (*Vectors, error) {
	v := c.VocabSize(cfg.MinCount)
	if v == 0 {
		return nil, errEmptyVocab
	}
	f, err := os.CreateTemp("", "embed-wego-*.txt")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	words, err := wegoStream(f, c, v, cfg)
	if err != nil {
		return nil, fmt.Errorf("write stream: %w", err)
	}
	opts := word2vec.DefaultOptions()
	opts.Dim = cfg.Dim
	opts.Window = cfg.Window
	opts.ModelType = string(cfg.Model)
	opts.OptimizerType = string(cfg.Optimizer)
	opts.NegativeSampleSize = cfg.Negative
	opts.SubsampleThreshold = 0 // keep every word of our subsampled stream
	opts.MinCount = 0           // the stream holds only our vocabulary
	opts.Iter = 1               // one pass over Epochs copies: one learning-rate decay
	opts.Initlr = cfg.Alpha
	opts.MinLR = cfg.Alpha * 1e-4
	opts.UpdateLRBatch = lrUpdate
	opts.Goroutines = cfg.Threads
	opts.DocInMemory = false // stream from the file, so that we can show progress
	opts.MaxDepth = 1 << 10  // whole Huffman paths (its documented 0 gives empty paths)
	opts.Verbose = false
	m, err := word2vec.NewForOptions(opts)
	if err != nil {
		return nil, err
	}
	bar := progress.New(w, "embed wego", words, "words")
	if err := m.Train(&countingReader{f: f, bar: bar, total: words}); err != nil {
		return nil, err
	}
	bar.Finish()
	var buf bytes.Buffer
	if err := m.Save(&buf, vector.Single); err != nil {
		return nil, fmt.Errorf("save: %w", err)
	}
	return readWegoVectors(&buf, c.words[:v], cfg.Dim)
}

// readWegoVectors parses wego's Save output (text lines without a header) and returns
// the vectors of vocab in its order; words outside vocab are dropped, vocabulary words
// wego never saw keep zero vectors.
func readWegoVectors(r io.Reader, vocab []string, dim int) (*Vectors, error) {
	got, err := readText(r, dim)
	if err != nil {
		return nil, fmt.Errorf("read saved vectors: %w", err)
	}
	data := make([]float32, len(vocab)*dim)
	for i, word := range vocab {
		if row, ok := got.Vector(word); ok {
			copy(data[i*dim:], row)
		}
	}
	return &Vectors{words: vocab, dim: dim, data: data, index: indexOf(vocab)}, nil
}

// subsampleThresholds returns, for each word of the given counts out of n words, the
// probability of keeping an occurrence, (√(f/t) + 1)·t/f with f = count/n, scaled to
// 2³² and saturated.
func subsampleThresholds(counts []int64, n int64, t float64) []uint32 {
	keep := make([]uint32, len(counts))
	for i, k := range counts {
		p := 1.0
		if t > 0 && k > 0 {
			tn := t * float64(n)
			p = (math.Sqrt(float64(k)/tn) + 1) * tn / float64(k)
		}
		if p >= 1 {
			keep[i] = 1<<32 - 1
		} else {
			keep[i] = uint32(p * (1 << 32))
		}
	}
	return keep
}
