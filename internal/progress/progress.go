// Package progress draws a one-line progress bar (done/total, rate, ETA and a
// caller-supplied note such as the loss) on a writer, normally stderr.
//
// On a terminal the line is redrawn in place ("\r") five times a second. On
// anything else — a file, a pipe, a CI log — a bar writes plain lines instead,
// one every PlainEvery and the last one at Finish, with no "\r", so that a
// redirected log reads line by line.
//
// Library packages take an io.Writer for progress and never print on their own;
// a nil writer turns the bar off, so callers need no special case.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Bar is a throttled progress line. It is safe for concurrent use.
type Bar struct {
	mu      sync.Mutex
	w       io.Writer
	label   string
	unit    string
	total   int64
	done    int64
	note    string
	start   time.Time
	last    time.Time
	every   time.Duration
	now     func() time.Time
	lastLen int
	plain   bool // not a terminal: whole lines, no "\r"
}

// PlainEvery is how often a bar writes a line where its writer is not a
// terminal (at most: a bar that finishes sooner writes only its last line).
const PlainEvery = 10 * time.Second

// termEvery is how often a bar redraws its line on a terminal.
const termEvery = 200 * time.Millisecond

// New returns a bar that counts toward total (0 or less: unknown) in the given unit
// ("words", "bytes", "sentences"). With w nil every method is a no-op. The bar
// is redrawn in place if w is a terminal (IsTerminal), and written as plain
// periodic lines otherwise.
func New(w io.Writer, label string, total int64, unit string) *Bar {
	b := &Bar{w: w, label: label, unit: unit, total: total, now: time.Now}
	b.setPlain(!IsTerminal(w))
	b.start = b.now()
	if b.plain {
		b.last = b.start // the first line after PlainEvery, not at once
	}
	return b
}

func (b *Bar) setPlain(plain bool) {
	b.plain, b.every = plain, termEvery
	if plain {
		b.every = PlainEvery
	}
}

// IsTerminal reports whether w is a terminal (an *os.File whose descriptor
// answers the terminal ioctl): /dev/null, files and pipes are not.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && f != nil && isTerminal(f.Fd())
}

// Add records n more units done and redraws if enough time has passed.
func (b *Bar) Add(n int64) {
	if b == nil || b.w == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done += n
	b.maybeDraw(false)
}

// Set records the absolute amount done.
func (b *Bar) Set(done int64) {
	if b == nil || b.w == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done = done
	b.maybeDraw(false)
}

// Note sets the text shown after the counters (for example "loss 0.412").
func (b *Bar) Note(format string, args ...any) {
	if b == nil || b.w == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.note = fmt.Sprintf(format, args...)
	b.maybeDraw(false)
}

// Finish draws the final state and ends the line.
func (b *Bar) Finish() {
	if b == nil || b.w == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.maybeDraw(true)
	if !b.plain {
		fmt.Fprintln(b.w)
	}
}

// Break ends the line the bar is drawn on, so that the caller can write lines
// of its own below it; the next draw starts a new line. Where the bar writes
// plain lines it does nothing: they end in a line break already.
func (b *Bar) Break() {
	if b == nil || b.w == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.plain && b.lastLen > 0 {
		fmt.Fprintln(b.w)
		b.lastLen = 0
	}
}

func (b *Bar) maybeDraw(force bool) {
	t := b.now()
	if !force && t.Sub(b.last) < b.every {
		return
	}
	b.last = t
	line := b.render(t)
	if b.plain {
		fmt.Fprintln(b.w, line)
		return
	}
	pad := ""
	if n := b.lastLen - len(line); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	b.lastLen = len(line)
	fmt.Fprintf(b.w, "\r%s%s", line, pad)
}

// render formats the line for time t.
func (b *Bar) render(t time.Time) string {
	el := t.Sub(b.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(b.done) / el
	}
	var s strings.Builder
	if b.label != "" {
		s.WriteString(b.label)
		s.WriteString(" ")
	}
	if b.total > 0 {
		frac := min(float64(b.done)/float64(b.total), 1)
		const width = 24
		fill := int(frac * width)
		fmt.Fprintf(&s, "[%s%s] %5.1f%% ", strings.Repeat("=", fill), strings.Repeat(" ", width-fill), 100*frac)
		fmt.Fprintf(&s, "%s/%s %s", human(float64(b.done)), human(float64(b.total)), b.unit)
	} else {
		fmt.Fprintf(&s, "%s %s", human(float64(b.done)), b.unit)
	}
	fmt.Fprintf(&s, " %s %s/s", human(rate), b.unit)
	if b.total > 0 && rate > 0 && b.done < b.total {
		eta := time.Duration(float64(b.total-b.done) / rate * float64(time.Second))
		fmt.Fprintf(&s, " ETA %s", eta.Round(time.Second))
	} else {
		fmt.Fprintf(&s, " %s", time.Duration(el*float64(time.Second)).Round(100*time.Millisecond))
	}
	if b.note != "" {
		s.WriteString(" ")
		s.WriteString(b.note)
	}
	return s.String()
}

// human prints a count with a k/M/G suffix.
func human(v float64) string {
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%.2fG", v/1e9)
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e4:
		return fmt.Sprintf("%.1fk", v/1e3)
	default:
		return fmt.Sprintf("%.0f", v)
	}
}
