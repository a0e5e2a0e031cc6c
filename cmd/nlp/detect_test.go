package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// detectWords is a CoNLL-U sentence of n words, "# sent_id" omitted so that
// detection rests on the word lines.
func detectWords(n int) []string {
	var lines []string
	for i := 1; i <= n; i++ {
		lines = append(lines, strings.Join([]string{string(rune('0' + i)), "cat", "cat", "NOUN", "NN", "_", "0", "root", "_", "_"}, "\t"))
	}
	return append(lines, "", "")
}

// TestFormatDetectionNeverSilent runs nlp tag and nlp pipeline on the inputs of
// issue 17, item 3: a BOM is dropped in CoNLL-U and text alike, a CoNLL-U file
// with one malformed line is an error naming the file, line and column, and a
// file of comments only is an error naming --input.
func TestFormatDetectionNeverSilent(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	words := detectWords(8)
	bad := append([]string(nil), words...)
	bad[4] = "5 cat with spaces instead of tabs"
	files := map[string]string{
		"bom.conllu":      write("bom.conllu", "\ufeff"+strings.Join(words, "\n")),
		"bom.txt":         write("bom.txt", "\ufeffHello world.\n"),
		"bad.conllu":      write("bad.conllu", strings.Join(bad, "\n")),
		"comments.conllu": write("comments.conllu", "# a comment\n# another comment\n"),
	}
	for _, cmd := range []string{"tag", "pipeline"} {
		t.Run(cmd, func(t *testing.T) {
			// Read as CoNLL-U: the words are the FORM column, whatever the output format.
			want := map[string]string{"tag": "\tcat\t", "pipeline": `"text":"cat cat cat cat`}[cmd]
			out, err := runCLI(t, cmd, files["bom.conllu"])
			if err != nil || strings.Contains(out, "\ufeff") || !strings.Contains(out, want) {
				t.Errorf("BOM CoNLL-U: err %v, output:\n%s", err, out)
			}
			out, err = runCLI(t, cmd, files["bom.txt"])
			if err != nil || strings.Contains(out, "\ufeff") || !strings.Contains(out, "Hello") {
				t.Errorf("BOM text: err %v, output:\n%s", err, out)
			}
			_, err = runCLI(t, cmd, files["bad.conllu"])
			if err == nil || !strings.Contains(err.Error(), "bad.conllu:5:") {
				t.Errorf("one bad line: err %v, want bad.conllu:5:COLUMN", err)
			}
			_, err = runCLI(t, cmd, files["comments.conllu"])
			if err == nil || !strings.Contains(err.Error(), "--input") || !strings.Contains(err.Error(), "comments.conllu") {
				t.Errorf("only comments: err %v, want an error naming the file and --input", err)
			}
			if _, err = runCLI(t, cmd, "--input", "text", files["comments.conllu"]); err != nil {
				t.Errorf("only comments with --input text: %v", err)
			}
		})
	}
	// tag train --unlabelled reads its file through readSentencesFile.
	if _, err := readSentencesFile(files["comments.conllu"], "auto", 0); err == nil || !strings.Contains(err.Error(), "--unlabelled-input") {
		t.Errorf("--unlabelled, only comments: err %v, want an error naming --input", err)
	}
	if _, err := readSentencesFile(files["bad.conllu"], "auto", 0); err == nil || !strings.Contains(err.Error(), "bad.conllu:5:") {
		t.Errorf("--unlabelled, one bad line: err %v, want bad.conllu:5:COLUMN", err)
	}
	if s, err := readSentencesFile(files["bom.txt"], "auto", 0); err != nil || len(s) != 1 || s[0][0] != "Hello" {
		t.Errorf("--unlabelled, BOM text: %q %v", s, err)
	}
}
