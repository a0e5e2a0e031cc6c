// Command nlp-beam runs the toolkit's corpus work on Apache Beam: nlp pipeline's
// annotation (nlp-beam pipeline) and nlp datasets vocab's word counts
// (nlp-beam vocab), on the Prism runner in-process by default, or on Dataflow,
// Flink or Spark with --runner and that runner's standard flags.
//
// It is a binary of its own, apart from nlp, because the Beam SDK and its
// runners make it about ten times larger (README.md, "nlp-beam").
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"syscall"
	"time"

	sdk "github.com/apache/beam/sdks/v2/go/pkg/beam"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
	beamlog "github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/dataflow"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/flink"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/spark"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/universal"

	nlpbeam "github.com/nlp-go/nlp/beam"
	"github.com/nlp-go/nlp/pipeline"
)

const usage = `nlp-beam runs nlp's corpus work on Apache Beam (Prism in-process by default).

Usage:
  nlp-beam pipeline --input GLOB --output PREFIX [--format jsonl|conllu] [--runner prism] [runner flags]
  nlp-beam vocab --input GLOB --output FILE [--min-count N] [--lower] [--runner prism] [runner flags]

Every command takes --help. --runner is prism (default), dataflow, flink, spark or universal;
the runner's own flags (--project, --region, --temp_location, --endpoint, ...) are passed to it.
`

