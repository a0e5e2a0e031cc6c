package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/nlp-go/nlp"
)

// Source yields the items of a stream one at a time, like encoding/csv's Reader:
// Next returns io.EOF after the last item. Run calls Next from one goroutine only.
type Source[T any] interface {
	Next() (T, error)
}

// Sink receives the results of a run, in input order, from one goroutine.
type Sink[T any] interface {
	Write(item T) error
}

// SinkFunc adapts a function to a Sink.
type SinkFunc[T any] func(item T) error

// Write calls f.
func (f SinkFunc[T]) Write(item T) error { return f(item) }

// Config sets how Run spreads the work. Zero values mean the defaults.
type Config struct {
	// Workers is the number of goroutines running the stage, each on its own fork;
	// 0 means runtime.GOMAXPROCS(0).
	Workers int
	// Batch is the largest number of items handed to the stage at once; 0 means 64.
	Batch int
	// BatchSize, when positive, also closes a batch once the sizes of its items
	// add up to BatchSize, for items with a Size() int method (Document.Size: bytes
	// of text), so that a batch of long documents holds fewer of them. 0 means no
	// limit but Batch.
	BatchSize int
	// Window bounds the batches in flight — read, being processed, or done and
	// waiting for an earlier one to be written: memory stays proportional to
	// Window × the size of a batch whatever the length of the input. 0 means
	// 2 × Workers + 2.
	Window int
}

// Validate reports the first invalid field, in the order Config declares them,
// as an error wrapping nlp.ErrConfig.
func (c Config) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"Workers", c.Workers}, {"Batch", c.Batch}, {"BatchSize", c.BatchSize}, {"Window", c.Window}} {
		if f.v < 0 {
			return nlp.ConfigError("pipeline", "Config."+f.name, "%d, want ≥ 0", f.v)
		}
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Workers == 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.Batch == 0 {
		c.Batch = 64
	}
	if c.Window == 0 {
		c.Window = 2*c.Workers + 2
	}
	return c
}

// job is a batch of input with its sequence number; err is a read error that
// came right after its items.
type job[In any] struct {
	seq   int
	items []In
	err   error
}

type result[Out any] struct {
	seq int
	out []Out
	err error
}

// Run reads every item of src, passes them in batches through stage on
// cfg.Workers goroutines and writes the results to sink in input order.
//
// At most cfg.Window batches are in flight, so a stream of any length runs in
// bounded memory. Run returns the first error in input order — of the source,
// a stage or the sink — after writing every item that came before it, and stops
// the rest of the work; errors about a document name its source and line (*Error).
// When ctx is cancelled, Run stops reading, lets the batches being processed
// finish (built-in stages check ctx between sentences), and returns ctx.Err().
// Every goroutine Run starts has returned when it returns; a Source blocked in
// Next is waited for.
func Run[In, Out any](ctx context.Context, src Source[In], stage Stage[In, Out], sink Sink[Out], cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	cfg = cfg.withDefaults()
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// The window is a semaphore: a slot is taken before a batch is read and given
	// back once its results are written.
	slots := make(chan struct{}, cfg.Window)
	jobs := make(chan job[In], cfg.Workers)
	results := make(chan result[Out], cfg.Window)
	var wg sync.WaitGroup
	var total int // batches sent by the reader; read after wg.Wait
	eof := false

	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(jobs)
		for seq := 0; ; seq++ {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			items, err := readBatch(ctx, src, cfg)
			if errors.Is(err, io.EOF) {
				err = nil
				eof = true
			}
			if len(items) == 0 && err == nil && eof {
				total = seq
				return
			}
			select {
			case jobs <- job[In]{seq: seq, items: items, err: err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
			if eof {
				total = seq + 1
				return
			}
		}
	}()

	var workers sync.WaitGroup
	for range cfg.Workers {
		workers.Add(1)
		st := Fork(stage)
		go func() {
			defer workers.Done()
			for j := range jobs {
				r := result[Out]{seq: j.seq}
				if len(j.items) > 0 {
					r.out, r.err = process(ctx, st, j.items)
				}
				if r.err == nil {
					r.err = j.err
				}
				select {
				case results <- r:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		workers.Wait()
		close(results)
	}()

	// Reassemble in order: results wait in pending until every earlier batch is written.
	pending := make(map[int]result[Out], cfg.Window)
	next := 0
	var firstErr error
	for r := range results {
		if firstErr != nil {
			continue // drain until the workers have stopped
		}
		pending[r.seq] = r
		for {
			p, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			for _, o := range p.out {
				if err := sink.Write(o); err != nil {
					var pe *Error
					if !errors.As(err, &pe) {
						err = fmt.Errorf("pipeline: write: %w", err)
					}
					firstErr = err
					break
				}
			}
			if firstErr == nil {
				firstErr = p.err
			}
			next++
			<-slots
			if firstErr != nil {
				cancel()
				break
			}
		}
	}
	workers.Wait()
	wg.Wait()
	if firstErr != nil {
		if isCancel(firstErr) {
			if err := parent.Err(); err != nil {
				return err
			}
		}
		return firstErr
	}
	if !eof || next < total {
		if err := parent.Err(); err != nil {
			return err
		}
		return errors.New("pipeline: stopped before the end of the input")
	}
	return nil
}

// sized is implemented by items that can tell their size (*Document).
type sized interface{ Size() int }

// readBatch reads items until the batch is full (by count or weight), the source
// ends (io.EOF with the items read) or fails (the error with the items before it).
func readBatch[In any](ctx context.Context, src Source[In], cfg Config) ([]In, error) {
	items := make([]In, 0, min(cfg.Batch, 64))
	size := 0
	for len(items) < cfg.Batch {
		if err := ctx.Err(); err != nil {
			return items, err
		}
		x, err := src.Next()
		if err != nil {
			return items, err
		}
		items = append(items, x)
		if sz, ok := any(x).(sized); ok && cfg.BatchSize > 0 {
			if size += sz.Size(); size >= cfg.BatchSize {
				break
			}
		}
	}
	return items, nil
}

// process runs one batch through a stage, turning a panic into an error that names
// the batch's first item, so that a bug in a stage cannot take the process down
// from a worker goroutine.
func process[In, Out any](ctx context.Context, st Stage[In, Out], items []In) (out []Out, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, errorAt(items[0], fmt.Errorf("pipeline: stage panicked on the batch starting here: %v", r))
		}
	}()
	out, err = st.Process(ctx, items)
	var pe *Error
	if err != nil && !errors.As(err, &pe) && !isCancel(err) {
		// The stage did not say which item: name the batch.
		err = errorAt(items[0], fmt.Errorf("in the batch of %d items starting here: %w", len(items), err))
	}
	return out, err
}
