package beam

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"slices"

	sdk "github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // local paths; the command adds gs://
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/nlp-go/nlp"
	"github.com/nlp-go/nlp/pipeline"
)

func init() {
	register.DoFn1x2[string, int, string](&shardKeyFn{})
	register.DoFn4x1[context.Context, int, func(*string) bool, func(string), error](&writeShardFn{})
	register.Function1x1[DeadLetter, string](deadLetterJSON)
	register.Iter1[string]()
	register.DoFn3x1[context.Context, string, func(string), error](&bundleWriteFn{})
	register.DoFn3x1[context.Context, int, func(*string) bool, error](&finalizeFn{})
}

// Options configure Annotate. Zero values mean the defaults.
type Options struct {
	// Input is the glob of the files to read (gzip when a name ends in .gz).
	Input string
	// Output is the prefix of the output files: PREFIX-SSSSS-of-NNNNN.jsonl (or
	// .conllu) and PREFIX-errors-00000-of-00001.jsonl for the dead letters.
	Output string
	// InputFormat is pipeline.InputAuto ("" too: detected per file, as nlp
	// pipeline detects it), InputText, InputTokens, InputJSONL or InputCoNLLU.
	InputFormat string
	// Format is the output: pipeline.OutputJSONL ("" too) or OutputCoNLLU.
	Format string
	// NoSplit keeps a text document as one sentence (pipeline.SegmentConfig.NoSplit).
	NoSplit bool
	// Tagger and Classifier name model files (any path Beam's file systems
	// read: local, gs://...); "" means the built-in models.
	Tagger, Classifier string
	// MaxLine bounds a line, and a CoNLL-U sentence, in bytes; longer ones are
	// dead letters. 0 means pipeline.DefaultMaxLine (1 MiB).
	MaxLine int
	// BatchDocs and BatchBytes close a batch of a bundle's documents handed to
	// the networks (as pipeline.Config's Batch and BatchSize); 0 means 512
	// documents and 16 KiB of text, nlp pipeline's values.
	BatchDocs, BatchBytes int
	// Copies gives each DoFn instance (each bundle a worker runs at once) its
	// own copy of the models' buffers instead of one tagger and one classifier
	// shared by the worker process under a lock: faster on machines of several
	// cores (nlp pipeline --copies), about 110 MB more an instance.
	Copies bool
	// Shards, when positive, is the number of output files, an annotated
	// document's file chosen by a hash of it: the output goes through a
	// shuffle (on Prism, held in memory until written). 0 means a file per
	// bundle (the runner's sharding, as Beam's own file sinks do): each bundle
	// writes its documents to a temporary file as it annotates them, and the
	// files of the bundles that succeed are renamed PREFIX-SSSSS-of-NNNNN at
	// the end — memory stays bounded by the bundle whatever the input's size.
	Shards int
	// NoReshuffle skips the reshuffle between reading and annotating. The
	// reshuffle spreads the records of a file over the workers; without it a
	// file is annotated where it is read (faster on one machine, no parallelism
	// within a file on a cluster).
	NoReshuffle bool
}

// Validate reports the first invalid option as an error wrapping nlp.ErrConfig.
func (o Options) Validate() error {
	switch {
	case o.Input == "":
		return nlp.ConfigError("beam", "Options.Input", "empty, want a glob")
	case o.Output == "":
		return nlp.ConfigError("beam", "Options.Output", "empty, want a prefix")
	}
	switch o.InputFormat {
	case "", pipeline.InputAuto, pipeline.InputText, pipeline.InputTokens, pipeline.InputJSONL, pipeline.InputCoNLLU:
	default:
		return nlp.ConfigError("beam", "Options.InputFormat", "%q, want auto, text, tokens, jsonl or conllu", o.InputFormat)
	}
	switch o.Format {
	case "", pipeline.OutputJSONL, pipeline.OutputCoNLLU:
	default:
		return nlp.ConfigError("beam", "Options.Format", "%q, want jsonl or conllu", o.Format)
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"MaxLine", o.MaxLine}, {"BatchDocs", o.BatchDocs}, {"BatchBytes", o.BatchBytes}, {"Shards", o.Shards}} {
		if f.v < 0 {
			return nlp.ConfigError("beam", "Options."+f.name, "%d, want ≥ 0", f.v)
		}
	}
	return nil
}

