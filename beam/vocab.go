package beam

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	sdk "github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/stats"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/datasets"
	"github.com/nlp-go/nlp/datasets/conllu"
	"github.com/nlp-go/nlp/internal/linescan"
)

func init() {
	register.DoFn3x1[context.Context, fileio.ReadableFile, func(string, int64), error](&countFn{})
	register.Emitter2[string, int64]()
	register.DoFn2x1[context.Context, []wordCount, error](&writeVocabFn{})
	register.Combiner3[[]wordCount, wordCount, []wordCount](&gatherFn{})
	register.Function2x1[string, int64, wordCount](toWordCount)
}

// VocabOptions configure Vocab. Zero values mean the defaults.
type VocabOptions struct {
	// Input is the glob of the corpus files (gzip when a name ends in .gz).
	Input string
	// Output is the vocabulary file written.
	Output string
	// Format is the corpus format, as nlp datasets vocab's --format: "" or
	// "auto" (detected per file), "text", "tokens", "conllu", "conll", "brown"
	// or "labelled".
	Format string
	// Lower lower-cases the tokens.
	Lower bool
	// MinCount drops words seen fewer times (their count goes to the unknown
	// word); 0 means 1. MaxSize keeps at most that many words, 0 no limit.
	MinCount int64
	MaxSize  int
	// FlushWords is the number of distinct words a worker counts before it
	// hands its counts to the combiner; 0 means 1<<20.
	FlushWords int
}

// Vocab adds to s the counting of the tokens of o.Input into the vocabulary
// file o.Output, in datasets.Vocab's text format and order.
func Vocab(s sdk.Scope, o VocabOptions) error {
	if o.Input == "" {
		return nlp.ConfigError("beam", "VocabOptions.Input", "empty, want a glob")
	}
	if o.Output == "" {
		return nlp.ConfigError("beam", "VocabOptions.Output", "empty, want a file")
	}
	if o.Format == "" {
		o.Format = "auto"
	}
	if _, err := datasets.ParseFormat(o.Format); err != nil {
		return err
	}
	if err := (datasets.VocabConfig{MinCount: o.MinCount, MaxSize: o.MaxSize}).Validate(); err != nil {
		return err
	}
	if o.FlushWords <= 0 {
		o.FlushWords = 1 << 20
	}
	s = s.Scope("nlp.Vocab")
	files := fileio.ReadMatches(s, fileio.MatchFiles(s, o.Input, fileio.MatchEmptyDisallow()))
	counts := sdk.ParDo(s, &countFn{Format: o.Format, Lower: o.Lower, FlushWords: o.FlushWords}, files)
	summed := stats.SumPerKey(s, counts)
	all := sdk.Combine(s, &gatherFn{}, sdk.ParDo(s, toWordCount, summed))
	sdk.ParDo0(s, &writeVocabFn{Output: o.Output, MinCount: o.MinCount, MaxSize: o.MaxSize}, all)
	return nil
}

// countFn counts the tokens of a file as datasets.CountFile does, in a map
// flushed to the combiner every FlushWords distinct words.
type countFn struct {
	Format     string
	Lower      bool
	FlushWords int

	tokens sdk.Counter
}

func (fn *countFn) Setup() { fn.tokens = sdk.NewCounter(metricsNamespace, "tokens") }

func (fn *countFn) ProcessElement(ctx context.Context, f fileio.ReadableFile, emit func(string, int64)) error {
	name := f.Metadata.Path
	rc, err := f.Open(ctx)
	if err != nil {
		return fmt.Errorf("nlp-beam: open %s: %w", name, err)
	}
	defer rc.Close()
	counts := make(map[string]int64)
	var total int64
	flush := func() {
		for w, n := range counts {
			emit(w, n)
		}
		clear(counts)
	}
	add := func(words []string) {
		for _, w := range words {
			if fn.Lower {
				w = strings.ToLower(w)
			}
			counts[w]++
		}
		total += int64(len(words))
		if len(counts) >= fn.FlushWords {
			flush()
		}
	}
	if err := readSentences(rc, fn.Format, add); err != nil {
		return fmt.Errorf("nlp-beam: count %s: %w", name, err)
	}
	flush()
	fn.tokens.Inc(ctx, total)
	return nil
}

