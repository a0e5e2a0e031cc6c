//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package progress

// isTerminal is false where the terminal ioctl is not known: the bar writes
// plain lines, which every log and console reads.
func isTerminal(uintptr) bool { return false }
