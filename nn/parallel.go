package nn

import (
	"runtime"
	"sync"
)

// A small pool of long-lived worker goroutines runs the second half of
// independent work (the reverse direction of a bidirectional layer) so that
// steady-state steps neither start goroutines nor allocate. When every worker
// is busy the work runs on the caller's goroutine instead, so the pool can never
// deadlock and never oversubscribes the CPU.

// task is a unit of work handed to the pool; done is signalled when it ends.
type task interface {
	run()
	finished() *sync.WaitGroup
}

var (
	poolOnce sync.Once
	poolCh   chan task
)

func startPool() {
	n := runtime.GOMAXPROCS(0) - 1
	if n < 1 {
		n = 1
	}
	poolCh = make(chan task)
	for i := 0; i < n; i++ {
		go func() {
			for t := range poolCh {
				t.run()
				t.finished().Done()
			}
		}()
	}
}

// runPair runs t on a pool worker (or inline if none is free) while f runs on
// the caller's goroutine, and returns when both are done.
func runPair(f func(), t task) {
	poolOnce.Do(startPool)
	wg := t.finished()
	wg.Add(1)
	select {
	case poolCh <- t:
	default:
		t.run()
		wg.Done()
	}
	f()
	wg.Wait()
}
