package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/datasets"
	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/internal/fileutil"
	"github.com/nlp-go/nlp/models"
	"github.com/nlp-go/nlp/nn"
	"github.com/nlp-go/nlp/pipeline"
	"github.com/nlp-go/nlp/tagger"
	"github.com/nlp-go/nlp/train"
)

func init() {
	register(&cli.Command{
		Name:      "tag",
		Usage:     "part-of-speech tag a file (CoNLL-U, CoNLL columns, plain text; - for stdin)",
		ArgsUsage: "FILE",
		Description: "Writes the input with UPOS and XPOS filled in; every other CoNLL-U column, comment and\n" +
			"multiword line is kept as it was. Without --model it uses the English model built in.",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "model", Aliases: []string{"m"}, Usage: "tagger model file; several (repeated or comma-separated) tag as an ensemble, averaging their probabilities", DefaultText: "the embedded English EWT model"},
			&cli.StringFlag{Name: "format", Value: pipeline.OutputCoNLLU, Usage: "output: conllu, tsv or json (the JSON lines of nlp pipeline)"},
			&cli.StringFlag{Name: "input", Value: pipeline.InputAuto, Usage: "input: auto, conllu, conll, text, tokens or jsonl"},
			maxLineFlag(),
		},
		Action: tagAction,
		Subcommands: []*cli.Command{
			tagTrainCommand(),
			tagEvalCommand(),
		},
	})
}

// tagging is what tag and tag eval need of a model or an ensemble.
type tagging interface {
	Evaluate(gold tagger.Data) tagger.Evaluation
}

// loadTagging loads the models named by --model: none is the embedded model,
// one is that model, several an ensemble of them.
func loadTagging(paths []string) (tagging, error) {
	if len(paths) <= 1 {
		return loadTagger(strings.Join(paths, ""))
	}
	return loadEnsemble(paths)
}

// tagStage is the pipeline stage of a model or an ensemble from loadTagging.
func tagStage(m tagging) pipeline.Stage[*pipeline.Document, *pipeline.Document] {
	if e, ok := m.(*tagger.Ensemble); ok {
		return pipeline.TagEnsemble(e)
	}
	return pipeline.Tag(m.(*tagger.Model))
}

// taggingLanguage is the language of a model, or of an ensemble whose
// models agree on one; "" if not known.
func taggingLanguage(m tagging) string {
	switch m := m.(type) {
	case *tagger.Model:
		return m.Language()
	case *tagger.Ensemble:
		return m.Language()
	}
	return ""
}

// loadEnsemble loads the model files paths as one ensemble.
func loadEnsemble(paths []string) (*tagger.Ensemble, error) {
	models := make([]*tagger.Model, len(paths))
	for i, p := range paths {
		m, err := tagger.Load(p)
		if err != nil {
			return nil, err
		}
		models[i] = m
	}
	return tagger.NewEnsemble(models...)
}

// loadTagger loads the model named by --model, or the embedded one.
func loadTagger(path string) (*tagger.Model, error) {
	if path != "" {
		return tagger.Load(path)
	}
	data := embeddedTagger()
	if data == nil {
		return nil, fmt.Errorf("no --model given and this build has no embedded tagger")
	}
	m, err := tagger.LoadBytes(data)
	if err == nil && m.Language() == "" {
		m.SetLanguage(models.TaggerLanguage) // the file predates the language in metadata
	}
	return m, err
}

// tagFormats are the output formats of nlp tag: CoNLL-U, TSV and the
// pipeline's JSON lines ("json").
var tagFormats = []string{pipeline.OutputCoNLLU, pipeline.OutputTSV, "json"}

// tagSegment is how nlp tag splits plain text: sentences however long (no
// piece cut out of a sentence changes its tags).
var tagSegment = pipeline.SegmentConfig{MaxTokens: -1}