var runners = []string{"prism", "dataflow", "flink", "spark", "universal"}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cmd := args[0]
	switch cmd {
	case "pipeline", "vocab":
	default:
		if len(args[0]) > 0 && args[0][0] == '-' {
			// A runner starting this binary as a worker (--worker=true ...):
			// beam.Init serves the work and exits.
			flag.CommandLine.Parse(args)
			sdk.Init()
			return fmt.Errorf("nlp-beam: unknown arguments %q (want a command: pipeline or vocab)", args)
		}
		return fmt.Errorf("nlp-beam: unknown command %q (want pipeline or vocab)\n\n%s", cmd, usage)
	}
	// The runners read their options from the standard flag set, so the
	// command's flags are defined there too.
	fs := flag.CommandLine
	fs.SetOutput(stderr)
	sdkFlags := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) { sdkFlags[f.Name] = true })
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: nlp-beam %s [flags] [runner flags]\n\nFlags:\n", cmd)
		ours := flag.NewFlagSet(cmd, flag.ContinueOnError)
		fs.VisitAll(func(f *flag.Flag) {
			if !sdkFlags[f.Name] {
				ours.Var(f.Value, f.Name, f.Usage)
			}
		})
		ours.SetOutput(stderr)
		ours.PrintDefaults()
		fmt.Fprintf(stderr, "\nThe Beam SDK's and runners' flags are accepted too: Dataflow's --project, --region,\n"+
			"--temp_location, --staging_location, --worker_binary, ...; Flink's and Spark's --endpoint and\n"+
			"--environment_type (README.md, \"nlp-beam\").\n")
	}
	runner := fs.String("runner", "prism", "Beam runner: "+fmt.Sprint(runners))
	input := fs.String("input", "", "glob of the input files (required; .gz files are gunzipped)")
	logLevel := fs.String("log-level", "warn", "Beam's and Prism's log level: debug, info, warn or error")
	output := fs.String("output", "", "pipeline: prefix of the output files; vocab: the vocabulary file (required)")
	var build func(s sdk.Scope) error
	var describe func(c map[string]int64) string
	switch cmd {
	case "pipeline":
		var o nlpbeam.Options
		fs.StringVar(&o.Format, "format", pipeline.OutputJSONL, "output: jsonl or conllu")
		fs.StringVar(&o.InputFormat, "input-format", pipeline.InputAuto, "input: auto, text, tokens, jsonl or conllu")
		fs.BoolVar(&o.NoSplit, "no-split", false, "text input: a document is one sentence")
		fs.StringVar(&o.Tagger, "tagger", "", "tagger model file, read by the workers (default: the built-in model)")
		fs.StringVar(&o.Classifier, "classifier", "", "classifier model file, read by the workers (default: the built-in model)")
		fs.IntVar(&o.MaxLine, "max-line", pipeline.DefaultMaxLine, "longest line (and CoNLL-U sentence) in bytes; longer ones are dead letters")
		fs.BoolVar(&o.Copies, "copies", false, "a copy of the models for each bundle a worker runs at once (faster on many cores, about 110 MB more each) instead of one shared per worker")
		fs.IntVar(&o.Shards, "shards", 0, "number of output files, documents spread by hash through a shuffle (0: a file per bundle, written as annotated)")
		fs.BoolVar(&o.NoReshuffle, "no-reshuffle", false, "annotate each file where it is read (no shuffle; no parallelism within a file)")
		build = func(s sdk.Scope) error {
			o.Input, o.Output = *input, *output
			_, _, err := nlpbeam.Annotate(s, o)
			return err
		}
		describe = func(c map[string]int64) string {
			return fmt.Sprintf("%d records, %d documents, %d sentences, %d tokens, %d dead letters (%s-errors-*)",
				c["records"], c["documents"], c["sentences"], c["tokens"], c["dead_letters"], *output)
		}
	case "vocab":
		var o nlpbeam.VocabOptions
		fs.StringVar(&o.Format, "format", "auto", "auto, conllu, conll, text, brown, labelled or tokens")
		fs.BoolVar(&o.Lower, "lower", false, "lower-case the tokens")
		fs.Int64Var(&o.MinCount, "min-count", 1, "drop words seen fewer times")
		fs.IntVar(&o.MaxSize, "max-size", 0, "keep at most this many words (0: no limit)")
		build = func(s sdk.Scope) error {
			o.Input, o.Output = *input, *output
			return nlpbeam.Vocab(s, o)
		}
		describe = func(c map[string]int64) string {
			return fmt.Sprintf("%s: %d tokens counted", *output, c["tokens"])
		}
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("nlp-beam %s: unexpected arguments %q", cmd, fs.Args())
	}
	if *input == "" || *output == "" {
		return fmt.Errorf("nlp-beam %s: --input and --output are required", cmd)
	}
	if !slices.Contains(runners, *runner) {
		return fmt.Errorf("nlp-beam %s: --runner %q: want one of %v", cmd, *runner, runners)
	}
	beamlog.LogLevel = *logLevel
	sdk.Init()
	if cmd == "pipeline" && os.Getenv("GOGC") == "" {
		// As nlp pipeline: the live heap is mostly the models' weights, so
		// collecting at 30% keeps the resident memory near 1.3x of it, not 2x.
		// (Not for vocab, whose heap is maps being filled: it would cost time.)
		debug.SetGCPercent(30)
	}

	p, s := sdk.NewPipelineWithRoot()
	if err := build(s); err != nil {
		return fmt.Errorf("nlp-beam %s: %w", cmd, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	pr, err := sdk.Run(ctx, *runner, p)
	if err != nil {
		return fmt.Errorf("nlp-beam %s: %w", cmd, err)
	}
	c := nlpbeam.Counters(pr)
	if len(c) == 0 && *runner != "prism" {
		fmt.Fprintf(stderr, "nlp-beam %s: done on %s in %.2fs (the runner reported no metrics: see its console)\n",
			cmd, *runner, time.Since(start).Seconds())
		return nil
	}
	fmt.Fprintf(stderr, "nlp-beam %s: %s in %.2fs", cmd, describe(c), time.Since(start).Seconds())
	if tok := c["tokens"]; tok > 0 {
		fmt.Fprintf(stderr, ": %.0f tokens/s", float64(tok)/time.Since(start).Seconds())
	}
	fmt.Fprintln(stderr)
	return nil
}
