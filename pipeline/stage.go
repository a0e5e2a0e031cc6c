package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/nlp-go/nlp"
)

// Stage is one step of a pipeline: it consumes a batch of In and produces a batch
// of Out, in the same order (it may drop items or produce several for one, but never
// reorder them). Batches let model stages run many sentences through a network at
// once; Map turns a function of one item into a Stage.
//
// The type parameters are the stage's contract: Then(s1, s2) compiles only when s1's
// output type is s2's input type.
//
// On an error, Process may also return the results of the items before the one
// that failed; Run writes them before it returns the error.
//
// Run calls Process from several goroutines, each on its own copy of the stage made
// by Fork when the stage is a Forker, and on the stage itself otherwise: a stage that
// is not a Forker must be safe for concurrent use.
type Stage[In, Out any] interface {
	Process(ctx context.Context, batch []In) ([]Out, error)
}

// Forker is a Stage that holds state not safe for concurrent use — a model with
// its buffers, a tokenizer with its memo. Fork returns an independent copy for
// another goroutine; Run gives each worker its own fork and never calls Process on
// the original.
type Forker[In, Out any] interface {
	Stage[In, Out]
	Fork() Stage[In, Out]
}

// Fork returns s.Fork() when s is a Forker, else s itself (a stage safe for
// concurrent use is shared by every worker).
func Fork[In, Out any](s Stage[In, Out]) Stage[In, Out] {
	if f, ok := s.(Forker[In, Out]); ok {
		return f.Fork()
	}
	return s
}

// StageFunc adapts a function of a whole batch to a Stage. The function is called
// from several goroutines at once, so it must be safe for concurrent use.
type StageFunc[In, Out any] func(ctx context.Context, batch []In) ([]Out, error)

// Process calls f.
func (f StageFunc[In, Out]) Process(ctx context.Context, batch []In) ([]Out, error) {
	return f(ctx, batch)
}

// Map returns a Stage applying f to each item of a batch in turn. f is called from
// several goroutines at once, so it must be safe for concurrent use (use PerWorker
// for state of its own). An error of f about an item that has a position (a
// *Document) is returned as an *Error naming the item's source and line.
func Map[In, Out any](f func(ctx context.Context, item In) (Out, error)) Stage[In, Out] {
	return StageFunc[In, Out](func(ctx context.Context, batch []In) ([]Out, error) {
		out := make([]Out, len(batch))
		for i, x := range batch {
			y, err := f(ctx, x)
			if err != nil {
				return out[:i], errorAt(x, err)
			}
			out[i] = y
		}
		return out, nil
	})
}

// PerWorker returns a Stage made by newStage once per worker: Fork calls newStage,
// so that each goroutine of Run has its own instance — the way to wrap a stage that
// holds state not safe for concurrent use but cannot copy itself. Process on the
// returned stage itself (outside Run) uses one instance made on first use.
func PerWorker[In, Out any](newStage func() Stage[In, Out]) Stage[In, Out] {
	return &perWorker[In, Out]{newStage: newStage}
}

type perWorker[In, Out any] struct {
	newStage func() Stage[In, Out]
	own      Stage[In, Out]
}

func (p *perWorker[In, Out]) Process(ctx context.Context, batch []In) ([]Out, error) {
	if p.own == nil {
		p.own = p.newStage()
	}
	return p.own.Process(ctx, batch)
}

func (p *perWorker[In, Out]) Fork() Stage[In, Out] {
	return &perWorker[In, Out]{newStage: p.newStage, own: p.newStage()}
}

// Then composes two stages: the batch first produces is what second consumes.
// The types must fit:
//
//	var segment Stage[*Document, *Document]
//	var count Stage[*Document, int]
//	Then(segment, count) // Stage[*Document, int]
//	Then(count, segment) // does not compile: count produces int, segment consumes *Document
//
// The composition forks both stages when it is forked.
func Then[A, B, C any](first Stage[A, B], second Stage[B, C]) Stage[A, C] {
	return &then[A, B, C]{first: first, second: second}
}

type then[A, B, C any] struct {
	first  Stage[A, B]
	second Stage[B, C]
}

func (t *then[A, B, C]) Process(ctx context.Context, batch []A) ([]C, error) {
	mid, err := t.first.Process(ctx, batch)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		if len(mid) == 0 || isCancel(err) {
			return nil, err
		}
		// Finish the items that came before the failure, then report it.
		out, err2 := t.second.Process(ctx, mid)
		if err2 != nil {
			return out, err2
		}
		return out, err
	}
	return t.second.Process(ctx, mid)
}

func (t *then[A, B, C]) Fork() Stage[A, C] {
	return &then[A, B, C]{first: Fork(t.first), second: Fork(t.second)}
}

// Chain composes stages of one type, in order: Chain(a, b, c) is Then(Then(a, b), c).
// With no stage it returns a stage passing batches through.
func Chain[T any](stages ...Stage[T, T]) Stage[T, T] {
	if len(stages) == 0 {
		return StageFunc[T, T](func(_ context.Context, batch []T) ([]T, error) { return batch, nil })
	}
	s := stages[0]
	for _, next := range stages[1:] {
		s = Then(s, next)
	}
	return s
}

// Position says where an item came from: its source, its index among the source's
// documents (0-based) and the line where it starts (1-based; 0 when unknown).
type Position struct {
	Name string
	Doc  int
	Line int
}

// positioned is implemented by items that know where they came from (*Document).
type positioned interface {
	Position() Position
}

// Error is an error about one document: where it came from and what went wrong.
// Its message reads "input.txt:12: doc 11: cause". It is not a second position
// error: when the input itself is malformed, Err is the reader's
// *nlp.ParseError, which errors.As finds through it, and the message gives the
// parse error's place once ("input.conllu:12:5: doc 11: cause").
type Error struct {
	Position
	Err error
}

// Error formats the position and the cause.
func (e *Error) Error() string {
	name := e.Name
	if name == "" {
		name = "input"
	}
	cause := e.Err
	if pe, ok := e.Err.(*nlp.ParseError); ok && pe.Line == e.Line {
		cause = pe.Err
		if pe.Column > 0 {
			return fmt.Sprintf("%s:%d:%d: doc %d: %v", name, e.Line, pe.Column, e.Doc, cause)
		}
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: doc %d: %v", name, e.Line, e.Doc, cause)
	}
	return fmt.Sprintf("%s: doc %d: %v", name, e.Doc, cause)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// errorAt wraps err with the position of item, unless err already carries one or
// item has none. Cancellation is returned as is.
func errorAt[T any](item T, err error) error {
	var pe *Error
	if errors.As(err, &pe) || isCancel(err) {
		return err
	}
	if p, ok := any(item).(positioned); ok {
		return &Error{Position: p.Position(), Err: err}
	}
	return err
}

// isCancel reports whether err is a context's cancellation or deadline.
func isCancel(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// Serial returns a stage that runs s on one batch at a time, whichever worker
// calls it: one instance of s (never forked) shared by the workers under a lock.
// The workers still overlap it with the other stages of the chain — one tags
// while another classifies — so Serial trades some parallelism for one copy of
// a large model instead of one per worker.
func Serial[In, Out any](s Stage[In, Out]) Stage[In, Out] {
	return &serial[In, Out]{s: s}
}

type serial[In, Out any] struct {
	mu sync.Mutex
	s  Stage[In, Out]
}

func (s *serial[In, Out]) Process(ctx context.Context, batch []In) ([]Out, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.s.Process(ctx, batch)
}
