//go:build !race

package serve

// raceEnabled: the race detector slows the models about tenfold, and the
// time bounds of the tests with them.
const raceEnabled = false