func (o Options) withDefaults() Options {
	if o.InputFormat == "" {
		o.InputFormat = pipeline.InputAuto
	}
	if o.Format == "" {
		o.Format = pipeline.OutputJSONL
	}
	if o.MaxLine == 0 {
		o.MaxLine = pipeline.DefaultMaxLine
	}
	if o.BatchDocs == 0 {
		o.BatchDocs = 512
	}
	if o.BatchBytes == 0 {
		o.BatchBytes = 16 << 10
	}
	return o
}

// Annotate adds to s the annotation of the files of o.Input, written to
// o.Output's shards, and the dead-letter output. It returns the annotated
// documents (a string each: its JSON lines or CoNLL-U sentences) and the dead
// letters, for a caller that wants to go on from them.
func Annotate(s sdk.Scope, o Options) (docs, dead sdk.PCollection, err error) {
	if err := o.Validate(); err != nil {
		return docs, dead, err
	}
	o = o.withDefaults()
	s = s.Scope("nlp.Annotate")
	files := fileio.ReadMatches(s, fileio.MatchFiles(s, o.Input, fileio.MatchEmptyDisallow()))
	records, readDead := sdk.ParDo2(s, &readFn{Format: o.InputFormat, MaxLine: o.MaxLine}, files)
	if !o.NoReshuffle {
		records = sdk.Reshuffle(s, records)
	}
	docs, annDead := sdk.ParDo2(s, &annotateFn{Output: o.Format, NoSplit: o.NoSplit, Tagger: o.Tagger,
		Classifier: o.Classifier, BatchDocs: o.BatchDocs, BatchBytes: o.BatchBytes, Copies: o.Copies}, records)
	dead = sdk.Flatten(s, readDead, annDead)
	if o.Shards > 0 {
		WriteShards(s.Scope("output"), o.Output, "."+o.Format, o.Shards, docs)
	} else {
		WriteBundles(s.Scope("output"), o.Output, "."+o.Format, docs)
	}
	WriteShards(s.Scope("errors"), o.Output+"-errors", ".jsonl", 1, sdk.ParDo(s, deadLetterJSON, dead))
	return docs, dead, nil
}

// deadLetterJSON is a dead letter as a JSON line (without its line break).
func deadLetterJSON(d DeadLetter) string {
	b, _ := json.Marshal(d) // three plain fields: cannot fail
	return string(b)
}

// WriteShards writes the strings of col (each one or more whole lines, a line
// break at its end added when missing) to shards files PREFIX-SSSSS-of-NNNNN
// SUFFIX, an element's shard chosen by a hash of it. A shard that receives
// nothing is not written. The files are written through Beam's file systems.
func WriteShards(s sdk.Scope, prefix, suffix string, shards int, col sdk.PCollection) {
	s = s.Scope("WriteShards")
	keyed := sdk.ParDo(s, &shardKeyFn{Shards: shards}, col)
	sdk.ParDo(s, &writeShardFn{Prefix: prefix, Suffix: suffix, Shards: shards}, sdk.GroupByKey(s, keyed))
}

// ShardName is the name of shard i of n.
func ShardName(prefix, suffix string, i, n int) string {
	return fmt.Sprintf("%s-%05d-of-%05d%s", prefix, i, n, suffix)
}

type shardKeyFn struct{ Shards int }

func (fn *shardKeyFn) ProcessElement(x string) (int, string) {
	h := fnv.New64a()
	io.WriteString(h, x)
	return int(h.Sum64() % uint64(fn.Shards)), x
}

type writeShardFn struct {
	Prefix, Suffix string
	Shards         int
}

