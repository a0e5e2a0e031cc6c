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
	"github.com/urfave/cli/v2"
)

// trainContext is the context of a training command: cancelled by SIGINT
// (Ctrl-C) or SIGTERM, which the training loop answers by stopping at the
// next step with the best model written and a checkpoint to resume from.
// A second signal kills the process as usual, once stop is called.
func trainContext(c *cli.Context) (ctx context.Context, stop context.CancelFunc) {
	return signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
}

// interrupted is the error of a training stopped by a signal: the command
// exits non-zero, saying what is on disk and how to go on.
func interrupted(out string) error {
	return fmt.Errorf("interrupted: the best model so far is in %s, and --resume continues from %s.ckpt", out, out)
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
