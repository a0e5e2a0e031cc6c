package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"
)

// examples are the EXAMPLES section of every command's help, by command path
// ("" is nlp itself), each line a command as one would type it and, after
// "#", what it does. Kept here, in one table, rather than in each command's
// file so that TestHelpExamples checks them all: every command has some, and
// every flag an example uses exists.
var examples = map[string][]string{
	"": {
		"nlp tag examples/sample.txt                 # part-of-speech tag a text, CoNLL-U out",
		"nlp classify \"A gorgeous, moving film.\"     # sentiment",
		"echo \"A fine film.\" | nlp pipeline -        # tokens, tags and sentiment as JSON lines",
		"nlp version                                 # the version, commit and build date",
		"source <(nlp completion bash)               # complete commands and flags in bash",
	},
	"tag": {
		"nlp tag examples/sample.txt                       # plain text in, CoNLL-U with UPOS and XPOS out",
		"nlp tag --format json - < text.txt                # JSON lines from stdin",
		"nlp tag --model my.tagger --input conllu dev.conllu",
		"nlp tag -m a.tagger -m b.tagger text.txt          # an ensemble of two models",
	},
	"tag train": {
		"nlp tag train --train train.conllu --dev dev.conllu --vectors vectors.bin --out my.tagger",
		"nlp tag train --train train.conllu --dev dev.conllu --out my.tagger --resume   # continue from my.tagger.ckpt",
	},
	"tag eval": {
		"nlp tag eval dev.conllu                      # the built-in model on a gold file",
		"nlp tag eval --model my.tagger --json dev.conllu",
	},
	"classify": {
		"nlp classify \"A gorgeous, moving film.\" \"A dull, tedious mess.\"",
		"nlp classify --format json - < reviews.txt   # one text a line; every class's probability",
		"nlp classify --model fine.model \"Not bad at all.\"",
		"nlp classify --model builtin:sst5 \"Not bad at all.\"   # five classes, very-negative .. very-positive",
	},
	"classify train": {
		"nlp classify train --train stsa.binary.train --dev stsa.binary.dev --vectors vectors.bin --out sst2.model",
		"nlp classify train --train imdb.txt.gz --dev-split 0.1 --epochs 5 --out imdb.model --quiet",
		"nlp classify train --input trees --binary --phrases --train trees/train.txt --dev trees/dev.txt --vectors vectors.bin --out sst2.model",
	},
	"classify eval": {
		"nlp classify eval stsa.binary.dev            # the built-in model",
		"nlp classify eval --model fine.model --json stsa.fine.dev",
		"nlp classify eval --input trees --binary trees/dev.txt   # the treebank's dev sentences, SST-2 labels",
	},
	"pipeline": {
		"echo \"A gorgeous, moving film. The plot is a dull mess.\" | nlp pipeline -",
		"nlp pipeline --format conllu examples/sample.txt",
		"nlp pipeline --paragraphs --vectors vectors.bin --out out.jsonl book.txt",
	},
	"serve": {
		"nlp serve                                   # the built-in tagger and classifier on http://127.0.0.1:8080",
		"nlp serve --addr :9000 --token-file token.txt --cors-origin https://example.org",
		"nlp serve --translator builtin --vectors vectors.bin --log-format json",
		"nlp serve --batch-wait 0                    # no batching, to measure what it gains",
	},
	"generate": {
		"nlp generate --model shakespeare.model --lines 10 --temperature 0.8 --seed 1",
		"nlp generate --model shakespeare.model --prime \"ROMEO:\" --top-k 5",
	},
	"generate train": {
		"nlp generate train --text input.txt --valid-fraction 0.1 --max-seconds 3600 --out shakespeare.model",
	},
	"generate eval": {
		"nlp generate eval --model shakespeare.model --tail-fraction 0.1 input.txt   # nats and bits per character",
	},
	"translate": {
		"echo \"Ein Mann fährt Fahrrad.\" | nlp translate   # the built-in German→English model",
		"nlp translate --model de-en.model --beam 5 sentences.de > sentences.en",
		"nlp translate --attention attention.png \"Ein Hund läuft auf dem Gras.\"",
	},
	"translate train": {
		"nlp translate train --src-train train.de --tgt-train train.en --src-dev val.de --tgt-dev val.en --out de-en.model",
	},
	"translate eval": {
		"nlp translate eval --src val.de --ref val.en --json   # BLEU of the built-in model",
	},
	"embed": {
		"nlp embed train --corpus corpus.txt --out vectors.bin",
		"nlp embed similar --vectors vectors.bin film",
	},
	"embed train": {
		"nlp embed train --corpus corpus.txt --out vectors.bin               # skip-gram, negative sampling, dim 100",
		"nlp embed train --corpus corpus.txt --model cbow --optimizer hs --threads 1 --seed 1 --out vectors.txt",
	},
	"embed similar": {
		"nlp embed similar --vectors vectors.bin film -n 10",
	},
	"embed analogy": {
		"nlp embed analogy --vectors vectors.bin man king woman   # king - man + woman",
	},
	"embed eval": {
		"nlp embed eval --vectors vectors.bin --data ../shared/data/word-eval --json",
	},
	"datasets": {
		"nlp datasets fetch ud-english-ewt --dir data",
		"nlp datasets stats train.conllu",
	},
	"datasets corpus": {
		"nlp datasets corpus --recipe bench --data ../shared/data --out corpus-bench.txt",
	},
	"datasets fetch": {
		"nlp datasets fetch ud-english-ewt --dir data   # run again to resume",
	},
	"datasets split": {
		"nlp datasets split --train-out train.conllu --dev-out dev.conllu --dev-fraction 0.2 all.conllu",
	},
	"datasets stats": {
		"nlp datasets stats train.conllu",
		"nlp datasets stats --vocab vectors.txt --lower --json reviews.txt   # with the OOV rate",
	},
	"datasets vocab": {
		"nlp datasets vocab --min-count 2 --out vocab.txt train.conllu",
	},
	"gradflow": {
		"nlp gradflow                                  # the gradient norms of rnn, lstm and gru",
		"nlp gradflow --steps 200 --plot gradflow.png",
	},
	"bench": {
		"nlp bench lstm --hidden 256 --threads 2",
		"nlp bench tag examples/sample.txt",
	},
	"bench lstm": {
		"nlp bench lstm --input 100 --hidden 128 --batch 32 --steps 25 --bidirectional --threads 2 --json",
	},
	"bench tag": {
		"nlp bench tag --model my.tagger examples/sample.txt",
	},
	"version": {
		"nlp version",
		"nlp --version",
		"nlp version --json",
	},
	"completion": {
		"source <(nlp completion bash)                          # this shell only",
		"nlp completion bash > ~/.local/share/bash-completion/completions/nlp",
		"nlp completion zsh > \"${fpath[1]}/_nlp\"",
		"nlp completion fish > ~/.config/fish/completions/nlp.fish",
	},
}

