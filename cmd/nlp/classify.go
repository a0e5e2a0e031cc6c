package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/classify"
	"github.com/nlp-go/nlp/datasets"
	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/internal/linescan"
	"github.com/nlp-go/nlp/models"
	"github.com/nlp-go/nlp/nn"
	"github.com/nlp-go/nlp/train"
)

func init() {
	register(&cli.Command{
		Name:      "classify",
		Usage:     "classify sentences (sentiment by default): nlp classify [--model M] [TEXT ...|-]",
		ArgsUsage: "[TEXT ...] (- reads one text a line from stdin)",
		Description: "Prints the label and its probability for each text. With no --model it uses the embedded\n" +
			"binary sentiment model (a GRU on word2vec vectors trained on SST-2's phrases; make model-classifier);\n" +
			"--model builtin:sst5 the five-class one (make model-classifier-sst5).\n" +
			"Subcommands train and evaluate models.",
		Flags: []cli.Flag{
			classifyModelFlag,
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output format: text or json (one object a line, every class's probability)"},
			maxLineFlag(),
		},
		Subcommands: []*cli.Command{classifyTrainCmd(), classifyEvalCmd()},
		Action:      classifyAction,
	})
}

// The names of the built-in models for --model: SST-2 (the default) and
// SST-5.
const (
	builtinSST2 = "builtin:sst2"
	builtinSST5 = "builtin:sst5"
)

var classifyModelFlag = &cli.StringFlag{Name: "model", Aliases: []string{"m"},
	Usage: "model file, or " + builtinSST2 + " (the built-in binary sentiment model, the default) or " + builtinSST5 + " (five classes, very-negative .. very-positive)"}

// classifyModel loads --model: a file, or a built-in model.
func classifyModel(c *cli.Context) (*classify.Model, error) {
	switch p := c.String("model"); p {
	case "", builtinSST2:
		return models.Classifier()
	case builtinSST5:
		return models.ClassifierSST5()
	default:
		return classify.Load(p)
	}
}

func classifyAction(c *cli.Context) error {
	args, err := positionalArgs(c, "classify")
	if err != nil {
		return err
	}
	format := c.String("format")
	if format != "text" && format != "json" {
		return fmt.Errorf("classify: --format must be text or json, got %q", format)
	}
	if len(args) == 0 {
		return fmt.Errorf("classify: no text given (pass TEXT arguments, or - to read lines from stdin)")
	}
	maxLen, err := maxLine(c, "classify")
	if err != nil {
		return err
	}
	m, err := classifyModel(c)
	if err != nil {
		return err
	}
	check := newScriptCheck("classify", c.App.ErrWriter, langModel{"classifier", m.Language})
	w := bufio.NewWriter(c.App.Writer)
	names := m.Names()
	// Lines are classified and written a batch at a time (classifyChunk lines
	// or classifyChunkBytes bytes, whichever comes first), so that stdin streams
	// through memory bounded by the batch and each batch's answers go out
	// before the next is read.
	var texts []string
	size, done := 0, 0 // bytes of texts; texts answered before them
	var toks [][]string
	var order []int
	preds := []classify.Prediction{}
	flush := func() error {
		// Tokenized and sorted by length, then classified in groups of at most
		// classifyRows words once padded: the network's buffers grow to the
		// largest group, so this bounds them whatever the lines.
		toks, order, preds = toks[:0], order[:0], preds[:0]
		for i, t := range texts {
			toks = append(toks, m.Tokens(t))
			order = append(order, i)
			preds = append(preds, classify.Prediction{})
		}
		slices.SortStableFunc(order, func(a, b int) int { return len(toks[a]) - len(toks[b]) })
		var group [][]string
		for lo := 0; lo < len(order); {
			hi := lo + 1
			for hi < len(order) && (hi-lo+1)*len(toks[order[hi]]) <= classifyRows {
				hi++
			}
			group = group[:0]
			for _, i := range order[lo:hi] {
				group = append(group, toks[i])
			}
			for k, p := range m.PredictTokens(group) {
				preds[order[lo+k]] = p
			}
			lo = hi
		}
		clear(toks)
		for i, p := range preds {
			if format == "json" {
				probs := make(map[string]float64, len(names))
				for k, name := range names {
					probs[name] = p.Probs[k]
				}
				js, err := json.Marshal(struct {
					Text  string             `json:"text"`
					Label string             `json:"label"`
					Prob  float64            `json:"probability"`
					Probs map[string]float64 `json:"probabilities"`
				}{texts[i], p.Label, p.Prob, probs})
				if err != nil {
					return fmt.Errorf("classify: text %d: %w", done+i+1, err)
				}
				if _, err := fmt.Fprintf(w, "%s\n", js); err != nil {
					return fmt.Errorf("classify: write output: %w", err)
				}
				continue
			}
			if _, err := fmt.Fprintf(w, "%s\t%.3f\t%s\n", p.Label, p.Prob, texts[i]); err != nil {
				return fmt.Errorf("classify: write output: %w", err)
			}
		}
		done += len(texts)
		clear(texts)
		texts, size = texts[:0], 0
		if err := w.Flush(); err != nil {
			return fmt.Errorf("classify: write output: %w", err)
		}
		return nil
	}
	add := func(text string) error {
		check.add(text)
		texts = append(texts, text)
		size += len(text)
		if len(texts) >= classifyChunk || size >= classifyChunkBytes {
			return flush()
		}
		return nil
	}
	for _, a := range args {
		if a != "-" {
			if err := add(a); err != nil {
				return err
			}
			continue
		}
		in, _, _, err := openInput(c, "-")
		if err != nil {
			return fmt.Errorf("classify: %w", err)
		}
		// linescan: invalid UTF-8 and NUL bytes are errors with their line, as
		// in every reader, rather than text classified as something.
		sc := linescan.New(in, maxLen)
		for sc.Scan() {
			if line := sc.Text(); strings.TrimSpace(line) != "" {
				if err := add(line); err != nil {
					return err
				}
			}
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("classify: stdin: %w", err)
		}
	}
	check.done()
	return flush()
}

// Limits of nlp classify (the longest line read from stdin is --max-line): the batch of
// lines classified and written before more are read (at most classifyChunk
// lines and about classifyChunkBytes bytes; a longer line goes alone).
const (
	classifyChunk      = 4096
	classifyChunkBytes = 1 << 20
	// classifyRows bounds the words (once padded) classified together: two
	// batches of 128 sentences of 16 words, one for each of the classifier's
	// two workers.
	classifyRows = 4096
)

// The input flags of classify train and eval: the labelled-line format, or
// the sentiment treebank's trees and which of their views.
var (
	classifyInputFlag  = &cli.StringFlag{Name: "input", Value: "labelled", Usage: "file format: labelled (LABEL text lines) or trees (the sentiment treebank's PTB trees, SST-5 labels 0..4)"}
	classifyBinaryFlag = &cli.BoolFlag{Name: "binary", Usage: "with --input trees: SST-2's two classes (0-1 as 0, 3-4 as 1, neutral 2 dropped)"}
)

// classifyReader returns the reader --input asks for: labelled lines, or
// trees (their sentences, or every distinct phrase when phrases is set; PTB
// escapes undone, so that "-LRB-" reads as the word2vec corpus's "(").
func classifyReader(c *cli.Context, cmd string) (func(path string, phrases bool, maxLine int) ([]classify.Example, error), error) {
	trees := false
	switch in := c.String("input"); in {
	case "labelled":
	case "trees":
		trees = true
	default:
		return nil, fmt.Errorf("%s: --input must be labelled or trees, got %q", cmd, in)
	}
	if !trees && (c.Bool("phrases") || c.Bool("binary")) {
		return nil, fmt.Errorf("%s: --phrases and --binary need --input trees", cmd)
	}
	return func(path string, phrases bool, maxLine int) ([]classify.Example, error) {
		if !trees {
			return classify.ReadFileMax(path, maxLine)
		}
		return classify.ReadTreeFile(path, datasets.TreeView{Phrases: phrases, Binary: c.Bool("binary")}, maxLine)
	}, nil
}

func classifyTrainCmd() *cli.Command {
	// The defaults shown are those classify.Train applies to the zero values the
	// flags leave; def is without --vectors (random init), withVec with them.
	def := classify.Config{}.WithDefaults()
	withVec := classify.Config{Init: classify.InitWord2Vec}.WithDefaults()
	return &cli.Command{
		Name:  "train",
		Usage: "train a classifier: --train F --dev F [--vectors V] [--cell lstm] [--bidirectional] --out M",
		Description: "Reads labelled files (\"LABEL text\" or \"text<TAB>label\"; .gz allowed) or, with --input trees, the\n" +
			"Stanford Sentiment Treebank's trees (labels 0..4 on every node: five classes, or two with --binary;\n" +
			"every phrase with --phrases, the sentences otherwise), trains with Adam and\n" +
			"early stopping on dev accuracy, checkpoints to OUT.ckpt after every epoch (--resume continues\n" +
			"from it) and writes the best epoch's model to --out. Without --dev, --dev-split holds out a\n" +
			"fraction of the training file (shuffled with --split-seed).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "train", Usage: "training file", Required: true},
			&cli.StringFlag{Name: "dev", Usage: "development file (early stopping)"},
			classifyInputFlag,
			&cli.BoolFlag{Name: "phrases", Usage: "with --input trees: train on every distinct phrase of the training trees (dev: sentences)"},
			classifyBinaryFlag,
			&cli.Float64Flag{Name: "dev-split", Usage: "without --dev: hold out this fraction of --train as dev (IMDB: 0.1)"},
			maxLineFlag(),
			&cli.Uint64Flag{Name: "split-seed", Value: cliSeed, Usage: "seed of the --dev-split shuffle"},
			&cli.StringFlag{Name: "vectors", Usage: "word2vec vectors (text or binary) to initialise the embeddings"},
			&cli.StringFlag{Name: "out", Usage: "model file to write", Required: true},
			languageFlag(),
			&cli.StringFlag{Name: "cell", Value: def.Cell, Usage: "recurrent cell (" + strings.Join(nn.CellNames(), ", ") + ")"},
			&cli.IntFlag{Name: "hidden", Usage: "hidden width per direction", DefaultText: fmt.Sprint(def.Hidden)},
			&cli.IntFlag{Name: "layers", Usage: "stacked layers", DefaultText: fmt.Sprint(def.Layers)},
			&cli.BoolFlag{Name: "bidirectional", Usage: "bidirectional layers (pooling defaults to max over time)"},
			&cli.StringFlag{Name: "pool", Usage: "last or max", DefaultText: def.Pool + ", " + classify.Config{Bidirectional: true}.WithDefaults().Pool + " when bidirectional"},
			&cli.StringFlag{Name: "init", Usage: "word2vec or random", DefaultText: def.Init + ", " + withVec.Init + " with --vectors"},
			&cli.IntFlag{Name: "dim", Usage: "embedding width with random init", DefaultText: fmt.Sprint(def.Dim)},
			&cli.Float64Flag{Name: "decay", Usage: "multiply the learning rates by this after an epoch without dev improvement; 1: none", DefaultText: fmt.Sprint(def.Decay)},
			&cli.BoolFlag{Name: "freeze", Usage: "keep the embeddings fixed"},
			&cli.IntFlag{Name: "freeze-epochs", Usage: "keep the embeddings fixed for the first N epochs"},
			&cli.IntFlag{Name: "epochs", Usage: "epochs at most", DefaultText: fmt.Sprint(def.Epochs)},
			&cli.IntFlag{Name: "patience", Usage: "stop after N epochs without a better dev accuracy; -1: never", DefaultText: fmt.Sprint(def.Patience)},
			&cli.IntFlag{Name: "batch", Usage: "batch size", DefaultText: fmt.Sprint(def.BatchSize)},
			&cli.Float64Flag{Name: "lr", Usage: "Adam learning rate", DefaultText: fmt.Sprint(def.LR)},
			&cli.Float64Flag{Name: "embed-lr", Usage: "learning rate of the embeddings", DefaultText: fmt.Sprintf("--lr, --lr/%v with word2vec", withVec.LR/withVec.EmbedLR)},
			&cli.Float64Flag{Name: "dropout", Usage: "dropout before the output layer; -1: none", DefaultText: fmt.Sprint(def.Dropout)},
			&cli.Float64Flag{Name: "embed-dropout", Usage: "dropout on the word vectors; -1: none", DefaultText: fmt.Sprint(def.EmbedDropout)},
			&cli.Float64Flag{Name: "clip", Usage: "gradient norm clipping; -1: none", DefaultText: fmt.Sprint(def.Clip)},
			&cli.Float64Flag{Name: "weight-decay", Usage: "L2 weight decay of the network", DefaultText: fmt.Sprint(def.WeightDecay)},
			&cli.IntFlag{Name: "max-len", Usage: "longest input in tokens, longer ones keep head and tail", DefaultText: fmt.Sprint(def.MaxLen)},
			&cli.IntFlag{Name: "max-vocab", Usage: "stored vocabulary size", DefaultText: fmt.Sprint(def.MaxVocab)},
			&cli.IntFlag{Name: "min-count", Usage: "training words seen fewer times are not stored", DefaultText: fmt.Sprint(def.MinCount)},
			&cli.StringFlag{Name: "label-names", Usage: "display names of the classes, comma-separated in label order (e.g. negative,positive)"},
			&cli.Uint64Flag{Name: "seed", Value: cliSeed, Usage: "random seed"},
			&cli.BoolFlag{Name: "resume", Usage: "continue from OUT.ckpt when it exists"},
			&cli.BoolFlag{Name: "json", Usage: "print the training report as JSON"},
			plotFlag("the training loss and the dev scores of every evaluation"),
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar (the one-line summary of each epoch is still printed)"},
		},
		Action: classifyTrain,
	}
}

