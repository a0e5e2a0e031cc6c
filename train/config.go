package train

import (
	"fmt"
	"math"
	"time"

	"github.com/nlp-go/nlp"
)

// Schedule is a learning-rate schedule.
type Schedule int

const (
	// Constant keeps the base rate.
	Constant Schedule = iota
	// Plateau multiplies the rate by Config.Decay after every evaluation
	// that does not improve on the best: smaller steps often find the rest of
	// the way down.
	Plateau
	// Cosine lowers the rate from the base rate at the first step to
	// Config.MinLR × base at the last, along half a cosine:
	// lr(s) = base·(m + (1−m)·(1 + cos(π·s/(S−1)))/2).
	Cosine
)

// String names the schedule as the command line does.
func (s Schedule) String() string {
	switch s {
	case Constant:
		return "constant"
	case Plateau:
		return "plateau"
	case Cosine:
		return "cosine"
	}
	return fmt.Sprintf("Schedule(%d)", int(s))
}

// Config is what the loop does; its zero value trains one epoch with a
// constant rate, no clipping and no early stopping. Everything in it decides
// the weights a run ends with (Options do not).
type Config struct {
	// Epochs is the number of epochs at most; 0 means no limit (Steps then
	// ends the run). One of Epochs and Steps must be set.
	Epochs int
	// Steps is the number of steps at most, over all epochs; 0 means no limit.
	Steps int
	// EvalEvery evaluates every EvalEvery steps (and after the last) instead
	// of at the end of every epoch; 0 means at the end of every epoch.
	EvalEvery int
	// Patience stops the run after this many evaluations in a row without
	// improvement; 0 means never.
	Patience int
	// Clip scales the gradients down so that their global L2 norm is at most
	// Clip; 0 means no clipping.
	Clip float64
	// Schedule of the learning rate; Decay is Plateau's factor, MinLR
	// Cosine's final fraction of the base rate.
	Schedule Schedule
	Decay    float64
	MinLR    float64
	// Average keeps a moving average of the trained weights, updated after
	// every step with the decay min(Average, (1+t)/(10+t)) at step t (1 after
	// the first step, which the average starts from), so that the first
	// steps, far from where training ends, weigh little for long; the average
	// is what is scored and kept (Polyak averaging). 0 means no average.
	Average float64
	// EvaluateFirst scores the weights before the first step and keeps them
	// unless an evaluation beats them: a fine-tuning returns a model at least
	// as good on the development data as the one it started from.
	EvaluateFirst bool
}

// Validate reports the first invalid field, in declaration order.
func (c Config) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("train: %w: "+format, append([]any{nlp.ErrConfig}, args...)...)
	}
	switch {
	case c.Epochs < 0:
		return bad("epochs must not be negative, got %d", c.Epochs)
	case c.Steps < 0:
		return bad("steps must not be negative, got %d", c.Steps)
	case c.Epochs == 0 && c.Steps == 0:
		return bad("one of epochs and steps must be set")
	case c.EvalEvery < 0:
		return bad("the evaluation interval must not be negative, got %d", c.EvalEvery)
	case c.Patience < 0:
		return bad("patience must not be negative, got %d", c.Patience)
	case !(c.Clip >= 0) || math.IsInf(c.Clip, 0):
		return bad("clip must be a non-negative number, got %g", c.Clip)
	case c.Schedule < Constant || c.Schedule > Cosine:
		return bad("unknown schedule %d", int(c.Schedule))
	case c.Schedule == Plateau && !(c.Decay > 0 && c.Decay <= 1):
		return bad("the plateau decay must be in (0, 1], got %g", c.Decay)
	case c.Schedule == Cosine && !(c.MinLR >= 0 && c.MinLR <= 1):
		return bad("the cosine schedule's final fraction must be in [0, 1], got %g", c.MinLR)
	case !(c.Average >= 0 && c.Average < 1):
		return bad("the average's decay must be in [0, 1), got %g", c.Average)
	}
	return nil
}

// Options are a run's extras: where it writes, how long it may take, whom it
// tells. They do not change the weights a run computes.
type Options struct {
	// Checkpoint is the file written after every evaluation and when the
	// run stops early; "" writes none.
	Checkpoint string
	// Resume continues from Checkpoint if that file exists.
	Resume bool
	// Out, if set, receives the best model at every improvement (the task
	// must be a Saver), so that a run stopped at any point leaves it written.
	Out string
	// MaxDuration stops the run at the first step boundary after this much
	// time (this run's): it evaluates, writes the checkpoint and returns the
	// best weights, with Report.Stopped "time". 0 means no limit.
	MaxDuration time.Duration
	// Progress, if set, is called after every step (cheaply: no allocation).
	Progress func(Progress)
	// Evaluated, if set, is called after every evaluation with its report,
	// the one of the starting weights (Config.EvaluateFirst, Epoch 0)
	// included.
	Evaluated func(Eval)
}

// Progress is where a run stands, after a step.
type Progress struct {
	Epoch  int // the current epoch, 0-based
	Epochs int // Config.Epochs
	Step   int // steps done in this epoch
	Steps  int // steps in this epoch
	Done   int // steps done in all (this run and the runs it resumes)
	Total  int // Config.Steps
	// Items counts the items (Task.Step's n) of this epoch's steps so far.
	Items int
	// Loss is the mean training loss since the last evaluation.
	Loss float64
	// Best is the best evaluation so far; nil before the first.
	Best *Eval
}
