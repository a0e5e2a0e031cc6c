package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/nlp-go/nlp/internal/progress"
	"github.com/nlp-go/nlp/train"
)

// trainContext returns the context a training command runs in: cancelled by
// the first SIGINT (Ctrl-C) or SIGTERM, so that the training loop stops at
// the next step boundary with the best model and the checkpoint written
// rather than dying halfway through an epoch. After that first signal the
// default handling is restored, so a second one ends the process at once if
// the stop takes too long. Call stop when the training returns.
func trainContext(parent context.Context) (ctx context.Context, stop context.CancelFunc) {
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

// trainBar draws the training loop's progress on w: one bar per epoch, or
// one for the whole run when it is counted in steps (train.Config.Steps
// without Epochs). note writes what follows the counters (the loss, the
// best score).
type trainBar struct {
	w     io.Writer // nil: draw nothing
	note  func(p train.Progress) string
	bar   *progress.Bar
	epoch int
}

// update is a train.Options.Progress callback.
func (b *trainBar) update(p train.Progress) {
	if b.w == nil {
		return
	}
	whole := p.Epochs == 0 && p.Total > 0
	if b.bar == nil || !whole && p.Epoch != b.epoch {
		b.finish()
		if whole {
			b.bar = progress.New(b.w, "train", int64(p.Total), "steps")
		} else {
			label := fmt.Sprintf("epoch %d", p.Epoch+1)
			if p.Epochs > 0 {
				label += fmt.Sprintf("/%d", p.Epochs)
			}
			b.bar = progress.New(b.w, label, int64(p.Steps), "batches")
		}
		b.epoch = p.Epoch
	}
	if whole {
		b.bar.Set(int64(p.Done))
	} else {
		b.bar.Set(int64(p.Step))
	}
	b.bar.Note("%s", b.note(p))
}

// finish ends the current bar's line.
func (b *trainBar) finish() {
	if b.bar != nil {
		b.bar.Finish()
		b.bar = nil
	}
}
