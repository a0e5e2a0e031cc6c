package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/internal/linescan"
	"github.com/nlp-go/nlp/nn"
	"github.com/nlp-go/nlp/serve"
	"github.com/nlp-go/nlp/translate"
)

// sizeMaxima are the documented maxima of the numeric flags of every command
// (sizes, counts, durations): by flag name, for every command that has it,
// unless "COMMAND --NAME" gives another for one command. A value above its
// maximum is an error naming the flag and the maximum (checkSizes) rather
// than an allocation that exhausts memory or a run that never ends; each
// flag's help states it ("(at most N)", added by boundSizes). A new numeric
// flag needs an entry: TestSizeFlagMaxima fails without one. The maxima of
// widths and layers are those the packages' Validate apply (nn.MaxWidth,
// nn.MaxLayers), the others are far above any useful value.
var sizeMaxima = map[string]int64{
	"hidden": nn.MaxWidth, "dim": nn.MaxWidth, "word-dim": nn.MaxWidth, "char-hidden": nn.MaxWidth,
	"embed": nn.MaxWidth, "input": nn.MaxWidth,
	"layers":   nn.MaxLayers,
	"epochs":   10000,
	"patience": 10000, "freeze-epochs": 10000,
	"batch": 1 << 16, "batch-size": 1 << 16, "bptt": 1 << 16,
	"threads": 1024, "workers": 1024, "streams": 1024,
	"max-line":     linescan.MaxLineLimit,
	"pretrained-n": 1 << 24, "max-vocab": 1 << 24, "max-size": 1 << 24, "limit": 1 << 24,
	"min-count": 1_000_000_000,
	"max-len":   1 << 20,
	"window":    1000, "negative": 1000,
	"n":     10000,
	"lines": 1_000_000, "top-k": 1 << 20,
	"steps": 100_000_000, "valid-every": 100_000_000,
	"max-seconds": 366 * 24 * 3600, // a year
	"every":       1_000_000,

	"embed train --dim":        1 << 16, // the widest vectors a file may hold
	"generate train --threads": 256,     // generate.Config.Threads
	"gradflow --steps":         nn.MaxGradFlowSteps,
	"gradflow --input":         nn.MaxGradFlowWidth,
	"gradflow --hidden":        nn.MaxGradFlowWidth,
	"bench lstm --steps":       1_000_000,

	"emb": nn.MaxWidth, "decoder": nn.MaxWidth, "att-hidden": nn.MaxWidth, "output": nn.MaxWidth,
	"merges":                  translate.MaxMerges,
	"max-length":              translate.MaxLength,
	"beam":                    translate.MaxBeam,
	"translate --batch":       translate.MaxBatch,
	"translate eval --batch":  translate.MaxBatch,
	"translate train --batch": translate.MaxBatch,
	"translate --threads":     translate.MaxThreads,

	"max-body":                  serve.MaxMaxBody,
	"max-tokens":                serve.MaxMaxTokens,
	"max-sentences":             serve.MaxMaxSentences,
	"max-translate":             serve.MaxMaxSentences,
	"max-inflight":              serve.MaxMaxInflight,
	"max-batch":                 serve.MaxMaxBatch,
	"serve --workers":           serve.MaxWorkers,
	"translate eval --threads":  translate.MaxThreads,
	"translate train --threads": translate.MaxThreads,
}

// sizeMax returns the maximum of flag name of the command path ("tag
// train"), and whether it has one.
func sizeMax(path, name string) (int64, bool) {
	if m, ok := sizeMaxima[path+" --"+name]; ok {
		return m, true
	}
	m, ok := sizeMaxima[name]
	return m, ok
}

// sizePaths holds the path ("tag train") of every command whose flags' help
// and Action boundSizes has done: newApp runs more than once in tests, and
// each is done once.
var sizePaths = map[*cli.Command]string{}

// boundSizes states every numeric flag's maximum in its help and has every
// command check them (checkSizes) before its Action runs.
func boundSizes(app *cli.App) {
	var walk func(prefix string, cmds []*cli.Command)
	walk = func(prefix string, cmds []*cli.Command) {
		for _, cmd := range cmds {
			path := strings.TrimSpace(prefix + " " + cmd.Name)
			walk(path, cmd.Subcommands)
			if _, done := sizePaths[cmd]; done {
				continue
			}
			sizePaths[cmd] = path
			for _, f := range cmd.Flags {
				max, ok := sizeMax(path, f.Names()[0])
				if !ok {
					continue
				}
				switch f := f.(type) {
				case *cli.IntFlag:
					f.Usage += fmt.Sprintf(" (at most %d)", max)
				case *cli.Int64Flag:
					f.Usage += fmt.Sprintf(" (at most %d)", max)
				}
			}
			if cmd.Action == nil {
				continue
			}
			action := cmd.Action
			cmd.Action = func(c *cli.Context) error {
				if err := checkSizes(c); err != nil {
					return err
				}
				return action(c)
			}
		}
	}
	walk("", app.Commands)
}

// checkSizes returns an error for the first numeric flag of c's command set
// above its maximum. positionalArgs calls it again once it has applied the
// flags written after the arguments.
func checkSizes(c *cli.Context) error {
	path := sizePaths[c.Command]
	for _, f := range c.Command.Flags {
		name := f.Names()[0]
		max, ok := sizeMax(path, name)
		if !ok || !c.IsSet(name) {
			continue
		}
		var v int64
		switch f.(type) {
		case *cli.IntFlag:
			v = int64(c.Int(name))
		case *cli.Int64Flag:
			v = c.Int64(name)
		default:
			continue
		}
		if v > max {
			return fmt.Errorf("%s: --%s must be at most %d, got %d", path, name, max, v)
		}
	}
	return nil
}