// openInput opens the file name, or standard input for "-" (named "stdin"),
// gunzipped when it is gzip (fileutil.Decompress): every command that reads
// the user's text opens it here. close is never nil.
func openInput(c *cli.Context, name string) (r io.Reader, shown string, close func() error, err error) {
	if name == "-" {
		r = c.App.Reader
		if r == nil {
			r = os.Stdin
		}
		if r, err = fileutil.Decompress(r); err != nil {
			return nil, "", nil, fmt.Errorf("stdin: %w", err)
		}
		return r, "stdin", func() error { return nil }, nil
	}
	f, err := fileutil.Open(name)
	if err != nil {
		return nil, "", nil, err
	}
	return f, name, f.Close, nil
}

func tagAction(c *cli.Context) error {
	args, err := positionalArgs(c, "tag")
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return fmt.Errorf("tag: want one FILE (or - for stdin), got %d arguments", len(args))
	}
	readCfg := pipeline.ReadConfig{Format: c.String("input")}
	if err := readCfg.Validate(); err != nil {
		return fmt.Errorf("tag: --input: %w", err)
	}
	if readCfg.MaxLine, err = maxLine(c, "tag"); err != nil {
		return err
	}
	format := c.String("format")
	if !slices.Contains(tagFormats, format) {
		return fmt.Errorf("tag: --format must be conllu, tsv or json, got %q", format)
	}
	m, err := loadTagging(c.StringSlice("model"))
	if err != nil {
		return err
	}
	in, name, closeIn, err := openInput(c, args[0])
	if err != nil {
		return err
	}
	defer closeIn()
	readCfg.Name = name
	src, err := pipeline.NewReader(in, readCfg)
	if err != nil {
		return err
	}
	collectOften()
	ctx := commandContext(c)
	wr, err := pipeline.NewWriter(c.App.Writer, format)
	if err != nil {
		return err
	}
	check := newScriptCheck("tag", c.App.ErrWriter, langModel{"tagger", taggingLanguage(m)})
	stage := pipeline.Then(pipeline.Segment(tagSegment), check.then(tagStage(m)))
	runErr := pipeline.Run(ctx, src, stage, wr, tagRunConfig)
	if runErr == nil {
		check.done()
	}
	// The documents before an error are complete: write them out.
	if err := wr.Flush(); err != nil && runErr == nil {
		runErr = fmt.Errorf("tag: write: %w", err)
	}
	return runErr
}

// tagRunConfig is how nlp tag spreads its work: a worker per CPU, each with
// its own copy of the model (tagging is nearly all of the time, so copies pay
// where nlp pipeline shares its two models), and batches of at most 16 KiB of
// text or 512 documents: enough sentences to sort by length into full batches
// of the network, few enough to keep the window small.
var tagRunConfig = pipeline.Config{Batch: 512, BatchSize: 16 << 10}

