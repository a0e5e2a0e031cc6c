package train

import "github.com/nlp-go/nlp/nn"

// Task is a model and its data, seen from the loop.
type Task interface {
	// Groups lists the trained parameters, each group with its optimizer.
	// The list and the order of the parameters are fixed for the run: the
	// gradient norm sums them in this order, and checkpoints name them.
	Groups() []Group
	// Epoch prepares epoch e (0-based: the order of its batches, its random
	// streams, training mode) and returns its number of steps. A resumed run
	// calls it again for the epoch it resumes in.
	Epoch(e int) (steps int)
	// Step runs forward and backward on batch i (0-based) of epoch e, adding
	// the gradients to the parameters' (the loop zeroes them before), and
	// returns the mean loss and the number of items it is the mean over
	// (words, sentences, characters), which the reports count.
	Step(e, i int) (loss float64, n int, err error)
	// Evaluate scores the current weights on the development data. It must
	// leave the model ready for the next Step (training mode restored).
	Evaluate() (Score, error)
	// Identity returns what a checkpoint must match to be resumed: the
	// configuration (without the fields a resume may change, such as the
	// number of epochs), the vocabularies, the size of the data. Each value is
	// compared as a string.
	Identity() (map[string]string, error)
}

// Group is a set of parameters stepped by one optimizer.
type Group struct {
	// Name tells the group in errors.
	Name   string
	Params []*nn.Param
	// Adam updates the group; its LR is the base rate that the schedule
	// scales. The task sets its other hyperparameters.
	Adam *nn.Adam
	// LR is the base learning rate (Adam.LR is set from it at every step).
	LR float64
	// Frozen, if set, reports the epochs (0-based) in which the group is not
	// updated (its Adam takes no step).
	Frozen func(epoch int) bool
}

// Score is an evaluation on the development data.
type Score struct {
	// Value decides which weights are kept: higher is better (a task that
	// measures a loss returns its negative).
	Value float64
	// Metrics are what the reports show (accuracy, loss in bits, ...).
	Metrics map[string]float64
}

// NoScore is the Score of a task without development data: every
// evaluation counts as an improvement, so the latest weights are kept.
var NoScore = Score{Value: noScore}

// noScore marks NoScore; NaN compares false with everything, which is why
// it is tested for explicitly.
var noScore = nan()

// Saver is a task that writes its model to a file: the loop saves the best
// weights to Options.Out at every improvement.
type Saver interface {
	Save(path string) error
}

// Refresher is a task that derives something from its weights (caches,
// float32 copies): the loop calls Refresh after it changes them other than
// by a step (the average swapped in, the best restored, a checkpoint loaded)
// and before every Evaluate and Save.
type Refresher interface {
	Refresh()
}

// Stateful is a task with state besides its weights that an exact resume
// needs (recurrent states carried from one step to the next): the loop saves
// and loads these Params with the checkpoint.
type Stateful interface {
	State() []*nn.Param
}
