package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/generate"
	"github.com/nlp-go/nlp/nn"
	"github.com/nlp-go/nlp/train"
)

func init() {
	def := generate.SampleConfig{}.WithDefaults()
	register(&cli.Command{
		Name:  "generate",
		Usage: "generate text with a character-level LSTM: nlp generate --model M [--lines 10] [--temperature 0.8] [--seed S]",
		Description: "Samples lines from a model trained by `nlp generate train`: from the start symbol it draws\n" +
			"a character, feeds it back, and stops at the end of the line (or --max-len). --prime continues\n" +
			"a given beginning; --temperature 0 takes the most probable character every time.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Usage: "model file (required)"},
			&cli.IntFlag{Name: "lines", Aliases: []string{"n"}, Value: 10, Usage: "lines to generate"},
			&cli.Float64Flag{Name: "temperature", Aliases: []string{"t"}, Value: 0.8, Usage: "softmax temperature (0: argmax)"},
			&cli.IntFlag{Name: "top-k", Usage: "sample among the K most probable characters (0: all)"},
			&cli.Uint64Flag{Name: "seed", Value: cliSeed, Usage: "random seed of the sampling"},
			&cli.StringFlag{Name: "prime", Usage: "beginning to continue"},
			&cli.IntFlag{Name: "max-len", Value: def.MaxLen, Usage: "longest line in characters"},
		},
		Subcommands: []*cli.Command{generateTrainCmd(), generateEvalCmd()},
		Action:      generateAction,
	})
}

func generateAction(c *cli.Context) error {
	args, err := positionalArgs(c, "generate")
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return fmt.Errorf("generate: unexpected argument %q (subcommands: train, eval)", args[0])
	}
	if c.String("model") == "" {
		return fmt.Errorf("generate: --model is required (train one with nlp generate train)")
	}
	temp := c.Float64("temperature")
	cfg := generate.SampleConfig{
		Lines: c.Int("lines"), MaxLen: c.Int("max-len"), Temperature: temp, Greedy: temp == 0,
		TopK: c.Int("top-k"), Seed: c.Uint64("seed"), Prime: c.String("prime"),
	}
	if cfg.Lines <= 0 || cfg.MaxLen <= 0 {
		return fmt.Errorf("generate: --lines and --max-len must be positive")
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	m, err := generate.Load(c.String("model"))
	if err != nil {
		return err
	}
	lines, err := m.Generate(cfg)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(c.App.Writer)
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
	return w.Flush()
}

func generateTrainCmd() *cli.Command {
	// The defaults shown are those generate.Train applies to the zero values
	// the flags leave.
	def := generate.Config{}.WithDefaults()
	return &cli.Command{
		Name:  "train",
		Usage: "train a character model: --text FILE [--cell lstm --hidden 256 --layers 2] [--max-seconds N] --out M",
		Description: "Reads the text as lines, each wrapped in <s> … </s>, and trains the model to predict every\n" +
			"next character with truncated backpropagation through time over --batch parallel streams of\n" +
			"--bptt characters, the state carried from chunk to chunk. --valid-fraction holds out the tail of\n" +
			"the text (cut at a line boundary) for validation every --valid-every steps; the best model is\n" +
			"kept and written to OUT at every improvement. A checkpoint OUT.ckpt is written at every validation\n" +
			"(--resume continues from it exactly); --max-seconds, Ctrl-C or SIGTERM stop cleanly at the next\n" +
			"step boundary and leave the best model and the checkpoint written.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "text", Usage: "training text (.gz allowed)", Required: true},
			&cli.StringFlag{Name: "valid", Usage: "validation text"},
			&cli.Float64Flag{Name: "valid-fraction", Usage: "without --valid: hold out this last fraction of --text (cut at a line boundary) for validation"},
			&cli.StringFlag{Name: "out", Usage: "model file to write", Required: true},
			&cli.StringFlag{Name: "cell", Value: def.Cell, Usage: "recurrent cell (" + strings.Join(nn.CellNames(), ", ") + ")"},
			&cli.IntFlag{Name: "hidden", Usage: "hidden width", DefaultText: fmt.Sprint(def.Hidden)},
			&cli.IntFlag{Name: "layers", Usage: "stacked layers", DefaultText: fmt.Sprint(def.Layers)},
			&cli.IntFlag{Name: "embed", Usage: "character vector width", DefaultText: fmt.Sprint(def.Embed)},
			&cli.IntFlag{Name: "batch", Usage: "parallel streams per step", DefaultText: fmt.Sprint(def.BatchSize)},
			&cli.IntFlag{Name: "bptt", Usage: "characters per stream and step", DefaultText: fmt.Sprint(def.BPTT)},
			&cli.IntFlag{Name: "steps", Usage: "optimizer steps", DefaultText: fmt.Sprint(def.Steps)},
			&cli.Float64Flag{Name: "lr", Usage: "Adam learning rate", DefaultText: fmt.Sprint(def.LR)},
			&cli.StringFlag{Name: "schedule", Usage: fmt.Sprintf("learning-rate schedule: %s (down to %v%% of --lr) or %s", generate.ScheduleCosine, 100*generate.MinLRFraction, generate.ScheduleConstant), DefaultText: def.Schedule},
			&cli.Float64Flag{Name: "clip", Usage: "gradient norm clipping; -1: none", DefaultText: fmt.Sprint(def.Clip)},
			&cli.Float64Flag{Name: "dropout", Usage: "dropout between layers", DefaultText: fmt.Sprint(def.Dropout)},
			&cli.IntFlag{Name: "valid-every", Usage: "steps between validations and checkpoints", DefaultText: fmt.Sprint(def.ValidEvery)},
			&cli.IntFlag{Name: "threads", Usage: "shards of each batch run in parallel", DefaultText: fmt.Sprint(def.Threads)},
			&cli.Uint64Flag{Name: "seed", Value: cliSeed, Usage: "random seed"},
			maxLineFlag(),
			&cli.IntFlag{Name: "max-seconds", Usage: "stop after the step during which N seconds have passed, saving the best model (0: no limit)"},
			&cli.BoolFlag{Name: "resume", Usage: "continue from OUT.ckpt when it exists"},
			&cli.BoolFlag{Name: "json", Usage: "print the training report as JSON"},
			plotFlag("the training loss and the dev scores of every evaluation"),
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar (the line after each validation is still printed)"},
		},
		Action: generateTrain,
	}
}