func tagTrainCommand() *cli.Command {
	// The defaults shown are those tagger.Train applies to the zero values the
	// flags leave: written once, in the tagger.
	def := tagger.Config{}.WithDefaults()
	return &cli.Command{
		Name:  "train",
		Usage: "train a tagger on a CoNLL-U treebank (any UD language)",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "train", Required: true, Usage: "training CoNLL-U file (several: trained on together; an XPOS of \"_\" where others have one is \"not annotated\")"},
			&cli.StringSliceFlag{Name: "dev", Required: true, Usage: "development CoNLL-U file(s) (early stopping)"},
			&cli.StringFlag{Name: "vectors", Usage: "word2vec vectors (text or binary); none: no pretrained vectors"},
			&cli.StringFlag{Name: "out", Required: true, Usage: "model file to write (and OUT.ckpt, the checkpoint)"},
			languageFlag(),
			&cli.BoolFlag{Name: "resume", Usage: "continue from OUT.ckpt if it exists (with a larger --epochs, a finished run goes on)"},
			&cli.StringFlag{Name: "init", Usage: "start from this model's weights, shape and vocabularies (fine-tuning; it is scored first and kept if no epoch beats it)"},
			&cli.StringFlag{Name: "cell", Value: def.Cell, Usage: "sentence encoder cell: " + strings.Join(nn.CellNames(), ", ")},
			&cli.IntFlag{Name: "hidden", Usage: "sentence BiLSTM width per direction", DefaultText: fmt.Sprint(def.Hidden)},
			&cli.IntFlag{Name: "layers", Usage: "sentence layers", DefaultText: fmt.Sprint(def.Layers)},
			&cli.IntFlag{Name: "word-dim", Usage: "trainable word vector width", DefaultText: fmt.Sprint(def.WordDim)},
			&cli.IntFlag{Name: "char-hidden", Usage: "character BiLSTM width per direction", DefaultText: fmt.Sprint(def.CharHidden)},
			&cli.BoolFlag{Name: "no-chars", Usage: "no character model (ablation)"},
			&cli.BoolFlag{Name: "cased-words", Usage: "trainable word vectors for forms as written, not lower-cased"},
			&cli.BoolFlag{Name: "cased-vectors", Usage: "the --vectors keep case (nlp datasets corpus --cased): look words up as written first"},
			&cli.BoolFlag{Name: "fine-tune", Usage: "update the pretrained vectors too"},
			&cli.IntFlag{Name: "pretrained-n", Usage: "most frequent pretrained words kept besides the training words", DefaultText: fmt.Sprint(def.PretrainedN)},
			&cli.Float64Flag{Name: "dropout", Usage: "dropout (negative: none)", DefaultText: fmt.Sprint(def.Dropout)},
			&cli.Float64Flag{Name: "lr", Usage: "Adam learning rate", DefaultText: fmt.Sprint(def.LR)},
			&cli.Float64Flag{Name: "lr-decay", Usage: "learning-rate factor after an epoch without dev improvement (negative: none)", DefaultText: fmt.Sprint(def.LRDecay)},
			&cli.Float64Flag{Name: "average", Usage: "score and keep a moving average of the weights with this decay per step, e.g. 0.999; 0: none", DefaultText: fmt.Sprint(def.Average)},
			&cli.IntFlag{Name: "batch-size", Usage: "sentences per batch", DefaultText: fmt.Sprint(def.BatchSize)},
			&cli.IntFlag{Name: "epochs", Usage: "at most this many epochs", DefaultText: fmt.Sprint(def.Epochs)},
			&cli.IntFlag{Name: "patience", Usage: "stop after this many epochs without dev improvement", DefaultText: fmt.Sprint(def.Patience)},
			&cli.StringSliceFlag{Name: "teacher", Usage: "tagger model(s) whose mean probabilities the training also learns from (knowledge distillation; repeat or comma-separate)"},
			&cli.StringFlag{Name: "unlabelled", Usage: "with --teacher, untagged text (plain, one tokenized sentence a line, or CoNLL-U) learnt from the teacher's probabilities alone"},
			&cli.StringFlag{Name: "unlabelled-input", Value: pipeline.InputAuto, Usage: "format of --unlabelled: auto, conllu, conll, text, tokens or jsonl"},
			maxLineFlag(),
			&cli.Float64Flag{Name: "distill", Usage: "with --teacher, the weight of the teacher's probabilities against the gold tags", DefaultText: fmt.Sprint(def.Distill)},
			&cli.Uint64Flag{Name: "seed", Value: cliSeed, Usage: "random seed"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar"},
			&cli.BoolFlag{Name: "json", Usage: "print the training report as JSON"},
			plotFlag("the training loss and the dev scores of every evaluation"),
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return fmt.Errorf("tag train: unexpected argument %q", c.Args().First())
			}
			cfg := tagger.Config{
				Cell: c.String("cell"), Hidden: c.Int("hidden"), Layers: c.Int("layers"), WordDim: c.Int("word-dim"),
				CharHidden: c.Int("char-hidden"), NoChars: c.Bool("no-chars"), CasedWords: c.Bool("cased-words"), FineTune: c.Bool("fine-tune"),
				CasedVectors: c.Bool("cased-vectors"),
				PretrainedN:  c.Int("pretrained-n"), Dropout: c.Float64("dropout"), LR: c.Float64("lr"), LRDecay: c.Float64("lr-decay"), Average: c.Float64("average"),
				BatchSize: c.Int("batch-size"), Epochs: c.Int("epochs"), Patience: c.Int("patience"), Seed: c.Uint64("seed"),
				Distill: c.Float64("distill"),
			}
			if err := cfg.Validate(); err != nil {
				return err
			}
			maxLen, err := maxLine(c, "tag train")
			if err != nil {
				return err
			}
			train, err := readTreebanks(c.StringSlice("train"), maxLen)
			if err != nil {
				return err
			}
			dev, err := readTreebanks(c.StringSlice("dev"), maxLen)
			if err != nil {
				return err
			}
			if n := train.Words(); n < smallTreebank && !c.IsSet("lr-decay") && !c.IsSet("init") {
				fmt.Fprintf(c.App.ErrWriter, "note: %d training words; on treebanks this small the defaults stop early, "+
					"--epochs 150 --patience 15 --lr-decay -1 --dropout 0.5 does better (BENCHMARKS.md, Russian)\n", n)
			}
			var opts []tagger.Option
			lang, err := languageCode(c, "tag train")
			if err != nil {
				return err
			}
			if lang != "" {
				opts = append(opts, tagger.WithLanguage(lang))
			}
			if p := c.String("init"); p != "" {
				// The model's shape and vectors come with it: flags asking for
				// another would be silently ignored, so they are refused.
				for _, f := range []string{"vectors", "cell", "hidden", "layers", "word-dim", "char-hidden", "no-chars", "cased-words", "cased-vectors", "fine-tune", "pretrained-n"} {
					if c.IsSet(f) {
						return fmt.Errorf("tag train: --%s cannot be combined with --init: the model's shape and vectors are those of %s", f, p)
					}
				}
				init, err := tagger.Load(p)
				if err != nil {
					return fmt.Errorf("tag train: --init: %w", err)
				}
				opts = append(opts, tagger.WithInit(init))
			}
			var vecs *embed.Vectors
			if p := c.String("vectors"); p != "" {
				if vecs, err = embed.Load(p); err != nil {
					return err
				}
			}
			if paths := c.StringSlice("teacher"); len(paths) > 0 {
				ens, err := loadEnsemble(paths)
				if err != nil {
					return fmt.Errorf("tag train: --teacher: %w", err)
				}
				opts = append(opts, tagger.WithTeacher(ens))
			}
			var unlabelled [][]string
			if p := c.String("unlabelled"); p != "" {
				if len(c.StringSlice("teacher")) == 0 {
					return fmt.Errorf("tag train: --unlabelled needs --teacher: the teacher's probabilities are that text's targets")
				}
				format := c.String("unlabelled-input")
				if err := (pipeline.ReadConfig{Format: format}).Validate(); err != nil {
					return fmt.Errorf("tag train: --unlabelled-input: %w", err)
				}
				if unlabelled, err = readSentencesFile(p, format, maxLen); err != nil {
					return fmt.Errorf("tag train: --unlabelled: %w", err)
				}
				opts = append(opts, tagger.WithUnlabelled(unlabelled))
			}
			if paths := c.StringSlice("teacher"); len(paths) > 0 {
				fmt.Fprintf(c.App.ErrWriter, "teacher: %d model(s) tagging %d training sentences (%d of them unlabelled)\n",
					len(paths), train.Len()+len(unlabelled), len(unlabelled))
			}
			out, ckpt := c.String("out"), c.String("out")+".ckpt"
			run := tagRunOptions(c, train.Words()+tagger.Data{Forms: unlabelled}.Words(), dev.XPOSTokens())
			run.Out, run.Checkpoint, run.Resume = out, ckpt, c.Bool("resume")
			opts = append(opts, tagger.WithTraining(run))
			ctx := commandContext(c)
			_, rep, err := tagger.Train(ctx, cfg, train, dev, vecs, opts...)
			if err != nil {
				return err
			}
			if err := plotTraining(c, "tagger", rep.Evals); err != nil {
				return err
			}
			best := rep.Best()
			if rep.Stopped == "canceled" {
				what := ""
				if best != nil {
					what = fmt.Sprintf("epoch %d, %s", best.Epoch, devScores(*best, rep.DevXPOSTokens))
				}
				return interrupted("tag train", out, ckpt, what)
			}
			if c.Bool("json") {
				return json.NewEncoder(c.App.Writer).Encode(rep)
			}
			if rep.BestEpoch == 0 {
				fmt.Fprintf(c.App.Writer, "%s: no epoch beat the initial model, kept: %s\n", out, devScores(*best, rep.DevXPOSTokens))
				return nil
			}
			fmt.Fprintf(c.App.Writer, "%s: best epoch %d, %s\n", out, rep.BestEpoch, devScores(*best, rep.DevXPOSTokens))
			return nil
		},
	}
}