// helpPaths holds the path ("tag train") of every command addHelp has seen,
// for the help printer to find its examples.
var helpPaths = map[*cli.Command]string{}

// helpDone holds the commands and flags addHelp has done: newApp runs more
// than once in tests, and flags are shared between commands.
var helpDone = map[any]bool{}

func init() {
	// Every help page ends with its command's EXAMPLES.
	cli.HelpPrinter = func(w io.Writer, templ string, data any) {
		cli.HelpPrinterCustom(w, templ, data, nil)
		var ex []string
		switch d := data.(type) {
		case *cli.App:
			ex = examples[""]
		case *cli.Command:
			if path, ok := helpPaths[d]; ok {
				ex = examples[path]
			}
		}
		if len(ex) > 0 {
			fmt.Fprintf(w, "\nEXAMPLES:\n   %s\n", strings.Join(ex, "\n   "))
		}
	}
}

// addHelp records every command's path for its EXAMPLES, marks its required
// flags "(required)" in their usage, and makes the commands that only group
// others (datasets, embed, bench) answer a mistyped subcommand as nlp answers
// a mistyped command.
func addHelp(app *cli.App) {
	var walk func(prefix string, cmds []*cli.Command)
	walk = func(prefix string, cmds []*cli.Command) {
		for _, cmd := range cmds {
			if isHelpCommand(cmd) {
				continue
			}
			path := strings.TrimSpace(prefix + " " + cmd.Name)
			walk(path, cmd.Subcommands)
			for _, f := range cmd.Flags {
				if r, ok := f.(cli.RequiredFlag); ok && r.IsRequired() && !helpDone[f] {
					helpDone[f] = true
					markRequired(f)
				}
			}
			if helpDone[cmd] {
				continue
			}
			helpDone[cmd] = true
			helpPaths[cmd] = path
			switch {
			case cmd.Action == nil && len(cmd.Subcommands) > 0:
				cmd.Action = func(c *cli.Context) error {
					if c.NArg() == 0 {
						return cli.ShowSubcommandHelp(c)
					}
					return unknownCommand(path, c.Args().First(), cmd.Subcommands)
				}
			case len(cmd.Subcommands) > 0:
				// tag, classify, generate, translate take a FILE or text where
				// a subcommand may go: "nlp tag trian" fails on the missing
				// file trian, and the error says which subcommand was meant.
				action := cmd.Action
				cmd.Action = func(c *cli.Context) error {
					err := action(c)
					if err == nil || c.NArg() == 0 {
						return err
					}
					first := c.Args().First()
					if _, statErr := os.Stat(first); statErr == nil {
						return err
					}
					if s := closestCommand(first, cmd.Subcommands); s != "" {
						return fmt.Errorf("%w (did you mean \"%s %s\"?)", err, path, s)
					}
					return err
				}
			}
		}
	}
	walk("", app.Commands)
}