// readSentences calls add with the tokens of each sentence of r, read as
// datasets' statistics read a corpus (the same readers and tokenizer, the
// format detected by datasets.SniffFormat). The words are valid until add
// returns.
func readSentences(r io.Reader, format string, add func([]string)) error {
	f, err := datasets.ParseFormat(format)
	if err != nil {
		return err
	}
	br := bufio.NewReaderSize(r, 1<<16)
	if f == datasets.FormatAuto {
		head, _ := br.Peek(1 << 16)
		if f, err = datasets.SniffFormat(head); err != nil {
			return fmt.Errorf("%w (name the format: conllu, conll, text, brown, labelled or tokens)", err)
		}
	}
	switch f {
	case datasets.FormatCoNLLU:
		rd := conllu.NewReader(br)
		for {
			sent, err := rd.Read()
			if err != nil {
				return eof(err)
			}
			add(sent.Forms())
		}
	case datasets.FormatCoNLL:
		rd := conllu.NewColumnReader(br)
		for {
			sent, err := rd.Read()
			if err != nil {
				return eof(err)
			}
			add(sent.Tokens())
		}
	case datasets.FormatBrown:
		rd := datasets.NewBrownReader(br)
		for {
			sent, err := rd.Read()
			if err != nil {
				return eof(err)
			}
			add(sent.Words())
		}
	case datasets.FormatLabelled:
		rd := datasets.NewLabelledReader(br, datasets.LabelAuto)
		for {
			ex, err := rd.Read()
			if err != nil {
				return eof(err)
			}
			add(strings.Fields(ex.Text))
		}
	case datasets.FormatTokens:
		sc := linescan.New(br, 1<<26)
		var words []string
		for sc.Scan() {
			words = datasets.AppendTokens(words[:0], sc.Text())
			if len(words) > 0 {
				add(words)
			}
		}
		return sc.Err()
	default:
		rd := datasets.NewTextReader(br, datasets.TextConfig{}, nil)
		for {
			toks, err := rd.Read()
			if err != nil {
				return eof(err)
			}
			add(toks)
		}
	}
}

func eof(err error) error {
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// wordCount is a word and its count over the corpus.
type wordCount struct {
	Word  string
	Count int64
}

func toWordCount(w string, n int64) wordCount { return wordCount{w, n} }

// gatherFn gathers the counts into one list, a combiner so that each bundle
// sends one list to the final step rather than an element per word.
type gatherFn struct{}

func (gatherFn) AddInput(acc []wordCount, wc wordCount) []wordCount { return append(acc, wc) }

func (gatherFn) MergeAccumulators(a, b []wordCount) []wordCount { return append(a, b...) }

func (gatherFn) ExtractOutput(acc []wordCount) []wordCount { return acc }

// writeVocabFn sorts the counts and writes the vocabulary file, as
// datasets.Counter.Vocab and Vocab.Save do.
type writeVocabFn struct {
	Output   string
	MinCount int64
	MaxSize  int
}

func (fn *writeVocabFn) ProcessElement(ctx context.Context, all []wordCount) error {
	slices.SortFunc(all, func(a, b wordCount) int {
		if a.Count != b.Count {
			return cmp.Compare(b.Count, a.Count)
		}
		return strings.Compare(a.Word, b.Word)
	})
	minCount := max(fn.MinCount, 1)
	kept := all[:0]
	var dropped int64
	for _, w := range all {
		if w.Count >= minCount && w.Word != datasets.DefaultUnknown && (fn.MaxSize == 0 || len(kept) < fn.MaxSize) {
			kept = append(kept, w)
		} else {
			dropped += w.Count
		}
	}
	return writeFile(ctx, fn.Output, func(w *bufio.Writer) {
		w.WriteString(datasets.DefaultUnknown + "\t" + strconv.FormatInt(dropped, 10) + "\n")
		for _, k := range kept {
			w.WriteString(k.Word)
			w.WriteByte('\t')
			w.WriteString(strconv.FormatInt(k.Count, 10))
			w.WriteByte('\n')
		}
	})
}

// writeFile writes path through Beam's file systems.
func writeFile(ctx context.Context, path string, write func(*bufio.Writer)) (err error) {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return err
	}
	defer fs.Close()
	wc, err := fs.OpenWrite(ctx, path)
	if err != nil {
		return fmt.Errorf("nlp-beam: write %s: %w", path, err)
	}
	bw := bufio.NewWriterSize(wc, 1<<16)
	write(bw)
	if err = bw.Flush(); err == nil {
		err = wc.Close()
	} else {
		wc.Close()
	}
	if err != nil {
		return fmt.Errorf("nlp-beam: write %s: %w", path, err)
	}
	return nil
}
