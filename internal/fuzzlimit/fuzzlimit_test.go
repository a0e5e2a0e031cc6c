package fuzzlimit

import (
	"testing"
	"time"
)

// recorder is a testing.TB that records a failure instead of stopping.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Fatalf(string, ...any) { r.failed = true }

func TestCheck(t *testing.T) {
	fast := &recorder{TB: t}
	Check(fast, 100, func() {})
	slow := &recorder{TB: t}
	Check(slow, 100, func() { time.Sleep(PerChunk + 20*time.Millisecond) })
	big := &recorder{TB: t}
	Check(big, 3*Chunk, func() { time.Sleep(PerChunk + 20*time.Millisecond) })
	if fast.failed || !slow.failed || big.failed {
		t.Errorf("fast failed %v, slow failed %v, large input failed %v; want false, true, false", fast.failed, slow.failed, big.failed)
	}
}
