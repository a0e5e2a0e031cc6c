package train

import "math"

// Eval reports one evaluation, and the training since the one before.
type Eval struct {
	// Epoch is the epoch it was taken in, 1-based; 0 for the evaluation of
	// the starting weights (Config.EvaluateFirst).
	Epoch int `json:"epoch"`
	// Step counts the steps done in all when it was taken.
	Step int `json:"step"`
	// Loss is the mean training loss since the previous evaluation, weighted
	// by the items of each step.
	Loss float64 `json:"loss"`
	// Score is the development score (Score.Value); Scored is false for a
	// task without development data.
	Score  float64 `json:"score"`
	Scored bool    `json:"scored"`
	// Metrics are the task's development measures.
	Metrics map[string]float64 `json:"metrics,omitempty"`
	// Best says that these weights beat every earlier evaluation and are
	// kept.
	Best bool `json:"best"`
	// Items counts the training items since the previous evaluation,
	// Seconds the time spent in their steps, ItemsPerSecond their ratio.
	Items          int     `json:"items"`
	Seconds        float64 `json:"seconds"`
	ItemsPerSecond float64 `json:"items_per_second"`
	// Elapsed is the time since the run began, evaluations included (runs
	// that were resumed count too).
	Elapsed float64 `json:"elapsed_seconds"`
}

// Report is what a run did.
type Report struct {
	// Initial is the evaluation of the starting weights (Config.EvaluateFirst).
	Initial *Eval `json:"initial,omitempty"`
	// Evals are the evaluations in order.
	Evals []Eval `json:"evals"`
	// BestEpoch and BestStep locate the kept weights (epoch 1-based; 0 when
	// the starting weights were kept), BestScore is their score.
	BestEpoch int     `json:"best_epoch"`
	BestStep  int     `json:"best_step"`
	BestScore float64 `json:"best_score"`
	// Steps counts the steps done, Epochs the epochs completed.
	Steps  int `json:"steps"`
	Epochs int `json:"epochs"`
	// Seconds is the time in training steps; Elapsed adds the evaluations
	// and checkpoints (runs that were resumed count too).
	Seconds float64 `json:"seconds"`
	Elapsed float64 `json:"elapsed_seconds"`
	// Stopped says why the run ended before its limits: "" (it did not),
	// "patience", "time" (Options.MaxDuration) or "canceled" (the context).
	Stopped string `json:"stopped,omitempty"`
}

// Best returns the kept evaluation, or nil if there is none.
func (r *Report) Best() *Eval {
	if r.BestEpoch == 0 && r.Initial != nil {
		return r.Initial
	}
	for i := len(r.Evals) - 1; i >= 0; i-- {
		if r.Evals[i].Best {
			return &r.Evals[i]
		}
	}
	return nil
}

// ItemsPerSecond is the training speed over the whole run.
func (r *Report) ItemsPerSecond() float64 {
	n := 0
	for _, e := range r.Evals {
		n += e.Items
	}
	if r.Seconds <= 0 {
		return 0
	}
	return float64(n) / r.Seconds
}

func nan() float64 { return math.NaN() }