func classifyTrain(c *cli.Context) error {
	args, err := positionalArgs(c, "classify train")
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return fmt.Errorf("classify train: unexpected argument %q", args[0])
	}
	cfg := classify.Config{
		Cell: c.String("cell"), Hidden: c.Int("hidden"), Layers: c.Int("layers"),
		Bidirectional: c.Bool("bidirectional"), Pool: c.String("pool"), Init: c.String("init"), Dim: c.Int("dim"),
		Freeze: c.Bool("freeze"), FreezeEpochs: c.Int("freeze-epochs"), Epochs: c.Int("epochs"), Patience: c.Int("patience"),
		BatchSize: c.Int("batch"), LR: c.Float64("lr"), Decay: c.Float64("decay"), EmbedLR: c.Float64("embed-lr"), Dropout: c.Float64("dropout"),
		EmbedDropout: c.Float64("embed-dropout"), Clip: c.Float64("clip"), WeightDecay: c.Float64("weight-decay"),
		MaxLen: c.Int("max-len"), MaxVocab: c.Int("max-vocab"), MinCount: c.Int("min-count"), Seed: c.Uint64("seed"),
	}
	if s := c.String("label-names"); s != "" {
		cfg.LabelNames = splitList(s)
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("classify train: %w", err)
	}
	maxLen, err := maxLine(c, "classify train")
	if err != nil {
		return err
	}
	read, err := classifyReader(c, "classify train")
	if err != nil {
		return err
	}
	trainSet, err := read(c.String("train"), c.Bool("phrases"), maxLen)
	if err != nil {
		return err
	}
	var dev []classify.Example
	switch {
	case c.String("dev") != "":
		if dev, err = read(c.String("dev"), false, maxLen); err != nil {
			return err
		}
	case c.Float64("dev-split") != 0:
		f := c.Float64("dev-split")
		if !(f > 0 && f < 1) {
			return fmt.Errorf("classify train: --dev-split must be in (0, 1), got %v", f)
		}
		trainSet, dev = classify.Split(trainSet, f, c.Uint64("split-seed"))
	}
	var vectors *embed.Vectors
	if p := c.String("vectors"); p != "" {
		if vectors, err = embed.Load(p); err != nil {
			return fmt.Errorf("classify train: --vectors: %w", err)
		}
	}
	out := c.String("out")
	bar := &trainBar{note: func(p train.Progress) string {
		dev := "-"
		if p.Best != nil && p.Best.Scored {
			dev = fmt.Sprintf("%.2f%%", 100*p.Best.Score)
		}
		return fmt.Sprintf("loss %.4f, best dev %s", p.Loss, dev)
	}}
	if !c.Bool("quiet") {
		bar.w = c.App.ErrWriter
	}
	logEpoch := func(e train.Eval) {
		bar.finish()
		dev, mark := "-", ""
		if e.Scored {
			dev = fmt.Sprintf("%.2f%%", 100*e.Metrics["accuracy"])
		}
		if e.Best && e.Scored {
			mark = " *"
		}
		fmt.Fprintf(c.App.ErrWriter, "epoch %d: loss %.4f, %.1f s, %.0f sentences/s, dev accuracy %s%s\n",
			e.Epoch, e.Loss, e.Seconds, e.ItemsPerSecond, dev, mark)
	}
	lang, err := languageCode(c, "classify train")
	if err != nil {
		return err
	}
	ctx := commandContext(c)
	m, rep, err := classify.Train(ctx, cfg, trainSet, dev, vectors, classify.WithTraining(train.Options{
		Checkpoint: out + ".ckpt", Resume: c.Bool("resume"), Out: out, Progress: bar.update, Evaluated: logEpoch}),
		classify.WithLanguage(lang))
	bar.finish()
	if err != nil {
		return err
	}
	if err := plotTraining(c, "classifier", rep.Evals); err != nil {
		return err
	}
	// The file holds the best weights already; written again, it holds them
	// rounded as the returned model is (the same bytes) even when no epoch was
	// evaluated.
	if err := m.Save(out); err != nil {
		return err
	}
	if rep.Stopped == "canceled" {
		best := ""
		if b := rep.Best(); b != nil {
			best = fmt.Sprintf("epoch %d", b.Epoch)
		}
		return interrupted("classify train", out, out+".ckpt", best)
	}
	if c.Bool("json") {
		return json.NewEncoder(c.App.Writer).Encode(rep)
	}
	fmt.Fprintf(c.App.Writer, "%s: %d classes %v, vocabulary %d (%d from vectors), best epoch %d of %d, dev accuracy %.2f%%\n",
		out, len(m.Labels), m.Labels, rep.Vocab, rep.Pretrained, rep.BestEpoch, rep.Epochs, 100*rep.BestDev)
	return nil
}

