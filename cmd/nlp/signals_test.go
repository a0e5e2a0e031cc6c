package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run the command in a process of its own: the test
// binary re-executed with NLP_TEST_MAIN=1 is nlp, with the arguments after
// "--". That is the only way to send it a real signal.
func TestMain(m *testing.M) {
	if os.Getenv("NLP_TEST_MAIN") == "1" {
		for i, a := range os.Args {
			if a == "--" {
				os.Args = append([]string{"nlp"}, os.Args[i+1:]...)
				break
			}
		}
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestSignalsDuringWrite sends SIGTERM, SIGHUP and SIGINT to `nlp pipeline
// --out F` while it writes F: the process exits non-zero, no temporary file
// is left, and the previous F is intact (issue 17, item 6).
func TestSignalsDuringWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the command in subprocesses")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.txt")
	// Enough text that the write lasts seconds on a busy machine.
	line := "The old man walked slowly to the station , and the train had already left .\n"
	if err := os.WriteFile(in, bytes.Repeat([]byte(line), 200000), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.jsonl")
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			if err := os.WriteFile(out, []byte("previous\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^$", "--", "pipeline", "--input", "text", "--out", out, in)
			cmd.Env = append(os.Environ(), "NLP_TEST_MAIN=1")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Signal once the temporary file exists and has grown: mid-write.
			deadline := time.Now().Add(60 * time.Second)
			for !writing(dir, ".out.jsonl.tmp-") {
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					cmd.Wait()
					t.Fatalf("no temporary file appeared; stderr:\n%s", stderr.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			cmd.Process.Signal(sig)
			err := cmd.Wait()
			if err == nil {
				t.Errorf("exit status 0 after %v", sig)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".out.jsonl.tmp-*")); len(left) > 0 {
				t.Errorf("temporary files left after %v: %v", sig, left)
			}
			if got, _ := os.ReadFile(out); string(got) != "previous\n" {
				t.Errorf("the previous file was changed: %.40q", got)
			}
		})
	}
}

// writing reports whether dir holds a non-empty file whose name starts with prefix.
func writing(dir, prefix string) bool {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			if fi, err := e.Info(); err == nil && fi.Size() > 0 {
				return true
			}
		}
	}
	return false
}

// TestTagTrainInterrupted runs tag train in a context cancelled from the
// start, as main does on a SIGINT: the command fails, says where
// the checkpoint is and that --resume continues, and a resumed run finishes.
func TestTagTrainInterrupted(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m.tagger")
	args := []string{"nlp", "tag", "train", "--train", "../../tagger/testdata/ewt-dev-small.conllu",
		"--dev", "../../tagger/testdata/ewt-dev-small.conllu", "--out", model, "--quiet",
		"--hidden", "8", "--word-dim", "4", "--char-hidden", "4", "--epochs", "1"}
	run := func(ctx context.Context, args ...string) (string, error) {
		app := newApp()
		var out bytes.Buffer
		app.Writer, app.ErrWriter = &out, &out
		err := app.RunContext(ctx, args)
		return out.String(), err
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := run(ctx, args...)
	if err == nil || !strings.Contains(err.Error(), "interrupted before the first evaluation") ||
		!strings.Contains(err.Error(), model+".ckpt") || !strings.Contains(err.Error(), "--resume") {
		t.Fatalf("cancelled run: error %v", err)
	}
	if _, err := os.Stat(model + ".ckpt"); err != nil {
		t.Fatalf("no checkpoint after the interruption: %v", err)
	}
	if _, err := run(context.Background(), append(args, "--resume")...); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(model); err != nil {
		t.Errorf("no model after the resumed run: %v", err)
	}

	// Fine-tuning scores the initial model first: interrupted then, that model
	// is the best so far, and written.
	tuned := filepath.Join(dir, "tuned.tagger")
	_, err = run(ctx, "nlp", "tag", "train", "--train", "../../tagger/testdata/ewt-dev-small.conllu",
		"--dev", "../../tagger/testdata/ewt-dev-small.conllu", "--out", tuned, "--quiet", "--init", model)
	if err == nil || !strings.Contains(err.Error(), "best model so far (epoch 0, dev UPOS") || !strings.Contains(err.Error(), tuned) {
		t.Fatalf("cancelled fine-tuning: error %v", err)
	}
	if _, err := os.Stat(tuned); err != nil {
		t.Errorf("the initial model was not written: %v", err)
	}
}
