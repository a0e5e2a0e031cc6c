// Package fuzzlimit bounds the time a fuzz target may spend on one input, so
// that an input a reader handles in more than linear time is a failure the
// fuzzer reports and keeps, not a slow run nobody notices.
package fuzzlimit

import (
	"testing"
	"time"
)

// PerChunk is the time allowed for each started Chunk bytes of input: far
// above what a linear reader needs (microseconds per kilobyte), far below
// what a quadratic one takes on tens of kilobytes, with room for a loaded
// machine and the race detector.
const (
	PerChunk = 100 * time.Millisecond
	Chunk    = 10 << 10
)

// Check runs f and fails t if it took longer than PerChunk for each started
// Chunk of the n input bytes.
func Check(t testing.TB, n int, f func()) {
	t.Helper()
	start := time.Now()
	f()
	if d, limit := time.Since(start), PerChunk*time.Duration(1+n/Chunk); d > limit {
		t.Fatalf("%d bytes took %v, more than the %v allowed", n, d, limit)
	}
}
