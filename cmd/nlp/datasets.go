package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/datasets"
	"github.com/nlp-go/nlp/datasets/conllu"
	"github.com/nlp-go/nlp/datasets/fetch"
)

func init() {
	register(&cli.Command{
		Name:  "datasets",
		Usage: "build corpora, fetch public data sets, inspect corpus files",
		Subcommands: []*cli.Command{
			datasetsCorpusCmd(),
			datasetsFetchCmd(),
			datasetsSplitCmd(),
			datasetsStatsCmd(),
			datasetsVocabCmd(),
		},
	})
}

// datasetsArgs is positionalArgs for the datasets subcommands.
func datasetsArgs(c *cli.Context) ([]string, error) {
	return positionalArgs(c, "datasets "+c.Command.Name)
}

// datasetsProgress is where long commands draw their progress line: stderr unless quiet.
func datasetsProgress(c *cli.Context) io.Writer {
	if c.Bool("quiet") {
		return nil
	}
	return c.App.ErrWriter
}

var datasetsQuietFlag = &cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress line"}

func datasetsCorpusCmd() *cli.Command {
	return &cli.Command{
		Name:      "corpus",
		Usage:     "build a word2vec corpus (bench: ~1.7M tokens, 85,648 lines; full: ~21.7M tokens)",
		ArgsUsage: " ",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "recipe", Value: datasets.RecipeBench, Usage: "bench or full (see ../shared/data/README.md)"},
			&cli.StringFlag{Name: "data", Value: datasets.DefaultDataDir, Usage: "data folder laid out as in the data README"},
			&cli.StringFlag{Name: "out", Usage: "output file, required (written through a temporary file, then renamed)"},
			&cli.BoolFlag{Name: "cased", Usage: "keep the text's case (the recipes lower-case it)"},
			maxLineFlag(),
			datasetsQuietFlag,
		},
		Action: func(c *cli.Context) error {
			args, err := datasetsArgs(c)
			if err != nil {
				return err
			}
			if len(args) > 0 {
				return fmt.Errorf("datasets corpus: unexpected argument %q", args[0])
			}
			if c.String("out") == "" {
				return fmt.Errorf("datasets corpus: --out FILE is required")
			}
			maxLen, err := maxLine(c, "datasets corpus")
			if err != nil {
				return err
			}
			cfg := datasets.CorpusConfig{Recipe: c.String("recipe"), DataDir: c.String("data"), Cased: c.Bool("cased"), MaxLine: maxLen}
			st, err := datasets.WriteCorpusFile(c.String("out"), cfg, datasets.WithProgress(datasetsProgress(c)), datasets.WithContext(c.Context))
			if err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "%s: %d lines, %d tokens\n", c.String("out"), st.Lines, st.Tokens)
			return nil
		},
	}
}

func datasetsFetchCmd() *cli.Command {
	names := ""
	for i, d := range fetch.Datasets() {
		if i > 0 {
			names += ", "
		}
		names += d.Name
	}
	return &cli.Command{
		Name:      "fetch",
		Usage:     "download a public data set (" + names + ") with checksums; run again to resume",
		ArgsUsage: "NAME",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "dir", Value: ".", Usage: "parent folder: files go to DIR/NAME/"},
			&cli.StringFlag{Name: "base-url", Usage: "download from this base URL instead of the canonical one (a mirror)"},
			datasetsQuietFlag,
		},
		Action: func(c *cli.Context) error {
			args, err := datasetsArgs(c)
			if err != nil {
				return err
			}
			if len(args) != 1 {
				return fmt.Errorf("datasets fetch: want one data set name (%s), got %d arguments", names, len(args))
			}
			cfg := fetch.Config{Dir: c.String("dir"), BaseURL: c.String("base-url")}
			files, err := fetch.Fetch(c.Context, args[0], cfg, fetch.WithProgress(datasetsProgress(c)))
			for _, f := range files {
				state := "downloaded"
				if f.Skipped {
					state = "present"
				}
				check := "sha256 (not pinned)"
				if f.Pinned {
					check = "sha256 verified"
				}
				fmt.Fprintf(c.App.Writer, "%s  %s  %s, %s\n", f.SHA256, f.Path, state, check)
			}
			return err
		},
	}
}