// tagRunOptions makes the training loop's callbacks for tag train: a
// progress bar per epoch (unless --quiet) over the epoch's words, and one line
// per evaluation (loss, dev accuracies, time, speed) on stderr, as the tagger
// printed them before the loop existed. xposTokens counts the dev words with
// a gold XPOS: without any, the XPOS accuracy is not shown.
func tagRunOptions(c *cli.Context, words, xposTokens int) train.Options {
	log := c.App.ErrWriter
	bar := &trainBar{unit: "words",
		size: func(p train.Progress) (int64, int64) { return int64(words), int64(p.Items) },
		note: func(p train.Progress) string { return fmt.Sprintf("loss %.3f", p.Loss) }}
	if !c.Bool("quiet") {
		bar.w = log
	}
	return train.Options{Progress: bar.update, Evaluated: func(e train.Eval) {
		bar.finish()
		logEval(log, e, xposTokens)
	}}
}

// logEval writes the line of one evaluation of a tagger training.
func logEval(w io.Writer, e train.Eval, xposTokens int) {
	if e.Epoch == 0 {
		fmt.Fprintf(w, "initial model: %s\n", devScores(e, xposTokens))
		return
	}
	fmt.Fprintf(w, "epoch %d: loss %.4f, %s, %.1fs (%.0f words/s)\n", e.Epoch, e.Loss, devScores(e, xposTokens), e.Seconds, e.ItemsPerSecond)
}

