package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// intSource yields 0, 1, …, n−1 (n < 0: without end).
type intSource struct {
	n, i int
	read atomic.Int64
}

func (s *intSource) Next() (int, error) {
	if s.n >= 0 && s.i >= s.n {
		return 0, io.EOF
	}
	s.i++
	s.read.Add(1)
	return s.i - 1, nil
}

// collect is a Sink keeping what it is given.
type collect[T any] struct{ items []T }

func (c *collect[T]) Write(x T) error { c.items = append(c.items, x); return nil }

// waitGoroutines waits until the number of goroutines is back to want (others
// may take a moment to return after Run) and fails if it does not.
func waitGoroutines(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > want {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines left, want %d:\n%s", runtime.NumGoroutine(), want, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestRunKeepsOrder(t *testing.T) {
	for _, tc := range []struct{ workers, batch, window, n int }{
		{1, 1, 1, 50}, {8, 1, 0, 500}, {8, 7, 3, 1000}, {3, 64, 0, 1000}, {16, 2, 40, 999}, {4, 10, 0, 0},
	} {
		t.Run(fmt.Sprintf("w%d-b%d-win%d-n%d", tc.workers, tc.batch, tc.window, tc.n), func(t *testing.T) {
			// Random delays per item make batches finish out of order.
			square := Map(func(_ context.Context, x int) (int, error) {
				time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
				return x * x, nil
			})
			toString := Map(func(_ context.Context, x int) (string, error) { return fmt.Sprint(x), nil })
			var out collect[string]
			cfg := Config{Workers: tc.workers, Batch: tc.batch, Window: tc.window}
			if err := Run(context.Background(), &intSource{n: tc.n}, Then(square, toString), &out, cfg); err != nil {
				t.Fatal(err)
			}
			if len(out.items) != tc.n {
				t.Fatalf("got %d items, want %d", len(out.items), tc.n)
			}
			for i, s := range out.items {
				if s != fmt.Sprint(i*i) {
					t.Fatalf("item %d = %s, want %d", i, s, i*i)
				}
			}
		})
	}
}

// forkCounter counts the forks made of it and checks that no fork is used by two
// goroutines at once.
type forkCounter struct {
	forks *atomic.Int64
	busy  atomic.Bool
}

func (f *forkCounter) Fork() Stage[int, int] {
	f.forks.Add(1)
	return &forkCounter{forks: f.forks}
}

func (f *forkCounter) Process(_ context.Context, b []int) ([]int, error) {
	if !f.busy.CompareAndSwap(false, true) {
		return nil, errors.New("fork used concurrently")
	}
	defer f.busy.Store(false)
	time.Sleep(50 * time.Microsecond)
	return b, nil
}

func TestRunForksPerWorker(t *testing.T) {
	var forks, made atomic.Int64
	fc := &forkCounter{forks: &forks}
	per := PerWorker(func() Stage[int, int] {
		made.Add(1)
		return &forkCounter{forks: new(atomic.Int64)}
	})
	var out collect[int]
	if err := Run(context.Background(), &intSource{n: 2000}, Chain[int](fc, per), &out, Config{Workers: 5, Batch: 3}); err != nil {
		t.Fatal(err)
	}
	if forks.Load() != 5 || made.Load() != 5 {
		t.Errorf("forks %d and PerWorker instances %d, want 5 each", forks.Load(), made.Load())
	}
	if len(out.items) != 2000 {
		t.Errorf("got %d items", len(out.items))
	}
}

func TestSerial(t *testing.T) {
	var inside, most atomic.Int64
	count := StageFunc[int, int](func(_ context.Context, b []int) ([]int, error) {
		n := inside.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(100 * time.Microsecond)
		inside.Add(-1)
		return b, nil
	})
	var out collect[int]
	if err := Run(context.Background(), &intSource{n: 300}, Serial[int, int](count), &out, Config{Workers: 6, Batch: 2}); err != nil {
		t.Fatal(err)
	}
	if most.Load() != 1 || len(out.items) != 300 {
		t.Errorf("at most %d batches inside at once (want 1), %d items", most.Load(), len(out.items))
	}
}

func TestRunCancel(t *testing.T) {
	// Warm up: start whatever long-lived goroutines the runtime or test framework
	// start lazily, then count.
	Run(context.Background(), &intSource{n: 10}, Map(func(_ context.Context, x int) (int, error) { return x, nil }), &collect[int]{}, Config{})
	before := runtime.NumGoroutine()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := &intSource{n: -1} // never ends
	slow := Map(func(_ context.Context, x int) (int, error) { time.Sleep(20 * time.Microsecond); return x, nil })
	written := 0
	sink := SinkFunc[int](func(x int) error {
		if x != written {
			return fmt.Errorf("got %d, want %d", x, written)
		}
		if written++; written == 5000 {
			cancel()
		}
		return nil
	})
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- Run(ctx, src, slow, sink, Config{Workers: 4, Batch: 16}) }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run returned %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Run took %v", d)
	}
	// The window bounds how far the reader ran ahead of the sink.
	if ahead := int(src.read.Load()) - written; ahead > (2*4+2)*16 {
		t.Errorf("read %d items beyond the %d written", ahead, written)
	}
	waitGoroutines(t, before)
}

func TestRunCancelBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Run(ctx, &intSource{n: -1}, Map(func(_ context.Context, x int) (int, error) { return x, nil }), &collect[int]{}, Config{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}

// docSource yields documents "doc K" on line 2K+1 of "gen.txt".
type docSource struct{ n, i int }

func (s *docSource) Next() (*Document, error) {
	if s.i >= s.n {
		return nil, io.EOF
	}
	d := &Document{Name: "gen.txt", Index: s.i, Line: 2*s.i + 1, Text: fmt.Sprintf("doc %d", s.i)}
	s.i++
	return d, nil
}

func TestRunErrorNamesDocument(t *testing.T) {
	before := runtime.NumGoroutine()
	const bad = 777
	failing := Map(func(_ context.Context, d *Document) (*Document, error) {
		time.Sleep(time.Duration(rand.IntN(50)) * time.Microsecond)
		if d.Index == bad {
			return nil, errors.New("boom")
		}
		return d, nil
	})
	var out collect[*Document]
	err := Run(context.Background(), &docSource{n: 5000}, failing, &out, Config{Workers: 4, Batch: 10})
	var pe *Error
	if !errors.As(err, &pe) || pe.Name != "gen.txt" || pe.Doc != bad || pe.Line != 2*bad+1 {
		t.Fatalf("got %v, want an *Error at gen.txt, doc %d, line %d", err, bad, 2*bad+1)
	}
	if want := "gen.txt:1555: doc 777: boom"; err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}
	// Everything before the failing document is written, nothing after it.
	if len(out.items) != bad {
		t.Fatalf("%d documents written, want %d", len(out.items), bad)
	}
	for i, d := range out.items {
		if d.Index != i {
			t.Fatalf("document %d written at %d", d.Index, i)
		}
	}
	waitGoroutines(t, before)
}

func TestRunPanickingStage(t *testing.T) {
	boom := StageFunc[*Document, *Document](func(_ context.Context, b []*Document) ([]*Document, error) {
		if b[0].Index >= 20 {
			panic("bug")
		}
		return b, nil
	})
	err := Run(context.Background(), &docSource{n: 100}, boom, &collect[*Document]{}, Config{Workers: 2, Batch: 10})
	var pe *Error
	if !errors.As(err, &pe) || pe.Doc != 20 || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("got %v", err)
	}
}

// failingSource fails after n items.
type failingSource struct{ n, i int }

func (s *failingSource) Next() (*Document, error) {
	if s.i == s.n {
		return nil, &Error{Position: Position{Name: "in.txt", Doc: s.i, Line: 99}, Err: errors.New("bad line")}
	}
	s.i++
	return &Document{Index: s.i - 1}, nil
}

func TestRunSourceError(t *testing.T) {
	var out collect[*Document]
	err := Run(context.Background(), &failingSource{n: 45}, Chain[*Document](), &out, Config{Workers: 3, Batch: 8})
	if err == nil || err.Error() != "in.txt:99: doc 45: bad line" {
		t.Fatalf("got %v", err)
	}
	if len(out.items) != 45 {
		t.Errorf("%d written before the error, want 45", len(out.items))
	}
}

func TestRunSinkError(t *testing.T) {
	var mu sync.Mutex
	n := 0
	sink := SinkFunc[int](func(int) error {
		mu.Lock()
		defer mu.Unlock()
		if n++; n == 100 {
			return errors.New("disk full")
		}
		return nil
	})
	err := Run(context.Background(), &intSource{n: -1}, Chain[int](), sink, Config{Workers: 2})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("got %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	if err := (Config{Workers: -1}).Validate(); err == nil {
		t.Error("negative workers accepted")
	}
	err := Run(context.Background(), &intSource{n: 1}, Chain[int](), &collect[int]{}, Config{Batch: -1})
	if err == nil {
		t.Error("Run accepted a negative batch")
	}
}

func TestBatchSize(t *testing.T) {
	// Documents of 1,000 bytes with BatchSize 4,000: batches of 4.
	var sizes []int
	st := StageFunc[*Document, *Document](func(_ context.Context, b []*Document) ([]*Document, error) {
		sizes = append(sizes, len(b))
		return b, nil
	})
	src := &sliceSource{}
	for i := range 10 {
		src.docs = append(src.docs, &Document{Index: i, Text: strings.Repeat("x", 1000)})
	}
	if err := Run(context.Background(), src, st, &collect[*Document]{}, Config{Workers: 1, Batch: 100, BatchSize: 4000}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sizes) != "[4 4 2]" {
		t.Errorf("batch sizes %v, want [4 4 2]", sizes)
	}
}

type sliceSource struct {
	docs []*Document
	i    int
}

func (s *sliceSource) Next() (*Document, error) {
	if s.i == len(s.docs) {
		return nil, io.EOF
	}
	s.i++
	return s.docs[s.i-1], nil
}
