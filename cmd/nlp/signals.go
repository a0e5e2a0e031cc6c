package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"
)

// trainContext returns the context a training command runs in: cancelled by
// the first SIGINT (Ctrl-C) or SIGTERM, so that the training loop stops at
// the next step boundary with the best model and the checkpoint written
// rather than dying halfway through an epoch. After that first signal the
// default handling is restored, so a second one ends the process at once if
// the stop takes too long. Call stop when the training returns.
func trainContext(c *cli.Context) (ctx context.Context, stop context.CancelFunc) {
	parent := c.Context
	if parent == nil {
		parent = context.Background()
	}
	ctx, stop = signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}

// interrupted is the error of a training command whose run was cancelled
// (train.Report.Stopped "canceled"): it says where the run left its work and
// how to go on, and makes the command exit non-zero, since what it was asked
// for is not done. best describes the model written to out ("" if none was:
// no evaluation had happened yet).
func interrupted(command, out, checkpoint, best string) error {
	if best == "" {
		return fmt.Errorf("%s: interrupted before the first evaluation: no model written to %s; "+
			"the checkpoint %s holds the position, run the same command with --resume to continue", command, out, checkpoint)
	}
	return fmt.Errorf("%s: interrupted: the best model so far (%s) is in %s and the checkpoint in %s; "+
		"run the same command with --resume to continue", command, best, out, checkpoint)
}
