//go:build race

package main

// embedRace reports a -race build: wego races on its learning rate even with one
// goroutine, so the command test skips its wego case under the race detector.
const embedRace = true
