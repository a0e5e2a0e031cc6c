package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTextPolicy runs the readers that used to let bad text through (issue 17,
// item 7) on a second line holding invalid UTF-8 or a NUL byte: each command
// fails with the line and column, and the cause.
func TestTextPolicy(t *testing.T) {
	dir := t.TempDir()
	for _, bad := range []struct{ name, line, want string }{
		{"invalid UTF-8", "a fine \xff film", "invalid UTF-8"},
		{"NUL", "a fine \x00 film", "NUL"},
	} {
		in := "a good film\n" + bad.line + "\n"
		path := filepath.Join(dir, strings.ReplaceAll(bad.name, " ", "-")+".txt")
		if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name  string
			stdin bool
			args  []string
		}{
			{"classify -", true, []string{"classify", "-"}},
			{"tag --input tokens", false, []string{"tag", "--input", "tokens", path}},
			{"tag --input text", false, []string{"tag", "--input", "text", path}},
			{"embed train", false, []string{"embed", "train", "--corpus", path, "--out", filepath.Join(dir, "v.txt"), "--min-count", "1", "--epochs", "1", "-q"}},
			{"pipeline", false, []string{"pipeline", "--input", "text", path}},
		} {
			t.Run(bad.name+"/"+tc.name, func(t *testing.T) {
				var err error
				if tc.stdin {
					_, err = runCLIWithInput(t, in, tc.args...)
				} else {
					_, err = runCLI(t, tc.args...)
				}
				if err == nil || !strings.Contains(err.Error(), bad.want) || !(strings.Contains(err.Error(), ":2:8:") || strings.Contains(err.Error(), "line 2, column 8")) {
					t.Errorf("error %v, want %s at line 2, column 8", err, bad.want)
				}
				if testing.Verbose() {
					t.Log(err)
				}
			})
		}
	}
}

// TestEmptyEvalSets: evaluating on an empty file is an error naming the file,
// not an accuracy of 0.00% with exit status 0 (issue 17, item 7).
func TestEmptyEvalSets(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.txt")
	os.WriteFile(empty, nil, 0o644)
	vec := filepath.Join(dir, "v.txt")
	os.WriteFile(vec, []byte("2 2\na 1 0\nb 0 1\n"), 0o644)
	evalDir := filepath.Join(dir, "eval")
	os.Mkdir(evalDir, 0o755)
	for _, f := range []string{"wordsim353.tsv", "simlex999.txt", "questions-words.txt"} {
		os.WriteFile(filepath.Join(evalDir, f), nil, 0o644)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"classify eval", []string{"classify", "eval", empty}, "empty.txt"},
		{"tag eval", []string{"tag", "eval", empty}, "empty.txt"},
		{"embed eval", []string{"embed", "eval", "--vectors", vec, "--data", evalDir}, "wordsim353.tsv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runCLI(t, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v (output %q), want one naming %s", err, out, tc.want)
			}
		})
	}
}
