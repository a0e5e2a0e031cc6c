package train

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/nlp-go/nlp/nn"
)

// state is where a run stands: what a checkpoint holds besides tensors.
type state struct {
	Epoch int `json:"epoch"` // the current epoch, 0-based
	Step  int `json:"step"`  // steps done in it
	Steps int `json:"steps"` // steps done in all
	// AdamSteps are each group's Adam step counts (their bias corrections).
	AdamSteps []int `json:"adam_steps"`
	// Scale is Plateau's factor on the base rates.
	Scale float64 `json:"lr_scale"`
	// Bad counts the evaluations since the best.
	Bad int `json:"bad"`
	// HaveBest is set once an evaluation (or the starting weights) is kept.
	HaveBest bool `json:"have_best"`
	// LossSum, LossItems, Items and StepSeconds accumulate since the last
	// evaluation.
	LossSum     float64 `json:"loss_sum"`
	LossItems   int     `json:"loss_items"`
	StepSeconds float64 `json:"step_seconds"`
	// EpochItems counts the items of the current epoch's steps.
	EpochItems int `json:"epoch_items"`
	// Elapsed is the wall time of the runs before this one.
	Elapsed float64 `json:"elapsed"`
	Report  Report  `json:"report"`
}

// loop is one run of Run.
type loop struct {
	task   Task
	cfg    Config
	opt    Options
	groups []Group
	params []*nn.Param // every group's, in order
	best   [][]float64 // the kept weights, as params
	avg    [][]float64 // the moving average (Config.Average), as params
	st     state
	began  time.Time
	// horizon is the number of steps Cosine spreads over.
	horizon int
	// saved is set once this run has written Options.Out.
	saved bool
}

// Run trains task until the limits of cfg (or a stop: the context, or
// Options.MaxDuration), leaves the best weights in the task's parameters and
// returns the report. A cancelled or timed-out run is not an error: the
// report says so in Stopped, and the checkpoint lets Options.Resume go on.
func Run(ctx context.Context, task Task, cfg Config, opt Options) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	l := &loop{task: task, cfg: cfg, opt: opt, groups: task.Groups()}
	if opt.Out != "" {
		if _, ok := task.(Saver); !ok {
			return nil, fmt.Errorf("train: Options.Out needs a task that can save its model (%T is no Saver)", task)
		}
	}
	for _, g := range l.groups {
		if g.Adam == nil {
			return nil, fmt.Errorf("train: group %q has no optimizer", g.Name)
		}
		l.params = append(l.params, g.Params...)
	}
	l.st = state{Scale: 1, AdamSteps: make([]int, len(l.groups))}
	l.best = cloneValues(l.params)
	if cfg.Average > 0 {
		l.avg = cloneValues(l.params)
	}
	resumed := false
	if opt.Checkpoint != "" && opt.Resume {
		var err error
		if resumed, err = l.restore(); err != nil {
			return nil, err
		}
	}
	l.began = time.Now()
	if cfg.EvaluateFirst && !resumed {
		if err := l.evaluateFirst(); err != nil {
			return nil, err
		}
	}
	if err := l.run(ctx); err != nil {
		return nil, err
	}
	if l.st.Report.Stopped == "" && l.st.LossItems > 0 {
		// The limits ended the run between two evaluations (EvalEvery):
		// the last steps are scored too.
		if err := l.evaluate(); err != nil {
			return nil, err
		}
	}
	if l.st.HaveBest {
		copyInto(l.params, l.best)
		l.refresh()
		if resumed && !l.saved {
			// The best weights came from the checkpoint and no evaluation of
			// this run beat them: Options.Out is written from them again, so
			// that it holds what Run returns even if the file was lost or
			// damaged since (it is never read back).
			if err := l.save(); err != nil {
				return nil, err
			}
		}
	}
	rep := l.st.Report
	// Steps since the last evaluation count too (a cancelled run stops
	// between two); the checkpoint keeps them apart, to be reported at the
	// next evaluation of a resumed run.
	rep.Steps = l.st.Steps
	rep.Seconds += l.st.StepSeconds
	return &rep, nil
}

