package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/internal/fileutil"
	"github.com/nlp-go/nlp/internal/linescan"
	"github.com/nlp-go/nlp/internal/plots"
	"github.com/nlp-go/nlp/models"
	"github.com/nlp-go/nlp/nn"
	"github.com/nlp-go/nlp/train"
	"github.com/nlp-go/nlp/translate"
	"github.com/nlp-go/nlp/translate/bleu"
)

func init() {
	register(&cli.Command{
		Name:  "translate",
		Usage: "translate sentences with an encoder–decoder: nlp translate [--model M] [--beam 5] [FILE|-]",
		Description: "Reads one sentence a line (from FILE, or stdin for - or no argument) and writes one\n" +
			"translation a line, in order, a batch of lines at a time. An empty line gives an empty line.\n" +
			"With --attention F.png the argument is a sentence: its translation is printed and its\n" +
			"attention matrix drawn to F.png (source units across, translation down).",
		Flags: append(decodeFlags(),
			&cli.StringFlag{Name: "attention", Usage: "draw the attention of the sentence given as argument to this file (.png, .svg, .pdf)"},
			maxLineFlag(),
		),
		Subcommands: []*cli.Command{translateTrainCmd(), translateEvalCmd()},
		Action:      translateAction,
	})
}

// decodeFlags are the search flags of translate and translate eval.
func decodeFlags() []cli.Flag {
	def := translate.DecodeOptions{}.WithDefaults()
	return []cli.Flag{
		&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Usage: "model file (default: the built-in German→English model)"},
		&cli.IntFlag{Name: "beam", Value: def.Beam, Usage: "hypotheses kept per sentence, 1: greedy"},
		&cli.Float64Flag{Name: "length-penalty", Value: def.LengthPenalty, Usage: "α: hypotheses compared by log-probability / length^α (0..4)"},
		&cli.IntFlag{Name: "batch", Value: def.BatchSize, Usage: "sentences decoded together"},
		&cli.BoolFlag{Name: "keep-unknown", Usage: "write <unk> instead of copying the source word the attention points to"},
		&cli.IntFlag{Name: "threads", Value: def.Threads, Usage: "batches decoded at once"},
	}
}

// translator loads --model and returns a translator with the search flags.
func translator(c *cli.Context, cmd string) (*translate.Translator, error) {
	opt := translate.DecodeOptions{Beam: c.Int("beam"), LengthPenalty: c.Float64("length-penalty"),
		BatchSize: c.Int("batch"), KeepUnknown: c.Bool("keep-unknown"), Threads: c.Int("threads")}
	if opt.Beam < 1 {
		return nil, fmt.Errorf("%s: --beam must be between 1 and %d, got %d", cmd, translate.MaxBeam, opt.Beam)
	}
	if opt.BatchSize < 1 {
		return nil, fmt.Errorf("%s: --batch must be between 1 and %d, got %d", cmd, translate.MaxBatch, opt.BatchSize)
	}
	if opt.Threads < 1 {
		return nil, fmt.Errorf("%s: --threads must be between 1 and %d, got %d", cmd, translate.MaxThreads, opt.Threads)
	}
	if err := opt.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", cmd, err)
	}
	var m *translate.Model
	var err error
	if p := c.String("model"); p != "" {
		m, err = translate.Load(p)
	} else {
		m, err = models.Translator()
	}
	if err != nil {
		return nil, err
	}
	return translate.NewTranslator(m, opt)
}

// nlp translate reads translateChunk lines, or translateChunkBytes bytes,
// whichever comes first, before it translates them and writes their
// translations: enough for batches of similar lengths, few enough that the
// first lines come out soon and memory stays bounded (a longer line goes
// alone, and is translated in pieces).
const (
	translateChunk      = 512
	translateChunkBytes = 64 << 10
)

