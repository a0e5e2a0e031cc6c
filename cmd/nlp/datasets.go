package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/datasets"
)

func init() {
	register(&cli.Command{
		Name:  "datasets",
		Usage: "build corpora, fetch public data sets, inspect files",
		Subcommands: []*cli.Command{
			datasetsCorpusCmd(),
		},
	})
}

func datasetsCorpusCmd() *cli.Command {
	return &cli.Command{
		Name:  "corpus",
		Usage: "build the word2vec corpus of a recipe (bench: ~1.7M tokens; full: ~19M tokens)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "recipe", Value: datasets.RecipeBench, Usage: "bench or full"},
			&cli.StringFlag{Name: "data", Value: datasets.DefaultDataDir, Usage: "data folder laid out as in the data README"},
			&cli.StringFlag{Name: "out", Required: true, Usage: "output file (written through a temporary file)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress line"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return fmt.Errorf("datasets corpus: unexpected argument %q", c.Args().First())
			}
			cfg := datasets.CorpusConfig{Recipe: c.String("recipe"), DataDir: c.String("data")}
			var opts []datasets.Option
			if !c.Bool("quiet") {
				opts = append(opts, datasets.WithProgress(os.Stderr))
			}
			st, err := datasets.WriteCorpusFile(c.String("out"), cfg, opts...)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "%s: %d lines, %d tokens\n", c.String("out"), st.Lines, st.Tokens)
			return nil
		},
	}
}