func generateTrain(c *cli.Context) error {
	args, err := positionalArgs(c, "generate train")
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return fmt.Errorf("generate train: unexpected argument %q", args[0])
	}
	cfg := generate.Config{
		Cell: c.String("cell"), Hidden: c.Int("hidden"), Layers: c.Int("layers"), Embed: c.Int("embed"),
		BatchSize: c.Int("batch"), BPTT: c.Int("bptt"), Steps: c.Int("steps"), LR: c.Float64("lr"),
		Schedule: c.String("schedule"), Clip: c.Float64("clip"), Dropout: c.Float64("dropout"),
		ValidEvery: c.Int("valid-every"), Threads: c.Int("threads"), Seed: c.Uint64("seed"),
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("generate train: %w", err)
	}
	if c.Int("max-seconds") < 0 {
		return fmt.Errorf("generate train: --max-seconds must be ≥ 0")
	}
	maxLen, err := maxLine(c, "generate train")
	if err != nil {
		return err
	}
	text, err := generate.ReadFileMax(c.String("text"), maxLen)
	if err != nil {
		return err
	}
	var valid []string
	switch {
	case c.String("valid") != "":
		if valid, err = generate.ReadFileMax(c.String("valid"), maxLen); err != nil {
			return err
		}
	case c.IsSet("valid-fraction"):
		f := c.Float64("valid-fraction")
		if !(f > 0 && f < 1) {
			return fmt.Errorf("generate train: --valid-fraction must be in (0, 1), got %v", f)
		}
		text, valid = generate.SplitTail(text, f)
		if len(text) == 0 || len(valid) == 0 {
			return fmt.Errorf("generate train: %s: too few lines to hold out a fraction %v", c.String("text"), f)
		}
	}
	out, ckpt := c.String("out"), c.String("out")+".ckpt"
	full := cfg.WithDefaults()
	bt := int64(full.BatchSize * full.BPTT) // characters read per step
	bar := &trainBar{unit: "chars",
		size: func(p train.Progress) (int64, int64) { return int64(full.Steps) * bt, int64(p.Done) * bt },
		note: func(p train.Progress) string {
			v := "-"
			if p.Best != nil && p.Best.Scored {
				v = fmt.Sprintf("%.4f", p.Best.Metrics[generate.MetricValidNats])
			}
			return fmt.Sprintf("step %d loss %.4f nats %.3f bits/char, best valid %s", p.Done, p.Loss, p.Loss/math.Ln2, v)
		}}
	if !c.Bool("quiet") {
		bar.w = c.App.ErrWriter
	}
	// prev is the step of the previous validation line (or where this run
	// began), for the speed over the interval; last is the latest step done.
	prev, last := -1, 0
	opts := train.Options{
		Checkpoint: ckpt, Resume: c.Bool("resume"), Out: out,
		MaxDuration: time.Duration(c.Int("max-seconds")) * time.Second,
		Progress: func(p train.Progress) {
			if prev < 0 {
				prev = p.Done - 1
			}
			last = p.Done
			bar.update(p) // nothing (no note formatted) when quiet
		},
		Evaluated: func(e train.Eval) {
			mark, vs := "", "-"
			if e.Scored {
				v := e.Metrics[generate.MetricValidNats]
				vs = fmt.Sprintf("%.4f nats %.4f bits", v, e.Metrics[generate.MetricValidBits])
				if e.Best {
					mark = " *"
				}
			}
			speed := float64(e.Step-max(prev, 0)) * float64(bt) / max(e.Seconds, 1e-9)
			prev = e.Step
			bar.bar.Break() // below the bar's line, which is redrawn under it (nothing to end in plain lines)
			fmt.Fprintf(c.App.ErrWriter, "step %d: train %.4f nats %.4f bits, valid %s, %.0f chars/s, %.0f s%s\n",
				e.Step, e.Loss, e.Loss/math.Ln2, vs, speed, e.Elapsed, mark)
		},
	}
	ctx := commandContext(c)
	m, rep, err := generate.Train(ctx, cfg, text, valid, generate.WithTraining(opts))
	bar.finish()
	if err != nil {
		return err
	}
	if err := plotTraining(c, "character model", rep.Evals); err != nil {
		return err
	}
	// The loop wrote the best model at every improvement; writing the
	// returned one also covers a run stopped before its first validation.
	if err := m.Save(out); err != nil {
		return err
	}
	if c.Bool("json") {
		if err := json.NewEncoder(c.App.Writer).Encode(rep); err != nil {
			return err
		}
	} else {
		stopped := ""
		if rep.Stopped == "time" {
			stopped = " (stopped by --max-seconds)"
		}
		valid1 := "no validation text"
		if rep.BestValid >= 0 {
			valid1 = fmt.Sprintf("validation %.4f nats/char, %.4f bits/char at step %d", rep.BestValid, rep.BestValid/math.Ln2, rep.BestStep)
		}
		fmt.Fprintf(c.App.Writer, "%s: %d characters, %d parameters, %d steps%s in %.0f s (%.0f chars/s), %s\n",
			out, rep.Vocab, rep.Params, rep.Steps, stopped, rep.Elapsed, rep.CharsPerSecond, valid1)
	}
	if rep.Stopped == "canceled" {
		return fmt.Errorf("generate train: interrupted after step %d: the best model (step %d) is in %s, the checkpoint in %s; run the same command with --resume to continue",
			last, rep.BestStep, out, ckpt)
	}
	return nil
}