func translateAction(c *cli.Context) error {
	args, err := positionalArgs(c, "translate")
	if err != nil {
		return err
	}
	maxLen, err := maxLine(c, "translate")
	if err != nil {
		return err
	}
	tr, err := translator(c, "translate")
	if err != nil {
		return err
	}
	w := bufio.NewWriter(c.App.Writer)
	if path := c.String("attention"); path != "" {
		if len(args) != 1 {
			return fmt.Errorf("translate: --attention needs the sentence as one argument (quote it), got %d arguments", len(args))
		}
		a := tr.Explain(args[0])
		if err := plots.Attention(path, a.Source, a.Target, a.Weights); err != nil {
			return err
		}
		fmt.Fprintln(w, a.Translation)
		return w.Flush()
	}
	if len(args) > 1 {
		return fmt.Errorf("translate: one input at most (a file, or - for stdin), got %d", len(args))
	}
	name := "-"
	if len(args) == 1 {
		name = args[0]
	}
	in, _, closeIn, err := openInput(c, name)
	if err != nil {
		return fmt.Errorf("translate: %w", err)
	}
	defer closeIn()
	ctx := commandContext(c)
	sc := linescan.New(in, maxLen)
	var lines []string
	size := 0
	flush := func() error {
		for _, out := range tr.Translate(lines) {
			fmt.Fprintln(w, out)
		}
		lines, size = lines[:0], 0
		return w.Flush()
	}
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if size += len(sc.Bytes()); len(lines) == translateChunk || size >= translateChunkBytes {
			if err := flush(); err != nil {
				return fmt.Errorf("translate: write output: %w", err)
			}
			if ctx.Err() != nil {
				return fmt.Errorf("translate: interrupted")
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("translate: %s: %w", name, err)
	}
	if err := flush(); err != nil {
		return fmt.Errorf("translate: write output: %w", err)
	}
	return nil
}

func translateEvalCmd() *cli.Command {
	return &cli.Command{
		Name:  "eval",
		Usage: "score translations: nlp translate eval --model M --src test.de --ref test.en [--json]",
		Description: "Translates --src and scores the translations against --ref with corpus BLEU-4 on lower-cased\n" +
			"tokens (as multi-bleu.perl), also cased; prints BLEU, its four n-gram precisions, the brevity\n" +
			"penalty, the sentences and the speed. --out also writes the translations.",
		Flags: append(decodeFlags(),
			&cli.StringFlag{Name: "src", Usage: "source sentences, one a line", Required: true},
			&cli.StringFlag{Name: "ref", Usage: "reference translations, one a line", Required: true},
			&cli.StringFlag{Name: "out", Usage: "also write the translations to this file"},
			&cli.BoolFlag{Name: "json", Usage: "print one JSON line"},
		),
		Action: translateEval,
	}
}

func translateEval(c *cli.Context) error {
	args, err := positionalArgs(c, "translate eval")
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return fmt.Errorf("translate eval: unexpected argument %q", args[0])
	}
	tr, err := translator(c, "translate eval")
	if err != nil {
		return err
	}
	p, err := translate.ReadParallel(c.String("src"), c.String("ref"))
	if err != nil {
		return err
	}
	if p.Len() == 0 {
		return fmt.Errorf("translate eval: %s: %w", c.String("src"), translate.ErrEmpty)
	}
	start := time.Now()
	hyps := tr.Translate(p.Src)
	secs := time.Since(start).Seconds()
	var lower, cased bleu.Accumulator
	tokens := 0
	for i, h := range hyps {
		lower.Add(bleu.Tokenize(h), bleu.Tokenize(p.Tgt[i]))
		cased.Add(bleu.TokenizeCased(h), bleu.TokenizeCased(p.Tgt[i]))
		tokens += len(bleu.Tokenize(h))
	}
	if out := c.String("out"); out != "" {
		err := fileutil.WriteAtomicContext(commandContext(c), out, func(w io.Writer) error {
			bw := bufio.NewWriter(w)
			for _, h := range hyps {
				bw.WriteString(h)
				bw.WriteByte('\n')
			}
			return bw.Flush()
		})
		if err != nil {
			return fmt.Errorf("translate eval: %w", err)
		}
	}
	s, cs := lower.Score(), cased.Score()
	res := struct {
		BLEU            float64    `json:"bleu"`
		Precisions      [4]float64 `json:"precisions"`
		BrevityPenalty  float64    `json:"brevity_penalty"`
		Ratio           float64    `json:"ratio"`
		CasedBLEU       float64    `json:"bleu_cased"`
		Sentences       int        `json:"sentences"`
		Tokens          int        `json:"tokens"`
		Seconds         float64    `json:"seconds"`
		SentencesPerSec float64    `json:"sentences_per_second"`
		TokensPerSec    float64    `json:"tokens_per_second"`
		Beam            int        `json:"beam"`
	}{s.BLEU, s.Precisions, s.BrevityPenalty, s.Ratio, cs.BLEU, p.Len(), tokens, secs,
		float64(p.Len()) / secs, float64(tokens) / secs, c.Int("beam")}
	w := c.App.Writer
	if c.Bool("json") {
		js, err := json.Marshal(res)
		if err != nil {
			return fmt.Errorf("translate eval: %w", err)
		}
		_, err = fmt.Fprintf(w, "%s\n", js)
		return err
	}
	fmt.Fprintf(w, "BLEU %.2f (cased %.2f), precisions %.1f/%.1f/%.1f/%.1f, brevity penalty %.3f (ratio %.3f)\n",
		s.BLEU, cs.BLEU, s.Precisions[0], s.Precisions[1], s.Precisions[2], s.Precisions[3], s.BrevityPenalty, s.Ratio)
	fmt.Fprintf(w, "%d sentences, %d tokens in %.1f s: %.0f sentences/s, %.0f tokens/s (beam %d)\n",
		res.Sentences, tokens, secs, res.SentencesPerSec, res.TokensPerSec, res.Beam)
	return nil
}

