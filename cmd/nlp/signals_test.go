package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTagTrainInterrupted runs tag train in a context cancelled from the
// start, as a SIGINT does through trainContext: the command fails, says where
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
