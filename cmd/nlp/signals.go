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

// trainContext returns a context that SIGINT (Ctrl-C) or SIGTERM cancels, for
// the training commands: the loop then stops at the next step boundary with
// the best model and the checkpoint written, instead of the process dying
// mid-file. The returned stop restores the default handling, so that a second
// signal after training has returned kills as usual.
func trainContext(parent context.Context) (ctx context.Context, stop context.CancelFunc) {
	return signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
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
