package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// trainContext returns a context that SIGINT (Ctrl-C) or SIGTERM cancels, for
// the training commands: the loop then stops at the next step boundary with
// the best model and the checkpoint written, instead of the process dying
// mid-file. The returned stop restores the default handling, so that a second
// signal after training has returned kills as usual.
func trainContext(parent context.Context) (ctx context.Context, stop context.CancelFunc) {
	return signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
}