// run takes the steps.
func (l *loop) run(ctx context.Context) error {
	st, rep := &l.st, &l.st.Report
	rep.Stopped = ""
	for l.more() {
		n := l.task.Epoch(st.Epoch)
		if l.horizon == 0 {
			l.horizon = l.cfg.Steps
			if l.horizon == 0 {
				l.horizon = l.cfg.Epochs * n
			}
		}
		for st.Step < n && (l.cfg.Steps == 0 || st.Steps < l.cfg.Steps) {
			if stop := l.stopReason(ctx); stop != "" {
				return l.stop(stop)
			}
			if err := l.step(n); err != nil {
				return err
			}
			last := l.cfg.Steps > 0 && st.Steps == l.cfg.Steps
			if l.cfg.EvalEvery > 0 && (st.Steps%l.cfg.EvalEvery == 0 || last) {
				if err := l.evaluate(); err != nil {
					return err
				}
				if l.patienceOut() {
					rep.Stopped = "patience"
					return nil
				}
			}
		}
		if st.Step < n {
			break // Steps reached inside the epoch
		}
		st.Epoch, st.Step, st.EpochItems = st.Epoch+1, 0, 0
		rep.Epochs = st.Epoch
		if l.cfg.EvalEvery == 0 {
			if err := l.evaluate(); err != nil {
				return err
			}
			if l.patienceOut() {
				rep.Stopped = "patience"
				return nil
			}
		}
	}
	return nil
}

// more reports whether the limits allow another step.
func (l *loop) more() bool {
	st := &l.st
	if l.cfg.Epochs > 0 && st.Epoch >= l.cfg.Epochs {
		return false
	}
	if l.cfg.Steps > 0 && st.Steps >= l.cfg.Steps {
		return false
	}
	return !l.patienceOut()
}

func (l *loop) patienceOut() bool { return l.cfg.Patience > 0 && l.st.Bad >= l.cfg.Patience }

// stopReason tells whether the run must stop before the next step.
func (l *loop) stopReason(ctx context.Context) string {
	if ctx.Err() != nil {
		return "canceled"
	}
	if l.opt.MaxDuration > 0 && time.Since(l.began) >= l.opt.MaxDuration {
		return "time"
	}
	return ""
}

// stop ends a run early: out of time, the weights are evaluated first (the
// best model then reflects the last steps); cancelled, as soon as possible.
// Either way the checkpoint records the position.
func (l *loop) stop(reason string) error {
	if reason == "time" && l.st.LossItems > 0 {
		if err := l.evaluate(); err != nil {
			return err
		}
	} else if err := l.checkpoint(); err != nil {
		return err
	}
	l.st.Report.Stopped = reason
	return nil
}

// step takes one optimizer step.
func (l *loop) step(n int) error {
	st := &l.st
	t0 := time.Now()
	l.setRates()
	nn.ZeroGrad(l.params)
	loss, items, err := l.task.Step(st.Epoch, st.Step)
	if err != nil {
		return fmt.Errorf("epoch %d, step %d: %w", st.Epoch+1, st.Step+1, err)
	}
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return fmt.Errorf("train: epoch %d, step %d: the loss is %v (lower the learning rate)", st.Epoch+1, st.Step+1, loss)
	}
	if l.cfg.Clip > 0 {
		if norm := nn.ClipGradNorm(l.params, l.cfg.Clip); math.IsNaN(norm) || math.IsInf(norm, 0) {
			return fmt.Errorf("train: epoch %d, step %d: the gradient norm is %v (lower the learning rate)", st.Epoch+1, st.Step+1, norm)
		}
	}
	for i, g := range l.groups {
		if g.Frozen != nil && g.Frozen(st.Epoch) {
			continue
		}
		g.Adam.Step(g.Params)
		st.AdamSteps[i] = g.Adam.Steps()
	}
	st.Step++
	st.Steps++
	l.average()
	st.LossSum += loss * float64(items)
	st.LossItems += items
	st.EpochItems += items
	st.StepSeconds += time.Since(t0).Seconds()
	if l.opt.Progress != nil {
		l.opt.Progress(Progress{Epoch: st.Epoch, Epochs: l.cfg.Epochs, Step: st.Step, Steps: n, Done: st.Steps,
			Total: l.cfg.Steps, Items: st.EpochItems, Loss: st.LossSum / float64(max(st.LossItems, 1)), Best: l.st.Report.Best()})
	}
	return nil
}

// setRates sets every group's learning rate for the next step.
func (l *loop) setRates() {
	f := l.st.Scale
	if l.cfg.Schedule == Cosine && l.horizon > 1 {
		x := math.Min(float64(l.st.Steps)/float64(l.horizon-1), 1)
		f = l.cfg.MinLR + (1-l.cfg.MinLR)*(1+math.Cos(math.Pi*x))/2
	}
	for _, g := range l.groups {
		g.Adam.LR = g.LR * f
	}
}

// average folds the weights after a step into their moving average,
// avg ← d·avg + (1−d)·θ with d = min(Average, (1+t)/(10+t)) after step t.
// The average starts from the weights after the first step, not from the
// starting ones: random initial weights would otherwise keep a share of the
// average (2/11 after the first step, shrinking but never zero), and this is
// the formula the tagger's own averaging used, whose models are pinned.
func (l *loop) average() {
	if l.avg == nil {
		return
	}
	if l.st.Steps == 1 {
		copyInto(l.avg, l.params)
	}
	t := float64(l.st.Steps)
	d := min(l.cfg.Average, (1+t)/(10+t))
	for i, p := range l.params {
		a := l.avg[i]
		for k, v := range p.Value {
			a[k] = d*a[k] + (1-d)*v
		}
	}
}