// isHelpCommand reports whether cmd is urfave/cli's help command, which the
// walks over the commands skip: once a help page has been shown, urfave has
// appended it to the command's subcommands, and to its own, so that a walk
// into it never ends.
func isHelpCommand(cmd *cli.Command) bool { return cmd.Name == "help" }

// markRequired adds "(required)" to a required flag's usage, unless it
// says so already.
func markRequired(f cli.Flag) {
	var usage *string
	switch f := f.(type) {
	case *cli.StringFlag:
		usage = &f.Usage
	case *cli.StringSliceFlag:
		usage = &f.Usage
	case *cli.IntFlag:
		usage = &f.Usage
	case *cli.Float64Flag:
		usage = &f.Usage
	case *cli.PathFlag:
		usage = &f.Usage
	}
	if usage != nil && !strings.Contains(*usage, "required") {
		*usage += " (required)"
	}
}

func init() { register(helpCmd()) }

// helpCmd replaces urfave/cli's help command, which answers "nlp help tagg"
// with nothing and exit status 0, and once run appends itself to its own
// subcommands (a loop for every walk over the commands after it, in tests).
// "nlp help A B" shows the help "nlp A B --help" shows; an unknown A or B is
// the error of an unknown command.
func helpCmd() *cli.Command {
	return &cli.Command{
		Name:      "help",
		Aliases:   []string{"h"},
		Usage:     "show the commands, or one command's help: nlp help [COMMAND [SUBCOMMAND]]",
		ArgsUsage: "[COMMAND [SUBCOMMAND]]",
		HideHelp:  true,
		Action: func(c *cli.Context) error {
			args := c.Args().Slice()
			if len(args) == 0 {
				return cli.ShowAppHelp(c)
			}
			var cmd *cli.Command
			cmds, path := c.App.Commands, ""
			for _, a := range args {
				var next *cli.Command
				for _, cmd := range cmds {
					if cmd.HasName(a) && !isHelpCommand(cmd) {
						next = cmd
					}
				}
				if next == nil {
					return unknownCommand(path, a, cmds)
				}
				cmd, cmds, path = next, next.Subcommands, strings.TrimSpace(path+" "+next.Name)
			}
			// The page of the command's own --help, from a copy named by its
			// path: urfave sets HelpName, and the flag and command categories
			// its templates read, only when the command runs.
			page := *cmd
			page.HelpName = c.App.Name + " " + path
			cli.HelpPrinterCustom(c.App.Writer, helpPageTemplate, &page, nil)
			if ex := examples[path]; len(ex) > 0 {
				fmt.Fprintf(c.App.Writer, "\nEXAMPLES:\n   %s\n", strings.Join(ex, "\n   "))
			}
			return nil
		},
	}
}