func translateTrainCmd() *cli.Command {
	def := translate.Config{}.WithDefaults()
	return &cli.Command{
		Name:  "train",
		Usage: "train a translation model: --src-train train.de --tgt-train train.en --src-dev val.de --tgt-dev val.en --out M",
		Description: "Learns the truecasers and subword units of both languages from the training pairs, then an\n" +
			"encoder–decoder with attention, scored after every epoch on the dev pairs (greedy BLEU decides\n" +
			"which weights are kept; they are written to OUT at every improvement). A checkpoint OUT.ckpt\n" +
			"is written at every evaluation (--resume continues from it exactly); --max-seconds, Ctrl-C or\n" +
			"SIGTERM stop cleanly at the next step with the best model and the checkpoint written.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "src-train", Usage: "training source sentences, one a line (.gz allowed)", Required: true},
			&cli.StringFlag{Name: "tgt-train", Usage: "their translations, line for line", Required: true},
			&cli.StringFlag{Name: "src-dev", Usage: "dev source sentences"},
			&cli.StringFlag{Name: "tgt-dev", Usage: "dev translations"},
			&cli.StringFlag{Name: "out", Usage: "model file to write", Required: true},
			&cli.StringFlag{Name: "cell", Value: def.Cell, Usage: "recurrent cell of encoder and decoder (" + strings.Join(nn.CellNames(), ", ") + ")"},
			&cli.IntFlag{Name: "emb", Usage: "embedding width", DefaultText: fmt.Sprint(def.Emb)},
			&cli.IntFlag{Name: "hidden", Usage: "encoder width per direction", DefaultText: fmt.Sprint(def.Hidden)},
			&cli.IntFlag{Name: "layers", Usage: "stacked encoder layers", DefaultText: fmt.Sprint(def.Layers)},
			&cli.IntFlag{Name: "decoder", Usage: "decoder width", DefaultText: fmt.Sprint(def.Decoder)},
			&cli.StringFlag{Name: "attention", Usage: "attention: " + strings.Join(nn.AttentionKinds(), ", "), DefaultText: def.Attention},
			&cli.IntFlag{Name: "att-hidden", Usage: "additive attention's width", DefaultText: fmt.Sprintf("%d, as --decoder", def.AttHidden)},
			&cli.IntFlag{Name: "output", Usage: "width of the attentional state", DefaultText: fmt.Sprintf("%d, as --emb", def.Output)},
			&cli.BoolFlag{Name: "no-input-feeding", Usage: "do not feed the previous attentional state to the decoder"},
			&cli.BoolFlag{Name: "tied", Usage: "the target embedding is the output layer's weights (needs --output = --emb)"},
			&cli.IntFlag{Name: "merges", Usage: "subword merges per language, -1: whole words", DefaultText: fmt.Sprint(def.Merges)},
			&cli.IntFlag{Name: "min-count", Usage: "training count a unit needs to get a vector", DefaultText: fmt.Sprint(def.MinCount)},
			&cli.Float64Flag{Name: "dropout", Usage: "dropout; -1: none", DefaultText: fmt.Sprint(def.Dropout)},
			&cli.Float64Flag{Name: "lr", Usage: "Adam learning rate", DefaultText: fmt.Sprint(def.LR)},
			&cli.Float64Flag{Name: "clip", Usage: "gradient norm clipping", DefaultText: fmt.Sprint(def.Clip)},
			&cli.IntFlag{Name: "batch", Usage: "sentence pairs per batch", DefaultText: fmt.Sprint(def.BatchSize)},
			&cli.IntFlag{Name: "max-length", Usage: "skip training pairs with a side longer than this many units", DefaultText: fmt.Sprint(def.MaxLength)},
			&cli.IntFlag{Name: "epochs", Usage: "epochs at most", DefaultText: fmt.Sprint(def.Epochs)},
			&cli.IntFlag{Name: "steps", Usage: "optimizer steps at most, over all epochs (0: no limit)"},
			&cli.IntFlag{Name: "patience", Usage: "epochs without dev improvement before stopping", DefaultText: fmt.Sprint(def.Patience)},
			&cli.Float64Flag{Name: "lr-decay", Usage: "rate multiplied by this after an epoch without improvement; -1: none", DefaultText: fmt.Sprint(def.LRDecay)},
			&cli.IntFlag{Name: "threads", Usage: "shards of each batch trained in parallel (results depend on it)", DefaultText: fmt.Sprint(def.Threads)},
			&cli.Uint64Flag{Name: "seed", Value: cliSeed, Usage: "random seed"},
			&cli.IntFlag{Name: "max-seconds", Usage: "stop after the step during which N seconds have passed, saving the best model (0: no limit)"},
			&cli.BoolFlag{Name: "resume", Usage: "continue from OUT.ckpt when it exists"},
			&cli.BoolFlag{Name: "json", Usage: "print the training report as JSON"},
			plotFlag("the training loss and the dev scores of every evaluation"),
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar (the line after each evaluation is still printed)"},
		},
		Action: translateTrain,
	}
}

