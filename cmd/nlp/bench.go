package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/internal/speed"
	"github.com/nlp-go/nlp/tagger"
)

func init() {
	register(&cli.Command{
		Name:  "bench",
		Usage: "measure the speed of the toolkit's building blocks",
		Subcommands: []*cli.Command{{
			Name:  "lstm",
			Usage: "tokens/s of one recurrent layer, training (forward+backward of sum of outputs) and inference",
			Description: "Same shapes and measure as shared/bench/torch_lstm_bench.py, to compare side by side:\n" +
				"  nlp bench lstm --input 100 --hidden 128 --batch 32 --steps 25 --bidirectional --threads 2 --json",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "cell", Value: "lstm", Usage: "recurrent cell"},
				&cli.IntFlag{Name: "input", Value: 100, Usage: "input width"},
				&cli.IntFlag{Name: "hidden", Value: 128, Usage: "hidden width"},
				&cli.IntFlag{Name: "batch", Value: 32, Usage: "sequences per batch"},
				&cli.IntFlag{Name: "steps", Value: 25, Usage: "time steps"},
				&cli.BoolFlag{Name: "bidirectional", Usage: "two directions, concatenated"},
				&cli.IntFlag{Name: "threads", Value: runtime.NumCPU(), Usage: "OS threads running Go code (GOMAXPROCS)"},
				&cli.Float64Flag{Name: "seconds", Value: 3, Usage: "time spent on each measurement"},
				&cli.BoolFlag{Name: "json", Usage: "print one JSON line"},
			},
			Action: benchLSTM,
		}, {
			Name:      "tag",
			Usage:     "tokens/s of the tagger on a CoNLL-U file (the words of its sentences, tagged again and again)",
			ArgsUsage: "FILE",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Usage: "tagger model (default: the embedded one)"},
				&cli.Float64Flag{Name: "seconds", Value: 5, Usage: "time spent tagging"},
				&cli.BoolFlag{Name: "json", Usage: "print one JSON line"},
			},
			Action: benchTag,
		}},
	})
}

func benchTag(c *cli.Context) error {
	if c.NArg() != 1 {
		return fmt.Errorf("bench tag: want one CoNLL-U FILE, got %d arguments", c.NArg())
	}
	data, err := tagger.ReadCoNLLUFile(c.Args().First())
	if err != nil {
		return err
	}
	start := time.Now()
	m, err := loadTagger(c.String("model"))
	if err != nil {
		return err
	}
	load := time.Since(start)
	m.Tag(data.Forms) // warm-up: fills the memo of character features, as a long run would
	words, rounds := 0, 0
	began := time.Now()
	limit := time.Duration(c.Float64("seconds") * float64(time.Second))
	for rounds == 0 || time.Since(began) < limit {
		m.Tag(data.Forms)
		words += data.Words()
		rounds++
	}
	rate := float64(words) / time.Since(began).Seconds()
	if c.Bool("json") {
		return json.NewEncoder(c.App.Writer).Encode(map[string]any{
			"tokens_per_second": int(rate + 0.5), "tokens": data.Words(), "rounds": rounds, "load_seconds": load.Seconds(),
		})
	}
	fmt.Fprintf(c.App.Writer, "%d tokens × %d rounds: %.0f tokens/s (model load %.3fs)\n", data.Words(), rounds, rate, load.Seconds())
	return nil
}

func benchLSTM(c *cli.Context) error {
	if c.NArg() > 0 {
		return fmt.Errorf("bench lstm: unexpected argument %q", c.Args().First())
	}
	threads := c.Int("threads")
	if threads < 1 {
		return fmt.Errorf("bench lstm: --threads must be at least 1, got %d", threads)
	}
	if c.Float64("seconds") <= 0 {
		return fmt.Errorf("bench lstm: --seconds must be positive, got %g", c.Float64("seconds"))
	}
	for _, name := range []string{"input", "hidden", "batch", "steps"} {
		if c.Int(name) <= 0 {
			return fmt.Errorf("bench lstm: --%s must be positive, got %d", name, c.Int(name))
		}
	}
	runtime.GOMAXPROCS(threads)
	cfg := speed.Config{
		Cell:          c.String("cell"),
		Input:         c.Int("input"),
		Hidden:        c.Int("hidden"),
		Batch:         c.Int("batch"),
		Steps:         c.Int("steps"),
		Bidirectional: c.Bool("bidirectional"),
		Parallel:      threads > 1,
		Duration:      time.Duration(c.Float64("seconds") * float64(time.Second)),
	}
	res, err := speed.Measure(cfg)
	if err != nil {
		return err
	}
	if c.Bool("json") {
		return json.NewEncoder(c.App.Writer).Encode(map[string]any{
			"impl": "nlp-go", "cell": cfg.Cell, "input": cfg.Input, "hidden": cfg.Hidden, "batch": cfg.Batch,
			"steps": cfg.Steps, "bidirectional": cfg.Bidirectional, "threads": threads,
			"train_tok_s": int(res.TrainTokS + 0.5), "infer_tok_s": int(res.InferTokS + 0.5),
		})
	}
	fmt.Fprintf(c.App.Writer, "%s in=%d hidden=%d batch=%d steps=%d bidirectional=%v threads=%d\n",
		cfg.Cell, cfg.Input, cfg.Hidden, cfg.Batch, cfg.Steps, cfg.Bidirectional, threads)
	fmt.Fprintf(c.App.Writer, "train: %.0f tokens/s (%d rounds)\ninfer: %.0f tokens/s (%d rounds)\n",
		res.TrainTokS, res.TrainRounds, res.InferTokS, res.InferRounds)
	return nil
}
