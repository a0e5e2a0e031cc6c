package main

import (
	"context"
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/nlp-go/nlp/internal/progress"
	"github.com/nlp-go/nlp/train"
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
// without Epochs). The bar counts unit; size gives its length and what is
// done (nil: the steps of the epoch, or of the run). note writes what follows
// the counters (the loss, the best score).
type trainBar struct {
	w     io.Writer // nil: draw nothing
	unit  string    // "" means steps
	size  func(p train.Progress) (total, done int64)
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
	total, done := int64(p.Steps), int64(p.Step)
	if whole {
		total, done = int64(p.Total), int64(p.Done)
	}
	if b.size != nil {
		total, done = b.size(p)
	}
	if b.bar == nil || !whole && p.Epoch != b.epoch {
		b.finish()
		label := "train"
		if !whole {
			label = fmt.Sprintf("epoch %d", p.Epoch+1)
			if p.Epochs > 0 {
				label += fmt.Sprintf("/%d", p.Epochs)
			}
		}
		unit := b.unit
		if unit == "" {
			unit = "steps"
		}
		// Progress comes after a step: the bar's clock starts now, and the
		// first step's work is left out of its first frame, which would
		// otherwise show it done in no time.
		b.bar, b.epoch = progress.New(b.w, label, total, unit), p.Epoch
	} else {
		b.bar.Set(done)
	}
	if b.note != nil {
		b.bar.Note("%s", b.note(p))
	}
}

// finish ends the current bar's line.
func (b *trainBar) finish() {
	if b.bar != nil {
		b.bar.Finish()
		b.bar = nil
	}
}