// devScores gives the dev accuracies of an evaluation of a tagger training;
// a dev set without XPOS (xposTokens 0) has no XPOS accuracy to give.
func devScores(e train.Eval, xposTokens int) string {
	if xposTokens == 0 {
		return fmt.Sprintf("dev UPOS %.2f%% XPOS not annotated", 100*e.Metrics[tagger.MetricUPOS])
	}
	return fmt.Sprintf("dev UPOS %.2f%% XPOS %.2f%%", 100*e.Metrics[tagger.MetricUPOS], 100*e.Metrics[tagger.MetricXPOS])
}

func tagEvalCommand() *cli.Command {
	return &cli.Command{
		Name:      "eval",
		Usage:     "tag a gold CoNLL-U file and score the result",
		ArgsUsage: "GOLD",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "model", Aliases: []string{"m"}, Usage: "tagger model file; several score as an ensemble", DefaultText: "the embedded one"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON (keys tokens, upos, xpos, oov_tokens, oov_upos, per_tag, confusions, upos_matrix)"},
			plotFlag("the UPOS confusion matrix"),
			maxLineFlag(),
		},
		Action: func(c *cli.Context) error {
			args, err := positionalArgs(c, "tag eval")
			if err != nil {
				return err
			}
			if len(args) != 1 {
				return fmt.Errorf("tag eval: want one GOLD file, got %d arguments", len(args))
			}
			maxLen, err := maxLine(c, "tag eval")
			if err != nil {
				return err
			}
			gold, err := tagger.ReadCoNLLUFileMax(args[0], maxLen)
			if err != nil {
				return err
			}
			m, err := loadTagging(c.StringSlice("model"))
			if err != nil {
				return err
			}
			ev := m.Evaluate(gold)
			if ev.Tokens == 0 {
				return fmt.Errorf("tag eval: %s: no tokens to evaluate", args[0])
			}
			tags := make([]string, len(ev.PerTag))
			for i, ts := range ev.PerTag {
				tags[i] = ts.Tag
			}
			if err := plotConfusion(c, "UPOS, "+filepath.Base(args[0]), tags, ev.Matrix); err != nil {
				return err
			}
			w := c.App.Writer
			if c.Bool("json") {
				return json.NewEncoder(w).Encode(ev)
			}
			// A treebank without XPOS ("_" throughout) has no XPOS accuracy to give.
			xpos, oovXPOS := "XPOS not annotated", "XPOS not annotated"
			if ev.XPOSTokens > 0 {
				xpos, oovXPOS = fmt.Sprintf("XPOS %.2f%%", 100*ev.XPOS), fmt.Sprintf("XPOS %.2f%%", 100*ev.OOVXPOS)
			}
			fmt.Fprintf(w, "tokens %d: UPOS %.2f%%, %s\n", ev.Tokens, 100*ev.UPOS, xpos)
			fmt.Fprintf(w, "unseen in training %d (%.1f%%): UPOS %.2f%%, %s\n\n",
				ev.OOVTokens, 100*float64(ev.OOVTokens)/float64(max(ev.Tokens, 1)), 100*ev.OOVUPOS, oovXPOS)
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "UPOS\tgold\tprecision\trecall\tF1\t")
			for _, s := range ev.PerTag {
				fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%.2f\t\n", s.Tag, s.Gold, 100*s.Precision, 100*s.Recall, 100*s.F1)
			}
			tw.Flush()
			fmt.Fprintln(w, "\nmost frequent confusions (gold → predicted):")
			for _, cf := range ev.Confusions[:min(10, len(ev.Confusions))] {
				fmt.Fprintf(w, "  %-6s → %-6s %d\n", cf.Gold, cf.Predicted, cf.Count)
			}
			return nil
		},
	}
}