func translateTrain(c *cli.Context) error {
	args, err := positionalArgs(c, "translate train")
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return fmt.Errorf("translate train: unexpected argument %q", args[0])
	}
	cfg := translate.Config{
		Cell: c.String("cell"), Emb: c.Int("emb"), Hidden: c.Int("hidden"), Layers: c.Int("layers"),
		Decoder: c.Int("decoder"), Attention: c.String("attention"), AttHidden: c.Int("att-hidden"), Output: c.Int("output"),
		NoInputFeeding: c.Bool("no-input-feeding"), Tied: c.Bool("tied"), Merges: c.Int("merges"), MinCount: c.Int("min-count"),
		Dropout: c.Float64("dropout"), LR: c.Float64("lr"), Clip: c.Float64("clip"), BatchSize: c.Int("batch"),
		MaxLength: c.Int("max-length"), Epochs: c.Int("epochs"), Steps: c.Int("steps"), Patience: c.Int("patience"), LRDecay: c.Float64("lr-decay"),
		Threads: c.Int("threads"), Seed: c.Uint64("seed"),
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("translate train: %w", err)
	}
	if c.Int("max-seconds") < 0 {
		return fmt.Errorf("translate train: --max-seconds must be ≥ 0")
	}
	if (c.String("src-dev") == "") != (c.String("tgt-dev") == "") {
		return fmt.Errorf("translate train: --src-dev and --tgt-dev go together")
	}
	trainSet, err := translate.ReadParallel(c.String("src-train"), c.String("tgt-train"))
	if err != nil {
		return err
	}
	var dev translate.Parallel
	if c.String("src-dev") != "" {
		if dev, err = translate.ReadParallel(c.String("src-dev"), c.String("tgt-dev")); err != nil {
			return err
		}
	}
	out, ckpt := c.String("out"), c.String("out")+".ckpt"
	bar := &trainBar{note: func(p train.Progress) string {
		b := "-"
		if p.Best != nil && p.Best.Scored {
			b = fmt.Sprintf("%.2f", p.Best.Metrics[translate.MetricBLEU])
		}
		return fmt.Sprintf("loss %.3f, best dev BLEU %s", p.Loss, b)
	}}
	if !c.Bool("quiet") {
		bar.w = c.App.ErrWriter
	}
	opts := train.Options{
		Checkpoint: ckpt, Resume: c.Bool("resume"), Out: out,
		MaxDuration: time.Duration(c.Int("max-seconds")) * time.Second,
		Progress:    bar.update,
		Evaluated: func(e train.Eval) {
			bar.finish()
			mark := ""
			if e.Best {
				mark = " *"
			}
			if e.Scored {
				fmt.Fprintf(c.App.ErrWriter, "epoch %d: loss %.3f, dev perplexity %.2f, dev BLEU %.2f (%.0f s)%s\n",
					e.Epoch, e.Loss, e.Metrics[translate.MetricPerplexity], e.Metrics[translate.MetricBLEU], e.Seconds, mark)
			} else {
				fmt.Fprintf(c.App.ErrWriter, "epoch %d: loss %.3f (%.0f s)\n", e.Epoch, e.Loss, e.Seconds)
			}
		},
	}
	_, rep, err := translate.Train(commandContext(c), cfg, trainSet, dev, translate.WithTraining(opts))
	bar.finish()
	if err != nil {
		return err
	}
	if err := plotTraining(c, "translation", rep.Evals); err != nil {
		return err
	}
	if c.Bool("json") {
		js, err := json.Marshal(rep)
		if err != nil {
			return fmt.Errorf("translate train: %w", err)
		}
		fmt.Fprintf(c.App.Writer, "%s\n", js)
	} else {
		fmt.Fprintf(c.App.Writer, "%d pairs (%d skipped as too long), vocabularies %d / %d units, %d weights, %.0f units/s; best dev BLEU %.2f; model in %s\n",
			rep.Pairs, rep.Skipped, rep.SrcVocab, rep.TgtVocab, rep.Params, rep.UnitsPerSecond, rep.BestBLEU, out)
	}
	if rep.Stopped == "canceled" {
		best := ""
		if b := rep.Best(); b != nil {
			best = fmt.Sprintf("dev BLEU %.2f", b.Metrics[translate.MetricBLEU])
		}
		return interrupted("translate train", out, ckpt, best)
	}
	return nil
}
