package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMaxLine checks --max-line of tag and pipeline: a longer line is an error
// naming the line and the limit, a line within it is read, and the value is
// checked against its documented bounds.
func TestMaxLine(t *testing.T) {
	line := strings.Repeat("film ", 40) + "\n" // 201 bytes
	for _, cmd := range []string{"tag", "pipeline"} {
		if _, err := runCLIWithInput(t, line, cmd, "--input", "text", "--max-line", "100", "-"); err == nil ||
			!strings.Contains(err.Error(), "line too long") || !strings.Contains(err.Error(), "100 bytes") {
			t.Errorf("%s --max-line 100 on a line of 201 bytes: error %v", cmd, err)
		}
		out, err := runCLIWithInput(t, line, cmd, "--input", "text", "--max-line", "300", "-")
		if err != nil || strings.Count(out, "film") < 40 {
			t.Errorf("%s --max-line 300: error %v, output %.80q", cmd, err, out)
		}
		for _, bad := range []string{"0", "67108865"} {
			if _, err := runCLIWithInput(t, line, cmd, "--max-line", bad, "-"); err == nil || !strings.Contains(err.Error(), "--max-line") {
				t.Errorf("%s --max-line %s: error %v", cmd, bad, err)
			}
		}
	}
}

// TestMaxLineEveryReader checks that every command reading lines of user text
// bounds them: a line longer than --max-line is an error naming the file, the
// line and the limit, whatever the reader (labelled, text, tokens, CoNLL-U,
// the corpus recipe's sources, word2vec corpora, character text).
func TestMaxLineEveryReader(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("film ", 200) // 1,000 bytes, over --max-line 500 (the test data's lines are shorter)
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	labelled := write("labelled.txt", "1 a good film\n0 "+long+"\n")
	text := write("text.txt", "a good film\n"+long+"\n")
	conll := write("long.conllu", "1\ta\t_\t_\t_\t_\t_\t_\t_\t_\n2\t"+strings.Repeat("x", 1000)+"\t_\t_\t_\t_\t_\t_\t_\t_\n\n")
	data := filepath.Join(dir, "data")
	if err := copyTree(datasetsTestdata+"/mini", data); err != nil {
		t.Fatal(err)
	}
	lee := filepath.Join(data, "corpora", "lee_background.cor")
	if err := os.WriteFile(lee, []byte("a good film\n"+long+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	teacher := filepath.Join(dir, "teacher.model")
	if err := os.WriteFile(teacher, embeddedTagger(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		args []string
	}{
		{labelled, []string{"classify", "train", "--train", labelled, "--dev", labelled, "--out", out}},
		{labelled, []string{"classify", "eval", labelled}},
		{text, []string{"datasets", "stats", "--format", "text", text}},
		{text, []string{"datasets", "stats", "--format", "tokens", text}},
		{labelled, []string{"datasets", "stats", "--format", "labelled", labelled}},
		{conll, []string{"datasets", "stats", conll}},
		{conll, []string{"datasets", "split", "--train-out", out, "--dev-out", out + "2", conll}},
		{text, []string{"datasets", "vocab", "--out", out, text}},
		{lee, []string{"datasets", "corpus", "--data", data, "--out", out, "-q"}},
		{text, []string{"embed", "train", "--corpus", text, "--out", out}},
		{text, []string{"generate", "train", "--text", text, "--out", out}},
		{conll, []string{"tag", "train", "--train", conll, "--dev", conll, "--out", out}},
		{conll, []string{"tag", "eval", conll}},
		{conll, []string{"tag", "--input", "conllu", conll}},
		{text, []string{"tag", "train", "--train", "../../tagger/testdata/ewt-dev-small.conllu", "--dev", "../../tagger/testdata/ewt-dev-small.conllu",
			"--teacher", teacher, "--unlabelled", text, "--out", out}},
	} {
		args := append(tc.args, "--max-line", "500")
		name := strings.Join(tc.args[:2], " ")
		_, err := runCLI(t, args...)
		if err == nil || !strings.Contains(err.Error(), tc.file+":2") || !strings.Contains(err.Error(), "line too long") ||
			!strings.Contains(err.Error(), "500 bytes") {
			t.Errorf("%s on a line of 1,000 bytes with --max-line 500: error %v, want one naming %s:2 and the limit", name, err, tc.file)
		}
	}
	if _, err := runCLIWithInput(t, "a good film\n"+long+"\n", "classify", "--max-line", "500", "-"); err == nil ||
		!strings.Contains(err.Error(), "stdin") || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "500 bytes") {
		t.Errorf("classify - with a line of 1,000 bytes, --max-line 500: error %v", err)
	}
}

// copyTree copies the regular files under src to dst, creating folders.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}