// swapAverage exchanges the live weights and their average (nothing
// without averaging); twice puts everything back.
func (l *loop) swapAverage() {
	if l.avg == nil {
		return
	}
	for i, p := range l.params {
		a := l.avg[i]
		for k, v := range p.Value {
			p.Value[k], a[k] = a[k], v
		}
		p.Changed()
	}
}

func (l *loop) refresh() {
	if r, ok := l.task.(Refresher); ok {
		r.Refresh()
	}
}

// evaluateFirst scores the starting weights and keeps them as the best.
func (l *loop) evaluateFirst() error {
	l.refresh()
	sc, err := l.task.Evaluate()
	if err != nil {
		return err
	}
	e := Eval{Score: sc.Value, Scored: !math.IsNaN(sc.Value), Metrics: sc.Metrics, Best: true}
	if !e.Scored {
		e.Score = 0
	}
	l.st.Report.Initial = &e
	l.keep(e)
	if err := l.save(); err != nil {
		return err
	}
	// The starting score is an evaluation too: a caller reporting every one
	// shows it before the first step rather than after the whole run.
	if l.opt.Evaluated != nil {
		l.opt.Evaluated(e)
	}
	return nil
}

// evaluate scores the weights (their average, if kept), keeps them if they
// are the best so far, adapts the rate and writes the checkpoint.
func (l *loop) evaluate() error {
	st, rep := &l.st, &l.st.Report
	l.swapAverage()
	l.refresh()
	sc, err := l.task.Evaluate()
	if err != nil {
		return err
	}
	e := Eval{Epoch: st.Epoch + 1, Step: st.Steps, Loss: st.LossSum / float64(max(st.LossItems, 1)),
		Score: sc.Value, Scored: !math.IsNaN(sc.Value), Metrics: sc.Metrics,
		Items: st.LossItems, Seconds: st.StepSeconds}
	if st.Step == 0 && st.Epoch > 0 {
		e.Epoch = st.Epoch // taken at the end of the epoch just done
	}
	if e.Seconds > 0 {
		e.ItemsPerSecond = float64(e.Items) / e.Seconds
	}
	if !e.Scored {
		e.Score = 0
	}
	if !e.Scored || !st.HaveBest || e.Score > rep.BestScore {
		e.Best = true
		l.keep(e)
		if err := l.save(); err != nil {
			return err
		}
	} else {
		st.Bad++
		if l.cfg.Schedule == Plateau {
			st.Scale *= l.cfg.Decay
		}
	}
	l.swapAverage() // training goes on from the live weights
	if l.avg != nil {
		l.refresh()
	}
	rep.Seconds += st.StepSeconds
	rep.Steps = st.Steps
	st.LossSum, st.LossItems, st.StepSeconds = 0, 0, 0
	e.Elapsed = st.Elapsed + time.Since(l.began).Seconds()
	rep.Elapsed = e.Elapsed
	rep.Evals = append(rep.Evals, e)
	if l.opt.Evaluated != nil {
		l.opt.Evaluated(e)
	}
	return l.checkpoint()
}

// keep records e as the best and copies the weights aside.
func (l *loop) keep(e Eval) {
	st := &l.st
	st.HaveBest, st.Bad = true, 0
	st.Report.BestEpoch, st.Report.BestStep, st.Report.BestScore = e.Epoch, e.Step, e.Score
	copyInto(l.best, l.params)
}

// save writes the current weights to Options.Out.
func (l *loop) save() error {
	if l.opt.Out == "" {
		return nil
	}
	l.saved = true
	return l.task.(Saver).Save(l.opt.Out)
}

func cloneValues(ps []*nn.Param) [][]float64 {
	out := make([][]float64, len(ps))
	for i, p := range ps {
		out[i] = slices.Clone(p.Value)
	}
	return out
}

// copyInto copies values between Params and their copies, either way.
func copyInto[D, S [][]float64 | []*nn.Param](dst D, src S) {
	d, s := values(dst), values(src)
	for i := range d {
		copy(d[i], s[i])
	}
	if ps, ok := any(dst).([]*nn.Param); ok {
		for _, p := range ps {
			p.Changed()
		}
	}
}

func values[V [][]float64 | []*nn.Param](x V) [][]float64 {
	switch v := any(x).(type) {
	case [][]float64:
		return v
	case []*nn.Param:
		out := make([][]float64, len(v))
		for i, p := range v {
			out[i] = p.Value
		}
		return out
	}
	return nil
}
