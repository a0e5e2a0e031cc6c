package serve

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// errStopped is the error of work submitted to a batcher that has stopped.
var errStopped = errors.New("serve: the server is shutting down")

// batcher gathers the items (sentences, texts) of concurrent requests into
// model batches. Each of its workers owns a copy of the model (run) and loops:
// wait for a job, take items from the queued jobs in arrival order until the
// batch holds maxItems items or maxWeight weight (words, bytes) or the oldest
// job has waited wait, run the batch, hand each job its results. A job larger
// than a batch is cut, its rest kept for the next batch, so one request never
// holds the model for more than a batch at a time and the others' sentences
// join it. A job whose context is done (the client went away, or its timeout
// passed) is dropped before its next batch: its remaining items never run.
//
// With batching off (single) a batch takes items from one job only: each
// request alone, as without a batcher, for comparison.
type batcher[In, Out any] struct {
	name      string // "tagger", "classifier": the label of the metrics
	queue     chan *job[In, Out]
	maxItems  int
	maxWeight int
	wait      time.Duration
	single    bool
	weight    func(In) int
	metrics   *metrics
	stop      chan struct{}
	stopOnce  sync.Once
	wg        sync.WaitGroup
}

// job is one request's items and, once done, their results.
type job[In, Out any] struct {
	ctx      context.Context
	items    []In
	out      []Out
	next     int       // items taken into batches so far
	enqueued time.Time // when it was queued: the wait and the queue metric count from here
	started  bool      // some of its items have been taken
	done     chan struct{}
	err      error // set before done is closed
}

// newBatcher starts one worker per run function (one per model copy).
func newBatcher[In, Out any](name string, runs []func([]In) []Out, maxItems, maxWeight int, wait time.Duration, single bool,
	weight func(In) int, m *metrics) *batcher[In, Out] {
	b := &batcher[In, Out]{name: name, queue: make(chan *job[In, Out], 1024), maxItems: maxItems, maxWeight: maxWeight,
		wait: wait, single: single, weight: weight, metrics: m, stop: make(chan struct{})}
	for _, run := range runs {
		b.wg.Add(1)
		go b.work(run)
	}
	return b
}

