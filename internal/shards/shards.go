// Package shards runs one job on several shards of a batch at once: shard 0
// on the caller's goroutine, the others on long-lived goroutines, so that a
// training step starts no goroutine. The trainers use it to split a batch
// between cores, each shard a replica of the model with gradients of its own.
package shards

// Pool runs jobs on a fixed number of shards.
type Pool struct {
	job  func(i int)
	wake []chan struct{}
	done chan struct{}
}

// New starts a pool of n shards (n−1 goroutines).
func New(n int) *Pool {
	s := &Pool{done: make(chan struct{}, n)}
	for i := 1; i < n; i++ {
		c := make(chan struct{})
		s.wake = append(s.wake, c)
		go func(i int) {
			for range c {
				s.job(i)
				s.done <- struct{}{}
			}
		}(i)
	}
	return s
}

// Run runs job(i) for every shard i and returns when all are done. The job is
// read by the workers after they are woken, so setting it between runs is
// safe.
func (s *Pool) Run(job func(i int)) {
	s.job = job
	for _, c := range s.wake {
		c <- struct{}{}
	}
	job(0)
	for range s.wake {
		<-s.done
	}
}

// Stop ends the worker goroutines; the pool must not be used after.
func (s *Pool) Stop() {
	for _, c := range s.wake {
		close(c)
	}
	s.wake = nil
}