// smallTreebank is the training size, in words, under which tag train
// suggests the small-treebank recipe: the defaults were set on EWT (205k
// words) and underfit Russian GSD and Taiga (9k and 12k words) by 5–7 points.
const smallTreebank = 50000

// readTreebanks reads CoNLL-U files into one data set, in order, lines of up
// to maxLine bytes.
func readTreebanks(paths []string, maxLine int) (tagger.Data, error) {
	var all tagger.Data
	for _, p := range paths {
		d, err := tagger.ReadCoNLLUFileMax(p, maxLine)
		if err != nil {
			return tagger.Data{}, err
		}
		all = all.Append(d)
	}
	return all, nil
}

// readSentencesFile reads the words of every sentence of a file in any format
// nlp tag reads (format "auto" detects it), split as nlp tag splits it, lines
// of up to maxLine bytes.
func readSentencesFile(path, format string, maxLine int) ([][]string, error) {
	cfg := pipeline.ReadConfig{Format: format, Name: path, MaxLine: maxLine}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	f, err := fileutil.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := pipeline.NewReader(f, cfg)
	if errors.Is(err, datasets.ErrAmbiguousFormat) {
		// The reader names --input; this command's flag for it is another.
		return nil, fmt.Errorf("%w (here the flag is --unlabelled-input)", err)
	}
	if err != nil {
		return nil, err
	}
	var sents [][]string
	collect := pipeline.SinkFunc[*pipeline.Document](func(d *pipeline.Document) error {
		for _, s := range d.Sentences {
			if len(s.Tokens) == 0 {
				continue
			}
			forms := make([]string, len(s.Tokens))
			for i, t := range s.Tokens {
				forms[i] = t.Form
			}
			sents = append(sents, forms)
		}
		return nil
	})
	if err := pipeline.Run(context.Background(), src, pipeline.Segment(tagSegment), collect, pipeline.Config{}); err != nil {
		return nil, err
	}
	if len(sents) == 0 {
		return nil, fmt.Errorf("%s holds no sentence", path)
	}
	return sents, nil
}
