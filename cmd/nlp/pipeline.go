package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/classify"
	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/internal/fileutil"
	"github.com/nlp-go/nlp/models"
	"github.com/nlp-go/nlp/pipeline"
)

func init() {
	register(&cli.Command{
		Name:      "pipeline",
		Usage:     "segment, tokenize, tag and classify a text stream: one JSON object (or CoNLL-U sentence) a sentence",
		ArgsUsage: "FILE (- for stdin)",
		Description: "Reads plain text (a document a line, or a paragraph with --paragraphs), CoNLL-U or JSON lines\n" +
			"({\"text\": ..., \"id\": ...}), splits text into sentences and tokens, tags every token (UPOS, XPOS)\n" +
			"and gives every sentence a sentiment with its probability. Without --tagger and --classifier\n" +
			"it uses the embedded models. Memory stays flat whatever the input's size.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "tagger", Usage: "tagger model file (default: the embedded English EWT model)"},
			&cli.StringFlag{Name: "classifier", Usage: "classifier model file (default: the embedded SST-2 sentiment model)"},
			&cli.StringFlag{Name: "vectors", Usage: "word2vec vectors: add each token's vector to the JSON output"},
			&cli.StringFlag{Name: "format", Value: pipeline.OutputJSONL, Usage: "output: jsonl or conllu"},
			maxLineFlag(),
			&cli.StringFlag{Name: "input", Value: pipeline.InputAuto, Usage: "input: auto, text, conllu, conll, tokens or jsonl"},
			&cli.BoolFlag{Name: "paragraphs", Usage: "text input: a document is a paragraph (up to a blank line), not a line"},
			&cli.BoolFlag{Name: "no-split", Usage: "text input: a document is one sentence (do not split sentences)"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write to this file (atomically: nothing is left on error) instead of stdout"},
			&cli.IntFlag{Name: "workers", Usage: "goroutines running the stages", DefaultText: "the number of CPUs"},
			&cli.BoolFlag{Name: "copies", Usage: "give each worker its own copy of the models (about 20% faster on two cores, about 110 MB more a worker) instead of sharing one"},
			&cli.BoolFlag{Name: "stats", Usage: "print sentences, tokens and tokens/s to stderr at the end"},
		},
		Action: pipelineAction,
	})
}

func pipelineAction(c *cli.Context) error {
	args, err := positionalArgs(c, "pipeline")
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return fmt.Errorf("pipeline: want one FILE (or - for stdin), got %d arguments", len(args))
	}
	format := c.String("format")
	if format != pipeline.OutputJSONL && format != pipeline.OutputCoNLLU && format != "json" {
		return fmt.Errorf("pipeline: --format must be jsonl or conllu, got %q", format)
	}
	if c.Int("workers") < 0 {
		return fmt.Errorf("pipeline: --workers must not be negative")
	}
	readCfg := pipeline.ReadConfig{Format: c.String("input"), Paragraphs: c.Bool("paragraphs")}
	if err := readCfg.Validate(); err != nil {
		return err
	}
	if readCfg.MaxLine, err = maxLine(c, "pipeline"); err != nil {
		return err
	}
	stages, check, err := pipelineStages(c)
	if err != nil {
		return err
	}

	in, name, closeIn, err := openInput(c, args[0])
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	defer closeIn()
	readCfg.Name = name
	src, err := pipeline.NewReader(in, readCfg)
	if err != nil {
		return err
	}

	collectOften()

	ctx := commandContext(c)

	start := time.Now()
	var wr *pipeline.Writer
	run := func(w io.Writer) error {
		if wr, err = pipeline.NewWriter(w, format); err != nil {
			return err
		}
		// Batches of at most 16 KiB of text (about 150 sentences of English) or
		// 512 documents: enough sentences for the tagger's batches of 64 sorted by
		// length, few enough to keep the window small.
		cfg := pipeline.Config{Workers: c.Int("workers"), Batch: 512, BatchSize: 16 << 10}
		runErr := pipeline.Run(ctx, src, stages, wr, cfg)
		// Flush what was written even after an error: those documents are complete.
		if err := wr.Flush(); err != nil && runErr == nil {
			runErr = fmt.Errorf("pipeline: write: %w", err)
		}
		return runErr
	}
	if out := c.String("out"); out != "" {
		err = fileutil.WriteAtomicContext(ctx, out, run)
	} else {
		err = run(c.App.Writer)
	}
	if err != nil {
		return err
	}
	check.done()
	if c.Bool("stats") && wr != nil {
		sec := time.Since(start).Seconds()
		fmt.Fprintf(c.App.ErrWriter, "pipeline: %s: %d sentences, %d tokens in %.2fs: %.0f tokens/s\n",
			name, wr.Sentences, wr.Tokens, sec, float64(wr.Tokens)/sec)
	}
	return nil
}

// pipelineStages loads the models and composes segment → tag → classify (→
// embed), with the check of the text's script against the models' languages
// after segment.
func pipelineStages(c *cli.Context) (pipeline.Stage[*pipeline.Document, *pipeline.Document], *scriptCheck, error) {
	tm, err := loadTagger(c.String("tagger"))
	if err != nil {
		return nil, nil, fmt.Errorf("pipeline: %w", err)
	}
	var cm *classify.Model
	if p := c.String("classifier"); p != "" {
		cm, err = classify.Load(p)
	} else {
		// One decoded copy; models.Classifier would keep a second one cached.
		cm, err = classify.LoadBytes(models.ClassifierBytes())
		if err == nil && cm.Language == "" {
			cm.Language = models.ClassifierLanguage // the file predates the language in metadata
		}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("pipeline: %w", err)
	}
	seg := pipeline.Segment(pipeline.SegmentConfig{NoSplit: c.Bool("no-split")})
	tag, cls := pipeline.Tag(tm), pipeline.Classify(cm)
	if !c.Bool("copies") {
		// One of each, shared: the workers overlap tagging one batch with
		// classifying and tokenizing others, and memory stays near 300 MB. (The
		// tokenizer takes 2% of the time; one memo of it is enough.)
		seg, tag, cls = pipeline.Serial(seg), pipeline.Serial(tag), pipeline.Serial(cls)
	}
	stages := []pipeline.Stage[*pipeline.Document, *pipeline.Document]{seg, tag, cls}
	if p := c.String("vectors"); p != "" {
		v, err := embed.Load(p)
		if err != nil {
			return nil, nil, fmt.Errorf("pipeline: %w", err)
		}
		stages = append(stages, pipeline.Embed(v))
	}
	check := newScriptCheck("pipeline", c.App.ErrWriter, langModel{"tagger", tm.Language()}, langModel{"classifier", cm.Language})
	return pipeline.Then(stages[0], check.then(pipeline.Chain(stages[1:]...))), check, nil
}

// collectOften sets the collector's target to 30% (unless GOGC says
// otherwise) for the commands that stream text through the models: the live
// heap is mostly weights and memos, pointer-free arrays the collector does
// not scan, so collecting more often costs little CPU and keeps the resident
// memory near 1.3× the live heap instead of 2× (a copy of the model per
// worker would otherwise double it).
func collectOften() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(30)
	}
}
