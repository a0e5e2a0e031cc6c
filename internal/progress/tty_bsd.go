//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package progress

import (
	"syscall"
	"unsafe"
)

// isTerminal asks the descriptor for its terminal attributes (TIOCGETA),
// which only a terminal has.
func isTerminal(fd uintptr) bool {
	var t syscall.Termios
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TIOCGETA, uintptr(unsafe.Pointer(&t)))
	return errno == 0
}