func generateEvalCmd() *cli.Command {
	return &cli.Command{
		Name:      "eval",
		Usage:     "score a model on a text: nats and bits per character",
		ArgsUsage: "FILE",
		Description: "Every character and every line end of FILE is predicted from what precedes it, the state\n" +
			"carried through the file; prints the mean negative log-likelihood in nats and bits per character.\n" +
			"--tail-fraction F scores only the tail that `generate train --valid-fraction F` held out.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Usage: "model file", Required: true},
			&cli.Float64Flag{Name: "tail-fraction", Usage: "score only the last fraction of FILE, cut as --valid-fraction cuts it"},
			&cli.IntFlag{Name: "streams", Value: 1, Usage: "read the text as N consecutive parts side by side (faster; context lost at the N-1 cuts)"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON (lines, chars, unknown, nats, bits)"},
			maxLineFlag(),
		},
		Action: func(c *cli.Context) error {
			args, err := positionalArgs(c, "generate eval")
			if err != nil {
				return err
			}
			if len(args) != 1 {
				return fmt.Errorf("generate eval: want one FILE, got %d arguments", len(args))
			}
			m, err := generate.Load(c.String("model"))
			if err != nil {
				return err
			}
			maxLen, err := maxLine(c, "generate eval")
			if err != nil {
				return err
			}
			lines, err := generate.ReadFileMax(args[0], maxLen)
			if err != nil {
				return err
			}
			if c.IsSet("tail-fraction") {
				f := c.Float64("tail-fraction")
				if !(f > 0 && f < 1) {
					return fmt.Errorf("generate eval: --tail-fraction must be in (0, 1), got %v", f)
				}
				if _, lines = generate.SplitTail(lines, f); len(lines) == 0 {
					return fmt.Errorf("generate eval: %s: too few lines for a tail of %v", args[0], f)
				}
			}
			if c.Int("streams") < 1 {
				return fmt.Errorf("generate eval: --streams must be at least 1")
			}
			ev, err := m.Evaluate(lines, generate.EvalConfig{Streams: c.Int("streams")})
			if err != nil {
				return fmt.Errorf("generate eval: %s: %w", args[0], err)
			}
			if c.Bool("json") {
				return json.NewEncoder(c.App.Writer).Encode(ev)
			}
			fmt.Fprintf(c.App.Writer, "lines    %d\nchars    %d (%d unknown)\nnats     %.4f per char\nbits     %.4f per char\n",
				ev.Lines, ev.Chars, ev.Unknown, ev.Nats, ev.Bits)
			return nil
		},
	}
}
