// Command nlp is the command line of the nlp toolkit: word2vec embeddings, recurrent
// layers, a part-of-speech tagger and a sentence classifier, all in Go.
//
// Each command lives in its own file and registers itself in init, so adding a
// command never touches this file. Only this package prints or exits.
package main

import (
	"fmt"
	"os"
	"sort"

	"github.com/urfave/cli/v2"
)

// commands collects the top-level commands registered by the files of this package.
var commands []*cli.Command

// register adds a top-level command; called from init functions.
func register(c *cli.Command) { commands = append(commands, c) }

func newApp() *cli.App {
	sort.Slice(commands, func(i, j int) bool { return commands[i].Name < commands[j].Name })
	return &cli.App{
		Name:                 "nlp",
		Usage:                "natural-language processing with recurrent networks",
		Commands:             commands,
		EnableBashCompletion: true,
		// Errors are printed once, by main, to stderr.
		ExitErrHandler: func(*cli.Context, error) {},
	}
}

func main() {
	if err := newApp().Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "nlp:", err)
		os.Exit(1)
	}
}
