package main

import (
	"fmt"
	"io"
	"sync"

	"github.com/urfave/cli/v2"
)

// checkedWriter wraps a command's output (c.App.Writer) and remembers the first
// write error, so that output lost to a full disk, a closed pipe or /dev/full
// is an error and a non-zero exit even where a command ignores the result of a
// write: a deferred Flush, a tabwriter, a fmt.Fprintf. After the first error
// every write fails at once with that error, so a command stops writing early.
type checkedWriter struct {
	mu  sync.Mutex
	w   io.Writer
	err error
}

// Write writes p to the wrapped writer unless an earlier write failed.
func (cw *checkedWriter) Write(p []byte) (int, error) {
	cw.mu.Lock()
	defer cw.mu.Unlock()
	if cw.err != nil {
		return 0, cw.err
	}
	n, err := cw.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		cw.err = err
	}
	return n, err
}

// Err returns the first write error, nil if every write succeeded.
func (cw *checkedWriter) Err() error {
	cw.mu.Lock()
	defer cw.mu.Unlock()
	return cw.err
}

// wrapped holds the commands whose Action checkOutput has wrapped: newApp runs
// more than once in tests, and an action is wrapped only once.
var wrapped = map[*cli.Command]bool{}

// checkOutput installs the checked writer: App.Before wraps the app's Writer
// once, before any command runs, and every command's Action (subcommands
// included) is wrapped so that an action returning nil after a failed write
// returns the write error instead, hence a non-zero exit. An action that
// returns an error keeps it: the first error is the one to report.
func checkOutput(app *cli.App) {
	app.Before = func(c *cli.Context) error {
		if _, ok := c.App.Writer.(*checkedWriter); !ok {
			c.App.Writer = &checkedWriter{w: c.App.Writer}
		}
		return nil
	}
	var walk func([]*cli.Command)
	walk = func(cmds []*cli.Command) {
		for _, cmd := range cmds {
			walk(cmd.Subcommands)
			if cmd.Action == nil || wrapped[cmd] {
				continue
			}
			wrapped[cmd] = true
			action := cmd.Action
			cmd.Action = func(c *cli.Context) error {
				if err := action(c); err != nil {
					return err
				}
				return outputErr(c)
			}
		}
	}
	walk(app.Commands)
}

// outputErr returns the first write error of the command's output, if any.
func outputErr(c *cli.Context) error {
	if cw, ok := c.App.Writer.(*checkedWriter); ok {
		if err := cw.Err(); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
	}
	return nil
}
