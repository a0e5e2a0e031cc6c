package train

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/nlp-go/nlp/nn"
)

// metaState is the metadata key of the loop's state in a checkpoint.
const metaState = "train_state"

// ErrCheckpoint means a checkpoint that cannot be resumed: not one, made
// with another configuration or data, or damaged. The error says which.
var ErrCheckpoint = errors.New("train: cannot resume from the checkpoint")

// tensors lists every tensor of a checkpoint, sharing storage with the loop
// and the task, so that saving them writes the run and loading them restores it.
func (l *loop) tensors() []*nn.Param {
	var out []*nn.Param
	view := func(prefix string, p *nn.Param, v []float64) *nn.Param {
		// float64, whatever the Param's storage precision, so that a resumed
		// run continues from the very values in memory.
		return &nn.Param{Name: prefix + p.Name, Rows: p.Rows, Cols: p.Cols, Value: v}
	}
	for _, p := range l.params {
		out = append(out, view("", p, p.Value))
	}
	for i, p := range l.params {
		out = append(out, view("best.", p, l.best[i]))
	}
	for i, p := range l.params {
		if l.avg != nil {
			out = append(out, view("average.", p, l.avg[i]))
		}
	}
	for _, g := range l.groups {
		out = append(out, g.Adam.StateParams(g.Params)...)
	}
	if s, ok := l.task.(Stateful); ok {
		for _, p := range s.State() {
			out = append(out, view("state.", p, p.Value))
		}
	}
	return out
}

// checkpoint writes Options.Checkpoint (if set).
func (l *loop) checkpoint() error {
	if l.opt.Checkpoint == "" {
		return nil
	}
	meta, err := l.task.Identity()
	if err != nil {
		return err
	}
	st := l.st
	st.Elapsed += time.Since(l.began).Seconds()
	js, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("train: checkpoint: %w", err)
	}
	meta = maps.Clone(meta)
	meta[metaState] = string(js)
	if err := nn.Save(l.opt.Checkpoint, l.tensors(), meta); err != nil {
		return fmt.Errorf("train: checkpoint: %w", err)
	}
	return nil
}

// restore loads Options.Checkpoint if it exists, reporting whether it did.
func (l *loop) restore() (bool, error) {
	path := l.opt.Checkpoint
	meta, err := nn.LoadMeta(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("%w %q: %w", ErrCheckpoint, path, err)
	}
	js, ok := meta[metaState]
	if !ok {
		return false, fmt.Errorf("%w %q: it holds no training state (a model file, not a checkpoint?)", ErrCheckpoint, path)
	}
	want, err := l.task.Identity()
	if err != nil {
		return false, err
	}
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if got, ok := meta[k]; !ok || got != want[k] {
			return false, fmt.Errorf("%w %q: it was made with another %s:\n  checkpoint %s\n  now        %s", ErrCheckpoint, path, k, got, want[k])
		}
	}
	var st state
	if err := json.Unmarshal([]byte(js), &st); err != nil {
		return false, fmt.Errorf("%w %q: its training state: %w", ErrCheckpoint, path, err)
	}
	if len(st.AdamSteps) != len(l.groups) || st.Scale <= 0 {
		return false, fmt.Errorf("%w %q: its training state has %d optimizers for %d groups", ErrCheckpoint, path, len(st.AdamSteps), len(l.groups))
	}
	if _, err := nn.Load(path, l.tensors()); err != nil {
		return false, fmt.Errorf("%w %q: %w", ErrCheckpoint, path, err)
	}
	for _, p := range l.params {
		p.Changed()
	}
	for i, g := range l.groups {
		g.Adam.SetSteps(st.AdamSteps[i])
	}
	l.st = st
	l.refresh()
	return true, nil
}
