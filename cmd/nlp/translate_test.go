package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeReversal writes n pairs of a toy translation (every word wI becomes vI,
// the order reversed) as FILE.src and FILE.tgt.
func writeReversal(t *testing.T, base string, n int, seed uint64) (src, tgt string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 0))
	var s, g strings.Builder
	for i := 0; i < n; i++ {
		k := 2 + rng.IntN(5)
		ws, vs := make([]string, k), make([]string, k)
		for j := range ws {
			w := rng.IntN(10)
			ws[j], vs[k-1-j] = fmt.Sprintf("w%d", w), fmt.Sprintf("v%d", w)
		}
		fmt.Fprintln(&s, strings.Join(ws, " "))
		fmt.Fprintln(&g, strings.Join(vs, " "))
	}
	src, tgt = base+".src", base+".tgt"
	if err := os.WriteFile(src, []byte(s.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tgt, []byte(g.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return src, tgt
}

// TestTranslateCommands trains a small model on the toy task through the
// command line, then translates a file and stdin, scores a test set and draws
// an attention matrix.
func TestTranslateCommands(t *testing.T) {
	dir := t.TempDir()
	trSrc, trTgt := writeReversal(t, filepath.Join(dir, "train"), 1200, 1)
	devSrc, devTgt := writeReversal(t, filepath.Join(dir, "dev"), 60, 2)
	model := filepath.Join(dir, "toy.model")
	out, err := runCLI(t, "translate", "train", "--src-train", trSrc, "--tgt-train", trTgt, "--src-dev", devSrc, "--tgt-dev", devTgt,
		"--emb", "16", "--hidden", "24", "--decoder", "32", "--merges", "-1", "--min-count", "1", "--dropout", "-1",
		"--lr", "0.01", "--batch", "32", "--epochs", "8", "--quiet", "--out", model)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "dev BLEU") || !strings.Contains(out, "epoch 8:") || strings.Contains(out, "epoch 9") {
		t.Fatalf("train output:\n%s", out)
	}

	// A file in, a line out for each line, empty lines kept.
	in := filepath.Join(dir, "in.txt")
	os.WriteFile(in, []byte("w1 w2 w3\n\nw4 w5\n"), 0o644)
	out, err = runCLI(t, "translate", "--model", model, "--beam", "3", in)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 || lines[1] != "" || !strings.EqualFold(lines[0], "v3 v2 v1") {
		t.Fatalf("translations %q", lines)
	}

	out, err = runCLI(t, "translate", "eval", "--model", model, "--src", devSrc, "--ref", devTgt, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var ev struct {
		BLEU           float64    `json:"bleu"`
		Precisions     [4]float64 `json:"precisions"`
		BrevityPenalty float64    `json:"brevity_penalty"`
		Sentences      int        `json:"sentences"`
	}
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	if ev.Sentences != 60 || ev.BLEU < 80 || ev.Precisions[0] < ev.Precisions[3] || ev.BrevityPenalty <= 0 {
		t.Fatalf("eval %+v", ev)
	}

	png := filepath.Join(dir, "att.png")
	out, err = runCLI(t, "translate", "--model", model, "--attention", png, "w7 w8 w9")
	if err != nil || !strings.EqualFold(strings.TrimSpace(out), "v9 v8 v7") {
		t.Fatalf("attention: %q %v", out, err)
	}
	if st, err := os.Stat(png); err != nil || st.Size() == 0 {
		t.Fatalf("attention picture: %v", err)
	}
}

// TestTranslateErrors checks that bad input is an error naming the place.
func TestTranslateErrors(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "a.de")
	tgt := filepath.Join(dir, "a.en")
	os.WriteFile(src, []byte("eins\nzwei\n"), 0o644)
	os.WriteFile(tgt, []byte("one\n"), 0o644)
	_, err := runCLI(t, "translate", "train", "--src-train", src, "--tgt-train", tgt, "--out", filepath.Join(dir, "m"))
	if err == nil || !strings.Contains(err.Error(), src) || !strings.Contains(err.Error(), tgt) {
		t.Fatalf("mismatched files: %v", err)
	}
	os.WriteFile(tgt, []byte("one\ntw\xffo\n"), 0o644)
	_, err = runCLI(t, "translate", "train", "--src-train", src, "--tgt-train", tgt, "--out", filepath.Join(dir, "m"))
	if err == nil || !strings.Contains(err.Error(), tgt+":2") {
		t.Fatalf("invalid UTF-8: %v", err)
	}
	for _, args := range [][]string{
		{"translate", "--model", "x", "--beam", "0"},
		{"translate", "--model", "x", "--beam", "65"},
		{"translate", "train", "--src-train", src, "--tgt-train", tgt, "--out", "m", "--batch", "5000"},
		{"translate", "train", "--src-train", src, "--tgt-train", tgt, "--out", "m", "--attention", "bogus"},
	} {
		if _, err := runCLI(t, args...); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}

// TestTranslateBuiltIn translates with the embedded German→English model,
// the default when --model is not given.
func TestTranslateBuiltIn(t *testing.T) {
	in := filepath.Join(t.TempDir(), "in.de")
	os.WriteFile(in, []byte("Ein Hund läuft auf dem Gras.\n\nZwei Männer spielen Fußball.\n"), 0o644)
	out, err := runCLI(t, "translate", in)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 || !strings.Contains(strings.ToLower(lines[0]), "dog") || lines[1] != "" ||
		!strings.Contains(strings.ToLower(lines[2]), "men") {
		t.Fatalf("translations %q", lines)
	}
}

// TestTranslateStdin reads the sentences from standard input ("-"), more
// lines than one chunk, and keeps their order and the empty ones.
func TestTranslateStdin(t *testing.T) {
	var in strings.Builder
	for i := 0; i < translateChunk+3; i++ {
		if i%100 == 7 {
			in.WriteString("\n")
			continue
		}
		in.WriteString("Ein Hund.\n")
	}
	app := newApp()
	var out bytes.Buffer
	app.Writer, app.ErrWriter, app.Reader = &out, &out, strings.NewReader(in.String())
	if err := app.Run([]string{"nlp", "translate", "--beam", "1", "-"}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != translateChunk+3 {
		t.Fatalf("%d lines out for %d in", len(lines), translateChunk+3)
	}
	for i, l := range lines {
		if (i%100 == 7) != (l == "") {
			t.Fatalf("line %d: %q", i+1, l)
		}
	}
}