func datasetsSplitCmd() *cli.Command {
	return &cli.Command{
		Name:      "split",
		Usage:     "cut a CoNLL-U file into a training and a development file (whole sentences, the last --dev-fraction of them to --dev-out)",
		ArgsUsage: "FILE",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "train-out", Required: true, Usage: "file for the first sentences"},
			&cli.StringFlag{Name: "dev-out", Required: true, Usage: "file for the last sentences"},
			&cli.Float64Flag{Name: "dev-fraction", Value: 0.2, Usage: "share of the sentences, taken from the end, that go to --dev-out"},
			maxLineFlag(),
		},
		Action: func(c *cli.Context) error {
			args, err := datasetsArgs(c)
			if err != nil {
				return err
			}
			if len(args) != 1 {
				return fmt.Errorf("datasets split: want one CoNLL-U FILE, got %d arguments", len(args))
			}
			maxLen, err := maxLine(c, "datasets split")
			if err != nil {
				return err
			}
			first, rest, err := conllu.SplitFileMax(args[0], c.String("train-out"), c.String("dev-out"), c.Float64("dev-fraction"), maxLen)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "%s: %d sentences to %s, %d to %s\n", args[0], first, c.String("train-out"), rest, c.String("dev-out"))
			return nil
		},
	}
}

func datasetsStatsCmd() *cli.Command {
	return &cli.Command{
		Name:      "stats",
		Usage:     "count sentences, tokens, tags (UPOS/XPOS for CoNLL-U) and the OOV rate of a corpus file",
		ArgsUsage: "FILE",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "auto", Usage: "auto, conllu, conll, text, brown, labelled or tokens (pre-tokenized text: split on spaces only)"},
			&cli.StringFlag{Name: "vocab", Usage: "vocabulary (word<TAB>count lines, unknown word first) or word2vec text vectors, for the OOV rate"},
			&cli.BoolFlag{Name: "lower", Usage: "lower-case tokens before the vocabulary lookup"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON"},
			maxLineFlag(),
		},
		Action: func(c *cli.Context) error {
			args, err := datasetsArgs(c)
			if err != nil {
				return err
			}
			if len(args) != 1 {
				return fmt.Errorf("datasets stats: want one FILE, got %d arguments", len(args))
			}
			format, err := datasets.ParseFormat(c.String("format"))
			if err != nil {
				return err
			}
			maxLen, err := maxLine(c, "datasets stats")
			if err != nil {
				return err
			}
			cfg := datasets.StatsConfig{Format: format, Lower: c.Bool("lower"), MaxLine: maxLen}
			if p := c.String("vocab"); p != "" {
				if cfg.Vocab, err = datasets.LoadVocab(p); err != nil {
					return err
				}
			}
			st, err := datasets.FileStats(args[0], cfg)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				enc := json.NewEncoder(c.App.Writer)
				enc.SetIndent("", "  ")
				return enc.Encode(st)
			}
			return st.WriteReport(c.App.Writer)
		},
	}
}

func datasetsVocabCmd() *cli.Command {
	return &cli.Command{
		Name:      "vocab",
		Usage:     "count the tokens of corpus files into a vocabulary file (word<TAB>count, unknown word first)",
		ArgsUsage: "FILE...",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "vocabulary file, required (written through a temporary file)"},
			&cli.Int64Flag{Name: "min-count", Value: 1, Usage: "drop words seen fewer times"},
			&cli.IntFlag{Name: "max-size", Usage: "keep at most this many words (0: no limit)"},
			&cli.StringFlag{Name: "format", Value: "auto", Usage: "auto, conllu, conll, text, brown, labelled or tokens (pre-tokenized text: split on spaces only)"},
			&cli.BoolFlag{Name: "lower", Usage: "lower-case the tokens"},
			maxLineFlag(),
		},
		Action: func(c *cli.Context) error {
			args, err := datasetsArgs(c)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				return fmt.Errorf("datasets vocab: want at least one FILE")
			}
			if c.String("out") == "" {
				return fmt.Errorf("datasets vocab: --out FILE is required")
			}
			format, err := datasets.ParseFormat(c.String("format"))
			if err != nil {
				return err
			}
			maxLen, err := maxLine(c, "datasets vocab")
			if err != nil {
				return err
			}
			vcfg := datasets.VocabConfig{MinCount: c.Int64("min-count"), MaxSize: c.Int("max-size")}
			if err := vcfg.Validate(); err != nil {
				return err
			}
			var counter datasets.Counter
			for _, path := range args {
				if _, err := datasets.CountFile(&counter, path, datasets.StatsConfig{Format: format, Lower: c.Bool("lower"), MaxLine: maxLen}); err != nil {
					return err
				}
			}
			v, err := counter.Vocab(vcfg)
			if err != nil {
				return err
			}
			if err := v.Save(c.String("out")); err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "%s: %d words (unknown word included) from %d tokens, %d distinct\n",
				c.String("out"), v.Len(), counter.Total(), counter.Len())
			return nil
		},
	}
}