// helpPageTemplate is urfave/cli's CommandHelpTemplate and
// SubcommandHelpTemplate in one, without the categories (nil until the
// command has run).
const helpPageTemplate = `NAME:
   {{template "helpNameTemplate" .}}

USAGE:
   {{template "usageTemplate" .}}{{if .Description}}

DESCRIPTION:
   {{template "descriptionTemplate" .}}{{end}}{{if .VisibleCommands}}

COMMANDS:{{range .VisibleCommands}}
   {{join .Names ", "}}{{"\t"}}{{.Usage}}{{end}}{{end}}{{if .VisibleFlags}}

OPTIONS:{{template "visibleFlagTemplate" .}}{{end}}
`

// appAction is what nlp does given no command, or one it does not know:
// the help, or an error naming the closest command.
func appAction(c *cli.Context) error {
	if c.NArg() == 0 {
		return cli.ShowAppHelp(c)
	}
	return unknownCommand("", c.Args().First(), c.App.Commands)
}

// unknownCommand is the error for name, not a subcommand of the command at
// path ("" for nlp itself): it names the closest one, if any is close.
func unknownCommand(path, name string, cmds []*cli.Command) error {
	full := strings.TrimSpace(path + " " + name)
	help := strings.Join(strings.Fields("nlp "+path+" --help"), " ")
	if s := closestCommand(name, cmds); s != "" {
		return fmt.Errorf("unknown command %q; did you mean %q? (%s lists the commands)", full, strings.TrimSpace(path+" "+s), help)
	}
	return fmt.Errorf("unknown command %q (%s lists the commands)", full, help)
}

// closestCommand returns the command name (or alias) nearest to name: one
// that name begins, else the one at the smallest edit distance if that is at
// most a third of the longer of the two (at least 1, at most 3); "" if none
// is close.
func closestCommand(name string, cmds []*cli.Command) string {
	var names []string
	for _, c := range cmds {
		if c.Hidden || c.Name == "help" {
			continue
		}
		names = append(names, c.Names()...)
	}
	sort.Strings(names)
	lower := strings.ToLower(name)
	if lower != "" {
		for _, n := range names {
			if strings.HasPrefix(n, lower) {
				return n
			}
		}
	}
	best, bestD := "", 1<<30
	for _, n := range names {
		if d := editDistance(lower, n); d < bestD {
			best, bestD = n, d
		}
	}
	if bestD <= min(max(max(len([]rune(best)), len([]rune(name)))/3, 1), 3) {
		return best
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b, in runes, with
// a transposition of two neighbours counted as one edit ("tga" → "tag").
func editDistance(a, b string) int {
	s, t := []rune(a), []rune(b)
	d := make([][]int, len(s)+1)
	for i := range d {
		d[i] = make([]int, len(t)+1)
		d[i][0] = i
	}
	for j := range t {
		d[0][j+1] = j + 1
	}
	for i := 1; i <= len(s); i++ {
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(s)][len(t)]
}
