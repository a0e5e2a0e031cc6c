package main

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// update rewrites the golden files from the current output:
//
//	go test ./cmd/nlp -run TestGolden -update
//
// Review the diff before committing it: these files pin what the built-in
// models answer, to the last digit, so that a refactoring that changes an
// output fails here, and a change meant to alter one shows it in the diff.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden runs commands on the built-in models end to end and compares
// their whole output with the files in testdata/golden: the tagger's CoNLL-U
// on plain text and on a treebank slice, the classifier's probabilities in
// full precision, and the pipeline's records.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		golden string
		stdin  string // a file given to the command as its standard input
		args   []string
	}{
		{"tag-sample.conllu", "", []string{"tag", "../../examples/sample.txt"}},
		{"tag-ewt-small.conllu", "", []string{"tag", "../../tagger/testdata/ewt-dev-small.conllu"}},
		{"classify.jsonl", "testdata/golden/classify-input.txt", []string{"classify", "--format", "json", "-"}},
		{"pipeline-sample.jsonl", "", []string{"pipeline", "../../examples/sample.txt"}},
		{"pipeline-sample.conllu", "", []string{"pipeline", "--format", "conllu", "../../examples/sample.txt"}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			var stdin []byte
			if tc.stdin != "" {
				var err error
				if stdin, err = os.ReadFile(tc.stdin); err != nil {
					t.Fatal(err)
				}
			}
			got, err := runCLIWithInput(t, string(stdin), tc.args...)
			if err != nil {
				t.Fatalf("nlp %v: %v", tc.args, err)
			}
			checkGolden(t, tc.golden, got, tc.args)
		})
	}
}

// checkGolden compares got, the output of nlp args, with the golden file
// name, or rewrites the file with -update.
func checkGolden(t *testing.T, name, got string, args []string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("nlp %v differs from %s:\n%s", args, path, firstDiff(got, string(want)))
	}
}

// firstDiff shows the first line where got and want differ, with its number.
func firstDiff(got, want string) string {
	line, start := 1, 0
	for i := 0; i < len(got) && i < len(want); i++ {
		if got[i] != want[i] {
			end := func(s string) string {
				j := i
				for j < len(s) && s[j] != '\n' {
					j++
				}
				return s[start:j]
			}
			return "line " + strconv.Itoa(line) + ":\n  got  " + end(got) + "\n  want " + end(want)
		}
		if got[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	return "one output is a prefix of the other, which ends at line " + strconv.Itoa(line)
}

// TestGoldenTraining trains each task for a few epochs (steps) on tiny data
// with a fixed seed and compares the report, times left out, and the SHA-256
// of the model file with testdata/golden: the training loop may be rebuilt,
// but not change one step of what it computes.
func TestGoldenTraining(t *testing.T) {
	if testing.Short() {
		t.Skip("trains three models")
	}
	tagData := "../../tagger/testdata/"
	text := filepath.Join(t.TempDir(), "lines.txt")
	shakespeare := strings.Repeat("First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n", 20)
	if err := os.WriteFile(text, []byte(shakespeare), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"train-tag.json", []string{"tag", "train", "--train", tagData + "ewt-dev-small.conllu", "--dev", tagData + "ewt-dev-small.conllu",
			"--hidden", "16", "--word-dim", "8", "--char-hidden", "8", "--epochs", "2", "--seed", "1"}},
		{"train-classify.json", []string{"classify", "train", "--train", filepath.Join(classifyTestdata, "sst2-train.txt"),
			"--dev", filepath.Join(classifyTestdata, "sst2-dev.txt"), "--vectors", filepath.Join(classifyTestdata, "vectors-small.bin"),
			"--hidden", "8", "--epochs", "3", "--cell", "gru", "--seed", "1"}},
		{"train-generate.json", []string{"generate", "train", "--text", text, "--valid-fraction", "0.2",
			"--hidden", "16", "--layers", "2", "--embed", "8", "--batch", "4", "--bptt", "16", "--steps", "30", "--valid-every", "10", "--seed", "3"}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			model := filepath.Join(t.TempDir(), "m.model")
			out, err := runCLI(t, append(tc.args, "--quiet", "--json", "--out", model)...)
			if err != nil {
				t.Fatalf("nlp %v: %v\n%s", tc.args, err, out)
			}
			report, err := withoutTimes(out)
			if err != nil {
				t.Fatalf("%v in %s", err, out)
			}
			data, err := os.ReadFile(model)
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprintf("{\"model_sha256\": %q,\n\"report\": %s}\n", fmt.Sprintf("%x", sha256.Sum256(data)), report)
			checkGolden(t, tc.golden, got, tc.args)
		})
	}
}

// withoutTimes finds the JSON object in a command's output and returns it
// indented, without the fields that measure time or speed.
func withoutTimes(out string) (string, error) {
	i := strings.Index(out, "{")
	if i < 0 {
		return "", errors.New("no JSON report")
	}
	var v any
	if err := json.NewDecoder(strings.NewReader(out[i:])).Decode(&v); err != nil {
		return "", err
	}
	var drop func(v any)
	drop = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if strings.Contains(k, "second") {
					delete(x, k)
				} else {
					drop(e)
				}
			}
		case []any:
			for _, e := range x {
				drop(e)
			}
		}
	}
	drop(v)
	b, err := json.MarshalIndent(v, "", " ")
	return string(b), err
}
