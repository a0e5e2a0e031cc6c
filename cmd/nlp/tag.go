package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/datasets"
	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/tagger"
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
			&cli.StringFlag{Name: "format", Value: tagger.OutputCoNLLU, Usage: "output: conllu, tsv or json"},
			&cli.StringFlag{Name: "input", Value: "auto", Usage: "input: auto, conllu, conll, text or tokens"},
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
	TagStream(r io.Reader, w io.Writer, cfg tagger.StreamConfig) (tagger.StreamStats, error)
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
	return tagger.LoadBytes(data)
}

func tagAction(c *cli.Context) error {
	args, err := positionalArgs(c, "tag")
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return fmt.Errorf("tag: want one FILE (or - for stdin), got %d arguments", len(args))
	}
	in, err := datasets.ParseFormat(c.String("input"))
	if err != nil {
		return fmt.Errorf("tag: --input: %w", err)
	}
	m, err := loadTagging(c.StringSlice("model"))
	if err != nil {
		return err
	}
	name := args[0]
	var r io.Reader = os.Stdin
	if name == "-" {
		name = "stdin"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	_, err = m.TagStream(r, c.App.Writer, tagger.StreamConfig{Input: in, Output: c.String("format"), Name: name})
	return err
}

func tagTrainCommand() *cli.Command {
	return &cli.Command{
		Name:  "train",
		Usage: "train a tagger on a CoNLL-U treebank (any UD language)",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "train", Required: true, Usage: "training CoNLL-U file (several: trained on together; an XPOS of \"_\" where others have one is \"not annotated\")"},
			&cli.StringSliceFlag{Name: "dev", Required: true, Usage: "development CoNLL-U file(s) (early stopping)"},
			&cli.StringFlag{Name: "vectors", Usage: "word2vec vectors (text or binary); none: no pretrained vectors"},
			&cli.StringFlag{Name: "out", Required: true, Usage: "model file to write (and OUT.ckpt, the checkpoint)"},
			&cli.BoolFlag{Name: "resume", Usage: "continue from OUT.ckpt if it exists (with a larger --epochs, a finished run goes on)"},
			&cli.StringFlag{Name: "init", Usage: "start from this model's weights, shape and vocabularies (fine-tuning; it is scored first and kept if no epoch beats it)"},
			&cli.StringFlag{Name: "cell", Value: "lstm", Usage: "sentence encoder cell: lstm, gru, peephole, nig, rnn"},
			&cli.IntFlag{Name: "hidden", Usage: "sentence BiLSTM width per direction", DefaultText: "128"},
			&cli.IntFlag{Name: "layers", Usage: "sentence layers", DefaultText: "1"},
			&cli.IntFlag{Name: "word-dim", Usage: "trainable word vector width", DefaultText: "64"},
			&cli.IntFlag{Name: "char-hidden", Usage: "character BiLSTM width per direction", DefaultText: "64"},
			&cli.BoolFlag{Name: "no-chars", Usage: "no character model (ablation)"},
			&cli.BoolFlag{Name: "cased-words", Usage: "trainable word vectors for forms as written, not lower-cased"},
			&cli.BoolFlag{Name: "cased-vectors", Usage: "the --vectors keep case (nlp datasets corpus --cased): look words up as written first"},
			&cli.BoolFlag{Name: "fine-tune", Usage: "update the pretrained vectors too"},
			&cli.IntFlag{Name: "pretrained-n", Usage: "most frequent pretrained words kept besides the training words", DefaultText: "20000"},
			&cli.Float64Flag{Name: "dropout", Usage: "dropout (negative: none)", DefaultText: "0.33"},
			&cli.Float64Flag{Name: "lr", Usage: "Adam learning rate", DefaultText: "0.002"},
			&cli.Float64Flag{Name: "lr-decay", Usage: "learning-rate factor after an epoch without dev improvement (negative: none)", DefaultText: "0.5"},
			&cli.Float64Flag{Name: "average", Usage: "score and keep a moving average of the weights with this decay per step, e.g. 0.999", DefaultText: "none"},
			&cli.IntFlag{Name: "batch-size", Usage: "sentences per batch", DefaultText: "32"},
			&cli.IntFlag{Name: "epochs", Usage: "at most this many epochs", DefaultText: "30"},
			&cli.IntFlag{Name: "patience", Usage: "stop after this many epochs without dev improvement", DefaultText: "4"},
			&cli.StringSliceFlag{Name: "teacher", Usage: "tagger model(s) whose mean probabilities the training also learns from (knowledge distillation; repeat or comma-separate)"},
			&cli.StringFlag{Name: "unlabelled", Usage: "with --teacher, untagged text (plain, one tokenized sentence a line, or CoNLL-U) learnt from the teacher's probabilities alone"},
			&cli.StringFlag{Name: "unlabelled-input", Value: "auto", Usage: "format of --unlabelled: auto, conllu, conll, text or tokens"},
			&cli.Float64Flag{Name: "distill", Usage: "with --teacher, the weight of the teacher's probabilities against the gold tags", DefaultText: "0.5"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random seed"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar"},
			&cli.BoolFlag{Name: "json", Usage: "print the training report as JSON"},
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
			train, err := readTreebanks(c.StringSlice("train"))
			if err != nil {
				return err
			}
			dev, err := readTreebanks(c.StringSlice("dev"))
			if err != nil {
				return err
			}
			if n := train.Words(); n < smallTreebank && !c.IsSet("lr-decay") && !c.IsSet("init") {
				fmt.Fprintf(c.App.ErrWriter, "note: %d training words; on treebanks this small the defaults stop early, "+
					"--epochs 150 --patience 15 --lr-decay -1 --dropout 0.5 does better (BENCHMARKS.md, Russian)\n", n)
			}
			opts := []tagger.Option{tagger.WithOutput(c.String("out"), c.Bool("resume")), tagger.WithLog(c.App.ErrWriter)}
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
			if p := c.String("unlabelled"); p != "" {
				if len(c.StringSlice("teacher")) == 0 {
					return fmt.Errorf("tag train: --unlabelled needs --teacher: the teacher's probabilities are that text's targets")
				}
				format, err := datasets.ParseFormat(c.String("unlabelled-input"))
				if err != nil {
					return fmt.Errorf("tag train: --unlabelled-input: %w", err)
				}
				sents, err := readSentencesFile(p, format)
				if err != nil {
					return fmt.Errorf("tag train: --unlabelled: %w", err)
				}
				opts = append(opts, tagger.WithUnlabelled(sents))
			}
			if !c.Bool("quiet") {
				opts = append(opts, tagger.WithProgress(c.App.ErrWriter))
			}
			_, rep, err := tagger.Train(cfg, train, dev, vecs, opts...)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return json.NewEncoder(c.App.Writer).Encode(rep)
			}
			scores := func(upos, xpos float64) string {
				if rep.DevXPOSTokens == 0 {
					return fmt.Sprintf("dev UPOS %.2f%%, XPOS not annotated", 100*upos)
				}
				return fmt.Sprintf("dev UPOS %.2f%% XPOS %.2f%%", 100*upos, 100*xpos)
			}
			if rep.BestEpoch == 0 {
				fmt.Fprintf(c.App.Writer, "%s: no epoch beat the initial model, kept: %s\n", c.String("out"), scores(rep.InitUPOS, rep.InitXPOS))
				return nil
			}
			best := rep.Epochs[rep.BestEpoch-1]
			fmt.Fprintf(c.App.Writer, "%s: best epoch %d, %s\n", c.String("out"), rep.BestEpoch, scores(best.DevUPOS, best.DevXPOS))
			return nil
		},
	}
}

