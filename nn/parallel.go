package nn

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// A small pool of long-lived worker goroutines runs the second half of
// independent work (the reverse direction of a bidirectional layer) so that
// steady-state steps neither start goroutines nor allocate. When every worker
// is busy the work runs on the caller's goroutine instead, so the pool can never
// deadlock and never oversubscribes the CPU.
//
// Handing work over and back must be fast: a batch-1 pass of a bidirectional
// layer lasts a few hundred microseconds, and waking a parked goroutine costs
// tens of them (the woken goroutine is queued on the waker's processor, and the
// idle processor that steals it first sleeps a few microseconds, which the
// kernel's timer slack stretches to about 50). Measured at hidden 128, batch 1,
// 25 steps: 430 µs a pass on one thread, 320 µs on two through a channel,
// instead of the 215 µs that splitting the work should give. So both sides
// poll before they park: a worker that has finished polls for its next task,
// and a caller that has finished its half polls for the worker's.

// How long each side polls before it parks. A caller waits for a task that is
// already running and, the two halves being alike, about to end: it may poll
// long, and must not park in steady state, for a parked caller is woken onto
// the worker's processor, behind the worker. An idle worker bridges the gap
// between the passes of a loop of calls, and then stops burning CPU.
const (
	callerSpin = time.Millisecond
	workerSpin = 50 * time.Microsecond
)

// task is a unit of work handed to the pool.
type task interface {
	run()
	done() *taskDone
}

// taskDone tells a caller that its task has ended.
type taskDone struct {
	state atomic.Int32  // taskRunning, taskEnded or taskAwaited
	wake  chan struct{} // signalled once when a parked caller awaits the end
}

const (
	taskRunning = iota
	taskEnded
	taskAwaited // the caller stopped polling and is parked on wake
)

// end marks the task ended and wakes the caller if it is parked. The woken
// caller is queued on this processor: yield it the processor, rather than make
// it wait for this worker to park or for the idle processor to steal it.
func (d *taskDone) end() {
	if d.state.Swap(taskEnded) == taskAwaited {
		d.wake <- struct{}{}
		runtime.Gosched()
	}
}

// wait returns once the task has ended, polling for up to callerSpin first.
func (d *taskDone) wait(spin bool) {
	if spin {
		for i, start := 0, time.Now(); ; i++ {
			if d.state.Load() == taskEnded {
				return
			}
			if i&63 == 63 && time.Since(start) > callerSpin {
				break
			}
			yieldSometimes(i)
		}
	}
	if d.state.CompareAndSwap(taskRunning, taskAwaited) {
		<-d.wake
	}
}

// yieldSometimes lets other goroutines run now and then during a poll: when
// every processor is taken (a pipeline running several models at once), the
// goroutine polled for may be waiting for this one's.
func yieldSometimes(i int) {
	if i&4095 == 4095 {
		runtime.Gosched()
	}
}

// worker states.
const (
	workerParked   = iota // blocked on wake: a claimant sends the task there
	workerSpinning        // polling for a task: a claimant puts it in next
	workerBusy            // claimed or running a task
)

// worker is one goroutine of the pool.
type worker struct {
	state atomic.Int32
	next  task        // the task handed to a spinning worker, published by ready
	ready atomic.Bool // next is set
	wake  chan task
}

var (
	poolOnce sync.Once
	pool     []*worker
	poolSpin bool // false with a single processor, where polling would only delay the caller
)

func startPool() {
	procs := runtime.GOMAXPROCS(0)
	poolSpin = procs > 1
	pool = make([]*worker, max(procs-1, 1))
	for i := range pool {
		w := &worker{wake: make(chan task, 1)}
		w.state.Store(workerBusy) // until its loop starts
		pool[i] = w
		go w.loop()
	}
}

// loop runs tasks for ever: it polls for the next one for up to workerSpin
// after each, then parks.
func (w *worker) loop() {
	for {
		var t task
		if poolSpin {
			w.state.Store(workerSpinning)
			for i, start := 0, time.Now(); t == nil; i++ {
				if w.state.Load() == workerBusy {
					// Claimed: the task follows.
					for !w.ready.Load() {
					}
					t, w.next = w.next, nil
					w.ready.Store(false)
					break
				}
				if i&63 == 63 && time.Since(start) > workerSpin {
					if w.state.CompareAndSwap(workerSpinning, workerParked) {
						t = <-w.wake
					}
					// Otherwise a claimant won the race: take its task next turn.
				}
				yieldSometimes(i)
			}
		} else {
			w.state.Store(workerParked)
			t = <-w.wake
		}
		t.run()
		t.done().end()
	}
}

// offer hands t to an idle worker and reports whether one took it.
func offer(t task) bool {
	for _, w := range pool {
		switch {
		case w.state.CompareAndSwap(workerSpinning, workerBusy):
			w.next = t
			w.ready.Store(true)
			return true
		case w.state.CompareAndSwap(workerParked, workerBusy):
			w.wake <- t
			return true
		}
	}
	return false
}

// runPair runs t on a pool worker (or inline if none is free) while f runs on
// the caller's goroutine, and returns when both are done.
func runPair(f func(), t task) {
	poolOnce.Do(startPool)
	d := t.done()
	if d.wake == nil {
		d.wake = make(chan struct{}, 1)
	}
	d.state.Store(taskRunning)
	if !offer(t) {
		t.run()
		d.state.Store(taskEnded)
	}
	f()
	d.wait(poolSpin)
}
