package generate

// shards runs the same job on several nets at once: shard 0 on the caller's
// goroutine, the others on long-lived goroutines, so that a training step
// starts no goroutine. The job is read by the workers after they are woken, so
// setting it between runs is safe.
type shards struct {
	job  func(i int)
	wake []chan struct{}
	done chan struct{}
}

func newShards(n int) *shards {
	s := &shards{done: make(chan struct{}, n)}
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

// run runs job(i) for every shard i and returns when all are done.
func (s *shards) run(job func(i int)) {
	s.job = job
	for _, c := range s.wake {
		c <- struct{}{}
	}
	job(0)
	for range s.wake {
		<-s.done
	}
}

// stop ends the worker goroutines.
func (s *shards) stop() {
	for _, c := range s.wake {
		close(c)
	}
	s.wake = nil
}
