//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignalsDuringCorpus sends SIGTERM, SIGHUP and SIGINT to `nlp datasets
// corpus --out F` while it writes F: the process exits non-zero, no temporary
// file is left, and the previous F is intact. The Lee corpus of its data
// folder is a named pipe that the test keeps feeding, so the command is
// always mid-write when the signal comes, however fast or busy the machine.
func TestSignalsDuringCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the command in subprocesses")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := copyTree(datasetsTestdata+"/mini", data); err != nil {
		t.Fatal(err)
	}
	lee := filepath.Join(data, "corpora", "lee_background.cor")
	out := filepath.Join(dir, "corpus.txt")
	line := []byte(strings.Repeat("The old man walked slowly to the station and the train had left . ", 4) + "\n")
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			if err := os.WriteFile(out, []byte("previous\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			os.Remove(lee)
			if err := syscall.Mkfifo(lee, 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^$", "--", "datasets", "corpus", "--data", data, "--out", out, "-q")
			cmd.Env = append(os.Environ(), "NLP_TEST_MAIN=1")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			fail := func(format string, args ...any) {
				t.Helper()
				cmd.Process.Kill()
				<-exited
				t.Fatalf(format+"; stderr:\n%s", append(args, stderr.String())...)
			}
			// Open the pipe once the command reads it (ENXIO until then).
			deadline := time.Now().Add(60 * time.Second)
			var feed *os.File
			for feed == nil {
				f, err := os.OpenFile(lee, os.O_WRONLY|syscall.O_NONBLOCK, 0)
				switch {
				case err == nil:
					feed = f
				case !errors.Is(err, syscall.ENXIO):
					fail("open the pipe: %v", err)
				case time.Now().After(deadline):
					fail("the command never opened the Lee corpus")
				default:
					time.Sleep(10 * time.Millisecond)
				}
			}
			// Feed it lines until it stops reading (EPIPE once it exits).
			go func() {
				for {
					if _, err := feed.Write(line); err != nil {
						return
					}
				}
			}()
			for !writing(dir, ".corpus.txt.tmp-") {
				select {
				case err := <-exited:
					fail("the command ended before writing (%v)", err)
				case <-time.After(20 * time.Millisecond):
				}
				if time.Now().After(deadline) {
					fail("no temporary file appeared")
				}
			}
			cmd.Process.Signal(sig)
			var err error
			select {
			case err = <-exited:
			case <-time.After(30 * time.Second):
				fail("still running 30 s after %v", sig)
			}
			feed.Close()
			if err == nil {
				t.Errorf("exit status 0 after %v", sig)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".corpus.txt.tmp-*")); len(left) > 0 {
				t.Errorf("temporary files left after %v: %v", sig, left)
			}
			if got, _ := os.ReadFile(out); string(got) != "previous\n" {
				t.Errorf("the previous file was changed: %.40q", got)
			}
			if !strings.Contains(stderr.String(), "nlp:") {
				t.Errorf("no error message after %v; stderr:\n%s", sig, stderr.String())
			}
		})
	}
}
