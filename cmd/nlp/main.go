// Command nlp is the command line of the nlp toolkit: word2vec embeddings, recurrent
// layers, a part-of-speech tagger and a sentence classifier, all in Go.
//
// Each command lives in its own file and registers itself in init, so adding a
// command never touches this file. Only this package prints or exits.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/internal/buildinfo"
	"github.com/nlp-go/nlp/internal/fileutil"
)

// commands collects the top-level commands registered by the files of this package.
var commands []*cli.Command

// register adds a top-level command; called from init functions.
func register(c *cli.Command) { commands = append(commands, c) }

func init() {
	// --version prints what `nlp version` does; it has no -v, which reads as
	// "verbose" to most users.
	cli.VersionFlag = &cli.BoolFlag{Name: "version", Usage: "print the version, commit and build date"}
	cli.VersionPrinter = func(c *cli.Context) { printVersion(c.App.Writer, buildinfo.Read()) }
}

func newApp() *cli.App {
	sort.Slice(commands, func(i, j int) bool { return commands[i].Name < commands[j].Name })
	app := &cli.App{
		Name:                 "nlp",
		Usage:                "natural-language processing with recurrent networks",
		Commands:             commands,
		EnableBashCompletion: true,
		Version:              buildinfo.Version(),
		// Errors are printed once, by main, to stderr.
		ExitErrHandler: func(*cli.Context, error) {},
		// No command: the help; an unknown one: the closest command named.
		Action: appAction,
		// urfave/cli adds --help only with its own help command, which
		// helpCmd replaces.
		Flags: []cli.Flag{cli.HelpFlag},
	}
	// EXAMPLES in every command's help, required flags marked.
	addHelp(app)
	// Every command's output is checked: a write that fails is a non-zero exit.
	checkOutput(app)
	// Every numeric flag has a maximum, stated in its help and checked.
	boundSizes(app)
	return app
}

// stopSignals are the signals that cancel every command's context (c.Context):
// Ctrl-C, the polite kill and the closed terminal. Without this a SIGTERM or
// SIGHUP killed the process mid-write and left its temporary file behind.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// stopGrace is how long a command has to return after the first signal: the
// training loops stop at the next step and save, the writers stop at their
// next write. A command still running then is stopped with its temporary
// files removed, as it is at once by a second signal.
const stopGrace = 10 * time.Second

// extraGrace (nanoseconds) is added to stopGrace by a command that takes
// longer to stop on purpose: nlp serve, whose requests in flight get its
// --grace to finish.
var extraGrace atomic.Int64

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second signal now kills by default; catch it to clean up first
		again := make(chan os.Signal, 1)
		signal.Notify(again, stopSignals...)
		select {
		case <-again:
		case <-time.After(stopGrace + time.Duration(extraGrace.Load())):
		}
		fileutil.RemoveTemps()
		fmt.Fprintln(os.Stderr, "nlp: stopped by a signal")
		os.Exit(1)
	}()
	if err := newApp().RunContext(ctx, os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "nlp:", err)
		os.Exit(1)
	}
}
