package generate

import (
	"context"
	"math"
	"testing"

	"github.com/nlp-go/nlp/train"
)

// lrRecorder is the training task, recording the learning rate the loop has
// set for each step.
type lrRecorder struct {
	*task
	lrs []float64
}

func (r *lrRecorder) Step(e, k int) (float64, int, error) {
	r.lrs = append(r.lrs, r.groups[0].Adam.LR)
	return r.task.Step(e, k)
}

// lrAt is generate's schedule as it was before the loop took it over: the
// learning rate of step s (0-based).
func lrAt(c Config, s int) float64 {
	if c.Schedule == ScheduleConstant || c.Steps <= 1 {
		return c.LR
	}
	x := math.Min(float64(s)/float64(c.Steps-1), 1)
	return c.LR * (MinLRFraction + (1-MinLRFraction)*(1+math.Cos(math.Pi*x))/2)
}

// TestScheduleUnchanged checks that train.Run, configured by newTask, sets
// the very learning rates (bit for bit) that generate's own loop set, for
// both schedules, over several passes over the text.
func TestScheduleUnchanged(t *testing.T) {
	for _, sched := range []string{ScheduleCosine, ScheduleConstant} {
		cfg := Config{Hidden: 4, Layers: 1, Embed: 3, BatchSize: 2, BPTT: 8, Steps: 37, ValidEvery: 10, LR: 0.003, Schedule: sched, Seed: 1}
		tk, loopCfg, err := newTask(cfg, regular(4), nil)
		if err != nil {
			t.Fatal(err)
		}
		r := &lrRecorder{task: tk}
		_, err = train.Run(context.Background(), r, loopCfg, train.Options{})
		tk.sh.Stop()
		if err != nil {
			t.Fatal(err)
		}
		if tk.K >= cfg.Steps || len(r.lrs) != cfg.Steps {
			t.Fatalf("%s: %d steps of %d, %d chunks per pass", sched, len(r.lrs), cfg.Steps, tk.K)
		}
		for s, lr := range r.lrs {
			if want := lrAt(tk.cfg, s); lr != want {
				t.Errorf("%s: step %d: learning rate %v, want %v", sched, s, lr, want)
			}
		}
	}
}
