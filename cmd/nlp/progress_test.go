package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestProgressInLogs trains a tiny classifier with its stderr captured, as a
// log or CI would: the progress comes as whole lines, one per epoch (the
// bar's last state), with no "\r"; --quiet leaves out the bar and keeps the
// per-epoch summaries.
func TestProgressInLogs(t *testing.T) {
	args := []string{"classify", "train", "--train", filepath.Join(classifyTestdata, "sst2-train.txt"),
		"--dev", filepath.Join(classifyTestdata, "sst2-dev.txt"), "--vectors", filepath.Join(classifyTestdata, "vectors-small.bin"),
		"--hidden", "8", "--epochs", "2", "--seed", "1"}
	out, err := runCLI(t, append(args, "--out", filepath.Join(t.TempDir(), "m.model"))...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Contains(out, "\r") {
		t.Errorf("progress written with \\r into a log:\n%q", out)
	}
	for _, want := range []string{"epoch 1/2 [", "epoch 2/2 [", "100.0%", "epoch 1: loss", "epoch 2: loss"} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %q:\n%s", want, out)
		}
	}
	quiet, err := runCLI(t, append(args, "--quiet", "--out", filepath.Join(t.TempDir(), "m.model"))...)
	if err != nil {
		t.Fatalf("%v\n%s", err, quiet)
	}
	if strings.Contains(quiet, "epoch 1/2 [") || !strings.Contains(quiet, "epoch 2: loss") {
		t.Errorf("--quiet:\n%s", quiet)
	}
}
