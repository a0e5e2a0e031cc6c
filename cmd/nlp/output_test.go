package main

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// failWriter fails every write, as /dev/full or a closed pipe does.
type failWriter struct{}

var errWriteFailed = errors.New("no space left on device (test)")

func (failWriter) Write([]byte) (int, error) { return 0, errWriteFailed }

// TestWriteErrorsExitNonZero runs commands whose output cannot be written: each
// must fail with the write error rather than exit 0 having written nothing
// (issue 17, item 4).
func TestWriteErrorsExitNonZero(t *testing.T) {
	for _, args := range [][]string{
		{"classify", "A gorgeous, moving film."},
		{"classify", "--format", "json", "A gorgeous, moving film."},
		{"tag", "-"},
		{"tag", "eval", "../../tagger/testdata/ewt-dev-slice.conllu"},
		{"tag", "eval", "--json", "../../tagger/testdata/ewt-dev-slice.conllu"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			app := newApp()
			app.Writer = failWriter{}
			app.ErrWriter = failWriter{}
			app.Reader = strings.NewReader("The cat sat on the mat.\n")
			err := app.Run(append([]string{"nlp"}, args...))
			if !errors.Is(err, errWriteFailed) {
				t.Fatalf("err = %v, want the write error", err)
			}
		})
	}
}

// TestDevFull runs nlp in a process of its own with its stdout on /dev/full.
func TestDevFull(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full:", err)
	}
	defer full.Close()
	for _, args := range [][]string{
		{"classify", "good"},
		{"classify", "--format", "json", "good"},
		{"tag", "eval", "../../tagger/testdata/ewt-dev-slice.conllu"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
			cmd.Env = append(os.Environ(), "NLP_TEST_MAIN=1")
			cmd.Stdout = full
			var stderr strings.Builder
			cmd.Stderr = &stderr
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() == 0 {
				t.Fatalf("err = %v, want a non-zero exit; stderr: %s", err, stderr.String())
			}
			if !strings.Contains(stderr.String(), "no space left on device") {
				t.Fatalf("stderr %q does not name the write error", stderr.String())
			}
		})
	}
}

// TestCheckedWriter checks that the first error is kept and every later write
// fails at once with it, without reaching the wrapped writer.
func TestCheckedWriter(t *testing.T) {
	var calls int
	cw := &checkedWriter{w: writerFunc(func(p []byte) (int, error) {
		calls++
		if calls == 2 {
			return 0, errWriteFailed
		}
		return len(p), nil
	})}
	if _, err := cw.Write([]byte("a")); err != nil || cw.Err() != nil {
		t.Fatal(err, cw.Err())
	}
	cw.Write([]byte("b"))
	if _, err := cw.Write([]byte("c")); err != errWriteFailed || cw.Err() != errWriteFailed || calls != 2 {
		t.Fatalf("err %v, Err %v, calls %d", err, cw.Err(), calls)
	}
}

// writerFunc is an io.Writer made of a function.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
