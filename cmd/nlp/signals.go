package main

import (
	"context"
	"fmt"
	"io"

	"github.com/nlp-go/nlp/internal/progress"
	"github.com/nlp-go/nlp/train"
	"github.com/urfave/cli/v2"
)

// commandContext is the context a command runs in: main cancels it on the
// first SIGINT, SIGTERM or SIGHUP (see stopSignals), which the training loop
// and pipeline.Run answer by stopping at the next step or batch with their
// output complete or their temp files removed. Tests run commands without
// main, hence the background context when there is none.
func commandContext(c *cli.Context) context.Context {
	if c.Context != nil {
		return c.Context
	}
	return context.Background()
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