func (fn *writeShardFn) ProcessElement(ctx context.Context, shard int, values func(*string) bool, emit func(string)) (err error) {
	path := ShardName(fn.Prefix, fn.Suffix, shard, fn.Shards)
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return err
	}
	defer fs.Close()
	wc, err := fs.OpenWrite(ctx, path)
	if err != nil {
		return fmt.Errorf("nlp-beam: write %s: %w", path, err)
	}
	defer func() {
		if cerr := wc.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("nlp-beam: write %s: %w", path, cerr)
		}
	}()
	bw := bufio.NewWriterSize(wc, 1<<16)
	var v string
	for values(&v) {
		bw.WriteString(v)
		if len(v) > 0 && v[len(v)-1] != '\n' {
			bw.WriteByte('\n')
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("nlp-beam: write %s: %w", path, err)
	}
	emit(path)
	return nil
}

// WriteBundles writes the strings of col (each one or more whole lines) to a
// file per bundle, PREFIX-SSSSS-of-NNNNN SUFFIX: each bundle writes a
// temporary file PREFIX-tmp-RANDOM SUFFIX as its elements come, and once every
// bundle has finished, the files of those that succeeded are renamed (a
// bundle that failed and was retried leaves a temporary file, removed then).
// Nothing is written when col is empty.
func WriteBundles(s sdk.Scope, prefix, suffix string, col sdk.PCollection) {
	s = s.Scope("WriteBundles")
	tmp := sdk.ParDo(s, &bundleWriteFn{Prefix: prefix, Suffix: suffix}, col)
	sdk.ParDo0(s, &finalizeFn{Prefix: prefix, Suffix: suffix}, sdk.GroupByKey(s, sdk.AddFixedKey(s, tmp)))
}

type bundleWriteFn struct {
	Prefix, Suffix string

	path string
	fs   filesystem.Interface
	wc   io.WriteCloser
	bw   *bufio.Writer
}

// ProcessElement writes x; the temporary file's name is emitted once it is
// complete, by FinishBundle (the emitter is here for the DoFn's signature).
func (fn *bundleWriteFn) ProcessElement(ctx context.Context, x string, _ func(string)) error {
	if fn.wc == nil {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return err
		}
		fn.path = fn.Prefix + "-tmp-" + hex.EncodeToString(b[:]) + fn.Suffix
		var err error
		if fn.fs, err = filesystem.New(ctx, fn.path); err != nil {
			return err
		}
		if fn.wc, err = fn.fs.OpenWrite(ctx, fn.path); err != nil {
			fn.fs.Close()
			return fmt.Errorf("nlp-beam: write %s: %w", fn.path, err)
		}
		if fn.bw == nil {
			fn.bw = bufio.NewWriterSize(fn.wc, 1<<16)
		} else {
			fn.bw.Reset(fn.wc)
		}
	}
	fn.bw.WriteString(x)
	if len(x) > 0 && x[len(x)-1] != '\n' {
		fn.bw.WriteByte('\n')
	}
	return nil
}

func (fn *bundleWriteFn) FinishBundle(ctx context.Context, emit func(string)) error {
	if fn.wc == nil {
		return nil
	}
	err := fn.bw.Flush()
	if cerr := fn.wc.Close(); err == nil {
		err = cerr
	}
	fn.fs.Close()
	fn.wc, fn.fs = nil, nil
	if err != nil {
		return fmt.Errorf("nlp-beam: write %s: %w", fn.path, err)
	}
	emit(fn.path)
	return nil
}

type finalizeFn struct{ Prefix, Suffix string }

func (fn *finalizeFn) ProcessElement(ctx context.Context, _ int, paths func(*string) bool) error {
	var tmp []string
	var p string
	for paths(&p) {
		tmp = append(tmp, p)
	}
	slices.Sort(tmp)
	fs, err := filesystem.New(ctx, fn.Prefix)
	if err != nil {
		return err
	}
	defer fs.Close()
	for i, p := range tmp {
		if err := filesystem.Rename(ctx, fs, p, ShardName(fn.Prefix, fn.Suffix, i, len(tmp))); err != nil {
			return fmt.Errorf("nlp-beam: rename %s: %w", p, err)
		}
	}
	// What is left of bundles that failed and were retried.
	if rm, ok := fs.(filesystem.Remover); ok {
		left, err := fs.List(ctx, fn.Prefix+"-tmp-*"+fn.Suffix)
		if err != nil {
			return err
		}
		for _, p := range left {
			if err := rm.Remove(ctx, p); err != nil {
				return err
			}
		}
	}
	return nil
}
