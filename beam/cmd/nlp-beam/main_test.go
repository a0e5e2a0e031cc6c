package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUsageAndErrors(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(nil, &out, &errOut); err != nil || !strings.Contains(out.String(), "nlp-beam pipeline --input GLOB") {
		t.Errorf("no arguments: %v, %q", err, out.String())
	}
	if err := run([]string{"corpus"}, &out, &errOut); err == nil || !strings.Contains(err.Error(), `unknown command "corpus"`) {
		t.Errorf("unknown command: %v", err)
	}
}

// TestVocabCommand runs nlp-beam vocab end to end on Prism (the flags are the
// process's flag set, so one command runs per test binary).
func TestVocabCommand(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "corpus.txt")
	if err := os.WriteFile(in, []byte("the cat sat\nthe dog sat on the cat\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	vocab := filepath.Join(dir, "vocab.txt")
	var out, errOut bytes.Buffer
	err := run([]string{"vocab", "--input", in, "--output", vocab, "--min-count", "2", "--format", "tokens"}, &out, &errOut)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(vocab)
	if err != nil {
		t.Fatal(err)
	}
	if want := "<unk>\t2\nthe\t3\ncat\t2\nsat\t2\n"; string(got) != want {
		t.Errorf("vocabulary %q, want %q", got, want)
	}
	if !strings.Contains(errOut.String(), "9 tokens counted") {
		t.Errorf("stderr %q", errOut.String())
	}
}
