package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"testing"
	"time"
)

const generateTestdata = "../../generate/testdata"

func TestGenerateTrainSampleEval(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "verse.model")
	text := filepath.Join(generateTestdata, "verse.txt")
	small := []string{"--hidden", "16", "--layers", "2", "--embed", "8", "--batch", "4", "--bptt", "16", "--steps", "30", "--valid-every", "10", "--seed", "3"}
	out, err := runCLI(t, append([]string{"generate", "train", "--text", text, "--valid-fraction", "0.2", "--quiet", "--out", model}, small...)...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "step 30:") || !strings.Contains(out, "bits/char") {
		t.Fatalf("train output:\n%s", out)
	}
	if _, err := os.Stat(model + ".ckpt"); err != nil {
		t.Fatal(err)
	}
	// Resuming with more steps continues from step 30.
	out, err = runCLI(t, append([]string{"generate", "train", "--text", text, "--valid-fraction", "0.2", "--quiet", "--out", model, "--resume", "--json"}, append(small, "--steps", "40")...)...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Contains(out, "step 10:") || !strings.Contains(out, "step 40:") {
		t.Fatalf("resumed output:\n%s", out)
	}

	a, err := runCLI(t, "generate", "--model", model, "--lines", "3", "--seed", "9", "--top-k", "5")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := runCLI(t, "generate", "--model", model, "--lines", "3", "--seed", "9", "--top-k", "5")
	if a != b || strings.Count(a, "\n") != 3 {
		t.Fatalf("generated %q then %q", a, b)
	}
	out, err = runCLI(t, "generate", "--model", model, "--prime", "The river", "--temperature", "0", "--max-len", "30")
	if err != nil || !strings.HasPrefix(out, "The river") {
		t.Fatalf("primed: %q %v", out, err)
	}

	out, err = runCLI(t, "generate", "eval", "--model", model, text, "--tail-fraction", "0.2", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var ev struct {
		Lines, Chars int
		Nats, Bits   float64
	}
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if ev.Lines != 2 || ev.Nats <= 0 || ev.Bits <= ev.Nats {
		t.Fatalf("eval %+v", ev)
	}
	out, err = runCLI(t, "generate", "eval", "--model", model, "--streams", "2", text)
	if err != nil || !strings.Contains(out, "bits") {
		t.Fatalf("eval: %q %v", out, err)
	}

	// --max-seconds: stops cleanly and still writes a usable model.
	quick := filepath.Join(dir, "quick.model")
	out, err = runCLI(t, "generate", "train", "--text", text, "--max-seconds", "1", "--steps", "1000000", "--hidden", "8", "--batch", "2", "--bptt", "8", "--quiet", "--out", quick)
	if err != nil || !strings.Contains(out, "stopped by --max-seconds") {
		t.Fatalf("%v\n%s", err, out)
	}
	if _, err := runCLI(t, "generate", "--model", quick, "--lines", "1"); err != nil {
		t.Fatal(err)
	}
}

// TestGenerateTrainInterrupt cancels the command's context during a
// training, once its first checkpoint is written, as main does on SIGINT
// (TestSignalsDuringWrite sends real signals to a process): the command stops
// at a step boundary, fails with a message naming the model, the checkpoint
// and --resume, and the resumed training finishes.
func TestGenerateTrainInterrupt(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m.model")
	args := []string{"generate", "train", "--text", filepath.Join(generateTestdata, "verse.txt"), "--valid-fraction", "0.2",
		"--hidden", "8", "--layers", "1", "--embed", "4", "--batch", "2", "--bptt", "8", "--valid-every", "5", "--seed", "1", "--quiet", "--out", model}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return // the training ended without a checkpoint: no signal
			case <-time.After(5 * time.Millisecond):
			}
			if _, err := os.Stat(model + ".ckpt"); err == nil {
				cancel()
				return
			}
		}
	}()
	app := newApp()
	var buf bytes.Buffer
	app.Writer, app.ErrWriter = &buf, &buf
	err := app.RunContext(ctx, append([]string{"nlp"}, append(args, "--steps", "1000000")...))
	out := buf.String()
	close(done)
	if err == nil || !strings.Contains(err.Error(), "interrupted") || !strings.Contains(err.Error(), model+".ckpt") || !strings.Contains(err.Error(), "--resume") {
		t.Fatalf("interrupted training: %v\n%s", err, out)
	}
	if _, err := runCLI(t, "generate", "--model", model, "--lines", "1"); err != nil {
		t.Fatalf("the model left by the interrupted training: %v", err)
	}
	if out, err := runCLI(t, append(args, "--steps", "1000000", "--max-seconds", "1", "--resume")...); err != nil || !strings.Contains(out, "stopped by --max-seconds") {
		t.Fatalf("resumed training: %v\n%s", err, out)
	}
}

func TestGenerateErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(bad, []byte("fine\nnot \xc3 fine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.txt")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(generateTestdata, "verse.txt")
	out := filepath.Join(dir, "m")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"generate", "train", "--text", bad, "--out", out}, "bad.txt:2:5: invalid UTF-8"},
		{[]string{"generate", "train", "--text", empty, "--out", out}, "no text"},
		{[]string{"generate", "train", "--text", text, "--out", out}, "too few for one batch"},
		{[]string{"generate", "train", "--text", text, "--out", out, "--cell", "lstmx"}, "cell"},
		{[]string{"generate", "train", "--text", text, "--out", out, "--valid-fraction", "1.5"}, "--valid-fraction"},
		{[]string{"generate", "train", "--text", text, "--out", out, "--max-seconds", "-1"}, "--max-seconds"},
		{[]string{"generate", "train", "--text", text, "--out", out, "--bogus"}, "bogus"},
		{[]string{"generate"}, "--model is required"},
		{[]string{"generate", "--model", filepath.Join(dir, "none")}, "none"},
		{[]string{"generate", "--model", text}, "corrupt"},
		{[]string{"generate", "eval", "--model", text}, "want one FILE"},
		{[]string{"generate", "--model", text, "--temperature", "-1"}, "SampleConfig.Temperature"},
	} {
		got, err := runCLI(t, c.args...)
		if err == nil || !strings.Contains(err.Error()+got, c.want) {
			t.Errorf("%v: error %v, want %q", c.args, err, c.want)
		}
	}
}
