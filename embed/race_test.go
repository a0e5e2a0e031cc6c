//go:build race

package embed

// raceEnabled reports a -race build: wego's training races on its learning rate even
// with one goroutine (its observer goroutine writes the rate the trainer reads), so
// the tests that train through wego are skipped under the race detector.
const raceEnabled = true
