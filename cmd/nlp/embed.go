package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/embed"
	"github.com/nlp-go/nlp/internal/fileutil"
)

func init() {
	register(&cli.Command{
		Name:  "embed",
		Usage: "train word2vec vectors, query and evaluate them",
		Subcommands: []*cli.Command{
			embedTrainCmd(),
			embedSimilarCmd(),
			embedAnalogyCmd(),
			embedEvalCmd(),
		},
	})
}

func embedTrainCmd() *cli.Command {
	// The defaults are embed.Train's; --sample 0 and --min-count 0 mean "off"
	// here, where the Config says so with negative values.
	def := embed.Config{}.WithDefaults()
	wego, cbow := embed.Config{Engine: embed.Wego}.WithDefaults(), embed.Config{Model: embed.CBOW}.WithDefaults()
	return &cli.Command{
		Name:      "train",
		Usage:     "train skip-gram or CBOW vectors on corpus files (one sentence a line, tokens separated by spaces)",
		ArgsUsage: " ",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "corpus", Required: true, Usage: "corpus `FILE` (repeat for several)"},
			&cli.StringFlag{Name: "out", Required: true, Usage: "output vectors `FILE` (binary if it ends in .bin, else text)"},
			&cli.BoolFlag{Name: "binary", Usage: "write the word2vec binary format whatever the extension"},
			&cli.StringFlag{Name: "engine", Value: string(def.Engine), Usage: "native or wego"},
			&cli.StringFlag{Name: "model", Value: string(def.Model), Usage: "skipgram or cbow"},
			&cli.StringFlag{Name: "optimizer", Usage: "ns (negative sampling) or hs (hierarchical softmax; wego's negatives are uniform)",
				DefaultText: fmt.Sprintf("%s, %s with wego", def.Optimizer, wego.Optimizer)},
			&cli.IntFlag{Name: "dim", Value: def.Dim, Usage: "vector dimension"},
			&cli.IntFlag{Name: "window", Value: def.Window, Usage: "maximum context distance"},
			&cli.IntFlag{Name: "negative", Value: def.Negative, Usage: "noise words per example (ns)"},
			&cli.Float64Flag{Name: "sample", Value: def.Sample, Usage: "subsampling threshold (0: none)"},
			&cli.IntFlag{Name: "min-count", Value: def.MinCount, Usage: "drop words seen fewer times"},
			&cli.IntFlag{Name: "epochs", Value: def.Epochs, Usage: "passes over the corpus"},
			&cli.Float64Flag{Name: "alpha", Usage: "initial learning rate", DefaultText: fmt.Sprintf("%v, %v with cbow", def.Alpha, cbow.Alpha)},
			&cli.IntFlag{Name: "threads", Value: runtime.NumCPU(), Usage: "training goroutines (1: reproducible for a seed)"},
			&cli.Uint64Flag{Name: "seed", Value: cliSeed, Usage: "random seed"},
			maxLineFlag(),
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return fmt.Errorf("embed train: unexpected argument %q", c.Args().First())
			}
			sample := c.Float64("sample")
			if sample == 0 {
				sample = -1 // the Config's "off"
			}
			minCount := c.Int("min-count")
			if minCount <= 0 {
				minCount = -1
			}
			cfg := embed.Config{
				Engine:    embed.Engine(c.String("engine")),
				Model:     embed.Model(c.String("model")),
				Optimizer: embed.Optimizer(c.String("optimizer")),
				Dim:       c.Int("dim"),
				Window:    c.Int("window"),
				Negative:  c.Int("negative"),
				Sample:    sample,
				MinCount:  minCount,
				Epochs:    c.Int("epochs"),
				Alpha:     c.Float64("alpha"),
				Threads:   c.Int("threads"),
				Seed:      c.Uint64("seed"),
			}
			if err := cfg.Validate(); err != nil {
				return err
			}
			var readers []io.Reader
			for _, p := range c.StringSlice("corpus") {
				f, err := fileutil.Open(p)
				if err != nil {
					return fmt.Errorf("embed train: %w", err)
				}
				defer f.Close()
				readers = append(readers, f)
			}
			maxLen, err := maxLine(c, "embed train")
			if err != nil {
				return err
			}
			corpus, err := embed.ReadCorpusMax(maxLen, readers...)
			if err != nil {
				return err
			}
			var opts []embed.Option
			if !c.Bool("quiet") {
				opts = append(opts, embed.WithProgress(c.App.ErrWriter))
			}
			v, err := embed.Train(corpus, cfg, opts...)
			if err != nil {
				return err
			}
			out := c.String("out")
			if err := embed.Save(out, v, c.Bool("binary") || embed.IsBinaryPath(out)); err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "%s: %d words, dimension %d (corpus: %d tokens, %d sentences)\n",
				out, v.Len(), v.Dim(), corpus.Tokens(), corpus.Sentences())
			return nil
		},
	}
}

