package progress

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestBarRendersRateAndETA(t *testing.T) {
	var out strings.Builder
	clock := time.Unix(0, 0)
	b := New(&out, "train", 1000, "words")
	b.now = func() time.Time { return clock }
	b.start = clock
	clock = clock.Add(2 * time.Second)
	b.Add(250)
	b.Note("loss %.2f", 1.5) // throttled: shown at the next draw
	b.Finish()
	got := out.String()
	for _, want := range []string{"train", "25.0%", "250/1000 words", "125 words/s", "ETA 6s", "loss 1.50"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress line %q lacks %q", got, want)
		}
	}
	if !strings.HasSuffix(out.String(), "\n") {
		t.Errorf("Finish did not end the line: %q", out.String())
	}
}

func TestNilWriterIsSilent(t *testing.T) {
	b := New(nil, "x", 10, "u")
	b.Add(3)
	b.Note("n")
	b.Finish()
	var nilBar *Bar
	nilBar.Add(1) // must not panic
}

// fakeClock makes b read its time from *clock, starting now.
func fakeClock(b *Bar, clock *time.Time) {
	b.now = func() time.Time { return *clock }
	b.start, b.last = *clock, *clock
}

// TestPlainLinesWhenNotATerminal checks the bar on a writer that is not a
// terminal (a log file, a pipe): whole lines, none before PlainEvery has
// passed, one per PlainEvery at most, the last at Finish, and never a "\r".
func TestPlainLinesWhenNotATerminal(t *testing.T) {
	var out strings.Builder
	b := New(&out, "epoch 1", 100, "words")
	if !b.plain {
		t.Fatal("a strings.Builder taken for a terminal")
	}
	clock := time.Unix(0, 0)
	fakeClock(b, &clock)
	for _, step := range []struct {
		at    time.Duration
		done  int64
		lines int
	}{{time.Second, 10, 0}, {PlainEvery + time.Second, 20, 1}, {PlainEvery + 5*time.Second, 30, 1}, {2*PlainEvery + 2*time.Second, 40, 2}} {
		clock = time.Unix(0, 0).Add(step.at)
		b.Set(step.done)
		if got := strings.Count(out.String(), "\n"); got != step.lines {
			t.Fatalf("at %v: %d lines, want %d: %q", step.at, got, step.lines, out.String())
		}
	}
	b.Note("loss %.1f", 0.5)
	b.Finish()
	got := out.String()
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if strings.Contains(got, "\r") || len(lines) != 3 || !strings.HasSuffix(got, "\n") {
		t.Fatalf("plain output %q: want 3 lines, no \\r", got)
	}
	if !strings.Contains(lines[1], "40/100 words") || !strings.HasSuffix(lines[2], "loss 0.5") {
		t.Errorf("lines %q", lines)
	}
	b.Break() // nothing to end: the lines are whole
	if out.String() != got {
		t.Errorf("Break wrote %q", out.String()[len(got):])
	}
}

// TestTerminalRedrawsInPlace checks the terminal form: "\r" and the line
// redrawn, a shorter line padded over the longer, Break and Finish ending it.
func TestTerminalRedrawsInPlace(t *testing.T) {
	var out strings.Builder
	b := New(&out, "x", 0, "u")
	b.setPlain(false)
	clock := time.Unix(0, 0)
	fakeClock(b, &clock)
	b.last = time.Time{}
	b.Note("a long note")
	clock = clock.Add(time.Second)
	b.Note("")
	first := out.String()
	if strings.Count(first, "\r") != 2 || strings.Contains(first, "\n") {
		t.Fatalf("terminal output %q: want two \\r redraws on one line", first)
	}
	if parts := strings.Split(first, "\r"); len(parts[2]) != len(parts[1]) {
		t.Errorf("the shorter line is not padded over the longer: %q", first)
	}
	b.Break()
	b.Break() // once only
	if !strings.HasSuffix(out.String(), "\n") || strings.Count(out.String(), "\n") != 1 {
		t.Errorf("Break: %q", out.String())
	}
	b.Finish()
	if !strings.HasSuffix(out.String(), "\n") || strings.Count(out.String(), "\n") != 2 {
		t.Errorf("Finish: %q", out.String())
	}
}

// TestIsTerminal: files, pipes, /dev/null (a character device, but no
// terminal) and in-memory writers are not terminals; a pseudo-terminal is.
func TestIsTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	var nilFile *os.File
	for name, w := range map[string]io.Writer{"file": f, "pipe": w, "/dev/null": null, "builder": &strings.Builder{}, "nil *os.File": nilFile} {
		if IsTerminal(w) {
			t.Errorf("%s taken for a terminal", name)
		}
	}
	if runtime.GOOS != "linux" {
		return
	}
	pty, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal to check the other answer: %v", err)
	}
	defer pty.Close()
	if !IsTerminal(pty) {
		t.Error("a pseudo-terminal (/dev/ptmx) not taken for a terminal")
	}
}