// Do runs items through the model, batched with other requests' items, and
// returns their results in order. It returns ctx.Err() as soon as ctx is done
// (the items not yet run are then dropped).
func (b *batcher[In, Out]) Do(ctx context.Context, items []In) ([]Out, error) {
	if len(items) == 0 {
		return nil, nil
	}
	select {
	case <-b.stop:
		return nil, errStopped
	default:
	}
	j := &job[In, Out]{ctx: ctx, items: items, out: make([]Out, len(items)), enqueued: time.Now(), done: make(chan struct{})}
	select {
	case b.queue <- j:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-b.stop:
		return nil, errStopped
	}
	select {
	case <-j.done:
		return j.out, j.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Close stops the workers once their current batch is done; jobs still queued
// fail with errStopped.
func (b *batcher[In, Out]) Close() {
	b.stopOnce.Do(func() { close(b.stop) })
	b.wg.Wait()
	for {
		select {
		case j := <-b.queue:
			b.finish(j, errStopped)
		default:
			return
		}
	}
}

// part is a run of a job's items in a batch.
type part[In, Out any] struct {
	j      *job[In, Out]
	lo, hi int
}

func (b *batcher[In, Out]) finish(j *job[In, Out], err error) {
	j.err = err
	close(j.done)
}

// work is a worker's loop: carry holds the jobs it has taken from the queue
// and not finished, oldest first.
func (b *batcher[In, Out]) work(run func([]In) []Out) {
	defer b.wg.Done()
	var carry []*job[In, Out]
	var batch []In
	var parts []part[In, Out]
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		if len(carry) == 0 {
			select {
			case j := <-b.queue:
				carry = append(carry, j)
			case <-b.stop:
				return
			}
		}
		batch, parts = batch[:0], parts[:0]
		items, weight := 0, 0
		full := false
		// take adds what fits of j's remaining items to the batch.
		take := func(j *job[In, Out]) {
			if j.ctx.Err() != nil || j.next == len(j.items) {
				return
			}
			lo := j.next
			for j.next < len(j.items) && !full {
				w := b.weight(j.items[j.next])
				if items > 0 && (items+1 > b.maxItems || weight+w > b.maxWeight) {
					full = true
					break
				}
				batch = append(batch, j.items[j.next])
				items++
				weight += w
				j.next++
				full = items >= b.maxItems || weight >= b.maxWeight
			}
			if j.next > lo {
				parts = append(parts, part[In, Out]{j, lo, j.next})
				if !j.started {
					j.started = true
					b.metrics.queueWait.WithLabelValues(b.name).Observe(time.Since(j.enqueued).Seconds())
				}
			}
		}
		carry = b.dropDone(carry)
		for _, j := range carry {
			if full || (b.single && len(parts) > 0) {
				break
			}
			take(j)
		}
		// Gather more jobs until the batch is full or the oldest has waited
		// long enough; with batching off, only while this batch is empty.
		if !b.single && !full && len(carry) > 0 {
			deadline := carry[0].enqueued.Add(b.wait)
			if d := time.Until(deadline); d > 0 {
				timer.Reset(d)
			gather:
				for !full {
					select {
					case j := <-b.queue:
						carry = append(carry, j)
						take(j)
					case <-timer.C:
						break gather
					case <-b.stop:
						break gather
					}
				}
				if !timer.Stop() {
					select {
					case <-timer.C:
					default:
					}
				}
			}
			// Whatever else is queued already joins without waiting.
		drain:
			for !full {
				select {
				case j := <-b.queue:
					carry = append(carry, j)
					take(j)
				default:
					break drain
				}
			}
		}
		if len(parts) == 0 {
			continue // every job taken was cancelled (dropDone finishes them)
		}
		out, err := b.runBatch(run, batch)
		b.metrics.batchItems.WithLabelValues(b.name).Observe(float64(items))
		b.metrics.batchWeight.WithLabelValues(b.name).Observe(float64(weight))
		k := 0
		for _, p := range parts {
			if err != nil {
				if p.j.err == nil {
					p.j.err = err
				}
			} else {
				copy(p.j.out[p.lo:p.hi], out[k:k+p.hi-p.lo])
			}
			k += p.hi - p.lo
		}
		clear(batch) // no reference to a request past its batch
		// Finish the jobs whose every item has run (or failed).
		kept := carry[:0]
		for _, j := range carry {
			switch {
			case j.err != nil:
				close(j.done)
			case j.next == len(j.items):
				close(j.done)
			default:
				kept = append(kept, j)
			}
		}
		clear(carry[len(kept):])
		carry = kept
	}
}

// dropDone finishes and removes the jobs whose context is done: the work of a
// request nobody waits for any more is not done.
func (b *batcher[In, Out]) dropDone(carry []*job[In, Out]) []*job[In, Out] {
	kept := carry[:0]
	for _, j := range carry {
		if err := j.ctx.Err(); err != nil {
			b.metrics.dropped.WithLabelValues(b.name).Inc()
			b.finish(j, err)
			continue
		}
		kept = append(kept, j)
	}
	clear(carry[len(kept):])
	return kept
}

// runBatch runs a batch, turning a panic of the model into an error for the
// batch's requests rather than the end of the worker (and of the server).
func (b *batcher[In, Out]) runBatch(run func([]In) []Out, batch []In) (out []Out, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("serve: the %s failed on a batch of %d: %v", b.name, len(batch), r)
		}
	}()
	out = run(batch)
	if len(out) != len(batch) {
		return nil, fmt.Errorf("serve: the %s returned %d results for %d items", b.name, len(out), len(batch))
	}
	return out, nil
}