func loadVectors(c *cli.Context) (*embed.Vectors, error) {
	return embed.Load(c.String("vectors"))
}

func printNeighbors(w io.Writer, ns []embed.Neighbor) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, n := range ns {
		fmt.Fprintf(tw, "%s\t%.4f\n", n.Word, n.Similarity)
	}
	tw.Flush()
}

func embedSimilarCmd() *cli.Command {
	return &cli.Command{
		Name:      "similar",
		Usage:     "print the nearest neighbours of a word by cosine",
		ArgsUsage: "WORD",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "vectors", Required: true, Usage: "vectors `FILE` (word2vec text or binary)"},
			&cli.IntFlag{Name: "n", Value: 10, Usage: "number of neighbours"},
		},
		Action: func(c *cli.Context) error {
			words, err := positionalArgs(c, "embed similar")
			if err != nil {
				return err
			}
			n := c.Int("n")
			if len(words) != 1 {
				return fmt.Errorf("embed similar: want one WORD, got %d arguments", len(words))
			}
			v, err := loadVectors(c)
			if err != nil {
				return err
			}
			ns, err := v.Nearest(words[0], n)
			if err != nil {
				return err
			}
			printNeighbors(c.App.Writer, ns)
			return nil
		},
	}
}

func embedAnalogyCmd() *cli.Command {
	return &cli.Command{
		Name:      "analogy",
		Usage:     "answer A is to B as C is to ? (3CosAdd, query words excluded)",
		ArgsUsage: "A B C",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "vectors", Required: true, Usage: "vectors `FILE` (word2vec text or binary)"},
			&cli.IntFlag{Name: "n", Value: 10, Usage: "number of answers"},
			&cli.IntFlag{Name: "limit", Usage: "search only the N most frequent words (0: all)"},
		},
		Action: func(c *cli.Context) error {
			a, err := positionalArgs(c, "embed analogy")
			if err != nil {
				return err
			}
			n, limit := c.Int("n"), c.Int("limit")
			if len(a) != 3 {
				return fmt.Errorf("embed analogy: want three words A B C, got %d arguments", len(a))
			}
			v, err := loadVectors(c)
			if err != nil {
				return err
			}
			ns, err := v.Analogy(a[0], a[1], a[2], n, limit)
			if err != nil {
				return err
			}
			printNeighbors(c.App.Writer, ns)
			return nil
		},
	}
}

// jsonNumber turns NaN (no pair scored) into null.
func jsonNumber(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return x
}

func embedEvalCmd() *cli.Command {
	return &cli.Command{
		Name:      "eval",
		Usage:     "score vectors on WordSim353, SimLex-999 (Spearman ρ) and the word2vec analogies (top 30,000 words)",
		ArgsUsage: " ",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "vectors", Required: true, Usage: "vectors `FILE` (word2vec text or binary)"},
			&cli.StringFlag{Name: "data", Value: "../shared/data/word-eval", Usage: "`DIR` holding " +
				strings.Join([]string{embed.WordSim353File, embed.SimLex999File, embed.QuestionsFile}, ", ")},
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return fmt.Errorf("embed eval: unexpected argument %q", c.Args().First())
			}
			v, err := loadVectors(c)
			if err != nil {
				return err
			}
			e, err := embed.EvaluateDir(v, c.String("data"))
			if err != nil {
				return err
			}
			if c.Bool("json") {
				enc := json.NewEncoder(c.App.Writer)
				return enc.Encode(map[string]any{
					"vocab":          e.Vocab,
					"wordsim353":     jsonNumber(e.WordSim353.Spearman),
					"wordsim353_oov": e.WordSim353.OOV,
					"simlex999":      jsonNumber(e.SimLex999.Spearman),
					"simlex999_oov":  e.SimLex999.OOV,
					"analogy":        jsonNumber(e.Analogy.Accuracy),
					"analogy_oov":    e.Analogy.OOV,
				})
			}
			w := c.App.Writer
			fmt.Fprintf(w, "vocabulary    %d words, dimension %d\n", e.Vocab, v.Dim())
			fmt.Fprintf(w, "WordSim353    ρ = %.3f  (%d pairs, %d out of vocabulary)\n", e.WordSim353.Spearman, e.WordSim353.Pairs, e.WordSim353.OOV)
			fmt.Fprintf(w, "SimLex-999    ρ = %.3f  (%d pairs, %d out of vocabulary)\n", e.SimLex999.Spearman, e.SimLex999.Pairs, e.SimLex999.OOV)
			fmt.Fprintf(w, "analogy       %.1f%%  (%d of %d, %d out of the top %d words)\n", 100*e.Analogy.Accuracy,
				e.Analogy.Correct, e.Analogy.Answered, e.Analogy.OOV, embed.AnalogyLimit)
			return nil
		},
	}
}