func classifyEvalCmd() *cli.Command {
	return &cli.Command{
		Name:      "eval",
		Usage:     "score a model on a labelled file: accuracy, macro-F1, per-class P/R/F1, confusion matrix",
		ArgsUsage: "FILE",
		Flags: []cli.Flag{
			classifyModelFlag,
			classifyInputFlag,
			classifyBinaryFlag,
			&cli.BoolFlag{Name: "json", Usage: "print JSON (keys examples, accuracy, macro_f1, per_class, confusion)"},
			plotFlag("the confusion matrix"),
			maxLineFlag(),
		},
		Action: func(c *cli.Context) error {
			args, err := positionalArgs(c, "classify eval")
			if err != nil {
				return err
			}
			if len(args) != 1 {
				return fmt.Errorf("classify eval: want one FILE, got %d arguments", len(args))
			}
			m, err := classifyModel(c)
			if err != nil {
				return err
			}
			maxLen, err := maxLine(c, "classify eval")
			if err != nil {
				return err
			}
			read, err := classifyReader(c, "classify eval")
			if err != nil {
				return err
			}
			ex, err := read(args[0], false, maxLen)
			if err != nil {
				return err
			}
			ev, err := m.Evaluate(ex)
			if err != nil {
				return fmt.Errorf("classify eval: %s: %w", args[0], err)
			}
			if err := plotConfusion(c, filepath.Base(args[0]), ev.Labels, ev.Confusion); err != nil {
				return err
			}
			if c.Bool("json") {
				return json.NewEncoder(c.App.Writer).Encode(ev)
			}
			w := c.App.Writer
			fmt.Fprintf(w, "examples  %d\naccuracy  %.2f%%\nmacro-F1  %.2f%%\n\n", ev.Examples, 100*ev.Accuracy, 100*ev.MacroF1)
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "class\tprecision\trecall\tF1\tsupport\t")
			for _, s := range ev.PerClass {
				fmt.Fprintf(tw, "%s\t%.2f%%\t%.2f%%\t%.2f%%\t%d\t\n", s.Label, 100*s.Precision, 100*s.Recall, 100*s.F1, s.Support)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintln(w)
			tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprint(tw, "gold \\ predicted\t")
			for _, l := range ev.Labels {
				fmt.Fprintf(tw, "%s\t", l)
			}
			fmt.Fprintln(tw)
			for g, row := range ev.Confusion {
				fmt.Fprintf(tw, "%s\t", ev.Labels[g])
				for _, n := range row {
					fmt.Fprintf(tw, "%d\t", n)
				}
				fmt.Fprintln(tw)
			}
			return tw.Flush()
		},
	}
}