func tagEvalCommand() *cli.Command {
	return &cli.Command{
		Name:      "eval",
		Usage:     "tag a gold CoNLL-U file and score the result",
		ArgsUsage: "GOLD",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "model", Aliases: []string{"m"}, Usage: "tagger model file; several score as an ensemble", DefaultText: "the embedded one"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON (keys tokens, upos, xpos, oov_tokens, oov_upos, per_tag, confusions)"},
		},
		Action: func(c *cli.Context) error {
			args, err := positionalArgs(c, "tag eval")
			if err != nil {
				return err
			}
			if len(args) != 1 {
				return fmt.Errorf("tag eval: want one GOLD file, got %d arguments", len(args))
			}
			gold, err := tagger.ReadCoNLLUFile(args[0])
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

// readTreebanks reads CoNLL-U files into one data set, in order.
func readTreebanks(paths []string) (tagger.Data, error) {
	var all tagger.Data
	for _, p := range paths {
		d, err := tagger.ReadCoNLLUFile(p)
		if err != nil {
			return tagger.Data{}, err
		}
		all = all.Append(d)
	}
	return all, nil
}

// readSentencesFile reads the words of every sentence of a file in any format
// nlp tag reads.
func readSentencesFile(path string, format datasets.Format) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sents, err := tagger.ReadSentences(f, path, format)
	if err != nil {
		return nil, err
	}
	if len(sents) == 0 {
		return nil, fmt.Errorf("%s holds no sentence", path)
	}
	return sents, nil
}
